#!/bin/bash
# containerd (ctr, shim v2) on mockrunc's own execution core: security
# settings and limits ctr can express, and what `ctr task` asks of a
# running container (exec, ps, pause/resume, kill, metrics).
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/lib/bundle.sh"
. "$T_TOP/tests/lib/image.sh"
. "$T_TOP/tests/lib/engines.sh"
. "$T_TOP/tests/engines/realexec-lib.sh"
t_need containerd ctr busybox jq script

t_no_other_runtime
t_runtime_wrapper "$T_TMP/rt/mockrunc" --mock-backend=realexec --mock-db="$T_TMP/ctr.db"
t_containerd_start || t_done
t_ok "busybox image loaded" t_engine_image mr-busybox
IMG=docker.io/library/mr-busybox:latest
C=(run --runc-binary "$T_TMP/rt/mockrunc" --rm)
status() { t_ctr "${C[@]}" "$@" sh -c 'grep -E "^(CapEff|Seccomp):" /proc/self/status | tr -s "\t" " " | tr "\n" ";"'; }

t_is "$(status --cap-drop CAP_CHOWN "$IMG" rx-caps)" "CapEff: 00000000a80425fa;Seccomp: 0;" \
	"--cap-drop CAP_CHOWN: ctr's default set without it"
t_is "$(status --seccomp --cap-add CAP_SYS_TIME "$IMG" rx-sec)" "CapEff: 00000000aa0425fb;Seccomp: 2;" \
	"--seccomp --cap-add CAP_SYS_TIME"
# containerd's default profile allows unshare(2) only with CAP_SYS_ADMIN.
t_run t_ctr "${C[@]}" --seccomp "$IMG" rx-unshare unshare -U true
t_like "$RC|$OUT$ERR" '^1\|unshare: unshare\(0x10000000\): Operation not permitted' \
	"--seccomp: containerd's default profile blocks unshare(CLONE_NEWUSER)"
t_run t_ctr "${C[@]}" "$IMG" rx-unshare unshare -U true
t_is "$RC" 0 "without a profile the kernel allows it"
t_run t_ctr "${C[@]}" --memory-limit 33554432 "$IMG" rx-oom tail /dev/zero
t_is "$RC" 137 "--memory-limit: allocating past it is OOM-killed (exit 137)"

# A running task.
t_ctr run -d --runc-binary "$T_TMP/rt/mockrunc" "$IMG" rx-run \
	sh -c 'trap "echo got USR1 >/tmp/usr1" USR1; while :; do sleep 0.1; done' >/dev/null
t_cleanup "t_ctr tasks kill -s KILL rx-run; sleep 0.3; t_ctr tasks delete -f rx-run; t_ctr containers rm rx-run"
t_wait_for 50 sh -c "ctr --address $CTD_SOCK --namespace $T_CGROUP_PARENT tasks ls | grep -q 'rx-run.*RUNNING'"
t_run t_ctr tasks exec --exec-id e1 rx-run sh -c 'echo $(cat /proc/1/cmdline | tr "\0" " "); exit 4'
t_is "$RC|$OUT" '4|sh -c trap "echo got USR1 >/tmp/usr1" USR1; while :; do sleep 0.1; done' \
	"ctr tasks exec: in the container, with the process's exit code"
# (ctr may complain that it cannot resize a process that is gone.)
t_run script -qec "ctr --address $CTD_SOCK --namespace $T_CGROUP_PARENT tasks exec -t --exec-id e2 rx-run tty" /dev/null
t_is "$RC|$(printf '%s' "$OUT" | tr -d '\r' | sed 's/\^@//g' | head -1)" "0|/dev/pts/0" "ctr tasks exec -t gets a terminal"
task_status() { t_ctr tasks ls | awk '$1 == "rx-run" {print $3}'; }
init=$(t_ctr tasks ls | awk '$1 == "rx-run" {print $2}')
t_run t_ctr tasks ps rx-run
t_is "$RC|$(awk 'NR > 1 && $1 == '"$init"' {print $1}' <<<"$OUT")" "0|$init" "ctr tasks ps lists the init"
t_run t_ctr tasks pause rx-run
t_is "$RC|$(task_status)" "0|PAUSED" "ctr tasks pause"
t_run t_ctr tasks resume rx-run
t_is "$RC|$(task_status)" "0|RUNNING" "ctr tasks resume"
t_run t_ctr tasks metrics --format json rx-run
t_is "$RC|$(jq -r '.pids.current > 0 and .memory.usage.usage > 0' <<<"$OUT")" "0|true" \
	"ctr tasks metrics reads the container's cgroup"
t_run t_ctr tasks kill -s SIGUSR1 rx-run
t_wait_for 30 t_ctr tasks exec --exec-id e3 rx-run test -e /tmp/usr1
t_run t_ctr tasks exec --exec-id e4 rx-run cat /tmp/usr1
t_is "$OUT" "got USR1" "ctr tasks kill -s SIGUSR1 reaches the init"
t_is "$(t_other_runtime_calls)" "" "no other runtime was called"
t_done
