/* The spool: where records go when the database cannot take them.
 *
 * One JSON object per line, appended with a single write(2) under an
 * exclusive flock, so concurrent writers never interleave and a reader sees
 * whole lines. A "begin" line carries the whole invocation (blobs in
 * base64), an "end" line its outcome. Ingestion replays the lines through
 * the same store functions as live recording, in one transaction, and only
 * then truncates the file; invocation uuids make a replay after a crash
 * harmless (no record lost, none duplicated).
 *
 * The spool lives beside the database (<db>.spool). When that cannot be
 * written (read-only directory, full disk) the fallback is
 * /run/mockrunc-spool/<db path with '/' as '%'>.spool, on tmpfs. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/file.h"
#include "common/json.h"
#include "recorder/recorder.h"
#include "recorder/store.h"

#define SPOOL_FALLBACK_DIR "/run/mockrunc-spool"

char *recorder_spool_path(const char *db_path)
{
	char *p = NULL;

	if (asprintf(&p, "%s.spool", db_path) < 0)
		return NULL;
	return p;
}

static char *fallback_path(const char *db_path)
{
	cleanup_free char *abs = mr_path_abs(db_path);
	char *p = NULL;

	if (abs == NULL)
		return NULL;
	for (char *c = abs; *c != '\0'; c++)
		if (*c == '/')
			*c = '%';
	if (asprintf(&p, "%s/%s.spool", SPOOL_FALLBACK_DIR, abs) < 0)
		return NULL;
	return p;
}

static const char b64chars[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static char *base64_encode(const char *data, size_t len)
{
	const unsigned char *in = (const unsigned char *)data;
	char *out = malloc((len + 2) / 3 * 4 + 1), *w = out;

	if (out == NULL)
		return NULL;
	for (size_t i = 0; i < len; i += 3) {
		unsigned v = (unsigned)in[i] << 16;
		if (i + 1 < len)
			v |= (unsigned)in[i + 1] << 8;
		if (i + 2 < len)
			v |= in[i + 2];
		*w++ = b64chars[(v >> 18) & 63];
		*w++ = b64chars[(v >> 12) & 63];
		*w++ = i + 1 < len ? b64chars[(v >> 6) & 63] : '=';
		*w++ = i + 2 < len ? b64chars[v & 63] : '=';
	}
	*w = '\0';
	return out;
}

static char *base64_decode(const char *s, size_t *len)
{
	static signed char value[256];
	static bool ready;
	size_t n = strlen(s), w = 0;
	char *out = malloc(n / 4 * 3 + 3);
	unsigned v = 0;
	int bits = 0;

	if (out == NULL)
		return NULL;
	if (!ready) {
		memset(value, -1, sizeof value);
		for (int i = 0; i < 64; i++)
			value[(unsigned char)b64chars[i]] = (signed char)i;
		ready = true;
	}
	for (size_t i = 0; i < n && s[i] != '='; i++) {
		int d = value[(unsigned char)s[i]];
		if (d < 0) {
			free(out);
			return NULL;
		}
		v = (v << 6) | (unsigned)d;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[w++] = (char)((v >> bits) & 0xff);
		}
	}
	*len = w;
	return out;
}

static json_t *blob_to_json(const struct recorder_blob *b)
{
	json_t *o;
	char *enc;

	if (b->data == NULL)
		return json_null();
	enc = base64_encode(b->data, b->len);
	if (enc == NULL)
		return NULL;
	o = json_pack("{s:s, s:s?}", "data", enc, "parse_error", b->parse_error);
	free(enc);
	return o;
}

/* Appends one line; tries the fallback location when the primary fails. */
static int append_line(const char *db_path, const char *line, mr_error **err)
{
	cleanup_free char *primary = recorder_spool_path(db_path);
	cleanup_free char *fallback = fallback_path(db_path);
	const char *paths[] = { primary, fallback };
	int first_errno = 0;

	for (int i = 0; i < 2; i++) {
		int fd, saved;
		if (paths[i] == NULL)
			continue;
		if (i == 1)
			mkdir(SPOOL_FALLBACK_DIR, 0700);
		fd = open(paths[i], O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (fd >= 0 && flock(fd, LOCK_EX) == 0 && mr_write_all(fd, line, strlen(line)) == 0 &&
		    fdatasync(fd) == 0) {
			close(fd);
			return 0;
		}
		saved = errno;
		if (fd >= 0) {
			/* A short write leaves a partial line: the reader skips it,
			 * and the next append starts on a fresh line anyway. */
			mr_write_all(fd, "\n", 1);
			close(fd);
		}
		if (first_errno == 0)
			first_errno = saved;
	}
	return mr_error_set(err, first_errno, "append to spool %s", primary != NULL ? primary : db_path);
}

/* One record, one line: compact JSON (which never holds a raw newline)
 * and '\n'. */
static char *record_line(json_t *rec)
{
	cleanup_free char *text = rec != NULL ? json_dumps(rec, JSON_COMPACT) : NULL;
	char *line = NULL;

	if (text == NULL || asprintf(&line, "%s\n", text) < 0)
		return NULL;
	return line;
}

char *spool_begin_line(const struct recorder_invocation *inv, const char *engine_guess)
{
	cleanup_json json_t *rec = json_pack(
		"{s:s, s:s, s:I, s:i, s:i, s:i, s:O?, s:O?, s:O?, s:s?, s:O?, s:O?, s:s?, s:s?,"
		" s:s?, s:s?, s:s?, s:s?, s:o, s:o, s:o, s:O?}",
		"op", "begin", "uuid", inv->uuid, "started_ns", (json_int_t)inv->started_ns,
		"pid", inv->pid, "ppid", inv->ppid, "uid", inv->uid,
		"caller_chain", inv->caller_chain, "argv", inv->argv,
		"global_flags", inv->global_flags, "command", inv->command,
		"flags", inv->flags, "args", inv->args,
		"container_id", inv->container_id, "runtime_root", inv->runtime_root,
		"bundle", inv->bundle, "backend", inv->backend, "label", inv->label,
		"engine_guess", engine_guess,
		"config", blob_to_json(&inv->config), "process", blob_to_json(&inv->process),
		"resources", blob_to_json(&inv->resources),
		"cli_features", inv->cli_features);

	return record_line(rec);
}

char *spool_end_line(const char *uuid, const struct recorder_outcome *out)
{
	cleanup_json json_t *rec = json_pack("{s:s, s:s, s:I, s:i, s:s?}", "op", "end", "uuid", uuid,
					     "ended_ns", (json_int_t)out->ended_ns,
					     "exit_code", out->exit_code, "error", out->error);

	return record_line(rec);
}

int spool_append_begin(const char *db_path, const struct recorder_invocation *inv,
		       const char *engine_guess, mr_error **err)
{
	cleanup_free char *line = spool_begin_line(inv, engine_guess);

	if (line == NULL)
		return mr_error_set(err, ENOMEM, "spool record");
	return append_line(db_path, line, err);
}

int spool_append_end(const char *db_path, const char *uuid, const struct recorder_outcome *out,
		     mr_error **err)
{
	cleanup_free char *line = spool_end_line(uuid, out);

	if (line == NULL)
		return mr_error_set(err, ENOMEM, "spool record");
	return append_line(db_path, line, err);
}

static bool file_has_data(const char *path)
{
	struct stat st;

	return path != NULL && stat(path, &st) == 0 && st.st_size > 0;
}

bool spool_pending(const char *db_path)
{
	cleanup_free char *primary = recorder_spool_path(db_path);
	cleanup_free char *fallback = fallback_path(db_path);

	return file_has_data(primary) || file_has_data(fallback);
}

/* Decoded blobs live as long as the record being replayed. */
struct replay_blobs {
	char *data[3];
};

static void blob_from_json(json_t *o, struct recorder_blob *b, char **owned)
{
	const char *enc = mr_json_str(o, "data");
	size_t len = 0;

	memset(b, 0, sizeof *b);
	*owned = NULL;
	if (enc == NULL)
		return;
	*owned = base64_decode(enc, &len);
	b->data = *owned;
	b->len = len;
	b->parse_error = mr_json_str(o, "parse_error");
}

/* pass 0 replays "begin" records, pass 1 "end" records: an outcome may sit
 * in another spool file than its invocation, and must land after it.
 * `spooled` marks the invocation as one that came through the spool.
 * Returns 1 for a record that does not belong to this pass or is damaged. */
static int replay_record(sqlite3 *db, json_t *rec, int pass, bool spooled, mr_error **err)
{
	const char *op = mr_json_str(rec, "op");
	const char *uuid = mr_json_str(rec, "uuid");
	struct replay_blobs owned = { { NULL, NULL, NULL } };
	int rc;

	if (op == NULL || uuid == NULL)
		return 1;
	if (strcmp(op, "end") == 0) {
		struct recorder_outcome out = {
			.ended_ns = mr_json_int(rec, "ended_ns", 0),
			.exit_code = (int)mr_json_int(rec, "exit_code", -1),
			.error = mr_json_str(rec, "error"),
		};
		return pass == 1 ? store_end(db, uuid, &out, err) : 1;
	}
	if (strcmp(op, "begin") != 0 || pass != 0)
		return 1;
	{
		struct recorder_invocation inv = {
			.started_ns = mr_json_int(rec, "started_ns", 0),
			.pid = (int)mr_json_int(rec, "pid", 0),
			.ppid = (int)mr_json_int(rec, "ppid", 0),
			.uid = (int)mr_json_int(rec, "uid", 0),
			.caller_chain = json_object_get(rec, "caller_chain"),
			.argv = json_object_get(rec, "argv"),
			.global_flags = json_object_get(rec, "global_flags"),
			.command = mr_json_str(rec, "command"),
			.flags = json_object_get(rec, "flags"),
			.args = json_object_get(rec, "args"),
			.container_id = mr_json_str(rec, "container_id"),
			.runtime_root = mr_json_str(rec, "runtime_root"),
			.bundle = mr_json_str(rec, "bundle"),
			.backend = mr_json_str(rec, "backend"),
			.label = mr_json_str(rec, "label"),
			.cli_features = json_object_get(rec, "cli_features"),
		};
		snprintf(inv.uuid, sizeof inv.uuid, "%s", uuid);
		blob_from_json(json_object_get(rec, "config"), &inv.config, &owned.data[0]);
		blob_from_json(json_object_get(rec, "process"), &inv.process, &owned.data[1]);
		blob_from_json(json_object_get(rec, "resources"), &inv.resources, &owned.data[2]);
		rc = store_begin(db, &inv, mr_json_str(rec, "engine_guess"), spooled, err);
	}
	for (int i = 0; i < 3; i++)
		free(owned.data[i]);
	return rc;
}

static int replay_line(sqlite3 *db, const char *line, size_t len, int pass, mr_error **err)
{
	cleanup_json json_t *rec = json_loadb(line, len, 0, NULL);

	return replay_record(db, rec, pass, true, err);
}

int spool_apply_line(sqlite3 *db, const char *line, size_t len, mr_error **err)
{
	cleanup_json json_t *rec = json_loadb(line, len, 0, NULL);
	const char *op = mr_json_str(rec, "op");
	int rc;

	if (op == NULL || (strcmp(op, "begin") != 0 && strcmp(op, "end") != 0))
		return 1;
	if (store_transaction(db, "BEGIN IMMEDIATE", err) < 0)
		return -1;
	rc = replay_record(db, rec, strcmp(op, "end") == 0, false, err);
	if (rc < 0 || (rc == 0 && store_transaction(db, "COMMIT", err) < 0)) {
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	if (rc > 0)
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

struct spool_file {
	const char *path;
	int fd;
	char *data;
	size_t len;
};

/* Opens and locks a spool file and reads it whole (absent: len 0). */
static int spool_load(struct spool_file *f, mr_error **err)
{
	f->fd = open(f->path, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
	if (f->fd < 0)
		return errno == ENOENT ? 0 : mr_error_set(err, errno, "open %s", f->path);
	if (flock(f->fd, LOCK_EX) < 0)
		return mr_error_set(err, errno, "lock %s", f->path);
	if (mr_read_fd(f->fd, &f->data, &f->len, err) < 0)
		return mr_error_wrap(err, "%s", f->path);
	return 0;
}

static int replay_file(sqlite3 *db, struct spool_file *f, int pass, size_t *count, mr_error **err)
{
	for (char *line = f->data; line != NULL && line < f->data + f->len;) {
		char *nl = memchr(line, '\n', (size_t)(f->data + f->len - line));
		size_t n = nl != NULL ? (size_t)(nl - line) : (size_t)(f->data + f->len - line);
		if (n > 0) {
			int rc = replay_line(db, line, n, pass, err);
			if (rc < 0)
				return mr_error_wrap(err, "ingest %s", f->path);
			if (rc == 0)
				(*count)++;
		}
		line += n + 1;
	}
	return 0;
}

int recorder_ingest_spool(sqlite3 *db, const char *db_path, size_t *count, mr_error **err)
{
	cleanup_free char *primary = recorder_spool_path(db_path);
	cleanup_free char *fallback = fallback_path(db_path);
	struct spool_file files[2] = { { .path = fallback, .fd = -1 }, { .path = primary, .fd = -1 } };
	size_t n = 0;
	int rc = -1;

	if (count != NULL)
		*count = 0;
	if (primary == NULL || fallback == NULL)
		return mr_error_set(err, ENOMEM, "ingest");
	for (int i = 0; i < 2; i++)
		if (spool_load(&files[i], err) < 0)
			goto out;
	if (files[0].len == 0 && files[1].len == 0) {
		rc = 0;
		goto out;
	}
	if (store_transaction(db, "BEGIN IMMEDIATE", err) < 0)
		goto out;
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < 2; i++)
			if (replay_file(db, &files[i], pass, &n, err) < 0) {
				sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
				goto out;
			}
	if (store_transaction(db, "COMMIT", err) < 0) {
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		goto out;
	}
	/* Only now, with every line in the database, are the spools emptied. */
	for (int i = 0; i < 2; i++)
		if (files[i].fd >= 0 && ftruncate(files[i].fd, 0) < 0) {
			mr_error_set(err, errno, "truncate %s", files[i].path);
			goto out;
		}
	if (count != NULL)
		*count = n;
	rc = 0;
out:
	for (int i = 0; i < 2; i++) {
		if (files[i].fd >= 0)
			close(files[i].fd);
		free(files[i].data);
	}
	return rc;
}
