/* mockrunc's settings, shared by mockrunc and mockrunc-report so both find
 * the same database: --mock-* flag (or the report's --db) > MOCKRUNC_*
 * environment > config file (MOCKRUNC_CONFIG, default
 * /etc/mockrunc/mockrunc.json) > default.
 *
 * Config file keys: "db", "backend", "session", "strict", "busy_timeout_ms",
 * "record", "service", "service_idle_ms". Environment: MOCKRUNC_DB,
 * MOCKRUNC_BACKEND, MOCKRUNC_SESSION, MOCKRUNC_STRICT,
 * MOCKRUNC_BUSY_TIMEOUT_MS, MOCKRUNC_RECORD, MOCKRUNC_SERVICE,
 * MOCKRUNC_SERVICE_IDLE_MS. */
#ifndef MR_SETTINGS_H
#define MR_SETTINGS_H

#include <stdbool.h>

#include "common/error.h"

#define MR_DEFAULT_DB "/var/lib/mockrunc/mockrunc.db"
#define MR_DEFAULT_CONFIG "/etc/mockrunc/mockrunc.json"
#define MR_DEFAULT_BUSY_TIMEOUT_MS 1000
#define MR_DEFAULT_SERVICE_IDLE_MS 2000

struct mr_settings {
	char *db_path;
	char *backend;          /* "realexec", or the path of another runtime */
	char *session;          /* session label, or NULL */
	bool strict;            /* fail the operation when it cannot be recorded */
	int busy_timeout_ms;    /* how long to wait for a locked database */
	bool record;            /* false: recording switched off */
	bool service;           /* records go through the recorder service */
	int service_idle_ms;    /* how long an idle service stays */
};

/* Defaults, then the config file, then the environment. Always leaves *s
 * usable; returns -1 with *err when a source was malformed (every source
 * still applies, so the failure can be recorded where the user asked). */
int mr_settings_load(struct mr_settings *s, mr_error **err);

/* Replaces a string setting (flags applied by the caller). */
int mr_settings_set(char **field, const char *value);
void mr_settings_free(struct mr_settings *s);

#endif
