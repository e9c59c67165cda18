/* ps: the container's processes, as JSON pids (what docker top and ctr
 * task ps read) or as the host's `ps` output filtered to them. */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/file.h"
#include "common/json.h"
#include "mockrunc/commands.h"
#include "mockrunc/mockrunc.h"
#include "realexec/realexec.h"

extern char **environ;

/* Runs the host's ps with args, stdout and stderr combined (Go's
 * CombinedOutput), failing as Go's exec.Cmd words it. */
static int run_ps(char **args, size_t nargs, char **out, mr_error **err)
{
	char *default_args[] = { "-ef" };
	char **argv = calloc(nargs + 3, sizeof *argv);
	posix_spawn_file_actions_t fa;
	cleanup_close int rd = -1;
	int p[2], status, rc;
	size_t len = 0;
	pid_t pid;

	if (argv == NULL)
		return mr_error_set(err, ENOMEM, "ps");
	if (nargs == 0) {
		args = default_args;
		nargs = 1;
	}
	argv[0] = "ps";
	memcpy(argv + 1, args, nargs * sizeof *argv);
	if (pipe2(p, O_CLOEXEC) < 0) {
		free(argv);
		return mr_error_set(err, errno, "pipe");
	}
	rd = p[0];
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, p[1], 1);
	posix_spawn_file_actions_adddup2(&fa, p[1], 2);
	rc = posix_spawnp(&pid, "ps", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(p[1]);
	free(argv);
	if (rc != 0) {
		if (rc == ENOENT)
			return mr_error_set(err, 0, "exec: \"ps\": executable file not found in $PATH");
		return mr_error_set(err, rc, "fork/exec ps");
	}
	if (mr_read_fd(rd, out, &len, err) < 0) {
		waitpid(pid, NULL, 0);
		return -1;
	}
	if (waitpid(pid, &status, 0) < 0)
		return mr_error_set(err, errno, "wait ps");
	if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
		return mr_error_set(err, 0, "exit status %d: %s", WEXITSTATUS(status), *out);
	if (WIFSIGNALED(status))
		return mr_error_set(err, 0, "signal: %s: %s", strsignal(WTERMSIG(status)), *out);
	return 0;
}

static bool has_pid(const pid_t *pids, size_t n, long pid)
{
	for (size_t i = 0; i < n; i++)
		if (pids[i] == pid)
			return true;
	return false;
}

/* The header line, then the lines whose PID column is one of pids. */
static int print_table(char *output, const pid_t *pids, size_t n, mr_error **err)
{
	char *save = NULL, *line = strtok_r(output, "\n", &save);
	int index = -1, i = 0;
	cleanup_free char *header = line != NULL ? strdup(line) : NULL;

	for (char *s2 = NULL, *t = header != NULL ? strtok_r(header, " \t", &s2) : NULL; t != NULL;
	     t = strtok_r(NULL, " \t", &s2), i++)
		if (strcmp(t, "PID") == 0) {
			index = i;
			break;
		}
	if (index < 0)
		return mr_error_set(err, 0, "couldn't find PID field in ps output");
	printf("%s\n", line);
	while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
		cleanup_free char *copy = strdup(line);
		char *s2 = NULL, *t = copy != NULL ? strtok_r(copy, " \t", &s2) : NULL;
		char *end;
		long pid;
		for (i = 0; t != NULL && i < index; i++)
			t = strtok_r(NULL, " \t", &s2);
		if (t == NULL)
			return mr_error_set(err, 0, "unable to parse pid: index out of range");
		pid = strtol(t, &end, 10);
		if (*end != '\0') {
			cleanup_free char *q = mr_json_quote_go(t);
			return mr_error_set(err, 0, "unable to parse pid: strconv.Atoi: parsing %s: invalid syntax",
					    q != NULL ? q : t);
		}
		if (has_pid(pids, n, pid))
			printf("%s\n", line);
	}
	return 0;
}

int mockrunc_cmd_ps(struct mockrunc *m, mr_error **err)
{
	const char *format = cli_string(&m->inv.local, "format");
	cleanup_free pid_t *pids = NULL;
	cleanup_free char *output = NULL;
	size_t n = 0;

	if (realexec_pids(m->root, m->inv.id, &pids, &n, err) < 0)
		return -1;
	if (format == NULL)
		format = "table";
	if (strcmp(format, "json") == 0) {
		/* Go encodes an empty (nil) list as null. */
		if (n == 0) {
			printf("null\n");
			return 0;
		}
		putchar('[');
		for (size_t i = 0; i < n; i++)
			printf("%s%d", i > 0 ? "," : "", (int)pids[i]);
		printf("]\n");
		return 0;
	}
	if (strcmp(format, "table") != 0)
		return mr_error_set(err, 0, "invalid format option");
	if (run_ps(m->inv.args + 1, m->inv.nargs - 1, &output, err) < 0)
		return -1;
	return print_table(output, pids, n, err);
}
