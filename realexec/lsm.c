#include "realexec/lsm.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/file.h"
#include "common/json.h"
#include "realexec/mounts.h"

#define DEFAULT_ATTR "/proc/thread-self/attr"

static const char *pick(const char *given, const char *fallback)
{
	return given != NULL ? given : fallback;
}

/* A selinuxfs mount that is not read-only, from mountinfo lines
 * "... <mount point> <mount options> ... - selinuxfs <source> <super>":
 * the file at path, or the text read earlier when there is one. */
static bool selinuxfs_mounted(const char *path, const char *text)
{
	cleanup_fclose FILE *f = path != NULL ? fopen(path, "re") : rx_mountinfo_open(text);
	cleanup_free char *line = NULL;
	size_t cap = 0;

	if (f == NULL)
		return false;
	while (getline(&line, &cap, f) > 0) {
		char opts[1024];
		const char *dash = strstr(line, " - selinuxfs ");
		if (dash == NULL)
			continue;
		if (sscanf(line, "%*s %*s %*s %*s %*s %1023s", opts) == 1 &&
		    (strcmp(opts, "rw") == 0 || strncmp(opts, "rw,", 3) == 0))
			return true;
	}
	return false;
}

void rx_lsm_detect(const struct rx_lsm_paths *paths, struct rx_lsm_host *host)
{
	rx_lsm_detect_in(paths, NULL, host);
}

void rx_lsm_detect_in(const struct rx_lsm_paths *paths, const char *mountinfo,
		      struct rx_lsm_host *host)
{
	static const struct rx_lsm_paths none = { 0 };
	const struct rx_lsm_paths *p = paths != NULL ? paths : &none;
	cleanup_free char *enabled = NULL;
	cleanup_free char *current = NULL;
	cleanup_free char *current_path = NULL;
	cleanup_error mr_error *ignored = NULL;
	size_t len = 0;

	host->apparmor = access(pick(p->apparmor_fs, "/sys/kernel/security/apparmor"), F_OK) == 0 &&
			 mr_read_file(pick(p->apparmor_enabled, "/sys/module/apparmor/parameters/enabled"),
				      &enabled, &len, &ignored) == 0 &&
			 len > 0 && enabled[0] == 'Y';
	mr_error_free(&ignored);
	/* SELinux is on when its filesystem is mounted writable and the kernel
	 * has loaded a policy (before that every task is "kernel"). */
	host->selinux = false;
	if (selinuxfs_mounted(p->mountinfo, mountinfo)) {
		current_path = mr_path_join(pick(p->attr, DEFAULT_ATTR), "current");
		if (current_path != NULL && mr_read_file(current_path, &current, &len, &ignored) == 0) {
			while (len > 0 && (current[len - 1] == '\0' || current[len - 1] == '\n'))
				current[--len] = '\0';
			host->selinux = strcmp(current, "kernel") != 0;
		} else {
			host->selinux = true;
		}
	}
}

static int string_field(json_t *obj, const char *key, const char *go_struct, const char *path,
			char **out, mr_error **err)
{
	json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v)) {
		const char *kind = json_is_object(v) ? "object" : json_is_array(v) ? "array" :
				   json_is_boolean(v) ? "bool" : "number";
		return mr_error_set(err, 0,
				    "json: cannot unmarshal %s into Go struct field %s.%s of type string",
				    kind, go_struct, path);
	}
	if (*json_string_value(v) == '\0')
		return 0;
	*out = strdup(json_string_value(v));
	return *out != NULL ? 0 : mr_error_set(err, ENOMEM, "lsm");
}

int rx_lsm_prepare(json_t *process, json_t *linux_obj, const struct rx_lsm_host *host,
		   struct rx_lsm *out, mr_error **err)
{
	memset(out, 0, sizeof *out);
	if (string_field(process, "apparmorProfile", "Process", "process.apparmorProfile",
			 &out->apparmor_profile, err) < 0 ||
	    string_field(process, "selinuxLabel", "Process", "process.selinuxLabel",
			 &out->selinux_label, err) < 0 ||
	    string_field(linux_obj, "mountLabel", "Linux", "linux.mountLabel", &out->mount_label,
			 err) < 0)
		goto fail;
	/* runc's validator; an AppArmor profile is not checked (its write in
	 * the init fails instead when the host has no AppArmor). */
	if (out->selinux_label != NULL && !host->selinux) {
		mr_error_set(err, 0, "selinux label is specified in config, but selinux is disabled or not supported");
		goto fail;
	}
	return 0;
fail:
	rx_lsm_free(out);
	return -1;
}

void rx_lsm_free(struct rx_lsm *l)
{
	free(l->apparmor_profile);
	free(l->selinux_label);
	free(l->mount_label);
	memset(l, 0, sizeof *l);
}

static int write_attr(const char *path, const char *value, mr_error **err)
{
	cleanup_close int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return mr_error_set(err, errno, "open %s", path);
	if (mr_write_all(fd, value, strlen(value)) < 0)
		return mr_error_set(err, errno, "write %s", path);
	return 0;
}

int rx_lsm_apply_apparmor(const char *profile, const char *attr, mr_error **err)
{
	cleanup_free char *scoped = NULL;
	cleanup_free char *value = NULL;
	const char *dir = pick(attr, DEFAULT_ATTR);
	cleanup_free char *legacy = mr_path_join(dir, "exec");

	if (profile == NULL || *profile == '\0')
		return 0;
	scoped = mr_path_join(dir, "apparmor/exec");
	if (scoped == NULL || legacy == NULL || asprintf(&value, "exec %s", profile) < 0)
		return mr_error_set(err, ENOMEM, "apparmor");
	/* Kernels with LSM stacking have a directory per LSM; older ones only
	 * the shared attr/exec. */
	if (write_attr(access(scoped, F_OK) == 0 ? scoped : legacy, value, err) < 0)
		return mr_error_wrap(err, "unable to apply apparmor profile: apparmor failed to apply profile");
	return 0;
}

int rx_lsm_apply_selinux(const char *label, const char *attr, mr_error **err)
{
	cleanup_free char *path = mr_path_join(pick(attr, DEFAULT_ATTR), "exec");

	if (label == NULL || *label == '\0')
		return 0;
	if (path == NULL)
		return mr_error_set(err, ENOMEM, "selinux");
	if (write_attr(path, label, err) < 0)
		return mr_error_wrap(err, "can't set process label");
	return 0;
}

int rx_lsm_set_keycreate(const char *label, const char *attr, mr_error **err)
{
	cleanup_free char *path = mr_path_join(pick(attr, DEFAULT_ATTR), "keycreate");

	if (label == NULL)
		return 0;
	if (path == NULL)
		return mr_error_set(err, ENOMEM, "selinux");
	return write_attr(path, label, err);
}

char *rx_lsm_mount_data(const char *data, const char *label)
{
	cleanup_free char *q = NULL;
	char *out = NULL;

	if (label == NULL || *label == '\0')
		return strdup(data != NULL ? data : "");
	q = mr_json_quote_go(label);
	if (q == NULL)
		return NULL;
	if (asprintf(&out, "%s%scontext=%s", data != NULL ? data : "",
		     data != NULL && *data != '\0' ? "," : "", q) < 0)
		return NULL;
	return out;
}

bool rx_lsm_mount_takes_label(const char *type)
{
	static const char *const no[] = { "proc", "sysfs", "mqueue", "cgroup", "cgroup2", NULL };

	for (int i = 0; no[i] != NULL; i++)
		if (type != NULL && strcmp(type, no[i]) == 0)
			return false;
	return true;
}
