#include "realexec/terminal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "common/cleanup.h"

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

#define MASTER_NAME "/dev/pts/ptmx"

int rx_console_connect(const char *path, int *fd, mr_error **err)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	cleanup_close int s = -1;

	if (strlen(path) >= sizeof addr.sun_path)
		return mr_error_set(err, ENAMETOOLONG, "dial unix %s", path);
	strcpy(addr.sun_path, path);
	s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return mr_error_set(err, errno, "socket");
	/* The engine may accept only after we exit: the backlog keeps the
	 * connection, nothing here waits for accept(). */
	if (connect(s, (struct sockaddr *)&addr, sizeof addr) < 0)
		return mr_error_set(err, errno, "dial unix %s", path);
	*fd = mr_steal_fd(s);
	return 0;
}

int rx_send_fd(int sock, int fd, const char *name, mr_error **err)
{
	char control[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { (void *)name, strlen(name) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control,
			      .msg_controllen = sizeof control };
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	ssize_t n;

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof fd);
	do
		n = sendmsg(sock, &msg, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return mr_error_set(err, errno, "failed to send console fd");
	return 0;
}

int rx_recv_fd(int sock, int *fd, mr_error **err)
{
	char control[CMSG_SPACE(sizeof(int))] = { 0 };
	char name[4096];
	struct iovec iov = { name, sizeof name };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control,
			      .msg_controllen = sizeof control };
	struct cmsghdr *c;
	ssize_t n;

	do
		n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return mr_error_set(err, errno, "failed to receive console fd");
	c = CMSG_FIRSTHDR(&msg);
	if (c == NULL || c->cmsg_type != SCM_RIGHTS || c->cmsg_len != CMSG_LEN(sizeof(int)))
		return mr_error_set(err, 0, "failed to receive console fd: no fd in the message");
	memcpy(fd, CMSG_DATA(c), sizeof *fd);
	return 0;
}

/* The peer of a master, by TIOCGPTPEER so no path lookup can be raced;
 * through /dev/pts/N on kernels without it. */
static int open_peer(int master, int n)
{
	char path[64];
	int fd = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (fd >= 0 || errno != EINVAL)
		return fd;
	snprintf(path, sizeof path, "/dev/pts/%d", n);
	return open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
}

int rx_terminal_setup(int sock, unsigned short height, unsigned short width, bool dev_console,
		      mr_error **err)
{
	cleanup_close int master = open(MASTER_NAME, O_RDWR | O_NOCTTY | O_CLOEXEC);
	cleanup_close int slave = -1;
	struct stat st;
	char slave_path[64];
	int unlock = 0, n = -1;

	if (master < 0)
		return mr_error_set(err, errno, "open %s", MASTER_NAME);
	/* It must be a real ptmx, not whatever a rootfs put at that path. */
	if (fstat(master, &st) < 0 || !S_ISCHR(st.st_mode) || major(st.st_rdev) != 5 ||
	    minor(st.st_rdev) != 2)
		return mr_error_set(err, 0, "%s is not a pty multiplexer", MASTER_NAME);
	if (ioctl(master, TIOCSPTLCK, &unlock) < 0 || ioctl(master, TIOCGPTN, &n) < 0)
		return mr_error_set(err, errno, "unlockpt");
	slave = open_peer(master, n);
	if (slave < 0)
		return mr_error_set(err, errno, "open pty peer");
	if (height != 0 && width != 0) {
		struct winsize ws = { .ws_row = height, .ws_col = width };
		if (ioctl(slave, TIOCSWINSZ, &ws) < 0)
			return mr_error_set(err, errno, "set console size");
	}
	snprintf(slave_path, sizeof slave_path, "/dev/pts/%d", n);
	if (dev_console) {
		int c = open("/dev/console", O_CREAT | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (c < 0)
			return mr_error_set(err, errno, "create /dev/console");
		close(c);
		if (mount(slave_path, "/dev/console", NULL, MS_BIND, NULL) < 0)
			return mr_error_set(err, errno, "bind %s to /dev/console", slave_path);
	}
	if (rx_send_fd(sock, master, MASTER_NAME, err) < 0)
		return -1;
	if (ioctl(slave, TIOCSCTTY, 0) < 0)
		return mr_error_set(err, errno, "set controlling terminal");
	for (int fd = 0; fd < 3; fd++)
		if (dup2(slave, fd) < 0)
			return mr_error_set(err, errno, "dup2 console");
	return 0;
}
