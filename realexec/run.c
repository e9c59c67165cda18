/* `run` in the foreground: the runtime stays, forwards the signals it
 * gets to the container's init, relays the terminal when the container
 * has one, and exits with the process's status. */
#include <errno.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/json.h"
#include "realexec/container.h"
#include "realexec/realexec.h"
#include "realexec/supervise.h"
#include "realexec/terminal.h"

int realexec_run(const struct realexec_create_opts *o, bool detach, bool keep, mr_error **err)
{
	bool tty = json_is_true(mr_json_path(o->config, "process.terminal"));
	cleanup_close int ours = -1;
	int theirs = -1, master = -1, status;
	struct rx_container c;
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
	if (!detach)
		rx_signals_block(&set, &old);
	if (rx_create(o, theirs, &c, err) < 0) {
		if (theirs >= 0)
			close(theirs);
		if (!detach)
			sigprocmask(SIG_SETMASK, &old, NULL);
		return -1;
	}
	pid = c.pid;
	if (theirs >= 0)
		close(theirs);
	if (ours >= 0 && rx_recv_fd(ours, &master, err) < 0)
		goto fail;
	if (rx_start(&c, o->log, err) < 0)
		goto fail;
	if (detach) {
		rx_container_free(&c);
		return 0;
	}
	status = rx_supervise(pid, &set, master, err);
	master = -1;
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (status < 0)
		goto fail;
	if (!keep) {
		cleanup_error mr_error *derr = NULL;
		if (rx_delete_forced(&c, o->log, &derr) < 0)
			mr_log(o->log, MR_LOG_WARNING, "%s", derr->msg);
	}
	rx_container_free(&c);
	return status;
fail:
	{
		cleanup_error mr_error *ignored = NULL;
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		rx_delete_forced(&c, o->log, &ignored);
		rx_container_free(&c);
		if (master >= 0)
			close(master);
		if (!detach)
			sigprocmask(SIG_SETMASK, &old, NULL);
	}
	return -1;
}
