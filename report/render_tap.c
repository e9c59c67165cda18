/* TAP in the style of runtime-tools: one line per rule naming its id, a
 * YAML block with level, reference and evidence under every failure and
 * warning. Warnings are "not ok ... # TODO" so prove counts them without
 * failing; rules not exercised are "# SKIP" with the reason. */
#include <inttypes.h>
#include <stdio.h>

#include "report/render.h"

static void yaml_str(FILE *f, int indent, const char *key, const char *value)
{
	if (value == NULL)
		return;
	fprintf(f, "%*s%s: ", indent, "", key);
	esc_yaml(f, value);
	fputc('\n', f);
}

static void yaml_evidence(FILE *f, const struct evidence *ev, size_t n, size_t total)
{
	if (n == 0)
		return;
	fprintf(f, "  evidence:\n");
	for (size_t i = 0; i < n; i++) {
		const struct evidence *e = &ev[i];
		fprintf(f, "    - message: ");
		esc_yaml(f, e->message);
		fputc('\n', f);
		yaml_str(f, 6, "feature", e->feature);
		yaml_str(f, 6, "path", e->path);
		yaml_str(f, 6, "value", e->value);
		if (e->invocation > 0)
			fprintf(f, "      invocation: %" PRId64 "\n      session: %" PRId64 "\n",
				e->invocation, e->session);
		yaml_str(f, 6, "container", e->container);
		yaml_str(f, 6, "root", e->root);
		yaml_str(f, 6, "source", e->source);
		fprintf(f, "      count: %" PRId64 "\n", e->count);
	}
	if (total > n)
		fprintf(f, "  more_evidence_kinds: %zu\n", total - n);
}

static void prefix(FILE *f, const struct report *r, const struct subject *s)
{
	if (r->n > 1) {
		fputc('[', f);
		esc_tap(f, s->name);
		fputs("] ", f);
	}
}

static void headline(FILE *f, const struct subject *s, bool lint)
{
	const struct headline *h = &s->head;

	fprintf(f, "# %s: ", lint ? "lint" : "score");
	render_subject_line(s, f, esc_tap);
	fputc('\n', f);
	if (!lint)
		fprintf(f, "# %" PRId64 " invocations, %" PRId64 " containers, %" PRId64 " distinct configs\n",
			s->invocations, s->containers, s->configs);
	fprintf(f, "# features exercised %zu/%zu, passed %zu, warned %zu, failed %zu; "
		"MUST failures %zu, SHOULD warnings %zu, DERIVED warnings %zu\n",
		h->exercised, h->features, h->passed, h->warned, h->failed, h->must_failed,
		h->should_warned, h->derived_warned);
	for (int a = 0; a < AREA_COUNT; a++) {
		const struct area_counts *c = &h->area[a];
		fprintf(f, "# area %-10s exercised %zu/%zu, passed %zu, warned %zu, failed %zu\n",
			catalog_area_name((enum catalog_area)a), c->exercised, c->features, c->passed,
			c->warned, c->failed);
	}
	for (size_t i = 0; i < s->nnotes; i++) {
		fputs("# note: ", f);
		esc_tap(f, s->notes[i]);
		fputc('\n', f);
	}
}

void render_tap(const struct report *r, FILE *f)
{
	size_t n = 0;

	fprintf(f, "TAP version 13\n");
	for (size_t si = 0; si < r->n; si++) {
		const struct subject *s = &r->subjects[si];
		headline(f, s, r->lint);
		for (size_t i = 0; i < catalog_rule_count(); i++) {
			const struct catalog_rule *cr = catalog_rule(i);
			const struct rule_result *rr = &s->rules[i];
			bool bad = rr->verdict == VERDICT_FAIL || rr->verdict == VERDICT_WARN;
			char applies[64];

			fprintf(f, "%s %zu - ", bad ? "not ok" : "ok", ++n);
			prefix(f, r, s);
			fprintf(f, "%s %s", cr->id, cr->title);
			if (rr->verdict == VERDICT_WARN)
				fprintf(f, " # TODO warning (%s)", render_level(cr));
			else if (rr->verdict != VERDICT_PASS && rr->verdict != VERDICT_FAIL)
				fprintf(f, " # SKIP %s", render_skip_reason(cr, rr->verdict, r->lint));
			fputc('\n', f);
			if (!bad)
				continue;
			render_applies(cr, applies, sizeof applies);
			fprintf(f, "  ---\n");
			yaml_str(f, 2, "level", render_level(cr));
			yaml_str(f, 2, "feature", cr->feature);
			yaml_str(f, 2, "applies", applies);
			yaml_str(f, 2, "reference", cr->link);
			yaml_str(f, 2, "says", cr->says);
			yaml_str(f, 2, "note", cr->note);
			fprintf(f, "  judged: %" PRId64 "\n  violations: %" PRId64 "\n", rr->judged, rr->violations);
			yaml_evidence(f, rr->ev, rr->nev, rr->ev_total);
			fprintf(f, "  ...\n");
		}
		for (size_t i = 0; i < s->nexpects; i++) {
			const struct expect_result *x = &s->expects[i];
			bool bad = x->verdict == VERDICT_FAIL || x->verdict == VERDICT_WARN;

			fprintf(f, "%s %zu - ", bad ? "not ok" : "ok", ++n);
			prefix(f, r, s);
			esc_tap(f, x->id);
			fputc(' ', f);
			esc_tap(f, x->title);
			if (x->verdict == VERDICT_WARN)
				fputs(" # TODO warning (SHOULD)", f);
			else if (x->verdict == VERDICT_NOT_EXERCISED)
				fputs(" # SKIP optional step not observed", f);
			fputc('\n', f);
			if (!bad)
				continue;
			fprintf(f, "  ---\n");
			yaml_str(f, 2, "level", catalog_level_name(x->level));
			yaml_str(f, 2, "source", x->source);
			fprintf(f, "  matched_containers: %" PRId64 "\n", x->matched);
			yaml_evidence(f, x->ev, x->nev, x->nev);
			fprintf(f, "  ...\n");
		}
	}
	fprintf(f, "1..%zu\n", n);
}
