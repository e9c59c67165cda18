/* Recorder-internal: the database side of one invocation record. Callers
 * hold a write transaction (store_transaction "BEGIN IMMEDIATE"/"COMMIT"). */
#ifndef RECORDER_STORE_H
#define RECORDER_STORE_H

#include <stdbool.h>
#include <sqlite3.h>

#include "common/error.h"
#include "recorder/recorder.h"

/* Inserts the invocation (idempotent on its uuid), its blobs and features. */
int store_begin(sqlite3 *db, const struct recorder_invocation *inv, const char *engine_guess,
		bool spooled, mr_error **err);
int store_end(sqlite3 *db, const char *uuid, const struct recorder_outcome *out, mr_error **err);
int store_transaction(sqlite3 *db, const char *sql, mr_error **err);

/* Spool records (spool.c). */
int spool_append_begin(const char *db_path, const struct recorder_invocation *inv,
		       const char *engine_guess, mr_error **err);
int spool_append_end(const char *db_path, const char *uuid, const struct recorder_outcome *out,
		     mr_error **err);
/* The same records as lines (with their '\n'), for the recorder service;
 * NULL when out of memory. */
char *spool_begin_line(const struct recorder_invocation *inv, const char *engine_guess);
char *spool_end_line(const char *uuid, const struct recorder_outcome *out);
/* Writes one such line to the database in its own transaction: 0 done,
 * 1 not a record (nothing written), -1 the database refused it. */
int spool_apply_line(sqlite3 *db, const char *line, size_t len, mr_error **err);
/* True when a spool of this database holds records. */
bool spool_pending(const char *db_path);

#endif
