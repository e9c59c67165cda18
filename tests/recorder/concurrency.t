#!/bin/bash
# 64 processes recording at once lose nothing: every invocation is in the
# database (or was spooled and is ingested), with its outcome, exactly once.
. "$(dirname "$0")/../lib/tap.sh"

FAKE=$T_TOP/tests/lib/fake-runtime
M=$T_BIN/mockrunc
N=64

"$M" --mock-backend "$FAKE" state warmup >/dev/null
for round in 1 2; do
	pids=()
	for i in $(seq 1 $N); do
		"$M" --mock-backend "$FAKE" --root /run/conc kill "r$round-c$i" 9 >/dev/null 2>&1 &
		pids+=($!)
	done
	failed=0
	for p in "${pids[@]}"; do wait "$p" || failed=$((failed + 1)); done
	t_is "$failed" 0 "round $round: $N concurrent calls all succeed"
done
# Whatever waited in the spool is ingested by the next call.
"$M" --mock-backend "$FAKE" state final >/dev/null
t_is "$(sqlite3 "$MOCKRUNC_DB" "SELECT count(*) FROM invocations WHERE command = 'kill'")" $((2 * N)) \
	"every concurrent call is recorded"
t_is "$(sqlite3 "$MOCKRUNC_DB" "SELECT count(DISTINCT container_id) FROM invocations WHERE command = 'kill'")" $((2 * N)) \
	"none is recorded twice"
t_is "$(sqlite3 "$MOCKRUNC_DB" "SELECT count(*) FROM invocations WHERE command = 'kill' AND exit_code = 0 AND ended_ns >= started_ns")" \
	$((2 * N)) "every concurrent call has its outcome"
t_is "$(sqlite3 "$MOCKRUNC_DB" "SELECT count(*) FROM invocation_features WHERE feature = 'kill.signal' AND value = '9'")" \
	$((2 * N)) "every concurrent call has its command-line features"
t_is "$(sqlite3 "$MOCKRUNC_DB" "SELECT count(DISTINCT session_id) FROM invocations")" 1 "all joined the one open session"
t_is "$(stat -c %s "$MOCKRUNC_DB.spool" 2>/dev/null || echo 0)" 0 "the spool is empty afterwards"

t_done
