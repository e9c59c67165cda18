# docker for engines/certify (sourced; see the engine_* contract there).
#
# A running dockerd (DOCKER_HOST, else /var/run/docker.sock) is used as it
# is: engines/docker/install registers the runtime "mockrunc-certify" in its
# daemon.json (DOCKER_DAEMON_JSON, default /etc/docker/daemon.json) and asks
# it to reload (DOCKER_PIDFILE, default /var/run/docker.pid); the file is put
# back as it was at the end. Otherwise a private dockerd runs under the
# run's directory with mockrunc registered in its own daemon.json.

. "$top/engines/lib.sh"

docker_dir=$CERT_WORK/docker
docker_conf_saved=

engine_detect() {
	docker info >/dev/null 2>&1 && engine_mode=running
	return 0
}

engine_version() {
	if [ "$engine_mode" = running ]; then
		docker version -f '{{.Server.Version}}'
	else
		dockerd --version | sed -n 's/^Docker version \([^,]*\).*/\1/p'
	fi
}

engine_start() {
	mkdir -p "$docker_dir"
	if [ "$engine_mode" = private ]; then
		CERT_RUNTIME=mockrunc
		DOCKER_DAEMON_JSON=$docker_dir/daemon.json DOCKER_PIDFILE=$docker_dir/d.pid MOCKRUNC_BIN=$mockrunc \
			"$top/engines/docker/install" --name "$CERT_RUNTIME" "${mockrunc_flags[@]}" >"$docker_dir/install.log"
		echo "   private dockerd: runtime $CERT_RUNTIME = $mockrunc ${mockrunc_flags[*]}"
		eng_dockerd_start "$docker_dir" "$docker_dir/daemon.json" --cgroup-parent "/$CERT_CGROUP_PARENT" || return 1
	else
		CERT_RUNTIME=mockrunc-certify
		local conf=${DOCKER_DAEMON_JSON:-/etc/docker/daemon.json} f
		# What install and its backup change is undone from this copy.
		docker_conf_saved=$docker_dir/saved
		mkdir -p "$docker_conf_saved"
		for f in "$conf" "$conf.mockrunc-backup" "$conf.mockrunc-absent"; do
			if [ -e "$f" ]; then cp -p "$f" "$docker_conf_saved/${f##*/}"; else : >"$docker_conf_saved/${f##*/}.none"; fi
		done
		echo "   the running dockerd ($(docker context inspect -f '{{.Endpoints.docker.Host}}' 2>/dev/null || echo "${DOCKER_HOST:-default socket}")):"
		MOCKRUNC_BIN=$mockrunc "$top/engines/docker/install" --name "$CERT_RUNTIME" "${mockrunc_flags[@]}" | sed 's/^/   /'
		eng_wait_for 100 docker_has_runtime || { echo "dockerd did not load the runtime $CERT_RUNTIME" >&2; return 1; }
	fi
	export CERT_RUNTIME DOCKER_HOST
}

docker_has_runtime() {
	docker info -f '{{json .Runtimes}}' | jq -e --arg r "$CERT_RUNTIME" 'has($r)'
}

engine_load() { docker load -i "$1" >/dev/null; }

engine_cleanup() {
	docker ps -aq --filter "label=mockrunc.certify=$CERT_RUN" | xargs -r docker rm -f -v
	docker volume ls -q --filter "label=mockrunc.certify=$CERT_RUN" | xargs -r docker volume rm
	if [ "$engine_mode" = private ]; then
		[ -n "${ENG_DOCKERD_PID:-}" ] && eng_stop_pid "$ENG_DOCKERD_PID"
		return 0
	fi
	docker rmi "$CERT_IMAGE" "$CERT_IMAGE_CONF"
	if [ -n "$docker_conf_saved" ]; then
		local conf=${DOCKER_DAEMON_JSON:-/etc/docker/daemon.json} f
		for f in "$conf" "$conf.mockrunc-backup" "$conf.mockrunc-absent"; do
			if [ -e "$docker_conf_saved/${f##*/}.none" ]; then rm -f "$f"; else cp -p "$docker_conf_saved/${f##*/}" "$f"; fi
		done
		echo "put $conf back as it was"
		engines_reload_dockerd
	fi
}
