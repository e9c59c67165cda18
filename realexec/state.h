/* A container on disk: <root>/<id>/state.json (written atomically) and,
 * while created, <root>/<id>/exec.fifo. The status is never stored: it is
 * read off the init process, the cgroup freezer and the fifo each time,
 * as runc does. */
#ifndef REALEXEC_STATE_H
#define REALEXEC_STATE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <jansson.h>

#include "common/error.h"
#include "realexec/cgroups.h"

#define RX_STATE_FILE "state.json"
#define RX_FIFO_FILE "exec.fifo"

struct rx_container {
	char *dir;                   /* <root>/<id> */
	char *id;
	pid_t pid;                   /* host pid of the init */
	unsigned long long start;    /* its start time (clock ticks after boot) */
	char *bundle, *rootfs;
	int64_t created_ns;
	bool own_pidns;              /* a new pid namespace: killing init kills all */
	json_t *config;              /* the config.json it was created from */
	struct rx_cgroups cgroups;
};

/* <root>/<id> after checking the id. */
int rx_container_dir(const char *root, const char *id, char **dir, mr_error **err);

/* "container does not exist" when there is no state. */
int rx_container_load(const char *root, const char *id, struct rx_container *c, mr_error **err);
int rx_container_save(const struct rx_container *c, mr_error **err);
void rx_container_free(struct rx_container *c);

enum rx_status { RX_CREATED, RX_RUNNING, RX_PAUSED, RX_STOPPED };
enum rx_status rx_container_status(const struct rx_container *c);
const char *rx_status_name(enum rx_status st);

/* The start time of a live process (not a zombie), 0 when there is none. */
unsigned long long rx_proc_start_time(pid_t pid);

/* The runtime-spec state a hook reads on stdin. */
char *rx_hook_state(const char *id, const char *status, pid_t pid, const char *bundle,
		    json_t *annotations);

#endif
