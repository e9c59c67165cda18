#include "report/blob_eval.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "recorder/recorder.h"
#include "report/catalog.h"
#include "report/check.h"

struct sink {
	struct blob_eval *out;
	int failed;
};

static int push_u16(uint16_t **arr, size_t *n, size_t v)
{
	uint16_t *a = realloc(*arr, (*n + 1) * sizeof *a);

	if (a == NULL)
		return -1;
	a[(*n)++] = (uint16_t)v;
	*arr = a;
	return 0;
}

static void emit(struct check_ctx *c, const char *feature, const char *path,
		 const char *value, const char *message)
{
	struct sink *s = c->arg;
	struct blob_eval *out = s->out;
	struct blob_finding *f = realloc(out->findings, (out->nfindings + 1) * sizeof *f);
	int idx = feature != NULL ? catalog_feature_find(feature) : -1;

	if (f == NULL) {
		s->failed = 1;
		return;
	}
	out->findings = f;
	f = &out->findings[out->nfindings++];
	f->rule = (uint16_t)c->rule;
	/* Keep a pointer into the catalog, not the caller's buffer. */
	f->feature = idx >= 0 ? catalog_feature((size_t)idx)->id : NULL;
	f->message = message;
	f->path = strdup(path);
	f->value = value != NULL ? strdup(value) : NULL;
}

/* A runtime reads uint64 fields (RLIM_INFINITY, a wrapped swappiness) that
 * jansson refuses as integers; read those documents with reals instead. */
static json_t *parse(const char *data, size_t len)
{
	json_error_t jerr;
	json_t *v = json_loadb(data, len, JSON_ALLOW_NUL, &jerr);

	if (v == NULL && json_error_code(&jerr) == json_error_numeric_overflow)
		v = json_loadb(data, len, JSON_ALLOW_NUL | JSON_DECODE_INT_AS_REAL, &jerr);
	return v;
}

/* Which rules read a process.json or an update's resources. */
static bool rule_reads(const struct catalog_rule *r, int kind)
{
	const char *f = r->feature != NULL ? r->feature : "";

	switch (kind) {
	case RECORDER_BLOB_CONFIG:
		return true;
	case RECORDER_BLOB_PROCESS:
		return strncmp(f, "process.", 8) == 0 || strcmp(f, "process") == 0;
	default:
		return strncmp(f, "linux.resources.", 16) == 0;
	}
}

static bool judged_here(const struct catalog_rule *r, const struct blob_eval_opts *o)
{
	if (r->check == NULL)
		return false;
	switch (r->in) {
	case IN_CONFIG:
		return true;
	case IN_BUNDLE:
		return o->bundle != NULL || (strcmp(r->id, "G05") == 0 && o->config_name != NULL);
	case IN_HOST:
		return o->host;
	case IN_CALLS:
		/* A lone config stands for a bundle that will be started. */
		return o->lint;
	default:
		return false;
	}
}

static json_t *shape(json_t *doc, int kind)
{
	switch (kind) {
	case RECORDER_BLOB_PROCESS:
		return json_pack("{s:o}", "process", doc);
	case RECORDER_BLOB_RESOURCES:
		return json_pack("{s:{s:o}}", "linux", "resources", doc);
	default:
		return doc;
	}
}

int blob_evaluate(const char *data, size_t len, const struct blob_eval_opts *opts,
		  struct blob_eval *out, json_t **docp, mr_error **err)
{
	struct feature_set fs;
	struct sink sink = { .out = out };
	struct check_ctx c = { 0 };
	size_t nf = catalog_feature_count();
	bool *exercised = NULL;
	json_t *raw, *doc;
	const char *declared = NULL;
	int g04 = catalog_rule_find("G04");

	memset(out, 0, sizeof *out);
	*docp = NULL;
	raw = parse(data, len);
	c.emit = emit;
	c.arg = &sink;
	if (raw == NULL) {
		/* Only the config's own encoding rule can be judged. */
		c.rule = (size_t)g04;
		if (push_u16(&out->judged, &out->njudged, (size_t)g04) < 0)
			return mr_error_set(err, ENOMEM, "judge blob");
		check_fail(&c, NULL, NULL, "the document is not valid UTF-8 JSON", "(document)");
		return sink.failed ? mr_error_set(err, ENOMEM, "judge blob") : 0;
	}
	if ((doc = shape(raw, opts->kind)) == NULL)
		return mr_error_set(err, ENOMEM, "judge blob");
	out->parsed = true;
	feature_set_init(&fs);
	exercised = calloc(nf, sizeof *exercised);
	if (exercised == NULL || feature_set_extract(&fs, opts->kind, raw) < 0) {
		mr_error_set(err, ENOMEM, "judge blob");
		goto fail;
	}

	for (size_t i = 0; i < nf; i++) {
		if (!catalog_feature_in_blob(catalog_feature(i), doc, &fs))
			continue;
		exercised[i] = true;
		if (push_u16(&out->features, &out->nfeatures, i) < 0)
			goto nomem;
	}

	c.doc = doc;
	c.kind = opts->kind;
	c.fs = &fs;
	c.exercised = exercised;
	c.bundle = opts->bundle;
	c.config_name = opts->config_name;
	c.host = opts->host;
	c.lint = opts->lint;
	c.version = SPEC_VERSION_NEWEST;
	if (opts->kind == RECORDER_BLOB_CONFIG) {
		declared = json_string_value(json_object_get(doc, "ociVersion"));
		if (declared != NULL && !spec_version_parse(declared, &c.version))
			c.version = SPEC_VERSION_NEWEST;
		c.declared = declared;
	}

	for (size_t i = 0; i < catalog_rule_count(); i++) {
		const struct catalog_rule *r = catalog_rule(i);
		if (!rule_reads(r, opts->kind) || !judged_here(r, opts))
			continue;
		if (r->when != NULL && !feature_set_matches(&fs, r->when))
			continue;
		if (!catalog_rule_applies(r, c.version)) {
			if (push_u16(&out->inapplicable, &out->ninapplicable, i) < 0)
				goto nomem;
			continue;
		}
		if (push_u16(&out->judged, &out->njudged, i) < 0)
			goto nomem;
		c.rule = i;
		r->check(&c);
		if (sink.failed)
			goto nomem;
	}

	out->has_process = json_is_object(json_object_get(doc, "process"));
	out->terminal = json_is_true(json_object_get(json_object_get(doc, "process"), "terminal"));
	if (json_is_string(json_object_get(json_object_get(doc, "root"), "path")) &&
	    (out->root_path = strdup(json_string_value(json_object_get(json_object_get(doc, "root"), "path")))) == NULL)
		goto nomem;
	feature_set_free(&fs);
	free(exercised);
	*docp = doc;
	return 0;
nomem:
	mr_error_set(err, ENOMEM, "judge blob");
fail:
	feature_set_free(&fs);
	free(exercised);
	json_decref(doc);
	blob_eval_clear(out);
	return -1;
}

void blob_eval_clear(struct blob_eval *e)
{
	for (size_t i = 0; i < e->nfindings; i++) {
		free(e->findings[i].path);
		free(e->findings[i].value);
	}
	free(e->findings);
	free(e->features);
	free(e->judged);
	free(e->inapplicable);
	free(e->root_path);
	memset(e, 0, sizeof *e);
}
