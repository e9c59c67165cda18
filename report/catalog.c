/* Catalog helpers: names, version gating, matching recorded ids. */
#include <stdlib.h>
#include <string.h>

#include "recorder/recorder.h"
#include "report/catalog.h"

const char *catalog_level_name(enum catalog_level l)
{
	switch (l) {
	case CATALOG_MUST: return "MUST";
	case CATALOG_SHOULD: return "SHOULD";
	default: return "DERIVED";
	}
}

const char *catalog_area_name(enum catalog_area a)
{
	static const char *const names[AREA_COUNT] = {
		"general", "process", "mounts", "hooks", "namespaces", "devices",
		"cgroups", "seccomp", "linux", "lifecycle", "cli",
	};

	return a < AREA_COUNT ? names[a] : "?";
}

const char *catalog_input_name(enum catalog_input in)
{
	switch (in) {
	case IN_CONFIG: return "config";
	case IN_BUNDLE: return "bundle";
	case IN_HOST: return "host";
	case IN_CALLS: return "calls";
	default: return "runtime";
	}
}

bool catalog_rule_is_failure(const struct catalog_rule *r)
{
	return r->level == CATALOG_MUST && !r->disputed;
}

bool catalog_rule_applies(const struct catalog_rule *r, struct spec_version v)
{
	struct spec_version bound;

	if (r->min != NULL && spec_version_parse(r->min, &bound) && spec_version_cmp(v, bound) < 0)
		return false;
	if (r->max != NULL && spec_version_parse(r->max, &bound) && spec_version_cmp(v, bound) >= 0)
		return false;
	return true;
}

int catalog_rule_find(const char *id)
{
	for (size_t i = 0; i < catalog_rule_count(); i++)
		if (strcmp(catalog_rule(i)->id, id) == 0)
			return (int)i;
	return -1;
}

/* ---- feature sets ---- */

void feature_set_init(struct feature_set *fs)
{
	memset(fs, 0, sizeof *fs);
}

void feature_set_free(struct feature_set *fs)
{
	for (size_t i = 0; i < fs->n; i++)
		free((char *)fs->ids[i]);
	free(fs->ids);
	free(fs->counts);
	memset(fs, 0, sizeof *fs);
}

struct collect {
	struct feature_set *fs;
	int failed;
};

static void collect_one(const char *feature, int count, void *arg)
{
	struct collect *c = arg;
	struct feature_set *fs = c->fs;

	if (fs->n == fs->cap) {
		size_t cap = fs->cap ? fs->cap * 2 : 64;
		const char **ids = realloc(fs->ids, cap * sizeof *ids);
		int *counts;
		if (ids == NULL) {
			c->failed = 1;
			return;
		}
		fs->ids = ids;
		counts = realloc(fs->counts, cap * sizeof *counts);
		if (counts == NULL) {
			c->failed = 1;
			return;
		}
		fs->counts = counts;
		fs->cap = cap;
	}
	if ((fs->ids[fs->n] = strdup(feature)) == NULL) {
		c->failed = 1;
		return;
	}
	fs->counts[fs->n++] = count;
}

static int cmp_ids(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int feature_set_extract(struct feature_set *fs, int kind, json_t *doc)
{
	struct collect c = { .fs = fs };

	recorder_blob_features((enum recorder_blob_kind)kind, doc, collect_one, &c);
	if (c.failed)
		return -1;
	/* Counts are not needed after extraction; sort the ids alone (a
	 * blob with no feature has no array to sort: ids is NULL). */
	if (fs->n > 1)
		qsort(fs->ids, fs->n, sizeof *fs->ids, cmp_ids);
	return 0;
}

/* First index whose id is >= key. */
static size_t lower_bound(const struct feature_set *fs, const char *key, size_t len)
{
	size_t lo = 0, hi = fs->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strncmp(fs->ids[mid], key, len) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool has_token(const struct feature_set *fs, const char *tok, size_t len)
{
	size_t i;

	if (len >= 2 && tok[len - 1] == '*' && tok[len - 2] == '.') {
		/* "x.*": any id below x */
		i = lower_bound(fs, tok, len - 1);
		return i < fs->n && strncmp(fs->ids[i], tok, len - 1) == 0;
	}
	i = lower_bound(fs, tok, len);
	return i < fs->n && strncmp(fs->ids[i], tok, len) == 0 && fs->ids[i][len] == '\0';
}

bool feature_set_has(const struct feature_set *fs, const char *id)
{
	return has_token(fs, id, strlen(id));
}

bool feature_set_matches(const struct feature_set *fs, const char *match)
{
	const char *p = match;

	while (p != NULL && *p != '\0') {
		size_t len = strcspn(p, " ");
		if (len > 0 && has_token(fs, p, len))
			return true;
		p += len;
		p += strspn(p, " ");
	}
	return false;
}

bool catalog_match_id(const char *match, const char *id)
{
	const char *p = match;
	size_t idlen = strlen(id);

	while (p != NULL && *p != '\0') {
		size_t len = strcspn(p, " ");
		if (len >= 2 && p[len - 1] == '*' && p[len - 2] == '.') {
			if (idlen >= len - 1 && strncmp(id, p, len - 1) == 0)
				return true;
		} else if (len == idlen && strncmp(id, p, len) == 0) {
			return true;
		}
		p += len;
		p += strspn(p, " ");
	}
	return false;
}

bool catalog_feature_in_blob(const struct catalog_feature *f, json_t *doc,
			     const struct feature_set *fs)
{
	if (f->source != SRC_CONFIG)
		return false;
	if (f->detect != NULL)
		return f->detect(doc, fs);
	return feature_set_matches(fs, f->match);
}

/* ---- config.md's Linux mount option table ---- */

static const char *const must_options[] = {
	"async", "atime", "bind", "defaults", "dev", "diratime", "dirsync", "exec", "iversion",
	"lazytime", "loud", "noatime", "nodev", "nodiratime", "noexec", "noiversion", "nolazytime",
	"norelatime", "nostrictatime", "nosuid", "private", "rbind", "relatime", "remount", "ro",
	"rprivate", "rshared", "rslave", "runbindable", "rw", "shared", "silent", "slave",
	"strictatime", "suid", "sync", "unbindable", NULL,
};

/* rnodev is missing from the table but listed by features.md and runc
 * supports it: treating it as data would misreport MT09 on bind mounts. */
static const char *const should_options[] = {
	"nosymfollow", "ratime", "rdev", "rdiratime", "rexec", "rnoatime", "rnodiratime", "rnoexec",
	"rnorelatime", "rnostrictatime", "rnosuid", "rnosymfollow", "rrelatime", "rro", "rrw",
	"rstrictatime", "rsuid", "rsymfollow", "symfollow", "idmap", "ridmap", "rnodev", NULL,
};

static const char *const may_options[] = { "mand", "nomand", "tmpcopyup", NULL };

static bool in_list(const char *const *list, const char *name)
{
	for (size_t i = 0; list[i] != NULL; i++)
		if (strcmp(list[i], name) == 0)
			return true;
	return false;
}

enum option_class catalog_mount_option_class(const char *name)
{
	if (in_list(must_options, name))
		return OPT_MUST;
	if (in_list(should_options, name))
		return OPT_SHOULD;
	if (in_list(may_options, name))
		return OPT_MAY;
	return OPT_UNKNOWN;
}
