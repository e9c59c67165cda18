/* Merging several databases (one per node) into one. */
#ifndef REPORT_MERGE_H
#define REPORT_MERGE_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"

struct merge_counts {
	int64_t sessions;        /* sessions added */
	int64_t invocations;     /* invocations added */
};

/* Creates out when missing; inputs are opened read-only. */
int report_merge(const char *out, char *const *inputs, size_t n, struct merge_counts *counts,
		 mr_error **err);

#endif
