#include "realexec/resources.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/file.h"
#include "common/json.h"
#include "realexec/devices_bpf.h"

/* ---- conversions ---------------------------------------------------- */

#define LN2 0.693147180559945309417232121458176568L
#define LN10 2.302585092994045684017909754862291135L

/* ln(m) for m in [1, 2): 2·atanh((m-1)/(m+1)), whose series converges fast
 * there. Computed without libm so the library links without -lm; in long
 * double, then rounded to double, it gives libm's (and Go's) weight for
 * every shares value in [3, 262143]. */
static long double ln_1_2(long double m)
{
	long double z = (m - 1) / (m + 1), z2 = z * z, term = z, sum = 0;

	for (int k = 1; k < 80; k += 2) {
		sum += term / k;
		term *= z2;
	}
	return 2 * sum;
}

static double log2_of(uint64_t x)
{
	long double m = (long double)x;
	int k = 0;

	while (m >= 2) {
		m /= 2;
		k++;
	}
	return (double)(k + ln_1_2(m) / LN2);
}

static double pow10_of(double e)
{
	long double y = (long double)e * LN10, r, term = 1, sum = 1;
	long n = (long)(y / LN2 + 0.5L);

	r = y - (long double)n * LN2;
	for (int i = 1; i < 40; i++) {
		term *= r / i;
		sum += term;
	}
	for (; n > 0; n--)
		sum *= 2;
	for (; n < 0; n++)
		sum /= 2;
	return (double)sum;
}

uint64_t rx_cpu_shares_to_weight(uint64_t shares)
{
	double l, e, v;
	uint64_t w;

	/* runc ≥ 1.4: a quadratic in log2(shares) through (2, 1), (1024, 100)
	 * and (262144, 10000), so the default shares give the default weight. */
	if (shares == 0)
		return 0;
	if (shares <= 2)
		return 1;
	if (shares >= 262144)
		return 10000;
	l = log2_of(shares);
	e = (l * l + 125 * l) / 612.0 - 7.0 / 34.0;
	v = pow10_of(e);
	w = (uint64_t)v;
	return (double)w < v ? w + 1 : w;
}

uint64_t rx_blkio_weight_to_io_weight(uint64_t weight)
{
	/* [10, 1000] onto [1, 10000], linearly. */
	if (weight == 0)
		return 0;
	return 1 + (weight - 10) * 9999 / 990;
}

int rx_memory_swap_to_v2(int64_t swap, int64_t limit, int64_t *out, mr_error **err)
{
	/* v1's swap is memory+swap; v2's memory.swap.max is swap alone. */
	if (limit == -1 && swap == 0)
		*out = -1;
	else if (swap == -1 || swap == 0 || limit == -1)
		*out = swap;
	else if (limit == 0)
		return mr_error_set(err, 0, "unable to set swap limit without memory limit");
	else if (limit < 0)
		return mr_error_set(err, 0, "invalid memory value: %lld", (long long)limit);
	else if (swap < limit)
		return mr_error_set(err, 0, "memory+swap limit should be >= memory limit");
	else
		*out = swap - limit;
	return 0;
}

/* ---- the shape of linux.resources, for Go-style type errors ---------- */

enum node_kind { N_INT, N_BOOL, N_STR, N_STRUCT, N_SLICE, N_MAP };

struct field;

struct node {
	enum node_kind kind;
	const char *type;            /* the Go type, as runc's decoder names it */
	int64_t min, max;            /* N_INT */
	const struct field *fields;  /* N_STRUCT, ends with a NULL name */
	const char *struct_name;     /* N_STRUCT */
	const struct node *elem;     /* N_SLICE, N_MAP */
};

struct field {
	const char *name;
	const struct node *node;
};

static const struct node t_i64 = { N_INT, "int64", INT64_MIN, INT64_MAX, 0, 0, 0 };
/* jansson holds no integer above INT64_MAX, so that is uint64's ceiling. */
static const struct node t_u64 = { N_INT, "uint64", 0, INT64_MAX, 0, 0, 0 };
static const struct node t_u32 = { N_INT, "uint32", 0, UINT32_MAX, 0, 0, 0 };
static const struct node t_u16 = { N_INT, "uint16", 0, UINT16_MAX, 0, 0, 0 };
static const struct node t_bool = { N_BOOL, "bool", 0, 0, 0, 0, 0 };
static const struct node t_str = { N_STR, "string", 0, 0, 0, 0, 0 };

static const struct field f_device[] = {
	{ "allow", &t_bool }, { "type", &t_str }, { "major", &t_i64 }, { "minor", &t_i64 },
	{ "access", &t_str }, { NULL, NULL },
};
static const struct node t_device = { N_STRUCT, "specs.LinuxDeviceCgroup", 0, 0, f_device,
				      "LinuxDeviceCgroup", 0 };
static const struct node t_devices = { N_SLICE, "[]specs.LinuxDeviceCgroup", 0, 0, 0, 0,
				       &t_device };

static const struct field f_memory[] = {
	{ "limit", &t_i64 }, { "reservation", &t_i64 }, { "swap", &t_i64 }, { "kernel", &t_i64 },
	{ "kernelTCP", &t_i64 }, { "swappiness", &t_u64 }, { "disableOOMKiller", &t_bool },
	{ "useHierarchy", &t_bool }, { "checkBeforeUpdate", &t_bool }, { NULL, NULL },
};
static const struct node t_memory = { N_STRUCT, "specs.LinuxMemory", 0, 0, f_memory,
				      "LinuxMemory", 0 };

static const struct field f_cpu[] = {
	{ "shares", &t_u64 }, { "quota", &t_i64 }, { "burst", &t_u64 }, { "period", &t_u64 },
	{ "realtimeRuntime", &t_i64 }, { "realtimePeriod", &t_u64 }, { "cpus", &t_str },
	{ "mems", &t_str }, { "idle", &t_i64 }, { NULL, NULL },
};
static const struct node t_cpu = { N_STRUCT, "specs.LinuxCPU", 0, 0, f_cpu, "LinuxCPU", 0 };

static const struct field f_pids[] = { { "limit", &t_i64 }, { NULL, NULL } };
static const struct node t_pids = { N_STRUCT, "specs.LinuxPids", 0, 0, f_pids, "LinuxPids", 0 };

static const struct field f_wdev[] = {
	{ "major", &t_i64 }, { "minor", &t_i64 }, { "weight", &t_u16 }, { "leafWeight", &t_u16 },
	{ NULL, NULL },
};
static const struct node t_wdev = { N_STRUCT, "specs.LinuxWeightDevice", 0, 0, f_wdev,
				    "LinuxWeightDevice", 0 };
static const struct node t_wdevs = { N_SLICE, "[]specs.LinuxWeightDevice", 0, 0, 0, 0, &t_wdev };
static const struct field f_tdev[] = {
	{ "major", &t_i64 }, { "minor", &t_i64 }, { "rate", &t_u64 }, { NULL, NULL },
};
static const struct node t_tdev = { N_STRUCT, "specs.LinuxThrottleDevice", 0, 0, f_tdev,
				    "LinuxThrottleDevice", 0 };
static const struct node t_tdevs = { N_SLICE, "[]specs.LinuxThrottleDevice", 0, 0, 0, 0,
				     &t_tdev };
static const struct field f_blkio[] = {
	{ "weight", &t_u16 }, { "leafWeight", &t_u16 }, { "weightDevice", &t_wdevs },
	{ "throttleReadBpsDevice", &t_tdevs }, { "throttleWriteBpsDevice", &t_tdevs },
	{ "throttleReadIOPSDevice", &t_tdevs }, { "throttleWriteIOPSDevice", &t_tdevs },
	{ NULL, NULL },
};
static const struct node t_blkio = { N_STRUCT, "specs.LinuxBlockIO", 0, 0, f_blkio,
				     "LinuxBlockIO", 0 };

static const struct field f_hugepage[] = {
	{ "pageSize", &t_str }, { "limit", &t_u64 }, { NULL, NULL },
};
static const struct node t_hugepage = { N_STRUCT, "specs.LinuxHugepageLimit", 0, 0, f_hugepage,
					"LinuxHugepageLimit", 0 };
static const struct node t_hugepages = { N_SLICE, "[]specs.LinuxHugepageLimit", 0, 0, 0, 0,
					 &t_hugepage };

static const struct field f_prio[] = { { "name", &t_str }, { "priority", &t_u32 }, { NULL, NULL } };
static const struct node t_prio = { N_STRUCT, "specs.LinuxInterfacePriority", 0, 0, f_prio,
				    "LinuxInterfacePriority", 0 };
static const struct node t_prios = { N_SLICE, "[]specs.LinuxInterfacePriority", 0, 0, 0, 0,
				     &t_prio };
static const struct field f_network[] = {
	{ "classID", &t_u32 }, { "priorities", &t_prios }, { NULL, NULL },
};
static const struct node t_network = { N_STRUCT, "specs.LinuxNetwork", 0, 0, f_network,
				       "LinuxNetwork", 0 };

static const struct field f_rdma[] = {
	{ "hcaHandles", &t_u32 }, { "hcaObjects", &t_u32 }, { NULL, NULL },
};
static const struct node t_rdma_entry = { N_STRUCT, "specs.LinuxRdma", 0, 0, f_rdma,
					  "LinuxRdma", 0 };
static const struct node t_rdma = { N_MAP, "map[string]specs.LinuxRdma", 0, 0, 0, 0,
				    &t_rdma_entry };
static const struct node t_unified = { N_MAP, "map[string]string", 0, 0, 0, 0, &t_str };

static const struct field f_resources[] = {
	{ "devices", &t_devices }, { "memory", &t_memory }, { "cpu", &t_cpu }, { "pids", &t_pids },
	{ "blockIO", &t_blkio }, { "hugepageLimits", &t_hugepages }, { "network", &t_network },
	{ "rdma", &t_rdma }, { "unified", &t_unified }, { NULL, NULL },
};
static const struct node t_resources = { N_STRUCT, "specs.LinuxResources", 0, 0, f_resources,
					 "LinuxResources", 0 };

static const char *json_kind(json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "object";
	case JSON_ARRAY: return "array";
	case JSON_STRING: return "string";
	case JSON_TRUE:
	case JSON_FALSE: return "bool";
	default: return "number";
	}
}

/* A real as Go prints the literal back: the shortest text that reads as
 * the same double. */
static void real_text(double d, char buf[40])
{
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, 40, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			return;
	}
}

static int type_error(const char *value, const char *struct_name, const char *path,
		      const char *type, mr_error **err)
{
	if (struct_name == NULL)
		return mr_error_set(err, 0, "json: cannot unmarshal %s into Go value of type %s",
				    value, type);
	return mr_error_set(err, 0, "json: cannot unmarshal %s into Go struct field %s.%s of type %s",
			    value, struct_name, path, type);
}

/* Go matches a key to a field exactly or, failing that, ignoring case. */
static const struct field *field_for(const struct field *fields, const char *key)
{
	for (const struct field *f = fields; f->name != NULL; f++)
		if (strcmp(f->name, key) == 0)
			return f;
	for (const struct field *f = fields; f->name != NULL; f++)
		if (strcasecmp(f->name, key) == 0)
			return f;
	return NULL;
}

static int check_node(json_t *v, const struct node *n, const char *struct_name, const char *path,
		      mr_error **err)
{
	if (json_is_null(v))
		return 0;
	switch (n->kind) {
	case N_INT:
		if (json_is_integer(v)) {
			json_int_t i = json_integer_value(v);
			if (i < n->min || i > n->max) {
				char text[48];
				snprintf(text, sizeof text, "number %lld", (long long)i);
				return type_error(text, struct_name, path, n->type, err);
			}
			return 0;
		}
		if (json_is_real(v)) {
			char lit[40], text[48];
			real_text(json_real_value(v), lit);
			snprintf(text, sizeof text, "number %s", lit);
			return type_error(text, struct_name, path, n->type, err);
		}
		return type_error(json_kind(v), struct_name, path, n->type, err);
	case N_BOOL:
		return json_is_boolean(v) ? 0 : type_error(json_kind(v), struct_name, path, n->type, err);
	case N_STR:
		return json_is_string(v) ? 0 : type_error(json_kind(v), struct_name, path, n->type, err);
	case N_SLICE: {
		json_t *e;
		size_t i;
		if (!json_is_array(v))
			return type_error(json_kind(v), struct_name, path, n->type, err);
		json_array_foreach(v, i, e) {
			if (check_node(e, n->elem, struct_name, path, err) < 0)
				return -1;
		}
		return 0;
	}
	case N_MAP: {
		const char *k;
		json_t *e;
		if (!json_is_object(v))
			return type_error(json_kind(v), struct_name, path, n->type, err);
		json_object_foreach(v, k, e) {
			if (check_node(e, n->elem, struct_name, path, err) < 0)
				return -1;
		}
		return 0;
	}
	case N_STRUCT: {
		const char *k;
		json_t *e;
		if (!json_is_object(v))
			return type_error(json_kind(v), struct_name, path, n->type, err);
		json_object_foreach(v, k, e) {
			const struct field *f = field_for(n->fields, k);
			cleanup_free char *sub = NULL;
			if (f == NULL)
				continue;
			if (asprintf(&sub, "%s%s%s", path, *path != '\0' ? "." : "", f->name) < 0)
				return mr_error_set(err, ENOMEM, "resources");
			if (check_node(e, f->node, n->struct_name, sub, err) < 0)
				return -1;
		}
		return 0;
	}
	}
	return 0;
}

/* ---- reading the (checked) JSON -------------------------------------- */

/* The value of a struct field as Go would have decoded it: the last key
 * naming it (exactly or ignoring case); null counts as absent. */
static json_t *get(json_t *obj, const char *name)
{
	json_t *found = NULL, *v;
	const char *k;

	/* No two fields of these structs differ only in case, so a key names
	 * a field exactly when it equals it ignoring case. */
	if (!json_is_object(obj))
		return NULL;
	json_object_foreach(obj, k, v) {
		if (strcasecmp(k, name) == 0)
			found = v;
	}
	return json_is_null(found) ? NULL : found;
}

struct opt {
	bool set;
	int64_t v;
};

static struct opt get_int(json_t *obj, const char *name)
{
	json_t *v = get(obj, name);

	return (struct opt){ json_is_integer(v), json_is_integer(v) ? json_integer_value(v) : 0 };
}

static int64_t get_int0(json_t *obj, const char *name)
{
	return get_int(obj, name).v;
}

static bool get_bool(json_t *obj, const char *name)
{
	return json_is_true(get(obj, name));
}

static const char *get_str(json_t *obj, const char *name)
{
	const char *s = json_string_value(get(obj, name));

	return s != NULL ? s : "";
}

/* ---- device rules ----------------------------------------------------- */

struct default_device {
	const char *path;   /* NULL: not a device node */
	struct rx_dev_rule rule;
};

/* runc's AllowedDevices, appended to every container's rules. */
static const struct default_device default_devices[] = {
	{ NULL, { 'c', RX_DEV_WILDCARD, RX_DEV_WILDCARD, RX_DEV_MKNOD, true } },
	{ NULL, { 'b', RX_DEV_WILDCARD, RX_DEV_WILDCARD, RX_DEV_MKNOD, true } },
	{ "/dev/null", { 'c', 1, 3, RX_DEV_RWM, true } },
	{ "/dev/random", { 'c', 1, 8, RX_DEV_RWM, true } },
	{ "/dev/full", { 'c', 1, 7, RX_DEV_RWM, true } },
	{ "/dev/tty", { 'c', 5, 0, RX_DEV_RWM, true } },
	{ "/dev/zero", { 'c', 1, 5, RX_DEV_RWM, true } },
	{ "/dev/urandom", { 'c', 1, 9, RX_DEV_RWM, true } },
	{ NULL, { 'c', 136, RX_DEV_WILDCARD, RX_DEV_RWM, true } },
	{ NULL, { 'c', 5, 2, RX_DEV_RWM, true } },
	{ NULL, { 'c', 10, 200, RX_DEV_RWM, true } },
};

static bool config_lists_path(json_t *linux_devices, const char *path)
{
	json_t *d;
	size_t i;

	json_array_foreach(linux_devices, i, d) {
		const char *p = mr_json_str(d, "path");
		if (p != NULL && strcmp(p, path) == 0)
			return true;
	}
	return false;
}

static int device_rule(json_t *d, size_t index, struct rx_dev_rule *r, mr_error **err)
{
	const char *type = get_str(d, "type");
	struct opt major = get_int(d, "major"), minor = get_int(d, "minor");
	const char *access = get_str(d, "access");

	if (*type == '\0')
		type = "a";
	if (*access == '\0')
		return mr_error_set(err, 0, "device access at %zu field cannot be empty", index);
	if (strcmp(type, "a") != 0 && strcmp(type, "b") != 0 && strcmp(type, "c") != 0)
		return mr_error_set(err, 0, "invalid cgroup device type \"%s\"", type);
	*r = (struct rx_dev_rule){ type[0], major.set ? major.v : RX_DEV_WILDCARD,
				   minor.set ? minor.v : RX_DEV_WILDCARD, rx_dev_access_bits(access),
				   get_bool(d, "allow") };
	return 0;
}

/* The state the container's rules ask for. */
static int device_target(json_t *resources, const struct rx_resources_opts *o,
			 struct rx_dev_state *s, mr_error **err)
{
	json_t *list = get(resources, "devices"), *d;
	size_t i;

	/* Before any rule, nothing is allowed (runc starts from a deny-all). */
	rx_dev_state_init(s, false);
	json_array_foreach(list, i, d) {
		struct rx_dev_rule r;
		if (json_is_null(d))
			continue;
		if (device_rule(d, i, &r, err) < 0 || rx_dev_state_apply(s, &r, err) < 0) {
			rx_dev_state_free(s);
			return -1;
		}
	}
	for (size_t k = 0; o->default_devices && k < sizeof default_devices / sizeof *default_devices;
	     k++) {
		const struct default_device *dd = &default_devices[k];
		if (dd->path != NULL && config_lists_path(o->linux_devices, dd->path))
			continue;
		if (rx_dev_state_apply(s, &dd->rule, err) < 0) {
			rx_dev_state_free(s);
			return -1;
		}
	}
	return 0;
}

/* ---- checking --------------------------------------------------------- */

int rx_resources_check(json_t *resources, const char *where, const struct rx_cgroups *cg,
		       mr_error **err)
{
	bool update = where == NULL || *where == '\0';
	json_t *devices, *d, *memory;
	size_t i;

	if (resources == NULL || json_is_null(resources))
		return 0;
	if (update) {
		if (check_node(resources, &t_resources, NULL, "", err) < 0)
			return -1;
	} else {
		if (!json_is_object(resources))
			return type_error(json_kind(resources), "Linux", where, t_resources.type, err);
		if (check_node(resources, &t_resources, "Linux", where, err) < 0)
			return -1;
		devices = get(resources, "devices");
		json_array_foreach(devices, i, d) {
			struct rx_dev_rule r;
			if (!json_is_null(d) && device_rule(d, i, &r, err) < 0)
				return -1;
		}
	}
	if (cg == NULL)
		return 0;
	if (!cg->unified_only && json_object_size(get(resources, "unified")) > 0)
		return mr_error_set(err, 0, "invalid configuration: cannot use unified on cgroup v1");
	memory = get(resources, "memory");
	/* An update may give the swap alone; its limit is then the cgroup's. */
	if (cg->unified_only && memory != NULL && !update) {
		int64_t out;
		if (rx_memory_swap_to_v2(get_int0(memory, "swap"), get_int0(memory, "limit"), &out,
					 err) < 0)
			return -1;
	}
	return 0;
}

/* ---- writing cgroup files --------------------------------------------- */

struct ctx {
	const struct rx_cgroups *cg;
	const struct rx_resources_opts *o;
	json_t *r;
	const char *subsys;   /* the v1 controller being written */
	const char *dir;      /* its directory, NULL when not mounted */
	mr_error **err;
};

/* runc gives a controller the host has not mounted no directory, and turns
 * any attempt to use it into this. */
static int no_dir(struct ctx *c)
{
	return mr_error_set(c->err, 0, "cannot set %s limit: container could not join or create cgroup",
			    c->subsys);
}

static int open_file(struct ctx *c, const char *file, int flags, char **path_out)
{
	cleanup_free char *path = NULL;
	int fd;

	if (c->dir == NULL)
		return no_dir(c);
	path = mr_path_join(c->dir, file);
	if (path == NULL)
		return mr_error_set(c->err, ENOMEM, "cgroups");
	fd = open(path, flags | O_CLOEXEC);
	if (fd < 0)
		return mr_error_set(c->err, errno, "openat2 %s", path);
	if (path_out != NULL)
		*path_out = mr_steal_ptr(path);
	return fd;
}

static int write_fd(struct ctx *c, int fd, const char *path, const char *value)
{
	if (c->o->trace != NULL)
		c->o->trace(c->o->trace_arg, path, value);
	if (mr_write_all(fd, value, strlen(value)) < 0) {
		int saved = errno;
		cleanup_free char *q = mr_json_quote_go(value);
		return mr_error_set(c->err, saved, "failed to write %s: write %s", q != NULL ? q : value,
				    path);
	}
	return 0;
}

/* Writes one value; O_TRUNC as a shell's ">" does, which cgroupfs ignores
 * and which keeps a plain file (a test's fake tree) holding the value. */
static int write_value(struct ctx *c, const char *file, const char *value)
{
	cleanup_free char *path = NULL;
	cleanup_close int fd = open_file(c, file, O_WRONLY | O_TRUNC, &path);

	if (fd < 0)
		return -1;
	return write_fd(c, fd, path, value);
}

static int write_int(struct ctx *c, const char *file, int64_t v)
{
	char buf[24];

	snprintf(buf, sizeof buf, "%lld", (long long)v);
	return write_value(c, file, buf);
}

static int read_value(struct ctx *c, const char *file, char **out)
{
	cleanup_free char *path = NULL;
	cleanup_close int fd = open_file(c, file, O_RDONLY, &path);
	size_t len = 0;

	if (fd < 0)
		return -1;
	if (mr_read_fd(fd, out, &len, c->err) < 0)
		return mr_error_wrap(c->err, "read %s", path);
	while (len > 0 && ((*out)[len - 1] == '\n' || (*out)[len - 1] == ' '))
		(*out)[--len] = '\0';
	return 0;
}

static int read_u64(struct ctx *c, const char *file, uint64_t *v)
{
	cleanup_free char *s = NULL;
	char *end;

	if (read_value(c, file, &s) < 0)
		return -1;
	if (strcmp(s, "max") == 0) {
		*v = UINT64_MAX;
		return 0;
	}
	errno = 0;
	*v = strtoull(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0')
		return mr_error_set(c->err, errno != 0 ? errno : EINVAL, "unable to parse %s/%s", c->dir,
				    file);
	return 0;
}

static bool file_exists(const char *dir, const char *file)
{
	cleanup_free char *path = dir != NULL ? mr_path_join(dir, file) : NULL;

	return path != NULL && access(path, F_OK) == 0;
}

static bool has_option(const char *options, const char *ctrl)
{
	size_t n = strlen(ctrl);

	for (const char *p = options; p != NULL && (p = strstr(p, ctrl)) != NULL; p += n)
		if ((p == options || p[-1] == ',') && (p[n] == '\0' || p[n] == ','))
			return true;
	return false;
}

/* cgroup.controllers is a space-separated list. */
static bool in_list(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; p != NULL && (p = strstr(p, word)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' ' || p[n] == '\n'))
			return true;
	return false;
}

const char *rx_cgroup_v1_dir(const struct rx_cgroups *cg, const char *controller)
{
	for (size_t i = 0; i < cg->n; i++)
		if (!cg->dirs[i].v2 && has_option(cg->dirs[i].options, controller))
			return cg->dirs[i].path;
	return NULL;
}

const char *rx_cgroup_v2_dir(const struct rx_cgroups *cg)
{
	for (size_t i = 0; i < cg->n; i++)
		if (cg->dirs[i].v2)
			return cg->dirs[i].path;
	return NULL;
}

/* In a user namespace the devices cgroup cannot be written (runc skips it). */
static bool in_user_namespace(void)
{
	cleanup_free char *map = NULL;
	size_t len = 0;
	cleanup_error mr_error *ignored = NULL;
	unsigned long a, b, n;

	if (mr_read_file("/proc/self/uid_map", &map, &len, &ignored) < 0)
		return false;
	return !(sscanf(map, "%lu %lu %lu", &a, &b, &n) == 3 && a == 0 && b == 0 && n == 4294967295UL);
}

/* ---- memory ------------------------------------------------------------ */

static int check_usage(struct ctx *c, const char *usage_file, int64_t limit, int64_t swap)
{
	uint64_t usage;
	cleanup_error mr_error *ignored = NULL;
	mr_error **saved = c->err;

	if (!get_bool(get(c->r, "memory"), "checkBeforeUpdate") || (limit <= 0 && swap <= 0))
		return 0;
	/* Best effort, as in runc: no usage to read, no check. */
	c->err = &ignored;
	if (read_u64(c, usage_file, &usage) < 0) {
		c->err = saved;
		return 0;
	}
	c->err = saved;
	if (swap > 0 && (uint64_t)swap <= usage)
		return mr_error_set(c->err, 0, "rejecting memory+swap limit %lld <= usage %llu",
				    (long long)swap, (unsigned long long)usage);
	if (limit > 0 && (uint64_t)limit <= usage)
		return mr_error_set(c->err, 0, "rejecting memory limit %lld <= usage %llu",
				    (long long)limit, (unsigned long long)usage);
	return 0;
}

static int v1_set_limit(struct ctx *c, int64_t limit)
{
	mr_error *e = NULL;
	mr_error **saved = c->err;
	uint64_t usage = 0, peak = 0;
	int rc;

	if (limit == 0)
		return 0;
	c->err = &e;
	rc = write_int(c, "memory.limit_in_bytes", limit);
	c->err = saved;
	if (rc == 0)
		return 0;
	if (e->errnum != EBUSY) {
		*c->err = e;
		return -1;
	}
	/* EBUSY: the kernel could not reclaim down to the new limit. */
	mr_error_free(&e);
	if (read_u64(c, "memory.usage_in_bytes", &usage) < 0 ||
	    read_u64(c, "memory.max_usage_in_bytes", &peak) < 0)
		return -1;
	return mr_error_set(c->err, 0, "unable to set memory limit to %lld (current usage: %llu, peak usage: %llu)",
			    (long long)limit, (unsigned long long)usage, (unsigned long long)peak);
}

static int v1_set_swap(struct ctx *c, int64_t swap)
{
	return swap == 0 ? 0 : write_int(c, "memory.memsw.limit_in_bytes", swap);
}

static int v1_memory(struct ctx *c)
{
	json_t *m = get(c->r, "memory");
	int64_t limit = get_int0(m, "limit"), swap = get_int0(m, "swap");
	int64_t reservation = get_int0(m, "reservation");
	struct opt swappiness = get_int(m, "swappiness");

	if (m == NULL)
		return 0;
	if (check_usage(c, "memory.usage_in_bytes", limit, swap) < 0)
		return -1;
	/* An unlimited memory with no swap given means unlimited swap too. */
	if (limit == -1 && swap == 0 && file_exists(c->dir, "memory.memsw.limit_in_bytes"))
		swap = -1;
	/* memory.limit must stay <= memory.memsw.limit at every step, so the
	 * order of the two writes depends on where the limit moves. */
	if (limit != 0 && swap != 0) {
		uint64_t cur;
		if (read_u64(c, "memory.limit_in_bytes", &cur) < 0)
			return -1;
		if (swap == -1 || cur < (uint64_t)swap) {
			if (v1_set_swap(c, swap) < 0 || v1_set_limit(c, limit) < 0)
				return -1;
			goto rest;
		}
	}
	if (v1_set_limit(c, limit) < 0 || v1_set_swap(c, swap) < 0)
		return -1;
rest:
	if (reservation != 0 && write_int(c, "memory.soft_limit_in_bytes", reservation) < 0)
		return -1;
	if (get_bool(m, "disableOOMKiller") && write_value(c, "memory.oom_control", "1") < 0)
		return -1;
	if (swappiness.set) {
		if (swappiness.v > 100)
			return mr_error_set(c->err, 0,
					    "invalid memory swappiness value: %lld (valid range is 0-100)",
					    (long long)swappiness.v);
		if (write_int(c, "memory.swappiness", swappiness.v) < 0)
			return -1;
	}
	/* useHierarchy: runc ignores it (kernels keep v1 memory hierarchical). */
	return 0;
}

/* ---- cpu ------------------------------------------------------------- */

/* The real-time budget: period and runtime depend on each other, so a
 * period the kernel refuses (EINVAL) is retried after the runtime. */
static int v1_rt(struct ctx *c, json_t *cpu)
{
	int64_t period = get_int0(cpu, "realtimePeriod"), runtime = get_int0(cpu, "realtimeRuntime");
	bool retry = false;

	if (period != 0) {
		mr_error *e = NULL;
		mr_error **saved = c->err;
		int rc;
		c->err = &e;
		rc = write_int(c, "cpu.rt_period_us", period);
		c->err = saved;
		if (rc < 0) {
			if (e->errnum != EINVAL || runtime == 0) {
				*c->err = e;
				return -1;
			}
			mr_error_free(&e);
			retry = true;
		}
	}
	if (runtime != 0) {
		if (write_int(c, "cpu.rt_runtime_us", runtime) < 0)
			return -1;
		if (retry && write_int(c, "cpu.rt_period_us", period) < 0)
			return -1;
	}
	return 0;
}

/* Writes file, tolerating EINVAL when a later write (the quota) may make
 * the value acceptable; *retry says whether to write it again after. */
static int write_maybe_later(struct ctx *c, const char *file, int64_t v, bool can_retry,
			     bool ignore_enoent, bool *retry)
{
	mr_error *e = NULL;
	mr_error **saved = c->err;
	int rc;

	*retry = false;
	c->err = &e;
	rc = write_int(c, file, v);
	c->err = saved;
	if (rc == 0)
		return 0;
	if (ignore_enoent && e->errnum == ENOENT) {
		mr_error_free(&e);
		return 0;
	}
	if (e->errnum == EINVAL && can_retry) {
		mr_error_free(&e);
		*retry = true;
		return 0;
	}
	*c->err = e;
	return -1;
}

static int v1_cpu(struct ctx *c)
{
	json_t *cpu = get(c->r, "cpu");
	int64_t shares = get_int0(cpu, "shares"), period = get_int0(cpu, "period");
	int64_t quota = get_int0(cpu, "quota");
	struct opt burst = get_int(cpu, "burst"), idle = get_int(cpu, "idle");
	bool period_again = false, burst_again = false;

	if (cpu == NULL)
		return 0;
	if (shares != 0) {
		uint64_t got;
		if (write_int(c, "cpu.shares", shares) < 0 || read_u64(c, "cpu.shares", &got) < 0)
			return -1;
		/* The kernel clamps shares silently; say so. */
		if ((uint64_t)shares > got)
			return mr_error_set(c->err, 0, "the maximum allowed cpu-shares is %llu",
					    (unsigned long long)got);
		if ((uint64_t)shares < got)
			return mr_error_set(c->err, 0, "the minimum allowed cpu-shares is %llu",
					    (unsigned long long)got);
	}
	/* A smaller period (or larger burst) can exceed the parent's quota
	 * until the new quota is in: retry those after it. */
	if (period != 0 &&
	    write_maybe_later(c, "cpu.cfs_period_us", period, quota != 0, false, &period_again) < 0)
		return -1;
	if (burst.set &&
	    write_maybe_later(c, "cpu.cfs_burst_us", burst.v, quota != 0, true, &burst_again) < 0)
		return -1;
	if (quota != 0) {
		if (write_int(c, "cpu.cfs_quota_us", quota) < 0)
			return -1;
		if (period_again && write_int(c, "cpu.cfs_period_us", period) < 0)
			return -1;
		if (burst_again && write_int(c, "cpu.cfs_burst_us", burst.v) < 0)
			return -1;
	}
	if (idle.set && write_int(c, "cpu.idle", idle.v) < 0)
		return -1;
	return v1_rt(c, cpu);
}

static int v1_cpuset(struct ctx *c)
{
	json_t *cpu = get(c->r, "cpu");
	const char *cpus = get_str(cpu, "cpus"), *mems = get_str(cpu, "mems");
	/* A cpuset hierarchy mounted with noprefix has "cpus", not "cpuset.cpus". */
	bool noprefix = c->dir != NULL && !file_exists(c->dir, "cpuset.cpus") &&
			file_exists(c->dir, "cpus");

	if (*cpus != '\0' && write_value(c, noprefix ? "cpus" : "cpuset.cpus", cpus) < 0)
		return -1;
	if (*mems != '\0' && write_value(c, noprefix ? "mems" : "cpuset.mems", mems) < 0)
		return -1;
	return 0;
}

static int pids(struct ctx *c)
{
	struct opt limit = get_int(get(c->r, "pids"), "limit");

	if (!limit.set)
		return 0;
	/* runc ≥ 1.4: negative is unlimited; 0 becomes 1, as systemd (which
	 * refuses 0) would make it, so both drivers agree. */
	if (limit.v < 0)
		return write_value(c, "pids.max", "max");
	return write_int(c, "pids.max", limit.v == 0 ? 1 : limit.v);
}

/* "8:0 1048576", the v1 blkio form of a device entry. */
static void dev_value(char *buf, size_t size, json_t *d, const char *key, const char *name)
{
	if (name != NULL)
		snprintf(buf, size, "%lld:%lld %s=%lld", (long long)get_int0(d, "major"),
			 (long long)get_int0(d, "minor"), name, (long long)get_int0(d, key));
	else
		snprintf(buf, size, "%lld:%lld %lld", (long long)get_int0(d, "major"),
			 (long long)get_int0(d, "minor"), (long long)get_int0(d, key));
}

static const char *const throttles[4][3] = {
	/* spec field, v1 file, v2 io.max key */
	{ "throttleReadBpsDevice", "blkio.throttle.read_bps_device", "rbps" },
	{ "throttleWriteBpsDevice", "blkio.throttle.write_bps_device", "wbps" },
	{ "throttleReadIOPSDevice", "blkio.throttle.read_iops_device", "riops" },
	{ "throttleWriteIOPSDevice", "blkio.throttle.write_iops_device", "wiops" },
};

static int v1_blkio(struct ctx *c)
{
	json_t *b = get(c->r, "blockIO"), *d;
	int64_t weight = get_int0(b, "weight"), leaf = get_int0(b, "leafWeight");
	/* Without CFQ, BFQ provides the weights under its own names. */
	bool cfq = file_exists(c->dir, "blkio.weight");
	const char *wfile = cfq ? "blkio.weight" : "blkio.bfq.weight";
	const char *wdfile = cfq ? "blkio.weight_device" : "blkio.bfq.weight_device";
	char buf[96];
	size_t i;

	if (b == NULL)
		return 0;
	if (weight != 0 && write_int(c, wfile, weight) < 0)
		return -1;
	if (leaf != 0 && write_int(c, "blkio.leaf_weight", leaf) < 0)
		return -1;
	json_array_foreach(get(b, "weightDevice"), i, d) {
		if (get_int0(d, "weight") != 0) {
			dev_value(buf, sizeof buf, d, "weight", NULL);
			if (write_value(c, wdfile, buf) < 0)
				return -1;
		}
		if (get_int0(d, "leafWeight") != 0) {
			dev_value(buf, sizeof buf, d, "leafWeight", NULL);
			if (write_value(c, "blkio.leaf_weight_device", buf) < 0)
				return -1;
		}
	}
	for (int t = 0; t < 4; t++) {
		json_array_foreach(get(b, throttles[t][0]), i, d) {
			dev_value(buf, sizeof buf, d, "rate", NULL);
			if (write_value(c, throttles[t][1], buf) < 0)
				return -1;
		}
	}
	return 0;
}

/* hugetlb.<size>.<limit>, and the reservation limit beside it when the
 * kernel has one (5.7+): reservations are what a container can count on. */
static int hugetlb(struct ctx *c, const char *suffix)
{
	json_t *l;
	size_t i;
	bool rsvd = true;

	json_array_foreach(get(c->r, "hugepageLimits"), i, l) {
		const char *size = get_str(l, "pageSize");
		char file[128], value[24];
		snprintf(value, sizeof value, "%lld", (long long)get_int0(l, "limit"));
		snprintf(file, sizeof file, "hugetlb.%s.%s", size, suffix);
		if (write_value(c, file, value) < 0)
			return -1;
		if (!rsvd)
			continue;
		snprintf(file, sizeof file, "hugetlb.%s.rsvd.%s", size, suffix);
		if (c->dir != NULL && !file_exists(c->dir, file)) {
			rsvd = false;
			continue;
		}
		if (write_value(c, file, value) < 0)
			return -1;
	}
	return 0;
}

static int v1_net_cls(struct ctx *c)
{
	int64_t classid = get_int0(get(c->r, "network"), "classID");

	return classid == 0 ? 0 : write_int(c, "net_cls.classid", classid);
}

static int v1_net_prio(struct ctx *c)
{
	json_t *p;
	size_t i;

	json_array_foreach(get(get(c->r, "network"), "priorities"), i, p) {
		cleanup_free char *v = NULL;
		if (asprintf(&v, "%s %lld", get_str(p, "name"), (long long)get_int0(p, "priority")) < 0)
			return mr_error_set(c->err, ENOMEM, "cgroups");
		if (write_value(c, "net_prio.ifpriomap", v) < 0)
			return -1;
	}
	return 0;
}

static int rdma(struct ctx *c, const char *file)
{
	json_t *limits = get(c->r, "rdma"), *l;
	const char *dev;

	json_object_foreach(limits, dev, l) {
		struct opt handles = get_int(l, "hcaHandles"), objects = get_int(l, "hcaObjects");
		char v[256];
		int n = snprintf(v, sizeof v, "%s", dev);
		if (json_is_null(l))
			continue;
		if (handles.set)
			n += snprintf(v + n, sizeof v - (size_t)n, " hca_handle=%lld", (long long)handles.v);
		if (objects.set)
			snprintf(v + n, sizeof v - (size_t)n, " hca_object=%lld", (long long)objects.v);
		if (write_value(c, file, v) < 0)
			return -1;
	}
	return 0;
}

static int v1_devices(struct ctx *c)
{
	struct rx_dev_state want, have, after;
	cleanup_free struct rx_dev_rule *rules = NULL;
	cleanup_free char *list = NULL;
	size_t n = 0;
	int rc = -1;

	if (c->o->update || c->o->skip_devices || in_user_namespace())
		return 0;
	if (c->dir == NULL)
		return mr_error_set(c->err, 0, "mountpoint for devices not found");
	if (device_target(c->r, c->o, &want, c->err) < 0)
		return -1;
	if (read_value(c, "devices.list", &list) < 0 ||
	    rx_dev_state_from_list(list, &have, c->err) < 0) {
		rx_dev_state_free(&want);
		return -1;
	}
	if (rx_dev_transition(&have, &want, &rules, &n) < 0) {
		mr_error_set(c->err, ENOMEM, "devices");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		char line[RX_DEV_RULE_MAX];
		rx_dev_rule_string(&rules[i], line);
		if (write_value(c, rules[i].allow ? "devices.allow" : "devices.deny", line) < 0)
			goto out;
	}
	/* What the kernel kept must be what was asked for (an allow-all cgroup
	 * lists no exceptions, so only its mode can be compared). */
	free(list);
	list = NULL;
	if (read_value(c, "devices.list", &list) < 0 ||
	    rx_dev_state_from_list(list, &after, c->err) < 0)
		goto out;
	if (!want.default_allow && !rx_dev_state_equal(&after, &want))
		mr_error_set(c->err, 0, "resulting devices cgroup doesn't precisely match target");
	else if (want.default_allow != after.default_allow)
		mr_error_set(c->err, 0, "resulting devices cgroup doesn't match target mode");
	else
		rc = 0;
	rx_dev_state_free(&after);
out:
	rx_dev_state_free(&want);
	rx_dev_state_free(&have);
	return rc;
}

typedef int (*subsys_fn)(struct ctx *c);

static int hugetlb_v1(struct ctx *c) { return hugetlb(c, "limit_in_bytes"); }
static int rdma_v1(struct ctx *c) { return rdma(c, "rdma.max"); }

/* runc's order of the v1 controllers. */
static const struct {
	const char *name;
	subsys_fn fn;
} v1_subsystems[] = {
	{ "cpuset", v1_cpuset }, { "devices", v1_devices }, { "memory", v1_memory },
	{ "cpu", v1_cpu }, { "pids", pids }, { "blkio", v1_blkio }, { "hugetlb", hugetlb_v1 },
	{ "net_cls", v1_net_cls }, { "net_prio", v1_net_prio }, { "rdma", rdma_v1 },
};

static int apply_v1(struct ctx *c)
{
	if (json_object_size(get(c->r, "unified")) > 0)
		return mr_error_set(c->err, 0, "invalid configuration: cannot use unified on cgroup v1");
	for (size_t i = 0; i < sizeof v1_subsystems / sizeof *v1_subsystems; i++) {
		c->subsys = v1_subsystems[i].name;
		c->dir = rx_cgroup_v1_dir(c->cg, c->subsys);
		if (v1_subsystems[i].fn(c) < 0)
			return -1;
	}
	return 0;
}

/* ---- cgroup v2 ------------------------------------------------------- */

static void num_to_str(int64_t v, char buf[24])
{
	if (v == 0)
		buf[0] = '\0';
	else if (v == -1)
		snprintf(buf, 24, "max");
	else
		snprintf(buf, 24, "%lld", (long long)v);
}

static int v2_memory(struct ctx *c)
{
	json_t *m = get(c->r, "memory");
	int64_t limit = get_int0(m, "limit"), swap = get_int0(m, "swap");
	int64_t reservation = get_int0(m, "reservation"), v2swap, base = limit;
	char buf[24];

	/* swappiness, disableOOMKiller and useHierarchy have no v2 file;
	 * runc ignores them there. */
	if (limit == 0 && swap == 0 && reservation == 0)
		return 0;
	if (check_usage(c, "memory.current", limit, swap) < 0)
		return -1;
	if (c->o->update && limit == 0 && swap > 0) {
		/* runc update takes the limit not given from the container's
		 * config; the cgroup holds it. */
		cleanup_free char *cur = NULL;
		cleanup_error mr_error *ignored = NULL;
		mr_error **saved = c->err;
		c->err = &ignored;
		if (read_value(c, "memory.max", &cur) == 0)
			base = strcmp(cur, "max") == 0 ? -1 : strtoll(cur, NULL, 10);
		c->err = saved;
	}
	if (rx_memory_swap_to_v2(swap, base, &v2swap, c->err) < 0)
		return -1;
	num_to_str(v2swap, buf);
	/* memory == memory+swap: no swap at all. */
	if (buf[0] == '\0' && v2swap == 0 && swap > 0)
		snprintf(buf, sizeof buf, "0");
	if (buf[0] != '\0') {
		mr_error *e = NULL;
		mr_error **saved = c->err;
		int rc;
		c->err = &e;
		rc = write_value(c, "memory.swap.max", buf);
		c->err = saved;
		/* No swap accounting: "no limit" and "no swap" hold already. */
		if (rc < 0 && !(e->errnum == ENOENT && (strcmp(buf, "max") == 0 || strcmp(buf, "0") == 0))) {
			*c->err = e;
			return -1;
		}
		mr_error_free(&e);
	}
	num_to_str(limit, buf);
	if (buf[0] != '\0' && write_value(c, "memory.max", buf) < 0)
		return -1;
	num_to_str(reservation, buf);
	if (buf[0] != '\0' && write_value(c, "memory.low", buf) < 0)
		return -1;
	return 0;
}

static int v2_io(struct ctx *c)
{
	json_t *b = get(c->r, "blockIO"), *d, *wdevs = get(b, "weightDevice");
	int64_t weight = get_int0(b, "weight");
	cleanup_free char *bfq_path = NULL;
	cleanup_close int bfq = -1;
	bool per_device = false;
	char buf[96];
	size_t i;

	if (b == NULL)
		return 0;
	if (weight != 0 || json_array_size(wdevs) > 0) {
		cleanup_free char *path = mr_path_join(c->dir, "io.bfq.weight");
		if (path == NULL)
			return mr_error_set(c->err, ENOMEM, "cgroups");
		bfq = open(path, O_RDWR | O_CLOEXEC);
		if (bfq < 0 && errno != ENOENT)
			return mr_error_set(c->err, errno, "openat2 %s", path);
		if (bfq >= 0) {
			/* Kernels with per-device BFQ weights (5.4+) show "default N"
			 * lines here rather than a bare number. */
			char head[32] = "";
			char *end;
			ssize_t r = pread(bfq, head, sizeof head - 1, 0);
			if (r > 0) {
				head[r] = '\0';
				strtoll(head, &end, 10);
				per_device = end == head || (*end != '\0' && *end != '\n' && *end != ' ');
			}
			bfq_path = mr_steal_ptr(path);
		}
	}
	if (weight != 0) {
		if (bfq >= 0) {
			snprintf(buf, sizeof buf, "%lld", (long long)weight);
			if (write_fd(c, bfq, bfq_path, buf) < 0)
				return -1;
		} else {
			snprintf(buf, sizeof buf, "%llu",
				 (unsigned long long)rx_blkio_weight_to_io_weight((uint64_t)weight));
			if (write_value(c, "io.weight", buf) < 0)
				return -1;
		}
	}
	if (bfq >= 0 && per_device) {
		json_array_foreach(wdevs, i, d) {
			dev_value(buf, sizeof buf, d, "weight", NULL);
			strcat(buf, "\n");
			if (write_fd(c, bfq, bfq_path, buf) < 0)
				return mr_error_wrap(c->err, "setting device weight \"%.*s\"",
						     (int)strlen(buf) - 1, buf);
		}
	}
	for (int t = 0; t < 4; t++) {
		json_array_foreach(get(b, throttles[t][0]), i, d) {
			dev_value(buf, sizeof buf, d, "rate", throttles[t][2]);
			if (write_value(c, "io.max", buf) < 0)
				return -1;
		}
	}
	return 0;
}

static int v2_cpu(struct ctx *c)
{
	json_t *cpu = get(c->r, "cpu");
	int64_t shares = get_int0(cpu, "shares"), quota = get_int0(cpu, "quota");
	int64_t period = get_int0(cpu, "period");
	struct opt burst = get_int(cpu, "burst"), idle = get_int(cpu, "idle");
	uint64_t weight = rx_cpu_shares_to_weight((uint64_t)shares);
	bool burst_again = false;

	if (weight == 0 && quota == 0 && period == 0 && !idle.set && !burst.set)
		return 0;
	if (idle.set && write_int(c, "cpu.idle", idle.v) < 0)
		return -1;
	if (weight != 0 && write_int(c, "cpu.weight", (int64_t)weight) < 0)
		return -1;
	if (burst.set &&
	    write_maybe_later(c, "cpu.max.burst", burst.v, quota != 0, false, &burst_again) < 0)
		return -1;
	if (quota != 0 || period != 0) {
		char max[64], qbuf[24] = "max";
		if (quota > 0)
			snprintf(qbuf, sizeof qbuf, "%lld", (long long)quota);
		if (c->o->update && (quota == 0 || period == 0)) {
			/* runc update keeps the half not given at its old value; the
			 * cgroup has it. */
			cleanup_free char *cur = NULL;
			cleanup_error mr_error *ignored = NULL;
			mr_error **saved = c->err;
			char oldq[24] = "max";
			long long oldp = 0;
			c->err = &ignored;
			if (read_value(c, "cpu.max", &cur) == 0)
				sscanf(cur, "%23s %lld", oldq, &oldp);
			c->err = saved;
			if (quota == 0)
				snprintf(qbuf, sizeof qbuf, "%s", oldq);
			if (period == 0)
				period = oldp;
		}
		/* The kernel's default period. */
		if (period == 0)
			period = 100000;
		snprintf(max, sizeof max, "%s %lld", qbuf, (long long)period);
		if (write_value(c, "cpu.max", max) < 0)
			return -1;
		if (burst_again && write_int(c, "cpu.max.burst", burst.v) < 0)
			return -1;
	}
	return 0;
}

static int v2_cpuset(struct ctx *c)
{
	json_t *cpu = get(c->r, "cpu");
	const char *cpus = get_str(cpu, "cpus"), *mems = get_str(cpu, "mems");

	if (*cpus != '\0' && write_value(c, "cpuset.cpus", cpus) < 0)
		return -1;
	if (*mems != '\0' && write_value(c, "cpuset.mems", mems) < 0)
		return -1;
	return 0;
}

static int v2_devices(struct ctx *c)
{
	struct rx_dev_state want;
	cleanup_free struct bpf_insn *prog = NULL;
	cleanup_close int dirfd = -1;
	mr_error *e = NULL;
	json_t *d;
	size_t n = 0, i;
	bool skippable = true;

	if (c->o->update || c->o->skip_devices)
		return 0;
	if (device_target(c->r, c->o, &want, c->err) < 0)
		return -1;
	if (rx_dev_bpf_program(&want, &prog, &n, c->err) < 0) {
		rx_dev_state_free(&want);
		return -1;
	}
	rx_dev_state_free(&want);
	dirfd = open(c->dir, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
	if (dirfd < 0)
		return mr_error_set(c->err, 0, "cannot get dir FD for %s", c->dir);
	if (rx_dev_bpf_attach(dirfd, prog, n, &e) == 0)
		return 0;
	/* As runc: in a user namespace bpf(2) is out of reach, and a list of
	 * allow-everything rules restricts nothing, so neither needs it. */
	json_array_foreach(get(c->r, "devices"), i, d) {
		if (!get_bool(d, "allow") || rx_dev_access_bits(get_str(d, "access")) != RX_DEV_RWM)
			skippable = false;
	}
	if (c->o->default_devices)
		skippable = false;
	if (in_user_namespace() || skippable) {
		mr_error_free(&e);
		return 0;
	}
	*c->err = e;
	return -1;
}

static int hugetlb_v2(struct ctx *c) { return hugetlb(c, "max"); }
static int rdma_v2(struct ctx *c) { return rdma(c, "rdma.max"); }

static int v2_unified(struct ctx *c)
{
	json_t *u = get(c->r, "unified"), *v;
	cleanup_free char *controllers = NULL;
	const char *key;

	json_object_foreach(u, key, v) {
		cleanup_free char *path = NULL;
		cleanup_close int fd = -1;
		const char *value = json_string_value(v);
		mr_error *e = NULL;
		mr_error **saved = c->err;
		if (value == NULL)
			continue;
		if (strchr(key, '/') != NULL)
			return mr_error_set(c->err, 0, "unified resource \"%s\" must be a file name (no slashes)",
					    key);
		c->err = &e;
		fd = open_file(c, key, O_WRONLY | O_TRUNC, &path);
		/* Multi-line values (io.max for several devices) go line by line. */
		for (const char *p = value; fd >= 0 && *p != '\0';) {
			const char *nl = strchr(p, '\n');
			size_t len = nl != NULL ? (size_t)(nl - p + 1) : strlen(p);
			cleanup_free char *line = strndup(p, len);
			if (line == NULL || write_fd(c, fd, path, line) < 0)
				break;
			p += len;
		}
		c->err = saved;
		if (e == NULL)
			continue;
		if (e->errnum == EPERM || e->errnum == ENOENT) {
			const char *dot = strchr(key, '.');
			cleanup_free char *ctrl = dot != NULL ? strndup(key, (size_t)(dot - key)) : NULL;
			if (dot == NULL) {
				mr_error_free(&e);
				return mr_error_set(c->err, 0,
						    "unified resource \"%s\" must be in the form CONTROLLER.PARAMETER",
						    key);
			}
			if (controllers == NULL) {
				cleanup_error mr_error *ignored = NULL;
				mr_error **s2 = c->err;
				c->err = &ignored;
				if (read_value(c, "cgroup.controllers", &controllers) < 0)
					controllers = strdup("");
				c->err = s2;
			}
			if (ctrl != NULL && strcmp(ctrl, "cgroup") != 0 &&
			    !in_list(controllers, ctrl)) {
				mr_error_free(&e);
				return mr_error_set(c->err, 0,
						    "unified resource \"%s\" can't be set: controller \"%s\" not available",
						    key, ctrl);
			}
		}
		*c->err = e;
		return mr_error_wrap(c->err, "unable to set unified resource \"%s\"", key);
	}
	return 0;
}

/* runc's order on cgroup v2. */
static const subsys_fn v2_subsystems[] = {
	pids, v2_memory, v2_io, v2_cpu, v2_devices, v2_cpuset, hugetlb_v2, rdma_v2, v2_unified,
};

static int apply_v2(struct ctx *c)
{
	cleanup_free char *controllers = NULL;

	c->subsys = "";
	c->dir = rx_cgroup_v2_dir(c->cg);
	if (c->dir == NULL)
		return mr_error_set(c->err, 0, "no cgroup v2 directory for the container");
	/* runc reads the controllers first and fails without them. */
	if (read_value(c, "cgroup.controllers", &controllers) < 0)
		return -1;
	for (size_t i = 0; i < sizeof v2_subsystems / sizeof *v2_subsystems; i++)
		if (v2_subsystems[i](c) < 0)
			return -1;
	return 0;
}

int rx_resources_apply(const struct rx_cgroups *cg, json_t *resources,
		       const struct rx_resources_opts *o, mr_error **err)
{
	static const struct rx_resources_opts none = { 0 };
	cleanup_json json_t *empty = NULL;
	struct ctx c = { cg, o != NULL ? o : &none, resources, NULL, NULL, err };
	json_t *memory;

	/* No resources still means runc's device rules. */
	if (resources == NULL || json_is_null(resources)) {
		empty = json_object();
		if (empty == NULL)
			return mr_error_set(err, ENOMEM, "cgroups");
		c.r = empty;
	}
	if (rx_resources_check(c.r, c.o->update ? "" : "linux.resources", cg, err) < 0)
		return -1;
	memory = get(c.r, "memory");
	if (get(memory, "kernel") != NULL || get(memory, "kernelTCP") != NULL)
		mr_log(c.o->log, MR_LOG_WARNING, "Kernel memory settings are ignored and will be removed");
	/* runc update's fix-ups (a memory limit of -1 with no swap given means
	 * swap 0, an idle with no shares means shares 0) only neutralise values
	 * kept from the container's config; here the fields not given are not
	 * written at all, which is what they achieve. */
	return cg->unified_only ? apply_v2(&c) : apply_v1(&c);
}
