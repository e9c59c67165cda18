/* Scoring engine expectations on recorded calls. A step matches a
 * container when the container's config (or an exec's process.json) holds
 * the step's env entry or annotation, or when its id matches; every
 * matched container must then satisfy every check of the step. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/json.h"
#include "report/score_ctx.h"

static size_t nsteps(const struct score_ctx *x)
{
	return x->ex != NULL ? x->ex->n : 0;
}

int expect_begin(struct score_ctx *x)
{
	struct subject *s = x->s;
	size_t n = nsteps(x);

	if (n == 0)
		return 0;
	x->step_on = calloc(n, sizeof *x->step_on);
	x->step_failed = calloc(n, sizeof *x->step_failed);
	s->expects = calloc(n, sizeof *s->expects);
	if (x->step_on == NULL || x->step_failed == NULL || s->expects == NULL)
		return -1;
	s->nexpects = n;
	for (size_t i = 0; i < n; i++) {
		const struct expect_step *st = &x->ex->steps[i];
		struct expect_result *r = &s->expects[i];
		x->step_on[i] = expect_step_for_engine(st, s->engine);
		if (asprintf(&r->id, "EX-%s", st->name) < 0)
			return -1;
		r->title = strdup(st->title != NULL ? st->title
				  : st->nchecks > 0 ? st->checks[0].text : st->name);
		r->source = st->source != NULL ? strdup(st->source) : NULL;
		r->level = st->level;
	}
	return 0;
}

void expect_blob_match(struct score_ctx *x, struct blob_slot *b, json_t *doc)
{
	size_t n = nsteps(x);

	if (n == 0 || doc == NULL)
		return;
	for (size_t i = 0; i < n; i++) {
		if (!x->step_on[i] || !expect_step_matches_doc(&x->ex->steps[i], doc))
			continue;
		if (b->steps == NULL && (b->steps = calloc(n, sizeof *b->steps)) == NULL)
			return;
		b->steps[i] = true;
		b->any_step = true;
	}
}

static bool slot_matches(const struct score_ctx *x, int32_t slot, size_t step)
{
	return slot >= 0 && x->blobs[slot].steps != NULL && x->blobs[slot].steps[step];
}

/* Adds one failing container to a step's evidence, grouped by what failed. */
static int add_evidence(struct expect_result *r, const char *message, const char *value,
			const char *container, const char *root, int64_t invocation, int64_t session)
{
	struct evidence *ev;

	for (size_t i = 0; i < r->nev; i++) {
		if (strcmp(r->ev[i].message, message) == 0) {
			r->ev[i].count++;
			return 0;
		}
	}
	if (r->nev == REPORT_EVIDENCE_MAX)
		return 0;
	ev = realloc(r->ev, (r->nev + 1) * sizeof *ev);
	if (ev == NULL)
		return -1;
	r->ev = ev;
	ev = &r->ev[r->nev++];
	memset(ev, 0, sizeof *ev);
	ev->message = strdup(message);
	ev->value = value != NULL ? strdup(value) : NULL;
	ev->container = container != NULL ? strdup(container) : NULL;
	ev->root = root != NULL ? strdup(root) : NULL;
	ev->invocation = invocation;
	ev->session = session;
	ev->count = 1;
	return ev->message != NULL ? 0 : -1;
}

/* The value of one command-line item of a call. */
static bool call_item(struct score_ctx *x, const struct call *c, const char *id, char **value)
{
	bool found = false;

	*value = NULL;
	sqlite3_reset(x->call_items);
	sqlite3_bind_int64(x->call_items, 1, c->id);
	while (sqlite3_step(x->call_items) == SQLITE_ROW) {
		const char *f = (const char *)sqlite3_column_text(x->call_items, 0);
		if (f != NULL && strcmp(f, id) == 0) {
			const char *v = (const char *)sqlite3_column_text(x->call_items, 1);
			*value = v != NULL ? strdup(v) : NULL;
			found = true;
			break;
		}
	}
	sqlite3_reset(x->call_items);
	return found;
}

/* A command-line item: some call on the container satisfies the check
 * ("absent": no call has the item). */
static bool check_cli(struct score_ctx *x, const struct expect_check *ck, const uint32_t *idx,
		      size_t n, const struct call **failed_call, char **actual, bool *missing)
{
	bool seen = false;

	for (size_t i = 0; i < n; i++) {
		const struct call *c = &x->calls[idx[i]];
		char *found = NULL;
		bool present = call_item(x, c, ck->path, &found);
		bool ok = expect_eval_cli(ck, present, found);

		if (present && (!ok || !seen)) {
			free(*actual);
			*actual = found != NULL ? mr_json_quote_go(found) : strdup("null");
			*failed_call = c;
			seen = true;
		}
		free(found);
		if (ck->op == OP_ABSENT ? !ok : ok) {
			if (ck->op == OP_ABSENT)
				return false;
			free(*actual);
			*actual = NULL;
			return true;
		}
	}
	if (ck->op == OP_ABSENT) {
		free(*actual);
		*actual = NULL;
		return true;
	}
	*missing = !seen;
	return false;
}

/* One check on one container: true when it holds. *failed_call and
 * *actual describe the failure. */
static bool check_container(struct score_ctx *x, const struct expect_check *ck, const uint32_t *idx,
			    size_t n, const struct call **failed_call, char **actual, bool *missing)
{
	bool any = false, all = true, seen = false;

	*actual = NULL;
	*missing = false;
	*failed_call = &x->calls[idx[0]];
	for (size_t i = 0; i < n; i++) {
		const struct call *c = &x->calls[idx[i]];
		int32_t slot = -1;
		char *found = NULL;
		bool ok;

		switch (ck->subject) {
		case EXPECT_CONFIG:
			if (c->cmd == CMD_CREATE || c->cmd == CMD_RUN || c->cmd == CMD_RESTORE)
				slot = c->config;
			break;
		case EXPECT_PROCESS:
			if (c->cmd == CMD_EXEC)
				slot = c->process;
			break;
		case EXPECT_RESOURCES:
			if (c->cmd == CMD_UPDATE)
				slot = c->resources;
			break;
		case EXPECT_CALL:
			if (call_cmd_parse(ck->path) == (enum call_cmd)c->cmd)
				return true;
			continue;
		case EXPECT_CLI:
			return check_cli(x, ck, idx, n, failed_call, actual, missing);
		}
		if (slot < 0)
			continue;
		seen = true;
		ok = expect_eval_json(ck, ctx_blob_doc(x, slot), &found);
		if (ok) {
			any = true;
			free(found);
		} else {
			all = false;
			*failed_call = c;
			free(*actual);
			*actual = found;
		}
	}
	if (!seen || ck->subject == EXPECT_CALL) {
		*missing = true;
		return false;
	}
	/* Every create of the container obeys; one exec or update suffices. */
	return ck->subject == EXPECT_CONFIG ? all : any;
}

static const char *missing_text(enum expect_subject s)
{
	switch (s) {
	case EXPECT_CONFIG: return "no config.json is recorded for the container";
	case EXPECT_PROCESS: return "no exec process.json is recorded for the container";
	case EXPECT_RESOURCES: return "no update resources are recorded for the container";
	case EXPECT_CALL: return "no such call on the container";
	default: return "no call on the container has this command-line item";
	}
}

int expect_score_container(struct score_ctx *x, const uint32_t *idx, size_t n)
{
	const char *container = ctx_string(x, x->calls[idx[0]].container);

	for (size_t s = 0; s < nsteps(x); s++) {
		const struct expect_step *st = &x->ex->steps[s];
		struct expect_result *r = &x->s->expects[s];
		bool matched = false;

		if (!x->step_on[s])
			continue;
		for (size_t i = 0; i < n && !matched; i++) {
			const struct call *c = &x->calls[idx[i]];
			matched = slot_matches(x, c->config, s) || slot_matches(x, c->process, s);
		}
		if (!matched && !expect_step_matches_id(st, container))
			continue;
		r->matched++;
		for (size_t k = 0; k < st->nchecks; k++) {
			const struct call *bad;
			cleanup_free char *actual = NULL;
			cleanup_free char *message = NULL;
			bool missing;
			if (check_container(x, &st->checks[k], idx, n, &bad, &actual, &missing))
				continue;
			x->step_failed[s]++;
			if (asprintf(&message, "expected %s%s%s", st->checks[k].text, missing ? "; " : "",
				     missing ? missing_text(st->checks[k].subject) : "") < 0)
				return -1;
			if (add_evidence(r, message, actual, container, ctx_string(x, bad->root), bad->id,
					 bad->session < x->s->nsessions ? x->s->sessions[bad->session] : 0) < 0)
				return -1;
			break;
		}
	}
	return 0;
}

int expect_finish(struct score_ctx *x)
{
	struct subject *s = x->s;
	size_t w = 0, skipped = 0;

	for (size_t i = 0; i < s->nexpects; i++) {
		const struct expect_step *st = &x->ex->steps[i];
		struct expect_result *r = &s->expects[i];
		enum verdict bad = st->level == CATALOG_MUST ? VERDICT_FAIL : VERDICT_WARN;

		if (!x->step_on[i]) {
			skipped++;
			for (size_t k = 0; k < r->nev; k++)
				report_evidence_clear(&r->ev[k]);
			free(r->ev);
			free(r->id);
			free(r->title);
			free(r->source);
			continue;
		}
		if (r->matched == 0) {
			char *what = NULL;
			r->verdict = st->optional ? VERDICT_NOT_EXERCISED : bad;
			if (st->match == MATCH_ID)
				what = strdup("no container id matched");
			else if (asprintf(&what, "no container has %s %s=%s",
					  st->match == MATCH_ENV ? "the env entry" : "the annotation",
					  st->match_key, st->match_value) < 0)
				what = NULL;
			if (!st->optional && what != NULL) {
				char *message = NULL;
				if (asprintf(&message, "the step was not observed: %s", what) >= 0 &&
				    add_evidence(r, message, NULL, NULL, NULL, 0, 0) < 0) {
					free(message);
					free(what);
					return -1;
				}
				free(message);
			}
			free(what);
		} else {
			r->verdict = x->step_failed[i] > 0 ? bad : VERDICT_PASS;
		}
		s->expects[w++] = *r;
	}
	s->nexpects = w;
	if (skipped > 0)
		report_subject_note(s, "%zu expectation step(s) are for another engine than \"%s\"",
				    skipped, s->engine != NULL ? s->engine : "");
	return 0;
}
