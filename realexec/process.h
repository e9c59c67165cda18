/* The user process's side of the init: what it runs, as whom, with which
 * limits, environment and file descriptors. */
#ifndef REALEXEC_PROCESS_H
#define REALEXEC_PROCESS_H

#include <stddef.h>

#include "common/error.h"

struct rx_spec;

/* Go's exec.LookPath inside the container (runc runs it before waiting
 * on exec.fifo, so a missing program fails at create): args[0] with a
 * slash is taken as is, else searched in process.env's PATH. */
int rx_process_lookpath(const struct rx_spec *s, char **path, mr_error **err);

/* Before any namespace: the limits (raising a hard one needs
 * CAP_SYS_RESOURCE in the host) and oom_score_adj. */
int rx_process_rlimits(const struct rx_spec *s, mr_error **err);
int rx_process_oom_score_adj(const struct rx_spec *s, mr_error **err);

/* ioPriority, scheduler and personality, before privileges are dropped. */
int rx_process_priorities(const struct rx_spec *s, mr_error **err);

/* setgroups (unless a user namespace denies it), setgid, setuid. */
int rx_process_set_user(const struct rx_spec *s, mr_error **err);

/* process.env, plus HOME from the container's /etc/passwd when unset,
 * plus LISTEN_FDS/LISTEN_PID when listen fds are passed. */
char **rx_process_env(const struct rx_spec *s, unsigned listen_fds);

/* Stdio belongs to the process's user (pipes from the engine, the pty). */
void rx_process_fix_stdio(const struct rx_spec *s);

/* Right before execve: fds 3..3+keep-1 inherited, every other fd >= 3
 * closed. */
int rx_process_close_fds(unsigned keep, mr_error **err);

/* Closes every fd >= from but those in keep (which stay as they are). */
void rx_process_close_fds_except(unsigned from, const int *keep, size_t nkeep);

/* Every signal at its default and none blocked, whatever the runtime (or
 * the engine before it) had set. */
void rx_process_reset_signals(void);

/* A session keyring of the container's own (named after its id, so every
 * process of the container shares it). */
int rx_process_join_keyring(const char *id, mr_error **err);

#endif
