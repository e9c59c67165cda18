#include "realexec/capabilities.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>

#include "common/cleanup.h"

enum { SET_BOUNDING, SET_EFFECTIVE, SET_INHERITABLE, SET_PERMITTED, SET_AMBIENT, SET_COUNT };

static const char *const set_names[SET_COUNT] = {
	"bounding", "effective", "inheritable", "permitted", "ambient",
};

struct realexec_caps {
	cap_value_t *caps[SET_COUNT];
	size_t n[SET_COUNT];
};

/* Unknown capability names became a warning in runtime-spec 1.1.0. */
static bool version_before_1_1(const char *v)
{
	int major = 0, minor = 0;

	if (v == NULL || sscanf(v, "%d.%d", &major, &minor) != 2)
		return false;
	return major < 1 || (major == 1 && minor < 1);
}

/* The spec's spelling, as runc matches it: "CAP_" and upper case (libcap
 * alone would also take "cap_chown" or "chown"). */
static bool spec_name(const char *name)
{
	if (name == NULL || strncmp(name, "CAP_", 4) != 0 || name[4] == '\0')
		return false;
	for (const char *p = name + 4; *p != '\0'; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_'))
			return false;
	return true;
}

int realexec_caps_prepare(json_t *caps, const char *oci_version, const struct mr_logger *log,
			  struct realexec_caps **out, mr_error **err)
{
	struct realexec_caps *c = calloc(1, sizeof *c);
	int last = (int)cap_max_bits();

	*out = NULL;
	if (c == NULL)
		return mr_error_set(err, ENOMEM, "capabilities");
	for (int s = 0; s < SET_COUNT; s++) {
		json_t *arr = json_object_get(caps, set_names[s]), *v;
		size_t i;
		c->caps[s] = calloc(json_array_size(arr) + 1, sizeof(cap_value_t));
		if (c->caps[s] == NULL) {
			realexec_caps_free(c);
			return mr_error_set(err, ENOMEM, "capabilities");
		}
		json_array_foreach(arr, i, v) {
			const char *name = json_string_value(v);
			cap_value_t cv;
			if (!spec_name(name) || cap_from_name(name, &cv) < 0 || cv >= last) {
				if (version_before_1_1(oci_version)) {
					realexec_caps_free(c);
					return mr_error_set(err, 0, "unknown capability \"%s\"",
							    name != NULL ? name : "");
				}
				mr_log(log, MR_LOG_WARNING, "ignoring unknown or unavailable capabilities: [%s]",
				       name != NULL ? name : "");
				continue;
			}
			c->caps[s][c->n[s]++] = cv;
		}
	}
	*out = c;
	return 0;
}

static bool in_set(const struct realexec_caps *c, int set, cap_value_t v)
{
	for (size_t i = 0; i < c->n[set]; i++)
		if (c->caps[set][i] == v)
			return true;
	return false;
}

int realexec_caps_apply_before_user(const struct realexec_caps *c, mr_error **err)
{
	int last = (int)cap_max_bits();

	for (cap_value_t v = 0; v < last; v++) {
		if (in_set(c, SET_BOUNDING, v))
			continue;
		if (prctl(PR_CAPBSET_DROP, v, 0, 0, 0) < 0 && errno != EINVAL)
			return mr_error_set(err, errno, "drop bounding capability %d", v);
	}
	/* Keep the permitted set across setuid to a non-root user. */
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return mr_error_set(err, errno, "prctl(PR_SET_KEEPCAPS)");
	return 0;
}

int realexec_caps_apply_after_user(const struct realexec_caps *c, mr_error **err)
{
	cap_t caps = cap_init();
	int rc = 0;

	if (caps == NULL)
		return mr_error_set(err, errno, "cap_init");
	if ((c->n[SET_EFFECTIVE] > 0 &&
	     cap_set_flag(caps, CAP_EFFECTIVE, (int)c->n[SET_EFFECTIVE], c->caps[SET_EFFECTIVE], CAP_SET) < 0) ||
	    (c->n[SET_PERMITTED] > 0 &&
	     cap_set_flag(caps, CAP_PERMITTED, (int)c->n[SET_PERMITTED], c->caps[SET_PERMITTED], CAP_SET) < 0) ||
	    (c->n[SET_INHERITABLE] > 0 &&
	     cap_set_flag(caps, CAP_INHERITABLE, (int)c->n[SET_INHERITABLE], c->caps[SET_INHERITABLE], CAP_SET) < 0))
		rc = mr_error_set(err, errno, "cap_set_flag");
	else if (cap_set_proc(caps) < 0)
		rc = mr_error_set(err, errno, "unable to apply caps");
	cap_free(caps);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < c->n[SET_AMBIENT]; i++)
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, c->caps[SET_AMBIENT][i], 0, 0) < 0 &&
		    errno != EPERM)
			return mr_error_set(err, errno, "raise ambient capability %d", c->caps[SET_AMBIENT][i]);
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
		return mr_error_set(err, errno, "prctl(PR_SET_KEEPCAPS)");
	return 0;
}

void realexec_caps_free(struct realexec_caps *c)
{
	if (c == NULL)
		return;
	for (int s = 0; s < SET_COUNT; s++)
		free(c->caps[s]);
	free(c);
}

char **realexec_caps_known_names(void)
{
	int last = (int)cap_max_bits();
	char **names = calloc((size_t)last + 1, sizeof *names);
	size_t n = 0;

	if (names == NULL)
		return NULL;
	for (cap_value_t v = 0; v < last; v++) {
		char *name = cap_to_name(v);
		if (name == NULL)
			continue;
		/* libcap spells them "cap_chown"; the spec "CAP_CHOWN". A
		 * number means libcap has no name for it. */
		if (strncmp(name, "cap_", 4) == 0) {
			names[n] = strdup(name);
			for (char *p = names[n]; p != NULL && *p != '\0'; p++)
				*p = (char)toupper((unsigned char)*p);
			if (names[n] != NULL)
				n++;
		}
		cap_free(name);
	}
	return names;
}

void realexec_caps_names_free(char **names)
{
	if (names == NULL)
		return;
	for (char **p = names; *p != NULL; p++)
		free(*p);
	free(names);
}
