/* `features`: the catalog itself, as a table, JSON or Markdown. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/cleanup.h"
#include "common/json.h"
#include "report/render.h"
#include "report/render_catalog.h"

static void table(FILE *f)
{
	fprintf(f, "%zu features\n", catalog_feature_count());
	fprintf(f, "%-48s %-10s %-10s %s\n", "FEATURE", "AREA", "SINCE", "LINK");
	for (size_t i = 0; i < catalog_feature_count(); i++) {
		const struct catalog_feature *c = catalog_feature(i);
		fprintf(f, "%-48s %-10s %-10s %s\n", c->id, catalog_area_name(c->area), c->since, c->link);
	}
	fprintf(f, "\n%zu rules\n", catalog_rule_count());
	fprintf(f, "%-6s %-8s %-8s %-16s %-40s %s\n", "RULE", "LEVEL", "INPUT", "APPLIES", "FEATURE", "CONDITION");
	for (size_t i = 0; i < catalog_rule_count(); i++) {
		const struct catalog_rule *r = catalog_rule(i);
		char applies[64];
		render_applies(r, applies, sizeof applies);
		fprintf(f, "%-6s %-8s %-8s %-16s %-40s %s\n", r->id,
			r->disputed ? "MUST*" : catalog_level_name(r->level), catalog_input_name(r->in), applies,
			r->feature != NULL ? r->feature : "-", r->title);
	}
	fputs("\nMUST* is judged as a warning (see the rule's note).\n", f);
}

static void markdown(FILE *f)
{
	fputs("# mockrunc-report catalog\n\n| feature | area | since | title |\n|---|---|---|---|\n", f);
	for (size_t i = 0; i < catalog_feature_count(); i++) {
		const struct catalog_feature *c = catalog_feature(i);
		fprintf(f, "| [%s](%s) | %s | %s | ", c->id, c->link, catalog_area_name(c->area), c->since);
		esc_md(f, c->title);
		fputs(" |\n", f);
	}
	fputs("\n| rule | level | applies | feature | condition |\n|---|---|---|---|---|\n", f);
	for (size_t i = 0; i < catalog_rule_count(); i++) {
		const struct catalog_rule *r = catalog_rule(i);
		char applies[64];
		render_applies(r, applies, sizeof applies);
		fprintf(f, "| [%s](%s) | %s | %s | %s | ", r->id, r->link, render_level(r), applies,
			r->feature != NULL ? r->feature : "");
		esc_md(f, r->title);
		fputs(" |\n", f);
	}
}

static int json(FILE *f)
{
	cleanup_json json_t *doc = json_object();
	json_t *features = json_array(), *rules = json_array();
	cleanup_free char *text = NULL;

	for (size_t i = 0; i < catalog_feature_count(); i++) {
		const struct catalog_feature *c = catalog_feature(i);
		json_array_append_new(features, json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:b}",
			"id", c->id, "area", catalog_area_name(c->area), "since", c->since, "link", c->link,
			"title", c->title, "match", c->match != NULL ? json_string(c->match) : json_null(),
			"source", c->source == SRC_CONFIG ? "config" : "calls", "extension", c->extension));
	}
	for (size_t i = 0; i < catalog_rule_count(); i++) {
		const struct catalog_rule *r = catalog_rule(i);
		char applies[64];
		render_applies(r, applies, sizeof applies);
		json_array_append_new(rules, json_pack("{s:s, s:o, s:s, s:b, s:s, s:s, s:s, s:s, s:s, s:o}",
			"id", r->id, "feature", r->feature != NULL ? json_string(r->feature) : json_null(),
			"level", catalog_level_name(r->level), "disputed", r->disputed,
			"input", catalog_input_name(r->in), "applies", applies, "title", r->title,
			"says", r->says, "link", r->link, "note", r->note != NULL ? json_string(r->note) : json_null()));
	}
	json_object_set_new(doc, "features", features);
	json_object_set_new(doc, "rules", rules);
	if ((text = mr_json_dump(doc, true)) == NULL)
		return -1;
	fprintf(f, "%s\n", text);
	return 0;
}

int report_render_catalog(enum report_format fmt, char **out, size_t *len, mr_error **err)
{
	FILE *f = open_memstream(out, len);
	int rc = 0;

	if (f == NULL)
		return mr_error_set(err, errno, "render");
	if (fmt == FORMAT_JSON)
		rc = json(f);
	else if (fmt == FORMAT_MD)
		markdown(f);
	else
		table(f);
	if (fclose(f) != 0 || rc < 0) {
		free(*out);
		*out = NULL;
		return mr_error_set(err, ENOMEM, "render");
	}
	return 0;
}
