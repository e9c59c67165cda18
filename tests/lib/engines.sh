# Private container engines for the end-to-end tests, on top of
# engines/engine-lib.sh (the implementation engines/certify and
# engines/demo use too). Each daemon gets its own socket, root and state
# directories under $T_TMP; everything a test starts — daemons, shims,
# containers, mounts — is stopped and removed at exit, even when the test
# fails. Needs tap.sh, bundle.sh and image.sh.
#
#   t_runtime_wrapper PATH [mockrunc args...]
#       a runtime executable at PATH running bin/mockrunc with those global
#       flags (how docker's runtimeArgs work; for podman and ctr, which
#       cannot pass flags to every call). Name it "runc" to be treated as
#       runc by podman (JSON --log).
#   t_containerd_start              exports CTD_SOCK
#   t_dockerd_start NAME=RUNTIME... exports DOCKER_HOST; registers each
#                                   runtime in a private daemon.json
#   t_podman_setup; t_podman ARGS... podman with private storage; set
#                                   T_PODMAN_RUNTIME to the runtime path
#   t_ctr ARGS...                   ctr on the private containerd
#   t_engine_image NAME             loads the busybox archive (built once
#                                   per test file) into the started engines

. "$T_TOP/engines/engine-lib.sh"

t_need() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || t_skip_all "$c is not installed (make deps)"
	done
	[ "$(id -u)" = 0 ] || t_skip_all "engine tests run as root"
}

t_runtime_wrapper() {
	local path=$1; shift
	eng_runtime_wrapper "$path" "$T_BIN/mockrunc" "$@"
}

# Containers of one test file live under their own cgroup parent, so what
# is left of them can be found and removed.
T_CGROUP_PARENT=mockrunc-test-${T_TMP##*.}

# The last line of defence, after the engines were asked to clean up.
t_engine_reap() { eng_reap "$T_TMP" "$T_CGROUP_PARENT"; }

t_stop_pid() { eng_stop_pid "$1"; }

t_containerd_start() {
	t_cleanup "t_engine_reap"
	eng_containerd_start "$T_TMP/ctd" 2>"$T_TMP/ctd.err"
	local rc=$?
	[ -n "${ENG_CONTAINERD_PID:-}" ] && t_cleanup "t_stop_pid $ENG_CONTAINERD_PID"
	t_cleanup "t_ctr_remove_all"
	[ $rc = 0 ] || { t_diag "$(cat "$T_TMP/ctd.err")"; return 1; }
}

t_dockerd_start() {
	local dir=$T_TMP/dockerd runtimes='{}' spec name path
	mkdir -p "$dir"
	for spec in "$@"; do
		name=${spec%%=*} path=${spec#*=}
		runtimes=$(jq -c --arg n "$name" --arg p "$path" '. + {($n): {path: $p}}' <<<"$runtimes")
	done
	jq -n --argjson r "$runtimes" '{runtimes: $r}' >"$dir/daemon.json"
	t_cleanup "t_engine_reap"
	eng_dockerd_start "$dir" "$dir/daemon.json" --cgroup-parent "/$T_CGROUP_PARENT" 2>"$T_TMP/dockerd.err"
	local rc=$?
	[ -n "${ENG_DOCKERD_PID:-}" ] && t_cleanup "t_stop_pid $ENG_DOCKERD_PID"
	t_cleanup 'docker ps -aq | xargs -r docker rm -f'
	[ $rc = 0 ] || { t_diag "$(cat "$T_TMP/dockerd.err")"; return 1; }
}

# ctr against the private containerd, in a namespace of this test's own
# (so its containers' cgroups sit under $T_CGROUP_PARENT).
t_ctr() {
	ctr --address "$CTD_SOCK" --namespace "$T_CGROUP_PARENT" "$@"
}

t_ctr_remove_all() {
	local id
	for id in $(t_ctr tasks ls -q 2>/dev/null); do t_ctr tasks delete -f "$id"; done
	for id in $(t_ctr containers ls -q 2>/dev/null); do t_ctr containers rm "$id"; done
	# The shim's runtime state root for the namespace (runc's default).
	rmdir "/run/containerd/runc/$T_CGROUP_PARENT" 2>/dev/null
}

t_podman() {
	ENG_PODMAN_FLAGS=${T_PODMAN_RUNTIME:+--runtime $T_PODMAN_RUNTIME} eng_podman "$T_TMP/podman" "$@"
}

# Registers podman's cleanup; call once before the first t_podman.
t_podman_setup() {
	t_cleanup "t_engine_reap"
	t_cleanup 't_podman rm -fa -t 0'
}

T_IMAGE_ARCHIVE=
t_engine_image() {
	local name=$1
	if [ -z "$T_IMAGE_ARCHIVE" ]; then
		T_IMAGE_ARCHIVE=$T_TMP/busybox-image.tar
		t_image_archive "$T_IMAGE_ARCHIVE" "$name"
	fi
	if [ -n "${DOCKER_HOST:-}" ]; then docker load -i "$T_IMAGE_ARCHIVE" >/dev/null || return 1; fi
	if [ -n "${CTD_SOCK:-}" ]; then t_ctr images import "$T_IMAGE_ARCHIVE" >/dev/null || return 1; fi
	if [ -n "${T_PODMAN_RUNTIME:-}" ]; then t_podman load -i "$T_IMAGE_ARCHIVE" >/dev/null || return 1; fi
	return 0
}

# ---- engines/certify end to end (tests/engines/certify-*.t) ----

# A TAP "TODO" result: reported, never a failure (a known gap being worked
# on; prove says so when it starts passing).
t_todo() {
	local ok=$1 desc=$2 why=$3
	T_N=$((T_N + 1))
	if [ "$ok" = 0 ]; then echo "ok $T_N - $desc # TODO $why"; else echo "not ok $T_N - $desc # TODO $why"; fi
}

# t_certify ARGS...: runs engines/certify; $OUT holds what it printed
# (stdout and stderr), $RC its exit status.
t_certify() {
	local o
	o=$(mktemp)
	"$T_TOP/engines/certify" "$@" >"$o" 2>&1
	RC=$?
	OUT=$(cat "$o")
	rm -f "$o"
}

# The steps of a certify run, as its progress lines show them:
# "NAME ok" or "NAME FAILED".
t_certify_steps() {
	sed -n 's/^\[ *[0-9]*\/[0-9]*\] \([^:]*\): .* \.\.\. \(ok\|FAILED\).*/\1 \2/p' <<<"$OUT"
}

# t_certify_checks ENGINE OUTDIR 'known MUST failures' 'known step gaps'
# What every certification must show, after t_certify: the report files,
# every step run and behaving (a known gap is a TODO), no MUST failure on
# the runtime's side, MUST failures only where the engine is known to break
# a rule (its findings), every expectation exercised, every workload step
# judged by an expectation.
t_certify_checks() {
	local engine=$1 out=$2 known=$3 gaps=$4 json=$2/report.json
	local steps total failed s got want plan

	t_ok "$engine: report.json is JSON with one subject" jq -e '.subjects | length == 1' "$json"
	if command -v xmllint >/dev/null; then
		t_ok "$engine: report.html is well-formed HTML" xmllint --html --noout "$out/report.html"
	fi
	t_like "$(tail -c 200 "$out/report.html")" '</html>' "$engine: report.html is complete"
	plan=$(grep -E '^1\.\.[0-9]+$' "$out/report.tap" | cut -c4-)
	t_is "$(grep -cE '^(not )?ok [0-9]+ - ' "$out/report.tap")" "$plan" "$engine: report.tap has a result line per planned test"
	t_like "$OUT" "report: $out/report.html" "$engine: certify names its report files"

	steps=$(t_certify_steps)
	total=$(sed -n 's/^== workload: \([0-9]*\) steps.*/\1/p' <<<"$OUT")
	t_ok "$engine: the workload has steps" test "${total:-0}" -gt 20
	t_is "$(wc -l <<<"$steps")" "$total" "$engine: a progress line for each of the $total steps"
	for s in $gaps; do
		t_todo "$(grep -qx "$s ok" <<<"$steps"; echo $?)" "$engine: step $s behaves" "known gap of the runtime under test"
	done
	failed=$(awk '$2 == "FAILED" { print $1 }' <<<"$steps" | grep -vxF -f <(printf '%s\n' $gaps _) | tr '\n' ' ')
	t_is "$failed" "" "$engine: every other workload step behaved"

	t_is "$(jq -r '[.subjects[0].rules[] | select(.verdict == "fail" and .input == "runtime") | .id] | join(" ")' "$json")" "" \
		"$engine: no MUST failure on the runtime's side"
	got=$(jq -r '[(.subjects[0].rules[] | select(.verdict == "fail") | .id),
		(.subjects[0].expectations[] | select(.verdict == "fail") | .id)] | sort | join(" ")' "$json")
	want=$(printf '%s\n' $known | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//')
	t_is "$got" "$want" "$engine: the MUST failures are the engine's known findings"
	t_is "$(jq -r '[.subjects[0].expectations[] | select(.verdict == "not-exercised") | .id] | join(" ")' "$json")" "" \
		"$engine: every expectation was exercised"
	t_ok "$engine: at least 40 expectations judged" test "$(jq '.subjects[0].expectations | length' "$json")" -ge 40
	t_is "$(awk '{ print $1 }' <<<"$steps" | while read -r s; do
			jq -e --arg s "EX-$s" 'any(.subjects[0].expectations[]; .id == $s)' "$json" >/dev/null || printf '%s ' "$s"
		done)" "${T_CERTIFY_UNJUDGED:-}" "$engine: every workload step is judged by an expectation"
	t_ok "$engine: at least 50 spec features exercised" test "$(jq '.subjects[0].headline.exercised' "$json")" -ge 50
	if [ -n "$known" ] || [ -n "$failed" ]; then want=1; else want=0; fi
	t_is "$RC" "$want" "$engine: exit status 1 exactly when a MUST failed or a step did not behave"
}

# Nothing of a certify run is left: its directory, mounts and processes.
t_certify_gone() {
	local engine=$1 work
	work=$(sed -n 's/^   work directory \(\/[^ ]*\) .*/\1/p' <<<"$OUT")
	t_like "$work" '^/tmp/mockrunc-certify\.' "$engine: certify names its work directory"
	t_ok "$engine: the work directory is removed" test ! -e "$work"
	t_is "$(awk -v d="$work" 'index($2, d) == 1' /proc/self/mounts)" "" "$engine: nothing stays mounted below it"
	t_is "$(pgrep -f -- "$work" | tr '\n' ' ')" "" "$engine: no process of the run is left"
}
