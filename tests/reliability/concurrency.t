#!/bin/bash
# 64 containers at once, through the built-in core directly and through
# docker: every operation succeeds, every call is recorded exactly once,
# and nothing is left behind — no state directory, cgroup, mount or process.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/lib/bundle.sh"
. "$T_TOP/tests/lib/image.sh"
. "$T_TOP/tests/lib/engines.sh"
t_need busybox jq sqlite3

N=${CONCURRENCY:-64}
M=$T_BIN/mockrunc
ROOT=$T_TMP/state
CG=mockrunc-conc-${T_TMP##*.}
q() { sqlite3 "$MOCKRUNC_DB" "$1"; }
t_cleanup "for id in \$('$M' --root '$ROOT' list -q 2>/dev/null); do '$M' --root '$ROOT' delete --force \"\$id\"; done"
t_cleanup "find /sys/fs/cgroup/*/$CG -depth -type d -exec rmdir {} + 2>/dev/null"

# One shared rootfs, one small bundle per container (its own cgroup).
t_bundle "$T_TMP/base"
for i in $(seq 1 $N); do
	mkdir -p "$T_TMP/b$i"
	jq --arg r "$T_TMP/base/rootfs" --arg cg "/$CG/c$i" \
		'.root.path = $r | .linux.cgroupsPath = $cg | .process.args = ["sleep", "30"]' \
		"$T_TMP/base/config.json" >"$T_TMP/b$i/config.json"
done

# run OP: the operation on all N containers at once; prints the failures.
all_at_once() {
	local op=$1 i pids=() failed=0
	for i in $(seq 1 $N); do
		case $op in
		create) "$M" --root "$ROOT" create --bundle "$T_TMP/b$i" "c$i" </dev/null >/dev/null 2>"$T_TMP/err.$i" & ;;
		start) "$M" --root "$ROOT" start "c$i" </dev/null >/dev/null 2>"$T_TMP/err.$i" & ;;
		kill) "$M" --root "$ROOT" kill "c$i" KILL </dev/null >/dev/null 2>"$T_TMP/err.$i" & ;;
		delete) "$M" --root "$ROOT" delete --force "c$i" </dev/null >/dev/null 2>"$T_TMP/err.$i" & ;;
		esac
		pids+=($!)
	done
	for i in "${!pids[@]}"; do
		wait "${pids[$i]}" || { failed=$((failed + 1)); t_diag "$op c$((i + 1)): $(cat "$T_TMP/err.$((i + 1))")"; }
	done
	echo "$failed"
}

start_ns=$(date +%s%N)
t_is "$(all_at_once create)" 0 "$N creates at once all succeed"
t_is "$(all_at_once start)" 0 "$N starts at once all succeed"
t_is "$("$M" --root "$ROOT" list --format json | jq '[.[] | select(.status == "running")] | length')" "$N" \
	"all $N containers run"
t_is "$(all_at_once kill)" 0 "$N kills at once all succeed"
t_is "$(all_at_once delete)" 0 "$N deletes at once all succeed"
elapsed=$(( ($(date +%s%N) - start_ns) / 1000000 ))
t_diag "$N containers created, started, killed and deleted in ${elapsed} ms"

for cmd in create start kill delete; do
	t_is "$(q "SELECT count(*) FROM invocations WHERE command = '$cmd' AND container_id GLOB 'c[0-9]*'
		AND exit_code = 0")" "$N" "exactly $N successful '$cmd' records"
done
t_is "$(q "SELECT count(*) FROM invocations WHERE command = 'create' AND container_id GLOB 'c[0-9]*' AND config_blob IS NULL")" 0 \
	"every create has its config.json"
t_is "$(ls "$ROOT" 2>/dev/null | grep -v '^\.' | wc -l)" 0 "no state directory is left"
t_is "$(find /sys/fs/cgroup/*/"$CG" -mindepth 1 -type d 2>/dev/null | wc -l)" 0 "no cgroup is left"
t_is "$(grep -c -- "$T_TMP" /proc/self/mountinfo)" 0 "no mount is left"
left=0
for p in /proc/[0-9]*; do
	case $(readlink "$p/root" 2>/dev/null) in "$T_TMP/base/rootfs"*) left=$((left + 1)) ;; esac
done
t_is "$left" 0 "no container process is left"

# The same through docker.
if command -v dockerd >/dev/null && command -v docker >/dev/null; then
	t_dockerd_start mockrunc="$M" || t_done
	t_ok "busybox image loaded" t_engine_image mr-busybox
	before=$(q "SELECT count(*) FROM invocations WHERE command = 'create'")
	last=$(q "SELECT max(id) FROM invocations")
	pids=()
	for i in $(seq 1 $N); do
		docker run -d --runtime mockrunc --network none --name "d$i" mr-busybox sleep 60 >/dev/null 2>"$T_TMP/derr.$i" &
		pids+=($!)
	done
	failed=0
	for i in "${!pids[@]}"; do wait "${pids[$i]}" || { failed=$((failed + 1)); t_diag "$(cat "$T_TMP/derr.$((i + 1))")"; }; done
	t_is "$failed" 0 "$N docker runs at once all succeed"
	t_is "$(docker ps -q | wc -l)" "$N" "all $N run"
	t_is "$(q "SELECT count(*) FROM invocations WHERE command = 'create'") " "$((before + N)) " "exactly $N creates recorded"
	docker ps -aq | xargs -r docker rm -f >/dev/null
	t_is "$(docker ps -aq | wc -l)" 0 "docker rm -f removes them all"
	t_is "$(q "SELECT count(*) FROM invocations WHERE command = 'start' AND container_id IN
		(SELECT container_id FROM invocations WHERE command = 'create' AND id > $last)")" "$N" "exactly $N starts recorded"
	t_is "$(q "SELECT count(*) FROM invocations WHERE exit_code IS NULL")" 0 "every call has its outcome"
	t_is "$(ls "$T_TMP/dockerd/x/runtime-runc/moby" 2>/dev/null | wc -l)" 0 "no state directory is left under docker's root"
	t_is "$(find /sys/fs/cgroup/*/"$T_CGROUP_PARENT" -mindepth 1 -type d 2>/dev/null | wc -l)" 0 "no container cgroup is left"
fi

t_done
