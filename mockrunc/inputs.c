#include "mockrunc/inputs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/file.h"
#include "common/json.h"

/* Larger inputs are refused: no engine sends megabytes of configuration,
 * and the recorder keeps every blob. */
#define INPUT_LIMIT (32u << 20)

static void note_parse(struct input_blob *b)
{
	cleanup_error mr_error *err = NULL;

	b->json = mr_json_parse(b->data, b->len, &err);
	if (b->json == NULL)
		b->parse_error = strdup(err->msg);
}

/* Reads a regular file without ever blocking on a fifo or device. Parsed
 * when the built-in core will use it; for a delegate only the recorder
 * reads it, and parses it only if this blob is new to the database. */
static void read_input(struct input_blob *b, const char *path, bool parse)
{
	cleanup_close int fd = -1;
	struct stat st;
	cleanup_error mr_error *err = NULL;

	b->path = strdup(path);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		b->read_errno = errno;
		return;
	}
	if (fstat(fd, &st) < 0) {
		b->read_errno = errno;
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		b->read_errno = EISDIR;
		return;
	}
	if (!S_ISREG(st.st_mode)) {
		b->read_errno = EINVAL;
		return;
	}
	if ((size_t)st.st_size > INPUT_LIMIT) {
		b->read_errno = EFBIG;
		return;
	}
	if (mr_read_fd(fd, &b->data, &b->len, &err) < 0) {
		b->read_errno = err->errnum != 0 ? err->errnum : EIO;
		return;
	}
	if (parse)
		note_parse(b);
}

/* update --resources -: the bytes are consumed here, so a delegate gets them
 * back through a memfd placed on its stdin. */
static void read_stdin(struct mockrunc *m, bool parse)
{
	struct input_blob *b = &m->resources;
	cleanup_error mr_error *err = NULL;
	int fd;

	b->path = strdup("-");
	if (mr_read_fd(0, &b->data, &b->len, &err) < 0) {
		b->read_errno = err->errnum != 0 ? err->errnum : EIO;
		return;
	}
	if (parse)
		note_parse(b);
	fd = memfd_create("mockrunc-resources", MFD_CLOEXEC);
	if (fd >= 0 && (mr_write_all(fd, b->data, b->len) < 0 || lseek(fd, 0, SEEK_SET) < 0)) {
		close(fd);
		fd = -1;
	}
	m->resources_stdin_fd = fd;
}

static int resolve_root(struct mockrunc *m, mr_error **err)
{
	const char *root = cli_string(&m->inv.global, "root");
	const char *xdg = getenv("XDG_RUNTIME_DIR");

	if (root != NULL) {
		m->root = mr_path_abs(root);
		if (m->root != NULL && strcmp(m->root, "/") == 0)
			return mr_error_set(err, 0, "Option --root argument should not be set to /");
	} else if (geteuid() != 0 && xdg != NULL && *xdg != '\0') {
		/* As runc: an unprivileged caller keeps its state in its own
		 * runtime directory. */
		m->root = mr_path_join(xdg, "mockrunc");
	} else {
		m->root = strdup(MOCKRUNC_DEFAULT_ROOT);
	}
	if (m->root == NULL)
		return mr_error_set(err, ENOMEM, "root");
	return 0;
}

int inputs_read(struct mockrunc *m, mr_error **err)
{
	const char *cmd = m->inv.cmd != NULL ? m->inv.cmd->name : "";
	const char *v;
	bool parse = !mockrunc_delegates(m);

	if (resolve_root(m, err) < 0)
		return -1;
	if (strcmp(cmd, "create") == 0 || strcmp(cmd, "run") == 0 || strcmp(cmd, "restore") == 0) {
		cleanup_free char *config = NULL;
		v = cli_string(&m->inv.local, "bundle");
		m->bundle = mr_path_abs(v != NULL && *v != '\0' ? v : ".");
		if (m->bundle == NULL)
			return mr_error_set(err, ENOMEM, "bundle");
		config = mr_path_join(m->bundle, "config.json");
		if (config == NULL)
			return mr_error_set(err, ENOMEM, "bundle");
		read_input(&m->config, config, parse);
	} else if (strcmp(cmd, "exec") == 0) {
		if ((v = cli_string(&m->inv.local, "process")) != NULL)
			read_input(&m->process, v, parse);
	} else if (strcmp(cmd, "update") == 0) {
		if ((v = cli_string(&m->inv.local, "resources")) != NULL) {
			if (strcmp(v, "-") == 0)
				read_stdin(m, parse);
			else
				read_input(&m->resources, v, parse);
		}
	}
	return 0;
}

static void blob_free(struct input_blob *b)
{
	free(b->data);
	json_decref(b->json);
	free(b->path);
	free(b->parse_error);
	memset(b, 0, sizeof *b);
}

void inputs_free(struct mockrunc *m)
{
	blob_free(&m->config);
	blob_free(&m->process);
	blob_free(&m->resources);
	if (m->resources_stdin_fd >= 0)
		close(m->resources_stdin_fd);
	m->resources_stdin_fd = -1;
	free(m->root);
	free(m->bundle);
	m->root = m->bundle = NULL;
}
