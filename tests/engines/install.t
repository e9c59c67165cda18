#!/bin/bash
# engines/*/install and uninstall: register mockrunc the way each engine's
# users do, change nothing the second time, and put back exactly what was
# there before. Config locations are redirected into the test directory.
. "$(dirname "$0")/../lib/tap.sh"
command -v jq >/dev/null || t_skip_all "jq is not installed"
E=$T_TOP/engines
export MOCKRUNC_BIN=/opt/mockrunc/bin/mockrunc

# docker: daemon.json with other settings already in it.
export DOCKER_DAEMON_JSON=$T_TMP/docker/daemon.json
mkdir -p "$T_TMP/docker"
echo '{"log-level": "warn", "runtimes": {"other": {"path": "/usr/bin/other"}}}' >"$DOCKER_DAEMON_JSON"
cp "$DOCKER_DAEMON_JSON" "$T_TMP/docker.orig"
t_run "$E/docker/install" --mock-backend=/usr/sbin/runc --mock-session=ci
t_is "$RC" 0 "docker install succeeds"
t_like "$OUT" "changing $DOCKER_DAEMON_JSON" "docker install says what it changes"
t_is "$(jq -c '.runtimes.mockrunc' "$DOCKER_DAEMON_JSON")" \
	'{"path":"/opt/mockrunc/bin/mockrunc","runtimeArgs":["--mock-backend=/usr/sbin/runc","--mock-session=ci"]}' \
	"docker: runtime registered with its runtimeArgs"
t_is "$(jq -c '[.["log-level"], .runtimes.other.path]' "$DOCKER_DAEMON_JSON")" '["warn","/usr/bin/other"]' \
	"docker: other settings kept"
cp "$DOCKER_DAEMON_JSON" "$T_TMP/docker.once"
t_run "$E/docker/install" --mock-backend=/usr/sbin/runc --mock-session=ci
t_like "$OUT" 'already up to date' "docker install is idempotent"
t_ok "docker: second install changes nothing" cmp -s "$DOCKER_DAEMON_JSON" "$T_TMP/docker.once"
t_run "$E/docker/uninstall"
t_ok "docker uninstall restores the original file exactly" cmp -s "$DOCKER_DAEMON_JSON" "$T_TMP/docker.orig"
t_ok "docker: no backup left behind" test ! -e "$DOCKER_DAEMON_JSON.mockrunc-backup"

# docker: no daemon.json at all.
export DOCKER_DAEMON_JSON=$T_TMP/docker2/daemon.json
"$E/docker/install" --default >/dev/null
t_is "$(jq -r '.["default-runtime"]' "$DOCKER_DAEMON_JSON")" mockrunc "docker --default makes it the default runtime"
"$E/docker/uninstall" >/dev/null
t_ok "docker: uninstall removes a file it created" test ! -e "$DOCKER_DAEMON_JSON"

# containerd: an existing config.toml keeps its content.
export CONTAINERD_CONFIG=$T_TMP/containerd/config.toml
mkdir -p "$T_TMP/containerd"
printf 'version = 2\nroot = "/var/lib/containerd"\n' >"$CONTAINERD_CONFIG"
cp "$CONTAINERD_CONFIG" "$T_TMP/containerd.orig"
"$E/containerd/install" >/dev/null
t_like "$(cat "$CONTAINERD_CONFIG")" 'BinaryName = "/opt/mockrunc/bin/mockrunc"' "containerd: BinaryName set"
t_like "$(cat "$CONTAINERD_CONFIG")" 'runtime_type = "io.containerd.runc.v2"' "containerd: a runc v2 runtime"
t_like "$(head -2 "$CONTAINERD_CONFIG")" 'root = "/var/lib/containerd"' "containerd: existing settings kept"
cp "$CONTAINERD_CONFIG" "$T_TMP/containerd.once"
"$E/containerd/install" >/dev/null
t_ok "containerd install is idempotent" cmp -s "$CONTAINERD_CONFIG" "$T_TMP/containerd.once"
if command -v containerd >/dev/null; then
	t_ok "containerd accepts the resulting config" containerd -c "$CONTAINERD_CONFIG" config dump
fi
"$E/containerd/uninstall" >/dev/null
t_ok "containerd uninstall restores the original" cmp -s "$CONTAINERD_CONFIG" "$T_TMP/containerd.orig"

# podman and CRI-O: drop-ins.
export CONTAINERS_CONF_D=$T_TMP/containers.conf.d CRIO_CONF_D=$T_TMP/crio.conf.d
"$E/podman/install" >/dev/null
t_like "$(cat "$CONTAINERS_CONF_D/90-mockrunc.conf")" 'mockrunc = \["/opt/mockrunc/bin/mockrunc"\]' "podman: runtime path in the drop-in"
t_like "$(cat "$CONTAINERS_CONF_D/90-mockrunc.conf")" 'runtime_supports_json = \["mockrunc"' "podman: JSON logs asked for"
"$E/podman/uninstall" >/dev/null
t_ok "podman uninstall removes the drop-in" test ! -e "$CONTAINERS_CONF_D/90-mockrunc.conf"
"$E/crio/install" >/dev/null
t_like "$(cat "$CRIO_CONF_D/90-mockrunc.conf")" 'runtime_path = "/opt/mockrunc/bin/mockrunc"' "CRI-O: runtime_path"
t_like "$(cat "$CRIO_CONF_D/90-mockrunc.conf")" 'runtime_type = "oci"' "CRI-O: runtime_type oci"
t_like "$(cat "$CRIO_CONF_D/90-mockrunc.conf")" 'runtime_root = "/run/mockrunc"' "CRI-O: its own state root"
"$E/crio/uninstall" >/dev/null
t_ok "CRI-O uninstall removes the drop-in" test ! -e "$CRIO_CONF_D/90-mockrunc.conf"

t_done
