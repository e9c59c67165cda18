/* realexec's parsers: container ids, signals, mount options, config.json. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/json.h"
#include "realexec/mounts.h"
#include "realexec/realexec.h"
#include "realexec/spec.h"
#include "tests/unit/tap.h"

static void test_ids(void)
{
	const char *good[] = { "a", "abc-DEF_123.x+y", "0", NULL };
	const char *bad[] = { "", ".", "..", "../x", "a/b", "a b", "a\n", "\xc3\xa9", NULL };

	for (int i = 0; good[i] != NULL; i++) {
		cleanup_error mr_error *err = NULL;
		ok(realexec_validate_id(good[i], &err) == 0, "id '%s' is valid", good[i]);
	}
	for (int i = 0; bad[i] != NULL; i++) {
		cleanup_error mr_error *err = NULL;
		ok(realexec_validate_id(bad[i], &err) < 0 && strcmp(err->msg, "invalid container ID format") == 0,
		   "bad id #%d is refused with runc's message", i);
	}
}

static void test_signals(void)
{
	const struct { const char *text; int sig; } cases[] = {
		{ "9", SIGKILL }, { "KILL", SIGKILL }, { "kill", SIGKILL }, { "SIGKILL", SIGKILL },
		{ "sigterm", SIGTERM }, { "15", SIGTERM }, { "USR1", SIGUSR1 }, { "SIGWINCH", SIGWINCH },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cleanup_error mr_error *err = NULL;
		int sig = 0;
		ok(realexec_parse_signal(cases[i].text, &sig, &err) == 0 && sig == cases[i].sig,
		   "signal %s is %d", cases[i].text, cases[i].sig);
	}
	{
		cleanup_error mr_error *err = NULL;
		int sig;
		ok(realexec_parse_signal("FOO", &sig, &err) < 0, "an unknown signal is refused");
		is_str(err != NULL ? err->msg : NULL, "unknown signal \"FOO\"", "with runc's message");
	}
	{
		cleanup_error mr_error *err = NULL;
		int sig;
		ok(realexec_parse_signal("0", &sig, &err) < 0, "signal 0 is refused");
	}
}

static struct rx_mount parse_mount(const char *json, mr_error **err)
{
	cleanup_json json_t *j = json_loads(json, 0, NULL);
	struct rx_mount m;

	if (rx_mount_parse(j, "/bundle", &m, err) < 0)
		rx_mount_free(&m);
	return m;
}

static void test_mounts(void)
{
	cleanup_error mr_error *err = NULL;
	struct rx_mount m;

	m = parse_mount("{\"destination\": \"/dev\", \"type\": \"tmpfs\", \"source\": \"tmpfs\","
			" \"options\": [\"nosuid\", \"strictatime\", \"mode=755\", \"size=65536k\"]}", &err);
	ok(err == NULL, "a tmpfs mount parses");
	ok(m.flags == (MS_NOSUID | MS_STRICTATIME), "nosuid and strictatime are flags");
	is_str(m.data, "mode=755,size=65536k", "the rest is filesystem data, in order");
	rx_mount_free(&m);

	m = parse_mount("{\"destination\": \"data//x/../y\", \"type\": \"none\", \"source\": \"src\","
			" \"options\": [\"rbind\", \"ro\", \"rprivate\", \"rnoexec\"]}", &err);
	ok(err == NULL, "a bind mount parses");
	is_str(m.destination, "/data/y", "a relative destination is taken from / and cleaned");
	is_str(m.source, "/bundle/src", "a relative bind source is taken from the bundle");
	ok(rx_mount_is_bind(&m) && (m.flags & MS_REC), "rbind is a recursive bind");
	ok(m.attr_set & MOUNT_ATTR_RDONLY, "ro becomes a read-only attribute of the bind");
	ok(m.propagation == (MS_PRIVATE | MS_REC), "rprivate");
	ok(m.rattr_set == MOUNT_ATTR_NOEXEC, "rnoexec applies below too");
	rx_mount_free(&m);

	m = parse_mount("{\"destination\": \"/x\", \"type\": \"bind\", \"source\": \"/s\", \"options\": [\"ro\", \"rw\"]}", &err);
	ok(rx_mount_is_bind(&m) && !(m.flags & MS_RDONLY) && (m.attr_clr & MOUNT_ATTR_RDONLY),
	   "type bind is a bind; a later rw undoes ro");
	rx_mount_free(&m);

	m = parse_mount("{\"destination\": \"/x\", \"type\": \"none\", \"source\": \"/s\", \"options\": [\"idmap\", \"bind\"]}", &err);
	ok(err != NULL && strstr(err->msg, "idmap") != NULL, "idmap mounts are refused, not ignored");
	mr_error_free(&err);

	m = parse_mount("{\"destination\": \"/x\", \"type\": \"none\", \"options\": [\"bind\"]}", &err);
	ok(err != NULL, "a bind without a source is refused");
	mr_error_free(&err);
}

/* A config.json with one field changed, parsed against a temporary rootfs. */
static int parse_config(const char *dir, const char *edit_key, json_t *value, mr_error **err)
{
	cleanup_json json_t *c = json_pack("{s:s, s:{s:s}, s:{s:[s], s:s}, s:s, s:{s:[{s:s}, {s:s}]}}",
					   "ociVersion", "1.2.0", "root", "path", "rootfs",
					   "process", "args", "sh", "cwd", "/", "hostname", "h",
					   "linux", "namespaces", "type", "uts", "type", "pid");
	struct rx_spec s;
	int rc;

	if (edit_key != NULL) {
		json_t *parent = c;
		char *dot = strchr(edit_key, '.');
		if (dot != NULL) {
			char head[64];
			snprintf(head, sizeof head, "%.*s", (int)(dot - edit_key), edit_key);
			parent = json_object_get(c, head);
			edit_key = dot + 1;
		}
		json_object_set(parent, edit_key, value);
	}
	rc = rx_spec_parse(c, dir, &s, err);
	rx_spec_free(&s);
	return rc;
}

static void spec_error(const char *dir, const char *key, json_t *value, const char *want, const char *what)
{
	cleanup_error mr_error *err = NULL;

	ok(parse_config(dir, key, value, &err) < 0 && err != NULL && strstr(err->msg, want) != NULL,
	   "%s: \"%s\"", what, want);
	if (err != NULL && strstr(err->msg, want) == NULL)
		printf("#   got: %s\n", err->msg);
	json_decref(value);
}

static void test_spec(void)
{
	char dir[] = "/tmp/realexec-unit.XXXXXX";
	char rootfs[64];
	cleanup_error mr_error *err = NULL;

	if (mkdtemp(dir) == NULL)
		return;
	snprintf(rootfs, sizeof rootfs, "%s/rootfs", dir);
	mkdir(rootfs, 0755);
	ok(parse_config(dir, NULL, NULL, &err) == 0, "a minimal config parses");
	spec_error(dir, "process.args", json_array(), "args must not be empty", "empty args");
	spec_error(dir, "process.cwd", json_string("rel"), "Cwd must be an absolute path", "relative cwd");
	spec_error(dir, "linux.namespaces", json_pack("[{s:s}, {s:s}]", "type", "pid", "type", "pid"),
		   "duplicated ns pid", "duplicate namespaces");
	spec_error(dir, "linux.namespaces", json_pack("[{s:s}]", "type", "bogus"),
		   "namespace type \"bogus\" is not supported", "unknown namespace");
	spec_error(dir, "linux.namespaces", json_pack("[{s:s}]", "type", "pid"),
		   "unable to set hostname without a private UTS namespace", "hostname without uts");
	spec_error(dir, "process.rlimits", json_pack("[{s:s, s:i, s:i}]", "type", "RLIMIT_X", "soft", 1, "hard", 1),
		   "wrong rlimit value: RLIMIT_X", "unknown rlimit");
	spec_error(dir, "root", json_pack("{s:s}", "path", "nope"), "invalid rootfs: stat", "missing rootfs");
	spec_error(dir, "linux.uidMappings", json_pack("[{s:i, s:i, s:i}]", "containerID", 0, "hostID", 1000, "size", 1),
		   "user namespaces not enabled", "id mappings without a user namespace");
	spec_error(dir, "hooks", json_pack("{s:[{s:s}]}", "prestart", "path", "relative"),
		   "must be an absolute path", "relative hook path");
	rmdir(rootfs);
	rmdir(dir);
}

static void test_version(void)
{
	cleanup_free char *v = realexec_version_text("1.2.3", "abc");
	const char *want = "runc version 1.2.3\ncommit: abc\nspec: " REALEXEC_OCI_VERSION "\n";

	ok(v != NULL && strncmp(v, want, strlen(want)) == 0,
	   "version text: runc version line first, then commit and spec");
	ok(v != NULL && strstr(v, "\nlibseccomp: ") != NULL, "and libseccomp");
}

int main(void)
{
	test_ids();
	test_signals();
	test_mounts();
	test_spec();
	test_version();
	return tap_done();
}
