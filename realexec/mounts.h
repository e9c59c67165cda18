/* Mount entries: their options parsed once, and each applied inside the
 * rootfs with its destination resolved safely (no escape through
 * symlinks, "..", or a swapped path component). */
#ifndef REALEXEC_MOUNTS_H
#define REALEXEC_MOUNTS_H

#include <stdbool.h>
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "common/error.h"
#include "realexec/cgroups.h"

struct rx_mount {
	char *destination;      /* absolute and clean, inside the rootfs */
	char *type;             /* "" for none */
	char *source;           /* bind sources made absolute (bundle-relative) */
	unsigned long flags;    /* MS_* for mount(2), propagation excluded */
	unsigned long propagation;  /* MS_SHARED/.../MS_REC, 0 for none */
	uint64_t attr_set, attr_clr;    /* mount_setattr on the mount itself */
	uint64_t rattr_set, rattr_clr;  /* mount_setattr, AT_RECURSIVE */
	bool rw_explicit;       /* "rw" given: clear a read-only bind source */
	bool tmpcopyup;
	char *data;             /* filesystem options, comma-separated */
};

/* Reads one config.json mounts[] entry. */
int rx_mount_parse(json_t *m, const char *bundle, struct rx_mount *out, mr_error **err);
void rx_mount_free(struct rx_mount *m);

static inline bool rx_mount_is_bind(const struct rx_mount *m)
{
	return (m->flags & 0x1000 /* MS_BIND */) != 0;
}

/* The i-th option name realexec understands (sorted), NULL past the
 * last: for `features`. */
const char *rx_mount_option_name(size_t i);

/* Opens path (absolute, taken inside root_fd) as an O_PATH fd, resolving
 * every symlink as if root_fd were "/". With create, missing components
 * are made: directories, and a file for the last one when last_is_file. */
int rx_open_in_root(int root_fd, const char *path, bool create, bool last_is_file,
		    int *fd, mr_error **err);

/* Undoes mountinfo's octal escapes ("\\040" for a space) in place. */
void rx_mountinfo_unescape(char *s);

/* /proc/self/mountinfo read once, so the steps of one call that look at
 * the mounts (cgroup hierarchies, selinuxfs) share it; NULL when it
 * cannot be read (each reader then opens the file itself). */
char *rx_mountinfo_read(void);

/* A stream over that text, or over the live file when text is NULL. */
FILE *rx_mountinfo_open(const char *text);

/* "/proc/self/fd/N" for an fd, to hand to syscalls that take a path. */
#define RX_FD_PATH_MAX 32
void rx_fd_path(int fd, char buf[RX_FD_PATH_MAX]);

struct rx_mount_ctx {
	int root_fd;            /* the rootfs, O_PATH */
	const char *rootfs;     /* its host path, for messages */
	bool userns;            /* a new user namespace: no mknod, no sysfs */
	bool cgroupns;          /* a new cgroup namespace */
	const struct rx_cgroups *cgroups;   /* the container's cgroups */
	const char *mount_label;            /* linux.mountLabel, or NULL */
};

/* Mounts one entry at its destination inside the rootfs. */
int rx_mount_apply(const struct rx_mount_ctx *ctx, const struct rx_mount *m, mr_error **err);

/* Sets mount attributes (MOUNT_ATTR_*) and propagation on the mount at
 * fd; recursive applies to every mount below it too. */
int rx_mount_setattr(int fd, uint64_t set, uint64_t clr, unsigned long propagation,
		     bool recursive);

#endif
