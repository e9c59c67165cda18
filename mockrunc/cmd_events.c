/* events: the container's statistics (--stats: once) and OOM kills, one
 * JSON object per line. */
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mockrunc/commands.h"
#include "mockrunc/mockrunc.h"
#include "realexec/realexec.h"

/* Go's time.ParseDuration (the command line has checked the syntax). */
static int64_t duration_ns(const char *s)
{
	static const struct { const char *unit; double ns; } units[] = {
		{ "ns", 1 }, { "us", 1e3 }, { "µs", 1e3 }, { "μs", 1e3 }, { "ms", 1e6 },
		{ "s", 1e9 }, { "m", 60e9 }, { "h", 3600e9 },
	};
	double total = 0;
	int sign = 1;

	if (*s == '-' || *s == '+')
		sign = *s++ == '-' ? -1 : 1;
	while (*s != '\0') {
		char *end;
		double v = strtod(s, &end);
		size_t best = 0, k = 0;
		if (end == s)
			break;
		for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
			size_t len = strlen(units[i].unit);
			if (strncmp(end, units[i].unit, len) == 0 && len > best) {
				best = len;
				k = i;
			}
		}
		if (best == 0)
			break;
		total += v * units[k].ns;
		s = end + best;
	}
	return sign * (int64_t)llround(total);
}

static void print_line(const char *line, void *arg)
{
	(void)arg;
	fputs(line, stdout);
	fflush(stdout);
}

int mockrunc_cmd_events(struct mockrunc *m, mr_error **err)
{
	const char *interval = cli_string(&m->inv.local, "interval");

	return realexec_events(m->root, m->inv.id, duration_ns(interval != NULL ? interval : "5s"),
			       cli_bool(&m->inv.local, "stats"), print_line, NULL, err) < 0 ? -1 : 0;
}
