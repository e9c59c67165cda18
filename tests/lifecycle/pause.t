#!/bin/bash
# pause / resume (the cgroup freezer) and kill --all, as engines drive them.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/lifecycle/lifecycle.sh"

counter() { cat "$B/rootfs/tmp/n" 2>/dev/null; }

rx_set '.root.readonly = false |
	.process.args = ["sh", "-c", "i=0; while :; do i=$((i+1)); echo $i >/tmp/n; sleep 0.05; done"]'
ID=$(rx_id p)
R run -d --pid-file "$T_TMP/p.pid" --bundle "$B" "$ID" </dev/null >/dev/null 2>&1
pid=$(cat "$T_TMP/p.pid")
t_wait_for 30 test -s "$B/rootfs/tmp/n"

t_run R pause "$ID"
t_is "$RC|$OUT|$ERR" "0||" "pause succeeds silently"
t_is "$(rx_status "$ID")" paused "state: paused"
before=$(counter)
sleep 0.3
t_is "$(counter)" "$before" "a paused container does not run"
if [ -d /sys/fs/cgroup/freezer ]; then
	freezer=/sys/fs/cgroup/freezer$(awk -F: '$2 == "freezer" {print $3}' "/proc/$pid/cgroup")
	t_is "$(cat "$freezer/freezer.state")" FROZEN "through the v1 freezer"
fi
t_run R pause "$ID"
t_is "$RC|$(rx_msg "$ERR")" "1|container not running" "pause of a paused container"
t_run R exec "$ID" true
t_is "$RC|$(rx_msg "$ERR")" "255|exec failed: cannot exec in a paused container (use --ignore-paused to override)" \
	"exec into a paused container is refused"
t_run R exec --ignore-paused -d --pid-file "$T_TMP/x.pid" "$ID" sh -c 'echo exec >/tmp/exec'
t_is "$RC" 0 "exec --ignore-paused: the process starts"
sleep 0.2
t_fails "but stays frozen with the container" test -e "$B/rootfs/tmp/exec"

t_run R resume "$ID"
t_is "$RC|$OUT|$ERR" "0||" "resume succeeds silently"
t_is "$(rx_status "$ID")" running "state: running"
t_wait_for 30 test -e "$B/rootfs/tmp/exec"
t_is "$(cat "$B/rootfs/tmp/exec" 2>/dev/null)" exec "the process exec'd into the paused container ran after resume"
sleep 0.2
t_fails "the container runs again" test "$(counter)" = "$before"
t_run R resume "$ID"
t_is "$RC|$(rx_msg "$ERR")" "1|container not paused" "resume of a running container"

# A paused container can be deleted with --force (thawed to die).
R pause "$ID"
t_run R delete "$ID"
t_like "$RC|$(rx_msg "$ERR")" "^1\\|cannot delete container $ID that is not stopped: paused" "delete without --force refuses"
t_run R delete --force "$ID"
t_is "$RC" 0 "delete --force of a paused container"
t_fails "its init is gone" rx_alive "$pid"

# A created container can be paused too.
rx_set '.process.args = ["true"]'
ID=$(rx_id created)
R create --bundle "$B" "$ID" </dev/null >/dev/null 2>&1
t_run R pause "$ID"
t_is "$RC|$(rx_status "$ID")" "0|paused" "pause of a created container"
R resume "$ID"
t_is "$(rx_status "$ID")" created "resume: created again"
R delete --force "$ID"
t_run R pause "$ID"
t_is "$RC|$(rx_msg "$ERR")" "1|container does not exist" "pause of a missing container"

# kill --all: every process of the cgroup (a container sharing the host's
# pid namespace keeps its other processes when only its init dies).
rx_set '.process.args = ["sh", "-c", "sleep 300 & sleep 301 & wait"] | .linux.namespaces -= [{type: "pid"}]'
ID=$(rx_id all)
R run -d --pid-file "$T_TMP/a.pid" --bundle "$B" "$ID" </dev/null >/dev/null 2>&1
t_wait_for 30 sh -c "[ \$(\"$T_BIN/mockrunc\" --root \"$ROOT\" ps --format json $ID | jq length) = 3 ]"
pids=$(R ps --format json "$ID" | jq -r '.[]')
t_run R kill --all "$ID" TERM
t_is "$RC" 0 "kill --all"
t_wait_for 30 sh -c "! ps -p $(echo $pids | tr ' ' ,) >/dev/null"
t_is "$(ps -o pid= -p "$(echo $pids | tr ' ' ,)")" "" "every process of the container got the signal"
t_wait_for 30 rx_stopped "$ID"
t_run R kill --all "$ID" KILL
t_is "$RC|$ERR" "0|" "kill --all of a stopped container succeeds"
t_run R kill "$ID" KILL
t_is "$RC|$(rx_msg "$ERR")" "1|container not running" "kill of a stopped container without --all fails"
R delete --force "$ID"
t_done
