#!/bin/bash
# The database cannot be written — corrupt, on a read-only mount, on a full
# disk — and yet the container operation succeeds and its record is kept in
# a spool, then ingested once the database is usable again.
. "$(dirname "$0")/../lib/tap.sh"
[ "$(id -u)" = 0 ] || t_skip_all "needs root (mounts)"

# Each call writes the database itself here: these are the faults of that
# path (a recorder service, which keeps the database open from before the
# fault, has its own in service.t).
export MOCKRUNC_SERVICE=0
FAKE=$T_TOP/tests/lib/fake-runtime
export FAKE_RUNTIME_LOG=$T_TMP/fake.log
M=$T_BIN/mockrunc
FALLBACK=/run/mockrunc-spool
fallback_of() { echo "$FALLBACK/$(echo "$1" | tr / %).spool"; }
count() { sqlite3 "$1" "SELECT count(*) FROM invocations"; }

# --- corrupt database file ---
DB=$T_TMP/corrupt.db
head -c 8192 /dev/urandom >"$DB"
cp "$DB" "$T_TMP/corrupt.orig"
t_run "$M" --mock-db "$DB" --mock-backend "$FAKE" start c1
t_is "$RC" 0 "corrupt database: the operation succeeds"
t_is "$ERR" "" "corrupt database: nothing on stderr"
t_is "$(wc -l <"$DB.spool")" 2 "corrupt database: the record is spooled"
t_ok "corrupt database: the file is left untouched" cmp -s "$DB" "$T_TMP/corrupt.orig"
t_run "$M" --mock-db "$DB" --mock-backend "$FAKE" --mock-strict start c1
t_is "$RC" 1 "corrupt database, strict: the operation fails"
t_like "$ERR" 'not a database|malformed' "corrupt database, strict: says why"
# Once repaired (here: replaced), the spool lands in the new database.
rm -f "$DB"
"$M" --mock-db "$DB" --mock-backend "$FAKE" state after >/dev/null
t_is "$(count "$DB")" 3 "repaired database: the spooled records are ingested"
t_is "$(sqlite3 "$DB" "SELECT group_concat(exit_code) FROM invocations WHERE container_id = 'c1' ORDER BY id")" "0,1" \
	"repaired database: outcomes intact"

# --- read-only directory ---
RO=$T_TMP/ro
mkdir -p "$RO"
"$M" --mock-db "$RO/m.db" --mock-backend "$FAKE" state before >/dev/null
mount --bind -o ro "$RO" "$RO"
t_cleanup "umount '$RO'"
FB=$(fallback_of "$RO/m.db")
rm -f "$FB"
t_cleanup "rm -f '$FB'"
t_run "$M" --mock-db "$RO/m.db" --mock-backend "$FAKE" start ro1
t_is "$RC" 0 "read-only directory: the operation succeeds"
t_is "$(wc -l <"$FB" 2>/dev/null)" 2 "read-only directory: the record goes to the fallback spool"
umount "$RO"
"$M" --mock-db "$RO/m.db" --mock-backend "$FAKE" state writable >/dev/null
t_is "$(sqlite3 "$RO/m.db" "SELECT group_concat(container_id) FROM invocations ORDER BY id")" "before,ro1,writable" \
	"read-only directory: the record is ingested once writable"
t_is "$(stat -c %s "$FB")" 0 "read-only directory: the fallback spool is emptied"

# --- full disk ---
FULL=$T_TMP/full
mkdir -p "$FULL"
mount -t tmpfs -o size=1m tmpfs "$FULL"
t_cleanup "umount '$FULL'"
"$M" --mock-db "$FULL/m.db" --mock-backend "$FAKE" state before >/dev/null
dd if=/dev/zero of="$FULL/filler" bs=4k >/dev/null 2>&1
FB=$(fallback_of "$FULL/m.db")
rm -f "$FB"
t_cleanup "rm -f '$FB'"
big=$(head -c 200000 /dev/zero | tr '\0' 'x')
mkdir -p "$T_TMP/bundle"
printf '{"ociVersion":"1.0.2","annotations":{"pad":"%s"}}' "$big" >"$T_TMP/bundle/config.json"
t_run "$M" --mock-db "$FULL/m.db" --mock-backend "$FAKE" create --bundle "$T_TMP/bundle" full1
t_is "$RC" 0 "full disk: the operation succeeds"
t_ok "full disk: the record is in a spool" test -s "$FB"
rm -f "$FULL/filler"
"$M" --mock-db "$FULL/m.db" --mock-backend "$FAKE" state roomy >/dev/null
t_is "$(sqlite3 "$FULL/m.db" "SELECT group_concat(container_id) FROM invocations ORDER BY id")" "before,full1,roomy" \
	"full disk: ingested once there is room"
t_is "$(sqlite3 "$FULL/m.db" "SELECT length(b.data) FROM invocations i JOIN blobs b ON b.id = i.config_blob WHERE container_id = 'full1'")" \
	"$(stat -c %s "$T_TMP/bundle/config.json")" "full disk: the whole config.json survived the spool"

t_done
