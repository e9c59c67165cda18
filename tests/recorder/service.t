#!/bin/bash
# The recorder service: the first call writes the database itself and starts
# a service; later calls hand their records to it. It never costs a record
# or holds what the caller gave it: killed, mute, replaced under it, refused
# by a locked database, squatted by another user, or idle, every call is
# recorded exactly once.
. "$(dirname "$0")/../lib/tap.sh"
[ "$(id -u)" = 0 ] || t_skip_all "needs root (mounts, another user)"

FAKE=$T_TOP/tests/lib/fake-runtime
export FAKE_RUNTIME_LOG=$T_TMP/fake.log
M=$T_BIN/mockrunc
DIR=$T_TMP/svc
DB=$DIR/m.db
mkdir -p "$DIR"
export MOCKRUNC_DB=$DB MOCKRUNC_SERVICE_IDLE_MS=60000
count() { sqlite3 "$DB" "SELECT count(*) FROM invocations ${1:-}"; }
# The service holds an exclusive lock on <db>.service while it runs.
running() { test -S "$DB.sock" && ! flock -n "$DB.service" true; }
stopped() { flock -n "$DB.service" true; }
stop_service() {
	if [ -e "$DB.service" ] && ! stopped; then kill "$(cat "$DB.service")"; fi
	flock -w 10 "$DB.service" true
}
t_cleanup 'stop_service'

# --- the first call starts it, detached from the caller ---
# The caller's stdout is a pipe: cat ends only when every holder of it has
# closed it, so a service that kept it would hold the engine reading it.
t_ok "the first call returns, its output pipe closed" \
	timeout 10 sh -c '"$1" --mock-backend "$2" state first | cat >/dev/null' _ "$M" "$FAKE"
t_is "$(count)" 1 "the first call is recorded by the caller itself"
t_ok "it starts a recorder service" t_wait_for 50 running
pid=$(cat "$DB.service")
t_is "$(cat "/proc/$pid/comm")" mockrunc-record "the service is named mockrunc-record"
t_is "$(ps -o sid= -p "$pid" | tr -d ' ')" "$pid" "it runs in a session of its own"
t_is "$(readlink "/proc/$pid/cwd")" / "it keeps no directory of the caller"
t_is "$(readlink "/proc/$pid/fd/1")" /dev/null "its stdout is /dev/null"
t_is "$(find "/proc/$pid/fd" -lname 'pipe:*' | wc -l)" 0 "it holds no pipe"
t_is "$(stat -c %a "$DB.sock")" 600 "its socket is 0600"
t_is "$(stat -c %a "$DB.service")" 600 "its lock file is 0600"

# --- later calls go through it ---
# Read-only for every new opener: a call writing the database itself could
# only spool; the service opened it before.
mount --bind -o ro "$DIR" "$DIR"
for i in 1 2 3 4; do "$M" --mock-backend "$FAKE" state "via$i" >/dev/null; done
FAKE_RUNTIME_EXIT=3 "$M" --mock-backend "$FAKE" kill via5 KILL >/dev/null 2>&1
umount "$DIR"
t_is "$(count)" 6 "calls are recorded through the service"
t_ok "nothing was spooled" test ! -s "$DB.spool"
t_is "$(count "WHERE container_id LIKE 'via%' AND ended_ns IS NOT NULL AND spooled = 0")" 5 \
	"with their outcomes, as live records"
t_is "$(sqlite3 "$DB" "SELECT exit_code FROM invocations WHERE container_id = 'via5'")" 3 \
	"a failing call's exit status is kept"
t_is "$(cat "$DB.service")" "$pid" "one service served them all"

# --- 16 calls at once ---
for i in $(seq 16); do "$M" --mock-backend "$FAKE" state "par$i" >/dev/null & done
wait
t_is "$(count "WHERE container_id LIKE 'par%' AND ended_ns IS NOT NULL")" 16 \
	"16 concurrent calls: 16 records, each with its outcome"
t_is "$(sqlite3 "$DB" "SELECT count(DISTINCT uuid) FROM invocations")" "$(count)" "no record twice"

# --- its checkpoints keep the WAL bounded; leaving, it empties it ---
# 300 calls write about 2,400 WAL pages; checkpoints every 1,000 pages
# restart the WAL, so it never holds them all.
for i in $(seq 300); do "$M" --mock-backend "$FAKE" state "wal$i" >/dev/null; done
t_is "$(count "WHERE container_id LIKE 'wal%' AND ended_ns IS NOT NULL")" 300 "300 more calls recorded"
wal_kb=$(($(stat -c %s "$DB-wal") / 1024))
t_ok "the WAL stays bounded (${wal_kb} KiB after 300 calls)" test "$wal_kb" -lt 6144
kill "$pid"
t_ok "on SIGTERM the service leaves" t_wait_for 50 stopped
t_is "$(stat -c %s "$DB-wal")" 0 "and leaves the WAL empty"
t_ok "and removes its socket" test ! -e "$DB.sock"
"$M" --mock-backend "$FAKE" state restart >/dev/null
t_ok "the next call starts another" t_wait_for 50 running
pid=$(cat "$DB.service")

# --- killed: the next call writes itself and starts another ---
kill -KILL "$pid"
t_ok "the killed service is gone" t_wait_for 50 stopped
t_run "$M" --mock-backend "$FAKE" state afterkill
t_is "$RC" 0 "after a kill the call succeeds"
t_is "$(count "WHERE container_id = 'afterkill' AND ended_ns IS NOT NULL")" 1 "and is recorded"
t_ok "a new service starts" t_wait_for 50 running
t_unlike "$(cat "$DB.service")" "^$pid\$" "under a new pid"
stop_service

# --- a service that answers nothing: the call writes itself, once ---
mute_log=$T_TMP/mute.log
perl -MIO::Socket::UNIX -e '
	my ($path, $log) = @ARGV;
	unlink $path;
	my $s = IO::Socket::UNIX->new(Type => SOCK_STREAM(), Local => $path, Listen => 5) or die;
	open my $l, ">", $log or die;
	$l->autoflush(1);
	while (my $c = $s->accept) { my $line = <$c>; print $l length($line), "\n"; close $c; }
' "$DB.sock" "$mute_log" &
MUTE=$!
t_cleanup "kill $MUTE 2>/dev/null"
t_wait_for 50 test -S "$DB.sock"
before=$(count)
t_run "$M" --mock-backend "$FAKE" state mute1
t_is "$RC" 0 "a mute service: the call succeeds"
t_ok "a mute service: it was asked" test -s "$mute_log"
t_is "$(count "WHERE container_id = 'mute1' AND ended_ns IS NOT NULL")" 1 "a mute service: recorded once, with its outcome"
t_is "$(count)" "$((before + 1))" "a mute service: nothing else written"
kill "$MUTE" 2>/dev/null; wait "$MUTE" 2>/dev/null
t_ok "the call started a real service" t_wait_for 50 running
stop_service

# --- another user's socket at the path is not trusted ---
chmod 0711 "$T_TMP"
chmod 0777 "$DIR"
stranger_log=$T_TMP/stranger.log
: >"$stranger_log"
chmod 0666 "$stranger_log"
setpriv --reuid=65534 --regid=65534 --clear-groups perl -MIO::Socket::UNIX -e '
	my ($path, $log) = @ARGV;
	unlink $path;
	my $s = IO::Socket::UNIX->new(Type => SOCK_STREAM(), Local => $path, Listen => 5) or die;
	open my $l, ">>", $log or die;
	$l->autoflush(1);
	while (my $c = $s->accept) { my $line = <$c>; print $l "got ", length($line // ""), "\n"; print $c "+\n"; close $c; }
' "$DB.sock" "$stranger_log" &
STRANGER=$!
t_cleanup "kill $STRANGER 2>/dev/null"
t_wait_for 50 test -S "$DB.sock"
t_is "$(stat -c %U "$DB.sock")" nobody "a socket of another user sits at the path"
before=$(count)
t_run "$M" --mock-backend "$FAKE" state stranger1
t_is "$RC" 0 "a stranger's socket: the call succeeds"
t_is "$(count "WHERE container_id = 'stranger1' AND ended_ns IS NOT NULL")" 1 "a stranger's socket: the record is in the database"
t_is "$(sort -u "$stranger_log" | tr '\n' ' ')" "got 0 " "a stranger's socket: connected to, sent nothing"
t_ok "a stranger's socket: no service is started beside it" stopped
kill "$STRANGER" 2>/dev/null; wait "$STRANGER" 2>/dev/null
chmod 0700 "$DIR" "$T_TMP"
"$M" --mock-backend "$FAKE" state stranger2 >/dev/null
t_ok "once nothing listens there, a call starts a real service" t_wait_for 50 running
t_is "$(stat -c %U "$DB.sock")" root "which replaced the stranger's socket"

# --- stopped: calls wait at most their busy timeout and a second ---
pid=$(cat "$DB.service")
kill -STOP "$pid"
t_cleanup "kill -CONT $pid 2>/dev/null"
start=$(date +%s%N)
MOCKRUNC_BUSY_TIMEOUT_MS=200 t_run "$M" --mock-backend "$FAKE" state stopped1
took=$((($(date +%s%N) - start) / 1000000))
t_is "$RC" 0 "a stopped service: the call succeeds"
t_ok "a stopped service: the call gave up on it (${took} ms, at most 1.2 s a record)" test "$took" -lt 4000
t_is "$(cat "$DB.service")" "$pid" "a stopped service: no second one is started"
kill -CONT "$pid"
t_is "$(count "WHERE container_id = 'stopped1' AND ended_ns IS NOT NULL")" 1 "a stopped service: the call is recorded once"
stop_service

# --- a peer that connects and says nothing does not keep it ---
MOCKRUNC_BUSY_TIMEOUT_MS=200 MOCKRUNC_SERVICE_IDLE_MS=300 "$M" --mock-backend "$FAKE" state silent1 >/dev/null
t_ok "a service starts" t_wait_for 50 running
perl -MIO::Socket::UNIX -e 'my $c = IO::Socket::UNIX->new(Type => SOCK_STREAM(), Peer => $ARGV[0]) or die; sleep 30' "$DB.sock" &
SILENT=$!
t_cleanup "kill $SILENT 2>/dev/null"
t_ok "a silent peer is dropped, and the idle service leaves" t_wait_for 80 stopped
kill "$SILENT" 2>/dev/null; wait "$SILENT" 2>/dev/null

# --- a locked database: the service's refusal sends the record to the spool ---
t_hold_lock "$DB"
t_ok "the database is locked by another process" t_wait_for 300 t_db_locked "$DB"
before=$(count)
t_run "$M" --mock-backend "$FAKE" state locked1
t_is "$RC" 0 "locked: the call succeeds"
t_is "$(wc -l <"$DB.spool")" 2 "locked: begin and outcome are spooled"
t_run "$M" --mock-backend "$FAKE" --mock-strict state locked2
t_is "$RC" 1 "locked, strict: the call fails"
t_like "$ERR" 'cannot record this call.*locked' "locked, strict: says the database is locked"
t_release_lock
"$M" --mock-backend "$FAKE" state unlocked >/dev/null
t_is "$(count)" "$((before + 3))" "unlocked: the spooled records are ingested"
t_is "$(count "WHERE container_id IN ('locked1', 'unlocked') AND ended_ns IS NOT NULL")" 2 "with their outcomes"
t_ok "the spool is emptied" test ! -s "$DB.spool"

# --- the database replaced under it: records go to the new one ---
pid=$(cat "$DB.service")
rm -f "$DB" "$DB-wal" "$DB-shm"
"$M" --mock-backend "$FAKE" state fresh1 >/dev/null
t_is "$(count)" 1 "a replaced database gets the next record"
t_ok "the old service leaves" t_wait_for 50 sh -c "! kill -0 $pid"
"$M" --mock-backend "$FAKE" state fresh2 >/dev/null
t_ok "the next call starts a service for the new database" t_wait_for 50 running
t_is "$(count)" 2 "the new database has both calls"
stop_service

# --- idle, it leaves by itself ---
MOCKRUNC_SERVICE_IDLE_MS=300 "$M" --mock-backend "$FAKE" state idle1 >/dev/null
t_ok "a service starts" t_wait_for 50 running
t_ok "idle for its time, it leaves" t_wait_for 50 stopped
t_ok "and removes its socket" test ! -e "$DB.sock"

# --- a relative database path: the service finds the same file ---
mkdir -p "$T_TMP/rel"
(cd "$T_TMP/rel" && MOCKRUNC_DB=r.db "$M" --mock-backend "$FAKE" state rel1 >/dev/null)
t_ok "a relative path: the service listens beside the database" t_wait_for 50 test -S "$T_TMP/rel/r.db.sock"
(cd "$T_TMP/rel" && MOCKRUNC_DB=r.db "$M" --mock-backend "$FAKE" state rel2 >/dev/null)
t_is "$(sqlite3 "$T_TMP/rel/r.db" "SELECT count(*) FROM invocations WHERE ended_ns IS NOT NULL")" 2 "a relative path: both calls recorded"
kill "$(cat "$T_TMP/rel/r.db.service")"
t_ok "a relative path: the service stops on SIGTERM" t_wait_for 50 flock -n "$T_TMP/rel/r.db.service" true

# --- a path too long for a socket: calls write themselves, start nothing ---
long=$T_TMP/$(printf 'l%.0s' $(seq 120))
mkdir -p "$long"
MOCKRUNC_DB=$long/m.db "$M" --mock-backend "$FAKE" state long1 >/dev/null
MOCKRUNC_DB=$long/m.db "$M" --mock-backend "$FAKE" state long2 >/dev/null
t_is "$(sqlite3 "$long/m.db" "SELECT count(*) FROM invocations")" 2 "a long path: the calls are recorded"
t_ok "a long path: no service is started" test ! -e "$long/m.db.service"

# --- switched off ---
rm -f "$DB" "$DB-wal" "$DB-shm"
MOCKRUNC_SERVICE=0 "$M" --mock-backend "$FAKE" state off1 >/dev/null
sleep 0.5
t_ok "MOCKRUNC_SERVICE=0: no service starts" test ! -e "$DB.sock"
t_is "$(count)" 1 "MOCKRUNC_SERVICE=0: the call is recorded"

t_done
