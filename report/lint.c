/* lint: judging config files that were never recorded, as
 * `oci-runtime-tool validate` does, with the catalog's versions and
 * evidence. A path is a config file or a bundle directory. A file named
 * config.json stands in its bundle (its directory), so the bundle rules are
 * judged too; any other name fails G05. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/cleanup.h"
#include "common/clock.h"
#include "common/file.h"
#include "recorder/recorder.h"
#include "report/blob_eval.h"
#include "report/score.h"

static int lint_one(const char *path, bool host, struct subject *s, mr_error **err)
{
	cleanup_free char *file = NULL, *bundle = NULL, *data = NULL;
	struct blob_eval_opts o = { .kind = RECORDER_BLOB_CONFIG, .host = host, .lint = true };
	struct blob_eval ev;
	struct evidence_map *m;
	json_t *doc = NULL;
	const char *base;
	struct stat st;
	size_t len = 0;

	if (stat(path, &st) < 0)
		return mr_error_set(err, errno, "lint %s", path);
	if (S_ISDIR(st.st_mode)) {
		bundle = mr_path_abs(path);
		file = bundle != NULL ? mr_path_join(bundle, "config.json") : NULL;
	} else {
		file = mr_path_abs(path);
		base = file != NULL ? strrchr(file, '/') : NULL;
		if (base != NULL && strcmp(base + 1, "config.json") == 0)
			bundle = strndup(file, (size_t)(base - file > 0 ? base - file : 1));
	}
	if (file == NULL)
		return mr_error_set(err, ENOMEM, "lint %s", path);
	if (mr_read_file(file, &data, &len, err) < 0)
		return mr_error_wrap(err, "lint");
	base = strrchr(file, '/');
	o.config_name = base != NULL ? base + 1 : file;
	o.bundle = bundle;
	if (report_subject_init(s, path) < 0)
		return mr_error_set(err, ENOMEM, "lint %s", path);
	s->lint = true;
	s->bundle_known = bundle != NULL;
	s->host_known = host;
	if (blob_evaluate(data, len, &o, &ev, &doc, err) < 0)
		return -1;
	json_decref(doc);
	if ((m = evidence_map_new()) == NULL) {
		blob_eval_clear(&ev);
		return mr_error_set(err, ENOMEM, "lint %s", path);
	}
	for (size_t k = 0; k < ev.nfeatures; k++)
		s->features[ev.features[k]].count = 1;
	for (size_t k = 0; k < ev.njudged; k++)
		s->rules[ev.judged[k]].judged = 1;
	for (size_t k = 0; k < ev.ninapplicable; k++)
		s->rules[ev.inapplicable[k]].inapplicable = true;
	for (size_t k = 0; k < ev.nfindings; k++) {
		const struct blob_finding *f = &ev.findings[k];
		if (evidence_map_add(m, f->rule, f->feature, f->message, f->path, f->value, 0, 0, NULL,
				     NULL, path, 1) < 0)
			goto nomem;
	}
	if (evidence_map_flush(m, s) < 0)
		goto nomem;
	evidence_map_free(m);
	blob_eval_clear(&ev);
	s->configs = 1;
	report_subject_finish(s);
	return 0;
nomem:
	evidence_map_free(m);
	blob_eval_clear(&ev);
	return mr_error_set(err, ENOMEM, "lint %s", path);
}

int report_lint_files(char *const *paths, size_t n, bool host_specific, struct report *out,
		      mr_error **err)
{
	memset(out, 0, sizeof *out);
	out->lint = true;
	out->generated_ns = mr_now_ns();
	out->subjects = calloc(n + 1, sizeof *out->subjects);
	if (out->subjects == NULL)
		return mr_error_set(err, ENOMEM, "lint");
	for (size_t i = 0; i < n; i++) {
		if (lint_one(paths[i], host_specific, &out->subjects[i], err) < 0) {
			report_subject_free(&out->subjects[i]);
			report_free(out);
			return -1;
		}
		out->n++;
	}
	return 0;
}
