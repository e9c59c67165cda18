#!/bin/bash
# podman with mockrunc in front of runc: the same workload through plain runc
# and through mockrunc gives the same output and exit codes, and the
# database holds every call podman and conmon made.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/lib/bundle.sh"
. "$T_TOP/tests/lib/image.sh"
. "$T_TOP/tests/lib/engines.sh"
t_need podman conmon runc busybox jq sqlite3

DB=$T_TMP/podman.db
# Named "runc" so podman treats it as runc (it then passes a JSON --log).
t_runtime_wrapper "$T_TMP/rt/runc" --mock-db="$DB" --mock-backend=/usr/sbin/runc --mock-session=podman-e2e
t_podman_setup
T_PODMAN_RUNTIME=/usr/sbin/runc
t_ok "busybox image loaded" t_engine_image mr-busybox

# podman cannot raise RLIMIT_NOFILE to its default here (no CAP_SYS_RESOURCE).
RUN=(run --network none --ulimit nofile=20000:20000 --ulimit nproc=1000:1000 --cgroup-parent "/$T_CGROUP_PARENT")
workload() {
	local c=wl
	t_step run t_podman "${RUN[@]}" --rm mr-busybox echo hi
	t_step exit-code t_podman "${RUN[@]}" --rm mr-busybox sh -c 'exit 3'
	t_step missing t_podman "${RUN[@]}" --rm mr-busybox /no/such/program
	t_step tty t_podman "${RUN[@]}" --rm -t mr-busybox tty
	t_step detach t_podman "${RUN[@]}" -d --name "$c" mr-busybox sh -c 'trap "exit 10" USR1; while :; do sleep 1; done'
	t_step exec t_podman exec "$c" echo inside
	t_step exec-tty t_podman exec -t "$c" tty
	t_step exec-status t_podman exec "$c" sh -c 'exit 5'
	t_step pause t_podman pause "$c"
	t_step paused t_podman inspect -f '{{.State.Status}}' "$c"
	t_step unpause t_podman unpause "$c"
	t_step update t_podman update --memory 64m "$c"
	t_step limit t_podman exec "$c" cat /sys/fs/cgroup/memory/memory.limit_in_bytes
	t_step kill-usr1 t_podman kill -s USR1 "$c"
	t_step killed-status t_podman wait "$c"
	t_step rm t_podman rm "$c"
	t_step run-stop t_podman "${RUN[@]}" -d --name "$c-s" mr-busybox sleep 300
	t_step stop t_podman stop -t 1 "$c-s"
	t_step stopped-status t_podman inspect -f '{{.State.ExitCode}}' "$c-s"
	t_step rm-stopped t_podman rm "$c-s"
	t_step run-rmf t_podman "${RUN[@]}" -d --name "$c-f" mr-busybox sleep 300
	t_step rm-f t_podman rm -f -t 1 "$c-f"
}

normalise() { sed -E 's/[0-9a-f]{64}/ID/g; s/time="[^"]*"/time=T/g; s#(/usr/sbin/runc|'"$T_TMP"'/rt/runc):#RUNTIME:#g'; }
want=$(workload | normalise)
T_PODMAN_RUNTIME=$T_TMP/rt/runc
got=$(workload | normalise)
t_same_steps "$want" "$got" podman
t_like "$(grep '^run|' <<<"$got")" '^run\|0\|hi' "podman run prints hi"
t_like "$(grep '^missing|' <<<"$got")" '^missing\|127\|' "a missing program exits 127"
t_like "$(grep '^limit|' <<<"$got")" '^limit\|0\|67108864' "podman update set the memory limit"

q() { sqlite3 "$DB" "$1"; }
t_is "$(q "SELECT count(*) FROM invocations WHERE exit_code IS NULL")" 0 "every call has its outcome"
t_is "$(q "SELECT label FROM sessions")" "podman-e2e" "the session carries the label"
for cmd in create start exec pause resume update kill delete; do
	t_ok "podman's '$cmd' calls are recorded" test "$(q "SELECT count(*) FROM invocations WHERE command = '$cmd'")" -gt 0
done
t_is "$(q "SELECT count(*) FROM invocations WHERE command = 'create' AND config_blob IS NULL")" 0 \
	"every create has its config.json"
t_ok "conmon passes a JSON --log to a runtime named runc" \
	test "$(q "SELECT count(*) FROM invocations WHERE command = 'create' AND json_extract(global_flags, '$.\"log-format\"') = 'json'")" -gt 0
t_ok "podman calls the runtime directly without --root" \
	test "$(q "SELECT count(*) FROM invocations WHERE command IN ('start', 'kill', 'delete') AND json_extract(global_flags, '$.root') IS NULL")" -gt 0
t_is "$(q "SELECT count(*) FROM invocations WHERE command = 'update' AND json_extract(flags, '$.resources') LIKE '/%' AND resources_blob IS NOT NULL")" 1 \
	"podman update passes a resources file, and it is recorded"
t_ok "podman's delete --force is recorded" test "$(q "SELECT count(*) FROM invocations WHERE command = 'delete' AND json_extract(flags, '$.force') = 'true'")" -gt 0
t_like "$(q "SELECT error FROM invocations WHERE command = 'create' AND exit_code != 0")" 'no such file or directory' \
	"the failed create is recorded with runc's message"
t_ok "calls through conmon have it in their caller chain" \
	test "$(q "SELECT count(*) FROM invocations WHERE command = 'create' AND caller_chain LIKE '%conmon%'")" -gt 0

t_done
