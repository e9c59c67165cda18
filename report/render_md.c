/* Markdown: a headline, the areas, every failure and warning with its
 * evidence, expectations, and the feature table. */
#include <inttypes.h>
#include <stdio.h>

#include "report/render.h"

static void evidence_table(FILE *f, const struct evidence *ev, size_t n, size_t total)
{
	if (n == 0)
		return;
	fputs("\n| count | first invocation | container | where | value | what |\n"
	      "|---:|---:|---|---|---|---|\n", f);
	for (size_t i = 0; i < n; i++) {
		const struct evidence *e = &ev[i];
		fprintf(f, "| %" PRId64 " | ", e->count);
		if (e->invocation > 0)
			fprintf(f, "%" PRId64 " (session %" PRId64 ")", e->invocation, e->session);
		else
			esc_md(f, e->source);
		fputs(" | ", f);
		esc_md(f, e->container);
		fputs(" | ", f);
		esc_md(f, e->path);
		fputs(" | ", f);
		esc_md(f, e->value);
		fputs(" | ", f);
		esc_md(f, e->message);
		fputs(" |\n", f);
	}
	if (total > n)
		fprintf(f, "\n%zu more kinds of violation are not shown.\n", total - n);
}

static void rules_section(FILE *f, const struct subject *s, enum verdict want, const char *heading)
{
	bool any = false;

	for (size_t i = 0; i < catalog_rule_count(); i++) {
		const struct catalog_rule *cr = catalog_rule(i);
		const struct rule_result *rr = &s->rules[i];
		char applies[64];
		if (rr->verdict != want)
			continue;
		if (!any)
			fprintf(f, "\n### %s\n", heading);
		any = true;
		render_applies(cr, applies, sizeof applies);
		fprintf(f, "\n#### %s %s\n\n", cr->id, cr->title);
		fprintf(f, "%s, applies to ociVersion %s, [spec](%s): \"", render_level(cr), applies, cr->link);
		esc_md(f, cr->says);
		fprintf(f, "\". Judged %" PRId64 " times, %" PRId64 " violations.", rr->judged, rr->violations);
		if (cr->note != NULL) {
			fputs(" Note: ", f);
			esc_md(f, cr->note);
			fputc('.', f);
		}
		fputc('\n', f);
		evidence_table(f, rr->ev, rr->nev, rr->ev_total);
	}
}

static void subject_md(FILE *f, const struct report *r, const struct subject *s)
{
	const struct headline *h = &s->head;

	fputs("\n## ", f);
	render_subject_line(s, f, esc_md);
	fputs("\n\n", f);
	fprintf(f, "| features exercised | passed | warned | failed | MUST failures | SHOULD warnings | DERIVED warnings |\n"
		"|---:|---:|---:|---:|---:|---:|---:|\n| %zu/%zu | %zu | %zu | %zu | %zu | %zu | %zu |\n",
		h->exercised, h->features, h->passed, h->warned, h->failed, h->must_failed, h->should_warned,
		h->derived_warned);
	if (!r->lint)
		fprintf(f, "\n%" PRId64 " invocations, %" PRId64 " containers, %" PRId64 " distinct configs.\n",
			s->invocations, s->containers, s->configs);
	for (size_t i = 0; i < s->nnotes; i++) {
		fputs("\nNote: ", f);
		esc_md(f, s->notes[i]);
		fputc('\n', f);
	}
	fputs("\n| area | exercised | passed | warned | failed |\n|---|---:|---:|---:|---:|\n", f);
	for (int a = 0; a < AREA_COUNT; a++) {
		const struct area_counts *c = &h->area[a];
		fprintf(f, "| %s | %zu/%zu | %zu | %zu | %zu |\n", catalog_area_name((enum catalog_area)a),
			c->exercised, c->features, c->passed, c->warned, c->failed);
	}
	rules_section(f, s, VERDICT_FAIL, "Failures (MUST)");
	rules_section(f, s, VERDICT_WARN, "Warnings (SHOULD, DERIVED, disputed)");
	if (s->nexpects > 0) {
		fputs("\n### Engine expectations\n\n| step | level | verdict | containers | title |\n"
		      "|---|---|---|---:|---|\n", f);
		for (size_t i = 0; i < s->nexpects; i++) {
			const struct expect_result *x = &s->expects[i];
			fputs("| ", f);
			esc_md(f, x->id);
			fprintf(f, " | %s | %s | %" PRId64 " | ", catalog_level_name(x->level),
				verdict_name(x->verdict), x->matched);
			esc_md(f, x->title);
			fputs(" |\n", f);
		}
		for (size_t i = 0; i < s->nexpects; i++) {
			const struct expect_result *x = &s->expects[i];
			if (x->nev == 0)
				continue;
			fputs("\n#### ", f);
			esc_md(f, x->id);
			fputc('\n', f);
			evidence_table(f, x->ev, x->nev, x->nev);
		}
	}
	fputs("\n### Features\n\n| feature | area | since | verdict | count |\n|---|---|---|---|---:|\n", f);
	for (size_t i = 0; i < catalog_feature_count(); i++) {
		const struct catalog_feature *cf = catalog_feature(i);
		fprintf(f, "| [%s](%s) | %s | %s | %s | %" PRId64 " |\n", cf->id, cf->link,
			catalog_area_name(cf->area), cf->since, verdict_name(s->features[i].verdict),
			s->features[i].count);
	}
}

void render_md(const struct report *r, FILE *f)
{
	fprintf(f, "# mockrunc-report %s\n\n", r->lint ? "lint" : "score");
	fprintf(f, "Verdict: **%s** (%s).\n", report_has_must_failure(r) ? "fail" : "pass",
		report_has_must_failure(r) ? "a MUST rule or expectation failed" : "no MUST rule failed");
	for (size_t i = 0; i < r->n; i++)
		subject_md(f, r, &r->subjects[i]);
}
