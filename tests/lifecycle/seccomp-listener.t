#!/bin/bash
# linux.seccomp with SCMP_ACT_NOTIFY: the listener fd reaches
# listenerPath during create, with the container process state.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/lifecycle/lifecycle.sh"
rx_build_consoled

ID=$(rx_id notify)
rx_set ".linux.seccomp = {defaultAction: \"SCMP_ACT_ALLOW\", listenerPath: \"$T_TMP/agent\",
	listenerMetadata: \"meta-1\", syscalls: [{names: [\"mkdirat\", \"mkdir\"], action: \"SCMP_ACT_NOTIFY\"}]} |
	.process.args = [\"true\"]"
t_run "$T_TMP/consoled" "$T_TMP/agent" "$T_BIN/mockrunc" --root "$ROOT" create --bundle "$B" "$ID" \
	-- "$T_BIN/mockrunc" --root "$ROOT" start "$ID"
t_is "$RC" 0 "create with a notify action, then start"
state=$(sed -n 's/^name=\(.*\) fds=.*/\1/p' <<<"$OUT")
t_like "$OUT" 'fds=1 isatty=0' "the agent receives one fd"
t_is "$(jq -r '[.ociVersion, (.fds | join(",")), .metadata, .state.id, .state.status, (.pid == .state.pid | tostring)] | join(" ")' <<<"$state")" \
	"1.2.0 seccompFd meta-1 $ID creating true" "with the container process state"
R delete --force "$ID"

# An exec'd process gets the container's filter, and the agent its own
# listener, with the state of the running container and the process's pid.
ID=$(rx_id notify-exec)
rx_set '.process.args = ["sleep", "300"]'
rm -f "$T_TMP/agent"
"$T_TMP/consoled" "$T_TMP/agent" "$T_BIN/mockrunc" --root "$ROOT" create --bundle "$B" "$ID" \
	-- "$T_BIN/mockrunc" --root "$ROOT" start "$ID" >/dev/null
rm -f "$T_TMP/agent"
t_run "$T_TMP/consoled" "$T_TMP/agent" "$T_BIN/mockrunc" --root "$ROOT" exec -d --pid-file "$T_TMP/e.pid" "$ID" true \
	-- /bin/true
state=$(sed -n 's/^name=\(.*\) fds=.*/\1/p' <<<"$OUT")
t_is "$RC" 0 "exec into a container with a notify action"
t_is "$(jq -r '[.state.id, .state.status, (.pid | tostring)] | join(" ")' <<<"$state")" "$ID running $(cat "$T_TMP/e.pid")" \
	"the agent gets the exec'd process's listener, with its pid"
R delete --force "$ID"

rx_set ".linux.seccomp.listenerPath = \"$T_TMP/nobody-listens\""
t_run R create --bundle "$B" "$(rx_id nolistener)"
t_like "$(rx_msg "$ERR")" 'failed to connect with seccomp agent' "no agent at listenerPath fails create"
t_is "$(R list -q)" "" "and leaves nothing"
t_done
