#include "realexec/rootfs.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "realexec/cgroups.h"
#include "realexec/devices.h"
#include "realexec/mounts.h"
#include "realexec/spec.h"

/* The mount point of the mount holding path: the longest mount point
 * that is path or one of its parents. */
static char *mount_point_of(const char *path)
{
	cleanup_fclose FILE *f = fopen("/proc/self/mountinfo", "re");
	cleanup_free char *line = NULL;
	char *best = NULL;
	size_t cap = 0, best_len = 0;

	while (f != NULL && getline(&line, &cap, f) > 0) {
		char mp[4096];
		size_t n;
		if (sscanf(line, "%*d %*d %*s %*s %4095s", mp) != 1)
			continue;
		rx_mountinfo_unescape(mp);
		n = strlen(mp);
		if (n < best_len && best != NULL)
			continue;
		if (strcmp(mp, "/") != 0 &&
		    (strncmp(path, mp, n) != 0 || (path[n] != '\0' && path[n] != '/')))
			continue;
		if (best == NULL || n >= best_len) {
			free(best);
			best = strdup(mp);
			best_len = n;
		}
	}
	return best;
}

int rx_rootfs_prepare(const struct rx_spec *s, const struct rx_cgroups *cg, mr_error **err)
{
	unsigned long prop = s->rootfs_propagation != 0 ? s->rootfs_propagation : MS_SLAVE | MS_REC;
	cleanup_close int root_fd = -1;
	struct rx_mount_ctx ctx;

	/* Nothing mounted from here on may reach the host. */
	if (mount(NULL, "/", NULL, prop, NULL) < 0)
		return mr_error_set(err, errno, "error setting rootfs propagation of /");
	/* pivot_root refuses a new root whose parent mount is shared. */
	if (prop & MS_SHARED) {
		cleanup_free char *parent = mount_point_of(s->rootfs);
		if (parent == NULL || mount(NULL, parent, NULL, MS_PRIVATE, NULL) < 0)
			return mr_error_set(err, errno, "make the parent mount of %s private", s->rootfs);
	}
	if (mount(s->rootfs, s->rootfs, "bind", MS_BIND | MS_REC, NULL) < 0)
		return mr_error_set(err, errno, "error binding rootfs %s", s->rootfs);
	root_fd = open(s->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root_fd < 0)
		return mr_error_set(err, errno, "open rootfs %s", s->rootfs);
	ctx = (struct rx_mount_ctx){
		.root_fd = root_fd,
		.rootfs = s->rootfs,
		.userns = rx_spec_ns(s, CLONE_NEWUSER) != NULL,
		.cgroupns = rx_spec_new_ns(s, CLONE_NEWCGROUP),
		.cgroups = cg,
		.mount_label = s->mount_label,
	};
	for (size_t i = 0; i < s->nmounts; i++)
		if (rx_mount_apply(&ctx, &s->mounts[i], err) < 0)
			return -1;
	return rx_devices_setup(root_fd, s, ctx.userns, err);
}

static int pivot(const char *rootfs, mr_error **err)
{
	cleanup_close int oldroot = open("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC);
	cleanup_close int newroot = open(rootfs, O_DIRECTORY | O_RDONLY | O_CLOEXEC);

	if (oldroot < 0 || newroot < 0)
		return mr_error_set(err, errno, "pivot_root: open");
	if (fchdir(newroot) < 0)
		return mr_error_set(err, errno, "chdir %s", rootfs);
	/* pivot_root(".", "."): the old root is stacked under the new one
	 * and detached right away, no directory needed for it. */
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		return mr_error_set(err, errno, "pivot_root %s", rootfs);
	if (fchdir(oldroot) < 0)
		return mr_error_set(err, errno, "pivot_root: chdir");
	/* Slave first, so the unmount does not propagate to the host. */
	if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0)
		return mr_error_set(err, errno, "pivot_root: make old root slave");
	if (umount2(".", MNT_DETACH) < 0)
		return mr_error_set(err, errno, "pivot_root: unmount old root");
	if (chdir("/") < 0)
		return mr_error_set(err, errno, "chdir /");
	return 0;
}

int rx_rootfs_enter(const struct rx_spec *s, bool no_pivot, mr_error **err)
{
	if (rx_spec_ns(s, CLONE_NEWNS) == NULL) {
		if (chroot(s->rootfs) < 0 || chdir("/") < 0)
			return mr_error_set(err, errno, "chroot %s", s->rootfs);
		return 0;
	}
	if (!no_pivot)
		return pivot(s->rootfs, err);
	if (chdir(s->rootfs) < 0)
		return mr_error_set(err, errno, "chdir %s", s->rootfs);
	if (mount(s->rootfs, "/", NULL, MS_MOVE, NULL) < 0)
		return mr_error_set(err, errno, "move %s to /", s->rootfs);
	if (chroot(".") < 0 || chdir("/") < 0)
		return mr_error_set(err, errno, "chroot %s", s->rootfs);
	return 0;
}

int rx_rootfs_finalize(const struct rx_spec *s, mr_error **err)
{
	cleanup_close int root = -1;

	if (rx_spec_ns(s, CLONE_NEWNS) == NULL)
		return 0;
	/* Applied now that the rootfs is "/", so the host's "/" is untouched;
	 * private was already the parent's lot. */
	if (s->rootfs_propagation != 0 && !(s->rootfs_propagation & MS_PRIVATE) &&
	    mount(NULL, "/", NULL, s->rootfs_propagation, NULL) < 0)
		return mr_error_set(err, errno, "unable to apply root propagation flags");
	if (!s->root_readonly)
		return 0;
	root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root < 0 || rx_mount_setattr(root, MOUNT_ATTR_RDONLY, 0, 0, false) < 0)
		return mr_error_set(err, errno, "remount / read-only");
	return 0;
}

/* The path bound on itself, then read-only (with everything below it). */
static int readonly_path(const char *path, mr_error **err)
{
	cleanup_close int fd = -1;

	if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0) {
		if (errno == ENOENT)
			return 0;
		return mr_error_set(err, errno, "readonly path %s", path);
	}
	fd = open(path, O_PATH | O_CLOEXEC);
	if (fd < 0 || rx_mount_setattr(fd, MOUNT_ATTR_RDONLY, 0, 0, true) < 0)
		return mr_error_set(err, errno, "readonly path %s", path);
	return 0;
}

/* /dev/null over a file, an empty read-only tmpfs over a directory. */
static int mask_path(const char *path, mr_error **err)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return errno == ENOENT ? 0 : mr_error_set(err, errno, "mask path %s", path);
	if (S_ISDIR(st.st_mode)) {
		if (mount("tmpfs", path, "tmpfs", MS_RDONLY, "size=0k") < 0)
			return mr_error_set(err, errno, "mask path %s", path);
	} else if (mount("/dev/null", path, NULL, MS_BIND, NULL) < 0) {
		return mr_error_set(err, errno, "mask path %s", path);
	}
	return 0;
}

int rx_rootfs_protect(const struct rx_spec *s, mr_error **err)
{
	for (char **p = s->readonly_paths; p != NULL && *p != NULL; p++)
		if (readonly_path(*p, err) < 0)
			return -1;
	for (char **p = s->masked_paths; p != NULL && *p != NULL; p++)
		if (mask_path(*p, err) < 0)
			return -1;
	return 0;
}
