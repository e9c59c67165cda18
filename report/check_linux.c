/* Checks on the linux object outside cgroups and seccomp: namespaces, id
 * mappings, time offsets, sysctl, devices, paths, labels, personality,
 * memory policy, Intel RDT (SPEC-CATALOG.md §2.5, §2.6, §2.9). */
#include <ctype.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <linux/nsfs.h>

#include "common/cleanup.h"
#include "report/check.h"

static const char *const ns_types[] = {
	"pid", "network", "mount", "ipc", "uts", "user", "cgroup", "time", NULL,
};

static json_t *linux_obj(struct check_ctx *c)
{
	return json_object_get(c->doc, "linux");
}

static void ns_feature(char *buf, size_t size, const char *type)
{
	snprintf(buf, size, "linux.namespaces.%s", check_in(type, ns_types) ? type : "pid");
}

CHECK_FN(NS01)
{
	json_t *ns;
	size_t i;

	json_array_foreach(json_object_get(linux_obj(c), "namespaces"), i, ns) {
		json_t *t = json_object_get(ns, "type");
		if (!check_in(json_string_value(t), ns_types))
			check_fail(c, NULL, t != NULL ? t : ns, "namespace type is missing or unknown",
				   "linux.namespaces[%zu].type", i);
	}
}

CHECK_FN(NS02)
{
	json_t *list = json_object_get(linux_obj(c), "namespaces"), *ns;
	size_t i;

	json_array_foreach(list, i, ns) {
		const char *t = json_string_value(json_object_get(ns, "type"));
		for (size_t j = 0; t != NULL && j < i; j++) {
			const char *u = json_string_value(json_object_get(json_array_get(list, j), "type"));
			if (u != NULL && strcmp(t, u) == 0) {
				char feature[64];
				ns_feature(feature, sizeof feature, t);
				check_fail(c, feature, json_object_get(ns, "type"), "namespace type is listed twice",
					   "linux.namespaces[%zu].type", i);
				break;
			}
		}
	}
}

CHECK_FN(NS03)
{
	json_t *ns;
	size_t i;

	json_array_foreach(json_object_get(linux_obj(c), "namespaces"), i, ns) {
		json_t *p = json_object_get(ns, "path");
		if (p != NULL && (!json_is_string(p) || !check_is_abs(json_string_value(p))))
			check_fail(c, NULL, p, "namespace path is not absolute", "linux.namespaces[%zu].path", i);
	}
}

static int clone_flag(const char *type)
{
	static const struct {
		const char *type;
		int flag;
	} map[] = {
		{ "pid", CLONE_NEWPID }, { "network", CLONE_NEWNET }, { "mount", CLONE_NEWNS },
		{ "ipc", CLONE_NEWIPC }, { "uts", CLONE_NEWUTS }, { "user", CLONE_NEWUSER },
		{ "cgroup", CLONE_NEWCGROUP }, { "time", 0x00000080 /* CLONE_NEWTIME */ },
	};

	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(map[i].type, type) == 0)
			return map[i].flag;
	return -1;
}

CHECK_FN(NS04)
{
	json_t *ns;
	size_t i;

	if (!c->host)
		return;
	json_array_foreach(json_object_get(linux_obj(c), "namespaces"), i, ns) {
		const char *type = json_string_value(json_object_get(ns, "type"));
		const char *path = json_string_value(json_object_get(ns, "path"));
		cleanup_close int fd = -1;
		int got;
		if (type == NULL || path == NULL)
			continue;
		fd = open(path, O_RDONLY | O_CLOEXEC);
		got = fd >= 0 ? ioctl(fd, NS_GET_NSTYPE) : -1;
		if (got < 0 || got != clone_flag(type))
			check_fail(c, NULL, json_object_get(ns, "path"),
				   "namespace path is not a namespace of its type", "linux.namespaces[%zu].path", i);
	}
}

static bool nonempty_array(json_t *v)
{
	return json_is_array(v) && json_array_size(v) > 0;
}

CHECK_FN(NS05)
{
	json_t *l = linux_obj(c), *user = check_ns(c->doc, "user");
	bool maps = nonempty_array(json_object_get(l, "uidMappings")) ||
		    nonempty_array(json_object_get(l, "gidMappings"));

	if (maps && user == NULL)
		check_fail(c, "linux.uidMappings", json_object_get(l, "uidMappings"),
			   "id mappings without a user namespace", "linux.uidMappings");
	if (user != NULL && json_object_get(user, "path") == NULL &&
	    (!nonempty_array(json_object_get(l, "uidMappings")) ||
	     !nonempty_array(json_object_get(l, "gidMappings"))))
		check_fail(c, NULL, user, "new user namespace without uid and gid mappings", "linux.namespaces");
}

CHECK_FN(NS06)
{
	json_t *l = linux_obj(c);

	if ((nonempty_array(json_object_get(l, "maskedPaths")) ||
	     nonempty_array(json_object_get(l, "readonlyPaths"))) && !check_has_ns(c->doc, "mount"))
		check_fail(c, NULL, NULL, "masked or read-only paths without a mount namespace",
			   "linux.maskedPaths");
}

static const char *const map_keys[] = { "uidMappings", "gidMappings" };

CHECK_FN(UM01)
{
	static const char *const fields[] = { "containerID", "hostID", "size" };

	for (size_t m = 0; m < 2; m++) {
		char feature[32];
		json_t *e;
		size_t i;
		snprintf(feature, sizeof feature, "linux.%s", map_keys[m]);
		json_array_foreach(json_object_get(linux_obj(c), map_keys[m]), i, e) {
			for (size_t f = 0; f < 3; f++) {
				json_t *v = json_object_get(e, fields[f]);
				if (!check_is_int(v) || check_num(v) < 0 || check_num(v) > 4294967295.0) {
					check_fail(c, feature, e, "mapping lacks containerID, hostID or size (uint32)",
						   "linux.%s[%zu]", map_keys[m], i);
					break;
				}
			}
		}
	}
}

static bool overlap(double a, double alen, double b, double blen)
{
	return a < b + blen && b < a + alen;
}

CHECK_FN(UM02)
{
	for (size_t m = 0; m < 2; m++) {
		json_t *list = json_object_get(linux_obj(c), map_keys[m]), *e;
		char feature[32];
		size_t i;
		snprintf(feature, sizeof feature, "linux.%s", map_keys[m]);
		if (json_array_size(list) > 340)
			check_fail(c, feature, NULL, "more than 340 mapping entries", "linux.%s", map_keys[m]);
		json_array_foreach(list, i, e) {
			json_t *size = json_object_get(e, "size");
			if (json_is_number(size) && check_num(size) <= 0) {
				check_fail(c, feature, e, "mapping size is not positive", "linux.%s[%zu]", map_keys[m], i);
				continue;
			}
			for (size_t j = 0; j < i; j++) {
				json_t *o = json_array_get(list, j);
				double s1 = check_num(json_object_get(e, "size")), s2 = check_num(json_object_get(o, "size"));
				if (overlap(check_num(json_object_get(e, "containerID")), s1,
					    check_num(json_object_get(o, "containerID")), s2) ||
				    overlap(check_num(json_object_get(e, "hostID")), s1,
					    check_num(json_object_get(o, "hostID")), s2)) {
					check_fail(c, feature, e, "mapping overlaps an earlier mapping",
						   "linux.%s[%zu]", map_keys[m], i);
					break;
				}
			}
		}
	}
}

CHECK_FN(TO01)
{
	json_t *offsets = json_object_get(linux_obj(c), "timeOffsets"), *time = check_ns(c->doc, "time"), *v;
	const char *clock;

	if (time == NULL || json_object_get(time, "path") != NULL)
		check_fail(c, NULL, time, "time offsets without a new time namespace", "linux.timeOffsets");
	json_object_foreach(offsets, clock, v) {
		json_t *ns = json_object_get(v, "nanosecs");
		if (strcmp(clock, "monotonic") != 0 && strcmp(clock, "boottime") != 0)
			check_fail(c, NULL, v, "time offset clock is not monotonic or boottime",
				   "linux.timeOffsets[\"%s\"]", clock);
		else if (ns != NULL && (!json_is_number(ns) || check_num(ns) < 0 || check_num(ns) >= 1e9))
			check_fail(c, NULL, ns, "time offset nanosecs is outside 0..999999999",
				   "linux.timeOffsets[\"%s\"].nanosecs", clock);
	}
}

/* The namespace a sysctl lives in (runc's validator), or NULL when runc
 * refuses the key whatever the namespaces. */
static const char *sysctl_namespace(const char *key)
{
	static const char *const ipc[] = {
		"kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem", "kernel.shmall",
		"kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced", NULL,
	};

	if (strncmp(key, "net.", 4) == 0)
		return "network";
	if (strncmp(key, "fs.mqueue.", 10) == 0 || check_in(key, ipc))
		return "ipc";
	if (strcmp(key, "kernel.domainname") == 0)
		return "uts";
	if (strncmp(key, "user.", 5) == 0)
		return "user";
	return NULL;
}

CHECK_FN(SY01)
{
	json_t *v;
	const char *key;

	json_object_foreach(json_object_get(linux_obj(c), "sysctl"), key, v) {
		const char *ns = sysctl_namespace(key);
		json_t *k = json_string(key);
		if (ns == NULL)
			check_fail(c, NULL, k, "sysctl is not namespaced (the host's value would change)",
				   "linux.sysctl");
		else if (!check_has_ns(c->doc, ns))
			check_fail(c, NULL, k, "sysctl without the namespace it belongs to", "linux.sysctl");
		json_decref(k);
	}
}

#define EACH_DEVICE(i, d) json_array_foreach(json_object_get(linux_obj(c), "devices"), i, d)
static const char *const device_types[] = { "c", "b", "u", "p", NULL };

CHECK_FN(DV01)
{
	json_t *d;
	size_t i;

	EACH_DEVICE(i, d)
		if (!check_in(json_string_value(json_object_get(d, "type")), device_types))
			check_fail(c, NULL, json_object_get(d, "type"), "device type is missing or not c, b, u or p",
				   "linux.devices[%zu].type", i);
}

CHECK_FN(DV02)
{
	json_t *d;
	size_t i;

	EACH_DEVICE(i, d)
		if (!check_is_abs(json_string_value(json_object_get(d, "path"))))
			check_fail(c, NULL, json_object_get(d, "path"), "device path is missing or not absolute",
				   "linux.devices[%zu].path", i);
}

CHECK_FN(DV03)
{
	json_t *d;
	size_t i;

	EACH_DEVICE(i, d) {
		const char *t = json_string_value(json_object_get(d, "type"));
		if (t != NULL && strcmp(t, "p") == 0)
			continue;
		if (!check_is_int(json_object_get(d, "major")) || !check_is_int(json_object_get(d, "minor")))
			check_fail(c, NULL, d, "device lacks major or minor", "linux.devices[%zu]", i);
	}
}

static char device_class(json_t *d)
{
	const char *t = json_string_value(json_object_get(d, "type"));

	if (t == NULL)
		return 0;
	return t[0] == 'u' ? 'c' : t[0];
}

CHECK_FN(DV04)
{
	json_t *list = json_object_get(linux_obj(c), "devices"), *d;
	size_t i;

	json_array_foreach(list, i, d) {
		char cls = device_class(d);
		if (cls == 0 || cls == 'p')
			continue;
		for (size_t j = 0; j < i; j++) {
			json_t *o = json_array_get(list, j);
			if (device_class(o) == cls &&
			    check_cmp(json_object_get(d, "major"), json_object_get(o, "major")) == 0 &&
			    check_cmp(json_object_get(d, "minor"), json_object_get(o, "minor")) == 0 &&
			    json_is_number(json_object_get(d, "major"))) {
				check_fail(c, NULL, d, "device type, major and minor are used twice",
					   "linux.devices[%zu]", i);
				break;
			}
		}
	}
}

CHECK_FN(DV05)
{
	const char *root = json_string_value(check_get(c->doc, "root.path"));
	cleanup_free char *rootfs = NULL;
	json_t *d;
	size_t i;

	if (c->bundle == NULL || root == NULL || (rootfs = check_bundle_path(c->bundle, root)) == NULL)
		return;
	EACH_DEVICE(i, d) {
		const char *p = json_string_value(json_object_get(d, "path"));
		char cls = device_class(d);
		char full[4096];
		struct stat st;
		bool same;
		if (p == NULL)
			continue;
		snprintf(full, sizeof full, "%s/%s", rootfs, p[0] == '/' ? p + 1 : p);
		if (lstat(full, &st) < 0)
			continue;
		if (cls == 'p')
			same = S_ISFIFO(st.st_mode);
		else
			same = ((cls == 'c' && S_ISCHR(st.st_mode)) || (cls == 'b' && S_ISBLK(st.st_mode))) &&
			       (json_int_t)major(st.st_rdev) == json_integer_value(json_object_get(d, "major")) &&
			       (json_int_t)minor(st.st_rdev) == json_integer_value(json_object_get(d, "minor"));
		if (!same)
			check_fail(c, NULL, json_object_get(d, "path"),
				   "a different file already exists at the device path", "linux.devices[%zu].path", i);
	}
}

CHECK_FN(DV06)
{
	json_t *list = json_object_get(linux_obj(c), "devices"), *d;
	size_t i;

	json_array_foreach(list, i, d) {
		json_t *mode = json_object_get(d, "fileMode");
		const char *p = json_string_value(json_object_get(d, "path"));
		if (mode != NULL && (!check_is_int(mode) || check_num(mode) < 0 || check_num(mode) > 511))
			check_fail(c, NULL, mode, "device fileMode holds more than permission bits",
				   "linux.devices[%zu].fileMode", i);
		for (size_t j = 0; p != NULL && j < i; j++) {
			const char *q = json_string_value(json_object_get(json_array_get(list, j), "path"));
			if (q != NULL && strcmp(p, q) == 0) {
				check_fail(c, NULL, json_object_get(d, "path"), "device path is used twice",
					   "linux.devices[%zu].path", i);
				break;
			}
		}
	}
}

static bool ifname_valid(const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;

	if (n == 0 || n > 15 || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return false;
	for (; *s != '\0'; s++)
		if (*s == '/' || *s == ':' || isspace((unsigned char)*s))
			return false;
	return true;
}

CHECK_FN(ND01)
{
	json_t *nd = json_object_get(linux_obj(c), "netDevices"), *v;
	const char *host;
	void *iter;

	if (!check_has_ns(c->doc, "network"))
		check_fail(c, NULL, NULL, "net devices without a network namespace", "linux.netDevices");
	json_object_foreach(nd, host, v) {
		json_t *name = json_object_get(v, "name");
		json_t *k = json_string(host);
		if (!ifname_valid(host))
			check_fail(c, NULL, k, "host interface name is not valid", "linux.netDevices");
		json_decref(k);
		if (name != NULL && !ifname_valid(json_string_value(name)))
			check_fail(c, NULL, name, "target interface name is not valid",
				   "linux.netDevices[\"%s\"].name", host);
		/* Two devices may share a target name only as a %d template. */
		for (iter = json_object_iter(nd); name != NULL && iter != json_object_key_to_iter(host);
		     iter = json_object_iter_next(nd, iter)) {
			json_t *other = json_object_get(json_object_iter_value(iter), "name");
			if (json_equal(other, name) && strstr(json_string_value(name), "%d") == NULL) {
				check_fail(c, NULL, name, "target interface name is used twice",
					   "linux.netDevices[\"%s\"].name", host);
				break;
			}
		}
	}
}

CHECK_FN(RP01)
{
	static const char *const values[] = { "shared", "slave", "private", "unbindable", NULL };
	json_t *v = json_object_get(linux_obj(c), "rootfsPropagation");

	if (!check_in(json_string_value(v), values))
		check_fail(c, NULL, v, "rootfsPropagation is not shared, slave, private or unbindable",
			   "linux.rootfsPropagation");
}

static void paths_absolute(struct check_ctx *c, const char *key)
{
	json_t *p;
	size_t i;

	json_array_foreach(json_object_get(linux_obj(c), key), i, p)
		if (!check_is_abs(json_string_value(p)))
			check_fail(c, NULL, p, "path is not absolute", "linux.%s[%zu]", key, i);
}

CHECK_FN(MK01)
{
	paths_absolute(c, "maskedPaths");
}

CHECK_FN(RO01)
{
	paths_absolute(c, "readonlyPaths");
}

/* user:role:type[:level], the level itself may hold colons (s0:c1,c2). */
static bool selinux_context(const char *s)
{
	int parts = 0;

	while (*s != '\0') {
		size_t n = strcspn(s, ":");
		if (n == 0)
			return false;
		parts++;
		s += n;
		if (*s == ':')
			s++;
		if (parts == 3)
			break;
	}
	return parts == 3;
}

CHECK_FN(LB01)
{
	json_t *labels[] = { json_object_get(linux_obj(c), "mountLabel"), check_get(c->doc, "process.selinuxLabel") };
	const char *paths[] = { "linux.mountLabel", "process.selinuxLabel" };

	for (size_t i = 0; i < 2; i++) {
		const char *s = json_string_value(labels[i]);
		if (labels[i] == NULL || (s != NULL && s[0] == '\0'))
			continue;
		if (s == NULL || !selinux_context(s))
			check_fail(c, NULL, labels[i], "label is not an SELinux context user:role:type[:level]",
				   "%s", paths[i]);
	}
}

CHECK_FN(PS01)
{
	static const char *const domains[] = { "LINUX", "LINUX32", NULL };
	json_t *d = check_get(c->doc, "linux.personality.domain");

	if (!check_in(json_string_value(d), domains))
		check_fail(c, NULL, d, "personality.domain is missing or not LINUX or LINUX32",
			   "linux.personality.domain");
}

CHECK_FN(PS02)
{
	json_t *f = check_get(c->doc, "linux.personality.flags");

	if (json_array_size(f) > 0)
		check_fail(c, NULL, f, "personality.flags is not empty", "linux.personality.flags");
}

static const char *const mpol_modes[] = {
	"MPOL_DEFAULT", "MPOL_BIND", "MPOL_INTERLEAVE", "MPOL_WEIGHTED_INTERLEAVE", "MPOL_PREFERRED",
	"MPOL_PREFERRED_MANY", "MPOL_LOCAL", NULL,
};

CHECK_FN(MP01)
{
	static const char *const flags[] = {
		"MPOL_F_NUMA_BALANCING", "MPOL_F_RELATIVE_NODES", "MPOL_F_STATIC_NODES", NULL,
	};
	json_t *mp = json_object_get(linux_obj(c), "memoryPolicy"), *f;
	size_t i;

	if (!check_in(json_string_value(json_object_get(mp, "mode")), mpol_modes))
		check_fail(c, NULL, json_object_get(mp, "mode"), "memoryPolicy.mode is missing or not an MPOL_* mode",
			   "linux.memoryPolicy.mode");
	json_array_foreach(json_object_get(mp, "flags"), i, f)
		if (!check_in(json_string_value(f), flags))
			check_fail(c, NULL, f, "memoryPolicy flag is not an MPOL_F_* value",
				   "linux.memoryPolicy.flags[%zu]", i);
}

CHECK_FN(MP02)
{
	json_t *mp = json_object_get(linux_obj(c), "memoryPolicy");
	const char *mode = json_string_value(json_object_get(mp, "mode"));
	json_t *nodes = json_object_get(mp, "nodes");
	const char *list = json_string_value(nodes);
	bool empty = list == NULL || list[0] == '\0';

	if (mode == NULL)
		return;
	if (nodes != NULL && (list == NULL || !check_is_cpu_list(list)))
		check_fail(c, NULL, nodes, "memoryPolicy.nodes is not a node list", "linux.memoryPolicy.nodes");
	else if (!empty && (strcmp(mode, "MPOL_DEFAULT") == 0 || strcmp(mode, "MPOL_LOCAL") == 0))
		check_fail(c, NULL, nodes, "memoryPolicy mode takes no nodes", "linux.memoryPolicy.nodes");
	else if (empty && strcmp(mode, "MPOL_PREFERRED") != 0 && strcmp(mode, "MPOL_DEFAULT") != 0 &&
		 strcmp(mode, "MPOL_LOCAL") != 0 && check_in(mode, mpol_modes))
		check_fail(c, NULL, json_object_get(mp, "mode"), "memoryPolicy mode needs at least one node",
			   "linux.memoryPolicy.nodes");
}

static void schema_line(struct check_ctx *c, const char *key, const char *prefix, const char *message)
{
	json_t *v = check_get(c->doc, key);
	const char *s = json_string_value(v);

	if (v != NULL && (s == NULL || strncmp(s, prefix, strlen(prefix)) != 0 || strchr(s, '\n') != NULL))
		check_fail(c, NULL, v, message, "%s", key);
}

CHECK_FN(RD01)
{
	schema_line(c, "linux.intelRdt.memBwSchema", "MB:", "memBwSchema does not start with MB: or holds a newline");
}

CHECK_FN(RD02)
{
	schema_line(c, "linux.intelRdt.l3CacheSchema", "L3:", "l3CacheSchema does not start with L3: or holds a newline");
}

CHECK_FN(RD03)
{
	json_t *s;
	size_t i;

	json_array_foreach(check_get(c->doc, "linux.intelRdt.schemata"), i, s)
		if (!json_is_string(s) || strchr(json_string_value(s), '\n') != NULL)
			check_fail(c, NULL, s, "schemata line holds a newline", "linux.intelRdt.schemata[%zu]", i);
}

CHECK_FN(RD04)
{
	json_t *v = check_get(c->doc, "linux.intelRdt.closID");
	const char *s = json_string_value(v);
	struct spec_version v130 = { 1, 3, 0 };

	if (s == NULL)
		return;
	if (strcmp(s, "/") == 0) {
		if (spec_version_cmp(c->version, v130) < 0)
			check_fail(c, NULL, v, "closID / means the default CLOS only since 1.3.0",
				   "linux.intelRdt.closID");
	} else if (s[0] == '\0' || strcmp(s, ".") == 0 || strcmp(s, "..") == 0 || strchr(s, '/') != NULL) {
		check_fail(c, NULL, v, "closID is not a plain name", "linux.intelRdt.closID");
	}
}

CHECK_FN(RD05)
{
	json_t *rdt = check_get(c->doc, "linux.intelRdt");

	if (json_object_get(rdt, "enableCMT") != NULL || json_object_get(rdt, "enableMBM") != NULL)
		check_fail(c, NULL, NULL, "enableCMT/enableMBM were replaced by enableMonitoring in 1.3.0",
			   "linux.intelRdt");
}
