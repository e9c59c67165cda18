/* The SQLite store of everything mockrunc saw (schema: recorder/schema.c).
 *
 * Writing never breaks the engine: when the database cannot be written
 * within the busy timeout (locked, read-only, corrupt, disk full) a record is
 * appended to the spool file beside it (<db>.spool) and ingested by the next
 * process that opens the database successfully. Strict mode turns that into
 * an error instead. */
#ifndef RECORDER_RECORDER_H
#define RECORDER_RECORDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>
#include <jansson.h>

#include "common/error.h"

#define RECORDER_DEFAULT_BUSY_TIMEOUT_MS 1000

/* ---- the database itself (also used by the report) ---- */

/* Opens (creating it and its directory, mode 0600/0700, when writable) and
 * migrates the database; WAL, synchronous=NORMAL, busy timeout set. A
 * read-only open never migrates and fails on a database newer than this
 * binary knows. */
int recorder_db_open(const char *path, bool readonly, int busy_timeout_ms,
		     sqlite3 **db, mr_error **err);

/* The same for a database that must already exist: never creates it. */
int recorder_db_open_existing(const char *path, int busy_timeout_ms, sqlite3 **db, mr_error **err);

/* Runs SQL statements; errors carry SQLite's message. */
int recorder_exec(sqlite3 *db, const char *sql, mr_error **err);

/* The schema version this binary writes. */
int recorder_schema_version(void);

/* ---- sessions ---- */

struct recorder_session {
	int64_t id;
	char *engine;
	char *engine_version;
	char *label;
	char *host;
	int64_t started_ns;
	int64_t ended_ns;        /* 0 while open */
	bool automatic;
};

/* Opens a session (closing any automatic session still open). */
int recorder_session_begin(sqlite3 *db, const char *engine, const char *engine_version,
			   const char *label, int64_t *id, mr_error **err);
/* Closes the most recent open session (or `id` when > 0). */
int recorder_session_end(sqlite3 *db, int64_t id, mr_error **err);
void recorder_session_clear(struct recorder_session *s);

/* ---- recording one invocation ---- */

enum recorder_blob_kind { RECORDER_BLOB_CONFIG, RECORDER_BLOB_PROCESS, RECORDER_BLOB_RESOURCES };

struct recorder_blob {
	const char *data;        /* raw bytes; NULL when absent */
	size_t len;
	json_t *json;            /* parsed form, or NULL when invalid/absent */
	const char *parse_error; /* why it is not JSON, or NULL */
};

/* Everything known before the backend runs. Strings may be NULL. */
struct recorder_invocation {
	char uuid[40];           /* filled by recorder_begin */
	int64_t started_ns;
	int pid, ppid, uid;
	json_t *caller_chain;    /* array; filled by recorder_begin when NULL */
	json_t *argv;            /* array of strings */
	json_t *global_flags;    /* object */
	const char *command;
	json_t *flags;           /* object */
	json_t *args;            /* array */
	const char *container_id;
	const char *runtime_root;
	const char *bundle;
	const char *backend;
	const char *label;       /* --mock-session */
	struct recorder_blob config, process, resources;
	json_t *cli_features;    /* object: feature id -> value string or null */
};

struct recorder_outcome {
	int64_t ended_ns;
	int exit_code;
	const char *error;       /* NULL on success */
};

struct recorder;

struct recorder_options {
	const char *db_path;
	int busy_timeout_ms;
	bool strict;
	bool service;            /* hand records to the recorder service, and
	                            start one when none answers */
	int service_idle_ms;     /* how long a service started here stays */
};

/* recorder_open only fails for lack of memory: when the database is
 * unusable, records go to the spool. In strict mode recorder_begin and
 * recorder_end then return an error (the record is still spooled), so the
 * caller can fail the operation. */
int recorder_open(const struct recorder_options *opt, struct recorder **out, mr_error **err);
int recorder_begin(struct recorder *r, struct recorder_invocation *inv, mr_error **err);
int recorder_end(struct recorder *r, const struct recorder_invocation *inv,
		 const struct recorder_outcome *out, mr_error **err);
void recorder_close(struct recorder *r);

/* ---- the recorder service (service.c): a process that keeps the
 * database open and writes the records calls hand it over <db>.sock ---- */

/* Connects to the database's service: 0 (*fd set), -1 nothing listens at
 * <db>.sock (a call may start a service), -2 something is there that
 * cannot take a record now (another user's socket, a full backlog, a path
 * too long for a socket): the caller writes the database itself. */
int recorder_service_connect(const char *db_path, int *fd);
/* Sends one record line and waits, until timeout_ms has passed, for its
 * answer: 0 written, 1 the database refused it (*refusal: why), -1 no
 * answer (the caller writes it itself). */
int recorder_service_request(int fd, const char *line, int timeout_ms, char **refusal);
/* Starts a service for the (existing) database in the background, detached
 * from the caller, unless one runs or is starting. When it returns, the
 * service holds the lock on <db>.service and its pid is written there. */
void recorder_service_spawn(const char *db_path, int busy_timeout_ms, int idle_ms);

/* Moves every record of the spool into the database; *count gets how many
 * records were read. Safe to run concurrently and to repeat after a crash. */
int recorder_ingest_spool(sqlite3 *db, const char *db_path, size_t *count, mr_error **err);

/* The spool file of a database: "<db>.spool". */
char *recorder_spool_path(const char *db_path);

/* ---- features (one implementation, used at record time and when the
 * report re-scores old blobs) ---- */

/* Calls fn once per feature id present in a blob, with how many times it
 * occurs. Ids are dotted JSON paths rooted like config.json: a process.json
 * yields "process.args", update resources "linux.resources.memory.limit".
 * Arrays add no index; enumerated values add a level: a namespace entry of
 * type "user" gives "linux.namespaces.user". */
typedef void (*recorder_feature_fn)(const char *feature, int count, void *arg);
void recorder_blob_features(enum recorder_blob_kind kind, json_t *doc,
			    recorder_feature_fn fn, void *arg);

const char *recorder_blob_kind_name(enum recorder_blob_kind kind);

#endif
