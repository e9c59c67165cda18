/* conmon's part of a create or an exec, as CRI-O uses it:
 *   conmon -l LOG -p PIDFILE -x EXITFILE [-s SOCKET] -- RUNTIME ARGS...
 * The first process waits for the report of the monitor (conmon's sync
 * pipe) and prints it: the runtime's exit status, what it wrote (the
 * container log), the console it sent, the pid from the pid file (atoi)
 * and whether that process is the monitor's child. The monitor (setsid,
 * child subreaper) then waits for that pid, copies a console's output to
 * the log and writes the exit status to EXITFILE, as conmon does. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static int parent_of(int pid) {
	char path[64], buf[512], *p;
	FILE *f;
	int ppid = -1;
	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	if ((f = fopen(path, "r")) == NULL) return -1;
	if (fgets(buf, sizeof buf, f) != NULL && (p = strrchr(buf, ')')) != NULL)
		sscanf(p + 2, "%*c %d", &ppid);
	fclose(f);
	return ppid;
}

int main(int argc, char **argv) {
	const char *log = NULL, *pidfile = NULL, *exitfile = NULL, *sockpath = NULL;
	int sync[2], opt, lfd, lsock = -1, master = -1, st, pid = -1, status = -1;
	char buf[8192];
	FILE *rep;
	pid_t runtime;

	while ((opt = getopt(argc, argv, "l:p:x:s:")) != -1) {
		if (opt == 'l') log = optarg;
		else if (opt == 'p') pidfile = optarg;
		else if (opt == 'x') exitfile = optarg;
		else if (opt == 's') sockpath = optarg;
		else return 2;
	}
	if (log == NULL || pidfile == NULL || exitfile == NULL || optind >= argc) return 2;
	if (pipe2(sync, O_CLOEXEC) < 0) return 2;
	if (fork() != 0) {
		ssize_t n;
		close(sync[1]);
		while ((n = read(sync[0], buf, sizeof buf)) > 0) fwrite(buf, 1, (size_t)n, stdout);
		return 0;
	}
	close(sync[0]);
	/* Detached from the caller, as conmon: nothing of its stdio is kept
	 * (the caller reads the report to its end). */
	{
		int null = open("/dev/null", O_RDWR);
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		if (null > 2) close(null);
	}
	setsid();
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	rep = fdopen(sync[1], "w");
	if (sockpath != NULL) {
		struct sockaddr_un a = { .sun_family = AF_UNIX };
		strncpy(a.sun_path, sockpath, sizeof a.sun_path - 1);
		lsock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (bind(lsock, (struct sockaddr *)&a, sizeof a) < 0 || listen(lsock, 128) < 0) return 2;
	}
	lfd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if ((runtime = fork()) == 0) {
		int null = open("/dev/null", O_RDONLY);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		dup2(null, 0);
		dup2(lfd, 1);
		dup2(lfd, 2);
		execv(argv[optind], argv + optind);
		_exit(127);
	}
	waitpid(runtime, &st, 0);
	fprintf(rep, "runtime_exit=%d\n", WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
	if (lsock >= 0) {
		struct pollfd p = { lsock, POLLIN, 0 };
		char name[4096], ctl[CMSG_SPACE(sizeof(int))];
		struct iovec iov = { name, sizeof name - 1 };
		struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof ctl };
		int c, nfds = 0;
		ssize_t n = -1;
		if (poll(&p, 1, 2000) == 1 && (c = accept(lsock, NULL, NULL)) >= 0 && (n = recvmsg(c, &m, 0)) > 0) {
			struct cmsghdr *h = CMSG_FIRSTHDR(&m);
			name[n] = '\0';
			if (h != NULL && h->cmsg_level == SOL_SOCKET && h->cmsg_type == SCM_RIGHTS &&
			    h->cmsg_len == CMSG_LEN(sizeof(int))) {
				memcpy(&master, CMSG_DATA(h), sizeof master);
				nfds = 1;
			}
			fprintf(rep, "console=%s fds=%d isatty=%d\n", name, nfds, master >= 0 && isatty(master));
		} else {
			fprintf(rep, "console=none\n");
		}
		unlink(sockpath);
	}
	{
		FILE *f = fopen(pidfile, "r");
		char raw[64] = "";
		size_t n = f != NULL ? fread(raw, 1, sizeof raw - 1, f) : 0;
		raw[n] = '\0';
		if (f != NULL) fclose(f);
		pid = n > 0 ? atoi(raw) : -1;
		fprintf(rep, "pid=%d\npidfile_clean=%d\n", pid, n > 0 && strspn(raw, "0123456789") == n);
		fprintf(rep, "adopted=%d\n", pid > 0 && parent_of(pid) == getpid());
	}
	fclose(rep);
	if (pid <= 0) return 0;
	for (;;) {
		int r = waitpid(-1, &st, master >= 0 ? WNOHANG : 0);
		if (r == pid) { status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st); break; }
		if (r < 0) break;
		if (master >= 0) {
			struct pollfd p = { master, POLLIN, 0 };
			if (poll(&p, 1, 100) == 1) {
				ssize_t n = read(master, buf, sizeof buf);
				if (n > 0) write(lfd, buf, (size_t)n); else { close(master); master = -1; }
			}
		}
	}
	{
		FILE *f = fopen(exitfile, "w");
		if (f != NULL) { fprintf(f, "%d", status); fclose(f); }
	}
	return 0;
}
