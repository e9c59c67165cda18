/* create, start, run and delete through the built-in execution core. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/cleanup.h"
#include "common/file.h"
#include "mockrunc/commands.h"
#include "mockrunc/mockrunc.h"
#include "realexec/realexec.h"

/* runc's wording when config.json cannot be used. */
static int config_error(const struct mockrunc *m, mr_error **err)
{
	struct stat st;

	/* runc changes into the bundle first: a bad bundle fails there. */
	if (m->bundle != NULL && stat(m->bundle, &st) < 0)
		return mr_error_set(err, errno, "chdir %s", m->bundle);
	if (m->bundle != NULL && !S_ISDIR(st.st_mode))
		return mr_error_set(err, ENOTDIR, "chdir %s", m->bundle);
	if (m->config.read_errno == ENOENT)
		return mr_error_set(err, 0, "JSON specification file config.json not found");
	if (m->config.read_errno != 0)
		return mr_error_set(err, m->config.read_errno, "open %s",
				    m->config.path != NULL ? m->config.path : "config.json");
	/* A truncated document reads as Go's decoder puts it. */
	if (m->config.parse_error != NULL && strstr(m->config.parse_error, "end of file") != NULL)
		return mr_error_set(err, 0, "unexpected EOF");
	return mr_error_set(err, 0, "config.json: %s",
			    m->config.parse_error != NULL ? m->config.parse_error : "invalid JSON");
}

/* The backend's hook for main's deferred work (recording the call). */
static void while_busy(void *arg)
{
	mockrunc_while_busy(arg);
}

/* The options create and run share; pid_file is owned by the caller. */
static int create_opts(struct mockrunc *m, struct realexec_create_opts *o, char **pid_file,
		       mr_error **err)
{
	const struct cli_flags *f = &m->inv.local;
	const char *pf = cli_string(f, "pid-file");
	const char *cs = cli_string(f, "console-socket");
	const char *ps = cli_string(f, "pidfd-socket");

	if (m->config.json == NULL)
		return config_error(m, err);
	*pid_file = NULL;
	if (pf != NULL && *pf != '\0' && (*pid_file = mr_path_abs(pf)) == NULL)
		return mr_error_set(err, ENOMEM, "pid-file");
	*o = (struct realexec_create_opts){
		.root = m->root,
		.id = m->inv.id,
		.bundle = m->bundle,
		.config = m->config.json,
		.console_socket = cs != NULL && *cs != '\0' ? cs : NULL,
		.pidfd_socket = ps != NULL && *ps != '\0' ? ps : NULL,
		.pid_file = *pid_file,
		.no_pivot = cli_bool(f, "no-pivot"),
		.no_new_keyring = cli_bool(f, "no-new-keyring"),
		.preserve_fds = (unsigned)cli_int(f, "preserve-fds", 0),
		.systemd_cgroup = cli_bool(&m->inv.global, "systemd-cgroup"),
		.log = &m->log,
		/* The call is recorded while the init builds the container. */
		.while_busy = while_busy,
		.while_busy_arg = m,
	};
	return 0;
}

int mockrunc_cmd_create(struct mockrunc *m, mr_error **err)
{
	struct realexec_create_opts o;
	cleanup_free char *pid_file = NULL;
	pid_t pid;

	if (create_opts(m, &o, &pid_file, err) < 0 || realexec_create(&o, &pid, err) < 0)
		return mr_error_wrap(err, "runc create failed");
	return 0;
}

int mockrunc_cmd_run(struct mockrunc *m, mr_error **err)
{
	struct realexec_create_opts o;
	cleanup_free char *pid_file = NULL;
	int status;

	if (create_opts(m, &o, &pid_file, err) < 0)
		return mr_error_wrap(err, "runc run failed");
	status = realexec_run(&o, cli_bool(&m->inv.local, "detach"), cli_bool(&m->inv.local, "keep"), err);
	if (status < 0)
		return mr_error_wrap(err, "runc run failed");
	return status;
}

int mockrunc_cmd_start(struct mockrunc *m, mr_error **err)
{
	return realexec_start(m->root, m->inv.id, &m->log, err) < 0 ? -1 : 0;
}

int mockrunc_cmd_delete(struct mockrunc *m, mr_error **err)
{
	return realexec_delete(m->root, m->inv.id, cli_bool(&m->inv.local, "force"), &m->log, err) < 0
		       ? -1 : 0;
}
