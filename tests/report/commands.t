#!/bin/bash
# The smaller commands: sessions, session begin/end, where the database is
# found, trace, ingest (the recorder's spool), merge, features.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/report/fixtures/docker-session.sh"

R=$T_BIN/mockrunc-report
M=$T_BIN/mockrunc
FAKE=$T_TOP/tests/lib/fake-runtime
export FAKE_RUNTIME_LOG=/dev/null
command -v jq >/dev/null && command -v sqlite3 >/dev/null || t_skip_all "jq and sqlite3 are needed"

# ---- session begin/end, sessions ----
ID=$("$R" session begin --engine podman --engine-version 4.3.1 --label "nightly <b>")
t_like "$ID" '^[0-9]+$' "session begin uses MOCKRUNC_DB and prints the id"
mkdir -p "$T_TMP/b/rootfs"
cp "$T_TOP/tests/report/fixtures/base.json" "$T_TMP/b/config.json"
"$M" --mock-backend "$FAKE" create --bundle "$T_TMP/b" c1 >/dev/null 2>&1
"$M" --mock-backend "$FAKE" start c1 >/dev/null 2>&1
t_run "$R" sessions --format json
t_is "$(jq -r '.[0] | [.id, .engine, .engine_version, .label, (.ended == null)] | join("|")' <<<"$OUT")" \
	"$ID|podman|4.3.1|nightly <b>|true" "sessions json: id, engine, version, label; still open"
t_is "$(jq -r '.[0] | (has("started") and has("ended"))' <<<"$OUT")" true "sessions json: started and ended"
t_is "$(jq -r '.[0].invocations' <<<"$OUT")" 2 "new invocations joined the open session"
t_ok "session end" "$R" session end
t_run "$R" sessions --format json
t_like "$(jq -r '.[0].ended' <<<"$OUT")" '^[0-9]{4}-[0-9]{2}-[0-9]{2}T' "the session is ended"
t_run "$R" sessions
t_like "$OUT" "^ID +ENGINE" "sessions table header"
t_like "$OUT" "$ID +podman +4.3.1 +nightly <b>" "sessions table row"
t_run "$R" session end
t_is "$RC" 2 "ending when no session is open is an error"
t_like "$ERR" 'no session is open' "... that says so"
t_run "$R" session begin --engine podman
t_is "$RC" 2 "session begin needs --engine-version"

# ---- the database is found as mockrunc finds it ----
mkdb() { "$R" --db "$1" session begin --engine "$2" --engine-version 1 >/dev/null; }
mkdb "$T_TMP/flag.db" flag
mkdb "$T_TMP/env.db" env
mkdb "$T_TMP/conf.db" conf
echo "{\"db\": \"$T_TMP/conf.db\"}" >"$T_TMP/mockrunc.json"
engine() { jq -r '.[0].engine' <<<"$1"; }
t_is "$(engine "$(MOCKRUNC_CONFIG=$T_TMP/mockrunc.json MOCKRUNC_DB=$T_TMP/env.db "$R" --db "$T_TMP/flag.db" sessions --format json)")" \
	flag "--db wins over MOCKRUNC_DB and the config file"
t_is "$(engine "$(MOCKRUNC_CONFIG=$T_TMP/mockrunc.json MOCKRUNC_DB=$T_TMP/env.db "$R" sessions --format json)")" \
	env "MOCKRUNC_DB wins over the config file"
t_is "$(engine "$(MOCKRUNC_CONFIG=$T_TMP/mockrunc.json MOCKRUNC_DB= "$R" sessions --format json)")" \
	conf "the config file's db key"
t_is "$(engine "$(MOCKRUNC_DB=$T_TMP/env.db "$R" sessions --db "$T_TMP/flag.db" --format json)")" \
	flag "--db also after the command"
t_run env MOCKRUNC_CONFIG="$T_TMP/mockrunc.json" MOCKRUNC_DB= "$R" --db "$T_TMP/missing.db" sessions
t_is "$RC" 2 "a database that does not exist: exit 2"
t_like "$ERR" "missing.db" "... naming it"

# ---- trace ----
DB=$T_TMP/docker.db
docker_session "$DB" 20.10.24 detach >/dev/null
CID=$(sqlite3 "$DB" "SELECT container_id FROM invocations WHERE command = 'create' LIMIT 1")
t_run "$R" --db "$DB" trace "$CID"
t_is "$RC" 0 "trace exits 0"
t_is "$(grep -E '^ +[0-9]+ ' <<<"$OUT" | awk '{print $2}' | tr '\n' ' ')" \
	"$(sqlite3 "$DB" "SELECT id FROM invocations WHERE container_id = '$CID' ORDER BY started_ns" | tr '\n' ' ')" \
	"trace lists the container's calls in order"
t_like "$OUT" 'create --bundle [^ ]+ --pid-file [^ ]+ [0-9a-f]{64}' "trace shows each command line"
t_like "$OUT" ' +[0-9]+\.[0-9]{3} +[0-9]+\.[0-9]{3} +0 ' "trace shows timing and exit code"
t_like "$OUT" 'L14.*delete --force' "trace marks the call that broke a rule"
t_like "$OUT" 'L14 DERIVED: delete of a container already deleted' "trace lists the rules broken"
t_run "$R" --db "$DB" trace "$CID" --format json
t_is "$(jq -r '[.calls[].command] | join(" ")' <<<"$OUT")" \
	"create start exec exec ps pause resume update kill delete delete" "trace json: the commands in order"
t_run "$R" --db "$DB" trace nosuchcontainer
t_is "$RC" 2 "trace of an unknown container exits 2"

# ---- ingest: records that waited in the spool ----
SDB=$T_TMP/spool.db
"$R" --db "$SDB" session begin --engine docker --engine-version 1 >/dev/null
t_hold_lock "$SDB"
t_ok "the database is locked by another process" t_wait_for 300 t_db_locked "$SDB"
MOCKRUNC_BUSY_TIMEOUT_MS=100 "$M" --mock-db "$SDB" --mock-backend "$FAKE" create --bundle "$T_TMP/b" spooled >/dev/null 2>&1
t_release_lock
t_ok "the call went to the spool" test -s "$SDB.spool"
t_run "$R" --db "$SDB" score --format json
t_like "$ERR" 'wait in the spool' "score warns that records wait in the spool"
t_is "$(jq -r '.subjects[0].invocations' <<<"$OUT")" 0 "... and does not count them yet"
t_run "$R" --db "$SDB" ingest
t_like "$OUT" '^2 records ingested$' "ingest moves the spool's records"
t_run "$R" --db "$SDB" score --format json
t_is "$(jq -r '.subjects[0].invocations' <<<"$OUT")" 1 "the ingested call is scored"
t_is "$ERR" "" "no spool warning any more"

# ---- merge: one report over several nodes ----
N1=$T_TMP/node1.db N2=$T_TMP/node2.db OUTDB=$T_TMP/all.db
docker_session "$N1" 20.10.24 run stop >/dev/null
docker_session "$N2" 20.10.24 tty rmf >/dev/null
t_run "$R" merge "$OUTDB" "$N1" "$N2"
t_is "$RC" 0 "merge exits 0"
t_like "$OUT" '^2 sessions and [0-9]+ invocations added' "merge says what it added"
t_is "$(sqlite3 "$OUTDB" 'SELECT count(*) FROM invocations')" \
	"$(( $(sqlite3 "$N1" 'SELECT count(*) FROM invocations') + $(sqlite3 "$N2" 'SELECT count(*) FROM invocations') ))" \
	"every invocation of both nodes is in the merged database"
t_run "$R" merge "$OUTDB" "$N1" "$N2"
t_like "$OUT" '^0 sessions and 0 invocations added' "merging again adds nothing"
t_is "$(sqlite3 "$OUTDB" 'SELECT count(*) FROM blobs')" \
	"$(sqlite3 "$OUTDB" 'SELECT count(DISTINCT sha256) FROM blobs')" "blobs stay unique"
t_is "$(sqlite3 "$OUTDB" "SELECT count(*) FROM invocations i JOIN blobs b ON b.id = i.config_blob WHERE i.command = 'create'")" \
	"$(sqlite3 "$OUTDB" "SELECT count(*) FROM invocations WHERE command = 'create'")" "every create keeps its config"
t_run "$R" --db "$OUTDB" score --engine docker --group version --format json
t_is "$(jq -r '.subjects | length' <<<"$OUT")" 1 "one report over both nodes"
for id in cli.create.consoleSocket hooks.prestart op.kill; do
	t_like "$(jq -r --arg f "$id" '.subjects[0].features[] | select(.id == $f) | .verdict' <<<"$OUT")" '^(pass|warn)$' \
		"the merged report has $id"
done
t_run "$R" merge "$N1" "$N1"
t_is "$RC" 2 "merging a database into itself is refused"
echo "not a database" >"$T_TMP/junk.db"
t_run "$R" merge "$T_TMP/out2.db" "$T_TMP/junk.db"
t_is "$RC" 2 "merging something that is not a recording is refused"

# ---- features ----
t_run "$R" features --format json
t_is "$(jq '[.features[] | select(.source == "config")] | length' <<<"$OUT")" 122 "features: 122 config features"
t_is "$(jq '.rules | length' <<<"$OUT")" 146 "features: 146 rules (122 config, 14 lifecycle, 10 command line)"
t_run "$R" features
t_like "$OUT" 'linux.namespaces.user +namespaces +1.0.0 +https://github.com/opencontainers/runtime-spec/blob/v1.2.0/config-linux.md#namespaces' \
	"features table: id, area, since, link"

t_done
