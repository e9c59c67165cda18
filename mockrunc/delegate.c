#include "mockrunc/delegate.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/file.h"
#include "common/json.h"

static const char *const fallback_dirs[] = {
	"/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin", NULL,
};

static bool is_executable(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

char *delegate_resolve(const char *backend, mr_error **err)
{
	const char *path_env = getenv("PATH");
	cleanup_free char *dirs = NULL;
	char *save = NULL;

	if (strchr(backend, '/') != NULL) {
		if (!is_executable(backend)) {
			mr_error_set(err, errno != 0 ? errno : EACCES, "delegate runtime %s", backend);
			return NULL;
		}
		return mr_path_abs(backend);
	}
	dirs = strdup(path_env != NULL ? path_env : "");
	for (char *d = dirs != NULL ? strtok_r(dirs, ":", &save) : NULL; d != NULL;
	     d = strtok_r(NULL, ":", &save)) {
		char *candidate = mr_path_join(d, backend);
		if (candidate != NULL && d[0] == '/' && is_executable(candidate))
			return candidate;
		free(candidate);
	}
	for (int i = 0; fallback_dirs[i] != NULL; i++) {
		char *candidate = mr_path_join(fallback_dirs[i], backend);
		if (candidate != NULL && is_executable(candidate))
			return candidate;
		free(candidate);
	}
	mr_error_set(err, 0, "delegate runtime \"%s\": executable file not found in $PATH", backend);
	return NULL;
}

static volatile sig_atomic_t child_pid;

/* Forward what was sent to us (kill, sigqueue) but not what the terminal
 * sent to the whole foreground process group: the delegate got that one
 * itself, and a second copy would reach the container twice. */
static void forward(int sig, siginfo_t *info, void *ctx)
{
	(void)ctx;
	if (child_pid > 0 && info->si_code != SI_KERNEL)
		kill((pid_t)child_pid, sig);
}

static void install_forwarding(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = forward;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigfillset(&sa.sa_mask);
	for (int sig = 1; sig < NSIG; sig++) {
		if (sig == SIGKILL || sig == SIGSTOP || sig == SIGCHLD || sig == SIGSEGV ||
		    sig == SIGBUS || sig == SIGFPE || sig == SIGILL || sig == SIGABRT)
			continue;
		sigaction(sig, &sa, NULL);
	}
}

/* The text of the last "error" line appended to the --log file since
 * `offset` (JSON or logrus text). */
static char *last_log_error(const char *log_path, off_t offset)
{
	cleanup_close int fd = open(log_path, O_RDONLY | O_CLOEXEC);
	cleanup_free char *data = NULL;
	cleanup_error mr_error *err = NULL;
	size_t len = 0;
	char *found = NULL;

	if (fd < 0 || lseek(fd, offset, SEEK_SET) < 0 || mr_read_fd(fd, &data, &len, &err) < 0)
		return NULL;
	for (char *line = strtok(data, "\n"); line != NULL; line = strtok(NULL, "\n")) {
		json_t *j = json_loads(line, 0, NULL);
		const char *msg = NULL;
		if (j != NULL) {
			const char *level = mr_json_str(j, "level");
			if (level != NULL && (strcmp(level, "error") == 0 || strcmp(level, "fatal") == 0))
				msg = mr_json_str(j, "msg");
			if (msg != NULL) {
				free(found);
				found = strdup(msg);
			}
			json_decref(j);
		} else if (strstr(line, "level=error") != NULL || strstr(line, "level=fatal") != NULL) {
			const char *m = strstr(line, "msg=");
			free(found);
			found = strdup(m != NULL ? m + 4 : line);
		}
	}
	return found;
}

int delegate_run(struct mockrunc *m, int *status, int *signo, char **error_text,
		 mr_error **err)
{
	cleanup_free char *path = delegate_resolve(m->settings.backend, err);
	const char *log_path = cli_string(&m->inv.global, "log");
	struct stat st;
	off_t log_offset = 0;
	int report[2];
	pid_t pid;
	int wstatus, exec_errno = 0;
	ssize_t n;

	*status = 0;
	*signo = 0;
	*error_text = NULL;
	if (path == NULL)
		return -1;
	if (log_path != NULL && stat(log_path, &st) == 0)
		log_offset = st.st_size;
	/* The child reports a failed execve through this pipe; a successful
	 * one closes it (CLOEXEC) and the parent reads nothing. */
	if (pipe2(report, O_CLOEXEC) < 0)
		return mr_error_set(err, errno, "pipe");
	m->inv.backend_argv[0] = path;
	install_forwarding();
	/* vfork: the child only execs (or reports why it could not), so
	 * nothing of ours is copied for it; the forwarding handler it
	 * inherits until then finds no child to signal. */
	pid = vfork();
	if (pid < 0) {
		close(report[0]);
		close(report[1]);
		return mr_error_set(err, errno, "vfork");
	}
	if (pid == 0) {
		int e;
		close(report[0]);
		if (m->resources_stdin_fd >= 0 && dup2(m->resources_stdin_fd, 0) < 0)
			_exit(127);
		execv(path, m->inv.backend_argv);
		e = errno;
		mr_write_all(report[1], &e, sizeof e);
		_exit(127);
	}
	child_pid = pid;
	close(report[1]);
	/* The delegate runs: record the call meanwhile. */
	mockrunc_while_busy(m);
	do {
		n = read(report[0], &exec_errno, sizeof exec_errno);
	} while (n < 0 && errno == EINTR);
	close(report[0]);
	while (waitpid(pid, &wstatus, 0) < 0) {
		if (errno != EINTR)
			return mr_error_set(err, errno, "wait for %s", path);
	}
	child_pid = 0;
	if (n == (ssize_t)sizeof exec_errno)
		return mr_error_set(err, exec_errno, "exec %s", path);
	if (WIFSIGNALED(wstatus)) {
		*signo = WTERMSIG(wstatus);
		*status = 128 + *signo;
	} else {
		*status = WEXITSTATUS(wstatus);
	}
	if (*status != 0 && log_path != NULL)
		*error_text = last_log_error(log_path, log_offset);
	return 0;
}
