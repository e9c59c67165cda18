#include "common/clock.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

int64_t mr_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t mr_monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void mr_rfc3339(int64_t ns, bool nano, char *buf, size_t size)
{
	time_t secs = (time_t)(ns / 1000000000);
	long frac = (long)(ns % 1000000000);
	struct tm tm;
	size_t n;

	gmtime_r(&secs, &tm);
	n = strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm);
	if (nano && frac != 0 && n + 12 < size) {
		char digits[16];
		int len = snprintf(digits, sizeof digits, "%09ld", frac);
		while (len > 0 && digits[len - 1] == '0')
			digits[--len] = '\0';
		n += (size_t)snprintf(buf + n, size - n, ".%s", digits);
	}
	if (n + 1 < size) {
		buf[n] = 'Z';
		buf[n + 1] = '\0';
	}
}
