/* process.capabilities on hand-written configs: which names are refused or
 * warned about for which spec version, and — in a forked child, as root —
 * the five sets a process ends up with, around a switch to another user. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "realexec/capabilities.h"
#include "realexec/seccomp.h"
#include "tests/unit/tap.h"

#define BIT(n) (1ULL << (n))
/* The numbers the kernel gives them (linux/capability.h). */
enum { CHOWN = 0, KILL = 5, NET_BIND_SERVICE = 10, SYS_TIME = 25 };

struct sets {
	int ok;                 /* 1: applied; 0: failed (msg says why) */
	uint64_t inh, prm, eff, bnd, amb;
	unsigned uid;
	char msg[256];
};

static json_t *parse(const char *text)
{
	json_error_t jerr;
	json_t *j = json_loads(text, 0, &jerr);

	if (j == NULL)
		fprintf(stderr, "bad test JSON: %s\n", jerr.text);
	return j;
}

static uint64_t status_field(const char *status, const char *name)
{
	const char *p = strstr(status, name);

	return p != NULL ? strtoull(p + strlen(name) + 1, NULL, 16) : ~0ULL;
}

/* Forks; the child applies caps around setresuid(uid) (uid < 0: stays
 * root) and reports its sets from /proc/self/status. */
static struct sets apply_in_child(const struct realexec_caps *c, int uid)
{
	struct sets *shared = mmap(NULL, sizeof *shared, PROT_READ | PROT_WRITE,
				   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct sets out = { 0 };
	pid_t pid;

	if (shared == MAP_FAILED)
		return out;
	memset(shared, 0, sizeof *shared);
	pid = fork();
	if (pid == 0) {
		mr_error *err = NULL;
		char buf[4096];
		FILE *f;
		size_t n;

		if (realexec_caps_apply_before_user(c, &err) < 0 ||
		    (uid >= 0 && (setresgid((gid_t)uid, (gid_t)uid, (gid_t)uid) < 0 ||
				  setresuid((uid_t)uid, (uid_t)uid, (uid_t)uid) < 0)) ||
		    realexec_caps_apply_after_user(c, &err) < 0) {
			snprintf(shared->msg, sizeof shared->msg, "%s",
				 err != NULL ? err->msg : strerror(errno));
			_exit(1);
		}
		f = fopen("/proc/self/status", "r");
		n = f != NULL ? fread(buf, 1, sizeof buf - 1, f) : 0;
		buf[n] = '\0';
		shared->inh = status_field(buf, "CapInh:");
		shared->prm = status_field(buf, "CapPrm:");
		shared->eff = status_field(buf, "CapEff:");
		shared->bnd = status_field(buf, "CapBnd:");
		shared->amb = status_field(buf, "CapAmb:");
		shared->uid = (unsigned)getuid();
		shared->ok = 1;
		_exit(0);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
	out = *shared;
	munmap(shared, sizeof *shared);
	return out;
}

/* A logger writing into a memory file, to read warnings back. */
static int capture_fd(void)
{
	return memfd_create("log", MFD_CLOEXEC);
}

static char *captured(int fd)
{
	static char buf[1024];
	ssize_t n = pread(fd, buf, sizeof buf - 1, 0);

	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static void test_names(void)
{
	json_t *caps = parse("{\"bounding\": [\"CAP_CHOWN\", \"CAP_NOPE\"], \"effective\": [\"CAP_CHOWN\"]}");
	struct realexec_caps *c = NULL;
	mr_error *err = NULL;
	int fd = capture_fd();
	struct mr_logger log = { .fd = fd, .json = false, .is_stderr = false, .min = MR_LOG_WARNING };

	ok(realexec_caps_prepare(caps, "1.0.2", &log, &c, &err) == -1 && c == NULL && err != NULL,
	   "ociVersion 1.0.2: an unknown capability is refused");
	is_str(err != NULL ? err->msg : NULL, "unknown capability \"CAP_NOPE\"", "with runc's message");
	mr_error_free(&err);
	ok(realexec_caps_prepare(caps, "1.1.0", &log, &c, &err) == 0 && c != NULL,
	   "ociVersion 1.1.0: an unknown capability is ignored");
	ok(strstr(captured(fd), "level=warning msg=\"ignoring unknown or unavailable capabilities: [CAP_NOPE]\"") != NULL,
	   "and warned about");
	realexec_caps_free(c);
	c = NULL;
	ok(realexec_caps_prepare(caps, "1.2.0-rc.1", NULL, &c, &err) == 0 && c != NULL,
	   "a pre-release of 1.2.0 is past 1.1.0");
	realexec_caps_free(c);
	c = NULL;
	json_decref(caps);

	caps = parse("{\"permitted\": [\"cap_chown\"]}");
	ok(realexec_caps_prepare(caps, "1.0.0", NULL, &c, &err) == -1,
	   "names are upper-case, as the spec writes them");
	mr_error_free(&err);
	json_decref(caps);

	{
		char **names = realexec_caps_known_names();
		int chown_found = 0, n = 0;
		for (char **p = names; p != NULL && *p != NULL; p++, n++)
			chown_found |= strcmp(*p, "CAP_CHOWN") == 0;
		ok(chown_found && n >= 38, "features lists the kernel's capabilities (%d)", n);
		realexec_caps_names_free(names);
	}
	close(fd);
}

static void test_apply(void)
{
	json_t *caps;
	struct realexec_caps *c = NULL;
	mr_error *err = NULL;
	struct sets s;

	if (geteuid() != 0) {
		ok(1, "# SKIP applying capabilities needs root");
		return;
	}
	caps = parse("{\"bounding\": [\"CAP_CHOWN\", \"CAP_KILL\", \"CAP_NET_BIND_SERVICE\"],"
		     " \"effective\": [\"CAP_CHOWN\"], \"permitted\": [\"CAP_CHOWN\", \"CAP_KILL\"],"
		     " \"inheritable\": [\"CAP_KILL\"], \"ambient\": [\"CAP_KILL\"]}");
	realexec_caps_prepare(caps, "1.2.0", NULL, &c, &err);
	s = apply_in_child(c, -1);
	ok(s.ok, "root: applied (%s)", s.msg);
	is_int(s.bnd, BIT(CHOWN) | BIT(KILL) | BIT(NET_BIND_SERVICE), "root: bounding set as given");
	is_int(s.eff, BIT(CHOWN), "root: effective set as given");
	is_int(s.prm, BIT(CHOWN) | BIT(KILL), "root: permitted set as given");
	is_int(s.inh, BIT(KILL), "root: inheritable set as given");
	is_int(s.amb, BIT(KILL), "root: ambient set raised (it is permitted and inheritable)");

	s = apply_in_child(c, 65534);
	ok(s.ok && s.uid == 65534, "uid 65534: applied after the user switch (%s)", s.msg);
	is_int(s.prm, BIT(CHOWN) | BIT(KILL), "uid 65534: permitted kept across setuid");
	is_int(s.eff, BIT(CHOWN), "uid 65534: effective restored after setuid cleared it");
	is_int(s.amb, BIT(KILL), "uid 65534: ambient set");
	is_int(s.bnd, BIT(CHOWN) | BIT(KILL) | BIT(NET_BIND_SERVICE), "uid 65534: bounding set");
	realexec_caps_free(c);
	c = NULL;
	json_decref(caps);

	/* An ambient capability that is not inheritable cannot be raised:
	 * runc ignores that, and so does realexec. */
	caps = parse("{\"bounding\": [\"CAP_SYS_TIME\"], \"permitted\": [\"CAP_SYS_TIME\"],"
		     " \"effective\": [\"CAP_SYS_TIME\"], \"ambient\": [\"CAP_SYS_TIME\"]}");
	realexec_caps_prepare(caps, "1.2.0", NULL, &c, &err);
	s = apply_in_child(c, -1);
	ok(s.ok && s.amb == 0 && s.eff == BIT(SYS_TIME), "ambient without inheritable: skipped (%s)", s.msg);
	realexec_caps_free(c);
	c = NULL;
	json_decref(caps);

	realexec_caps_prepare(NULL, "1.2.0", NULL, &c, &err);
	s = apply_in_child(c, -1);
	ok(s.ok && s.bnd == 0 && s.eff == 0 && s.prm == 0 && s.inh == 0 && s.amb == 0,
	   "no capabilities object: every set empty, as runc");
	realexec_caps_free(c);
}

static void test_seccomp_supported_flags(void)
{
	const char **flags = realexec_seccomp_supported_flags();
	const char *const *known = realexec_seccomp_known_flags();
	int subset = flags != NULL, tsync = 0;

	for (const char **f = flags; f != NULL && *f != NULL; f++) {
		int found = 0;
		for (const char *const *k = known; *k != NULL; k++)
			found |= strcmp(*f, *k) == 0;
		subset &= found;
		tsync |= strcmp(*f, "SECCOMP_FILTER_FLAG_TSYNC") == 0;
	}
	ok(subset && tsync, "features: supportedFlags are known flags, TSYNC among them");
	free(flags);
}

int main(void)
{
	test_names();
	test_apply();
	test_seccomp_supported_flags();
	return tap_done();
}
