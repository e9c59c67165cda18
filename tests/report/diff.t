#!/bin/bash
# diff between two sessions (engine version A, then B): a session that drops
# a feature is a regression (exit 1) and the report names what was lost; the
# other way round is a gain (exit 0); rules newly failing are regressions.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/report/fixtures/docker-session.sh"

R=$T_BIN/mockrunc-report
command -v jq >/dev/null && command -v sqlite3 >/dev/null || t_skip_all "jq and sqlite3 are needed"

DB=$T_TMP/d.db
A=$(docker_session "$DB" 20.10.24)
# Version B runs the same workload but no longer starts a tty container.
B=$(docker_session "$DB" 20.10.25 run detach memory-limit stop rmf features)

t_run "$R" --db "$DB" diff --base "$A" --head "$B"
t_is "$RC" 1 "a dropped feature is a regression: exit 1"
t_like "$OUT" 'REGRESSION' "the verdict says so"
# The lines of one section of the text output.
section() { sed -n "/^$1/,/^\$/p" <<<"$OUT" | sed 1d; }
t_like "$(section 'regression: features no longer exercised')" '^  cli.create.consoleSocket$' \
	"the lost feature is named (create's console socket)"
t_like "$(section 'regression: features no longer exercised')" '^  process.consoleSize$' \
	"... and the terminal's console size"
t_like "$(section 'command-line items no longer used')" '^  create.--console-socket$' \
	"the dropped command-line flag is named"

t_run "$R" --db "$DB" diff --base "$B" --head "$A" --format json
t_is "$RC" 0 "the other way round nothing regressed: exit 0"
t_is "$(jq -r '.regression' <<<"$OUT")" false "json: regression false"
t_like "$(jq -r '.features_gained | join(" ")' <<<"$OUT")" 'cli.create.consoleSocket' "json: the gained feature"
t_like "$(jq -r '.cli_items_new | join(" ")' <<<"$OUT")" 'create.--console-socket' "json: the new command-line item"
t_is "$(jq -r '.features_lost | length' <<<"$OUT")" 0 "json: nothing lost"

t_run "$R" --db "$DB" diff --base "$A" --head "$A"
t_is "$RC" 0 "a session against itself: exit 0"
t_like "$OUT" 'no regression' "... no regression"

# A rule newly failing is a regression too.
mkdir -p "$T_TMP/bad"
jq '.process.cwd = "tmp"' "$T_TOP/tests/report/fixtures/base.json" >"$T_TMP/bad/config.json"
C=$("$R" --db "$DB" session begin --engine docker --engine-version 20.10.26)
"$T_BIN/mockrunc" --mock-db "$DB" --mock-backend "$T_TOP/tests/lib/fake-runtime" create --bundle "$T_TMP/bad" x1 >/dev/null 2>&1
"$R" --db "$DB" session end
t_run "$R" --db "$DB" diff --base "$A" --head "$C" --format md
t_is "$RC" 1 "a newly failing MUST rule: exit 1"
t_like "$OUT" '^## regression: MUST rules newly failing \(1\)$' "md: a regression section"
t_like "$(sed -n '/^## regression: MUST rules newly failing/,/^## /p' <<<"$OUT")" '^- PR03 process.cwd is an absolute path$' \
	"md: the newly failing rule with its id"

t_run "$R" --db "$DB" diff --base "$A"
t_is "$RC" 2 "diff without --head is a usage error"
t_run "$R" --db "$DB" diff --base "$A" --head 999
t_is "$RC" 2 "diff with an unknown session exits 2"

t_done
