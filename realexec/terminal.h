/* process.terminal: a pty allocated from the container's own devpts after
 * pivot_root, its master handed to whoever listens on --console-socket
 * (one sendmsg, one SCM_RIGHTS fd, the master's name as payload), its
 * slave the init's stdio, its controlling terminal and /dev/console. */
#ifndef REALEXEC_TERMINAL_H
#define REALEXEC_TERMINAL_H

#include <stdbool.h>

#include "common/error.h"

/* Connects to the engine's listening socket (runtime side). */
int rx_console_connect(const char *path, int *fd, mr_error **err);

/* In the init, after pivot_root (or in an exec'd process, in the
 * container's mount namespace): allocate, send the master over sock, make
 * the slave fds 0-2 and the controlling terminal; dev_console (the init
 * only) also bind-mounts it on /dev/console. */
int rx_terminal_setup(int sock, unsigned short height, unsigned short width, bool dev_console,
		      mr_error **err);

int rx_send_fd(int sock, int fd, const char *name, mr_error **err);
int rx_recv_fd(int sock, int *fd, mr_error **err);

#endif
