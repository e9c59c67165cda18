#!/bin/bash
# Bad command lines get runc's wording and exit codes, and are recorded.
. "$(dirname "$0")/../lib/tap.sh"

M=$T_BIN/mockrunc
last() { sqlite3 "$MOCKRUNC_DB" "SELECT $1 FROM invocations ORDER BY id DESC LIMIT 1"; }

t_run "$M" create --bogus x
t_is "$RC" 1 "unknown flag: exit 1"
t_like "$ERR" 'level=error msg="flag provided but not defined: -bogus"' "unknown flag: runc's message on stderr"
t_like "$OUT" '^Incorrect Usage: flag provided but not defined: -bogus' "unknown flag: usage on stdout"
t_is "$(last "command || '|' || exit_code || '|' || error")" "create|1|flag provided but not defined: -bogus" "unknown flag: recorded"

t_run "$M" --bogus-global state x
t_is "$RC" 1 "unknown global flag: exit 1"
t_like "$ERR" 'flag provided but not defined: -bogus-global' "unknown global flag: message"
t_is "$(last "exit_code")" 1 "unknown global flag: recorded"

t_run "$M" frobnicate x
t_is "$RC" 3 "unknown command: exit 3"
t_like "$ERR" "No help topic for 'frobnicate'" "unknown command: message"
t_is "$(last "command || '|' || exit_code")" "frobnicate|3" "unknown command: recorded under its name"

t_run "$M" state
t_is "$RC" 1 "missing id: exit 1"
t_like "$ERR" '"state\\" requires exactly 1 argument\(s\)' "missing id: runc's message"
t_like "$OUT" '^Incorrect Usage\.' "missing id: usage on stdout"

t_run "$M" kill
t_like "$ERR" 'requires a minimum of 1 argument' "kill without id: minimum message"

t_run "$M" create --preserve-fds abc x
t_like "$ERR" 'invalid value \\"abc\\" for flag -preserve-fds' "integer flag with a non-number"
t_is "$RC" 1 "integer flag with a non-number: exit 1"

t_run "$M" delete --force=maybe x
t_like "$ERR" 'invalid boolean value \\"maybe\\" for -force' "bool flag with a bad value"

t_run "$M" events --interval 5parsecs x
t_like "$ERR" 'invalid duration' "duration flag with a bad value"

# podman's pod-restore probe: combined output must say "flag needs an argument".
t_run "$M" restore --lsm-mount-context
t_is "$RC" 1 "restore --lsm-mount-context without a value: exit 1"
t_like "$OUT$ERR" 'flag needs an argument' "restore probe: runc's 'flag needs an argument'"

# podman/CRI-O's checkpoint probe: exit 0.
t_run "$M" checkpoint --help
t_is "$RC" 0 "checkpoint --help exits 0"
t_like "$OUT" 'checkpoint' "checkpoint --help prints help on stdout"
t_is "$ERR" "" "checkpoint --help: nothing on stderr"

t_run "$M" --log-format xml state x
t_like "$ERR" 'invalid log-format: xml' "bad --log-format"
t_is "$RC" 1 "bad --log-format: exit 1"

t_run "$M" --root / state x
t_like "$ERR" 'Option --root argument should not be set to /' "--root / is refused"
t_is "$(last "error")" "Option --root argument should not be set to /" "--root / is recorded"

# --log --log-format json: one JSON line, plain text on stderr.
t_run "$M" --log "$T_TMP/log.json" --log-format json create --bogus x
t_is "$(wc -l <"$T_TMP/log.json")" 1 "json log: exactly one line"
t_is "$(jq -r '.level + "|" + .msg' "$T_TMP/log.json")" "error|flag provided but not defined: -bogus" "json log: level and msg"
t_like "$(jq -r .time "$T_TMP/log.json")" '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$' "json log: RFC 3339 time"
t_is "$(jq -r 'keys|join(",")' "$T_TMP/log.json")" "level,msg,time" "json log: logrus keys"
t_is "$ERR" "flag provided but not defined: -bogus" "with --log, stderr gets the plain message"

# A malformed mockrunc config file is an error, recorded in the database the
# environment names.
echo '{"db": ' >"$T_TMP/bad-config.json"
MOCKRUNC_CONFIG=$T_TMP/bad-config.json t_run "$M" state x
t_is "$RC" 1 "malformed config file: exit 1"
t_like "$ERR" 'mockrunc config' "malformed config file: says which file"
t_like "$(last error)" 'mockrunc config' "malformed config file: recorded"

MOCKRUNC_STRICT=perhaps t_run "$M" state x
t_like "$ERR" 'MOCKRUNC_STRICT: invalid boolean' "malformed environment value"
MOCKRUNC_SERVICE=sometimes t_run "$M" state x
t_like "$ERR" 'MOCKRUNC_SERVICE: invalid boolean \\"sometimes\\"' "malformed MOCKRUNC_SERVICE"
MOCKRUNC_SERVICE_IDLE_MS=-5 t_run "$M" state x
t_like "$ERR" 'MOCKRUNC_SERVICE_IDLE_MS: invalid value \\"-5\\"' "malformed MOCKRUNC_SERVICE_IDLE_MS"
t_is "$RC" 1 "malformed MOCKRUNC_SERVICE_IDLE_MS: exit 1"
MOCKRUNC_BUSY_TIMEOUT_MS=1s t_run "$M" state x
t_like "$ERR" 'MOCKRUNC_BUSY_TIMEOUT_MS: invalid value \\"1s\\"' "malformed MOCKRUNC_BUSY_TIMEOUT_MS"

# Settings precedence: flag > environment > config file > default.
echo "{\"db\": \"$T_TMP/from-file.db\", \"session\": \"file\"}" >"$T_TMP/config.json"
MOCKRUNC_DB= MOCKRUNC_CONFIG=$T_TMP/config.json "$M" --version >/dev/null
t_ok "config file names the database" test -s "$T_TMP/from-file.db"
MOCKRUNC_DB=$T_TMP/from-env.db MOCKRUNC_CONFIG=$T_TMP/config.json "$M" --version >/dev/null
t_ok "environment beats the config file" test -s "$T_TMP/from-env.db"
MOCKRUNC_DB=$T_TMP/from-env.db MOCKRUNC_CONFIG=$T_TMP/config.json "$M" --mock-db "$T_TMP/from-flag.db" --version >/dev/null
t_ok "the flag beats the environment" test -s "$T_TMP/from-flag.db"
t_is "$(sqlite3 "$T_TMP/from-flag.db" 'SELECT label FROM invocations')" "file" "unset settings still come from the file"
t_is "$(stat -c %a "$T_TMP/from-flag.db")" 600 "the database is created 0600"

t_done
