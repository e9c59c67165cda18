/* Judging one blob (a config.json, an exec's process.json, an update's
 * resources) against the catalog: which features it exercises, which rules
 * were judged on it, what they found. A recorded blob is judged once however
 * many invocations share it; the scorer multiplies. */
#ifndef REPORT_BLOB_EVAL_H
#define REPORT_BLOB_EVAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "common/error.h"

struct blob_finding {
	uint16_t rule;
	const char *feature;     /* catalog feature id (static), or NULL */
	const char *message;     /* static text from the check */
	char *path;
	char *value;
};

struct blob_eval {
	bool parsed;
	uint16_t *features;      /* catalog features exercised */
	size_t nfeatures;
	uint16_t *judged;        /* rules judged on it */
	size_t njudged;
	uint16_t *inapplicable;  /* rules triggered at a version they skip */
	size_t ninapplicable;
	struct blob_finding *findings;
	size_t nfindings;
	/* facts the call-level rules need */
	bool has_process;
	bool terminal;
	char *root_path;         /* root.path, or NULL */
};

struct blob_eval_opts {
	int kind;                /* enum recorder_blob_kind */
	const char *bundle;      /* judge bundle rules against it (lint) */
	const char *config_name; /* file name, for G05 (lint) */
	bool host;               /* judge host rules on this machine (lint) */
	bool lint;
};

/* Parses data like a runtime would (integers beyond int64 are read as
 * reals rather than refused) and judges it. *doc receives the document
 * shaped as a config (NULL when unparsable); the caller releases it. Only
 * running out of memory is an error: bad input is a finding (G04). */
int blob_evaluate(const char *data, size_t len, const struct blob_eval_opts *opts,
		  struct blob_eval *out, json_t **doc, mr_error **err);
void blob_eval_clear(struct blob_eval *e);

#endif
