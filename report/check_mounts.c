/* Checks on mounts (SPEC-CATALOG.md §2.2). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/cleanup.h"
#include "common/file.h"
#include "report/check.h"

#define EACH_MOUNT(i, m) json_array_foreach(json_object_get(c->doc, "mounts"), i, m)

static bool has_option(json_t *mount, const char *name)
{
	json_t *o;
	size_t i;

	json_array_foreach(json_object_get(mount, "options"), i, o)
		if (json_is_string(o) && strcmp(json_string_value(o), name) == 0)
			return true;
	return false;
}

static bool is_bind(json_t *mount)
{
	return has_option(mount, "bind") || has_option(mount, "rbind");
}

static bool has_mappings(json_t *mount)
{
	return json_object_get(mount, "uidMappings") != NULL ||
	       json_object_get(mount, "gidMappings") != NULL;
}

static bool is_idmapped(json_t *mount)
{
	return has_mappings(mount) || has_option(mount, "idmap") || has_option(mount, "ridmap");
}

CHECK_FN(MT01)
{
	json_t *m;
	size_t i;

	EACH_MOUNT(i, m)
		if (!json_is_string(json_object_get(m, "destination")))
			check_fail(c, NULL, m, "mount has no destination", "mounts[%zu]", i);
}

static void destination_absolute(struct check_ctx *c)
{
	json_t *m;
	size_t i;

	EACH_MOUNT(i, m) {
		json_t *d = json_object_get(m, "destination");
		if (json_is_string(d) && !check_is_abs(json_string_value(d)))
			check_fail(c, NULL, d, "mount destination is not absolute", "mounts[%zu].destination", i);
	}
}

CHECK_FN(MT02)
{
	destination_absolute(c);
}

CHECK_FN(MT03)
{
	destination_absolute(c);
}

CHECK_FN(MT04)
{
	json_t *m;
	size_t i;

	EACH_MOUNT(i, m) {
		bool u = json_object_get(m, "uidMappings") != NULL;
		bool g = json_object_get(m, "gidMappings") != NULL;
		if (u != g)
			check_fail(c, NULL, NULL, u ? "uidMappings without gidMappings"
						   : "gidMappings without uidMappings", "mounts[%zu]", i);
	}
}

CHECK_FN(MT05)
{
	json_t *m;
	size_t i;

	EACH_MOUNT(i, m)
		if (has_mappings(m) && !has_option(m, "idmap") && !has_option(m, "ridmap"))
			check_fail(c, NULL, json_object_get(m, "options"),
				   "mount with mappings has neither idmap nor ridmap", "mounts[%zu].options", i);
}

CHECK_FN(MT06)
{
	json_t *m;
	size_t i;

	if (check_has_ns(c->doc, "user"))
		return;
	EACH_MOUNT(i, m)
		if ((has_option(m, "idmap") || has_option(m, "ridmap")) && !has_mappings(m))
			check_fail(c, NULL, json_object_get(m, "options"),
				   "idmap without mount mappings and without a user namespace",
				   "mounts[%zu].options", i);
}

static void mapping_fields(struct check_ctx *c, json_t *list, const char *fmt, size_t i)
{
	static const char *const fields[] = { "containerID", "hostID", "size" };
	json_t *e;
	size_t k;

	json_array_foreach(list, k, e) {
		for (size_t f = 0; f < 3; f++) {
			json_t *v = json_object_get(e, fields[f]);
			if (!check_is_int(v) || check_num(v) < 0 || check_num(v) > 4294967295.0) {
				check_fail(c, NULL, e, "mapping lacks containerID, hostID or size (uint32)",
					   fmt, i, k);
				break;
			}
		}
	}
}

CHECK_FN(MT07)
{
	json_t *m;
	size_t i;

	EACH_MOUNT(i, m) {
		mapping_fields(c, json_object_get(m, "uidMappings"), "mounts[%zu].uidMappings[%zu]", i);
		mapping_fields(c, json_object_get(m, "gidMappings"), "mounts[%zu].gidMappings[%zu]", i);
	}
}

CHECK_FN(MT08)
{
	json_t *m;
	size_t i;

	EACH_MOUNT(i, m) {
		const char *type = json_string_value(json_object_get(m, "type"));
		if (type != NULL && strcmp(type, "bind") == 0 && !is_bind(m))
			check_fail(c, NULL, json_object_get(m, "options"),
				   "type bind without the bind or rbind option", "mounts[%zu]", i);
	}
}

CHECK_FN(MT09)
{
	json_t *m, *o;
	size_t i, k;

	EACH_MOUNT(i, m) {
		if (!is_bind(m))
			continue;
		json_array_foreach(json_object_get(m, "options"), k, o) {
			const char *s = json_string_value(o);
			if (s != NULL && catalog_mount_option_class(s) == OPT_UNKNOWN)
				check_fail(c, NULL, o, "bind mount with a filesystem-specific option",
					   "mounts[%zu].options[%zu]", i, k);
		}
	}
}

CHECK_FN(MT10)
{
	json_t *m;
	size_t i;

	EACH_MOUNT(i, m)
		if (is_idmapped(m) && !is_bind(m))
			check_fail(c, NULL, json_object_get(m, "type"), "id-mapped mount is not a bind mount",
				   "mounts[%zu]", i);
}

static bool proc_filesystems_has(const char *type)
{
	cleanup_fclose FILE *f = fopen("/proc/filesystems", "re");
	char line[256];

	if (f == NULL)
		return true;
	while (fgets(line, sizeof line, f) != NULL) {
		char *name = strchr(line, '\t');
		name = name != NULL ? name + 1 : line;
		name[strcspn(name, "\n")] = '\0';
		if (strcmp(name, type) == 0)
			return true;
	}
	return false;
}

CHECK_FN(MT11)
{
	json_t *m;
	size_t i;

	if (!c->host)
		return;
	EACH_MOUNT(i, m) {
		json_t *t = json_object_get(m, "type");
		if (json_is_string(t) && !is_bind(m) && !proc_filesystems_has(json_string_value(t)))
			check_fail(c, NULL, t, "mount type is not in this host's /proc/filesystems",
				   "mounts[%zu].type", i);
	}
}

/* A later mount on the same destination or on a parent of it covers the
 * earlier one. Relative destinations count from "/". */
static char *dest_of(json_t *m)
{
	const char *d = json_string_value(json_object_get(m, "destination"));
	cleanup_free char *rooted = NULL;

	if (d == NULL)
		return NULL;
	if (d[0] != '/') {
		if (asprintf(&rooted, "/%s", d) < 0)
			return NULL;
		d = rooted;
	}
	return mr_path_clean(d);
}

CHECK_FN(MT12)
{
	json_t *mounts = json_object_get(c->doc, "mounts");
	size_t n = json_array_size(mounts);
	char **dest = calloc(n + 1, sizeof *dest);

	if (dest == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		dest[i] = dest_of(json_array_get(mounts, i));
	for (size_t i = 0; i < n; i++) {
		for (size_t j = i + 1; dest[i] != NULL && j < n; j++) {
			size_t lj;
			if (dest[j] == NULL)
				continue;
			lj = strlen(dest[j]);
			if (strcmp(dest[i], dest[j]) == 0 ||
			    (strncmp(dest[i], dest[j], lj) == 0 &&
			     (dest[i][lj] == '/' || (lj == 1 && dest[j][0] == '/')))) {
				check_fail(c, NULL, json_object_get(json_array_get(mounts, i), "destination"),
					   "mount is hidden by a later mount on the same or a parent destination",
					   "mounts[%zu] (hidden by mounts[%zu])", i, j);
				break;
			}
		}
	}
	for (size_t i = 0; i < n; i++)
		free(dest[i]);
	free(dest);
}

CHECK_FN(MT13)
{
	json_t *m;
	size_t i;
	struct stat st;

	if (c->bundle == NULL)
		return;
	EACH_MOUNT(i, m) {
		json_t *s = json_object_get(m, "source");
		cleanup_free char *path = NULL;
		if (!is_bind(m))
			continue;
		if (!json_is_string(s)) {
			check_fail(c, NULL, s, "bind mount has no source", "mounts[%zu].source", i);
			continue;
		}
		path = check_bundle_path(c->bundle, json_string_value(s));
		if (path != NULL && lstat(path, &st) < 0)
			check_fail(c, NULL, s, "bind mount source does not exist", "mounts[%zu].source", i);
	}
}
