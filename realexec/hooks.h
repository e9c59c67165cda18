/* OCI hooks: each runs with the container state JSON on its stdin, its
 * stdout and stderr captured for the error message, and a timeout. */
#ifndef REALEXEC_HOOKS_H
#define REALEXEC_HOOKS_H

#include <stddef.h>
#include <jansson.h>

#include "common/error.h"
#include "common/log.h"

enum rx_hook_kind {
	RX_HOOK_PRESTART,
	RX_HOOK_CREATE_RUNTIME,
	RX_HOOK_CREATE_CONTAINER,
	RX_HOOK_START_CONTAINER,
	RX_HOOK_POSTSTART,
	RX_HOOK_POSTSTOP,
	RX_HOOK_KINDS,
};

struct rx_hook {
	char *path;
	char **args;   /* NULL-terminated; NULL: argv is just the path */
	char **env;    /* NULL-terminated; NULL: the runtime's environment */
	int timeout;   /* seconds, 0 for none */
};

struct rx_hook_list {
	struct rx_hook *v;
	size_t n;
};

/* The config name of a kind ("createRuntime"). */
const char *rx_hook_kind_name(enum rx_hook_kind kind);

/* Parses config.hooks (NULL or an object) into one list per kind. */
int rx_hooks_parse(json_t *hooks, struct rx_hook_list lists[RX_HOOK_KINDS], mr_error **err);
void rx_hooks_free(struct rx_hook_list lists[RX_HOOK_KINDS]);

/* Runs the hooks in order and stops at the first failure. */
int rx_hooks_run(const struct rx_hook_list *list, const char *state_json, mr_error **err);

/* Runs every hook; a failure is logged as a warning and the rest still
 * run (poststart, poststop). */
void rx_hooks_run_warn(const struct rx_hook_list *list, enum rx_hook_kind kind,
		       const char *state_json, const struct mr_logger *log);

#endif
