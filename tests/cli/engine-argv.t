#!/bin/bash
# Every argv shape that ENGINES.md shows an engine passing parses to the
# right command, container id, flags and global flags: each is run through
# mockrunc in front of a stand-in runtime, and the recorded invocation is
# checked (and the stand-in must receive the argv minus --mock-* flags).
. "$(dirname "$0")/../lib/tap.sh"

FAKE=$T_TOP/tests/lib/fake-runtime
export FAKE_RUNTIME_LOG=$T_TMP/fake.log
B=/run/containerd/io.containerd.runtime.v2.task/moby/abc123

last_row() {
	sqlite3 -json "$MOCKRUNC_DB" "SELECT command, container_id, flags, global_flags, args, exit_code
		FROM invocations ORDER BY id DESC LIMIT 1" |
		jq -c '.[0] | .flags |= fromjson | .global_flags |= fromjson | .args |= fromjson'
}

# check "description" 'jq condition on the recorded row' argv...
check() {
	local desc=$1 cond=$2; shift 2
	: >"$FAKE_RUNTIME_LOG"
	t_run "$T_BIN/mockrunc" --mock-backend "$FAKE" "$@" </dev/null
	local row
	row=$(last_row)
	if [ "$RC" = 0 ] && printf '%s' "$row" | jq -e "$cond" >/dev/null; then
		t_is "$(cat "$FAKE_RUNTIME_LOG")" "$(printf '%s\t' "$@" | sed 's/\t$//')" "$desc"
	else
		t_is "rc=$RC row=$row" "matching: $cond" "$desc"
	fi
}

DOCKER=(--root /var/run/docker/runtime-runc/moby --log "$B/log.json" --log-format json)
check "docker create" '.command=="create" and .container_id=="abc123" and .flags.bundle=="'$B'" and .flags["pid-file"]=="'$B'/init.pid" and .global_flags.root=="/var/run/docker/runtime-runc/moby" and .global_flags["log-format"]=="json"' \
	"${DOCKER[@]}" create --bundle "$B" --pid-file "$B/init.pid" abc123
check "docker create with a console socket" '.flags["console-socket"]=="/tmp/pty1/pty.sock"' \
	"${DOCKER[@]}" create --bundle "$B" --pid-file "$B/init.pid" --console-socket /tmp/pty1/pty.sock abc123
check "docker start" '.command=="start" and .container_id=="abc123" and .flags=={}' "${DOCKER[@]}" start abc123
check "docker delete" '.command=="delete" and .flags=={}' "${DOCKER[@]}" delete abc123
check "shim cleanup delete --force" '.command=="delete" and .flags.force=="true"' "${DOCKER[@]}" delete --force abc123
check "docker exec" '.command=="exec" and .container_id=="abc123" and .flags.process=="/tmp/runc-process123" and .flags.detach=="true" and .flags["pid-file"]=="'$B'/e1.pid"' \
	"${DOCKER[@]}" exec --process /tmp/runc-process123 --detach --pid-file "$B/e1.pid" abc123
check "docker exec -t" '.flags["console-socket"]=="/tmp/pty2/pty.sock" and .flags.detach=="true"' \
	"${DOCKER[@]}" exec --process /tmp/runc-process123 --console-socket /tmp/pty2/pty.sock --detach --pid-file "$B/e1.pid" abc123
check "docker top" '.command=="ps" and .flags.format=="json" and .container_id=="abc123"' "${DOCKER[@]}" ps --format json abc123
check "docker pause" '.command=="pause"' "${DOCKER[@]}" pause abc123
check "docker unpause" '.command=="resume"' "${DOCKER[@]}" resume abc123
check "docker kill -s USR1" '.command=="kill" and .args==["abc123","10"]' "${DOCKER[@]}" kill abc123 10
check "docker stop, then kill 9" '.args==["abc123","9"]' "${DOCKER[@]}" kill abc123 9
check "shim kill --all" '.flags.all=="true" and .args==["abc123","9"]' "${DOCKER[@]}" kill --all abc123 9
check "containerd 2 update --resources=-" '.command=="update" and .flags.resources=="-"' "${DOCKER[@]}" update --resources=- abc123
check "containerd 1.7 update --resources -" '.flags.resources=="-" and .container_id=="abc123"' "${DOCKER[@]}" update --resources - abc123
check "containerd create with systemd, no-pivot, no-new-keyring" '.global_flags["systemd-cgroup"]=="true" and .flags["no-pivot"]=="true" and .flags["no-new-keyring"]=="true" and .container_id=="c1"' \
	--root /run/containerd/runc/k8s.io --log "$B/log.json" --log-format json --systemd-cgroup create --bundle "$B" --pid-file "$B/init.pid" --no-pivot --no-new-keyring c1
check "go-runc --rootless=true and --debug" '.global_flags.rootless=="true" and .global_flags.debug=="true"' \
	--root /run/x --debug --rootless=true state c1
check "shim restore with -no-subreaper" '.command=="restore" and .flags["no-subreaper"]=="true" and .flags.detach=="true" and .flags.bundle=="'$B'" and .flags["image-path"]=="/ck/img"' \
	"${DOCKER[@]}" restore --image-path /ck/img --work-path /ck/work --detach --pid-file "$B/init.pid" --no-pivot -no-subreaper --bundle "$B" abc123
check "checkpoint with repeated --empty-ns" '.command=="checkpoint" and .flags["empty-ns"]==["network","ipc"] and .flags["leave-running"]=="true"' \
	"${DOCKER[@]}" checkpoint --image-path /ck/img --work-path /ck/w --empty-ns network --empty-ns ipc --leave-running abc123
check "features (shim info)" '.command=="features" and .container_id==null' features
check "events --interval=5s" '.command=="events" and .flags.interval=="5s"' events --interval=5s c1
check "events --stats" '.flags.stats=="true"' events --stats c1
check "list --format=json" '.command=="list" and .flags.format=="json"' list --format=json

# conmon (CRI-O and podman)
check "conmon create with --root=R as one token" '.global_flags.root=="/run/crio-runc" and .flags["pid-file"]=="'$B'/pidfile"' \
	--root=/run/crio-runc create --bundle "$B" --pid-file "$B/pidfile" c2
check "conmon exec (CRI-O ExecSync)" '.command=="exec" and .flags.detach=="true" and .flags.process=="/tmp/exec-process-1"' \
	--root=/run/crio-runc exec --pid-file /tmp/pidfile1 --process /tmp/exec-process-1 --detach c2
check "CRI-O start" '.command=="start" and .global_flags.root=="/run/crio-runc" and .global_flags["systemd-cgroup"]=="true"' \
	--root /run/crio-runc --systemd-cgroup start c2
check "CRI-O kill by name" '.args==["c2","KILL"]' --root /run/crio-runc kill c2 KILL
check "CRI-O kill -a" '.flags.all=="true" and .args==["c2","9"]' --root /run/crio-runc kill -a c2 9
check "CRI-O state" '.command=="state" and .container_id=="c2"' --root /run/crio-runc state c2
check "CRI-O streaming exec in the foreground" '.command=="exec" and .flags.process=="/tmp/exec-process-2" and (.flags.detach==null)' \
	--root /run/crio-runc exec --process /tmp/exec-process-2 c2
check "CRI-O checkpoint" '.flags["file-locks"]=="true" and .flags["leave-running"]=="true"' \
	--root /run/crio-runc checkpoint --file-locks --image-path /ck/i --work-path /ck/w --leave-running c2
check "podman create through conmon" '.flags["no-new-keyring"]=="true" and .flags["preserve-fds"]=="2" and .flags["console-socket"]=="/tmp/conmon-term.1" and .global_flags.log=="/run/x/oci-log" and .global_flags["log-format"]=="json"' \
	--log-format=json --log=/run/x/oci-log create --bundle "$B" --pid-file /run/x/pidfile --no-new-keyring --preserve-fds 2 --console-socket /tmp/conmon-term.1 c3
check "podman update --resources=FILE" '.flags.resources=="/tmp/podman123"' update --resources=/tmp/podman123 c3
check "podman checkpoint with --leave-running twice" '.flags["leave-running"]==["true","true"] and .flags["tcp-established"]=="true"' \
	checkpoint --image-path /ck/i --work-path "$B" --leave-running --tcp-established --file-locks --leave-running c3
check "conmon restore with --lsm-profile=" '.flags["lsm-profile"]=="selinux:system_u:r:t:s0" and .flags["lsm-mount-context"]=="ctx"' \
	restore --bundle "$B" --pid-file /run/p --detach --image-path /ck/i --work-path "$B" --lsm-profile=selinux:system_u:r:t:s0 --lsm-mount-context=ctx c3
check "podman delete --force" '.command=="delete" and .flags.force=="true"' delete --force c3
check "short aliases -b -d -p -t -e -u" '.flags.bundle=="'$B'" and .command=="run" and .flags.detach=="true"' run -b "$B" -d c4
check "exec short aliases" '.flags.tty=="true" and .flags.env==["A=1","B=2"] and .flags.user=="1000:1000" and .flags.cwd=="/tmp" and .args==["c4","sh","-c","echo -e hi"]' \
	exec -t -e A=1 -e B=2 -u 1000:1000 --cwd /tmp c4 sh -c "echo -e hi"
check "flags after the id are reordered (create)" '.flags.bundle=="'$B'" and .container_id=="c5"' create c5 --bundle "$B"
check "bool flag with =false" '.flags.force=="false"' delete --force=false c5

# What the stand-in runtime received: argv without --mock-* flags.
: >"$FAKE_RUNTIME_LOG"
t_run "$T_BIN/mockrunc" --mock-session argv-test --mock-backend="$FAKE" --root /r --mock-strict state c9
t_is "$RC" 0 "mock flags accepted among global flags"
t_is "$(cat "$FAKE_RUNTIME_LOG")" "$(printf -- '--root\t/r\tstate\tc9')" "the delegate gets argv without --mock-* flags"
t_is "$(sqlite3 "$MOCKRUNC_DB" "SELECT label FROM invocations ORDER BY id DESC LIMIT 1")" "argv-test" "--mock-session labels the invocation"

# stdin of update reaches the delegate intact and is recorded.
export FAKE_RUNTIME_STDIN=$T_TMP/stdin.json
printf '{"memory":{"limit":67108864}}\n' >"$T_TMP/res.json"
t_run "$T_BIN/mockrunc" --mock-backend "$FAKE" update --resources - c9 <"$T_TMP/res.json"
t_is "$(cat "$FAKE_RUNTIME_STDIN")" "$(cat "$T_TMP/res.json")" "update --resources -: the delegate reads the same bytes from stdin"
t_is "$(sqlite3 "$MOCKRUNC_DB" "SELECT b.data FROM invocations i JOIN blobs b ON b.id = i.resources_blob ORDER BY i.id DESC LIMIT 1")" \
	'{"memory":{"limit":67108864}}' "update --resources -: the resources are recorded"
t_is "$(sqlite3 "$MOCKRUNC_DB" "SELECT count(*) FROM invocations i JOIN blob_features f ON f.blob_id = i.resources_blob WHERE i.id = (SELECT max(id) FROM invocations) AND f.feature = 'linux.resources.memory.limit'")" \
	1 "update resources are broken down into features"
unset FAKE_RUNTIME_STDIN

# Exit status of the delegate is mockrunc's.
FAKE_RUNTIME_EXIT=7 t_run "$T_BIN/mockrunc" --mock-backend "$FAKE" start c9
t_is "$RC" 7 "the delegate's exit status is returned"
t_is "$(sqlite3 "$MOCKRUNC_DB" "SELECT exit_code FROM invocations ORDER BY id DESC LIMIT 1")" 7 "and recorded"

t_done
