#include "realexec/stats.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/file.h"
#include "common/json.h"
#include "realexec/resources.h"

/* ---- what is collected ----------------------------------------------- */

struct u64v {
	uint64_t *v;
	size_t n;
	bool present;   /* Go distinguishes a nil slice from an empty one */
};

struct psi_data {
	double avg10, avg60, avg300;
	uint64_t total;
};

struct psi {
	bool present;
	struct psi_data some, full;
};

struct mem_entry {
	uint64_t limit, usage, max, failcnt;
};

struct blkio_entry {
	uint64_t major, minor, value;
	char op[16];
};

struct blkio_list {
	struct blkio_entry *v;
	size_t n;
};

enum {
	B_SERVICE_BYTES, B_SERVICED, B_QUEUED, B_SERVICE_TIME, B_WAIT_TIME, B_MERGED, B_TIME,
	B_SECTORS, B_COUNT
};

static const char *const blkio_keys[B_COUNT] = {
	"ioServiceBytesRecursive", "ioServicedRecursive", "ioQueueRecursive",
	"ioServiceTimeRecursive", "ioWaitTimeRecursive", "ioMergedRecursive", "ioTimeRecursive",
	"sectorsRecursive",
};

struct hugetlb_entry {
	char size[24];
	uint64_t usage, max, failcnt;
};

struct stats {
	uint64_t total, kernel, user;
	struct u64v percpu, percpu_kernel, percpu_user;
	uint64_t periods, throttled_periods, throttled_time;
	struct psi cpu_psi, mem_psi, io_psi;

	struct u64v cpus, mems;
	uint64_t cpu_exclusive, mem_hardwall, mem_exclusive, memory_migrate, memory_spread_page,
		memory_spread_slab, memory_pressure, sched_load_balance;
	int64_t sched_relax_domain_level;

	uint64_t cache;
	struct mem_entry usage, swap, kmem, kmem_tcp;
	json_t *raw;

	uint64_t pids_current, pids_limit;
	struct blkio_list blkio[B_COUNT];
	struct hugetlb_entry *hugetlb;
	size_t nhugetlb;
};

static void stats_free(struct stats *s)
{
	free(s->percpu.v);
	free(s->percpu_kernel.v);
	free(s->percpu_user.v);
	free(s->cpus.v);
	free(s->mems.v);
	json_decref(s->raw);
	for (int i = 0; i < B_COUNT; i++)
		free(s->blkio[i].v);
	free(s->hugetlb);
}

static int push_u64(struct u64v *l, uint64_t v)
{
	uint64_t *g = realloc(l->v, (l->n + 1) * sizeof *g);

	if (g == NULL)
		return -1;
	l->v = g;
	l->v[l->n++] = v;
	l->present = true;
	return 0;
}

/* ---- reading cgroup files -------------------------------------------- */

/* Reads dir/file: 0, or 1 when it is missing and missing_ok, or -1. */
static int read_text(const char *dir, const char *file, bool missing_ok, char **out, mr_error **err)
{
	cleanup_free char *path = mr_path_join(dir, file);
	cleanup_close int fd = -1;
	size_t len = 0;

	if (path == NULL)
		return mr_error_set(err, ENOMEM, "stats");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT && missing_ok)
			return 1;
		return mr_error_set(err, errno, "openat2 %s", path);
	}
	if (mr_read_fd(fd, out, &len, err) < 0)
		return mr_error_wrap(err, "read %s", path);
	return 0;
}

static int parse_error(const char *dir, const char *file, const char *why, mr_error **err)
{
	cleanup_free char *path = mr_path_join(dir, file);

	return mr_error_set(err, 0, "unable to parse %s: %s", path != NULL ? path : file, why);
}

/* Go's ParseUint as runc uses it: negative values (kernel bugs) read as 0. */
static bool parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (*s == '-') {
		errno = 0;
		(void)strtoll(s, &end, 10);
		if (end == s || *end != '\0')
			return false;
		*v = 0;
		return true;
	}
	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return errno == 0 && *end == '\0';
}

static void trim(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
}

/* One number; "max" is 2^64-1. 0, 1 (missing and missing_ok) or -1. */
static int read_u64(const char *dir, const char *file, bool missing_ok, uint64_t *v,
		    mr_error **err)
{
	cleanup_free char *s = NULL;
	int rc = read_text(dir, file, missing_ok, &s, err);

	if (rc != 0)
		return rc;
	trim(s);
	if (strcmp(s, "max") == 0) {
		*v = UINT64_MAX;
		return 0;
	}
	if (!parse_u64(s, v))
		return parse_error(dir, file, "invalid syntax", err);
	return 0;
}

/* The value of key in a "key value" file, 0 when absent. */
static int read_keyed(const char *dir, const char *file, const char *key, bool missing_ok,
		      uint64_t *v, mr_error **err)
{
	cleanup_free char *s = NULL;
	size_t n = strlen(key);
	char *save = NULL;

	int rc;

	*v = 0;
	rc = read_text(dir, file, missing_ok, &s, err);
	if (rc != 0)
		return rc;
	for (char *line = strtok_r(s, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, key, n) == 0 && line[n] == ' ') {
			if (!parse_u64(line + n + 1, v))
				return parse_error(dir, file, "invalid syntax", err);
			return 0;
		}
	}
	return 0;
}

/* "0-3,7" -> 0 1 2 3 7. */
static int read_list(const char *dir, const char *file, struct u64v *out, mr_error **err)
{
	cleanup_free char *s = NULL;
	char *save = NULL;
	int rc = read_text(dir, file, true, &s, err);

	if (rc != 0)
		return rc < 0 ? -1 : 0;
	trim(s);
	if (*s == '\0')
		return parse_error(dir, file, "empty file", err);
	for (char *t = strtok_r(s, ",", &save); t != NULL; t = strtok_r(NULL, ",", &save)) {
		unsigned long a, b;
		char tail;
		int k = sscanf(t, "%lu-%lu%c", &a, &b, &tail);
		if (k == 1)
			b = a;
		else if (k != 2)
			return parse_error(dir, file, "invalid syntax", err);
		if (a > b || b > 65535)
			return parse_error(dir, file, "invalid values, from > to", err);
		for (unsigned long i = a; i <= b; i++)
			if (push_u64(out, i) < 0)
				return mr_error_set(err, ENOMEM, "stats");
	}
	return 0;
}

static int read_psi(const char *dir, const char *file, struct psi *p, mr_error **err)
{
	cleanup_free char *s = NULL;
	char *save = NULL;
	/* Absent: an old kernel, no CONFIG_PSI, or switched off for the cgroup. */
	int rc = read_text(dir, file, true, &s, err);

	if (rc != 0)
		return rc < 0 ? -1 : 0;
	for (char *line = strtok_r(s, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		struct psi_data d = { 0 };
		char kind[8];
		unsigned long long total;
		if (sscanf(line, "%7s avg10=%lf avg60=%lf avg300=%lf total=%llu", kind, &d.avg10,
			   &d.avg60, &d.avg300, &total) != 5)
			return parse_error(dir, file, "invalid psi data", err);
		d.total = total;
		if (strcmp(kind, "some") == 0)
			p->some = d;
		else if (strcmp(kind, "full") == 0)
			p->full = d;
	}
	p->present = true;
	return 0;
}

static bool dir_exists(const char *dir)
{
	return dir != NULL && access(dir, F_OK) == 0;
}

/* ---- cgroup v1 -------------------------------------------------------- */

static int v1_cpuset(const char *dir, struct stats *s, mr_error **err)
{
	static const char *const names[] = {
		"cpuset.cpu_exclusive", "cpuset.mem_hardwall", "cpuset.mem_exclusive",
		"cpuset.memory_migrate", "cpuset.memory_spread_page", "cpuset.memory_spread_slab",
		"cpuset.memory_pressure", "cpuset.sched_load_balance",
	};
	uint64_t *const slots[] = {
		&s->cpu_exclusive, &s->mem_hardwall, &s->mem_exclusive, &s->memory_migrate,
		&s->memory_spread_page, &s->memory_spread_slab, &s->memory_pressure,
		&s->sched_load_balance,
	};
	cleanup_free char *relax = NULL;

	if (read_list(dir, "cpuset.cpus", &s->cpus, err) < 0 ||
	    read_list(dir, "cpuset.mems", &s->mems, err) < 0)
		return -1;
	int rc;

	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (read_u64(dir, names[i], true, slots[i], err) < 0)
			return -1;
	rc = read_text(dir, "cpuset.sched_relax_domain_level", true, &relax, err);
	if (rc == 0) {
		char *end;
		trim(relax);
		s->sched_relax_domain_level = strtoll(relax, &end, 10);
		if (end == relax || *end != '\0')
			return parse_error(dir, "cpuset.sched_relax_domain_level", "invalid syntax", err);
	}
	return rc < 0 ? -1 : 0;
}

static int key_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* memory.stat: every line into raw, sorted as Go sorts map keys. */
static int read_raw(const char *dir, const char *file, struct stats *s, mr_error **err)
{
	cleanup_free char *text = NULL;
	char *save = NULL;
	const char **keys = NULL;
	size_t n = 0;
	json_t *tmp = json_object();

	if (tmp == NULL)
		return mr_error_set(err, ENOMEM, "stats");
	if (read_text(dir, file, false, &text, err) < 0) {
		json_decref(tmp);
		return -1;
	}
	for (char *line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		char *sp = strchr(line, ' ');
		uint64_t v;
		if (sp == NULL || sp == line || !parse_u64(sp + 1, &v)) {
			json_decref(tmp);
			return parse_error(dir, file, "line is not in \"key value\" format", err);
		}
		*sp = '\0';
		json_object_set_new(tmp, line, json_integer(v > INT64_MAX ? RX_STATS_U64_MAX : (json_int_t)v));
	}
	keys = calloc(json_object_size(tmp) + 1, sizeof *keys);
	if (keys == NULL) {
		json_decref(tmp);
		return mr_error_set(err, ENOMEM, "stats");
	}
	{
		const char *k;
		json_t *v;
		json_object_foreach(tmp, k, v) {
			keys[n++] = k;
		}
	}
	qsort(keys, n, sizeof *keys, key_cmp);
	s->raw = json_object();
	for (size_t i = 0; s->raw != NULL && i < n; i++)
		json_object_set(s->raw, keys[i], json_object_get(tmp, keys[i]));
	free(keys);
	json_decref(tmp);
	return s->raw != NULL ? 0 : mr_error_set(err, ENOMEM, "stats");
}

static uint64_t raw_value(const struct stats *s, const char *key)
{
	json_int_t v = json_integer_value(json_object_get(s->raw, key));

	return v == RX_STATS_U64_MAX ? UINT64_MAX : (uint64_t)v;
}

/* memory.<name>.{usage_in_bytes,max_usage_in_bytes,failcnt,limit_in_bytes};
 * memsw and kmem are optional in the kernel. */
static int v1_mem_entry(const char *dir, const char *name, struct mem_entry *e, mr_error **err)
{
	char usage[64], max[64], fail[64], limit[64];
	bool optional = *name != '\0';
	int rc;

	snprintf(usage, sizeof usage, "memory.%s%susage_in_bytes", name, optional ? "." : "");
	snprintf(max, sizeof max, "memory.%s%smax_usage_in_bytes", name, optional ? "." : "");
	snprintf(fail, sizeof fail, "memory.%s%sfailcnt", name, optional ? "." : "");
	snprintf(limit, sizeof limit, "memory.%s%slimit_in_bytes", name, optional ? "." : "");
	memset(e, 0, sizeof *e);
	rc = read_u64(dir, usage, optional, &e->usage, err);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (read_u64(dir, max, false, &e->max, err) < 0 || read_u64(dir, fail, false, &e->failcnt, err) < 0)
		return -1;
	/* kmem.limit_in_bytes is gone from newer kernels. */
	return read_u64(dir, limit, strcmp(name, "kmem") == 0, &e->limit, err) < 0 ? -1 : 0;
}

static int v1_memory(const char *dir, struct stats *s, mr_error **err)
{
	uint64_t hierarchy;
	cleanup_free char *probe = mr_path_join(dir, "memory.stat");

	if (probe == NULL)
		return mr_error_set(err, ENOMEM, "stats");
	if (access(probe, F_OK) < 0 && errno == ENOENT)
		return 0;
	if (read_raw(dir, "memory.stat", s, err) < 0)
		return -1;
	s->cache = raw_value(s, "cache");
	if (v1_mem_entry(dir, "", &s->usage, err) < 0 || v1_mem_entry(dir, "memsw", &s->swap, err) < 0 ||
	    v1_mem_entry(dir, "kmem", &s->kmem, err) < 0 ||
	    v1_mem_entry(dir, "kmem.tcp", &s->kmem_tcp, err) < 0)
		return -1;
	return read_u64(dir, "memory.use_hierarchy", false, &hierarchy, err);
}

static int v1_cpu(const char *dir, struct stats *s, mr_error **err)
{
	cleanup_free char *text = NULL;
	char *save = NULL;
	int rc = read_text(dir, "cpu.stat", true, &text, err);

	if (rc != 0)
		return rc < 0 ? -1 : 0;
	for (char *line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		char key[64];
		unsigned long long v;
		if (sscanf(line, "%63s %llu", key, &v) != 2)
			return parse_error(dir, "cpu.stat", "line is not in \"key value\" format", err);
		if (strcmp(key, "nr_periods") == 0)
			s->periods = v;
		else if (strcmp(key, "nr_throttled") == 0)
			s->throttled_periods = v;
		else if (strcmp(key, "throttled_time") == 0)
			s->throttled_time = v;
	}
	return 0;
}

static int v1_cpuacct(const char *dir, struct stats *s, mr_error **err)
{
	/* USER_HZ is 100 on every Linux runc supports. */
	const uint64_t ticks = 100, ns = 1000000000;
	cleanup_free char *stat = NULL;
	cleanup_free char *percpu = NULL;
	cleanup_free char *all = NULL;
	unsigned long long user, sys;
	char *save = NULL;
	int rc;

	if (!dir_exists(dir))
		return 0;
	if (read_text(dir, "cpuacct.stat", false, &stat, err) < 0)
		return -1;
	if (sscanf(stat, "user %llu system %llu", &user, &sys) != 2)
		return parse_error(dir, "cpuacct.stat", "malformed line", err);
	s->user = user * ns / ticks;
	s->kernel = sys * ns / ticks;
	if (read_u64(dir, "cpuacct.usage", false, &s->total, err) < 0 ||
	    read_text(dir, "cpuacct.usage_percpu", false, &percpu, err) < 0)
		return -1;
	s->percpu.present = true;
	for (char *t = strtok_r(percpu, " \n", &save); t != NULL; t = strtok_r(NULL, " \n", &save)) {
		uint64_t v;
		if (!parse_u64(t, &v))
			return parse_error(dir, "cpuacct.usage_percpu", "invalid syntax", err);
		if (push_u64(&s->percpu, v) < 0)
			return mr_error_set(err, ENOMEM, "stats");
	}
	s->percpu_kernel.present = s->percpu_user.present = true;
	rc = read_text(dir, "cpuacct.usage_all", true, &all, err);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	save = NULL;
	for (char *line = strtok_r(all, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		unsigned long long cpu, u, k;
		if (strncmp(line, "cpu user system", 15) == 0)
			continue;
		if (sscanf(line, "%llu %llu %llu", &cpu, &u, &k) != 3)
			continue;
		if (push_u64(&s->percpu_user, u) < 0 || push_u64(&s->percpu_kernel, k) < 0)
			return mr_error_set(err, ENOMEM, "stats");
	}
	return 0;
}

static int pids_stats(const char *dir, struct stats *s, mr_error **err)
{
	if (read_u64(dir, "pids.current", false, &s->pids_current, err) < 0 ||
	    read_u64(dir, "pids.max", false, &s->pids_limit, err) < 0)
		return -1;
	/* "max" has always been reported as 0. */
	if (s->pids_limit == UINT64_MAX)
		s->pids_limit = 0;
	return 0;
}

/* "8:0 Read 4096" lines (or "8:0 4096"); "Total N" lines are skipped.
 * *found is false for a missing or empty file. */
static int read_blkio(const char *dir, const char *file, struct blkio_list *out, bool *found,
		      mr_error **err)
{
	cleanup_free char *text = NULL;
	char *save = NULL;
	int rc;

	*found = false;
	rc = read_text(dir, file, true, &text, err);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	for (char *line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		struct blkio_entry e = { 0 };
		unsigned long long major, minor, value;
		char op[16];
		struct blkio_entry *g;
		if (strncmp(line, "Total ", 6) == 0)
			continue;
		if (sscanf(line, "%llu:%llu %15s %llu", &major, &minor, op, &value) == 4) {
			snprintf(e.op, sizeof e.op, "%s", op);
		} else if (sscanf(line, "%llu:%llu %llu", &major, &minor, &value) != 3) {
			return parse_error(dir, file, "malformed line", err);
		}
		e.major = major;
		e.minor = minor;
		e.value = value;
		g = realloc(out->v, (out->n + 1) * sizeof *g);
		if (g == NULL)
			return mr_error_set(err, ENOMEM, "stats");
		out->v = g;
		out->v[out->n++] = e;
		*found = true;
	}
	return 0;
}

static int v1_blkio(const char *dir, struct stats *s, mr_error **err)
{
	/* runc's sources, best first: BFQ with its debug files, BFQ, CFQ, the
	 * throttle layer (recursive), the throttle layer of this cgroup only.
	 * A source whose first file is missing or empty is skipped. */
	static const struct { const char *file; int slot; } groups[5][8] = {
		{ { "blkio.bfq.sectors_recursive", B_SECTORS },
		  { "blkio.bfq.io_service_time_recursive", B_SERVICE_TIME },
		  { "blkio.bfq.io_wait_time_recursive", B_WAIT_TIME },
		  { "blkio.bfq.io_merged_recursive", B_MERGED },
		  { "blkio.bfq.io_queued_recursive", B_QUEUED },
		  { "blkio.bfq.time_recursive", B_TIME },
		  { "blkio.bfq.io_serviced_recursive", B_SERVICED },
		  { "blkio.bfq.io_service_bytes_recursive", B_SERVICE_BYTES } },
		{ { "blkio.bfq.io_serviced_recursive", B_SERVICED },
		  { "blkio.bfq.io_service_bytes_recursive", B_SERVICE_BYTES } },
		{ { "blkio.sectors_recursive", B_SECTORS },
		  { "blkio.io_service_time_recursive", B_SERVICE_TIME },
		  { "blkio.io_wait_time_recursive", B_WAIT_TIME },
		  { "blkio.io_merged_recursive", B_MERGED },
		  { "blkio.io_queued_recursive", B_QUEUED },
		  { "blkio.time_recursive", B_TIME },
		  { "blkio.io_serviced_recursive", B_SERVICED },
		  { "blkio.io_service_bytes_recursive", B_SERVICE_BYTES } },
		{ { "blkio.throttle.io_serviced_recursive", B_SERVICED },
		  { "blkio.throttle.io_service_bytes_recursive", B_SERVICE_BYTES } },
		{ { "blkio.throttle.io_serviced", B_SERVICED },
		  { "blkio.throttle.io_service_bytes", B_SERVICE_BYTES } },
	};

	for (int g = 0; g < 5; g++) {
		for (int i = 0; i < 8 && groups[g][i].file != NULL; i++) {
			struct blkio_list l = { 0 };
			bool found;
			if (read_blkio(dir, groups[g][i].file, &l, &found, err) < 0) {
				free(l.v);
				return -1;
			}
			if (!found) {
				free(l.v);
				if (i == 0)
					break;
				/* runc stops here, keeping what it has. */
				return 0;
			}
			free(s->blkio[groups[g][i].slot].v);
			s->blkio[groups[g][i].slot] = l;
			if (i == 7 || groups[g][i + 1].file == NULL)
				return 0;
		}
	}
	return 0;
}

/* "hugepages-2048kB" -> "2MB", as the hugetlb controller names its files. */
static int page_sizes(const char *hugepages_dir, char (**sizes)[24], size_t *n)
{
	cleanup_dir DIR *d = opendir(hugepages_dir);
	struct dirent *e;

	*sizes = NULL;
	*n = 0;
	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		unsigned long kb;
		char unit[4];
		char (*g)[24];
		if (sscanf(e->d_name, "hugepages-%lu%3s", &kb, unit) != 2 || strcmp(unit, "kB") != 0)
			continue;
		g = realloc(*sizes, (*n + 1) * sizeof **sizes);
		if (g == NULL)
			return -1;
		*sizes = g;
		if (kb >= 1UL << 20)
			snprintf((*sizes)[*n], 24, "%luGB", kb >> 20);
		else if (kb >= 1UL << 10)
			snprintf((*sizes)[*n], 24, "%luMB", kb >> 10);
		else
			snprintf((*sizes)[*n], 24, "%luKB", kb);
		(*n)++;
	}
	return 0;
}

static int add_hugetlb(struct stats *s, const char *size, struct hugetlb_entry *e)
{
	struct hugetlb_entry *g = realloc(s->hugetlb, (s->nhugetlb + 1) * sizeof *g);

	if (g == NULL)
		return -1;
	s->hugetlb = g;
	snprintf(e->size, sizeof e->size, "%s", size);
	s->hugetlb[s->nhugetlb++] = *e;
	return 0;
}

/* v1: hugetlb.<size>[.rsvd].{usage_in_bytes,max_usage_in_bytes,failcnt};
 * v2: hugetlb.<size>[.rsvd].current, and failures in hugetlb.<size>.events.
 * The reservation counters (5.7+) are what a container can count on. */
static int hugetlb_stats(const char *dir, const char *hugepages_dir, bool v2, struct stats *s,
			 mr_error **err)
{
	cleanup_free char (*sizes)[24] = NULL;
	const char *usage = v2 ? "current" : "usage_in_bytes";
	const char *rsvd = ".rsvd";
	size_t n = 0;

	if (page_sizes(hugepages_dir, &sizes, &n) < 0)
		return mr_error_set(err, ENOMEM, "stats");
	for (size_t i = 0; i < n; i++) {
		struct hugetlb_entry e = { 0 };
		char file[96];
		int rc;
		snprintf(file, sizeof file, "hugetlb.%s%s.%s", sizes[i], rsvd, usage);
		rc = read_u64(dir, file, *rsvd != '\0', &e.usage, err);
		if (rc < 0)
			return -1;
		if (rc > 0) {
			rsvd = "";
			snprintf(file, sizeof file, "hugetlb.%s.%s", sizes[i], usage);
			if (read_u64(dir, file, false, &e.usage, err) < 0)
				return -1;
		}
		if (v2) {
			snprintf(file, sizeof file, "hugetlb.%s.events", sizes[i]);
			if (read_keyed(dir, file, "max", false, &e.failcnt, err) < 0)
				return -1;
		} else {
			snprintf(file, sizeof file, "hugetlb.%s%s.max_usage_in_bytes", sizes[i], rsvd);
			if (read_u64(dir, file, false, &e.max, err) < 0)
				return -1;
			snprintf(file, sizeof file, "hugetlb.%s%s.failcnt", sizes[i], rsvd);
			if (read_u64(dir, file, false, &e.failcnt, err) < 0)
				return -1;
		}
		if (add_hugetlb(s, sizes[i], &e) < 0)
			return mr_error_set(err, ENOMEM, "stats");
	}
	return 0;
}

static int read_v1(const struct rx_cgroups *cg, const char *hugepages_dir, struct stats *s,
		   mr_error **err)
{
	const char *d;

	/* runc's controller order; the first error ends the read. */
	if ((d = rx_cgroup_v1_dir(cg, "cpuset")) != NULL && v1_cpuset(d, s, err) < 0)
		return -1;
	if ((d = rx_cgroup_v1_dir(cg, "memory")) != NULL && v1_memory(d, s, err) < 0)
		return -1;
	if ((d = rx_cgroup_v1_dir(cg, "cpu")) != NULL && v1_cpu(d, s, err) < 0)
		return -1;
	if ((d = rx_cgroup_v1_dir(cg, "cpuacct")) != NULL && v1_cpuacct(d, s, err) < 0)
		return -1;
	if ((d = rx_cgroup_v1_dir(cg, "pids")) != NULL && dir_exists(d) && pids_stats(d, s, err) < 0)
		return -1;
	if ((d = rx_cgroup_v1_dir(cg, "blkio")) != NULL && v1_blkio(d, s, err) < 0)
		return -1;
	if ((d = rx_cgroup_v1_dir(cg, "hugetlb")) != NULL && dir_exists(d) &&
	    hugetlb_stats(d, hugepages_dir, false, s, err) < 0)
		return -1;
	return 0;
}

/* ---- cgroup v2 -------------------------------------------------------- */

/* Each v2 reader fails like a v1 one; the caller collects the failures
 * that are not "no such file" (a controller not enabled). */
static int v2_pids(const char *dir, struct stats *s, mr_error **err)
{
	cleanup_free char *procs = NULL;
	int rc = read_u64(dir, "pids.current", true, &s->pids_current, err);

	if (rc < 0)
		return -1;
	if (rc == 0)
		return pids_stats(dir, s, err);
	/* No pids controller: count the processes. */
	if (read_text(dir, "cgroup.procs", false, &procs, err) < 0)
		return -1;
	s->pids_current = 0;
	for (const char *p = procs; *p != '\0'; p++)
		s->pids_current += *p == '\n';
	s->pids_limit = 0;
	return 0;
}

static int v2_mem_entry(const char *dir, const char *name, struct mem_entry *e, mr_error **err)
{
	char cur[64], max[64], peak[64];
	bool optional = *name != '\0';
	int rc;

	snprintf(cur, sizeof cur, "memory.%s%scurrent", name, optional ? "." : "");
	snprintf(max, sizeof max, "memory.%s%smax", name, optional ? "." : "");
	snprintf(peak, sizeof peak, "memory.%s%speak", name, optional ? "." : "");
	memset(e, 0, sizeof *e);
	rc = read_u64(dir, cur, optional, &e->usage, err);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (read_u64(dir, max, false, &e->limit, err) < 0)
		return -1;
	/* memory.peak since 5.19, memory.swap.peak since 6.5. */
	return read_u64(dir, peak, true, &e->max, err) < 0 ? -1 : 0;
}

static int v2_memory(const char *dir, struct stats *s, mr_error **err)
{
	struct mem_entry swap;

	if (read_raw(dir, "memory.stat", s, err) < 0)
		return -1;
	s->cache = raw_value(s, "file");
	if (v2_mem_entry(dir, "", &s->usage, err) < 0 || v2_mem_entry(dir, "swap", &swap, err) < 0)
		return -1;
	/* v1 reported memory+swap; so does runc on v2. */
	swap.usage += s->usage.usage;
	if (swap.limit != UINT64_MAX)
		swap.limit += s->usage.limit;
	swap.max = 0;
	s->swap = swap;
	return 0;
}

static int v2_io(const char *dir, struct stats *s, mr_error **err)
{
	cleanup_free char *text = NULL;
	char *save = NULL;

	if (read_text(dir, "io.stat", false, &text, err) < 0)
		return -1;
	for (char *line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		unsigned long long major, minor;
		char *fsave = NULL, *tok = strtok_r(line, " ", &fsave);
		if (tok == NULL || sscanf(tok, "%llu:%llu", &major, &minor) != 2)
			continue;
		while ((tok = strtok_r(NULL, " ", &fsave)) != NULL) {
			char *eq = strchr(tok, '=');
			struct blkio_list *l;
			struct blkio_entry e = { major, minor, 0, "" }, *g;
			if (eq == NULL)
				continue;
			*eq = '\0';
			if (strcmp(tok, "rbytes") == 0 || strcmp(tok, "wbytes") == 0)
				l = &s->blkio[B_SERVICE_BYTES];
			else if (strcmp(tok, "rios") == 0 || strcmp(tok, "wios") == 0)
				l = &s->blkio[B_SERVICED];
			else
				continue;   /* io.cost counters are not in runc's events */
			snprintf(e.op, sizeof e.op, "%s", tok[0] == 'r' ? "Read" : "Write");
			if (!parse_u64(eq + 1, &e.value))
				return parse_error(dir, "io.stat", "invalid syntax", err);
			g = realloc(l->v, (l->n + 1) * sizeof *g);
			if (g == NULL)
				return mr_error_set(err, ENOMEM, "stats");
			l->v = g;
			l->v[l->n++] = e;
		}
	}
	return 0;
}

static int v2_cpu(const char *dir, struct stats *s, mr_error **err)
{
	cleanup_free char *text = NULL;
	char *save = NULL;

	if (read_text(dir, "cpu.stat", false, &text, err) < 0)
		return -1;
	for (char *line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		char key[64];
		unsigned long long v;
		if (sscanf(line, "%63s %llu", key, &v) != 2)
			return parse_error(dir, "cpu.stat", "line is not in \"key value\" format", err);
		if (strcmp(key, "usage_usec") == 0)
			s->total = v * 1000;
		else if (strcmp(key, "user_usec") == 0)
			s->user = v * 1000;
		else if (strcmp(key, "system_usec") == 0)
			s->kernel = v * 1000;
		else if (strcmp(key, "nr_periods") == 0)
			s->periods = v;
		else if (strcmp(key, "nr_throttled") == 0)
			s->throttled_periods = v;
		else if (strcmp(key, "throttled_usec") == 0)
			s->throttled_time = v * 1000;
	}
	return 0;
}

static int read_v2(const struct rx_cgroups *cg, const char *hugepages_dir, struct stats *s,
		   mr_error **err)
{
	const char *dir = rx_cgroup_v2_dir(cg);
	cleanup_free char *failed = NULL;
	size_t len = 0;

	if (dir == NULL)
		return mr_error_set(err, 0, "no cgroup v2 directory for the container");
	/* runc reads every controller and reports all failures at once, except
	 * those of a controller that is not enabled (ENOENT). */
	for (int step = 0; step < 8; step++) {
		mr_error *e = NULL;
		int rc = 0;
		switch (step) {
		case 0: rc = v2_pids(dir, s, &e); break;
		case 1: rc = v2_memory(dir, s, &e); break;
		case 2: rc = read_psi(dir, "memory.pressure", &s->mem_psi, &e); break;
		case 3: rc = v2_io(dir, s, &e); break;
		case 4: rc = read_psi(dir, "io.pressure", &s->io_psi, &e); break;
		case 5: rc = v2_cpu(dir, s, &e); break;
		case 6: rc = read_psi(dir, "cpu.pressure", &s->cpu_psi, &e); break;
		case 7: rc = hugetlb_stats(dir, hugepages_dir, true, s, &e); break;
		}
		/* pids and PSI failures always count (PSI handles its own absence). */
		bool enoent_ok = step == 1 || step == 3 || step == 5 || step == 7;
		if (rc == 0 || e == NULL)
			continue;
		if (e->errnum != ENOENT || !enoent_ok) {
			char *grown = realloc(failed, len + strlen(e->msg) + 2);
			if (grown != NULL) {
				failed = grown;
				len += (size_t)sprintf(failed + len, "%s%s", len > 0 ? " " : "", e->msg);
			}
		}
		mr_error_free(&e);
	}
	if (failed != NULL)
		return mr_error_set(err, 0, "error while statting cgroup v2: [%s]", failed);
	return 0;
}

/* ---- the JSON --------------------------------------------------------- */

static json_t *u64(uint64_t v)
{
	return json_integer(v > INT64_MAX ? RX_STATS_U64_MAX : (json_int_t)v);
}

/* omitempty on a number: set only when non-zero. */
static void set_nz(json_t *o, const char *key, uint64_t v)
{
	if (v != 0)
		json_object_set_new(o, key, u64(v));
}

static json_t *u64_array(const struct u64v *l)
{
	json_t *a = json_array();

	for (size_t i = 0; a != NULL && i < l->n; i++)
		json_array_append_new(a, u64(l->v[i]));
	return a;
}

static void set_list(json_t *o, const char *key, const struct u64v *l)
{
	if (l->n > 0)
		json_object_set_new(o, key, u64_array(l));
}

/* Go prints a float64 that is a whole number without a fraction. */
static json_t *real(double d)
{
	if (d == (double)(json_int_t)d)
		return json_integer((json_int_t)d);
	return json_real(d);
}

static json_t *psi_data(const struct psi_data *d)
{
	return json_pack("{s:o, s:o, s:o, s:o}", "avg10", real(d->avg10), "avg60", real(d->avg60),
			 "avg300", real(d->avg300), "total", u64(d->total));
}

static bool psi_zero(const struct psi_data *d)
{
	return d->avg10 == 0 && d->avg60 == 0 && d->avg300 == 0 && d->total == 0;
}

static void set_psi(json_t *o, const struct psi *p)
{
	json_t *j;

	if (!p->present)
		return;
	j = json_object();
	if (!psi_zero(&p->some))
		json_object_set_new(j, "some", psi_data(&p->some));
	if (!psi_zero(&p->full))
		json_object_set_new(j, "full", psi_data(&p->full));
	json_object_set_new(o, "psi", j);
}

static void set_mem_entry(json_t *o, const char *key, const struct mem_entry *e)
{
	json_t *j;

	if (e->limit == 0 && e->usage == 0 && e->max == 0 && e->failcnt == 0)
		return;
	j = json_object();
	json_object_set_new(j, "limit", u64(e->limit));
	set_nz(j, "usage", e->usage);
	set_nz(j, "max", e->max);
	json_object_set_new(j, "failcnt", u64(e->failcnt));
	json_object_set_new(o, key, j);
}

static int hugetlb_cmp(const void *a, const void *b)
{
	return strcmp(((const struct hugetlb_entry *)a)->size, ((const struct hugetlb_entry *)b)->size);
}

static json_t *to_json(struct stats *s)
{
	json_t *data = json_object(), *cpu = json_object(), *usage, *thr, *cpuset, *mem, *pids;
	json_t *blkio, *huge;

	usage = json_object();
	set_nz(usage, "total", s->total);
	set_list(usage, "percpu", &s->percpu);
	set_list(usage, "percpu_kernel", &s->percpu_kernel);
	set_list(usage, "percpu_user", &s->percpu_user);
	json_object_set_new(usage, "kernel", u64(s->kernel));
	json_object_set_new(usage, "user", u64(s->user));
	/* omitzero: a zero usage (no slices read either) is left out. */
	if (s->total != 0 || s->kernel != 0 || s->user != 0 || s->percpu.present ||
	    s->percpu_kernel.present || s->percpu_user.present)
		json_object_set_new(cpu, "usage", usage);
	else
		json_decref(usage);
	thr = json_object();
	set_nz(thr, "periods", s->periods);
	set_nz(thr, "throttledPeriods", s->throttled_periods);
	set_nz(thr, "throttledTime", s->throttled_time);
	if (json_object_size(thr) > 0)
		json_object_set_new(cpu, "throttling", thr);
	else
		json_decref(thr);
	set_psi(cpu, &s->cpu_psi);
	json_object_set_new(data, "cpu", cpu);

	cpuset = json_object();
	set_list(cpuset, "cpus", &s->cpus);
	json_object_set_new(cpuset, "cpu_exclusive", u64(s->cpu_exclusive));
	set_list(cpuset, "mems", &s->mems);
	json_object_set_new(cpuset, "mem_hardwall", u64(s->mem_hardwall));
	json_object_set_new(cpuset, "mem_exclusive", u64(s->mem_exclusive));
	json_object_set_new(cpuset, "memory_migrate", u64(s->memory_migrate));
	json_object_set_new(cpuset, "memory_spread_page", u64(s->memory_spread_page));
	json_object_set_new(cpuset, "memory_spread_slab", u64(s->memory_spread_slab));
	json_object_set_new(cpuset, "memory_pressure", u64(s->memory_pressure));
	json_object_set_new(cpuset, "sched_load_balance", u64(s->sched_load_balance));
	json_object_set_new(cpuset, "sched_relax_domain_level",
			    json_integer(s->sched_relax_domain_level));
	json_object_set_new(data, "cpuset", cpuset);

	mem = json_object();
	set_nz(mem, "cache", s->cache);
	set_mem_entry(mem, "usage", &s->usage);
	set_mem_entry(mem, "swap", &s->swap);
	set_mem_entry(mem, "kernel", &s->kmem);
	set_mem_entry(mem, "kernelTCP", &s->kmem_tcp);
	if (json_object_size(s->raw) > 0)
		json_object_set(mem, "raw", s->raw);
	set_psi(mem, &s->mem_psi);
	json_object_set_new(data, "memory", mem);

	pids = json_object();
	set_nz(pids, "current", s->pids_current);
	set_nz(pids, "limit", s->pids_limit);
	json_object_set_new(data, "pids", pids);

	blkio = json_object();
	for (int i = 0; i < B_COUNT; i++) {
		json_t *list;
		if (s->blkio[i].n == 0)
			continue;
		list = json_array();
		for (size_t k = 0; k < s->blkio[i].n; k++) {
			const struct blkio_entry *e = &s->blkio[i].v[k];
			json_t *j = json_object();
			set_nz(j, "major", e->major);
			set_nz(j, "minor", e->minor);
			if (e->op[0] != '\0')
				json_object_set_new(j, "op", json_string(e->op));
			set_nz(j, "value", e->value);
			json_array_append_new(list, j);
		}
		json_object_set_new(blkio, blkio_keys[i], list);
	}
	set_psi(blkio, &s->io_psi);
	json_object_set_new(data, "blkio", blkio);

	huge = json_object();
	if (s->nhugetlb > 1)
		qsort(s->hugetlb, s->nhugetlb, sizeof *s->hugetlb, hugetlb_cmp);
	for (size_t i = 0; i < s->nhugetlb; i++) {
		json_t *j = json_object();
		set_nz(j, "usage", s->hugetlb[i].usage);
		set_nz(j, "max", s->hugetlb[i].max);
		json_object_set_new(j, "failcnt", u64(s->hugetlb[i].failcnt));
		json_object_set_new(huge, s->hugetlb[i].size, j);
	}
	json_object_set_new(data, "hugetlb", huge);
	json_object_set_new(data, "intel_rdt", json_object());
	json_object_set_new(data, "network_interfaces", json_null());
	return data;
}

int rx_stats_read_with(const struct rx_cgroups *cg, const char *hugepages_dir, json_t **data,
		       mr_error **err)
{
	struct stats s = { 0 };
	int rc;

	*data = NULL;
	rc = cg->unified_only ? read_v2(cg, hugepages_dir, &s, err) : read_v1(cg, hugepages_dir, &s, err);
	if (rc == 0) {
		*data = to_json(&s);
		if (*data == NULL)
			rc = mr_error_set(err, ENOMEM, "stats");
	}
	stats_free(&s);
	return rc;
}

int rx_stats_read(const struct rx_cgroups *cg, json_t **data, mr_error **err)
{
	return rx_stats_read_with(cg, "/sys/kernel/mm/hugepages", data, err);
}

char *rx_stats_event_json(const char *type, const char *id, json_t *data)
{
	cleanup_free char *qtype = mr_json_quote_go(type);
	cleanup_free char *qid = mr_json_quote_go(id);
	cleanup_free char *body = NULL;
	char *line = NULL;

	if (qtype == NULL || qid == NULL)
		return NULL;
	if (data == NULL) {
		if (asprintf(&line, "{\"type\":%s,\"id\":%s}\n", qtype, qid) < 0)
			return NULL;
		return line;
	}
	/* Fifteen digits print the kernel's two-decimal PSI averages as Go
	 * does ("0.12", not 0.11999999999999999). */
	body = json_dumps(data, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
	if (body == NULL)
		return NULL;
	{
		static const char sentinel[] = "-9223372036854775808", max[] = "18446744073709551615";
		size_t cap = strlen(body) + 1, count = 0;
		char *out, *w;
		for (const char *p = body; (p = strstr(p, sentinel)) != NULL; p += sizeof sentinel - 1)
			count++;
		out = malloc(cap + count * 2 + 64 + strlen(qtype) + strlen(qid));
		if (out == NULL)
			return NULL;
		w = out + sprintf(out, "{\"type\":%s,\"id\":%s,\"data\":", qtype, qid);
		for (const char *p = body; *p != '\0';) {
			const char *hit = strstr(p, sentinel);
			size_t n = hit != NULL ? (size_t)(hit - p) : strlen(p);
			memcpy(w, p, n);
			w += n;
			p += n;
			if (hit != NULL) {
				memcpy(w, max, sizeof max - 1);
				w += sizeof max - 1;
				p += sizeof sentinel - 1;
			}
		}
		strcpy(w, "}\n");
		line = out;
	}
	return line;
}

/* ---- OOM notifications -------------------------------------------------- */

int rx_oom_watch_open(const struct rx_cgroups *cg, struct rx_oom_watch *w, mr_error **err)
{
	bool v2 = cg->unified_only;
	const char *dir = v2 ? rx_cgroup_v2_dir(cg) : rx_cgroup_v1_dir(cg, "memory");

	memset(w, 0, sizeof *w);
	w->fd = w->ofd = w->wd_events = w->wd_populated = -1;
	if (dir == NULL)
		return mr_error_set(err, 0, "memory controller missing");
	w->dir = strdup(dir);
	w->v2 = v2;
	if (w->dir == NULL)
		return mr_error_set(err, ENOMEM, "oom");
	if (v2) {
		cleanup_free char *events = mr_path_join(dir, "memory.events");
		cleanup_free char *populated = mr_path_join(dir, "cgroup.events");
		mr_error *e = NULL;
		if (events == NULL || populated == NULL)
			goto nomem;
		w->fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
		if (w->fd < 0) {
			mr_error_set(err, errno, "unable to init inotify");
			goto fail;
		}
		w->wd_events = inotify_add_watch(w->fd, events, IN_MODIFY);
		w->wd_populated = w->wd_events < 0 ? -1 : inotify_add_watch(w->fd, populated, IN_MODIFY);
		if (w->wd_events < 0 || w->wd_populated < 0) {
			mr_error_set(err, errno, "unable to add inotify watch");
			goto fail;
		}
		/* Count only kills from now on. */
		if (read_keyed(dir, "memory.events", "oom_kill", false, &w->kills, &e) < 0)
			mr_error_free(&e);
		return 0;
	} else {
		cleanup_free char *oom = mr_path_join(dir, "memory.oom_control");
		cleanup_free char *control = mr_path_join(dir, "cgroup.event_control");
		cleanup_close int cfd = -1;
		char line[64];
		if (oom == NULL || control == NULL)
			goto nomem;
		w->ofd = open(oom, O_RDONLY | O_CLOEXEC);
		if (w->ofd < 0) {
			mr_error_set(err, errno, "open %s", oom);
			goto fail;
		}
		w->fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (w->fd < 0) {
			mr_error_set(err, errno, "eventfd");
			goto fail;
		}
		cfd = open(control, O_WRONLY | O_CLOEXEC);
		snprintf(line, sizeof line, "%d %d", w->fd, w->ofd);
		if (cfd < 0 || mr_write_all(cfd, line, strlen(line)) < 0) {
			mr_error_set(err, errno, "write %s", control);
			goto fail;
		}
		return 0;
	}
nomem:
	mr_error_set(err, ENOMEM, "oom");
fail:
	rx_oom_watch_close(w);
	return -1;
}

int rx_oom_watch_read(struct rx_oom_watch *w, unsigned *ooms, bool *gone, mr_error **err)
{
	*ooms = 0;
	*gone = false;
	if (!w->v2) {
		uint64_t n = 0;
		cleanup_free char *control = mr_path_join(w->dir, "cgroup.event_control");
		if (read(w->fd, &n, sizeof n) < 0) {
			if (errno == EAGAIN)
				return 0;
			return mr_error_set(err, errno, "read eventfd");
		}
		/* The eventfd also fires when the cgroup is removed. */
		if (control == NULL || access(control, F_OK) < 0) {
			*gone = true;
			return 0;
		}
		*ooms = (unsigned)n;
		return 0;
	}
	for (;;) {
		char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
		ssize_t r = read(w->fd, buf, sizeof buf);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && errno == EAGAIN)
			return 0;
		if (r < 0)
			return mr_error_set(err, errno, "read inotify");
		for (char *p = buf; p < buf + r;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;
			p += sizeof *ev + ev->len;
			if (ev->wd == w->wd_events) {
				uint64_t kills = 0;
				mr_error *e = NULL;
				if (read_keyed(w->dir, "memory.events", "oom_kill", false, &kills, &e) < 0) {
					mr_error_free(&e);
					continue;
				}
				if (kills > w->kills)
					*ooms += (unsigned)(kills - w->kills);
				w->kills = kills;
			} else if (ev->wd == w->wd_populated) {
				uint64_t populated = 1;
				mr_error *e = NULL;
				if (read_keyed(w->dir, "cgroup.events", "populated", false, &populated, &e) < 0) {
					mr_error_free(&e);
					populated = 0;
				}
				if (populated == 0)
					*gone = true;
			}
		}
	}
}

void rx_oom_watch_close(struct rx_oom_watch *w)
{
	if (w->fd >= 0)
		close(w->fd);
	if (w->ofd >= 0)
		close(w->ofd);
	free(w->dir);
	memset(w, 0, sizeof *w);
	w->fd = w->ofd = w->wd_events = w->wd_populated = -1;
}
