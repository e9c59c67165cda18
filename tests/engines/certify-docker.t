#!/bin/bash
# engines/certify docker end to end: a private dockerd with mockrunc
# registered, the whole workload, a report with no MUST failure on the
# runtime's side and docker's known findings only, then a second run with
# --baseline: no regression. Last, certify against a dockerd that already
# runs: mockrunc is registered in its daemon.json for the run only.
# MOCKRUNC_CERTIFY_BACKEND picks the backend (default: realexec).
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/lib/bundle.sh"
. "$T_TOP/tests/lib/image.sh"
. "$T_TOP/tests/lib/engines.sh"
t_need dockerd docker busybox jq sqlite3
backend=${MOCKRUNC_CERTIFY_BACKEND:-realexec}
DB=$T_TMP/certify.db

# docker 20.10 breaks these MUST rules (the report's evidence names the
# containers):
# - RP01: `-v SRC:DST:rslave` makes docker set linux.rootfsPropagation to
#   "rslave", not one of shared, slave, private, unbindable;
# - image-spec conversion.md: docker drops every annotation of the image
#   (its os, architecture, author, created, StopSignal and Labels).
KNOWN="RP01 EX-image-config.annotation-architecture EX-image-config.annotation-author
	EX-image-config.annotation-created EX-image-config.annotation-labels
	EX-image-config.annotation-os EX-image-config.annotation-stop-signal"

t_certify docker --private --backend "$backend" --db "$DB" --output-dir "$T_TMP/out1"
t_certify_checks docker "$T_TMP/out1" "$KNOWN" ""
t_certify_gone docker
version=$(dockerd --version | sed -n 's/^Docker version \([^,]*\).*/\1/p')
t_is "$(jq -r '.subjects[0] | [.engine, .engine_version, .label] | join(" ")' "$T_TMP/out1/report.json")" \
	"docker $version docker-$version" "the session is docker's, labelled with docker's version"
first=$(jq -r '.subjects[0].sessions[0]' "$T_TMP/out1/report.json")
t_like "$(sed -n '/^\[ *1\//p' <<<"$OUT")" '^\[ 1/[0-9]+\] run: docker run --rm IMAGE echo hi \.\.\. ok \([0-9.]+s\)$' \
	"a progress line per step: number, name, what it does, result, time"

# The same run again, compared with the first: nothing regressed.
t_certify docker --private --backend "$backend" --db "$DB" --output-dir "$T_TMP/out2" --baseline "$first"
t_is "$RC" 0 "with --baseline and nothing regressed, exit 0 despite docker's known findings"
t_like "$OUT" "== regression diff: session $first \(baseline\) -> $((first + 1))" "the diff against the baseline is printed"
t_ok "and written beside the report" test -s "$T_TMP/out2/diff.txt"
t_like "$(cat "$T_TMP/out2/diff.txt")" 'no regression' "the regression diff says: no regression"
t_is "$(jq -r '[.subjects[0].expectations[] | select(.verdict == "fail") | .id] | length' "$T_TMP/out2/report.json")" 6 \
	"the second report still shows docker's findings"
t_certify --private --db "$DB" docker --baseline no-such-label
t_is "$RC" 2 "an unknown baseline is a usage error"
t_like "$OUT" "no finished session is labelled 'no-such-label'" "... which says so"
t_unlike "$OUT" '== workload' "... before running anything"

# A dockerd that runs already (not started by certify): certify registers
# mockrunc-certify in the daemon.json it reads, has it reload, and puts the
# file back as it was.
t_dockerd_start || t_done
conf=$T_TMP/dockerd/daemon.json
cp "$conf" "$T_TMP/daemon.json.before"
export DOCKER_DAEMON_JSON=$conf DOCKER_PIDFILE=$T_TMP/dockerd/d.pid
t_certify docker --backend "$backend" --db "$DB" --output-dir "$T_TMP/out3" --steps '^(run|tty|detach-stop)$'
t_is "$RC" 0 "certify against a running dockerd: a few steps, all behaving, exit 0"
t_like "$OUT" '\(running\)' "it used the running dockerd"
t_like "$OUT" "changing $conf" "it said what it changed in daemon.json"
t_is "$(t_certify_steps | tr '\n' ' ')" "run ok detach-stop ok tty ok " "--steps runs only the steps asked for, in order"
t_is "$(jq -r '[.subjects[0].expectations[].id] | join(" ")' "$T_TMP/out3/report.json")" "EX-run EX-detach-stop EX-tty" \
	"... and only their expectations are judged"
t_ok "daemon.json is back as it was" cmp "$conf" "$T_TMP/daemon.json.before"
t_ok "no backup of it is left" test ! -e "$conf.mockrunc-backup" -a ! -e "$conf.mockrunc-absent"
t_is "$(docker info -f '{{json .Runtimes}}' | jq -r 'has("mockrunc-certify")')" false "dockerd no longer knows the runtime"
t_is "$(docker ps -aq | wc -l)" 0 "no container of the run is left"
t_is "$(docker images -q | wc -l)" 0 "nor its images"
t_certify_gone docker
t_done
