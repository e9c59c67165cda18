/* `exec`: a new process in a running (or created) container.
 *
 * The runtime forks a child that joins the container's cgroup and then
 * every namespace of the container's init (the user namespace first); a
 * pid namespace only holds children, so that child forks the process with
 * CLONE_PARENT — a direct child of the runtime, which therefore re-parents
 * to the engine's subreaper when a detached exec returns — and exits. The
 * process sets itself up as the config's process would be (terminal,
 * no_new_privs, seccomp, capabilities around the user switch, AppArmor,
 * SELinux) and reports every failure over the sync socket until its
 * execve, which closes that socket. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/file.h"
#include "common/json.h"
#include "realexec/capabilities.h"
#include "realexec/cgroups.h"
#include "realexec/container.h"
#include "realexec/gojson.h"
#include "realexec/init.h"
#include "realexec/lsm.h"
#include "realexec/namespaces.h"
#include "realexec/process.h"
#include "realexec/realexec.h"
#include "realexec/seccomp.h"
#include "realexec/spec.h"
#include "realexec/state.h"
#include "realexec/supervise.h"
#include "realexec/sync.h"
#include "realexec/terminal.h"

#define START_FAILED "unable to start container process"

/* What the forked side needs; everything is prepared before the fork. */
struct exec_args {
	const struct rx_spec *spec;
	const struct realexec_caps *caps;
	struct realexec_seccomp *seccomp;
	const struct rx_lsm *lsm;
	const char *id;
	int sync_fd;
	int console_fd;       /* connected console socket, or -1 */
	unsigned listen_fds;
	unsigned keep_fds;    /* fds 3..3+keep_fds-1 reach the process */
	/* Set when stage 1 was cloned into the v2 cgroup: it moves itself
	 * into the v1 ones (rx_cgroups_join_self_v1). */
	const struct rx_cgroups *join_cgroups;
	char *const *cgroup_paths;
};

/* Everything an exec holds until it succeeds or is undone. */
struct execution {
	struct rx_container c;
	struct rx_spec spec;
	json_t *process;
	struct realexec_caps *caps;
	struct realexec_seccomp *seccomp;
	struct rx_lsm lsm;
	char **cgroup_paths;          /* one per directory of c.cgroups */
	bool late_join;               /* paused: join the frozen cgroup last */
	pid_t stage1, pid;
	int sync_fd, child_fd, console_fd, ours, theirs;
};

/* ---- the process (forked side) ------------------------------------------ */

__attribute__((noreturn)) static void fail(int sync_fd, const mr_error *err)
{
	const char *msg = err != NULL ? err->msg : "out of memory";

	rx_sync_send(sync_fd, RX_SYNC_ERROR, msg, strlen(msg));
	_exit(1);
}

__attribute__((noreturn)) static void stage2(const struct exec_args *a)
{
	const struct rx_spec *s = a->spec;
	cleanup_free char *exe = NULL;
	mr_error *err = NULL;
	char **env;
	bool late_seccomp = s->no_new_privs && !realexec_seccomp_uses_notify(a->seccomp);
	int keep[1] = { a->sync_fd };

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (setsid() < 0) {
		mr_error_set(&err, errno, "setsid");
		fail(a->sync_fd, err);
	}
	if (rx_lsm_set_keycreate(a->lsm->selinux_label, NULL, &err) < 0 ||
	    rx_process_join_keyring(a->id, &err) < 0)
		fail(a->sync_fd, err);
	if (a->console_fd >= 0) {
		if (rx_terminal_setup(a->console_fd, s->console_height, s->console_width, false, &err) < 0)
			fail(a->sync_fd, err);
		close(a->console_fd);
	}
	if (s->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		mr_error_set(&err, errno, "set no_new_privs");
		fail(a->sync_fd, err);
	}
	umask(s->has_umask ? s->umask : 0022);
	if (rx_process_priorities(s, &err) < 0)
		fail(a->sync_fd, err);
	/* Without no_new_privs, loading a filter needs CAP_SYS_ADMIN, which
	 * the user switch may drop: the filter goes first then, as in runc. */
	if (!late_seccomp && rx_init_load_seccomp(a->sync_fd, a->seccomp, &err) < 0)
		fail(a->sync_fd, err);
	rx_process_fix_stdio(s);
	if (realexec_caps_apply_before_user(a->caps, &err) < 0 || rx_process_set_user(s, &err) < 0 ||
	    realexec_caps_apply_after_user(a->caps, &err) < 0)
		fail(a->sync_fd, err);
	if (chdir(s->cwd) < 0) {
		mr_error_set(&err, errno, "chdir to cwd (\"%s\") set in config.json failed", s->cwd);
		fail(a->sync_fd, err);
	}
	if (rx_lsm_apply_apparmor(a->lsm->apparmor_profile, NULL, &err) < 0 ||
	    rx_process_lookpath(s, &exe, &err) < 0)
		fail(a->sync_fd, err);
	env = rx_process_env(s, a->listen_fds);
	if (env == NULL || rx_lsm_apply_selinux(a->lsm->selinux_label, NULL, &err) < 0)
		fail(a->sync_fd, err);

	/* The runtime may be gone by the time the process runs (a frozen
	 * cgroup, a detached exec): its death must not kill it. */
	prctl(PR_SET_PDEATHSIG, 0);
	rx_sync_send(a->sync_fd, RX_SYNC_READY, NULL, 0);
	free(rx_init_expect(a->sync_fd, RX_SYNC_ACK));
	/* As close to execve as can be, so the profile need allow little. */
	if (late_seccomp && realexec_seccomp_load(a->seccomp, NULL, &err) < 0)
		fail(a->sync_fd, err);
	/* The sync socket is close-on-exec: its end tells the runtime the
	 * program runs; an execve error still reaches it. */
	rx_process_close_fds_except(3 + a->keep_fds, keep, 1);
	for (unsigned fd = 3; fd < 3 + a->keep_fds; fd++)
		fcntl((int)fd, F_SETFD, 0);
	execve(exe, s->args, env);
	mr_error_set(&err, errno, "exec %s", exe);
	fail(a->sync_fd, err);
}

/* Joins the namespaces in the host's, with every privilege still. */
__attribute__((noreturn)) static void stage1(const struct exec_args *a)
{
	const struct rx_spec *s = a->spec;
	mr_error *err = NULL;
	int keep[2] = { a->sync_fd, a->console_fd };
	char buf[32];
	pid_t pid;

	rx_process_reset_signals();
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	rx_process_close_fds_except(3 + a->keep_fds, keep, 2);
	if (a->join_cgroups != NULL &&
	    rx_cgroups_join_self_v1(a->join_cgroups, a->cgroup_paths, &err) < 0) {
		mr_error_wrap(&err, "error adding pid %d to cgroups", (int)getpid());
		fail(a->sync_fd, err);
	}
	free(rx_init_expect(a->sync_fd, RX_SYNC_GO));
	if (rx_process_oom_score_adj(s, &err) < 0 || rx_process_rlimits(s, &err) < 0 ||
	    rx_ns_join_all(s, &err) < 0)
		fail(a->sync_fd, err);
	if (rx_spec_ns(s, CLONE_NEWUSER) != NULL &&
	    (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)) {
		mr_error_set(&err, errno, "failed to become root in user namespace");
		fail(a->sync_fd, err);
	}
	pid = (pid_t)syscall(SYS_clone, CLONE_PARENT | SIGCHLD, NULL, NULL, NULL, 0);
	if (pid < 0) {
		mr_error_set(&err, errno, "clone");
		fail(a->sync_fd, err);
	}
	if (pid == 0)
		stage2(a);
	snprintf(buf, sizeof buf, "%d", (int)pid);
	rx_sync_send(a->sync_fd, RX_SYNC_PID, buf, strlen(buf));
	_exit(0);
}

/* ---- the process description ------------------------------------------- */

static int append_strings(json_t *obj, const char *key, char *const *v, size_t n)
{
	json_t *arr = json_object_get(obj, key);

	if (!json_is_array(arr)) {
		arr = json_array();
		if (arr == NULL || json_object_set_new(obj, key, arr) < 0)
			return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (json_array_append_new(arr, json_string(v[i])) < 0)
			return -1;
	return 0;
}

/* Go's strconv.Atoi, as runc parses --user. */
static int atoi_go(const char *text, const char *what, long long *v, mr_error **err)
{
	char *end;

	errno = 0;
	*v = strtoll(text, &end, 10);
	if (*text == '\0' || *end != '\0' || errno != 0) {
		cleanup_free char *q = mr_json_quote_go(text);
		return mr_error_set(err, 0, "bad %s: strconv.Atoi: parsing %s: %s", what,
				    q != NULL ? q : text, errno != 0 ? "value out of range" : "invalid syntax");
	}
	return 0;
}

/* runc's getProcess without --process: config.json's process, changed by
 * the command line. */
static json_t *process_from_flags(json_t *config, const struct realexec_exec_flags *f,
				  mr_error **err)
{
	cleanup_json json_t *p = json_deep_copy(json_object_get(config, "process"));
	json_t *user, *caps;

	if (p == NULL)
		p = json_object();
	if (p == NULL) {
		mr_error_set(err, ENOMEM, "exec");
		return NULL;
	}
	if (f == NULL || f->nargs == 0) {
		mr_error_set(err, 0, "exec args cannot be empty");
		return NULL;
	}
	json_object_del(p, "args");
	if (append_strings(p, "args", f->args, f->nargs) < 0)
		goto nomem;
	if (f->cwd != NULL && *f->cwd != '\0')
		json_object_set_new(p, "cwd", json_string(f->cwd));
	if (f->apparmor != NULL && *f->apparmor != '\0')
		json_object_set_new(p, "apparmorProfile", json_string(f->apparmor));
	if (f->process_label != NULL && *f->process_label != '\0')
		json_object_set_new(p, "selinuxLabel", json_string(f->process_label));
	caps = json_object_get(p, "capabilities");
	if (f->ncaps > 0) {
		bool inheritable = json_object_get(caps, "inheritable") != NULL;
		if (!json_is_object(caps)) {
			caps = json_object();
			if (caps == NULL || json_object_set_new(p, "capabilities", caps) < 0)
				goto nomem;
		}
		if (append_strings(caps, "bounding", f->caps, f->ncaps) < 0 ||
		    append_strings(caps, "effective", f->caps, f->ncaps) < 0 ||
		    append_strings(caps, "permitted", f->caps, f->ncaps) < 0 ||
		    (inheritable && append_strings(caps, "ambient", f->caps, f->ncaps) < 0))
			goto nomem;
	}
	if (append_strings(p, "env", f->env, f->nenv) < 0)
		goto nomem;
	json_object_set_new(p, "terminal", json_boolean(f->tty));
	if (f->no_new_privs_set)
		json_object_set_new(p, "noNewPrivileges", json_boolean(f->no_new_privs));
	user = json_object_get(p, "user");
	if (!json_is_object(user)) {
		user = json_object();
		if (user == NULL || json_object_set_new(p, "user", user) < 0)
			goto nomem;
	}
	if (f->user != NULL && *f->user != '\0') {
		cleanup_free char *copy = strdup(f->user);
		char *colon = copy != NULL ? strchr(copy, ':') : NULL;
		long long v;
		if (copy == NULL)
			goto nomem;
		if (colon != NULL) {
			*colon = '\0';
			if (atoi_go(colon + 1, "gid", &v, err) < 0)
				return NULL;
			json_object_set_new(user, "gid", json_integer((uint32_t)v));
		}
		if (atoi_go(copy, "uid", &v, err) < 0)
			return NULL;
		json_object_set_new(user, "uid", json_integer((uint32_t)v));
	}
	for (size_t i = 0; i < f->ngids; i++) {
		json_t *gids = json_object_get(user, "additionalGids");
		long long g;
		char *end;
		errno = 0;
		g = strtoll(f->gids[i], &end, 10);
		if (*f->gids[i] == '\0' || *end != '\0' || errno != 0) {
			cleanup_free char *q = mr_json_quote_go(f->gids[i]);
			mr_error_set(err, 0, "invalid value %s for flag -additional-gids: parse error",
				     q != NULL ? q : f->gids[i]);
			return NULL;
		}
		if (g < 0) {
			mr_error_set(err, 0, "additional-gids must be a positive number %lld", g);
			return NULL;
		}
		if (!json_is_array(gids)) {
			gids = json_array();
			if (gids == NULL || json_object_set_new(user, "additionalGids", gids) < 0)
				goto nomem;
		}
		json_array_append_new(gids, json_integer(g));
	}
	return mr_steal_ptr(p);
nomem:
	mr_error_set(err, ENOMEM, "exec");
	return NULL;
}

static json_t *process_of(const struct realexec_exec_opts *o, json_t *config, mr_error **err)
{
	json_t *p = NULL;

	if (o->process_path == NULL)
		return process_from_flags(config, o->flags, err);
	if (o->process_errno != 0) {
		mr_error_set(err, o->process_errno, "open %s", o->process_path);
		return NULL;
	}
	if (rx_json_decode_go(o->process_data != NULL ? o->process_data : "", o->process_len, &p, err) < 0)
		return NULL;
	/* Go decodes null into an empty Process, and nothing else but an
	 * object into one at all. */
	if (json_is_null(p)) {
		json_decref(p);
		p = json_object();
	} else if (!json_is_object(p)) {
		mr_error_set(err, 0, "json: cannot unmarshal %s into Go value of type specs.Process",
			     json_is_array(p) ? "array" : json_is_string(p) ? "string" :
			     json_is_boolean(p) ? "bool" : "number");
		json_decref(p);
		return NULL;
	}
	if (p == NULL)
		mr_error_set(err, ENOMEM, "exec");
	return p;
}

/* ---- the runtime's side -------------------------------------------------- */

static void execution_undo(struct execution *e)
{
	if (e->stage1 > 0) {
		kill(e->stage1, SIGKILL);
		waitpid(e->stage1, NULL, 0);
	}
	if (e->pid > 0) {
		kill(e->pid, SIGKILL);
		waitpid(e->pid, NULL, 0);
	}
}

static void execution_free(struct execution *e)
{
	int fds[] = { e->sync_fd, e->child_fd, e->console_fd, e->ours, e->theirs };

	for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	if (e->cgroup_paths != NULL) {
		for (size_t i = 0; i < e->c.cgroups.n; i++)
			free(e->cgroup_paths[i]);
		free(e->cgroup_paths);
	}
	json_decref(e->process);
	realexec_caps_free(e->caps);
	realexec_seccomp_free(e->seccomp);
	rx_lsm_free(&e->lsm);
	rx_spec_free(&e->spec);
	rx_container_free(&e->c);
}

/* Answers the process until it is about to execve, then waits for the
 * execve (the sync socket closes) unless it joins a frozen cgroup. */
static int converse(struct execution *e, mr_error **err)
{
	bool ready = false;
	enum rx_sync_type held = RX_SYNC_EOF;
	char *held_data = NULL;

	for (;;) {
		cleanup_free char *data = NULL;
		enum rx_sync_type type;

		/* The pid comes from stage 1, everything else from the
		 * process: two senders on one socket, so the process can be
		 * heard first. Its message is held until the pid is known
		 * (joining pid 0 would move this process into the
		 * container's cgroups, a frozen one included). */
		if (held != RX_SYNC_EOF && e->pid > 0) {
			type = held;
			data = held_data;
			held = RX_SYNC_EOF;
			held_data = NULL;
		} else if (rx_sync_recv(e->sync_fd, &type, &data, NULL, err) < 0) {
			free(held_data);
			return mr_error_wrap(err, START_FAILED);
		} else if (e->pid <= 0 && held == RX_SYNC_EOF &&
			   (type == RX_SYNC_SECCOMP || type == RX_SYNC_READY)) {
			held = type;
			held_data = mr_steal_ptr(data);
			continue;
		}
		switch (type) {
		case RX_SYNC_PID:
			e->pid = (pid_t)atoi(data != NULL ? data : "0");
			waitpid(e->stage1, NULL, 0);
			e->stage1 = 0;
			if (e->pid <= 0) {
				free(held_data);
				return mr_error_set(err, 0, START_FAILED ": no pid from the setns process");
			}
			break;
		case RX_SYNC_SECCOMP:
			if (rx_forward_listener(e->sync_fd, e->spec.seccomp, e->c.id, "running", e->pid,
						e->c.bundle, json_object_get(e->c.config, "annotations"),
						err) < 0)
				return mr_error_wrap(err, START_FAILED);
			rx_sync_send(e->sync_fd, RX_SYNC_ACK, NULL, 0);
			break;
		case RX_SYNC_READY:
			/* In a frozen cgroup the process stops until `resume`:
			 * it joins it last and is not waited for. */
			if (e->late_join &&
			    rx_cgroups_join(e->cgroup_paths, e->c.cgroups.n, e->pid, err) < 0)
				return mr_error_wrap(err, START_FAILED);
			rx_sync_send(e->sync_fd, RX_SYNC_ACK, NULL, 0);
			if (e->late_join)
				return 0;
			ready = true;
			break;
		case RX_SYNC_ERROR:
			free(held_data);
			return mr_error_set(err, 0, START_FAILED ": %s", data != NULL ? data : "");
		case RX_SYNC_EOF:
			if (ready)
				return 0;
			/* fall through */
		default:
			free(held_data);
			return mr_error_set(err, 0, START_FAILED ": error executing setns process: "
					    "the process exited unexpectedly");
		}
	}
}

static int check_terminal(bool tty, bool detach, bool has_socket, mr_error **err)
{
	if (detach && tty && !has_socket)
		return mr_error_set(err, 0, "cannot allocate tty if runc will detach without setting console socket");
	if ((!detach || !tty) && has_socket)
		return mr_error_set(err, 0, "cannot use console socket if runc will not detach or allocate tty");
	return 0;
}

/* Everything that can be refused before a process exists. */
static int prepare(const struct realexec_exec_opts *o, struct execution *e, unsigned *listen,
		   unsigned *keep, mr_error **err)
{
	struct rx_lsm_host host;
	const char *seccomp_cache = realexec_seccomp_cache_dir();
	enum rx_status st;

	if (rx_container_load(o->root, o->id, &e->c, err) < 0)
		return -1;
	st = rx_container_status(&e->c);
	if (st == RX_STOPPED)
		return mr_error_set(err, 0, "cannot exec in a stopped container");
	if (st == RX_PAUSED && !o->ignore_paused)
		return mr_error_set(err, 0, "cannot exec in a paused container (use --ignore-paused to override)");
	e->late_join = st == RX_PAUSED;
	e->process = process_of(o, e->c.config, err);
	if (e->process == NULL)
		return -1;
	rx_lsm_detect(NULL, &host);
	if (rx_spec_parse_exec(e->c.config, e->process, &e->spec, err) < 0 ||
	    rx_lsm_prepare(e->process, NULL, &host, &e->lsm, err) < 0 ||
	    rx_cgroups_exec_paths(&e->c.cgroups, o->sub_cgroups, o->nsub_cgroups, &e->cgroup_paths,
				  err) < 0 ||
	    check_terminal(e->spec.terminal, o->detach, o->console_socket != NULL, err) < 0 ||
	    rx_count_passed_fds(o->preserve_fds, listen, keep, err) < 0 ||
	    realexec_caps_prepare(e->spec.capabilities, e->spec.oci_version, o->log, &e->caps, err) < 0 ||
	    realexec_seccomp_prepare_cached(e->spec.seccomp, seccomp_cache, NULL, o->log, &e->seccomp,
					    err) < 0 ||
	    rx_ns_of_process(e->c.pid, &e->spec, err) < 0)
		return -1;
	return 0;
}

int realexec_exec(const struct realexec_exec_opts *o, mr_error **err)
{
	struct execution e = { .sync_fd = -1, .child_fd = -1, .console_fd = -1, .ours = -1,
			       .theirs = -1 };
	struct exec_args args;
	unsigned listen = 0, keep = 0;
	sigset_t set, old;
	int master = -1, rc = -1;

	if (prepare(o, &e, &listen, &keep, err) < 0)
		goto out;
	rx_ensure_stdio();
	if (e.spec.terminal && o->console_socket != NULL &&
	    rx_console_connect(o->console_socket, &e.console_fd, err) < 0)
		goto out;
	if (e.spec.terminal && o->console_socket == NULL) {
		/* Foreground with a terminal: the pty comes to us. */
		int sv[2];
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
			mr_error_set(err, errno, "socketpair");
			goto out;
		}
		e.ours = sv[0];
		e.theirs = e.console_fd = sv[1];
	}
	if (rx_sync_pair(&e.sync_fd, &e.child_fd, err) < 0)
		goto out;
	args = (struct exec_args){
		.spec = &e.spec, .caps = e.caps, .seccomp = e.seccomp, .lsm = &e.lsm, .id = o->id,
		.sync_fd = e.child_fd, .console_fd = e.console_fd, .listen_fds = listen, .keep_fds = keep,
	};
	/* Signals are queued from before the process exists, so none is lost. */
	if (!o->detach)
		rx_signals_block(&set, &old);
	/* Into the cgroups without the grace period cgroup.procs costs (see
	 * rx_cgroups_add_pid), unless the container is frozen: the process
	 * then joins last, from here. What the kernel refuses is done the
	 * old way, which reports the error. */
	e.stage1 = -1;
	if (!e.late_join) {
		bool has_v2 = rx_cgroups_has_v2(&e.c.cgroups);
		cleanup_close int v2 = has_v2 ? rx_cgroups_open_v2(&e.c.cgroups, e.cgroup_paths) : -1;
		if (v2 >= 0 || !has_v2) {
			args.join_cgroups = &e.c.cgroups;
			args.cgroup_paths = e.cgroup_paths;
			e.stage1 = rx_clone_child(0, v2);
		}
	}
	if (e.stage1 < 0) {
		args.join_cgroups = NULL;
		e.stage1 = fork();
	}
	if (e.stage1 < 0) {
		mr_error_set(err, errno, START_FAILED ": fork");
		goto restore;
	}
	if (e.stage1 == 0) {
		close(e.sync_fd);
		if (e.ours >= 0)
			close(e.ours);
		stage1(&args);
	}
	close(e.child_fd);
	e.child_fd = -1;
	if (e.console_fd >= 0) {
		close(e.console_fd);
		e.console_fd = e.theirs = -1;
	}
	if (!e.late_join && args.join_cgroups == NULL &&
	    rx_cgroups_join(e.cgroup_paths, e.c.cgroups.n, e.stage1, err) < 0) {
		mr_error_wrap(err, START_FAILED);
		goto undo;
	}
	rx_sync_send(e.sync_fd, RX_SYNC_GO, NULL, 0);
	/* The process joins the namespaces and sets itself up meanwhile. */
	if (o->while_busy != NULL)
		o->while_busy(o->while_busy_arg);
	if (converse(&e, err) < 0)
		goto undo;
	if (e.ours >= 0 && rx_recv_fd(e.ours, &master, err) < 0)
		goto undo;
	if ((o->pidfd_socket != NULL && rx_send_pidfd(o->pidfd_socket, e.pid, "setns", err) < 0) ||
	    (o->pid_file != NULL && rx_write_pid_file(o->pid_file, e.pid, err) < 0))
		goto undo;
	if (o->detach) {
		rc = 0;
		goto out;
	}
	rc = rx_supervise(e.pid, &set, master, err);
	master = -1;
	if (rc >= 0)
		e.pid = 0;
	else
		execution_undo(&e);
	goto restore;
undo:
	execution_undo(&e);
	if (master >= 0)
		close(master);
restore:
	if (!o->detach)
		sigprocmask(SIG_SETMASK, &old, NULL);
out:
	execution_free(&e);
	return rc;
}
