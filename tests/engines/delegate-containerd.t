#!/bin/bash
# containerd (through ctr) with mockrunc in front of runc: the same workload
# with --runc-binary runc and with --runc-binary mockrunc gives the same
# output and exit codes, and the database holds every call the shim made.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/lib/bundle.sh"
. "$T_TOP/tests/lib/image.sh"
. "$T_TOP/tests/lib/engines.sh"
t_need containerd ctr runc busybox jq sqlite3 script

DB=$T_TMP/containerd.db
t_runtime_wrapper "$T_TMP/rt/mockrunc" --mock-db="$DB" --mock-backend=/usr/sbin/runc --mock-session=ctr-e2e
t_containerd_start || t_done
t_ok "busybox image loaded" t_engine_image mr-busybox
IMG=docker.io/library/mr-busybox:latest

# ctr -t needs a terminal: script(1) gives it one.
on_tty() { script -qec "$(printf '%q ' "$@")" /dev/null; }

workload() {
	local rb=$1 c=wl-$2
	t_step run t_ctr run --runc-binary "$rb" --rm "$IMG" "$c-1" echo hi
	t_step exit-code t_ctr run --runc-binary "$rb" --rm "$IMG" "$c-2" sh -c 'exit 3'
	t_step missing t_ctr run --runc-binary "$rb" --rm "$IMG" "$c-3" /no/such/program
	t_step tty on_tty ctr --address "$CTD_SOCK" --namespace "$T_CGROUP_PARENT" run -t --runc-binary "$rb" --rm "$IMG" "$c-4" tty
	t_step detach t_ctr run -d --runc-binary "$rb" "$IMG" "$c" sh -c 'trap "exit 10" USR1; while :; do sleep 1; done'
	t_step exec t_ctr task exec --exec-id e1 "$c" echo inside
	t_step exec-tty on_tty ctr --address "$CTD_SOCK" --namespace "$T_CGROUP_PARENT" task exec -t --exec-id e2 "$c" tty
	t_step exec-status t_ctr task exec --exec-id e3 "$c" sh -c 'exit 5'
	t_step pause t_ctr task pause "$c"
	t_step paused sh -c "ctr --address '$CTD_SOCK' --namespace '$T_CGROUP_PARENT' task ls | awk '\$1 == \"$c\" { print \$3 }'"
	t_step resume t_ctr task resume "$c"
	t_step ps sh -c "ctr --address '$CTD_SOCK' --namespace '$T_CGROUP_PARENT' task ps '$c' | tail -n +2 | wc -l"
	t_step kill-usr1 t_ctr task kill -s SIGUSR1 "$c"
	t_step stopped t_wait_for 50 sh -c "ctr --address '$CTD_SOCK' --namespace '$T_CGROUP_PARENT' task ls | grep -q '$c .*STOPPED'"
	t_step delete t_ctr task delete "$c"
	t_step rm t_ctr containers rm "$c"
	t_step run-kill t_ctr run -d --runc-binary "$rb" "$IMG" "$c-k" sleep 300
	t_step kill-9 t_ctr task kill -s SIGKILL "$c-k"
	t_step delete-force t_ctr task delete -f "$c-k"
	t_step rm-k t_ctr containers rm "$c-k"
}

# ctr copies a pty's output after the process ends and may lose it on a
# busy machine, with runc too: for the tty steps only the status counts.
normalise() {
	sed -E 's/time="[^"]*"/time=T/g; s/wl-(runc|mock)/wl/g; s/[0-9]+ +-/PID -/g; s/^((exec-)?tty\|[0-9]+)\|.*/\1|/'
}
want=$(workload /usr/sbin/runc runc | normalise)
got=$(workload "$T_TMP/rt/mockrunc" mock | normalise)
t_same_steps "$want" "$got" ctr
t_like "$(grep '^run|' <<<"$got")" '^run\|0\|hi' "ctr run prints hi"
t_like "$(grep '^paused|' <<<"$got")" 'PAUSED' "ctr task pause pauses"

q() { sqlite3 "$DB" "$1"; }
t_is "$(q "SELECT count(*) FROM invocations WHERE exit_code IS NULL")" 0 "every call has its outcome"
for cmd in create start exec ps pause resume kill delete; do
	t_ok "the shim's '$cmd' calls are recorded" test "$(q "SELECT count(*) FROM invocations WHERE command = '$cmd'")" -gt 0
done
t_like "$(q "SELECT DISTINCT runtime_root FROM invocations WHERE command = 'create'")" "/$T_CGROUP_PARENT\$" \
	"the shim's state root ends in the containerd namespace"
t_is "$(q "SELECT count(*) FROM invocations WHERE command = 'create' AND config_blob IS NULL")" 0 "every create has its config.json"
t_is "$(q "SELECT count(*) FROM invocations WHERE command = 'exec' AND json_extract(flags, '$.detach') = 'true' AND process_blob IS NOT NULL")" \
	"$(q "SELECT count(*) FROM invocations WHERE command = 'exec'")" "every exec is detached, with its process.json"
t_is "$(q "SELECT count(*) FROM invocations WHERE command = 'exec' AND json_extract(flags, '$.\"console-socket\"') IS NOT NULL")" 1 \
	"ctr task exec -t passes a console socket"
t_is "$(q "SELECT count(*) FROM invocations WHERE command = 'ps' AND json_extract(flags, '$.format') = 'json'")" 1 \
	"ctr task ps asks for JSON"
t_like "$(q "SELECT group_concat(DISTINCT value) FROM invocation_features WHERE feature = 'kill.signal'")" '10' \
	"the USR1 sent by ctr task kill is recorded by number"
t_like "$(q "SELECT error FROM invocations WHERE command = 'create' AND exit_code != 0")" 'no such file or directory' \
	"the failed create is recorded with runc's message"
t_is "$(q "SELECT engine FROM sessions")" "containerd" "the session is attributed to containerd"

t_done
