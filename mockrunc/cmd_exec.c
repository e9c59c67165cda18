/* exec: a new process in a running container (runc exits 255 when this
 * fails, which main does for every error of this command). */
#include <errno.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/file.h"
#include "mockrunc/commands.h"
#include "mockrunc/mockrunc.h"
#include "realexec/realexec.h"

/* The backend's hook for main's deferred work (recording the call). */
static void while_busy(void *arg)
{
	mockrunc_while_busy(arg);
}

static const char *nonempty(const char *s)
{
	return s != NULL && *s != '\0' ? s : NULL;
}

int mockrunc_cmd_exec(struct mockrunc *m, mr_error **err)
{
	const struct cli_flags *f = &m->inv.local;
	const char *process = nonempty(cli_string(f, "process"));
	const char *pf = nonempty(cli_string(f, "pid-file"));
	cleanup_free char *pid_file = NULL;
	char **env, **gids, **caps, **subs;
	struct realexec_exec_flags flags = {
		.args = m->inv.args + 1,
		.nargs = m->inv.nargs - 1,
		.cwd = cli_string(f, "cwd"),
		.tty = cli_bool(f, "tty"),
		.user = cli_string(f, "user"),
		.apparmor = cli_string(f, "apparmor"),
		.process_label = cli_string(f, "process-label"),
		.no_new_privs_set = cli_is_set(f, "no-new-privs"),
		.no_new_privs = cli_bool(f, "no-new-privs"),
	};
	struct realexec_exec_opts o;
	int status;

	flags.nenv = cli_slice(f, "env", &env);
	flags.env = env;
	flags.ngids = cli_slice(f, "additional-gids", &gids);
	flags.gids = gids;
	flags.ncaps = cli_slice(f, "cap", &caps);
	flags.caps = caps;
	if (pf != NULL && (pid_file = mr_path_abs(pf)) == NULL)
		return mr_error_set(err, ENOMEM, "exec failed: pid-file");
	o = (struct realexec_exec_opts){
		.root = m->root,
		.id = m->inv.id,
		.process_path = process,
		.process_data = m->process.data,
		.process_len = m->process.len,
		.process_errno = m->process.read_errno,
		.flags = &flags,
		.console_socket = nonempty(cli_string(f, "console-socket")),
		.pidfd_socket = nonempty(cli_string(f, "pidfd-socket")),
		.pid_file = pid_file,
		.detach = cli_bool(f, "detach"),
		.ignore_paused = cli_bool(f, "ignore-paused"),
		.preserve_fds = (unsigned)cli_int(f, "preserve-fds", 0),
		.log = &m->log,
		/* The call is recorded while the process gets ready. */
		.while_busy = while_busy,
		.while_busy_arg = m,
	};
	o.nsub_cgroups = cli_slice(f, "cgroup", &subs);
	o.sub_cgroups = subs;
	status = realexec_exec(&o, err);
	if (status < 0)
		return mr_error_wrap(err, "exec failed");
	return status;
}
