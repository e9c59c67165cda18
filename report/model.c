/* The result model: subjects, verdicts, the headline, gathering evidence. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/model.h"
#include "report/strmap.h"

const char *verdict_name(enum verdict v)
{
	switch (v) {
	case VERDICT_PASS: return "pass";
	case VERDICT_WARN: return "warn";
	case VERDICT_FAIL: return "fail";
	case VERDICT_NOT_APPLICABLE: return "not-applicable";
	case VERDICT_NOT_JUDGED: return "not-judged";
	default: return "not-exercised";
	}
}

int report_subject_init(struct subject *s, const char *name)
{
	memset(s, 0, sizeof *s);
	s->name = strdup(name);
	s->features = calloc(catalog_feature_count(), sizeof *s->features);
	s->rules = calloc(catalog_rule_count(), sizeof *s->rules);
	if (s->name == NULL || s->features == NULL || s->rules == NULL) {
		report_subject_free(s);
		return -1;
	}
	return 0;
}

void report_evidence_clear(struct evidence *e)
{
	free(e->message);
	free(e->feature);
	free(e->path);
	free(e->value);
	free(e->container);
	free(e->root);
	free(e->source);
	memset(e, 0, sizeof *e);
}

void report_subject_free(struct subject *s)
{
	if (s->rules != NULL) {
		for (size_t i = 0; i < catalog_rule_count(); i++) {
			for (size_t k = 0; k < s->rules[i].nev; k++)
				report_evidence_clear(&s->rules[i].ev[k]);
			free(s->rules[i].ev);
		}
	}
	for (size_t i = 0; i < s->nexpects; i++) {
		struct expect_result *x = &s->expects[i];
		for (size_t k = 0; k < x->nev; k++)
			report_evidence_clear(&x->ev[k]);
		free(x->ev);
		free(x->id);
		free(x->title);
		free(x->source);
	}
	for (size_t i = 0; i < s->ncli; i++)
		free(s->cli[i].id);
	for (size_t i = 0; i < s->nnotes; i++)
		free(s->notes[i]);
	free(s->notes);
	free(s->cli);
	free(s->expects);
	free(s->rules);
	free(s->features);
	free(s->sessions);
	free(s->name);
	free(s->engine);
	free(s->engine_version);
	free(s->label);
	free(s->host);
	memset(s, 0, sizeof *s);
}

void report_free(struct report *r)
{
	for (size_t i = 0; i < r->n; i++)
		report_subject_free(&r->subjects[i]);
	free(r->subjects);
	free(r->db_path);
	memset(r, 0, sizeof *r);
}

int report_subject_note(struct subject *s, const char *fmt, ...)
{
	char **notes = realloc(s->notes, (s->nnotes + 1) * sizeof *notes);
	va_list ap;
	char *text;
	int rc;

	if (notes == NULL)
		return -1;
	s->notes = notes;
	va_start(ap, fmt);
	rc = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (rc < 0)
		return -1;
	s->notes[s->nnotes++] = text;
	return 0;
}

static enum verdict worse(enum verdict a, enum verdict b)
{
	if (a == VERDICT_FAIL || b == VERDICT_FAIL)
		return VERDICT_FAIL;
	if (a == VERDICT_WARN || b == VERDICT_WARN)
		return VERDICT_WARN;
	return a;
}

/* Whether the subject holds what judging r needs. */
static bool judgeable(const struct catalog_rule *r, const struct subject *s)
{
	switch (r->in) {
	case IN_CONFIG:
		return true;
	case IN_BUNDLE:
		if (!s->lint)
			return strcmp(r->id, "G06") == 0;
		return s->bundle_known || strcmp(r->id, "G05") == 0;
	case IN_HOST:
		return s->lint && s->host_known;
	case IN_CALLS:
		return !s->lint || r->check != NULL;
	default:
		return false;
	}
}

void report_subject_finish(struct subject *s)
{
	struct headline *h = &s->head;

	memset(h, 0, sizeof *h);
	for (size_t i = 0; i < catalog_rule_count(); i++) {
		const struct catalog_rule *r = catalog_rule(i);
		struct rule_result *rr = &s->rules[i];
		if (rr->violations > 0)
			rr->verdict = catalog_rule_is_failure(r) ? VERDICT_FAIL : VERDICT_WARN;
		else if (rr->judged > 0)
			rr->verdict = VERDICT_PASS;
		else if (rr->inapplicable)
			rr->verdict = VERDICT_NOT_APPLICABLE;
		else if (!judgeable(r, s))
			rr->verdict = VERDICT_NOT_JUDGED;
		else
			rr->verdict = VERDICT_NOT_EXERCISED;
		h->rules++;
		if (rr->judged > 0 || rr->violations > 0)
			h->rules_judged++;
		if (rr->verdict == VERDICT_FAIL)
			h->must_failed++;
		else if (rr->verdict == VERDICT_WARN && r->level == CATALOG_SHOULD)
			h->should_warned++;
		else if (rr->verdict == VERDICT_WARN)
			h->derived_warned++;
	}
	for (size_t i = 0; i < catalog_feature_count(); i++) {
		struct feature_result *f = &s->features[i];
		struct area_counts *a = &h->area[catalog_feature(i)->area];
		if (f->verdict != VERDICT_FAIL && f->verdict != VERDICT_WARN)
			f->verdict = f->count > 0 ? VERDICT_PASS : VERDICT_NOT_EXERCISED;
		h->features++;
		a->features++;
		if (f->verdict == VERDICT_NOT_EXERCISED)
			continue;
		h->exercised++;
		a->exercised++;
		if (f->verdict == VERDICT_PASS) {
			h->passed++;
			a->passed++;
		} else if (f->verdict == VERDICT_WARN) {
			h->warned++;
			a->warned++;
		} else {
			h->failed++;
			a->failed++;
		}
	}
	for (size_t i = 0; i < s->nexpects; i++) {
		h->expectations++;
		if (s->expects[i].verdict == VERDICT_FAIL)
			h->expectations_failed++;
	}
}

bool report_has_must_failure(const struct report *r)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->subjects[i].head.must_failed > 0 || r->subjects[i].head.expectations_failed > 0)
			return true;
	return false;
}

/* ---- evidence ---- */

struct evidence_entry {
	size_t rule;
	struct evidence ev;
};

struct evidence_map {
	struct strmap keys;
	struct evidence_entry *e;
	size_t n, cap;
};

struct evidence_map *evidence_map_new(void)
{
	struct evidence_map *m = calloc(1, sizeof *m);

	if (m != NULL)
		strmap_init(&m->keys);
	return m;
}

void evidence_map_free(struct evidence_map *m)
{
	if (m == NULL)
		return;
	for (size_t i = 0; i < m->n; i++)
		report_evidence_clear(&m->e[i].ev);
	free(m->e);
	strmap_free(&m->keys);
	free(m);
}

static char *dup_or_null(const char *s)
{
	return s != NULL ? strdup(s) : NULL;
}

int evidence_map_add(struct evidence_map *m, size_t rule, const char *feature,
		     const char *message, const char *path, const char *value,
		     int64_t invocation, int64_t session, const char *container,
		     const char *root, const char *source, int64_t count)
{
	char key[1024];
	int64_t idx;
	struct evidence *e;

	if (feature == NULL)
		feature = catalog_rule(rule)->feature;
	snprintf(key, sizeof key, "%zu\x1f%s\x1f%s", rule, feature != NULL ? feature : "", message);
	idx = strmap_intern(&m->keys, key, strlen(key));
	if (idx < 0)
		return -1;
	if ((size_t)idx < m->n) {
		e = &m->e[idx].ev;
		e->count += count;
		/* Keep the earliest invocation as the example. */
		if (invocation > 0 && (e->invocation == 0 || invocation < e->invocation)) {
			free(e->path);
			free(e->value);
			free(e->container);
			free(e->root);
			e->path = dup_or_null(path);
			e->value = dup_or_null(value);
			e->container = dup_or_null(container);
			e->root = dup_or_null(root);
			e->invocation = invocation;
			e->session = session;
		}
		return 0;
	}
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 64;
		struct evidence_entry *n = realloc(m->e, cap * sizeof *n);
		if (n == NULL)
			return -1;
		m->e = n;
		m->cap = cap;
	}
	m->e[m->n].rule = rule;
	e = &m->e[m->n].ev;
	memset(e, 0, sizeof *e);
	e->message = strdup(message);
	e->feature = dup_or_null(feature);
	e->path = dup_or_null(path);
	e->value = dup_or_null(value);
	e->container = dup_or_null(container);
	e->root = dup_or_null(root);
	e->source = dup_or_null(source);
	e->invocation = invocation;
	e->session = session;
	e->count = count;
	m->n++;
	return 0;
}

static int by_count(const void *a, const void *b)
{
	const struct evidence *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return x->invocation < y->invocation ? -1 : x->invocation > y->invocation;
}

int evidence_map_flush(struct evidence_map *m, struct subject *s)
{
	for (size_t i = 0; i < m->n; i++) {
		struct evidence_entry *en = &m->e[i];
		const struct catalog_rule *r = catalog_rule(en->rule);
		struct rule_result *rr = &s->rules[en->rule];
		enum verdict v = catalog_rule_is_failure(r) ? VERDICT_FAIL : VERDICT_WARN;
		struct evidence *ev;
		int f = en->ev.feature != NULL ? catalog_feature_find(en->ev.feature) : -1;

		if (f >= 0)
			s->features[f].verdict = worse(s->features[f].verdict, v);
		rr->violations += en->ev.count;
		rr->ev_total++;
		ev = realloc(rr->ev, (rr->nev + 1) * sizeof *ev);
		if (ev == NULL)
			return -1;
		rr->ev = ev;
		rr->ev[rr->nev++] = en->ev;
		memset(&en->ev, 0, sizeof en->ev);
	}
	m->n = 0;
	for (size_t i = 0; i < catalog_rule_count(); i++) {
		struct rule_result *rr = &s->rules[i];
		if (rr->nev == 0)
			continue;
		qsort(rr->ev, rr->nev, sizeof *rr->ev, by_count);
		while (rr->nev > REPORT_EVIDENCE_MAX)
			report_evidence_clear(&rr->ev[--rr->nev]);
	}
	return 0;
}
