/* JSON: everything the report knows, for other tools. */
#include <stdio.h>
#include <stdlib.h>

#include "common/cleanup.h"
#include "common/clock.h"
#include "common/json.h"
#include "report/render.h"

static json_t *str_or_null(const char *s)
{
	return s != NULL ? mr_json_string_lossy(s) : json_null();
}

static json_t *time_or_null(int64_t ns)
{
	char buf[64];

	if (ns <= 0)
		return json_null();
	mr_rfc3339(ns, true, buf, sizeof buf);
	return json_string(buf);
}

static json_t *evidence_json(const struct evidence *e)
{
	json_t *o = json_object();

	json_object_set_new(o, "message", str_or_null(e->message));
	json_object_set_new(o, "feature", str_or_null(e->feature));
	json_object_set_new(o, "path", str_or_null(e->path));
	json_object_set_new(o, "value", str_or_null(e->value));
	if (e->invocation > 0) {
		json_object_set_new(o, "invocation", json_integer(e->invocation));
		json_object_set_new(o, "session", json_integer(e->session));
	}
	if (e->container != NULL)
		json_object_set_new(o, "container", str_or_null(e->container));
	if (e->root != NULL)
		json_object_set_new(o, "root", str_or_null(e->root));
	if (e->source != NULL)
		json_object_set_new(o, "source", str_or_null(e->source));
	json_object_set_new(o, "count", json_integer(e->count));
	return o;
}

static json_t *counts_json(size_t features, size_t exercised, size_t passed, size_t warned, size_t failed)
{
	return json_pack("{s:I, s:I, s:I, s:I, s:I}", "features", (json_int_t)features,
			 "exercised", (json_int_t)exercised, "passed", (json_int_t)passed,
			 "warned", (json_int_t)warned, "failed", (json_int_t)failed);
}

static json_t *headline_json(const struct headline *h)
{
	json_t *o = counts_json(h->features, h->exercised, h->passed, h->warned, h->failed);
	json_t *areas = json_object();

	json_object_set_new(o, "rules", json_integer((json_int_t)h->rules));
	json_object_set_new(o, "rules_judged", json_integer((json_int_t)h->rules_judged));
	json_object_set_new(o, "must_failures", json_integer((json_int_t)h->must_failed));
	json_object_set_new(o, "should_warnings", json_integer((json_int_t)h->should_warned));
	json_object_set_new(o, "derived_warnings", json_integer((json_int_t)h->derived_warned));
	json_object_set_new(o, "expectations", json_integer((json_int_t)h->expectations));
	json_object_set_new(o, "expectations_failed", json_integer((json_int_t)h->expectations_failed));
	for (int a = 0; a < AREA_COUNT; a++) {
		const struct area_counts *c = &h->area[a];
		json_object_set_new(areas, catalog_area_name((enum catalog_area)a),
				    counts_json(c->features, c->exercised, c->passed, c->warned, c->failed));
	}
	json_object_set_new(o, "areas", areas);
	return o;
}

static json_t *subject_json(const struct report *r, const struct subject *s)
{
	json_t *o = json_object(), *sessions = json_array(), *features = json_array();
	json_t *rules = json_array(), *expects = json_array(), *cli = json_array(), *notes = json_array();

	json_object_set_new(o, "name", str_or_null(s->name));
	for (size_t i = 0; i < s->nsessions; i++)
		json_array_append_new(sessions, json_integer(s->sessions[i]));
	json_object_set_new(o, "sessions", sessions);
	json_object_set_new(o, "engine", str_or_null(s->engine));
	json_object_set_new(o, "engine_version", str_or_null(s->engine_version));
	json_object_set_new(o, "label", str_or_null(s->label));
	json_object_set_new(o, "host", str_or_null(s->host));
	json_object_set_new(o, "started", time_or_null(s->started_ns));
	json_object_set_new(o, "ended", time_or_null(s->ended_ns));
	json_object_set_new(o, "invocations", json_integer(s->invocations));
	json_object_set_new(o, "containers", json_integer(s->containers));
	json_object_set_new(o, "configs", json_integer(s->configs));
	json_object_set_new(o, "headline", headline_json(&s->head));
	for (size_t i = 0; i < catalog_feature_count(); i++) {
		const struct catalog_feature *f = catalog_feature(i);
		json_array_append_new(features, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:b}",
			"id", f->id, "area", catalog_area_name(f->area), "since", f->since,
			"title", f->title, "link", f->link, "verdict", verdict_name(s->features[i].verdict),
			"count", (json_int_t)s->features[i].count, "extension", f->extension));
	}
	json_object_set_new(o, "features", features);
	for (size_t i = 0; i < catalog_rule_count(); i++) {
		const struct catalog_rule *cr = catalog_rule(i);
		const struct rule_result *rr = &s->rules[i];
		char applies[64];
		json_t *ev = json_array(), *rule;
		render_applies(cr, applies, sizeof applies);
		for (size_t k = 0; k < rr->nev; k++)
			json_array_append_new(ev, evidence_json(&rr->ev[k]));
		rule = json_pack("{s:s, s:o, s:s, s:b, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:o, s:I}",
			"id", cr->id, "feature", str_or_null(cr->feature), "level", catalog_level_name(cr->level),
			"disputed", cr->disputed, "input", catalog_input_name(cr->in), "applies", applies,
			"title", cr->title, "says", cr->says, "link", cr->link,
			"verdict", verdict_name(rr->verdict), "judged", (json_int_t)rr->judged,
			"violations", (json_int_t)rr->violations, "evidence", ev,
			"evidence_kinds", (json_int_t)rr->ev_total);
		if (cr->note != NULL)
			json_object_set_new(rule, "note", json_string(cr->note));
		if (rr->verdict == VERDICT_NOT_EXERCISED || rr->verdict == VERDICT_NOT_APPLICABLE ||
		    rr->verdict == VERDICT_NOT_JUDGED)
			json_object_set_new(rule, "skip_reason",
					    json_string(render_skip_reason(cr, rr->verdict, r->lint)));
		json_array_append_new(rules, rule);
	}
	json_object_set_new(o, "rules", rules);
	for (size_t i = 0; i < s->nexpects; i++) {
		const struct expect_result *x = &s->expects[i];
		json_t *ev = json_array();
		for (size_t k = 0; k < x->nev; k++)
			json_array_append_new(ev, evidence_json(&x->ev[k]));
		json_array_append_new(expects, json_pack("{s:o, s:o, s:o, s:s, s:s, s:I, s:o}",
			"id", str_or_null(x->id), "title", str_or_null(x->title), "source", str_or_null(x->source),
			"level", catalog_level_name(x->level), "verdict", verdict_name(x->verdict),
			"matched", (json_int_t)x->matched, "evidence", ev));
	}
	json_object_set_new(o, "expectations", expects);
	for (size_t i = 0; i < s->ncli; i++)
		json_array_append_new(cli, json_pack("{s:o, s:I}", "id", str_or_null(s->cli[i].id),
						     "count", (json_int_t)s->cli[i].count));
	json_object_set_new(o, "cli", cli);
	for (size_t i = 0; i < s->nnotes; i++)
		json_array_append_new(notes, str_or_null(s->notes[i]));
	json_object_set_new(o, "notes", notes);
	return o;
}

int render_json(const struct report *r, FILE *f)
{
	cleanup_json json_t *doc = json_object();
	json_t *subjects = json_array();
	cleanup_free char *text = NULL;

	if (doc == NULL || subjects == NULL)
		return -1;
	json_object_set_new(doc, "tool", json_string("mockrunc-report"));
	json_object_set_new(doc, "kind", json_string(r->lint ? "lint" : "score"));
	json_object_set_new(doc, "generated", time_or_null(r->generated_ns));
	json_object_set_new(doc, "database", str_or_null(r->db_path));
	json_object_set_new(doc, "verdict", json_string(report_has_must_failure(r) ? "fail" : "pass"));
	json_object_set_new(doc, "catalog", json_pack("{s:I, s:I}", "features", (json_int_t)catalog_feature_count(),
						      "rules", (json_int_t)catalog_rule_count()));
	for (size_t i = 0; i < r->n; i++)
		json_array_append_new(subjects, subject_json(r, &r->subjects[i]));
	json_object_set_new(doc, "subjects", subjects);
	text = mr_json_dump(doc, true);
	if (text == NULL)
		return -1;
	fputs(text, f);
	fputc('\n', f);
	return 0;
}
