#!/bin/bash
# ps (the container's processes: JSON pids for docker top and ctr, or the
# host's ps filtered) and events (statistics once or streamed, OOM kills).
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/lifecycle/lifecycle.sh"

rx_set '.root.readonly = false | .linux.resources.memory = {limit: 16777216} |
	.process.args = ["sh", "-c", "sleep 300 & wait"]'
ID=$(rx_id ps)
R run -d --pid-file "$T_TMP/i.pid" --bundle "$B" "$ID" </dev/null >/dev/null 2>&1
init=$(cat "$T_TMP/i.pid")
t_wait_for 30 sh -c "pgrep -P $init -x sleep >/dev/null"
child=$(pgrep -P "$init" -x sleep | head -1)

t_run R ps --format json "$ID"
t_is "$ERR" "" "ps --format json: nothing on stderr (go-runc reads stdout and stderr together)"
t_is "$(jq -c 'sort' <<<"$OUT")" "$(printf '%s\n' "$init" "$child" | sort -n | jq -sc .)" \
	"ps --format json: the host pids of the container's processes"
t_run R ps "$ID"
t_is "$RC|$(awk 'NR > 1 {print $2}' <<<"$OUT" | sort -n | tr '\n' ' ')" "0|$(jq -r 'sort | join(" ")' <<<"$(R ps --format json "$ID")") " \
	"ps: the host's ps -ef, the container's lines only"
t_like "$(head -1 <<<"$OUT")" '^UID +PID +PPID' "with ps's header"
t_run R ps "$ID" -o pid,comm
t_is "$(sed -n 1p <<<"$OUT" | tr -s ' ')" " PID COMMAND" "ps ID ARGS: the arguments go to ps"
t_like "$OUT" "^ *$child sleep\$" "and the lines are filtered by the PID column"
t_run R ps --format yaml "$ID"
t_is "$RC|$(rx_msg "$ERR")" "1|invalid format option" "an unknown format"
t_run R ps --format json nosuch
t_is "$RC|$(rx_msg "$ERR")" "1|container does not exist" "ps of a missing container"

t_run R events --stats "$ID"
t_is "$RC|$ERR" "0|" "events --stats"
t_is "$(grep -c . <<<"$OUT")" 1 "one line"
t_is "$(jq -c '[.type, .id, (.data | has("cpu") and has("memory") and has("pids"))]' <<<"$OUT")" "[\"stats\",\"$ID\",true]" \
	"{type: stats, id, data: {cpu, memory, pids...}}"
t_is "$(jq -c '[.data.memory.usage.limit, .data.pids.current]' <<<"$OUT")" "[16777216,$(R ps --format json "$ID" | jq length)]" \
	"the memory limit and the number of processes"
t_run timeout 1.5 "$T_BIN/mockrunc" --root "$ROOT" events --interval 200ms "$ID"
t_like "$(jq -r .type <<<"$OUT" | sort | uniq -c | tr -s ' ')" '^ ([3-9]|1[0-9]) stats$' "events --interval 200ms: a stats line every 200ms, until stopped"

# OOM kills are streamed; the stream ends when the container is deleted.
"$T_BIN/mockrunc" --root "$ROOT" events --interval 1h "$ID" >"$T_TMP/events" 2>&1 &
ev=$!
sleep 0.3
R exec -d "$ID" tail /dev/zero </dev/null >/dev/null 2>&1
t_wait_for 100 grep -q oom "$T_TMP/events"
t_is "$(sort -u "$T_TMP/events")" "{\"type\":\"oom\",\"id\":\"$ID\"}" "an oom event when the memory limit kills a process"
t_ok "the container lives on" rx_alive "$init"
R delete --force "$ID"
t_wait_for 50 sh -c "! kill -0 $ev 2>/dev/null"
t_fails "events exits once the container is gone" kill -0 "$ev"
wait "$ev"
t_is "$?" 0 "with status 0"

rx_set '.process.args = ["true"] | del(.linux.resources.memory)'
ID=$(rx_id stopped)
R run -d --bundle "$B" "$ID" </dev/null >/dev/null 2>&1
t_wait_for 30 rx_stopped "$ID"
t_run R events --stats "$ID"
t_is "$RC|$(rx_msg "$ERR")" "1|container with id $ID is not running" "events of a stopped container"
t_run R events --interval 0s "$ID"
t_is "$RC|$(rx_msg "$ERR")" "1|duration interval must be greater than 0" "a zero interval"
t_run R ps --format json "$ID"
t_is "$RC|$OUT" "0|null" "ps of a container without processes: null"
t_done
