/* Checks on the document, the root filesystem, hostname, annotations and
 * the default filesystems (SPEC-CATALOG.md §2.1, §2.3 HN, §2.4 AN, §2.9). */
#include <ctype.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/cleanup.h"
#include "common/file.h"
#include "report/check.h"

CHECK_FN(G01)
{
	json_t *v = json_object_get(c->doc, "ociVersion");

	if (v == NULL)
		check_fail(c, NULL, NULL, "ociVersion is missing", "ociVersion");
	else if (!json_is_string(v))
		check_fail(c, NULL, v, "ociVersion is not a string", "ociVersion");
}

CHECK_FN(G02)
{
	json_t *v = json_object_get(c->doc, "ociVersion");

	if (json_is_string(v) && !spec_version_is_semver(json_string_value(v)))
		check_fail(c, NULL, v, "ociVersion is not a SemVer 2.0.0 version", "ociVersion");
}

/* Every catalogued config feature newer than the declared version. */
CHECK_FN(G03)
{
	struct spec_version declared;

	if (c->declared == NULL || !spec_version_parse(c->declared, &declared))
		return;
	for (size_t i = 0; i < catalog_feature_count(); i++) {
		const struct catalog_feature *f = catalog_feature(i);
		struct spec_version since;
		json_t *v;
		if (!c->exercised[i] || f->source != SRC_CONFIG ||
		    !spec_version_parse(f->since, &since) || spec_version_cmp(since, declared) <= 0)
			continue;
		v = json_string(f->since);
		check_fail(c, f->id, v, "feature is newer than the declared ociVersion", "%s", f->id);
		json_decref(v);
	}
}

/* Parse failures are reported before any check runs; a parsed document
 * that is not an object is the remaining way to be wrong. */
CHECK_FN(G04)
{
	if (!json_is_object(c->doc))
		check_fail(c, NULL, NULL, "config is not a JSON object", "(document)");
}

CHECK_FN(G05)
{
	const char *base;

	if (c->config_name == NULL)
		return;
	base = strrchr(c->config_name, '/');
	base = base != NULL ? base + 1 : c->config_name;
	if (strcmp(base, "config.json") != 0) {
		json_t *v = json_string(base);
		check_fail(c, NULL, v, "the configuration file is not named config.json", "(file)");
		json_decref(v);
	}
}

CHECK_FN(G06)
{
	json_t *v = check_get(c->doc, "root.path");

	if (c->bundle == NULL || !json_is_string(v))
		return;
	if (!check_rootfs_in_bundle(json_string_value(v), c->bundle))
		check_fail(c, NULL, v, "root.path is not a directory of the bundle", "root.path");
}

CHECK_FN(RT01)
{
	if (!json_is_object(json_object_get(c->doc, "root")))
		check_fail(c, NULL, json_object_get(c->doc, "root"), "root is missing", "root");
}

CHECK_FN(RT02)
{
	json_t *v = check_get(c->doc, "root.path");

	if (!json_is_string(v))
		check_fail(c, NULL, v, "root.path is missing or not a string", "root.path");
}

/* runtime-tools compares the last path element. */
CHECK_FN(RT03)
{
	json_t *v = check_get(c->doc, "root.path");
	cleanup_free char *clean = NULL;
	const char *base;

	if (!json_is_string(v) || (clean = mr_path_clean(json_string_value(v))) == NULL)
		return;
	base = strrchr(clean, '/');
	base = base != NULL ? base + 1 : clean;
	if (strcmp(base, "rootfs") != 0)
		check_fail(c, NULL, v, "root.path is not the conventional rootfs", "root.path");
}

CHECK_FN(RT04)
{
	json_t *v = check_get(c->doc, "root.path");
	cleanup_free char *path = NULL;
	struct stat st;

	if (c->bundle == NULL || !json_is_string(v))
		return;
	path = check_bundle_path(c->bundle, json_string_value(v));
	if (path != NULL && (stat(path, &st) < 0 || !S_ISDIR(st.st_mode)))
		check_fail(c, NULL, v, "no directory exists at root.path", "root.path");
}

/* ---- annotations ---- */

CHECK_FN(AN01)
{
	json_t *a = json_object_get(c->doc, "annotations"), *v;
	const char *key;

	if (!json_is_object(a)) {
		check_fail(c, NULL, a, "annotations is not a key-value map", "annotations");
		return;
	}
	json_object_foreach(a, key, v)
		if (!json_is_string(v))
			check_fail(c, NULL, v, "annotation value is not a string", "annotations[\"%s\"]", key);
}

CHECK_FN(AN02)
{
	json_t *v;
	const char *key;

	json_object_foreach(json_object_get(c->doc, "annotations"), key, v)
		if (key[0] == '\0')
			check_fail(c, NULL, v, "annotation key is empty", "annotations[\"\"]");
}

/* Reverse domain notation: a top-level label of letters, then at least one
 * more dot-separated label (runtime-tools' expression, without its 6-letter
 * TLD cap). */
static bool reverse_domain(const char *key)
{
	const char *p = key;
	size_t n = 0;
	int labels = 0;

	while (isalpha((unsigned char)*p)) {
		p++;
		n++;
	}
	if (n < 2 || n > 63)
		return false;
	while (*p == '.') {
		p++;
		n = 0;
		while (isalnum((unsigned char)*p) || *p == '-') {
			p++;
			n++;
		}
		if (n == 0 || n > 63)
			return false;
		labels++;
	}
	return *p == '\0' && labels > 0;
}

CHECK_FN(AN03)
{
	json_t *v;
	const char *key;

	json_object_foreach(json_object_get(c->doc, "annotations"), key, v) {
		if (key[0] != '\0' && !reverse_domain(key)) {
			json_t *k = json_string(key);
			check_fail(c, NULL, k, "annotation key is not in reverse domain notation",
				   "annotations");
			json_decref(k);
		}
	}
}

static const char *const image_keys[] = {
	"org.opencontainers.image.os", "org.opencontainers.image.os.version",
	"org.opencontainers.image.os.features", "org.opencontainers.image.architecture",
	"org.opencontainers.image.variant", "org.opencontainers.image.author",
	"org.opencontainers.image.created", "org.opencontainers.image.stopSignal", NULL,
};

CHECK_FN(AN04)
{
	json_t *v;
	const char *key;

	json_object_foreach(json_object_get(c->doc, "annotations"), key, v) {
		if (strncmp(key, "org.opencontainers.", 19) == 0 && !check_in(key, image_keys)) {
			json_t *k = json_string(key);
			check_fail(c, NULL, k, "annotation key is reserved by org.opencontainers",
				   "annotations");
			json_decref(k);
		}
	}
}

/* Go's GOOS and GOARCH values, as the image spec refers to them. */
static const char *const goos[] = {
	"aix", "android", "darwin", "dragonfly", "freebsd", "illumos", "ios", "js", "linux",
	"netbsd", "openbsd", "plan9", "solaris", "wasip1", "windows", "zos", NULL,
};
static const char *const goarch[] = {
	"386", "amd64", "arm", "arm64", "loong64", "mips", "mipsle", "mips64", "mips64le",
	"ppc64", "ppc64le", "riscv64", "s390x", "wasm", NULL,
};

/* RFC 3339 date-time: 2006-01-02T15:04:05[.frac](Z|+hh:mm). */
static bool rfc3339(const char *s)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:dd";
	size_t i;

	for (i = 0; shape[i] != '\0'; i++) {
		if (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) :
		    (shape[i] == 'T' ? (s[i] != 'T' && s[i] != 't') : s[i] != shape[i]))
			return false;
	}
	s += i;
	if (*s == '.') {
		s++;
		if (!isdigit((unsigned char)*s))
			return false;
		while (isdigit((unsigned char)*s))
			s++;
	}
	if (*s == 'Z' || *s == 'z')
		return s[1] == '\0';
	return (*s == '+' || *s == '-') && isdigit((unsigned char)s[1]) &&
	       isdigit((unsigned char)s[2]) && s[3] == ':' && isdigit((unsigned char)s[4]) &&
	       isdigit((unsigned char)s[5]) && s[6] == '\0';
}

static bool signal_name(const char *s)
{
	static const char *const names[] = {
		"SIGABRT", "SIGALRM", "SIGBUS", "SIGCHLD", "SIGCONT", "SIGFPE", "SIGHUP", "SIGILL",
		"SIGINT", "SIGIO", "SIGIOT", "SIGKILL", "SIGPIPE", "SIGPOLL", "SIGPROF", "SIGPWR",
		"SIGQUIT", "SIGSEGV", "SIGSTKFLT", "SIGSTOP", "SIGSYS", "SIGTERM", "SIGTRAP",
		"SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGUSR1", "SIGUSR2", "SIGVTALRM",
		"SIGWINCH", "SIGXCPU", "SIGXFSZ", NULL,
	};

	if (check_in(s, names))
		return true;
	/* SIGRTMIN+n / SIGRTMAX-n */
	if (strncmp(s, "SIGRTMIN", 8) == 0 || strncmp(s, "SIGRTMAX", 8) == 0) {
		const char *p = s + 8;
		if (*p == '\0')
			return true;
		if ((*p == '+' || *p == '-') && isdigit((unsigned char)p[1])) {
			char *end;
			long n = strtol(p + 1, &end, 10);
			return *end == '\0' && n <= SIGRTMAX - SIGRTMIN;
		}
	}
	return false;
}

CHECK_FN(AN05)
{
	json_t *a = json_object_get(c->doc, "annotations");
	static const struct {
		const char *key;
		int kind;
	} typed[] = {
		{ "org.opencontainers.image.os", 0 },
		{ "org.opencontainers.image.architecture", 1 },
		{ "org.opencontainers.image.created", 2 },
		{ "org.opencontainers.image.stopSignal", 3 },
	};

	for (size_t i = 0; i < sizeof typed / sizeof typed[0]; i++) {
		json_t *v = json_object_get(a, typed[i].key);
		const char *s = json_string_value(v);
		bool ok;
		if (v == NULL || s == NULL)
			continue;
		switch (typed[i].kind) {
		case 0: ok = check_in(s, goos); break;
		case 1: ok = check_in(s, goarch); break;
		case 2: ok = rfc3339(s); break;
		default: ok = signal_name(s); break;
		}
		if (!ok)
			check_fail(c, NULL, v, "image annotation value is not valid for its image-spec property",
				   "annotations[\"%s\"]", typed[i].key);
	}
}

/* An image conversion sets an annotation only from a property the image
 * has; an empty value cannot come from one. */
CHECK_FN(AN06)
{
	json_t *a = json_object_get(c->doc, "annotations");

	for (size_t i = 0; image_keys[i] != NULL; i++) {
		json_t *v = json_object_get(a, image_keys[i]);
		if (json_is_string(v) && json_string_length(v) == 0)
			check_fail(c, NULL, v, "image annotation is empty, so it does not come from the image",
				   "annotations[\"%s\"]", image_keys[i]);
	}
}

/* ---- hostname, default filesystems ---- */

CHECK_FN(HN01)
{
	json_t *v = json_object_get(c->doc, "hostname");

	if (json_is_string(v) && json_string_length(v) > 0 && !check_has_ns(c->doc, "uts"))
		check_fail(c, NULL, v, "hostname is set without a UTS namespace", "hostname");
}

CHECK_FN(HN02)
{
	json_t *v = json_object_get(c->doc, "domainname");

	if (json_is_string(v) && json_string_length(v) > 0 && !check_has_ns(c->doc, "uts"))
		check_fail(c, NULL, v, "domainname is set without a UTS namespace", "domainname");
}

CHECK_FN(DF01)
{
	static const char *const want[][2] = {
		{ "/proc", "proc" }, { "/sys", "sysfs" }, { "/dev/pts", "devpts" }, { "/dev/shm", "tmpfs" },
	};
	json_t *mounts = json_object_get(c->doc, "mounts");

	for (size_t k = 0; k < 4; k++) {
		json_t *m, *found = NULL;
		size_t i;
		json_array_foreach(mounts, i, m) {
			const char *d = json_string_value(json_object_get(m, "destination"));
			cleanup_free char *clean = d != NULL ? mr_path_clean(d) : NULL;
			if (clean != NULL && strcmp(clean, want[k][0]) == 0)
				found = m;
		}
		if (found == NULL) {
			json_t *v = json_string(want[k][0]);
			check_fail(c, NULL, v, "default filesystem is not mounted", "mounts");
			json_decref(v);
		} else {
			const char *type = json_string_value(json_object_get(found, "type"));
			if (type == NULL || strcmp(type, want[k][1]) != 0)
				check_fail(c, NULL, found, "default filesystem is mounted with another type",
					   "mounts[destination=%s]", want[k][0]);
		}
	}
}
