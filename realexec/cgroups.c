#include "realexec/cgroups.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>
#include <linux/magic.h>

#include "common/cleanup.h"
#include "common/file.h"
#include "common/json.h"
#include "realexec/mounts.h"
#include "realexec/resources.h"

#define CGROUP_ROOT "/sys/fs/cgroup"

/* A hierarchy as mounted on the host. */
struct hierarchy {
	char *mountpoint, *root, *options;
	bool v2;
};

static void hierarchy_free(struct hierarchy *h, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(h[i].mountpoint);
		free(h[i].root);
		free(h[i].options);
	}
	free(h);
}

/* The v1 options that name a hierarchy: controllers and name=, without
 * rw/ro and the knobs (xattr, release_agent=...). */
static char *hierarchy_options(const char *super)
{
	static const char *const skip[] = { "rw", "ro", "xattr", "noprefix", "clone_children",
					    "cpuset_v2_mode", "nsdelegate", "memory_recursiveprot",
					    "favordynmods", "memory_localevents", NULL };
	cleanup_free char *copy = strdup(super);
	char *out = calloc(1, strlen(super) + 1), *save = NULL;

	if (copy == NULL || out == NULL) {
		free(out);
		return NULL;
	}
	for (char *t = strtok_r(copy, ",", &save); t != NULL; t = strtok_r(NULL, ",", &save)) {
		bool drop = strncmp(t, "release_agent=", 14) == 0;
		for (int i = 0; skip[i] != NULL && !drop; i++)
			drop = strcmp(t, skip[i]) == 0;
		if (drop)
			continue;
		if (*out != '\0')
			strcat(out, ",");
		strcat(out, t);
	}
	return out;
}

/* mountinfo: its text read earlier by the caller, or NULL to read it. */
static int read_hierarchies(const char *mountinfo, struct hierarchy **out, size_t *n,
			    mr_error **err)
{
	cleanup_fclose FILE *f = rx_mountinfo_open(mountinfo);
	cleanup_free char *line = NULL;
	size_t cap = 0, len = 0;
	struct hierarchy *h = NULL;
	char seen[64][32];
	size_t nseen = 0;

	if (f == NULL)
		return mr_error_set(err, errno, "open /proc/self/mountinfo");
	while (getline(&line, &cap, f) > 0) {
		char dev[32], root[4096], mp[4096], fstype[64], super[1024];
		const char *dash = strstr(line, " - ");
		struct hierarchy *nh;
		bool dup = false;

		if (dash == NULL || sscanf(line, "%*d %*d %31s %4095s %4095s", dev, root, mp) != 3 ||
		    sscanf(dash + 3, "%63s %*s %1023s", fstype, super) != 2)
			continue;
		if (strcmp(fstype, "cgroup") != 0 && strcmp(fstype, "cgroup2") != 0)
			continue;
		/* One hierarchy may be mounted twice: its first mount wins. */
		for (size_t i = 0; i < nseen; i++)
			dup = dup || strcmp(seen[i], dev) == 0;
		if (dup || nseen == 64)
			continue;
		snprintf(seen[nseen++], sizeof seen[0], "%s", dev);
		nh = realloc(h, (len + 1) * sizeof *h);
		if (nh == NULL) {
			hierarchy_free(h, len);
			return mr_error_set(err, ENOMEM, "cgroups");
		}
		h = nh;
		rx_mountinfo_unescape(root);
		rx_mountinfo_unescape(mp);
		h[len] = (struct hierarchy){ strdup(mp), strdup(root), hierarchy_options(super),
					     strcmp(fstype, "cgroup2") == 0 };
		len++;
	}
	*out = h;
	*n = len;
	return 0;
}

/* The runtime's own cgroup in the hierarchy with these options, from
 * the text of /proc/self/cgroup (NULL when it could not be read). */
static char *own_cgroup(const char *self_cgroup, const struct hierarchy *h)
{
	for (const char *line = self_cgroup; line != NULL && *line != '\0';) {
		const char *end = strchrnul(line, '\n');
		const char *c1 = memchr(line, ':', (size_t)(end - line));
		const char *c2 = c1 != NULL ? memchr(c1 + 1, ':', (size_t)(end - c1 - 1)) : NULL;

		if (c2 != NULL) {
			size_t olen = (size_t)(c2 - c1 - 1);
			if ((h->v2 && olen == 0) ||
			    (!h->v2 && olen == strlen(h->options) && strncmp(c1 + 1, h->options, olen) == 0))
				return strndup(c2 + 1, (size_t)(end - c2 - 1));
		}
		line = *end != '\0' ? end + 1 : end;
	}
	return strdup("/");
}

/* "machine-a.slice" -> "/machine.slice/machine-a.slice", systemd's way. */
static char *expand_slice(const char *slice)
{
	size_t n = strlen(slice);
	char *out, *w;

	if (n == 0 || strcmp(slice, "-.slice") == 0)
		return strdup("");
	out = malloc(n * n + 2 * n + 2);
	if (out == NULL)
		return NULL;
	w = out;
	for (size_t i = 0; i < n - 6 && n > 6; i++) {
		if (slice[i] == '-') {
			w += sprintf(w, "/%.*s.slice", (int)i, slice);
		}
	}
	sprintf(w, "/%s", slice);
	return out;
}

static char *systemd_path(const char *spec, const char *id)
{
	cleanup_free char *copy = strdup(spec);
	cleanup_free char *slice = NULL;
	char *out = NULL, *prefix, *name;

	if (copy == NULL)
		return NULL;
	prefix = strchr(copy, ':');
	name = prefix != NULL ? strchr(prefix + 1, ':') : NULL;
	if (name == NULL) {
		/* Not slice:prefix:name: runc's defaults. */
		if (asprintf(&out, "/system.slice/runc-%s.scope", id) < 0)
			return NULL;
		return out;
	}
	*prefix++ = '\0';
	*name++ = '\0';
	slice = expand_slice(*copy != '\0' ? copy : "system.slice");
	if (slice == NULL)
		return NULL;
	if (strlen(name) > 6 && strcmp(name + strlen(name) - 6, ".slice") == 0) {
		if (asprintf(&out, "%s/%s", slice, name) < 0)
			return NULL;
	} else if (asprintf(&out, "%s/%s%s%s.scope", slice, prefix, *prefix ? "-" : "", name) < 0) {
		return NULL;
	}
	return out;
}

int rx_cgroups_resolve(const char *cgroups_path, const char *id, bool systemd,
		       struct rx_cgroups *cg, mr_error **err)
{
	return rx_cgroups_resolve_in(NULL, cgroups_path, id, systemd, cg, err);
}

int rx_cgroups_resolve_in(const char *mountinfo, const char *cgroups_path, const char *id,
			  bool systemd, struct rx_cgroups *cg, mr_error **err)
{
	struct hierarchy *h = NULL;
	size_t nh = 0;
	cleanup_free char *want = NULL;
	cleanup_free char *self_cgroup = NULL;
	struct statfs sfs;

	memset(cg, 0, sizeof *cg);
	if (systemd && cgroups_path != NULL && *cgroups_path != '\0')
		want = systemd_path(cgroups_path, id);
	else
		want = strdup(cgroups_path != NULL && *cgroups_path != '\0' ? cgroups_path : id);
	if (want == NULL)
		return mr_error_set(err, ENOMEM, "cgroups");
	if (read_hierarchies(mountinfo, &h, &nh, err) < 0)
		return -1;
	/* A relative path starts from our own cgroup in each hierarchy: one
	 * read of /proc/self/cgroup serves them all. */
	if (want[0] != '/') {
		cleanup_error mr_error *ignored = NULL;
		if (mr_read_file("/proc/self/cgroup", &self_cgroup, NULL, &ignored) < 0)
			self_cgroup = NULL;
	}
	cg->unified_only = statfs(CGROUP_ROOT, &sfs) == 0 && sfs.f_type == CGROUP2_SUPER_MAGIC;
	cg->dirs = calloc(nh > 0 ? nh : 1, sizeof *cg->dirs);
	if (cg->dirs == NULL) {
		hierarchy_free(h, nh);
		return mr_error_set(err, ENOMEM, "cgroups");
	}
	for (size_t i = 0; i < nh; i++) {
		struct rx_cgroup_dir *d = &cg->dirs[cg->n];
		cleanup_free char *inner = NULL;
		cleanup_free char *clean = NULL;
		const char *rel;
		size_t rootlen = strlen(h[i].root);

		if (cg->unified_only ? strcmp(h[i].mountpoint, CGROUP_ROOT) != 0
				     : strncmp(h[i].mountpoint, CGROUP_ROOT "/", sizeof CGROUP_ROOT) != 0)
			continue;
		if (want[0] == '/') {
			inner = strdup(want);
		} else {
			cleanup_free char *own = own_cgroup(self_cgroup, &h[i]);
			inner = own != NULL ? mr_path_join(own, want) : NULL;
		}
		clean = inner != NULL ? mr_path_clean(inner) : NULL;
		if (clean == NULL)
			break;
		/* A hierarchy mounted from a sub-cgroup (inside a container)
		 * shows paths below its root. */
		rel = clean;
		if (rootlen > 1 && strncmp(clean, h[i].root, rootlen) == 0)
			rel = clean + rootlen;
		d->path = mr_path_join(h[i].mountpoint, rel);
		d->name = strdup(cg->unified_only ? "" : strrchr(h[i].mountpoint, '/') + 1);
		d->options = strdup(h[i].options != NULL ? h[i].options : "");
		d->v2 = h[i].v2;
		cg->n++;
		if (d->path == NULL || d->name == NULL || d->options == NULL)
			break;
	}
	hierarchy_free(h, nh);
	for (size_t i = 0; i < cg->n; i++)
		if (cg->dirs[i].path == NULL || cg->dirs[i].name == NULL || cg->dirs[i].options == NULL) {
			rx_cgroups_free(cg);
			return mr_error_set(err, ENOMEM, "cgroups");
		}
	return 0;
}

static int write_file(const char *dir, const char *file, const char *value, mr_error **err)
{
	cleanup_free char *path = mr_path_join(dir, file);
	cleanup_close int fd = -1;

	if (path == NULL)
		return mr_error_set(err, ENOMEM, "cgroups");
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || mr_write_all(fd, value, strlen(value)) < 0)
		return mr_error_set(err, errno, "failed to write \"%s\" to %s", value, path);
	return 0;
}

static char *read_value(const char *dir, const char *file)
{
	cleanup_free char *path = mr_path_join(dir, file);
	char *data = NULL;
	size_t len = 0;
	cleanup_error mr_error *err = NULL;

	if (path == NULL || mr_read_file(path, &data, &len, &err) < 0)
		return NULL;
	while (len > 0 && (data[len - 1] == '\n' || data[len - 1] == ' '))
		data[--len] = '\0';
	return data;
}

static bool has_option(const struct rx_cgroup_dir *d, const char *ctrl)
{
	size_t n = strlen(ctrl);

	for (const char *p = d->options; (p = strstr(p, ctrl)) != NULL; p += n)
		if ((p == d->options || p[-1] == ',') && (p[n] == '\0' || p[n] == ','))
			return true;
	return false;
}

/* mkdir -p that also gives every new v1 cpuset level its parent's cpus
 * and mems (a cpuset without them refuses tasks), and on pure v2 turns
 * on the controllers for the levels below. */
static int make_dirs(const struct rx_cgroups *cg, const struct rx_cgroup_dir *d, mr_error **err)
{
	const char *mp_end = cg->unified_only ? d->path + strlen(CGROUP_ROOT)
					      : d->path + strlen(CGROUP_ROOT) + 1 + strlen(d->name);
	cleanup_free char *p = strdup(d->path);
	bool cpuset = !d->v2 && has_option(d, "cpuset");

	if (p == NULL)
		return mr_error_set(err, ENOMEM, "cgroups");
	for (char *s = p + (mp_end - d->path);; s++) {
		if (*s == '/' || *s == '\0') {
			char saved = *s;
			*s = '\0';
			if (cg->unified_only) {
				/* Enable controllers in this level's parent so limits apply below. */
				cleanup_free char *parent = strdup(p);
				char *slash = parent != NULL ? strrchr(parent, '/') : NULL;
				if (slash != NULL && slash - parent >= (long)strlen(CGROUP_ROOT)) {
					cleanup_free char *avail = NULL;
					*slash = '\0';
					avail = read_value(parent, "cgroup.controllers");
					if (avail != NULL && *avail != '\0') {
						cleanup_free char *req = NULL;
						cleanup_free char *copy = strdup(avail);
						char *save = NULL;
						req = calloc(1, strlen(avail) * 2 + 2);
						if (req == NULL || copy == NULL)
							return mr_error_set(err, ENOMEM, "cgroups");
						for (char *t = strtok_r(copy, " ", &save); t != NULL;
						     t = strtok_r(NULL, " ", &save)) {
							strcat(req, *req ? " +" : "+");
							strcat(req, t);
						}
						/* Best effort: a controller busy elsewhere stays off. */
						cleanup_error mr_error *ignored = NULL;
						write_file(parent, "cgroup.subtree_control", req, &ignored);
					}
				}
			}
			if (*p != '\0' && mkdir(p, 0755) < 0 && errno != EEXIST)
				return mr_error_set(err, errno, "mkdir %s", p);
			if (cpuset && strlen(p) > (size_t)(mp_end - d->path)) {
				cleanup_free char *parent = strdup(p);
				if (parent == NULL)
					return mr_error_set(err, ENOMEM, "cgroups");
				*strrchr(parent, '/') = '\0';
				for (int i = 0; i < 2; i++) {
					const char *f = i == 0 ? "cpuset.cpus" : "cpuset.mems";
					cleanup_free char *mine = read_value(p, f);
					cleanup_free char *theirs = NULL;
					if (mine != NULL && *mine != '\0')
						continue;
					theirs = read_value(parent, f);
					if (theirs != NULL && write_file(p, f, theirs, err) < 0)
						return -1;
				}
			}
			*s = saved;
			if (saved == '\0')
				break;
		}
	}
	return 0;
}

/* The common case in one syscall: the container's own directory is new
 * and its parent exists. For cpuset it also takes its parent's cpus and
 * mems. Returns 1 when the whole walk (make_dirs) is needed: a missing
 * parent, or a cpuset parent with nothing to give. */
static int make_leaf(const struct rx_cgroup_dir *d, mr_error **err)
{
	cleanup_free char *parent = NULL;
	char *slash;

	if (mkdir(d->path, 0755) < 0 && errno != EEXIST)
		return errno == ENOENT ? 1 : mr_error_set(err, errno, "mkdir %s", d->path);
	if (d->v2 || !has_option(d, "cpuset"))
		return 0;
	parent = strdup(d->path);
	slash = parent != NULL ? strrchr(parent, '/') : NULL;
	if (slash == NULL)
		return mr_error_set(err, ENOMEM, "cgroups");
	*slash = '\0';
	for (int i = 0; i < 2; i++) {
		const char *f = i == 0 ? "cpuset.cpus" : "cpuset.mems";
		cleanup_free char *mine = read_value(d->path, f);
		cleanup_free char *theirs = NULL;
		if (mine != NULL && *mine != '\0')
			continue;
		theirs = read_value(parent, f);
		if (theirs == NULL || *theirs == '\0')
			return 1;
		if (write_file(d->path, f, theirs, err) < 0)
			return -1;
	}
	return 0;
}

int rx_cgroups_make(const struct rx_cgroups *cg, mr_error **err)
{
	for (size_t i = 0; i < cg->n; i++) {
		const struct rx_cgroup_dir *d = &cg->dirs[i];
		/* Pure v2 turns controllers on level by level: always the walk. */
		int rc = cg->unified_only ? 1 : make_leaf(d, err);
		if (rc > 0)
			rc = make_dirs(cg, d, err);
		if (rc < 0)
			return mr_error_wrap(err, "unable to apply cgroup configuration");
	}
	return 0;
}

int rx_cgroups_add_pid(const struct rx_cgroups *cg, pid_t pid, mr_error **err)
{
	char buf[32];

	snprintf(buf, sizeof buf, "%d", (int)pid);
	for (size_t i = 0; i < cg->n; i++)
		if (write_file(cg->dirs[i].path, "cgroup.procs", buf, err) < 0)
			return mr_error_wrap(err, "unable to apply cgroup configuration");
	return 0;
}

int rx_cgroups_enter(const struct rx_cgroups *cg, pid_t pid, json_t *resources, mr_error **err)
{
	if (rx_cgroups_make(cg, err) < 0 || rx_cgroups_add_pid(cg, pid, err) < 0)
		return -1;
	if (resources != NULL && rx_resources_apply(cg, resources, NULL, err) < 0)
		return mr_error_wrap(err, "unable to apply cgroup configuration");
	return 0;
}

bool rx_cgroups_has_v2(const struct rx_cgroups *cg)
{
	for (size_t i = 0; i < cg->n; i++)
		if (cg->dirs[i].v2)
			return true;
	return false;
}

int rx_cgroups_open_v2(const struct rx_cgroups *cg, char *const *paths)
{
	for (size_t i = 0; i < cg->n; i++)
		if (cg->dirs[i].v2)
			return open(paths != NULL ? paths[i] : cg->dirs[i].path,
				    O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	errno = ENOENT;
	return -1;
}

int rx_cgroups_join_self_v1(const struct rx_cgroups *cg, char *const *paths, mr_error **err)
{
	for (size_t i = 0; i < cg->n; i++)
		if (!cg->dirs[i].v2 &&
		    write_file(paths != NULL ? paths[i] : cg->dirs[i].path, "tasks", "0", err) < 0)
			return -1;
	return 0;
}

json_t *rx_cgroups_to_json(const struct rx_cgroups *cg)
{
	json_t *dirs = json_array();

	for (size_t i = 0; i < cg->n; i++)
		json_array_append_new(dirs, json_pack("{s:s, s:s, s:s, s:b}", "name", cg->dirs[i].name,
						      "options", cg->dirs[i].options,
						      "path", cg->dirs[i].path, "v2", cg->dirs[i].v2));
	return json_pack("{s:o, s:b}", "dirs", dirs, "unified_only", cg->unified_only);
}

int rx_cgroups_from_json(json_t *j, struct rx_cgroups *cg)
{
	json_t *dirs = json_object_get(j, "dirs"), *d;
	size_t i;

	memset(cg, 0, sizeof *cg);
	cg->unified_only = mr_json_bool(j, "unified_only", false);
	cg->dirs = calloc(json_array_size(dirs) + 1, sizeof *cg->dirs);
	if (cg->dirs == NULL)
		return -1;
	json_array_foreach(dirs, i, d) {
		const char *name = mr_json_str(d, "name"), *path = mr_json_str(d, "path");
		const char *opts = mr_json_str(d, "options");
		if (name == NULL || path == NULL)
			continue;
		cg->dirs[cg->n] = (struct rx_cgroup_dir){ strdup(name), strdup(opts != NULL ? opts : ""),
							  strdup(path), mr_json_bool(d, "v2", false) };
		cg->n++;
		if (cg->dirs[cg->n - 1].name == NULL || cg->dirs[cg->n - 1].options == NULL ||
		    cg->dirs[cg->n - 1].path == NULL) {
			rx_cgroups_free(cg);
			return -1;
		}
	}
	return 0;
}

void rx_cgroups_free(struct rx_cgroups *cg)
{
	for (size_t i = 0; i < cg->n; i++) {
		free(cg->dirs[i].name);
		free(cg->dirs[i].options);
		free(cg->dirs[i].path);
	}
	free(cg->dirs);
	memset(cg, 0, sizeof *cg);
}

/* Appends the pids of dir/cgroup.procs and of every cgroup below it. */
static int collect_pids(int dir, pid_t **out, size_t *len)
{
	cleanup_dir DIR *d = NULL;
	cleanup_fclose FILE *f = NULL;
	cleanup_free char *line = NULL;
	size_t cap = 0;
	struct dirent *e;
	int fd = openat(dir, "cgroup.procs", O_RDONLY | O_CLOEXEC);

	if (fd < 0 || (f = fdopen(fd, "re")) == NULL) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	while (getline(&line, &cap, f) > 0) {
		pid_t *no = realloc(*out, (*len + 1) * sizeof **out);
		if (no == NULL)
			return -1;
		*out = no;
		(*out)[(*len)++] = (pid_t)atoi(line);
	}
	fd = openat(dir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	d = fd >= 0 ? fdopendir(fd) : NULL;
	if (d == NULL) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	while ((e = readdir(d)) != NULL) {
		cleanup_close int sub = -1;
		if (e->d_type != DT_DIR || e->d_name[0] == '.')
			continue;
		sub = openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		/* A cgroup removed meanwhile is no error. */
		if (sub >= 0 && collect_pids(sub, out, len) < 0 && errno == ENOMEM)
			return -1;
	}
	return 0;
}

int rx_cgroups_pids(const struct rx_cgroups *cg, pid_t **pids, size_t *n)
{
	*pids = NULL;
	*n = 0;
	for (size_t i = 0; i < cg->n; i++) {
		cleanup_close int fd = open(cg->dirs[i].path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (collect_pids(fd, pids, n) == 0)
			return 0;
		free(*pids);
		*pids = NULL;
		*n = 0;
	}
	return -1;
}

int rx_cgroups_signal_all(const struct rx_cgroups *cg, int sig)
{
	cleanup_free pid_t *pids = NULL;
	size_t n = 0;

	if (rx_cgroups_pids(cg, &pids, &n) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		kill(pids[i], sig);
	return 0;
}

bool rx_cgroups_frozen(const struct rx_cgroups *cg)
{
	for (size_t i = 0; i < cg->n; i++) {
		const struct rx_cgroup_dir *d = &cg->dirs[i];
		if (!d->v2 && has_option(d, "freezer")) {
			cleanup_free char *s = read_value(d->path, "freezer.state");
			return s != NULL && strcmp(s, "FROZEN") == 0;
		}
		if (d->v2 && cg->unified_only) {
			cleanup_free char *s = read_value(d->path, "cgroup.freeze");
			return s != NULL && strcmp(s, "1") == 0;
		}
	}
	return false;
}

void rx_cgroups_thaw(const struct rx_cgroups *cg)
{
	cleanup_error mr_error *ignored = NULL;

	rx_cgroups_freeze(cg, false, &ignored);
}

static void sleep_us(long us)
{
	nanosleep(&(struct timespec){ us / 1000000, (us % 1000000) * 1000 }, NULL);
}

/* v1: the kernel may stay in FREEZING while a task is busy in the kernel;
 * thawing for a moment and trying again gets it past that, as runc does. */
static int freeze_v1(const char *dir, mr_error **err)
{
	for (int i = 0; i < 1000; i++) {
		cleanup_free char *state = NULL;
		if (i % 50 == 49) {
			cleanup_error mr_error *ignored = NULL;
			write_file(dir, "freezer.state", "THAWED", &ignored);
			sleep_us(10000);
		}
		if (write_file(dir, "freezer.state", "FROZEN", err) < 0)
			return -1;
		state = read_value(dir, "freezer.state");
		if (state == NULL)
			return mr_error_set(err, errno, "read %s/freezer.state", dir);
		if (strcmp(state, "FROZEN") == 0)
			return 0;
		if (strcmp(state, "FREEZING") != 0)
			return mr_error_set(err, 0, "unexpected state %s after writing FROZEN", state);
		sleep_us(i < 25 ? 100 : 1000);
	}
	{
		cleanup_error mr_error *ignored = NULL;
		write_file(dir, "freezer.state", "THAWED", &ignored);
	}
	return mr_error_set(err, 0, "unable to freeze");
}

/* v2: cgroup.freeze asks, cgroup.events says when every task stopped. */
static int freeze_v2(const char *dir, bool frozen, mr_error **err)
{
	if (write_file(dir, "cgroup.freeze", frozen ? "1" : "0", err) < 0)
		return -1;
	for (int i = 0; i < 1000; i++) {
		cleanup_free char *events = read_value(dir, "cgroup.events");
		const char *f = events != NULL ? strstr(events, "frozen ") : NULL;
		if (f == NULL)
			return 0;
		if ((f[7] == '1') == frozen)
			return 0;
		sleep_us(i < 25 ? 100 : 10000);
	}
	return mr_error_set(err, 0, "unable to %s the cgroup %s", frozen ? "freeze" : "thaw", dir);
}

int rx_cgroups_freeze(const struct rx_cgroups *cg, bool frozen, mr_error **err)
{
	for (size_t i = 0; i < cg->n; i++) {
		const struct rx_cgroup_dir *d = &cg->dirs[i];
		if (!d->v2 && !cg->unified_only && has_option(d, "freezer"))
			return frozen ? freeze_v1(d->path, err)
				      : write_file(d->path, "freezer.state", "THAWED", err);
		if (d->v2 && cg->unified_only)
			return freeze_v2(d->path, frozen, err);
	}
	return mr_error_set(err, 0, "cannot %s the container: the freezer cgroup is not mounted",
			    frozen ? "pause" : "resume");
}

/* runc's parsing of `exec --cgroup`: "path" alone (the same sub-cgroup
 * everywhere) or "ctrl[,ctrl]:path" per controller. */
int rx_cgroups_exec_paths(const struct rx_cgroups *cg, char *const *subs, size_t nsubs,
			  char ***paths, mr_error **err)
{
	const char **sub = calloc(cg->n + 1, sizeof *sub);
	char **out = calloc(cg->n + 1, sizeof *out);
	const char *all = NULL;
	int rc = -1;

	*paths = NULL;
	if (sub == NULL || out == NULL) {
		mr_error_set(err, ENOMEM, "cgroups");
		goto done;
	}
	for (size_t k = 0; k < nsubs; k++) {
		const char *colon = strchr(subs[k], ':');
		if (colon == NULL) {
			if (nsubs != 1) {
				mr_error_set(err, 0, "invalid --cgroup argument: %s (missing <controller>: prefix)",
					     subs[k]);
				goto done;
			}
			all = subs[k];
			continue;
		}
		for (const char *c = subs[k]; c <= colon;) {
			size_t len = strcspn(c, ",:");
			char ctrl[64];
			bool found = false;
			if (len == 0 || c + len > colon) {
				mr_error_set(err, 0, "invalid --cgroup argument: %s (empty <controller> prefix)",
					     subs[k]);
				goto done;
			}
			snprintf(ctrl, sizeof ctrl, "%.*s", (int)len, c);
			for (size_t i = 0; i < cg->n; i++) {
				if (cg->dirs[i].v2 || !has_option(&cg->dirs[i], ctrl))
					continue;
				if (sub[i] != NULL) {
					mr_error_set(err, 0, "invalid --cgroup argument(s): controller %s specified multiple times",
						     ctrl);
					goto done;
				}
				sub[i] = colon + 1;
				found = true;
			}
			if (!found) {
				mr_error_set(err, 0, "unknown controller %s in SubCgroupPaths", ctrl);
				goto done;
			}
			c += len + 1;
		}
	}
	for (size_t i = 0; i < cg->n; i++) {
		const char *s = all != NULL ? all : sub[i];
		cleanup_free char *joined = NULL;
		size_t dl = strlen(cg->dirs[i].path);
		if (s == NULL || *s == '\0') {
			out[i] = strdup(cg->dirs[i].path);
		} else {
			joined = mr_path_join(cg->dirs[i].path, s);
			out[i] = joined != NULL ? mr_path_clean(joined) : NULL;
			/* The sub-cgroup must stay below the container's. */
			if (out[i] != NULL && (strncmp(out[i], cg->dirs[i].path, dl) != 0 ||
					       (out[i][dl] != '/' && out[i][dl] != '\0'))) {
				mr_error_set(err, 0, "bad sub cgroup path: %s", s);
				goto done;
			}
		}
		if (out[i] == NULL) {
			mr_error_set(err, ENOMEM, "cgroups");
			goto done;
		}
	}
	*paths = out;
	out = NULL;
	rc = 0;
done:
	free(sub);
	if (out != NULL) {
		for (size_t i = 0; i < cg->n; i++)
			free(out[i]);
		free(out);
	}
	return rc;
}

int rx_cgroups_join(char *const *paths, size_t n, pid_t pid, mr_error **err)
{
	char buf[32];

	snprintf(buf, sizeof buf, "%d", (int)pid);
	for (size_t i = 0; i < n; i++)
		if (write_file(paths[i], "cgroup.procs", buf, err) < 0)
			return mr_error_wrap(err, "error adding pid %d to cgroups", (int)pid);
	return 0;
}

/* rmdir of a cgroup and of the cgroups below it (made by the container
 * itself, or by `exec --cgroup`), deepest first. */
static int remove_tree(const char *path)
{
	cleanup_dir DIR *d = opendir(path);
	struct dirent *e;

	while (d != NULL && (e = readdir(d)) != NULL) {
		cleanup_free char *sub = NULL;
		if (e->d_type != DT_DIR || e->d_name[0] == '.')
			continue;
		sub = mr_path_join(path, e->d_name);
		if (sub != NULL)
			remove_tree(sub);
	}
	return rmdir(path);
}

int rx_cgroups_destroy(const struct rx_cgroups *cg, mr_error **err)
{
	for (size_t i = 0; i < cg->n; i++) {
		const char *p = cg->dirs[i].path;
		long waited_us = 0, step_us = 1000;
		/* Processes leave their cgroup a moment after they die: usually
		 * within a millisecond, so the wait starts there and grows to
		 * 20 ms steps, up to a second in all. */
		while (remove_tree(p) < 0 && errno != ENOENT) {
			if (errno != EBUSY || waited_us >= 1000000)
				return mr_error_set(err, errno, "unable to remove cgroup %s", p);
			sleep_us(step_us);
			waited_us += step_us;
			if (step_us < 20000)
				step_us *= 2;
		}
	}
	return 0;
}

void rx_cgroups_host_versions(bool *v1, bool *v2)
{
	struct hierarchy *h = NULL;
	size_t n = 0;
	cleanup_error mr_error *err = NULL;

	*v1 = *v2 = false;
	if (read_hierarchies(NULL, &h, &n, &err) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		if (h[i].v2)
			*v2 = true;
		else
			*v1 = true;
	}
	hierarchy_free(h, n);
}
