/* update: new resource limits, from --resources (a file, or "-" for the
 * stdin main has already read) or from the per-field flags. */
#include <string.h>

#include "mockrunc/commands.h"
#include "mockrunc/mockrunc.h"
#include "realexec/realexec.h"
#include "realexec/update.h"

int mockrunc_cmd_update(struct mockrunc *m, mr_error **err)
{
	const struct cli_flags *f = &m->inv.local;
	const char *in = cli_string(f, "resources");
	struct rx_update_flags flags = {
		.blkio_weight = cli_string(f, "blkio-weight"),
		.cpu_period = cli_string(f, "cpu-period"),
		.cpu_quota = cli_string(f, "cpu-quota"),
		.cpu_burst = cli_string(f, "cpu-burst"),
		.cpu_share = cli_string(f, "cpu-share"),
		.cpu_rt_period = cli_string(f, "cpu-rt-period"),
		.cpu_rt_runtime = cli_string(f, "cpu-rt-runtime"),
		.cpuset_cpus = cli_string(f, "cpuset-cpus"),
		.cpuset_mems = cli_string(f, "cpuset-mems"),
		.cpu_idle = cli_string(f, "cpu-idle"),
		.memory = cli_string(f, "memory"),
		.memory_reservation = cli_string(f, "memory-reservation"),
		.memory_swap = cli_string(f, "memory-swap"),
		.kernel_memory = cli_string(f, "kernel-memory"),
		.kernel_memory_tcp = cli_string(f, "kernel-memory-tcp"),
		.pids_limit = cli_string(f, "pids-limit"),
		.l3_cache_schema = cli_string(f, "l3-cache-schema"),
		.mem_bw_schema = cli_string(f, "mem-bw-schema"),
	};

	if (in == NULL || *in == '\0')
		return realexec_update(m->root, m->inv.id, NULL, 0, &flags, &m->log, err) < 0 ? -1 : 0;
	if (m->resources.read_errno != 0) {
		/* runc looks the container up before it opens the input. */
		struct realexec_state st;
		if (realexec_state(m->root, m->inv.id, &st, err) < 0)
			return -1;
		realexec_state_clear(&st);
		if (strcmp(in, "-") == 0)
			return mr_error_set(err, m->resources.read_errno, "read /dev/stdin");
		return mr_error_set(err, m->resources.read_errno, "open %s", in);
	}
	return realexec_update(m->root, m->inv.id, m->resources.data != NULL ? m->resources.data : "",
			       m->resources.len, NULL, &m->log, err) < 0 ? -1 : 0;
}
