/* The catalog as data matches SPEC-CATALOG.md's counts, every rule names a
 * feature that exists, and the helpers rules depend on behave. */
#include <stdlib.h>
#include <string.h>

#include "recorder/recorder.h"
#include "report/blob_eval.h"
#include "report/catalog.h"
#include "report/check.h"
#include "report/version.h"
#include "tests/unit/tap.h"

static bool starts(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

static void counts(void)
{
	size_t config = 0, by_since[6] = { 0 }, calls = 0;
	static const char *const since[] = { "1.0.0", "1.0.2", "1.1.0", "1.2.0", "1.2.1", "1.3.0" };
	size_t must = 0, should = 0, derived = 0, lmust = 0, lderived = 0, cmust = 0, cshould = 0, cderived = 0;
	size_t lrules = 0, crules = 0;

	for (size_t i = 0; i < catalog_feature_count(); i++) {
		const struct catalog_feature *f = catalog_feature(i);
		if (f->source == SRC_CALLS) {
			calls++;
			continue;
		}
		config++;
		for (size_t k = 0; k < 6; k++)
			if (strcmp(f->since, since[k]) == 0)
				by_since[k]++;
	}
	is_int(config, 122, "122 config features");
	is_int(by_since[0], 81, "81 features since 1.0.0");
	is_int(by_since[1], 11, "11 features since 1.0.2");
	is_int(by_since[2], 21, "21 features since 1.1.0");
	is_int(by_since[3], 4, "4 features since 1.2.0");
	is_int(by_since[4], 1, "1 feature since 1.2.1");
	is_int(by_since[5], 4, "4 features since 1.3.0");
	ok(calls >= 11, "the operation and command-line features are catalogued (%zu)", calls);

	for (size_t i = 0; i < catalog_rule_count(); i++) {
		const struct catalog_rule *r = catalog_rule(i);
		if (r->id[0] == 'L' && r->id[1] != 'B') {
			lrules++;
			lmust += r->level == CATALOG_MUST;
			lderived += r->level == CATALOG_DERIVED;
		} else if (starts(r->id, "CLI")) {
			crules++;
			cmust += r->level == CATALOG_MUST;
			cshould += r->level == CATALOG_SHOULD;
			cderived += r->level == CATALOG_DERIVED;
		} else {
			must += r->level == CATALOG_MUST;
			should += r->level == CATALOG_SHOULD;
			derived += r->level == CATALOG_DERIVED;
		}
	}
	is_int(must + should + derived, 122, "122 config rules");
	is_int(must, 70, "70 MUST config rules");
	is_int(should, 10, "10 SHOULD config rules");
	is_int(derived, 42, "42 DERIVED config rules");
	is_int(lrules, 14, "14 lifecycle rules");
	is_int(lmust, 11, "11 MUST lifecycle rules");
	is_int(lderived, 3, "3 DERIVED lifecycle rules");
	is_int(crules, 10, "10 command-line rules");
	is_int(cmust, 8, "8 MUST command-line rules");
	is_int(cshould, 1, "1 SHOULD command-line rule");
	is_int(cderived, 1, "1 DERIVED command-line rule");
}

static void integrity(void)
{
	size_t bad_feature = 0, no_check = 0, dup = 0, bad_link = 0, bad_when = 0;

	for (size_t i = 0; i < catalog_rule_count(); i++) {
		const struct catalog_rule *r = catalog_rule(i);
		if (r->feature != NULL && catalog_feature_find(r->feature) < 0) {
			bad_feature++;
			printf("# rule %s names unknown feature %s\n", r->id, r->feature);
		}
		if ((r->in == IN_CONFIG || r->in == IN_BUNDLE || r->in == IN_HOST) && r->check == NULL)
			no_check++;
		if (catalog_rule_find(r->id) != (int)i)
			dup++;
		if (!starts(r->link, "https://github.com/opencontainers/"))
			bad_link++;
		if (r->when != NULL && strchr(r->when, '\t') != NULL)
			bad_when++;
	}
	is_int(bad_feature, 0, "every rule belongs to a catalogued feature");
	is_int(no_check, 0, "every config rule has a check");
	is_int(dup, 0, "rule ids are unique");
	is_int(bad_link, 0, "every rule links the spec or the CLI document");
	is_int(bad_when, 0, "trigger lists are space separated");
	dup = bad_link = 0;
	for (size_t i = 0; i < catalog_feature_count(); i++) {
		const struct catalog_feature *f = catalog_feature(i);
		if (catalog_feature_find(f->id) != (int)i)
			dup++;
		if (!starts(f->link, "https://github.com/opencontainers/"))
			bad_link++;
	}
	is_int(dup, 0, "feature ids are unique");
	is_int(bad_link, 0, "every feature links its spec section");
	ok(catalog_rule_is_failure(catalog_rule((size_t)catalog_rule_find("PR03"))), "PR03 is a failure");
	ok(!catalog_rule_is_failure(catalog_rule((size_t)catalog_rule_find("G06"))), "disputed G06 only warns");
	ok(!catalog_rule_is_failure(catalog_rule((size_t)catalog_rule_find("RT03"))), "SHOULD RT03 only warns");
	ok(!catalog_rule_is_failure(catalog_rule((size_t)catalog_rule_find("G03"))), "DERIVED G03 only warns");
}

static void versions(void)
{
	struct spec_version v;
	const struct catalog_rule *mt02 = catalog_rule((size_t)catalog_rule_find("MT02"));
	const struct catalog_rule *mt03 = catalog_rule((size_t)catalog_rule_find("MT03"));

	ok(spec_version_parse("1.0.2-dev", &v) && v.major == 1 && v.minor == 0 && v.patch == 2,
	   "1.0.2-dev counts as 1.0.2");
	ok(spec_version_parse("1.1.0+dev", &v) && v.minor == 1 && v.patch == 0, "1.1.0+dev counts as 1.1.0");
	ok(!spec_version_parse("1.2", &v), "1.2 is not a version");
	ok(spec_version_is_semver("1.0.2-dev"), "1.0.2-dev is SemVer");
	ok(spec_version_is_semver("1.1.0+dev.5"), "1.1.0+dev.5 is SemVer");
	ok(spec_version_is_semver("1.0.0-rc.1+build.7"), "pre-release and build is SemVer");
	ok(!spec_version_is_semver("1.3"), "1.3 is not SemVer");
	ok(!spec_version_is_semver("01.0.0"), "leading zero is not SemVer");
	ok(!spec_version_is_semver("1.0.0-01"), "numeric pre-release with leading zero is not SemVer");
	ok(!spec_version_is_semver("1.0.0+"), "empty build is not SemVer");
	ok(!spec_version_is_semver("v1.0.0"), "a v prefix is not SemVer");
	ok(catalog_rule_applies(mt02, (struct spec_version){ 1, 1, 0 }) &&
	   !catalog_rule_applies(mt02, (struct spec_version){ 1, 2, 0 }), "MT02 applies below 1.2.0 only");
	ok(!catalog_rule_applies(mt03, (struct spec_version){ 1, 1, 9 }) &&
	   catalog_rule_applies(mt03, (struct spec_version){ 1, 2, 0 }), "MT03 applies from 1.2.0");
}

static void matching(void)
{
	struct feature_set fs;
	json_t *doc = json_loads("{\"mounts\":[{\"destination\":\"data\",\"options\":[\"rbind\",\"size=64m\"]}],"
				 "\"linux\":{\"namespaces\":[{\"type\":\"user\"}],\"seccomp\":{\"defaultAction\":"
				 "\"SCMP_ACT_LOG\"}},\"annotations\":{\"org.opencontainers.image.os\":\"linux\"}}",
				 0, NULL);
	int relative = catalog_feature_find("mounts.relativeDestination");
	int fs_specific = catalog_feature_find("mounts.options.fsSpecific");
	int image = catalog_feature_find("annotations.image");
	int rbind = catalog_feature_find("mounts.rbind");
	int log = catalog_feature_find("linux.seccomp.action.log");
	int user = catalog_feature_find("linux.namespaces.user");
	int pid = catalog_feature_find("linux.namespaces.pid");

	feature_set_init(&fs);
	ok(feature_set_extract(&fs, RECORDER_BLOB_CONFIG, doc) == 0, "extraction through the recorder");
	ok(feature_set_has(&fs, "mounts.options.rbind"), "the recorder's id for rbind");
	ok(feature_set_matches(&fs, "linux.seccomp.*"), "a wildcard matches ids below it");
	ok(!feature_set_matches(&fs, "linux.resources.*"), "a wildcard matches nothing else");
	ok(catalog_feature_in_blob(catalog_feature((size_t)rbind), doc, &fs), "mounts.rbind exercised");
	ok(catalog_feature_in_blob(catalog_feature((size_t)log), doc, &fs), "SCMP_ACT_LOG exercised");
	ok(catalog_feature_in_blob(catalog_feature((size_t)user), doc, &fs), "user namespace exercised");
	ok(!catalog_feature_in_blob(catalog_feature((size_t)pid), doc, &fs), "pid namespace not exercised");
	ok(catalog_feature_in_blob(catalog_feature((size_t)relative), doc, &fs), "relative destination detected");
	ok(catalog_feature_in_blob(catalog_feature((size_t)fs_specific), doc, &fs), "size= is filesystem data");
	ok(catalog_feature_in_blob(catalog_feature((size_t)image), doc, &fs), "image annotations detected");
	ok(catalog_match_id("create.--pid-file", "create.--pid-file"), "call feature exact match");
	ok(!catalog_match_id("create.--pid-file", "exec.--pid-file"), "call feature other command");
	is_int(catalog_mount_option_class("rbind"), OPT_MUST, "rbind is a MUST option");
	is_int(catalog_mount_option_class("rro"), OPT_SHOULD, "rro is a SHOULD option");
	is_int(catalog_mount_option_class("tmpcopyup"), OPT_MAY, "tmpcopyup is a MAY option");
	is_int(catalog_mount_option_class("mode"), OPT_UNKNOWN, "mode= is filesystem data");
	ok(check_is_cpu_list("0-3,7") && check_is_cpu_list("") && !check_is_cpu_list("0-") &&
	   !check_is_cpu_list("a"), "CPU list format");
	ok(check_rootfs_in_bundle("rootfs", "/b") && check_rootfs_in_bundle("/b/rootfs", "/b/") &&
	   !check_rootfs_in_bundle("/var/lib/docker/overlay2/x/merged", "/b") &&
	   !check_rootfs_in_bundle("sub/rootfs", "/b"), "rootfs in bundle, the strict reading");
	feature_set_free(&fs);
	json_decref(doc);

	/* A config with no feature at all ("{ }", found by fuzz_report): an
	 * empty set, nothing to sort, nothing matched. */
	doc = json_object();
	feature_set_init(&fs);
	ok(feature_set_extract(&fs, RECORDER_BLOB_CONFIG, doc) == 0, "an empty config: extracted");
	is_int((int)fs.n, 0, "an empty config: no feature");
	ok(!feature_set_has(&fs, "process") && !feature_set_matches(&fs, "linux.*"),
	   "an empty config: nothing matches");
	feature_set_free(&fs);
	json_decref(doc);
}

/* A finding's value is cut at 240 bytes with "..." appended, and only
 * when that saves something: values of 240 to 246 bytes (as JSON) around
 * the cut, judged on RP01's rootfsPropagation. */
static void long_values(void)
{
	for (size_t dumped = 240; dumped <= 246; dumped++) {
		size_t n = dumped - 2; /* the quotes */
		char *v = malloc(n + 1), *doc = NULL;
		struct blob_eval_opts opts = { .kind = RECORDER_BLOB_CONFIG };
		struct blob_eval e = { 0 };
		json_t *parsed = NULL;
		mr_error *err = NULL;
		const char *got = NULL;

		memset(v, 'x', n);
		v[n] = '\0';
		json_t *config = json_pack("{s:s, s:{s:s}}", "ociVersion", "1.0.2", "linux",
					   "rootfsPropagation", v);

		doc = json_dumps(config, JSON_COMPACT);
		json_decref(config);
		blob_evaluate(doc, strlen(doc), &opts, &e, &parsed, &err);
		for (size_t i = 0; i < e.nfindings; i++)
			if (e.findings[i].path != NULL && strcmp(e.findings[i].path, "linux.rootfsPropagation") == 0)
				got = e.findings[i].value;
		if (dumped <= 243)
			ok(got != NULL && strlen(got) == dumped && got[dumped - 1] == '"',
			   "a %zu-byte value is shown whole", dumped);
		else
			ok(got != NULL && strlen(got) == 243 && strcmp(got + 240, "...") == 0,
			   "a %zu-byte value is cut to 240 bytes and \"...\"", dumped);
		blob_eval_clear(&e);
		json_decref(parsed);
		mr_error_free(&err);
		free(doc);
		free(v);
	}
}

int main(void)
{
	counts();
	integrity();
	versions();
	matching();
	long_values();
	return tap_done();
}
