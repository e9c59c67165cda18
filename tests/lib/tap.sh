# TAP helpers for the shell tests. Source it, write assertions, end with
# t_done. Every test file is runnable alone: `prove tests/cli/parse.t`.
#
#   t_ok "description" command...        passes when the command succeeds
#   t_is "$got" "$want" "description"
#   t_like "$got" 'regex' "description"  (grep -E)
#   t_unlike "$got" 'regex' "description"
#   t_skip_all "reason"                  whole file skipped (prints 1..0)
#   t_cleanup 'shell code'               runs at exit, last registered first,
#                                        even when the test fails or is killed
#   t_run cmd...                         sets $OUT, $ERR and $RC
#   $T_TMP                               a private directory, removed at exit
#   t_done                               prints the plan, exits non-zero
#                                        when anything failed

set -u
T_TOP=${MOCKRUNC_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
export MOCKRUNC_TOP=$T_TOP
# MOCKRUNC_BIN_DIR points the tests at another build (make asan).
T_BIN=${MOCKRUNC_BIN_DIR:-$T_TOP/bin}
T_N=0
T_FAILED=0
T_CLEANUPS=()

t_cleanup() { T_CLEANUPS=("$1" "${T_CLEANUPS[@]}"); }

_t_run_cleanups() {
	local c
	for c in "${T_CLEANUPS[@]}"; do
		eval "$c" >/dev/null 2>&1 || true
	done
	T_CLEANUPS=()
}
trap _t_run_cleanups EXIT
trap 'exit 130' INT TERM

_t_result() { # ok? description
	T_N=$((T_N + 1))
	if [ "$1" = 0 ]; then
		echo "ok $T_N - $2"
	else
		echo "not ok $T_N - $2"
		T_FAILED=$((T_FAILED + 1))
	fi
}

t_diag() { printf '%s\n' "$@" | sed 's/^/# /'; }

t_ok() {
	local desc=$1; shift
	local out rc
	out=$("$@" 2>&1); rc=$?
	_t_result "$rc" "$desc"
	[ "$rc" = 0 ] || t_diag "command: $*" "exit: $rc" "$out"
	return 0
}

t_fails() {
	local desc=$1; shift
	local out rc
	out=$("$@" 2>&1); rc=$?
	if [ "$rc" != 0 ]; then _t_result 0 "$desc"; else _t_result 1 "$desc"; t_diag "command: $*" "unexpectedly succeeded" "$out"; fi
}

t_is() {
	if [ "$1" = "$2" ]; then _t_result 0 "$3"; else _t_result 1 "$3"; t_diag "got:  '$1'" "want: '$2'"; fi
}

t_like() {
	if printf '%s' "$1" | grep -Eq -- "$2"; then _t_result 0 "$3"; else _t_result 1 "$3"; t_diag "got:  '$1'" "want match: $2"; fi
}

t_unlike() {
	if printf '%s' "$1" | grep -Eq -- "$2"; then _t_result 1 "$3"; t_diag "got:  '$1'" "want no match: $2"; else _t_result 0 "$3"; fi
}

t_skip_all() { echo "1..0 # SKIP $1"; exit 0; }

t_done() {
	echo "1..$T_N"
	_t_run_cleanups
	[ "$T_FAILED" = 0 ]
	exit $?
}

# Runs a command capturing stdout, stderr and status into $OUT, $ERR, $RC.
t_run() {
	local o e
	o=$(mktemp) e=$(mktemp)
	"$@" >"$o" 2>"$e"
	RC=$?
	OUT=$(cat "$o") ERR=$(cat "$e")
	rm -f "$o" "$e"
	return 0
}

# For tests that run one workload twice (say through runc, then through
# mockrunc) and compare: t_step NAME CMD... prints "NAME|status|output" on
# one line (\r and NUL dropped, lines joined); t_same_steps WANT GOT WHAT
# asserts each step of GOT equals the one of WANT with the same name.
t_step() {
	local name=$1; shift
	local out rc
	out=$("$@" 2>&1); rc=$?
	printf '%s|%s|%s\n' "$name" "$rc" "$(printf '%s' "$out" | tr -d '\r\000' | tr '\n' ' ')"
}

t_same_steps() {
	local want=$1 got=$2 what=$3 line name
	while IFS= read -r line; do
		name=${line%%|*}
		t_is "$(grep "^$name|" <<<"$got")" "$line" "$what $name: same as with runc"
	done <<<"$want"
}

# Another process holds the write lock of database $1 (an open write
# transaction) until t_release_lock; t_db_locked says whether it holds.
t_hold_lock() {
	mkfifo "$T_TMP/hold"
	( { echo "BEGIN EXCLUSIVE;"; echo "INSERT INTO sessions(started_ns, auto) VALUES (0, 1);"
	    cat "$T_TMP/hold"; echo "ROLLBACK;"; } | sqlite3 "$1" ) &
	T_HOLDER=$!
	exec 9>"$T_TMP/hold"
	t_cleanup "exec 9>&-; kill $T_HOLDER 2>/dev/null"
}
t_release_lock() {
	exec 9>&-
	wait "$T_HOLDER" 2>/dev/null
	rm -f "$T_TMP/hold"
}
t_db_locked() { ! sqlite3 -cmd ".timeout 0" "$1" "BEGIN IMMEDIATE; ROLLBACK;" >/dev/null 2>&1; }

# Repeats a command until it succeeds, at most $1 tenths of a second.
t_wait_for() {
	local tenths=$1; shift
	while [ "$tenths" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		tenths=$((tenths - 1))
	done
	return 1
}

# Each test file gets a private directory, removed at exit (after the
# cleanups registered later, which run first).
T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/mockrunc-test.XXXXXX")
t_cleanup "rm -rf '$T_TMP'"

# Never touch the machine's own database or config file from a test.
export MOCKRUNC_DB=${MOCKRUNC_TEST_DB:-$T_TMP/mockrunc.db}
export MOCKRUNC_CONFIG=${MOCKRUNC_TEST_CONFIG:-$T_TMP/no-config.json}
export PATH=$T_BIN:$PATH
