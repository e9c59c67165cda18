#!/bin/bash
# create / start / state / kill / delete, as engines drive them.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/lifecycle/lifecycle.sh"

# Runs a command as a child subreaper (as containerd-shim and conmon are),
# then prints the parent of the pid in the pid file, and its own pid.
rx_cc subreaper <<'SRC'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
int main(int argc, char **argv)
{
	char path[64], buf[512];
	int pid = 0, st;
	FILE *f;
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	if (fork() == 0) { execvp(argv[2], argv + 2); _exit(127); }
	wait(&st);
	if ((f = fopen(argv[1], "r")) != NULL) { if (fscanf(f, "%d", &pid) != 1) pid = 0; fclose(f); }
	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	if ((f = fopen(path, "r")) != NULL && fgets(buf, sizeof buf, f) != NULL)
		printf("%d %d\n", atoi(strchr(strrchr(buf, ')'), ' ') + 3), (int)getpid());
	return WEXITSTATUS(st);
}
SRC

rx_set '.root.readonly = false | .process.args = ["sh", "-c", "echo started >/tmp/out; sleep 300"]'
ID=$(rx_id c1)
echo stale >"$T_TMP/c1.pid"
t_run "$T_TMP/subreaper" "$T_TMP/c1.pid" "$T_BIN/mockrunc" --root "$ROOT" create --bundle "$B" --pid-file "$T_TMP/c1.pid" "$ID"
t_is "$RC|$ERR" "0|" "create succeeds silently"
read -r ppid reaper <<<"$OUT"
t_is "$ppid" "$reaper" "the init is a direct child of the runtime: its subreaper inherits it"
pid=$(cat "$T_TMP/c1.pid")
t_like "$pid" '^[0-9]+$' "the pid file holds a decimal pid, no newline, over the old file"
t_is "$(stat -c %s "$T_TMP/c1.pid")" "${#pid}" "and nothing else"
t_ok "the init is alive after create returned" rx_alive "$pid"
t_is "$(R state "$ID" | jq -r '.status + " " + (.pid|tostring)')" "created $pid" "state: created, with the init's pid"
t_ok "exec.fifo waits for start" test -p "$ROOT/$ID/exec.fifo"
t_fails "the program has not run yet" test -e "$B/rootfs/tmp/out"

t_run R start "$ID"
t_is "$RC|$OUT|$ERR" "0||" "start succeeds silently"
t_wait_for 30 test -e "$B/rootfs/tmp/out"
t_is "$(cat "$B/rootfs/tmp/out" 2>/dev/null)" started "the program ran after start"
t_is "$(R state "$ID" | jq -r '.status + " " + (.pid|tostring)')" "running $pid" "running, the same pid"
t_fails "the fifo is gone" test -e "$ROOT/$ID/exec.fifo"

t_run R state "$ID"
t_is "${OUT: -1}" "}" "state output has no trailing newline"
t_is "$(jq -r 'keys_unsorted | join(",")' <<<"$OUT")" "ociVersion,id,pid,status,bundle,rootfs,created,owner" \
	"state keys in runc's order"
t_like "$(jq -r .created <<<"$OUT")" '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}(\.[0-9]+)?Z$' "created is RFC 3339 UTC"
t_is "$(jq -r '.bundle + " " + .rootfs + " [" + .owner + "]"' <<<"$OUT")" "$B $B/rootfs []" "bundle, rootfs, empty owner"

t_run R kill "$ID" KILL
t_is "$RC" 0 "kill ID KILL"
t_wait_for 30 rx_stopped "$ID"
t_is "$(R state "$ID" | jq -r '.status + " " + (.pid|tostring)')" "stopped 0" "stopped, pid 0"
t_run R delete "$ID"
t_is "$RC" 0 "delete a stopped container"
t_fails "its state is gone" test -e "$ROOT/$ID"

# Every spelling of a signal engines use.
for sig in 9 KILL SIGKILL kill sigkill; do
	ID=$(rx_id "kill-$sig")
	R run -d --bundle "$B" "$ID" >/dev/null
	t_run R kill "$ID" "$sig"
	t_wait_for 30 rx_stopped "$ID"
	t_is "$RC|$(R state "$ID" | jq -r .status)" "0|stopped" "kill ID $sig"
	R delete "$ID"
done

# A created container can be deleted without force: it is killed.
ID=$(rx_id created-delete)
R create --bundle "$B" --pid-file "$T_TMP/cd.pid" "$ID"
pid=$(cat "$T_TMP/cd.pid")
t_run R delete "$ID"
t_is "$RC" 0 "delete of a created container"
t_wait_for 30 eval "! rx_alive $pid"
t_fails "kills its init" rx_alive "$pid"

# SIGTERM to the init: a process with a handler gets it.
rx_set '.process.args = ["sh", "-c", "trap \"exit 0\" TERM; echo ready; while :; do sleep 0.1; done"]'
ID=$(rx_id term)
R run -d --bundle "$B" "$ID" >"$T_TMP/term.out"
t_wait_for 50 grep -q ready "$T_TMP/term.out"
t_run R kill "$ID"
t_wait_for 50 rx_stopped "$ID"
t_is "$RC|$(R state "$ID" | jq -r .status)" "0|stopped" "kill ID (SIGTERM by default)"
R delete "$ID"

# A frozen cgroup is a paused container; delete --force still ends it.
freezer=$(awk -F: '$2 == "freezer" {print "/sys/fs/cgroup/freezer" $3}' /proc/self/cgroup)
[ -e /sys/fs/cgroup/cgroup.controllers ] && freezer=
if [ -n "$freezer" ]; then
	rx_set '.process.args = ["sleep", "300"]'
	ID=$(rx_id paused)
	R run -d --bundle "$B" --pid-file "$T_TMP/p.pid" "$ID" >/dev/null
	dir=/sys/fs/cgroup/freezer$(awk -F: '$2 == "freezer" {print $3}' "/proc/$(cat "$T_TMP/p.pid")/cgroup")
	echo FROZEN >"$dir/freezer.state"
	t_wait_for 30 grep -q FROZEN "$dir/freezer.state"
	t_is "$(rx_status "$ID")" paused "a frozen container is paused"
	t_run R delete "$ID"
	t_like "$(rx_msg "$ERR")" "cannot delete container $ID that is not stopped: paused" "delete refuses a paused one"
	t_run R delete --force "$ID"
	t_is "$RC" 0 "delete --force thaws and kills it"
	t_fails "its init is gone" rx_alive "$(cat "$T_TMP/p.pid")"
fi

# delete --force of a running container.
rx_set '.process.args = ["sleep", "300"]'
ID=$(rx_id force)
R run -d --bundle "$B" --pid-file "$T_TMP/f.pid" "$ID" >/dev/null
t_run R delete --force "$ID"
t_is "$RC|$ERR" "0|" "delete --force of a running container"
t_fails "its init is gone" rx_alive "$(cat "$T_TMP/f.pid")"
t_is "$(R list -q)" "" "nothing is left"
t_done
