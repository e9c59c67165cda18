#!/bin/bash
# The database locked by another process: the operation still runs, its
# record waits in the spool, and the next run moves it into the database —
# once, with nothing lost. Strict mode fails the operation instead.
. "$(dirname "$0")/../lib/tap.sh"

FAKE=$T_TOP/tests/lib/fake-runtime
export FAKE_RUNTIME_LOG=$T_TMP/fake.log
M=$T_BIN/mockrunc
DB=$MOCKRUNC_DB
SPOOL=$DB.spool
count() { sqlite3 "$DB" "SELECT count(*) FROM invocations ${1:-}"; }

"$M" --mock-backend "$FAKE" state first >/dev/null
t_is "$(count)" 1 "a first call is recorded"

# Another process holds the write lock until told to stop.
t_hold_lock "$DB"
t_ok "the database is locked by another process" t_wait_for 300 t_db_locked "$DB"

mkdir -p "$T_TMP/bundle"
echo '{"ociVersion":"1.0.2","process":{"args":["true"],"cwd":"/"},"root":{"path":"rootfs"}}' >"$T_TMP/bundle/config.json"
: >"$FAKE_RUNTIME_LOG"
MOCKRUNC_BUSY_TIMEOUT_MS=200 t_run "$M" --mock-backend "$FAKE" create --bundle "$T_TMP/bundle" spooled1
t_is "$RC" 0 "locked database: the operation succeeds"
t_like "$(cat "$FAKE_RUNTIME_LOG")" '^create' "locked database: the runtime ran"
t_is "$ERR" "" "locked database: nothing on stderr"
t_is "$(wc -l <"$SPOOL")" 2 "locked database: begin and outcome are spooled"
t_is "$(stat -c %a "$SPOOL")" 600 "the spool is created 0600"
t_is "$(count)" 1 "locked database: nothing reached the database yet"

: >"$FAKE_RUNTIME_LOG"
MOCKRUNC_BUSY_TIMEOUT_MS=200 t_run "$M" --mock-backend "$FAKE" --mock-strict start strict1
t_is "$RC" 1 "strict mode: the operation fails"
t_like "$ERR" 'cannot record this call' "strict mode: says why"
t_is "$(cat "$FAKE_RUNTIME_LOG")" "" "strict mode: the runtime is not run"
t_is "$(wc -l <"$SPOOL")" 4 "strict mode: the failed call is still kept in the spool"

# Release the lock: the next call ingests the spool.
t_release_lock
cp "$SPOOL" "$T_TMP/spool.copy"
"$M" --mock-backend "$FAKE" state after >/dev/null
t_is "$(count)" 4 "after the lock: every record is in the database"
t_is "$(stat -c %s "$SPOOL")" 0 "after the lock: the spool is empty"
t_is "$(sqlite3 "$DB" "SELECT command || '|' || exit_code || '|' || spooled FROM invocations WHERE container_id = 'spooled1'")" \
	"create|0|1" "the spooled call has its command, outcome and origin"
t_is "$(sqlite3 "$DB" "SELECT json_extract(b.data, '$.process.args[0]') FROM invocations i JOIN blobs b ON b.id = i.config_blob WHERE container_id = 'spooled1'")" \
	"true" "the spooled call's config.json is recorded"
t_is "$(sqlite3 "$DB" "SELECT count(*) FROM invocations i JOIN blob_features f ON f.blob_id = i.config_blob WHERE container_id = 'spooled1' AND feature = 'process.args'")" \
	1 "the spooled config's features are extracted"
t_is "$(sqlite3 "$DB" "SELECT exit_code FROM invocations WHERE container_id = 'strict1'")" 1 "the strict failure is recorded with its exit code"

# A replay of the same records (a crash between commit and truncate) adds nothing.
cat "$T_TMP/spool.copy" >>"$SPOOL"
"$M" --mock-backend "$FAKE" state again >/dev/null
t_is "$(count)" 5 "replaying a spool twice duplicates nothing"
t_is "$(count "WHERE container_id = 'spooled1'")" 1 "the spooled call is there once"

# Damaged lines (a write cut short) are skipped, the rest ingested.
printf '{"op":"begin","uuid":"x' >>"$SPOOL"
printf '\n' >>"$SPOOL"
MOCKRUNC_BUSY_TIMEOUT_MS=0 "$M" --mock-backend "$FAKE" state after-damage >/dev/null
t_is "$(count "WHERE container_id = 'after-damage'")" 1 "a damaged spool line does not block recording"
t_is "$(stat -c %s "$SPOOL")" 0 "a damaged spool line is dropped at ingestion"

t_done
