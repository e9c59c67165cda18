/* AppArmor and SELinux: process.apparmorProfile, process.selinuxLabel and
 * linux.mountLabel, handled as runc handles them. runc ignores none of
 * them when the LSM is off, and neither does realexec (checked against
 * runc 1.1.5 on a host with neither LSM):
 *  - selinuxLabel with SELinux disabled fails before anything starts:
 *    "selinux label is specified in config, but selinux is disabled or not
 *    supported" (rx_lsm_prepare);
 *  - apparmorProfile is written as "exec <profile>" to attr/apparmor/exec,
 *    or attr/exec on kernels without the per-LSM directory, whether or not
 *    AppArmor is on; without AppArmor the kernel refuses the write and the
 *    init fails: "unable to apply apparmor profile: apparmor failed to
 *    apply profile: write /proc/thread-self/attr/exec: invalid argument";
 *  - mountLabel becomes a context="<label>" mount option of the mounts
 *    that take one (rx_lsm_mount_data), which a kernel without SELinux
 *    refuses (EINVAL) as it refuses runc's. */
#ifndef REALEXEC_LSM_H
#define REALEXEC_LSM_H

#include <stdbool.h>
#include <jansson.h>

#include "common/error.h"

/* Where the host is looked at; NULL members (or a NULL struct) take the
 * real paths. */
struct rx_lsm_paths {
	const char *apparmor_fs;       /* /sys/kernel/security/apparmor */
	const char *apparmor_enabled;  /* /sys/module/apparmor/parameters/enabled */
	const char *mountinfo;         /* /proc/self/mountinfo (a selinuxfs mount) */
	const char *attr;              /* /proc/thread-self/attr */
};

struct rx_lsm_host {
	bool apparmor;   /* securityfs has apparmor/ and the module says Y */
	bool selinux;    /* a writable selinuxfs is mounted and we are not "kernel" */
};

void rx_lsm_detect(const struct rx_lsm_paths *paths, struct rx_lsm_host *host);
/* The same with the text of /proc/self/mountinfo the caller already read
 * (NULL: read it; paths->mountinfo, when set, wins). */
void rx_lsm_detect_in(const struct rx_lsm_paths *paths, const char *mountinfo,
		      struct rx_lsm_host *host);

/* The LSM settings of a container (or of an exec'd process). */
struct rx_lsm {
	char *apparmor_profile;   /* NULL when not set */
	char *selinux_label;
	char *mount_label;
};

/* Reads process.apparmorProfile, process.selinuxLabel and, in a config,
 * linux.mountLabel (process: the process object; linux: the linux object
 * or NULL), and refuses what runc's validator refuses. */
int rx_lsm_prepare(json_t *process, json_t *linux_obj, const struct rx_lsm_host *host,
		   struct rx_lsm *out, mr_error **err);
void rx_lsm_free(struct rx_lsm *l);

/* In the init, before no_new_privs and the capability drop (as runc):
 * the AppArmor profile to enter at execve. attr: NULL for the real one. */
int rx_lsm_apply_apparmor(const char *profile, const char *attr, mr_error **err);

/* In the init, right before seccomp and execve: the SELinux label of the
 * program to run. */
int rx_lsm_apply_selinux(const char *label, const char *attr, mr_error **err);

/* Before joining the session keyring: the label new keys get ("" resets). */
int rx_lsm_set_keycreate(const char *label, const char *attr, mr_error **err);

/* Mount data with the mount label added: `mode=755,context="<label>"`.
 * data may be NULL or empty; so may label (data is then copied). */
char *rx_lsm_mount_data(const char *data, const char *label);

/* Whether a mount of this filesystem type gets the mount label: not
 * proc, sysfs, mqueue (runc labels its files instead) nor cgroup. */
bool rx_lsm_mount_takes_label(const char *type);

#endif
