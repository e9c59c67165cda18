# Shared by the realexec-*.t engine tests: a runc and a crun that only
# record that something ran them, first on PATH, so a test can show that
# no other runtime did the work.
t_no_other_runtime() {
	local d=$T_TMP/no-runtime
	mkdir -p "$d"
	for rt in runc crun; do
		printf '#!/bin/sh\necho "$0 $*" >>%q\nexit 1\n' "$d/called" >"$d/$rt"
		chmod 0755 "$d/$rt"
	done
	export PATH=$d:$PATH
}

# dockerd asks its default runtime for --version (docker info) whatever
# runtime a container uses; only calls that run containers count.
t_other_runtime_calls() {
	grep -v -e ' --version$' -e ' features$' "$T_TMP/no-runtime/called" 2>/dev/null
}
