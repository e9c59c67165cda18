#!/bin/bash
# The create/start path kept short: one process for the init when nothing
# must be joined first, compiled seccomp programs cached under the root,
# the call recorded while the container is built (before its process
# runs, and with no database fd reaching the container), `run` deleting
# what it ran from memory.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/lifecycle/lifecycle.sh"

# The cache of this test's own (by default it is /run/mockrunc-seccomp-cache).
export MOCKRUNC_SECCOMP_CACHE=$T_TMP/seccomp-cache
CACHE=$MOCKRUNC_SECCOMP_CACHE
# The runtime's own processes: clone/fork calls made while creating.
forks() { grep -cE '(clone3?|v?fork)\(' "$1"; }

# One process: run clones the init with its namespaces, and nothing else
# (hooks would be forks of their own: there are none here). strace -f
# follows the container too, so the container is one that ends.
if command -v strace >/dev/null; then
	# (Under a sanitizer build, LeakSanitizer cannot run traced and adds
	# a thread of its own at exit: it is off for the traced runs.)
	traced() { ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 "$@"; }
	ID=$(rx_id one)
	rx_set '.process.args = ["sh", "-c", "echo $$; readlink /proc/1/ns/net"]'
	t_run traced strace -f -qq -o "$T_TMP/one.strace" -e trace=clone,clone3,fork,vfork \
		"$T_BIN/mockrunc" --root "$ROOT" run --bundle "$B" "$ID"
	t_is "$RC" 0 "run, traced"
	t_is "$(forks "$T_TMP/one.strace")" 1 "the init is the only process run starts"
	t_is "$(head -1 <<<"$OUT")" 1 "it is pid 1 of its pid namespace"
	t_ok "in its own network namespace" test "$(tail -1 <<<"$OUT")" != "$(readlink /proc/self/ns/net)"

	# A user namespace only reaches children: two stages then.
	ID=$(rx_id two)
	rx_reset
	rx_set '.linux.namespaces += [{type: "user"}] |
		.linux.uidMappings = [{containerID: 0, hostID: 0, size: 65536}] |
		.linux.gidMappings = [{containerID: 0, hostID: 0, size: 65536}] |
		.process.args = ["true"]'
	t_run traced strace -f -qq -o "$T_TMP/two.strace" -e trace=clone,clone3,fork,vfork \
		"$T_BIN/mockrunc" --root "$ROOT" run --bundle "$B" "$ID"
	t_is "$RC" 0 "run with a user namespace, traced"
	t_is "$(forks "$T_TMP/two.strace")" 2 "stage 1 and the init"
else
	t_diag "strace is not installed: process counts not checked"
fi

# The seccomp cache: the second create loads what the first compiled.
rx_reset
rx_set '.process.args = ["sh", "-c", "mkdir /tmp/x 2>&1; echo rc=$?"] |
	.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW", architectures: ["SCMP_ARCH_X86", "SCMP_ARCH_X32"],
		syscalls: [{names: ["mkdir", "mkdirat"], action: "SCMP_ACT_ERRNO", errnoRet: 13},
			{names: ["no_such_syscall"], action: "SCMP_ACT_ERRNO"}]}'
seccomp_run() { # NAME: runs the container, with debug lines in $T_TMP/NAME.log
	t_run R --debug --log "$T_TMP/$1.log" run --bundle "$B" "$(rx_id "$1")"
}
seccomp_run sc1
t_like "$OUT" 'rc=1' "seccomp: the profile applies (compiled)"
t_unlike "$(cat "$T_TMP/sc1.log")" 'from the cache' "seccomp: the first run compiles"
t_is "$(stat -c %a "$CACHE")" 700 "the cache directory is the runtime's alone"
t_is "$(ls "$CACHE" | wc -l)" 1 "one entry for the profile"
seccomp_run sc2
t_like "$OUT" 'rc=1' "seccomp: the profile applies (cached)"
t_like "$(cat "$T_TMP/sc2.log")" 'seccomp program [0-9a-f]{64} from the cache' "seccomp: the second run loads it"
t_like "$(cat "$T_TMP/sc2.log")" 'unknown seccomp syscall .*no_such_syscall' \
	"seccomp: what the compile logged is logged again"
entry=$(ls "$CACHE")
printf 'damage' | dd of="$CACHE/$entry" bs=1 seek=200 conv=notrunc 2>/dev/null
seccomp_run sc3
t_like "$OUT" 'rc=1' "seccomp: a damaged entry is not loaded, the profile still applies"
t_like "$(cat "$T_TMP/sc3.log")" 'is damaged: compiled again' "seccomp: the damage is noticed"
seccomp_run sc4
t_like "$(cat "$T_TMP/sc4.log")" 'from the cache' "seccomp: the entry was replaced"
R delete -f "$(rx_id sc4)" 2>/dev/null
t_is "$(ls -A "$ROOT" | tr '\n' ' ')" "" "nothing of the cache in the runtime root: an engine can remove it"
MOCKRUNC_SECCOMP_CACHE=off seccomp_run sc5
t_like "$OUT" 'rc=1' "seccomp: MOCKRUNC_SECCOMP_CACHE=off, the profile still applies"
t_unlike "$(cat "$T_TMP/sc5.log")" 'from the cache' "... compiled, not loaded"

# Recorded while the container is built: a createRuntime hook (it runs in
# the runtime, after the init set up its mounts) already sees the call.
if command -v sqlite3 >/dev/null; then
	ID=$(rx_id rec)
	cat >"$T_TMP/seen" <<HOOK
#!/bin/sh
sqlite3 "\$1" "SELECT command || ' ' || coalesce(exit_code, 'running') FROM invocations WHERE container_id = '\$2'" >"\$3"
HOOK
	chmod +x "$T_TMP/seen"
	rx_reset
	rx_set ".process.args = [\"true\"] | .hooks.createRuntime = [{path: \"$T_TMP/seen\",
		args: [\"seen\", \"$MOCKRUNC_DB\", \"$ID\", \"$T_TMP/rec.seen\"]}]"
	t_run R run --bundle "$B" "$ID"
	t_is "$RC" 0 "run with a hook reading the database"
	t_is "$(cat "$T_TMP/rec.seen")" "run running" "the call is recorded before the container's process runs"
	t_is "$(sqlite3 "$MOCKRUNC_DB" "SELECT exit_code FROM invocations WHERE container_id = '$ID'")" 0 \
		"and its outcome after"
else
	t_diag "sqlite3 is not installed: recording order not checked"
fi

# The database is opened after the init was forked: none of its files
# reach the container.
ID=$(rx_id fds)
rx_reset
rx_set '.process.args = ["sleep", "300"]'
R create --bundle "$B" --pid-file "$T_TMP/fds.pid" "$ID"
pid=$(cat "$T_TMP/fds.pid")
t_ok "the call was recorded" test -s "$MOCKRUNC_DB"
t_is "$(ls -l "/proc/$pid/fd" | grep -c "$(basename "$MOCKRUNC_DB")")" 0 "the init holds no database file"
R delete --force "$ID"

# `run` deletes what it ran without reading its state back: a container
# someone else deleted meanwhile is no error for it. (Both deletes may run
# the poststop hook, as before: they race, and nothing orders them.)
ID=$(rx_id gone)
cat >"$T_TMP/poststop" <<HOOK
#!/bin/sh
echo poststop >>"$T_TMP/gone.log"
HOOK
chmod +x "$T_TMP/poststop"
rx_reset
rx_set ".process.args = [\"sleep\", \"300\"] | .hooks.poststop = [{path: \"$T_TMP/poststop\"}]"
R run --bundle "$B" "$ID" >/dev/null 2>"$T_TMP/gone.err" &
runner=$!
running() { [ "$(rx_status "$ID")" = running ]; }
t_ok "the container runs" t_wait_for 100 running
R delete --force "$ID"
wait "$runner"
t_is "$?" 137 "run ends with its process, killed by the delete"
t_like "$(cat "$T_TMP/gone.log")" '^poststop' "the poststop hook ran"
t_is "$(cat "$T_TMP/gone.err")" "" "run has nothing to warn about"
t_fails "no state is left" test -e "$ROOT/$ID"

t_done
