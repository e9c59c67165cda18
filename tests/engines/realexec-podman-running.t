#!/bin/bash
# podman (through conmon) on mockrunc's own execution core: its security
# settings and limits are enforced, and exec, pause, update and kill work on
# a running container.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/lib/bundle.sh"
. "$T_TOP/tests/lib/image.sh"
. "$T_TOP/tests/lib/engines.sh"
. "$T_TOP/tests/engines/realexec-lib.sh"
t_need podman conmon busybox jq script sqlite3

# Named runc so podman asks for JSON error logs, as it does of runc.
t_no_other_runtime
t_runtime_wrapper "$T_TMP/rt/runc" --mock-backend=realexec --mock-db="$T_TMP/podman.db"
T_PODMAN_RUNTIME=$T_TMP/rt/runc
t_podman_setup
t_ok "busybox image loaded" t_engine_image mr-busybox
LIMITS=(--network none --cgroup-parent "/$T_CGROUP_PARENT" --ulimit nofile=20000:20000 --ulimit nproc=1000:1000)
P=(run --rm "${LIMITS[@]}")
status() { t_podman "${P[@]}" "$@" mr-busybox sh -c 'grep -E "^(CapEff|NoNewPrivs):" /proc/self/status | tr -s "\t" " " | tr "\n" ";"'; }
flags_of() {
	sqlite3 "$T_TMP/podman.db" "select flags from invocations where command = '$1' order by id" 2>/dev/null
}

t_is "$(status --cap-drop all)" "CapEff: 0000000000000000;NoNewPrivs: 0;" "--cap-drop all"
t_like "$(status --cap-drop all --cap-add SYS_TIME)" "^CapEff: 0000000002000000;" "--cap-add SYS_TIME"
t_like "$(status --security-opt no-new-privileges)" ";NoNewPrivs: 1;$" "--security-opt no-new-privileges"

# podman's default seccomp profile refuses swapon(2) whatever the
# capabilities: with CAP_SYS_ADMIN the kernel would get as far as reading
# the file (not a swap area: EINVAL); the profile stops it first (EPERM).
SWAPON=(--cap-add SYS_ADMIN mr-busybox sh -c 'touch /tmp/s; swapon /tmp/s')
t_run t_podman "${P[@]}" "${SWAPON[@]}"
t_is "$RC|$ERR" "1|swapon: /tmp/s: Operation not permitted" "podman's default seccomp profile blocks swapon"
t_run t_podman "${P[@]}" --security-opt seccomp=unconfined "${SWAPON[@]}"
t_is "$RC|$ERR" "1|swapon: /tmp/s: Invalid argument" "--security-opt seccomp=unconfined lets it reach the kernel"

# (From the test's own directory: conmon marks an OOM kill with a file
# named "oom" in its working directory. podman 4.3 still reports
# OOMKilled false, with runc as with mockrunc.)
cd "$T_TMP"
t_run t_podman run --name rx-oom "${LIMITS[@]}" --memory 32m mr-busybox tail /dev/zero
cd "$T_TOP"
t_is "$RC" 137 "--memory 32m: allocating past it is OOM-killed (exit 137)"
t_podman rm -f rx-oom >/dev/null
t_run t_podman "${P[@]}" --pids-limit 5 mr-busybox sh -c 'for i in 1 2 3 4 5 6 7; do sleep 2 & done; wait'
t_like "$RC|$ERR" "^2\|.*can't fork: Resource temporarily unavailable" "--pids-limit 5"

# A running container.
t_run t_podman run -d --name rx-run "${LIMITS[@]}" --memory 64m mr-busybox \
	sh -c 'trap "echo got USR1 >/tmp/usr1" USR1; while :; do sleep 0.1; done'
t_is "$RC" 0 "podman run -d"
t_run t_podman exec -u 65534 -e X=exec rx-run sh -c 'echo $(id -u) $X $(cat /proc/1/cmdline | tr "\0" " "); exit 3'
t_is "$RC|$OUT" "3|65534 exec sh -c trap \"echo got USR1 >/tmp/usr1\" USR1; while :; do sleep 0.1; done" \
	"podman exec: user, environment, the container's pid namespace, the exit code"
t_run t_podman exec rx-run nosuchprogram
t_is "$RC" 127 "podman exec of a missing program exits 127"
t_like "$ERR" 'executable file not found in \$PATH' "with runc's wording"
export -f t_podman eng_podman
export T_TMP T_PODMAN_RUNTIME
t_run env SHELL=/bin/bash script -qec "t_podman exec -t rx-run tty" /dev/null
t_is "$RC|$(printf '%s' "$OUT" | tr -d '\r' | sed 's/\^@//g')" "0|/dev/pts/0" "podman exec -t gets a terminal"
t_is "$(flags_of exec | jq -sc 'map(keys) | unique')" '[["console-socket","detach","pid-file","process","tty"],["detach","pid-file","process"]]' \
	"conmon execs through the runtime: --process, --detach, --pid-file (and --console-socket --tty for -t)"

t_run t_podman pause rx-run
t_is "$RC|$(t_podman inspect -f '{{.State.Status}}' rx-run)" "0|paused" "podman pause"
t_run t_podman unpause rx-run
t_is "$RC|$(t_podman inspect -f '{{.State.Status}}' rx-run)" "0|running" "podman unpause"

t_run t_podman update --memory 96m --memory-swap 192m --cpu-shares 512 rx-run
t_is "$RC" 0 "podman update"
t_run t_podman exec rx-run sh -c 'cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/cpu/cpu.shares | tr "\n" " "'
t_is "$OUT" "100663296 512 " "podman update reaches the cgroup"
t_like "$(flags_of update)" '^\{"resources":"/' "through runc's update --resources=FILE"

t_run t_podman kill -s USR1 rx-run
t_wait_for 30 t_podman exec rx-run test -e /tmp/usr1
t_is "$(t_podman exec rx-run cat /tmp/usr1)" "got USR1" "podman kill -s USR1 reaches the init"
t_run t_podman rm -f -t 0 rx-run
t_is "$RC" 0 "podman rm -f"
t_is "$(t_other_runtime_calls)" "" "no other runtime was called"
t_done
