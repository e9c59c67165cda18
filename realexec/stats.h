/* The container's cgroup statistics as `runc events` reports them, and the
 * OOM notifications of its streaming mode.
 *
 * The data object has runc's keys, order and omissions (ENGINES.md §4.3):
 * cpu, cpuset, memory, pids, blkio, hugetlb, intel_rdt ({}: realexec
 * manages no Intel RDT) and network_interfaces (null: realexec configures
 * no veth pairs). Values come from the v1 controllers (hybrid layout
 * included) or from cgroup v2, converted as runc converts them (v2 usec to
 * nsec, v2 swap reported as memory+swap, v1 ticks to nsec).
 *
 * A JSON integer cannot hold 2^64-1, which v2 reports for "max": the data
 * carries RX_STATS_U64_MAX in its place, and rx_stats_event_json prints it
 * as runc does (18446744073709551615). */
#ifndef REALEXEC_STATS_H
#define REALEXEC_STATS_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>

#include "common/error.h"
#include "realexec/cgroups.h"

#define RX_STATS_U64_MAX INT64_MIN

int rx_stats_read(const struct rx_cgroups *cg, json_t **data, mr_error **err);

/* The same, with huge page sizes listed from hugepages_dir instead of
 * /sys/kernel/mm/hugepages. */
int rx_stats_read_with(const struct rx_cgroups *cg, const char *hugepages_dir, json_t **data,
		       mr_error **err);

/* One `runc events` line, "\n" included: {"type":"stats","id":ID,"data":{...}}
 * or, data NULL, {"type":"oom","id":ID}. The caller frees. */
char *rx_stats_event_json(const char *type, const char *id, json_t *data);

/* Out-of-memory notifications: on v1 an eventfd registered for
 * memory.oom_control through cgroup.event_control, on v2 inotify on
 * memory.events (its oom_kill counter) and cgroup.events (populated). */
struct rx_oom_watch {
	int fd;               /* poll it for POLLIN, then call rx_oom_watch_read */
	bool v2;
	char *dir;            /* the memory cgroup */
	int ofd;              /* v1: memory.oom_control, held open */
	int wd_events, wd_populated;
	uint64_t kills;       /* v2: oom_kill already reported */
};

/* A container without a memory cgroup: "memory controller missing". */
int rx_oom_watch_open(const struct rx_cgroups *cg, struct rx_oom_watch *w, mr_error **err);

/* After fd polled readable: *ooms is how many OOMs happened since the last
 * call, *gone true once the cgroup is removed (v1) or empty (v2), after
 * which no more notifications come. */
int rx_oom_watch_read(struct rx_oom_watch *w, unsigned *ooms, bool *gone, mr_error **err);

void rx_oom_watch_close(struct rx_oom_watch *w);

#endif
