/* Writing one invocation into the database. Used for live recording and for
 * records coming back from the spool, so both take exactly the same path. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/json.h"
#include "common/sha256.h"
#include "recorder/recorder.h"
#include "recorder/session.h"
#include "recorder/store.h"

static int fail(sqlite3 *db, mr_error **err, const char *what)
{
	return mr_error_set(err, 0, "%s: %s", what, sqlite3_errmsg(db));
}

struct feature_insert {
	sqlite3 *db;
	sqlite3_stmt *st;
	int64_t blob_id;
	int failed;
};

static void insert_blob_feature(const char *feature, int count, void *arg)
{
	struct feature_insert *fi = arg;

	sqlite3_reset(fi->st);
	sqlite3_bind_int64(fi->st, 1, fi->blob_id);
	sqlite3_bind_text(fi->st, 2, feature, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(fi->st, 3, count);
	if (sqlite3_step(fi->st) != SQLITE_DONE)
		fi->failed = 1;
}

/* The id of a blob, inserting it and its features when it is new. */
static int blob_id(sqlite3 *db, enum recorder_blob_kind kind, const struct recorder_blob *b,
		   int64_t *id, mr_error **err)
{
	char hash[65];
	sqlite3_stmt *st = NULL;
	cleanup_json json_t *parsed = NULL;
	json_t *doc = b->json;
	const char *parse_error = b->parse_error;
	cleanup_error mr_error *perr = NULL;
	struct feature_insert fi = { .db = db };
	int rc;

	*id = 0;
	if (b->data == NULL)
		return 0;
	mr_sha256_hex(b->data, b->len, hash);
	if (sqlite3_prepare_v2(db, "SELECT id FROM blobs WHERE sha256 = ?", -1, &st, NULL) != SQLITE_OK)
		return fail(db, err, "find blob");
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc != SQLITE_DONE)
		return fail(db, err, "find blob");

	/* Parsed here when the caller did not need it (a delegate's call). */
	if (doc == NULL && b->parse_error == NULL) {
		doc = parsed = mr_json_parse(b->data, b->len, &perr);
		if (doc == NULL && perr != NULL)
			parse_error = perr->msg;
	}
	if (sqlite3_prepare_v2(db, "INSERT INTO blobs(sha256, kind, size, data, parse_error)"
			       " VALUES (?, ?, ?, ?, ?)", -1, &st, NULL) != SQLITE_OK)
		return fail(db, err, "insert blob");
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, recorder_blob_kind_name(kind), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)b->len);
	sqlite3_bind_blob64(st, 4, b->data, b->len, SQLITE_STATIC);
	if (doc == NULL)
		sqlite3_bind_text(st, 5, parse_error != NULL ? parse_error : "invalid JSON",
				  -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return fail(db, err, "insert blob");
	*id = sqlite3_last_insert_rowid(db);
	if (doc == NULL)
		return 0;

	if (sqlite3_prepare_v2(db, "INSERT INTO blob_features(blob_id, feature, count) VALUES (?, ?, ?)",
			       -1, &fi.st, NULL) != SQLITE_OK)
		return fail(db, err, "insert blob features");
	fi.blob_id = *id;
	recorder_blob_features(kind, doc, insert_blob_feature, &fi);
	sqlite3_finalize(fi.st);
	if (fi.failed)
		return fail(db, err, "insert blob features");
	return 0;
}

static void bind_json(sqlite3_stmt *st, int idx, json_t *v, const char *fallback)
{
	char *text = v != NULL ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;

	if (text != NULL)
		sqlite3_bind_text(st, idx, text, -1, free);
	else
		sqlite3_bind_text(st, idx, fallback, -1, SQLITE_STATIC);
}

static void bind_opt_int64(sqlite3_stmt *st, int idx, int64_t v)
{
	if (v != 0)
		sqlite3_bind_int64(st, idx, v);
}

static int insert_cli_features(sqlite3 *db, int64_t inv_id, json_t *features, mr_error **err)
{
	sqlite3_stmt *st = NULL;
	const char *key;
	json_t *v;

	if (!json_is_object(features) || json_object_size(features) == 0)
		return 0;
	if (sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO invocation_features(invocation_id, feature, value)"
			       " VALUES (?, ?, ?)", -1, &st, NULL) != SQLITE_OK)
		return fail(db, err, "insert invocation features");
	json_object_foreach(features, key, v) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, inv_id);
		sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
		if (json_is_string(v))
			sqlite3_bind_text(st, 3, json_string_value(v), -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(st, 3);
		if (sqlite3_step(st) != SQLITE_DONE) {
			sqlite3_finalize(st);
			return fail(db, err, "insert invocation features");
		}
	}
	sqlite3_finalize(st);
	return 0;
}

int store_begin(sqlite3 *db, const struct recorder_invocation *inv, const char *engine_guess,
		bool spooled, mr_error **err)
{
	int64_t session, config, process, resources;
	sqlite3_stmt *st = NULL;
	int rc;

	if (recorder_session_resolve(db, inv->started_ns, inv->label, engine_guess, &session, err) < 0 ||
	    blob_id(db, RECORDER_BLOB_CONFIG, &inv->config, &config, err) < 0 ||
	    blob_id(db, RECORDER_BLOB_PROCESS, &inv->process, &process, err) < 0 ||
	    blob_id(db, RECORDER_BLOB_RESOURCES, &inv->resources, &resources, err) < 0)
		return -1;
	if (sqlite3_prepare_v2(db,
			       "INSERT INTO invocations(uuid, session_id, label, started_ns, pid, ppid, uid,"
			       " caller_chain, argv, global_flags, command, flags, args, container_id,"
			       " runtime_root, bundle, config_blob, process_blob, resources_blob, backend,"
			       " spooled)"
			       " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
			       " ON CONFLICT(uuid) DO NOTHING", -1, &st, NULL) != SQLITE_OK)
		return fail(db, err, "insert invocation");
	sqlite3_bind_text(st, 1, inv->uuid, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, session);
	sqlite3_bind_text(st, 3, inv->label, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, inv->started_ns);
	sqlite3_bind_int(st, 5, inv->pid);
	sqlite3_bind_int(st, 6, inv->ppid);
	sqlite3_bind_int(st, 7, inv->uid);
	bind_json(st, 8, inv->caller_chain, "[]");
	bind_json(st, 9, inv->argv, "[]");
	bind_json(st, 10, inv->global_flags, "{}");
	sqlite3_bind_text(st, 11, inv->command, -1, SQLITE_STATIC);
	bind_json(st, 12, inv->flags, "{}");
	bind_json(st, 13, inv->args, "[]");
	sqlite3_bind_text(st, 14, inv->container_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 15, inv->runtime_root, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 16, inv->bundle, -1, SQLITE_STATIC);
	bind_opt_int64(st, 17, config);
	bind_opt_int64(st, 18, process);
	bind_opt_int64(st, 19, resources);
	sqlite3_bind_text(st, 20, inv->backend != NULL ? inv->backend : "", -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 21, spooled);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return fail(db, err, "insert invocation");
	if (sqlite3_changes(db) == 0)
		return 0; /* already there: a spool record ingested twice */
	return insert_cli_features(db, sqlite3_last_insert_rowid(db), inv->cli_features, err);
}

int store_end(sqlite3 *db, const char *uuid, const struct recorder_outcome *out, mr_error **err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(db,
			       "UPDATE invocations SET ended_ns = ?1, duration_ns = ?1 - started_ns,"
			       " exit_code = ?2, error = ?3 WHERE uuid = ?4", -1, &st, NULL) != SQLITE_OK)
		return fail(db, err, "record outcome");
	sqlite3_bind_int64(st, 1, out->ended_ns);
	sqlite3_bind_int(st, 2, out->exit_code);
	sqlite3_bind_text(st, 3, out->error, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, uuid, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return fail(db, err, "record outcome");
	return 0;
}

int store_transaction(sqlite3 *db, const char *sql, mr_error **err)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return fail(db, err, sql);
	return 0;
}
