#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <seccomp.h>

#include "common/cleanup.h"
#include "realexec/capabilities.h"
#include "realexec/cgroups.h"
#include "realexec/hooks.h"
#include "realexec/lsm.h"
#include "realexec/mounts.h"
#include "realexec/namespaces.h"
#include "realexec/realexec.h"
#include "realexec/seccomp.h"

static json_t *strings(const char *const *v)
{
	json_t *a = json_array();

	for (; v != NULL && *v != NULL; v++)
		json_array_append_new(a, json_string(*v));
	return a;
}

static json_t *mount_options(void)
{
	json_t *a = json_array();
	const char *name;

	for (size_t i = 0; (name = rx_mount_option_name(i)) != NULL; i++)
		json_array_append_new(a, json_string(name));
	return a;
}

json_t *realexec_features(void)
{
	const char *hooks[RX_HOOK_KINDS + 1] = { 0 };
	char **caps = realexec_caps_known_names();
	const char **flags = realexec_seccomp_supported_flags();
	const struct scmp_version *v = seccomp_version();
	char version[32] = "";
	struct rx_lsm_host lsm;
	bool v1, v2;
	json_t *linux_obj, *doc;

	for (int k = 0; k < RX_HOOK_KINDS; k++)
		hooks[k] = rx_hook_kind_name(k);
	rx_cgroups_host_versions(&v1, &v2);
	rx_lsm_detect(NULL, &lsm);
	if (v != NULL)
		snprintf(version, sizeof version, "%u.%u.%u", v->major, v->minor, v->micro);
	linux_obj = json_pack("{s:o, s:o, s:{s:b, s:b, s:b, s:b, s:b},"
			      " s:{s:b, s:o, s:o, s:o, s:o, s:o},"
			      " s:{s:b}, s:{s:b}, s:{s:b}, s:{s:{s:b}}}",
			      "namespaces", strings(rx_ns_known_names()),
			      "capabilities", strings((const char *const *)caps),
			      "cgroup", "v1", v1, "v2", v2, "systemd", 0, "systemdUser", 0, "rdma", 1,
			      "seccomp", "enabled", 1,
			      "actions", strings(realexec_seccomp_known_actions()),
			      "operators", strings(realexec_seccomp_known_operators()),
			      "archs", strings(realexec_seccomp_known_archs()),
			      "knownFlags", strings(realexec_seccomp_known_flags()),
			      "supportedFlags", strings(flags),
			      "apparmor", "enabled", lsm.apparmor,
			      "selinux", "enabled", lsm.selinux,
			      "intelRdt", "enabled", 0,
			      "mountExtensions", "idmap", "enabled", 0);
	realexec_caps_names_free(caps);
	free(flags);
	doc = json_pack("{s:s, s:s, s:o, s:o, s:o, s:{s:s}}",
			"ociVersionMin", REALEXEC_OCI_VERSION_MIN,
			"ociVersionMax", REALEXEC_OCI_VERSION,
			"hooks", strings(hooks),
			"mountOptions", mount_options(),
			"linux", linux_obj,
			"annotations",
			"io.github.seccomp.libseccomp.version", version);
	return doc;
}

char *realexec_version_text(const char *version, const char *commit)
{
	const struct scmp_version *v = seccomp_version();
	char *out = NULL;
	char lib[64] = "";

	if (v != NULL)
		snprintf(lib, sizeof lib, "libseccomp: %u.%u.%u\n", v->major, v->minor, v->micro);
	if (asprintf(&out, "runc version %s\n%s%s%sspec: %s\n%s", version,
		     commit != NULL ? "commit: " : "", commit != NULL ? commit : "",
		     commit != NULL ? "\n" : "", REALEXEC_OCI_VERSION, lib) < 0)
		return NULL;
	return out;
}
