/* Wall-clock time in nanoseconds and its RFC 3339 renderings. */
#ifndef MR_CLOCK_H
#define MR_CLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

int64_t mr_now_ns(void);
int64_t mr_monotonic_ns(void);

/* "2026-08-20T10:11:12Z" (seconds) or "2026-08-20T10:11:12.123456789Z"
 * (Go's RFC3339Nano: trailing zeros of the fraction dropped). UTC. */
void mr_rfc3339(int64_t ns, bool nano, char *buf, size_t size);

#endif
