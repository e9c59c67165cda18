/* runc's commands and flags as data (runc 1.1 names, plus the flags newer
 * runc versions added that engines may pass). Usage texts are our own. */
#include <stddef.h>
#include <string.h>

#include "mockrunc/cli.h"
#include "mockrunc/commands.h"

#define END { NULL, NULL, CLI_BOOL, NULL, NULL, false }

const struct cli_flag cli_global_flags[] = {
	{ "debug", NULL, CLI_BOOL, "log at debug level", NULL, false },
	{ "log", NULL, CLI_STRING, "file to write log lines to (default: stderr)", NULL, false },
	{ "log-format", NULL, CLI_STRING, "log line format: text or json", "\"text\"", false },
	{ "root", NULL, CLI_STRING, "directory holding container state (a tmpfs is best)", "\"" "/run/mockrunc" "\"", false },
	{ "criu", NULL, CLI_STRING, "criu binary for checkpoint and restore", "\"criu\"", false },
	{ "systemd-cgroup", NULL, CLI_BOOL, "cgroupsPath is \"slice:prefix:name\" (systemd layout)", NULL, false },
	{ "rootless", NULL, CLI_STRING, "ignore cgroup permission errors: true, false or auto", "\"auto\"", false },
	{ "help", "h", CLI_BOOL, "show help", NULL, false },
	{ "version", "v", CLI_BOOL, "print the version", NULL, false },
	END,
};

/* Engines can pass these through docker's runtimeArgs or podman's
 * runtime_flags; they never reach a delegate runtime. */
const struct cli_flag cli_mock_flags[] = {
	{ "mock-db", NULL, CLI_STRING, "SQLite database recording every call", "\"" "/var/lib/mockrunc/mockrunc.db" "\"", false },
	{ "mock-backend", NULL, CLI_STRING, "realexec (built in) or the path of a runtime to delegate to", "\"realexec\"", false },
	{ "mock-session", NULL, CLI_STRING, "label of the session the calls belong to", NULL, false },
	{ "mock-strict", NULL, CLI_BOOL, "fail the operation when it cannot be recorded", NULL, false },
	END,
};

static const struct cli_flag checkpoint_flags[] = {
	{ "image-path", NULL, CLI_STRING, "directory for the criu image files", NULL, false },
	{ "work-path", NULL, CLI_STRING, "directory for criu work files and logs", NULL, false },
	{ "parent-path", NULL, CLI_STRING, "previous image files (pre-dump), relative to image-path", NULL, false },
	{ "leave-running", NULL, CLI_BOOL, "keep the container running after the dump", NULL, false },
	{ "tcp-established", NULL, CLI_BOOL, "dump established TCP connections", NULL, false },
	{ "tcp-skip-in-flight", NULL, CLI_BOOL, "skip half-open TCP connections", NULL, false },
	{ "link-remap", NULL, CLI_BOOL, "allow linked files to be remapped", NULL, false },
	{ "ext-unix-sk", NULL, CLI_BOOL, "allow external unix sockets", NULL, false },
	{ "shell-job", NULL, CLI_BOOL, "allow a shell job", NULL, false },
	{ "lazy-pages", NULL, CLI_BOOL, "restore memory pages lazily (userfaultfd)", NULL, false },
	{ "status-fd", NULL, CLI_INT, "fd criu writes to once lazy pages are ready", "-1", false },
	{ "page-server", NULL, CLI_STRING, "ADDRESS:PORT of a page server", NULL, false },
	{ "file-locks", NULL, CLI_BOOL, "dump file locks", NULL, false },
	{ "pre-dump", NULL, CLI_BOOL, "dump memory only and keep running", NULL, false },
	{ "manage-cgroups-mode", NULL, CLI_STRING, "cgroup handling: soft, full, strict or ignore", NULL, false },
	{ "empty-ns", NULL, CLI_SLICE, "namespace to create empty instead of restoring", NULL, false },
	{ "auto-dedup", NULL, CLI_BOOL, "deduplicate memory images", NULL, false },
	END,
};

static const struct cli_flag create_flags[] = {
	{ "bundle", "b", CLI_STRING, "bundle directory (default: the current directory)", NULL, false },
	{ "console-socket", NULL, CLI_STRING, "AF_UNIX socket that receives the pty master", NULL, false },
	{ "pidfd-socket", NULL, CLI_STRING, "AF_UNIX socket that receives a pidfd of the init", NULL, false },
	{ "pid-file", NULL, CLI_STRING, "file to write the init's pid to", NULL, false },
	{ "no-pivot", NULL, CLI_BOOL, "chroot-style jail instead of pivot_root (ramdisk rootfs)", NULL, false },
	{ "no-new-keyring", NULL, CLI_BOOL, "keep the caller's session keyring", NULL, false },
	{ "preserve-fds", NULL, CLI_UINT, "pass N more fds after stdio and LISTEN_FDS", "0", false },
	END,
};

static const struct cli_flag delete_flags[] = {
	{ "force", "f", CLI_BOOL, "kill a running container (SIGKILL) and delete it", NULL, false },
	END,
};

static const struct cli_flag events_flags[] = {
	{ "interval", NULL, CLI_DURATION, "time between stats events", "5s", false },
	{ "stats", NULL, CLI_BOOL, "print the stats once and exit", NULL, false },
	END,
};

static const struct cli_flag exec_flags[] = {
	{ "console-socket", NULL, CLI_STRING, "AF_UNIX socket that receives the pty master", NULL, false },
	{ "pidfd-socket", NULL, CLI_STRING, "AF_UNIX socket that receives a pidfd of the process", NULL, false },
	{ "cwd", NULL, CLI_STRING, "working directory in the container", NULL, false },
	{ "env", "e", CLI_SLICE, "environment variable NAME=value", NULL, false },
	{ "tty", "t", CLI_BOOL, "allocate a pseudo-terminal", NULL, false },
	{ "user", "u", CLI_STRING, "uid[:gid]", NULL, false },
	{ "additional-gids", "g", CLI_SLICE, "additional gid", NULL, false },
	{ "process", "p", CLI_STRING, "process.json holding the whole process", NULL, false },
	{ "detach", "d", CLI_BOOL, "return once the process runs", NULL, false },
	{ "pid-file", NULL, CLI_STRING, "file to write the process's pid to", NULL, false },
	{ "process-label", NULL, CLI_STRING, "SELinux label of the process", NULL, false },
	{ "apparmor", NULL, CLI_STRING, "AppArmor profile of the process", NULL, false },
	{ "no-new-privs", NULL, CLI_BOOL, "set no_new_privs", NULL, false },
	{ "cap", "c", CLI_SLICE, "capability to add", NULL, false },
	{ "preserve-fds", NULL, CLI_UINT, "pass N more fds after stdio and LISTEN_FDS", "0", false },
	{ "cgroup", NULL, CLI_SLICE, "sub-cgroup to run in: [controller[,controller]:]path", NULL, false },
	{ "ignore-paused", NULL, CLI_BOOL, "exec even when the container is paused", NULL, false },
	END,
};

static const struct cli_flag kill_flags[] = {
	{ "all", "a", CLI_BOOL, "signal every process of the container", NULL, false },
	END,
};

static const struct cli_flag list_flags[] = {
	{ "format", "f", CLI_STRING, "table or json", "\"table\"", false },
	{ "quiet", "q", CLI_BOOL, "print only the ids", NULL, false },
	END,
};

static const struct cli_flag ps_flags[] = {
	{ "format", "f", CLI_STRING, "table or json", "\"table\"", false },
	END,
};

static const struct cli_flag restore_flags[] = {
	{ "console-socket", NULL, CLI_STRING, "AF_UNIX socket that receives the pty master", NULL, false },
	{ "image-path", NULL, CLI_STRING, "directory of the criu image files", NULL, false },
	{ "work-path", NULL, CLI_STRING, "directory for criu work files and logs", NULL, false },
	{ "tcp-established", NULL, CLI_BOOL, "restore established TCP connections", NULL, false },
	{ "tcp-close", NULL, CLI_BOOL, "restore TCP connections closed", NULL, true },
	{ "ext-unix-sk", NULL, CLI_BOOL, "allow external unix sockets", NULL, false },
	{ "shell-job", NULL, CLI_BOOL, "allow a shell job", NULL, false },
	{ "file-locks", NULL, CLI_BOOL, "restore file locks", NULL, false },
	{ "manage-cgroups-mode", NULL, CLI_STRING, "cgroup handling: soft, full, strict or ignore", NULL, false },
	{ "bundle", "b", CLI_STRING, "bundle directory", NULL, false },
	{ "detach", "d", CLI_BOOL, "return once the container runs", NULL, false },
	{ "pid-file", NULL, CLI_STRING, "file to write the init's pid to", NULL, false },
	{ "no-subreaper", NULL, CLI_BOOL, "do not become a subreaper", NULL, false },
	{ "no-pivot", NULL, CLI_BOOL, "chroot-style jail instead of pivot_root", NULL, false },
	{ "empty-ns", NULL, CLI_SLICE, "namespace to create empty", NULL, false },
	{ "auto-dedup", NULL, CLI_BOOL, "deduplicate memory images", NULL, false },
	{ "lazy-pages", NULL, CLI_BOOL, "restore memory pages lazily", NULL, false },
	{ "lsm-profile", NULL, CLI_STRING, "LSM profile TYPE:NAME for the restored process", NULL, false },
	{ "lsm-mount-context", NULL, CLI_STRING, "LSM mount context for the restore", NULL, false },
	END,
};

static const struct cli_flag run_flags[] = {
	{ "bundle", "b", CLI_STRING, "bundle directory (default: the current directory)", NULL, false },
	{ "console-socket", NULL, CLI_STRING, "AF_UNIX socket that receives the pty master", NULL, false },
	{ "pidfd-socket", NULL, CLI_STRING, "AF_UNIX socket that receives a pidfd of the init", NULL, false },
	{ "detach", "d", CLI_BOOL, "return once the container runs", NULL, false },
	{ "keep", NULL, CLI_BOOL, "keep the container's state after it exits", NULL, false },
	{ "pid-file", NULL, CLI_STRING, "file to write the init's pid to", NULL, false },
	{ "no-subreaper", NULL, CLI_BOOL, "do not become a subreaper", NULL, false },
	{ "no-pivot", NULL, CLI_BOOL, "chroot-style jail instead of pivot_root", NULL, false },
	{ "no-new-keyring", NULL, CLI_BOOL, "keep the caller's session keyring", NULL, false },
	{ "preserve-fds", NULL, CLI_UINT, "pass N more fds after stdio and LISTEN_FDS", "0", false },
	END,
};

static const struct cli_flag spec_flags[] = {
	{ "bundle", "b", CLI_STRING, "directory to write config.json to", NULL, false },
	{ "rootless", NULL, CLI_BOOL, "a configuration for a rootless container", NULL, false },
	END,
};

static const struct cli_flag update_flags[] = {
	{ "resources", "r", CLI_STRING, "LinuxResources JSON file, or - for stdin", NULL, false },
	{ "blkio-weight", NULL, CLI_UINT, "block IO weight (10-1000)", "0", false },
	{ "cpu-period", NULL, CLI_STRING, "CFS period in microseconds", NULL, false },
	{ "cpu-quota", NULL, CLI_STRING, "CFS quota in microseconds", NULL, false },
	{ "cpu-burst", NULL, CLI_STRING, "CFS burst in microseconds", NULL, false },
	{ "cpu-share", NULL, CLI_STRING, "CPU shares (relative weight)", NULL, false },
	{ "cpu-rt-period", NULL, CLI_STRING, "realtime period in microseconds", NULL, false },
	{ "cpu-rt-runtime", NULL, CLI_STRING, "realtime runtime in microseconds", NULL, false },
	{ "cpuset-cpus", NULL, CLI_STRING, "CPUs to run on", NULL, false },
	{ "cpuset-mems", NULL, CLI_STRING, "memory nodes to use", NULL, false },
	{ "cpu-idle", NULL, CLI_STRING, "SCHED_IDLE for the cgroup (0 or 1)", NULL, false },
	{ "memory", NULL, CLI_STRING, "memory limit (bytes, or with a unit: 64m)", NULL, false },
	{ "memory-reservation", NULL, CLI_STRING, "memory soft limit", NULL, false },
	{ "memory-swap", NULL, CLI_STRING, "memory plus swap limit; -1 for unlimited", NULL, false },
	{ "pids-limit", NULL, CLI_INT, "maximum number of processes", "0", false },
	{ "l3-cache-schema", NULL, CLI_STRING, "Intel RDT L3 cache schema", NULL, false },
	{ "mem-bw-schema", NULL, CLI_STRING, "Intel RDT memory bandwidth schema", NULL, false },
	{ "kernel-memory", NULL, CLI_STRING, "ignored (obsolete)", NULL, true },
	{ "kernel-memory-tcp", NULL, CLI_STRING, "ignored (obsolete)", NULL, true },
	END,
};

static const struct cli_flag no_flags[] = { END };

#define ID_USAGE "<container-id>"

const struct cli_command cli_commands[] = {
	{ "checkpoint", NULL, "checkpoint a running container", ID_USAGE, NULL,
	  checkpoint_flags, CLI_ARGS_EXACT, 1, false, true, mockrunc_cmd_checkpoint },
	{ "create", NULL, "create a container", ID_USAGE,
	  "Creates the container and leaves its process blocked until \"start\".",
	  create_flags, CLI_ARGS_EXACT, 1, false, true, mockrunc_cmd_create },
	{ "delete", NULL, "delete a container and the resources it holds", ID_USAGE, NULL,
	  delete_flags, CLI_ARGS_EXACT, 1, false, true, mockrunc_cmd_delete },
	{ "events", NULL, "print container events (OOM, resource statistics)", ID_USAGE, NULL,
	  events_flags, CLI_ARGS_EXACT, 1, false, true, mockrunc_cmd_events },
	{ "exec", NULL, "run a new process inside a container", ID_USAGE " <command> [command options]", NULL,
	  exec_flags, CLI_ARGS_MIN, 1, true, true, mockrunc_cmd_exec },
	{ "kill", NULL, "send a signal (default: SIGTERM) to the container's init process", ID_USAGE " [signal]", NULL,
	  kill_flags, CLI_ARGS_MIN, 1, false, true, mockrunc_cmd_kill },
	{ "list", NULL, "list the containers under the state root", "", NULL,
	  list_flags, CLI_ARGS_EXACT, 0, false, false, mockrunc_cmd_list },
	{ "pause", NULL, "freeze every process of a container", ID_USAGE, NULL,
	  no_flags, CLI_ARGS_EXACT, 1, false, true, mockrunc_cmd_pause },
	{ "ps", NULL, "list the processes of a container", ID_USAGE " [ps options]", NULL,
	  ps_flags, CLI_ARGS_MIN, 1, true, true, mockrunc_cmd_ps },
	{ "restore", NULL, "restore a container from a checkpoint", ID_USAGE, NULL,
	  restore_flags, CLI_ARGS_EXACT, 1, false, true, mockrunc_cmd_restore },
	{ "resume", NULL, "thaw every process of a paused container", ID_USAGE, NULL,
	  no_flags, CLI_ARGS_EXACT, 1, false, true, mockrunc_cmd_resume },
	{ "run", NULL, "create and start a container", ID_USAGE, NULL,
	  run_flags, CLI_ARGS_EXACT, 1, false, true, mockrunc_cmd_run },
	{ "spec", NULL, "write a default config.json", "", NULL,
	  spec_flags, CLI_ARGS_EXACT, 0, false, false, mockrunc_cmd_spec },
	{ "start", NULL, "run the user process of a created container", ID_USAGE, NULL,
	  no_flags, CLI_ARGS_EXACT, 1, false, true, mockrunc_cmd_start },
	{ "state", NULL, "print the state of a container", ID_USAGE, NULL,
	  no_flags, CLI_ARGS_EXACT, 1, false, true, mockrunc_cmd_state },
	{ "update", NULL, "change the resource limits of a container", ID_USAGE, NULL,
	  update_flags, CLI_ARGS_EXACT, 1, false, true, mockrunc_cmd_update },
	{ "features", NULL, "print the features this runtime supports", "", NULL,
	  no_flags, CLI_ARGS_EXACT, 0, false, false, mockrunc_cmd_features },
	{ "help", "h", "list the commands, or show help for one", "[command]", NULL,
	  no_flags, CLI_ARGS_ANY, 0, false, false, NULL },
	{ NULL, NULL, NULL, NULL, NULL, NULL, CLI_ARGS_ANY, 0, false, false, NULL },
};

const struct cli_command *cli_find_command(const char *name)
{
	for (const struct cli_command *c = cli_commands; c->name != NULL; c++)
		if (strcmp(c->name, name) == 0 || (c->alias != NULL && strcmp(c->alias, name) == 0))
			return c;
	return NULL;
}
