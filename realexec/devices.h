/* /dev inside the container: the default devices, linux.devices, the
 * /dev/ptmx and /proc/self/fd symlinks. A container in a new user
 * namespace cannot mknod: it gets the host's devices bind-mounted. */
#ifndef REALEXEC_DEVICES_H
#define REALEXEC_DEVICES_H

#include <stdbool.h>

#include "common/error.h"

struct rx_spec;

int rx_devices_setup(int root_fd, const struct rx_spec *s, bool userns, mr_error **err);

#endif
