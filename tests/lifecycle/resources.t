#!/bin/bash
# linux.resources at create, field by field on the hybrid cgroup v1 layout:
# what lands in the container's cgroup, what the container then cannot do,
# and runc's errors for what the host cannot give.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/lifecycle/lifecycle.sh"

[ -e /sys/fs/cgroup/cgroup.controllers ] && t_skip_all "these checks read cgroup v1 files"
PARENT=mockrunc-res-${T_TMP##*.}
t_cleanup "find /sys/fs/cgroup -depth -type d -name '$PARENT*' -exec rmdir {} +"
cg() { cat "/sys/fs/cgroup/$1/$PARENT/$ID/$2"; }
# start NAME 'resources jq' ['jq']: a container sleeping with those
# resources (and that change to its config).
start() {
	ID=$(rx_id "$1")
	rx_reset
	rx_set ".root.readonly = false | .linux.cgroupsPath = \"/$PARENT/$ID\" | .process.args = [\"sleep\", \"300\"] |
		.linux.resources += $2 | ${3:-.}"
	t_run R run -d --bundle "$B" "$ID" </dev/null
}

start mem '{memory: {limit: 67108864, reservation: 33554432, swap: 134217728, swappiness: 10, disableOOMKiller: true}}'
t_is "$RC|$ERR" "0|" "memory: limit, reservation, swap, swappiness, disableOOMKiller"
t_is "$(cg memory memory.limit_in_bytes) $(cg memory memory.soft_limit_in_bytes) $(cg memory memory.memsw.limit_in_bytes) $(cg memory memory.swappiness)" \
	"67108864 33554432 134217728 10" "memory.limit_in_bytes, soft_limit, memsw, swappiness"
t_is "$(grep oom_kill_disable "/sys/fs/cgroup/memory/$PARENT/$ID/memory.oom_control")" "oom_kill_disable 1" "the OOM killer is off"
R delete --force "$ID"

start cpu '{cpu: {shares: 256, quota: 25000, period: 50000, burst: 10000, cpus: "0", mems: "0", idle: 0}}'
t_is "$RC|$ERR" "0|" "cpu: shares, quota, period, burst, cpus, mems, idle"
t_is "$(cg cpu cpu.shares) $(cg cpu cpu.cfs_quota_us) $(cg cpu cpu.cfs_period_us) $(cg cpu cpu.cfs_burst_us) $(cg cpuset cpuset.cpus) $(cg cpuset cpuset.mems) $(cg cpu cpu.idle)" \
	"256 25000 50000 10000 0 0 0" "cpu.shares, cfs quota/period/burst, cpuset, idle"
R delete --force "$ID"

if [ "$(cat /sys/fs/cgroup/cpu/cpu.rt_runtime_us 2>/dev/null)" -gt 0 ] 2>/dev/null; then
	# The kernel hands real-time time down the tree: the parent needs some.
	mkdir -p "/sys/fs/cgroup/cpu/$PARENT"
	echo 10000 >"/sys/fs/cgroup/cpu/$PARENT/cpu.rt_runtime_us"
	start rt '{cpu: {realtimePeriod: 1000000, realtimeRuntime: 5000}}'
	t_is "$RC|$(cg cpu cpu.rt_period_us) $(cg cpu cpu.rt_runtime_us)" "0|1000000 5000" "cpu.realtimePeriod and realtimeRuntime"
	R delete --force "$ID"
fi

dev=$(cat /sys/block/vda/dev 2>/dev/null || cat "$(ls -d /sys/block/[sv]d* 2>/dev/null | head -1)/dev" 2>/dev/null)
if [ -n "$dev" ]; then
	maj=${dev%:*} min=${dev#*:}
	start blkio "{blockIO: {throttleReadBpsDevice: [{major: $maj, minor: $min, rate: 1048576}],
		throttleWriteIOPSDevice: [{major: $maj, minor: $min, rate: 100}]}}"
	t_is "$RC|$(cg blkio blkio.throttle.read_bps_device) $(cg blkio blkio.throttle.write_iops_device)" \
		"0|$dev 1048576 $dev 100" "blockIO throttling"
	R delete --force "$ID"
fi

start pids '{pids: {limit: 3}}'
t_is "$(cg pids pids.max)" 3 "pids.limit"
t_run R exec "$ID" sh -c 'sleep 1 & sleep 1 & sleep 1 & wait'
t_like "$ERR" "can't fork" "and it is enforced"
R delete --force "$ID"

# Devices: the config's rules then runc's default allowances (but for the
# devices linux.devices lists itself), in the kernel's list, and enforced.
start devices '{devices: [{allow: false, access: "rwm"}, {allow: true, type: "c", major: 1, minor: 5, access: "r"}]}' \
	'.linux.devices = [{path: "/dev/zero", type: "c", major: 1, minor: 5, fileMode: 438}]'
t_is "$(cg devices devices.list | sort | tr '\n' ' ')" \
	"b *:* m c *:* m c 10:200 rwm c 136:* rwm c 1:3 rwm c 1:5 r c 1:7 rwm c 1:8 rwm c 1:9 rwm c 5:0 rwm c 5:2 rwm " \
	"devices: deny all, the rules given, runc's defaults but /dev/zero's, which the config lists"
t_run R exec "$ID" sh -c 'head -c1 /dev/zero >/dev/null && echo read; echo >/dev/zero'
t_is "$OUT|$ERR" "read|sh: can't create /dev/zero: Operation not permitted" "/dev/zero can be read, not written"
t_run R exec --cap CAP_MKNOD "$ID" sh -c 'mknod /tmp/lc c 10 237 && exec 3</tmp/lc'
t_is "$ERR" "sh: can't open /tmp/lc: Operation not permitted" "a device outside the rules cannot be opened"
R delete --force "$ID"

# What this host cannot give is refused with runc's words.
start huge '{hugepageLimits: [{pageSize: "2MB", limit: 2097152}]}'
if [ -d /sys/fs/cgroup/hugetlb ]; then
	t_is "$RC|$(cg hugetlb hugetlb.2MB.limit_in_bytes)" "0|2097152" "hugepageLimits"
else
	t_is "$RC|$(rx_msg "$ERR")" \
		"1|runc run failed: unable to start container process: error setting cgroup config for procHooks process: cannot set hugetlb limit: container could not join or create cgroup" \
		"hugepageLimits without a hugetlb controller"
fi
R delete --force "$ID" 2>/dev/null
start net '{network: {classID: 1048577, priorities: [{name: "lo", priority: 5}]}}'
if [ -d /sys/fs/cgroup/net_cls ]; then
	t_is "$RC|$(cg net_cls net_cls.classid)" "0|1048577" "network.classID"
else
	t_like "$RC|$(rx_msg "$ERR")" "^1\\|.*cannot set net_cls limit: container could not join or create cgroup$" \
		"network without a net_cls controller"
fi
R delete --force "$ID" 2>/dev/null
start unified '{unified: {"memory.high": "1000000"}}'
t_is "$RC|$(rx_msg "$ERR")" "1|runc run failed: invalid configuration: cannot use unified on cgroup v1" \
	"unified on cgroup v1, refused before anything runs"
t_is "$(R list -q)" "" "nothing is left of the refused containers"
start badtype '{memory: {limit: "64m"}}'
t_is "$RC|$(rx_msg "$ERR")" \
	"1|runc run failed: json: cannot unmarshal string into Go struct field LinuxMemory.linux.resources.memory.limit of type int64" \
	"a value of the wrong type"
t_done
