/* Sessions: which certification run an invocation belongs to.
 *
 * An invocation belongs to the most recent session that was open when it
 * started (optionally: with the label it asked for). When none is open an
 * automatic session is opened, so every recording is in some session; the
 * next explicit `session begin` closes the automatic ones. Resolving by the
 * start time (not "now") lets records that waited in the spool land in the
 * session they were made in. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/clock.h"
#include "recorder/recorder.h"
#include "recorder/session.h"

static int step_done(sqlite3 *db, sqlite3_stmt *st, mr_error **err)
{
	int rc = sqlite3_step(st);

	sqlite3_finalize(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return mr_error_set(err, 0, "%s", sqlite3_errmsg(db));
	return 0;
}

static int insert_session(sqlite3 *db, const char *engine, const char *engine_version,
			  const char *label, int64_t started_ns, bool automatic,
			  int64_t *id, mr_error **err)
{
	sqlite3_stmt *st = NULL;
	char host[256] = "";

	gethostname(host, sizeof host - 1);
	if (sqlite3_prepare_v2(db,
			       "INSERT INTO sessions(engine, engine_version, label, host, started_ns, auto)"
			       " VALUES (?, ?, ?, ?, ?, ?)", -1, &st, NULL) != SQLITE_OK)
		return mr_error_set(err, 0, "%s", sqlite3_errmsg(db));
	sqlite3_bind_text(st, 1, engine, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, engine_version, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, label, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, host, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, started_ns);
	sqlite3_bind_int(st, 6, automatic);
	if (step_done(db, st, err) < 0)
		return -1;
	*id = sqlite3_last_insert_rowid(db);
	return 0;
}

int recorder_session_resolve(sqlite3 *db, int64_t at_ns, const char *label,
			     const char *engine_guess, int64_t *id, mr_error **err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(db,
			       "SELECT id FROM sessions WHERE started_ns <= ?1"
			       " AND coalesce(ended_ns, ?1) >= ?1"
			       " AND (?2 IS NULL OR label = ?2)"
			       " ORDER BY started_ns DESC, id DESC LIMIT 1", -1, &st, NULL) != SQLITE_OK)
		return mr_error_set(err, 0, "%s", sqlite3_errmsg(db));
	sqlite3_bind_int64(st, 1, at_ns);
	sqlite3_bind_text(st, 2, label, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		return 0;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return mr_error_set(err, 0, "%s", sqlite3_errmsg(db));
	return insert_session(db, engine_guess, NULL, label, at_ns, true, id, err);
}

int recorder_session_begin(sqlite3 *db, const char *engine, const char *engine_version,
			   const char *label, int64_t *id, mr_error **err)
{
	sqlite3_stmt *st = NULL;
	int64_t now = mr_now_ns();

	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return mr_error_set(err, 0, "begin session: %s", sqlite3_errmsg(db));
	if (sqlite3_prepare_v2(db, "UPDATE sessions SET ended_ns = ? WHERE auto = 1 AND ended_ns IS NULL",
			       -1, &st, NULL) != SQLITE_OK) {
		mr_error_set(err, 0, "begin session: %s", sqlite3_errmsg(db));
		goto fail;
	}
	sqlite3_bind_int64(st, 1, now);
	if (step_done(db, st, err) < 0 ||
	    insert_session(db, engine, engine_version, label, now, false, id, err) < 0)
		goto fail;
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		mr_error_set(err, 0, "begin session: %s", sqlite3_errmsg(db));
		goto fail;
	}
	return 0;
fail:
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

int recorder_session_end(sqlite3 *db, int64_t id, mr_error **err)
{
	sqlite3_stmt *st = NULL;
	const char *sql = id > 0
		? "UPDATE sessions SET ended_ns = ?1 WHERE id = ?2 AND ended_ns IS NULL"
		: "UPDATE sessions SET ended_ns = ?1 WHERE id = (SELECT id FROM sessions"
		  " WHERE ended_ns IS NULL AND auto = 0 ORDER BY started_ns DESC, id DESC LIMIT 1)";

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return mr_error_set(err, 0, "end session: %s", sqlite3_errmsg(db));
	sqlite3_bind_int64(st, 1, mr_now_ns());
	if (id > 0)
		sqlite3_bind_int64(st, 2, id);
	if (step_done(db, st, err) < 0)
		return mr_error_wrap(err, "end session");
	if (sqlite3_changes(db) == 0 && id > 0)
		return mr_error_set(err, 0, "session %lld is not open", (long long)id);
	if (sqlite3_changes(db) == 0)
		return mr_error_set(err, 0, "no session is open");
	return 0;
}

void recorder_session_clear(struct recorder_session *s)
{
	free(s->engine);
	free(s->engine_version);
	free(s->label);
	free(s->host);
	memset(s, 0, sizeof *s);
}
