/* The conversation between the runtime and the container init over a
 * SOCK_SEQPACKET pair: one message per packet, a type and a payload. A
 * closed socket (the other side died) reads as RX_SYNC_EOF. */
#ifndef REALEXEC_SYNC_H
#define REALEXEC_SYNC_H

#include <stddef.h>

#include "common/error.h"

enum rx_sync_type {
	RX_SYNC_EOF = 0,
	RX_SYNC_GO,        /* runtime -> init: cgroup joined, carry on */
	RX_SYNC_USERMAP,   /* init -> runtime: write my uid/gid maps */
	RX_SYNC_ACK,       /* runtime -> init: done what you asked */
	RX_SYNC_PID,       /* init -> runtime: the final init's pid (int) */
	RX_SYNC_HOOKS,     /* init -> runtime: mounts done, run prestart and
	                      createRuntime; the ACK carries the state JSON */
	RX_SYNC_SECCOMP,   /* init -> runtime: the seccomp notify listener
	                      follows as an fd, for linux.seccomp.listenerPath */
	RX_SYNC_READY,     /* init -> runtime: about to wait on exec.fifo */
	RX_SYNC_ERROR,     /* init -> runtime: the message of what failed */
};

#define RX_SYNC_MAX (64 * 1024)

int rx_sync_pair(int *parent, int *child, mr_error **err);
int rx_sync_send(int fd, enum rx_sync_type type, const void *data, size_t len);
/* *data is NUL-terminated and owned by the caller (NULL when empty). */
int rx_sync_recv(int fd, enum rx_sync_type *type, char **data, size_t *len, mr_error **err);

#endif
