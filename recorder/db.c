/* Opening and migrating the database. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/file.h"
#include "recorder/recorder.h"
#include "recorder/schema.h"

int recorder_schema_version(void)
{
	int count;

	recorder_schema_migrations(&count);
	return count;
}

int recorder_exec(sqlite3 *db, const char *sql, mr_error **err)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		mr_error_set(err, 0, "%s", msg != NULL ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int user_version(sqlite3 *db, int *version, mr_error **err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return mr_error_set(err, 0, "%s", sqlite3_errmsg(db));
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		mr_error_set(err, 0, "%s", sqlite3_errmsg(db));
		sqlite3_finalize(st);
		return -1;
	}
	*version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return 0;
}

/* Applies the missing migrations in one write transaction; a concurrent
 * process doing the same waits on the lock and then finds nothing to do. */
static int migrate(sqlite3 *db, mr_error **err)
{
	int count, version;
	const char *const *steps = recorder_schema_migrations(&count);

	if (user_version(db, &version, err) < 0)
		return -1;
	if (version == count)
		return 0;
	if (version > count)
		return mr_error_set(err, 0, "database schema version %d is newer than this "
				    "mockrunc knows (%d)", version, count);
	if (recorder_exec(db, "BEGIN IMMEDIATE", err) < 0)
		return -1;
	if (user_version(db, &version, err) < 0)
		goto fail;
	for (int i = version; i < count; i++) {
		char pragma[64];
		if (recorder_exec(db, steps[i], err) < 0) {
			mr_error_wrap(err, "migration %d", i + 1);
			goto fail;
		}
		snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", i + 1);
		if (recorder_exec(db, pragma, err) < 0)
			goto fail;
	}
	if (recorder_exec(db, "COMMIT", err) < 0)
		goto fail;
	return 0;
fail:
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

/* The database directory is private (0700) and the files 0600: recordings
 * hold every argument and environment an engine passed. SQLite gives the
 * -wal and -shm files the main file's mode. */
static int prepare_files(const char *path, mr_error **err)
{
	cleanup_free char *dir = strdup(path);
	char *slash;
	int fd;

	if (dir == NULL)
		return mr_error_set(err, ENOMEM, "open %s", path);
	slash = strrchr(dir, '/');
	if (slash != NULL && slash != dir) {
		*slash = '\0';
		if (access(dir, F_OK) < 0 && mr_mkdir_all(dir, 0700, err) < 0)
			return -1;
	}
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return mr_error_set(err, errno, "open %s", path);
	close(fd);
	return 0;
}

/* Bytes 18 and 19 of the database header are 2 once the file is in WAL
 * mode, which is persistent: most opens can skip switching it. */
static bool already_wal(const char *path)
{
	unsigned char header[20];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return false;
	n = pread(fd, header, sizeof header, 0);
	close(fd);
	return n == (ssize_t)sizeof header && header[18] == 2 && header[19] == 2;
}

static int db_open(const char *path, bool readonly, bool create, int busy_timeout_ms,
		   sqlite3 **out, mr_error **err);

int recorder_db_open(const char *path, bool readonly, int busy_timeout_ms,
		     sqlite3 **out, mr_error **err)
{
	return db_open(path, readonly, !readonly, busy_timeout_ms, out, err);
}

int recorder_db_open_existing(const char *path, int busy_timeout_ms, sqlite3 **out, mr_error **err)
{
	return db_open(path, false, false, busy_timeout_ms, out, err);
}

static int db_open(const char *path, bool readonly, bool create, int busy_timeout_ms,
		   sqlite3 **out, mr_error **err)
{
	sqlite3 *db = NULL;
	int flags = readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
	bool wal = !readonly && already_wal(path);
	int rc;

	*out = NULL;
	if (create && prepare_files(path, err) < 0)
		return -1;
	rc = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		mr_error_set(err, 0, "open database %s: %s", path,
			     db != NULL ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
		sqlite3_close(db);
		return -1;
	}
	sqlite3_busy_timeout(db, busy_timeout_ms > 0 ? busy_timeout_ms : 0);
	sqlite3_extended_result_codes(db, 1);
	if (!readonly) {
		/* Each call is a short-lived process. By default the last one to
		 * close the database checkpoints the WAL (two fdatasyncs) and
		 * deletes it, so every call would pay for creating, syncing and
		 * removing the WAL and its index. Keeping them, and checkpointing
		 * small batches as they fill, costs each call a few writes. */
		int persist = 1;
		sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
		sqlite3_file_control(db, "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
	}
	if (!readonly) {
		/* WAL lets readers (the report) run beside writers; NORMAL sync
		 * is durable against process crashes, which is what matters for
		 * a recorder sitting in every container start. */
		if (recorder_exec(db, wal ? "PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=64;"
				     : "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
				       " PRAGMA wal_autocheckpoint=64;", err) < 0 ||
		    migrate(db, err) < 0) {
			mr_error_wrap(err, "database %s", path);
			sqlite3_close(db);
			return -1;
		}
	} else {
		int version;
		if (user_version(db, &version, err) < 0) {
			mr_error_wrap(err, "database %s", path);
			sqlite3_close(db);
			return -1;
		}
		if (version > recorder_schema_version() || version == 0) {
			mr_error_set(err, 0, "database %s: schema version %d is not one this "
				     "mockrunc reads (%d)", path, version, recorder_schema_version());
			sqlite3_close(db);
			return -1;
		}
	}
	*out = db;
	return 0;
}
