/* The recorder service: one process per database that keeps it open and
 * writes the records mockrunc calls hand it over a unix socket beside the
 * database (<db>.sock).
 *
 * Why: every call is a new process, and opening SQLite in a new process is
 * most of what recording costs (the WAL index rebuilt from the WAL, the
 * schema parsed, every statement prepared again). A call that reaches the
 * service only formats its record as a spool line and waits for one line.
 *
 * The service is never needed: a call that finds none writes the database
 * itself, as it always could, and then starts one for the calls after it.
 * Nothing is lost when the service dies: a call counts its record as
 * written only on the '+' the service sends after COMMIT, and otherwise
 * writes it itself (records are idempotent on their uuid, so a record whose
 * answer was lost is not written twice). A call never waits on the service
 * longer than its busy timeout and a second: connecting does not block, and
 * sending and answering share one deadline.
 *
 * Lifetime: the service exits after `idle_ms` without a request, on
 * SIGTERM, and as soon as the database, its WAL, its index, its lock file or
 * its socket at the path is no longer the file it has (deleted, replaced,
 * restored from a copy): records must go where a reader of that path will
 * look. Only one service runs per database: the caller that starts it
 * takes an exclusive lock on <db>.service before forking, which the service
 * inherits and holds; its pid is written there before the caller returns.
 *
 * Trust: the socket is created 0600 and both ends check that the other runs
 * as the same user (SO_PEERCRED), so nobody else can feed it records or
 * pose as it in a shared directory such as /tmp. Requests are spool lines,
 * read by the spool's parser (fuzzed). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/clock.h"
#include "common/file.h"
#include "recorder/recorder.h"
#include "recorder/store.h"

#define SERVICE_MAX_CONNS 64
#define SERVICE_MAX_REQUEST (64u << 20)

static char *sibling(const char *db_path, const char *suffix)
{
	char *p = NULL;

	if (asprintf(&p, "%s%s", db_path, suffix) < 0)
		return NULL;
	return p;
}

static bool socket_address(const char *db_path, struct sockaddr_un *sa)
{
	cleanup_free char *path = sibling(db_path, ".sock");

	memset(sa, 0, sizeof *sa);
	sa->sun_family = AF_UNIX;
	if (path == NULL || strlen(path) >= sizeof sa->sun_path)
		return false;
	memcpy(sa->sun_path, path, strlen(path) + 1);
	return true;
}

static bool peer_is_us(int fd)
{
	struct ucred cred;
	socklen_t len = sizeof cred;

	return getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0 &&
	       cred.uid == geteuid();
}

int recorder_service_connect(const char *db_path, int *out)
{
	struct sockaddr_un sa;
	int fd;

	*out = -1;
	if (!socket_address(db_path, &sa))
		return -2;
	/* Non-blocking: a full backlog (a stopped service, a stranger that
	 * never accepts) must not hold the call. */
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -2;
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		int e = errno;
		close(fd);
		return e == ENOENT || e == ECONNREFUSED ? -1 : -2;
	}
	if (!peer_is_us(fd)) {
		close(fd);
		return -2;
	}
	*out = fd;
	return 0;
}

/* Waits for fd to be ready for `events` until the deadline (monotonic ns). */
static bool wait_ready(int fd, short events, int64_t deadline)
{
	for (;;) {
		struct pollfd p = { .fd = fd, .events = events };
		int64_t left = deadline - mr_monotonic_ns();
		int rc;
		if (left <= 0)
			return false;
		rc = poll(&p, 1, (int)((left + 999999) / 1000000));
		if (rc > 0)
			return true;
		if (rc < 0 && errno != EINTR)
			return false;
	}
}

/* After a send or read returned n <= 0: whether to try again (interrupted,
 * or the socket became ready before the deadline). */
static bool again(ssize_t n, int fd, short events, int64_t deadline)
{
	return n < 0 && (errno == EINTR || (errno == EAGAIN && wait_ready(fd, events, deadline)));
}

int recorder_service_request(int fd, const char *line, int timeout_ms, char **refusal)
{
	int64_t deadline = mr_monotonic_ns() + (int64_t)timeout_ms * 1000000;
	size_t len = strlen(line), off = 0, got = 0;
	char reply[512];
	ssize_t n;

	*refusal = NULL;
	/* MSG_NOSIGNAL: a service that died must not raise SIGPIPE here,
	 * where a delegate's signal forwarding would pass it on. */
	while (off < len) {
		n = send(fd, line + off, len - off, MSG_NOSIGNAL);
		if (n > 0)
			off += (size_t)n;
		else if (!again(n, fd, POLLOUT, deadline))
			return -1;
	}
	/* The answer is one line: "+", "-<why the database refused it>" or
	 * "!" (not this service's to write). */
	while (memchr(reply, '\n', got) == NULL) {
		if (got == sizeof reply - 1)
			return -1;
		n = read(fd, reply + got, sizeof reply - 1 - got);
		if (n > 0)
			got += (size_t)n;
		else if (!again(n, fd, POLLIN, deadline))
			return -1;
	}
	*(char *)memchr(reply, '\n', got) = '\0';
	if (reply[0] == '+')
		return 0;
	if (reply[0] != '-')
		return -1;
	*refusal = strdup(reply + 1);
	return 1;
}

/* ---- the service ---- */

/* The files at the database's path the service answers for. */
enum { ID_DB, ID_WAL, ID_SHM, ID_LOCK, ID_SOCK, ID_COUNT };
static const char *const id_suffix[ID_COUNT] = { "", "-wal", "-shm", ".service", ".sock" };

struct identity {
	dev_t dev;
	ino_t ino;
	bool known;
};

static volatile sig_atomic_t terminate;

static void on_terminate(int sig)
{
	(void)sig;
	terminate = 1;
}

static void pin(struct identity *id, const struct stat *st)
{
	*id = (struct identity){ st->st_dev, st->st_ino, true };
}

/* False once a file at the database's path is not the one this service
 * has. The WAL and its index appear with the first write: each is pinned
 * when first seen. */
static bool still_ours(const char *db_path, struct identity *ids)
{
	for (int i = 0; i < ID_COUNT; i++) {
		cleanup_free char *path = sibling(db_path, id_suffix[i]);
		struct stat st;
		if (path == NULL)
			return false;
		if (stat(path, &st) < 0) {
			if (ids[i].known)
				return false;
			continue;
		}
		if (!ids[i].known)
			pin(&ids[i], &st);
		else if (st.st_dev != ids[i].dev || st.st_ino != ids[i].ino)
			return false;
	}
	return true;
}

struct conn {
	int fd;
	int64_t since;           /* accepted at (monotonic ns) */
	char *buf;
	size_t len, cap;
};

static void conn_close(struct conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	free(c->buf);
	*c = (struct conn){ .fd = -1 };
}

struct service {
	const char *db_path;
	sqlite3 *db;
	struct identity ids[ID_COUNT];
	int64_t conn_deadline_ns; /* a connection gets this long for its request */
	bool retiring;           /* the database moved: answer '!' and go */
};

/* WAL checkpoints (two fdatasyncs, milliseconds on a disk) run on a thread
 * with its own connection, beside the requests: a caller never waits for
 * one. The request thread's WAL hook tells it when the WAL has grown. As
 * this process keeps the WAL index, a long WAL costs a call nothing, so
 * checkpoints come as rarely as SQLite's default (their syncs are the
 * cost); the service leaves the WAL empty when it goes, for the calls that
 * open the database themselves after it. */
#define CHECKPOINT_PAGES 1000

struct checkpointer {
	sqlite3 *db;             /* the thread's own connection */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	int wal_pages;           /* at the last commit */
	bool stop;
};

static int wal_grew(void *arg, sqlite3 *db, const char *name, int pages)
{
	struct checkpointer *c = arg;

	(void)db;
	(void)name;
	if (pages >= CHECKPOINT_PAGES) {
		pthread_mutex_lock(&c->lock);
		c->wal_pages = pages;
		pthread_cond_signal(&c->wake);
		pthread_mutex_unlock(&c->lock);
	}
	return SQLITE_OK;
}

static void *checkpoint_loop(void *arg)
{
	struct checkpointer *c = arg;

	pthread_mutex_lock(&c->lock);
	while (!c->stop) {
		if (c->wal_pages < CHECKPOINT_PAGES) {
			pthread_cond_wait(&c->wake, &c->lock);
			continue;
		}
		c->wal_pages = 0;
		pthread_mutex_unlock(&c->lock);
		/* PASSIVE: copies what no reader still needs, waits for nobody. */
		sqlite3_wal_checkpoint_v2(c->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
		pthread_mutex_lock(&c->lock);
	}
	pthread_mutex_unlock(&c->lock);
	return NULL;
}

/* Not recorder_db_open for the second connection: it opens and closes the
 * database file to read its header, and closing any descriptor of a file
 * drops every POSIX lock this process holds on it, the request
 * connection's included; another process closing the database would then
 * take itself for the last one and delete the WAL under us. SQLite's own
 * open shares this process's locks safely. When there is no thread, the
 * request connection keeps checkpointing by itself. */
static bool checkpointer_start(struct checkpointer *c, const char *db_path, int busy_timeout_ms,
			       sqlite3 *request_db)
{
	int persist = 1;

	if (sqlite3_open_v2(db_path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK) {
		sqlite3_close(c->db);
		return false;
	}
	sqlite3_busy_timeout(c->db, busy_timeout_ms);
	sqlite3_db_config(c->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
	sqlite3_file_control(c->db, "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
	/* A connection learns the database is in WAL mode on its first
	 * read; until then a checkpoint does nothing. */
	sqlite3_exec(c->db, "PRAGMA schema_version", NULL, NULL, NULL);
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->wake, NULL);
	if (pthread_create(&c->thread, NULL, checkpoint_loop, c) != 0) {
		sqlite3_close(c->db);
		return false;
	}
	sqlite3_wal_hook(request_db, wal_grew, c);
	return true;
}

static void checkpointer_stop(struct checkpointer *c)
{
	pthread_mutex_lock(&c->lock);
	c->stop = true;
	pthread_cond_signal(&c->wake);
	pthread_mutex_unlock(&c->lock);
	pthread_join(c->thread, NULL);
	sqlite3_close(c->db);
}

/* One request: a spool line. The answer: "+" written, "-<why>" refused by
 * the database (the caller spools it), "!" not this service's to write any
 * more (the caller writes the database itself). */
static char *handle(struct service *s, const char *line, size_t len)
{
	cleanup_error mr_error *err = NULL;
	char *reply = NULL;
	int rc;

	if (s->retiring || !still_ours(s->db_path, s->ids)) {
		s->retiring = true;
		return strdup("!\n");
	}
	if (spool_pending(s->db_path)) {
		/* Records spooled while the database was unavailable go in
		 * first; a failure leaves them for the next try. */
		cleanup_error mr_error *ierr = NULL;
		recorder_ingest_spool(s->db, s->db_path, NULL, &ierr);
	}
	rc = spool_apply_line(s->db, line, len, &err);
	if (rc == 0)
		return strdup("+\n");
	if (asprintf(&reply, "-%.400s\n", err != NULL ? err->msg : "not a record") < 0)
		return NULL;
	for (char *c = reply + 1; *c != '\0' && c[1] != '\0'; c++)
		if (*c == '\n')
			*c = ' ';
	return reply;
}

/* Reads what is there; answers every complete line. False: close it. */
static bool conn_read(struct service *s, struct conn *c)
{
	char *nl;
	ssize_t n;

	if (c->cap - c->len < 65536) {
		size_t cap = c->cap == 0 ? 65536 : c->cap * 2;
		char *b = cap <= SERVICE_MAX_REQUEST ? realloc(c->buf, cap) : NULL;
		if (b == NULL)
			return false;
		c->buf = b;
		c->cap = cap;
	}
	n = read(c->fd, c->buf + c->len, c->cap - c->len);
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return true;
	if (n <= 0)
		return false;
	c->len += (size_t)n;
	while ((nl = memchr(c->buf, '\n', c->len)) != NULL) {
		size_t line_len = (size_t)(nl - c->buf);
		cleanup_free char *reply = handle(s, c->buf, line_len);
		/* The socket does not block: a caller that does not read
		 * its answer loses it (and writes the record itself). */
		if (reply == NULL || send(c->fd, reply, strlen(reply), MSG_NOSIGNAL) != (ssize_t)strlen(reply))
			return false;
		c->len -= line_len + 1;
		memmove(c->buf, nl + 1, c->len);
	}
	return true;
}

/* Binds <db>.sock (0600) and pins it; a socket already there is a dead
 * service's or a stranger's, as the lock is ours. */
static int bind_socket(struct service *s)
{
	struct sockaddr_un sa;
	struct stat st;
	int fd, e;

	if (!socket_address(s->db_path, &sa))
		return -1;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	unlink(sa.sun_path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || chmod(sa.sun_path, 0600) < 0 ||
	    stat(sa.sun_path, &st) < 0 || listen(fd, 128) < 0) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	pin(&s->ids[ID_SOCK], &st);
	return fd;
}

/* Removes the socket, if the one at the path is still this service's. */
static void unbind_socket(struct service *s)
{
	struct sockaddr_un sa;
	struct stat st;

	if (socket_address(s->db_path, &sa) && stat(sa.sun_path, &st) == 0 &&
	    st.st_dev == s->ids[ID_SOCK].dev && st.st_ino == s->ids[ID_SOCK].ino)
		unlink(sa.sun_path);
}

static void add_conn(struct conn *conns, int fd)
{
	if (!peer_is_us(fd)) {
		close(fd); /* a stranger: refused */
		return;
	}
	for (int i = 0; i < SERVICE_MAX_CONNS; i++)
		if (conns[i].fd < 0) {
			conns[i] = (struct conn){ .fd = fd, .since = mr_monotonic_ns() };
			return;
		}
	close(fd); /* full: the caller writes itself */
}

static void serve(struct service *s, int listen_fd, int idle_ms)
{
	struct conn conns[SERVICE_MAX_CONNS];
	struct pollfd fds[SERVICE_MAX_CONNS + 1];
	int64_t last = mr_monotonic_ns();
	bool listening = true;

	for (int i = 0; i < SERVICE_MAX_CONNS; i++)
		conns[i] = (struct conn){ .fd = -1 };
	for (;;) {
		int64_t now = mr_monotonic_ns();
		int nfds = 0, open_conns = 0, rc;
		/* A connection that sends no whole request in time is dropped:
		 * one silent peer must not keep the service forever. */
		for (int i = 0; i < SERVICE_MAX_CONNS; i++) {
			if (conns[i].fd >= 0 && now - conns[i].since > s->conn_deadline_ns)
				conn_close(&conns[i]);
			if (conns[i].fd >= 0)
				open_conns++;
		}
		if (listening && (terminate || s->retiring ||
				  (now - last >= (int64_t)idle_ms * 1000000 && open_conns == 0))) {
			/* Unlinked first: a call that connects from now on
			 * finds no service and writes the database itself;
			 * the ones already queued are still answered. */
			unbind_socket(s);
			listening = false;
		}
		if (!listening) {
			int fd;
			while ((fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK)) >= 0)
				add_conn(conns, fd);
			open_conns = 0;
			for (int i = 0; i < SERVICE_MAX_CONNS; i++)
				open_conns += conns[i].fd >= 0;
			if (open_conns == 0)
				break;
		}
		fds[nfds++] = (struct pollfd){ .fd = listening ? listen_fd : -1, .events = POLLIN };
		for (int i = 0; i < SERVICE_MAX_CONNS; i++)
			fds[nfds++] = (struct pollfd){ .fd = conns[i].fd, .events = POLLIN };
		rc = poll(fds, (nfds_t)nfds, idle_ms < 250 ? idle_ms : 250);
		if (rc < 0 && errno != EINTR)
			break;
		/* A database deleted with its directory (a test's, a
		 * certification run's) ends the service at the next quiet
		 * moment, without waiting for a request to notice. */
		if (rc == 0 && !s->retiring && !still_ours(s->db_path, s->ids))
			s->retiring = true;
		if (rc <= 0)
			continue;
		if (listening && (fds[0].revents & POLLIN)) {
			int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
			last = mr_monotonic_ns();
			if (fd >= 0)
				add_conn(conns, fd);
		}
		for (int i = 0; i < SERVICE_MAX_CONNS; i++)
			if (conns[i].fd >= 0 && (fds[i + 1].revents & (POLLIN | POLLHUP | POLLERR)) &&
			    !conn_read(s, &conns[i]))
				conn_close(&conns[i]);
	}
	for (int i = 0; i < SERVICE_MAX_CONNS; i++)
		conn_close(&conns[i]);
}

/* The service, in the process recorder_service_spawn made for it: lock_fd
 * holds the lock; db_st is the database the caller wrote, which is the one
 * to serve (if the path names another file by now, or none, it does not). */
static void service_run(const char *db_path, const struct stat *db_st, int lock_fd,
			int busy_timeout_ms, int idle_ms)
{
	struct service s = { .db_path = db_path,
			     .conn_deadline_ns = ((int64_t)busy_timeout_ms + 2000) * 1000000 };
	struct checkpointer ckpt = { 0 };
	cleanup_error mr_error *err = NULL;
	struct sigaction sa;
	struct stat st;
	int listen_fd;
	bool checkpointing;

	pin(&s.ids[ID_DB], db_st);
	if (fstat(lock_fd, &st) < 0)
		return;
	pin(&s.ids[ID_LOCK], &st);
	if (recorder_db_open_existing(db_path, busy_timeout_ms, &s.db, &err) < 0)
		return;
	if (!still_ours(db_path, s.ids) || (listen_fd = bind_socket(&s)) < 0) {
		sqlite3_close(s.db);
		return;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_terminate;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	checkpointing = checkpointer_start(&ckpt, db_path, busy_timeout_ms, s.db);
	serve(&s, listen_fd, idle_ms > 0 ? idle_ms : 1);
	close(listen_fd);
	if (checkpointing)
		checkpointer_stop(&ckpt);
	sqlite3_wal_checkpoint_v2(s.db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
	sqlite3_close(s.db);
}

/* Makes the process a daemon of its own: a session, signals at their
 * defaults, stdio on /dev/null, no other descriptor but `keep` (moved to
 * 3 or above and returned), cwd /. */
static int detach(int keep)
{
	struct sigaction dfl;
	sigset_t none;
	int null_fd;

	setsid();
	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	for (int sig = 1; sig < NSIG; sig++)
		sigaction(sig, &dfl, NULL);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (keep < 3) {
		int moved = fcntl(keep, F_DUPFD_CLOEXEC, 3);
		if (moved < 0)
			return -1;
		keep = moved;
	}
	/* Without /dev/null the caller's stdio would stay open here. */
	null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null_fd < 0)
		return -1;
	for (int fd = 0; fd < 3; fd++)
		if (null_fd != fd)
			dup3(null_fd, fd, 0);
	close_range(3, (unsigned)keep - 1, 0);
	close_range((unsigned)keep + 1, ~0u, 0);
	if (chdir("/") < 0)
		return -1;
	umask(077);
	prctl(PR_SET_NAME, "mockrunc-record");
	return keep;
}

void recorder_service_spawn(const char *db_path, int busy_timeout_ms, int idle_ms)
{
	/* Absolute: the service works from /. */
	cleanup_free char *path = mr_path_abs(db_path);
	cleanup_free char *lock_path = path != NULL ? sibling(path, ".service") : NULL;
	struct sockaddr_un sa;
	struct stat db_st;
	int lock_fd;
	pid_t pid;

	if (lock_path == NULL || !socket_address(path, &sa) || stat(path, &db_st) < 0)
		return;
	lock_fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (lock_fd < 0)
		return;
	/* Taken here, before the fork, and inherited: once this returns,
	 * the lock is held, so nobody takes the database for unserved. */
	if (flock(lock_fd, LOCK_EX | LOCK_NB) < 0) {
		close(lock_fd);
		return; /* one runs, or is starting */
	}
	pid = fork();
	if (pid < 0) {
		close(lock_fd);
		return;
	}
	if (pid > 0) {
		close(lock_fd);
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		return;
	}
	/* Twice forked: not our child (nobody waits for it), not in the
	 * caller's process group or session (an engine's kill of the group
	 * it started), holding none of its files (an engine reads the
	 * runtime's stdout and stderr to their end). The middle process
	 * writes the service's pid before the caller goes on. */
	pid = fork();
	if (pid != 0) {
		char text[32];
		snprintf(text, sizeof text, "%d\n", (int)pid);
		if (pid > 0 && (ftruncate(lock_fd, 0) < 0 || pwrite(lock_fd, text, strlen(text), 0) < 0))
			kill(pid, SIGKILL); /* no pid to stop it by: it must not run */
		_exit(pid > 0 ? 0 : 1);
	}
	lock_fd = detach(lock_fd);
	if (lock_fd >= 0)
		service_run(path, &db_st, lock_fd, busy_timeout_ms, idle_ms);
	_exit(0);
}
