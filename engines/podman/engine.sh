# podman for engines/certify (sourced; see the engine_* contract there).
#
# podman has no daemon: the run always uses storage of its own under the
# run's directory, and a containers.conf of its own (CONTAINERS_CONF):
# engines/podman/install's drop-in registers mockrunc as the runtime
# "mockrunc" (in runtime_supports_json, so conmon passes it a JSON --log),
# followed by this machine's container defaults. The user's podman
# storage and configuration are not touched.

podman_dir=$CERT_WORK/podman

engine_detect() { return 0; }

engine_version() { podman --version | awk '{ print $NF }'; }

engine_start() {
	mkdir -p "$podman_dir/conf.d"
	# podman gives its runtime an empty environment: mockrunc's settings
	# travel as flags, in a wrapper.
	eng_runtime_wrapper "$CERT_WORK/rt/mockrunc" "$mockrunc" "${mockrunc_flags[@]}"
	CONTAINERS_CONF_D=$podman_dir/conf.d MOCKRUNC_BIN=$CERT_WORK/rt/mockrunc \
		"$top/engines/podman/install" >"$podman_dir/install.log"
	{
		cat "$podman_dir/conf.d/90-mockrunc.conf"
		cat <<'EOF2'

# This machine's defaults for the certification run. Root here lacks
# CAP_SYS_RESOURCE on some VMs, so podman's default RLIMIT_NOFILE (1048576)
# could not be set; containers have no network unless a step asks.
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=1000:1000"]
netns = "none"
EOF2
	} >"$podman_dir/containers.conf"
	CONTAINERS_CONF=$podman_dir/containers.conf
	CERT_PODMAN_DIR=$podman_dir
	CERT_RUNTIME=mockrunc
	echo "   podman with private storage; runtime $CERT_RUNTIME = $CERT_WORK/rt/mockrunc (CONTAINERS_CONF=$CONTAINERS_CONF)"
	export CONTAINERS_CONF CERT_PODMAN_DIR CERT_RUNTIME
	eng_podman "$podman_dir" info >/dev/null
}

engine_load() { eng_podman "$podman_dir" load -i "$1" >/dev/null 2>&1; }

engine_cleanup() {
	eng_podman "$podman_dir" rm -fa -t 0
	eng_podman "$podman_dir" volume rm -fa
	eng_podman "$podman_dir" rmi -fa
	return 0
}
