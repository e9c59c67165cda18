/* The database schema as numbered migrations.
 *
 * PRAGMA user_version holds the number of migrations applied. A migration is
 * never edited once released: a change to the schema is a new entry at the
 * end. A database newer than this binary (user_version > count) is refused
 * for writing, so an old mockrunc cannot damage it.
 *
 * Model:
 *   sessions        one certification run of an engine (or an automatic one
 *                   when invocations arrive with no session open)
 *   blobs           config.json / process.json / update resources by content
 *                   (sha256 of the raw bytes), kept raw so old recordings can
 *                   be re-scored with a newer catalog
 *   blob_features   every JSON path present in a blob (recorder/features.c)
 *   invocations     one row per mockrunc process: who called, what argv,
 *                   what it parsed to, which blobs, outcome
 *   invocation_features  every command-line item of an invocation
 *                   ("create.--console-socket", "kill.signal")
 */
#include "recorder/schema.h"

static const char *const migrations[] = {
	/* 1: initial schema */
	"CREATE TABLE sessions ("
	"  id INTEGER PRIMARY KEY,"
	"  engine TEXT,"
	"  engine_version TEXT,"
	"  label TEXT,"
	"  host TEXT,"
	"  started_ns INTEGER NOT NULL,"
	"  ended_ns INTEGER,"
	"  auto INTEGER NOT NULL DEFAULT 0"
	");"
	"CREATE INDEX sessions_open ON sessions(ended_ns, started_ns);"
	"CREATE TABLE blobs ("
	"  id INTEGER PRIMARY KEY,"
	"  sha256 TEXT NOT NULL UNIQUE,"
	"  kind TEXT NOT NULL,"          /* config | process | resources */
	"  size INTEGER NOT NULL,"
	"  data BLOB NOT NULL,"
	"  parse_error TEXT"             /* NULL when the bytes are valid JSON */
	");"
	"CREATE TABLE blob_features ("
	"  blob_id INTEGER NOT NULL REFERENCES blobs(id),"
	"  feature TEXT NOT NULL,"
	"  count INTEGER NOT NULL,"
	"  PRIMARY KEY (blob_id, feature)"
	") WITHOUT ROWID;"
	"CREATE TABLE invocations ("
	"  id INTEGER PRIMARY KEY,"
	"  uuid TEXT NOT NULL UNIQUE,"   /* makes spool ingestion idempotent */
	"  session_id INTEGER REFERENCES sessions(id),"
	"  label TEXT,"                  /* --mock-session given to this call */
	"  started_ns INTEGER NOT NULL,"
	"  ended_ns INTEGER,"            /* NULL until the outcome is known */
	"  duration_ns INTEGER,"
	"  pid INTEGER NOT NULL,"
	"  ppid INTEGER NOT NULL,"
	"  uid INTEGER NOT NULL,"
	"  caller_chain TEXT NOT NULL,"  /* JSON [{pid, exe}] from the parent up */
	"  argv TEXT NOT NULL,"          /* JSON array, exactly as received */
	"  global_flags TEXT NOT NULL,"  /* JSON {name: value | [values]} */
	"  command TEXT,"                /* NULL when none could be parsed */
	"  flags TEXT NOT NULL,"         /* JSON {name: value | [values]} */
	"  args TEXT NOT NULL,"          /* JSON array of positionals */
	"  container_id TEXT,"
	"  runtime_root TEXT,"           /* state root the call addressed */
	"  bundle TEXT,"
	"  config_blob INTEGER REFERENCES blobs(id),"
	"  process_blob INTEGER REFERENCES blobs(id),"
	"  resources_blob INTEGER REFERENCES blobs(id),"
	"  backend TEXT NOT NULL,"       /* realexec | path of the delegate */
	"  exit_code INTEGER,"           /* NULL until the outcome is known */
	"  error TEXT,"                  /* runc-style message of a failure */
	"  spooled INTEGER NOT NULL DEFAULT 0" /* 1: arrived through the spool */
	");"
	"CREATE INDEX invocations_session ON invocations(session_id, started_ns);"
	"CREATE INDEX invocations_container ON invocations(container_id, started_ns);"
	"CREATE TABLE invocation_features ("
	"  invocation_id INTEGER NOT NULL REFERENCES invocations(id),"
	"  feature TEXT NOT NULL,"
	"  value TEXT,"
	"  PRIMARY KEY (invocation_id, feature)"
	") WITHOUT ROWID;",
};

const char *const *recorder_schema_migrations(int *count)
{
	*count = (int)(sizeof migrations / sizeof migrations[0]);
	return migrations;
}
