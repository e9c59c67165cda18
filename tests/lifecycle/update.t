#!/bin/bash
# update: new limits for a running container, from --resources (stdin as
# containerd and CRI-O pass it, a file as podman does) or runc's flags.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/lifecycle/lifecycle.sh"

[ -e /sys/fs/cgroup/cgroup.controllers ] && t_skip_all "these checks read cgroup v1 files"
PARENT=mockrunc-up-${T_TMP##*.}
t_cleanup "find /sys/fs/cgroup -depth -type d -name '$PARENT*' -exec rmdir {} +"
ID=$(rx_id up)
rx_set ".linux.cgroupsPath = \"/$PARENT/$ID\" | .process.args = [\"sleep\", \"300\"] |
	.linux.resources += {memory: {limit: 67108864}, pids: {limit: 100}}"
R run -d --bundle "$B" "$ID" </dev/null >/dev/null 2>&1
cg() { cat "/sys/fs/cgroup/$1/$PARENT/$ID/$2"; }

t_run R update --resources - "$ID" <<<'{"memory": {"limit": 100663296, "swap": 201326592}, "pids": {"limit": 50}}'
t_is "$RC|$OUT|$ERR" "0||" "update --resources - (stdin, as containerd 1.7 and CRI-O)"
t_is "$(cg memory memory.limit_in_bytes) $(cg memory memory.memsw.limit_in_bytes) $(cg pids pids.max)" \
	"100663296 201326592 50" "memory limit, memory+swap and pids reach the cgroup"
t_run R update --resources=- "$ID" <<<'{"cpu": {"shares": 512, "quota": 20000, "period": 100000}}'
t_is "$RC|$(cg cpu cpu.shares) $(cg cpu cpu.cfs_quota_us) $(cg cpu cpu.cfs_period_us)" "0|512 20000 100000" \
	"update --resources=- (containerd 2): cpu shares, quota, period"
echo '{"cpu": {"quota": 30000}}' >"$T_TMP/r.json"
t_run R update --resources="$T_TMP/r.json" "$ID"
t_is "$RC|$(cg cpu cpu.cfs_quota_us) $(cg cpu cpu.cfs_period_us)" "0|30000 100000" \
	"update --resources=FILE (podman): a quota alone keeps the period"
t_is "$(cg memory memory.limit_in_bytes)" 100663296 "what the input leaves out is not touched"

t_run R update --memory 48m --memory-swap 96m --pids-limit 20 --cpu-share 256 --cpuset-cpus 0 "$ID"
t_is "$RC|$(cg memory memory.limit_in_bytes) $(cg memory memory.memsw.limit_in_bytes) $(cg pids pids.max) $(cg cpu cpu.shares) $(cg cpuset cpuset.cpus)" \
	"0|50331648 100663296 20 256 0" "the per-field flags"
t_run R update --memory 48m --resources - "$ID" <<<'{"pids": {"limit": 30}}'
t_is "$RC|$(cg pids pids.max)" "0|30" "with --resources the flags are ignored"

t_run R update --memory 12x "$ID"
t_is "$RC|$(rx_msg "$ERR")" "1|invalid value for memory: invalid suffix: 'x'" "a bad size"
t_run R update --resources - "$ID" <<<'{"memory": {"limit": "1g"}}'
t_is "$RC|$(rx_msg "$ERR")" "1|json: cannot unmarshal string into Go struct field LinuxMemory.memory.limit of type int64" \
	"a value of the wrong type"
t_run R update --resources - "$ID" <<<'{"memory": '
t_is "$RC|$(rx_msg "$ERR")" "1|unexpected EOF" "truncated JSON"
t_run R update --resources "$T_TMP/none.json" "$ID"
t_is "$RC|$(rx_msg "$ERR")" "1|open $T_TMP/none.json: no such file or directory" "a missing file"
t_run R update --resources "$T_TMP/none.json" nosuchcontainer
t_is "$RC|$(rx_msg "$ERR")" "1|container does not exist" "a missing container, whatever the input"
t_run R update --resources - "$ID" <<<'{"memory": {"limit": 1}}'
t_like "$RC|$(rx_msg "$ERR")" '^1\|unable to set memory limit to 1 \(current usage: [0-9]+, peak usage: [0-9]+\)$' \
	"a limit below the usage: runc's message"

R kill "$ID" KILL
t_wait_for 30 rx_stopped "$ID"
t_run R update --pids-limit 10 "$ID"
t_is "$RC|$(rx_msg "$ERR")" "1|container not running" "update of a stopped container"
R delete "$ID"
t_done
