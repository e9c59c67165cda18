/* Feature extraction from config, process and resources blobs. */
#include <stdlib.h>
#include <string.h>

#include "recorder/recorder.h"
#include "tests/unit/tap.h"

static json_t *found;

static void collect(const char *feature, int count, void *arg)
{
	(void)arg;
	json_object_set_new(found, feature, json_integer(count));
}

static int count_of(const char *feature)
{
	json_t *v = json_object_get(found, feature);
	return v != NULL ? (int)json_integer_value(v) : 0;
}

static void extract(enum recorder_blob_kind kind, const char *text)
{
	json_t *doc = json_loads(text, 0, NULL);
	json_decref(found);
	found = json_object();
	recorder_blob_features(kind, doc, collect, NULL);
	json_decref(doc);
}

int main(void)
{
	extract(RECORDER_BLOB_CONFIG,
		"{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"],\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"soft\":1,\"hard\":1}]},"
		"\"mounts\":[{\"destination\":\"/proc\",\"type\":\"proc\"},{\"destination\":\"/dev\",\"type\":\"tmpfs\",\"options\":[\"nosuid\",\"size=65536k\"]},"
		"{\"destination\":\"/x\",\"type\":\"bind\",\"options\":[\"rbind\",\"ro\"]}],"
		"\"annotations\":{\"com.example.a\":\"1\",\"org.opencontainers.image.os\":\"linux\"},"
		"\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"network\",\"path\":\"/proc/1/ns/net\"}],"
		"\"sysctl\":{\"net.ipv4.ip_forward\":\"1\"},\"resources\":{\"memory\":{\"limit\":1024}},"
		"\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\"},{\"names\":[\"kill\"],\"action\":\"SCMP_ACT_ALLOW\"}]}}}");
	is_int(count_of("ociVersion"), 1, "top-level key");
	is_int(count_of("process.args"), 1, "nested key");
	is_int(count_of("mounts"), 1, "array itself once");
	is_int(count_of("mounts.destination"), 3, "array of objects: children counted per element");
	is_int(count_of("mounts.type.tmpfs"), 1, "mount type enumerated");
	is_int(count_of("mounts.options.size"), 1, "mount option key before '='");
	is_int(count_of("mounts.options.rbind"), 1, "bind option");
	is_int(count_of("linux.namespaces.pid"), 1, "namespace type becomes a feature");
	is_int(count_of("linux.namespaces.path"), 1, "namespace path");
	is_int(count_of("linux.resources.memory.limit"), 1, "resource path");
	is_int(count_of("process.rlimits.RLIMIT_NOFILE"), 1, "rlimit type");
	is_int(count_of("linux.seccomp.action.SCMP_ACT_ERRNO"), 1, "default action");
	is_int(count_of("linux.seccomp.action.SCMP_ACT_ALLOW"), 2, "syscall actions counted");
	is_int(count_of("annotations"), 1, "annotations present");
	ok(count_of("annotations.com.example.a") == 0, "annotation keys are data, not features");
	ok(count_of("linux.sysctl.net.ipv4.ip_forward") == 0, "sysctl keys are data, not features");

	extract(RECORDER_BLOB_PROCESS, "{\"args\":[\"ls\"],\"terminal\":true,\"cwd\":\"/\"}");
	is_int(count_of("process.terminal"), 1, "process.json rooted at process");
	is_int(count_of("process"), 1, "process blob marks process");

	extract(RECORDER_BLOB_RESOURCES, "{\"memory\":{\"limit\":67108864},\"pids\":{\"limit\":10}}");
	is_int(count_of("linux.resources.memory.limit"), 1, "resources rooted at linux.resources");
	is_int(count_of("linux.resources.pids.limit"), 1, "resources: pids");

	extract(RECORDER_BLOB_CONFIG, "{\"mounts\":[{\"options\":[\"we!rd\"]}],\"linux\":{\"namespaces\":[{\"type\":\"../../x\"}]}}");
	is_int(count_of("mounts.options.other"), 1, "odd values collapse to 'other'");
	is_int(count_of("linux.namespaces.other"), 1, "hostile namespace type collapses to 'other'");
	json_decref(found);
	return tap_done();
}
