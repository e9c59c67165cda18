/* Checks on cgroupsPath and linux.resources (SPEC-CATALOG.md §2.7). An
 * update's resources blob is judged by the same checks. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <linux/magic.h>

#include "common/cleanup.h"
#include "common/error.h"
#include "common/file.h"
#include "report/check.h"

static json_t *res(struct check_ctx *c, const char *sub)
{
	return json_object_get(check_get(c->doc, "linux.resources"), sub);
}

CHECK_FN(CG01)
{
	json_t *v = check_get(c->doc, "linux.cgroupsPath");

	if (!json_is_string(v))
		check_fail(c, NULL, v, "cgroupsPath is not a string path", "linux.cgroupsPath");
}

#define EACH_DEVRULE(i, d) json_array_foreach(res(c, "devices"), i, d)

CHECK_FN(CG02)
{
	json_t *d;
	size_t i;

	EACH_DEVRULE(i, d)
		if (!json_is_boolean(json_object_get(d, "allow")))
			check_fail(c, NULL, d, "device rule has no allow", "linux.resources.devices[%zu]", i);
}

CHECK_FN(CG03)
{
	static const char *const types[] = { "a", "c", "b", NULL };
	json_t *d;
	size_t i;

	EACH_DEVRULE(i, d) {
		json_t *t = json_object_get(d, "type"), *a = json_object_get(d, "access");
		const char *s = json_string_value(a);
		if (t != NULL && !check_in(json_string_value(t), types))
			check_fail(c, NULL, t, "device rule type is not a, c or b", "linux.resources.devices[%zu].type", i);
		if (a != NULL && (s == NULL || strspn(s, "rwm") != strlen(s)))
			check_fail(c, NULL, a, "device rule access holds letters other than r, w, m",
				   "linux.resources.devices[%zu].access", i);
	}
}

/* The usual first entry denies everything, so later entries allow only
 * what they name. */
CHECK_FN(CG04)
{
	json_t *first = json_array_get(res(c, "devices"), 0);
	const char *type = json_string_value(json_object_get(first, "type"));
	const char *access = json_string_value(json_object_get(first, "access"));

	if (first == NULL)
		return;
	if (!json_is_false(json_object_get(first, "allow")) || (type != NULL && strcmp(type, "a") != 0) ||
	    json_object_get(first, "major") != NULL || json_object_get(first, "minor") != NULL ||
	    (access != NULL && (strchr(access, 'r') == NULL || strchr(access, 'w') == NULL ||
				strchr(access, 'm') == NULL)))
		check_fail(c, NULL, first, "the device allow list does not start by denying all",
			   "linux.resources.devices[0]");
}

CHECK_FN(CG05)
{
	static const char *const keys[] = { "limit", "reservation", "swap", "kernel", "kernelTCP" };
	json_t *mem = res(c, "memory");

	for (size_t i = 0; i < 5; i++) {
		json_t *v = json_object_get(mem, keys[i]);
		char feature[64];
		if (v == NULL || (check_is_int(v) && (check_num(v) >= 0 || check_num(v) == -1)))
			continue;
		snprintf(feature, sizeof feature, "linux.resources.memory.%s", keys[i]);
		check_fail(c, feature, v, "memory value is neither >= 0 nor -1", "%s", feature);
	}
}

static bool positive(json_t *v)
{
	return json_is_number(v) && check_num(v) > 0;
}

CHECK_FN(CG06)
{
	json_t *limit = json_object_get(res(c, "memory"), "limit");
	json_t *swap = json_object_get(res(c, "memory"), "swap");

	if (positive(limit) && positive(swap) && check_cmp(swap, limit) < 0)
		check_fail(c, NULL, swap, "memory.swap (memory+swap) is below memory.limit",
			   "linux.resources.memory.swap");
}

CHECK_FN(CG07)
{
	json_t *limit = json_object_get(res(c, "memory"), "limit");
	json_t *resv = json_object_get(res(c, "memory"), "reservation");

	if (positive(limit) && positive(resv) && check_cmp(resv, limit) > 0)
		check_fail(c, NULL, resv, "memory.reservation is above memory.limit",
			   "linux.resources.memory.reservation");
}

CHECK_FN(CG08)
{
	static const char *const keys[] = { "kernel", "kernelTCP" };

	for (size_t i = 0; i < 2; i++) {
		json_t *v = json_object_get(res(c, "memory"), keys[i]);
		char feature[64];
		if (v == NULL)
			continue;
		snprintf(feature, sizeof feature, "linux.resources.memory.%s", keys[i]);
		check_fail(c, feature, v, "kernel memory limits are NOT RECOMMENDED", "%s", feature);
	}
}

CHECK_FN(CG09)
{
	json_t *v = json_object_get(res(c, "memory"), "swappiness");

	if (!json_is_number(v) || check_num(v) < 0 || check_num(v) > 100)
		check_fail(c, NULL, v, "swappiness is outside 0..100", "linux.resources.memory.swappiness");
}

CHECK_FN(CG10)
{
	json_t *burst = json_object_get(res(c, "cpu"), "burst"), *quota = json_object_get(res(c, "cpu"), "quota");

	if (json_is_number(burst) && positive(quota) && check_cmp(burst, quota) > 0)
		check_fail(c, NULL, burst, "cpu.burst is above cpu.quota", "linux.resources.cpu.burst");
}

CHECK_FN(CG11)
{
	static const char *const lists[] = { "cpus", "mems" };
	json_t *cpu = res(c, "cpu");
	json_t *idle = json_object_get(cpu, "idle");
	json_t *rt = json_object_get(cpu, "realtimeRuntime"), *rp = json_object_get(cpu, "realtimePeriod");

	for (size_t i = 0; i < 2; i++) {
		json_t *v = json_object_get(cpu, lists[i]);
		char feature[64];
		if (v == NULL || (json_is_string(v) && check_is_cpu_list(json_string_value(v))))
			continue;
		snprintf(feature, sizeof feature, "linux.resources.cpu.%s", lists[i]);
		check_fail(c, feature, v, "CPU or node set is not a list like 0-3,7", "%s", feature);
	}
	if (idle != NULL && (!check_is_int(idle) || (check_num(idle) != 0 && check_num(idle) != 1)))
		check_fail(c, "linux.resources.cpu.idle", idle, "cpu.idle is neither 0 nor 1", "linux.resources.cpu.idle");
	if (positive(rt) && positive(rp) && check_cmp(rt, rp) > 0)
		check_fail(c, "linux.resources.cpu.realtimeRuntime", rt, "realtimeRuntime is above realtimePeriod",
			   "linux.resources.cpu.realtimeRuntime");
}

CHECK_FN(CG12)
{
	json_t *e;
	size_t i;

	json_array_foreach(json_object_get(res(c, "blockIO"), "weightDevice"), i, e)
		if (json_object_get(e, "weight") == NULL && json_object_get(e, "leafWeight") == NULL)
			check_fail(c, NULL, e, "weightDevice entry has neither weight nor leafWeight",
				   "linux.resources.blockIO.weightDevice[%zu]", i);
}

CHECK_FN(CG13)
{
	static const char *const keys[] = {
		"weightDevice", "throttleReadBpsDevice", "throttleWriteBpsDevice",
		"throttleReadIOPSDevice", "throttleWriteIOPSDevice",
	};
	json_t *bio = res(c, "blockIO");

	for (size_t k = 0; k < 5; k++) {
		char feature[80];
		json_t *e;
		size_t i;
		snprintf(feature, sizeof feature, "linux.resources.blockIO.%s", keys[k]);
		json_array_foreach(json_object_get(bio, keys[k]), i, e) {
			if (!check_is_int(json_object_get(e, "major")) || !check_is_int(json_object_get(e, "minor")))
				check_fail(c, feature, e, "block device entry lacks major or minor", "%s[%zu]", feature, i);
			else if (k > 0 && !check_is_int(json_object_get(e, "rate")))
				check_fail(c, feature, e, "throttle entry lacks rate", "%s[%zu]", feature, i);
		}
	}
}

/* <size><K|M|G>B, size without a leading zero */
static bool page_size(const char *s)
{
	size_t n = 0;

	if (s == NULL || s[0] < '1' || s[0] > '9')
		return false;
	while (isdigit((unsigned char)s[n]))
		n++;
	return (s[n] == 'K' || s[n] == 'M' || s[n] == 'G') && s[n + 1] == 'B' && s[n + 2] == '\0';
}

CHECK_FN(CG14)
{
	json_t *e;
	size_t i;

	json_array_foreach(res(c, "hugepageLimits"), i, e)
		if (!page_size(json_string_value(json_object_get(e, "pageSize"))) ||
		    !check_is_int(json_object_get(e, "limit")))
			check_fail(c, NULL, e, "hugepage limit lacks a <size><K|M|G>B pageSize or a limit",
				   "linux.resources.hugepageLimits[%zu]", i);
}

/* The host's huge page sizes are the hugepages-<kB>kB directories. */
CHECK_FN(CG15)
{
	json_t *e;
	size_t i;

	if (!c->host)
		return;
	json_array_foreach(res(c, "hugepageLimits"), i, e) {
		const char *ps = json_string_value(json_object_get(e, "pageSize"));
		char path[128];
		unsigned long long kb;
		struct stat st;
		if (!page_size(ps))
			continue;
		kb = strtoull(ps, NULL, 10);
		kb *= ps[strlen(ps) - 2] == 'K' ? 1 : ps[strlen(ps) - 2] == 'M' ? 1024 : 1024 * 1024;
		snprintf(path, sizeof path, "/sys/kernel/mm/hugepages/hugepages-%llukB", kb);
		if (stat(path, &st) < 0)
			check_fail(c, NULL, json_object_get(e, "pageSize"), "this host has no huge pages of that size",
				   "linux.resources.hugepageLimits[%zu].pageSize", i);
	}
}

CHECK_FN(CG16)
{
	json_t *e;
	size_t i;

	json_array_foreach(json_object_get(res(c, "network"), "priorities"), i, e)
		if (!json_is_string(json_object_get(e, "name")) || !check_is_int(json_object_get(e, "priority")))
			check_fail(c, NULL, e, "network priority lacks name or priority",
				   "linux.resources.network.priorities[%zu]", i);
}

CHECK_FN(CG17)
{
	json_t *pids = res(c, "pids");

	if (!check_is_int(json_object_get(pids, "limit")))
		check_fail(c, NULL, pids, "pids object has no limit", "linux.resources.pids");
}

CHECK_FN(CG18)
{
	json_t *v = json_object_get(res(c, "pids"), "limit");

	if (!json_is_number(v) || check_num(v) < -1 || check_num(v) == 0)
		check_fail(c, NULL, v, "pids.limit is 0 (unset for older runtimes, no task allowed since 1.3.0) or below -1",
			   "linux.resources.pids.limit");
}

CHECK_FN(CG19)
{
	json_t *v;
	const char *dev;

	json_object_foreach(res(c, "rdma"), dev, v)
		if (json_object_get(v, "hcaHandles") == NULL && json_object_get(v, "hcaObjects") == NULL)
			check_fail(c, NULL, v, "rdma entry has neither hcaHandles nor hcaObjects",
				   "linux.resources.rdma[\"%s\"]", dev);
}

/* Controllers a unified key may name: those the host offers plus the core
 * "cgroup." files. */
CHECK_FN(CG20)
{
	struct statfs sfs;
	cleanup_free char *controllers = NULL;
	cleanup_error mr_error *err = NULL;
	json_t *v;
	const char *key;

	if (!c->host)
		return;
	if (statfs("/sys/fs/cgroup", &sfs) < 0 || sfs.f_type != CGROUP2_SUPER_MAGIC) {
		check_fail(c, NULL, NULL, "this host is not cgroup v2", "linux.resources.unified");
		return;
	}
	if (mr_read_file("/sys/fs/cgroup/cgroup.controllers", &controllers, NULL, &err) < 0)
		return;
	json_object_foreach(res(c, "unified"), key, v) {
		char name[64];
		size_t n = strcspn(key, ".");
		const char *p = controllers;
		bool found = false;
		if (n >= sizeof name)
			n = sizeof name - 1;
		memcpy(name, key, n);
		name[n] = '\0';
		if (strcmp(name, "cgroup") == 0)
			continue;
		while (*p != '\0' && !found) {
			size_t len = strcspn(p, " \n");
			found = len == n && strncmp(p, name, n) == 0;
			p += len;
			p += strspn(p, " \n");
		}
		if (!found) {
			json_t *k = json_string(key);
			check_fail(c, NULL, k, "unified key names a controller this host does not offer",
				   "linux.resources.unified");
			json_decref(k);
		}
	}
}
