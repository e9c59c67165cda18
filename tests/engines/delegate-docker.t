#!/bin/bash
# docker with mockrunc in front of runc: the same workload through plain runc
# and through mockrunc gives the same output and exit codes, and the
# database holds every call docker made, with its flags, config and outcome.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/lib/bundle.sh"
. "$T_TOP/tests/lib/image.sh"
. "$T_TOP/tests/lib/engines.sh"
t_need dockerd docker runc busybox jq sqlite3

DB=$T_TMP/docker.db
t_runtime_wrapper "$T_TMP/rt/mockrunc" --mock-db="$DB" --mock-backend=/usr/sbin/runc --mock-session=docker-e2e
t_dockerd_start mockrunc="$T_TMP/rt/mockrunc" || t_done
t_ok "busybox image loaded" t_engine_image mr-busybox

# One step of the workload: its exit code and output, \r dropped (a tty).
workload() {
	local rt=$1 c=wl-$1
	t_step run docker run --rm --runtime "$rt" --network none mr-busybox echo hi
	t_step exit-code docker run --rm --runtime "$rt" --network none mr-busybox sh -c 'exit 3'
	t_step missing docker run --rm --runtime "$rt" --network none mr-busybox /no/such/program
	t_step tty docker run --rm -t --runtime "$rt" --network none mr-busybox tty
	t_step detach docker run -d --name "$c" --runtime "$rt" --network none mr-busybox \
		sh -c 'trap "exit 10" USR1; while :; do sleep 1; done'
	t_step exec docker exec "$c" echo inside
	t_step exec-tty docker exec -t "$c" tty
	t_step exec-status docker exec "$c" sh -c 'exit 5'
	t_step top sh -c "docker top $c | grep -c USR1"
	t_step pause docker pause "$c"
	t_step paused docker inspect -f '{{.State.Status}}' "$c"
	t_step unpause docker unpause "$c"
	t_step update docker update --memory 64m --memory-swap 128m "$c"
	t_step limit docker exec "$c" cat /sys/fs/cgroup/memory/memory.limit_in_bytes
	t_step kill-usr1 docker kill -s USR1 "$c"
	t_step killed-status docker wait "$c"
	t_step rm docker rm "$c"
	t_step run-stop docker run -d --name "$c-s" --runtime "$rt" --network none mr-busybox sleep 300
	t_step stop docker stop -t 1 "$c-s"
	t_step stopped-status docker inspect -f '{{.State.ExitCode}}' "$c-s"
	t_step rm-stopped docker rm "$c-s"
	t_step run-rmf docker run -d --name "$c-f" --runtime "$rt" --network none mr-busybox sleep 300
	t_step rm-f docker rm -f "$c-f"
}

# Container ids differ between the two passes: compare everything else.
normalise() { sed -E 's/[0-9a-f]{64}/ID/g; s/wl-(runc|mockrunc)/wl/g'; }
want=$(workload runc | normalise)
got=$(workload mockrunc | normalise)
t_same_steps "$want" "$got" docker
t_like "$(grep '^run|' <<<"$got")" '^run\|0\|hi' "docker run prints hi"
t_like "$(grep '^missing|' <<<"$got")" '^missing\|127\|' "a missing program exits 127"
t_like "$(grep '^limit|' <<<"$got")" '^limit\|0\|67108864' "docker update set the memory limit"

# What the database holds.
q() { sqlite3 "$DB" "$1"; }
t_is "$(q "SELECT count(*) FROM invocations WHERE exit_code IS NULL")" 0 "every call has its outcome"
t_is "$(q "SELECT count(DISTINCT session_id) FROM invocations")" 1 "all calls in one session"
t_is "$(q "SELECT label FROM sessions")" "docker-e2e" "the session carries the label"
for cmd in create start exec ps pause resume update kill delete; do
	t_ok "docker's '$cmd' calls are recorded" test "$(q "SELECT count(*) FROM invocations WHERE command = '$cmd'")" -gt 0
done
t_is "$(q "SELECT count(*) FROM invocations WHERE command = 'create' AND config_blob IS NULL")" 0 \
	"every create has its config.json"
t_ok "every create names bundle, pid file and id" test "$(q "SELECT count(*) FROM invocations WHERE command = 'create'
	AND json_extract(flags, '$.bundle') IS NOT NULL AND json_extract(flags, '$.\"pid-file\"') IS NOT NULL
	AND container_id IS NOT NULL")" -ge 6
t_is "$(q "SELECT DISTINCT json_extract(global_flags, '$.\"log-format\"') FROM invocations WHERE command = 'create'")" json \
	"docker asks for JSON logs"
t_like "$(q "SELECT DISTINCT runtime_root FROM invocations WHERE command = 'create'")" '/runtime-runc/moby$' \
	"docker's state root is recorded"
t_is "$(q "SELECT count(*) FROM invocations WHERE command = 'create' AND json_extract(flags, '$.\"console-socket\"') IS NOT NULL")" 1 \
	"docker run -t passes a console socket"
t_is "$(q "SELECT count(*) FROM invocations WHERE command = 'exec' AND json_extract(flags, '$.\"console-socket\"') IS NOT NULL")" 1 \
	"docker exec -t passes a console socket"
t_is "$(q "SELECT count(*) FROM invocations WHERE command = 'exec' AND process_blob IS NULL")" 0 \
	"every exec has its process.json"
t_is "$(q "SELECT count(*) FROM invocations i JOIN blobs b ON b.id = i.resources_blob WHERE command = 'update'
	AND json_extract(b.data, '$.memory.limit') = 67108864 AND json_extract(b.data, '$.memory.swap') = 134217728")" 1 \
	"docker update's resources are recorded"
t_is "$(q "SELECT group_concat(value) FROM (SELECT DISTINCT value FROM invocation_features WHERE feature = 'kill.signal' ORDER BY value)")" \
	"10,15,9" "docker's kill signals: USR1 (10), stop (15), kill (9)"
t_is "$(q "SELECT count(*) FROM invocations WHERE command = 'create' AND exit_code != 0")" 1 "the failed create is recorded as failed"
t_like "$(q "SELECT error FROM invocations WHERE command = 'create' AND exit_code != 0")" 'no such file or directory' \
	"with runc's message, read from --log"
t_ok "features of the configs are extracted" test "$(q "SELECT count(DISTINCT feature) FROM blob_features")" -gt 40
t_is "$(q "SELECT count(*) FROM blob_features f JOIN invocations i ON i.config_blob = f.blob_id
	WHERE i.command = 'create' AND f.feature = 'hooks.prestart'")" "$(q "SELECT count(*) FROM invocations WHERE command = 'create'")" \
	"docker's prestart hook is seen in every config"

t_done
