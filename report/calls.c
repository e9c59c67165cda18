/* Lifecycle (L01-L14) and command-line (CLI01-CLI10) rules, judged on the
 * recorded calls.
 *
 * A container's state is followed per state root from the calls alone. A
 * recording cannot see a process exit, so after start the container is
 * "running or stopped" and only what is certain is judged: start of a
 * container that is not created, delete of one that is created or paused,
 * any operation after a delete, kill after a SIGKILL that succeeded. A
 * container first seen without its create (created before the session) is
 * not judged until something certain happens to it. Failed calls change no
 * state, but the call itself is still judged: the caller made it. */
#include <stdio.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/json.h"
#include "report/score_ctx.h"

enum cstate { ST_UNKNOWN, ST_CREATED, ST_RUNNING, ST_PAUSED, ST_STOPPED, ST_DELETED };

static const char *state_name(enum cstate st)
{
	static const char *const names[] = { "unknown", "created", "running", "paused", "stopped", "deleted" };

	return names[st];
}

void calls_init(struct score_ctx *x)
{
	char id[8];

	for (int i = 1; i <= 14; i++) {
		snprintf(id, sizeof id, "L%02d", i);
		x->call_rule[RULE_L(i)] = catalog_rule_find(id);
	}
	for (int i = 1; i <= 10; i++) {
		snprintf(id, sizeof id, "CLI%02d", i);
		x->call_rule[RULE_CLI(i)] = catalog_rule_find(id);
	}
}

#define LR(n) (x->call_rule[RULE_L(n)])
#define CR(n) (x->call_rule[RULE_CLI(n)])

static int violation(struct score_ctx *x, int rule, const char *feature, const char *message,
		     const char *path, const char *value, const struct call *c)
{
	ctx_judged(x, rule);
	return ctx_call_violation(x, rule, feature, message, path, value, c);
}

static int quoted_violation(struct score_ctx *x, int rule, const char *feature, const char *message,
			    const char *path, const char *text, const struct call *c)
{
	cleanup_free char *value = text != NULL ? mr_json_quote_go(text) : NULL;

	return violation(x, rule, feature, message, path, value, c);
}

/* ---- one call at a time ---- */

/* runc: [A-Za-z0-9_+.-]+, neither "." nor "..". */
static bool valid_id(const char *id)
{
	if (id == NULL || *id == '\0' || strcmp(id, ".") == 0 || strcmp(id, "..") == 0)
		return false;
	return strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+.-") == strlen(id);
}

int calls_judge_command(struct score_ctx *x, const struct call *c, const char *command)
{
	if (command == NULL)
		return 0;
	if (c->bits & CALL_DASH_COMMAND) {
		if (quoted_violation(x, CR(1), NULL, "the command starts with a hyphen", "command", command, c) < 0)
			return -1;
	} else {
		ctx_judged(x, CR(1));
	}
	if (c->cmd == CMD_UNKNOWN) {
		if ((c->bits & CALL_HAS_EXIT) && c->exit_code == 0) {
			if (quoted_violation(x, CR(9), NULL, "an unknown command exited 0", "command", command, c) < 0)
				return -1;
		} else {
			ctx_judged(x, CR(9));
		}
	}
	return 0;
}

int calls_judge_item(struct score_ctx *x, const struct call *c, const char *value, enum item_kind kind)
{
	if (kind == ITEM_PIDFILE) {
		if (c->bits & CALL_PIDFILE_REL)
			return quoted_violation(x, CR(4), NULL, "the pid file path is not absolute", "--pid-file", value, c);
		ctx_judged(x, CR(4));
		return 0;
	}
	if (kind == ITEM_SIGNAL_ARG || kind == ITEM_SIGNAL_FLAG) {
		if (c->signal == SIGNAL_INVALID)
			return quoted_violation(x, CR(8), NULL, "the signal is not a signal the runtime knows",
						kind == ITEM_SIGNAL_ARG ? "kill <id> <signal>" : "--signal", value, c);
		if (kind == ITEM_SIGNAL_ARG)
			return quoted_violation(x, CR(8), NULL, "the signal is given positionally, not with --signal",
						"kill <id> <signal>", value, c);
		ctx_judged(x, CR(8));
	}
	return 0;
}

static const struct {
	enum call_cmd cmd;
	const char *feature;
} extensions[] = {
	{ CMD_EXEC, "ext.exec" }, { CMD_UPDATE, "ext.update" }, { CMD_PAUSE, "ext.pause" },
	{ CMD_RESUME, "ext.resume" }, { CMD_RUN, "ext.run" }, { CMD_PS, "ext.ps" },
	{ CMD_EVENTS, "ext.events" }, { CMD_CHECKPOINT, "ext.checkpoint" }, { CMD_RESTORE, "ext.restore" },
};

int calls_judge_command_line(struct score_ctx *x, const struct call *c)
{
	const char *ext = NULL;

	if (c->cmd == CMD_NONE)
		return 0;
	/* L01: the spec operations name a container. */
	if (c->cmd == CMD_CREATE || c->cmd == CMD_START || c->cmd == CMD_KILL || c->cmd == CMD_DELETE ||
	    c->cmd == CMD_STATE) {
		if (c->container == 0) {
			if (violation(x, LR(1), NULL, "the operation names no container id", "args", NULL, c) < 0)
				return -1;
		} else {
			ctx_judged(x, LR(1));
		}
	}
	/* CLI02: a terminal needs a console socket when the runtime detaches. */
	if (c->cmd == CMD_CREATE || c->cmd == CMD_RUN || c->cmd == CMD_EXEC) {
		int32_t slot = c->cmd == CMD_EXEC ? c->process : c->config;
		bool terminal = (slot >= 0 && x->blobs[slot].ev.terminal) || (c->bits & CALL_TTY);
		bool detached = c->cmd == CMD_CREATE || (c->bits & CALL_DETACH);
		const char *feature = c->cmd == CMD_EXEC ? "ext.exec.consoleSocket" : "cli.create.consoleSocket";
		if (terminal && detached && !(c->bits & CALL_CONSOLE)) {
			if (violation(x, CR(2), feature, "terminal is true but no console socket is given",
				      "process.terminal", "true", c) < 0)
				return -1;
		} else if (!terminal && (c->bits & CALL_CONSOLE) && (slot >= 0 || c->cmd == CMD_EXEC)) {
			if (violation(x, CR(2), feature, "a console socket is given but terminal is not true",
				      "--console-socket", NULL, c) < 0)
				return -1;
		} else if (slot >= 0 || c->cmd == CMD_EXEC) {
			ctx_judged(x, CR(2));
		}
	}
	if (c->cmd == CMD_KILL && !(c->bits & (CALL_SIGNAL_ARG | CALL_SIGNAL_FLAG)))
		ctx_judged(x, CR(8));
	/* CLI10: extensions a portable caller would not rely on. */
	for (size_t i = 0; i < sizeof extensions / sizeof extensions[0]; i++)
		if (extensions[i].cmd == c->cmd)
			ext = extensions[i].feature;
	if (c->cmd == CMD_DELETE && (c->bits & CALL_FORCE))
		ext = "ext.delete.force";
	if (c->cmd == CMD_KILL && (c->bits & CALL_ALL))
		ext = "ext.kill.all";
	if (ext != NULL) {
		char message[96];
		snprintf(message, sizeof message, "the runtime extension %s is used", ext);
		return violation(x, CR(10), ext, message, "command", NULL, c);
	}
	ctx_judged(x, CR(10));
	return 0;
}

/* ---- the calls of one container ---- */

struct root_state {
	uint32_t root;
	enum cstate st;
	int32_t config;          /* config of the create, -1: none seen */
};

#define MAX_ROOTS 8

static bool live(enum cstate st)
{
	return st == ST_CREATED || st == ST_RUNNING || st == ST_PAUSED || st == ST_STOPPED;
}

static struct root_state *state_for(struct root_state *roots, size_t *n, uint32_t root)
{
	for (size_t i = 0; i < *n; i++)
		if (roots[i].root == root)
			return &roots[i];
	if (*n == MAX_ROOTS)
		return NULL;
	roots[*n] = (struct root_state){ .root = root, .st = ST_UNKNOWN, .config = -1 };
	return &roots[(*n)++];
}

static int judge_create(struct score_ctx *x, struct root_state *rs, const struct call *c, bool ok)
{
	const char *id = ctx_string(x, c->container);

	if (c->cmd != CMD_RESTORE) {
		if (!(c->bits & CALL_BUNDLE) || c->config < 0) {
			if (violation(x, LR(2), NULL, "create without a bundle holding config.json", "--bundle", NULL, c) < 0)
				return -1;
		} else {
			ctx_judged(x, LR(2));
		}
	}
	if (!valid_id(id)) {
		if (quoted_violation(x, LR(3), NULL, "the container id is not valid for the runtime", "id", id, c) < 0)
			return -1;
	} else if (live(rs->st)) {
		if (quoted_violation(x, LR(3), NULL, "the id is held by a container of this state root that was not deleted",
				     "id", id, c) < 0)
			return -1;
	} else {
		ctx_judged(x, LR(3));
	}
	if (ok) {
		if (c->cmd == CMD_CREATE)
			rs->st = ST_CREATED;
		else
			rs->st = (c->bits & CALL_DETACH) ? ST_RUNNING : ST_STOPPED;
		rs->config = c->config;
	}
	return 0;
}

static int judge_start(struct score_ctx *x, struct root_state *rs, const struct call *c, bool ok)
{
	if (rs->st != ST_UNKNOWN) {
		if (rs->st != ST_CREATED) {
			if (quoted_violation(x, LR(4), NULL, "start of a container that is not created", "state",
					     state_name(rs->st), c) < 0)
				return -1;
		} else {
			ctx_judged(x, LR(4));
		}
	}
	if (rs->config >= 0) {
		if (!x->blobs[rs->config].ev.has_process) {
			if (violation(x, LR(5), NULL, "start of a bundle without process", "process", NULL, c) < 0 ||
			    violation(x, x->rule_pr01, NULL, "process is missing from a bundle that is started",
				      "process", NULL, c) < 0)
				return -1;
		} else {
			ctx_judged(x, LR(5));
			ctx_judged(x, x->rule_pr01);
		}
	}
	if (ok && rs->st == ST_CREATED)
		rs->st = ST_RUNNING;
	return 0;
}

static int judge_kill(struct score_ctx *x, struct root_state *rs, const struct call *c, bool ok)
{
	if (rs->st == ST_DELETED) {
		if (violation(x, LR(6), NULL, "kill of a container that was deleted", "state", "\"deleted\"", c) < 0 ||
		    violation(x, LR(14), NULL, "kill of a container already deleted", "state", "\"deleted\"", c) < 0)
			return -1;
	} else if (rs->st == ST_STOPPED && !(c->bits & CALL_ALL)) {
		if (violation(x, LR(6), NULL, "kill of a container stopped by an earlier SIGKILL", "state",
			      "\"stopped\"", c) < 0)
			return -1;
	} else if (rs->st != ST_UNKNOWN) {
		ctx_judged(x, LR(6));
	}
	if (ok && c->signal == 9 && (rs->st == ST_CREATED || rs->st == ST_RUNNING))
		rs->st = ST_STOPPED;
	return 0;
}

static int judge_delete(struct score_ctx *x, struct root_state *rs, const struct call *c, bool ok)
{
	bool force = c->bits & CALL_FORCE;

	if (rs->st == ST_DELETED) {
		if (violation(x, LR(14), NULL, "delete of a container already deleted", "state", "\"deleted\"", c) < 0)
			return -1;
	} else if (rs->st == ST_CREATED || rs->st == ST_PAUSED) {
		if (quoted_violation(x, LR(7), NULL,
				     force ? "delete --force of a container that is not stopped"
					   : "delete of a container that is not stopped",
				     "state", state_name(rs->st), c) < 0)
			return -1;
	} else if (rs->st == ST_STOPPED) {
		ctx_judged(x, LR(7));
	}
	if (ok)
		rs->st = ST_DELETED;
	return 0;
}

static int judge_other(struct score_ctx *x, struct root_state *rs, const struct call *c, bool ok)
{
	switch (c->cmd) {
	case CMD_STATE:
		if (rs->st == ST_DELETED)
			return violation(x, LR(8), NULL, "state of a container that was deleted", "state", "\"deleted\"", c);
		if (rs->st != ST_UNKNOWN)
			ctx_judged(x, LR(8));
		return 0;
	case CMD_EXEC:
		if (rs->st == ST_STOPPED || rs->st == ST_DELETED)
			return quoted_violation(x, LR(13), NULL, "exec in a container that is stopped or deleted",
						"state", state_name(rs->st), c);
		if (rs->st == ST_PAUSED && !(c->bits & CALL_IGNORE_PAUSED))
			return violation(x, LR(13), NULL, "exec in a paused container without --ignore-paused",
					 "state", "\"paused\"", c);
		if (rs->st != ST_UNKNOWN)
			ctx_judged(x, LR(13));
		return 0;
	default:
		break;
	}
	/* Any other operation on a deleted container addresses nothing. */
	if (rs->st == ST_DELETED)
		return violation(x, LR(14), NULL, "operation on a container already deleted", "state",
				 "\"deleted\"", c);
	if (c->cmd == CMD_PAUSE && ok && rs->st == ST_RUNNING)
		rs->st = ST_PAUSED;
	else if (c->cmd == CMD_RESUME && ok && rs->st == ST_PAUSED)
		rs->st = ST_RUNNING;
	return 0;
}

static bool addresses_container(enum call_cmd cmd)
{
	return cmd != CMD_NONE && cmd != CMD_CREATE && cmd != CMD_RUN && cmd != CMD_RESTORE &&
	       cmd != CMD_LIST && cmd != CMD_SPEC && cmd != CMD_FEATURES && cmd != CMD_HELP &&
	       cmd != CMD_UNKNOWN;
}

int calls_judge_container(struct score_ctx *x, const uint32_t *idx, size_t n)
{
	struct root_state roots[MAX_ROOTS];
	size_t nroots = 0;

	for (size_t i = 0; i < n; i++) {
		const struct call *c = &x->calls[idx[i]];
		struct root_state *rs = state_for(roots, &nroots, c->root);
		bool ok = !(c->bits & CALL_HAS_EXIT) || c->exit_code == 0;
		bool elsewhere = false;
		int rc = 0;

		if (rs == NULL)
			continue;
		for (size_t k = 0; k < nroots; k++)
			if (&roots[k] != rs && live(roots[k].st))
				elsewhere = true;
		/* L10: an operation goes to the root that created the container. */
		if (addresses_container(c->cmd) && rs->st == ST_UNKNOWN && elsewhere) {
			if (quoted_violation(x, LR(10), NULL,
					     "the operation uses a state root other than the one that created the container",
					     "--root", ctx_string(x, c->root), c) < 0)
				return -1;
			continue;
		}
		if (addresses_container(c->cmd) && rs->st != ST_UNKNOWN)
			ctx_judged(x, LR(10));
		switch (c->cmd) {
		case CMD_CREATE: case CMD_RUN: case CMD_RESTORE:
			rc = judge_create(x, rs, c, ok);
			break;
		case CMD_START:
			rc = judge_start(x, rs, c, ok);
			break;
		case CMD_KILL:
			rc = judge_kill(x, rs, c, ok);
			break;
		case CMD_DELETE:
			rc = judge_delete(x, rs, c, ok);
			break;
		default:
			rc = judge_other(x, rs, c, ok);
			break;
		}
		if (rc < 0)
			return -1;
	}
	return 0;
}
