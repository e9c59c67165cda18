#!/bin/bash
# The root filesystem: read-only root, mounts in order with their options,
# /dev, masked and read-only paths, and destinations that try to escape.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/lifecycle/lifecycle.sh"

run_sh() { # id 'shell code': runs it in the container, sets OUT/ERR/RC
	rx_set ".process.args = [\"sh\", \"-c\", $(jq -Rn --arg s "$2" '$s')]"
	t_run R run --bundle "$B" "$(rx_id "$1")"
}

run_sh ro 'touch /x 2>&1; echo rc=$?'
t_like "$OUT" 'Read-only file system' "root.readonly: the root cannot be written"
rx_reset
rx_set '.root.readonly = false'
run_sh rw 'touch /x && echo ok'
t_is "$OUT" ok "root.readonly false: it can"
rm -f "$B/rootfs/x"

rx_reset
rx_set '.linux.maskedPaths += ["/etc/passwd", "/root"] | .linux.readonlyPaths += ["/tmp"]'
mkdir -p "$B/rootfs/root" && echo secret >"$B/rootfs/root/secret"
run_sh masked 'cat /etc/passwd | wc -c; ls /root | wc -l; ls /proc/acpi 2>/dev/null | wc -l'
t_is "$(echo $OUT)" "0 0 0" "masked paths show nothing (a file reads empty, a directory is empty)"
rm -f "$B/rootfs/root/secret"
run_sh readonly '(echo 1 >/proc/sys/kernel/shmmax) 2>&1; (touch /tmp/x) 2>&1'
t_is "$(grep -c 'Read-only file system' <<<"$OUT")" 2 "read-only paths cannot be written"
rx_reset

run_sh mounts 'grep -E " (/proc|/dev|/dev/pts|/dev/shm|/dev/mqueue|/sys|/sys/fs/cgroup) " /proc/self/mounts | cut -d" " -f2,3 | tr "\n" " "'
t_is "$OUT" "/proc proc /dev tmpfs /dev/pts devpts /dev/shm tmpfs /dev/mqueue mqueue /sys sysfs /sys/fs/cgroup tmpfs " \
	"the default mounts, in order"
run_sh cgroupfs 'ls /sys/fs/cgroup | tr "\n" " "; cat /sys/fs/cgroup/pids/pids.max'
if [ -d /sys/fs/cgroup/pids ] && [ ! -e /sys/fs/cgroup/cgroup.controllers ]; then
	t_like "$OUT" 'memory .*pids' "/sys/fs/cgroup shows one directory per hierarchy"
fi

run_sh devices 'for d in null zero full random urandom tty; do stat -c "%A %t:%T" /dev/$d; done | tr "\n" ";"; for l in ptmx fd stdin stdout stderr; do readlink /dev/$l; done | tr "\n" " "'
t_like "$OUT" '^crw-rw-rw- 1:3;crw-rw-rw- 1:5;crw-rw-rw- 1:7;crw-rw-rw- 1:8;crw-rw-rw- 1:9;crw-rw-rw- 5:0;' "the default devices, mode 0666"
t_like "$OUT" 'pts/ptmx /proc/self/fd /proc/self/fd/0 /proc/self/fd/1 /proc/self/fd/2' "/dev symlinks"
run_sh null 'echo x >/dev/null && head -c 3 /dev/zero | wc -c'
t_is "$OUT" 3 "the devices work"

rx_set '.linux.devices = [{path: "/dev/rx/mydev", type: "c", major: 1, minor: 7, fileMode: 432, uid: 7, gid: 8}]'
run_sh linuxdev 'stat -c "%F %t,%T %a %u %g" /dev/rx/mydev'
t_is "$OUT" "character special file 1,7 660 7 8" "linux.devices"
rx_reset

mkdir -p "$T_TMP/src/sub" && echo content >"$T_TMP/src/file" && echo below >"$T_TMP/src/sub/f"
rx_set ".mounts += [{destination: \"/data\", type: \"bind\", source: \"$T_TMP/src\", options: [\"rbind\", \"ro\"]}]"
run_sh bindro 'cat /data/file; touch /data/new 2>&1'
t_like "$OUT" '^content' "a bind mount shows its source"
t_like "$OUT" 'Read-only file system' "ro makes it read-only"
rx_reset
rx_set ".mounts += [{destination: \"/data\", type: \"none\", source: \"$T_TMP/src\", options: [\"bind\", \"rw\", \"nosuid\", \"nodev\", \"noexec\"]}]"
run_sh bindrw 'touch /data/new && grep " /data " /proc/self/mounts'
t_like "$OUT" 'rw,nosuid,nodev,noexec' "bind with rw,nosuid,nodev,noexec"
t_ok "written through to the source" test -e "$T_TMP/src/new"
rx_reset
rx_set ".mounts += [{destination: \"/etc/hostfile\", type: \"bind\", source: \"$T_TMP/src/file\", options: [\"bind\", \"ro\"]}]"
run_sh bindfile 'cat /etc/hostfile'
t_is "$OUT" content "a file bound on a new file"
rx_reset

# rro: read-only all the way down, submounts included.
mkdir -p "$T_TMP/rsrc/sub"
mount -t tmpfs rx-sub "$T_TMP/rsrc/sub" && t_cleanup "umount '$T_TMP/rsrc/sub'"
rx_set ".mounts += [{destination: \"/r\", type: \"bind\", source: \"$T_TMP/rsrc\", options: [\"rbind\", \"rro\"]}]"
run_sh rro '(touch /r/x) 2>&1; (touch /r/sub/x) 2>&1'
t_is "$(grep -c 'Read-only file system' <<<"$OUT")" 2 "rro: the mount and its submounts are read-only"
rx_reset
rx_set ".mounts += [{destination: \"/r\", type: \"bind\", source: \"$T_TMP/rsrc\", options: [\"rbind\", \"ro\"]}]"
run_sh ro-top '(touch /r/x) 2>&1; touch /r/sub/x && echo sub-writable'
t_like "$OUT" 'Read-only file system' "ro: the mount itself is read-only"
t_like "$OUT" 'sub-writable' "but not its submounts (as runc)"
rx_reset

rx_set '.mounts += [{destination: "/tmp", type: "tmpfs", source: "tmpfs", options: ["nosuid", "size=1m", "mode=750"]}]'
run_sh tmpfs 'grep " /tmp " /proc/self/mounts'
t_like "$OUT" 'tmpfs /tmp tmpfs rw,nosuid,.*size=1024k.*mode=750' "tmpfs with its data options"
mkdir -p "$B/rootfs/seed/d" && echo seeded >"$B/rootfs/seed/d/f" && chmod 0750 "$B/rootfs/seed/d"
rx_set '.mounts += [{destination: "/seed", type: "tmpfs", source: "tmpfs", options: ["tmpcopyup"]}]'
run_sh tmpcopyup 'cat /seed/d/f; stat -c %a /seed/d; grep -c " /seed tmpfs" /proc/self/mounts'
t_is "$(echo $OUT)" "seeded 750 1" "tmpcopyup copies what was under the tmpfs"
rm -rf "$B/rootfs/seed"
rx_reset

# A tmpfs takes its mode= only where the runtime makes the mountpoint; over
# a directory that exists it keeps that directory's mode, with or without
# tmpcopyup (as runc).
mkdir -p "$B/rootfs/had" && chmod 0750 "$B/rootfs/had"
rx_set '.mounts += [{destination: "/new", type: "tmpfs", source: "tmpfs", options: ["mode=1770"]},
	{destination: "/newcp", type: "tmpfs", source: "tmpfs", options: ["mode=1770", "tmpcopyup"]},
	{destination: "/had", type: "tmpfs", source: "tmpfs", options: ["mode=1770"]}]'
run_sh tmpfs-mode 'stat -c "%a %n" /new /newcp /had'
t_is "$(echo $OUT)" "1770 /new 1770 /newcp 750 /had" "tmpfs mode: mode= on a new mountpoint, the old mode on an existing one"
rm -rf "$B/rootfs/had" "$B/rootfs/new" "$B/rootfs/newcp"
rx_reset

# Destinations that lead outside the rootfs through symlinks stay inside.
ln -s / "$B/rootfs/escape"
ln -s ../../../../../../tmp "$B/rootfs/escape2"
rx_set '.mounts += [{destination: "/escape/rx-escaped", type: "tmpfs", source: "tmpfs", options: []},
	{destination: "/escape2/rx-escaped", type: "tmpfs", source: "tmpfs", options: []}]'
run_sh escape 'grep -c rx-escaped /proc/self/mounts'
t_is "$RC|$OUT" "0|2" "symlinked destinations are mounted"
t_fails "not on the host's /" test -e /rx-escaped
t_fails "nor the host's /tmp" test -e /tmp/rx-escaped
t_ok "but inside the rootfs" test -d "$B/rootfs/rx-escaped" -a -d "$B/rootfs/tmp/rx-escaped"
rm -rf "$B/rootfs/escape" "$B/rootfs/escape2" "$B/rootfs/rx-escaped" "$B/rootfs/tmp/rx-escaped"
rx_reset

rx_set '.linux.rootfsPropagation = "rprivate"'
run_sh propagation 'awk "\$5 == \"/\"" /proc/self/mountinfo | grep -c shared'
t_is "$OUT" 0 "rootfsPropagation rprivate: / is not shared"
rx_reset
rx_set '.linux.rootfsPropagation = "shared"'
run_sh shared 'awk "\$5 == \"/\"" /proc/self/mountinfo | grep -c shared:'
t_is "$OUT" 1 "rootfsPropagation shared: / is shared"
rx_reset

run_sh nopivot 'cat /proc/self/mountinfo | wc -l'
rx_set '.process.args = ["sh", "-c", "ls / | wc -l"]'
t_run R run --no-pivot --bundle "$B" "$(rx_id nopivot2)"
t_is "$RC|$OUT" "0|$(ls "$B/rootfs" | wc -l)" "--no-pivot: the rootfs is /"
rx_reset

rx_set '.process.args = ["sh", "-c", "echo $(hostname) $(cat /proc/sys/kernel/domainname) $(cat /proc/sys/kernel/msgmax)"] |
	.hostname = "h1" | .domainname = "d1" | .linux.sysctl = {"kernel.msgmax": "12345"}'
t_run R run --bundle "$B" "$(rx_id sysctl)"
t_is "$OUT" "h1 d1 12345" "hostname, domainname and sysctl"
t_is "$(cat /proc/sys/kernel/msgmax)" "$(cat /proc/sys/kernel/msgmax)" "the host's sysctl is untouched"
t_is "$(grep -c "$B/rootfs" /proc/self/mountinfo)" 0 "nothing stays mounted on the host"
t_done
