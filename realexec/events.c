/* `events`: the container's statistics once, or as a stream with its OOM
 * kills, until its cgroup goes away. */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "realexec/realexec.h"
#include "realexec/state.h"
#include "realexec/stats.h"

static int emit_stats(const struct rx_container *c, void (*emit)(const char *, void *), void *arg,
		      mr_error **err)
{
	cleanup_json json_t *data = NULL;
	cleanup_free char *line = NULL;

	if (rx_stats_read(&c->cgroups, &data, err) < 0)
		return -1;
	line = rx_stats_event_json("stats", c->id, data);
	if (line == NULL)
		return mr_error_set(err, ENOMEM, "events");
	emit(line, arg);
	return 0;
}

static int stream(const struct rx_container *c, int64_t interval_ns,
		  void (*emit)(const char *, void *), void *arg, mr_error **err)
{
	struct rx_oom_watch w;
	cleanup_close int timer = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	struct itimerspec its = { { interval_ns / 1000000000, interval_ns % 1000000000 },
				  { interval_ns / 1000000000, interval_ns % 1000000000 } };
	cleanup_free char *oom = rx_stats_event_json("oom", c->id, NULL);
	int rc = 0;

	if (timer < 0 || timerfd_settime(timer, 0, &its, NULL) < 0)
		return mr_error_set(err, errno, "timerfd");
	if (oom == NULL)
		return mr_error_set(err, ENOMEM, "events");
	if (rx_oom_watch_open(&c->cgroups, &w, err) < 0)
		return -1;
	for (;;) {
		struct pollfd p[2] = { { timer, POLLIN, 0 }, { w.fd, POLLIN, 0 } };
		unsigned ooms = 0;
		bool gone = false;

		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			rc = mr_error_set(err, errno, "poll");
			break;
		}
		if (p[0].revents & POLLIN) {
			uint64_t ticks;
			cleanup_error mr_error *serr = NULL;
			/* A failed read is skipped, as runc only logs it. */
			if (read(timer, &ticks, sizeof ticks) == sizeof ticks)
				emit_stats(c, emit, arg, &serr);
		}
		if (p[1].revents & (POLLIN | POLLERR | POLLHUP)) {
			if (rx_oom_watch_read(&w, &ooms, &gone, err) < 0) {
				rc = -1;
				break;
			}
			for (unsigned i = 0; i < ooms; i++)
				emit(oom, arg);
			if (gone)
				break;
		}
	}
	rx_oom_watch_close(&w);
	return rc;
}

int realexec_events(const char *root, const char *id, int64_t interval_ns, bool stats_only,
		    void (*emit)(const char *line, void *arg), void *arg, mr_error **err)
{
	struct rx_container c;
	int rc = -1;

	if (rx_container_load(root, id, &c, err) < 0)
		goto out;
	if (interval_ns <= 0) {
		mr_error_set(err, 0, "duration interval must be greater than 0");
		goto out;
	}
	if (rx_container_status(&c) == RX_STOPPED) {
		mr_error_set(err, 0, "container with id %s is not running", id);
		goto out;
	}
	rc = stats_only ? emit_stats(&c, emit, arg, err) : stream(&c, interval_ns, emit, arg, err);
out:
	rx_container_free(&c);
	return rc;
}
