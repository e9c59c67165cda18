/* state and list. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/clock.h"
#include "mockrunc/commands.h"
#include "mockrunc/mockrunc.h"
#include "realexec/realexec.h"

int mockrunc_cmd_state(struct mockrunc *m, mr_error **err)
{
	struct realexec_state st;
	cleanup_free char *text = NULL;

	if (realexec_state(m->root, m->inv.id, &st, err) < 0)
		return -1;
	text = realexec_state_json(&st, false);
	realexec_state_clear(&st);
	if (text == NULL)
		return mr_error_set(err, ENOMEM, "state");
	/* As runc: no trailing newline. */
	fputs(text, stdout);
	return 0;
}

/* Go's text/tabwriter as runc sets it up: minimum width 12, padding 3;
 * the last column is not padded. */
static void print_table(const struct realexec_state *list, size_t n)
{
	enum { COLS = 6 };
	const char *header[COLS] = { "ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER" };
	char (*pids)[16] = calloc(n + 1, sizeof *pids);
	char (*created)[64] = calloc(n + 1, sizeof *created);
	size_t width[COLS];

	if (pids == NULL || created == NULL) {
		free(pids);
		free(created);
		return;
	}
	for (int c = 0; c < COLS; c++)
		width[c] = strlen(header[c]);
	for (size_t i = 0; i < n; i++) {
		const char *row[COLS];
		snprintf(pids[i], sizeof pids[i], "%d", (int)list[i].pid);
		mr_rfc3339(list[i].created_ns, true, created[i], sizeof created[i]);
		row[0] = list[i].id, row[1] = pids[i], row[2] = list[i].status;
		row[3] = list[i].bundle, row[4] = created[i], row[5] = list[i].owner;
		for (int c = 0; c < COLS; c++)
			if (strlen(row[c]) > width[c])
				width[c] = strlen(row[c]);
	}
	for (int c = 0; c < COLS; c++)
		width[c] = width[c] + 3 < 12 ? 12 : width[c] + 3;
	for (size_t i = 0; i <= n; i++) {
		const char *row[COLS];
		if (i == 0) {
			memcpy(row, header, sizeof row);
		} else {
			const struct realexec_state *s = &list[i - 1];
			row[0] = s->id, row[1] = pids[i - 1], row[2] = s->status;
			row[3] = s->bundle, row[4] = created[i - 1], row[5] = s->owner;
		}
		for (int c = 0; c < COLS - 1; c++)
			printf("%-*s", (int)width[c], row[c]);
		printf("%s\n", row[COLS - 1]);
	}
	free(pids);
	free(created);
}

int mockrunc_cmd_list(struct mockrunc *m, mr_error **err)
{
	const char *format = cli_string(&m->inv.local, "format");
	struct realexec_state *list = NULL;
	size_t n = 0;

	if (format == NULL)
		format = "table";
	if (strcmp(format, "table") != 0 && strcmp(format, "json") != 0)
		return mr_error_set(err, 0, "invalid format option");
	if (realexec_list(m->root, &m->log, &list, &n, err) < 0)
		return -1;
	if (cli_bool(&m->inv.local, "quiet")) {
		for (size_t i = 0; i < n; i++)
			printf("%s\n", list[i].id);
	} else if (strcmp(format, "json") == 0) {
		if (n == 0)
			printf("null\n");
		else {
			printf("[");
			for (size_t i = 0; i < n; i++) {
				cleanup_free char *one = realexec_state_json(&list[i], true);
				printf("%s%s", i > 0 ? "," : "", one != NULL ? one : "{}");
			}
			printf("]\n");
		}
	} else {
		print_table(list, n);
	}
	realexec_list_free(list, n);
	return 0;
}
