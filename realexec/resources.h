/* linux.resources written into the container's cgroup, as runc's cgroupfs
 * managers write it: cgroup v1 (and the hybrid layout, where the cgroup2
 * beside the v1 controllers has none and gets no limits) and pure cgroup
 * v2, with runc's conversions (cpu.weight from shares, memory.swap.max from
 * memory+swap, io.weight from the blkio weight), its order of writes and
 * its error wording:
 *   failed to write "67108864": write /sys/fs/cgroup/memory/c1/memory.limit_in_bytes: <why>
 *   openat2 /sys/fs/cgroup/c1/hugetlb.2MB.max: no such file or directory
 *   cannot set hugetlb limit: container could not join or create cgroup
 *
 * Only the fields present are written (runc's zero values, e.g. a memory
 * limit of 0, mean "unset" as in runc). Creating the directories and moving
 * the init in is rx_cgroups_enter's job; this is called after it. */
#ifndef REALEXEC_RESOURCES_H
#define REALEXEC_RESOURCES_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>

#include "common/error.h"
#include "common/log.h"
#include "realexec/cgroups.h"

struct rx_resources_opts {
	/* `runc update`: the device rules are left alone (runc's SkipDevices),
	 * update's fix-ups apply, and on cgroup v2 a quota or a period given
	 * alone keeps the other half of cpu.max. */
	bool update;
	/* Leave the device rules alone (implied by update). */
	bool skip_devices;
	/* Append the devices runc always allows (/dev/null, zero, full, tty,
	 * random, urandom, console, pts, tun, mknod of any device) after
	 * linux.resources.devices, as runc does at create. */
	bool default_devices;
	/* linux.devices: runc drops its default rule for a device path the
	 * config lists itself. */
	json_t *linux_devices;
	/* Warnings ("Kernel memory settings are ignored ..."); may be NULL. */
	const struct mr_logger *log;
	/* Sees every cgroup file write, in order, just before it is made. */
	void (*trace)(void *arg, const char *path, const char *value);
	void *trace_arg;
};

/* Checks linux.resources the way runc's JSON decoder and validator would,
 * before anything is created: Go-style type errors naming the field
 * (`json: cannot unmarshal string into Go struct field LinuxMemory.
 * linux.resources.memory.limit of type int64`) and, in a config, the
 * device rules. where is the JSON path of the object ("linux.resources"
 * in config.json; "" for the `update` input, whose device rules runc
 * ignores). With cg, also what the host cannot do: unified on cgroup v1,
 * a memory+swap that cgroup v2 cannot express. resources may be NULL. */
int rx_resources_check(json_t *resources, const char *where, const struct rx_cgroups *cg,
		       mr_error **err);

/* Writes resources into cg. */
int rx_resources_apply(const struct rx_cgroups *cg, json_t *resources,
		       const struct rx_resources_opts *o, mr_error **err);

/* The container's directory of a v1 controller ("memory", "cpu"), or NULL
 * when the host has not mounted that controller. */
const char *rx_cgroup_v1_dir(const struct rx_cgroups *cg, const char *controller);

/* Its cgroup2 directory (pure v2, or the hybrid layout's empty one). */
const char *rx_cgroup_v2_dir(const struct rx_cgroups *cg);

/* runc's conversions, for cgroup v2. */
uint64_t rx_cpu_shares_to_weight(uint64_t shares);
uint64_t rx_blkio_weight_to_io_weight(uint64_t weight);
int rx_memory_swap_to_v2(int64_t swap, int64_t limit, int64_t *out, mr_error **err);

#endif
