#include "report/score.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/cleanup.h"
#include "common/clock.h"
#include "common/json.h"
#include "recorder/recorder.h"
#include "report/check.h"
#include "report/score_ctx.h"

/* ---- small helpers for the passes ---- */

enum call_cmd call_cmd_parse(const char *name)
{
	static const char *const names[] = {
		[CMD_CREATE] = "create", [CMD_START] = "start", [CMD_KILL] = "kill",
		[CMD_DELETE] = "delete", [CMD_STATE] = "state", [CMD_EXEC] = "exec", [CMD_RUN] = "run",
		[CMD_RESTORE] = "restore", [CMD_PAUSE] = "pause", [CMD_RESUME] = "resume",
		[CMD_UPDATE] = "update", [CMD_PS] = "ps", [CMD_EVENTS] = "events",
		[CMD_CHECKPOINT] = "checkpoint", [CMD_LIST] = "list", [CMD_SPEC] = "spec",
		[CMD_FEATURES] = "features", [CMD_HELP] = "help",
	};

	if (name == NULL)
		return CMD_NONE;
	for (size_t i = CMD_CREATE; i < CMD_UNKNOWN; i++)
		if (strcmp(names[i], name) == 0)
			return (enum call_cmd)i;
	if (strcmp(name, "h") == 0)
		return CMD_HELP;
	return CMD_UNKNOWN;
}

const char *ctx_string(const struct score_ctx *x, uint32_t idx)
{
	return idx == 0 ? NULL : strmap_key(&x->strings, idx - 1);
}

static int64_t session_id(const struct score_ctx *x, uint32_t idx)
{
	return idx < x->s->nsessions ? x->s->sessions[idx] : 0;
}

int ctx_call_violation(struct score_ctx *x, int rule, const char *feature, const char *message,
		       const char *path, const char *value, const struct call *c)
{
	return evidence_map_add(x->ev, (size_t)rule, feature, message, path, value, c->id,
				session_id(x, c->session), ctx_string(x, c->container),
				ctx_string(x, c->root), NULL, 1);
}

void ctx_judged(struct score_ctx *x, int rule)
{
	x->s->rules[rule].judged++;
}

static int intern(struct strmap *m, const unsigned char *text, int len, uint32_t *out)
{
	int64_t i;

	if (text == NULL) {
		*out = 0;
		return 0;
	}
	i = strmap_intern(m, (const char *)text, (size_t)len);
	if (i < 0)
		return -1;
	*out = (uint32_t)i + 1;
	return 0;
}

/* Consecutive calls mostly share their state root, often their container:
 * comparing with the previous row's string is cheaper than hashing it. */
struct intern_cache {
	uint32_t idx;
	int len;
};

static int intern_cached(struct strmap *m, const unsigned char *text, int len, uint32_t *out,
			 struct intern_cache *last)
{
	if (text != NULL && last->idx != 0 && last->len == len &&
	    memcmp(strmap_key(m, last->idx - 1), text, (size_t)len) == 0) {
		*out = last->idx;
		return 0;
	}
	if (intern(m, text, len, out) < 0)
		return -1;
	if (*out != 0)
		*last = (struct intern_cache){ *out, len };
	return 0;
}

static int kind_of_column(int column)
{
	return column == 0 ? RECORDER_BLOB_CONFIG : column == 1 ? RECORDER_BLOB_PROCESS
							  : RECORDER_BLOB_RESOURCES;
}

json_t *ctx_blob_doc(struct score_ctx *x, int32_t slot)
{
	struct blob_slot *b;
	struct blob_eval tmp;
	cleanup_error mr_error *err = NULL;
	struct blob_eval_opts o = { 0 };
	json_t *doc = NULL;

	if (slot < 0 || (size_t)slot >= x->nblobs)
		return NULL;
	b = &x->blobs[slot];
	if (b->doc != NULL)
		return b->doc;
	sqlite3_reset(x->load_blob);
	sqlite3_bind_int64(x->load_blob, 1, b->blob_id);
	if (sqlite3_step(x->load_blob) != SQLITE_ROW)
		return NULL;
	o.kind = b->kind;
	/* Judging again is the one way to get the same shaped document. */
	if (blob_evaluate(sqlite3_column_blob(x->load_blob, 0),
			  (size_t)sqlite3_column_bytes(x->load_blob, 0), &o, &tmp, &doc, &err) == 0)
		blob_eval_clear(&tmp);
	sqlite3_reset(x->load_blob);
	b->doc = doc;
	return doc;
}

/* The slot of a blob, judging it the first time it is seen. */
static int blob_slot(struct score_ctx *x, int64_t blob_id, int kind, const struct call *c,
		     int32_t *out, mr_error **err)
{
	struct blob_slot *b;
	struct blob_eval_opts o = { .kind = kind };
	json_t *doc = NULL;

	if ((size_t)blob_id >= x->slot_cap) {
		size_t cap = x->slot_cap ? x->slot_cap : 1024;
		int32_t *n;
		while (cap <= (size_t)blob_id)
			cap *= 2;
		n = realloc(x->slot_of, cap * sizeof *n);
		if (n == NULL)
			return mr_error_set(err, ENOMEM, "score");
		memset(n + x->slot_cap, 0, (cap - x->slot_cap) * sizeof *n);
		x->slot_of = n;
		x->slot_cap = cap;
	}
	if (x->slot_of[blob_id] != 0) {
		*out = x->slot_of[blob_id] - 1;
		x->blobs[*out].count++;
		return 0;
	}
	if (x->nblobs == x->bcap) {
		size_t cap = x->bcap ? x->bcap * 2 : 64;
		struct blob_slot *n = realloc(x->blobs, cap * sizeof *n);
		if (n == NULL)
			return mr_error_set(err, ENOMEM, "score");
		x->blobs = n;
		x->bcap = cap;
	}
	b = &x->blobs[x->nblobs];
	memset(b, 0, sizeof *b);
	b->blob_id = blob_id;
	b->kind = kind;
	b->count = 1;
	b->first_id = c->id;
	b->first_container = c->container;
	b->first_root = c->root;
	b->first_session = c->session;
	sqlite3_reset(x->load_blob);
	sqlite3_bind_int64(x->load_blob, 1, blob_id);
	if (sqlite3_step(x->load_blob) != SQLITE_ROW) {
		sqlite3_reset(x->load_blob);
		return mr_error_set(err, 0, "blob %lld is missing from the database", (long long)blob_id);
	}
	if (blob_evaluate(sqlite3_column_blob(x->load_blob, 0),
			  (size_t)sqlite3_column_bytes(x->load_blob, 0), &o, &b->ev, &doc, err) < 0) {
		sqlite3_reset(x->load_blob);
		return -1;
	}
	sqlite3_reset(x->load_blob);
	expect_blob_match(x, b, doc);
	if (b->any_step)
		b->doc = doc;
	else
		json_decref(doc);
	*out = (int32_t)x->nblobs++;
	x->slot_of[blob_id] = *out + 1;
	return 0;
}

/* ---- pass 1: the invocations ---- */

static int load_sessions(struct score_ctx *x, const int64_t *ids, size_t n, char **json_ids,
			 mr_error **err)
{
	struct subject *s = x->s;
	sqlite3_stmt *st = NULL;
	cleanup_json json_t *arr = json_array();

	s->sessions = calloc(n, sizeof *s->sessions);
	if (s->sessions == NULL || arr == NULL)
		return mr_error_set(err, ENOMEM, "score");
	if (sqlite3_prepare_v2(x->db, "SELECT engine, engine_version, label, host, started_ns, ended_ns"
			       " FROM sessions WHERE id = ?", -1, &st, NULL) != SQLITE_OK)
		return mr_error_set(err, 0, "read sessions: %s", sqlite3_errmsg(x->db));
	for (size_t i = 0; i < n; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, ids[i]);
		if (sqlite3_step(st) != SQLITE_ROW) {
			sqlite3_finalize(st);
			return mr_error_set(err, 0, "no session %lld in the database", (long long)ids[i]);
		}
		s->sessions[s->nsessions++] = ids[i];
		json_array_append_new(arr, json_integer(ids[i]));
		if (i == 0) {
			const char *cols[4];
			for (int k = 0; k < 4; k++)
				cols[k] = (const char *)sqlite3_column_text(st, k);
			s->engine = cols[0] ? strdup(cols[0]) : NULL;
			s->engine_version = cols[1] ? strdup(cols[1]) : NULL;
			s->label = cols[2] ? strdup(cols[2]) : NULL;
			s->host = cols[3] ? strdup(cols[3]) : NULL;
			s->started_ns = sqlite3_column_int64(st, 4);
			s->ended_ns = sqlite3_column_int64(st, 5);
		} else {
			int64_t start = sqlite3_column_int64(st, 4), end = sqlite3_column_int64(st, 5);
			if (start < s->started_ns)
				s->started_ns = start;
			if (s->ended_ns != 0 && (end == 0 || end > s->ended_ns))
				s->ended_ns = end;
		}
	}
	sqlite3_finalize(st);
	*json_ids = json_dumps(arr, JSON_COMPACT);
	return *json_ids != NULL ? 0 : mr_error_set(err, ENOMEM, "score");
}

/* G06 is judged per create: the bundle is a property of the call. */
static int judge_g06(struct score_ctx *x, const struct call *c, const char *bundle)
{
	const char *root_path;

	if (c->config < 0 || bundle == NULL)
		return 0;
	root_path = x->blobs[c->config].ev.root_path;
	if (root_path == NULL)
		return 0;
	ctx_judged(x, x->rule_g06);
	if (check_rootfs_in_bundle(root_path, bundle))
		return 0;
	{
		cleanup_free char *value = mr_json_quote_go(root_path);
		return ctx_call_violation(x, x->rule_g06, NULL, "root.path is not a directory of the bundle",
					  "root.path", value, c);
	}
}

#define CALL_COLUMNS "SELECT id, started_ns, command, container_id, runtime_root, exit_code," \
	" config_blob, process_blob, resources_blob, bundle, session_id FROM invocations"

static int pass_invocations(struct score_ctx *x, const char *json_ids, const char *container,
			    mr_error **err)
{
	sqlite3_stmt *st = NULL;
	struct intern_cache last_container = { 0 }, last_root = { 0 };
	int rc;

	if (sqlite3_prepare_v2(x->db, container == NULL
			       ? CALL_COLUMNS " WHERE session_id IN (SELECT value FROM json_each(?1))"
			       : CALL_COLUMNS " WHERE container_id = ?2 AND session_id IN"
				 " (SELECT value FROM json_each(?1))",
			       -1, &st, NULL) != SQLITE_OK)
		return mr_error_set(err, 0, "read invocations: %s", sqlite3_errmsg(x->db));
	sqlite3_bind_text(st, 1, json_ids, -1, SQLITE_STATIC);
	if (container != NULL)
		sqlite3_bind_text(st, 2, container, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct call *c;
		const char *command = (const char *)sqlite3_column_text(st, 2);
		int64_t sid = sqlite3_column_int64(st, 10);

		if (x->ncalls == x->ccap) {
			size_t cap = x->ccap ? x->ccap * 2 : 4096;
			struct call *n = realloc(x->calls, cap * sizeof *n);
			if (n == NULL)
				goto nomem;
			x->calls = n;
			x->ccap = cap;
		}
		c = &x->calls[x->ncalls];
		memset(c, 0, sizeof *c);
		c->id = sqlite3_column_int64(st, 0);
		c->started_ns = sqlite3_column_int64(st, 1);
		c->cmd = (uint8_t)call_cmd_parse(command);
		if (command != NULL && command[0] == '-')
			c->bits |= CALL_DASH_COMMAND;
		/* Text first, then its length: the order SQLite guarantees. */
		const unsigned char *cid = sqlite3_column_text(st, 3);
		int cid_len = sqlite3_column_bytes(st, 3);
		const unsigned char *root = sqlite3_column_text(st, 4);
		int root_len = sqlite3_column_bytes(st, 4);
		if (intern_cached(&x->strings, cid, cid_len, &c->container, &last_container) < 0 ||
		    intern_cached(&x->strings, root, root_len, &c->root, &last_root) < 0)
			goto nomem;
		if (sqlite3_column_type(st, 5) != SQLITE_NULL) {
			int code = sqlite3_column_int(st, 5);
			c->exit_code = (int16_t)(code < 0 || code > 32767 ? 255 : code);
			c->bits |= CALL_HAS_EXIT;
		}
		for (uint32_t k = 0; k < x->s->nsessions; k++)
			if (x->s->sessions[k] == sid)
				c->session = k;
		c->config = c->process = c->resources = -1;
		for (int col = 0; col < 3; col++) {
			int32_t *slot = col == 0 ? &c->config : col == 1 ? &c->process : &c->resources;
			if (sqlite3_column_type(st, 6 + col) == SQLITE_NULL)
				continue;
			if (blob_slot(x, sqlite3_column_int64(st, 6 + col), kind_of_column(col), c, slot, err) < 0)
				goto fail;
		}
		if (calls_judge_command(x, c, command) < 0)
			goto nomem;
		if (sqlite3_column_type(st, 9) != SQLITE_NULL) {
			c->bits |= CALL_BUNDLE;
			if ((c->cmd == CMD_CREATE || c->cmd == CMD_RUN || c->cmd == CMD_RESTORE) &&
			    judge_g06(x, c, (const char *)sqlite3_column_text(st, 9)) < 0)
				goto nomem;
		}
		x->ncalls++;
	}
	if (rc != SQLITE_DONE) {
		mr_error_set(err, 0, "read invocations: %s", sqlite3_errmsg(x->db));
		goto fail;
	}
	sqlite3_finalize(st);
	return 0;
nomem:
	mr_error_set(err, ENOMEM, "score");
fail:
	sqlite3_finalize(st);
	return -1;
}

/* ---- pass 2: command-line items ---- */

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static enum item_kind item_kind(const char *id)
{
	if (ends_with(id, ".--console-socket"))
		return ITEM_CONSOLE;
	if (ends_with(id, ".--pid-file"))
		return ITEM_PIDFILE;
	if (strcmp(id, "delete.--force") == 0)
		return ITEM_FORCE;
	if (strcmp(id, "kill.--all") == 0)
		return ITEM_ALL;
	if (ends_with(id, ".--detach"))
		return ITEM_DETACH;
	if (strcmp(id, "exec.--tty") == 0)
		return ITEM_TTY;
	if (strcmp(id, "exec.--ignore-paused") == 0)
		return ITEM_IGNORE_PAUSED;
	if (strcmp(id, "kill.--signal") == 0)
		return ITEM_SIGNAL_FLAG;
	if (strcmp(id, "kill.signal") == 0)
		return ITEM_SIGNAL_ARG;
	return ITEM_PLAIN;
}

/* runc's signal parsing: a number, or a name with or without SIG, any case. */
static uint8_t parse_signal(const char *s)
{
	static const char *const names[] = {
		NULL, "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1",
		"SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP",
		"TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS",
	};
	char *end;
	long n;

	if (s == NULL || *s == '\0')
		return SIGNAL_INVALID;
	if (isdigit((unsigned char)*s)) {
		n = strtol(s, &end, 10);
		return *end == '\0' && n >= 1 && n <= 64 ? (uint8_t)n : SIGNAL_INVALID;
	}
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	for (size_t i = 1; i < sizeof names / sizeof names[0]; i++)
		if (strcasecmp(s, names[i]) == 0)
			return (uint8_t)i;
	if (strcasecmp(s, "IOT") == 0)
		return 6;
	if (strcasecmp(s, "POLL") == 0)
		return 29;
	return SIGNAL_INVALID;
}

static const char *signal_form(const char *s)
{
	if (s != NULL && isdigit((unsigned char)*s))
		return "kill.signal#number";
	if (s != NULL && strncasecmp(s, "SIG", 3) == 0)
		return "kill.signal#signame";
	return "kill.signal#name";
}

static int count_item(struct score_ctx *x, const char *id, size_t len, int64_t *idx)
{
	*idx = strmap_intern(&x->cli, id, len);
	if (*idx < 0)
		return -1;
	if ((size_t)*idx >= x->cli_cap) {
		size_t cap = x->cli_cap ? x->cli_cap * 2 : 128;
		int64_t *n = realloc(x->cli_count, cap * sizeof *n);
		if (n == NULL)
			return -1;
		memset(n + x->cli_cap, 0, (cap - x->cli_cap) * sizeof *n);
		x->cli_count = n;
		x->cli_cap = cap;
	}
	x->cli_count[*idx]++;
	return 0;
}

static int by_id(const void *a, const void *b)
{
	const struct call *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static int pass_items(struct score_ctx *x, mr_error **err)
{
	sqlite3_stmt *st = NULL;
	size_t pos = 0;
	uint8_t *kinds = NULL;
	size_t kcap = 0;
	int rc;

	if (x->ncalls == 0)
		return 0;
	qsort(x->calls, x->ncalls, sizeof *x->calls, by_id);
	if (sqlite3_prepare_v2(x->db, "SELECT invocation_id, feature, value FROM invocation_features"
			       " WHERE invocation_id BETWEEN ?1 AND ?2", -1, &st, NULL) != SQLITE_OK)
		return mr_error_set(err, 0, "read command-line items: %s", sqlite3_errmsg(x->db));
	sqlite3_bind_int64(st, 1, x->calls[0].id);
	sqlite3_bind_int64(st, 2, x->calls[x->ncalls - 1].id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t inv = sqlite3_column_int64(st, 0), idx;
		const char *id = (const char *)sqlite3_column_text(st, 1);
		const char *value = (const char *)sqlite3_column_text(st, 2);
		struct call *c;

		/* Both sides are ordered by invocation id: a merge. */
		while (pos < x->ncalls && x->calls[pos].id < inv)
			pos++;
		if (pos == x->ncalls)
			break;
		if (x->calls[pos].id != inv || id == NULL)
			continue;
		c = &x->calls[pos];
		if (count_item(x, id, (size_t)sqlite3_column_bytes(st, 1), &idx) < 0)
			goto nomem;
		if ((size_t)idx >= kcap) {
			size_t cap = kcap ? kcap * 2 : 128;
			uint8_t *n;
			while (cap <= (size_t)idx)
				cap *= 2;
			n = realloc(kinds, cap);
			if (n == NULL)
				goto nomem;
			memset(n + kcap, 0xff, cap - kcap);
			kinds = n;
			kcap = cap;
		}
		if (kinds[idx] == 0xff)
			kinds[idx] = (uint8_t)item_kind(id);
		switch ((enum item_kind)kinds[idx]) {
		case ITEM_CONSOLE: c->bits |= CALL_CONSOLE; break;
		case ITEM_PIDFILE:
			c->bits |= CALL_PIDFILE;
			if (value == NULL || value[0] != '/')
				c->bits |= CALL_PIDFILE_REL;
			if (calls_judge_item(x, c, value, ITEM_PIDFILE) < 0)
				goto nomem;
			break;
		case ITEM_FORCE: if (value == NULL || strcmp(value, "false") != 0) c->bits |= CALL_FORCE; break;
		case ITEM_ALL: if (value == NULL || strcmp(value, "false") != 0) c->bits |= CALL_ALL; break;
		case ITEM_DETACH: if (value == NULL || strcmp(value, "false") != 0) c->bits |= CALL_DETACH; break;
		case ITEM_TTY: if (value == NULL || strcmp(value, "false") != 0) c->bits |= CALL_TTY; break;
		case ITEM_IGNORE_PAUSED: if (value == NULL || strcmp(value, "false") != 0) c->bits |= CALL_IGNORE_PAUSED; break;
		case ITEM_SIGNAL_FLAG:
		case ITEM_SIGNAL_ARG: {
			const char *form = signal_form(value);
			c->bits |= kinds[idx] == ITEM_SIGNAL_FLAG ? CALL_SIGNAL_FLAG : CALL_SIGNAL_ARG;
			c->signal = parse_signal(value);
			if (calls_judge_item(x, c, value, (enum item_kind)kinds[idx]) < 0)
				goto nomem;
			if (kinds[idx] == ITEM_SIGNAL_ARG && count_item(x, form, strlen(form), &idx) < 0)
				goto nomem;
			break;
		}
		default:
			break;
		}
	}
	free(kinds);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		mr_error_set(err, 0, "read command-line items: %s", sqlite3_errmsg(x->db));
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
nomem:
	free(kinds);
	sqlite3_finalize(st);
	return mr_error_set(err, ENOMEM, "score");
}

/* ---- pass 3: per container ---- */

static int by_container_time(const void *a, const void *b, void *arg)
{
	const struct score_ctx *ctx = arg;
	const struct call *x = &ctx->calls[*(const uint32_t *)a];
	const struct call *y = &ctx->calls[*(const uint32_t *)b];

	if (x->container != y->container)
		return x->container < y->container ? -1 : 1;
	if (x->started_ns != y->started_ns)
		return x->started_ns < y->started_ns ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int pass_containers(struct score_ctx *x, mr_error **err)
{
	uint32_t *idx = malloc((x->ncalls + 1) * sizeof *idx);
	size_t i = 0;
	int64_t dflt;

	if (idx == NULL)
		return mr_error_set(err, ENOMEM, "score");
	for (size_t k = 0; k < x->ncalls; k++) {
		idx[k] = (uint32_t)k;
		if (x->calls[k].cmd == CMD_KILL && !(x->calls[k].bits & (CALL_SIGNAL_ARG | CALL_SIGNAL_FLAG)) &&
		    count_item(x, "kill.signal#default", 19, &dflt) < 0)
			goto nomem;
		if (calls_judge_command_line(x, &x->calls[k]) < 0)
			goto nomem;
	}
	qsort_r(idx, x->ncalls, sizeof *idx, by_container_time, x);
	while (i < x->ncalls) {
		size_t j = i;
		uint32_t container = x->calls[idx[i]].container;
		while (j < x->ncalls && x->calls[idx[j]].container == container)
			j++;
		if (container != 0) {
			x->s->containers++;
			if (calls_judge_container(x, idx + i, j - i) < 0 ||
			    expect_score_container(x, idx + i, j - i) < 0)
				goto nomem;
		}
		i = j;
	}
	free(idx);
	return 0;
nomem:
	free(idx);
	return mr_error_set(err, ENOMEM, "score");
}

/* ---- aggregation ---- */

static int aggregate_blobs(struct score_ctx *x)
{
	struct subject *s = x->s;

	for (size_t i = 0; i < x->nblobs; i++) {
		struct blob_slot *b = &x->blobs[i];
		if (b->kind == RECORDER_BLOB_CONFIG)
			s->configs++;
		for (size_t k = 0; k < b->ev.nfeatures; k++)
			s->features[b->ev.features[k]].count += b->count;
		for (size_t k = 0; k < b->ev.njudged; k++)
			s->rules[b->ev.judged[k]].judged += b->count;
		for (size_t k = 0; k < b->ev.ninapplicable; k++)
			s->rules[b->ev.inapplicable[k]].inapplicable = true;
		for (size_t k = 0; k < b->ev.nfindings; k++) {
			const struct blob_finding *f = &b->ev.findings[k];
			if (evidence_map_add(x->ev, f->rule, f->feature, f->message, f->path, f->value,
					     b->first_id, session_id(x, b->first_session),
					     ctx_string(x, b->first_container), ctx_string(x, b->first_root),
					     NULL, b->count) < 0)
				return -1;
		}
	}
	return 0;
}

static int by_item_id(const void *a, const void *b)
{
	return strcmp(((const struct cli_item *)a)->id, ((const struct cli_item *)b)->id);
}

static int aggregate_items(struct score_ctx *x)
{
	struct subject *s = x->s;
	size_t n = x->cli.n;

	s->cli = calloc(n + 1, sizeof *s->cli);
	if (s->cli == NULL)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const char *id = strmap_key(&x->cli, i);
		if ((s->cli[i].id = strdup(id)) == NULL)
			return -1;
		s->cli[i].count = x->cli_count[i];
		s->ncli++;
		for (size_t f = 0; f < catalog_feature_count(); f++) {
			const struct catalog_feature *cf = catalog_feature(f);
			if (cf->source == SRC_CALLS && cf->match != NULL && catalog_match_id(cf->match, id))
				s->features[f].count += x->cli_count[i];
		}
	}
	qsort(s->cli, s->ncli, sizeof *s->cli, by_item_id);
	return 0;
}

static void ctx_free(struct score_ctx *x)
{
	for (size_t i = 0; i < x->nblobs; i++) {
		blob_eval_clear(&x->blobs[i].ev);
		json_decref(x->blobs[i].doc);
		free(x->blobs[i].steps);
	}
	free(x->blobs);
	free(x->calls);
	free(x->slot_of);
	free(x->cli_count);
	free(x->step_on);
	free(x->step_failed);
	strmap_free(&x->strings);
	strmap_free(&x->cli);
	evidence_map_free(x->ev);
	sqlite3_finalize(x->load_blob);
	sqlite3_finalize(x->call_items);
}

static int score(sqlite3 *db, const int64_t *sessions, size_t n, const char *container,
		 const char *name, const struct expect_set *ex, struct subject *out, mr_error **err)
{
	struct score_ctx x = { .db = db, .s = out, .ex = ex };
	cleanup_free char *json_ids = NULL;
	int rc = -1;

	if (report_subject_init(out, name) < 0)
		return mr_error_set(err, ENOMEM, "score");
	strmap_init(&x.strings);
	strmap_init(&x.cli);
	x.rule_g06 = catalog_rule_find("G06");
	x.rule_pr01 = catalog_rule_find("PR01");
	calls_init(&x);
	if ((x.ev = evidence_map_new()) == NULL) {
		mr_error_set(err, ENOMEM, "score");
		goto out;
	}
	if (sqlite3_prepare_v2(db, "SELECT data FROM blobs WHERE id = ?", -1, &x.load_blob, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT feature, value FROM invocation_features WHERE invocation_id = ?",
			       -1, &x.call_items, NULL) != SQLITE_OK) {
		mr_error_set(err, 0, "read blobs: %s", sqlite3_errmsg(db));
		goto out;
	}
	/* One read transaction: every pass sees the same database. */
	sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
	if (load_sessions(&x, sessions, n, &json_ids, err) < 0 || expect_begin(&x) < 0 ||
	    pass_invocations(&x, json_ids, container, err) < 0 || pass_items(&x, err) < 0 ||
	    pass_containers(&x, err) < 0)
		goto out;
	if (aggregate_blobs(&x) < 0 || aggregate_items(&x) < 0 || expect_finish(&x) < 0 ||
	    evidence_map_flush(x.ev, out) < 0) {
		mr_error_set(err, ENOMEM, "score");
		goto out;
	}
	out->invocations = (int64_t)x.ncalls;
	report_subject_finish(out);
	rc = 0;
out:
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	ctx_free(&x);
	if (rc < 0)
		report_subject_free(out);
	return rc;
}

int report_score_sessions(sqlite3 *db, const int64_t *sessions, size_t n, const char *name,
			  const struct expect_set *ex, struct subject *out, mr_error **err)
{
	return score(db, sessions, n, NULL, name, ex, out, err);
}

int report_score_container(sqlite3 *db, const char *container, struct subject *out, mr_error **err)
{
	sqlite3_stmt *st = NULL;
	int64_t *ids = NULL;
	size_t n = 0;
	int rc;

	if (sqlite3_prepare_v2(db, "SELECT DISTINCT session_id FROM invocations WHERE container_id = ?"
			       " AND session_id IS NOT NULL", -1, &st, NULL) != SQLITE_OK)
		return mr_error_set(err, 0, "find container: %s", sqlite3_errmsg(db));
	sqlite3_bind_text(st, 1, container, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t *l = realloc(ids, (n + 1) * sizeof *l);
		if (l == NULL) {
			rc = SQLITE_NOMEM;
			break;
		}
		ids = l;
		ids[n++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(ids);
		return mr_error_set(err, 0, "find container: %s", sqlite3_errstr(rc));
	}
	if (n == 0) {
		free(ids);
		return mr_error_set(err, 0, "container %s is not in the database", container);
	}
	rc = score(db, ids, n, container, container, NULL, out, err);
	free(ids);
	return rc;
}
