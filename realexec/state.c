#include "realexec/state.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/clock.h"
#include "common/file.h"
#include "common/json.h"
#include "realexec/realexec.h"

int realexec_validate_id(const char *id, mr_error **err)
{
	if (id == NULL || *id == '\0' || strcmp(id, ".") == 0 || strcmp(id, "..") == 0)
		return mr_error_set(err, 0, "invalid container ID format");
	for (const char *p = id; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || strchr("_+.-", *p) != NULL))
			return mr_error_set(err, 0, "invalid container ID format");
	if (strlen(id) > 1024)
		return mr_error_set(err, 0, "invalid container ID format");
	return 0;
}

int rx_container_dir(const char *root, const char *id, char **dir, mr_error **err)
{
	if (realexec_validate_id(id, err) < 0)
		return -1;
	*dir = mr_path_join(root, id);
	return *dir != NULL ? 0 : mr_error_set(err, ENOMEM, "state");
}

int rx_container_load(const char *root, const char *id, struct rx_container *c, mr_error **err)
{
	cleanup_free char *path = NULL;
	cleanup_json json_t *j = NULL;
	cleanup_error mr_error *lerr = NULL;
	const char *start;

	memset(c, 0, sizeof *c);
	if (rx_container_dir(root, id, &c->dir, err) < 0)
		return -1;
	path = mr_path_join(c->dir, RX_STATE_FILE);
	if (path == NULL)
		return mr_error_set(err, ENOMEM, "state");
	j = mr_json_load_file(path, &lerr);
	if (j == NULL) {
		if (lerr->errnum == ENOENT || lerr->errnum == ENOTDIR)
			return mr_error_set(err, 0, "container does not exist");
		return mr_error_set(err, 0, "%s", lerr->msg);
	}
	c->id = strdup(id);
	c->pid = (pid_t)mr_json_int(j, "init_pid", 0);
	start = mr_json_str(j, "init_start");
	c->start = start != NULL ? strtoull(start, NULL, 10) : 0;
	c->bundle = strdup(mr_json_str(j, "bundle") != NULL ? mr_json_str(j, "bundle") : "");
	c->rootfs = strdup(mr_json_str(j, "rootfs") != NULL ? mr_json_str(j, "rootfs") : "");
	c->created_ns = mr_json_int(j, "created_ns", 0);
	c->own_pidns = mr_json_bool(j, "own_pidns", false);
	c->config = json_incref(json_object_get(j, "config"));
	if (c->id == NULL || c->bundle == NULL || c->rootfs == NULL ||
	    rx_cgroups_from_json(json_object_get(j, "cgroups"), &c->cgroups) < 0)
		return mr_error_set(err, ENOMEM, "state");
	return 0;
}

int rx_container_save(const struct rx_container *c, mr_error **err)
{
	cleanup_free char *path = mr_path_join(c->dir, RX_STATE_FILE);
	cleanup_free char *text = NULL;
	cleanup_json json_t *j = NULL;
	char start[32], created[64];

	snprintf(start, sizeof start, "%llu", c->start);
	mr_rfc3339(c->created_ns, true, created, sizeof created);
	j = json_pack("{s:s, s:i, s:s, s:s, s:s, s:s, s:I, s:b, s:o, s:O?}",
		      "id", c->id, "init_pid", (int)c->pid, "init_start", start,
		      "bundle", c->bundle, "rootfs", c->rootfs, "created", created,
		      "created_ns", (json_int_t)c->created_ns, "own_pidns", c->own_pidns,
		      "cgroups", rx_cgroups_to_json(&c->cgroups), "config", c->config);
	text = j != NULL ? mr_json_dump(j, false) : NULL;
	if (path == NULL || text == NULL)
		return mr_error_set(err, ENOMEM, "state");
	return mr_write_file_replace(path, text, strlen(text), 0600, err);
}

void rx_container_free(struct rx_container *c)
{
	free(c->dir);
	free(c->id);
	free(c->bundle);
	free(c->rootfs);
	json_decref(c->config);
	rx_cgroups_free(&c->cgroups);
	memset(c, 0, sizeof *c);
}

unsigned long long rx_proc_start_time(pid_t pid)
{
	char path[64];
	cleanup_free char *data = NULL;
	cleanup_error mr_error *err = NULL;
	unsigned long long start = 0;
	char state;
	char *p;

	if (pid <= 0)
		return 0;
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	if (mr_read_file(path, &data, NULL, &err) < 0)
		return 0;
	/* The command name may hold spaces and parentheses: fields start
	 * after its last ')'. */
	p = strrchr(data, ')');
	if (p == NULL || sscanf(p + 1, " %c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u "
				"%*d %*d %*d %*d %*d %*d %llu", &state, &start) != 2)
		return 0;
	if (state == 'Z' || state == 'X' || state == 'x')
		return 0;
	return start;
}

enum rx_status rx_container_status(const struct rx_container *c)
{
	cleanup_free char *fifo = mr_path_join(c->dir, RX_FIFO_FILE);
	unsigned long long start = rx_proc_start_time(c->pid);

	if (start == 0 || start != c->start)
		return RX_STOPPED;
	if (rx_cgroups_frozen(&c->cgroups))
		return RX_PAUSED;
	if (fifo != NULL && access(fifo, F_OK) == 0)
		return RX_CREATED;
	return RX_RUNNING;
}

const char *rx_status_name(enum rx_status st)
{
	static const char *const names[] = { "created", "running", "paused", "stopped" };
	return names[st];
}

char *rx_hook_state(const char *id, const char *status, pid_t pid, const char *bundle,
		    json_t *annotations)
{
	cleanup_json json_t *j = json_pack("{s:s, s:s, s:s, s:i, s:s}", "ociVersion",
					   REALEXEC_OCI_VERSION, "id", id, "status", status,
					   "pid", (int)pid, "bundle", bundle);

	if (j == NULL)
		return NULL;
	if (json_is_object(annotations) && json_object_size(annotations) > 0)
		json_object_set(j, "annotations", annotations);
	return mr_json_dump(j, false);
}

/* ---- the public state API ---- */

/* The name /etc/passwd gives uid, read as runc reads it (no NSS: the
 * binary is static, and runc does not ask NSS either); "#UID" when none. */
static char *user_name(uid_t uid)
{
	cleanup_free char *data = NULL;
	cleanup_error mr_error *ignored = NULL;
	size_t len = 0;
	char *save = NULL;
	char buf[32];

	if (mr_read_file("/etc/passwd", &data, &len, &ignored) == 0) {
		for (char *line = strtok_r(data, "\n", &save); line != NULL;
		     line = strtok_r(NULL, "\n", &save)) {
			char *name = line, *pass = strchr(name, ':');
			char *id = pass != NULL ? strchr(pass + 1, ':') : NULL;
			char *end;
			unsigned long v;
			if (id == NULL)
				continue;
			*pass = '\0';
			v = strtoul(id + 1, &end, 10);
			if (end != id + 1 && *end == ':' && v == (unsigned long)uid)
				return strdup(name);
		}
	}
	snprintf(buf, sizeof buf, "#%u", (unsigned)uid);
	return strdup(buf);
}

static char *owner_of(const char *dir)
{
	struct stat st;

	if (stat(dir, &st) < 0)
		return strdup("");
	return user_name(st.st_uid);
}

static int fill_state(const struct rx_container *c, struct realexec_state *st, bool owner,
		      mr_error **err)
{
	enum rx_status status = rx_container_status(c);
	json_t *ann = json_object_get(c->config, "annotations");

	memset(st, 0, sizeof *st);
	st->oci_version = strdup(REALEXEC_OCI_VERSION);
	st->id = strdup(c->id);
	st->pid = status == RX_STOPPED ? 0 : c->pid;
	st->status = rx_status_name(status);
	st->bundle = strdup(c->bundle);
	st->rootfs = strdup(c->rootfs);
	st->created_ns = c->created_ns;
	st->annotations = json_is_object(ann) && json_object_size(ann) > 0 ? json_incref(ann) : NULL;
	st->owner = owner ? owner_of(c->dir) : strdup("");
	if (st->oci_version == NULL || st->id == NULL || st->bundle == NULL || st->rootfs == NULL ||
	    st->owner == NULL) {
		realexec_state_clear(st);
		return mr_error_set(err, ENOMEM, "state");
	}
	return 0;
}

int realexec_state(const char *root, const char *id, struct realexec_state *st, mr_error **err)
{
	struct rx_container c;
	int rc;

	memset(st, 0, sizeof *st);
	if (rx_container_load(root, id, &c, err) < 0) {
		rx_container_free(&c);
		return -1;
	}
	rc = fill_state(&c, st, false, err);
	rx_container_free(&c);
	return rc;
}

void realexec_state_clear(struct realexec_state *st)
{
	free(st->oci_version);
	free(st->id);
	free(st->bundle);
	free(st->rootfs);
	json_decref(st->annotations);
	free(st->owner);
	memset(st, 0, sizeof *st);
}

static int strcmp_ptr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Appends `"key": <Go-quoted value>` the way Go's MarshalIndent does. */
static void put_str(FILE *f, const char *indent, const char *key, const char *value, bool comma)
{
	cleanup_free char *k = mr_json_quote_go(key);
	cleanup_free char *q = mr_json_quote_go(value != NULL ? value : "");

	fprintf(f, "%s%s:%s%s%s", indent, k != NULL ? k : "\"\"", *indent ? " " : "",
		q != NULL ? q : "\"\"", comma ? "," : "");
}

char *realexec_state_json(const struct realexec_state *st, bool with_owner)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	char created[64];
	const char *in = with_owner ? "" : "  ";
	const char *nl = with_owner ? "" : "\n";

	if (f == NULL)
		return NULL;
	/* state: MarshalIndent with two spaces; list: compact. */
	mr_rfc3339(st->created_ns, true, created, sizeof created);
	fprintf(f, "{%s", nl);
	put_str(f, in, "ociVersion", st->oci_version, true);
	fprintf(f, "%s", nl);
	put_str(f, in, "id", st->id, true);
	fprintf(f, "%s%s\"pid\":%s%d,%s", nl, in, *in ? " " : "", (int)st->pid, nl);
	put_str(f, in, "status", st->status, true);
	fprintf(f, "%s", nl);
	put_str(f, in, "bundle", st->bundle, true);
	fprintf(f, "%s", nl);
	put_str(f, in, "rootfs", st->rootfs, true);
	fprintf(f, "%s", nl);
	put_str(f, in, "created", created, true);
	fprintf(f, "%s", nl);
	if (st->annotations != NULL) {
		const char *k;
		json_t *v;
		size_t i = 0, n = json_object_size(st->annotations);
		/* Go sorts map keys. */
		const char **keys = calloc(n + 1, sizeof *keys);

		fprintf(f, "%s\"annotations\":%s{%s", in, *in ? " " : "", nl);
		json_object_foreach(st->annotations, k, v)
			if (keys != NULL)
				keys[i++] = k;
		if (keys != NULL)
			qsort(keys, i, sizeof *keys, strcmp_ptr);
		for (size_t j = 0; keys != NULL && j < i; j++) {
			put_str(f, with_owner ? "" : "    ", keys[j],
				json_string_value(json_object_get(st->annotations, keys[j])), j + 1 < i);
			fprintf(f, "%s", nl);
		}
		free(keys);
		fprintf(f, "%s},%s", in, nl);
	}
	put_str(f, in, "owner", with_owner ? st->owner : "", false);
	fprintf(f, "%s}", nl);
	fclose(f);
	return out;
}

static int state_cmp(const void *a, const void *b)
{
	return strcmp(((const struct realexec_state *)a)->id, ((const struct realexec_state *)b)->id);
}

int realexec_list(const char *root, const struct mr_logger *log, struct realexec_state **out,
		  size_t *n, mr_error **err)
{
	cleanup_dir DIR *d = opendir(root);
	struct realexec_state *list = NULL;
	size_t len = 0;
	struct dirent *e;

	*out = NULL;
	*n = 0;
	if (d == NULL)
		return errno == ENOENT ? 0 : mr_error_set(err, errno, "open %s", root);
	while ((e = readdir(d)) != NULL) {
		struct rx_container c;
		cleanup_error mr_error *lerr = NULL;
		struct realexec_state *nl;

		if (e->d_name[0] == '.' || (e->d_type != DT_DIR && e->d_type != DT_UNKNOWN))
			continue;
		if (rx_container_load(root, e->d_name, &c, &lerr) < 0) {
			/* A directory that is not a container is not listed. */
			if (strcmp(lerr->msg, "container does not exist") != 0)
				mr_log(log, MR_LOG_WARNING, "%s: %s", e->d_name, lerr->msg);
			rx_container_free(&c);
			continue;
		}
		nl = realloc(list, (len + 1) * sizeof *list);
		if (nl == NULL || fill_state(&c, &nl[len], true, &lerr) < 0) {
			rx_container_free(&c);
			if (nl != NULL)
				list = nl;
			realexec_list_free(list, len);
			return mr_error_set(err, ENOMEM, "list");
		}
		list = nl;
		len++;
		rx_container_free(&c);
	}
	if (len > 0)
		qsort(list, len, sizeof *list, state_cmp);
	*out = list;
	*n = len;
	return 0;
}

void realexec_list_free(struct realexec_state *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		realexec_state_clear(&list[i]);
	free(list);
}
