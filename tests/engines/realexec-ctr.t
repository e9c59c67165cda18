#!/bin/bash
# containerd (ctr, shim v2) with mockrunc's own execution core as runc.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/lib/bundle.sh"
. "$T_TOP/tests/lib/image.sh"
. "$T_TOP/tests/lib/engines.sh"
. "$T_TOP/tests/engines/realexec-lib.sh"
t_need containerd ctr busybox jq script

t_no_other_runtime
t_runtime_wrapper "$T_TMP/rt/mockrunc" --mock-backend=realexec --mock-db="$T_TMP/ctr.db"
t_containerd_start || t_done
t_ok "busybox image loaded" t_engine_image mr-busybox
IMG=docker.io/library/mr-busybox:latest
C=(run --runc-binary "$T_TMP/rt/mockrunc" --rm)

t_run t_ctr "${C[@]}" "$IMG" rx-hi echo hi
t_is "$RC|$OUT" "0|hi" "ctr run prints hi"

t_run t_ctr "${C[@]}" "$IMG" rx-exit sh -c 'exit 4'
t_is "$RC" 4 "the exit code is the process's"

# ctr -t wants a terminal of its own: script(1) gives it one.
t_run script -qec "ctr --address $CTD_SOCK --namespace $T_CGROUP_PARENT ${C[*]} -t $IMG rx-tty tty" /dev/null
# (script echoes the NUL ctr writes on the terminal as "^@").
t_is "$RC|$(printf '%s' "$OUT" | tr -d '\r' | sed 's/\^@//g')" "0|/dev/pts/0" "ctr run -t gets a terminal"

t_run t_ctr "${C[@]}" "$IMG" rx-missing nosuchprogram
t_fails "a missing program fails" test "$RC" = 0
t_like "$ERR" 'executable file not found in \$PATH' "with runc's wording"
t_is "$(t_other_runtime_calls)" "" "no other runtime was called"
t_done
