/* merge OUT.db IN.db...: one database from several nodes' recordings, so
 * one report covers them. Blobs are shared by content hash, invocations are
 * unique by uuid, sessions by (host, start, engine, version, label): merging
 * the same input twice adds nothing. Inputs are only read. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/file.h"
#include "recorder/recorder.h"
#include "report/merge.h"

static int src_version(sqlite3 *db, int *version, mr_error **err)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(db, "PRAGMA src.user_version", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return mr_error_set(err, 0, "%s", sqlite3_errmsg(db));
	}
	*version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return 0;
}

static int merge_sessions(sqlite3 *db, int64_t *added, mr_error **err)
{
	sqlite3_stmt *src = NULL, *find = NULL, *ins = NULL, *map = NULL;
	int rc = -1, step;

	if (sqlite3_prepare_v2(db, "SELECT id, engine, engine_version, label, host, started_ns, ended_ns, auto"
			       " FROM src.sessions", -1, &src, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT id FROM main.sessions WHERE host IS ?1 AND started_ns = ?2"
			       " AND engine IS ?3 AND engine_version IS ?4 AND label IS ?5", -1, &find, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO main.sessions(engine, engine_version, label, host, started_ns,"
			       " ended_ns, auto) VALUES (?3, ?4, ?5, ?1, ?2, ?6, ?7)", -1, &ins, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO temp.smap(old, new) VALUES (?, ?)", -1, &map, NULL) != SQLITE_OK) {
		mr_error_set(err, 0, "merge sessions: %s", sqlite3_errmsg(db));
		goto out;
	}
	while ((step = sqlite3_step(src)) == SQLITE_ROW) {
		int64_t id;
		static const int cols[] = { 4, 5, 1, 2, 3 };
		sqlite3_reset(find);
		for (int k = 0; k < 5; k++)
			sqlite3_bind_value(find, k + 1, sqlite3_column_value(src, cols[k]));
		if (sqlite3_step(find) == SQLITE_ROW) {
			id = sqlite3_column_int64(find, 0);
		} else {
			sqlite3_reset(ins);
			for (int k = 0; k < 5; k++)
				sqlite3_bind_value(ins, k + 1, sqlite3_column_value(src, cols[k]));
			sqlite3_bind_value(ins, 6, sqlite3_column_value(src, 6));
			sqlite3_bind_value(ins, 7, sqlite3_column_value(src, 7));
			if (sqlite3_step(ins) != SQLITE_DONE) {
				mr_error_set(err, 0, "merge sessions: %s", sqlite3_errmsg(db));
				goto out;
			}
			id = sqlite3_last_insert_rowid(db);
			(*added)++;
		}
		sqlite3_reset(map);
		sqlite3_bind_int64(map, 1, sqlite3_column_int64(src, 0));
		sqlite3_bind_int64(map, 2, id);
		if (sqlite3_step(map) != SQLITE_DONE) {
			mr_error_set(err, 0, "merge sessions: %s", sqlite3_errmsg(db));
			goto out;
		}
	}
	if (step != SQLITE_DONE) {
		mr_error_set(err, 0, "merge sessions: %s", sqlite3_errmsg(db));
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(src);
	sqlite3_finalize(find);
	sqlite3_finalize(ins);
	sqlite3_finalize(map);
	return rc;
}

/* The invocations columns of this schema, with the references remapped;
 * read from the table itself so a later migration's columns come along. */
static int invocation_columns(sqlite3 *db, char **cols, char **exprs, mr_error **err)
{
	sqlite3_stmt *st = NULL;
	size_t clen = 0, elen = 0;
	FILE *c = open_memstream(cols, &clen), *e = open_memstream(exprs, &elen);
	bool first = true;

	if (c == NULL || e == NULL || sqlite3_prepare_v2(db, "PRAGMA main.table_info(invocations)", -1, &st, NULL) != SQLITE_OK) {
		if (c != NULL)
			fclose(c);
		if (e != NULL)
			fclose(e);
		return mr_error_set(err, 0, "merge: %s", sqlite3_errmsg(db));
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 1);
		if (name == NULL || strcmp(name, "id") == 0)
			continue;
		fprintf(c, "%s\"%s\"", first ? "" : ", ", name);
		if (strcmp(name, "session_id") == 0)
			fprintf(e, "%s(SELECT new FROM temp.smap WHERE old = i.session_id)", first ? "" : ", ");
		else if (strcmp(name, "config_blob") == 0 || strcmp(name, "process_blob") == 0 ||
			 strcmp(name, "resources_blob") == 0)
			fprintf(e, "%s(SELECT new FROM temp.bmap WHERE old = i.%s)", first ? "" : ", ", name);
		else
			fprintf(e, "%si.\"%s\"", first ? "" : ", ", name);
		first = false;
	}
	sqlite3_finalize(st);
	fclose(c);
	fclose(e);
	return 0;
}

static int merge_one(sqlite3 *db, const char *in, struct merge_counts *counts, mr_error **err)
{
	sqlite3_stmt *st = NULL;
	cleanup_free char *cols = NULL, *exprs = NULL, *sql = NULL;
	int version = 0;
	int64_t before;

	if (sqlite3_prepare_v2(db, "ATTACH DATABASE ? AS src", -1, &st, NULL) != SQLITE_OK)
		return mr_error_set(err, 0, "merge %s: %s", in, sqlite3_errmsg(db));
	sqlite3_bind_text(st, 1, in, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		mr_error_set(err, 0, "merge %s: %s", in, sqlite3_errmsg(db));
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	if (src_version(db, &version, err) < 0)
		goto detach;
	if (version != recorder_schema_version()) {
		mr_error_set(err, 0, "%s has schema version %d, this mockrunc-report merges version %d",
			     in, version, recorder_schema_version());
		goto detach;
	}
	if (invocation_columns(db, &cols, &exprs, err) < 0 ||
	    asprintf(&sql, "INSERT OR IGNORE INTO main.invocations(%s) SELECT %s FROM src.invocations i"
		     " ORDER BY i.id", cols, exprs) < 0)
		goto detach;
	if (recorder_exec(db, "BEGIN IMMEDIATE;"
		 "CREATE TEMP TABLE smap(old INTEGER PRIMARY KEY, new INTEGER);"
		 "CREATE TEMP TABLE bmap(old INTEGER PRIMARY KEY, new INTEGER);"
		 "CREATE TEMP TABLE imap(old INTEGER PRIMARY KEY, new INTEGER);", err) < 0)
		goto detach;
	if (merge_sessions(db, &counts->sessions, err) < 0 ||
	    recorder_exec(db, "INSERT OR IGNORE INTO main.blobs(sha256, kind, size, data, parse_error)"
		 " SELECT sha256, kind, size, data, parse_error FROM src.blobs ORDER BY id;"
		 "INSERT INTO temp.bmap SELECT s.id, m.id FROM src.blobs s JOIN main.blobs m ON m.sha256 = s.sha256;"
		 "INSERT OR IGNORE INTO main.blob_features(blob_id, feature, count)"
		 " SELECT b.new, f.feature, f.count FROM src.blob_features f JOIN temp.bmap b ON b.old = f.blob_id;",
		 err) < 0)
		goto rollback;
	before = sqlite3_total_changes64(db);
	if (recorder_exec(db, sql, err) < 0)
		goto rollback;
	counts->invocations += sqlite3_total_changes64(db) - before;
	if (recorder_exec(db, "INSERT INTO temp.imap SELECT s.id, m.id FROM src.invocations s"
		 " JOIN main.invocations m ON m.uuid = s.uuid;"
		 "INSERT OR IGNORE INTO main.invocation_features(invocation_id, feature, value)"
		 " SELECT m.new, f.feature, f.value FROM src.invocation_features f JOIN temp.imap m"
		 " ON m.old = f.invocation_id;"
		 "DROP TABLE temp.smap; DROP TABLE temp.bmap; DROP TABLE temp.imap;"
		 "COMMIT;", err) < 0)
		goto rollback;
	return recorder_exec(db, "DETACH DATABASE src", err);
rollback:
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
detach:
	sqlite3_exec(db, "DETACH DATABASE src", NULL, NULL, NULL);
	return mr_error_wrap(err, "merge %s", in);
}

int report_merge(const char *out, char *const *inputs, size_t n, struct merge_counts *counts,
		 mr_error **err)
{
	sqlite3 *db = NULL;
	cleanup_free char *out_abs = mr_path_abs(out);

	memset(counts, 0, sizeof *counts);
	for (size_t i = 0; i < n; i++) {
		cleanup_free char *in_abs = mr_path_abs(inputs[i]);
		sqlite3 *probe = NULL;
		if (out_abs != NULL && in_abs != NULL && strcmp(out_abs, in_abs) == 0)
			return mr_error_set(err, 0, "merge: %s is both the output and an input", inputs[i]);
		/* Refuses what is not a recording (or is newer than this binary). */
		if (recorder_db_open(inputs[i], true, 1000, &probe, err) < 0)
			return -1;
		sqlite3_close(probe);
	}
	if (recorder_db_open(out, false, 5000, &db, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (merge_one(db, inputs[i], counts, err) < 0) {
			sqlite3_close(db);
			return -1;
		}
	}
	sqlite3_close(db);
	return 0;
}
