/* Linux namespaces: names, joining by path, and the files a new user or
 * time namespace needs written before it is used. */
#ifndef REALEXEC_NAMESPACES_H
#define REALEXEC_NAMESPACES_H

#include <sys/types.h>

#include "common/error.h"

struct rx_spec;

/* "network" -> CLONE_NEWNET; -1 when unknown. */
int rx_ns_type(const char *name);
const char *rx_ns_name(int type);

/* Config names realexec supports, for `features` (NULL-terminated). */
const char *const *rx_ns_known_names(void);

/* Joins every namespace the config gives a path for, the user namespace
 * first (it grants the rights to join the others). */
int rx_ns_join_all(const struct rx_spec *s, mr_error **err);

/* For `exec`: every namespace of the config becomes the running
 * process's /proc/<pid>/ns/<name> to join; those the runtime is already
 * in are dropped from the list. */
int rx_ns_of_process(pid_t pid, struct rx_spec *s, mr_error **err);

/* The CLONE_NEW* flags of the namespaces to create, user excluded. */
int rx_ns_new_flags(const struct rx_spec *s);

/* Writes uid_map and gid_map of pid's new user namespace. */
int rx_ns_write_idmaps(pid_t pid, const struct rx_spec *s, mr_error **err);

/* Writes /proc/self/timens_offsets after unshare(CLONE_NEWTIME). */
int rx_ns_write_time_offsets(const struct rx_spec *s, mr_error **err);

#endif
