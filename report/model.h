/* What a scoring produces, whatever it scored (a recorded session, a group
 * of sessions, a lone config file) and whatever format renders it. */
#ifndef REPORT_MODEL_H
#define REPORT_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "report/catalog.h"

enum verdict {
	VERDICT_NOT_EXERCISED,   /* nothing recorded touches it */
	VERDICT_PASS,
	VERDICT_WARN,            /* a SHOULD, DERIVED or disputed rule was violated */
	VERDICT_FAIL,            /* a MUST was violated */
	VERDICT_NOT_APPLICABLE,  /* exercised, but the rule does not apply at that version */
	VERDICT_NOT_JUDGED,      /* needs what a recording does not hold */
};

const char *verdict_name(enum verdict v);

/* One kind of violation, with the first place it was seen. */
struct evidence {
	char *message;          /* what is wrong */
	char *feature;          /* catalog feature id, or NULL */
	char *path;             /* where: JSON path or command-line item */
	char *value;            /* the offending value (JSON text), or NULL */
	int64_t invocation;     /* first invocation showing it; 0 for a file */
	int64_t session;
	char *container;
	char *root;             /* state root of that invocation */
	char *source;           /* file (lint, expectations), or NULL */
	int64_t count;          /* invocations (or files) showing it */
};

struct rule_result {
	enum verdict verdict;
	int64_t judged;         /* invocations (or files) the rule was judged on */
	int64_t violations;     /* of which violated it */
	bool inapplicable;      /* triggered only at versions it does not apply to */
	struct evidence *ev;    /* most frequent first, at most REPORT_EVIDENCE_MAX */
	size_t nev;
	size_t ev_total;        /* distinct kinds of violation before the cap */
};

#define REPORT_EVIDENCE_MAX 10

struct feature_result {
	enum verdict verdict;
	int64_t count;          /* invocations (or files) exercising it */
};

/* A step of an engine expectations file (report/EXPECTATIONS.md). */
struct expect_result {
	char *id;               /* "EX-memory-limit" */
	char *title;
	char *source;           /* file:line */
	enum catalog_level level;
	enum verdict verdict;
	int64_t matched;        /* containers the step matched */
	struct evidence *ev;
	size_t nev;
};

struct cli_item {
	char *id;               /* "create.--pid-file", "kill.signal#number" */
	int64_t count;
};

struct area_counts {
	size_t features, exercised, passed, warned, failed;
};

struct headline {
	size_t features, exercised, passed, warned, failed;
	size_t rules, rules_judged, must_failed, should_warned, derived_warned;
	size_t expectations, expectations_failed;
	struct area_counts area[AREA_COUNT];
};

struct subject {
	char *name;             /* "session 3", "docker 20.10.24", a file */
	int64_t *sessions;
	size_t nsessions;
	char *engine, *engine_version, *label, *host;
	int64_t started_ns, ended_ns;   /* ended 0: still open */
	int64_t invocations, containers, configs;
	struct feature_result *features;        /* catalog_feature_count() */
	struct rule_result *rules;              /* catalog_rule_count() */
	struct expect_result *expects;
	size_t nexpects;
	struct cli_item *cli;
	size_t ncli;
	char **notes;
	size_t nnotes;
	struct headline head;
	/* What could be judged: a lint has a config (and maybe its bundle and
	 * this host); a recording has configs and calls, no bundle or host. */
	bool lint, bundle_known, host_known;
};

struct report {
	bool lint;
	char *db_path;
	int64_t generated_ns;
	struct subject *subjects;
	size_t n;
};

/* A subject with every result zeroed, for the current catalog. */
int report_subject_init(struct subject *s, const char *name);
void report_subject_free(struct subject *s);
void report_free(struct report *r);
int report_subject_note(struct subject *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Verdicts of rules and features and the headline, from the counts and
 * evidence gathered. */
void report_subject_finish(struct subject *s);

/* True when any subject has a MUST failure (rules or expectations). */
bool report_has_must_failure(const struct report *r);

void report_evidence_clear(struct evidence *e);

/* ---- gathering evidence while scoring ---- */

struct evidence_map;

struct evidence_map *evidence_map_new(void);
void evidence_map_free(struct evidence_map *m);
/* Adds count occurrences of (rule, feature, message); the first call for a
 * key keeps its place. The strings are copied. */
int evidence_map_add(struct evidence_map *m, size_t rule, const char *feature,
		     const char *message, const char *path, const char *value,
		     int64_t invocation, int64_t session, const char *container,
		     const char *root, const char *source, int64_t count);
/* Moves the evidence into the subject's rules (violations counted, most
 * frequent first, capped). */
int evidence_map_flush(struct evidence_map *m, struct subject *s);

#endif
