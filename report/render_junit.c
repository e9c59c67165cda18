/* JUnit XML for CI servers: one testsuite per subject, one testcase per
 * rule and per expectation step. MUST failures are <failure>; warnings are
 * passing testcases with the warning in <system-out>; rules not exercised
 * are <skipped>. */
#include <inttypes.h>
#include <stdio.h>

#include "common/clock.h"
#include "report/render.h"

static void attr(FILE *f, const char *name, const char *value)
{
	fprintf(f, " %s=\"", name);
	esc_xml(f, value != NULL ? value : "");
	fputc('"', f);
}

static void evidence_text(FILE *f, const struct evidence *ev, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct evidence *e = &ev[i];
		char line[128];
		esc_xml(f, e->message);
		if (e->path != NULL) {
			fputs(" at ", f);
			esc_xml(f, e->path);
		}
		if (e->value != NULL) {
			fputs(": ", f);
			esc_xml(f, e->value);
		}
		snprintf(line, sizeof line, " (%" PRId64 " times", e->count);
		fputs(line, f);
		if (e->invocation > 0) {
			snprintf(line, sizeof line, "; first: invocation %" PRId64 ", session %" PRId64,
				 e->invocation, e->session);
			fputs(line, f);
		}
		if (e->container != NULL) {
			fputs(", container ", f);
			esc_xml(f, e->container);
		}
		if (e->source != NULL) {
			fputs(", ", f);
			esc_xml(f, e->source);
		}
		fputs(")\n", f);
	}
}

static void counts(const struct subject *s, size_t *tests, size_t *failures, size_t *skipped)
{
	*tests = catalog_rule_count() + s->nexpects;
	*failures = s->head.must_failed + s->head.expectations_failed;
	*skipped = 0;
	for (size_t i = 0; i < catalog_rule_count(); i++) {
		enum verdict v = s->rules[i].verdict;
		if (v != VERDICT_PASS && v != VERDICT_FAIL && v != VERDICT_WARN)
			(*skipped)++;
	}
	for (size_t i = 0; i < s->nexpects; i++)
		if (s->expects[i].verdict == VERDICT_NOT_EXERCISED)
			(*skipped)++;
}

static void testcase_rule(FILE *f, const struct report *r, const struct catalog_rule *cr,
			  const struct rule_result *rr)
{
	char name[512], klass[64];

	snprintf(name, sizeof name, "%s %s", cr->id, cr->title);
	snprintf(klass, sizeof klass, "mockrunc.%s", cr->feature != NULL && catalog_feature_find(cr->feature) >= 0
		 ? catalog_area_name(catalog_feature((size_t)catalog_feature_find(cr->feature))->area) : "cli");
	fputs("    <testcase", f);
	attr(f, "classname", klass);
	attr(f, "name", name);
	fputs(">\n", f);
	switch (rr->verdict) {
	case VERDICT_FAIL:
		fputs("      <failure", f);
		attr(f, "type", render_level(cr));
		attr(f, "message", cr->says);
		fputs(">", f);
		esc_xml(f, cr->link);
		fputc('\n', f);
		evidence_text(f, rr->ev, rr->nev);
		fputs("</failure>\n", f);
		break;
	case VERDICT_WARN:
		fputs("      <system-out>WARNING (", f);
		esc_xml(f, render_level(cr));
		fputs("): ", f);
		esc_xml(f, cr->link);
		fputc('\n', f);
		evidence_text(f, rr->ev, rr->nev);
		fputs("</system-out>\n", f);
		break;
	case VERDICT_PASS:
		break;
	default:
		fputs("      <skipped", f);
		attr(f, "message", render_skip_reason(cr, rr->verdict, r->lint));
		fputs("/>\n", f);
	}
	fputs("    </testcase>\n", f);
}

static void testcase_expect(FILE *f, const struct expect_result *x)
{
	fputs("    <testcase classname=\"mockrunc.expectations\"", f);
	attr(f, "name", x->id);
	fputs(">\n", f);
	if (x->verdict == VERDICT_FAIL) {
		fputs("      <failure type=\"MUST\"", f);
		attr(f, "message", x->title);
		fputs(">", f);
		evidence_text(f, x->ev, x->nev);
		fputs("</failure>\n", f);
	} else if (x->verdict == VERDICT_WARN) {
		fputs("      <system-out>WARNING (SHOULD): ", f);
		evidence_text(f, x->ev, x->nev);
		fputs("</system-out>\n", f);
	} else if (x->verdict == VERDICT_NOT_EXERCISED) {
		fputs("      <skipped message=\"optional step not observed\"/>\n", f);
	}
	fputs("    </testcase>\n", f);
}

void render_junit(const struct report *r, FILE *f)
{
	size_t tests = 0, failures = 0, skipped = 0;
	char stamp[64];

	mr_rfc3339(r->generated_ns, false, stamp, sizeof stamp);
	for (size_t i = 0; i < r->n; i++) {
		size_t t, fl, sk;
		counts(&r->subjects[i], &t, &fl, &sk);
		tests += t;
		failures += fl;
		skipped += sk;
	}
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
	fprintf(f, "<testsuites name=\"mockrunc-report\" tests=\"%zu\" failures=\"%zu\" skipped=\"%zu\">\n",
		tests, failures, skipped);
	for (size_t si = 0; si < r->n; si++) {
		const struct subject *s = &r->subjects[si];
		counts(s, &tests, &failures, &skipped);
		fputs("  <testsuite", f);
		attr(f, "name", s->name);
		fprintf(f, " tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\"", tests, failures, skipped);
		attr(f, "timestamp", stamp);
		fputs(">\n    <properties>\n", f);
		if (s->engine != NULL) {
			fputs("      <property name=\"engine\"", f);
			attr(f, "value", s->engine);
			fputs("/>\n", f);
		}
		if (s->engine_version != NULL) {
			fputs("      <property name=\"engine_version\"", f);
			attr(f, "value", s->engine_version);
			fputs("/>\n", f);
		}
		if (s->label != NULL) {
			fputs("      <property name=\"label\"", f);
			attr(f, "value", s->label);
			fputs("/>\n", f);
		}
		fprintf(f, "      <property name=\"features_exercised\" value=\"%zu/%zu\"/>\n",
			s->head.exercised, s->head.features);
		fputs("    </properties>\n", f);
		for (size_t i = 0; i < catalog_rule_count(); i++)
			testcase_rule(f, r, catalog_rule(i), &s->rules[i]);
		for (size_t i = 0; i < s->nexpects; i++)
			testcase_expect(f, &s->expects[i]);
		fputs("  </testsuite>\n", f);
	}
	fputs("</testsuites>\n", f);
}
