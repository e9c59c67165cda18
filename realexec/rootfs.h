/* The container's root filesystem, in the order runc builds it:
 *   rx_rootfs_prepare   "/" made slave (or as rootfsPropagation says), the
 *                       rootfs bound on itself, mounts[] in order, /dev
 *   (prestart/createRuntime/createContainer hooks run here)
 *   rx_rootfs_enter     pivot_root (MS_MOVE + chroot with --no-pivot)
 *   rx_rootfs_finalize  rootfsPropagation applied, root read-only
 *   rx_rootfs_protect   readonlyPaths, then maskedPaths */
#ifndef REALEXEC_ROOTFS_H
#define REALEXEC_ROOTFS_H

#include <stdbool.h>

#include "common/error.h"

struct rx_spec;
struct rx_cgroups;

int rx_rootfs_prepare(const struct rx_spec *s, const struct rx_cgroups *cg, mr_error **err);
int rx_rootfs_enter(const struct rx_spec *s, bool no_pivot, mr_error **err);
int rx_rootfs_finalize(const struct rx_spec *s, mr_error **err);
int rx_rootfs_protect(const struct rx_spec *s, mr_error **err);

#endif
