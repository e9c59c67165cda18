/* What run.c needs of container.c. */
#ifndef REALEXEC_CONTAINER_H
#define REALEXEC_CONTAINER_H

#include <sys/types.h>

#include "realexec/realexec.h"

/* realexec_create with, when console_fd >= 0, a socket of the caller's
 * own that receives the pty master (foreground run with a terminal). */
int rx_create(const struct realexec_create_opts *o, int console_fd, pid_t *pid, mr_error **err);

#endif
