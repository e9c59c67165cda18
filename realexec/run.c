/* `run` in the foreground: the runtime stays, forwards the signals it
 * gets to the container's init, relays the terminal when the container
 * has one, and exits with the process's status. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/file.h"
#include "common/json.h"
#include "realexec/container.h"
#include "realexec/realexec.h"
#include "realexec/terminal.h"

struct relay {
	int master;            /* the container's pty, -1 without one */
	bool raw;              /* our stdin was put in raw mode */
	struct termios saved;
};

static void copy_winsize(int master)
{
	struct winsize ws;

	if (ioctl(0, TIOCGWINSZ, &ws) == 0)
		ioctl(master, TIOCSWINSZ, &ws);
}

static void relay_start(struct relay *r)
{
	if (isatty(0) && tcgetattr(0, &r->saved) == 0) {
		struct termios t = r->saved;
		cfmakeraw(&t);
		if (tcsetattr(0, TCSANOW, &t) == 0)
			r->raw = true;
		copy_winsize(r->master);
	}
}

static void relay_stop(struct relay *r)
{
	if (r->raw)
		tcsetattr(0, TCSANOW, &r->saved);
}

/* Copies what is ready from one fd to another; false at end of input. */
static bool pump(int from, int to)
{
	char buf[8192];
	ssize_t n = read(from, buf, sizeof buf);

	if (n <= 0)
		return n < 0 && (errno == EINTR || errno == EAGAIN);
	return mr_write_all(to, buf, (size_t)n) == 0;
}

static int exit_status(int status)
{
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Forwards signals and relays the pty until the init exits. */
static int supervise(pid_t init, int sigfd, struct relay *r)
{
	bool stdin_open = r->master >= 0;

	for (;;) {
		struct pollfd p[3] = { { sigfd, POLLIN, 0 }, { r->master, POLLIN, 0 },
				       { stdin_open ? 0 : -1, POLLIN, 0 } };
		struct signalfd_siginfo si;

		if (poll(p, 3, -1) < 0 && errno != EINTR)
			return 1;
		if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
			if (!pump(r->master, 1)) {
				close(r->master);
				r->master = -1;
			}
		}
		if (p[2].revents & (POLLIN | POLLHUP | POLLERR)) {
			if (!pump(0, r->master))
				stdin_open = false;
		}
		if (!(p[0].revents & POLLIN) || read(sigfd, &si, sizeof si) != sizeof si)
			continue;
		if (si.ssi_signo == SIGCHLD) {
			int status;
			if (waitpid(init, &status, WNOHANG) == init) {
				/* What the container printed last. */
				while (r->master >= 0 && poll(&(struct pollfd){ r->master, POLLIN, 0 }, 1, 50) > 0 &&
				       pump(r->master, 1))
					;
				return exit_status(status);
			}
		} else if (si.ssi_signo == SIGWINCH) {
			if (r->master >= 0)
				copy_winsize(r->master);
		} else {
			kill(init, (int)si.ssi_signo);
		}
	}
}

int realexec_run(const struct realexec_create_opts *o, bool detach, bool keep, mr_error **err)
{
	bool tty = json_is_true(mr_json_path(o->config, "process.terminal"));
	struct relay r = { .master = -1 };
	cleanup_close int ours = -1;
	cleanup_close int sigfd = -1;
	int theirs = -1, status;
	sigset_t set, old;
	pid_t pid;

	if (tty && !detach && o->console_socket == NULL) {
		int sv[2];
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
			return mr_error_set(err, errno, "socketpair");
		ours = sv[0];
		theirs = sv[1];
	}
	/* Signals are queued from before the init exists, so none is lost. */
	sigfillset(&set);
	sigdelset(&set, SIGSEGV);
	sigdelset(&set, SIGBUS);
	sigdelset(&set, SIGILL);
	sigdelset(&set, SIGFPE);
	sigdelset(&set, SIGPIPE);
	if (!detach)
		sigprocmask(SIG_BLOCK, &set, &old);
	if (rx_create(o, theirs, &pid, err) < 0) {
		if (theirs >= 0)
			close(theirs);
		if (!detach)
			sigprocmask(SIG_SETMASK, &old, NULL);
		return -1;
	}
	if (theirs >= 0)
		close(theirs);
	if (ours >= 0 && rx_recv_fd(ours, &r.master, err) < 0)
		goto fail;
	if (realexec_start(o->root, o->id, o->log, err) < 0)
		goto fail;
	if (detach)
		return 0;
	sigfd = signalfd(-1, &set, SFD_CLOEXEC);
	if (sigfd < 0) {
		mr_error_set(err, errno, "signalfd");
		goto fail;
	}
	if (r.master >= 0)
		relay_start(&r);
	status = supervise(pid, sigfd, &r);
	relay_stop(&r);
	if (r.master >= 0)
		close(r.master);
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (!keep) {
		cleanup_error mr_error *derr = NULL;
		if (realexec_delete(o->root, o->id, true, o->log, &derr) < 0)
			mr_log(o->log, MR_LOG_WARNING, "%s", derr->msg);
	}
	return status;
fail:
	{
		cleanup_error mr_error *ignored = NULL;
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		realexec_delete(o->root, o->id, true, o->log, &ignored);
		if (r.master >= 0)
			close(r.master);
		if (!detach)
			sigprocmask(SIG_SETMASK, &old, NULL);
	}
	return -1;
}
