/* What run.c and exec.c share with container.c. */
#ifndef REALEXEC_CONTAINER_H
#define REALEXEC_CONTAINER_H

#include <sys/types.h>
#include <jansson.h>

#include "realexec/realexec.h"
#include "realexec/state.h"

/* realexec_create with, when console_fd >= 0, a socket of the caller's
 * own that receives the pty master (foreground run with a terminal). The
 * container created goes to *c (rx_container_free), so `run` starts and
 * deletes it without reading back the state it just wrote. */
int rx_create(const struct realexec_create_opts *o, int console_fd, struct rx_container *c,
	      mr_error **err);

/* A child as fork() makes one (no shared memory, SIGCHLD at exit), in new
 * namespaces (flags) and, with cgroup_fd >= 0, born in that v2 cgroup
 * (clone3's CLONE_INTO_CGROUP). */
pid_t rx_clone_child(int flags, int cgroup_fd);

/* realexec_start and `delete --force` of a container in memory. */
int rx_start(const struct rx_container *c, const struct mr_logger *log, mr_error **err);
int rx_delete_forced(struct rx_container *c, const struct mr_logger *log, mr_error **err);

/* LISTEN_FDS (meant for us: LISTEN_PID is our pid) then --preserve-fds:
 * all must be open, and are passed on as fds 3, 4, ... */
int rx_count_passed_fds(unsigned preserve, unsigned *listen, unsigned *keep, mr_error **err);

/* Closed stdio would let our own fds take numbers 0-2 and reach the
 * container as its stdio: /dev/null takes their place. */
void rx_ensure_stdio(void);

/* --pidfd-socket: a pidfd of pid sent over the unix socket at path,
 * framed as the console socket is (SCM_RIGHTS, the fd named name: runc
 * names the init's "standard", an exec's "setns"). */
int rx_send_pidfd(const char *path, pid_t pid, const char *name, mr_error **err);

/* runc's pid file: decimal, no newline, renamed over the old file. */
int rx_write_pid_file(const char *path, pid_t pid, mr_error **err);

/* Receives a seccomp notify listener from the sync socket and hands it to
 * linux.seccomp.listenerPath with the container process state. */
int rx_forward_listener(int sync_fd, json_t *seccomp, const char *id, const char *status, pid_t pid,
			const char *bundle, json_t *annotations, mr_error **err);

#endif
