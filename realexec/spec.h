/* config.json as realexec uses it: parsed and validated once, in the
 * runtime, before any process is forked, so that a bad config fails at
 * create with a clear message and the container init only acts. */
#ifndef REALEXEC_SPEC_H
#define REALEXEC_SPEC_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <jansson.h>

#include "common/error.h"
#include "realexec/hooks.h"
#include "realexec/mounts.h"

struct rx_idmap {
	uint32_t container_id, host_id, size;
};

struct rx_namespace {
	int type;       /* CLONE_NEW* */
	char *path;     /* join this one, or NULL: a new namespace */
};

struct rx_rlimit {
	int resource;
	const char *name;
	uint64_t soft, hard;
};

struct rx_device {
	char *path;     /* absolute, clean */
	mode_t type;    /* S_IFCHR, S_IFBLK or S_IFIFO */
	unsigned major, minor;
	mode_t mode;    /* permission bits */
	uid_t uid;
	gid_t gid;
};

struct rx_time_offset {
	bool set;
	int64_t secs;
	uint32_t nanosecs;
};

#define RX_MAX_NS 8

struct rx_spec {
	json_t *json;                   /* the whole config (a reference) */
	const char *oci_version;
	char *rootfs;                   /* absolute */
	bool root_readonly;
	const char *hostname, *domainname;
	json_t *annotations;

	/* process */
	bool has_process;
	bool terminal;
	unsigned short console_height, console_width;
	char **args, **env;             /* NULL-terminated */
	const char *cwd;
	uid_t uid;
	gid_t gid;
	gid_t *gids;
	size_t ngids;
	bool has_umask;
	mode_t umask;
	struct rx_rlimit *rlimits;
	size_t nrlimits;
	bool no_new_privs;
	bool has_oom_score_adj;
	int oom_score_adj;
	json_t *capabilities;           /* process.capabilities or NULL */
	bool has_io_priority;
	int io_priority;                /* ioprio_set(2) value: class << 13 | level */
	bool has_scheduler;
	struct rx_sched {
		uint32_t policy;
		int32_t nice;
		uint32_t priority;
		uint64_t flags, runtime, deadline, period;
	} scheduler;

	/* linux */
	struct rx_namespace ns[RX_MAX_NS];
	size_t nns;
	struct rx_idmap *uid_maps, *gid_maps;
	size_t nuid_maps, ngid_maps;
	struct rx_time_offset monotonic, boottime;
	struct rx_mount *mounts;
	size_t nmounts;
	struct rx_device *devices;
	size_t ndevices;
	char **masked_paths, **readonly_paths;   /* NULL-terminated */
	json_t *sysctl;                 /* object or NULL */
	unsigned long rootfs_propagation;        /* 0: runc's default, rslave */
	const char *cgroups_path;
	json_t *resources;              /* linux.resources or NULL */
	json_t *seccomp;                /* linux.seccomp or NULL */
	const char *mount_label;
	bool has_personality;
	unsigned long personality;      /* PER_LINUX or PER_LINUX32 */

	struct rx_hook_list hooks[RX_HOOK_KINDS];
};

/* *s is cleared first and must be released with rx_spec_free whether the
 * parse succeeded or not. */
int rx_spec_parse(json_t *config, const char *bundle, struct rx_spec *s, mr_error **err);

/* For `exec`: process (validated as runc validates an exec'd process),
 * and of the container's config only what the new process shares with the
 * init: the namespaces, seccomp and personality. */
int rx_spec_parse_exec(json_t *config, json_t *process, struct rx_spec *s, mr_error **err);
void rx_spec_free(struct rx_spec *s);

/* The namespace entry of that type, or NULL when the config has none. */
const struct rx_namespace *rx_spec_ns(const struct rx_spec *s, int type);

/* A new namespace of that type is created (not joined). */
bool rx_spec_new_ns(const struct rx_spec *s, int type);

/* NULL-terminated copy of a JSON array of strings (NULL when absent);
 * -1 when an element is not a string. */
int rx_strv_from_json(json_t *arr, const char *what, char ***out, mr_error **err);
void rx_strv_free(char **v);

#endif
