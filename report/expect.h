/* Engine expectations: what an engine action must produce in the recorded
 * calls (format: report/EXPECTATIONS.md). Loading checks the whole file
 * and reports the first bad line; evaluating one check is a pure function
 * of a document or of a call's recorded command-line item. */
#ifndef REPORT_EXPECT_H
#define REPORT_EXPECT_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

#include "common/error.h"
#include "report/catalog.h"

enum expect_subject {
	EXPECT_CONFIG,     /* the config.json of the container's create */
	EXPECT_PROCESS,    /* a process.json of an exec on the container */
	EXPECT_RESOURCES,  /* the resources of an update on the container */
	EXPECT_CALL,       /* a call of this command on the container */
	EXPECT_CLI,        /* a command-line item of a call on the container */
};

enum expect_op {
	OP_EXISTS, OP_ABSENT, OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_CONTAINS, OP_MATCHES,
};

struct expect_check {
	enum expect_subject subject;
	char *path;              /* JSON path, command name or item id */
	enum expect_op op;
	json_t *value;           /* expected value (OP_EQ ...) */
	regex_t re;              /* OP_MATCHES */
	bool has_re;
	char *text;              /* the check as written, for evidence */
};

enum expect_match { MATCH_ENV, MATCH_ANNOTATION, MATCH_ID };

struct expect_step {
	char *name;              /* [A-Za-z0-9._-]+ */
	char *title;
	char *engine;            /* from the file's engine line, or NULL: any */
	char *source;            /* file:line of the step line */
	enum catalog_level level;
	bool optional;           /* not observed: not exercised rather than failed */
	enum expect_match match;
	char *match_key, *match_value;
	regex_t match_re;        /* MATCH_ID */
	bool has_match_re;
	struct expect_check *checks;
	size_t nchecks;
};

struct expect_set {
	struct expect_step *steps;
	size_t n;
};

/* Loads a file, or every *.expect file of a directory and its direct
 * subdirectories, appending to set. */
int expect_set_load(struct expect_set *set, const char *path, mr_error **err);
void expect_set_free(struct expect_set *set);

bool expect_step_for_engine(const struct expect_step *st, const char *engine);
/* doc is config-shaped (a process.json under "process"). */
bool expect_step_matches_doc(const struct expect_step *st, json_t *doc);
bool expect_step_matches_id(const struct expect_step *st, const char *container);

/* Evaluates a document check (config, process, resources); *actual gets
 * the value found (JSON text, or NULL when absent), to be freed. */
bool expect_eval_json(const struct expect_check *c, json_t *doc, char **actual);
/* Evaluates a command-line item check on one call. */
bool expect_eval_cli(const struct expect_check *c, bool present, const char *value);

/* Value at a path: "a.b", "a[2].b", "a[key=value].b"; NULL when absent. */
json_t *expect_path(json_t *doc, const char *path);

#endif
