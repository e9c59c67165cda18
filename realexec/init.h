/* The container init: the process forked by the runtime that becomes the
 * user program. Usually it is one process: the runtime clones it with
 * the new namespaces (rx_init_single). When namespaces must be joined
 * first, or a user or time namespace made (both only reach children),
 * it runs in two stages. Stage 1 (the runtime's child) joins and creates
 * namespaces; a new pid namespace only holds children, so stage 1 forks
 * stage 2 with CLONE_PARENT — a direct child of the runtime, pid 1 of the
 * new namespace — and exits. Either way the init then builds the rootfs
 * and the process, reports ready, and blocks on exec.fifo until `start`.
 * Every step talks to the runtime over the sync socket; nothing here
 * returns. */
#ifndef REALEXEC_INIT_H
#define REALEXEC_INIT_H

#include <stdbool.h>
#include <sys/types.h>

#include "common/error.h"
#include "realexec/sync.h"

struct rx_spec;
struct rx_cgroups;
struct realexec_caps;
struct realexec_seccomp;
struct rx_lsm;

struct rx_init_args {
	const struct rx_spec *spec;
	const struct rx_cgroups *cgroups;
	const struct realexec_caps *caps;
	struct realexec_seccomp *seccomp;
	const struct rx_lsm *lsm;
	const char *id;
	const char *bundle;
	int sync_fd;          /* the init's end of the sync socket */
	int fifo_fd;          /* O_PATH to <state dir>/exec.fifo */
	int proc_fd;          /* the host's /proc, to reopen the fifo by */
	int console_fd;       /* connected console socket, or -1 */
	bool no_pivot;
	bool no_new_keyring;
	unsigned listen_fds;  /* LISTEN_FDS passed on */
	unsigned keep_fds;    /* fds 3..3+keep_fds-1 reach the process */
	bool join_cgroups_v1; /* the first process moves itself into the v1
	                         cgroups (it was cloned into the v2 one) */
};

/* The first process: the runtime sends GO (with the init's host pid in
 * single mode) once the process is in its cgroups, or right away when it
 * joins them itself. */
__attribute__((noreturn)) void rx_init_single(const struct rx_init_args *a);
__attribute__((noreturn)) void rx_init_stage1(const struct rx_init_args *a);

/* Shared with exec.c's process, which talks to the runtime the same way:
 * waits for one message of the expected type (anything else ends the
 * process) and returns its payload ("" when empty)... */
char *rx_init_expect(int sync_fd, enum rx_sync_type want);

/* ...and loads the seccomp filter, handing a notify listener to the
 * runtime (which passes it to linux.seccomp.listenerPath). */
int rx_init_load_seccomp(int sync_fd, struct realexec_seccomp *seccomp, mr_error **err);

#endif
