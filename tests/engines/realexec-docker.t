#!/bin/bash
# docker with mockrunc's own execution core as its runtime (no runc behind
# it): what a user sees is what runc gives.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/lib/bundle.sh"
. "$T_TOP/tests/lib/image.sh"
. "$T_TOP/tests/lib/engines.sh"
. "$T_TOP/tests/engines/realexec-lib.sh"
t_need dockerd docker busybox jq

t_no_other_runtime
t_runtime_wrapper "$T_TMP/rt/mockrunc" --mock-backend=realexec --mock-db="$T_TMP/docker.db"
t_dockerd_start mockrunc="$T_TMP/rt/mockrunc" || t_done
t_ok "busybox image loaded" t_engine_image mr-busybox
D() { docker "$@"; }
R=(--runtime mockrunc --network none)

t_run D run --rm "${R[@]}" mr-busybox echo hi
t_is "$RC|$OUT" "0|hi" "docker run --rm prints hi"

t_run D run --rm "${R[@]}" mr-busybox sh -c 'exit 3'
t_is "$RC" 3 "the exit code is the process's"

t_run D run --rm "${R[@]}" mr-busybox /no/such/program
t_is "$RC" 127 "a missing program exits 127"
t_like "$ERR" 'no such file or directory' "with runc's wording"

t_run D run --rm "${R[@]}" mr-busybox nosuchprogram
t_is "$RC" 127 "a program missing from PATH exits 127"
t_like "$ERR" 'executable file not found in \$PATH' "with runc's wording"

t_run D run --rm -t "${R[@]}" mr-busybox tty
t_is "$RC|$(printf '%s' "$OUT" | tr -d '\r')" "0|/dev/pts/0" "docker run -t gets a terminal"

t_run D run --rm "${R[@]}" --hostname box -u 65534 -w /tmp -e X=1 mr-busybox sh -c 'echo $(hostname) $(id -u) $(pwd) $X'
t_is "$OUT" "box 65534 /tmp 1" "hostname, user, cwd and env reach the process"

t_run D run --rm "${R[@]}" mr-busybox sh -c 'grep -E "^(CapEff|Seccomp|NoNewPrivs):" /proc/self/status | tr -s "\t" " " | tr "\n" ";"'
t_is "$OUT" "CapEff: 00000000a80425fb;NoNewPrivs: 0;Seccomp: 2;" "docker's default capabilities and seccomp profile apply"

t_run D run --rm "${R[@]}" --read-only --tmpfs /run:size=1m mr-busybox sh -c '(touch /x) 2>&1; touch /run/y && echo ok'
t_is "$OUT" "touch: /x: Read-only file system
ok" "--read-only and --tmpfs"

t_run D run --rm "${R[@]}" --memory 64m mr-busybox cat /sys/fs/cgroup/memory/memory.limit_in_bytes
t_is "$OUT" 67108864 "--memory is the container's memory limit"

t_run D run -d --name rx-d "${R[@]}" mr-busybox sleep 300
t_is "$RC" 0 "docker run -d"
t_is "$(D inspect -f '{{.State.Status}}' rx-d)" running "the container runs"
t_run D stop -t 1 rx-d
t_is "$RC" 0 "docker stop"
t_is "$(D inspect -f '{{.State.ExitCode}}' rx-d)" 137 "stopped by SIGKILL after the timeout"
t_run D rm rx-d
t_is "$RC" 0 "docker rm"

t_run D run -d --name rx-k "${R[@]}" mr-busybox sh -c 'trap "exit 7" TERM; echo ready; while :; do sleep 0.1; done'
t_wait_for 50 sh -c "docker logs rx-k | grep -q ready"
t_run D stop -t 5 rx-k
t_is "$(D inspect -f '{{.State.ExitCode}}' rx-k)" 7 "SIGTERM reaches a process that handles it"
t_run D rm -f rx-k

t_is "$(ls /var/run/docker/runtime-runc/moby 2>/dev/null; ls "$T_TMP/dockerd/x/runtime-runc/moby" 2>/dev/null)" "" \
	"no container state is left behind"
t_is "$(t_other_runtime_calls)" "" "no other runtime was called"
t_done
