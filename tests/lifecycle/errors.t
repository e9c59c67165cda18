#!/bin/bash
# The error cases engines meet, with runc's wording and exit codes
# (ENGINES.md §3 and §9).
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/lifecycle/lifecycle.sh"

err_is() { # want_rc want_regex description
	t_is "$RC" "$1" "$3: exit $1"
	t_like "$(rx_msg "$ERR")" "$2" "$3: message"
}

t_run R state nosuch
err_is 1 'container does not exist' "state of an unknown id"
t_run R kill nosuch 9
err_is 1 'container does not exist' "kill of an unknown id"
t_run R start nosuch
err_is 1 'container does not exist' "start of an unknown id"
t_run R delete nosuch
err_is 1 'container does not exist' "delete of an unknown id"
t_run R delete --force nosuch
t_is "$RC|$ERR" "0|" "delete --force of an unknown id succeeds"

for bad in ../x . .. 'a/b' 'a b' ''; do
	t_run R state "$bad"
	err_is 1 'invalid container ID format' "id '$bad' is refused"
done
t_run R create --bundle "$B" ../escape
err_is 1 'invalid container ID format' "create refuses a hostile id"
t_fails "and makes nothing outside the root" test -e "$T_TMP/escape"

rx_set '.process.args = ["sleep", "300"]'
ID=$(rx_id twice)
R run -d --bundle "$B" "$ID"
t_run R start "$ID"
err_is 1 'cannot start an already running container' "start twice"
t_run R create --bundle "$B" "$ID"
err_is 1 'runc create failed: container with given ID already exists' "create an existing id"
t_run R delete "$ID"
err_is 1 "cannot delete container $ID that is not stopped: running" "delete a running container"
t_run R kill "$ID" NOSUCH
err_is 1 'unknown signal "NOSUCH"' "an unknown signal"
R kill "$ID" 9
t_wait_for 30 rx_stopped "$ID"
t_run R kill "$ID" 9
err_is 1 'container not running' "kill a stopped container"
t_run R kill --all "$ID" 9
t_is "$RC" 0 "kill --all of a stopped container succeeds"
t_run R start "$ID"
err_is 1 'cannot start a container that has stopped' "start a stopped container"
R delete "$ID"

rx_set '.process.args = ["nosuchprogram"]'
t_run R create --bundle "$B" "$(rx_id missing)"
err_is 1 '^runc create failed: unable to start container process: exec: "nosuchprogram": executable file not found in \$PATH$' \
	"a program missing from PATH fails at create"
t_is "$(R list -q)" "" "and leaves nothing behind"
rx_set '.process.args = ["/no/such"]'
t_run R create --bundle "$B" "$(rx_id missing2)"
err_is 1 'exec: "/no/such": stat /no/such: no such file or directory' "a missing path"
rx_set '.process.args = ["/etc"]'
t_run R run --bundle "$B" "$(rx_id dir)"
err_is 1 'runc run failed: unable to start container process: exec: "/etc": permission denied' "a directory"

# The rootfs as runc takes it: no symlink on its way, and there.
rx_reset
ln -s "$B/rootfs" "$T_TMP/rootfs-link"
rx_set ".root.path = \"$T_TMP/rootfs-link\""
t_run R create --bundle "$B" "$(rx_id rootlink)"
err_is 1 '^runc create failed: invalid rootfs: not an absolute path, or a symlink$' "a rootfs through a symlink"
rx_set ".root.path = \"$T_TMP/no-rootfs\""
t_run R create --bundle "$B" "$(rx_id noroot)"
err_is 1 "^runc create failed: invalid rootfs: stat $T_TMP/no-rootfs: no such file or directory\$" "a rootfs that is missing"
t_is "$(R list -q)" "" "neither leaves anything behind"

rx_reset
rx_set '.process.terminal = true'
t_run R create --bundle "$B" "$(rx_id tty)"
err_is 1 'cannot allocate tty if runc will detach without setting console socket' "terminal without a console socket"
rx_reset
t_run R create --console-socket "$T_TMP/nosock" --bundle "$B" "$(rx_id notty)"
err_is 1 'cannot use console socket if runc will not detach or allocate tty' "console socket without a terminal"

rx_set '.linux.namespaces += [{type: "pid"}]'
t_run R create --bundle "$B" "$(rx_id dupns)"
err_is 1 'duplicated ns pid' "a namespace type given twice"
rx_reset
rx_set '.linux.namespaces -= [{type: "uts"}]'
t_run R create --bundle "$B" "$(rx_id nouts)"
err_is 1 'unable to set hostname without a private UTS namespace' "hostname without a uts namespace"
rx_reset
rx_set '.process.rlimits = [{type: "RLIMIT_BOGUS", soft: 1, hard: 1}]'
t_run R create --bundle "$B" "$(rx_id rlimit)"
err_is 1 'wrong rlimit value: RLIMIT_BOGUS' "an unknown rlimit"
rx_reset
rx_set '.process.oomScoreAdj = -999'
t_run R create --bundle "$B" "$(rx_id oom)"
if [ "$RC" = 0 ]; then
	t_ok "oomScoreAdj -999 (CAP_SYS_RESOURCE here)" true
	R delete --force "$(rx_id oom)"
else
	err_is 1 'failed to update /proc/self/oom_score_adj: permission denied' "oomScoreAdj below ours without CAP_SYS_RESOURCE"
fi

if [ "$(R features | jq .linux.selinux.enabled)" = false ]; then
	rx_reset
	rx_set '.process.selinuxLabel = "system_u:system_r:container_t:s0"'
	t_run R create --bundle "$B" "$(rx_id selinux)"
	err_is 1 'selinux label is specified in config, but selinux is disabled or not supported' \
		"an SELinux label on a host without SELinux"
fi

rx_reset
rx_set '.process.args = ["true"] | .root.path = "nosuchdir"'
t_run R create --bundle "$B" "$(rx_id noroot)"
err_is 1 "invalid rootfs: stat $B/nosuchdir: no such file or directory" "a missing rootfs"
rm "$B/config.json"
t_run R create --bundle "$B" "$(rx_id noconfig)"
err_is 1 '^runc create failed: JSON specification file config.json not found$' "a bundle without config.json"
echo '{"ociVersion": ' >"$B/config.json"
t_run R create --bundle "$B" "$(rx_id badjson)"
err_is 1 '^runc create failed: unexpected EOF$' "a truncated config.json"
rx_reset

# --log --log-format json: the error as containerd reads it.
rx_set '.process.args = ["nosuchprogram"]'
t_run R --log "$T_TMP/log.json" --log-format json create --bundle "$B" "$(rx_id logged)"
t_is "$(jq -r 'select(.level == "error") | .msg' "$T_TMP/log.json" | tail -1)" \
	'runc create failed: unable to start container process: exec: "nosuchprogram": executable file not found in $PATH' \
	"the error is the last JSON error line of --log"
t_is "$(R list -q)" "" "no container is left"
t_done
