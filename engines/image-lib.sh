# Busybox images without a registry, for engines/certify, engines/demo and
# the tests (tests/lib/image.sh): one archive that `docker load`,
# `podman load` and `ctr images import` all accept — an OCI image layout
# (index.json, oci-layout, blobs/sha256/...) that also carries docker's
# manifest.json pointing at the same blobs.
#
#   eng_rootfs DIR
#       busybox (Debian's busybox-static) and its applets, /etc/passwd with
#       root, nobody and "mr" (1000:1000, also in group mrextra 2000)
#   eng_image_archive OUT.tar NAME[:TAG] ['jq filter on the image config']
#       e.g. eng_image_archive "$dir/img.tar" mr-busybox '.config.Env += ["A=1"]'
#       The filter sees the whole image config (image-spec config.md):
#       .config.{Env,Entrypoint,Cmd,WorkingDir,User,StopSignal,Labels,Volumes}
# Needs sha256sum, jq, tar. ENG_BUSYBOX names the busybox binary.

ENG_BUSYBOX=${ENG_BUSYBOX:-/bin/busybox}

eng_rootfs() {
	local root=$1 applet
	mkdir -p "$root/bin" "$root/proc" "$root/sys" "$root/dev" "$root/tmp" "$root/etc" "$root/root" "$root/home/mr"
	cp "$ENG_BUSYBOX" "$root/bin/busybox"
	for applet in $("$ENG_BUSYBOX" --list); do
		[ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
	done
	cat >"$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
mr:x:1000:1000:mockrunc test user:/home/mr:/bin/sh
nobody:x:65534:65534:nobody:/:/bin/sh
EOF
	cat >"$root/etc/group" <<'EOF'
root:x:0:
mr:x:1000:
mrextra:x:2000:mr
nogroup:x:65534:
EOF
	chown 1000:1000 "$root/home/mr"
	chmod 1777 "$root/tmp"
}

eng_image_archive() {
	local out=$1 ref=$2 filter=${3:-.}
	local name=${ref%%:*} tag=latest
	[ "$ref" != "$name" ] && tag=${ref#*:}
	local work
	work=$(mktemp -d "${TMPDIR:-/tmp}/mockrunc-image.XXXXXX") || return 1
	mkdir -p "$work/rootfs" "$work/out/blobs/sha256"
	eng_rootfs "$work/rootfs"
	tar --numeric-owner --sort=name --mtime=@0 -C "$work/rootfs" -cf "$work/layer.tar" .
	local layer_digest layer_size config_digest config_size manifest_digest manifest_size
	layer_digest=$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
	layer_size=$(stat -c %s "$work/layer.tar")
	mv "$work/layer.tar" "$work/out/blobs/sha256/$layer_digest"

	if ! jq -n --arg diff "sha256:$layer_digest" '{
		architecture: "amd64", os: "linux", created: "2026-01-01T00:00:00Z",
		config: { Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"], Cmd: ["sh"] },
		rootfs: { type: "layers", diff_ids: [$diff] },
		history: [ { created: "2026-01-01T00:00:00Z", created_by: "mockrunc: busybox-static" } ]
	}' | jq -c "$filter" >"$work/config.json"; then
		rm -rf "$work"
		return 1
	fi
	config_digest=$(sha256sum "$work/config.json" | cut -d' ' -f1)
	config_size=$(stat -c %s "$work/config.json")
	mv "$work/config.json" "$work/out/blobs/sha256/$config_digest"

	jq -n -c --arg cd "sha256:$config_digest" --argjson cs "$config_size" \
		--arg ld "sha256:$layer_digest" --argjson ls "$layer_size" '{
		schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
		config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: $cd, size: $cs },
		layers: [ { mediaType: "application/vnd.oci.image.layer.v1.tar", digest: $ld, size: $ls } ]
	}' >"$work/manifest.json"
	manifest_digest=$(sha256sum "$work/manifest.json" | cut -d' ' -f1)
	manifest_size=$(stat -c %s "$work/manifest.json")
	mv "$work/manifest.json" "$work/out/blobs/sha256/$manifest_digest"

	local full=$name
	case $name in */*) ;; *) full=docker.io/library/$name ;; esac
	jq -n -c --arg md "sha256:$manifest_digest" --argjson ms "$manifest_size" \
		--arg full "$full:$tag" --arg tag "$tag" '{
		schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json",
		manifests: [ { mediaType: "application/vnd.oci.image.manifest.v1+json", digest: $md, size: $ms,
			annotations: { "io.containerd.image.name": $full, "org.opencontainers.image.ref.name": $tag } } ]
	}' >"$work/out/index.json"
	echo '{"imageLayoutVersion":"1.0.0"}' >"$work/out/oci-layout"
	jq -n -c --arg c "blobs/sha256/$config_digest" --arg l "blobs/sha256/$layer_digest" \
		--arg ref "$name:$tag" '[ { Config: $c, RepoTags: [$ref], Layers: [$l] } ]' >"$work/out/manifest.json"
	tar -C "$work/out" -cf "$out" .
	rm -rf "$work"
}
