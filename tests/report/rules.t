#!/bin/bash
# Every MUST and SHOULD config rule has a config that violates it and one
# that satisfies it (fixtures/rules.tsv: jq patches of fixtures/base.json).
# Each is linted as a bundle: the violating one must show the rule failing
# (MUST) or warning (SHOULD, disputed), with evidence; the satisfying one
# must show the rule passing and no MUST failure at all.
. "$(dirname "$0")/../lib/tap.sh"

R=$T_BIN/mockrunc-report
FIX=$T_TOP/tests/report/fixtures
command -v jq >/dev/null || t_skip_all "jq is needed"

HELPERS='
def maps: {"uidMappings": [{"containerID": 0, "hostID": 1000, "size": 10}],
           "gidMappings": [{"containerID": 0, "hostID": 1000, "size": 10}]};
def userns: .linux.namespaces += [{"type": "user"}]
  | .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
  | .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}];
def mnt(m): .mounts += [m];
def hook(kind; h): .hooks[kind] = [h];
def res(key; v): .linux.resources[key] = v;
def sec(s): .linux.seccomp = s;
def rdt(r): .linux.intelRdt = r;
'

# A bundle: rootfs with /bin/sh, a regular file where a device could go,
# and the directories other root paths of the fixtures name.
mkbundle() {
	mkdir -p "$1/rootfs/bin" "$1/rootfs/dev" "$1/sub/rootfs" "$1/merged"
	: >"$1/rootfs/bin/sh"
	: >"$1/rootfs/dev/null"
}

# Writes the fixture and prints the path to lint.
fixture() { # dir patch
	local dir=$1 patch=$2
	mkbundle "$dir"
	case $patch in
	RAW:*) printf '%s' "${patch#RAW:}" >"$dir/config.json"; echo "$dir" ;;
	FILE:*) cp "$FIX/base.json" "$dir/${patch#FILE:}"; echo "$dir/${patch#FILE:}" ;;
	*) jq "$HELPERS $patch" "$FIX/base.json" >"$dir/config.json" || return 1; echo "$dir" ;;
	esac
}

cgroup2=no
[ "$(stat -f -c %T /sys/fs/cgroup 2>/dev/null)" = cgroup2fs ] && cgroup2=yes

levels=$("$R" features --format json | jq -r '.rules[] | "\(.id) \(.level) \(.disputed) \(.input)"')

# Coverage: every MUST and SHOULD rule judged on a config has its row.
missing=""
while read -r id level disputed input; do
	case $level:$input in
	MUST:config|MUST:bundle|MUST:host|SHOULD:config|SHOULD:bundle|SHOULD:host)
		grep -q "^$id	" "$FIX/rules.tsv" || missing="$missing $id" ;;
	esac
done <<<"$levels"
t_is "$missing" "" "every MUST and SHOULD config rule has fixtures"

while IFS=$'\t' read -r rule flags bad good; do
	case $rule in ''|'#'*) continue ;; esac
	read -r _ level disputed _ <<<"$(grep "^$rule " <<<"$levels")"
	want=fail
	[ "$level" = MUST ] && [ "$disputed" = false ] || want=warn
	args=(--format json)
	case ,$flags, in *,host,*) args+=(--host-specific) ;; esac

	badpath=$(fixture "$T_TMP/$rule/bad" "$bad") || { t_is "jq failed" "" "$rule: violating fixture"; continue; }
	t_run "$R" lint "${args[@]}" "$badpath"
	verdict=$(jq -r --arg r "$rule" '.subjects[0].rules[] | select(.id == $r) | .verdict' <<<"$OUT")
	evidence=$(jq -r --arg r "$rule" '.subjects[0].rules[] | select(.id == $r) | .evidence | length' <<<"$OUT")
	t_is "$verdict" "$want" "$rule: the violating config makes it $want"
	t_ok "$rule: the violation comes with evidence" test "${evidence:-0}" -gt 0
	if [ "$want" = fail ]; then
		t_is "$RC" 1 "$rule: lint exits 1 on the violating config"
	fi

	case ,$flags, in *,v2,*) [ $cgroup2 = yes ] || continue ;; esac
	goodpath=$(fixture "$T_TMP/$rule/good" "$good") || { t_is "jq failed" "" "$rule: satisfying fixture"; continue; }
	t_run "$R" lint "${args[@]}" "$goodpath"
	verdict=$(jq -r --arg r "$rule" '.subjects[0].rules[] | select(.id == $r) | .verdict' <<<"$OUT")
	case ,$flags, in
	*,absent,*) t_is "$verdict" not-exercised "$rule: the satisfying config leaves the feature out" ;;
	*) t_is "$verdict" pass "$rule: the satisfying config passes it" ;;
	esac
	t_is "$RC/$(jq -r '.subjects[0].headline.must_failures' <<<"$OUT")" "0/0" \
		"$rule: the satisfying config has no MUST failure"
	[ "$RC" = 0 ] || t_diag "$(jq -c '[.subjects[0].rules[] | select(.verdict == "fail") | .id]' <<<"$OUT")"
done <"$FIX/rules.tsv"

t_done
