/* The state JSON engines parse, and path resolution inside a rootfs. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/file.h"
#include "realexec/mounts.h"
#include "realexec/realexec.h"
#include "tests/unit/tap.h"

static void test_state_json(void)
{
	struct realexec_state st = {
		.oci_version = "1.2.0", .id = "c1", .pid = 42, .status = "running",
		.bundle = "/b", .rootfs = "/b/rootfs", .created_ns = 1700000000123456789LL,
		.owner = "root",
	};
	cleanup_free char *s = realexec_state_json(&st, false);
	cleanup_free char *l = NULL;

	is_str(s, "{\n  \"ociVersion\": \"1.2.0\",\n  \"id\": \"c1\",\n  \"pid\": 42,\n"
		  "  \"status\": \"running\",\n  \"bundle\": \"/b\",\n  \"rootfs\": \"/b/rootfs\",\n"
		  "  \"created\": \"2023-11-14T22:13:20.123456789Z\",\n  \"owner\": \"\"\n}",
	       "state: runc's keys, order and indent, no trailing newline, empty owner");
	st.annotations = json_pack("{s:s, s:s}", "z", "1", "a", "<&>");
	l = realexec_state_json(&st, true);
	is_str(l, "{\"ociVersion\":\"1.2.0\",\"id\":\"c1\",\"pid\":42,\"status\":\"running\",\"bundle\":\"/b\","
		  "\"rootfs\":\"/b/rootfs\",\"created\":\"2023-11-14T22:13:20.123456789Z\","
		  "\"annotations\":{\"a\":\"\\u003c\\u0026\\u003e\",\"z\":\"1\"},\"owner\":\"root\"}",
	       "list: compact, annotations sorted and Go-escaped, the owner");
	json_decref(st.annotations);
}

static void test_open_in_root(void)
{
	char dir[] = "/tmp/realexec-root.XXXXXX";
	char path[128];
	cleanup_close int root = -1;
	struct stat st;

	if (mkdtemp(dir) == NULL)
		return;
	root = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	snprintf(path, sizeof path, "%s/up", dir);
	ok(symlink("../../../../..", path) == 0, "a symlink climbing out of the root");
	snprintf(path, sizeof path, "%s/abs", dir);
	ok(symlink("/tmp", path) == 0, "an absolute symlink");
	{
		cleanup_error mr_error *err = NULL;
		cleanup_close int fd = -1;
		ok(rx_open_in_root(root, "/up/rx-unit-escape/d", true, false, &fd, &err) == 0,
		   "a destination through ../.. is resolved");
		snprintf(path, sizeof path, "%s/rx-unit-escape/d", dir);
		ok(stat(path, &st) == 0 && S_ISDIR(st.st_mode), "and made inside the root");
		ok(stat("/rx-unit-escape", &st) < 0, "not at the host's /");
	}
	{
		cleanup_error mr_error *err = NULL;
		cleanup_close int fd = -1;
		ok(rx_open_in_root(root, "/abs/rx-unit-file", true, true, &fd, &err) == 0,
		   "a destination through an absolute symlink is resolved");
		snprintf(path, sizeof path, "%s/tmp/rx-unit-file", dir);
		ok(stat(path, &st) == 0 && S_ISREG(st.st_mode), "and a file made in the root's /tmp");
		ok(stat("/tmp/rx-unit-file", &st) < 0, "not in the host's /tmp");
	}
	{
		cleanup_error mr_error *err = NULL;
		cleanup_close int fd = -1;
		ok(rx_open_in_root(root, "/missing", false, false, &fd, &err) < 0 && err->errnum == ENOENT,
		   "without create, a missing path is an error");
	}
	snprintf(path, sizeof path, "rm -rf '%s'", dir);
	if (system(path) != 0)
		printf("# cleanup failed\n");
}

int main(void)
{
	test_state_json();
	test_open_in_root();
	return tap_done();
}
