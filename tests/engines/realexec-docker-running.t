#!/bin/bash
# docker on mockrunc's own execution core, with a running container: what
# `docker exec`, `top`, `pause`, `update`, `stats` and `kill` ask of the
# runtime, checked from what the user sees.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/lib/bundle.sh"
. "$T_TOP/tests/lib/image.sh"
. "$T_TOP/tests/lib/engines.sh"
. "$T_TOP/tests/engines/realexec-lib.sh"
t_need dockerd docker busybox jq script sqlite3

t_no_other_runtime
t_runtime_wrapper "$T_TMP/rt/mockrunc" --mock-backend=realexec --mock-db="$T_TMP/docker.db"
t_dockerd_start mockrunc="$T_TMP/rt/mockrunc" || t_done
t_ok "busybox image loaded" t_engine_image mr-busybox
D() { docker "$@"; }
R=(--runtime mockrunc --network none)

# The runtime's calls of one command, from its database: flags and
# positionals, one call per line.
calls() {
	sqlite3 -separator ' ' "$T_TMP/docker.db" \
		"select flags, args from invocations where command = '$1' order by id" 2>/dev/null
}
flags_of() {
	sqlite3 "$T_TMP/docker.db" "select flags from invocations where command = '$1' order by id" 2>/dev/null
}

t_run D run -d --name rx-run "${R[@]}" --memory 64m mr-busybox \
	sh -c 'trap "echo got USR1 >/tmp/usr1" USR1; while :; do sleep 0.1; done'
t_is "$RC" 0 "a container runs"
ID=$(D inspect -f '{{.Id}}' rx-run)

# docker exec: the process joins the container (namespaces, cgroup, user,
# environment), its output and exit code come back.
t_run D exec rx-run sh -c 'echo $$ $(hostname) $(cat /proc/1/cmdline | tr "\0" " "); exit 5'
t_is "$RC" 5 "docker exec: the exit code is the process's"
t_like "$OUT" "^[0-9]+ $(D inspect -f '{{.Config.Hostname}}' rx-run) sh -c " \
	"docker exec: in the container's pid and uts namespaces, seeing its init"
init_pid=$(D inspect -f '{{.State.Pid}}' rx-run)
t_run D exec rx-run cat /proc/self/cgroup
t_is "$(grep ':memory:' <<<"$OUT" | cut -d: -f3)" "$(grep ':memory:' "/proc/$init_pid/cgroup" | cut -d: -f3)" \
	"docker exec: in the container's cgroup"
t_run D exec -u 65534 -e X=exec -w /tmp rx-run sh -c 'echo $(id -u) $X $(pwd)'
t_is "$OUT" "65534 exec /tmp" "docker exec -u -e -w"
t_run D exec rx-run sh -c 'grep -E "^(CapEff|Seccomp):" /proc/self/status | tr -s "\t" " " | tr "\n" ";"'
t_is "$OUT" "CapEff: 00000000a80425fb;Seccomp: 2;" "docker exec: the container's capabilities and seccomp profile"
t_run D exec rx-run nosuchprogram
t_is "$RC" 126 "docker exec of a missing program exits 126, as with runc"
t_is "$(printf '%s' "$OUT$ERR" | tr -d '\r')" 'OCI runtime exec failed: exec failed: unable to start container process: exec: "nosuchprogram": executable file not found in $PATH: unknown' \
	"with runc's message"
t_run script -qec "docker exec -t rx-run sh -c 'tty; echo \$TERM'" /dev/null
t_is "$RC|$(printf '%s' "$OUT" | tr -d '\r' | sed 's/\^@//g' | tr '\n' ' ')" "0|/dev/pts/0 xterm" \
	"docker exec -t gets a terminal of its own"
t_is "$(flags_of exec | jq -sc 'map(keys) | unique')" '[["console-socket","detach","pid-file","process"],["detach","pid-file","process"]]' \
	"docker execs through the runtime: --process, --detach, --pid-file (and --console-socket for -t)"

# docker top: `ps --format json` gives the pids, docker runs ps itself.
t_run D top rx-run
t_is "$RC" 0 "docker top"
t_like "$OUT" 'while :; do sleep 0.1; done' "docker top lists the container's processes"
t_is "$(calls ps | sort -u)" "{\"format\":\"json\"} [\"$ID\"]" "through runc's ps --format json"

# pause / unpause: the freezer, and the state docker reads back.
t_run D pause rx-run
t_is "$RC|$(D inspect -f '{{.State.Status}}' rx-run)" "0|paused" "docker pause"
freezer=/sys/fs/cgroup/freezer$(awk -F: '$2 == "freezer" {print $3}' "/proc/$init_pid/cgroup")
t_is "$(cat "$freezer/freezer.state")" FROZEN "the container's cgroup is frozen"
t_run D exec rx-run true
t_fails "docker exec into a paused container fails" test "$RC" = 0
t_like "$ERR" 'paused' "docker says it is paused"
t_run D unpause rx-run
t_is "$RC|$(D inspect -f '{{.State.Status}}' rx-run)" "0|running" "docker unpause"
t_run D exec rx-run true
t_is "$RC" 0 "docker exec works again"

# docker update: new limits reach the cgroup the container sees.
t_run D exec rx-run cat /sys/fs/cgroup/memory/memory.limit_in_bytes
t_is "$OUT" 67108864 "the memory limit before update"
t_run D update --memory 96m --memory-swap 192m --pids-limit 50 --cpu-shares 512 rx-run
t_is "$RC" 0 "docker update"
t_run D exec rx-run sh -c 'cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max /sys/fs/cgroup/cpu/cpu.shares | tr "\n" " "'
t_is "$OUT" "100663296 50 512 " "docker update --memory --pids-limit --cpu-shares reach the cgroup"
t_is "$(calls update)" "{\"resources\":\"-\"} [\"$ID\"]" "through runc's update --resources -"

# docker stats reads the cgroup the runtime made.
t_run D stats --no-stream --format '{{.MemUsage}}|{{.PIDs}}' rx-run
t_like "$OUT" '^[0-9.]+[KMG]i?B / 96MiB\|[1-9]' "docker stats --no-stream shows usage against the new limit"

# docker kill -s: the signal reaches the init.
t_run D kill -s USR1 rx-run
t_is "$RC" 0 "docker kill -s USR1"
t_wait_for 30 docker exec rx-run test -e /tmp/usr1
t_run D exec rx-run cat /tmp/usr1
t_is "$OUT" "got USR1" "the init handled SIGUSR1 and keeps running"
t_is "$(D inspect -f '{{.State.Status}}' rx-run)" running "still running"
t_run D kill rx-run
t_is "$RC|$(D inspect -f '{{.State.ExitCode}}' rx-run)" "0|137" "docker kill: SIGKILL, exit 137"
t_run D rm rx-run
t_is "$(t_other_runtime_calls)" "" "no other runtime was called"
t_done
