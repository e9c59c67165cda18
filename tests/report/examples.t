#!/bin/bash
# Reference configs give no MUST failure: the spec's own example (config.md)
# and runc's `spec` output (stored from runc 1.1.5; the installed runc and
# mockrunc's own `spec` are judged too when present). What they do get
# matches SPEC-CATALOG.md appendix B.
. "$(dirname "$0")/../lib/tap.sh"

R=$T_BIN/mockrunc-report
FIX=$T_TOP/tests/report/fixtures
command -v jq >/dev/null || t_skip_all "jq is needed"

bundle() { # name config
	mkdir -p "$T_TMP/$1/rootfs"
	cp "$2" "$T_TMP/$1/config.json"
	echo "$T_TMP/$1"
}
lint() { # bundle: sets OUT, RC
	t_run "$R" lint --format json "$1"
}
rule() { jq -r --arg r "$1" '.subjects[0].rules[] | select(.id == $r) | .verdict' <<<"$OUT"; }
fails() { jq -r '[.subjects[0].rules[] | select(.verdict == "fail") | .id] | join(" ")' <<<"$OUT"; }

# The spec's example declares 1.0.1 but uses 1.1.0 features (appendix B).
lint "$(bundle spec "$FIX/spec-example.json")"
t_is "$RC" 0 "the spec's example config: exit 0"
t_is "$(fails)" "" "the spec's example config: no MUST failure"
t_is "$(rule G03)" warn "the spec's example: G03 warns about its version drift"
t_is "$(jq -r '[.subjects[0].rules[] | select(.id == "G03") | .evidence[].feature] | sort | join(" ")' <<<"$OUT")" \
	"linux.namespaces.time linux.resources.cpu.idle linux.timeOffsets process.ioPriority" \
	"G03 names the four 1.1.0 features (appendix B)"
t_is "$(rule CG08)" not-applicable "CG08 does not apply at the declared 1.0.1"
t_is "$(rule HK06)" not-applicable "HK06 does not apply at the declared 1.0.1"
t_is "$(rule DV05)" pass "bundle rules are judged on a bundle (DV05)"

lint "$(bundle runc "$FIX/runc-spec.json")"
t_is "$RC/$(fails)" "0/" "runc 1.1.5's spec output: no MUST failure"
if command -v runc >/dev/null; then
	mkdir -p "$T_TMP/live" && (cd "$T_TMP/live" && runc spec)
	mkdir -p "$T_TMP/live/rootfs"
	lint "$T_TMP/live"
	t_is "$RC/$(fails)" "0/" "the installed runc's spec output: no MUST failure"
fi
mkdir -p "$T_TMP/mock/rootfs"
if "$T_BIN/mockrunc" spec --bundle "$T_TMP/mock" >/dev/null 2>&1 && [ -s "$T_TMP/mock/config.json" ]; then
	lint "$T_TMP/mock"
	t_is "$RC/$(fails)" "0/" "mockrunc's spec output: no MUST failure"
fi

# runtime-tools' known false positives (appendix A) are not repeated.
jq '.annotations = {"org.opencontainers.image.os": "linux", "org.opencontainers.image.stopSignal": "SIGRTMIN+3"}
	| .process.rlimits = [{"type": "RLIMIT_LOCKS", "soft": 10, "hard": 10}]
	| .linux.devices = [{"path": "/dev/sda", "type": "b", "major": 8, "minor": 0}]
	| .hooks.createRuntime = [{"path": "/bin/true"}]
	| .linux.namespaces |= map(if .type == "network" then .path = "/proc/1/ns/net" else . end)
	| .linux.sysctl = {"net.ipv4.ip_forward": "1"}' "$FIX/base.json" >"$T_TMP/fp.json"
lint "$(bundle fp "$T_TMP/fp.json")"
t_is "$(rule AN04)" pass "the eight org.opencontainers.image keys are allowed since 1.2.0"
t_is "$(rule AN05)" pass "SIGRTMIN+3 is a valid stopSignal"
t_is "$(rule PR10)" pass "RLIMIT_LOCKS is a Linux resource"
t_is "$(rule DV03)" pass "device 8:0 (/dev/sda) is valid"
t_is "$(rule SY01)" pass "a net sysctl with a joined network namespace"
t_is "$(rule HK01)" pass "createRuntime hooks are checked too"
t_is "$(fails)" "" "no MUST failure"

# A config recorded with integers beyond int64 (RLIM_INFINITY) is read as a
# runtime would, not refused as invalid JSON.
jq '.process.rlimits = [{"type": "RLIMIT_NOFILE", "soft": 1024, "hard": 1024}]' "$FIX/base.json" |
	sed 's/"hard": 1024/"hard": 18446744073709551615/' >"$T_TMP/big.json"
lint "$(bundle big "$T_TMP/big.json")"
t_is "$(rule G04)/$(rule PR09)/$(rule PR12)" "pass/pass/pass" "uint64 values above INT64_MAX are valid JSON"

# A file that is not a bundle's config.json: G05 says so.
cp "$FIX/base.json" "$T_TMP/standalone.json"
t_run "$R" lint "$T_TMP/standalone.json"
t_is "$RC" 1 "lint of a file not named config.json exits 1"
t_like "$OUT" 'not ok [0-9]+ - G05 ' "... G05 fails"
t_like "$OUT" 'ok [0-9]+ - RT04 .* # SKIP needs the bundle directory' "... bundle rules are skipped, with the reason"
t_run "$R" lint "$T_TMP/nonexistent.json"
t_is "$RC" 2 "lint of a missing file exits 2"

t_done
