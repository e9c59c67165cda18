/* What is asked of a container while it lives: pause, resume, the list of
 * its processes, new resource limits. */
#include <errno.h>
#include <stdlib.h>

#include "common/cleanup.h"
#include "realexec/realexec.h"
#include "realexec/resources.h"
#include "realexec/state.h"
#include "realexec/update.h"

int realexec_pause(const char *root, const char *id, mr_error **err)
{
	struct rx_container c;
	enum rx_status st;
	int rc = -1;

	if (rx_container_load(root, id, &c, err) < 0)
		goto out;
	st = rx_container_status(&c);
	if (st != RX_RUNNING && st != RX_CREATED)
		mr_error_set(err, 0, "container not running");
	else
		rc = rx_cgroups_freeze(&c.cgroups, true, err);
out:
	rx_container_free(&c);
	return rc;
}

int realexec_resume(const char *root, const char *id, mr_error **err)
{
	struct rx_container c;
	int rc = -1;

	if (rx_container_load(root, id, &c, err) < 0)
		goto out;
	if (rx_container_status(&c) != RX_PAUSED)
		mr_error_set(err, 0, "container not paused");
	else
		rc = rx_cgroups_freeze(&c.cgroups, false, err);
out:
	rx_container_free(&c);
	return rc;
}

int realexec_pids(const char *root, const char *id, pid_t **pids, size_t *n, mr_error **err)
{
	struct rx_container c;
	int rc = -1;

	*pids = NULL;
	*n = 0;
	if (rx_container_load(root, id, &c, err) < 0)
		goto out;
	/* No cgroup left: the container was destroyed under us. */
	if (rx_cgroups_pids(&c.cgroups, pids, n) < 0)
		mr_error_set(err, 0, "container not running");
	else
		rc = 0;
out:
	rx_container_free(&c);
	return rc;
}

int realexec_update(const char *root, const char *id, const char *resources, size_t len,
		    const struct rx_update_flags *flags, const struct mr_logger *log, mr_error **err)
{
	struct rx_container c;
	cleanup_json json_t *r = NULL;
	int rc = -1;

	if (rx_container_load(root, id, &c, err) < 0)
		goto out;
	if (resources != NULL ? rx_update_parse_resources(resources, len, &r, err) < 0
			      : rx_update_from_flags(flags, &r, err) < 0)
		goto out;
	if (rx_container_status(&c) == RX_STOPPED) {
		mr_error_set(err, 0, "container not running");
		goto out;
	}
	rc = rx_resources_apply(&c.cgroups, r, &(struct rx_resources_opts){ .update = true, .log = log },
				err);
out:
	rx_container_free(&c);
	return rc;
}
