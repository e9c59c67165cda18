#include "realexec/spec.h"

#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "common/cleanup.h"
#include "common/file.h"
#include "common/json.h"
#include "realexec/namespaces.h"

void rx_strv_free(char **v)
{
	if (v == NULL)
		return;
	for (char **p = v; *p != NULL; p++)
		free(*p);
	free(v);
}

int rx_strv_from_json(json_t *arr, const char *what, char ***out, mr_error **err)
{
	json_t *v;
	size_t i;
	char **r;

	*out = NULL;
	if (arr == NULL || json_is_null(arr))
		return 0;
	if (!json_is_array(arr))
		return mr_error_set(err, 0, "%s must be an array of strings", what);
	r = calloc(json_array_size(arr) + 1, sizeof *r);
	if (r == NULL)
		return mr_error_set(err, ENOMEM, "%s", what);
	json_array_foreach(arr, i, v) {
		if (!json_is_string(v)) {
			rx_strv_free(r);
			return mr_error_set(err, 0, "%s must be an array of strings", what);
		}
		r[i] = strdup(json_string_value(v));
		if (r[i] == NULL) {
			rx_strv_free(r);
			return mr_error_set(err, ENOMEM, "%s", what);
		}
	}
	*out = r;
	return 0;
}

static const struct { const char *name; int resource; } rlimit_names[] = {
	{ "RLIMIT_AS", RLIMIT_AS }, { "RLIMIT_CORE", RLIMIT_CORE }, { "RLIMIT_CPU", RLIMIT_CPU },
	{ "RLIMIT_DATA", RLIMIT_DATA }, { "RLIMIT_FSIZE", RLIMIT_FSIZE },
	{ "RLIMIT_LOCKS", RLIMIT_LOCKS }, { "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK },
	{ "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE }, { "RLIMIT_NICE", RLIMIT_NICE },
	{ "RLIMIT_NOFILE", RLIMIT_NOFILE }, { "RLIMIT_NPROC", RLIMIT_NPROC },
	{ "RLIMIT_RSS", RLIMIT_RSS }, { "RLIMIT_RTPRIO", RLIMIT_RTPRIO },
	{ "RLIMIT_RTTIME", RLIMIT_RTTIME }, { "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING },
	{ "RLIMIT_STACK", RLIMIT_STACK },
};

static int parse_rlimits(json_t *arr, struct rx_spec *s, mr_error **err)
{
	json_t *r;
	size_t i;

	s->rlimits = calloc(json_array_size(arr) + 1, sizeof *s->rlimits);
	if (s->rlimits == NULL)
		return mr_error_set(err, ENOMEM, "rlimits");
	json_array_foreach(arr, i, r) {
		const char *type = mr_json_str(r, "type");
		size_t k;
		for (k = 0; type != NULL && k < sizeof rlimit_names / sizeof rlimit_names[0]; k++)
			if (strcmp(type, rlimit_names[k].name) == 0)
				break;
		if (type == NULL || k == sizeof rlimit_names / sizeof rlimit_names[0])
			return mr_error_set(err, 0, "wrong rlimit value: %s", type != NULL ? type : "");
		for (size_t j = 0; j < s->nrlimits; j++)
			if (s->rlimits[j].resource == rlimit_names[k].resource)
				return mr_error_set(err, 0, "duplicate rlimit type: %s", type);
		s->rlimits[s->nrlimits++] = (struct rx_rlimit){
			rlimit_names[k].resource, rlimit_names[k].name,
			(uint64_t)mr_json_int(r, "soft", 0), (uint64_t)mr_json_int(r, "hard", 0) };
	}
	return 0;
}

/* An id as Go decodes it into a uint32: anything else is an error worded
 * like Go's, naming the field, rather than silently becoming root. */
static int get_id(json_t *v, const char *field, uint32_t *out, mr_error **err)
{
	const char *what;

	if (v == NULL || json_is_null(v)) {
		*out = 0;
		return 0;
	}
	if (json_is_integer(v) && json_integer_value(v) >= 0 &&
	    json_integer_value(v) <= (json_int_t)UINT32_MAX) {
		*out = (uint32_t)json_integer_value(v);
		return 0;
	}
	if (json_is_integer(v))
		return mr_error_set(err, 0, "json: cannot unmarshal number %lld into Go struct field "
				    "%s of type uint32", (long long)json_integer_value(v), field);
	if (json_is_real(v))
		return mr_error_set(err, 0, "json: cannot unmarshal number %g into Go struct field "
				    "%s of type uint32", json_real_value(v), field);
	what = json_is_string(v) ? "string" : json_is_boolean(v) ? "bool" :
	       json_is_array(v) ? "array" : "object";
	return mr_error_set(err, 0, "json: cannot unmarshal %s into Go struct field %s of type uint32",
			    what, field);
}

static int parse_user(json_t *user, struct rx_spec *s, mr_error **err)
{
	json_t *gids = json_object_get(user, "additionalGids"), *g;
	json_t *umask = json_object_get(user, "umask");
	uint32_t id;
	size_t i;

	if (get_id(json_object_get(user, "uid"), "User.process.user.uid", &id, err) < 0)
		return -1;
	s->uid = (uid_t)id;
	if (get_id(json_object_get(user, "gid"), "User.process.user.gid", &id, err) < 0)
		return -1;
	s->gid = (gid_t)id;
	if (json_is_integer(umask)) {
		s->has_umask = true;
		s->umask = (mode_t)json_integer_value(umask) & 0777;
	}
	s->gids = calloc(json_array_size(gids) + 1, sizeof *s->gids);
	if (s->gids == NULL)
		return mr_error_set(err, ENOMEM, "additionalGids");
	json_array_foreach(gids, i, g) {
		if (get_id(g, "User.process.user.additionalGids", &id, err) < 0)
			return -1;
		s->gids[s->ngids++] = (gid_t)id;
	}
	return 0;
}

static int lookup(const char *const *names, const char *name, int *out)
{
	for (int i = 0; names[i] != NULL; i++)
		if (name != NULL && *names[i] != '\0' && strcmp(names[i], name) == 0) {
			*out = i;
			return 0;
		}
	return -1;
}

/* process.ioPriority: class and level as ioprio_set(2) takes them. */
static int parse_io_priority(json_t *io, struct rx_spec *s, mr_error **err)
{
	static const char *const classes[] = { "", "IOPRIO_CLASS_RT", "IOPRIO_CLASS_BE",
					       "IOPRIO_CLASS_IDLE", NULL };
	const char *class = mr_json_str(io, "class");
	json_int_t level = mr_json_int(io, "priority", 0);
	int c;

	if (io == NULL)
		return 0;
	if (lookup(classes, class, &c) < 0)
		return mr_error_set(err, 0, "invalid io priority class: %s", class != NULL ? class : "");
	if (level < 0 || level > 7)
		return mr_error_set(err, 0, "invalid io priority: %lld (must be 0-7)", (long long)level);
	s->has_io_priority = true;
	s->io_priority = c << 13 | (int)level;
	return 0;
}

/* process.scheduler, for sched_setattr(2). */
static int parse_scheduler(json_t *sc, struct rx_spec *s, mr_error **err)
{
	static const char *const policies[] = { "SCHED_OTHER", "SCHED_FIFO", "SCHED_RR", "SCHED_BATCH",
						"SCHED_ISO", "SCHED_IDLE", "SCHED_DEADLINE", NULL };
	static const char *const flags[] = { "SCHED_FLAG_RESET_ON_FORK", "SCHED_FLAG_RECLAIM",
					     "SCHED_FLAG_DL_OVERRUN", "SCHED_FLAG_KEEP_POLICY",
					     "SCHED_FLAG_KEEP_PARAMS", "SCHED_FLAG_UTIL_CLAMP_MIN",
					     "SCHED_FLAG_UTIL_CLAMP_MAX", NULL };
	const char *policy = mr_json_str(sc, "policy");
	json_t *f;
	size_t i;
	int p;

	if (sc == NULL)
		return 0;
	if (lookup(policies, policy, &p) < 0)
		return mr_error_set(err, 0, "invalid scheduler policy: %s", policy != NULL ? policy : "");
	s->has_scheduler = true;
	s->scheduler = (struct rx_sched){
		.policy = (uint32_t)p,
		.nice = (int32_t)mr_json_int(sc, "nice", 0),
		.priority = (uint32_t)mr_json_int(sc, "priority", 0),
		.runtime = (uint64_t)mr_json_int(sc, "runtime", 0),
		.deadline = (uint64_t)mr_json_int(sc, "deadline", 0),
		.period = (uint64_t)mr_json_int(sc, "period", 0),
	};
	json_array_foreach(json_object_get(sc, "flags"), i, f) {
		int bit;
		if (lookup(flags, json_string_value(f), &bit) < 0)
			return mr_error_set(err, 0, "invalid scheduler flag: %s",
					    json_string_value(f) != NULL ? json_string_value(f) : "");
		s->scheduler.flags |= 1ull << bit;
	}
	return 0;
}

static int parse_process(json_t *p, struct rx_spec *s, mr_error **err)
{
	json_t *size = json_object_get(p, "consoleSize");
	json_t *oom = json_object_get(p, "oomScoreAdj");

	s->has_process = true;
	s->terminal = mr_json_bool(p, "terminal", false);
	s->console_height = (unsigned short)mr_json_int(size, "height", 0);
	s->console_width = (unsigned short)mr_json_int(size, "width", 0);
	if (rx_strv_from_json(json_object_get(p, "args"), "process.args", &s->args, err) < 0 ||
	    rx_strv_from_json(json_object_get(p, "env"), "process.env", &s->env, err) < 0)
		return -1;
	if (s->args == NULL || s->args[0] == NULL)
		return mr_error_set(err, 0, "args must not be empty");
	s->cwd = mr_json_str(p, "cwd");
	if (s->cwd == NULL || *s->cwd == '\0')
		return mr_error_set(err, 0, "Cwd property must not be empty");
	if (s->cwd[0] != '/')
		return mr_error_set(err, 0, "Cwd must be an absolute path");
	if (parse_user(json_object_get(p, "user"), s, err) < 0)
		return -1;
	if (parse_rlimits(json_object_get(p, "rlimits"), s, err) < 0)
		return -1;
	s->no_new_privs = mr_json_bool(p, "noNewPrivileges", false);
	if (json_is_integer(oom)) {
		s->has_oom_score_adj = true;
		s->oom_score_adj = (int)json_integer_value(oom);
	}
	s->capabilities = json_object_get(p, "capabilities");
	return parse_io_priority(json_object_get(p, "ioPriority"), s, err) < 0 ? -1 :
	       parse_scheduler(json_object_get(p, "scheduler"), s, err);
}

static int parse_idmaps(json_t *arr, struct rx_idmap **out, size_t *n, mr_error **err)
{
	json_t *m;
	size_t i;

	*out = calloc(json_array_size(arr) + 1, sizeof **out);
	if (*out == NULL)
		return mr_error_set(err, ENOMEM, "id mappings");
	json_array_foreach(arr, i, m) {
		json_int_t size = mr_json_int(m, "size", 0);
		if (size <= 0)
			return mr_error_set(err, 0, "id mapping size must be positive");
		(*out)[(*n)++] = (struct rx_idmap){ (uint32_t)mr_json_int(m, "containerID", 0),
						    (uint32_t)mr_json_int(m, "hostID", 0), (uint32_t)size };
	}
	return 0;
}

static int parse_namespaces(json_t *arr, struct rx_spec *s, mr_error **err)
{
	json_t *n;
	size_t i;

	json_array_foreach(arr, i, n) {
		const char *type = mr_json_str(n, "type");
		const char *path = mr_json_str(n, "path");
		int t = type != NULL ? rx_ns_type(type) : -1;
		if (t < 0)
			return mr_error_set(err, 0, "namespace type \"%s\" is not supported",
					    type != NULL ? type : "");
		if (rx_spec_ns(s, t) != NULL)
			return mr_error_set(err, 0, "malformed spec file: duplicated ns %s", type);
		s->ns[s->nns].type = t;
		if (path != NULL && *path != '\0') {
			s->ns[s->nns].path = strdup(path);
			if (s->ns[s->nns].path == NULL)
				return mr_error_set(err, ENOMEM, "namespaces");
		}
		s->nns++;
	}
	return 0;
}

static int parse_time_offset(json_t *o, struct rx_time_offset *t)
{
	if (o == NULL)
		return 0;
	t->set = true;
	t->secs = mr_json_int(o, "secs", 0);
	t->nanosecs = (uint32_t)mr_json_int(o, "nanosecs", 0);
	return 0;
}

static int parse_devices(json_t *arr, struct rx_spec *s, mr_error **err)
{
	json_t *d;
	size_t i;

	s->devices = calloc(json_array_size(arr) + 1, sizeof *s->devices);
	if (s->devices == NULL)
		return mr_error_set(err, ENOMEM, "devices");
	json_array_foreach(arr, i, d) {
		struct rx_device *dev = &s->devices[s->ndevices];
		const char *path = mr_json_str(d, "path"), *type = mr_json_str(d, "type");
		if (path == NULL || path[0] != '/')
			return mr_error_set(err, 0, "device path must be absolute");
		if (type == NULL || type[1] != '\0' || strchr("cbup", type[0]) == NULL)
			return mr_error_set(err, 0, "device %s: invalid type \"%s\"", path,
					    type != NULL ? type : "");
		dev->path = mr_path_clean(path);
		if (dev->path == NULL)
			return mr_error_set(err, ENOMEM, "devices");
		s->ndevices++;
		dev->type = type[0] == 'b' ? S_IFBLK : type[0] == 'p' ? S_IFIFO : S_IFCHR;
		dev->major = (unsigned)mr_json_int(d, "major", 0);
		dev->minor = (unsigned)mr_json_int(d, "minor", 0);
		dev->mode = (mode_t)mr_json_int(d, "fileMode", 0666) & 07777;
		dev->uid = (uid_t)mr_json_int(d, "uid", 0);
		dev->gid = (gid_t)mr_json_int(d, "gid", 0);
	}
	return 0;
}

static int parse_propagation(const char *p, unsigned long *out, mr_error **err)
{
	static const struct { const char *name; unsigned long flags; } names[] = {
		{ "shared", MS_SHARED }, { "rshared", MS_SHARED | MS_REC },
		{ "slave", MS_SLAVE }, { "rslave", MS_SLAVE | MS_REC },
		{ "private", MS_PRIVATE }, { "rprivate", MS_PRIVATE | MS_REC },
		{ "unbindable", MS_UNBINDABLE }, { "runbindable", MS_UNBINDABLE | MS_REC },
	};

	if (p == NULL || *p == '\0')
		return 0;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(p, names[i].name) == 0) {
			*out = names[i].flags;
			return 0;
		}
	return mr_error_set(err, 0, "rootfsPropagation: invalid value \"%s\"", p);
}

static int parse_personality(json_t *p, struct rx_spec *s, mr_error **err)
{
	const char *domain = mr_json_str(p, "domain");

	if (p == NULL)
		return 0;
	s->has_personality = true;
	if (domain != NULL && strcmp(domain, "LINUX") == 0)
		s->personality = PER_LINUX;
	else if (domain != NULL && strcmp(domain, "LINUX32") == 0)
		s->personality = PER_LINUX32;
	else
		return mr_error_set(err, 0, "invalid personality domain %s", domain != NULL ? domain : "");
	return 0;
}

static int parse_linux(json_t *l, struct rx_spec *s, mr_error **err)
{
	static const char *const unsupported[] = { "intelRdt", "netDevices", "memoryPolicy" };

	if (parse_namespaces(json_object_get(l, "namespaces"), s, err) < 0 ||
	    parse_idmaps(json_object_get(l, "uidMappings"), &s->uid_maps, &s->nuid_maps, err) < 0 ||
	    parse_idmaps(json_object_get(l, "gidMappings"), &s->gid_maps, &s->ngid_maps, err) < 0 ||
	    parse_devices(json_object_get(l, "devices"), s, err) < 0 ||
	    rx_strv_from_json(json_object_get(l, "maskedPaths"), "maskedPaths", &s->masked_paths, err) < 0 ||
	    rx_strv_from_json(json_object_get(l, "readonlyPaths"), "readonlyPaths", &s->readonly_paths, err) < 0 ||
	    parse_propagation(mr_json_str(l, "rootfsPropagation"), &s->rootfs_propagation, err) < 0)
		return -1;
	parse_time_offset(mr_json_path(l, "timeOffsets.monotonic"), &s->monotonic);
	parse_time_offset(mr_json_path(l, "timeOffsets.boottime"), &s->boottime);
	s->sysctl = json_object_get(l, "sysctl");
	s->cgroups_path = mr_json_str(l, "cgroupsPath");
	s->resources = json_object_get(l, "resources");
	s->seccomp = json_object_get(l, "seccomp");
	s->mount_label = mr_json_str(l, "mountLabel");
	if (parse_personality(json_object_get(l, "personality"), s, err) < 0)
		return -1;
	/* What realexec cannot do is refused, not silently left out. */
	for (size_t i = 0; i < sizeof unsupported / sizeof unsupported[0]; i++)
		if (json_object_get(l, unsupported[i]) != NULL)
			return mr_error_set(err, 0, "linux.%s is not supported", unsupported[i]);
	return 0;
}

static bool is_host_netns(const char *path)
{
	struct stat a, b;

	return path != NULL && stat(path, &a) == 0 && stat("/proc/self/ns/net", &b) == 0 &&
	       a.st_ino == b.st_ino && a.st_dev == b.st_dev;
}

/* A sysctl must belong to a namespace the container has of its own, or
 * writing it would change the host (runc's rules). */
static int validate_sysctl(const struct rx_spec *s, const char *key, mr_error **err)
{
	static const char *const ipc_keys[] = {
		"kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem", "kernel.shmall",
		"kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced", NULL,
	};
	const struct rx_namespace *ns;

	for (int i = 0; ipc_keys[i] != NULL; i++)
		if (strcmp(key, ipc_keys[i]) == 0)
			goto ipc;
	if (strncmp(key, "fs.mqueue.", 10) == 0)
		goto ipc;
	if (strncmp(key, "net.", 4) == 0) {
		ns = rx_spec_ns(s, CLONE_NEWNET);
		if (ns == NULL)
			goto not_namespaced;
		if (is_host_netns(ns->path))
			return mr_error_set(err, 0, "sysctl \"%s\" not allowed in host network namespace", key);
		return 0;
	}
	if (strcmp(key, "kernel.domainname") == 0) {
		if (rx_spec_ns(s, CLONE_NEWUTS) == NULL)
			goto not_namespaced;
		return 0;
	}
	if (strcmp(key, "kernel.hostname") == 0)
		return mr_error_set(err, 0, "sysctl \"%s\" is not allowed as it conflicts with the "
				    "OCI \"hostname\" field", key);
	goto not_namespaced;
ipc:
	if (rx_spec_ns(s, CLONE_NEWIPC) != NULL)
		return 0;
not_namespaced:
	return mr_error_set(err, 0, "sysctl \"%s\" is not in a separate kernel namespace", key);
}

/* The checks runc makes on the namespaces the rest of the config needs. */
static int validate(const struct rx_spec *s, mr_error **err)
{
	bool userns = rx_spec_ns(s, CLONE_NEWUSER) != NULL;

	if (s->hostname != NULL && *s->hostname != '\0' && rx_spec_ns(s, CLONE_NEWUTS) == NULL)
		return mr_error_set(err, 0, "unable to set hostname without a private UTS namespace");
	if (s->domainname != NULL && *s->domainname != '\0' && rx_spec_ns(s, CLONE_NEWUTS) == NULL)
		return mr_error_set(err, 0, "unable to set domainname without a private UTS namespace");
	if (rx_spec_new_ns(s, CLONE_NEWUSER) && (s->nuid_maps == 0 || s->ngid_maps == 0))
		return mr_error_set(err, 0, "user namespaces enabled, but no uid or gid mappings found");
	if (!userns && (s->nuid_maps > 0 || s->ngid_maps > 0))
		return mr_error_set(err, 0, "user namespaces not enabled, but uid or gid mappings given");
	if ((s->monotonic.set || s->boottime.set) && !rx_spec_new_ns(s, CLONE_NEWTIME))
		return mr_error_set(err, 0, "time offsets given without a new time namespace");
	if (s->sysctl != NULL && !json_is_null(s->sysctl) && !json_is_object(s->sysctl))
		return mr_error_set(err, 0, "linux.sysctl must be an object");
	if (json_is_object(s->sysctl)) {
		const char *key;
		json_t *v;
		json_object_foreach(s->sysctl, key, v)
			if (validate_sysctl(s, key, err) < 0)
				return -1;
	}
	return 0;
}

int rx_spec_parse(json_t *config, const char *bundle, struct rx_spec *s, mr_error **err)
{
	const char *root = mr_json_path(config, "root.path") != NULL ?
			   json_string_value(mr_json_path(config, "root.path")) : NULL;
	json_t *process = json_object_get(config, "process");
	json_t *mounts = json_object_get(config, "mounts"), *m;
	json_t *linux_obj = json_object_get(config, "linux");
	struct stat st;
	size_t i;

	memset(s, 0, sizeof *s);
	if (!json_is_object(config))
		return mr_error_set(err, 0, "config.json must hold a JSON object");
	s->json = json_incref(config);
	s->oci_version = mr_json_str(config, "ociVersion");
	if (s->oci_version == NULL)
		s->oci_version = "";
	if (root == NULL || *root == '\0')
		return mr_error_set(err, 0, "root.path must be set");
	if (root[0] == '/') {
		s->rootfs = mr_path_clean(root);
	} else {
		cleanup_free char *j = mr_path_join(bundle, root);
		s->rootfs = j != NULL ? mr_path_clean(j) : NULL;
	}
	if (s->rootfs == NULL)
		return mr_error_set(err, ENOMEM, "rootfs");
	if (stat(s->rootfs, &st) < 0)
		return mr_error_set(err, 0, "invalid rootfs: stat %s: %s", s->rootfs, mr_strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return mr_error_set(err, 0, "rootfs (%s) is not a directory", s->rootfs);
	/* runc takes the rootfs path as it resolves: no symlink anywhere on
	 * the way (the bundle's own path included). */
	{
		cleanup_free char *real = realpath(s->rootfs, NULL);
		if (real == NULL || strcmp(real, s->rootfs) != 0)
			return mr_error_set(err, 0, "invalid rootfs: not an absolute path, or a symlink");
	}
	s->root_readonly = json_is_true(mr_json_path(config, "root.readonly"));
	s->hostname = mr_json_str(config, "hostname");
	s->domainname = mr_json_str(config, "domainname");
	s->annotations = json_object_get(config, "annotations");
	if (process == NULL || json_is_null(process))
		return mr_error_set(err, 0, "process property must not be empty");
	if (parse_process(process, s, err) < 0)
		return -1;
	s->mounts = calloc(json_array_size(mounts) + 1, sizeof *s->mounts);
	if (s->mounts == NULL)
		return mr_error_set(err, ENOMEM, "mounts");
	json_array_foreach(mounts, i, m) {
		if (rx_mount_parse(m, bundle, &s->mounts[s->nmounts], err) < 0) {
			rx_mount_free(&s->mounts[s->nmounts]);
			return -1;
		}
		s->nmounts++;
	}
	if (json_is_object(linux_obj) && parse_linux(linux_obj, s, err) < 0)
		return -1;
	if (rx_hooks_parse(json_object_get(config, "hooks"), s->hooks, err) < 0)
		return -1;
	return validate(s, err);
}

int rx_spec_parse_exec(json_t *config, json_t *process, struct rx_spec *s, mr_error **err)
{
	json_t *linux_obj = json_object_get(config, "linux");
	const char *cwd = mr_json_str(process, "cwd");
	json_t *args = json_object_get(process, "args");

	memset(s, 0, sizeof *s);
	s->json = json_incref(config);
	s->oci_version = mr_json_str(config, "ociVersion");
	if (s->oci_version == NULL)
		s->oci_version = "";
	/* runc's validateProcessSpec, in its order. */
	if (!json_is_object(process))
		return mr_error_set(err, 0, "process property must not be empty");
	if (cwd == NULL || *cwd == '\0')
		return mr_error_set(err, 0, "Cwd property must not be empty");
	if (cwd[0] != '/')
		return mr_error_set(err, 0, "Cwd must be an absolute path");
	if (json_array_size(args) == 0)
		return mr_error_set(err, 0, "args must not be empty");
	if (parse_process(process, s, err) < 0 ||
	    parse_namespaces(json_object_get(linux_obj, "namespaces"), s, err) < 0 ||
	    parse_personality(json_object_get(linux_obj, "personality"), s, err) < 0)
		return -1;
	s->seccomp = json_object_get(linux_obj, "seccomp");
	return 0;
}

void rx_spec_free(struct rx_spec *s)
{
	json_decref(s->json);
	free(s->rootfs);
	rx_strv_free(s->args);
	rx_strv_free(s->env);
	free(s->gids);
	free(s->rlimits);
	for (size_t i = 0; i < s->nns; i++)
		free(s->ns[i].path);
	free(s->uid_maps);
	free(s->gid_maps);
	for (size_t i = 0; i < s->nmounts; i++)
		rx_mount_free(&s->mounts[i]);
	free(s->mounts);
	for (size_t i = 0; i < s->ndevices; i++)
		free(s->devices[i].path);
	free(s->devices);
	rx_strv_free(s->masked_paths);
	rx_strv_free(s->readonly_paths);
	rx_hooks_free(s->hooks);
	memset(s, 0, sizeof *s);
}

const struct rx_namespace *rx_spec_ns(const struct rx_spec *s, int type)
{
	for (size_t i = 0; i < s->nns; i++)
		if (s->ns[i].type == type)
			return &s->ns[i];
	return NULL;
}

bool rx_spec_new_ns(const struct rx_spec *s, int type)
{
	const struct rx_namespace *n = rx_spec_ns(s, type);

	return n != NULL && n->path == NULL;
}
