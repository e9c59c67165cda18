#!/bin/bash
# Processes killed with SIGKILL at random moments while recording — the
# database stays consistent, no record is duplicated or half-written, every
# call that finished has its record and outcome, and the spool is ingested.
. "$(dirname "$0")/../lib/tap.sh"

M=$T_BIN/mockrunc
FAKE=$T_TMP/slow-runtime
cat >"$FAKE" <<'EOS'
#!/bin/sh
# A runtime taking a few milliseconds, so kills land before, during and
# after it.
sleep 0.0$(( $$ % 9 + 1 ))
exit 0
EOS
chmod +x "$FAKE"
mkdir -p "$T_TMP/bundle"
echo '{"ociVersion":"1.0.2","process":{"args":["true"],"cwd":"/"},"root":{"path":"rootfs"}}' >"$T_TMP/bundle/config.json"
"$M" --mock-backend "$FAKE" state warmup >/dev/null

N=60
declare -A pid_of
# The shell reports each killed job on stderr; that noise is expected here.
exec 3>&2 2>/dev/null
for i in $(seq 1 $N); do
	MOCKRUNC_BUSY_TIMEOUT_MS=300 "$M" --mock-backend "$FAKE" create --bundle "$T_TMP/bundle" "k$i" >/dev/null 2>&1 &
	pid_of[$i]=$!
	# Every third call is killed somewhere between 0 and 30 ms in.
	if [ $((i % 3)) = 0 ]; then
		( sleep "0.0$((RANDOM % 3))$((RANDOM % 10))"; kill -KILL "${pid_of[$i]}" 2>/dev/null ) &
	fi
done
finished=() killed=()
for i in $(seq 1 $N); do
	if wait "${pid_of[$i]}" 2>/dev/null; then finished+=("k$i"); else killed+=("k$i"); fi
done
wait
exec 2>&3 3>&-
t_ok "some calls were killed mid-way" test "${#killed[@]}" -gt 0
t_ok "some calls finished" test "${#finished[@]}" -gt 0

# A writer holding the lock is killed too: its transaction must vanish.
setsid bash -c '{ echo "BEGIN IMMEDIATE;"; echo "INSERT INTO sessions(started_ns, auto) VALUES (1, 1);"; sleep 30; } | sqlite3 "$1"' \
	holder "$MOCKRUNC_DB" &
holder=$!
sleep 0.3
kill -KILL -- "-$holder" 2>/dev/null
wait "$holder" 2>/dev/null

"$M" --mock-backend "$FAKE" state ingest >/dev/null
q() { sqlite3 "$MOCKRUNC_DB" "$1"; }
t_is "$(q 'PRAGMA integrity_check')" ok "the database passes an integrity check"
t_is "$(q 'SELECT count(*) FROM sessions WHERE started_ns = 1')" 0 "the killed writer's transaction left nothing"
t_is "$(q "SELECT count(*) - count(DISTINCT container_id) FROM invocations WHERE command = 'create'")" 0 "no call is recorded twice"
missing=0 wrong=0
for id in "${finished[@]}"; do
	r=$(q "SELECT exit_code FROM invocations WHERE container_id = '$id'")
	[ -z "$r" ] && missing=$((missing + 1))
	[ -n "$r" ] && [ "$r" != 0 ] && wrong=$((wrong + 1))
done
t_is "$missing" 0 "every finished call has its record (${#finished[@]} of them)"
t_is "$wrong" 0 "every finished call has its outcome"
bad=0
for id in "${killed[@]}"; do
	r=$(q "SELECT ifnull(exit_code, 'none') FROM invocations WHERE container_id = '$id'")
	case $r in ''|none|0) ;; *) bad=$((bad + 1)) ;; esac
done
t_is "$bad" 0 "a killed call is absent, unfinished or complete — never wrong (${#killed[@]} killed)"
t_is "$(q "SELECT count(*) FROM invocations i JOIN blobs b ON b.id = i.config_blob WHERE command = 'create' AND length(b.data) != $(stat -c %s "$T_TMP/bundle/config.json")")" \
	0 "no recorded config.json is truncated"
t_is "$(stat -c %s "$MOCKRUNC_DB.spool" 2>/dev/null || echo 0)" 0 "the spool was ingested"

t_done
