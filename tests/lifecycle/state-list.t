#!/bin/bash
# state, list, features and --version: what engines parse.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/lifecycle/lifecycle.sh"

t_run R list
t_is "$RC|$OUT" "0|ID          PID         STATUS      BUNDLE      CREATED     OWNER" "list with no container: the header"
t_run R list --format json
t_is "$OUT" null "list --format json with no container: null"
t_run "$T_BIN/mockrunc" --root "$T_TMP/no/such/root" list -q
t_is "$RC|$OUT" "0|" "list of a missing root is empty"

rx_set '.process.args = ["sleep", "300"] | .annotations = {"b.key": "2", "a.key": "<1>"}'
A=$(rx_id a) Z=$(rx_id z)
R run -d --bundle "$B" "$Z"
R create --bundle "$B" "$A"
t_run R list -q
t_is "$(echo $OUT)" "$A $Z" "list -q: ids, sorted"
t_run R list -f json
t_is "$(jq -r 'map(.id + ":" + .status + ":" + .owner) | join(" ")' <<<"$OUT")" "$A:created:root $Z:running:root" \
	"list -f json: status and owner"
t_is "$(wc -l <<<"$OUT")" 1 "on one line"
t_run R list
t_like "$(sed -n 2p <<<"$OUT")" "^$A +[0-9]+ +created +$B +[0-9T:.-]+Z +root\$" "the table"

t_run R state "$A"
t_is "$(jq -c .annotations <<<"$OUT")" '{"a.key":"<1>","b.key":"2"}' "state carries the annotations, keys sorted"
t_like "$OUT" '"a.key": "\\u003c1\\u003e"' "escaped as Go escapes them"
R delete --force "$A"
R delete --force "$Z"

t_run R features
t_is "$RC|$ERR" "0|" "features"
t_is "${OUT:0:23}" '{
    "ociVersionMin": ' "4-space indent"
t_is "$(jq -r '[.ociVersionMin, .ociVersionMax] | join(" ")' <<<"$OUT")" "1.0.0 1.2.0" "ociVersionMin/Max"
t_is "$(jq -r '.hooks | join(",")' <<<"$OUT")" "prestart,createRuntime,createContainer,startContainer,poststart,poststop" "hooks"
t_is "$(jq -r '.linux.namespaces | join(",")' <<<"$OUT")" "cgroup,ipc,mount,network,pid,time,user,uts" "namespaces"
t_ok "mount options include rbind, rro and tmpcopyup" jq -e '.mountOptions | index("rbind") and index("rro") and index("tmpcopyup")' <<<"$OUT"
t_ok "no idmap mounts claimed" jq -e '(.mountOptions | index("idmap") | not) and .linux.mountExtensions.idmap.enabled == false' <<<"$OUT"
t_ok "capabilities listed" jq -e '.linux.capabilities | index("CAP_SYS_ADMIN")' <<<"$OUT"
t_ok "seccomp described" jq -e '.linux.seccomp.enabled and (.linux.seccomp.actions | index("SCMP_ACT_ERRNO"))' <<<"$OUT"
t_ok "systemd cgroups not claimed" jq -e '.linux.cgroup.systemd == false' <<<"$OUT"
t_done
