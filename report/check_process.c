/* Checks on the process (SPEC-CATALOG.md §2.3). Capability names are
 * judged by libcap, which knows every name the kernel ABI defines. */
#include <ctype.h>
#include <string.h>
#include <sys/capability.h>

#include "report/check.h"

static json_t *process(struct check_ctx *c)
{
	return json_object_get(c->doc, "process");
}

CHECK_FN(PR01)
{
	if (!json_is_object(process(c)))
		check_fail(c, NULL, NULL, "process is missing from a bundle that is started", "process");
}

CHECK_FN(PR02)
{
	json_t *v = json_object_get(process(c), "cwd");

	if (!json_is_string(v))
		check_fail(c, NULL, v, "process.cwd is missing", "process.cwd");
}

CHECK_FN(PR03)
{
	json_t *v = json_object_get(process(c), "cwd");

	if (json_is_string(v) && !check_is_abs(json_string_value(v)))
		check_fail(c, NULL, v, "process.cwd is not an absolute path", "process.cwd");
}

CHECK_FN(PR04)
{
	json_t *v = json_object_get(process(c), "args");

	if (!json_is_array(v) || json_array_size(v) == 0)
		check_fail(c, NULL, v, "process.args has no entry", "process.args");
}

/* NAME=value with a non-empty NAME */
static bool env_entry(json_t *e)
{
	const char *s = json_string_value(e);

	return s != NULL && s[0] != '=' && strchr(s, '=') != NULL;
}

CHECK_FN(PR05)
{
	json_t *e;
	size_t i;

	json_array_foreach(json_object_get(process(c), "env"), i, e)
		if (!env_entry(e))
			check_fail(c, NULL, e, "env entry is not NAME=value", "process.env[%zu]", i);
}

CHECK_FN(PR06)
{
	json_t *cs = json_object_get(process(c), "consoleSize");

	if (!check_is_int(json_object_get(cs, "height")) || !check_is_int(json_object_get(cs, "width")))
		check_fail(c, NULL, cs, "consoleSize lacks height or width", "process.consoleSize");
}

CHECK_FN(PR07)
{
	json_t *p = process(c);

	if (json_object_get(p, "consoleSize") != NULL && !json_is_true(json_object_get(p, "terminal")))
		check_fail(c, NULL, json_object_get(p, "consoleSize"),
			   "consoleSize is set while terminal is not true", "process.consoleSize");
}

CHECK_FN(PR08)
{
	json_t *u = json_object_get(process(c), "user");

	if (!check_is_int(json_object_get(u, "uid")) || !check_is_int(json_object_get(u, "gid")))
		check_fail(c, NULL, u, "process.user lacks uid or gid", "process.user");
}

#define EACH_RLIMIT(i, r) json_array_foreach(json_object_get(process(c), "rlimits"), i, r)

CHECK_FN(PR09)
{
	json_t *r;
	size_t i;

	EACH_RLIMIT(i, r)
		if (!json_is_string(json_object_get(r, "type")) || !check_is_int(json_object_get(r, "soft")) ||
		    !check_is_int(json_object_get(r, "hard")))
			check_fail(c, NULL, r, "rlimit lacks type, soft or hard", "process.rlimits[%zu]", i);
}

static const char *const rlimits[] = {
	"RLIMIT_AS", "RLIMIT_CORE", "RLIMIT_CPU", "RLIMIT_DATA", "RLIMIT_FSIZE", "RLIMIT_LOCKS",
	"RLIMIT_MEMLOCK", "RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_NOFILE", "RLIMIT_NPROC",
	"RLIMIT_RSS", "RLIMIT_RTPRIO", "RLIMIT_RTTIME", "RLIMIT_SIGPENDING", "RLIMIT_STACK", NULL,
};

CHECK_FN(PR10)
{
	json_t *r, *t;
	size_t i;

	EACH_RLIMIT(i, r)
		if (json_is_string(t = json_object_get(r, "type")) && !check_in(json_string_value(t), rlimits))
			check_fail(c, NULL, t, "rlimit type is not a Linux resource", "process.rlimits[%zu].type", i);
}

CHECK_FN(PR11)
{
	json_t *r;
	size_t i, j;

	EACH_RLIMIT(i, r) {
		const char *t = json_string_value(json_object_get(r, "type"));
		if (t == NULL)
			continue;
		for (j = 0; j < i; j++) {
			const char *u = json_string_value(json_object_get(
				json_array_get(json_object_get(process(c), "rlimits"), j), "type"));
			if (u != NULL && strcmp(t, u) == 0) {
				check_fail(c, NULL, json_object_get(r, "type"), "rlimit type is listed twice",
					   "process.rlimits[%zu].type", i);
				break;
			}
		}
	}
}

CHECK_FN(PR12)
{
	json_t *r;
	size_t i;

	EACH_RLIMIT(i, r) {
		json_t *soft = json_object_get(r, "soft"), *hard = json_object_get(r, "hard");
		if (json_is_number(soft) && json_is_number(hard) && check_cmp(soft, hard) > 0)
			check_fail(c, NULL, r, "rlimit soft is above hard", "process.rlimits[%zu]", i);
	}
}

static const char *const cap_sets[] = { "bounding", "effective", "inheritable", "permitted", "ambient" };

static bool capability_known(const char *name)
{
	cap_value_t v;

	if (strncmp(name, "CAP_", 4) == 0 && name[4] != '\0') {
		for (const char *p = name + 4; *p != '\0'; p++)
			if (!isupper((unsigned char)*p) && *p != '_')
				return false;
		return cap_from_name(name, &v) == 0;
	}
	return false;
}

static void capability_names(struct check_ctx *c)
{
	json_t *caps = json_object_get(process(c), "capabilities");

	for (size_t s = 0; s < 5; s++) {
		char feature[64];
		json_t *e;
		size_t i;
		snprintf(feature, sizeof feature, "process.capabilities.%s", cap_sets[s]);
		json_array_foreach(json_object_get(caps, cap_sets[s]), i, e)
			if (!json_is_string(e) || !capability_known(json_string_value(e)))
				check_fail(c, feature, e, "capability is not a known CAP_* name",
					   "process.capabilities.%s[%zu]", cap_sets[s], i);
	}
}

CHECK_FN(PR13)
{
	capability_names(c);
}

CHECK_FN(PR14)
{
	capability_names(c);
}

static bool in_set(json_t *set, const char *name)
{
	json_t *e;
	size_t i;

	json_array_foreach(set, i, e)
		if (json_is_string(e) && strcmp(json_string_value(e), name) == 0)
			return true;
	return false;
}

CHECK_FN(PR15)
{
	json_t *caps = json_object_get(process(c), "capabilities"), *e;
	json_t *permitted = json_object_get(caps, "permitted");
	json_t *inheritable = json_object_get(caps, "inheritable");
	size_t i;

	json_array_foreach(json_object_get(caps, "effective"), i, e)
		if (json_is_string(e) && !in_set(permitted, json_string_value(e)))
			check_fail(c, "process.capabilities.effective", e,
				   "effective capability is not permitted", "process.capabilities.effective[%zu]", i);
	json_array_foreach(json_object_get(caps, "ambient"), i, e)
		if (json_is_string(e) && (!in_set(permitted, json_string_value(e)) ||
					  !in_set(inheritable, json_string_value(e))))
			check_fail(c, "process.capabilities.ambient", e,
				   "ambient capability is not both permitted and inheritable",
				   "process.capabilities.ambient[%zu]", i);
}

CHECK_FN(PR16)
{
	json_t *v = json_object_get(process(c), "oomScoreAdj");

	if (!check_is_int(v) || check_num(v) < -1000 || check_num(v) > 1000)
		check_fail(c, NULL, v, "oomScoreAdj is outside -1000..1000", "process.oomScoreAdj");
}

static const char *const policies[] = {
	"SCHED_OTHER", "SCHED_FIFO", "SCHED_RR", "SCHED_BATCH", "SCHED_ISO", "SCHED_IDLE",
	"SCHED_DEADLINE", NULL,
};
static const char *const sched_flags[] = {
	"SCHED_FLAG_RESET_ON_FORK", "SCHED_FLAG_RECLAIM", "SCHED_FLAG_DL_OVERRUN",
	"SCHED_FLAG_KEEP_POLICY", "SCHED_FLAG_KEEP_PARAMS", "SCHED_FLAG_UTIL_CLAMP_MIN",
	"SCHED_FLAG_UTIL_CLAMP_MAX", NULL,
};

CHECK_FN(PR17)
{
	json_t *s = json_object_get(process(c), "scheduler"), *f;
	json_t *policy = json_object_get(s, "policy");
	size_t i;

	if (!check_in(json_string_value(policy), policies))
		check_fail(c, NULL, policy, "scheduler.policy is missing or not a SCHED_* policy",
			   "process.scheduler.policy");
	json_array_foreach(json_object_get(s, "flags"), i, f)
		if (!check_in(json_string_value(f), sched_flags))
			check_fail(c, NULL, f, "scheduler flag is not a SCHED_FLAG_* value",
				   "process.scheduler.flags[%zu]", i);
}

static bool nonzero(json_t *v)
{
	return json_is_number(v) && check_num(v) != 0;
}

CHECK_FN(PR18)
{
	json_t *s = json_object_get(process(c), "scheduler");
	const char *policy = json_string_value(json_object_get(s, "policy"));
	json_t *nice = json_object_get(s, "nice");
	bool rt, deadline;

	if (policy == NULL)
		return;
	rt = strcmp(policy, "SCHED_FIFO") == 0 || strcmp(policy, "SCHED_RR") == 0;
	deadline = strcmp(policy, "SCHED_DEADLINE") == 0;
	if (nonzero(json_object_get(s, "priority")) && !rt)
		check_fail(c, NULL, json_object_get(s, "priority"),
			   "scheduler.priority without SCHED_FIFO or SCHED_RR", "process.scheduler.priority");
	if (!deadline && (nonzero(json_object_get(s, "runtime")) || nonzero(json_object_get(s, "deadline")) ||
			  nonzero(json_object_get(s, "period"))))
		check_fail(c, NULL, s, "scheduler runtime/deadline/period without SCHED_DEADLINE",
			   "process.scheduler");
	if (json_is_number(nice) && (check_num(nice) < -20 || check_num(nice) > 19))
		check_fail(c, NULL, nice, "scheduler.nice is outside -20..19", "process.scheduler.nice");
}

CHECK_FN(PR19)
{
	static const char *const classes[] = { "IOPRIO_CLASS_RT", "IOPRIO_CLASS_BE", "IOPRIO_CLASS_IDLE", NULL };
	json_t *io = json_object_get(process(c), "ioPriority");

	if (!check_in(json_string_value(json_object_get(io, "class")), classes))
		check_fail(c, NULL, json_object_get(io, "class"), "ioPriority.class is missing or not an IOPRIO_CLASS_* value",
			   "process.ioPriority.class");
	if (!check_is_int(json_object_get(io, "priority")))
		check_fail(c, NULL, io, "ioPriority.priority is missing", "process.ioPriority.priority");
}

CHECK_FN(PR20)
{
	json_t *v = check_get(c->doc, "process.ioPriority.priority");

	if (json_is_number(v) && (check_num(v) < 0 || check_num(v) > 7))
		check_fail(c, NULL, v, "ioPriority.priority is outside 0..7", "process.ioPriority.priority");
}

/* The schema allows spaces around list items. */
static bool spaced_cpu_list(const char *s)
{
	char buf[256];
	size_t n = 0;

	for (; *s != '\0' && n + 1 < sizeof buf; s++)
		if (*s != ' ')
			buf[n++] = *s;
	buf[n] = '\0';
	return *s == '\0' && check_is_cpu_list(buf);
}

CHECK_FN(PR21)
{
	static const char *const keys[] = { "initial", "final" };
	json_t *a = json_object_get(process(c), "execCPUAffinity");

	for (size_t i = 0; i < 2; i++) {
		json_t *v = json_object_get(a, keys[i]);
		if (v != NULL && (!json_is_string(v) || !spaced_cpu_list(json_string_value(v))))
			check_fail(c, NULL, v, "execCPUAffinity value is not a CPU list",
				   "process.execCPUAffinity.%s", keys[i]);
	}
}
