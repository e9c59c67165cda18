#!/bin/bash
# CRI-O cannot run here (not packaged for Debian 12): its calls are
# replayed instead, with the argv shapes of ENGINES.md §7.3, §7.4 and §8,
# and every answer CRI-O parses is checked.
#
# - through a small conmon (its process model, compiled below: monitor
#   process that is a child subreaper, runtime stdout and stderr to the
#   container log, `--root=R` as one token, the pid file read with atoi, a
#   console socket, an exit file from waiting on the container): the pod's
#   pause container and the app containers are created, ExecSync runs an
#   exec with a pre-created empty pid file;
# - directly, as crio's runtimeCmd does (`--root R` as two tokens, stdout
#   and stderr apart, no --systemd-cgroup with the cgroupfs manager):
#   start, state, pause, resume, update --resources - (JSON on stdin, no
#   newline), foreground exec (streaming; with a terminal asked for only
#   in process.json), kill ID 15, kill ID KILL, kill -a ID 9,
#   delete --force; and at start-up --version, features and
#   checkpoint --help.
#
# The whole replay runs twice: through mockrunc's execution core, then
# through runc behind mockrunc, so every expectation is checked against
# runc's own behaviour too.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/lib/bundle.sh"
. "$T_TOP/tests/lib/engines.sh"
t_need cc busybox jq sqlite3 script
[ -x "$T_BUSYBOX" ] || t_skip_all "busybox-static is not installed"

cc -O2 -Wall -o "$T_TMP/conmon" "$T_TOP/tests/engines/conmon-standin.c" ||
	t_skip_all "cannot compile the conmon stand-in"

ROOT=$T_TMP/crio-root
CG=mockrunc-test-${T_TMP##*.}
t_cleanup "find /sys/fs/cgroup/*/$CG -depth -type d -exec rmdir {} + 2>/dev/null"
t_cleanup 'for id in $(ls "$ROOT" 2>/dev/null); do "$T_BIN/mockrunc" --root "$ROOT" delete --force "$id"; done'
t_bundle "$T_TMP/base"

# A CRI-O-like bundle: cgroupfs path "<parent>/crio-<id>", CRI-O's
# annotations, the process given by the step.
bundle() { # ID 'jq filter'
	local b=$T_TMP/b/$1
	mkdir -p "$b"
	jq --arg id "$1" --arg cg "/$CG/crio-$1" --arg rootfs "$T_TMP/base/rootfs" '.linux.cgroupsPath = $cg
		| .root.path = $rootfs
		| .annotations = {"io.kubernetes.cri-o.ContainerID": $id, "io.kubernetes.cri-o.ContainerType": "container"}
		| .process.terminal = false | '"$2" "$T_TMP/base/config.json" >"$b/config.json"
	echo "$b"
}

# A conmon-started runtime call: --root=R as one token, as conmon's
# --runtime-arg passes it. Sets REPORT; the container's output and the
# runtime's messages go to LOG.
conmon() { # ID PIDFILE [-s SOCKET] -- runtime command...
	local id=$1 pidfile=$2; shift 2
	local sock=()
	[ "$1" = -s ] && { sock=(-s "$2"); shift 2; }
	shift
	REPORT=$("$T_TMP/conmon" -l "$T_TMP/$id.log" -p "$pidfile" -x "$T_TMP/$id.exit" "${sock[@]}" -- \
		"$T_BIN/mockrunc" "${MOCK[@]}" --root="$ROOT" "$@")
}
field() { sed -n "s/^$1=//p" <<<"$REPORT"; }
# crio's runtimeCmd: --root R, stdout and stderr apart (t_run).
direct() { t_run "$T_BIN/mockrunc" "${MOCK[@]}" --root "$ROOT" "$@"; }
# CRI-O's ContainerState: the JSON it decodes, with the checks it makes.
state_ok() { # ID STATUS: state JSON on stdout, nothing on stderr
	direct state "$1"
	[ "$RC" = 0 ] && [ -z "$ERR" ] &&
		jq -e --arg id "$1" --arg s "$2" '.id == $id and .status == $s and (.ociVersion | length > 0)
			and (.bundle | startswith("/")) and (.created | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$"))
			and (if $s == "stopped" then true else .pid > 0 end)' <<<"$OUT" >/dev/null
}
wait_stopped() { t_wait_for 100 state_ok "$1" stopped; }
cgroup_file() { cat "/sys/fs/cgroup/$1/$CG/crio-$2/$3" 2>/dev/null; }

replay() {
	local be=$1 name=$2 pod app app2 tty b p id
	MOCK=(--mock-db="$T_TMP/crio.db" --mock-backend="$be")
	pod=$name-pod app=$name-app app2=$name-app2 tty=$name-tty

	# start-up (1.28): --version and features with output combined.
	t_like "$("$T_BIN/mockrunc" "${MOCK[@]}" --version 2>&1)" 'version [0-9].*
spec: 1\.' "$name: --version names the runtime's version and its spec version"
	t_ok "$name: features, combined output, is JSON with ociVersionMin and ociVersionMax" \
		jq -e '(.ociVersionMin | length > 0) and (.ociVersionMax | length > 0) and (.linux | type == "object")' \
		<<<"$("$T_BIN/mockrunc" "${MOCK[@]}" features 2>&1)"
	t_ok "$name: checkpoint --help exits 0 (checkpoint support)" "$T_BIN/mockrunc" "${MOCK[@]}" checkpoint --help

	# The pod's pause container as CRI-O builds it: oomScoreAdj -998,
	# which root cannot set here (no CAP_SYS_RESOURCE): the create fails
	# cleanly, with a message conmon passes on.
	b=$(bundle "$name-oom" '.process.oomScoreAdj = -998 | .process.args = ["sleep", "300"]')
	conmon "$name-oom" "$b/pidfile" -- create --bundle "$b" --pid-file "$b/pidfile" "$name-oom"
	t_unlike "$(field runtime_exit)" '^0$' "$name: a pause container with oomScoreAdj -998 fails to create here"
	t_is "$(field pid)" -1 "$name: ... and writes no pid file"
	t_like "$(cat "$T_TMP/$name-oom.log")" 'oom_score_adj' "$name: ... with a message naming oom_score_adj"
	direct delete --force "$name-oom"
	t_is "$RC" 0 "$name: delete --force after the failed create"

	# The pause container (without oomScoreAdj): conmon create, start, state.
	b=$(bundle "$pod" '.process.args = ["sleep", "300"]')
	conmon "$pod" "$b/pidfile" -- create --bundle "$b" --pid-file "$b/pidfile" "$pod"
	t_is "$(field runtime_exit)" 0 "$name: conmon create of the pause container exits 0"
	t_is "$(field pidfile_clean)" 1 "$name: the pid file holds the pid alone (atoi and Atoi agree)"
	t_is "$(field adopted)" 1 "$name: the init is the monitor's child once the runtime exits (subreaper)"
	p=$(field pid)
	t_ok "$name: state of a created container" state_ok "$pod" created
	direct state "$pod"
	t_is "$(jq -r .pid <<<"$OUT")" "$p" "$name: state's pid is the pid file's"
	direct start "$pod"
	t_is "$RC|$OUT|$ERR" "0||" "$name: start exits 0 and prints nothing"
	t_ok "$name: state: running" state_ok "$pod" running

	# An app container joining the pod's IPC, UTS and network namespaces by
	# path; it stops on SIGTERM.
	b=$(bundle "$app" '.linux.namespaces = [.linux.namespaces[] | if .type == "ipc" or .type == "uts" or .type == "network"
		then .path = "/proc/'"$p"'/ns/" + (if .type == "network" then "net" else .type end) else . end]
		| .process.args = ["sh", "-c", "trap \"exit 0\" TERM; while :; do sleep 0.1; done"]')
	conmon "$app" "$b/pidfile" -- create --bundle "$b" --pid-file "$b/pidfile" "$app"
	t_is "$(field runtime_exit)|$(field adopted)" "0|1" "$name: conmon create of an app container joining the pod's namespaces"
	t_ok "$name: state: created" state_ok "$app" created
	direct start "$app"
	t_ok "$name: start, then state: running" state_ok "$app" running
	t_is "$(readlink "/proc/$(field pid)/ns/net")" "$(readlink "/proc/$p/ns/net")" "$name: the app is in the pod's network namespace"

	# ExecSync: conmon exec, the pid file created empty beforehand.
	echo '{"args":["sh","-c","echo from-exec-sync; exit 4"],"cwd":"/","env":["PATH=/bin"],"user":{"uid":0,"gid":0}}' \
		>"$T_TMP/exec-process-$name-1"
	: >"$T_TMP/pidfile-$name-1"
	conmon "$app-exec" "$T_TMP/pidfile-$name-1" -- exec --pid-file "$T_TMP/pidfile-$name-1" \
		--process "$T_TMP/exec-process-$name-1" --detach "$app"
	t_is "$(field runtime_exit)|$(field pidfile_clean)|$(field adopted)" "0|1|1" \
		"$name: ExecSync: exec --detach replaces the empty pid file; the process is the monitor's child"
	t_wait_for 50 test -s "$T_TMP/$app-exec.exit"
	t_is "$(cat "$T_TMP/$app-exec.exit")|$(cat "$T_TMP/$app-exec.log")" "4|from-exec-sync" \
		"$name: ... and its output and exit status reach the monitor"

	# Streaming exec: foreground, the runtime's exit status is the process's.
	echo '{"args":["sh","-c","echo from-stream; exit 3"],"cwd":"/","env":["PATH=/bin"],"user":{"uid":0,"gid":0}}' \
		>"$T_TMP/exec-process-$name-2"
	direct exec --process "$T_TMP/exec-process-$name-2" "$app"
	t_is "$RC|$OUT" "3|from-stream" "$name: foreground exec: output through, exit status the process's"
	# kubectl exec -it: terminal true only in process.json; the runtime's
	# own stdio is a pty (script(1) gives it one).
	echo '{"terminal":true,"args":["sh","-c","tty; exit 5"],"cwd":"/","env":["PATH=/bin"],"user":{"uid":0,"gid":0}}' \
		>"$T_TMP/exec-process-$name-3"
	# (runc's exec echoes a NUL on the outer terminal first: "^@".)
	t_run script -qec "$(printf '%q ' "$T_BIN/mockrunc" "${MOCK[@]}" --root "$ROOT" exec --process "$T_TMP/exec-process-$name-3" "$app")" /dev/null
	t_is "$RC|$(printf '%s' "$OUT" | tr -d '\r\000' | sed 's/\^@//g')" "5|/dev/pts/0" "$name: foreground exec with a terminal: a pty of the container"

	# UpdateContainerResources: JSON on stdin without a newline.
	direct update --resources - "$app" < <(printf '%s' '{"memory":{"limit":67108864},"cpu":{"shares":512}}')
	t_is "$RC|$ERR" "0|" "$name: update --resources - (no --systemd-cgroup) exits 0"
	t_is "$(cgroup_file memory "$app" memory.limit_in_bytes)" 67108864 "$name: ... and the memory limit is applied"

	direct pause "$app"
	t_ok "$name: pause, then state: paused" state_ok "$app" paused
	direct resume "$app"
	t_ok "$name: resume, then state: running" state_ok "$app" running

	# StopContainer with a timeout: kill ID 15, state until stopped.
	direct kill "$app" 15
	t_is "$RC" 0 "$name: kill ID 15"
	t_ok "$name: state until stopped" wait_stopped "$app"
	t_wait_for 50 test -s "$T_TMP/$app.exit"
	t_is "$(cat "$T_TMP/$app.exit")" 0 "$name: the monitor saw the app exit 0 (its TERM trap)"

	# StopContainer with timeout 0: kill ID KILL (a name), then again once
	# it is gone: "container not running" on stderr, which CRI-O maps to
	# "not found".
	b=$(bundle "$app2" '.process.args = ["sleep", "300"]')
	conmon "$app2" "$b/pidfile" -- create --bundle "$b" --pid-file "$b/pidfile" "$app2"
	direct start "$app2"
	direct kill "$app2" KILL
	t_is "$RC" 0 "$name: kill ID KILL (a signal name)"
	t_ok "$name: state: stopped" wait_stopped "$app2"
	t_wait_for 50 test -s "$T_TMP/$app2.exit"
	t_is "$(cat "$T_TMP/$app2.exit")" 137 "$name: killed by SIGKILL (137)"
	direct kill "$app2" KILL
	t_unlike "$RC" '^0$' "$name: kill ID KILL on a stopped container fails"
	t_like "$ERR" 'container not running' "$name: ... with 'container not running' on stderr"

	# A container with a terminal: conmon's console socket.
	b=$(bundle "$tty" '.process.terminal = true | .process.args = ["sh", "-c", "tty; sleep 0.3"]')
	conmon "$tty" "$b/pidfile" -s "$T_TMP/conmon-term.$name" -- create --bundle "$b" --pid-file "$b/pidfile" \
		--console-socket "$T_TMP/conmon-term.$name" "$tty"
	t_like "$(field console)" '^/.* fds=1 isatty=1$' "$name: create --console-socket sends one pty master, named"
	direct start "$tty"
	t_wait_for 50 test -s "$T_TMP/$tty.exit"
	t_like "$(tr -d '\r' <"$T_TMP/$tty.log")" '^/dev/pts/0' "$name: the container's terminal output reaches the monitor"

	# The pod goes: kill -a ID 9 (its PID namespace), delete --force.
	direct kill -a "$pod" 9
	t_is "$RC" 0 "$name: kill -a ID 9"
	t_ok "$name: the pause container stops" wait_stopped "$pod"
	for id in "$pod" "$app" "$app2" "$tty"; do
		direct delete --force "$id"
		[ "$RC" = 0 ] || break
	done
	t_is "$RC" 0 "$name: delete --force of each container"
	direct delete --force "$pod"
	t_is "$RC" 0 "$name: delete --force of a container already gone exits 0"
	direct state "$pod"
	t_unlike "$RC" '^0$' "$name: state of a deleted container fails"
	t_like "$ERR" 'does not exist' "$name: ... with 'does not exist' on stderr"
}

replay realexec realexec
if [ -x /usr/sbin/runc ]; then
	replay /usr/sbin/runc runc
fi

# What was recorded: both spellings of --root name the same state root, so
# every call of a container uses the root that created it (rule L10).
t_is "$(sqlite3 "$T_TMP/crio.db" "SELECT DISTINCT runtime_root FROM invocations WHERE container_id IS NOT NULL")" "$ROOT" \
	"--root=R (conmon) and --root R (crio) record one state root"
t_run "$T_BIN/mockrunc-report" --db "$T_TMP/crio.db" score --format json
t_is "$(jq -r '.subjects[0].rules[] | select(.id == "L10") | .verdict' <<<"$OUT")" pass "L10 holds over the replay"
t_is "$(jq -r '[.subjects[0].rules[] | select(.verdict == "fail" and .input == "runtime") | .id] | join(" ")' <<<"$OUT")" "" \
	"no MUST failure on the runtime's side"
t_done
