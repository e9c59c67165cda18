#!/bin/bash
# Hooks: every kind, in order, with the state on stdin, in the right
# namespaces; failures and timeouts as the runtime-spec says.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/lifecycle/lifecycle.sh"

LOG=$T_TMP/hooks.log
# A hook that records its name, the state it read and its mount namespace.
cat >"$T_TMP/hook" <<HOOK
#!/bin/sh
echo "\$1 \$(cat) \$(readlink /proc/self/ns/mnt) \$HOOK_ENV" >>"$LOG"
HOOK
chmod +x "$T_TMP/hook"
h() { printf '{"path": "%s", "args": ["hook", "%s"], "env": ["HOOK_ENV=%s", "PATH=%s"]}' "$T_TMP/hook" "$1" "$1-env" "$PATH"; }
rx_set ".hooks = {prestart: [$(h prestart)], createRuntime: [$(h createRuntime)],
	createContainer: [$(h createContainer)], startContainer: [$(h startContainer)],
	poststart: [$(h poststart)], poststop: [$(h poststop)]} |
	.mounts += [{destination: \"$T_TMP\", type: \"bind\", source: \"$T_TMP\", options: [\"rbind\"]}] |
	.process.args = [\"sleep\", \"300\"]"

ID=$(rx_id h1)
R create --bundle "$B" --pid-file "$T_TMP/h1.pid" "$ID"
pid=$(cat "$T_TMP/h1.pid")
host_mnt=$(readlink /proc/self/ns/mnt)
ctr_mnt=$(readlink "/proc/$pid/ns/mnt")
t_is "$(cut -d' ' -f1 "$LOG" | tr '\n' ' ')" "prestart createRuntime createContainer " "create runs prestart, createRuntime, createContainer"
R start "$ID"
R delete --force "$ID"
t_is "$(cut -d' ' -f1 "$LOG" | tr '\n' ' ')" \
	"prestart createRuntime createContainer startContainer poststart poststop " "every hook, in order"
# name, state (status pid id bundle), mount namespace, env: per hook.
line() {
	local name state mnt env
	read -r name state mnt env < <(grep "^$1 " "$LOG")
	printf '%s %s %s %s' "$name" "$(jq -r '[.status, .pid, .id, .bundle, .ociVersion] | join(",")' <<<"$state")" "$mnt" "$env"
}
t_is "$(line prestart)" "prestart creating,$pid,$ID,$B,1.2.0 $host_mnt prestart-env" \
	"prestart: state on stdin, runtime namespace, its env"
t_is "$(line createRuntime)" "createRuntime creating,$pid,$ID,$B,1.2.0 $host_mnt createRuntime-env" "createRuntime: runtime namespace"
t_is "$(line createContainer)" "createContainer creating,$pid,$ID,$B,1.2.0 $ctr_mnt createContainer-env" "createContainer: the container's namespace"
t_is "$(line startContainer)" "startContainer created,$pid,$ID,$B,1.2.0 $ctr_mnt startContainer-env" "startContainer: in the container"
t_is "$(line poststart)" "poststart running,$pid,$ID,$B,1.2.0 $host_mnt poststart-env" "poststart: running"
t_is "$(line poststop)" "poststop stopped,0,$ID,$B,1.2.0 $host_mnt poststop-env" "poststop: stopped"

# A hook gets stdio only, never the fds meant for the container.
rx_reset
rx_set ".hooks.prestart = [{path: \"/bin/sh\", args: [\"sh\", \"-c\", \"ls /proc/self/fd >$T_TMP/hookfds\"]}]"
R create --preserve-fds 1 --bundle "$B" "$(rx_id hfds)" 3</dev/null 4</dev/null
t_is "$(sort -n "$T_TMP/hookfds" | tr '\n' ' ')" "0 1 2 3 " "a hook's fds: stdio (3 is ls's own)"
R delete --force "$(rx_id hfds)"

# A failing prestart hook fails create with runc's wording, nothing left.
rx_reset
rx_set ".hooks.prestart = [{path: \"/bin/sh\", args: [\"sh\", \"-c\", \"echo out; echo err >&2; exit 3\"]}]"
t_run R create --bundle "$B" "$(rx_id hfail)"
t_is "$RC" 1 "a failing prestart hook fails create"
t_like "$(rx_msg "$ERR")" '^runc create failed: unable to start container process: error during container init: error running hook #0: error running hook: exit status 3, stdout: out(\\n)?, stderr: err(\\n)?$' \
	"with runc's message"
t_is "$(R list -q)" "" "and the container is gone"

rx_reset
rx_set ".hooks.createRuntime = [{path: \"/bin/sleep\", args: [\"sleep\", \"10\"], timeout: 1}]"
start=$(date +%s)
t_run R create --bundle "$B" "$(rx_id htimeout)"
t_like "$(rx_msg "$ERR")" 'hook ran past specified timeout of 1.0s' "a hook past its timeout fails create"
t_ok "after about a second" test $(( $(date +%s) - start )) -lt 5

rx_reset
rx_set ".hooks.prestart = [{path: \"/no/such/hook\"}]"
t_run R create --bundle "$B" "$(rx_id hmissing)"
t_like "$(rx_msg "$ERR")" 'error running hook #0: error running hook: fork/exec /no/such/hook: no such file or directory' \
	"a missing hook binary"

# poststart and poststop failures are warnings: the lifecycle goes on.
rx_reset
rx_set ".hooks.poststart = [{path: \"/bin/false\"}] | .hooks.poststop = [{path: \"/bin/false\"}, $(h poststop-after)] | .process.args = [\"sleep\", \"300\"]"
ID=$(rx_id hwarn)
R create --bundle "$B" "$ID"
t_run R start "$ID"
t_is "$RC|$(rx_status "$ID")" "0|running" "a failing poststart hook: start succeeds"
t_like "$ERR" 'level=warning msg="error running poststart hook #0' "with a warning"
t_run R delete --force "$ID"
t_is "$RC" 0 "a failing poststop hook: delete succeeds"
t_ok "and the next poststop hook still ran" grep -q '^poststop-after ' "$LOG"

# startContainer failing: start reports it and the container stops.
rx_reset
rx_set ".hooks.startContainer = [{path: \"/bin/sh\", args: [\"sh\", \"-c\", \"exit 4\"]}] | .process.args = [\"sleep\", \"300\"]"
ID=$(rx_id hstart)
R create --bundle "$B" "$ID" 2>/dev/null
t_run R start "$ID"
t_is "$RC" 1 "a failing startContainer hook fails start"
t_like "$(rx_msg "$ERR")" 'exit status 4' "with the hook's status"
t_wait_for 30 rx_stopped "$ID"
t_is "$(rx_status "$ID")" stopped "and the container stops"
R delete "$ID"
t_done
