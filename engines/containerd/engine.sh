# containerd, driven by ctr, for engines/certify (sourced; see the
# engine_* contract there).
#
# A running containerd (CONTAINERD_ADDRESS, else
# /run/containerd/containerd.sock) is used as it is: ctr users name their
# runtime per container (ctr run --runc-binary), so nothing is registered
# and nothing in its configuration changes; the run works in a namespace of
# its own, removed at the end. Otherwise a private containerd runs under
# the run's directory.

ctd_dir=$CERT_WORK/containerd

engine_detect() {
	local sock=${CONTAINERD_ADDRESS:-/run/containerd/containerd.sock}
	if [ -S "$sock" ] && ctr --address "$sock" version >/dev/null 2>&1; then
		engine_mode=running
		CTD_SOCK=$sock
	fi
	return 0
}

engine_version() {
	if [ "$engine_mode" = running ]; then
		ctr --address "$CTD_SOCK" version | awk '/^Server:/ { s = 1 } s && $1 == "Version:" { print $2; exit }'
	else
		containerd --version | awk '{ print $3 }'
	fi
}

engine_start() {
	# ctr --runc-binary names one executable: mockrunc with the run's flags.
	CERT_RUNC=$CERT_WORK/rt/mockrunc
	eng_runtime_wrapper "$CERT_RUNC" "$mockrunc" "${mockrunc_flags[@]}"
	# The namespace is also the containers' cgroup parent (/NS/ID).
	CERT_CTR_NS=$CERT_CGROUP_PARENT
	if [ "$engine_mode" = private ]; then
		eng_containerd_start "$ctd_dir" || return 1
		echo "   private containerd ($CTD_SOCK); ctr run --runc-binary $CERT_RUNC"
	else
		echo "   the running containerd ($CTD_SOCK), namespace $CERT_CTR_NS; ctr run --runc-binary $CERT_RUNC"
	fi
	export CTD_SOCK CERT_RUNC CERT_CTR_NS
}

engine_load() { ctr --address "$CTD_SOCK" --namespace "$CERT_CTR_NS" images import "$1" >/dev/null; }

engine_cleanup() {
	local c="ctr --address $CTD_SOCK --namespace $CERT_CTR_NS" id
	for id in $($c tasks ls -q 2>/dev/null); do $c tasks delete -f "$id"; done
	for id in $($c containers ls -q 2>/dev/null); do $c containers rm "$id"; done
	for id in $($c images ls -q 2>/dev/null); do $c images rm "$id"; done
	for id in $($c content ls -q 2>/dev/null); do $c content rm "$id"; done
	# Snapshots go children first: a few rounds remove a chain.
	local round
	for round in 1 2 3 4; do
		for id in $($c snapshots ls 2>/dev/null | awk 'NR > 1 { print $1 }'); do $c snapshots rm "$id"; done
	done
	ctr --address "$CTD_SOCK" namespaces rm "$CERT_CTR_NS"
	# The shim's runtime state root for the namespace (runc's default).
	rmdir "/run/containerd/runc/$CERT_CTR_NS" 2>/dev/null
	if [ "$engine_mode" = private ] && [ -n "${ENG_CONTAINERD_PID:-}" ]; then
		eng_stop_pid "$ENG_CONTAINERD_PID"
	fi
	return 0
}
