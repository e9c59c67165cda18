/* realexec: a real OCI runtime core, usable as a library on its own.
 *
 * Every operation takes the state root (one directory per container under
 * it) and a container id; nothing here prints, exits or knows about
 * recording or a command line. Errors come back as mr_error values worded
 * as runc words them, without the "runc <command> failed: " prefix the
 * command line adds.
 *
 * The container init is always a direct child of the process that called
 * realexec_create() or realexec_run(), so when that process exits the init
 * re-parents to the caller's subreaper (containerd-shim, conmon).
 *
 * Modules inside realexec/ share internal helpers prefixed rx_; only the
 * realexec_ functions below (and capabilities.h, seccomp.h) are public. */
#ifndef REALEXEC_REALEXEC_H
#define REALEXEC_REALEXEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <jansson.h>

#include "common/error.h"
#include "common/log.h"

/* The runtime-spec version realexec implements (state's ociVersion). */
#define REALEXEC_OCI_VERSION "1.2.0"
#define REALEXEC_OCI_VERSION_MIN "1.0.0"

struct realexec_create_opts {
	const char *root;            /* state root, absolute */
	const char *id;
	const char *bundle;          /* absolute bundle directory */
	json_t *config;              /* the bundle's config.json, parsed */
	const char *console_socket;  /* --console-socket, or NULL */
	const char *pidfd_socket;    /* --pidfd-socket: gets a pidfd of the init */
	const char *pid_file;        /* --pid-file, or NULL */
	bool no_pivot;               /* --no-pivot: MS_MOVE + chroot */
	bool no_new_keyring;         /* keep the caller's session keyring */
	unsigned preserve_fds;       /* --preserve-fds: fds after LISTEN_FDS */
	bool systemd_cgroup;         /* cgroupsPath is "slice:prefix:name" */
	const struct mr_logger *log; /* warnings (unknown capabilities, ...) */
	/* The caller's own work, run once while the runtime only waits on
	 * the container init (it builds its rootfs meanwhile): after the
	 * init is forked, before the container exists, so a foreground run
	 * has it done before the process starts. Not called when create
	 * fails before the fork. NULL: none. */
	void (*while_busy)(void *arg);
	void *while_busy_arg;
};

/* runc's rules: non-empty, [A-Za-z0-9_+.-] only, not "." or "..". */
int realexec_validate_id(const char *id, mr_error **err);

/* Creates the container; returns with its init alive and blocked before
 * the user program, *pid its host pid. The pid file is written last. */
int realexec_create(const struct realexec_create_opts *o, pid_t *pid, mr_error **err);

/* Releases a created container's init into the user program, then runs
 * the poststart hooks. */
int realexec_start(const char *root, const char *id, const struct mr_logger *log,
		   mr_error **err);

/* create + start; detach=false waits for the init (signals received are
 * forwarded to it), deletes the container unless keep, and returns the
 * process's exit status (128+signal when it was killed). */
int realexec_run(const struct realexec_create_opts *o, bool detach, bool keep,
		 mr_error **err);

/* Signals the init; all: every process of the container's cgroup (and
 * no error when the container is not running). */
int realexec_kill(const char *root, const char *id, int sig, bool all, mr_error **err);

/* Destroys a stopped (or created) container: processes, cgroup, state,
 * then the poststop hooks. force kills a running one first. A missing
 * container is an error unless force. */
int realexec_delete(const char *root, const char *id, bool force,
		    const struct mr_logger *log, mr_error **err);

/* `exec` without --process: the config's process, changed as runc's
 * flags change it. */
struct realexec_exec_flags {
	char *const *args;           /* the command and its arguments */
	size_t nargs;
	const char *cwd;             /* --cwd, or NULL */
	char *const *env;            /* --env, appended */
	size_t nenv;
	bool tty;                    /* --tty */
	const char *user;            /* --user uid[:gid], or NULL */
	char *const *gids;           /* --additional-gids */
	size_t ngids;
	const char *apparmor;        /* --apparmor */
	const char *process_label;   /* --process-label */
	bool no_new_privs_set;       /* --no-new-privs given (true or false) */
	bool no_new_privs;
	char *const *caps;           /* --cap: bounding, effective, permitted */
	size_t ncaps;
};

struct realexec_exec_opts {
	const char *root;
	const char *id;
	/* --process: the file and its bytes (process_errno: why it could not
	 * be read); NULL path: flags describe the process. */
	const char *process_path;
	const char *process_data;
	size_t process_len;
	int process_errno;
	const struct realexec_exec_flags *flags;
	const char *console_socket;  /* the pty master goes there (detached) */
	const char *pidfd_socket;    /* a pidfd of the process goes there */
	const char *pid_file;        /* absolute, or NULL */
	bool detach;
	bool ignore_paused;          /* exec into a frozen container */
	unsigned preserve_fds;
	char *const *sub_cgroups;    /* --cgroup: "[ctrl[,ctrl]:]path" */
	size_t nsub_cgroups;
	const struct mr_logger *log;
	/* As in realexec_create_opts: run once after the process is forked,
	 * before it is waited for. */
	void (*while_busy)(void *arg);
	void *while_busy_arg;
};

/* Runs a new process in the container: its namespaces, cgroup, security
 * settings. detach: returns 0 once it runs (its pid in pid_file); else
 * waits for it, forwarding signals (and relaying the terminal the process
 * asked for), and returns its exit status (128+signal when killed). */
int realexec_exec(const struct realexec_exec_opts *o, mr_error **err);

/* Freezes every process of a running or created container ("container
 * not running" otherwise), and thaws a paused one ("container not
 * paused" otherwise). */
int realexec_pause(const char *root, const char *id, mr_error **err);
int realexec_resume(const char *root, const char *id, mr_error **err);

/* Host pids of every process of the container (its cgroup and those below),
 * in no particular order; *n may be 0. */
int realexec_pids(const char *root, const char *id, pid_t **pids, size_t *n, mr_error **err);

/* `update`: new limits for a container that is not stopped. resources is
 * the --resources input (bytes of a LinuxResources JSON object) or NULL,
 * then flags (struct rx_update_flags of realexec/update.h) describe them. */
struct rx_update_flags;
int realexec_update(const char *root, const char *id, const char *resources, size_t len,
		    const struct rx_update_flags *flags, const struct mr_logger *log, mr_error **err);

/* `events`: each line (the "\n" included) goes to emit. stats_only: one
 * stats event. Else a stats event every interval_ns and an oom event per
 * OOM kill, until the container's cgroup is gone. A stopped container is
 * "container with id <id> is not running". */
int realexec_events(const char *root, const char *id, int64_t interval_ns, bool stats_only,
		    void (*emit)(const char *line, void *arg), void *arg, mr_error **err);

/* The state of a container, as `state` and `list` show it. */
struct realexec_state {
	char *oci_version;
	char *id;
	pid_t pid;             /* 0 when stopped */
	const char *status;    /* "created", "running", "paused", "stopped" */
	char *bundle;
	char *rootfs;
	int64_t created_ns;    /* wall clock, nanoseconds */
	json_t *annotations;   /* object or NULL */
	char *owner;           /* user name owning the state directory */
};

int realexec_state(const char *root, const char *id, struct realexec_state *st,
		   mr_error **err);
void realexec_state_clear(struct realexec_state *st);

/* runc's `state` output: two-space indent, no trailing newline; with
 * owner set the "owner" field holds it (`list`), else "". */
char *realexec_state_json(const struct realexec_state *st, bool with_owner);

/* Every readable container under root, sorted by id; entries that cannot
 * be read are skipped (warned about through log). A missing root is empty. */
int realexec_list(const char *root, const struct mr_logger *log,
		  struct realexec_state **out, size_t *n, mr_error **err);
void realexec_list_free(struct realexec_state *list, size_t n);

/* "9", "KILL", "kill", "SIGKILL" -> 9; else `unknown signal "X"`. */
int realexec_parse_signal(const char *text, int *sig, mr_error **err);

/* The runtime-spec features document of what realexec supports. */
json_t *realexec_features(void);

/* `--version` text: "runc version <version>\ncommit: ...\nspec: ...\n
 * libseccomp: ...\n" (go-runc requires the first line's prefix). */
char *realexec_version_text(const char *version, const char *commit);

#endif
