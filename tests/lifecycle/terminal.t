#!/bin/bash
# process.terminal: the pty master arrives on --console-socket as engines
# expect it (one message, one fd, a name), the process has the slave as its
# stdio and controlling terminal, and consoleSize is applied.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/lifecycle/lifecycle.sh"

rx_build_consoled

rx_set '.process.terminal = true | .process.consoleSize = {height: 33, width: 111} |
	.process.args = ["sh", "-c", "tty; stty size; for f in 0 1 2; do printf \"%s \" $(readlink /proc/$$/fd/$f); done; echo; mount | grep -c \" /dev/console \"; echo $$ $(ps -o sid= -p 1 2>/dev/null)"]'
ID=$(rx_id tty)
t_run "$T_TMP/consoled" "$T_TMP/sock" "$T_BIN/mockrunc" --root "$ROOT" create --console-socket "$T_TMP/sock" --bundle "$B" "$ID" \
	-- "$T_BIN/mockrunc" --root "$ROOT" start "$ID"
OUT=$(printf '%s' "$OUT" | tr -d '\r')
t_is "$RC" 0 "create with --console-socket, then start"
t_like "$OUT" 'name=/dev/pts/ptmx fds=1 isatty=1 more=0' "one message: one fd, a pty, named; then the connection is closed"
t_is "$(sed -n 1p <<<"$OUT")" /dev/pts/0 "the process's terminal is a pty of the container's own devpts"
t_is "$(sed -n 2p <<<"$OUT")" "33 111" "consoleSize"
t_is "$(sed -n 3p <<<"$OUT")" "/dev/pts/0 /dev/pts/0 /dev/pts/0 " "the pty is stdin, stdout and stderr"
t_is "$(sed -n 4p <<<"$OUT")" 1 "and /dev/console"
R delete --force "$ID"

# --pidfd-socket: the same framing, a pidfd of the init named "standard".
rx_set '.process.terminal = false | .process.args = ["true"]'
ID=$(rx_id pidfd)
t_run "$T_TMP/consoled" "$T_TMP/psock" "$T_BIN/mockrunc" --root "$ROOT" create --pidfd-socket "$T_TMP/psock" --bundle "$B" "$ID" \
	-- "$T_BIN/mockrunc" --root "$ROOT" start "$ID"
t_like "$OUT" 'name=standard fds=1 isatty=0' "--pidfd-socket receives a pidfd"
R delete --force "$ID"
rx_reset
rx_set '.process.terminal = true'

# A foreground run with a terminal relays it through the runtime
# (script(1) gives the runtime a terminal of its own).
command -v script >/dev/null || t_done
rx_set '.process.consoleSize = {height: 0, width: 0} | .process.args = ["sh", "-c", "tty; exit 6"]'
t_run script -qec "$T_BIN/mockrunc --root $ROOT run --bundle $B $(rx_id fg)" /dev/null
t_is "$RC|$(printf '%s' "$OUT" | tr -d '\r' | sed 's/\^@//g')" "6|/dev/pts/0" "run in the foreground gives the process a terminal"
t_done
