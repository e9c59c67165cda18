# Private container engines for the end-to-end tests. Each daemon gets its
# own socket, root and state directories under $T_TMP; everything a test
# starts — daemons, shims, containers, mounts — is stopped and removed at
# exit, even when the test fails. Needs tap.sh, bundle.sh and image.sh.
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

t_need() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || t_skip_all "$c is not installed (make deps)"
	done
	[ "$(id -u)" = 0 ] || t_skip_all "engine tests run as root"
}

t_runtime_wrapper() {
	local path=$1; shift
	mkdir -p "$(dirname "$path")"
	{
		echo '#!/bin/sh'
		printf 'exec %q' "$T_BIN/mockrunc"
		printf ' %q' "$@"
		echo ' "$@"'
	} >"$path"
	chmod 0755 "$path"
}

# Containers of one test file live under their own cgroup parent, so what
# is left of them can be found and removed.
T_CGROUP_PARENT=mockrunc-test-${T_TMP##*.}

# The last line of defence, after the engines were asked to clean up: kills
# every process whose command line mentions $T_TMP (daemons, shims, conmon)
# or whose root directory is below it (container processes), unmounts what
# is mounted below it (deepest first) and removes the test's cgroups.
t_engine_reap() {
	local p root
	for p in $(pgrep -f -- "$T_TMP" 2>/dev/null); do
		[ "$p" = "$$" ] || kill -KILL "$p" 2>/dev/null
	done
	for p in /proc/[0-9]*; do
		root=$(readlink "$p/root" 2>/dev/null) || continue
		case $root in "$T_TMP"/*) kill -KILL "${p#/proc/}" 2>/dev/null ;; esac
	done
	sleep 0.2
	awk -v d="$T_TMP" 'index($2, d) == 1 { print $2 }' /proc/self/mounts | sort -r |
		while read -r m; do umount -l "$m" 2>/dev/null; done
	find /sys/fs/cgroup/*/"$T_CGROUP_PARENT" /sys/fs/cgroup/*/*/"$T_CGROUP_PARENT" -depth -type d \
		-exec rmdir {} + 2>/dev/null
	return 0
}

# Stops a daemon: SIGTERM, up to 30 s for it to finish its own cleanup,
# then SIGKILL.
t_stop_pid() {
	local pid=$1 tenths=300
	kill -TERM "$pid" 2>/dev/null || return 0
	while [ $tenths -gt 0 ] && kill -0 "$pid" 2>/dev/null &&
		[ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ]; do
		sleep 0.1
		tenths=$((tenths - 1))
	done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return 0
}

t_containerd_start() {
	local dir=$T_TMP/ctd
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
	containerd -c "$dir/config.toml" >"$dir/log" 2>&1 &
	local pid=$!
	t_cleanup "t_engine_reap"
	t_cleanup "t_stop_pid $pid"
	t_cleanup "t_ctr_remove_all"
	t_wait_for 100 ctr --address "$CTD_SOCK" version || { t_diag "containerd did not start:" "$(tail -5 "$dir/log")"; return 1; }
}

t_dockerd_start() {
	local dir=$T_TMP/dockerd runtimes='{}' spec name path
	mkdir -p "$dir"
	for spec in "$@"; do
		name=${spec%%=*} path=${spec#*=}
		runtimes=$(jq -c --arg n "$name" --arg p "$path" '. + {($n): {path: $p}}' <<<"$runtimes")
	done
	jq -n --argjson r "$runtimes" '{runtimes: $r}' >"$dir/daemon.json"
	DOCKER_HOST=unix://$dir/d.sock
	export DOCKER_HOST
	dockerd --iptables=false --bridge=none --data-root "$dir/data" --exec-root "$dir/x" \
		--pidfile "$dir/d.pid" -H "$DOCKER_HOST" --config-file "$dir/daemon.json" \
		--cgroup-parent "/$T_CGROUP_PARENT" >"$dir/log" 2>&1 &
	local pid=$!
	t_cleanup "t_engine_reap"
	t_cleanup "t_stop_pid $pid"
	t_cleanup 'docker ps -aq | xargs -r docker rm -f'

	t_wait_for 200 docker info || { t_diag "dockerd did not start:" "$(tail -5 "$dir/log")"; return 1; }
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
}

t_podman() {
	local dir=$T_TMP/podman
	mkdir -p "$dir/tmp"
	podman --root "$dir/storage" --runroot "$dir/run" --tmpdir "$dir/tmp" --storage-driver vfs \
		--cgroup-manager cgroupfs --events-backend file \
		${T_PODMAN_RUNTIME:+--runtime "$T_PODMAN_RUNTIME"} "$@"
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
