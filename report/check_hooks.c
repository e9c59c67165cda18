/* Checks on hooks (SPEC-CATALOG.md §2.4 HK). Each finding names the hook
 * kind it is about, so the right hooks.* feature is marked. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/file.h"
#include "report/check.h"

static const char *const kinds[] = {
	"prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop",
};
#define NKINDS (sizeof kinds / sizeof kinds[0])

typedef void (*hook_fn)(struct check_ctx *c, const char *feature, json_t *hook, const char *where);

static void each_hook(struct check_ctx *c, hook_fn fn, bool (*want)(const char *kind))
{
	json_t *hooks = json_object_get(c->doc, "hooks");

	for (size_t k = 0; k < NKINDS; k++) {
		char feature[64], where[96];
		json_t *h;
		size_t i;
		if (want != NULL && !want(kinds[k]))
			continue;
		snprintf(feature, sizeof feature, "hooks.%s", kinds[k]);
		json_array_foreach(json_object_get(hooks, kinds[k]), i, h) {
			snprintf(where, sizeof where, "hooks.%s[%zu]", kinds[k], i);
			fn(c, feature, h, where);
		}
	}
}

static void has_path(struct check_ctx *c, const char *feature, json_t *h, const char *where)
{
	if (!json_is_string(json_object_get(h, "path")))
		check_fail(c, feature, h, "hook has no path", "%s", where);
}

CHECK_FN(HK01)
{
	each_hook(c, has_path, NULL);
}

static void path_absolute(struct check_ctx *c, const char *feature, json_t *h, const char *where)
{
	json_t *p = json_object_get(h, "path");

	if (json_is_string(p) && !check_is_abs(json_string_value(p)))
		check_fail(c, feature, p, "hook path is not absolute", "%s.path", where);
}

CHECK_FN(HK02)
{
	each_hook(c, path_absolute, NULL);
}

static void timeout_positive(struct check_ctx *c, const char *feature, json_t *h, const char *where)
{
	json_t *t = json_object_get(h, "timeout");

	if (t != NULL && (!json_is_number(t) || check_num(t) <= 0))
		check_fail(c, feature, t, "hook timeout is not greater than zero", "%s.timeout", where);
}

CHECK_FN(HK03)
{
	each_hook(c, timeout_positive, NULL);
}

static bool runtime_namespace(const char *kind)
{
	return strcmp(kind, "startContainer") != 0;
}

static void resolves_on_host(struct check_ctx *c, const char *feature, json_t *h, const char *where)
{
	const char *p = json_string_value(json_object_get(h, "path"));

	if (p != NULL && access(p, X_OK) < 0)
		check_fail(c, feature, json_object_get(h, "path"),
			   "hook path does not resolve to an executable on this host", "%s.path", where);
}

CHECK_FN(HK04)
{
	if (c->host)
		each_hook(c, resolves_on_host, runtime_namespace);
}

static bool container_namespace(const char *kind)
{
	return strcmp(kind, "startContainer") == 0;
}

/* The path is looked up in the bundle's root filesystem; a mount could also
 * provide it, which a bundle on disk cannot show. */
static void resolves_in_rootfs(struct check_ctx *c, const char *feature, json_t *h, const char *where)
{
	const char *p = json_string_value(json_object_get(h, "path"));
	const char *root = json_string_value(check_get(c->doc, "root.path"));
	cleanup_free char *rootfs = NULL, *full = NULL;
	struct stat st;

	if (p == NULL || root == NULL)
		return;
	rootfs = check_bundle_path(c->bundle, root);
	full = rootfs != NULL ? mr_path_join(rootfs, p) : NULL;
	if (full != NULL && lstat(full, &st) < 0)
		check_fail(c, feature, json_object_get(h, "path"),
			   "startContainer hook path does not exist in the root filesystem", "%s.path", where);
}

CHECK_FN(HK05)
{
	if (c->bundle != NULL)
		each_hook(c, resolves_in_rootfs, container_namespace);
}

CHECK_FN(HK06)
{
	json_t *h;
	size_t i;

	json_array_foreach(check_get(c->doc, "hooks.prestart"), i, h)
		check_fail(c, NULL, json_object_get(h, "path"), "prestart hook is deprecated",
			   "hooks.prestart[%zu]", i);
}

/* env entries NAME=value; args[0] is the program name, so a first argument
 * that is a flag means the name was left out. */
static void execv_shape(struct check_ctx *c, const char *feature, json_t *h, const char *where)
{
	json_t *e, *a0 = json_array_get(json_object_get(h, "args"), 0);
	size_t i;

	json_array_foreach(json_object_get(h, "env"), i, e) {
		const char *s = json_string_value(e);
		if (s == NULL || s[0] == '=' || strchr(s, '=') == NULL)
			check_fail(c, feature, e, "hook env entry is not NAME=value", "%s.env[%zu]", where, i);
	}
	if (a0 != NULL && (!json_is_string(a0) || json_string_length(a0) == 0 ||
			   json_string_value(a0)[0] == '-'))
		check_fail(c, feature, a0, "hook args[0] is not a program name", "%s.args[0]", where);
}

CHECK_FN(HK07)
{
	each_hook(c, execv_shape, NULL);
}
