# Private container engines: the one implementation that engines/certify,
# engines/demo and the end-to-end tests (tests/lib/engines.sh) share.
#
# Every daemon gets its own socket, root and state directories under a
# directory the caller owns, so several can run beside a system daemon and
# beside each other; eng_reap removes whatever is left of them. Functions
# return non-zero on failure and never exit; they work with and without
# `set -euo pipefail`.
#
#   eng_runtime_wrapper PATH MOCKRUNC [FLAG...]
#       an executable at PATH running MOCKRUNC with those global flags
#       before the engine's arguments (what docker does with runtimeArgs;
#       podman and ctr need it: they cannot add flags to every call, and
#       podman passes its runtime an empty environment)
#   eng_containerd_start DIR        sets CTD_SOCK and ENG_CONTAINERD_PID
#   eng_dockerd_start DIR CONFIG [DOCKERD-FLAG...]
#                                   sets DOCKER_HOST and ENG_DOCKERD_PID
#   eng_podman DIR ARG...           podman with private storage under DIR;
#                                   ENG_PODMAN_FLAGS adds global flags
#   eng_stop_pid PID                TERM, up to 30 s, then KILL
#   eng_reap DIR [CGROUP-PARENT]    kills what runs from DIR, unmounts what
#                                   is mounted below it, removes the cgroups
#   eng_wait_for TENTHS CMD...      retries CMD until it succeeds

eng_wait_for() {
	local tenths=$1; shift
	while [ "$tenths" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		tenths=$((tenths - 1))
	done
	return 1
}

eng_runtime_wrapper() {
	local path=$1 mockrunc=$2; shift 2
	mkdir -p "$(dirname "$path")"
	{
		echo '#!/bin/sh'
		printf 'exec %q' "$mockrunc"
		[ $# -gt 0 ] && printf ' %q' "$@"
		echo ' "$@"'
	} >"$path"
	chmod 0755 "$path"
}

eng_stop_pid() {
	local pid=$1 tenths=300
	kill -TERM "$pid" 2>/dev/null || return 0
	while [ $tenths -gt 0 ] && kill -0 "$pid" 2>/dev/null &&
		[ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ]; do
		sleep 0.1
		tenths=$((tenths - 1))
	done
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	return 0
}

# The last line of defence, after the engines were asked to clean up:
# kills every process whose command line mentions DIR (daemons, shims,
# conmon) or whose root directory is below it (container processes),
# unmounts what is mounted below DIR (deepest first) and removes the
# cgroups named CGROUP-PARENT.
eng_reap() {
	local dir=$1 parent=${2:-} p root
	for p in $(pgrep -f -- "$dir" 2>/dev/null); do
		[ "$p" = "$$" ] || [ "$p" = "${BASHPID:-$$}" ] || kill -KILL "$p" 2>/dev/null || true
	done
	for p in /proc/[0-9]*; do
		root=$(readlink "$p/root" 2>/dev/null) || continue
		case $root in "$dir"/*) kill -KILL "${p#/proc/}" 2>/dev/null || true ;; esac
	done
	sleep 0.2
	awk -v d="$dir" '$2 == d || index($2, d "/") == 1 { print $2 }' /proc/self/mounts | sort -r |
		while read -r m; do umount -l "$m" 2>/dev/null || true; done
	if [ -n "$parent" ]; then
		find /sys/fs/cgroup/*/"$parent" /sys/fs/cgroup/*/*/"$parent" /sys/fs/cgroup/"$parent" \
			-depth -type d -exec rmdir {} + 2>/dev/null || true
	fi
	return 0
}

eng_containerd_start() {
	local dir=$1
	mkdir -p "$dir"
	cat >"$dir/config.toml" <<EOF
version = 2
root = "$dir/root"
state = "$dir/state"
disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs"]
[grpc]
  address = "$dir/c.sock"
[ttrpc]
  address = "$dir/c.sock.ttrpc"
[debug]
  address = "$dir/debug.sock"
EOF
	CTD_SOCK=$dir/c.sock
	export CTD_SOCK
	containerd -c "$dir/config.toml" </dev/null >"$dir/log" 2>&1 &
	ENG_CONTAINERD_PID=$!
	if ! eng_wait_for 100 ctr --address "$CTD_SOCK" version; then
		echo "containerd did not start:" >&2
		tail -5 "$dir/log" >&2
		return 1
	fi
}

# CONFIG is the daemon.json to use (engines/docker/install writes one).
# Without --iptables=false --bridge=none dockerd cannot set up its default
# bridge on machines without the netfilter modules.
eng_dockerd_start() {
	local dir=$1 config=$2; shift 2
	mkdir -p "$dir"
	DOCKER_HOST=unix://$dir/d.sock
	export DOCKER_HOST
	dockerd --iptables=false --bridge=none --data-root "$dir/data" --exec-root "$dir/x" \
		--pidfile "$dir/d.pid" -H "$DOCKER_HOST" --config-file "$config" "$@" \
		</dev/null >"$dir/log" 2>&1 &
	ENG_DOCKERD_PID=$!
	if ! eng_wait_for 200 docker info; then
		echo "dockerd did not start:" >&2
		tail -5 "$dir/log" >&2
		return 1
	fi
}

# podman keeps no daemon: "private" is its storage, run root and temporary
# directory. vfs storage works on any file system below DIR.
eng_podman() {
	local dir=$1; shift
	mkdir -p "$dir/tmp"
	# shellcheck disable=SC2086 # ENG_PODMAN_FLAGS is a list of flags
	podman --root "$dir/storage" --runroot "$dir/run" --tmpdir "$dir/tmp" --storage-driver vfs \
		--cgroup-manager cgroupfs --events-backend file ${ENG_PODMAN_FLAGS:-} "$@"
}
