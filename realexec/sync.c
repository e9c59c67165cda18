#include "realexec/sync.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

struct header {
	uint32_t type;
	uint32_t len;
};

int rx_sync_pair(int *parent, int *child, mr_error **err)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return mr_error_set(err, errno, "socketpair");
	*parent = sv[0];
	*child = sv[1];
	return 0;
}

int rx_sync_send(int fd, enum rx_sync_type type, const void *data, size_t len)
{
	struct header h = { (uint32_t)type, (uint32_t)len };
	struct iovec iov[2] = { { &h, sizeof h }, { (void *)data, len } };
	struct msghdr msg = { .msg_iov = iov, .msg_iovlen = len > 0 ? 2 : 1 };
	ssize_t n;

	if (len > RX_SYNC_MAX) {
		errno = EMSGSIZE;
		return -1;
	}
	do
		n = sendmsg(fd, &msg, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	return n < 0 ? -1 : 0;
}

int rx_sync_recv(int fd, enum rx_sync_type *type, char **data, size_t *len, mr_error **err)
{
	char *buf = malloc(sizeof(struct header) + RX_SYNC_MAX + 1);
	struct header h;
	ssize_t n;

	*data = NULL;
	if (len != NULL)
		*len = 0;
	if (buf == NULL)
		return mr_error_set(err, ENOMEM, "sync");
	do
		n = recv(fd, buf, sizeof(struct header) + RX_SYNC_MAX, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0 && errno == ECONNRESET)
		n = 0;
	if (n < 0) {
		int e = errno;
		free(buf);
		return mr_error_set(err, e, "reading from the init process");
	}
	if (n == 0) {
		free(buf);
		*type = RX_SYNC_EOF;
		return 0;
	}
	if ((size_t)n < sizeof h) {
		free(buf);
		return mr_error_set(err, 0, "short message from the init process");
	}
	memcpy(&h, buf, sizeof h);
	*type = (enum rx_sync_type)h.type;
	if (h.len > 0) {
		size_t got = (size_t)n - sizeof h;
		memmove(buf, buf + sizeof h, got);
		buf[got] = '\0';
		*data = buf;
		if (len != NULL)
			*len = got;
	} else {
		free(buf);
	}
	return 0;
}
