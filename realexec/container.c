/* The runtime's side of the lifecycle: create, start, kill, delete, run. */
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/sched.h>

#include "common/cleanup.h"
#include "common/clock.h"
#include "common/file.h"
#include "common/json.h"
#include "realexec/capabilities.h"
#include "realexec/cgroups.h"
#include "realexec/init.h"
#include "realexec/lsm.h"
#include "realexec/mounts.h"
#include "realexec/namespaces.h"
#include "realexec/resources.h"
#include "realexec/realexec.h"
#include "realexec/seccomp.h"
#include "realexec/spec.h"
#include "realexec/state.h"
#include "realexec/sync.h"
#include "realexec/terminal.h"

#include "realexec/container.h"

#define START_FAILED "unable to start container process"

/* Everything a create holds until it succeeds or is undone. */
struct creation {
	struct rx_spec spec;
	struct rx_container c;
	struct realexec_caps *caps;
	struct realexec_seccomp *seccomp;
	struct rx_lsm lsm;
	bool dir_made;
	pid_t stage1, init;
	int sync_fd, child_fd, fifo_fd, proc_fd, console_fd;
};

/* Removes a state directory and what it holds (one level: the state
 * file, the fifo, leftover temporaries). */
static int remove_state_dir(const char *dir, mr_error **err)
{
	cleanup_dir DIR *d = opendir(dir);
	struct dirent *e;

	if (d == NULL)
		return errno == ENOENT ? 0 : mr_error_set(err, errno, "remove %s", dir);
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			unlinkat(dirfd(d), e->d_name, 0);
	}
	if (rmdir(dir) < 0 && errno != ENOENT)
		return mr_error_set(err, errno, "remove %s", dir);
	return 0;
}

static void creation_undo(struct creation *cr)
{
	cleanup_error mr_error *ignored = NULL;

	if (cr->stage1 > 0) {
		kill(cr->stage1, SIGKILL);
		waitpid(cr->stage1, NULL, 0);
	}
	if (cr->init > 0) {
		kill(cr->init, SIGKILL);
		waitpid(cr->init, NULL, 0);
	}
	if (cr->c.cgroups.n > 0)
		rx_cgroups_destroy(&cr->c.cgroups, &ignored);
	if (cr->dir_made)
		remove_state_dir(cr->c.dir, &ignored);
}

static void creation_free(struct creation *cr)
{
	int fds[] = { cr->sync_fd, cr->child_fd, cr->fifo_fd, cr->proc_fd, cr->console_fd };

	for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	realexec_caps_free(cr->caps);
	realexec_seccomp_free(cr->seccomp);
	rx_lsm_free(&cr->lsm);
	rx_spec_free(&cr->spec);
	rx_container_free(&cr->c);
}

int rx_count_passed_fds(unsigned preserve, unsigned *listen, unsigned *keep, mr_error **err)
{
	const char *lf = getenv("LISTEN_FDS"), *lp = getenv("LISTEN_PID");

	*listen = 0;
	if (lf != NULL && lp != NULL && atoi(lp) == (int)getpid() && atoi(lf) > 0)
		*listen = (unsigned)atoi(lf);
	*keep = *listen + preserve;
	for (unsigned i = 0; i < preserve; i++)
		if (fcntl((int)(3 + *listen + i), F_GETFD) < 0)
			return mr_error_set(err, errno, "unable to stat preserved-fd %u (of %u)", i, preserve);
	return 0;
}

void rx_ensure_stdio(void)
{
	for (int fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0) {
			int n = open("/dev/null", O_RDWR);
			if (n >= 0 && n != fd) {
				dup2(n, fd);
				close(n);
			}
		}
}

/* The host uid/gid the container's root maps to (for the fifo). */
static uint32_t host_id_of_root(const struct rx_idmap *m, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (m[i].container_id == 0)
			return m[i].host_id;
	return 0;
}

/* The state directory: mkdir of <root>/<id> alone in the common case
 * (the root exists), the whole path otherwise. */
static int make_container_dir(const char *root, const char *dir, mr_error **err)
{
	if (mkdir(dir, 0711) == 0)
		return 0;
	if (errno == EEXIST)
		return mr_error_set(err, 0, "container with given ID already exists");
	if (errno != ENOENT && errno != ENOTDIR)
		return mr_error_set(err, errno, "mkdir %s", dir);
	if (mr_mkdir_all(root, 0711, err) < 0)
		return -1;
	if (mkdir(dir, 0711) < 0) {
		if (errno == EEXIST)
			return mr_error_set(err, 0, "container with given ID already exists");
		return mr_error_set(err, errno, "mkdir %s", dir);
	}
	return 0;
}

static int make_state_dir(struct creation *cr, const char *root, mr_error **err)
{
	cleanup_free char *fifo = NULL;

	if (make_container_dir(root, cr->c.dir, err) < 0)
		return -1;
	cr->dir_made = true;
	fifo = mr_path_join(cr->c.dir, RX_FIFO_FILE);
	if (fifo == NULL)
		return mr_error_set(err, ENOMEM, "exec fifo");
	if (mkfifo(fifo, 0622) < 0)
		return mr_error_set(err, errno, "mkfifo %s", fifo);
	if (chmod(fifo, 0622) < 0 ||
	    chown(fifo, host_id_of_root(cr->spec.uid_maps, cr->spec.nuid_maps),
		  host_id_of_root(cr->spec.gid_maps, cr->spec.ngid_maps)) < 0)
		return mr_error_set(err, errno, "chown %s", fifo);
	cr->fifo_fd = open(fifo, O_PATH | O_CLOEXEC);
	if (cr->fifo_fd < 0)
		return mr_error_set(err, errno, "open %s", fifo);
	return 0;
}

/* The init has its rootfs and device nodes: the cgroup limits are written
 * now (the device rules would have stopped its mknod), then the prestart
 * and createRuntime hooks run, and the init gets the state for its
 * createContainer hooks. */
static int runtime_hooks(struct creation *cr, const struct mr_logger *log, mr_error **err)
{
	cleanup_free char *state = NULL;
	struct rx_resources_opts ro = { .default_devices = true,
					.linux_devices = mr_json_path(cr->spec.json, "linux.devices"),
					.log = log };

	if (rx_resources_apply(&cr->c.cgroups, cr->spec.resources, &ro, err) < 0)
		return mr_error_wrap(err, START_FAILED ": error setting cgroup config for procHooks process");
	state = rx_hook_state(cr->c.id, "creating", cr->init, cr->c.bundle, cr->spec.annotations);
	if (state == NULL)
		return mr_error_set(err, ENOMEM, "hooks");
	if (rx_hooks_run(&cr->spec.hooks[RX_HOOK_PRESTART], state, err) < 0 ||
	    rx_hooks_run(&cr->spec.hooks[RX_HOOK_CREATE_RUNTIME], state, err) < 0)
		return mr_error_wrap(err, START_FAILED ": error during container init");
	if (rx_sync_send(cr->sync_fd, RX_SYNC_ACK, state, strlen(state)) < 0)
		return mr_error_set(err, errno, START_FAILED ": sync with init");
	return 0;
}

int rx_forward_listener(int sync_fd, json_t *seccomp, const char *id, const char *status, pid_t pid,
			const char *bundle, json_t *annotations, mr_error **err)
{
	cleanup_close int fd = -1;
	cleanup_free char *state = NULL;
	cleanup_free char *text = NULL;
	cleanup_json json_t *proc = NULL;
	const char *meta = mr_json_str(seccomp, "listenerMetadata");

	if (rx_recv_fd(sync_fd, &fd, err) < 0)
		return -1;
	state = rx_hook_state(id, status, pid, bundle, annotations);
	proc = state != NULL ? json_pack("{s:s, s:[s], s:i, s:s, s:o}", "ociVersion", REALEXEC_OCI_VERSION,
					 "fds", "seccompFd", "pid", (int)pid,
					 "metadata", meta != NULL ? meta : "",
					 "state", json_loads(state, 0, NULL)) : NULL;
	text = proc != NULL ? mr_json_dump(proc, false) : NULL;
	if (text == NULL)
		return mr_error_set(err, ENOMEM, "seccomp");
	return realexec_seccomp_send_listener(mr_json_str(seccomp, "listenerPath"), fd, text, err);
}

/* Answers the init until it is ready (or failed). */
static int converse(struct creation *cr, const struct mr_logger *log, mr_error **err)
{
	for (;;) {
		cleanup_free char *data = NULL;
		enum rx_sync_type type;
		char buf[32];

		if (rx_sync_recv(cr->sync_fd, &type, &data, NULL, err) < 0)
			return mr_error_wrap(err, START_FAILED);
		switch (type) {
		case RX_SYNC_USERMAP:
			if (rx_ns_write_idmaps(cr->stage1, &cr->spec, err) < 0)
				return mr_error_wrap(err, START_FAILED);
			rx_sync_send(cr->sync_fd, RX_SYNC_ACK, NULL, 0);
			break;
		case RX_SYNC_PID:
			cr->init = (pid_t)atoi(data != NULL ? data : "0");
			waitpid(cr->stage1, NULL, 0);
			cr->stage1 = 0;
			snprintf(buf, sizeof buf, "%d", (int)cr->init);
			rx_sync_send(cr->sync_fd, RX_SYNC_GO, buf, strlen(buf));
			break;
		case RX_SYNC_HOOKS:
			if (runtime_hooks(cr, log, err) < 0)
				return -1;
			break;
		case RX_SYNC_SECCOMP:
			if (rx_forward_listener(cr->sync_fd, cr->spec.seccomp, cr->c.id, "creating", cr->init,
						cr->c.bundle, cr->spec.annotations, err) < 0)
				return mr_error_wrap(err, START_FAILED);
			rx_sync_send(cr->sync_fd, RX_SYNC_ACK, NULL, 0);
			break;
		case RX_SYNC_READY:
			return 0;
		case RX_SYNC_ERROR:
			return mr_error_set(err, 0, START_FAILED ": %s", data != NULL ? data : "");
		default:
			return mr_error_set(err, 0, START_FAILED ": container init exited unexpectedly");
		}
	}
}

int rx_send_pidfd(const char *path, pid_t pid, const char *name, mr_error **err)
{
	cleanup_close int sock = -1;
	cleanup_close int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);

	if (pidfd < 0)
		return mr_error_set(err, errno, "pidfd_open");
	if (rx_console_connect(path, &sock, err) < 0)
		return -1;
	return rx_send_fd(sock, pidfd, name, err);
}

int rx_write_pid_file(const char *path, pid_t pid, mr_error **err)
{
	char buf[32];
	int len = snprintf(buf, sizeof buf, "%d", (int)pid);

	return mr_write_file_atomic(path, buf, (size_t)len, 0644, err);
}

static int check_terminal(const struct rx_spec *s, bool has_socket, mr_error **err)
{
	if (s->terminal && !has_socket)
		return mr_error_set(err, 0, "cannot allocate tty if runc will detach without setting console socket");
	if (!s->terminal && has_socket)
		return mr_error_set(err, 0, "cannot use console socket if runc will not detach or allocate tty");
	return 0;
}

/* The init is one process, cloned with the new namespaces, unless it
 * must join namespaces first or make a user or time namespace (which only
 * its children would be in): then stage 1 does that and forks stage 2. */
static bool single_process(const struct rx_spec *s)
{
	for (size_t i = 0; i < s->nns; i++)
		if (s->ns[i].path != NULL)
			return false;
	return rx_spec_ns(s, CLONE_NEWUSER) == NULL && !rx_spec_new_ns(s, CLONE_NEWTIME);
}

pid_t rx_clone_child(int flags, int cgroup_fd)
{
	struct clone_args ca = { .flags = (uint64_t)flags, .exit_signal = SIGCHLD };

	if (cgroup_fd >= 0) {
		ca.flags |= CLONE_INTO_CGROUP;
		ca.cgroup = (uint64_t)cgroup_fd;
		return (pid_t)syscall(SYS_clone3, &ca, sizeof ca);
	}
	if (flags == 0)
		return fork();
	return (pid_t)syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, 0);
}

/* Starts the init's first process in the container's cgroups and lets it
 * go. Writing a pid to cgroup.procs makes the kernel wait for an RCU
 * grace period (rx_cgroups_add_pid), often longer than everything else
 * create does, so the process is cloned into the v2 cgroup and moves
 * itself into the v1 ones. What the kernel refuses there (no clone3, a v2
 * cgroup that takes no process) is done the old way, which also gives
 * the error runc would; a clone with namespaces that fails falls back to
 * the two stages, whose unshare() then reports the reason. */
static int start_init(struct creation *cr, struct rx_init_args *args, mr_error **err)
{
	struct attempt {
		bool single, into_cgroup;
	} attempts[3];
	size_t n = 0;
	cleanup_close int v2 = -1;
	pid_t pid = -1;
	bool single = single_process(&cr->spec), has_v2;
	char buf[32];

	if (rx_cgroups_make(&cr->c.cgroups, err) < 0)
		return mr_error_wrap(err, START_FAILED);
	has_v2 = rx_cgroups_has_v2(&cr->c.cgroups);
	if (has_v2)
		v2 = rx_cgroups_open_v2(&cr->c.cgroups, NULL);
	if (v2 >= 0 || !has_v2)
		attempts[n++] = (struct attempt){ single, true };
	attempts[n++] = (struct attempt){ single, false };
	if (single)
		attempts[n++] = (struct attempt){ false, false };
	for (size_t i = 0; i < n && pid < 0; i++) {
		int flags = attempts[i].single ? rx_ns_new_flags(&cr->spec) & ~CLONE_NEWCGROUP : 0;

		single = attempts[i].single;
		args->join_cgroups_v1 = attempts[i].into_cgroup;
		pid = rx_clone_child(flags, attempts[i].into_cgroup ? v2 : -1);
	}
	if (pid < 0)
		return mr_error_set(err, errno, START_FAILED ": fork");
	if (pid == 0) {
		close(cr->sync_fd);
		if (single)
			rx_init_single(args);
		rx_init_stage1(args);
	}
	if (single)
		cr->init = pid;
	else
		cr->stage1 = pid;
	close(cr->child_fd);
	cr->child_fd = -1;
	if (!args->join_cgroups_v1 && rx_cgroups_add_pid(&cr->c.cgroups, pid, err) < 0)
		return mr_error_wrap(err, START_FAILED);
	/* The init learns its host pid (for the hooks' state) with GO. */
	snprintf(buf, sizeof buf, "%d", (int)pid);
	rx_sync_send(cr->sync_fd, RX_SYNC_GO, single ? buf : NULL, single ? strlen(buf) : 0);
	return 0;
}

/* create; console_fd, when >= 0, is a socket run() reads the pty from.
 * The created container goes to *out (the caller frees it). */
int rx_create(const struct realexec_create_opts *o, int console_fd, struct rx_container *out,
	      mr_error **err)
{
	struct creation cr = { .sync_fd = -1, .child_fd = -1, .fifo_fd = -1, .proc_fd = -1,
			       .console_fd = console_fd };
	cleanup_free char *mountinfo = NULL;
	const char *seccomp_cache = realexec_seccomp_cache_dir();
	struct rx_init_args args;
	struct rx_lsm_host lsm_host;
	unsigned listen = 0, keep = 0;
	int rc = -1;

	memset(out, 0, sizeof *out);
	if (rx_container_dir(o->root, o->id, &cr.c.dir, err) < 0)
		goto out;
	if (rx_spec_parse(o->config, o->bundle, &cr.spec, err) < 0 ||
	    check_terminal(&cr.spec, console_fd >= 0 || o->console_socket != NULL, err) < 0 ||
	    rx_count_passed_fds(o->preserve_fds, &listen, &keep, err) < 0)
		goto out;
	/* One read of the mount table for the LSM check and the cgroups. */
	mountinfo = rx_mountinfo_read();
	rx_lsm_detect_in(NULL, mountinfo, &lsm_host);
	if (realexec_caps_prepare(cr.spec.capabilities, cr.spec.oci_version, o->log, &cr.caps, err) < 0 ||
	    realexec_seccomp_prepare_cached(cr.spec.seccomp, seccomp_cache, NULL, o->log, &cr.seccomp,
					    err) < 0 ||
	    rx_lsm_prepare(json_object_get(o->config, "process"), json_object_get(o->config, "linux"),
			   &lsm_host, &cr.lsm, err) < 0)
		goto out;
	cr.c.id = strdup(o->id);
	cr.c.bundle = strdup(o->bundle);
	cr.c.rootfs = strdup(cr.spec.rootfs);
	cr.c.config = json_incref(o->config);
	cr.c.own_pidns = rx_spec_new_ns(&cr.spec, CLONE_NEWPID);
	if (cr.c.id == NULL || cr.c.bundle == NULL || cr.c.rootfs == NULL) {
		mr_error_set(err, ENOMEM, "create");
		goto out;
	}
	if (rx_cgroups_resolve_in(mountinfo, cr.spec.cgroups_path, o->id, o->systemd_cgroup,
				  &cr.c.cgroups, err) < 0 ||
	    rx_resources_check(cr.spec.resources, "linux.resources", &cr.c.cgroups, err) < 0)
		goto out;
	rx_ensure_stdio();
	if (make_state_dir(&cr, o->root, err) < 0)
		goto undo;
	if (o->console_socket != NULL && rx_console_connect(o->console_socket, &cr.console_fd, err) < 0)
		goto undo;
	cr.proc_fd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (cr.proc_fd < 0) {
		mr_error_set(err, errno, "open /proc");
		goto undo;
	}
	if (rx_sync_pair(&cr.sync_fd, &cr.child_fd, err) < 0)
		goto undo;
	args = (struct rx_init_args){
		.spec = &cr.spec, .cgroups = &cr.c.cgroups, .caps = cr.caps, .seccomp = cr.seccomp,
		.lsm = &cr.lsm,
		.id = o->id, .bundle = o->bundle, .sync_fd = cr.child_fd, .fifo_fd = cr.fifo_fd,
		.proc_fd = cr.proc_fd, .console_fd = cr.console_fd, .no_pivot = o->no_pivot,
		.no_new_keyring = o->no_new_keyring, .listen_fds = listen, .keep_fds = keep,
	};
	if (start_init(&cr, &args, err) < 0)
		goto undo;
	/* The init builds the container now; the runtime only answers it.
	 * The caller's work (recording the call) fits in here; whatever it
	 * opens comes after the fork, so the init never holds it. */
	if (o->while_busy != NULL)
		o->while_busy(o->while_busy_arg);
	if (converse(&cr, o->log, err) < 0)
		goto undo;

	cr.c.pid = cr.init;
	cr.c.start = rx_proc_start_time(cr.init);
	cr.c.created_ns = mr_now_ns();
	if (cr.c.start == 0) {
		mr_error_set(err, 0, START_FAILED ": container init exited unexpectedly");
		goto undo;
	}
	if (rx_container_save(&cr.c, err) < 0 ||
	    (o->pidfd_socket != NULL && rx_send_pidfd(o->pidfd_socket, cr.init, "standard", err) < 0) ||
	    (o->pid_file != NULL && rx_write_pid_file(o->pid_file, cr.init, err) < 0))
		goto undo;
	*out = cr.c;
	memset(&cr.c, 0, sizeof cr.c);
	cr.init = 0;
	rc = 0;
	goto out;
undo:
	creation_undo(&cr);
out:
	if (cr.console_fd == console_fd)
		cr.console_fd = -1;
	creation_free(&cr);
	return rc;
}

int realexec_create(const struct realexec_create_opts *o, pid_t *pid, mr_error **err)
{
	struct rx_container c;
	int rc = rx_create(o, -1, &c, err);

	*pid = c.pid;
	rx_container_free(&c);
	return rc;
}

/* start of a container in memory: loaded by `start`, or just created by
 * `run`, which has no need to read back the state it wrote. */
static int start_container(const struct rx_container *c, const struct mr_logger *log,
			   mr_error **err)
{
	cleanup_free char *fifo = NULL;
	cleanup_free char *state = NULL;
	cleanup_close int fd = -1;
	struct rx_hook_list hooks[RX_HOOK_KINDS] = { 0 };
	enum rx_status st;
	char buf[4096];
	ssize_t n = -1;
	int rc = -1;

	st = rx_container_status(c);
	if (st != RX_CREATED) {
		if (st == RX_STOPPED)
			mr_error_set(err, 0, "cannot start a container that has stopped");
		else if (st == RX_RUNNING)
			mr_error_set(err, 0, "cannot start an already running container");
		else
			mr_error_set(err, 0, "cannot start a container in the %s state", rx_status_name(st));
		goto out;
	}
	if (rx_hooks_parse(json_object_get(c->config, "hooks"), hooks, err) < 0)
		goto out;
	fifo = mr_path_join(c->dir, RX_FIFO_FILE);
	/* Opening for reading releases the init's blocked open(); it then
	 * runs the startContainer hooks and writes its answer. */
	fd = fifo != NULL ? open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC) : -1;
	if (fd < 0) {
		mr_error_set(err, errno, "open exec fifo");
		goto out;
	}
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int r = poll(&p, 1, 100);
		if (r < 0 && errno == EINTR)
			continue;
		if (r > 0) {
			n = read(fd, buf, sizeof buf - 1);
			break;
		}
		if (rx_proc_start_time(c->pid) != c->start)
			break;
	}
	if (n <= 0) {
		mr_error_set(err, 0, "exec fifo is empty: container init did not signal execve readiness");
		goto out;
	}
	buf[n] = '\0';
	unlink(fifo);
	if (buf[0] != '0') {
		mr_error_set(err, 0, "error running startContainer hook: %s", buf + 1);
		goto out;
	}
	state = rx_hook_state(c->id, "running", c->pid, c->bundle, json_object_get(c->config, "annotations"));
	if (state != NULL)
		rx_hooks_run_warn(&hooks[RX_HOOK_POSTSTART], RX_HOOK_POSTSTART, state, log);
	rc = 0;
out:
	rx_hooks_free(hooks);
	return rc;
}

int realexec_start(const char *root, const char *id, const struct mr_logger *log, mr_error **err)
{
	struct rx_container c;
	int rc = rx_container_load(root, id, &c, err) < 0 ? -1 : start_container(&c, log, err);

	rx_container_free(&c);
	return rc;
}

int rx_start(const struct rx_container *c, const struct mr_logger *log, mr_error **err)
{
	return start_container(c, log, err);
}

int realexec_kill(const char *root, const char *id, int sig, bool all, mr_error **err)
{
	struct rx_container c;
	enum rx_status st;
	int rc = 0;

	if (rx_container_load(root, id, &c, err) < 0) {
		rx_container_free(&c);
		return -1;
	}
	st = rx_container_status(&c);
	if (all) {
		/* Every process of the cgroup; a stopped container is no error. */
		rx_cgroups_signal_all(&c.cgroups, sig);
	} else if (st == RX_STOPPED) {
		rc = mr_error_set(err, 0, "container not running");
	} else {
		/* Without its own pid namespace, killing the init leaves the
		 * rest alive: SIGKILL goes to the whole cgroup, as runc does. */
		if (sig == SIGKILL && !c.own_pidns)
			rx_cgroups_signal_all(&c.cgroups, sig);
		if (kill(c.pid, sig) < 0)
			rc = errno == ESRCH ? mr_error_set(err, 0, "container not running")
					    : mr_error_set(err, errno, "unable to signal init");
	}
	rx_container_free(&c);
	return rc;
}

/* Up to 10 s for the init to be gone (reaped, or a zombie). A killed
 * process is usually gone within a millisecond: the checks start that
 * close together and space out to 100 ms. */
static bool wait_gone(const struct rx_container *c)
{
	long waited_us = 0, step_us = 250;

	while (rx_proc_start_time(c->pid) == c->start) {
		if (waited_us >= 10000000)
			return false;
		nanosleep(&(struct timespec){ 0, step_us * 1000 }, NULL);
		waited_us += step_us;
		if (step_us < 100000)
			step_us = step_us * 2 < 100000 ? step_us * 2 : 100000;
	}
	return true;
}

static int destroy(struct rx_container *c, const struct mr_logger *log, mr_error **err)
{
	struct rx_hook_list hooks[RX_HOOK_KINDS] = { 0 };
	cleanup_free char *state = NULL;
	cleanup_error mr_error *herr = NULL;

	if (!c->own_pidns)
		rx_cgroups_signal_all(&c->cgroups, SIGKILL);
	if (rx_cgroups_destroy(&c->cgroups, err) < 0 || remove_state_dir(c->dir, err) < 0)
		return -1;
	if (rx_hooks_parse(json_object_get(c->config, "hooks"), hooks, &herr) == 0) {
		state = rx_hook_state(c->id, "stopped", 0, c->bundle,
				      json_object_get(c->config, "annotations"));
		if (state != NULL)
			rx_hooks_run_warn(&hooks[RX_HOOK_POSTSTOP], RX_HOOK_POSTSTOP, state, log);
	}
	rx_hooks_free(hooks);
	return 0;
}

/* delete of a container in memory (loaded, or just run). */
static int delete_container(struct rx_container *c, bool force, const struct mr_logger *log,
			    mr_error **err)
{
	enum rx_status st = rx_container_status(c);

	if ((st == RX_RUNNING || st == RX_PAUSED) && !force)
		return mr_error_set(err, 0, "cannot delete container %s that is not stopped: %s", c->id,
				    rx_status_name(st));
	if (st != RX_STOPPED) {
		if (!c->own_pidns)
			rx_cgroups_signal_all(&c->cgroups, SIGKILL);
		kill(c->pid, SIGKILL);
		if (st == RX_PAUSED)
			rx_cgroups_thaw(&c->cgroups);
		if (!wait_gone(c))
			return mr_error_set(err, 0, "container init still running");
	}
	return destroy(c, log, err);
}

int realexec_delete(const char *root, const char *id, bool force, const struct mr_logger *log,
		    mr_error **err)
{
	struct rx_container c;
	cleanup_error mr_error *lerr = NULL;
	int rc = -1;

	if (rx_container_load(root, id, &c, &lerr) < 0) {
		if (c.dir != NULL && strcmp(lerr->msg, "container does not exist") == 0) {
			cleanup_error mr_error *ignored = NULL;
			remove_state_dir(c.dir, &ignored);
			rc = force ? 0 : mr_error_set(err, 0, "container does not exist");
		} else {
			rc = mr_error_set(err, lerr->errnum, "%s", lerr->msg);
		}
		rx_container_free(&c);
		return rc;
	}
	rc = delete_container(&c, force, log, err);
	rx_container_free(&c);
	return rc;
}

int rx_delete_forced(struct rx_container *c, const struct mr_logger *log, mr_error **err)
{
	cleanup_free char *path = mr_path_join(c->dir, RX_STATE_FILE);

	/* Deleted meanwhile by someone else: as `delete --force` of a
	 * container that does not exist, nothing more to do. */
	if (path != NULL && access(path, F_OK) < 0 && errno == ENOENT) {
		cleanup_error mr_error *ignored = NULL;
		remove_state_dir(c->dir, &ignored);
		return 0;
	}
	return delete_container(c, true, log, err);
}
