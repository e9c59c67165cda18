#include "report/db.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/settings.h"

int report_db_locate(const char *flag, char **path, mr_error **err)
{
	struct mr_settings s;
	int rc = mr_settings_load(&s, err);

	if (flag != NULL)
		mr_settings_set(&s.db_path, flag);
	/* A broken config file matters only when it would have named the
	 * database: an explicit --db or MOCKRUNC_DB wins over it. */
	if (rc < 0 && flag == NULL && getenv("MOCKRUNC_DB") == NULL) {
		mr_settings_free(&s);
		return -1;
	}
	if (rc < 0 && err != NULL)
		mr_error_free(err);
	*path = s.db_path;
	s.db_path = NULL;
	mr_settings_free(&s);
	return *path != NULL ? 0 : mr_error_set(err, ENOMEM, "database path");
}

int report_db_open(const char *path, bool writable, sqlite3 **db, mr_error **err)
{
	if (!writable && access(path, F_OK) < 0)
		return mr_error_set(err, errno, "open database %s", path);
	return recorder_db_open(path, !writable, RECORDER_DEFAULT_BUSY_TIMEOUT_MS * 5, db, err);
}

long long report_spool_pending(const char *db_path)
{
	cleanup_free char *spool = recorder_spool_path(db_path);
	struct stat st;

	if (spool == NULL || stat(spool, &st) < 0)
		return 0;
	return (long long)st.st_size;
}

static char *column_dup(sqlite3_stmt *st, int col)
{
	const char *s = (const char *)sqlite3_column_text(st, col);

	return s != NULL ? strdup(s) : NULL;
}

int report_sessions_list(sqlite3 *db, struct report_session **out, size_t *n, mr_error **err)
{
	sqlite3_stmt *st = NULL;
	struct report_session *list = NULL;
	size_t count = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(db, "SELECT s.id, s.engine, s.engine_version, s.label, s.host, s.started_ns,"
			       " s.ended_ns, s.auto, (SELECT count(*) FROM invocations i WHERE i.session_id = s.id)"
			       " FROM sessions s ORDER BY s.started_ns, s.id", -1, &st, NULL) != SQLITE_OK)
		return mr_error_set(err, 0, "list sessions: %s", sqlite3_errmsg(db));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct report_session *l = realloc(list, (count + 1) * sizeof *l), *r;
		if (l == NULL) {
			report_sessions_free(list, count);
			sqlite3_finalize(st);
			return mr_error_set(err, ENOMEM, "list sessions");
		}
		list = l;
		r = &list[count++];
		memset(r, 0, sizeof *r);
		r->s.id = sqlite3_column_int64(st, 0);
		r->s.engine = column_dup(st, 1);
		r->s.engine_version = column_dup(st, 2);
		r->s.label = column_dup(st, 3);
		r->s.host = column_dup(st, 4);
		r->s.started_ns = sqlite3_column_int64(st, 5);
		r->s.ended_ns = sqlite3_column_int64(st, 6);
		r->s.automatic = sqlite3_column_int(st, 7) != 0;
		r->invocations = sqlite3_column_int64(st, 8);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		report_sessions_free(list, count);
		return mr_error_set(err, 0, "list sessions: %s", sqlite3_errmsg(db));
	}
	*out = list;
	*n = count;
	return 0;
}

void report_sessions_free(struct report_session *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		recorder_session_clear(&list[i].s);
	free(list);
}

int report_session_latest(sqlite3 *db, int64_t *id, mr_error **err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(db, "SELECT id FROM sessions ORDER BY started_ns DESC, id DESC LIMIT 1",
			       -1, &st, NULL) != SQLITE_OK)
		return mr_error_set(err, 0, "find session: %s", sqlite3_errmsg(db));
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return mr_error_set(err, 0, "no session is recorded in the database");
	if (rc != SQLITE_ROW)
		return mr_error_set(err, 0, "find session: %s", sqlite3_errmsg(db));
	return 0;
}

int report_sessions_select(sqlite3 *db, const char *engine, const char *version, const char *label,
			   int64_t **ids, size_t *n, mr_error **err)
{
	sqlite3_stmt *st = NULL;
	int64_t *list = NULL;
	size_t count = 0;
	int rc;

	if (sqlite3_prepare_v2(db, "SELECT id FROM sessions WHERE (?1 IS NULL OR engine = ?1)"
			       " AND (?2 IS NULL OR engine_version = ?2) AND (?3 IS NULL OR label = ?3)"
			       " ORDER BY started_ns, id", -1, &st, NULL) != SQLITE_OK)
		return mr_error_set(err, 0, "find sessions: %s", sqlite3_errmsg(db));
	sqlite3_bind_text(st, 1, engine, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, version, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, label, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t *l = realloc(list, (count + 1) * sizeof *l);
		if (l == NULL) {
			free(list);
			sqlite3_finalize(st);
			return mr_error_set(err, ENOMEM, "find sessions");
		}
		list = l;
		list[count++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(list);
		return mr_error_set(err, 0, "find sessions: %s", sqlite3_errmsg(db));
	}
	*ids = list;
	*n = count;
	return 0;
}
