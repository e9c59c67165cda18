#include "realexec/process.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/personality.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/file.h"
#include "realexec/spec.h"

#ifndef KEYCTL_JOIN_SESSION_KEYRING
#define KEYCTL_JOIN_SESSION_KEYRING 1
#endif

static const char *env_get(char **env, const char *name)
{
	size_t n = strlen(name);

	for (char **e = env; e != NULL && *e != NULL; e++)
		if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

/* Go's findExecutable: a file with an execute bit, not a directory.
 * Returns 0 or an errno, with Go's text of the failure in why. */
static int find_executable(const char *path, char *why, size_t size)
{
	struct stat st;

	if (stat(path, &st) < 0) {
		int e = errno;
		snprintf(why, size, "stat %s: %s", path, mr_strerror(e));
		return e;
	}
	if (S_ISDIR(st.st_mode) || (st.st_mode & 0111) == 0) {
		snprintf(why, size, "%s", mr_strerror(EACCES));
		return EACCES;
	}
	return 0;
}

/* Go's exec.Error: `exec: "<name>": <why>`; errnum kept for callers. */
static int exec_error(mr_error **err, int errnum, const char *file, const char *why)
{
	mr_error_set(err, 0, "exec: \"%s\": %s", file, why);
	if (err != NULL && *err != NULL)
		(*err)->errnum = errnum;
	return -1;
}

int rx_process_lookpath(const struct rx_spec *s, char **out, mr_error **err)
{
	const char *file = s->args[0];
	const char *path;
	cleanup_free char *copy = NULL;
	char why[PATH_MAX + 64];
	int e;

	if (strchr(file, '/') != NULL) {
		if ((e = find_executable(file, why, sizeof why)) != 0)
			return exec_error(err, e, file, why);
		*out = strdup(file);
		return *out != NULL ? 0 : mr_error_set(err, ENOMEM, "exec");
	}
	path = env_get(s->env, "PATH");
	copy = strdup(path != NULL ? path : "");
	if (copy == NULL)
		return mr_error_set(err, ENOMEM, "exec");
	for (char *p = copy; *copy != '\0';) {
		char *colon = strchr(p, ':');
		cleanup_free char *cand = NULL;
		if (colon != NULL)
			*colon = '\0';
		cand = mr_path_join(*p != '\0' ? p : ".", file);
		if (cand != NULL && find_executable(cand, why, sizeof why) == 0) {
			*out = mr_steal_ptr(cand);
			return 0;
		}
		if (colon == NULL)
			break;
		p = colon + 1;
	}
	return exec_error(err, ENOENT, file, "executable file not found in $PATH");
}

int rx_process_rlimits(const struct rx_spec *s, mr_error **err)
{
	for (size_t i = 0; i < s->nrlimits; i++) {
		struct rlimit rl = { (rlim_t)s->rlimits[i].soft, (rlim_t)s->rlimits[i].hard };
		if (setrlimit(s->rlimits[i].resource, &rl) < 0)
			return mr_error_set(err, errno, "error setting rlimit type %d",
					    s->rlimits[i].resource);
	}
	return 0;
}

int rx_process_oom_score_adj(const struct rx_spec *s, mr_error **err)
{
	char buf[16];
	int len;
	cleanup_close int fd = -1;

	if (!s->has_oom_score_adj)
		return 0;
	len = snprintf(buf, sizeof buf, "%d", s->oom_score_adj);
	fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, buf, (size_t)len) != len)
		return mr_error_set(err, errno, "failed to update /proc/self/oom_score_adj");
	return 0;
}

int rx_process_priorities(const struct rx_spec *s, mr_error **err)
{
	if (s->has_io_priority && syscall(SYS_ioprio_set, 1 /* IOPRIO_WHO_PROCESS */, 0, s->io_priority) < 0)
		return mr_error_set(err, errno, "failed to set io priority");
	if (s->has_scheduler) {
		/* struct sched_attr of sched_setattr(2), version 1 (48 bytes). */
		struct {
			uint32_t size, policy;
			uint64_t flags;
			int32_t nice;
			uint32_t priority;
			uint64_t runtime, deadline, period;
		} attr = { sizeof attr, s->scheduler.policy, s->scheduler.flags, s->scheduler.nice,
			   s->scheduler.priority, s->scheduler.runtime, s->scheduler.deadline,
			   s->scheduler.period };
		if (syscall(SYS_sched_setattr, 0, &attr, 0) < 0)
			return mr_error_set(err, errno, "error setting scheduler");
	}
	if (s->has_personality && personality(s->personality) < 0)
		return mr_error_set(err, errno, "unable to set personality");
	return 0;
}

/* A user namespace whose setgroups is "deny" refuses setgroups(2). */
static bool setgroups_allowed(void)
{
	cleanup_free char *data = NULL;
	cleanup_error mr_error *err = NULL;

	if (mr_read_file("/proc/self/setgroups", &data, NULL, &err) < 0)
		return true;
	return strncmp(data, "deny", 4) != 0;
}

int rx_process_set_user(const struct rx_spec *s, mr_error **err)
{
	if (setgroups_allowed() && setgroups(s->ngids, s->gids) < 0)
		return mr_error_set(err, errno, "setgroups");
	if (setresgid(s->gid, s->gid, s->gid) < 0)
		return mr_error_set(err, errno, "setgid %u", (unsigned)s->gid);
	if (setresuid(s->uid, s->uid, s->uid) < 0)
		return mr_error_set(err, errno, "setuid %u", (unsigned)s->uid);
	return 0;
}

static char *home_of(uid_t uid)
{
	cleanup_fclose FILE *f = fopen("/etc/passwd", "re");
	cleanup_free char *line = NULL;
	size_t cap = 0;

	while (f != NULL && getline(&line, &cap, f) > 0) {
		char *field[7] = { 0 };
		char *p = line;
		int n = 0;
		line[strcspn(line, "\n")] = '\0';
		while (n < 7 && p != NULL) {
			field[n++] = p;
			p = strchr(p, ':');
			if (p != NULL)
				*p++ = '\0';
		}
		if (n >= 6 && field[2] != NULL && strtoul(field[2], NULL, 10) == uid && *field[2] != '\0')
			return strdup(field[5]);
	}
	return strdup("/");
}

static int env_add(char **env, size_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int env_add(char **env, size_t *n, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&env[*n], fmt, ap);
	va_end(ap);
	if (r < 0) {
		env[*n] = NULL;
		return -1;
	}
	(*n)++;
	return 0;
}

char **rx_process_env(const struct rx_spec *s, unsigned listen_fds)
{
	size_t n = 0, count = 0;
	char **env;

	for (char **e = s->env; e != NULL && *e != NULL; e++)
		count++;
	env = calloc(count + 4, sizeof *env);
	if (env == NULL)
		return NULL;
	for (size_t i = 0; i < count; i++)
		if (env_add(env, &n, "%s", s->env[i]) < 0)
			goto fail;
	if (env_get(s->env, "HOME") == NULL) {
		cleanup_free char *home = home_of(s->uid);
		if (home == NULL || env_add(env, &n, "HOME=%s", home) < 0)
			goto fail;
	}
	if (listen_fds > 0 && (env_add(env, &n, "LISTEN_FDS=%u", listen_fds) < 0 ||
			       env_add(env, &n, "LISTEN_PID=1") < 0))
		goto fail;
	return env;
fail:
	rx_strv_free(env);
	return NULL;
}

void rx_process_fix_stdio(const struct rx_spec *s)
{
	for (int fd = 0; fd < 3; fd++) {
		struct stat st;
		if (fstat(fd, &st) < 0)
			continue;
		/* /dev/null handed down from the caller (possibly opened
		 * read-only for all three, as containerd's shim does with
		 * --null-io) is replaced by the container's, read-write, as
		 * runc does: writing to stdout must not fail with EBADF. */
		if (S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3)) {
			int n = open("/dev/null", O_RDWR | O_CLOEXEC);
			if (n >= 0) {
				dup2(n, fd);
				close(n);
			}
			continue;
		}
		if (st.st_uid == s->uid && st.st_gid == s->gid)
			continue;
		/* Not ours to change (EPERM, EROFS, ...): left as it is. */
		if (fchown(fd, s->uid, s->gid) < 0)
			continue;
	}
}

int rx_process_close_fds(unsigned keep, mr_error **err)
{
	for (unsigned fd = 3; fd < 3 + keep; fd++)
		if (fcntl((int)fd, F_SETFD, 0) < 0)
			return mr_error_set(err, errno, "preserved fd %u", fd);
	if (close_range(3 + keep, ~0U, 0) < 0)
		return mr_error_set(err, errno, "close_range");
	return 0;
}

void rx_process_close_fds_except(unsigned from, const int *keep, size_t nkeep)
{
	for (;;) {
		unsigned next = ~0U;
		for (size_t i = 0; i < nkeep; i++)
			if (keep[i] >= 0 && (unsigned)keep[i] >= from && (unsigned)keep[i] < next)
				next = (unsigned)keep[i];
		if (next > from)
			close_range(from, next == ~0U ? ~0U : next - 1, 0);
		if (next == ~0U)
			break;
		from = next + 1;
	}
}

void rx_process_reset_signals(void)
{
	sigset_t none;

	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

int rx_process_join_keyring(const char *id, mr_error **err)
{
	/* A fresh session keyring, so the container cannot read the
	 * caller's keys; kernels without keyrings are fine. */
	if (syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, id) < 0 && errno != ENOSYS &&
	    errno != EACCES && errno != EDQUOT)
		return mr_error_set(err, errno, "unable to join session keyring");
	return 0;
}
