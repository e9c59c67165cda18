/* mockrunc: runc's command line in front of a recorder and a backend.
 *
 * The order of a run:
 *   1. parse argv exactly as runc would (mockrunc's own --mock-* flags are
 *      taken out of the global flags);
 *   2. load settings (flag > environment > config file > default);
 *   3. read the inputs (config.json, --process, --resources);
 *   4. record the invocation (database or spool);
 *   5. run it: the built-in core (realexec) or a delegate runtime;
 *   6. record the outcome and exit with the backend's status.
 * Errors are printed the runc way: plain text on stderr, plus one log line
 * in --log (JSON with --log-format json). Every failure, parse errors
 * included, is recorded before mockrunc exits. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/clock.h"
#include "mockrunc/cli.h"
#include "mockrunc/delegate.h"
#include "mockrunc/inputs.h"
#include "mockrunc/mockrunc.h"
#include "mockrunc/record.h"
#include "realexec/realexec.h"
#include "recorder/recorder.h"

struct outcome {
	int status;          /* exit status */
	int signo;           /* the delegate died of this signal: re-raised */
	char *error;         /* message printed and recorded, NULL on success */
};

/* Whether the backend calls mockrunc_while_busy() while it waits: a
 * delegate always does; on realexec, the handlers of create, run and exec
 * (cmd_lifecycle.c, cmd_exec.c) do, once the container's process is
 * forked and before a foreground process is waited for. */
static bool backend_waits(const struct mockrunc *m)
{
	static const char *const waiting[] = { "create", "run", "exec", NULL };

	if (mockrunc_delegates(m))
		return true;
	if (m->inv.cmd == NULL || m->inv.help || m->inv.version)
		return false;
	for (int i = 0; waiting[i] != NULL; i++)
		if (strcmp(m->inv.cmd->name, waiting[i]) == 0)
			return true;
	return false;
}

/* runc: --log goes to a file opened for appending; without it, log lines go
 * to stderr. */
static int setup_logger(struct mockrunc *m, mr_error **err)
{
	const char *path = cli_string(&m->inv.global, "log");
	const char *format = cli_string(&m->inv.global, "log-format");

	m->log = (struct mr_logger)MR_LOGGER_STDERR;
	if (cli_bool(&m->inv.global, "debug"))
		m->log.min = MR_LOG_DEBUG;
	if (format != NULL && strcmp(format, "json") == 0)
		m->log.json = true;
	else if (format != NULL && strcmp(format, "text") != 0)
		return mr_error_set(err, 0, "invalid log-format: %s", format);
	if (path != NULL && *path != '\0' && !mockrunc_delegates(m)) {
		int fd = open(path, O_CREAT | O_WRONLY | O_APPEND | O_SYNC | O_CLOEXEC, 0644);
		if (fd < 0)
			return mr_error_set(err, errno, "failed to open log file %s", path);
		m->log.fd = fd;
		m->log.is_stderr = false;
	}
	return 0;
}

static void print_error(const struct mockrunc *m, const char *msg)
{
	mr_log(&m->log, MR_LOG_ERROR, "%s", msg);
	if (!m->log.is_stderr)
		fprintf(stderr, "%s\n", msg);
}

static void print_version(void)
{
	cleanup_free char *text = realexec_version_text(MOCKRUNC_VERSION " (mockrunc)",
							 "mockrunc-" MOCKRUNC_VERSION);

	if (text != NULL)
		fputs(text, stdout);
}

/* Help, version and the help command are answered by mockrunc itself
 * unless a delegate answers (its own version is what engines should see). */
static int answer_builtin(struct mockrunc *m)
{
	const struct invocation *inv = &m->inv;

	if (inv->version) {
		print_version();
		return 0;
	}
	if (inv->cmd != NULL && strcmp(inv->cmd->name, "help") == 0 && inv->nargs > 0) {
		const struct cli_command *c = cli_find_command(inv->args[0]);
		if (c == NULL) {
			fprintf(stderr, "No help topic for '%s'\n", inv->args[0]);
			return 3;
		}
		cli_print_command_help(m->prog, c);
		return 0;
	}
	if (inv->cmd != NULL && inv->help && strcmp(inv->cmd->name, "help") != 0) {
		cli_print_command_help(m->prog, inv->cmd);
		return 0;
	}
	cli_print_app_help(m->prog);
	return 0;
}

static void run_backend(struct mockrunc *m, struct outcome *out)
{
	cleanup_error mr_error *err = NULL;
	int rc;

	if (mockrunc_delegates(m)) {
		if (delegate_run(m, &out->status, &out->signo, &out->error, &err) < 0) {
			out->status = 1;
			out->error = strdup(err->msg);
			print_error(m, err->msg);
		}
		return;
	}
	if (m->inv.cmd == NULL || m->inv.help || m->inv.version ||
	    strcmp(m->inv.cmd->name, "help") == 0) {
		out->status = answer_builtin(m);
		return;
	}
	if (m->inv.cmd->realexec == NULL) {
		mr_error_set(&err, 0, "%s: not supported by the built-in execution core "
			     "(a delegate runtime can run it: --mock-backend PATH)", m->inv.cmd->name);
		rc = -1;
	} else {
		rc = m->inv.cmd->realexec(m, &err);
	}
	if (rc < 0) {
		/* runc exits 255 when exec fails, 1 for every other failure. */
		out->status = strcmp(m->inv.cmd->name, "exec") == 0 ? 255 : 1;
		out->error = strdup(err != NULL ? err->msg : "unknown error");
		print_error(m, out->error);
		return;
	}
	out->status = rc;
}

static void usage_for_parse_error(const struct mockrunc *m, const struct cli_parse_error *perr,
				  const char *msg)
{
	if (!perr->show_usage)
		return;
	if (m->inv.cmd == NULL)
		printf("Incorrect Usage. %s\n\n", msg);
	else if (perr->usage_detail)
		printf("Incorrect Usage: %s\n\n", msg);
	else
		printf("Incorrect Usage.\n\n");
	if (m->inv.cmd != NULL)
		cli_print_command_help(m->prog, m->inv.cmd);
	else
		cli_print_app_help(m->prog);
	fflush(stdout);
}

void mockrunc_while_busy(struct mockrunc *m)
{
	void (*fn)(void *) = m->while_busy;

	m->while_busy = NULL;
	if (fn != NULL)
		fn(m->while_busy_arg);
}

/* Recording the start of a call: before the operation in strict mode
 * (which fails the operation when the call cannot be recorded), otherwise
 * while the backend waits on the container, so the engine does not wait
 * for the database. */
struct recording {
	struct mockrunc *m;
	struct recorder *rec;
	struct recorder_invocation inv;
	mr_error *strict_err;   /* strict mode: why the call cannot be recorded */
};

static void record_begin(void *arg)
{
	struct recording *r = arg;
	struct recorder_options opt = { .db_path = r->m->settings.db_path,
					.busy_timeout_ms = r->m->settings.busy_timeout_ms,
					.service = r->m->settings.service,
					.service_idle_ms = r->m->settings.service_idle_ms,
					.strict = r->m->settings.strict };

	if (recorder_open(&opt, &r->rec, &r->strict_err) == 0 &&
	    recorder_begin(r->rec, &r->inv, &r->strict_err) < 0)
		mr_error_wrap(&r->strict_err, "mockrunc: cannot record this call (strict mode)");
}

int main(int argc, char **argv)
{
	struct mockrunc m = { .prog = argv[0], .resources_stdin_fd = -1,
			      .log = MR_LOGGER_STDERR };
	int64_t started = mr_now_ns();
	struct cli_parse_error perr;
	struct outcome out = { 0 };
	cleanup_error mr_error *err = NULL;
	cleanup_error mr_error *settings_err = NULL;
	struct recording rec = { .m = &m };
	bool parsed;

	parsed = cli_parse(argc, argv, &m.inv, &perr, &err) == 0;
	mr_settings_load(&m.settings, &settings_err);
	if (cli_string(&m.inv.mock, "mock-db") != NULL)
		mr_settings_set(&m.settings.db_path, cli_string(&m.inv.mock, "mock-db"));
	if (cli_string(&m.inv.mock, "mock-backend") != NULL)
		mr_settings_set(&m.settings.backend, cli_string(&m.inv.mock, "mock-backend"));
	if (cli_string(&m.inv.mock, "mock-session") != NULL)
		mr_settings_set(&m.settings.session, cli_string(&m.inv.mock, "mock-session"));
	if (cli_is_set(&m.inv.mock, "mock-strict"))
		m.settings.strict = cli_bool(&m.inv.mock, "mock-strict");

	if (parsed && settings_err != NULL) {
		err = mr_steal_ptr(settings_err);
		parsed = false;
		perr = (struct cli_parse_error){ .exit_code = 1 };
	}
	/* The log is set up as soon as the global flags parsed, so a bad
	 * command line after them is reported in --log too, as runc does. */
	if ((parsed || m.inv.cmd_name != NULL) && setup_logger(&m, parsed ? &err : &settings_err) < 0 &&
	    parsed) {
		parsed = false;
		perr = (struct cli_parse_error){ .exit_code = 1 };
	}
	if (parsed && inputs_read(&m, &err) < 0) {
		parsed = false;
		perr = (struct cli_parse_error){ .exit_code = 1 };
	}
	if (mockrunc_delegates(&m) && parsed && m.inv.cmd != NULL && cli_string(&m.inv.global, "root") == NULL) {
		/* A delegate keeps state under its own default root. */
		const char *base = strrchr(m.settings.backend, '/');
		free(m.root);
		if (asprintf(&m.root, "/run/%s", base != NULL ? base + 1 : m.settings.backend) < 0)
			m.root = NULL;
	}

	record_invocation_build(&m, started, &rec.inv);
	if (m.settings.record && (m.settings.strict || !parsed || !backend_waits(&m))) {
		record_begin(&rec);
		if (rec.strict_err != NULL && parsed) {
			err = mr_steal_ptr(rec.strict_err);
			parsed = false;
			perr = (struct cli_parse_error){ .exit_code = 1 };
		}
	} else if (m.settings.record) {
		m.while_busy = record_begin;
		m.while_busy_arg = &rec;
	}

	if (!parsed) {
		usage_for_parse_error(&m, &perr, err->msg);
		print_error(&m, err->msg);
		out.status = perr.exit_code;
		out.error = strdup(err->msg);
	} else {
		run_backend(&m, &out);
	}

	mockrunc_while_busy(&m);
	if (rec.rec != NULL) {
		struct recorder_outcome o = { .ended_ns = mr_now_ns(), .exit_code = out.status,
					      .error = out.error };
		cleanup_error mr_error *rerr = NULL;
		if (recorder_end(rec.rec, &rec.inv, &o, &rerr) < 0 && out.status == 0) {
			print_error(&m, rerr->msg);
			out.status = 1;
		}
		recorder_close(rec.rec);
	}
	mr_error_free(&rec.strict_err);
	record_invocation_free(&rec.inv);
	free(out.error);
	inputs_free(&m);
	cli_invocation_free(&m.inv);
	mr_settings_free(&m.settings);
	fflush(stdout);
	if (out.signo > 0) {
		/* The delegate was killed: die the same way so the engine sees
		 * the same wait status it would have seen from the runtime. */
		signal(out.signo, SIG_DFL);
		raise(out.signo);
	}
	return out.status;
}
