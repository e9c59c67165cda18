#!/bin/bash
# The container's cgroup: made from linux.cgroupsPath in every hierarchy,
# the init in it, memory/pids/cpu limits applied, removed by delete.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/lifecycle/lifecycle.sh"

PARENT=mockrunc-lc-${T_TMP##*.}
t_cleanup "find /sys/fs/cgroup -depth -type d -name '$PARENT*' -exec rmdir {} +"
if [ -e /sys/fs/cgroup/cgroup.controllers ]; then
	V2=1 MEM=/sys/fs/cgroup PIDS=/sys/fs/cgroup CPU=/sys/fs/cgroup
else
	V2=0 MEM=/sys/fs/cgroup/memory PIDS=/sys/fs/cgroup/pids CPU=/sys/fs/cgroup/cpu
fi

ID=$(rx_id cg)
rx_set ".linux.cgroupsPath = \"/$PARENT/$ID\" | .process.args = [\"sleep\", \"300\"] |
	.linux.resources += {memory: {limit: 67108864}, pids: {limit: 99}, cpu: {shares: 512}}"
t_run R run -d --pid-file "$T_TMP/cg.pid" --bundle "$B" "$ID"
pid=$(cat "$T_TMP/cg.pid")
t_is "$RC" 0 "a container with limits"
t_ok "the init is in the cgroup" grep -q "$PARENT/$ID\$" "/proc/$pid/cgroup"
if [ "$V2" = 1 ]; then
	t_is "$(cat "$MEM/$PARENT/$ID/memory.max")" 67108864 "memory.limit"
	t_is "$(cat "$CPU/$PARENT/$ID/cpu.weight")" 20 "cpu.shares as cpu.weight"
else
	t_is "$(cat "$MEM/$PARENT/$ID/memory.limit_in_bytes")" 67108864 "memory.limit"
	t_is "$(cat "$CPU/$PARENT/$ID/cpu.shares")" 512 "cpu.shares"
	hierarchies=$(grep -c "$PARENT/$ID\$" "/proc/$pid/cgroup")
	t_is "$hierarchies" "$(grep -c . /proc/self/cgroup)" "in every hierarchy, named and unified included"
fi
t_is "$(cat "$PIDS/$PARENT/$ID/pids.max")" 99 "pids.limit"
t_run R delete --force "$ID"
t_fails "delete removes the cgroup" test -d "$MEM/$PARENT/$ID"

# pids.limit is enforced.
ID=$(rx_id pids)
rx_reset
rx_set ".linux.cgroupsPath = \"/$PARENT/$ID\" | .linux.resources.pids.limit = 3 |
	.process.args = [\"sh\", \"-c\", \"for i in 1 2 3 4 5; do sleep 10 & done 2>&1 | grep -c -i -e resource -e fork\"]"
t_run R run --bundle "$B" "$ID"
t_like "$OUT$ERR" '[1-9]|fork|resource' "pids.limit stops forks past the limit"

# A relative path is taken below the runtime's own cgroup.
ID=$(rx_id rel)
ctl=memory
[ "$V2" = 1 ] && ctl=
own=$(awk -F: -v c="$ctl" '$2 == c {print $3; exit}' /proc/self/cgroup)
rx_reset
rx_set ".linux.cgroupsPath = \"$PARENT-rel/$ID\" | .process.args = [\"sleep\", \"300\"]"
R run -d --pid-file "$T_TMP/rel.pid" --bundle "$B" "$ID"
t_is "$(awk -F: -v c="$ctl" '$2 == c {print $3}' "/proc/$(cat "$T_TMP/rel.pid")/cgroup")" "${own%/}/$PARENT-rel/$ID" \
	"a relative cgroupsPath"
R delete --force "$ID"

# --systemd-cgroup: slice:prefix:name, laid out as systemd would (each
# dash of a slice name is a level).
ID=$(rx_id sd)
SD=rxsd${T_TMP##*.}
t_cleanup "find /sys/fs/cgroup -depth -type d -name '$SD*' -exec rmdir {} +"
rx_set ".linux.cgroupsPath = \"$SD-a.slice:rx:$ID\""
"$T_BIN/mockrunc" --root "$ROOT" --systemd-cgroup run -d --pid-file "$T_TMP/sd.pid" --bundle "$B" "$ID"
t_like "$(grep -m1 "$ID" "/proc/$(cat "$T_TMP/sd.pid")/cgroup")" ":/$SD.slice/$SD-a.slice/rx-$ID.scope\$" \
	"--systemd-cgroup: slice:prefix:name"
R delete --force "$ID"
# Pure cgroup v2, in a mount namespace of the test's own where
# /sys/fs/cgroup is the cgroup2 filesystem alone.
if [ "$V2" = 0 ] && command -v unshare >/dev/null; then
	ID=$(rx_id v2)
	rx_reset
	rx_set ".linux.cgroupsPath = \"/$PARENT-v2/$ID\" |
		.process.args = [\"sh\", \"-c\", \"grep ^0:: /proc/self/cgroup; grep -c \\\" /sys/fs/cgroup cgroup2 \\\" /proc/self/mounts\"]"
	t_run unshare -m sh -c 'umount -R /sys/fs/cgroup && mount -t cgroup2 none /sys/fs/cgroup &&
		"$0" --root "$1" run --bundle "$2" "$3" && test ! -e "/sys/fs/cgroup/$4/$3" && rmdir "/sys/fs/cgroup/$4"' \
		"$T_BIN/mockrunc" "$ROOT" "$B" "$ID" "$PARENT-v2"
	t_is "$RC|$(echo $OUT)" "0|0::/$PARENT-v2/$ID 1" "pure cgroup v2: the cgroup made, joined, mounted and removed"
fi
t_done
