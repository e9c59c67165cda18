# Busybox bundles for the runtime tests (needs busybox-static).
#
#   t_bundle DIR                 DIR/rootfs (busybox and its applets) and
#                                DIR/config.json from `mockrunc spec`
#   t_bundle_set DIR 'jq filter' edits DIR/config.json in place, e.g.
#                                t_bundle_set "$B" '.process.args = ["true"]'

T_BUSYBOX=${T_BUSYBOX:-/bin/busybox}

t_rootfs() {
	local root=$1
	mkdir -p "$root/bin" "$root/proc" "$root/sys" "$root/dev" "$root/tmp" "$root/etc" "$root/root"
	cp "$T_BUSYBOX" "$root/bin/busybox"
	local applet
	for applet in $("$T_BUSYBOX" --list); do
		[ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
	done
	echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
	echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >>"$root/etc/passwd"
	echo 'root:x:0:' >"$root/etc/group"
	echo 'nogroup:x:65534:' >>"$root/etc/group"
	chmod 1777 "$root/tmp"
}

t_bundle() {
	local dir=$1
	mkdir -p "$dir"
	t_rootfs "$dir/rootfs"
	"$T_BIN/mockrunc" --mock-backend realexec spec --bundle "$dir" >/dev/null
}

t_bundle_set() {
	local dir=$1 filter=$2 tmp
	tmp=$(mktemp "$dir/.config.XXXXXX")
	jq "$filter" "$dir/config.json" >"$tmp" && mv "$tmp" "$dir/config.json"
}
