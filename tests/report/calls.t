#!/bin/bash
# Every MUST and SHOULD rule judged on recorded calls (lifecycle L*, command
# line CLI*) has a call sequence that violates it and one that satisfies it
# (fixtures/calls.tsv). Each sequence is recorded through mockrunc in front
# of a stand-in runtime, in a session of its own, and scored.
. "$(dirname "$0")/../lib/tap.sh"

R=$T_BIN/mockrunc-report
M=$T_BIN/mockrunc
FAKE=$T_TOP/tests/lib/fake-runtime
FIX=$T_TOP/tests/report/fixtures
export FAKE_RUNTIME_LOG=$T_TMP/fake.log
command -v jq >/dev/null && command -v sqlite3 >/dev/null || t_skip_all "jq and sqlite3 are needed"

mkdir -p "$T_TMP/b/rootfs" "$T_TMP/np/rootfs" "$T_TMP/empty"
cp "$FIX/base.json" "$T_TMP/b/config.json"
jq 'del(.process)' "$FIX/base.json" >"$T_TMP/np/config.json"
echo '{"args":["true"],"cwd":"/","user":{"uid":0,"gid":0}}' >"$T_TMP/process.json"
ROOT1=/run/mockrunc-test/one
ROOT2=/run/mockrunc-test/two

call() {
	"$M" --mock-backend "$FAKE" "$@" </dev/null >/dev/null 2>&1 || true
}

# Runs one step of a sequence; container ids get the fixture's prefix.
step() { # fixture-prefix step
	local pfx=$1 s root=$ROOT1 cmd id arg
	s=$(echo "$2" | sed 's/^ *//; s/ *$//')
	case $s in root2:*) root=$ROOT2; s=${s#root2:} ;; esac
	read -r cmd id arg <<<"$s"
	[ -n "$id" ] && id=$pfx-$id
	case $cmd in
	create) call --root "$root" create --bundle "$T_TMP/b" --pid-file "$T_TMP/$id.pid" "$id" ;;
	create-noprocess) call --root "$root" create --bundle "$T_TMP/np" --pid-file "$T_TMP/$id.pid" "$id" ;;
	create-nobundle) call --root "$root" create --bundle "$T_TMP/empty" --pid-file "$T_TMP/$id.pid" "$id" ;;
	create-relpid) call --root "$root" create --bundle "$T_TMP/b" --pid-file "$id.pid" "$id" ;;
	start|state|delete) call --root "$root" "$cmd" "$id" ;;
	start-noid) call --root "$root" start ;;
	delete-force) call --root "$root" delete --force "$id" ;;
	kill) if [ -n "$arg" ]; then call --root "$root" kill "$id" "$arg"; else call --root "$root" kill "$id"; fi ;;
	exec) call --root "$root" exec --process "$T_TMP/process.json" --detach "$id" ;;
	update) echo '{"memory":{"limit":67108864}}' | "$M" --mock-backend "$FAKE" --root "$root" update --resources - "$id" >/dev/null 2>&1 ;;
	argv:*) # shellcheck disable=SC2086
		call ${s#argv:} ;;
	raw:*)
		local rest=${s#raw:} now
		now=$(date +%s%N)
		sqlite3 "$MOCKRUNC_DB" "INSERT INTO invocations(uuid, session_id, started_ns, ended_ns, pid, ppid, uid,
			caller_chain, argv, global_flags, command, flags, args, backend, exit_code)
			VALUES ('raw-$pfx', $SID, $now, $now, 1, 1, 0, '[]', json_array('runc', '${rest%%:*}'), '{}',
			'${rest%%:*}', '{}', '[]', 'test', ${rest##*:})" ;;
	*) echo "unknown step '$s'" >&2; return 1 ;;
	esac
}

# Records a sequence in a new session and prints the session's score (JSON).
scored() { # fixture-prefix sequence
	local pfx=$1 seq=$2 s
	SID=$("$R" session begin --engine test --engine-version "$pfx")
	IFS=';' read -ra steps <<<"$seq"
	for s in "${steps[@]}"; do step "$pfx" "$s"; done
	"$R" session end
	"$R" score --session "$SID" --format json
}

levels=$("$R" features --format json | jq -r '.rules[] | "\(.id) \(.level) \(.disputed) \(.input)"')
missing=""
while read -r id level disputed input; do
	case $level:$input in
	MUST:calls|SHOULD:calls) case $id in PR01) continue ;; esac
		grep -q "^$id	" "$FIX/calls.tsv" || missing="$missing $id" ;;
	esac
done <<<"$levels"
t_is "$missing" "" "every MUST and SHOULD rule judged on calls has fixtures"

while IFS=$'\t' read -r rule bad good; do
	case $rule in ''|'#'*) continue ;; esac
	read -r _ level disputed _ <<<"$(grep "^$rule " <<<"$levels")"
	want=fail
	[ "$level" = MUST ] && [ "$disputed" = false ] || want=warn
	low=$(echo "$rule" | tr 'A-Z' 'a-z')

	out=$(scored "$low-bad" "$bad")
	t_is "$(jq -r --arg r "$rule" '.subjects[0].rules[] | select(.id == $r) | .verdict' <<<"$out")" "$want" \
		"$rule: '$bad' makes it $want"
	t_like "$(jq -r --arg r "$rule" '.subjects[0].rules[] | select(.id == $r) | .evidence[0] | "\(.invocation) \(.message)"' <<<"$out")" \
		'^[0-9]+ [a-z]' "$rule: the evidence names the invocation and what is wrong"

	out=$(scored "$low-good" "$good")
	t_is "$(jq -r --arg r "$rule" '.subjects[0].rules[] | select(.id == $r) | .verdict' <<<"$out")" pass \
		"$rule: '$good' passes it"
	t_is "$(jq -r '.subjects[0].headline.must_failures' <<<"$out")" 0 "$rule: the satisfying calls break no MUST rule"
done <"$FIX/calls.tsv"

# The evidence of a lifecycle violation points at the offending call.
out=$(scored twice "create c; start c; start c")
inv=$(jq -r '.subjects[0].rules[] | select(.id == "L04") | .evidence[0].invocation' <<<"$out")
t_is "$(sqlite3 "$MOCKRUNC_DB" "SELECT command || ' ' || container_id FROM invocations WHERE id = $inv")" \
	"start twice-c" "L04's evidence is the second start"
t_is "$(sqlite3 "$MOCKRUNC_DB" "SELECT count(*) FROM invocations WHERE container_id = 'twice-c' AND command = 'start' AND id < $inv")" \
	1 "... the one after the first start"

# A container created before the session began is not judged on what the
# session cannot know (no false L04 for a start without its create here).
out=$(scored early "start c; kill c 15")
t_is "$(jq -r '.subjects[0].rules[] | select(.id == "L04") | .verdict' <<<"$out")" not-exercised \
	"a start whose create was not recorded is not judged"

t_done
