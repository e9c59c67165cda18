/* realexec/lsm: detecting AppArmor and SELinux (on fake /sys and /proc
 * files), what a config with a profile or labels gives on a host without
 * them (as runc: an error, never a silent skip), and the exact text the
 * init writes to the LSM attribute files (a fake attr directory). */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/unit/tap.h"
#include "common/cleanup.h"
#include "common/error.h"
#include "common/file.h"
#include "common/json.h"
#include "realexec/lsm.h"

static char tmp[] = "/tmp/mockrunc-lsm-XXXXXX";

static char *at(const char *name)
{
	static char buf[8][512];
	static int k;

	k = (k + 1) % 8;
	snprintf(buf[k], sizeof buf[k], "%s/%s", tmp, name);
	return buf[k];
}

static void put(const char *name, const char *text)
{
	cleanup_error mr_error *err = NULL;
	cleanup_free char *copy = strdup(at(name));
	char *slash = strrchr(copy, '/');

	*slash = '\0';
	mr_mkdir_all(copy, 0755, &err);
	mr_write_file_atomic(at(name), text, strlen(text), 0644, &err);
}

static char *get(const char *name)
{
	char *data = NULL;
	size_t len;
	cleanup_error mr_error *err = NULL;

	if (mr_read_file(at(name), &data, &len, &err) < 0)
		return NULL;
	return data;
}

static const char mi_plain[] =
	"22 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n"
	"31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n";
static const char mi_selinux[] =
	"22 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n"
	"40 21 0:20 / /sys/fs/selinux rw,relatime - selinuxfs selinuxfs rw\n";
static const char mi_selinux_ro[] =
	"40 21 0:20 / /sys/fs/selinux ro,relatime - selinuxfs selinuxfs rw\n";

static struct rx_lsm_host detect(void)
{
	struct rx_lsm_paths p = { at("securityfs/apparmor"), at("module/enabled"), at("mountinfo"),
				  at("attr") };
	struct rx_lsm_host h;

	rx_lsm_detect(&p, &h);
	return h;
}

static void test_detect(void)
{
	struct rx_lsm_host h;

	put("mountinfo", mi_plain);
	put("attr/current", "unconfined\n");
	h = detect();
	ok(!h.apparmor && !h.selinux, "no apparmor securityfs, no selinuxfs: neither LSM");

	put("securityfs/apparmor/profiles", "");
	put("module/enabled", "Y\n");
	h = detect();
	ok(h.apparmor, "apparmor securityfs and parameters/enabled=Y: AppArmor on");
	put("module/enabled", "N\n");
	h = detect();
	ok(!h.apparmor, "parameters/enabled=N: AppArmor off");
	unlink(at("module/enabled"));
	h = detect();
	ok(!h.apparmor, "no apparmor module: AppArmor off");

	put("mountinfo", mi_selinux);
	put("attr/current", "system_u:system_r:unconfined_t:s0");
	h = detect();
	ok(h.selinux, "selinuxfs mounted rw and a labelled task: SELinux on");
	put("attr/current", "kernel");
	h = detect();
	ok(!h.selinux, "task still labelled \"kernel\" (no policy loaded): SELinux off");
	put("attr/current", "system_u:system_r:unconfined_t:s0");
	put("mountinfo", mi_selinux_ro);
	h = detect();
	ok(!h.selinux, "selinuxfs mounted read-only: SELinux off");

	/* This host: the real files. */
	rx_lsm_detect(NULL, &h);
	if (access("/sys/module/apparmor/parameters/enabled", F_OK) < 0)
		ok(!h.apparmor, "this host has no AppArmor module: detected off");
	else
		ok(1, "# SKIP this host has an AppArmor module");
	{
		cleanup_free char *mi = NULL;
		size_t len;
		cleanup_error mr_error *err = NULL;
		mr_read_file("/proc/self/mountinfo", &mi, &len, &err);
		if (mi != NULL && strstr(mi, " - selinuxfs ") == NULL)
			ok(!h.selinux, "this host has no selinuxfs mounted: detected off");
		else
			ok(1, "# SKIP this host mounts selinuxfs");
	}
}

static int prepare(const char *process, const char *linux_obj, bool selinux_on, struct rx_lsm *out,
		   char **error)
{
	cleanup_error mr_error *err = NULL;
	cleanup_json json_t *p = mr_json_parse(process, strlen(process), &err);
	cleanup_json json_t *l = linux_obj ? mr_json_parse(linux_obj, strlen(linux_obj), &err) : NULL;
	struct rx_lsm_host h = { false, selinux_on };
	int rc = rx_lsm_prepare(p, l, &h, out, &err);

	*error = rc < 0 ? strdup(err->msg) : NULL;
	return rc;
}

static void test_prepare(void)
{
	struct rx_lsm l;
	char *e;

	ok(prepare("{\"selinuxLabel\":\"system_u:system_r:container_t:s0\"}", NULL, false, &l, &e) < 0,
	   "selinuxLabel on a host without SELinux is refused (as runc)");
	is_str(e, "selinux label is specified in config, but selinux is disabled or not supported",
	       "... with runc's message");
	free(e);

	ok(prepare("{\"selinuxLabel\":\"system_u:system_r:container_t:s0\",\"apparmorProfile\":\"p\"}",
		   "{\"mountLabel\":\"system_u:object_r:container_file_t:s0\"}", true, &l, &e) == 0,
	   "with SELinux on, the labels are taken");
	is_str(l.selinux_label, "system_u:system_r:container_t:s0", "process label kept");
	is_str(l.apparmor_profile, "p", "apparmor profile kept");
	is_str(l.mount_label, "system_u:object_r:container_file_t:s0", "mount label kept");
	rx_lsm_free(&l);

	ok(prepare("{\"apparmorProfile\":\"docker-default\"}", "{\"mountLabel\":\"x\"}", false, &l, &e) == 0,
	   "an apparmorProfile and a mountLabel pass the checks whatever the host (runc fails later)");
	is_str(l.apparmor_profile, "docker-default", "profile kept for the init");
	free(e);
	rx_lsm_free(&l);

	ok(prepare("{\"apparmorProfile\":\"\",\"selinuxLabel\":\"\"}", "{\"mountLabel\":\"\"}", false, &l,
		   &e) == 0 && l.apparmor_profile == NULL && l.selinux_label == NULL && l.mount_label == NULL,
	   "empty strings mean not set (no error without SELinux)");
	rx_lsm_free(&l);

	ok(prepare("{\"apparmorProfile\":5}", NULL, false, &l, &e) < 0, "a profile that is not a string is refused");
	is_str(e, "json: cannot unmarshal number into Go struct field Process.process.apparmorProfile of type string",
	       "... with Go's decoder message");
	free(e);
}

static void test_apply(void)
{
	cleanup_error mr_error *err = NULL;
	char *text;

	/* Kernels with LSM stacking: attr/apparmor/exec. */
	put("a1/exec", "");
	put("a1/apparmor/exec", "");
	ok(rx_lsm_apply_apparmor("docker-default", at("a1"), &err) == 0, "profile written (stacking kernel)");
	text = get("a1/apparmor/exec");
	is_str(text, "exec docker-default", "attr/apparmor/exec holds \"exec <profile>\"");
	free(text);
	text = get("a1/exec");
	is_str(text, "", "attr/exec left alone");
	free(text);

	/* Older kernels: the shared attr/exec. */
	put("a2/exec", "");
	ok(rx_lsm_apply_apparmor("my-profile", at("a2"), &err) == 0, "profile written (no attr/apparmor)");
	text = get("a2/exec");
	is_str(text, "exec my-profile", "attr/exec holds \"exec <profile>\"");
	free(text);

	ok(rx_lsm_apply_apparmor(NULL, at("nowhere"), &err) == 0 &&
	   rx_lsm_apply_apparmor("", at("nowhere"), &err) == 0, "no profile: nothing written");

	ok(rx_lsm_apply_apparmor("p", at("nowhere"), &err) < 0, "no attr file: error");
	{
		char want[600];
		snprintf(want, sizeof want,
			 "unable to apply apparmor profile: apparmor failed to apply profile: open %s: no such file or directory",
			 at("nowhere/exec"));
		is_str(err ? err->msg : NULL, want, "... naming the file");
	}
	mr_error_free(&err);

	put("s1/exec", "");
	ok(rx_lsm_apply_selinux("system_u:system_r:container_t:s0:c1,c2", at("s1"), &err) == 0,
	   "SELinux exec label written");
	text = get("s1/exec");
	is_str(text, "system_u:system_r:container_t:s0:c1,c2", "attr/exec holds the label");
	free(text);
	ok(rx_lsm_apply_selinux(NULL, at("nowhere"), &err) == 0, "no label: nothing written");

	put("s1/keycreate", "");
	ok(rx_lsm_set_keycreate("system_u:object_r:container_t:s0", at("s1"), &err) == 0,
	   "key creation label written");
	text = get("s1/keycreate");
	is_str(text, "system_u:object_r:container_t:s0", "attr/keycreate holds the label");
	free(text);
}

/* On this host's real /proc, in a child (the attribute is per task). */
static void test_real_apparmor(void)
{
	struct rx_lsm_host h;
	int fds[2];
	pid_t pid;
	char msg[512] = "";
	ssize_t n;

	rx_lsm_detect(NULL, &h);
	if (h.apparmor || access("/proc/thread-self/attr/apparmor", F_OK) == 0) {
		ok(1, "# SKIP this host has AppArmor");
		return;
	}
	if (pipe(fds) < 0)
		return;
	pid = fork();
	if (pid == 0) {
		mr_error *err = NULL;
		close(fds[0]);
		if (rx_lsm_apply_apparmor("docker-default", NULL, &err) < 0)
			(void)!write(fds[1], err->msg, strlen(err->msg));
		_exit(0);
	}
	close(fds[1]);
	n = read(fds[0], msg, sizeof msg - 1);
	msg[n > 0 ? n : 0] = '\0';
	close(fds[0]);
	waitpid(pid, NULL, 0);
	is_str(msg, "unable to apply apparmor profile: apparmor failed to apply profile: "
		    "write /proc/thread-self/attr/exec: invalid argument",
	       "apparmorProfile without AppArmor: the kernel refuses it, as under runc");
}

static void test_mount_label(void)
{
	char *d;

	d = rx_lsm_mount_data("mode=755,size=65536k", "system_u:object_r:container_file_t:s0");
	is_str(d, "mode=755,size=65536k,context=\"system_u:object_r:container_file_t:s0\"",
	       "mount label appended as context=\"...\"");
	free(d);
	d = rx_lsm_mount_data(NULL, "lbl");
	is_str(d, "context=\"lbl\"", "mount label alone");
	free(d);
	d = rx_lsm_mount_data("", "lbl");
	is_str(d, "context=\"lbl\"", "mount label with empty data");
	free(d);
	d = rx_lsm_mount_data("mode=755", NULL);
	is_str(d, "mode=755", "no mount label: data unchanged");
	free(d);
	ok(rx_lsm_mount_takes_label("tmpfs") && rx_lsm_mount_takes_label("devpts") &&
	   !rx_lsm_mount_takes_label("proc") && !rx_lsm_mount_takes_label("sysfs") &&
	   !rx_lsm_mount_takes_label("mqueue") && !rx_lsm_mount_takes_label("cgroup"),
	   "tmpfs and devpts take the label; proc, sysfs, mqueue, cgroup do not");
}

/* What a tmpfs with the label gives on this host, in a private mount
 * namespace so that nothing stays mounted. */
static void test_mount_label_kernel(void)
{
	struct rx_lsm_host h;
	int status = 0;
	pid_t pid;

	rx_lsm_detect(NULL, &h);
	if (h.selinux || geteuid() != 0) {
		ok(1, "# SKIP needs root on a host without SELinux");
		return;
	}
	pid = fork();
	if (pid == 0) {
		char *data = rx_lsm_mount_data("mode=755", "system_u:object_r:container_file_t:s0");
		if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
			_exit(2);
		if (mount("tmpfs", at("m"), "tmpfs", 0, data) == 0)
			_exit(0);
		_exit(errno == EINVAL ? 1 : 3);
	}
	waitpid(pid, &status, 0);
	is_int(WIFEXITED(status) ? WEXITSTATUS(status) : -1, 1,
	       "without SELinux the kernel refuses a labelled tmpfs (EINVAL), as it does under runc");
}

int main(void)
{
	if (mkdtemp(tmp) == NULL)
		return 1;
	mkdir(at("m"), 0755);
	test_detect();
	test_prepare();
	test_apply();
	test_real_apparmor();
	test_mount_label();
	test_mount_label_kernel();
	{
		char cmd[600];
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
		if (system(cmd) != 0)
			printf("# could not remove %s\n", tmp);
	}
	return tap_done();
}
