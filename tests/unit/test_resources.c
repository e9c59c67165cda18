/* realexec/resources and devices_bpf.
 *
 * (a) Fake cgroup trees (plain files in a temp directory, a v1 layout with
 *     one directory per controller and a v2 one with cgroup.controllers):
 *     the exact files and values written, in order, for hand-written
 *     resources, runc's conversions and update's rules; the device rule
 *     emulation and the eBPF program (run here by a small interpreter).
 * (b) The real v1 hierarchy of this host: scratch cgroups, limits read
 *     back from the kernel, and processes moved in that hit them (fork
 *     refused past pids.max, OOM kill past the memory limit, EPERM on a
 *     denied device). A device program attached to a scratch cgroup2
 *     directory. Everything created is removed at exit, failures included. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/magic.h>

#include "tests/unit/tap.h"
#include "common/cleanup.h"
#include "common/error.h"
#include "common/file.h"
#include "common/json.h"
#include "common/log.h"
#include "realexec/cgroups.h"
#include "realexec/devices_bpf.h"
#include "realexec/resources.h"

static char tmp[] = "/tmp/mockrunc-res-XXXXXX";

/* ---- helpers ------------------------------------------------------------- */

static char *at(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *at(const char *fmt, ...)
{
	static char buf[8][600];
	static int k;
	char rel[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(rel, sizeof rel, fmt, ap);
	va_end(ap);
	k = (k + 1) % 8;
	snprintf(buf[k], sizeof buf[k], "%s/%s", tmp, rel);
	return buf[k];
}

static void put(const char *rel, const char *text)
{
	cleanup_error mr_error *err = NULL;
	cleanup_free char *path = strdup(at("%s", rel));
	char *slash = strrchr(path, '/');
	int fd;

	*slash = '\0';
	mr_mkdir_all(path, 0755, &err);
	*slash = '/';
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0) {
		mr_write_all(fd, text, strlen(text));
		close(fd);
	}
}

static char *read_trim(const char *path)
{
	char *data = NULL;
	size_t len = 0;
	cleanup_error mr_error *err = NULL;

	if (mr_read_file(path, &data, &len, &err) < 0)
		return NULL;
	while (len > 0 && (data[len - 1] == '\n' || data[len - 1] == ' '))
		data[--len] = '\0';
	return data;
}

/* Every write, "<path under tmp or /sys/fs/cgroup>=<value>\n". */
struct trace {
	char text[8192];
	int count;
};

static void record(void *arg, const char *path, const char *value)
{
	struct trace *t = arg;
	size_t n = strlen(t->text), root = strlen(tmp);
	const char *shown = strncmp(path, tmp, root) == 0 ? path + root + 1 : path;

	snprintf(t->text + n, sizeof t->text - n, "%s=%s\n", shown, value);
	t->count++;
}

struct result {
	struct trace writes;
	char error[1024];
	char warnings[1024];
	int rc;
};

static void apply_with(const struct rx_cgroups *cg, const char *json, struct rx_resources_opts o,
		       struct result *r)
{
	cleanup_error mr_error *err = NULL;
	cleanup_json json_t *res = NULL;
	char logpath[] = "/tmp/mockrunc-res-log-XXXXXX";
	int logfd = mkstemp(logpath);
	struct mr_logger lg = { .fd = logfd, .json = false, .is_stderr = false, .min = MR_LOG_WARNING };

	memset(r, 0, sizeof *r);
	unlink(logpath);
	res = json != NULL ? mr_json_parse(json, strlen(json), &err) : NULL;
	o.trace = record;
	o.trace_arg = &r->writes;
	o.log = &lg;
	r->rc = rx_resources_apply(cg, res, &o, &err);
	if (err != NULL)
		snprintf(r->error, sizeof r->error, "%s", err->msg);
	if (logfd >= 0) {
		ssize_t n = pread(logfd, r->warnings, sizeof r->warnings - 1, 0);
		r->warnings[n > 0 ? n : 0] = '\0';
		close(logfd);
	}
}

static void apply(const struct rx_cgroups *cg, const char *json, bool update, struct result *r)
{
	struct rx_resources_opts o = { .update = update, .skip_devices = true };

	apply_with(cg, json, o, r);
}

/* ---- (a) fake trees ---------------------------------------------------------- */

static struct rx_cgroup_dir v1dirs[16];
static struct rx_cgroups v1 = { v1dirs, 0, false };
static struct rx_cgroup_dir v2dirs[1];
static struct rx_cgroups v2 = { v2dirs, 1, true };

static void add_v1(const char *name, const char *options)
{
	v1dirs[v1.n++] = (struct rx_cgroup_dir){ strdup(name), strdup(options),
						 strdup(at("v1/%s/c", name)), false };
}

static void reset_v1(void)
{
	put("v1/memory/c/memory.limit_in_bytes", "9223372036854771712\n");
	put("v1/memory/c/memory.memsw.limit_in_bytes", "9223372036854771712\n");
	put("v1/memory/c/memory.soft_limit_in_bytes", "9223372036854771712\n");
	put("v1/memory/c/memory.usage_in_bytes", "4096\n");
	put("v1/memory/c/memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 0\n");
	put("v1/memory/c/memory.swappiness", "60\n");
	put("v1/cpu/c/cpu.shares", "1024\n");
	put("v1/cpu/c/cpu.cfs_period_us", "100000\n");
	put("v1/cpu/c/cpu.cfs_quota_us", "-1\n");
	put("v1/cpu/c/cpu.cfs_burst_us", "0\n");
	put("v1/cpu/c/cpu.idle", "0\n");
	put("v1/cpu/c/cpu.rt_period_us", "1000000\n");
	put("v1/cpu/c/cpu.rt_runtime_us", "0\n");
	put("v1/cpuset/c/cpuset.cpus", "0-1\n");
	put("v1/cpuset/c/cpuset.mems", "0\n");
	put("v1/pids/c/pids.max", "max\n");
	put("v1/blkio/c/blkio.weight", "500\n");
	put("v1/blkio/c/blkio.leaf_weight", "500\n");
	put("v1/blkio/c/blkio.weight_device", "");
	put("v1/blkio/c/blkio.leaf_weight_device", "");
	put("v1/blkio/c/blkio.throttle.read_bps_device", "");
	put("v1/blkio/c/blkio.throttle.write_bps_device", "");
	put("v1/blkio/c/blkio.throttle.read_iops_device", "");
	put("v1/blkio/c/blkio.throttle.write_iops_device", "");
	put("v1/net_cls/c/net_cls.classid", "0\n");
	put("v1/net_prio/c/net_prio.ifpriomap", "lo 0\n");
	put("v1/devices/c/devices.list", "a *:* rwm\n");
	put("v1/cpuacct/c/cpuacct.usage", "0\n");
}

static void check(const struct result *r, const char *writes, const char *what)
{
	ok(r->rc == 0, "%s: applied%s%s", what, r->rc ? ": " : "", r->rc ? r->error : "");
	is_str(r->writes.text, writes, "%s: files written", what);
}

static void check_error(const struct result *r, const char *error, const char *what)
{
	ok(r->rc < 0, "%s: refused", what);
	is_str(r->error, error, "%s: message", what);
}

static void test_fake_v1(void)
{
	struct result r;
	char want[1024];

	add_v1("cpuset", "cpuset");
	add_v1("memory", "memory");
	add_v1("cpu", "cpu");
	add_v1("cpuacct", "cpuacct");
	add_v1("pids", "pids");
	add_v1("blkio", "blkio");
	add_v1("devices", "devices");
	add_v1("systemd", "name=systemd");
	v1dirs[v1.n++] = (struct rx_cgroup_dir){ strdup("unified"), strdup(""), strdup(at("v1/unified/c")),
						 true };
	reset_v1();

	apply(&v1, "{\"memory\":{\"limit\":67108864,\"swap\":134217728,\"reservation\":33554432,"
		   "\"swappiness\":10,\"disableOOMKiller\":true,\"kernel\":1048576,\"useHierarchy\":true}}",
	      false, &r);
	check(&r, "v1/memory/c/memory.limit_in_bytes=67108864\n"
		  "v1/memory/c/memory.memsw.limit_in_bytes=134217728\n"
		  "v1/memory/c/memory.soft_limit_in_bytes=33554432\n"
		  "v1/memory/c/memory.oom_control=1\n"
		  "v1/memory/c/memory.swappiness=10\n",
	      "v1 memory: lowering from unlimited writes the limit before memory+swap");
	ok(strstr(r.warnings, "Kernel memory settings are ignored and will be removed") != NULL,
	   "v1 memory.kernel: runc's warning");

	/* The limit is now 64M: raising both must go memsw first. */
	apply(&v1, "{\"memory\":{\"limit\":268435456,\"swap\":536870912}}", true, &r);
	check(&r, "v1/memory/c/memory.memsw.limit_in_bytes=536870912\n"
		  "v1/memory/c/memory.limit_in_bytes=268435456\n",
	      "v1 memory: raising writes memory+swap before the limit");
	apply(&v1, "{\"memory\":{\"limit\":-1}}", true, &r);
	check(&r, "v1/memory/c/memory.memsw.limit_in_bytes=-1\n"
		  "v1/memory/c/memory.limit_in_bytes=-1\n",
	      "v1 memory: limit -1 with no swap given lifts both (update fix-up)");
	apply(&v1, "{\"memory\":{\"swappiness\":101}}", false, &r);
	check_error(&r, "invalid memory swappiness value: 101 (valid range is 0-100)", "v1 swappiness 101");

	put("v1/memory/c/memory.usage_in_bytes", "100000000\n");
	apply(&v1, "{\"memory\":{\"limit\":67108864,\"checkBeforeUpdate\":true}}", true, &r);
	check_error(&r, "rejecting memory limit 67108864 <= usage 100000000",
		    "v1 checkBeforeUpdate with the usage above the new limit");
	ok(r.writes.count == 0, "... and nothing was written");
	put("v1/memory/c/memory.usage_in_bytes", "4096\n");

	reset_v1();
	apply(&v1, "{\"cpu\":{\"shares\":512,\"quota\":50000,\"period\":100000,\"burst\":1000,"
		   "\"realtimeRuntime\":950000,\"realtimePeriod\":1000000,\"cpus\":\"0\",\"mems\":\"0\","
		   "\"idle\":1}}",
	      false, &r);
	check(&r, "v1/cpuset/c/cpuset.cpus=0\n"
		  "v1/cpuset/c/cpuset.mems=0\n"
		  "v1/cpu/c/cpu.shares=512\n"
		  "v1/cpu/c/cpu.cfs_period_us=100000\n"
		  "v1/cpu/c/cpu.cfs_burst_us=1000\n"
		  "v1/cpu/c/cpu.cfs_quota_us=50000\n"
		  "v1/cpu/c/cpu.idle=1\n"
		  "v1/cpu/c/cpu.rt_period_us=1000000\n"
		  "v1/cpu/c/cpu.rt_runtime_us=950000\n",
	      "v1 cpu: cpuset first, then shares, period before quota, idle, real-time");

	apply(&v1, "{\"cpu\":{\"quota\":20000}}", true, &r);
	check(&r, "v1/cpu/c/cpu.cfs_quota_us=20000\n", "v1 update: a quota alone leaves the period");

	apply(&v1, "{\"pids\":{\"limit\":0}}", true, &r);
	check(&r, "v1/pids/c/pids.max=1\n", "pids.limit 0 becomes 1 (runc >= 1.4)");
	apply(&v1, "{\"pids\":{\"limit\":-1}}", true, &r);
	check(&r, "v1/pids/c/pids.max=max\n", "pids.limit -1 is max");
	apply(&v1, "{\"pids\":{\"limit\":-5}}", true, &r);
	check(&r, "v1/pids/c/pids.max=max\n", "pids.limit below -1 is max too");
	apply(&v1, "{\"pids\":{\"limit\":100}}", true, &r);
	check(&r, "v1/pids/c/pids.max=100\n", "pids.limit 100");
	apply(&v1, "{\"pids\":{}}", true, &r);
	check(&r, "", "pids without a limit: untouched");

	apply(&v1, "{\"blockIO\":{\"weight\":500,\"leafWeight\":300,"
		   "\"weightDevice\":[{\"major\":8,\"minor\":0,\"weight\":200,\"leafWeight\":100},"
		   "{\"major\":8,\"minor\":16,\"leafWeight\":50}],"
		   "\"throttleReadBpsDevice\":[{\"major\":8,\"minor\":0,\"rate\":1048576}],"
		   "\"throttleWriteBpsDevice\":[{\"major\":8,\"minor\":0,\"rate\":2097152}],"
		   "\"throttleReadIOPSDevice\":[{\"major\":8,\"minor\":0,\"rate\":100}],"
		   "\"throttleWriteIOPSDevice\":[{\"major\":8,\"minor\":0,\"rate\":50}]}}",
	      false, &r);
	check(&r, "v1/blkio/c/blkio.weight=500\n"
		  "v1/blkio/c/blkio.leaf_weight=300\n"
		  "v1/blkio/c/blkio.weight_device=8:0 200\n"
		  "v1/blkio/c/blkio.leaf_weight_device=8:0 100\n"
		  "v1/blkio/c/blkio.leaf_weight_device=8:16 50\n"
		  "v1/blkio/c/blkio.throttle.read_bps_device=8:0 1048576\n"
		  "v1/blkio/c/blkio.throttle.write_bps_device=8:0 2097152\n"
		  "v1/blkio/c/blkio.throttle.read_iops_device=8:0 100\n"
		  "v1/blkio/c/blkio.throttle.write_iops_device=8:0 50\n",
	      "v1 blkio: weights, per-device weights, the four throttles");
	unlink(at("v1/blkio/c/blkio.weight"));
	apply(&v1, "{\"blockIO\":{\"weight\":500}}", false, &r);
	snprintf(want, sizeof want, "openat2 %s: no such file or directory", at("v1/blkio/c/blkio.bfq.weight"));
	check_error(&r, want, "v1 blkio weight without CFQ: BFQ's file, missing here");

	apply(&v1, "{\"hugepageLimits\":[{\"pageSize\":\"2MB\",\"limit\":1048576}]}", false, &r);
	check_error(&r, "cannot set hugetlb limit: container could not join or create cgroup",
		    "v1 hugepage limits with no hugetlb hierarchy");
	apply(&v1, "{\"hugepageLimits\":[]}", false, &r);
	check(&r, "", "v1 no hugepage limits and no hugetlb hierarchy: fine");
	apply(&v1, "{\"network\":{\"classID\":1048577}}", false, &r);
	check_error(&r, "cannot set net_cls limit: container could not join or create cgroup",
		    "v1 classID with no net_cls hierarchy");
	apply(&v1, "{\"rdma\":{\"mlx4_0\":{\"hcaHandles\":2}}}", false, &r);
	check_error(&r, "cannot set rdma limit: container could not join or create cgroup",
		    "v1 rdma with no rdma hierarchy");

	add_v1("net_cls", "net_cls");
	add_v1("net_prio", "net_prio");
	apply(&v1, "{\"network\":{\"classID\":1048577,\"priorities\":[{\"name\":\"eth0\",\"priority\":5},"
		   "{\"name\":\"lo\",\"priority\":2}]}}", false, &r);
	check(&r, "v1/net_cls/c/net_cls.classid=1048577\n"
		  "v1/net_prio/c/net_prio.ifpriomap=eth0 5\n"
		  "v1/net_prio/c/net_prio.ifpriomap=lo 2\n",
	      "v1 network: classid and one ifpriomap write per interface");

	apply(&v1, "{\"unified\":{\"memory.high\":\"1000000\"}}", false, &r);
	check_error(&r, "invalid configuration: cannot use unified on cgroup v1", "unified on v1 (hybrid)");
	apply(&v1, "{\"memory\":{\"limit\":\"64m\"}}", false, &r);
	check_error(&r, "json: cannot unmarshal string into Go struct field LinuxMemory.linux.resources.memory.limit of type int64",
		    "a config with a string limit");
	apply(&v1, "{\"devices\":[{\"allow\":true,\"type\":\"x\",\"access\":\"rwm\"}]}", false, &r);
	check_error(&r, "invalid cgroup device type \"x\"", "a device rule of type x");
	apply(&v1, "{\"devices\":[{\"allow\":true,\"type\":\"c\"}]}", false, &r);
	check_error(&r, "device access at 0 field cannot be empty", "a device rule without access");

	unlink(at("v1/memory/c/memory.memsw.limit_in_bytes"));
	apply(&v1, "{\"memory\":{\"limit\":67108864,\"swap\":134217728}}", false, &r);
	snprintf(want, sizeof want, "openat2 %s: no such file or directory",
		 at("v1/memory/c/memory.memsw.limit_in_bytes"));
	check_error(&r, want, "swap without swap accounting names the missing file");
	apply(&v1, "{\"memory\":{\"limit\":-1}}", false, &r);
	check(&r, "v1/memory/c/memory.limit_in_bytes=-1\n",
	      "limit -1 without swap accounting: only the limit");
}

static void reset_v2(void)
{
	put("v2/c/cgroup.controllers", "cpuset cpu io memory hugetlb pids rdma misc\n");
	put("v2/c/memory.max", "max\n");
	put("v2/c/memory.swap.max", "max\n");
	put("v2/c/memory.low", "0\n");
	put("v2/c/memory.high", "max\n");
	put("v2/c/memory.current", "4096\n");
	put("v2/c/cpu.weight", "100\n");
	put("v2/c/cpu.max", "max 100000\n");
	put("v2/c/cpu.max.burst", "0\n");
	put("v2/c/cpu.idle", "0\n");
	put("v2/c/io.weight", "default 100\n");
	put("v2/c/io.max", "");
	put("v2/c/pids.max", "max\n");
	put("v2/c/cpuset.cpus", "\n");
	put("v2/c/cpuset.mems", "\n");
	put("v2/c/hugetlb.2MB.max", "max\n");
	put("v2/c/hugetlb.1GB.max", "max\n");
	put("v2/c/rdma.max", "");
	unlink(at("v2/c/io.bfq.weight"));
	unlink(at("v2/c/hugetlb.2MB.rsvd.max"));
}

static void test_fake_v2(void)
{
	struct result r;
	char want[1024];

	v2dirs[0] = (struct rx_cgroup_dir){ strdup(""), strdup(""), strdup(at("v2/c")), true };
	reset_v2();

	apply(&v2, "{\"memory\":{\"limit\":67108864,\"swap\":134217728,\"reservation\":33554432,"
		   "\"swappiness\":10,\"disableOOMKiller\":true}}", false, &r);
	check(&r, "v2/c/memory.swap.max=67108864\n"
		  "v2/c/memory.max=67108864\n"
		  "v2/c/memory.low=33554432\n",
	      "v2 memory: swap.max is memory+swap minus memory; no swappiness or OOM file");
	apply(&v2, "{\"memory\":{\"limit\":67108864,\"swap\":67108864}}", false, &r);
	check(&r, "v2/c/memory.swap.max=0\nv2/c/memory.max=67108864\n", "v2 memory+swap == memory: no swap");
	apply(&v2, "{\"memory\":{\"limit\":-1}}", true, &r);
	check(&r, "v2/c/memory.swap.max=max\nv2/c/memory.max=max\n", "v2 limit -1 with no swap: both max");
	apply(&v2, "{\"memory\":{\"limit\":67108864,\"swap\":-1}}", false, &r);
	check(&r, "v2/c/memory.swap.max=max\nv2/c/memory.max=67108864\n", "v2 swap -1: unlimited swap");
	apply(&v2, "{\"memory\":{\"swap\":134217728}}", false, &r);
	check_error(&r, "unable to set swap limit without memory limit", "v2 swap without a limit");
	put("v2/c/memory.max", "67108864\n");
	apply(&v2, "{\"memory\":{\"swap\":201326592}}", true, &r);
	check(&r, "v2/c/memory.swap.max=134217728\n",
	      "v2 update of the swap alone: memory+swap counted from the cgroup's memory.max");
	put("v2/c/memory.max", "max\n");
	apply(&v2, "{\"memory\":{\"limit\":134217728,\"swap\":67108864}}", false, &r);
	check_error(&r, "memory+swap limit should be >= memory limit", "v2 memory+swap below memory");
	put("v2/c/memory.current", "100000000\n");
	apply(&v2, "{\"memory\":{\"limit\":67108864,\"checkBeforeUpdate\":true}}", true, &r);
	check_error(&r, "rejecting memory limit 67108864 <= usage 100000000", "v2 checkBeforeUpdate");
	put("v2/c/memory.current", "4096\n");
	unlink(at("v2/c/memory.swap.max"));
	apply(&v2, "{\"memory\":{\"limit\":67108864,\"swap\":67108864}}", false, &r);
	check(&r, "v2/c/memory.max=67108864\n",
	      "v2 no swap accounting: disabling swap is not an error (memory.swap.max cannot be opened)");
	put("v2/c/memory.swap.max", "max\n");

	apply(&v2, "{\"cpu\":{\"shares\":1024,\"quota\":50000,\"period\":100000,\"idle\":0,\"burst\":1000}}",
	      false, &r);
	check(&r, "v2/c/cpu.idle=0\n"
		  "v2/c/cpu.weight=100\n"
		  "v2/c/cpu.max.burst=1000\n"
		  "v2/c/cpu.max=50000 100000\n",
	      "v2 cpu: idle, weight from shares (1024 -> 100), burst, cpu.max");
	apply(&v2, "{\"cpu\":{\"shares\":512}}", false, &r);
	check(&r, "v2/c/cpu.weight=59\n", "v2 shares 512 -> weight 59 (runc's quadratic)");
	apply(&v2, "{\"cpu\":{\"shares\":2}}", false, &r);
	check(&r, "v2/c/cpu.weight=1\n", "v2 shares 2 -> weight 1");
	apply(&v2, "{\"cpu\":{\"shares\":262144}}", false, &r);
	check(&r, "v2/c/cpu.weight=10000\n", "v2 shares 262144 -> weight 10000");
	apply(&v2, "{\"cpu\":{\"quota\":20000}}", false, &r);
	check(&r, "v2/c/cpu.max=20000 100000\n", "v2 a quota alone at create: the default period");
	apply(&v2, "{\"cpu\":{\"period\":250000}}", false, &r);
	check(&r, "v2/c/cpu.max=max 250000\n", "v2 a period alone at create: no quota");
	put("v2/c/cpu.max", "50000 250000\n");
	apply(&v2, "{\"cpu\":{\"quota\":30000}}", true, &r);
	check(&r, "v2/c/cpu.max=30000 250000\n", "v2 update of the quota keeps the period");
	put("v2/c/cpu.max", "50000 250000\n");
	apply(&v2, "{\"cpu\":{\"period\":200000}}", true, &r);
	check(&r, "v2/c/cpu.max=50000 200000\n", "v2 update of the period keeps the quota");
	apply(&v2, "{\"cpu\":{\"quota\":-1,\"period\":100000}}", true, &r);
	check(&r, "v2/c/cpu.max=max 100000\n", "v2 quota -1 is max");
	apply(&v2, "{\"cpu\":{\"idle\":1}}", true, &r);
	check(&r, "v2/c/cpu.idle=1\n", "v2 update of idle alone (shares fix-up: no weight written)");
	apply(&v2, "{\"cpu\":{\"cpus\":\"0-1\",\"mems\":\"0\"}}", false, &r);
	check(&r, "v2/c/cpuset.cpus=0-1\nv2/c/cpuset.mems=0\n", "v2 cpuset");

	apply(&v2, "{\"blockIO\":{\"weight\":500,\"leafWeight\":300,"
		   "\"weightDevice\":[{\"major\":8,\"minor\":0,\"weight\":200}],"
		   "\"throttleReadBpsDevice\":[{\"major\":8,\"minor\":0,\"rate\":1048576}],"
		   "\"throttleWriteIOPSDevice\":[{\"major\":8,\"minor\":16,\"rate\":100}]}}",
	      false, &r);
	check(&r, "v2/c/io.weight=4950\n"
		  "v2/c/io.max=8:0 rbps=1048576\n"
		  "v2/c/io.max=8:16 wiops=100\n",
	      "v2 io without BFQ: io.weight converted (500 -> 4950), no device weights, io.max lines");
	put("v2/c/io.bfq.weight", "default 100\n");
	apply(&v2, "{\"blockIO\":{\"weight\":10,\"weightDevice\":[{\"major\":8,\"minor\":0,\"weight\":200}]}}",
	      false, &r);
	check(&r, "v2/c/io.bfq.weight=10\n"
		  "v2/c/io.bfq.weight=8:0 200\n\n",
	      "v2 io with BFQ: the weight as is, then per-device weights");
	put("v2/c/io.bfq.weight", "100\n");
	apply(&v2, "{\"blockIO\":{\"weight\":1000,\"weightDevice\":[{\"major\":8,\"minor\":0,\"weight\":200}]}}",
	      false, &r);
	check(&r, "v2/c/io.bfq.weight=1000\n", "v2 io with an old BFQ (one number): no per-device weights");
	unlink(at("v2/c/io.bfq.weight"));

	apply(&v2, "{\"pids\":{\"limit\":0}}", false, &r);
	check(&r, "v2/c/pids.max=1\n", "v2 pids.limit 0 becomes 1");

	apply(&v2, "{\"hugepageLimits\":[{\"pageSize\":\"2MB\",\"limit\":4194304},"
		   "{\"pageSize\":\"1GB\",\"limit\":0}]}", false, &r);
	check(&r, "v2/c/hugetlb.2MB.max=4194304\nv2/c/hugetlb.1GB.max=0\n",
	      "v2 hugetlb without reservation files");
	put("v2/c/hugetlb.2MB.rsvd.max", "max\n");
	put("v2/c/hugetlb.1GB.rsvd.max", "max\n");
	apply(&v2, "{\"hugepageLimits\":[{\"pageSize\":\"2MB\",\"limit\":4194304}]}", false, &r);
	check(&r, "v2/c/hugetlb.2MB.max=4194304\nv2/c/hugetlb.2MB.rsvd.max=4194304\n",
	      "v2 hugetlb: the reservation limit too");
	apply(&v2, "{\"hugepageLimits\":[{\"pageSize\":\"64KB\",\"limit\":1}]}", false, &r);
	snprintf(want, sizeof want, "openat2 %s: no such file or directory", at("v2/c/hugetlb.64KB.max"));
	check_error(&r, want, "v2 hugetlb of a page size the host lacks");

	apply(&v2, "{\"rdma\":{\"mlx4_0\":{\"hcaHandles\":2,\"hcaObjects\":2000},\"mlx5_1\":{\"hcaObjects\":5}}}",
	      false, &r);
	check(&r, "v2/c/rdma.max=mlx4_0 hca_handle=2 hca_object=2000\nv2/c/rdma.max=mlx5_1 hca_object=5\n",
	      "v2 rdma: one rdma.max line per device");

	apply(&v2, "{\"network\":{\"classID\":1048577,\"priorities\":[{\"name\":\"eth0\",\"priority\":5}]}}",
	      false, &r);
	check(&r, "", "v2 network: no net_cls/net_prio, ignored as runc does");

	apply(&v2, "{\"unified\":{\"memory.high\":\"50000000\",\"io.max\":\"8:0 rbps=1\\n8:16 wbps=2\"}}",
	      false, &r);
	check(&r, "v2/c/memory.high=50000000\nv2/c/io.max=8:0 rbps=1\n\nv2/c/io.max=8:16 wbps=2\n",
	      "v2 unified: files by name, multi-line values one line at a time");
	apply(&v2, "{\"unified\":{\"../escape\":\"1\"}}", false, &r);
	check_error(&r, "unified resource \"../escape\" must be a file name (no slashes)", "unified with a slash");
	apply(&v2, "{\"unified\":{\"nodot\":\"1\"}}", false, &r);
	check_error(&r, "unified resource \"nodot\" must be in the form CONTROLLER.PARAMETER",
		    "unified without a controller");
	apply(&v2, "{\"unified\":{\"net_cls.classid\":\"1\"}}", false, &r);
	check_error(&r, "unified resource \"net_cls.classid\" can't be set: controller \"net_cls\" not available",
		    "unified for a controller v2 lacks");
	apply(&v2, "{\"unified\":{\"memory.nosuch\":\"1\"}}", false, &r);
	snprintf(want, sizeof want, "unable to set unified resource \"memory.nosuch\": openat2 %s: no such file or directory",
		 at("v2/c/memory.nosuch"));
	check_error(&r, want, "unified file the controller lacks");

	unlink(at("v2/c/cgroup.controllers"));
	apply(&v2, "{\"pids\":{\"limit\":5}}", false, &r);
	snprintf(want, sizeof want, "openat2 %s: no such file or directory", at("v2/c/cgroup.controllers"));
	check_error(&r, want, "v2 directory without cgroup.controllers");
}

static void test_conversions(void)
{
	int64_t out = 0;
	cleanup_error mr_error *err = NULL;

	is_int(rx_cpu_shares_to_weight(0), 0, "shares 0: no weight");
	is_int(rx_cpu_shares_to_weight(1), 1, "shares 1 -> 1");
	is_int(rx_cpu_shares_to_weight(3), 2, "shares 3 -> 2");
	is_int(rx_cpu_shares_to_weight(100), 17, "shares 100 -> 17");
	is_int(rx_cpu_shares_to_weight(1024), 100, "shares 1024 -> 100 (the defaults meet)");
	is_int(rx_cpu_shares_to_weight(2048), 174, "shares 2048 -> 174");
	is_int(rx_cpu_shares_to_weight(262143), 10000, "shares 262143 -> 10000");
	is_int(rx_cpu_shares_to_weight(1000000), 10000, "shares above the range -> 10000");
	is_int(rx_blkio_weight_to_io_weight(10), 1, "blkio weight 10 -> io.weight 1");
	is_int(rx_blkio_weight_to_io_weight(1000), 10000, "blkio weight 1000 -> io.weight 10000");
	is_int(rx_blkio_weight_to_io_weight(100), 910, "blkio weight 100 -> io.weight 910");
	ok(rx_memory_swap_to_v2(0, -1, &out, &err) == 0 && out == -1, "swap 0 limit -1 -> max");
	ok(rx_memory_swap_to_v2(-1, 100, &out, &err) == 0 && out == -1, "swap -1 -> max");
	ok(rx_memory_swap_to_v2(300, 100, &out, &err) == 0 && out == 200, "swap 300 limit 100 -> 200");
	ok(rx_memory_swap_to_v2(300, -1, &out, &err) == 0 && out == 300, "swap 300 limit -1 -> 300");
	ok(rx_memory_swap_to_v2(0, 100, &out, &err) == 0 && out == 0, "swap 0 -> untouched");
	ok(rx_memory_swap_to_v2(100, -5, &out, &err) < 0, "limit -5 refused");
	is_str(err ? err->msg : NULL, "invalid memory value: -5", "... invalid memory value");
}

/* ---- devices: the emulation and the eBPF program ------------------------------- */

static struct rx_dev_rule rule(char type, int64_t major, int64_t minor, const char *acc, bool allow)
{
	return (struct rx_dev_rule){ type, major, minor, rx_dev_access_bits(acc), allow };
}

static char *rules_text(const struct rx_dev_rule *v, size_t n)
{
	static char buf[2048];
	size_t w = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		char line[RX_DEV_RULE_MAX];
		rx_dev_rule_string(&v[i], line);
		w += (size_t)snprintf(buf + w, sizeof buf - w, "%s %s\n", v[i].allow ? "allow" : "deny", line);
	}
	return buf;
}

/* Runs a device program on one access as the kernel would. */
static int run_bpf(const struct bpf_insn *p, size_t n, int type, int access, uint32_t major,
		   uint32_t minor)
{
	uint32_t ctx[3] = { (uint32_t)type | ((uint32_t)access << 16), major, minor };
	uint64_t r[11] = { 0 };
	size_t pc = 0;

	for (int steps = 0; pc < n && steps < 10000; steps++) {
		const struct bpf_insn *i = &p[pc++];
		switch (i->code) {
		case BPF_LDX | BPF_MEM | BPF_W: r[i->dst_reg] = ctx[i->off / 4]; break;
		case BPF_ALU | BPF_AND | BPF_K: r[i->dst_reg] = (uint32_t)(r[i->dst_reg] & (uint32_t)i->imm); break;
		case BPF_ALU | BPF_RSH | BPF_K: r[i->dst_reg] = (uint32_t)r[i->dst_reg] >> i->imm; break;
		case BPF_ALU | BPF_MOV | BPF_X: r[i->dst_reg] = (uint32_t)r[i->src_reg]; break;
		case BPF_ALU | BPF_MOV | BPF_K: r[i->dst_reg] = (uint32_t)i->imm; break;
		case BPF_JMP | BPF_JNE | BPF_K:
			if (r[i->dst_reg] != (uint64_t)(int64_t)i->imm)
				pc += (size_t)i->off;
			break;
		case BPF_JMP | BPF_JNE | BPF_X:
			if (r[i->dst_reg] != r[i->src_reg])
				pc += (size_t)i->off;
			break;
		case BPF_JMP | BPF_EXIT: return (int)r[0];
		default: return -1;
		}
	}
	return -2;
}

static void test_devices_emulation(void)
{
	struct rx_dev_state have, want, ww;
	cleanup_error mr_error *err = NULL;
	struct rx_dev_rule *rules = NULL;
	struct bpf_insn *prog = NULL;
	struct rx_dev_rule r;
	size_t n = 0;

	ok(rx_dev_state_from_list("a *:* rwm\n", &have, &err) == 0 && have.default_allow && have.n == 0,
	   "devices.list \"a *:* rwm\": allow-all");
	rx_dev_state_init(&want, false);
	r = rule('a', -1, -1, "rwm", false);
	rx_dev_state_apply(&want, &r, &err);
	r = rule('c', 1, 3, "rwm", true);
	rx_dev_state_apply(&want, &r, &err);
	r = rule('c', 1, 5, "rw", true);
	rx_dev_state_apply(&want, &r, &err);
	r = rule('c', 1, 5, "m", true);
	rx_dev_state_apply(&want, &r, &err);
	r = rule('b', 8, -1, "r", true);
	rx_dev_state_apply(&want, &r, &err);
	r = rule('c', 136, -1, "rwm", true);
	rx_dev_state_apply(&want, &r, &err);
	r = rule('c', 136, -1, "w", false);
	rx_dev_state_apply(&want, &r, &err);
	ok(!want.default_allow && want.n == 4, "deny-all, then 4 exceptions (same device merged)");

	rx_dev_transition(&have, &want, &rules, &n);
	is_str(rules_text(rules, n),
	       "deny a *:* rwm\nallow c 1:3 rwm\nallow c 1:5 rwm\nallow b 8:* r\nallow c 136:* rm\n",
	       "from allow-all: a deny-all, then the exceptions sorted");
	free(rules);

	rx_dev_state_from_list("c 1:3 rwm\nc 1:5 rwm\nb 8:* r\nc 136:* rm\n", &have, &err);
	rx_dev_transition(&have, &want, &rules, &n);
	is_int(n, 0, "from the same state: nothing to write (no EPERM under a restricted parent)");
	free(rules);
	rx_dev_state_free(&have);

	rx_dev_state_from_list("c 1:3 rwm\nc 1:5 rw\nc 10:200 rwm\nc 136:* rwm\n", &have, &err);
	rx_dev_transition(&have, &want, &rules, &n);
	is_str(rules_text(rules, n), "deny c 10:200 rwm\ndeny c 136:* w\nallow c 1:5 m\nallow b 8:* r\n",
	       "from a near state: only the differences, removals first");
	free(rules);
	rx_dev_state_free(&have);

	rx_dev_state_init(&ww, false);
	r = rule('c', -1, -1, "rwm", true);
	rx_dev_state_apply(&ww, &r, &err);
	r = rule('c', 1, 3, "r", false);
	ok(rx_dev_state_apply(&ww, &r, &err) < 0, "denying one device inside an allowed wildcard is refused");
	is_str(err ? err->msg : NULL,
	       "unable to remove 'allow' exception: requested rule [c 1:3 r] not supported by devices cgroupv1 "
	       "(cannot punch hole in existing wildcard rule [c *:* rwm])",
	       "... as runc refuses it");
	mr_error_free(&err);
	rx_dev_state_free(&ww);

	ok(rx_dev_bpf_program(&want, &prog, &n, &err) == 0, "eBPF program built");
	ok(run_bpf(prog, n, BPF_DEVCG_DEV_CHAR, BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE, 1, 3) == 1,
	   "program: /dev/null rw allowed");
	ok(run_bpf(prog, n, BPF_DEVCG_DEV_CHAR, BPF_DEVCG_ACC_READ, 1, 8) == 0, "program: /dev/random denied");
	ok(run_bpf(prog, n, BPF_DEVCG_DEV_BLOCK, BPF_DEVCG_ACC_READ, 8, 16) == 1,
	   "program: any 8:* block device readable");
	ok(run_bpf(prog, n, BPF_DEVCG_DEV_BLOCK, BPF_DEVCG_ACC_WRITE, 8, 16) == 0,
	   "program: ... not writable");
	ok(run_bpf(prog, n, BPF_DEVCG_DEV_CHAR, BPF_DEVCG_ACC_READ, 8, 0) == 0,
	   "program: the block rule does not match a char device");
	ok(run_bpf(prog, n, BPF_DEVCG_DEV_CHAR, BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_MKNOD, 136, 4) == 1,
	   "program: pts read+mknod allowed");
	ok(run_bpf(prog, n, BPF_DEVCG_DEV_CHAR, BPF_DEVCG_ACC_WRITE, 136, 4) == 0, "program: pts write denied");
	free(prog);
	rx_dev_state_free(&want);

	rx_dev_state_init(&want, true);
	r = rule('c', 1, 3, "w", false);
	rx_dev_state_apply(&want, &r, &err);
	rx_dev_bpf_program(&want, &prog, &n, &err);
	ok(run_bpf(prog, n, BPF_DEVCG_DEV_CHAR, BPF_DEVCG_ACC_READ, 1, 3) == 1 &&
	   run_bpf(prog, n, BPF_DEVCG_DEV_CHAR, BPF_DEVCG_ACC_WRITE, 1, 3) == 0 &&
	   run_bpf(prog, n, BPF_DEVCG_DEV_BLOCK, BPF_DEVCG_ACC_WRITE, 8, 0) == 1,
	   "program for an allow-all with one denial");
	free(prog);
	rx_dev_state_free(&want);
}

/* ---- (b) the real hierarchy ----------------------------------------------------- */

static struct rx_cgroups real;
static bool have_real;
static char unified_dir[256];
static pid_t kids[32];
static int nkids;

static void cleanup_cgroups(void)
{
	cleanup_error mr_error *err = NULL;

	for (int i = 0; i < nkids; i++) {
		kill(kids[i], SIGKILL);
		waitpid(kids[i], NULL, 0);
	}
	nkids = 0;
	if (have_real) {
		if (rx_cgroups_destroy(&real, &err) < 0)
			printf("# cleanup: %s\n", err->msg);
		rx_cgroups_free(&real);
		have_real = false;
	}
	if (unified_dir[0] != '\0') {
		for (int i = 0; i < 50 && rmdir(unified_dir) < 0 && errno == EBUSY; i++)
			usleep(20000);
		unified_dir[0] = '\0';
	}
}

static void cleanup_all(void)
{
	cleanup_cgroups();
	if (tmp[sizeof tmp - 2] != 'X') {
		char cmd[600];
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
		if (system(cmd) != 0)
			printf("# could not remove %s\n", tmp);
	}
}

static void on_signal(int sig)
{
	cleanup_all();
	signal(sig, SIG_DFL);
	raise(sig);
}

enum action { OPEN_NULL, OPEN_ZERO, FORKS, ALLOC_64M, HOLD_16M };

/* A child that waits until it is moved into the cgroup, then acts; its
 * exit status tells what happened (errno of a failed open, forks done). */
static pid_t spawn(enum action a, int *go)
{
	int fds[2];
	pid_t pid;

	if (pipe(fds) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		char c;
		close(fds[1]);
		if (read(fds[0], &c, 1) != 1)
			_exit(99);
		switch (a) {
		case OPEN_NULL:
		case OPEN_ZERO: {
			int fd = open(a == OPEN_NULL ? "/dev/null" : "/dev/zero", O_RDONLY);
			_exit(fd >= 0 ? 0 : errno);
		}
		case FORKS: {
			pid_t g[64];
			int n = 0, e = 0;
			for (; n < 64; n++) {
				g[n] = fork();
				if (g[n] == 0) {
					pause();
					_exit(0);
				}
				if (g[n] < 0) {
					e = errno;
					break;
				}
			}
			for (int i = 0; i < n; i++) {
				kill(g[i], SIGKILL);
				waitpid(g[i], NULL, 0);
			}
			_exit(e == EAGAIN ? n : 100 + n);
		}
		case ALLOC_64M:
		case HOLD_16M: {
			size_t size = (a == ALLOC_64M ? 64 : 16) << 20;
			char *p = malloc(size);
			if (p == NULL)
				_exit(98);
			for (size_t i = 0; i < size; i += 4096)
				p[i] = 1;
			if (a == HOLD_16M)
				pause();
			_exit(0);
		}
		}
		_exit(97);
	}
	close(fds[0]);
	if (pid > 0)
		kids[nkids++] = pid;
	*go = fds[1];
	return pid;
}

static int enter_and_wait(pid_t pid, int go, bool wait)
{
	cleanup_error mr_error *err = NULL;
	int status = -1;

	if (rx_cgroups_enter(&real, pid, NULL, &err) < 0) {
		printf("# enter: %s\n", err->msg);
		kill(pid, SIGKILL);
	}
	(void)!write(go, "g", 1);
	close(go);
	if (wait) {
		waitpid(pid, &status, 0);
		for (int i = 0; i < nkids; i++)
			if (kids[i] == pid)
				kids[i] = kids[--nkids];
	}
	return status;
}

static const char *real_dir(const char *ctrl)
{
	for (size_t i = 0; i < real.n; i++)
		if (!real.dirs[i].v2 && strcmp(real.dirs[i].options, ctrl) == 0)
			return real.dirs[i].path;
	return NULL;
}

static char *kernel_value(const char *ctrl, const char *file)
{
	char path[512];

	snprintf(path, sizeof path, "%s/%s", real_dir(ctrl) ? real_dir(ctrl) : "/nonexistent", file);
	return read_trim(path);
}

static void kernel_is(const char *ctrl, const char *file, const char *want, const char *what)
{
	cleanup_free char *v = kernel_value(ctrl, file);

	is_str(v, want, "%s: the kernel reads back %s = %s", what, file, want);
}

static bool hybrid_v1_host(void)
{
	struct statfs st;

	return geteuid() == 0 && statfs("/sys/fs/cgroup", &st) == 0 && st.f_type != CGROUP2_SUPER_MAGIC &&
	       access("/sys/fs/cgroup/memory/memory.limit_in_bytes", F_OK) == 0 &&
	       access("/sys/fs/cgroup/pids", F_OK) == 0 && access("/sys/fs/cgroup/devices/devices.list", F_OK) == 0;
}

static void test_real_v1(void)
{
	cleanup_error mr_error *err = NULL;
	struct result r;
	char name[64];
	pid_t pid;
	int go, status;

	if (!hybrid_v1_host()) {
		ok(1, "# SKIP needs root and the cgroup v1 controllers");
		return;
	}
	snprintf(name, sizeof name, "/mockrunc-unit-%d", (int)getpid());
	if (rx_cgroups_resolve(name, "x", false, &real, &err) < 0) {
		ok(0, "resolve %s: %s", name, err->msg);
		return;
	}
	have_real = true;
	/* The directories exist once a first process has been moved in. */
	pid = spawn(OPEN_NULL, &go);
	enter_and_wait(pid, go, true);

	/* pids: the third process of the cgroup cannot be forked. */
	apply(&real, "{\"pids\":{\"limit\":3}}", false, &r);
	pid = spawn(FORKS, &go);
	status = enter_and_wait(pid, go, true);
	ok(r.rc == 0, "pids.limit 3 applied%s%s", r.rc ? ": " : "", r.error);
	kernel_is("pids", "pids.max", "3", "pids.limit 3");
	is_int(WIFEXITED(status) ? WEXITSTATUS(status) : -1, 2,
	       "a process in the cgroup forks twice, then fork fails with EAGAIN");
	apply(&real, "{\"pids\":{\"limit\":0}}", true, &r);
	kernel_is("pids", "pids.max", "1", "pids.limit 0");
	pid = spawn(FORKS, &go);
	status = enter_and_wait(pid, go, true);
	is_int(WIFEXITED(status) ? WEXITSTATUS(status) : -1, 0, "with pids.limit 0 (max 1) no fork succeeds");
	apply(&real, "{\"pids\":{\"limit\":-1}}", true, &r);
	kernel_is("pids", "pids.max", "max", "pids.limit -1");

	/* memory: the kernel kills what goes past the limit. */
	apply(&real, "{\"memory\":{\"limit\":33554432,\"swap\":33554432}}", false, &r);
	ok(r.rc == 0, "memory limit 32M applied%s%s", r.rc ? ": " : "", r.error);
	kernel_is("memory", "memory.limit_in_bytes", "33554432", "memory.limit 32M");
	kernel_is("memory", "memory.memsw.limit_in_bytes", "33554432", "memory.swap 32M");
	pid = spawn(ALLOC_64M, &go);
	status = enter_and_wait(pid, go, true);
	ok(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "a process touching 64M is OOM-killed");
	apply(&real, "{\"memory\":{\"limit\":134217728,\"swap\":268435456}}", true, &r);
	ok(r.rc == 0, "raising limit and memory+swap together works (memsw first)%s%s",
	   r.rc ? ": " : "", r.error);
	kernel_is("memory", "memory.limit_in_bytes", "134217728", "memory raised");
	kernel_is("memory", "memory.memsw.limit_in_bytes", "268435456", "memory+swap raised");
	apply(&real, "{\"memory\":{\"limit\":67108864,\"swap\":100663296}}", true, &r);
	ok(r.rc == 0, "lowering both works (limit first)%s%s", r.rc ? ": " : "", r.error);
	kernel_is("memory", "memory.memsw.limit_in_bytes", "100663296", "memory+swap lowered");

	/* A limit below what is in use: the kernel cannot reclaim (no swap). */
	pid = spawn(HOLD_16M, &go);
	enter_and_wait(pid, go, false);
	usleep(300000);
	apply(&real, "{\"memory\":{\"limit\":4194304}}", true, &r);
	ok(r.rc < 0 && strncmp(r.error, "unable to set memory limit to 4194304 (current usage: ", 54) == 0 &&
	   strstr(r.error, ", peak usage: ") != NULL,
	   "a limit below the usage: runc's message (%s)", r.error);
	apply(&real, "{\"memory\":{\"limit\":4194304,\"checkBeforeUpdate\":true}}", true, &r);
	ok(r.rc < 0 && strncmp(r.error, "rejecting memory limit 4194304 <= usage ", 40) == 0,
	   "checkBeforeUpdate refuses it before writing (%s)", r.error);
	cleanup_cgroups();
	if (rx_cgroups_resolve(name, "x", false, &real, &err) < 0)
		return;
	have_real = true;
	pid = spawn(OPEN_NULL, &go);
	enter_and_wait(pid, go, true);

	/* cpu and cpuset */
	apply(&real, "{\"cpu\":{\"shares\":512,\"quota\":50000,\"period\":100000,\"cpus\":\"0\",\"mems\":\"0\"}}",
	      false, &r);
	pid = spawn(OPEN_NULL, &go);
	enter_and_wait(pid, go, true);
	ok(r.rc == 0, "cpu limits applied%s%s", r.rc ? ": " : "", r.error);
	kernel_is("cpu", "cpu.shares", "512", "cpu.shares");
	kernel_is("cpu", "cpu.cfs_quota_us", "50000", "cpu.quota");
	kernel_is("cpu", "cpu.cfs_period_us", "100000", "cpu.period");
	kernel_is("cpuset", "cpuset.cpus", "0", "cpu.cpus");
	apply(&real, "{\"cpu\":{\"shares\":300000}}", true, &r);
	check_error(&r, "the maximum allowed cpu-shares is 262144", "shares above the kernel's maximum");
	apply(&real, "{\"cpu\":{\"shares\":1}}", true, &r);
	check_error(&r, "the minimum allowed cpu-shares is 2", "shares below the kernel's minimum");
	if (access("/sys/fs/cgroup/cpu/cpu.idle", F_OK) == 0) {
		apply(&real, "{\"cpu\":{\"idle\":1}}", true, &r);
		kernel_is("cpu", "cpu.idle", "1", "cpu.idle");
	}

	/* blkio on this host's disk, if it has the usual virtio one */
	{
		struct stat st;
		if (stat("/dev/vda", &st) == 0 && S_ISBLK(st.st_mode)) {
			char json[256], want[64];
			snprintf(json, sizeof json,
				 "{\"blockIO\":{\"throttleReadBpsDevice\":[{\"major\":%u,\"minor\":%u,\"rate\":1048576}]}}",
				 major(st.st_rdev), minor(st.st_rdev));
			snprintf(want, sizeof want, "%u:%u 1048576", major(st.st_rdev), minor(st.st_rdev));
			apply(&real, json, false, &r);
			kernel_is("blkio", "blkio.throttle.read_bps_device", want, "throttleReadBpsDevice");
		} else {
			ok(1, "# SKIP no /dev/vda");
		}
	}
	if (access("/sys/fs/cgroup/hugetlb", F_OK) < 0) {
		apply(&real, "{\"hugepageLimits\":[{\"pageSize\":\"2MB\",\"limit\":2097152}]}", false, &r);
		check_error(&r, "cannot set hugetlb limit: container could not join or create cgroup",
			    "this host mounts no v1 hugetlb");
	}
	if (access("/sys/fs/cgroup/net_cls", F_OK) < 0 && access("/sys/fs/cgroup/net_cls,net_prio", F_OK) < 0) {
		apply(&real, "{\"network\":{\"classID\":1048577}}", false, &r);
		check_error(&r, "cannot set net_cls limit: container could not join or create cgroup",
			    "this host mounts no net_cls");
	}
	apply(&real, "{\"unified\":{\"pids.max\":\"5\"}}", false, &r);
	check_error(&r, "invalid configuration: cannot use unified on cgroup v1", "unified on this hybrid host");
}

static void test_real_devices_v1(void)
{
	struct rx_resources_opts o = { 0 };
	struct result r;
	char want[512];
	pid_t pid;
	int go, status;
	const char *dev;

	if (!have_real)
		return;
	dev = real_dir("devices");
	apply_with(&real, "{\"devices\":[{\"allow\":false,\"access\":\"rwm\"}]}", o, &r);
	pid = spawn(OPEN_NULL, &go);
	status = enter_and_wait(pid, go, true);
	is_int(WIFEXITED(status) ? WEXITSTATUS(status) : -1, EPERM,
	       "after a deny-all, opening /dev/null fails with EPERM");
	{
		cleanup_free char *list = kernel_value("devices", "devices.list");
		is_str(list, "", "devices.list is empty");
	}

	apply_with(&real, "{\"devices\":[{\"allow\":false,\"access\":\"rwm\"},"
			  "{\"allow\":true,\"type\":\"c\",\"major\":1,\"minor\":3,\"access\":\"rwm\"}]}", o, &r);
	snprintf(want, sizeof want, "%s/devices.allow=c 1:3 rwm\n", dev);
	is_str(r.writes.text, want, "allowing /dev/null writes one rule, no deny-all again");
	pid = spawn(OPEN_NULL, &go);
	status = enter_and_wait(pid, go, true);
	is_int(WIFEXITED(status) ? WEXITSTATUS(status) : -1, 0, "then /dev/null opens");
	pid = spawn(OPEN_ZERO, &go);
	status = enter_and_wait(pid, go, true);
	is_int(WIFEXITED(status) ? WEXITSTATUS(status) : -1, EPERM, "and /dev/zero still does not");

	apply_with(&real, "{\"devices\":[{\"allow\":false,\"access\":\"rwm\"},"
			  "{\"allow\":true,\"type\":\"c\",\"major\":1,\"minor\":3,\"access\":\"rwm\"}]}", o, &r);
	ok(r.rc == 0 && r.writes.count == 0, "the same rules again: nothing written");

	o.update = true;
	apply_with(&real, "{\"devices\":[{\"allow\":true,\"access\":\"rwm\"}]}", o, &r);
	ok(r.rc == 0 && r.writes.count == 0, "update never touches the device rules");

	o.update = false;
	o.default_devices = true;
	apply_with(&real, "{\"devices\":[{\"allow\":false,\"access\":\"rwm\"}]}", o, &r);
	{
		cleanup_free char *list = kernel_value("devices", "devices.list");
		const char *need[] = { "c *:* m", "b *:* m", "c 1:3 rwm", "c 1:8 rwm", "c 1:7 rwm", "c 5:0 rwm",
				       "c 1:5 rwm", "c 1:9 rwm", "c 136:* rwm", "c 5:2 rwm", "c 10:200 rwm" };
		int found = 0, lines = 0;
		for (size_t i = 0; i < sizeof need / sizeof *need; i++)
			found += list != NULL && strstr(list, need[i]) != NULL;
		for (const char *p = list; p != NULL && *p != '\0'; p++)
			lines += *p == '\n';
		ok(r.rc == 0 && found == 11 && lines + 1 == 11, "with runc's default devices: exactly its 11 rules listed");
	}
	pid = spawn(OPEN_ZERO, &go);
	status = enter_and_wait(pid, go, true);
	is_int(WIFEXITED(status) ? WEXITSTATUS(status) : -1, 0, "runc's defaults allow /dev/zero");
	apply_with(&real, "{\"devices\":[{\"allow\":true,\"type\":\"c\",\"major\":1,\"minor\":3,\"access\":\"w\"},"
			  "{\"allow\":true,\"access\":\"rwm\"}]}", o, &r);
	{
		cleanup_free char *list = kernel_value("devices", "devices.list");
		is_str(list, "a *:* rwm", "rules ending in allow-all put the cgroup back to allow-all");
	}
}

/* A device program on a cgroup2 directory: the hybrid's unified hierarchy
 * has no controllers, but device programs attach to any cgroup2 directory. */
static void test_real_bpf(void)
{
	cleanup_error mr_error *err = NULL;
	struct rx_cgroup_dir d;
	struct rx_cgroups cg = { &d, 1, true };
	struct rx_resources_opts o = { 0 };
	struct statfs st;
	struct result r;
	char procs[300];
	size_t count = 0;
	int status, dfd;
	pid_t pid;

	if (geteuid() != 0 || statfs("/sys/fs/cgroup/unified", &st) < 0 || st.f_type != CGROUP2_SUPER_MAGIC) {
		ok(1, "# SKIP needs root and a cgroup2 mount at /sys/fs/cgroup/unified");
		return;
	}
	snprintf(unified_dir, sizeof unified_dir, "/sys/fs/cgroup/unified/mockrunc-unit-bpf-%d", (int)getpid());
	if (mkdir(unified_dir, 0755) < 0) {
		ok(0, "mkdir %s: %s", unified_dir, strerror(errno));
		unified_dir[0] = '\0';
		return;
	}
	d = (struct rx_cgroup_dir){ "", "", unified_dir, true };
	snprintf(procs, sizeof procs, "%s/cgroup.procs", unified_dir);

	apply_with(&cg, "{\"devices\":[{\"allow\":false,\"access\":\"rwm\"},"
			"{\"allow\":true,\"type\":\"c\",\"major\":1,\"minor\":5,\"access\":\"rwm\"}]}", o, &r);
	ok(r.rc == 0, "device program loaded and attached to a cgroup2 directory%s%s", r.rc ? ": " : "", r.error);
	for (int k = 0; k < 2; k++) {
		int fd, go;
		char buf[16];
		pid = spawn(k == 0 ? OPEN_NULL : OPEN_ZERO, &go);
		fd = open(procs, O_WRONLY);
		snprintf(buf, sizeof buf, "%d", (int)pid);
		if (fd < 0 || write(fd, buf, strlen(buf)) < 0)
			printf("# moving %d: %s\n", (int)pid, strerror(errno));
		if (fd >= 0)
			close(fd);
		(void)!write(go, "g", 1);
		close(go);
		waitpid(pid, &status, 0);
		nkids--;
		if (k == 0)
			is_int(WIFEXITED(status) ? WEXITSTATUS(status) : -1, EPERM, "the program denies /dev/null: EPERM");
		else
			is_int(WIFEXITED(status) ? WEXITSTATUS(status) : -1, 0, "the program allows /dev/zero");
	}
	apply_with(&cg, "{\"devices\":[{\"allow\":false,\"access\":\"rwm\"},"
			"{\"allow\":true,\"type\":\"c\",\"major\":1,\"minor\":3,\"access\":\"rwm\"}]}", o, &r);
	dfd = open(unified_dir, O_DIRECTORY | O_RDONLY);
	ok(r.rc == 0 && rx_dev_bpf_count(dfd, &count, &err) == 0 && count == 1,
	   "applying new rules replaces the program (one attached)");
	if (dfd >= 0)
		close(dfd);
	{
		int fd, go;
		char buf[16];
		pid = spawn(OPEN_NULL, &go);
		fd = open(procs, O_WRONLY);
		snprintf(buf, sizeof buf, "%d", (int)pid);
		if (fd >= 0) {
			(void)!write(fd, buf, strlen(buf));
			close(fd);
		}
		(void)!write(go, "g", 1);
		close(go);
		waitpid(pid, &status, 0);
		nkids--;
		is_int(WIFEXITED(status) ? WEXITSTATUS(status) : -1, 0, "with the new program /dev/null opens");
	}
}

int main(void)
{
	if (mkdtemp(tmp) == NULL)
		return 1;
	atexit(cleanup_all);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGALRM, on_signal);
	alarm(300);

	test_conversions();
	test_fake_v1();
	test_fake_v2();
	test_devices_emulation();
	test_real_v1();
	test_real_devices_v1();
	test_real_bpf();
	cleanup_all();
	return tap_done();
}
