/* HTML: one self-contained page (no external resource) with an engine x
 * feature matrix and a rule matrix, coloured by verdict and sortable by any
 * column (click a header, or open the page with #sort=TABLE:COLUMN:asc|desc),
 * then the evidence of every failure and warning. Every string from the
 * recording is escaped; the page's only script is the sorter below. */
#include <inttypes.h>
#include <stdio.h>

#include "common/clock.h"
#include "report/render.h"

static const char style[] =
	"body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}"
	"h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.6em}"
	"table{border-collapse:collapse;margin:.6em 0;font-size:.85em}"
	"th,td{border:1px solid #ccc;padding:.2em .45em;text-align:left;vertical-align:top}"
	"th{background:#eee;cursor:pointer;user-select:none}th.sorted-asc::after{content:' \\25B2'}"
	"th.sorted-desc::after{content:' \\25BC'}"
	"td.pass{background:#c8efc8}td.warn{background:#ffe3a3}td.fail{background:#f7b4b4}"
	"td.not-exercised{background:#f2f2f2;color:#888}td.not-applicable,td.not-judged{background:#e6e6f2;color:#667}"
	".verdict-pass{color:#176c17}.verdict-fail{color:#a11}"
	"code{font-size:.95em}.summary td{text-align:right}.small{font-size:.8em;color:#555}";

/* Sorts a table's body by one column; numbers by data-sort when present. */
static const char script[] =
	"function mrSort(table,col,dir){"
	"var body=table.tBodies[0];var rows=Array.prototype.slice.call(body.rows);"
	"rows.sort(function(a,b){var x=a.cells[col],y=b.cells[col];"
	"var p=x.getAttribute('data-sort'),q=y.getAttribute('data-sort');var r;"
	"if(p!==null&&q!==null){r=parseFloat(p)-parseFloat(q);}"
	"else{r=x.textContent.localeCompare(y.textContent);}"
	"return dir==='desc'?-r:r;});"
	"rows.forEach(function(r){body.appendChild(r);});"
	"Array.prototype.forEach.call(table.tHead.rows[0].cells,function(th,i){"
	"th.classList.remove('sorted-asc','sorted-desc');if(i===col)th.classList.add('sorted-'+dir);});"
	"table.setAttribute('data-sorted',col+':'+dir);}"
	"document.addEventListener('DOMContentLoaded',function(){"
	"Array.prototype.forEach.call(document.querySelectorAll('table.sortable'),function(t){"
	"Array.prototype.forEach.call(t.tHead.rows[0].cells,function(th,i){"
	"th.addEventListener('click',function(){"
	"var cur=t.getAttribute('data-sorted');"
	"mrSort(t,i,cur===i+':asc'?'desc':'asc');});});});"
	"var m=/^#sort=([A-Za-z0-9_-]+):([0-9]+):(asc|desc)$/.exec(location.hash);"
	"if(m){var t=document.getElementById(m[1]);if(t)mrSort(t,parseInt(m[2],10),m[3]);}"
	"document.body.setAttribute('data-ready','1');});";

static int rank(enum verdict v)
{
	switch (v) {
	case VERDICT_FAIL: return 4;
	case VERDICT_WARN: return 3;
	case VERDICT_PASS: return 2;
	case VERDICT_NOT_APPLICABLE: case VERDICT_NOT_JUDGED: return 1;
	default: return 0;
	}
}

static void subject_header(FILE *f, const struct subject *s)
{
	fputs("<th title=\"", f);
	render_subject_line(s, f, esc_html);
	fputs("\">", f);
	esc_html(f, s->engine != NULL ? s->engine : s->name);
	if (s->engine_version != NULL) {
		fputs("<br>", f);
		esc_html(f, s->engine_version);
	}
	if (s->label != NULL) {
		fputs("<br><span class=\"small\">", f);
		esc_html(f, s->label);
		fputs("</span>", f);
	}
	fputs("<br><span class=\"small\">", f);
	esc_html(f, s->name);
	fputs("</span></th>", f);
}

static void summary(FILE *f, const struct report *r)
{
	fputs("<table class=\"summary sortable\" id=\"summary\"><thead><tr><th>subject</th><th>invocations</th>"
	      "<th>containers</th><th>features exercised</th><th>passed</th><th>warned</th><th>failed</th>"
	      "<th>MUST failures</th><th>SHOULD warnings</th><th>DERIVED warnings</th><th>expectations failed</th>"
	      "</tr></thead><tbody>\n", f);
	for (size_t i = 0; i < r->n; i++) {
		const struct subject *s = &r->subjects[i];
		const struct headline *h = &s->head;
		fputs("<tr><td style=\"text-align:left\">", f);
		render_subject_line(s, f, esc_html);
		fprintf(f, "</td><td data-sort=\"%" PRId64 "\">%" PRId64 "</td><td data-sort=\"%" PRId64 "\">%" PRId64
			"</td><td data-sort=\"%zu\">%zu/%zu</td><td>%zu</td><td>%zu</td><td>%zu</td>"
			"<td class=\"%s\">%zu</td><td>%zu</td><td>%zu</td><td>%zu</td></tr>\n",
			s->invocations, s->invocations, s->containers, s->containers, h->exercised, h->exercised,
			h->features, h->passed, h->warned, h->failed, h->must_failed > 0 ? "fail" : "pass",
			h->must_failed, h->should_warned, h->derived_warned, h->expectations_failed);
	}
	fputs("</tbody></table>\n", f);
}

static void feature_matrix(FILE *f, const struct report *r)
{
	fputs("<h2>Features</h2><table class=\"sortable matrix\" id=\"matrix\"><thead><tr>"
	      "<th>feature</th><th>area</th><th>since</th>", f);
	for (size_t i = 0; i < r->n; i++)
		subject_header(f, &r->subjects[i]);
	fputs("</tr></thead><tbody>\n", f);
	for (size_t k = 0; k < catalog_feature_count(); k++) {
		const struct catalog_feature *cf = catalog_feature(k);
		fprintf(f, "<tr data-feature=\"%s\"><td><a href=\"%s\" title=\"", cf->id, cf->link);
		esc_html(f, cf->title);
		fprintf(f, "\">%s</a></td><td>%s</td><td>%s</td>", cf->id, catalog_area_name(cf->area), cf->since);
		for (size_t i = 0; i < r->n; i++) {
			const struct feature_result *fr = &r->subjects[i].features[k];
			fprintf(f, "<td class=\"%s\" data-sort=\"%d%012" PRId64 "\">%s", verdict_name(fr->verdict),
				rank(fr->verdict), fr->count, verdict_name(fr->verdict));
			if (fr->count > 0)
				fprintf(f, " (%" PRId64 ")", fr->count);
			fputs("</td>", f);
		}
		fputs("</tr>\n", f);
	}
	fputs("</tbody></table>\n", f);
}

static void rule_matrix(FILE *f, const struct report *r)
{
	fputs("<h2>Rules</h2><table class=\"sortable matrix\" id=\"rules\"><thead><tr>"
	      "<th>rule</th><th>level</th><th>feature</th><th>condition</th>", f);
	for (size_t i = 0; i < r->n; i++)
		subject_header(f, &r->subjects[i]);
	fputs("</tr></thead><tbody>\n", f);
	for (size_t k = 0; k < catalog_rule_count(); k++) {
		const struct catalog_rule *cr = catalog_rule(k);
		fprintf(f, "<tr data-rule=\"%s\"><td><a href=\"%s\">%s</a></td><td>", cr->id, cr->link, cr->id);
		esc_html(f, render_level(cr));
		fputs("</td><td>", f);
		esc_html(f, cr->feature != NULL ? cr->feature : "");
		fputs("</td><td>", f);
		esc_html(f, cr->title);
		fputs("</td>", f);
		for (size_t i = 0; i < r->n; i++) {
			const struct rule_result *rr = &r->subjects[i].rules[k];
			fprintf(f, "<td class=\"%s\" data-sort=\"%d%012" PRId64 "\">%s", verdict_name(rr->verdict),
				rank(rr->verdict), rr->violations, verdict_name(rr->verdict));
			if (rr->violations > 0)
				fprintf(f, " (%" PRId64 ")", rr->violations);
			fputs("</td>", f);
		}
		fputs("</tr>\n", f);
	}
	fputs("</tbody></table>\n", f);
}

static void evidence_rows(FILE *f, const char *id, const char *level, const char *link,
			  const struct evidence *ev, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct evidence *e = &ev[i];
		fputs("<tr><td>", f);
		if (link != NULL)
			fprintf(f, "<a href=\"%s\">", link);
		esc_html(f, id);
		if (link != NULL)
			fputs("</a>", f);
		fputs("</td><td>", f);
		esc_html(f, level);
		fprintf(f, "</td><td data-sort=\"%" PRId64 "\">%" PRId64 "</td><td>", e->count, e->count);
		if (e->invocation > 0)
			fprintf(f, "%" PRId64 " (session %" PRId64 ")", e->invocation, e->session);
		else
			esc_html(f, e->source);
		fputs("</td><td><code>", f);
		esc_html(f, e->container);
		fputs("</code></td><td><code>", f);
		esc_html(f, e->path);
		fputs("</code></td><td><code>", f);
		esc_html(f, e->value);
		fputs("</code></td><td>", f);
		esc_html(f, e->message);
		fputs("</td></tr>\n", f);
	}
}

static void evidence(FILE *f, const struct report *r)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct subject *s = &r->subjects[i];
		fprintf(f, "<h2>Evidence: ");
		render_subject_line(s, f, esc_html);
		fprintf(f, "</h2><table class=\"sortable\" id=\"evidence-%zu\"><thead><tr><th>rule</th><th>level</th>"
			"<th>count</th><th>first invocation</th><th>container</th><th>where</th><th>value</th>"
			"<th>what</th></tr></thead><tbody>\n", i);
		for (size_t k = 0; k < catalog_rule_count(); k++) {
			const struct catalog_rule *cr = catalog_rule(k);
			const struct rule_result *rr = &s->rules[k];
			if (rr->verdict == VERDICT_FAIL || rr->verdict == VERDICT_WARN)
				evidence_rows(f, cr->id, rr->verdict == VERDICT_FAIL ? "MUST" : render_level(cr),
					      cr->link, rr->ev, rr->nev);
		}
		for (size_t k = 0; k < s->nexpects; k++) {
			const struct expect_result *x = &s->expects[k];
			evidence_rows(f, x->id, catalog_level_name(x->level), NULL, x->ev, x->nev);
		}
		fputs("</tbody></table>\n", f);
		for (size_t k = 0; k < s->nnotes; k++) {
			fputs("<p class=\"small\">", f);
			esc_html(f, s->notes[k]);
			fputs("</p>\n", f);
		}
	}
}

static void expectations(FILE *f, const struct report *r)
{
	bool any = false;

	for (size_t i = 0; i < r->n; i++)
		any = any || r->subjects[i].nexpects > 0;
	if (!any)
		return;
	fputs("<h2>Engine expectations</h2><table class=\"sortable\" id=\"expectations\"><thead><tr>"
	      "<th>subject</th><th>step</th><th>level</th><th>verdict</th><th>containers</th><th>title</th>"
	      "<th>source</th></tr></thead><tbody>\n", f);
	for (size_t i = 0; i < r->n; i++) {
		const struct subject *s = &r->subjects[i];
		for (size_t k = 0; k < s->nexpects; k++) {
			const struct expect_result *x = &s->expects[k];
			fputs("<tr><td>", f);
			esc_html(f, s->name);
			fputs("</td><td>", f);
			esc_html(f, x->id);
			fprintf(f, "</td><td>%s</td><td class=\"%s\">%s</td><td data-sort=\"%" PRId64 "\">%" PRId64
				"</td><td>", catalog_level_name(x->level), verdict_name(x->verdict),
				verdict_name(x->verdict), x->matched, x->matched);
			esc_html(f, x->title);
			fputs("</td><td>", f);
			esc_html(f, x->source);
			fputs("</td></tr>\n", f);
		}
	}
	fputs("</tbody></table>\n", f);
}

void render_html(const struct report *r, FILE *f)
{
	char stamp[64];
	bool failed = report_has_must_failure(r);

	mr_rfc3339(r->generated_ns, false, stamp, sizeof stamp);
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		"<title>mockrunc-report %s</title><style>%s</style><script>%s</script></head><body>\n",
		r->lint ? "lint" : "score", style, script);
	fprintf(f, "<h1>mockrunc-report %s</h1><p>Generated %s. Verdict: <strong id=\"verdict\" "
		"class=\"verdict-%s\">%s</strong> (%s). Catalog: %zu features, %zu rules.</p>\n",
		r->lint ? "lint" : "score", stamp, failed ? "fail" : "pass", failed ? "fail" : "pass",
		failed ? "a MUST rule or expectation failed" : "no MUST rule failed",
		catalog_feature_count(), catalog_rule_count());
	summary(f, r);
	feature_matrix(f, r);
	rule_matrix(f, r);
	expectations(f, r);
	evidence(f, r);
	fputs("</body></html>\n", f);
}
