#!/bin/bash
# The running-container commands on pure cgroup v2 (on a hybrid host: in a
# mount namespace of the test's own where /sys/fs/cgroup is the cgroup2
# filesystem alone, which then holds no controller but its core):
# pause/resume through cgroup.freeze, exec joining the cgroup, ps, and the
# device rules as an eBPF program.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/lifecycle/lifecycle.sh"

command -v unshare >/dev/null || t_skip_all "unshare is not installed"
PARENT=mockrunc-v2-${T_TMP##*.}
ID=$(rx_id v2)
if [ -e /sys/fs/cgroup/cgroup.controllers ]; then
	CG=/sys/fs/cgroup MOUNT=:
else
	CG=/sys/fs/cgroup/unified MOUNT='umount -R /sys/fs/cgroup && mount -t cgroup2 none /sys/fs/cgroup'
	[ -d "$CG" ] || t_skip_all "no cgroup2 filesystem"
fi
t_cleanup "find $CG -depth -type d -name '$PARENT*' -exec rmdir {} +"
rx_set ".root.readonly = false | .linux.cgroupsPath = \"/$PARENT/$ID\" | .process.args = [\"sleep\", \"300\"]"

# Everything runs in one private mount namespace; each step prints one line.
cat >"$T_TMP/v2.sh" <<'SH'
M=$1 ROOT=$2 B=$3 ID=$4 CGDIR=/sys/fs/cgroup/$5
R() { "$M" --root "$ROOT" "$@"; }
status() { R state "$ID" | jq -r .status; }
R run -d --bundle "$B" "$ID" </dev/null >/dev/null 2>&1; echo "run $?"
R pause "$ID"; echo "pause $? $(status)"
echo "freeze $(cat "$CGDIR/$ID/cgroup.freeze")"
R resume "$ID"; echo "resume $? $(status)"
echo "exec $(R exec "$ID" grep ^0:: /proc/self/cgroup)"
echo "ps $(R ps --format json "$ID" | jq length)"
echo "zero $(R exec "$ID" sh -c 'head -c1 /dev/zero | wc -c')"
echo "mknod $(R exec --cap CAP_MKNOD "$ID" sh -c 'mknod /tmp/lc c 10 237 && exec 3</tmp/lc' 2>&1)"
R delete --force "$ID"; echo "delete $? $(test -d "$CGDIR/$ID" && echo left)"
rmdir "$CGDIR"
SH
t_run unshare -m sh -c "$MOUNT"' && exec sh "$@"' sh "$T_TMP/v2.sh" "$T_BIN/mockrunc" "$ROOT" "$B" "$ID" "$PARENT"
step() { sed -n "s/^$1 //p" <<<"$OUT"; }
t_is "$(step run)" 0 "run -d with a cgroup v2 path"
t_is "$(step pause)" '0 paused' "pause: the container is paused"
t_is "$(step freeze)" 1 "through cgroup.freeze"
t_is "$(step resume)" '0 running' "resume"
t_is "$(step exec)" "0::/$PARENT/$ID" "exec joins the container's cgroup"
t_is "$(step ps)" 1 "ps lists the init"
t_is "$(step zero)" 1 "a device runc allows by default can be read"
t_is "$(step mknod)" "sh: can't open /tmp/lc: Operation not permitted" "the eBPF device program refuses another"
t_is "$(step delete)" "0 " "delete removes the cgroup"
t_done
