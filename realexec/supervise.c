#include "realexec/supervise.h"

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/file.h"

struct relay {
	int master;            /* the process's pty, -1 without one */
	bool raw;              /* our stdin was put in raw mode */
	struct termios saved;
};

void rx_signals_block(sigset_t *set, sigset_t *old)
{
	sigfillset(set);
	sigdelset(set, SIGSEGV);
	sigdelset(set, SIGBUS);
	sigdelset(set, SIGILL);
	sigdelset(set, SIGFPE);
	sigdelset(set, SIGPIPE);
	sigprocmask(SIG_BLOCK, set, old);
}

static void copy_winsize(int master)
{
	struct winsize ws;

	if (ioctl(0, TIOCGWINSZ, &ws) == 0)
		ioctl(master, TIOCSWINSZ, &ws);
}

static void relay_start(struct relay *r)
{
	if (r->master >= 0 && isatty(0) && tcgetattr(0, &r->saved) == 0) {
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
	if (r->master >= 0)
		close(r->master);
	r->master = -1;
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

static int loop(pid_t pid, int sigfd, struct relay *r)
{
	bool stdin_open = r->master >= 0;

	for (;;) {
		struct pollfd p[3] = { { sigfd, POLLIN, 0 }, { r->master, POLLIN, 0 },
				       { stdin_open ? 0 : -1, POLLIN, 0 } };
		struct signalfd_siginfo si;
		int status;

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
			if (waitpid(pid, &status, WNOHANG) == pid) {
				/* What the process printed last. */
				while (r->master >= 0 && poll(&(struct pollfd){ r->master, POLLIN, 0 }, 1, 50) > 0 &&
				       pump(r->master, 1))
					;
				return exit_status(status);
			}
		} else if (si.ssi_signo == SIGWINCH) {
			if (r->master >= 0)
				copy_winsize(r->master);
		} else if (si.ssi_signo != SIGURG) {
			kill(pid, (int)si.ssi_signo);
		}
	}
}

int rx_supervise(pid_t pid, const sigset_t *set, int master, mr_error **err)
{
	struct relay r = { .master = master };
	cleanup_close int sigfd = signalfd(-1, set, SFD_CLOEXEC);
	int status;

	if (sigfd < 0) {
		if (master >= 0)
			close(master);
		return mr_error_set(err, errno, "signalfd");
	}
	relay_start(&r);
	status = loop(pid, sigfd, &r);
	relay_stop(&r);
	return status;
}
