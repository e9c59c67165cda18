#!/bin/bash
# exec: a new process in a running container — its namespaces, cgroup and
# security settings, its stdio, terminal, pid file and exit status — from
# --process (as every engine passes it) or from runc's flags.
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
	(void)argc;
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
rx_build_consoled

ID=$(rx_id box)
rx_set '.root.readonly = false | .process.args = ["sleep", "300"] | .process.env += ["FROM=config"] |
	.linux.namespaces += [{type: "cgroup"}]'
R run -d --pid-file "$T_TMP/init.pid" --bundle "$B" "$ID" </dev/null >/dev/null 2>&1
init=$(cat "$T_TMP/init.pid")
t_ok "a running container" rx_alive "$init"

# The process joins the container.
t_run R exec "$ID" sh -c 'echo $FROM $(cat /proc/1/cmdline | tr "\0" " "); exit 3'
t_is "$RC|$OUT|$ERR" "3|config sleep 300|" "exec: the config's environment, the init as pid 1, the exit status"
ns_of() { for n in pid net ipc uts mnt cgroup; do readlink "$1/ns/$n"; done | tr '\n' ' '; }
t_run R exec "$ID" sh -c 'for n in pid net ipc uts mnt cgroup; do readlink /proc/self/ns/$n; done | tr "\n" " "'
t_is "$OUT" "$(ns_of "/proc/$init")" "exec: in every namespace of the init"
t_run R exec "$ID" cat /proc/self/cgroup
t_is "$OUT" "$(R exec "$ID" cat /proc/1/cgroup)" "exec: in the init's cgroup (seen through its cgroup namespace)"
t_is "$(grep -c ':/$' <<<"$OUT")" "$(grep -c . <<<"$OUT")" "which is the root of that namespace"
t_run R exec "$ID" sh -c 'grep -E "^(CapEff|CapBnd|NoNewPrivs):" /proc/self/status | tr -s "\t" " " | tr "\n" ";"'
t_is "$OUT" "CapEff: 0000000020000420;CapBnd: 0000000020000420;NoNewPrivs: 1;" \
	"exec: the process's capabilities and no_new_privs"

# runc's flags change the config's process.
t_run R exec --env X=1 --cwd /tmp --user 65534:65534 --additional-gids 5 "$ID" \
	sh -c 'echo $X $FROM $(pwd) $(id -u):$(id -g) $(id -G)'
t_is "$OUT" "1 config /tmp 65534:65534 65534 5" "--env --cwd --user --additional-gids"
t_run R exec --cap CAP_SYS_TIME --no-new-privs=false "$ID" \
	sh -c 'grep -E "^(CapEff|NoNewPrivs):" /proc/self/status | tr -s "\t" " " | tr "\n" ";"'
t_is "$OUT" "CapEff: 0000000022000420;NoNewPrivs: 0;" "--cap adds to the sets, --no-new-privs=false"
t_run R exec --user x "$ID" true
t_is "$RC|$(rx_msg "$ERR")" '255|exec failed: bad uid: strconv.Atoi: parsing "x": invalid syntax' "a bad --user"

# Failures: 255, runc's messages.
t_run R exec "$ID" nosuchprogram
t_is "$RC|$(rx_msg "$ERR")" '255|exec failed: unable to start container process: exec: "nosuchprogram": executable file not found in $PATH' \
	"a missing program"
t_run R exec --cwd /no/such/dir "$ID" true
t_is "$RC|$(rx_msg "$ERR")" '255|exec failed: unable to start container process: chdir to cwd ("/no/such/dir") set in config.json failed: no such file or directory' \
	"a missing cwd"
t_run R exec nosuchcontainer true
t_is "$RC|$(rx_msg "$ERR")" "255|exec failed: container does not exist" "a missing container"
t_run R exec "$ID"
t_is "$RC|$(rx_msg "$ERR")" "255|exec failed: exec args cannot be empty" "no command"

# --process: the whole process, as engines pass it.
proc() { jq -n "{args: [\"sh\", \"-c\", \"echo \$PWD \$(id -u) \$P\"], cwd: \"/tmp\", env: [\"PATH=/bin\", \"P=json\"], user: {uid: 65534, gid: 65534}} | $1" >"$T_TMP/p.json"; }
proc .
t_run R exec --process "$T_TMP/p.json" "$ID"
t_is "$RC|$OUT" "0|/tmp 65534 json" "--process: args, cwd, env, user"
for c in 'del(.cwd)|Cwd property must not be empty' '.cwd = "tmp"|Cwd must be an absolute path' \
	'.args = []|args must not be empty'; do
	proc "${c%%|*}"
	t_run R exec --process "$T_TMP/p.json" "$ID"
	t_is "$RC|$(rx_msg "$ERR")" "255|exec failed: ${c#*|}" "--process with ${c%%|*}: refused"
done
echo '{"args": x}' >"$T_TMP/p.json"
t_run R exec --process "$T_TMP/p.json" "$ID"
t_is "$RC|$(rx_msg "$ERR")" "255|exec failed: invalid character 'x' looking for beginning of value" "--process: bad JSON"
t_run R exec --process "$T_TMP/none.json" "$ID"
t_is "$RC|$(rx_msg "$ERR")" "255|exec failed: open $T_TMP/none.json: no such file or directory" "--process: a missing file"

# Detached, with a pid file as conmon pre-creates it (empty).
: >"$T_TMP/e.pid"
t_run "$T_TMP/subreaper" "$T_TMP/e.pid" "$T_BIN/mockrunc" --root "$ROOT" exec -d --pid-file "$T_TMP/e.pid" "$ID" sleep 100
read -r ppid reaper <<<"$OUT"
t_is "$RC|$ERR" "0|" "exec --detach succeeds silently"
t_like "$(cat "$T_TMP/e.pid")" '^[0-9]+$' "the pid file, renamed over the empty one: a pid, no newline"
t_is "$ppid" "$reaper" "the process is a direct child of the runtime: the caller's subreaper inherits it"
t_like "$(R ps --format json "$ID")" "[[,]$(cat "$T_TMP/e.pid")[],]" "and it is one of the container's processes"
t_run R exec -d --pid-file "$T_TMP/never.pid" "$ID" nosuchprogram
t_is "$RC|$(test -e "$T_TMP/never.pid" && echo written)" "255|" "no pid file when exec fails"

# Only stdio and the fds passed on reach the process.
t_run R exec --preserve-fds 1 "$ID" sh -c 'cat <&3; ls /proc/self/fd | tr "\n" " "' 3<<<"passed" 4<<<"kept back"
t_is "$OUT" "passed
0 1 2 3 4 " "--preserve-fds 1: fd 3 is passed on, fd 4 is not (4 is ls's own)"

# Terminals: the pty master goes to --console-socket (detached), or the
# runtime relays it (foreground, as CRI-O's streaming exec).
t_run "$T_TMP/consoled" "$T_TMP/sock" "$T_BIN/mockrunc" --root "$ROOT" exec -d -t --console-socket "$T_TMP/sock" \
	--pid-file "$T_TMP/t.pid" "$ID" sh -c 'tty; grep -c " /dev/console " /proc/self/mounts' -- /bin/true
OUT=$(printf '%s' "$OUT" | tr -d '\r')
t_is "$(sed -n 1p <<<"$OUT")" /dev/pts/0 "exec -t --console-socket: the process's terminal"
t_is "$(sed -n 2p <<<"$OUT")" 0 "nothing is mounted on /dev/console"
t_like "$OUT" 'name=/dev/pts/ptmx fds=1 isatty=1 more=0' "one message, one fd, a pty"
t_run R exec -d -t "$ID" true
t_is "$RC|$(rx_msg "$ERR")" "255|exec failed: cannot allocate tty if runc will detach without setting console socket" \
	"-d -t without a console socket"
t_run R exec --console-socket "$T_TMP/sock" "$ID" true
t_is "$RC|$(rx_msg "$ERR")" "255|exec failed: cannot use console socket if runc will not detach or allocate tty" \
	"a console socket without a terminal"
if command -v script >/dev/null; then
	jq -n '{args: ["sh", "-c", "tty; exit 4"], cwd: "/", env: ["PATH=/bin"], terminal: true}' >"$T_TMP/tty.json"
	t_run script -qec "$T_BIN/mockrunc --root $ROOT exec --process $T_TMP/tty.json $ID" /dev/null
	t_like "$RC|$(printf '%s' "$OUT" | tr -d '\r' | sed 's/\^@//g')" '^4\|/dev/pts/[0-9]+$' \
		"foreground with terminal: true: the runtime allocates the pty and relays it"
fi

# Foreground: signals go to the process, its status comes back.
"$T_BIN/mockrunc" --root "$ROOT" exec "$ID" sh -c 'trap "exit 9" TERM; touch /tmp/trapping; while :; do sleep 0.1; done' &
fg=$!
t_wait_for 50 test -e "$B/rootfs/tmp/trapping"
kill -TERM "$fg"
wait "$fg"
t_is "$?" 9 "SIGTERM to the runtime reaches the process, whose status is the runtime's"
"$T_BIN/mockrunc" --root "$ROOT" exec "$ID" sh -c 'touch /tmp/sleeping; exec sleep 100' 2>/dev/null &
fg=$!
t_wait_for 50 test -e "$B/rootfs/tmp/sleeping"
sleep 0.2
kill -USR1 "$fg"
wait "$fg"
t_is "$?" 138 "a process killed by the forwarded signal: 128+signal"

# --cgroup: a sub-cgroup of the container's.
mem=/sys/fs/cgroup/memory$(awk -F: '$2 == "memory" {print $3}' "/proc/$init/cgroup")
if [ -d "$mem" ]; then
	mkdir "$mem/sub"
	t_run R exec --cgroup memory:sub "$ID" sh -c 'grep -E ":(memory|pids):" /proc/self/cgroup | cut -d: -f2- | sort | tr "\n" " "'
	t_is "$OUT" "memory:/sub pids:/ " "--cgroup memory:sub: that controller's sub-cgroup only"
	t_run R exec --cgroup nosuch:sub "$ID" true
	t_is "$RC|$(rx_msg "$ERR")" "255|exec failed: unknown controller nosuch in SubCgroupPaths" "--cgroup with an unknown controller"
fi

# Stopped.
t_run R kill "$ID" KILL
t_wait_for 30 rx_stopped "$ID"
t_run R exec "$ID" true
t_is "$RC|$(rx_msg "$ERR")" "255|exec failed: cannot exec in a stopped container" "a stopped container"
t_run R delete "$ID"
t_is "$RC|$(test -d "$mem" && echo left)" "0|" "delete removes the cgroup, sub-cgroups included"
t_done
