#include "realexec/hooks.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#include "common/cleanup.h"
#include "common/file.h"
#include "common/json.h"
#include "realexec/spec.h"

static const char *const kind_names[RX_HOOK_KINDS] = {
	"prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop",
};

const char *rx_hook_kind_name(enum rx_hook_kind kind)
{
	return kind_names[kind];
}

static void hook_free(struct rx_hook *h)
{
	free(h->path);
	rx_strv_free(h->args);
	rx_strv_free(h->env);
}

int rx_hooks_parse(json_t *hooks, struct rx_hook_list lists[RX_HOOK_KINDS], mr_error **err)
{
	memset(lists, 0, sizeof(struct rx_hook_list) * RX_HOOK_KINDS);
	if (hooks == NULL || json_is_null(hooks))
		return 0;
	if (!json_is_object(hooks))
		return mr_error_set(err, 0, "hooks must be an object");
	for (int k = 0; k < RX_HOOK_KINDS; k++) {
		json_t *arr = json_object_get(hooks, kind_names[k]), *h;
		size_t i;
		if (arr == NULL || json_is_null(arr))
			continue;
		if (!json_is_array(arr))
			return mr_error_set(err, 0, "hooks.%s must be an array", kind_names[k]);
		lists[k].v = calloc(json_array_size(arr) + 1, sizeof *lists[k].v);
		if (lists[k].v == NULL)
			return mr_error_set(err, ENOMEM, "hooks");
		json_array_foreach(arr, i, h) {
			struct rx_hook *hk = &lists[k].v[lists[k].n];
			const char *path = mr_json_str(h, "path");
			json_t *timeout = json_object_get(h, "timeout");
			if (path == NULL || path[0] != '/')
				return mr_error_set(err, 0, "hooks.%s[%zu].path must be an absolute path",
						    kind_names[k], i);
			hk->path = strdup(path);
			lists[k].n++;
			if (hk->path == NULL ||
			    rx_strv_from_json(json_object_get(h, "args"), "hook args", &hk->args, err) < 0 ||
			    rx_strv_from_json(json_object_get(h, "env"), "hook env", &hk->env, err) < 0)
				return mr_error_set(err, ENOMEM, "hooks");
			if (timeout != NULL && !json_is_null(timeout)) {
				if (!json_is_integer(timeout) || json_integer_value(timeout) <= 0)
					return mr_error_set(err, 0, "hooks.%s[%zu].timeout must be a positive integer",
							    kind_names[k], i);
				hk->timeout = (int)json_integer_value(timeout);
			}
		}
	}
	return 0;
}

void rx_hooks_free(struct rx_hook_list lists[RX_HOOK_KINDS])
{
	for (int k = 0; k < RX_HOOK_KINDS; k++) {
		for (size_t i = 0; i < lists[k].n; i++)
			hook_free(&lists[k].v[i]);
		free(lists[k].v);
		lists[k].v = NULL;
		lists[k].n = 0;
	}
}

static int memfd_with(const char *name, const char *data)
{
	int fd = memfd_create(name, MFD_CLOEXEC);

	if (fd < 0)
		return -1;
	if (data != NULL && (mr_write_all(fd, data, strlen(data)) < 0 || lseek(fd, 0, SEEK_SET) < 0)) {
		close(fd);
		return -1;
	}
	return fd;
}

static int make_pipe(int *rd, int *wr)
{
	int p[2];

	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	*rd = p[0];
	*wr = p[1];
	return 0;
}

/* The first bytes of what a hook printed, for the error message. */
static char *captured(int fd)
{
	char *data = NULL;
	size_t len = 0;
	cleanup_error mr_error *err = NULL;

	if (lseek(fd, 0, SEEK_SET) < 0 || mr_read_fd(fd, &data, &len, &err) < 0)
		return strdup("");
	if (len > 4096)
		data[4096] = '\0';
	return data;
}

/* Stdin is the state in a memfd and stdout/stderr are memfds too, so a
 * hook never blocks on a pipe and holds none of the runtime's stdio. */
static int run_one(const struct rx_hook *h, const char *state_json, mr_error **err)
{
	cleanup_close int in = memfd_with("hook-stdin", state_json);
	cleanup_close int out = memfd_with("hook-stdout", NULL);
	cleanup_close int errfd = memfd_with("hook-stderr", NULL);
	cleanup_close int rd = -1;
	cleanup_close int wr = -1;
	cleanup_close int pidfd = -1;
	char *const default_argv[] = { h->path, NULL };
	int status, exec_errno = 0;
	pid_t pid;
	ssize_t n;

	if (in < 0 || out < 0 || errfd < 0 || make_pipe(&rd, &wr) < 0)
		return mr_error_set(err, errno, "error running hook");
	pid = fork();
	if (pid < 0)
		return mr_error_set(err, errno, "error running hook: fork");
	if (pid == 0) {
		int e;
		sigset_t all;
		sigemptyset(&all);
		sigprocmask(SIG_SETMASK, &all, NULL);
		if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(errfd, 2) < 0)
			_exit(127);
		/* A hook gets stdio only, as runc's (Go's exec) do: not the
		 * engine's other fds nor the ones passed to the container. */
		close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
		/* No env at all means the runtime's own (Go's exec.Cmd with a
		 * nil Env, as runc runs hooks); an empty list means none. */
		execve(h->path, h->args != NULL && h->args[0] != NULL ? h->args : default_argv,
		       h->env != NULL ? h->env : environ);
		e = errno;
		if (write(wr, &e, sizeof e) < 0)
			_exit(127);
		_exit(127);
	}
	close(wr);
	wr = -1;
	n = read(rd, &exec_errno, sizeof exec_errno);
	if (n == (ssize_t)sizeof exec_errno) {
		waitpid(pid, NULL, 0);
		return mr_error_set(err, exec_errno, "error running hook: fork/exec %s", h->path);
	}
	if (h->timeout > 0) {
		struct pollfd p;
		int r;
		pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
		if (pidfd >= 0) {
			p = (struct pollfd){ .fd = pidfd, .events = POLLIN };
			do
				r = poll(&p, 1, h->timeout * 1000);
			while (r < 0 && errno == EINTR);
			if (r == 0) {
				kill(pid, SIGKILL);
				waitpid(pid, NULL, 0);
				return mr_error_set(err, 0, "hook ran past specified timeout of %.1fs",
						    (double)h->timeout);
			}
		}
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return mr_error_set(err, errno, "error running hook: wait");
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		cleanup_free char *o = captured(out);
		cleanup_free char *e = captured(errfd);
		char how[64];
		if (WIFEXITED(status))
			snprintf(how, sizeof how, "exit status %d", WEXITSTATUS(status));
		else
			snprintf(how, sizeof how, "signal: %s", strsignal(WTERMSIG(status)));
		return mr_error_set(err, 0, "error running hook: %s, stdout: %s, stderr: %s",
				    how, o != NULL ? o : "", e != NULL ? e : "");
	}
	return 0;
}

int rx_hooks_run(const struct rx_hook_list *list, const char *state_json, mr_error **err)
{
	for (size_t i = 0; i < list->n; i++)
		if (run_one(&list->v[i], state_json, err) < 0)
			return mr_error_wrap(err, "error running hook #%zu", i);
	return 0;
}

void rx_hooks_run_warn(const struct rx_hook_list *list, enum rx_hook_kind kind,
		       const char *state_json, const struct mr_logger *log)
{
	for (size_t i = 0; i < list->n; i++) {
		cleanup_error mr_error *err = NULL;
		if (run_one(&list->v[i], state_json, &err) < 0)
			mr_log(log, MR_LOG_WARNING, "error running %s hook #%zu: %s",
			       kind_names[kind], i, err->msg);
	}
}
