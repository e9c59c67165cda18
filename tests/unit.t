#!/bin/bash
# Runs every C unit test (build/tests/*) and merges their TAP streams into
# one; a binary that crashes or exits non-zero counts as a failure.
top=${MOCKRUNC_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
n=0 failed=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for t in "${MOCKRUNC_BUILD_DIR:-$top/build}"/tests/*; do
	[ -f "$t" ] && [ -x "$t" ] || continue
	name=$(basename "$t")
	"$t" >"$out" 2>&1
	rc=$?
	while IFS= read -r line; do
		case $line in
		"ok "*|"not ok "*)
			n=$((n + 1))
			status=ok
			case $line in "not ok "*) status="not ok"; failed=$((failed + 1));; esac
			rest=$(printf '%s' "$line" | sed -E 's/^(not )?ok [0-9]+( - )?//')
			echo "$status $n - $name: $rest"
			;;
		1..*) ;;
		*) echo "# $line" ;;
		esac
	done <"$out"
	if [ "$rc" != 0 ]; then
		n=$((n + 1)); failed=$((failed + 1))
		echo "not ok $n - $name exited with status $rc"
	fi
done
echo "1..$n"
[ "$failed" = 0 ]
