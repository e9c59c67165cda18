/* realexec/stats: the `runc events --stats` line from a fake v1 tree and a
 * fake v2 tree (exact text), from a real scratch v1 cgroup with a process
 * in it, and OOM notifications (v1 eventfd on the real hierarchy, v2
 * inotify on a fake memory.events). Every cgroup is removed at exit. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/magic.h>

#include "tests/unit/tap.h"
#include "common/cleanup.h"
#include "common/error.h"
#include "common/file.h"
#include "common/json.h"
#include "realexec/cgroups.h"
#include "realexec/resources.h"
#include "realexec/stats.h"

static char tmp[] = "/tmp/mockrunc-stats-XXXXXX";

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

static char *event_line(const struct rx_cgroups *cg, char **error)
{
	cleanup_error mr_error *err = NULL;
	cleanup_json json_t *data = NULL;

	*error = NULL;
	if (rx_stats_read_with(cg, at("hugepages"), &data, &err) < 0) {
		*error = strdup(err->msg);
		return NULL;
	}
	return rx_stats_event_json("stats", "c1", data);
}

static void test_fake_v1(void)
{
	static const char *const names[] = { "cpuset", "memory", "cpu", "cpuacct", "pids", "blkio", "hugetlb",
					     "devices" };
	struct rx_cgroup_dir dirs[8];
	struct rx_cgroups cg = { dirs, 8, false };
	char *e, *line;

	for (int i = 0; i < 8; i++)
		dirs[i] = (struct rx_cgroup_dir){ (char *)names[i], (char *)names[i], strdup(at("v1/%s/c", names[i])),
						  false };
	put("hugepages/hugepages-2048kB/nr_hugepages", "0\n");
	put("v1/cpuset/c/cpuset.cpus", "0-1\n");
	put("v1/cpuset/c/cpuset.mems", "0\n");
	put("v1/cpuset/c/cpuset.cpu_exclusive", "0\n");
	put("v1/cpuset/c/cpuset.mem_hardwall", "0\n");
	put("v1/cpuset/c/cpuset.mem_exclusive", "0\n");
	put("v1/cpuset/c/cpuset.memory_migrate", "0\n");
	put("v1/cpuset/c/cpuset.memory_spread_page", "0\n");
	put("v1/cpuset/c/cpuset.memory_spread_slab", "0\n");
	put("v1/cpuset/c/cpuset.memory_pressure", "0\n");
	put("v1/cpuset/c/cpuset.sched_load_balance", "1\n");
	put("v1/cpuset/c/cpuset.sched_relax_domain_level", "-1\n");
	put("v1/memory/c/memory.stat", "cache 8192\nrss 4096\ntotal_cache 8192\n"
				       "hierarchical_memory_limit 9223372036854771712\n");
	put("v1/memory/c/memory.usage_in_bytes", "12288\n");
	put("v1/memory/c/memory.max_usage_in_bytes", "20480\n");
	put("v1/memory/c/memory.failcnt", "3\n");
	put("v1/memory/c/memory.limit_in_bytes", "67108864\n");
	put("v1/memory/c/memory.memsw.usage_in_bytes", "12288\n");
	put("v1/memory/c/memory.memsw.max_usage_in_bytes", "20480\n");
	put("v1/memory/c/memory.memsw.failcnt", "0\n");
	put("v1/memory/c/memory.memsw.limit_in_bytes", "134217728\n");
	put("v1/memory/c/memory.kmem.usage_in_bytes", "1000\n");
	put("v1/memory/c/memory.kmem.max_usage_in_bytes", "2000\n");
	put("v1/memory/c/memory.kmem.failcnt", "0\n");
	put("v1/memory/c/memory.kmem.tcp.usage_in_bytes", "0\n");
	put("v1/memory/c/memory.kmem.tcp.max_usage_in_bytes", "0\n");
	put("v1/memory/c/memory.kmem.tcp.failcnt", "0\n");
	put("v1/memory/c/memory.kmem.tcp.limit_in_bytes", "9223372036854771712\n");
	put("v1/memory/c/memory.use_hierarchy", "1\n");
	put("v1/cpu/c/cpu.stat", "nr_periods 10\nnr_throttled 2\nthrottled_time 3000\n");
	put("v1/cpuacct/c/cpuacct.stat", "user 10\nsystem 5\n");
	put("v1/cpuacct/c/cpuacct.usage", "123456789\n");
	put("v1/cpuacct/c/cpuacct.usage_percpu", "100 200 \n");
	put("v1/cpuacct/c/cpuacct.usage_all", "cpu user system\n0 60 40\n1 120 80\n");
	put("v1/pids/c/pids.current", "3\n");
	put("v1/pids/c/pids.max", "max\n");
	put("v1/blkio/c/blkio.throttle.io_serviced_recursive",
	    "8:0 Read 10\n8:0 Write 5\n8:0 Sync 0\n8:0 Async 15\n8:0 Total 15\nTotal 15\n");
	put("v1/blkio/c/blkio.throttle.io_service_bytes_recursive", "8:0 Read 4096\n8:0 Write 2048\nTotal 6144\n");
	put("v1/hugetlb/c/hugetlb.2MB.usage_in_bytes", "2097152\n");
	put("v1/hugetlb/c/hugetlb.2MB.max_usage_in_bytes", "4194304\n");
	put("v1/hugetlb/c/hugetlb.2MB.failcnt", "1\n");
	mkdir(at("v1/devices/c"), 0755);

	line = event_line(&cg, &e);
	is_str(line,
	       "{\"type\":\"stats\",\"id\":\"c1\",\"data\":{"
	       "\"cpu\":{\"usage\":{\"total\":123456789,\"percpu\":[100,200],\"percpu_kernel\":[40,80],"
	       "\"percpu_user\":[60,120],\"kernel\":50000000,\"user\":100000000},"
	       "\"throttling\":{\"periods\":10,\"throttledPeriods\":2,\"throttledTime\":3000}},"
	       "\"cpuset\":{\"cpus\":[0,1],\"cpu_exclusive\":0,\"mems\":[0],\"mem_hardwall\":0,\"mem_exclusive\":0,"
	       "\"memory_migrate\":0,\"memory_spread_page\":0,\"memory_spread_slab\":0,\"memory_pressure\":0,"
	       "\"sched_load_balance\":1,\"sched_relax_domain_level\":-1},"
	       "\"memory\":{\"cache\":8192,\"usage\":{\"limit\":67108864,\"usage\":12288,\"max\":20480,\"failcnt\":3},"
	       "\"swap\":{\"limit\":134217728,\"usage\":12288,\"max\":20480,\"failcnt\":0},"
	       "\"kernel\":{\"limit\":0,\"usage\":1000,\"max\":2000,\"failcnt\":0},"
	       "\"kernelTCP\":{\"limit\":9223372036854771712,\"failcnt\":0},"
	       "\"raw\":{\"cache\":8192,\"hierarchical_memory_limit\":9223372036854771712,\"rss\":4096,"
	       "\"total_cache\":8192}},"
	       "\"pids\":{\"current\":3},"
	       "\"blkio\":{\"ioServiceBytesRecursive\":[{\"major\":8,\"op\":\"Read\",\"value\":4096},"
	       "{\"major\":8,\"op\":\"Write\",\"value\":2048}],"
	       "\"ioServicedRecursive\":[{\"major\":8,\"op\":\"Read\",\"value\":10},"
	       "{\"major\":8,\"op\":\"Write\",\"value\":5},{\"major\":8,\"op\":\"Sync\"},"
	       "{\"major\":8,\"op\":\"Async\",\"value\":15},{\"major\":8,\"op\":\"Total\",\"value\":15}]},"
	       "\"hugetlb\":{\"2MB\":{\"usage\":2097152,\"max\":4194304,\"failcnt\":1}},"
	       "\"intel_rdt\":{},\"network_interfaces\":null}}\n",
	       "v1: runc's keys, order and omissions; ticks and usec converted");
	free(line);
	free(e);

	/* An empty cgroup: what runc leaves out. */
	put("v1/cpu/c/cpu.stat", "nr_periods 0\nnr_throttled 0\nthrottled_time 0\n");
	put("v1/pids/c/pids.current", "0\n");
	unlink(at("v1/memory/c/memory.stat"));
	unlink(at("v1/blkio/c/blkio.throttle.io_serviced_recursive"));
	line = event_line(&cg, &e);
	ok(line != NULL && strstr(line, "\"throttling\"") == NULL && strstr(line, "\"pids\":{}") != NULL &&
	   strstr(line, "\"memory\":{}") != NULL && strstr(line, "\"blkio\":{}") != NULL,
	   "v1: zero throttling, pids and a memory cgroup without memory.stat are left out");
	free(line);
	free(e);

	unlink(at("v1/pids/c/pids.max"));
	line = event_line(&cg, &e);
	{
		char want[600];
		snprintf(want, sizeof want, "openat2 %s: no such file or directory", at("v1/pids/c/pids.max"));
		ok(line == NULL, "v1: a missing pids.max fails the read");
		is_str(e, want, "... naming the file");
	}
	free(line);
	free(e);
	for (int i = 0; i < 8; i++)
		free(dirs[i].path);
}

static void test_fake_v2(void)
{
	struct rx_cgroup_dir d = { "", "", NULL, true };
	struct rx_cgroups cg = { &d, 1, true };
	char *e, *line;

	d.path = strdup(at("v2/c"));
	put("v2/c/cgroup.procs", "12\n34\n");
	put("v2/c/pids.current", "2\n");
	put("v2/c/pids.max", "100\n");
	put("v2/c/memory.stat", "anon 4096\nfile 8192\nkernel 512\n");
	put("v2/c/memory.current", "12288\n");
	put("v2/c/memory.max", "max\n");
	put("v2/c/memory.peak", "16384\n");
	put("v2/c/memory.swap.current", "0\n");
	put("v2/c/memory.swap.max", "max\n");
	put("v2/c/memory.pressure", "some avg10=0.12 avg60=0.00 avg300=1.50 total=42\n"
				    "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n");
	put("v2/c/io.stat", "8:0 rbytes=4096 wbytes=2048 rios=1 wios=2 dbytes=0 dios=0\n");
	put("v2/c/io.pressure", "some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"
				"full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n");
	put("v2/c/cpu.stat", "usage_usec 1500\nuser_usec 1000\nsystem_usec 500\nnr_periods 0\nnr_throttled 0\n"
			     "throttled_usec 0\nnr_bursts 0\nburst_usec 0\n");
	put("v2/c/cpu.pressure", "some avg10=0.00 avg60=0.00 avg300=0.00 total=7\n");
	put("v2/c/hugetlb.2MB.current", "0\n");
	put("v2/c/hugetlb.2MB.events", "max 0\n");

	line = event_line(&cg, &e);
	is_str(line,
	       "{\"type\":\"stats\",\"id\":\"c1\",\"data\":{"
	       "\"cpu\":{\"usage\":{\"total\":1500000,\"kernel\":500000,\"user\":1000000},"
	       "\"psi\":{\"some\":{\"avg10\":0,\"avg60\":0,\"avg300\":0,\"total\":7}}},"
	       "\"cpuset\":{\"cpu_exclusive\":0,\"mem_hardwall\":0,\"mem_exclusive\":0,\"memory_migrate\":0,"
	       "\"memory_spread_page\":0,\"memory_spread_slab\":0,\"memory_pressure\":0,\"sched_load_balance\":0,"
	       "\"sched_relax_domain_level\":0},"
	       "\"memory\":{\"cache\":8192,\"usage\":{\"limit\":18446744073709551615,\"usage\":12288,\"max\":16384,"
	       "\"failcnt\":0},\"swap\":{\"limit\":18446744073709551615,\"usage\":12288,\"failcnt\":0},"
	       "\"raw\":{\"anon\":4096,\"file\":8192,\"kernel\":512},"
	       "\"psi\":{\"some\":{\"avg10\":0.12,\"avg60\":0,\"avg300\":1.5,\"total\":42}}},"
	       "\"pids\":{\"current\":2,\"limit\":100},"
	       "\"blkio\":{\"ioServiceBytesRecursive\":[{\"major\":8,\"op\":\"Read\",\"value\":4096},"
	       "{\"major\":8,\"op\":\"Write\",\"value\":2048}],"
	       "\"ioServicedRecursive\":[{\"major\":8,\"op\":\"Read\",\"value\":1},"
	       "{\"major\":8,\"op\":\"Write\",\"value\":2}],\"psi\":{}},"
	       "\"hugetlb\":{\"2MB\":{\"failcnt\":0}},\"intel_rdt\":{},\"network_interfaces\":null}}\n",
	       "v2: usec to nsec, swap as memory+swap, \"max\" as 2^64-1, PSI, io.stat by device");
	free(line);
	free(e);

	/* Controllers not enabled: their files are missing, which is no error. */
	unlink(at("v2/c/pids.current"));
	unlink(at("v2/c/memory.stat"));
	unlink(at("v2/c/io.stat"));
	unlink(at("v2/c/hugetlb.2MB.current"));
	line = event_line(&cg, &e);
	ok(line != NULL && strstr(line, "\"pids\":{\"current\":2}") != NULL &&
	   strstr(line, "\"memory\":{\"psi\"") != NULL && strstr(line, "\"hugetlb\":{}") != NULL,
	   "v2 without pids/memory/io/hugetlb controllers: pids counted from cgroup.procs, the rest left out");
	free(line);
	free(e);

	put("v2/c/cpu.stat", "usage_usec x\n");
	line = event_line(&cg, &e);
	{
		char want[700];
		snprintf(want, sizeof want, "error while statting cgroup v2: [unable to parse %s: line is not in "
					    "\"key value\" format]", at("v2/c/cpu.stat"));
		ok(line == NULL, "v2: a malformed cpu.stat fails the read");
		is_str(e, want, "... as runc reports v2 failures");
	}
	free(line);
	free(e);
	free(d.path);
}

static void test_event_lines(void)
{
	char *line = rx_stats_event_json("oom", "abc", NULL);

	is_str(line, "{\"type\":\"oom\",\"id\":\"abc\"}\n", "an oom event has no data");
	free(line);
}

static int wait_readable(int fd, int ms)
{
	struct pollfd p = { fd, POLLIN, 0 };

	return poll(&p, 1, ms);
}

static void test_oom_v2_fake(void)
{
	struct rx_cgroup_dir d = { "", "", NULL, true };
	struct rx_cgroups cg = { &d, 1, true };
	struct rx_oom_watch w;
	cleanup_error mr_error *err = NULL;
	unsigned ooms = 0;
	bool gone = false;

	d.path = strdup(at("oom2/c"));
	put("oom2/c/memory.events", "low 0\nhigh 0\nmax 0\noom 1\noom_kill 1\n");
	put("oom2/c/cgroup.events", "populated 1\nfrozen 0\n");
	ok(rx_oom_watch_open(&cg, &w, &err) == 0, "v2 OOM watch on memory.events and cgroup.events");
	put("oom2/c/memory.events", "low 0\nhigh 0\nmax 3\noom 3\noom_kill 3\n");
	ok(wait_readable(w.fd, 2000) == 1, "memory.events changed: the watch fd is readable");
	ok(rx_oom_watch_read(&w, &ooms, &gone, &err) == 0 && ooms == 2 && !gone,
	   "two new OOM kills reported (the one before the watch is not)");
	put("oom2/c/memory.events", "low 0\nhigh 1\nmax 3\noom 3\noom_kill 3\n");
	wait_readable(w.fd, 2000);
	ok(rx_oom_watch_read(&w, &ooms, &gone, &err) == 0 && ooms == 0,
	   "another memory event without a kill: no OOM");
	put("oom2/c/cgroup.events", "populated 0\nfrozen 0\n");
	wait_readable(w.fd, 2000);
	ok(rx_oom_watch_read(&w, &ooms, &gone, &err) == 0 && gone, "the cgroup emptied: the watch ends");
	rx_oom_watch_close(&w);
	free(d.path);

	{
		struct rx_cgroup_dir none = { "cpu", "cpu", "/nonexistent", false };
		struct rx_cgroups nocg = { &none, 1, false };
		ok(rx_oom_watch_open(&nocg, &w, &err) < 0, "no memory cgroup: no watch");
		is_str(err ? err->msg : NULL, "memory controller missing", "... runc's message");
	}
}

/* ---- the real v1 hierarchy ------------------------------------------------ */

static struct rx_cgroups real;
static bool have_real;
static pid_t kids[8];
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

/* A child moved into the cgroup before it acts: busy (touches 4M, burns
 * CPU, then waits) or hungry (touches 64M). */
static pid_t spawn_in_cgroup(bool hungry)
{
	cleanup_error mr_error *err = NULL;
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
		{
			/* v1 charges memory to the cgroup a page is touched in. */
			size_t size = (hungry ? 64 : 4) << 20;
			char *p = malloc(size);
			for (size_t i = 0; p != NULL && i < size; i += 4096)
				p[i] = 1;
			if (hungry)
				_exit(0);
		}
		{
			struct timespec t0, t;
			volatile unsigned long spin = 0;
			clock_gettime(CLOCK_MONOTONIC, &t0);
			do {
				spin++;
				clock_gettime(CLOCK_MONOTONIC, &t);
			} while ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 < 200);
			pause();
		}
		_exit(0);
	}
	close(fds[0]);
	kids[nkids++] = pid;
	if (rx_cgroups_enter(&real, pid, NULL, &err) < 0)
		printf("# enter: %s\n", err->msg);
	(void)!write(fds[1], "g", 1);
	close(fds[1]);
	return pid;
}

static void test_real(void)
{
	cleanup_error mr_error *err = NULL;
	cleanup_json json_t *data = NULL;
	struct statfs st;
	char name[64];
	pid_t pid;

	if (geteuid() != 0 || statfs("/sys/fs/cgroup", &st) < 0 || st.f_type == CGROUP2_SUPER_MAGIC ||
	    access("/sys/fs/cgroup/memory/memory.stat", F_OK) < 0 || access("/sys/fs/cgroup/cpuacct", F_OK) < 0) {
		ok(1, "# SKIP needs root and the cgroup v1 controllers");
		return;
	}
	snprintf(name, sizeof name, "/mockrunc-unit-stats-%d", (int)getpid());
	if (rx_cgroups_resolve(name, "x", false, &real, &err) < 0) {
		ok(0, "resolve: %s", err->msg);
		return;
	}
	have_real = true;
	spawn_in_cgroup(false);
	usleep(400000);
	ok(rx_stats_read(&real, &data, &err) == 0, "stats of a scratch v1 cgroup with a busy process%s%s",
	   err ? ": " : "", err ? err->msg : "");
	if (data != NULL) {
		const char *order[] = { "cpu", "cpuset", "memory", "pids", "blkio", "hugetlb", "intel_rdt",
					"network_interfaces" };
		const char *k;
		json_t *v;
		int i = 0, in_order = 1;
		json_object_foreach(data, k, v) {
			in_order &= i < 8 && strcmp(k, order[i]) == 0;
			i++;
		}
		ok(in_order && i == 8, "data has runc's eight keys in runc's order");
		ok(json_integer_value(mr_json_path(data, "cpu.usage.total")) > 0, "cpu.usage.total > 0 (%lld ns)",
		   (long long)json_integer_value(mr_json_path(data, "cpu.usage.total")));
		ok(json_array_size(mr_json_path(data, "cpu.usage.percpu")) >= 1, "per-CPU usage listed");
		ok(json_integer_value(mr_json_path(data, "pids.current")) >= 1, "pids.current >= 1 (%lld)",
		   (long long)json_integer_value(mr_json_path(data, "pids.current")));
		ok(json_integer_value(mr_json_path(data, "memory.usage.usage")) > 0, "memory.usage.usage > 0");
		ok(json_integer_value(mr_json_path(data, "memory.usage.limit")) > 0, "memory.usage.limit read");
		ok(json_array_size(mr_json_path(data, "cpuset.cpus")) >= 1, "cpuset.cpus listed");
		ok(json_object_get(mr_json_path(data, "memory"), "raw") != NULL, "memory.raw from memory.stat");
	}
	cleanup_cgroups();

	/* OOM notifications through the v1 eventfd. */
	snprintf(name, sizeof name, "/mockrunc-unit-oom-%d", (int)getpid());
	if (rx_cgroups_resolve(name, "x", false, &real, &err) < 0)
		return;
	have_real = true;
	pid = spawn_in_cgroup(false);
	{
		struct rx_resources_opts o = { .skip_devices = true };
		cleanup_json json_t *r = json_pack("{s:{s:I,s:I}}", "memory", "limit", (json_int_t)33554432,
						   "swap", (json_int_t)33554432);
		struct rx_oom_watch w;
		unsigned ooms = 0, total = 0;
		bool gone = false;
		int status = 0;
		ok(rx_resources_apply(&real, r, &o, &err) == 0, "memory limit 32M on the scratch cgroup");
		ok(rx_oom_watch_open(&real, &w, &err) == 0, "v1 OOM watch (eventfd + cgroup.event_control)%s%s",
		   err ? ": " : "", err ? err->msg : "");
		pid = spawn_in_cgroup(true);
		waitpid(pid, &status, 0);
		nkids--;
		ok(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "a process touching 64M is OOM-killed");
		for (int i = 0; i < 10 && total == 0 && wait_readable(w.fd, 500) == 1; i++)
			if (rx_oom_watch_read(&w, &ooms, &gone, &err) == 0)
				total += ooms;
		ok(total >= 1, "the watch reports the OOM (%u)", total);
		{
			cleanup_json json_t *d = NULL;
			rx_stats_read(&real, &d, &err);
			is_int(json_integer_value(mr_json_path(d, "memory.usage.max")), 33554432,
			       "memory.usage.max shows the usage reached the limit");
			is_int(json_integer_value(mr_json_path(d, "memory.usage.limit")), 33554432,
			       "memory.usage.limit is the limit");
		}
		cleanup_cgroups();
		gone = false;
		for (int i = 0; i < 10 && !gone && wait_readable(w.fd, 500) == 1; i++)
			rx_oom_watch_read(&w, &ooms, &gone, &err);
		ok(gone, "removing the cgroup ends the watch");
		rx_oom_watch_close(&w);
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
	alarm(120);

	test_fake_v1();
	test_fake_v2();
	test_event_lines();
	test_oom_v2_fake();
	test_real();
	cleanup_all();
	return tap_done();
}
