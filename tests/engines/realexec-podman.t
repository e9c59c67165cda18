#!/bin/bash
# podman (through conmon) with mockrunc's own execution core as its runtime.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/lib/bundle.sh"
. "$T_TOP/tests/lib/image.sh"
. "$T_TOP/tests/lib/engines.sh"
. "$T_TOP/tests/engines/realexec-lib.sh"
t_need podman conmon busybox jq

# Named runc so podman asks for JSON error logs, as it does of runc.
t_no_other_runtime
t_runtime_wrapper "$T_TMP/rt/runc" --mock-backend=realexec --mock-db="$T_TMP/podman.db"
T_PODMAN_RUNTIME=$T_TMP/rt/runc
t_podman_setup
t_ok "busybox image loaded" t_engine_image mr-busybox
P=(run --rm --network none --cgroup-parent "/$T_CGROUP_PARENT" --ulimit nofile=20000:20000 --ulimit nproc=1000:1000)

t_run t_podman "${P[@]}" mr-busybox echo hi
t_is "$RC|$OUT" "0|hi" "podman run prints hi"

t_run t_podman "${P[@]}" mr-busybox sh -c 'exit 5'
t_is "$RC" 5 "the exit code is the process's"

t_run t_podman "${P[@]}" mr-busybox nosuchprogram
t_is "$RC" 127 "a missing program exits 127"
t_like "$ERR" 'executable file not found in \$PATH' "with runc's wording"

t_run t_podman "${P[@]}" -t mr-busybox tty
t_is "$RC|$(printf '%s' "$OUT" | tr -d '\r')" "0|/dev/pts/0" "podman run -t gets a terminal"

t_run t_podman "${P[@]}" --hostname pod -u 65534:65534 -w /tmp mr-busybox sh -c 'echo $(hostname) $(id -u) $(pwd)'
t_is "$OUT" "pod 65534 /tmp" "hostname, user and cwd reach the process"

t_run t_podman run -d --name rx-p --network none --cgroup-parent "/$T_CGROUP_PARENT" --ulimit nofile=20000:20000 --ulimit nproc=1000:1000 \
	mr-busybox sleep 300
t_is "$RC" 0 "podman run -d"
t_is "$(t_podman inspect -f '{{.State.Status}}' rx-p)" running "the container runs"
t_run t_podman stop -t 1 rx-p
t_is "$RC" 0 "podman stop"
t_is "$(t_podman inspect -f '{{.State.ExitCode}}' rx-p)" 137 "stopped by SIGKILL after the timeout"
t_run t_podman rm rx-p
t_is "$RC" 0 "podman rm"
# podman's default RLIMIT_NOFILE cannot be raised here (no
# CAP_SYS_RESOURCE): the create fails as it does with runc.
t_run t_podman run --rm --network none --cgroup-parent "/$T_CGROUP_PARENT" mr-busybox true
t_is "$RC" 126 "an rlimit the host refuses fails the create"
t_like "$ERR" 'error setting rlimit type .*: operation not permitted' "with runc's wording"
t_is "$(t_other_runtime_calls)" "" "no other runtime was called"
t_done
