/* One run of the mockrunc program: settings, parsed command line, logger and
 * the inputs read for recording (which the backend then reuses, so nothing
 * is read or parsed twice). */
#ifndef MOCKRUNC_MOCKRUNC_H
#define MOCKRUNC_MOCKRUNC_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <jansson.h>

#include "common/error.h"
#include "common/log.h"
#include "common/settings.h"
#include "mockrunc/cli.h"

#define MOCKRUNC_VERSION "0.1.0"
#define MOCKRUNC_DEFAULT_ROOT "/run/mockrunc"

/* A blob read from the bundle, --process or --resources. */
struct input_blob {
	char *data;
	size_t len;
	json_t *json;           /* parsed, or NULL when it is not valid JSON */
	char *path;             /* where it came from ("-" for stdin) */
	int read_errno;         /* why it could not be read (0: it was read) */
	char *parse_error;      /* why it is not JSON (NULL: it is, or unread) */
};

struct mockrunc {
	const char *prog;               /* argv[0], used in runc-style messages */
	struct invocation inv;
	struct mr_settings settings;
	struct mr_logger log;
	char *root;                     /* --root made absolute, or the default */
	char *bundle;                   /* create/run/restore: absolute bundle dir */
	struct input_blob config;       /* create/run/restore: <bundle>/config.json */
	struct input_blob process;      /* exec --process FILE */
	struct input_blob resources;    /* update --resources FILE|- */
	int resources_stdin_fd;         /* update --resources -: a memfd with the
	                                   bytes read from stdin, for a delegate */
	/* Work main has left for the backend to run while it waits on the
	 * container (recording the call, when not strict): call
	 * mockrunc_while_busy() at such a moment; main runs it afterwards
	 * if the backend did not. */
	void (*while_busy)(void *arg);
	void *while_busy_arg;
};

/* Runs the deferred work once (no-op afterwards or when there is none). */
void mockrunc_while_busy(struct mockrunc *m);

/* Whether a delegate runtime (not the built-in core) runs the command. */
static inline bool mockrunc_delegates(const struct mockrunc *m)
{
	return strcmp(m->settings.backend, "realexec") != 0;
}

#endif
