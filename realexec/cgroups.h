/* The container's cgroup, on cgroup v1 (and the hybrid layout, where an
 * empty cgroup2 sits beside the v1 controllers) or pure cgroup v2, through
 * the cgroup filesystem (no systemd). One directory per hierarchy. */
#ifndef REALEXEC_CGROUPS_H
#define REALEXEC_CGROUPS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <jansson.h>

#include "common/error.h"

struct rx_cgroup_dir {
	char *name;        /* directory under the cgroup root ("memory", "systemd",
	                      "unified"; "" for pure v2) */
	char *options;     /* v1 mount options naming it ("memory", "name=systemd") */
	char *path;        /* the container's cgroup directory on the host */
	bool v2;
};

struct rx_cgroups {
	struct rx_cgroup_dir *dirs;
	size_t n;
	bool unified_only; /* pure cgroup v2 */
};

/* Which directories the container gets: cgroupsPath absolute (from each
 * hierarchy's root), relative (from the runtime's own cgroup), empty (the
 * id, relative), or "slice:prefix:name" with systemd. */
int rx_cgroups_resolve(const char *cgroups_path, const char *id, bool systemd,
		       struct rx_cgroups *cg, mr_error **err);
/* The same from the text of /proc/self/mountinfo the caller already read
 * (NULL: read it here). */
int rx_cgroups_resolve_in(const char *mountinfo, const char *cgroups_path, const char *id,
			  bool systemd, struct rx_cgroups *cg, mr_error **err);

/* Creates the directories (each only once: the last level, and the
 * levels above only when one is missing). */
int rx_cgroups_make(const struct rx_cgroups *cg, mr_error **err);

/* Moves pid (its whole thread group) into every directory through
 * cgroup.procs. The kernel then write-locks every thread group on the
 * host, which waits for an RCU grace period: milliseconds on a busy
 * machine. */
int rx_cgroups_add_pid(const struct rx_cgroups *cg, pid_t pid, mr_error **err);

/* make + add_pid; with resources, also writes them (rx_resources_apply).
 * create writes the limits later, once the init has made its device
 * nodes, as runc does. */
int rx_cgroups_enter(const struct rx_cgroups *cg, pid_t pid, json_t *resources, mr_error **err);

/* The way around that wait, for a new single-threaded process: it is
 * cloned straight into the v2 directory (CLONE_INTO_CGROUP, an fd from
 * open_v2, when has_v2), and it
 * moves itself into the v1 ones by writing "0" to their tasks files,
 * which needs no thread group lock. paths: one per directory of cg (as
 * rx_cgroups_exec_paths gives them), or NULL for the directories. */
bool rx_cgroups_has_v2(const struct rx_cgroups *cg);
int rx_cgroups_open_v2(const struct rx_cgroups *cg, char *const *paths);
int rx_cgroups_join_self_v1(const struct rx_cgroups *cg, char *const *paths, mr_error **err);

json_t *rx_cgroups_to_json(const struct rx_cgroups *cg);
int rx_cgroups_from_json(json_t *j, struct rx_cgroups *cg);
void rx_cgroups_free(struct rx_cgroups *cg);

/* Host pids of every process in the container's cgroup and the cgroups
 * below it. */
int rx_cgroups_pids(const struct rx_cgroups *cg, pid_t **pids, size_t *n);
int rx_cgroups_signal_all(const struct rx_cgroups *cg, int sig);
bool rx_cgroups_frozen(const struct rx_cgroups *cg);
/* Thaws a frozen cgroup (a frozen process cannot die of SIGKILL). */
void rx_cgroups_thaw(const struct rx_cgroups *cg);

/* pause / resume: the v1 freezer (hybrid layout included) or cgroup v2's
 * cgroup.freeze; returns once the kernel reports every task frozen. */
int rx_cgroups_freeze(const struct rx_cgroups *cg, bool frozen, mr_error **err);

/* Where an exec'd process goes, one path per directory of cg: the
 * container's cgroup, or the sub-cgroups of `exec --cgroup` ("path" for
 * all controllers, or "ctrl[,ctrl]:path"), with runc's errors. */
int rx_cgroups_exec_paths(const struct rx_cgroups *cg, char *const *subs, size_t nsubs,
			  char ***paths, mr_error **err);

/* Writes pid to cgroup.procs of each existing directory. */
int rx_cgroups_join(char *const *paths, size_t n, pid_t pid, mr_error **err);

/* Removes the container's directories and any cgroup made below them
 * (waiting a little for exiting processes to leave them). */
int rx_cgroups_destroy(const struct rx_cgroups *cg, mr_error **err);

/* Which cgroup versions the host has, for `features`. */
void rx_cgroups_host_versions(bool *v1, bool *v2);

#endif
