#include "realexec/mounts.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/file.h"
#include "common/json.h"
#include "realexec/lsm.h"

#ifndef MS_NOSYMFOLLOW
#define MS_NOSYMFOLLOW 256
#endif

#define PROPAGATION_MASK (MS_SHARED | MS_SLAVE | MS_PRIVATE | MS_UNBINDABLE)

/* One mount option: what it does to mount(2)'s flags, to the mount's own
 * attributes, to every mount below it (the r* options) or to propagation. */
struct option {
	const char *name;
	unsigned long set, clr;      /* MS_* */
	uint64_t rset, rclr;         /* MOUNT_ATTR_*, recursive */
	unsigned long propagation;
};

static const struct option options[] = {
	{ "async", 0, MS_SYNCHRONOUS, 0, 0, 0 },
	{ "atime", 0, MS_NOATIME, 0, 0, 0 },
	{ "bind", MS_BIND, 0, 0, 0, 0 },
	{ "defaults", 0, 0, 0, 0, 0 },
	{ "dev", 0, MS_NODEV, 0, 0, 0 },
	{ "diratime", 0, MS_NODIRATIME, 0, 0, 0 },
	{ "dirsync", MS_DIRSYNC, 0, 0, 0, 0 },
	{ "exec", 0, MS_NOEXEC, 0, 0, 0 },
	{ "iversion", MS_I_VERSION, 0, 0, 0, 0 },
	{ "lazytime", MS_LAZYTIME, 0, 0, 0, 0 },
	{ "loud", 0, MS_SILENT, 0, 0, 0 },
	{ "mand", MS_MANDLOCK, 0, 0, 0, 0 },
	{ "noatime", MS_NOATIME, 0, 0, 0, 0 },
	{ "nodev", MS_NODEV, 0, 0, 0, 0 },
	{ "nodiratime", MS_NODIRATIME, 0, 0, 0, 0 },
	{ "noexec", MS_NOEXEC, 0, 0, 0, 0 },
	{ "noiversion", 0, MS_I_VERSION, 0, 0, 0 },
	{ "nolazytime", 0, MS_LAZYTIME, 0, 0, 0 },
	{ "nomand", 0, MS_MANDLOCK, 0, 0, 0 },
	{ "norelatime", 0, MS_RELATIME, 0, 0, 0 },
	{ "nostrictatime", 0, MS_STRICTATIME, 0, 0, 0 },
	{ "nosuid", MS_NOSUID, 0, 0, 0, 0 },
	{ "nosymfollow", MS_NOSYMFOLLOW, 0, 0, 0, 0 },
	{ "private", 0, 0, 0, 0, MS_PRIVATE },
	{ "ratime", 0, 0, 0, MOUNT_ATTR_NOATIME, 0 },
	{ "rbind", MS_BIND | MS_REC, 0, 0, 0, 0 },
	{ "rdev", 0, 0, 0, MOUNT_ATTR_NODEV, 0 },
	{ "rdiratime", 0, 0, 0, MOUNT_ATTR_NODIRATIME, 0 },
	{ "relatime", MS_RELATIME, 0, 0, 0, 0 },
	{ "remount", MS_REMOUNT, 0, 0, 0, 0 },
	{ "rexec", 0, 0, 0, MOUNT_ATTR_NOEXEC, 0 },
	{ "rnoatime", 0, 0, MOUNT_ATTR_NOATIME, 0, 0 },
	{ "rnodev", 0, 0, MOUNT_ATTR_NODEV, 0, 0 },
	{ "rnodiratime", 0, 0, MOUNT_ATTR_NODIRATIME, 0, 0 },
	{ "rnoexec", 0, 0, MOUNT_ATTR_NOEXEC, 0, 0 },
	{ "rnorelatime", 0, 0, 0, MOUNT_ATTR_RELATIME, 0 },
	{ "rnostrictatime", 0, 0, 0, MOUNT_ATTR_STRICTATIME, 0 },
	{ "rnosuid", 0, 0, MOUNT_ATTR_NOSUID, 0, 0 },
	{ "rnosymfollow", 0, 0, MOUNT_ATTR_NOSYMFOLLOW, 0, 0 },
	{ "ro", MS_RDONLY, 0, 0, 0, 0 },
	{ "rprivate", 0, 0, 0, 0, MS_PRIVATE | MS_REC },
	{ "rrelatime", 0, 0, MOUNT_ATTR_RELATIME, 0, 0 },
	{ "rro", 0, 0, MOUNT_ATTR_RDONLY, 0, 0 },
	{ "rrw", 0, 0, 0, MOUNT_ATTR_RDONLY, 0 },
	{ "rshared", 0, 0, 0, 0, MS_SHARED | MS_REC },
	{ "rslave", 0, 0, 0, 0, MS_SLAVE | MS_REC },
	{ "rstrictatime", 0, 0, MOUNT_ATTR_STRICTATIME, 0, 0 },
	{ "rsuid", 0, 0, 0, MOUNT_ATTR_NOSUID, 0 },
	{ "rsymfollow", 0, 0, 0, MOUNT_ATTR_NOSYMFOLLOW, 0 },
	{ "runbindable", 0, 0, 0, 0, MS_UNBINDABLE | MS_REC },
	{ "rw", 0, MS_RDONLY, 0, 0, 0 },
	{ "shared", 0, 0, 0, 0, MS_SHARED },
	{ "silent", MS_SILENT, 0, 0, 0, 0 },
	{ "slave", 0, 0, 0, 0, MS_SLAVE },
	{ "strictatime", MS_STRICTATIME, 0, 0, 0, 0 },
	{ "suid", 0, MS_NOSUID, 0, 0, 0 },
	{ "symfollow", 0, MS_NOSYMFOLLOW, 0, 0, 0 },
	{ "sync", MS_SYNCHRONOUS, 0, 0, 0, 0 },
	{ "tmpcopyup", 0, 0, 0, 0, 0 },
	{ "unbindable", 0, 0, 0, 0, MS_UNBINDABLE },
};

const char *rx_mount_option_name(size_t i)
{
	return i < sizeof options / sizeof options[0] ? options[i].name : NULL;
}

static const struct option *find_option(const char *name)
{
	for (size_t i = 0; i < sizeof options / sizeof options[0]; i++)
		if (strcmp(options[i].name, name) == 0)
			return &options[i];
	return NULL;
}

/* The attributes mount_setattr() gives a bind mount for the MS_* flags
 * its options asked for: mount(2) ignores them on MS_BIND. */
static void bind_attrs(struct rx_mount *m)
{
	static const struct { unsigned long ms; uint64_t attr; } map[] = {
		{ MS_RDONLY, MOUNT_ATTR_RDONLY }, { MS_NOSUID, MOUNT_ATTR_NOSUID },
		{ MS_NODEV, MOUNT_ATTR_NODEV }, { MS_NOEXEC, MOUNT_ATTR_NOEXEC },
		{ MS_NODIRATIME, MOUNT_ATTR_NODIRATIME }, { MS_NOSYMFOLLOW, MOUNT_ATTR_NOSYMFOLLOW },
	};

	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (m->flags & map[i].ms)
			m->attr_set |= map[i].attr;
	if (m->rw_explicit)
		m->attr_clr |= MOUNT_ATTR_RDONLY;
	if (m->flags & (MS_NOATIME | MS_RELATIME | MS_STRICTATIME)) {
		m->attr_clr |= MOUNT_ATTR__ATIME;
		m->attr_set |= (m->flags & MS_NOATIME) ? MOUNT_ATTR_NOATIME :
			       (m->flags & MS_STRICTATIME) ? MOUNT_ATTR_STRICTATIME : MOUNT_ATTR_RELATIME;
	}
}

static int append_data(char **data, const char *opt)
{
	char *n = NULL;

	if (asprintf(&n, "%s%s%s", *data != NULL ? *data : "", *data != NULL ? "," : "", opt) < 0)
		return -1;
	free(*data);
	*data = n;
	return 0;
}

int rx_mount_parse(json_t *jm, const char *bundle, struct rx_mount *m, mr_error **err)
{
	const char *dest = mr_json_str(jm, "destination");
	const char *type = mr_json_str(jm, "type");
	const char *source = mr_json_str(jm, "source");
	json_t *opts = json_object_get(jm, "options");
	size_t i;
	json_t *o;

	memset(m, 0, sizeof *m);
	if (!json_is_object(jm) || dest == NULL || *dest == '\0')
		return mr_error_set(err, 0, "mount destination must be a non-empty string");
	if (json_object_get(jm, "uidMappings") != NULL || json_object_get(jm, "gidMappings") != NULL)
		return mr_error_set(err, 0, "mount %s: id-mapped mounts are not supported", dest);
	{
		/* Relative destinations are deprecated but allowed: they
		 * are taken from the rootfs' root. */
		cleanup_free char *abs = mr_path_join("/", dest);
		m->destination = abs != NULL ? mr_path_clean(abs) : NULL;
	}
	m->type = strdup(type != NULL ? type : "");
	json_array_foreach(opts, i, o) {
		const char *name = json_string_value(o);
		const struct option *opt;
		if (name == NULL)
			return mr_error_set(err, 0, "mount %s: options must be strings", dest);
		opt = find_option(name);
		if (opt == NULL) {
			if (strcmp(name, "idmap") == 0 || strcmp(name, "ridmap") == 0)
				return mr_error_set(err, 0, "mount %s: option %s is not supported", dest, name);
			if (append_data(&m->data, name) < 0)
				return mr_error_set(err, ENOMEM, "mount %s", dest);
			continue;
		}
		m->flags = (m->flags | opt->set) & ~opt->clr;
		m->rattr_set = (m->rattr_set | opt->rset) & ~opt->rclr;
		m->rattr_clr = (m->rattr_clr | opt->rclr) & ~opt->rset;
		if (opt->propagation != 0)
			m->propagation = opt->propagation;
		if (strcmp(name, "rw") == 0)
			m->rw_explicit = true;
		if (strcmp(name, "tmpcopyup") == 0)
			m->tmpcopyup = true;
	}
	/* Bind-ness comes from the options; type "bind" alone implies it. */
	if (strcmp(m->type, "bind") == 0 && !(m->flags & MS_BIND))
		m->flags |= MS_BIND;
	if (m->rattr_set & (MOUNT_ATTR_RELATIME | MOUNT_ATTR_NOATIME | MOUNT_ATTR_STRICTATIME))
		m->rattr_clr |= MOUNT_ATTR__ATIME;
	if (rx_mount_is_bind(m)) {
		if (source == NULL || *source == '\0')
			return mr_error_set(err, 0, "mount %s: a bind mount needs a source", dest);
		if (source[0] != '/') {
			cleanup_free char *j = mr_path_join(bundle, source);
			m->source = j != NULL ? mr_path_clean(j) : NULL;
		} else {
			m->source = mr_path_clean(source);
		}
		bind_attrs(m);
	} else {
		m->source = strdup(source != NULL ? source : m->type);
	}
	if (m->destination == NULL || m->type == NULL || m->source == NULL)
		return mr_error_set(err, ENOMEM, "mount %s", dest);
	return 0;
}

void rx_mount_free(struct rx_mount *m)
{
	free(m->destination);
	free(m->type);
	free(m->source);
	free(m->data);
	memset(m, 0, sizeof *m);
}

void rx_mountinfo_unescape(char *s)
{
	char *w = s;

	for (char *r = s; *r != '\0'; r++) {
		if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] >= '0' && r[2] <= '7' &&
		    r[3] >= '0' && r[3] <= '7') {
			*w++ = (char)((r[1] - '0') * 64 + (r[2] - '0') * 8 + (r[3] - '0'));
			r += 3;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
}

char *rx_mountinfo_read(void)
{
	cleanup_error mr_error *err = NULL;
	char *text = NULL;

	return mr_read_file("/proc/self/mountinfo", &text, NULL, &err) == 0 ? text : NULL;
}

FILE *rx_mountinfo_open(const char *text)
{
	if (text == NULL)
		return fopen("/proc/self/mountinfo", "re");
	return fmemopen((void *)text, strlen(text), "r");
}

void rx_fd_path(int fd, char buf[RX_FD_PATH_MAX])
{
	snprintf(buf, RX_FD_PATH_MAX, "/proc/self/fd/%d", fd);
}

static int open_in_root(int root_fd, const char *path, bool create, bool last_is_file, int depth,
			int *out, mr_error **err);

static int openat2_in_root(int root_fd, const char *rel)
{
	struct open_how how = {
		.flags = O_PATH | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};

	if (*rel == '\0')
		rel = ".";
	return (int)syscall(SYS_openat2, root_fd, rel, &how, sizeof how);
}

/* A dangling symlink met while making a path: its target is made, as a
 * path inside the root (absolute targets from the root, relative ones from
 * the link's directory), so /var/run -> /run works for a missing /run. */
static int make_link_target(int root_fd, int dir, const char *name, const char *dir_path,
			    bool is_file, int depth, mr_error **err)
{
	char target[PATH_MAX];
	cleanup_free char *joined = NULL;
	cleanup_close int fd = -1;
	ssize_t n = readlinkat(dir, name, target, sizeof target - 1);

	if (n < 0)
		return -1;
	target[n] = '\0';
	joined = target[0] == '/' ? strdup(target) : mr_path_join(dir_path, target);
	if (joined == NULL)
		return mr_error_set(err, ENOMEM, "open %s", target);
	return open_in_root(root_fd, joined, true, is_file, depth + 1, &fd, err);
}

static int open_in_root(int root_fd, const char *path, bool create, bool last_is_file, int depth,
			int *out, mr_error **err)
{
	cleanup_free char *clean = mr_path_clean(path);
	cleanup_close int cur = -1;
	const char *rel;
	char *p;
	int fd;

	if (clean == NULL)
		return mr_error_set(err, ENOMEM, "open %s", path);
	if (depth > 40)
		return mr_error_set(err, ELOOP, "open %s", path);
	rel = clean[0] == '/' ? clean + 1 : clean;
	fd = openat2_in_root(root_fd, rel);
	if (fd >= 0 || errno != ENOENT || !create) {
		if (fd < 0)
			return mr_error_set(err, errno, "open %s", path);
		*out = fd;
		return 0;
	}
	/* Walk down, each missing component made in the directory its
	 * parent resolved to, and the prefix resolved again from the root
	 * so that a symlink placed meanwhile still cannot lead outside. */
	cur = openat2_in_root(root_fd, "");
	if (cur < 0)
		return mr_error_set(err, errno, "open %s", path);
	p = (char *)rel;
	while (*p != '\0') {
		char *slash = strchr(p, '/');
		bool last = slash == NULL;
		char name[NAME_MAX + 1];
		size_t len = last ? strlen(p) : (size_t)(slash - p);

		if (len > NAME_MAX)
			return mr_error_set(err, ENAMETOOLONG, "open %s", path);
		memcpy(name, p, len);
		name[len] = '\0';
		if (!last)
			*slash = '\0';
		fd = openat2_in_root(root_fd, rel);
		if (fd < 0 && errno == ENOENT) {
			bool file = last && last_is_file;
			int r;
			if (file) {
				r = openat(cur, name, O_CREAT | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
				if (r >= 0)
					close(r);
			} else {
				r = mkdirat(cur, name, 0755);
			}
			if (r < 0 && errno == EEXIST) {
				/* Made by someone else meanwhile, or a dangling symlink. */
				cleanup_free char *dir_path = strdup(clean);
				char *cut = dir_path != NULL ? dir_path + (p - rel) + (clean[0] == '/') : NULL;
				if (cut != NULL)
					*cut = '\0';
				if (dir_path != NULL &&
				    make_link_target(root_fd, cur, name, *dir_path ? dir_path : "/", file,
						     depth, err) < 0 && *err != NULL)
					return -1;
			} else if (r < 0) {
				return mr_error_set(err, errno, "mkdir %s", path);
			}
			fd = openat2_in_root(root_fd, rel);
		}
		if (fd < 0)
			return mr_error_set(err, errno, "open %s", path);
		close(cur);
		cur = fd;
		if (!last) {
			*slash = '/';
			p = slash + 1;
		} else {
			break;
		}
	}
	*out = mr_steal_fd(cur);
	return 0;
}

int rx_open_in_root(int root_fd, const char *path, bool create, bool last_is_file,
		    int *out, mr_error **err)
{
	return open_in_root(root_fd, path, create, last_is_file, 0, out, err);
}

int rx_mount_setattr(int fd, uint64_t set, uint64_t clr, unsigned long propagation,
		     bool recursive)
{
	struct mount_attr attr = { .attr_set = set, .attr_clr = clr,
				   .propagation = propagation & PROPAGATION_MASK };

	if (set == 0 && clr == 0 && attr.propagation == 0)
		return 0;
	return mount_setattr(fd, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0),
			     &attr, sizeof attr);
}

/* tmpcopyup: what was in the directory under a new tmpfs is copied into
 * it, owners and modes kept. */
static int copy_tree(int src, int dst, mr_error **err)
{
	cleanup_dir DIR *d = NULL;
	int dfd = openat(src, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent *e;

	if (dfd < 0 || (d = fdopendir(dfd)) == NULL) {
		if (dfd >= 0)
			close(dfd);
		return mr_error_set(err, errno, "tmpcopyup: open");
	}
	while ((e = readdir(d)) != NULL) {
		struct stat st;
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (fstatat(src, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			return mr_error_set(err, errno, "tmpcopyup: stat %s", e->d_name);
		if (S_ISDIR(st.st_mode)) {
			cleanup_close int s = -1, t = -1;
			if (mkdirat(dst, e->d_name, st.st_mode & 07777) < 0 && errno != EEXIST)
				return mr_error_set(err, errno, "tmpcopyup: mkdir %s", e->d_name);
			s = openat(src, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			t = openat(dst, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (s < 0 || t < 0)
				return mr_error_set(err, errno, "tmpcopyup: open %s", e->d_name);
			if (copy_tree(s, t, err) < 0)
				return -1;
			if (fchown(t, st.st_uid, st.st_gid) < 0 || fchmod(t, st.st_mode & 07777) < 0)
				return mr_error_set(err, errno, "tmpcopyup: chown %s", e->d_name);
		} else if (S_ISREG(st.st_mode)) {
			cleanup_close int s = openat(src, e->d_name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
			cleanup_close int t = openat(dst, e->d_name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
						     st.st_mode & 07777);
			off_t off = 0;
			if (s < 0 || t < 0)
				return mr_error_set(err, errno, "tmpcopyup: open %s", e->d_name);
			while (off < st.st_size) {
				ssize_t n = sendfile(t, s, &off, (size_t)(st.st_size - off));
				if (n <= 0)
					return mr_error_set(err, n < 0 ? errno : EIO, "tmpcopyup: copy %s", e->d_name);
			}
			if (fchown(t, st.st_uid, st.st_gid) < 0 || fchmod(t, st.st_mode & 07777) < 0)
				return mr_error_set(err, errno, "tmpcopyup: chown %s", e->d_name);
		} else if (S_ISLNK(st.st_mode)) {
			char target[PATH_MAX];
			ssize_t n = readlinkat(src, e->d_name, target, sizeof target - 1);
			if (n < 0)
				return mr_error_set(err, errno, "tmpcopyup: readlink %s", e->d_name);
			target[n] = '\0';
			if (symlinkat(target, dst, e->d_name) < 0 ||
			    fchownat(dst, e->d_name, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) < 0)
				return mr_error_set(err, errno, "tmpcopyup: symlink %s", e->d_name);
		} else {
			if (mknodat(dst, e->d_name, st.st_mode, st.st_rdev) < 0 ||
			    fchownat(dst, e->d_name, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) < 0)
				return mr_error_set(err, errno, "tmpcopyup: mknod %s", e->d_name);
		}
	}
	return 0;
}

/* After a mount: its own attributes, those of every mount below it, and
 * its propagation, on a fresh resolution of the destination (the fd used
 * for mounting points below the new mount). */
static int finish_mount(const struct rx_mount_ctx *ctx, const struct rx_mount *m,
			const char *dest, uint64_t set, uint64_t clr, mr_error **err)
{
	cleanup_close int fd = -1;

	if (rx_open_in_root(ctx->root_fd, dest, false, false, &fd, err) < 0)
		return -1;
	if (rx_mount_setattr(fd, set, clr, 0, false) < 0)
		return mr_error_set(err, errno, "remount %s", dest);
	if (rx_mount_setattr(fd, m->rattr_set, m->rattr_clr, 0, true) < 0)
		return mr_error_set(err, errno, "remount %s (recursive options)", dest);
	if (m->propagation != 0 &&
	    rx_mount_setattr(fd, 0, 0, m->propagation, (m->propagation & MS_REC) != 0) < 0)
		return mr_error_set(err, errno, "set propagation of %s", dest);
	return 0;
}

static int bind_at(const struct rx_mount_ctx *ctx, const char *source, const char *dest,
		   unsigned long recflag, bool create, mr_error **err)
{
	cleanup_close int fd = -1;
	char p[RX_FD_PATH_MAX];
	struct stat st;

	if (stat(source, &st) < 0)
		return mr_error_set(err, errno, "stat %s", source);
	if (rx_open_in_root(ctx->root_fd, dest, create, !S_ISDIR(st.st_mode), &fd, err) < 0)
		return -1;
	rx_fd_path(fd, p);
	if (mount(source, p, NULL, MS_BIND | recflag, NULL) < 0)
		return mr_error_set(err, errno, "bind %s", source);
	return 0;
}

/* The cgroup filesystems: cgroup v2 alone is one mount; the v1 (and
 * hybrid) layout is a tmpfs holding one directory per hierarchy. Without
 * a cgroup namespace each shows the container's own cgroup, bind-mounted
 * from the host. */
static int mount_cgroup(const struct rx_mount_ctx *ctx, const struct rx_mount *m, mr_error **err)
{
	const struct rx_cgroups *cg = ctx->cgroups;
	unsigned long flags = m->flags & ~(MS_BIND | MS_REC | MS_REMOUNT);
	uint64_t ro = (m->flags & MS_RDONLY) ? MOUNT_ATTR_RDONLY : 0;
	uint64_t attrs = ro | ((m->flags & MS_NOSUID) ? MOUNT_ATTR_NOSUID : 0) |
			 ((m->flags & MS_NODEV) ? MOUNT_ATTR_NODEV : 0) |
			 ((m->flags & MS_NOEXEC) ? MOUNT_ATTR_NOEXEC : 0);
	cleanup_close int fd = -1;
	char p[RX_FD_PATH_MAX];

	if (cg == NULL || cg->n == 0)
		return 0;
	if (cg->unified_only) {
		if (rx_open_in_root(ctx->root_fd, m->destination, true, false, &fd, err) < 0)
			return -1;
		rx_fd_path(fd, p);
		if (ctx->cgroupns) {
			if (mount("cgroup2", p, "cgroup2", flags, NULL) < 0)
				return mr_error_set(err, errno, "mount cgroup2");
			return finish_mount(ctx, m, m->destination, 0, 0, err);
		}
		if (mount(cg->dirs[0].path, p, NULL, MS_BIND | MS_REC, NULL) < 0)
			return mr_error_set(err, errno, "bind %s", cg->dirs[0].path);
		return finish_mount(ctx, m, m->destination, attrs, 0, err);
	}
	if (rx_open_in_root(ctx->root_fd, m->destination, true, false, &fd, err) < 0)
		return -1;
	rx_fd_path(fd, p);
	if (mount("tmpfs", p, "tmpfs", (flags & ~MS_RDONLY) | MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  "mode=755") < 0)
		return mr_error_set(err, errno, "mount tmpfs");
	for (size_t i = 0; i < cg->n; i++) {
		const struct rx_cgroup_dir *d = &cg->dirs[i];
		cleanup_free char *sub = mr_path_join(m->destination, d->name);
		cleanup_close int sfd = -1;
		char sp[RX_FD_PATH_MAX];

		if (sub == NULL)
			return mr_error_set(err, ENOMEM, "mount cgroup");
		if (ctx->cgroupns) {
			if (rx_open_in_root(ctx->root_fd, sub, true, false, &sfd, err) < 0)
				return -1;
			rx_fd_path(sfd, sp);
			if (mount("cgroup", sp, d->v2 ? "cgroup2" : "cgroup", flags & ~MS_RDONLY,
				  d->v2 ? NULL : d->options) < 0)
				return mr_error_set(err, errno, "mount cgroup %s", d->name);
		} else if (bind_at(ctx, d->path, sub, MS_REC, true, err) < 0) {
			return -1;
		}
		close(sfd);
		sfd = -1;
		if (rx_open_in_root(ctx->root_fd, sub, false, false, &sfd, err) < 0)
			return -1;
		if (rx_mount_setattr(sfd, attrs, 0, 0, false) < 0)
			return mr_error_set(err, errno, "remount %s", sub);
	}
	return finish_mount(ctx, m, m->destination, ro, 0, err);
}

static int do_mount(const struct rx_mount_ctx *ctx, const struct rx_mount *m, mr_error **err)
{
	cleanup_free char *data = NULL;
	cleanup_close int fd = -1;
	cleanup_close int old = -1;
	char p[RX_FD_PATH_MAX];
	struct stat before;
	bool keep_mode = false;

	if (strcmp(m->type, "cgroup") == 0 && !rx_mount_is_bind(m))
		return mount_cgroup(ctx, m, err);
	if (rx_mount_is_bind(m)) {
		if (bind_at(ctx, m->source, m->destination, m->flags & MS_REC, true, err) < 0)
			return -1;
		return finish_mount(ctx, m, m->destination, m->attr_set, m->attr_clr, err);
	}
	/* A tmpfs over a directory that exists takes that directory's mode
	 * (runc does this, so the mode= option only counts for a mountpoint
	 * the runtime makes). */
	if (strcmp(m->type, "tmpfs") == 0) {
		cleanup_error mr_error *absent = NULL;
		if (rx_open_in_root(ctx->root_fd, m->destination, false, false, &fd, &absent) == 0 &&
		    fstat(fd, &before) == 0 && S_ISDIR(before.st_mode))
			keep_mode = true;
	}
	if (fd < 0 && rx_open_in_root(ctx->root_fd, m->destination, true, false, &fd, err) < 0)
		return -1;
	if (m->tmpcopyup) {
		old = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (old < 0)
			return mr_error_set(err, errno, "tmpcopyup: open %s", m->destination);
	}
	rx_fd_path(fd, p);
	if (ctx->mount_label != NULL && rx_lsm_mount_takes_label(m->type)) {
		data = rx_lsm_mount_data(m->data, ctx->mount_label);
		if (data == NULL)
			return mr_error_set(err, ENOMEM, "mount %s", m->destination);
	}
	if (mount(m->source, p, m->type, m->flags & ~MS_REMOUNT, data != NULL ? data : m->data) < 0) {
		int e = errno;
		/* Without the right to mount them (a user namespace not
		 * owning the network or ipc namespace), runc binds the
		 * host's instead. */
		if (e == EPERM && strcmp(m->type, "sysfs") == 0)
			return bind_at(ctx, "/sys", m->destination, MS_REC, false, err) < 0 ? -1 :
			       finish_mount(ctx, m, m->destination,
					    (m->flags & MS_RDONLY) ? MOUNT_ATTR_RDONLY : 0, 0, err);
		if (e == EPERM && strcmp(m->type, "mqueue") == 0)
			return bind_at(ctx, "/dev/mqueue", m->destination, 0, false, err) < 0 ? -1 :
			       finish_mount(ctx, m, m->destination, 0, 0, err);
		return mr_error_set(err, e, "mount %s (%s)", m->source, m->type);
	}
	if (m->tmpcopyup) {
		cleanup_close int nfd = -1;
		cleanup_close int dir = -1;
		struct stat st;
		if (rx_open_in_root(ctx->root_fd, m->destination, false, false, &nfd, err) < 0)
			return -1;
		dir = openat(nfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dir < 0)
			return mr_error_set(err, errno, "tmpcopyup: open %s", m->destination);
		if (copy_tree(old, dir, err) < 0)
			return -1;
		if (fstat(old, &st) == 0 && fchown(dir, st.st_uid, st.st_gid) < 0)
			return mr_error_set(err, errno, "tmpcopyup: chown %s", m->destination);
	}
	if (keep_mode) {
		cleanup_close int top = -1;
		if (rx_open_in_root(ctx->root_fd, m->destination, false, false, &top, err) < 0)
			return -1;
		rx_fd_path(top, p);
		if (chmod(p, before.st_mode & 07777) < 0)
			return mr_error_set(err, errno, "chmod %s", m->destination);
	}
	return finish_mount(ctx, m, m->destination, 0, 0, err);
}

int rx_mount_apply(const struct rx_mount_ctx *ctx, const struct rx_mount *m, mr_error **err)
{
	if (do_mount(ctx, m, err) < 0)
		return mr_error_wrap(err, "error mounting \"%s\" to rootfs at \"%s\"",
				     m->source, m->destination);
	return 0;
}
