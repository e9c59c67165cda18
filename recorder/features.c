/* Feature extraction: the JSON paths present in a config, process or
 * resources blob. This is the only implementation; the report calls it too
 * when it re-scores stored blobs.
 *
 * Rules:
 *  - every object key gives its dotted path ("linux.resources.memory.limit");
 *  - arrays add no index: "mounts", then "mounts.destination", ...;
 *  - objects whose keys are data, not schema (annotations, sysctl, unified,
 *    rdma, netDevices) give their own path only;
 *  - a few string fields whose value selects a feature add one more level
 *    (table `enumerated`): a namespace of type "user" gives
 *    "linux.namespaces.user", a mount option "size=64m" gives
 *    "mounts.options.size", an action gives "linux.seccomp.action.SCMP_ACT_LOG".
 *  - the count is how many times the id occurs in the blob. */
#include <stdio.h>
#include <string.h>

#include "recorder/recorder.h"

#define MAX_FEATURE 256

static const char *const data_maps[] = {
	"annotations",
	"linux.sysctl",
	"linux.resources.unified",
	"linux.resources.rdma",
	"linux.netDevices",
	NULL,
};

/* path of a string field -> prefix of the feature its value names */
static const struct {
	const char *path;
	const char *prefix;
	bool key_only;     /* use the text before '=' (mount options) */
} enumerated[] = {
	{ "linux.namespaces.type", "linux.namespaces", false },
	{ "mounts.type", "mounts.type", false },
	{ "mounts.options", "mounts.options", true },
	{ "linux.seccomp.defaultAction", "linux.seccomp.action", false },
	{ "linux.seccomp.syscalls.action", "linux.seccomp.action", false },
	{ "linux.seccomp.architectures", "linux.seccomp.architectures", false },
	{ "linux.seccomp.flags", "linux.seccomp.flags", false },
	{ "linux.seccomp.syscalls.args.op", "linux.seccomp.syscalls.args.op", false },
	{ "process.rlimits.type", "process.rlimits", false },
	{ "linux.rootfsPropagation", "linux.rootfsPropagation", false },
	{ "linux.devices.type", "linux.devices.type", false },
	{ "process.scheduler.policy", "process.scheduler.policy", false },
	{ "process.ioPriority.class", "process.ioPriority.class", false },
	{ "linux.personality.domain", "linux.personality.domain", false },
	{ "linux.memoryPolicy.mode", "linux.memoryPolicy.mode", false },
};

const char *recorder_blob_kind_name(enum recorder_blob_kind kind)
{
	switch (kind) {
	case RECORDER_BLOB_CONFIG: return "config";
	case RECORDER_BLOB_PROCESS: return "process";
	default: return "resources";
	}
}

struct walk {
	recorder_feature_fn fn;
	void *arg;
	/* Counts are aggregated here before fn is called once per id. */
	json_t *counts;
};

static void emit(struct walk *w, const char *feature)
{
	json_t *c = json_object_get(w->counts, feature);

	json_object_set_new(w->counts, feature,
			    json_integer(c != NULL ? json_integer_value(c) + 1 : 1));
}

static bool is_data_map(const char *path)
{
	for (int i = 0; data_maps[i] != NULL; i++)
		if (strcmp(path, data_maps[i]) == 0)
			return true;
	return false;
}

/* A value becomes part of an id only when it looks like a name. */
static void emit_value(struct walk *w, const char *path, const char *value)
{
	char name[MAX_FEATURE];
	size_t n = 0;

	for (size_t i = 0; i < sizeof enumerated / sizeof enumerated[0]; i++) {
		if (strcmp(path, enumerated[i].path) != 0)
			continue;
		for (const char *p = value; *p != '\0' && n < 64; p++) {
			char c = *p;
			if (enumerated[i].key_only && c == '=')
				break;
			if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			      (c >= '0' && c <= '9') || c == '_' || c == '-'))
				break;
			name[n++] = c;
		}
		name[n] = '\0';
		if (n == 0 || (value[n] != '\0' && !(enumerated[i].key_only && value[n] == '=')))
			snprintf(name, sizeof name, "other");
		{
			char feature[MAX_FEATURE * 2];
			snprintf(feature, sizeof feature, "%s.%s", enumerated[i].prefix, name);
			emit(w, feature);
		}
		return;
	}
}

static void walk_value(struct walk *w, const char *path, json_t *v);

static void walk_object(struct walk *w, const char *prefix, json_t *obj)
{
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v) {
		char path[MAX_FEATURE * 2];
		if (strlen(key) > MAX_FEATURE)
			continue;
		if (prefix[0] != '\0')
			snprintf(path, sizeof path, "%s.%s", prefix, key);
		else
			snprintf(path, sizeof path, "%s", key);
		emit(w, path);
		if (is_data_map(path))
			continue;
		walk_value(w, path, v);
	}
}

static void walk_value(struct walk *w, const char *path, json_t *v)
{
	size_t i;
	json_t *item;

	if (json_is_object(v)) {
		walk_object(w, path, v);
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, item) {
			if (json_is_object(item))
				walk_object(w, path, item);
			else if (json_is_string(item))
				emit_value(w, path, json_string_value(item));
		}
	} else if (json_is_string(v)) {
		emit_value(w, path, json_string_value(v));
	}
}

static void report_counts(struct walk *w)
{
	const char *key;
	json_t *v;

	json_object_foreach(w->counts, key, v)
		w->fn(key, (int)json_integer_value(v), w->arg);
}

void recorder_blob_features(enum recorder_blob_kind kind, json_t *doc,
			    recorder_feature_fn fn, void *arg)
{
	struct walk w = { .fn = fn, .arg = arg, .counts = json_object() };

	if (w.counts == NULL || doc == NULL)
		goto out;
	switch (kind) {
	case RECORDER_BLOB_CONFIG:
		walk_value(&w, "", doc);
		break;
	case RECORDER_BLOB_PROCESS:
		emit(&w, "process");
		walk_value(&w, "process", doc);
		break;
	case RECORDER_BLOB_RESOURCES:
		emit(&w, "linux.resources");
		walk_value(&w, "linux.resources", doc);
		break;
	}
	report_counts(&w);
out:
	json_decref(w.counts);
}
