#!/bin/bash
# Bad input through the delegate backend (runc): a clear error in runc's
# words, a non-zero exit, a recorded invocation, and nothing lost of what
# was recorded before.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/lib/bundle.sh"
command -v runc >/dev/null || t_skip_all "runc is not installed"

M=("$T_BIN/mockrunc" --mock-backend /usr/sbin/runc --root "$T_TMP/state")
last() { sqlite3 "$MOCKRUNC_DB" "SELECT $1 FROM invocations ORDER BY id DESC LIMIT 1"; }
B=$T_TMP/bundle
t_bundle "$B"
before=$(sqlite3 "$MOCKRUNC_DB" "SELECT count(*) FROM invocations")

cp "$B/config.json" "$T_TMP/good.json"
printf '{"ociVersion": "1.0.2", "process": {' >"$B/config.json"
t_run "${M[@]}" create --bundle "$B" bad1
t_is "$RC" 1 "malformed config.json: exit 1"
t_like "$ERR" 'runc create failed' "malformed config.json: runc's error"
t_is "$(last "command || '|' || exit_code")" "create|1" "malformed config.json: recorded"
t_like "$(sqlite3 "$MOCKRUNC_DB" "SELECT b.parse_error FROM invocations i JOIN blobs b ON b.id = i.config_blob ORDER BY i.id DESC LIMIT 1")" \
	'^invalid JSON at line 1 column [0-9]+: .*end of file' \
	"malformed config.json: the bytes are kept, marked as not JSON with the parser's reason"
cp "$T_TMP/good.json" "$B/config.json"

for id in ../x a/b ..; do
	t_run "${M[@]}" create --bundle "$B" "$id"
	t_is "$RC" 1 "id '$id': exit 1"
	t_like "$ERR" 'invalid container ID format' "id '$id': runc's message"
	t_is "$(last "container_id || '|' || exit_code")" "$id|1" "id '$id': recorded"
done
t_ok "no state escaped the root" test ! -e "$T_TMP/x"

t_run "${M[@]}" create --bundle "$T_TMP/no-such-bundle" nb
t_is "$RC" 1 "missing bundle: exit 1"
t_like "$ERR" 'no such file or directory' "missing bundle: says so"
t_is "$(last "bundle || '|' || exit_code")" "$T_TMP/no-such-bundle|1" "missing bundle: recorded with the bundle path"

t_run "${M[@]}" create --bundle "$B" --unknown-flag x
t_is "$RC" 1 "unknown flag: exit 1"
t_like "$ERR" 'flag provided but not defined: -unknown-flag' "unknown flag: runc's message"
t_is "$(last "exit_code")" 1 "unknown flag: recorded"

t_run "${M[@]}" state nope
t_like "$ERR" 'container does not exist' "unknown container: runc's message passes through"
t_is "$(last "exit_code")" 1 "unknown container: recorded"

t_is "$(sqlite3 "$MOCKRUNC_DB" "SELECT count(*) FROM invocations")" $((before + 7)) "every bad call added exactly one record"

t_done
