/* Config rule checks: one function per rule, grouped by area in
 * report/check_*.c. A check reads ctx->doc (always shaped like config.json:
 * a process.json is judged as {"process": ...}, update resources as
 * {"linux": {"resources": ...}}) and reports each violation with
 * check_fail(). Whether a rule applies at all (version, trigger ids) is
 * decided before the check runs. */
#ifndef REPORT_CHECK_H
#define REPORT_CHECK_H

#include <stdbool.h>
#include <jansson.h>

#include "report/catalog.h"
#include "report/version.h"

struct check_ctx {
	json_t *doc;
	struct spec_version version;     /* the version rules are judged at */
	const char *declared;            /* ociVersion as written, or NULL */
	int kind;                        /* enum recorder_blob_kind */
	const struct feature_set *fs;
	const bool *exercised;           /* per catalog feature, for G03 */
	const char *bundle;              /* bundle directory (B rules), or NULL */
	const char *config_name;         /* file name of the config (G05), or NULL */
	bool host;                       /* host-specific rules (H) allowed */
	bool lint;                       /* a standalone config, not a recording */
	size_t rule;                     /* index of the rule being checked */
	/* Receives each violation; message is a constant text (findings are
	 * aggregated by it), value the offending JSON, path where it is. */
	void (*emit)(struct check_ctx *c, const char *feature, const char *path,
		     const char *value, const char *message);
	void *arg;
};

/* Reports a violation of the current rule. feature: the concrete catalog
 * feature (NULL: the rule's own); value: the offending value (may be NULL);
 * message: constant text; path_fmt: where, printf-style. */
void check_fail(struct check_ctx *c, const char *feature, json_t *value,
		const char *message, const char *path_fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Helpers shared by the checks. */
json_t *check_get(json_t *doc, const char *dotted);
bool check_is_abs(const char *s);
/* "0-3,7": comma-separated numbers and ranges (spec CPU/node list format). */
bool check_is_cpu_list(const char *s);
/* Value sets are the newest lists: a value newer than the declared
 * ociVersion is version drift, reported by G03 (a warning), not a MUST
 * failure (SPEC-CATALOG.md §4, enum drift). */
bool check_in(const char *value, const char *const *list);
/* A JSON integer, or a real with an integral value (configs holding
 * uint64 values above INT64_MAX are read with integers as reals). */
bool check_is_int(json_t *v);
/* Compares two numbers exactly when both are integers. */
int check_cmp(json_t *a, json_t *b);
double check_num(json_t *v);
/* True when the container has a namespace of this type (any path). */
bool check_has_ns(json_t *doc, const char *type);
/* The namespace entry of this type, or NULL. */
json_t *check_ns(json_t *doc, const char *type);
/* parent(clean(abs root.path)) == clean(bundle), relative paths taken in
 * the bundle: the strict bundle.md reading runtime-tools applies (G06). */
bool check_rootfs_in_bundle(const char *root_path, const char *bundle);
/* Path of name resolved against the bundle when relative; caller frees. */
char *check_bundle_path(const char *bundle, const char *name);

/* Checks, one per rule id (check_*.c). */
#define CHECK_FN(name) void check_##name(struct check_ctx *c)
#define CHECK(name) void check_##name(struct check_ctx *c)
/* general */
CHECK(G01); CHECK(G02); CHECK(G03); CHECK(G04); CHECK(G05); CHECK(G06);
CHECK(RT01); CHECK(RT02); CHECK(RT03); CHECK(RT04);
CHECK(AN01); CHECK(AN02); CHECK(AN03); CHECK(AN04); CHECK(AN05); CHECK(AN06);
CHECK(HN01); CHECK(HN02); CHECK(DF01);
/* mounts */
CHECK(MT01); CHECK(MT02); CHECK(MT03); CHECK(MT04); CHECK(MT05); CHECK(MT06); CHECK(MT07);
CHECK(MT08); CHECK(MT09); CHECK(MT10); CHECK(MT11); CHECK(MT12); CHECK(MT13);
/* process */
CHECK(PR01); CHECK(PR02); CHECK(PR03); CHECK(PR04); CHECK(PR05); CHECK(PR06); CHECK(PR07);
CHECK(PR08); CHECK(PR09); CHECK(PR10); CHECK(PR11); CHECK(PR12); CHECK(PR13); CHECK(PR14);
CHECK(PR15); CHECK(PR16); CHECK(PR17); CHECK(PR18); CHECK(PR19); CHECK(PR20); CHECK(PR21);
/* hooks */
CHECK(HK01); CHECK(HK02); CHECK(HK03); CHECK(HK04); CHECK(HK05); CHECK(HK06); CHECK(HK07);
/* namespaces and linux */
CHECK(NS01); CHECK(NS02); CHECK(NS03); CHECK(NS04); CHECK(NS05); CHECK(NS06);
CHECK(UM01); CHECK(UM02); CHECK(TO01); CHECK(SY01);
CHECK(DV01); CHECK(DV02); CHECK(DV03); CHECK(DV04); CHECK(DV05); CHECK(DV06); CHECK(ND01);
CHECK(RP01); CHECK(MK01); CHECK(RO01); CHECK(LB01); CHECK(PS01); CHECK(PS02);
CHECK(MP01); CHECK(MP02); CHECK(RD01); CHECK(RD02); CHECK(RD03); CHECK(RD04); CHECK(RD05);
/* cgroups */
CHECK(CG01); CHECK(CG02); CHECK(CG03); CHECK(CG04); CHECK(CG05); CHECK(CG06); CHECK(CG07);
CHECK(CG08); CHECK(CG09); CHECK(CG10); CHECK(CG11); CHECK(CG12); CHECK(CG13); CHECK(CG14);
CHECK(CG15); CHECK(CG16); CHECK(CG17); CHECK(CG18); CHECK(CG19); CHECK(CG20);
/* seccomp */
CHECK(SC01); CHECK(SC02); CHECK(SC03); CHECK(SC04); CHECK(SC05); CHECK(SC06);
CHECK(SC07); CHECK(SC08); CHECK(SC09); CHECK(SC10); CHECK(SC11); CHECK(SC12);
#undef CHECK

#endif
