#include "realexec/init.h"
#include "realexec/lsm.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/file.h"
#include "common/json.h"
#include "realexec/capabilities.h"
#include "realexec/cgroups.h"
#include "realexec/mounts.h"
#include "realexec/namespaces.h"
#include "realexec/process.h"
#include "realexec/rootfs.h"
#include "realexec/seccomp.h"
#include "realexec/spec.h"
#include "realexec/state.h"
#include "realexec/sync.h"
#include "realexec/terminal.h"

/* Errors before exec.fifo go to the runtime, which prints them; the
 * prefix says where they happened, as runc's do. */
__attribute__((noreturn)) static void fail(int sync_fd, mr_error *err, bool during_init)
{
	char *msg = NULL;

	if (asprintf(&msg, "%s%s", during_init ? "error during container init: " : "",
		     err != NULL ? err->msg : "unknown error") < 0)
		msg = NULL;
	if (msg != NULL)
		rx_sync_send(sync_fd, RX_SYNC_ERROR, msg, strlen(msg));
	_exit(1);
}

char *rx_init_expect(int sync_fd, enum rx_sync_type want)
{
	enum rx_sync_type type;
	char *data = NULL;
	mr_error *err = NULL;

	if (rx_sync_recv(sync_fd, &type, &data, NULL, &err) < 0 || type != want)
		_exit(1);
	if (data == NULL && (data = strdup("")) == NULL)
		_exit(1);
	return data;
}

/* Only what the init needs stays open: stdio, the fds passed on, and
 * its own; the runtime's other fds (a database, a log, an engine's
 * sockets) must not live on in the container. */
static void close_other_fds(const struct rx_init_args *a)
{
	int keep[4] = { a->sync_fd, a->fifo_fd, a->proc_fd, a->console_fd };

	rx_process_close_fds_except(3 + a->keep_fds, keep, 4);
}

static int set_names(const struct rx_spec *s, mr_error **err)
{
	if (s->hostname != NULL && *s->hostname != '\0' &&
	    sethostname(s->hostname, strlen(s->hostname)) < 0)
		return mr_error_set(err, errno, "sethostname");
	if (s->domainname != NULL && *s->domainname != '\0' &&
	    setdomainname(s->domainname, strlen(s->domainname)) < 0)
		return mr_error_set(err, errno, "setdomainname");
	return 0;
}

static int write_sysctls(const struct rx_spec *s, mr_error **err)
{
	const char *key;
	json_t *value;

	json_object_foreach(s->sysctl, key, value) {
		cleanup_free char *path = NULL;
		cleanup_close int fd = -1;
		const char *v = json_string_value(value);
		if (v == NULL || strstr(key, "..") != NULL || asprintf(&path, "/proc/sys/%s", key) < 0)
			return mr_error_set(err, 0, "invalid sysctl %s", key);
		for (char *p = path + strlen("/proc/sys/"); *p != '\0'; p++)
			if (*p == '.')
				*p = '/';
		fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd < 0 || mr_write_all(fd, v, strlen(v)) < 0)
			return mr_error_set(err, errno, "write sysctl %s", key);
	}
	return 0;
}

int rx_init_load_seccomp(int sync_fd, struct realexec_seccomp *seccomp, mr_error **err)
{
	int notify_fd = -1;

	if (realexec_seccomp_load(seccomp, &notify_fd, err) < 0)
		return -1;
	if (notify_fd < 0)
		return 0;
	if (rx_sync_send(sync_fd, RX_SYNC_SECCOMP, NULL, 0) < 0 ||
	    rx_send_fd(sync_fd, notify_fd, "seccomp", err) < 0) {
		close(notify_fd);
		return mr_error_set(err, errno, "send seccomp listener");
	}
	close(notify_fd);
	free(rx_init_expect(sync_fd, RX_SYNC_ACK));
	return 0;
}

/* Blocks until `start` opens exec.fifo, runs the startContainer hooks and
 * answers "0", or the hook's error for `start` to report. */
static int wait_for_start(const struct rx_init_args *a, pid_t host_pid, mr_error **err)
{
	char path[64];
	cleanup_close int fd = -1;
	cleanup_free char *state = NULL;
	cleanup_error mr_error *herr = NULL;

	snprintf(path, sizeof path, "self/fd/%d", a->fifo_fd);
	do
		fd = openat(a->proc_fd, path, O_WRONLY | O_CLOEXEC);
	while (fd < 0 && errno == EINTR);
	if (fd < 0)
		return mr_error_set(err, errno, "open exec fifo");
	state = rx_hook_state(a->id, "created", host_pid, a->bundle, a->spec->annotations);
	if (state != NULL && rx_hooks_run(&a->spec->hooks[RX_HOOK_START_CONTAINER], state, &herr) < 0) {
		cleanup_free char *msg = NULL;
		if (asprintf(&msg, "1%s", herr->msg) >= 0)
			mr_write_all(fd, msg, strlen(msg));
		return mr_error_set(err, 0, "%s", herr->msg);
	}
	if (mr_write_all(fd, "0", 1) < 0)
		return mr_error_set(err, errno, "write exec fifo");
	return 0;
}

/* The container's init from its session on: the rootfs, the process,
 * READY, then exec.fifo and the user program. host_pid is its pid on
 * the host (for the hooks' state). */
__attribute__((noreturn)) static void container_init(const struct rx_init_args *a, pid_t host_pid)
{
	const struct rx_spec *s = a->spec;
	cleanup_free char *state = NULL;
	cleanup_free char *exe = NULL;
	char **env;
	mr_error *err = NULL;
	bool mountns = rx_spec_ns(s, CLONE_NEWNS) != NULL;

	/* A session of its own, as runc's init: the terminal, if any,
	 * becomes its controlling terminal. */
	if (setsid() < 0) {
		mr_error_set(&err, errno, "setsid");
		fail(a->sync_fd, err, true);
	}
	if (!a->no_new_keyring && (rx_lsm_set_keycreate(a->lsm->selinux_label, NULL, &err) < 0 ||
				   rx_process_join_keyring(a->id, &err) < 0))
		fail(a->sync_fd, err, true);

	/* The rootfs, up to where the hooks get their turn. */
	if (mountns && rx_rootfs_prepare(s, a->cgroups, &err) < 0)
		fail(a->sync_fd, err, true);
	if (mountns) {
		cleanup_close int root = open(s->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
		cleanup_close int cwd = -1;
		if (root < 0 || rx_open_in_root(root, s->cwd, true, false, &cwd, &err) < 0)
			fail(a->sync_fd, err, true);
	}
	rx_sync_send(a->sync_fd, RX_SYNC_HOOKS, NULL, 0);
	state = rx_init_expect(a->sync_fd, RX_SYNC_ACK);
	if (chdir(s->rootfs) < 0) {
		mr_error_set(&err, errno, "chdir %s", s->rootfs);
		fail(a->sync_fd, err, true);
	}
	if (rx_hooks_run(&s->hooks[RX_HOOK_CREATE_CONTAINER], state, &err) < 0)
		fail(a->sync_fd, err, true);
	if (rx_rootfs_enter(s, a->no_pivot, &err) < 0)
		fail(a->sync_fd, err, true);
	if (a->console_fd >= 0) {
		if (rx_terminal_setup(a->console_fd, s->console_height, s->console_width, true, &err) < 0)
			fail(a->sync_fd, err, true);
		close(a->console_fd);
	}
	if (rx_rootfs_finalize(s, &err) < 0 || set_names(s, &err) < 0 ||
	    rx_lsm_apply_apparmor(a->lsm->apparmor_profile, NULL, &err) < 0 || write_sysctls(s, &err) < 0 ||
	    rx_rootfs_protect(s, &err) < 0)
		fail(a->sync_fd, err, true);

	/* The process: privileges, then the user switch. Without
	 * no_new_privs, loading a filter needs CAP_SYS_ADMIN, which the
	 * user switch may drop: seccomp goes first then, as in runc; and
	 * a notify listener must reach the runtime while it still listens. */
	if (rx_process_priorities(s, &err) < 0)
		fail(a->sync_fd, err, true);
	if (s->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		mr_error_set(&err, errno, "set no_new_privs");
		fail(a->sync_fd, err, true);
	}
	if ((!s->no_new_privs || realexec_seccomp_uses_notify(a->seccomp)) &&
	    rx_init_load_seccomp(a->sync_fd, a->seccomp, &err) < 0)
		fail(a->sync_fd, err, true);
	umask(s->has_umask ? s->umask : 0022);
	rx_process_fix_stdio(s);
	if (realexec_caps_apply_before_user(a->caps, &err) < 0 || rx_process_set_user(s, &err) < 0 ||
	    realexec_caps_apply_after_user(a->caps, &err) < 0)
		fail(a->sync_fd, err, true);
	if (chdir(s->cwd) < 0) {
		mr_error_set(&err, errno, "chdir to cwd (\"%s\") set in config.json failed", s->cwd);
		fail(a->sync_fd, err, true);
	}
	if (rx_process_lookpath(s, &exe, &err) < 0)
		fail(a->sync_fd, err, false);
	env = rx_process_env(s, a->listen_fds);
	if (env == NULL)
		fail(a->sync_fd, NULL, true);

	prctl(PR_SET_PDEATHSIG, 0);
	rx_sync_send(a->sync_fd, RX_SYNC_READY, NULL, 0);
	close(a->sync_fd);

	/* From here the runtime is gone: errors can only go to the
	 * container's own stderr. */
	if (wait_for_start(a, host_pid, &err) < 0 ||
	    rx_lsm_apply_selinux(a->lsm->selinux_label, NULL, &err) < 0 ||
	    (s->no_new_privs && !realexec_seccomp_uses_notify(a->seccomp) &&
	     realexec_seccomp_load(a->seccomp, NULL, &err) < 0) ||
	    rx_process_close_fds(a->keep_fds, &err) < 0) {
		dprintf(2, "mockrunc init: %s\n", err->msg);
		_exit(1);
	}
	execve(exe, s->args, env);
	dprintf(2, "mockrunc init: exec %s: %s\n", exe, mr_strerror(errno));
	_exit(127);
}

/* Stage 2: pid 1 of the container (when it has its own pid namespace). */
__attribute__((noreturn)) static void stage2(const struct rx_init_args *a)
{
	cleanup_free char *go = rx_init_expect(a->sync_fd, RX_SYNC_GO);

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	container_init(a, (pid_t)atoi(go));
}

/* What the init's first process does before anything else, in the host's
 * namespaces still or in fresh ones, with every privilege: leave the
 * runtime's signal handlers and fds behind, join its cgroups when it was
 * asked to (a process moving itself into a v1 cgroup costs the kernel
 * no wait), then take its limits. */
static void first_steps(const struct rx_init_args *a, char **go)
{
	const struct rx_spec *s = a->spec;
	mr_error *err = NULL;

	rx_process_reset_signals();
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	close_other_fds(a);
	if (a->join_cgroups_v1 && rx_cgroups_join_self_v1(a->cgroups, NULL, &err) < 0) {
		mr_error_wrap(&err, "unable to apply cgroup configuration");
		fail(a->sync_fd, err, false);
	}
	*go = rx_init_expect(a->sync_fd, RX_SYNC_GO);
	if (rx_process_oom_score_adj(s, &err) < 0 || rx_process_rlimits(s, &err) < 0)
		fail(a->sync_fd, err, false);
}

void rx_init_single(const struct rx_init_args *a)
{
	cleanup_free char *go = NULL;
	mr_error *err = NULL;

	first_steps(a, &go);
	/* The cgroup namespace is made here, not at clone time: its root is
	 * the cgroup its maker is in, which must be the container's. */
	if (rx_spec_new_ns(a->spec, CLONE_NEWCGROUP) && unshare(CLONE_NEWCGROUP) < 0) {
		mr_error_set(&err, errno, "unshare namespaces");
		fail(a->sync_fd, err, true);
	}
	container_init(a, (pid_t)atoi(go));
}

void rx_init_stage1(const struct rx_init_args *a)
{
	const struct rx_spec *s = a->spec;
	cleanup_free char *go = NULL;
	mr_error *err = NULL;
	char buf[32];
	pid_t pid;
	int flags;

	first_steps(a, &go);
	if (rx_ns_join_all(s, &err) < 0)
		fail(a->sync_fd, err, true);
	if (rx_spec_new_ns(s, CLONE_NEWUSER)) {
		if (unshare(CLONE_NEWUSER) < 0) {
			mr_error_set(&err, errno, "unshare user namespace");
			fail(a->sync_fd, err, true);
		}
		/* Only the runtime, outside, may write our id maps. */
		rx_sync_send(a->sync_fd, RX_SYNC_USERMAP, NULL, 0);
		free(rx_init_expect(a->sync_fd, RX_SYNC_ACK));
	}
	if (rx_spec_ns(s, CLONE_NEWUSER) != NULL &&
	    (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)) {
		mr_error_set(&err, errno, "failed to become root in user namespace");
		fail(a->sync_fd, err, true);
	}
	flags = rx_ns_new_flags(s);
	if (flags != 0 && unshare(flags) < 0) {
		mr_error_set(&err, errno, "unshare namespaces");
		fail(a->sync_fd, err, true);
	}
	if (rx_spec_new_ns(s, CLONE_NEWTIME) && rx_ns_write_time_offsets(s, &err) < 0)
		fail(a->sync_fd, err, true);

	pid = (pid_t)syscall(SYS_clone, CLONE_PARENT | SIGCHLD, NULL, NULL, NULL, 0);
	if (pid < 0) {
		mr_error_set(&err, errno, "clone init");
		fail(a->sync_fd, err, true);
	}
	if (pid == 0)
		stage2(a);
	snprintf(buf, sizeof buf, "%d", (int)pid);
	rx_sync_send(a->sync_fd, RX_SYNC_PID, buf, strlen(buf));
	_exit(0);
}
