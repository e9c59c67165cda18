/* The report's side of the database: finding it as mockrunc does, opening
 * it, and the read queries the commands share. */
#ifndef REPORT_DB_H
#define REPORT_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>

#include "common/error.h"
#include "recorder/recorder.h"

/* --db PATH (flag, may be NULL) > MOCKRUNC_DB > the config file's "db" >
 * the default, exactly as mockrunc resolves it. */
int report_db_locate(const char *flag, char **path, mr_error **err);

/* Read-only opens refuse a missing database rather than create one. */
int report_db_open(const char *path, bool writable, sqlite3 **db, mr_error **err);

/* Bytes waiting in the database's spool (0 when none). */
long long report_spool_pending(const char *db_path);

struct report_session {
	struct recorder_session s;
	int64_t invocations;
};

int report_sessions_list(sqlite3 *db, struct report_session **out, size_t *n, mr_error **err);
void report_sessions_free(struct report_session *list, size_t n);

/* The most recent session (by start time). */
int report_session_latest(sqlite3 *db, int64_t *id, mr_error **err);

/* Sessions whose engine, engine version and label match (NULL: any). */
int report_sessions_select(sqlite3 *db, const char *engine, const char *version, const char *label,
			   int64_t **ids, size_t *n, mr_error **err);

#endif
