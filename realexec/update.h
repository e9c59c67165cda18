/* The input of `runc update`: the LinuxResources object read from
 * --resources (a file or "-" for stdin), or built from the per-field flags
 * when --resources is not given. Errors read as runc's:
 *   invalid value for memory: invalid suffix: 'x'
 *   invalid value for cpu-share: strconv.ParseUint: parsing "-1": invalid syntax
 *   invalid character 'x' looking for beginning of value
 *   json: cannot unmarshal string into Go struct field LinuxMemory.memory.limit of type int64
 * The result goes to rx_resources_apply with update set. */
#ifndef REALEXEC_UPDATE_H
#define REALEXEC_UPDATE_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "common/error.h"

/* Each flag's text as given on the command line, NULL when absent. */
struct rx_update_flags {
	const char *blkio_weight;        /* integer (Go's base prefixes allowed) */
	const char *cpu_period;
	const char *cpu_quota;
	const char *cpu_burst;
	const char *cpu_share;
	const char *cpu_rt_period;
	const char *cpu_rt_runtime;
	const char *cpuset_cpus;
	const char *cpuset_mems;
	const char *cpu_idle;
	const char *memory;              /* sizes: "64m", "1.5g", "-1" */
	const char *memory_reservation;
	const char *memory_swap;
	const char *kernel_memory;       /* hidden, obsolete: warned about, ignored */
	const char *kernel_memory_tcp;
	const char *pids_limit;          /* integer */
	const char *l3_cache_schema;     /* Intel RDT */
	const char *mem_bw_schema;
};

/* The resources object the flags describe (only the fields given). */
int rx_update_from_flags(const struct rx_update_flags *f, json_t **resources, mr_error **err);

/* Decodes --resources input as runc's json.Decoder does: the first JSON
 * value, anything after it ignored, keys matched ignoring case. */
int rx_update_parse_resources(const char *data, size_t len, json_t **resources, mr_error **err);

/* Docker's RAMInBytes: "64m", "1.5GiB", "512 kb", "100" (binary
 * multiples, case-insensitive suffix, optional b / ib). */
int rx_ram_in_bytes(const char *text, int64_t *bytes, mr_error **err);

#endif
