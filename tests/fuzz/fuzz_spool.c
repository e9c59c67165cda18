/* libFuzzer target: the spool reader. The input becomes a spool file that
 * is ingested into a scratch database: damaged or hostile lines must be
 * skipped or refused, never crash, and never take the database down. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/file.h"
#include "recorder/recorder.h"

static sqlite3 *db;
static char db_path[128];

static void remove_scratch(void)
{
	char *spool = recorder_spool_path(db_path);
	char wal[160], shm[160];

	snprintf(wal, sizeof wal, "%s-wal", db_path);
	snprintf(shm, sizeof shm, "%s-shm", db_path);
	sqlite3_close(db);
	unlink(db_path);
	unlink(wal);
	unlink(shm);
	if (spool != NULL)
		unlink(spool);
	free(spool);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *spool;
	FILE *f;
	size_t n = 0;
	mr_error *err = NULL;

	if (db == NULL) {
		/* In memory when the machine has /dev/shm: every input is a
		 * file write and an ingestion, and a disk makes that the cost. */
		snprintf(db_path, sizeof db_path, "%s/mockrunc-fuzz-spool.%d.db",
			 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp", (int)getpid());
		unlink(db_path);
		if (recorder_db_open(db_path, false, 0, &db, &err) < 0)
			abort();
		atexit(remove_scratch);
	}
	spool = recorder_spool_path(db_path);
	f = fopen(spool, "w");
	if (f != NULL) {
		fwrite(data, 1, size, f);
		fclose(f);
	}
	recorder_ingest_spool(db, db_path, &n, &err);
	mr_error_free(&err);
	free(spool);
	return 0;
}
