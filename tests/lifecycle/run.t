#!/bin/bash
# `run` in the foreground: what the process sees of the config, one field
# changed at a time (the shape of runc's bats tests).
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/lifecycle/lifecycle.sh"

rx_set '.process.args = ["echo", "hi"]'
t_run R run --bundle "$B" "$(rx_id hi)"
t_is "$RC|$OUT|$ERR" "0|hi|" "run prints the process's output"

rx_set '.process.args = ["sh", "-c", "exit 42"]'
t_run R run --bundle "$B" "$(rx_id status)"
t_is "$RC" 42 "the exit code of run is the process's"

# (pid 1 of a pid namespace cannot be killed from inside it.)
rx_set '.process.args = ["sh", "-c", "kill -9 $$"] | .linux.namespaces -= [{type: "pid"}]'
t_run R run --bundle "$B" "$(rx_id killed)"
t_is "$RC" 137 "a process killed by a signal gives 128+signal"
t_is "$(R list -q)" "" "run removes the container when it ends"

# stdio that is /dev/null opened read-only (containerd's shim gives that
# for ctr run --null-io): the container gets its own /dev/null, read-write,
# so writing to stdout works.
rx_set '.root.readonly = false | .process.args = ["sh", "-c", "exec 5>&1; echo unseen; echo rc=$? >/rc; readlink /proc/$$/fd/5 >>/rc"]'
R run --bundle "$B" "$(rx_id nullio)" </dev/null 1</dev/null 2</dev/null
t_is "$?|$(cat "$B/rootfs/rc" | tr '\n' ' ')" "0|rc=0 /dev/null " "stdio from a read-only /dev/null: the process can write"
rm -f "$B/rootfs/rc"

rx_reset
rx_set '.hostname = "rx-host" | .process.args = ["hostname"]'
t_run R run --bundle "$B" "$(rx_id hostname)"
t_is "$OUT" "rx-host" "hostname"

rx_reset
rx_set '.process.user = {uid: 65534, gid: 65534, additionalGids: [5, 7]} | .process.args = ["id"]'
t_run R run --bundle "$B" "$(rx_id user)"
t_like "$OUT" '^uid=65534\(nobody\) gid=65534\(nogroup\) groups=5,7' "uid, gid and additional gids"

rx_reset
rx_set '.process.cwd = "/tmp/work/dir" | .process.args = ["pwd"]'
t_run R run --bundle "$B" "$(rx_id cwd)"
t_is "$OUT" "/tmp/work/dir" "cwd, made when missing"

rx_reset
rx_set '.process.env = ["PATH=/bin", "FOO=bar baz"] | .process.args = ["sh", "-c", "echo \"$FOO|$HOME|$PATH\""]'
t_run R run --bundle "$B" "$(rx_id env)"
t_is "$OUT" "bar baz|/root|/bin" "env as given, HOME from /etc/passwd"

rx_reset
rx_set '.process.user.umask = 63 | .process.args = ["sh", "-c", "umask"]'
t_run R run --bundle "$B" "$(rx_id umask)"
t_is "$OUT" "0077" "umask"

rx_reset
rx_set '.process.rlimits = [{type: "RLIMIT_NOFILE", soft: 321, hard: 654}] | .process.args = ["sh", "-c", "ulimit -n; ulimit -Hn"]'
t_run R run --bundle "$B" "$(rx_id rlimit)"
t_is "$(echo $OUT)" "321 654" "rlimits"

rx_reset
rx_set '.process.oomScoreAdj = 500 | .process.args = ["cat", "/proc/self/oom_score_adj"]'
t_run R run --bundle "$B" "$(rx_id oom)"
t_is "$OUT" 500 "oomScoreAdj"

rx_reset
rx_set '.process.ioPriority = {class: "IOPRIO_CLASS_BE", priority: 6} |
	.process.scheduler = {policy: "SCHED_BATCH", nice: 7} | .linux.personality = {domain: "LINUX32"} |
	.process.args = ["sh", "-c", "uname -m; cut -d\" \" -f19,41 /proc/self/stat"]'
t_run R run --bundle "$B" "$(rx_id sched)"
t_is "$(echo $OUT)" "i686 7 3" "personality LINUX32; scheduler policy SCHED_BATCH (3) with nice 7"
rx_set '.process.scheduler = {policy: "SCHED_NOPE"}'
t_run R run --bundle "$B" "$(rx_id badsched)"
t_like "$ERR" 'invalid scheduler policy: SCHED_NOPE' "an unknown scheduler policy is refused"

rx_reset
rx_set '.process.args = ["sh", "-c", "grep -E \"^(CapEff|CapBnd|NoNewPrivs)\" /proc/self/status"]'
t_run R run --bundle "$B" "$(rx_id caps)"
t_like "$OUT" 'CapEff:	0000000020000420' "effective capabilities as configured"
t_like "$OUT" 'CapBnd:	0000000020000420' "bounding set as configured"
t_like "$OUT" 'NoNewPrivs:	1' "noNewPrivileges"

rx_reset
rx_set '.process.args = ["sh", "-c", "echo $$; cat /proc/1/cmdline | tr \"\\0\" \" \""]'
t_run R run --bundle "$B" "$(rx_id pidns)"
t_is "$(echo $OUT)" "1 sh -c echo \$\$; cat /proc/1/cmdline | tr \"\\0\" \" \"" "the process is pid 1 of its own pid namespace"

rx_reset
rx_set '.process.args = ["sh", "-c", "ls /proc/self/fd | sort -n | tr \"\\n\" \" \""]'
t_run R run --bundle "$B" "$(rx_id fds)" 7>/dev/null 9>/dev/null
t_is "$OUT" "0 1 2 3 " "no fd but stdio reaches the process (3 is ls's own)"

rx_set '.process.args = ["sh", "-c", "ls /proc/self/fd | sort -n | tr \"\\n\" \" \""]'
t_run R run --preserve-fds 2 --bundle "$B" "$(rx_id preserve)" 3>/dev/null 4>/dev/null 5>/dev/null
t_is "$OUT" "0 1 2 3 4 5 " "--preserve-fds 2 passes fds 3 and 4 (5 is ls's own)"

rx_set '.process.args = ["sh", "-c", "echo $LISTEN_FDS $LISTEN_PID; ls /proc/self/fd | sort -n | tr \"\\n\" \" \""]'
t_run sh -c 'LISTEN_FDS=1 LISTEN_PID=$$ exec "$0" --root "$1" run --bundle "$2" "$3" 3</dev/null' \
	"$T_BIN/mockrunc" "$ROOT" "$B" "$(rx_id listen)"
t_is "$(echo $OUT)" "1 1 0 1 2 3 4" "LISTEN_FDS fds are passed with LISTEN_FDS and LISTEN_PID=1"

rx_reset
rx_set '.process.args = ["sh", "-c", "read line; echo got $line"]'
t_run sh -c 'echo ping | "$0" --root "$1" run --bundle "$2" "$3"' "$T_BIN/mockrunc" "$ROOT" "$B" "$(rx_id stdin)"
t_is "$OUT" "got ping" "stdin is passed through"

rx_reset
rx_set '.process.args = ["sh", "-c", "trap \"echo caught; exit 3\" USR1; echo ready; while :; do sleep 0.1; done"]'
"$T_BIN/mockrunc" --root "$ROOT" run --bundle "$B" "$(rx_id signal)" >"$T_TMP/sig.out" 2>&1 &
runner=$!
t_wait_for 50 grep -q ready "$T_TMP/sig.out"
kill -USR1 $runner
wait $runner
t_is "$?|$(tail -1 "$T_TMP/sig.out")" "3|caught" "signals to a foreground run reach the process"

rx_reset
rx_set '.process.args = ["true"]'
t_run R run --keep --bundle "$B" "$(rx_id keep)"
t_is "$RC|$(rx_status "$(rx_id keep)")" "0|stopped" "run --keep leaves the stopped container"
t_ok "for delete to remove" R delete "$(rx_id keep)"

rx_set '.process.args = ["sleep", "300"]'
t_run R run --detach --pid-file "$T_TMP/run.pid" --bundle "$B" "$(rx_id detach)"
t_is "$RC|$(R state "$(rx_id detach)" | jq -r .status)" "0|running" "run --detach leaves it running"
t_is "$(cat "$T_TMP/run.pid")" "$(R state "$(rx_id detach)" | jq -r .pid)" "with its pid in the pid file"
t_ok "delete --force stops it" R delete --force "$(rx_id detach)"
t_done
