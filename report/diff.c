#include "report/diff.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/json.h"

static int push(struct diff_list *l, const char *id)
{
	const char **items = realloc(l->items, (l->n + 1) * sizeof *items);

	if (items == NULL)
		return -1;
	items[l->n++] = id;
	l->items = items;
	return 0;
}

static bool exercised(enum verdict v)
{
	return v == VERDICT_PASS || v == VERDICT_WARN || v == VERDICT_FAIL;
}

static const struct cli_item *find_item(const struct subject *s, const char *id)
{
	for (size_t i = 0; i < s->ncli; i++)
		if (strcmp(s->cli[i].id, id) == 0)
			return &s->cli[i];
	return NULL;
}

static const struct expect_result *find_expect(const struct subject *s, const char *id)
{
	for (size_t i = 0; i < s->nexpects; i++)
		if (strcmp(s->expects[i].id, id) == 0)
			return &s->expects[i];
	return NULL;
}

int report_diff(const struct subject *base, const struct subject *head, struct report_diff *d,
		mr_error **err)
{
	int rc = 0;

	memset(d, 0, sizeof *d);
	d->base = base;
	d->head = head;
	for (size_t i = 0; i < catalog_feature_count() && rc == 0; i++) {
		bool was = exercised(base->features[i].verdict), is = exercised(head->features[i].verdict);
		if (is && !was)
			rc = push(&d->gained, catalog_feature(i)->id);
		else if (was && !is)
			rc = push(&d->lost, catalog_feature(i)->id);
	}
	for (size_t i = 0; i < catalog_rule_count() && rc == 0; i++) {
		enum verdict was = base->rules[i].verdict, is = head->rules[i].verdict;
		const char *id = catalog_rule(i)->id;
		if (is == VERDICT_FAIL && was != VERDICT_FAIL)
			rc = push(&d->failing, id);
		else if (was == VERDICT_FAIL && is != VERDICT_FAIL)
			rc = push(&d->fixed, id);
		else if (is == VERDICT_WARN && was != VERDICT_WARN)
			rc = push(&d->warning, id);
		else if (was == VERDICT_WARN && is != VERDICT_WARN)
			rc = push(&d->unwarned, id);
	}
	for (size_t i = 0; i < head->ncli && rc == 0; i++)
		if (find_item(base, head->cli[i].id) == NULL)
			rc = push(&d->items_new, head->cli[i].id);
	for (size_t i = 0; i < base->ncli && rc == 0; i++)
		if (find_item(head, base->cli[i].id) == NULL)
			rc = push(&d->items_dropped, base->cli[i].id);
	for (size_t i = 0; i < head->nexpects && rc == 0; i++) {
		const struct expect_result *b = find_expect(base, head->expects[i].id);
		bool bad = head->expects[i].verdict == VERDICT_FAIL;
		bool was_bad = b != NULL && b->verdict == VERDICT_FAIL;
		if (bad && !was_bad)
			rc = push(&d->expect_failing, head->expects[i].id);
		else if (!bad && was_bad)
			rc = push(&d->expect_fixed, head->expects[i].id);
	}
	if (rc < 0) {
		report_diff_free(d);
		return mr_error_set(err, ENOMEM, "diff");
	}
	d->regression = d->lost.n > 0 || d->failing.n > 0 || d->expect_failing.n > 0;
	return 0;
}

void report_diff_free(struct report_diff *d)
{
	struct diff_list *lists[] = {
		&d->gained, &d->lost, &d->failing, &d->fixed, &d->warning, &d->unwarned,
		&d->items_new, &d->items_dropped, &d->expect_failing, &d->expect_fixed,
	};

	for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
		free(lists[i]->items);
	memset(d, 0, sizeof *d);
}

static const struct {
	const char *key;
	const char *heading;
	size_t offset;
	bool regression;
} sections[] = {
	{ "features_lost", "features no longer exercised", offsetof(struct report_diff, lost), true },
	{ "rules_newly_failing", "MUST rules newly failing", offsetof(struct report_diff, failing), true },
	{ "expectations_newly_failing", "expectations newly failing", offsetof(struct report_diff, expect_failing), true },
	{ "features_gained", "features newly exercised", offsetof(struct report_diff, gained), false },
	{ "rules_fixed", "MUST rules no longer failing", offsetof(struct report_diff, fixed), false },
	{ "expectations_fixed", "expectations no longer failing", offsetof(struct report_diff, expect_fixed), false },
	{ "rules_newly_warning", "rules newly warning", offsetof(struct report_diff, warning), false },
	{ "rules_no_longer_warning", "rules no longer warning", offsetof(struct report_diff, unwarned), false },
	{ "cli_items_new", "command-line items newly used", offsetof(struct report_diff, items_new), false },
	{ "cli_items_dropped", "command-line items no longer used", offsetof(struct report_diff, items_dropped), false },
};

#define SECTION(d, i) ((const struct diff_list *)((const char *)(d) + sections[i].offset))

static const char *rule_title(const char *id)
{
	int r = catalog_rule_find(id);

	return r >= 0 ? catalog_rule((size_t)r)->title : NULL;
}

static void text_subject(FILE *f, const char *role, const struct subject *s,
			 void (*esc)(FILE *, const char *))
{
	fprintf(f, "%s: ", role);
	render_subject_line(s, f, esc);
	fprintf(f, ", %zu/%zu features exercised, %zu MUST failures\n", s->head.exercised, s->head.features,
		s->head.must_failed);
}

/* Plain text for a terminal: control characters become '?'. */
static void esc_text(FILE *f, const char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, f);
}

static void render_text(const struct report_diff *d, FILE *f, bool md)
{
	void (*esc)(FILE *, const char *) = md ? esc_md : esc_text;

	if (md)
		fputs("# mockrunc-report diff\n\n", f);
	text_subject(f, md ? "- base" : "base", d->base, esc);
	text_subject(f, md ? "- head" : "head", d->head, esc);
	fprintf(f, "%s%s\n", md ? "\n**" : "", d->regression ? "REGRESSION" : "no regression");
	if (md)
		fputs("**\n", f);
	for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++) {
		const struct diff_list *l = SECTION(d, i);
		if (l->n == 0)
			continue;
		fprintf(f, md ? "\n## %s%s (%zu)\n\n" : "\n%s%s (%zu):\n", sections[i].regression ? "regression: " : "",
			sections[i].heading, l->n);
		for (size_t k = 0; k < l->n; k++) {
			const char *title = rule_title(l->items[k]);
			fputs(md ? "- " : "  ", f);
			esc(f, l->items[k]);
			if (title != NULL && strstr(sections[i].key, "rules") != NULL) {
				fputs(" ", f);
				esc(f, title);
			}
			fputc('\n', f);
		}
	}
}

static int render_diff_json(const struct report_diff *d, FILE *f)
{
	cleanup_json json_t *doc = json_object();
	cleanup_free char *text = NULL;

	if (doc == NULL)
		return -1;
	json_object_set_new(doc, "base", mr_json_string_lossy(d->base->name));
	json_object_set_new(doc, "head", mr_json_string_lossy(d->head->name));
	json_object_set_new(doc, "regression", json_boolean(d->regression));
	for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++) {
		const struct diff_list *l = SECTION(d, i);
		json_t *a = json_array();
		for (size_t k = 0; k < l->n; k++)
			json_array_append_new(a, mr_json_string_lossy(l->items[k]));
		json_object_set_new(doc, sections[i].key, a);
	}
	if ((text = mr_json_dump(doc, true)) == NULL)
		return -1;
	fprintf(f, "%s\n", text);
	return 0;
}

int report_diff_render(const struct report_diff *d, enum report_format fmt, char **out, size_t *len,
		       mr_error **err)
{
	FILE *f = open_memstream(out, len);
	int rc = 0;

	if (f == NULL)
		return mr_error_set(err, errno, "render");
	if (fmt == FORMAT_JSON)
		rc = render_diff_json(d, f);
	else
		render_text(d, f, fmt == FORMAT_MD);
	if (fclose(f) != 0 || rc < 0) {
		free(*out);
		*out = NULL;
		return mr_error_set(err, ENOMEM, "render");
	}
	return 0;
}
