# Shared by the lifecycle tests: a busybox bundle, the runtime with a
# private state root, and cleanup of every container a test leaves.
#
#   B                  the bundle (config.json from `mockrunc spec`)
#   R ARGS...          bin/mockrunc with the private --root
#   rx_reset           config.json back to the spec default
#   rx_set 'jq'        edits config.json (t_bundle_set)
#   rx_id NAME         a container id unique to this run
#   rx_status ID       the container's status, as `state` says
#   rx_stopped ID      its status is stopped
#   rx_alive PID       the process exists and is not a zombie
#   rx_msg TEXT        the msg of a logrus text line (stderr without --log)
#   rx_cc NAME <SRC    compiles a C helper to $T_TMP/NAME
#   rx_build_consoled  $T_TMP/consoled, a receiver for fds sent on a socket
. "$T_TOP/tests/lib/bundle.sh"

[ "$(id -u)" = 0 ] || t_skip_all "lifecycle tests run as root"
[ -x "$T_BUSYBOX" ] || t_skip_all "busybox-static is not installed"

ROOT=$T_TMP/state
B=$T_TMP/bundle
R() { "$T_BIN/mockrunc" --root "$ROOT" "$@"; }
rx_id() { printf 'lc-%s-%s' "${T_TMP##*.}" "$1"; }
rx_set() { t_bundle_set "$B" "$1"; }
rx_reset() { cp "$B/config.default" "$B/config.json"; }
rx_status() { R state "$1" 2>/dev/null | jq -r .status; }
rx_stopped() { [ "$(rx_status "$1")" = stopped ]; }
rx_alive() {
	local st
	st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) && [ "$st" != Z ]
}
rx_msg() { printf '%s' "$1" | sed -E 's/^time="[^"]*" level=[a-z]+ msg="(.*)"$/\1/; s/\\"/"/g'; }
rx_cc() { cc -O2 -o "$T_TMP/$1" -x c -; }

t_cleanup 'for id in $(R list -q); do R delete --force "$id"; done'
t_bundle "$B"
cp "$B/config.json" "$B/config.default"

# consoled SOCK CREATE... -- START...: listens on SOCK, runs the create
# command, accepts after it exited (as go-runc does), runs the start
# command, copies the master to stdout until the container closes it, and
# ends with a line describing what it received.
rx_build_consoled() {
	rx_cc consoled <<'SRC'
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
static int run(char **argv) {
	int st; pid_t p = fork();
	if (p == 0) { execv(argv[0], argv); _exit(127); }
	waitpid(p, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}
int main(int argc, char **argv) {
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	char name[4096], ctl[CMSG_SPACE(sizeof(int) * 4)], buf[4096];
	struct iovec iov = { name, sizeof name - 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof ctl };
	int l = socket(AF_UNIX, SOCK_STREAM, 0), c, fd = -1, nfds = 0, i;
	ssize_t n, more;
	char **start = NULL;
	(void)argc;
	strcpy(a.sun_path, argv[1]);
	if (bind(l, (struct sockaddr *)&a, sizeof a) < 0 || listen(l, 1) < 0) return 2;
	for (i = 2; argv[i] != NULL; i++) if (strcmp(argv[i], "--") == 0) { argv[i] = NULL; start = argv + i + 1; }
	if (run(argv + 2) != 0) { printf("create failed\n"); return 1; }
	c = accept(l, NULL, NULL);
	n = recvmsg(c, &m, 0);
	if (n < 0) return 3;
	name[n] = '\0';
	for (struct cmsghdr *h = CMSG_FIRSTHDR(&m); h != NULL; h = CMSG_NXTHDR(&m, h)) {
		nfds += (int)((h->cmsg_len - CMSG_LEN(0)) / sizeof(int));
		memcpy(&fd, CMSG_DATA(h), sizeof fd);
	}
	more = recv(c, buf, sizeof buf, MSG_DONTWAIT);
	if (run(start) != 0) { printf("start failed\n"); return 1; }
	while ((n = read(fd, buf, sizeof buf)) > 0) fwrite(buf, 1, (size_t)n, stdout);
	printf("\nname=%s fds=%d isatty=%d more=%zd\n", name, nfds, isatty(fd), more);
	return 0;
}
SRC
}
