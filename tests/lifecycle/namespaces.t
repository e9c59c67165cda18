#!/bin/bash
# Namespaces: created, joined by path, the user namespace with its id
# mappings, the time namespace with its offsets, the cgroup namespace.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/lifecycle/lifecycle.sh"

run_sh() { # id 'shell code'
	rx_set ".process.args = [\"sh\", \"-c\", $(jq -Rn --arg s "$2" '$s')]"
	t_run R run --bundle "$B" "$(rx_id "$1")"
}
ns_of() { readlink "/proc/$1/ns/$2"; }

run_sh new 'for n in pid net ipc uts mnt; do readlink /proc/self/ns/$n; done | tr "\n" " "'
host=$(for n in pid net ipc uts mnt; do ns_of self $n; done | tr '\n' ' ')
same=0
for i in 1 2 3 4 5; do
	[ "$(echo "$OUT" | cut -d' ' -f$i)" = "$(echo "$host" | cut -d' ' -f$i)" ] && same=$((same + 1))
done
t_is "$RC|$same" "0|0" "pid, network, ipc, uts and mount namespaces are new"

rx_reset
rx_set '.linux.namespaces -= [{type: "network"}]'
run_sh hostnet 'readlink /proc/self/ns/net'
t_is "$OUT" "$(ns_of self net)" "without a network entry, the host's network namespace"

# Joining by path: a network namespace held by a bind mount, as CRI-O's
# pinns and docker's sandboxes do.
NS=rx-test-${T_TMP##*.}
if ip netns add "$NS" 2>/dev/null; then
	t_cleanup "ip netns delete $NS"
	rx_reset
	rx_set ".linux.namespaces = [.linux.namespaces[] | if .type == \"network\" then .path = \"/run/netns/$NS\" else . end]"
	run_sh joinnet 'readlink /proc/self/ns/net'
	t_is "$OUT" "net:[$(stat -L -c %i "/run/netns/$NS")]" "a network namespace joined by path"
fi

# An ipc namespace joined by path: another container's.
rx_reset
rx_set '.process.args = ["sleep", "300"]'
R run -d --pid-file "$T_TMP/holder.pid" --bundle "$B" "$(rx_id holder)"
holder=$(cat "$T_TMP/holder.pid")
rx_set ".linux.namespaces = [.linux.namespaces[] | if .type == \"ipc\" or .type == \"uts\" then .path = \"/proc/$holder/ns/\" + .type else . end] | .hostname = \"\""
run_sh joinipc 'readlink /proc/self/ns/ipc; readlink /proc/self/ns/uts'
t_is "$(echo $OUT)" "$(ns_of "$holder" ipc) $(ns_of "$holder" uts)" "ipc and uts namespaces joined by path"
R delete --force "$(rx_id holder)"

# The mapped root must be able to reach the rootfs, as with runc.
chmod 0755 "$T_TMP" "$B"
rx_reset
rx_set '.linux.namespaces += [{type: "user"}] |
	.linux.uidMappings = [{containerID: 0, hostID: 200000, size: 65536}] |
	.linux.gidMappings = [{containerID: 0, hostID: 200000, size: 65536}] |
	.process.user = {uid: 1000, gid: 1000}'
rx_set '.process.args = ["sh", "-c", "cat /proc/self/uid_map /proc/self/gid_map | tr -s \" \" | tr \"\\n\" \";\"; id -u; echo x >/dev/null && echo devices-ok"]'
R run -d --pid-file "$T_TMP/userns.pid" --bundle "$B" "$(rx_id userns-d)" >/dev/null
t_like "$(awk '/^Uid:/ {print $2}' /proc/"$(cat "$T_TMP/userns.pid")"/status 2>/dev/null)" '^201000$' \
	"a user namespace: container uid 1000 is host uid 201000"
R delete --force "$(rx_id userns-d)"
t_run R run --bundle "$B" "$(rx_id userns)"
t_is "$(echo $OUT)" "0 200000 65536; 0 200000 65536;1000 devices-ok" "uid and gid mappings as configured; devices work"

rx_reset
rx_set '.linux.namespaces += [{type: "time"}] | .linux.timeOffsets = {boottime: {secs: 864000, nanosecs: 0}}'
run_sh time 'cut -d. -f1 /proc/uptime'
host_up=$(cut -d. -f1 /proc/uptime)
t_ok "a time namespace with a boottime offset (uptime $OUT vs $host_up)" test "$OUT" -ge $((host_up + 864000 - 5))

rx_reset
rx_set '.linux.namespaces += [{type: "cgroup"}]'
run_sh cgroupns 'grep -v "^0::" /proc/self/cgroup | cut -d: -f3 | sort -u'
t_is "$OUT" "/" "a cgroup namespace: the container's cgroup is its root"
t_done
