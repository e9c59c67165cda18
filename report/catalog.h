/* The spec catalog as data: every feature and rule of SPEC-CATALOG.md (the
 * report's ground truth), plus the operation and command-line features
 * engines exercise through runc's CLI.
 *
 * A feature is exercised when a recorded blob or call shows it. Config
 * features are matched against the ids recorder_blob_features() extracts
 * (the one extraction, so old blobs re-score with a newer catalog), or
 * found in the JSON by a detector when the feature is a value rather than
 * a path (a relative mount destination). Call features are matched against
 * the ids the recorder stores per invocation ("create.--pid-file").
 *
 * A rule belongs to one feature. Its level decides what a violation is:
 * MUST is a failure; SHOULD, DERIVED and "disputed" MUST rules are
 * warnings. Rules are judged at the version the config declares. */
#ifndef REPORT_CATALOG_H
#define REPORT_CATALOG_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

#include "report/version.h"

enum catalog_level { CATALOG_MUST, CATALOG_SHOULD, CATALOG_DERIVED };

enum catalog_area {
	AREA_GENERAL,     /* version, root, hostname, annotations */
	AREA_PROCESS,
	AREA_MOUNTS,
	AREA_HOOKS,
	AREA_NAMESPACES,  /* namespaces, id mappings, time offsets, sysctl */
	AREA_DEVICES,
	AREA_CGROUPS,
	AREA_SECCOMP,
	AREA_LINUX,       /* masked/readonly paths, labels, personality, RDT ... */
	AREA_LIFECYCLE,   /* operations and their order */
	AREA_CLI,         /* flags, extensions, global options */
	AREA_COUNT
};

/* What judging a rule needs (SPEC-CATALOG.md column "In"). */
enum catalog_input {
	IN_CONFIG,    /* the config alone */
	IN_BUNDLE,    /* the bundle directory (lint only) */
	IN_HOST,      /* the host (lint --host-specific only) */
	IN_CALLS,     /* the recorded calls: order, argv, outcome */
	IN_RUNTIME,   /* the runtime's side: nothing a recording shows */
};

enum catalog_source { SRC_CONFIG, SRC_CALLS };

/* The ids extracted from one blob, sorted for lookup. */
struct feature_set {
	const char **ids;
	int *counts;
	size_t n, cap;
};

struct catalog_feature {
	const char *id;
	enum catalog_area area;
	const char *since;        /* "1.0.0"; "CLI 1.0.1" or "runc" for calls */
	const char *link;
	const char *title;
	/* Space-separated recorded ids; "x.*" is any id below x. */
	const char *match;
	/* Value-level features: true when doc shows the feature. */
	bool (*detect)(json_t *doc, const struct feature_set *fs);
	enum catalog_source source;
	bool extension;           /* a runc extension, not a spec operation */
};

struct check_ctx;

struct catalog_rule {
	const char *id;
	const char *feature;      /* catalog feature id; NULL: none */
	enum catalog_level level;
	bool disputed;            /* a MUST whose reading is contested: warns */
	enum catalog_input in;
	const char *min;          /* applies when min <= version < max */
	const char *max;
	const char *title;        /* the condition a correct caller meets */
	const char *says;         /* the spec's own sentence */
	const char *link;
	/* Recorded ids (match syntax) whose presence makes the rule apply to
	 * a blob; NULL: every config. */
	const char *when;
	void (*check)(struct check_ctx *c);
	const char *note;         /* why a MUST is judged as a warning */
};

size_t catalog_feature_count(void);
const struct catalog_feature *catalog_feature(size_t i);
/* Index of a feature id, or -1. */
int catalog_feature_find(const char *id);

size_t catalog_rule_count(void);
const struct catalog_rule *catalog_rule(size_t i);
int catalog_rule_find(const char *id);

const char *catalog_level_name(enum catalog_level l);
const char *catalog_area_name(enum catalog_area a);
const char *catalog_input_name(enum catalog_input in);

/* True when a violation of r is a failure (a MUST, not disputed). */
bool catalog_rule_is_failure(const struct catalog_rule *r);

/* True when r is judged at version v (its Applies column). */
bool catalog_rule_applies(const struct catalog_rule *r, struct spec_version v);

/* ---- feature sets ---- */

void feature_set_init(struct feature_set *fs);
void feature_set_free(struct feature_set *fs);
/* Fills fs with the ids recorder_blob_features() finds in doc. */
int feature_set_extract(struct feature_set *fs, int kind, json_t *doc);
bool feature_set_has(const struct feature_set *fs, const char *id);
/* True when any id of fs matches the match expression. */
bool feature_set_matches(const struct feature_set *fs, const char *match);

/* True when the call feature id (as stored per invocation) matches. */
bool catalog_match_id(const char *match, const char *id);

/* Which config feature a blob exercises. */
bool catalog_feature_in_blob(const struct catalog_feature *f, json_t *doc,
			     const struct feature_set *fs);

/* ---- value sets shared by checks and detectors ---- */

enum option_class { OPT_UNKNOWN, OPT_MUST, OPT_SHOULD, OPT_MAY };
/* Where a Linux mount option stands in config.md's table. */
enum option_class catalog_mount_option_class(const char *name);

#endif
