#include "realexec/namespaces.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/file.h"
#include "realexec/spec.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

/* In the order runc joins them: user first. */
static const struct { const char *name, *proc; int type; } ns_names[] = {
	{ "user", "user", CLONE_NEWUSER }, { "ipc", "ipc", CLONE_NEWIPC },
	{ "uts", "uts", CLONE_NEWUTS }, { "network", "net", CLONE_NEWNET },
	{ "pid", "pid", CLONE_NEWPID }, { "mount", "mnt", CLONE_NEWNS },
	{ "cgroup", "cgroup", CLONE_NEWCGROUP }, { "time", "time", CLONE_NEWTIME },
};
#define NS_COUNT (sizeof ns_names / sizeof ns_names[0])

int rx_ns_type(const char *name)
{
	for (size_t i = 0; i < NS_COUNT; i++)
		if (strcmp(ns_names[i].name, name) == 0)
			return ns_names[i].type;
	return -1;
}

const char *rx_ns_name(int type)
{
	for (size_t i = 0; i < NS_COUNT; i++)
		if (ns_names[i].type == type)
			return ns_names[i].name;
	return "?";
}

const char *const *rx_ns_known_names(void)
{
	static const char *const sorted[] = { "cgroup", "ipc", "mount", "network", "pid", "time",
					      "user", "uts", NULL };
	return sorted;
}

int rx_ns_join_all(const struct rx_spec *s, mr_error **err)
{
	int fds[NS_COUNT];
	int rc = 0;

	/* Every path is opened before any is joined: joining the mount
	 * namespace changes what the paths mean. */
	for (size_t i = 0; i < NS_COUNT; i++) {
		const struct rx_namespace *n = rx_spec_ns(s, ns_names[i].type);
		fds[i] = -1;
		if (n == NULL || n->path == NULL)
			continue;
		fds[i] = open(n->path, O_RDONLY | O_CLOEXEC);
		if (fds[i] < 0) {
			rc = mr_error_set(err, errno, "failed to open %s namespace %s", ns_names[i].name,
					  n->path);
			break;
		}
	}
	for (size_t i = 0; i < NS_COUNT && rc == 0; i++) {
		if (fds[i] >= 0 && setns(fds[i], ns_names[i].type) < 0)
			rc = mr_error_set(err, errno, "failed to join %s namespace %s", ns_names[i].name,
					  rx_spec_ns(s, ns_names[i].type)->path);
	}
	for (size_t i = 0; i < NS_COUNT; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	return rc;
}

int rx_ns_of_process(pid_t pid, struct rx_spec *s, mr_error **err)
{
	size_t kept = 0;

	for (size_t i = 0; i < s->nns; i++) {
		struct rx_namespace *n = &s->ns[i];
		const char *proc = NULL;
		char theirs[64], ours[64];
		struct stat a, b;

		for (size_t k = 0; k < NS_COUNT && proc == NULL; k++)
			if (ns_names[k].type == n->type)
				proc = ns_names[k].proc;
		snprintf(theirs, sizeof theirs, "/proc/%d/ns/%s", (int)pid, proc);
		snprintf(ours, sizeof ours, "/proc/self/ns/%s", proc);
		free(n->path);
		n->path = NULL;
		if (stat(theirs, &a) < 0)
			return mr_error_set(err, errno, "stat %s", theirs);
		/* Joining our own namespace is at best useless; the user
		 * namespace refuses it (EINVAL). */
		if (stat(ours, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
			continue;
		n->path = strdup(theirs);
		if (n->path == NULL)
			return mr_error_set(err, ENOMEM, "namespaces");
		s->ns[kept++] = *n;
	}
	for (size_t i = kept; i < s->nns; i++)
		s->ns[i] = (struct rx_namespace){ 0 };
	s->nns = kept;
	return 0;
}

int rx_ns_new_flags(const struct rx_spec *s)
{
	int flags = 0;

	for (size_t i = 0; i < s->nns; i++)
		if (s->ns[i].path == NULL && s->ns[i].type != CLONE_NEWUSER)
			flags |= s->ns[i].type;
	return flags;
}

static int write_map(pid_t pid, const char *file, const struct rx_idmap *m, size_t n,
		     mr_error **err)
{
	char path[64];
	char buf[4096];
	size_t len = 0;
	cleanup_close int fd = -1;

	for (size_t i = 0; i < n; i++) {
		int w = snprintf(buf + len, sizeof buf - len, "%u %u %u\n", m[i].container_id,
				 m[i].host_id, m[i].size);
		if (w < 0 || (size_t)w >= sizeof buf - len)
			return mr_error_set(err, E2BIG, "write %s", file);
		len += (size_t)w;
	}
	snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	/* The whole map in one write: the kernel accepts only one. */
	if (fd < 0 || write(fd, buf, len) != (ssize_t)len)
		return mr_error_set(err, errno, "failed to write %s", path);
	return 0;
}

int rx_ns_write_idmaps(pid_t pid, const struct rx_spec *s, mr_error **err)
{
	if (write_map(pid, "uid_map", s->uid_maps, s->nuid_maps, err) < 0 ||
	    write_map(pid, "gid_map", s->gid_maps, s->ngid_maps, err) < 0)
		return -1;
	return 0;
}

int rx_ns_write_time_offsets(const struct rx_spec *s, mr_error **err)
{
	char buf[128];
	int len = 0;
	cleanup_close int fd = -1;

	if (s->monotonic.set)
		len += snprintf(buf + len, sizeof buf - (size_t)len, "monotonic %lld %u\n",
				(long long)s->monotonic.secs, s->monotonic.nanosecs);
	if (s->boottime.set)
		len += snprintf(buf + len, sizeof buf - (size_t)len, "boottime %lld %u\n",
				(long long)s->boottime.secs, s->boottime.nanosecs);
	if (len == 0)
		return 0;
	fd = open("/proc/self/timens_offsets", O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, buf, (size_t)len) != len)
		return mr_error_set(err, errno, "failed to write /proc/self/timens_offsets");
	return 0;
}
