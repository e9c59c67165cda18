#!/bin/bash
# docker on mockrunc's own execution core: its security settings and
# resource limits are enforced, shown by what a container can and cannot
# do, not by what the config said.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/lib/bundle.sh"
. "$T_TOP/tests/lib/image.sh"
. "$T_TOP/tests/lib/engines.sh"
. "$T_TOP/tests/engines/realexec-lib.sh"
t_need dockerd docker busybox jq

t_no_other_runtime
t_runtime_wrapper "$T_TMP/rt/mockrunc" --mock-backend=realexec --mock-db="$T_TMP/docker.db"
t_dockerd_start mockrunc="$T_TMP/rt/mockrunc" || t_done
t_ok "busybox image loaded" t_engine_image mr-busybox
D() { docker "$@"; }
R=(run --rm --runtime mockrunc --network none)
status() { D "${R[@]}" "$@" mr-busybox sh -c 'grep -E "^(CapEff|CapBnd|NoNewPrivs):" /proc/self/status | tr -s "\t" " " | tr "\n" ";"'; }

# Capabilities.
t_is "$(status --cap-drop ALL)" "CapEff: 0000000000000000;CapBnd: 0000000000000000;NoNewPrivs: 0;" \
	"--cap-drop ALL: no capability left, bounding set included"
t_is "$(status --cap-add SYS_TIME --cap-add NET_ADMIN)" \
	"CapEff: 00000000aa0435fb;CapBnd: 00000000aa0435fb;NoNewPrivs: 0;" "--cap-add SYS_TIME --cap-add NET_ADMIN"
t_run D "${R[@]}" --cap-drop ALL mr-busybox sh -c 'chown 65534 /tmp'
t_like "$RC|$ERR" '^1\|.*Operation not permitted' "without CAP_CHOWN, root cannot chown"
t_run D "${R[@]}" --cap-drop CHOWN mr-busybox sh -c 'touch /tmp/x; chown 65534 /tmp/x'
t_is "$RC" 1 "--cap-drop CHOWN alone takes that right away"
t_run D "${R[@]}" mr-busybox sh -c 'touch /tmp/x; chown 65534 /tmp/x'
t_is "$RC" 0 "which the default set grants"

t_is "$(status --security-opt no-new-privileges)" \
	"CapEff: 00000000a80425fb;CapBnd: 00000000a80425fb;NoNewPrivs: 1;" "--security-opt no-new-privileges"

# docker's default seccomp profile: unshare(2) is only allowed with
# CAP_SYS_ADMIN there, while the kernel itself lets anyone make a user
# namespace; so the profile alone refuses it, and unconfined allows it.
t_run D "${R[@]}" mr-busybox unshare -U true
t_like "$RC|$ERR" '^1\|unshare: unshare\(0x10000000\): Operation not permitted' \
	"the default seccomp profile blocks unshare(CLONE_NEWUSER)"
t_run D "${R[@]}" --security-opt seccomp=unconfined mr-busybox unshare -U true
t_is "$RC|$ERR" "0|" "--security-opt seccomp=unconfined lets it through"
# A profile of the user's own.
jq -n '{defaultAction: "SCMP_ACT_ALLOW", syscalls: [{names: ["mkdir", "mkdirat", "nosuchsyscall"],
	action: "SCMP_ACT_ERRNO", errnoRet: 13}]}' >"$T_TMP/profile.json"
t_run D "${R[@]}" --security-opt seccomp="$T_TMP/profile.json" mr-busybox sh -c 'mkdir /tmp/d; touch /tmp/f && echo touched'
t_is "$OUT|$ERR" "touched|mkdir: can't create directory '/tmp/d': Permission denied" \
	"a custom profile: mkdir gets its errnoRet, the rest is allowed, unknown names are skipped"

# Memory: an allocation past --memory is killed by the OOM killer.
t_run D run --name rx-oom --runtime mockrunc --network none --memory 32m mr-busybox tail /dev/zero
t_is "$RC" 137 "--memory 32m: allocating past it is OOM-killed (exit 137)"
t_is "$(D inspect -f '{{.State.OOMKilled}}' rx-oom)" true "docker saw the OOM kill"
D rm rx-oom >/dev/null

t_run D "${R[@]}" --memory 64m --memory-reservation 16m --memory-swappiness 0 --oom-kill-disable mr-busybox \
	sh -c 'cd /sys/fs/cgroup/memory; echo $(cat memory.soft_limit_in_bytes memory.swappiness) $(grep oom_kill_disable memory.oom_control)'
t_is "$OUT" "16777216 0 oom_kill_disable 1" "--memory-reservation --memory-swappiness --oom-kill-disable"
if [ -b /dev/vda ]; then
	t_run D "${R[@]}" --device-read-bps /dev/vda:1mb mr-busybox cat /sys/fs/cgroup/blkio/blkio.throttle.read_bps_device
	t_is "$OUT" "$(printf '%d:%d' "0x$(stat -c %t /dev/vda)" "0x$(stat -c %T /dev/vda)") 1048576" "--device-read-bps"
fi

# pids: fork fails past --pids-limit.
t_run D "${R[@]}" --pids-limit 5 mr-busybox sh -c 'for i in 1 2 3 4 5 6 7; do sleep 2 & done; wait'
t_like "$RC|$ERR" "^2\|.*can't fork: Resource temporarily unavailable" "--pids-limit 5: the sixth process cannot be forked"

# CPU.
t_run D "${R[@]}" --cpus 0.5 --cpu-shares 512 mr-busybox \
	sh -c 'cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/cpu/cpu.cfs_period_us /sys/fs/cgroup/cpu/cpu.shares | tr "\n" " "'
t_is "$OUT" "50000 100000 512 " "--cpus 0.5 --cpu-shares 512: the CFS quota, period and shares"
t_run D "${R[@]}" --cpuset-cpus 0 mr-busybox cat /sys/fs/cgroup/cpuset/cpuset.cpus
t_is "$OUT" 0 "--cpuset-cpus 0"

# Limits, devices, sysctls.
t_run D "${R[@]}" --ulimit nofile=512:1024 mr-busybox sh -c 'echo $(ulimit -n) $(ulimit -Hn)'
t_is "$OUT" "512 1024" "--ulimit nofile=512:1024"
t_run D "${R[@]}" --device /dev/zero:/dev/myzero mr-busybox \
	sh -c 'stat -c "%F %t:%T" /dev/myzero; head -c 3 /dev/myzero | od -An -c | tr -s " "'
t_is "$OUT" "character special file 1:5
 \\0 \\0 \\0" "--device: the node is there and readable"
t_run D "${R[@]}" mr-busybox sh -c 'mknod /tmp/lc c 10 237 && exec 3</tmp/lc'
t_is "$RC|$ERR" "1|sh: can't open /tmp/lc: Operation not permitted" \
	"the devices cgroup refuses a device the container was not given (loop-control)"
t_run D "${R[@]}" --device /dev/loop-control mr-busybox sh -c 'exec 3</dev/loop-control && echo opened'
t_is "$RC|$OUT" "0|opened" "which --device grants"
t_run D "${R[@]}" --device-cgroup-rule 'c 10:237 r' mr-busybox sh -c 'mknod /tmp/lc c 10 237 && exec 3</tmp/lc && echo opened'
t_is "$RC|$OUT" "0|opened" "and so does --device-cgroup-rule"
t_run D "${R[@]}" --sysctl net.ipv4.ip_forward=1 mr-busybox cat /proc/sys/net/ipv4/ip_forward
t_is "$OUT" 1 "--sysctl net.ipv4.ip_forward=1"
t_run D "${R[@]}" --read-only mr-busybox touch /x
t_like "$RC|$ERR" "^1\|.*Read-only file system" "--read-only"
t_run D "${R[@]}" --user 65534:65534 mr-busybox sh -c 'id -u; id -g; grep CapEff /proc/self/status | tr -s "\t" " "'
t_is "$OUT" "65534
65534
CapEff: 0000000000000000" "--user: a non-root user keeps no effective capability"
t_is "$(t_other_runtime_calls)" "" "no other runtime was called"
t_done
