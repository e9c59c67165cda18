#include "realexec/devices.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/file.h"
#include "realexec/mounts.h"
#include "realexec/spec.h"

static const struct rx_device default_devices[] = {
	{ "/dev/null", S_IFCHR, 1, 3, 0666, 0, 0 },
	{ "/dev/zero", S_IFCHR, 1, 5, 0666, 0, 0 },
	{ "/dev/full", S_IFCHR, 1, 7, 0666, 0, 0 },
	{ "/dev/random", S_IFCHR, 1, 8, 0666, 0, 0 },
	{ "/dev/urandom", S_IFCHR, 1, 9, 0666, 0, 0 },
	{ "/dev/tty", S_IFCHR, 5, 0, 0666, 0, 0 },
};

/* The directory holding path (made when missing) and path's last name. */
static int open_parent(int root_fd, const char *path, int *dir, const char **name, mr_error **err)
{
	cleanup_free char *parent = strdup(path);
	char *slash = parent != NULL ? strrchr(parent, '/') : NULL;

	if (slash == NULL)
		return mr_error_set(err, ENOMEM, "%s", path);
	*slash = '\0';
	*name = strrchr(path, '/') + 1;
	return rx_open_in_root(root_fd, *parent != '\0' ? parent : "/", true, false, dir, err);
}

static int create_device(int root_fd, const struct rx_device *d, bool userns, mr_error **err)
{
	cleanup_close int dir = -1;
	const char *name;
	struct stat st;

	if (open_parent(root_fd, d->path, &dir, &name, err) < 0)
		return -1;
	if (fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISDIR(st.st_mode) &&
	    unlinkat(dir, name, 0) < 0)
		return mr_error_set(err, errno, "remove %s", d->path);
	if (userns) {
		cleanup_close int fd = -1;
		char p[RX_FD_PATH_MAX];
		int f = openat(dir, name, O_CREAT | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0000);
		if (f < 0)
			return mr_error_set(err, errno, "create %s", d->path);
		close(f);
		if (rx_open_in_root(root_fd, d->path, false, false, &fd, err) < 0)
			return -1;
		rx_fd_path(fd, p);
		if (mount(d->path, p, NULL, MS_BIND, NULL) < 0)
			return mr_error_set(err, errno, "bind mount %s", d->path);
		return 0;
	}
	if (mknodat(dir, name, d->type | (d->mode & 07777), makedev(d->major, d->minor)) < 0)
		return mr_error_set(err, errno, "mknod %s", d->path);
	/* mknod's mode went through the umask. */
	if (fchmodat(dir, name, d->mode & 07777, 0) < 0 ||
	    fchownat(dir, name, d->uid, d->gid, AT_SYMLINK_NOFOLLOW) < 0)
		return mr_error_set(err, errno, "chown %s", d->path);
	return 0;
}

static int make_symlink(int root_fd, const char *target, const char *path, bool replace,
			mr_error **err)
{
	cleanup_close int dir = -1;
	const char *name;

	if (open_parent(root_fd, path, &dir, &name, err) < 0)
		return -1;
	if (replace && unlinkat(dir, name, 0) < 0 && errno != ENOENT)
		return mr_error_set(err, errno, "remove %s", path);
	if (symlinkat(target, dir, name) < 0 && errno != EEXIST)
		return mr_error_set(err, errno, "symlink %s %s", target, path);
	return 0;
}

/* A /dev bind-mounted from elsewhere is left as it is, as runc does. */
static bool dev_is_bound(const struct rx_spec *s)
{
	for (size_t i = 0; i < s->nmounts; i++)
		if (strcmp(s->mounts[i].destination, "/dev") == 0 && rx_mount_is_bind(&s->mounts[i]))
			return true;
	return false;
}

int rx_devices_setup(int root_fd, const struct rx_spec *s, bool userns, mr_error **err)
{
	static const char *const links[][2] = {
		{ "/proc/self/fd", "/dev/fd" }, { "/proc/self/fd/0", "/dev/stdin" },
		{ "/proc/self/fd/1", "/dev/stdout" }, { "/proc/self/fd/2", "/dev/stderr" },
	};

	if (dev_is_bound(s))
		return 0;
	for (size_t i = 0; i < sizeof default_devices / sizeof default_devices[0]; i++) {
		bool overridden = false;
		for (size_t j = 0; j < s->ndevices; j++)
			overridden = overridden || strcmp(s->devices[j].path, default_devices[i].path) == 0;
		if (!overridden && create_device(root_fd, &default_devices[i], userns, err) < 0)
			return mr_error_wrap(err, "error creating device nodes");
	}
	for (size_t i = 0; i < s->ndevices; i++)
		if (create_device(root_fd, &s->devices[i], userns, err) < 0)
			return mr_error_wrap(err, "error creating device nodes");
	if (make_symlink(root_fd, "pts/ptmx", "/dev/ptmx", true, err) < 0)
		return mr_error_wrap(err, "setup ptmx");
	for (size_t i = 0; i < sizeof links / sizeof links[0]; i++)
		if (make_symlink(root_fd, links[i][0], links[i][1], false, err) < 0)
			return mr_error_wrap(err, "error creating /dev symlinks");
	if (access("/proc/kcore", F_OK) == 0 &&
	    make_symlink(root_fd, "/proc/kcore", "/dev/core", false, err) < 0)
		return mr_error_wrap(err, "error creating /dev symlinks");
	return 0;
}
