/* Recording one invocation: the database when it answers, the spool when it
 * does not (see recorder.h). */
#include "recorder/recorder.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/clock.h"
#include "common/file.h"
#include "recorder/store.h"

struct recorder {
	char *db_path;
	sqlite3 *db;             /* NULL until opened, or when unusable */
	mr_error *open_error;    /* why it is unusable */
	bool strict;
	int busy_timeout_ms;
	bool service;            /* try the recorder service first */
	int service_idle_ms;
	bool begin_via_service;  /* the service wrote the begin record */
	bool spawn_service;      /* none answered and the database took the
	                            record: start one for the calls to come */
	bool begin_spooled;      /* the begin record went to the spool, so must
	                            its end: the spool replays them in order */
	char engine_guess[64];
};

static void new_uuid(char out[40])
{
	unsigned char b[16];

	if (getrandom(b, sizeof b, 0) != (ssize_t)sizeof b) {
		/* getrandom cannot fail for 16 bytes once the pool is ready;
		 * this fallback only keeps uuids distinct within a host. */
		int64_t t = mr_monotonic_ns();
		pid_t pid = getpid();
		memcpy(b, &t, 8);
		memcpy(b + 8, &pid, sizeof pid);
		memset(b + 8 + sizeof pid, 0x5a, 8 - sizeof pid);
	}
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	snprintf(out, 40, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
		 b[13], b[14], b[15]);
}

static int parent_of(int pid)
{
	char path[64], buf[512];
	ssize_t n;
	char *close_paren;
	int fd, ppid = 0;

	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	/* The command name may hold spaces and parentheses: skip to the last ')'. */
	close_paren = strrchr(buf, ')');
	if (close_paren == NULL || sscanf(close_paren + 1, " %*c %d", &ppid) != 1)
		return 0;
	return ppid;
}

/* [{pid, exe}] from our parent up to pid 1. */
static json_t *caller_chain(void)
{
	json_t *chain = json_array();
	int pid = getppid();

	for (int depth = 0; chain != NULL && pid > 0 && depth < 32; depth++) {
		char link[64], exe[PATH_MAX];
		ssize_t n;
		snprintf(link, sizeof link, "/proc/%d/exe", pid);
		n = readlink(link, exe, sizeof exe - 1);
		exe[n > 0 ? n : 0] = '\0';
		json_array_append_new(chain, json_pack("{s:i, s:s}", "pid", pid, "exe", exe));
		if (pid == 1)
			break;
		pid = parent_of(pid);
	}
	return chain;
}

static bool chain_has(json_t *chain, const char *name)
{
	size_t i;
	json_t *link;

	json_array_foreach(chain, i, link) {
		const char *exe = json_string_value(json_object_get(link, "exe"));
		const char *base = exe != NULL ? strrchr(exe, '/') : NULL;
		base = base != NULL ? base + 1 : exe;
		if (base != NULL && strncmp(base, name, strlen(name)) == 0)
			return true;
	}
	return false;
}

/* Which engine is calling, for automatic sessions: from the callers and the
 * state root each engine uses (ENGINES.md §2). */
static void guess_engine(const struct recorder_invocation *inv, char *out, size_t size)
{
	const char *root = inv->runtime_root != NULL ? inv->runtime_root : "";
	const char *last = strrchr(root, '/');
	const char *guess = NULL;

	/* docker keeps its containers in containerd's "moby" namespace. */
	if (strstr(root, "/docker/") != NULL || (last != NULL && strcmp(last, "/moby") == 0) ||
	    chain_has(inv->caller_chain, "dockerd"))
		guess = "docker";
	else if (chain_has(inv->caller_chain, "podman"))
		guess = "podman";
	else if (chain_has(inv->caller_chain, "crio"))
		guess = "cri-o";
	else if (chain_has(inv->caller_chain, "conmon"))
		guess = inv->runtime_root != NULL && strstr(root, "/run/runc") == NULL ? "cri-o" : "podman";
	else if (chain_has(inv->caller_chain, "containerd"))
		guess = "containerd";
	if (guess != NULL) {
		snprintf(out, size, "%s", guess);
		return;
	}
	if (json_array_size(inv->caller_chain) > 0) {
		const char *exe = json_string_value(
			json_object_get(json_array_get(inv->caller_chain, 0), "exe"));
		const char *base = exe != NULL ? strrchr(exe, '/') : NULL;
		snprintf(out, size, "%s", base != NULL ? base + 1 : exe != NULL ? exe : "unknown");
		return;
	}
	snprintf(out, size, "unknown");
}

int recorder_open(const struct recorder_options *opt, struct recorder **out, mr_error **err)
{
	struct recorder *r = calloc(1, sizeof *r);

	*out = NULL;
	if (r == NULL || (r->db_path = strdup(opt->db_path)) == NULL) {
		free(r);
		return mr_error_set(err, ENOMEM, "recorder");
	}
	r->strict = opt->strict;
	r->busy_timeout_ms = opt->busy_timeout_ms;
	r->service = opt->service;
	r->service_idle_ms = opt->service_idle_ms;
	*out = r;
	return 0;
}

/* Opens the database in this process, once: when no service answers. */
static void open_direct(struct recorder *r)
{
	cleanup_error mr_error *dberr = NULL;

	if (r->db != NULL || r->open_error != NULL)
		return;
	if (recorder_db_open(r->db_path, false, r->busy_timeout_ms, &r->db, &dberr) < 0) {
		/* Everything goes to the spool; strict mode fails at begin. */
		r->db = NULL;
		r->open_error = mr_steal_ptr(dberr);
	} else if (spool_pending(r->db_path)) {
		/* Best effort: a failed ingestion leaves the spool for later. */
		cleanup_error mr_error *ierr = NULL;
		recorder_ingest_spool(r->db, r->db_path, NULL, &ierr);
	}
}

/* One record through the service: 0 written, 1 refused by the database
 * (*err says why), -1 no service took it. Then r->spawn_service says
 * whether this call may start one once it has written the record itself:
 * not when what sits at the socket is another user's or too busy to
 * accept (recorder_service_spawn also starts none while one holds the
 * lock). */
static int through_service(struct recorder *r, const char *line, mr_error **err)
{
	cleanup_close int fd = -1;
	cleanup_free char *refusal = NULL;
	int rc;

	if (!r->service || line == NULL)
		return -1;
	rc = recorder_service_connect(r->db_path, &fd);
	r->spawn_service = rc != -2;
	if (rc < 0)
		return -1;
	/* The service waits for a locked database as long as we would. */
	rc = recorder_service_request(fd, line, r->busy_timeout_ms + 1000, &refusal);
	r->spawn_service = rc < 0; /* it answered: it runs */
	if (rc == 1)
		mr_error_set(err, 0, "%s", refusal != NULL ? refusal : "database refused the record");
	return rc;
}

static int with_transaction(struct recorder *r, const struct recorder_invocation *inv,
			    const struct recorder_outcome *outcome, mr_error **err)
{
	if (store_transaction(r->db, "BEGIN IMMEDIATE", err) < 0)
		return -1;
	if ((outcome == NULL ? store_begin(r->db, inv, r->engine_guess, false, err)
			     : store_end(r->db, inv->uuid, outcome, err)) < 0 ||
	    store_transaction(r->db, "COMMIT", err) < 0) {
		sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return 0;
}

int recorder_begin(struct recorder *r, struct recorder_invocation *inv, mr_error **err)
{
	cleanup_error mr_error *dberr = NULL;

	new_uuid(inv->uuid);
	if (inv->started_ns == 0)
		inv->started_ns = mr_now_ns();
	if (inv->pid == 0) {
		inv->pid = getpid();
		inv->ppid = getppid();
		inv->uid = (int)getuid();
	}
	if (inv->caller_chain == NULL)
		inv->caller_chain = caller_chain();
	guess_engine(inv, r->engine_guess, sizeof r->engine_guess);
	if (r->service) {
		cleanup_free char *line = spool_begin_line(inv, r->engine_guess);
		if (through_service(r, line, &dberr) == 0) {
			r->begin_via_service = true;
			return 0;
		}
	}
	if (dberr == NULL) {
		open_direct(r);
		if (r->db != NULL && with_transaction(r, inv, NULL, &dberr) == 0)
			return 0;
	}
	r->spawn_service = false;
	r->begin_spooled = true;
	if (r->strict) {
		/* The operation will fail, but its record is kept. */
		cleanup_error mr_error *serr = NULL;
		spool_append_begin(r->db_path, inv, r->engine_guess, &serr);
		if (dberr != NULL)
			*err = mr_steal_ptr(dberr);
		else
			mr_error_set(err, 0, "%s", r->open_error != NULL ? r->open_error->msg
									 : "database unavailable");
		return -1;
	}
	return spool_append_begin(r->db_path, inv, r->engine_guess, err);
}

int recorder_end(struct recorder *r, const struct recorder_invocation *inv,
		 const struct recorder_outcome *out, mr_error **err)
{
	cleanup_error mr_error *dberr = NULL;

	if (r->begin_via_service) {
		cleanup_free char *line = spool_end_line(inv->uuid, out);
		int rc = through_service(r, line, &dberr);
		if (rc == 0)
			return 0;
		if (rc < 0)
			open_direct(r); /* the begin record is in: any way will do */
	}
	/* The caller waits for this one: a WAL checkpoint (two fdatasyncs)
	 * belongs to the next call's begin, which runs beside its runtime. */
	if (r->db != NULL)
		sqlite3_wal_autocheckpoint(r->db, 0);
	if (dberr == NULL && !r->begin_spooled && r->db != NULL &&
	    with_transaction(r, inv, out, &dberr) == 0)
		return 0;
	r->spawn_service = false;
	if (spool_append_end(r->db_path, inv->uuid, out, err) < 0)
		return -1;
	if (r->strict && dberr != NULL) {
		*err = mr_steal_ptr(dberr);
		return -1;
	}
	return 0;
}

void recorder_close(struct recorder *r)
{
	if (r == NULL)
		return;
	if (r->db != NULL)
		sqlite3_close(r->db);
	if (r->spawn_service)
		recorder_service_spawn(r->db_path, r->busy_timeout_ms, r->service_idle_ms);
	mr_error_free(&r->open_error);
	free(r->db_path);
	free(r);
}
