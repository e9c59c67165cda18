#!/bin/bash
# process.capabilities, noNewPrivileges, linux.seccomp and the LSM fields
# on hand-written configs: what the process ends up with and what it is
# refused, for the init and for exec'd processes.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/lifecycle/lifecycle.sh"

STATUS='grep -E "^(Cap(Inh|Prm|Eff|Bnd|Amb)|NoNewPrivs|Seccomp):" /proc/self/status | tr -s "\t" " " | tr "\n" ";"'

# Every set, for a non-root user: the ambient set is what survives execve.
rx_set ".process.user = {uid: 65534, gid: 65534} | .process.noNewPrivileges = false |
	.process.capabilities = {bounding: [\"CAP_NET_BIND_SERVICE\", \"CAP_KILL\"], effective: [\"CAP_NET_BIND_SERVICE\"],
		permitted: [\"CAP_NET_BIND_SERVICE\", \"CAP_KILL\"], inheritable: [\"CAP_NET_BIND_SERVICE\"],
		ambient: [\"CAP_NET_BIND_SERVICE\"]} | .process.args = [\"sh\", \"-c\", $(jq -Rn --arg s "$STATUS" '$s')]"
t_run R run --bundle "$B" "$(rx_id caps)"
t_is "$OUT" "CapInh: 0000000000000400;CapPrm: 0000000000000400;CapEff: 0000000000000400;CapBnd: 0000000000000420;CapAmb: 0000000000000400;NoNewPrivs: 0;Seccomp: 0;" \
	"uid 65534: bounding as given, the ambient capability inherited, effective and permitted through execve"
rx_reset
rx_set ".process.capabilities = null | .process.args = [\"sh\", \"-c\", $(jq -Rn --arg s "$STATUS" '$s')]"
t_run R run --bundle "$B" "$(rx_id nocaps)"
t_like "$OUT" "^CapInh: 0+;CapPrm: 0+;CapEff: 0+;CapBnd: 0+;CapAmb: 0+;NoNewPrivs: 1;" "no capabilities object: none at all"

# Unknown names: an error for configs older than runtime-spec 1.1.0.
rx_reset
rx_set '.ociVersion = "1.0.2" | .process.capabilities.bounding += ["CAP_NOPE"] | .process.args = ["true"]'
t_run R run --bundle "$B" "$(rx_id old)"
t_is "$RC|$(rx_msg "$ERR")" '1|runc run failed: unknown capability "CAP_NOPE"' "ociVersion 1.0.2: an unknown capability is refused"
rx_set '.ociVersion = "1.1.0"'
t_run R run --bundle "$B" "$(rx_id new)"
t_is "$RC|$(rx_msg "$ERR")" "0|ignoring unknown or unavailable capabilities: [CAP_NOPE]" "ociVersion 1.1.0: a warning, and it runs"

# seccomp: actions, errnoRet, argument conditions, unknown names skipped.
rx_reset
rx_set '.root.readonly = false | .linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW", architectures: ["SCMP_ARCH_X86_64"],
	syscalls: [
		{names: ["mkdir", "mkdirat", "nosuchsyscall"], action: "SCMP_ACT_ERRNO", errnoRet: 28},
		{names: ["chmod"], action: "SCMP_ACT_ERRNO", args: [{index: 1, value: 511, op: "SCMP_CMP_EQ"}]},
		{names: ["fchmodat"], action: "SCMP_ACT_ERRNO", args: [{index: 2, value: 511, op: "SCMP_CMP_EQ"}]},
		{names: ["rmdir"], action: "SCMP_ACT_KILL_PROCESS"}]} |
	.process.args = ["sh", "-c", "grep -E \"^Seccomp(_filters)?:\" /proc/self/status | tr -s \"\\t\" \" \"; mkdir /tmp/d; touch /tmp/f; chmod 755 /tmp/f && echo 755; chmod 777 /tmp/f; stat -c %a /tmp/f; exec rmdir /tmp"]'
t_run R run --bundle "$B" "$(rx_id seccomp)"
t_is "$OUT" "Seccomp: 2
Seccomp_filters: 1
755
755" "seccomp: the filter is on; chmod is refused only for mode 0777"
t_is "$ERR" "mkdir: can't create directory '/tmp/d': No space left on device
chmod: /tmp/f: Operation not permitted" "SCMP_ACT_ERRNO with errnoRet 28 (ENOSPC), and EPERM by default"
t_is "$RC" 159 "SCMP_ACT_KILL_PROCESS: killed by SIGSYS (128+31)"

# The same filter binds every process exec'd into the container.
rx_set '.process.args = ["sleep", "300"]'
ID=$(rx_id exec)
R run -d --bundle "$B" "$ID" </dev/null >/dev/null 2>&1
t_run R exec "$ID" mkdir /tmp/e
t_is "$RC|$ERR" "1|mkdir: can't create directory '/tmp/e': No space left on device" "exec'd processes get the container's filter"
R delete --force "$ID"

# Loaded as late as it can be: with no_new_privs after the user switch, so a
# profile may forbid what the runtime itself needs; without it, before (as
# runc, since loading a filter then needs CAP_SYS_ADMIN).
rx_reset
rx_set '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW",
		syscalls: [{names: ["setgroups", "setresuid", "setresgid", "capset", "prctl"], action: "SCMP_ACT_ERRNO"}]} |
	.process.user = {uid: 65534, gid: 65534} | .process.args = ["id", "-u"]'
t_run R run --bundle "$B" "$(rx_id late)"
t_is "$RC|$OUT" "0|65534" "noNewPrivileges: a profile refusing setresuid, capset and prctl still lets the container start"
rx_set '.process.noNewPrivileges = false'
t_run R run --bundle "$B" "$(rx_id early)"
t_like "$RC|$(rx_msg "$ERR")" "^1\\|runc run failed: unable to start container process: error during container init: .*operation not permitted" \
	"without it the filter comes before the user switch, which it then refuses"

rx_reset
rx_set '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW", syscalls: [{names: ["mkdir"], action: "SCMP_ACT_NOPE"}]}'
t_run R run --bundle "$B" "$(rx_id badaction)"
t_like "$RC|$(rx_msg "$ERR")" "^1\\|runc run failed: .*SCMP_ACT_NOPE" "an unknown action is refused at create"
t_is "$(R list -q)" "" "nothing is left"

# LSMs this host does not have: refused as runc refuses them.
if [ "$(R features | jq .linux.apparmor.enabled)" = false ]; then
	rx_reset
	rx_set '.process.apparmorProfile = "docker-default" | .process.args = ["true"]'
	t_run R run --bundle "$B" "$(rx_id apparmor)"
	t_like "$RC|$(rx_msg "$ERR")" "^1\\|.*apparmor failed to apply profile: write /proc/thread-self/attr/(apparmor/)?exec: " \
		"an AppArmor profile on a host without AppArmor fails"
fi
t_done
