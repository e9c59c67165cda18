/* `spec`: writes a starting config.json — a busybox-style shell in fresh
 * pid, network, ipc, uts and mount namespaces, a read-only root, the
 * default filesystems, masked and read-only /proc entries. --rootless maps
 * the caller's uid and gid to root in a user namespace and keeps the host
 * network. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/file.h"
#include "common/json.h"
#include "mockrunc/commands.h"
#include "mockrunc/mockrunc.h"
#include "realexec/realexec.h"

static json_t *mount(const char *dest, const char *type, const char *source,
		     const char *const *options)
{
	json_t *opts = json_array();

	for (int i = 0; options[i] != NULL; i++)
		json_array_append_new(opts, json_string(options[i]));
	return json_pack("{s:s, s:s, s:s, s:o}", "destination", dest, "type", type,
			 "source", source, "options", opts);
}

static json_t *string_array(const char *const *items)
{
	json_t *a = json_array();

	for (int i = 0; items[i] != NULL; i++)
		json_array_append_new(a, json_string(items[i]));
	return a;
}

static json_t *default_spec(bool rootless)
{
	static const char *const caps[] = { "CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE", NULL };
	static const char *const masked[] = {
		"/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
		"/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
		"/sys/firmware", NULL,
	};
	static const char *const readonly[] = {
		"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger", NULL,
	};
	json_t *mounts = json_array();
	json_t *namespaces = json_array();
	json_t *linux_obj, *process;

	json_array_append_new(mounts, mount("/proc", "proc", "proc", (const char *const[]){ NULL }));
	json_array_append_new(mounts, mount("/dev", "tmpfs", "tmpfs",
		(const char *const[]){ "nosuid", "strictatime", "mode=755", "size=65536k", NULL }));
	json_array_append_new(mounts, mount("/dev/pts", "devpts", "devpts",
		rootless ? (const char *const[]){ "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", NULL }
			 : (const char *const[]){ "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5", NULL }));
	json_array_append_new(mounts, mount("/dev/shm", "tmpfs", "shm",
		(const char *const[]){ "nosuid", "noexec", "nodev", "mode=1777", "size=65536k", NULL }));
	json_array_append_new(mounts, mount("/dev/mqueue", "mqueue", "mqueue",
		(const char *const[]){ "nosuid", "noexec", "nodev", NULL }));
	if (rootless)
		json_array_append_new(mounts, mount("/sys", "none", "/sys",
			(const char *const[]){ "rbind", "nosuid", "noexec", "nodev", "ro", NULL }));
	else
		json_array_append_new(mounts, mount("/sys", "sysfs", "sysfs",
			(const char *const[]){ "nosuid", "noexec", "nodev", "ro", NULL }));
	json_array_append_new(mounts, mount("/sys/fs/cgroup", "cgroup", "cgroup",
		(const char *const[]){ "nosuid", "noexec", "nodev", "relatime", "ro", NULL }));

	json_array_append_new(namespaces, json_pack("{s:s}", "type", "pid"));
	if (!rootless)
		json_array_append_new(namespaces, json_pack("{s:s}", "type", "network"));
	json_array_append_new(namespaces, json_pack("{s:s}", "type", "ipc"));
	json_array_append_new(namespaces, json_pack("{s:s}", "type", "uts"));
	json_array_append_new(namespaces, json_pack("{s:s}", "type", "mount"));
	if (rootless)
		json_array_append_new(namespaces, json_pack("{s:s}", "type", "user"));

	linux_obj = json_pack("{s:o, s:o, s:o}",
			      "namespaces", namespaces,
			      "maskedPaths", string_array(masked),
			      "readonlyPaths", string_array(readonly));
	if (rootless) {
		json_object_set_new(linux_obj, "uidMappings", json_pack("[{s:i, s:i, s:i}]",
			"containerID", 0, "hostID", (int)geteuid(), "size", 1));
		json_object_set_new(linux_obj, "gidMappings", json_pack("[{s:i, s:i, s:i}]",
			"containerID", 0, "hostID", (int)getegid(), "size", 1));
	} else {
		json_object_set_new(linux_obj, "resources", json_pack("{s:[{s:b, s:s}]}",
			"devices", "allow", 0, "access", "rwm"));
	}

	process = json_pack("{s:b, s:{s:i, s:i}, s:[s], s:[s, s], s:s,"
			    " s:{s:o, s:o, s:o, s:o}, s:[{s:s, s:i, s:i}], s:b}",
			    "terminal", 0,
			    "user", "uid", 0, "gid", 0,
			    "args", "sh",
			    "env", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
			    "TERM=xterm",
			    "cwd", "/",
			    "capabilities", "bounding", string_array(caps), "effective", string_array(caps),
			    "permitted", string_array(caps), "ambient", string_array(caps),
			    "rlimits", "type", "RLIMIT_NOFILE", "hard", 1024, "soft", 1024,
			    "noNewPrivileges", 1);
	return json_pack("{s:s, s:o, s:{s:s, s:b}, s:s, s:o, s:o}",
			 "ociVersion", REALEXEC_OCI_VERSION,
			 "process", process,
			 "root", "path", "rootfs", "readonly", 1,
			 "hostname", "mockrunc",
			 "mounts", mounts,
			 "linux", linux_obj);
}

int mockrunc_cmd_spec(struct mockrunc *m, mr_error **err)
{
	const char *bundle = cli_string(&m->inv.local, "bundle");
	cleanup_free char *path = NULL;
	cleanup_free char *text = NULL;
	cleanup_json json_t *spec = default_spec(cli_bool(&m->inv.local, "rootless"));
	struct stat st;
	int fd;

	if (bundle != NULL && *bundle != '\0') {
		if (stat(bundle, &st) < 0)
			return mr_error_set(err, errno, "chdir %s", bundle);
		if (!S_ISDIR(st.st_mode))
			return mr_error_set(err, ENOTDIR, "chdir %s", bundle);
	}
	path = mr_path_join(bundle != NULL && *bundle != '\0' ? bundle : ".", "config.json");
	text = spec != NULL ? json_dumps(spec, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
	if (path == NULL || text == NULL)
		return mr_error_set(err, ENOMEM, "spec");
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (fd < 0 && errno == EEXIST)
		return mr_error_set(err, 0, "File config.json exists. Remove it first");
	if (fd < 0)
		return mr_error_set(err, errno, "open %s", path);
	if (mr_write_all(fd, text, strlen(text)) < 0 || mr_write_all(fd, "\n", 1) < 0) {
		int saved = errno;
		close(fd);
		return mr_error_set(err, saved, "write %s", path);
	}
	close(fd);
	return 0;
}
