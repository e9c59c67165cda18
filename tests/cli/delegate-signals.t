#!/bin/bash
# A foreground `run` through the delegate: signals sent to mockrunc reach
# the container through runc, and the container's exit status comes back.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/lib/bundle.sh"
command -v runc >/dev/null || t_skip_all "runc is not installed"
[ "$(id -u)" = 0 ] || t_skip_all "needs root"

B=$T_TMP/bundle
t_bundle "$B"
t_bundle_set "$B" '.process.args = ["sh", "-c", "trap \"exit 7\" TERM; echo ready; while :; do sleep 0.1; done"] | .root.readonly = false'
ROOT=$T_TMP/state
t_cleanup "runc --root '$ROOT' delete --force sig1"

"$T_BIN/mockrunc" --mock-backend /usr/sbin/runc --root "$ROOT" run --bundle "$B" sig1 >"$T_TMP/out" 2>&1 </dev/null &
pid=$!
t_ok "the container started" t_wait_for 100 grep -q ready "$T_TMP/out"
kill -TERM "$pid"
wait "$pid"
rc=$?
t_is "$rc" 7 "SIGTERM to mockrunc reached the container, whose status is returned"
t_is "$(sqlite3 "$MOCKRUNC_DB" "SELECT exit_code FROM invocations WHERE container_id = 'sig1'")" 7 "the status is recorded"

# A delegate killed by a signal: mockrunc dies of the same signal.
cat >"$T_TMP/dies" <<'EOS'
#!/bin/sh
kill -KILL $$
EOS
chmod +x "$T_TMP/dies"
"$T_BIN/mockrunc" --mock-backend "$T_TMP/dies" state x
rc=$?
t_is "$rc" 137 "a delegate killed by SIGKILL: mockrunc ends the same way"
t_is "$(sqlite3 "$MOCKRUNC_DB" "SELECT exit_code FROM invocations WHERE container_id = 'x'")" 137 "and it is recorded as 128+9"

t_run "$T_BIN/mockrunc" --mock-backend "$T_TMP/no-such-runtime" state y
t_is "$RC" 1 "a missing delegate: exit 1"
t_like "$ERR" 'no-such-runtime' "a missing delegate: says which"
t_is "$(sqlite3 "$MOCKRUNC_DB" "SELECT exit_code FROM invocations WHERE container_id = 'y'")" 1 "a missing delegate: recorded"

t_done
