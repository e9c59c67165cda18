# Shared by engines/*/install and uninstall: where mockrunc is, backups,
# and reporting what changed.

ENGINES_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# The mockrunc to register: MOCKRUNC_BIN, else an installed one, else the
# build in this checkout.
engines_mockrunc_path() {
	if [ -n "${MOCKRUNC_BIN:-}" ]; then echo "$MOCKRUNC_BIN"; return; fi
	if [ -x /usr/local/bin/mockrunc ]; then echo /usr/local/bin/mockrunc; return; fi
	echo "$ENGINES_TOP/bin/mockrunc"
}

# Keeps the first version of a file we change (FILE.mockrunc-backup), so
# uninstall can put back exactly what was there. "absent" is remembered too.
engines_backup() {
	local f=$1
	[ -e "$f.mockrunc-backup" ] || [ -e "$f.mockrunc-absent" ] && return 0
	if [ -e "$f" ]; then cp -p "$f" "$f.mockrunc-backup"; else mkdir -p "$(dirname "$f")"; : >"$f.mockrunc-absent"; fi
}

engines_restore() {
	local f=$1
	if [ -e "$f.mockrunc-backup" ]; then
		mv "$f.mockrunc-backup" "$f"; echo "restored $f from its backup"
	elif [ -e "$f.mockrunc-absent" ]; then
		rm -f "$f" "$f.mockrunc-absent"; echo "removed $f (it did not exist before)"
	else
		echo "$f: nothing to restore (mockrunc was not installed here)"
	fi
}

# Writes NEW over FILE when they differ and says so (with a diff).
engines_replace() {
	local f=$1 new=$2
	if [ -e "$f" ] && cmp -s "$f" "$new"; then
		echo "$f: already up to date"
		rm -f "$new"
		return 0
	fi
	engines_backup "$f"
	echo "changing $f:"
	diff -u "$f" "$new" 2>/dev/null | tail -n +3 | sed 's/^/    /' || true
	[ -e "$f" ] || sed 's/^/    +/' "$new"
	mv "$new" "$f"
	chmod 0644 "$f"
}

# Asks the dockerd that reads daemon.json to reload it: the one whose pid
# is in DOCKER_PIDFILE (default /var/run/docker.pid, the system daemon's).
# Other dockerd processes — private ones with their own --config-file —
# are left alone.
engines_reload_dockerd() {
	local pidfile=${DOCKER_PIDFILE:-/var/run/docker.pid} pid
	pid=$(cat "$pidfile" 2>/dev/null) || return 0
	[ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dockerd ] || return 0
	kill -HUP "$pid" && echo "asked dockerd ($pid) to reload its configuration"
}
