/* realexec/seccomp: profiles compiled in this process, loaded in a forked
 * child that makes the syscalls under test; the parent asserts what a
 * container process would see (return values, errno, the signal it died of).
 * Results travel through a shared page so that reporting needs no syscall
 * the profile might block. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stddef.h>
#include <time.h>
#include <unistd.h>
#include <sched.h>
#include <dirent.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <grp.h>
#include <seccomp.h>

#include "tests/unit/tap.h"
#include "common/error.h"
#include "common/file.h"
#include "common/json.h"
#include "realexec/seccomp.h"

#define MAX_CALLS 8

enum how {
	CALL_SYSCALL,   /* syscall(nr, a...) */
	CALL_INT80,     /* the i386 ABI from this 64-bit process (x86_64 only) */
	CALL_IN_THREAD, /* syscall() from a second thread, then join it */
};

struct call {
	long nr;
	long a[6];
	enum how how;
};

struct shared {
	int loaded;                /* 1 loaded, -1 load failed */
	char load_err[256];
	int done;                  /* calls completed */
	long ret[MAX_CALLS];
	int err[MAX_CALLS];
	int traps, trap_code, trap_nr, trap_data;
	int notify_fd;
	char send_err[256];
};

static struct shared *sh;

enum child_opt {
	OPT_TRAP_HANDLER = 1 << 0,  /* catch SIGSYS and record it */
	OPT_NO_NNP = 1 << 1,        /* load without no_new_privs */
	OPT_DROP_CAPS = 1 << 2,     /* become nobody first (no CAP_SYS_ADMIN) */
	OPT_SEND = 1 << 3,          /* send the listener fd to listener_path */
};

struct outcome {
	int status;                 /* waitpid status */
	pid_t pid;
	struct shared r;
	char prep_err[512];         /* empty when prepare succeeded */
	bool prepared;              /* a filter (not NULL) came out */
};

static const char *listener_path;
static char state_json[512];

static void on_sigsys(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	sh->traps++;
	sh->trap_code = si->si_code;
	sh->trap_nr = si->si_syscall;
	sh->trap_data = si->si_errno;
}

static long int80(long nr, long a0)
{
#ifdef __x86_64__
	long ret;
	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(a0) : "memory");
	return ret;
#else
	(void)nr;
	(void)a0;
	return -ENOSYS;
#endif
}

struct thread_call {
	const struct call *c;
	long ret;
	int err;
};

static void *thread_main(void *arg)
{
	struct thread_call *t = arg;

	t->ret = syscall(t->c->nr, t->c->a[0], t->c->a[1], t->c->a[2], t->c->a[3],
			 t->c->a[4], t->c->a[5]);
	t->err = errno;
	return NULL;
}

static void do_call(const struct call *c, int i)
{
	long ret;
	int e = 0;

	errno = 0;
	switch (c->how) {
	case CALL_INT80:
		ret = int80(c->nr, c->a[0]);
		if (ret < 0 && ret > -4096) {
			e = (int)-ret;
			ret = -1;
		}
		break;
	case CALL_IN_THREAD: {
		struct thread_call t = { .c = c, .ret = -2, .err = 0 };
		pthread_t th;

		if (pthread_create(&th, NULL, thread_main, &t) != 0) {
			ret = -3;
			break;
		}
		pthread_join(th, NULL);
		ret = t.ret;
		e = t.err;
		break;
	}
	default:
		ret = syscall(c->nr, c->a[0], c->a[1], c->a[2], c->a[3], c->a[4], c->a[5]);
		e = errno;
	}
	sh->ret[i] = ret;
	sh->err[i] = e;
	sh->done = i + 1;
}

static json_t *parse(const char *text)
{
	mr_error *e = NULL;
	json_t *j = mr_json_parse(text, strlen(text), &e);

	if (j == NULL) {
		printf("# bad test JSON: %s\n", e->msg);
		mr_error_free(&e);
	}
	return j;
}

static void child(struct realexec_seccomp *s, const struct call *calls, size_t n, int opts)
{
	struct rlimit no_core = { 0, 0 };
	mr_error *e = NULL;
	int fd = -1;

	/* Dying of SIGSYS is expected here; no core files. */
	setrlimit(RLIMIT_CORE, &no_core);
	if (opts & OPT_TRAP_HANDLER) {
		struct sigaction sa = { .sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO };
		sigaction(SIGSYS, &sa, NULL);
	}
	if (opts & OPT_DROP_CAPS) {
		setgroups(0, NULL);
		if (setresgid(65534, 65534, 65534) < 0 || setresuid(65534, 65534, 65534) < 0)
			_exit(3);
	}
	if (!(opts & OPT_NO_NNP))
		prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	if (realexec_seccomp_load(s, &fd, &e) < 0) {
		sh->loaded = -1;
		snprintf(sh->load_err, sizeof sh->load_err, "%s", e->msg);
		_exit(2);
	}
	sh->loaded = 1;
	sh->notify_fd = fd;
	if (opts & OPT_SEND) {
		snprintf(state_json, sizeof state_json,
			 "{\"ociVersion\":\"1.2.0\",\"fds\":[\"seccompFd\"],\"pid\":%d,"
			 "\"metadata\":\"agent-metadata\",\"state\":{\"ociVersion\":\"1.2.0\","
			 "\"id\":\"ctr1\",\"status\":\"creating\",\"pid\":%d,\"bundle\":\"/b\"}}",
			 (int)getpid(), (int)getpid());
		if (realexec_seccomp_send_listener(listener_path, fd, state_json, &e) < 0) {
			snprintf(sh->send_err, sizeof sh->send_err, "%s", e->msg);
			_exit(4);
		}
		close(fd);
	}
	for (size_t i = 0; i < n; i++)
		do_call(&calls[i], (int)i);
	/* exit_group directly: a sanitizer's _exit hook would make syscalls
	 * the strict allow-lists under test do not permit. */
	syscall(SYS_exit_group, 0);
	_exit(0);
}

/* prepare in this process, then load and call in a child. Returns false if
 * prepare failed (o->prep_err says why) or produced no filter. */
static bool run_opts(const char *profile, const struct call *calls, size_t n, int opts,
		     struct outcome *o)
{
	const struct mr_logger quiet = { .fd = -1 };
	json_t *j = parse(profile);
	struct realexec_seccomp *s = NULL;
	mr_error *e = NULL;
	pid_t pid;

	memset(o, 0, sizeof *o);
	if (j == NULL) {
		snprintf(o->prep_err, sizeof o->prep_err, "bad JSON");
		return false;
	}
	if (realexec_seccomp_prepare(j, &quiet, &s, &e) < 0) {
		snprintf(o->prep_err, sizeof o->prep_err, "%s", e->msg);
		mr_error_free(&e);
		json_decref(j);
		return false;
	}
	json_decref(j);
	if (s == NULL)
		return false;
	o->prepared = true;
	memset(sh, 0, sizeof *sh);
	sh->notify_fd = -1;
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		child(s, calls, n, opts);
	realexec_seccomp_free(s);
	o->pid = pid;
	while (waitpid(pid, &o->status, 0) < 0 && errno == EINTR)
		;
	o->r = *sh;
	return true;
}

static bool run(const char *profile, const struct call *calls, size_t n, struct outcome *o)
{
	return run_opts(profile, calls, n, 0, o);
}

static bool died_of(const struct outcome *o, int sig)
{
	return WIFSIGNALED(o->status) && WTERMSIG(o->status) == sig;
}

static bool exited_ok(const struct outcome *o)
{
	return WIFEXITED(o->status) && WEXITSTATUS(o->status) == 0 && o->r.loaded == 1;
}

#define CALL(nr, ...) { (nr), { __VA_ARGS__ }, CALL_SYSCALL }

/* Call i returned -1 with errno want, as a container process would see it. */
static void is_errno(const struct outcome *o, int i, int want, const char *what)
{
	ok(o->r.done > i && o->r.ret[i] == -1 && o->r.err[i] == want,
	   "%s: errno %d (%s)", what, want, strerror(want));
	if (!(o->r.done > i && o->r.ret[i] == -1 && o->r.err[i] == want))
		printf("#   done %d ret %ld errno %d status %#x load '%s'\n", o->r.done,
		       o->r.done > i ? o->r.ret[i] : 0, o->r.done > i ? o->r.err[i] : 0,
		       o->status, o->r.load_err);
}

/* ---- actions ---- */

static void test_errno(void)
{
	static const struct call calls[] = {
		CALL(SYS_mkdir, (long)"/nonexistent-dir/x", 0700),
		CALL(SYS_getpid),
	};
	struct outcome o;

	run("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"mkdir\",\"mkdirat\"],"
	    "\"action\":\"SCMP_ACT_ERRNO\"}]}", calls, 2, &o);
	ok(exited_ok(&o), "ERRNO: child loaded the filter and exited (%s)", o.prep_err);
	is_errno(&o, 0, EPERM, "ERRNO without errnoRet: mkdir");
	is_int(o.r.ret[1], o.pid, "ERRNO: getpid still allowed");

	run("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"mkdir\",\"mkdirat\"],"
	    "\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":38}]}", calls, 1, &o);
	is_errno(&o, 0, ENOSYS, "ERRNO with errnoRet 38: mkdir");
}

static const char *const allow_basics =
	"\"exit_group\",\"exit\",\"rt_sigreturn\"";

static void test_default_errno(void)
{
	char profile[512];
	static const struct call calls[] = {
		CALL(SYS_getpid),
		CALL(SYS_getppid),
		CALL(SYS_getuid),
	};
	struct outcome o;

	snprintf(profile, sizeof profile,
		 "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":38,\"syscalls\":["
		 "{\"names\":[%s,\"getpid\",\"getppid\"],\"action\":\"SCMP_ACT_ALLOW\"}]}",
		 allow_basics);
	run(profile, calls, 3, &o);
	ok(exited_ok(&o), "defaultErrnoRet: child exited normally under an allow list");
	is_int(o.r.ret[0], o.pid, "allow list: getpid works");
	is_int(o.r.ret[1], getpid(), "allow list: getppid works");
	is_errno(&o, 2, ENOSYS, "defaultAction ERRNO, defaultErrnoRet 38: getuid");

	snprintf(profile, sizeof profile,
		 "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":["
		 "{\"names\":[%s,\"getpid\"],\"action\":\"SCMP_ACT_ALLOW\"}]}", allow_basics);
	run(profile, calls + 2, 1, &o);
	is_errno(&o, 0, EPERM, "defaultAction ERRNO without defaultErrnoRet: EPERM");
}

static void test_kill(void)
{
	static const struct call calls[] = { CALL(SYS_getppid), CALL(SYS_getpid) };
	static const struct call in_thread[] = {
		{ SYS_getppid, { 0 }, CALL_IN_THREAD }, CALL(SYS_getpid),
	};
	struct outcome o;

	run("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"getppid\"],"
	    "\"action\":\"SCMP_ACT_KILL_PROCESS\"}]}", calls, 2, &o);
	ok(died_of(&o, SIGSYS) && o.r.loaded == 1 && o.r.done == 0,
	   "KILL_PROCESS: the child dies of SIGSYS at getppid");

	run("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"getppid\"],"
	    "\"action\":\"SCMP_ACT_KILL_PROCESS\"}]}", in_thread, 2, &o);
	ok(died_of(&o, SIGSYS) && o.r.done == 0,
	   "KILL_PROCESS from a second thread kills the whole process");

	run("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"getppid\"],"
	    "\"action\":\"SCMP_ACT_KILL_THREAD\"}]}", in_thread, 2, &o);
	ok(exited_ok(&o) && o.r.done == 2 && o.r.ret[0] == -2 && o.r.ret[1] == o.pid,
	   "KILL_THREAD: only the calling thread dies, the process goes on");

	run("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"getppid\"],"
	    "\"action\":\"SCMP_ACT_KILL_THREAD\"}]}", calls, 2, &o);
	ok(died_of(&o, SIGSYS) && o.r.done == 0, "KILL_THREAD in a single-threaded process: SIGSYS");

	run("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"getppid\"],"
	    "\"action\":\"SCMP_ACT_KILL\"}]}", in_thread, 2, &o);
	ok(exited_ok(&o) && o.r.done == 2 && o.r.ret[0] == -2,
	   "SCMP_ACT_KILL is the thread kill, as in runc");
}

static void test_trap(void)
{
	static const struct call calls[] = { CALL(SYS_getppid), CALL(SYS_getpid) };
	const char *profile = "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":"
			      "[\"getppid\"],\"action\":\"SCMP_ACT_TRAP\"}]}";
	struct outcome o;

	run(profile, calls, 2, &o);
	ok(died_of(&o, SIGSYS) && o.r.done == 0, "TRAP without a handler: the child dies of SIGSYS");

	run_opts(profile, calls, 2, OPT_TRAP_HANDLER, &o);
	ok(exited_ok(&o) && o.r.traps == 1, "TRAP with a SIGSYS handler: handled once, child goes on");
	is_int(o.r.trap_code, 1 /* SYS_SECCOMP */, "TRAP: si_code is SYS_SECCOMP");
	is_int(o.r.trap_nr, SYS_getppid, "TRAP: si_syscall names getppid");
	is_int(o.r.ret[1], o.pid, "TRAP: next syscall works");
}

static void test_log_trace_allow(void)
{
	static const struct call calls[] = { CALL(SYS_getppid), CALL(SYS_getpid) };
	struct outcome o;

	run("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"getppid\"],"
	    "\"action\":\"SCMP_ACT_LOG\"}]}", calls, 1, &o);
	ok(exited_ok(&o) && o.r.ret[0] == getpid(), "LOG: the syscall succeeds");

	run("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"getppid\"],"
	    "\"action\":\"SCMP_ACT_TRACE\"}]}", calls, 2, &o);
	is_errno(&o, 0, ENOSYS, "TRACE without a tracer");
	is_int(o.r.ret[1], o.pid, "TRACE: other syscalls unaffected");

	run("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"getppid\"],"
	    "\"action\":\"SCMP_ACT_TRACE\",\"errnoRet\":42}]}", calls, 1, &o);
	is_errno(&o, 0, ENOSYS, "TRACE with errnoRet (trace data) without a tracer");

	run("{\"defaultAction\":\"SCMP_ACT_LOG\",\"syscalls\":[{\"names\":[\"getppid\"],"
	    "\"action\":\"SCMP_ACT_ALLOW\"}]}", calls, 2, &o);
	ok(exited_ok(&o) && o.r.ret[0] == getpid() && o.r.ret[1] == o.pid,
	   "defaultAction LOG with an ALLOW rule: everything works");

	run("{\"defaultAction\":\"SCMP_ACT_ALLOW\"}", calls, 2, &o);
	ok(exited_ok(&o) && o.r.ret[0] == getpid(), "defaultAction ALLOW without syscalls");

	run("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"getppid\"],"
	    "\"action\":\"SCMP_ACT_ERRNO\"},{\"names\":[\"exit_group\",\"getpid\"],"
	    "\"action\":\"SCMP_ACT_ALLOW\"}]}", calls, 2, &o);
	ok(o.prepared, "a rule repeating the default action is skipped, not refused (%s)", o.prep_err);
	is_errno(&o, 0, EPERM, "skipped rule: getppid gets the default action");
	is_int(o.r.ret[1], o.pid, "skipped rule: the allow rule still applies");
}

/* ---- argument conditions ---- */

struct op_case {
	const char *op;
	unsigned long value, value_two;
	long blocked, passed;  /* close() arguments: blocked gets errnoRet 7 */
};

static void test_operators(void)
{
	static const struct op_case cases[] = {
		{ "SCMP_CMP_EQ", 1000, 0, 1000, 1001 },
		{ "SCMP_CMP_NE", 1000, 0, 1001, 1000 },
		{ "SCMP_CMP_LT", 1000, 0, 999, 1000 },
		{ "SCMP_CMP_LE", 1000, 0, 1000, 1001 },
		{ "SCMP_CMP_GT", 1000, 0, 1001, 1000 },
		{ "SCMP_CMP_GE", 1000, 0, 1000, 999 },
		{ "SCMP_CMP_MASKED_EQ", 0xf000, 0x1000, 0x1abc, 0x2abc },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct op_case *c = &cases[i];
		struct call calls[2] = { CALL(SYS_close, c->blocked), CALL(SYS_close, c->passed) };
		char profile[512], what[128];
		struct outcome o;

		snprintf(profile, sizeof profile,
			 "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"close\"],"
			 "\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":7,\"args\":[{\"index\":0,"
			 "\"value\":%lu,\"valueTwo\":%lu,\"op\":\"%s\"}]}]}",
			 c->value, c->value_two, c->op);
		run(profile, calls, 2, &o);
		snprintf(what, sizeof what, "%s: close(%#lx) blocked", c->op, c->blocked);
		is_errno(&o, 0, 7, what);
		snprintf(what, sizeof what, "%s: close(%#lx) reaches the kernel", c->op, c->passed);
		is_errno(&o, 1, EBADF, what);
	}
}

static void test_conditions(void)
{
	struct outcome o;

	/* personality(0xffffffff) only queries; block just that value. */
	{
		static const struct call calls[] = {
			CALL(SYS_personality, 0xffffffffL), CALL(SYS_personality, 0),
		};
		run("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"personality\"],"
		    "\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":7,\"args\":[{\"index\":0,"
		    "\"value\":4294967295,\"op\":\"SCMP_CMP_EQ\"}]}]}", calls, 2, &o);
		is_errno(&o, 0, 7, "personality(0xffffffff) blocked by arg0 == 0xffffffff");
		ok(o.r.done == 2 && o.r.ret[1] == 0, "personality(PER_LINUX) passes");
	}
	/* docker's shape: a mask over clone flags (both calls are invalid flag
	 * sets the kernel refuses, so nothing is created either way). */
	{
		static const struct call calls[] = {
			CALL(SYS_clone, CLONE_NEWUSER | CLONE_THREAD),
			CALL(SYS_clone, CLONE_THREAD),
		};
		run("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"clone\"],"
		    "\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":7,\"args\":[{\"index\":0,"
		    "\"value\":268435456,\"valueTwo\":268435456,\"op\":\"SCMP_CMP_MASKED_EQ\"}]}]}",
		    calls, 2, &o);
		is_errno(&o, 0, 7, "clone with CLONE_NEWUSER blocked by MASKED_EQ");
		is_errno(&o, 1, EINVAL, "clone without CLONE_NEWUSER reaches the kernel");
	}
	/* Conditions on different arguments all have to match. */
	{
		static const struct call calls[] = {
			CALL(SYS_lseek, 1000, 0, 1), CALL(SYS_lseek, 1000, 0, 0), CALL(SYS_lseek, 1001, 0, 1),
		};
		run("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"lseek\"],"
		    "\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":7,\"args\":["
		    "{\"index\":0,\"value\":1000,\"op\":\"SCMP_CMP_EQ\"},"
		    "{\"index\":2,\"value\":1,\"op\":\"SCMP_CMP_EQ\"}]}]}", calls, 3, &o);
		is_errno(&o, 0, 7, "two arguments: both match, blocked");
		is_errno(&o, 1, EBADF, "two arguments: second differs, passes");
		is_errno(&o, 2, EBADF, "two arguments: first differs, passes");
	}
	/* Two conditions on one argument become two rules (runc): either one
	 * matching blocks. */
	{
		static const struct call calls[] = {
			CALL(SYS_close, 7000), CALL(SYS_close, 900), CALL(SYS_close, 3000),
		};
		run("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"close\"],"
		    "\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":7,\"args\":["
		    "{\"index\":0,\"value\":5000,\"op\":\"SCMP_CMP_GE\"},"
		    "{\"index\":0,\"value\":1000,\"op\":\"SCMP_CMP_LE\"}]}]}", calls, 3, &o);
		is_errno(&o, 0, 7, "same argument twice: the first condition alone blocks");
		is_errno(&o, 1, 7, "same argument twice: the second condition alone blocks");
		is_errno(&o, 2, EBADF, "same argument twice: neither matches, passes");
	}
	/* Several names share one entry's action and conditions. */
	{
		static const struct call calls[] = {
			CALL(SYS_getppid), CALL(SYS_getuid), CALL(SYS_getgid),
		};
		run("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":"
		    "[\"getppid\",\"getuid\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":7}]}",
		    calls, 3, &o);
		is_errno(&o, 0, 7, "names[0] blocked");
		is_errno(&o, 1, 7, "names[1] blocked");
		ok(o.r.done == 3 && o.r.ret[2] == (long)getgid(), "a name not listed passes");
	}
}

/* ---- architectures, flags, unknown names, the ENOSYS prefix ---- */

static bool have_ia32(void)
{
#ifdef __x86_64__
	pid_t pid;
	int status;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		struct rlimit no_core = { 0, 0 };

		setrlimit(RLIMIT_CORE, &no_core);
		_exit(int80(20 /* i386 getpid */, 0) == getpid() ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
#else
	return false;
#endif
}

static void test_architectures(void)
{
#ifdef __x86_64__
	static const struct call calls[] = {
		CALL(SYS_getpid),
		CALL(0x40000000L | 39 /* x32 getpid */),
		{ 20 /* i386 getpid */, { 0 }, CALL_INT80 },
	};
	const char *rule = "\"syscalls\":[{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_ERRNO\","
			   "\"errnoRet\":77}]}";
	char profile[512];
	bool ia32 = have_ia32();
	struct outcome o;

	snprintf(profile, sizeof profile, "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":"
		 "[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X86\",\"SCMP_ARCH_X32\"],%s", rule);
	run(profile, calls, ia32 ? 3 : 2, &o);
	ok(exited_ok(&o), "x86_64 + x86 + x32 profile loads (%s)", o.prep_err);
	is_errno(&o, 0, 77, "x86_64 getpid matched");
	is_errno(&o, 1, 77, "x32 getpid matched (x32 listed)");
	if (ia32)
		is_errno(&o, 2, 77, "i386 getpid through int 0x80 matched (x86 listed)");
	else
		printf("ok %d - # SKIP no ia32 emulation in this kernel\n", ++tap_n);

	if (ia32) {
		static const struct call i386_only[] = { { 20, { 0 }, CALL_INT80 } };

		snprintf(profile, sizeof profile, "{\"defaultAction\":\"SCMP_ACT_ALLOW\",%s", rule);
		run(profile, i386_only, 1, &o);
		ok(died_of(&o, SIGSYS) && o.r.done == 0,
		   "x86 not listed: an i386 syscall is a bad architecture, killed");
	} else {
		printf("ok %d - # SKIP no ia32 emulation in this kernel\n", ++tap_n);
	}

	snprintf(profile, sizeof profile, "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":"
		 "[\"SCMP_ARCH_AARCH64\",\"SCMP_ARCH_ARM\"],%s", rule);
	run(profile, calls, 1, &o);
	is_errno(&o, 0, 77, "foreign architectures only: the native one is still filtered");
#else
	printf("ok %d - # SKIP architecture tests are written for x86_64\n", ++tap_n);
#endif
}

static void test_flags(void)
{
	static const char *const flags[] = {
		"SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
		"SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
	};
	static const struct call calls[] = { CALL(SYS_getppid), CALL(SYS_getpid) };
	char profile[512];
	struct outcome o;

	for (size_t i = 0; i < 4; i++) {
		snprintf(profile, sizeof profile, "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"flags\":[\"%s\"],"
			 "\"syscalls\":[{\"names\":[\"getppid\"],\"action\":\"SCMP_ACT_ERRNO\"}]}", flags[i]);
		run(profile, calls, 2, &o);
		ok(exited_ok(&o) && o.r.done == 2 && o.r.ret[0] == -1 && o.r.err[0] == EPERM &&
		   o.r.ret[1] == o.pid, "flag %s: loads and filters (%s%s)", flags[i], o.prep_err,
		   o.r.load_err);
	}
	run("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"flags\":[\"SECCOMP_FILTER_FLAG_LOG\","
	    "\"SECCOMP_FILTER_FLAG_SPEC_ALLOW\",\"SECCOMP_FILTER_FLAG_TSYNC\"],\"syscalls\":"
	    "[{\"names\":[\"getppid\"],\"action\":\"SCMP_ACT_ERRNO\"}]}", calls, 1, &o);
	is_errno(&o, 0, EPERM, "several flags together");
	run("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"flags\":[],\"syscalls\":"
	    "[{\"names\":[\"getppid\"],\"action\":\"SCMP_ACT_ERRNO\"}]}", calls, 1, &o);
	is_errno(&o, 0, EPERM, "an empty flags list");
}

static void test_unknown_names(void)
{
	static const struct call calls[] = { CALL(SYS_getppid), CALL(SYS_getuid) };
	struct outcome o;

	run("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"no_such_syscall\","
	    "\"getppid\",\"arm_fadvise64_64\"],\"action\":\"SCMP_ACT_ERRNO\"},{\"names\":"
	    "[\"another_unknown_one\"],\"action\":\"SCMP_ACT_KILL\"}]}", calls, 2, &o);
	ok(o.prepared, "unknown syscall names are skipped (%s)", o.prep_err);
	is_errno(&o, 0, EPERM, "the known name of the same entry still applies");
	ok(o.r.done == 2 && o.r.ret[1] == (long)getuid(), "other syscalls unaffected");
}

static void test_enosys_prefix(void)
{
	char profile[512];
	static const struct call calls[] = {
		CALL(SYS_getppid),  /* 110: below the highest listed number, not allowed */
		CALL(SYS_fanotify_init, 0, 0),  /* 300: above every listed number */
		CALL(1000),         /* no such syscall at all */
		CALL(SYS_getpid),
	};
	struct outcome o;

	snprintf(profile, sizeof profile,
		 "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":1,\"syscalls\":["
		 "{\"names\":[%s,\"getpid\"],\"action\":\"SCMP_ACT_ALLOW\"}]}", allow_basics);
	run(profile, calls, 4, &o);
	is_errno(&o, 0, EPERM, "ENOSYS prefix: a listed-range syscall gets the default EPERM");
	is_errno(&o, 1, ENOSYS, "ENOSYS prefix: a syscall newer than the profile gets ENOSYS");
	is_errno(&o, 2, ENOSYS, "ENOSYS prefix: syscall 1000 gets ENOSYS");
	is_int(o.r.ret[3], o.pid, "ENOSYS prefix: allowed syscalls work");

	snprintf(profile, sizeof profile,
		 "{\"defaultAction\":\"SCMP_ACT_KILL_PROCESS\",\"syscalls\":["
		 "{\"names\":[%s,\"getpid\"],\"action\":\"SCMP_ACT_ALLOW\"}]}", allow_basics);
	run(profile, calls + 1, 3, &o);
	ok(exited_ok(&o) && o.r.done == 3, "ENOSYS prefix under KILL_PROCESS: newer syscalls do not kill");
	is_errno(&o, 0, ENOSYS, "ENOSYS prefix under KILL_PROCESS: fanotify_init");
	run(profile, calls, 1, &o);
	ok(died_of(&o, SIGSYS), "under KILL_PROCESS a listed-range syscall still kills");

#ifdef __x86_64__
	{
		/* x32's highest listed number is rt_sigreturn, 513. */
		static const struct call x32[] = {
			CALL(0x40000000L | 600), CALL(0x40000000L | 110 /* getppid */),
		};
		snprintf(profile, sizeof profile,
			 "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_X86_64\","
			 "\"SCMP_ARCH_X32\"],\"syscalls\":[{\"names\":[%s,\"getpid\"],"
			 "\"action\":\"SCMP_ACT_ALLOW\"}]}", allow_basics);
		run(profile, x32, 2, &o);
		is_errno(&o, 0, ENOSYS, "ENOSYS prefix, x32: a number above the x32 maximum");
		is_errno(&o, 1, EPERM, "ENOSYS prefix, x32: x32 getppid, in range, gets EPERM");
	}
#endif
}

/* ---- no_new_privs ---- */

static void test_privileges(void)
{
	static const struct call calls[] = { CALL(SYS_getppid) };
	const char *profile = "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":"
			      "[\"getppid\"],\"action\":\"SCMP_ACT_ERRNO\"}]}";
	struct outcome o;

	if (geteuid() != 0) {
		printf("ok %d - # SKIP not root\n", ++tap_n);
		printf("ok %d - # SKIP not root\n", ++tap_n);
		return;
	}
	run_opts(profile, calls, 1, OPT_NO_NNP, &o);
	is_errno(&o, 0, EPERM, "without no_new_privs, with CAP_SYS_ADMIN: loads");
	run_opts(profile, calls, 1, OPT_NO_NNP | OPT_DROP_CAPS, &o);
	ok(o.r.loaded == -1 && strstr(o.r.load_err, "no_new_privs") != NULL &&
	   strstr(o.r.load_err, "permission denied") != NULL,
	   "without no_new_privs nor CAP_SYS_ADMIN: a clear error");
	printf("#   %s\n", o.r.load_err);
}

/* ---- bad input ---- */

static void expect_error(const char *profile, const char *want, const char *what)
{
	const struct mr_logger quiet = { .fd = -1 };
	json_t *j = parse(profile);
	struct realexec_seccomp *s = NULL;
	mr_error *e = NULL;
	int rc = realexec_seccomp_prepare(j, &quiet, &s, &e);

	ok(rc == -1 && s == NULL && e != NULL && strstr(e->msg, want) != NULL, "%s", what);
	if (e == NULL || strstr(e->msg, want) == NULL)
		printf("#   got:  %s\n#   want: ...%s...\n", e ? e->msg : "(no error)", want);
	else
		printf("#   %s\n", e->msg);
	mr_error_free(&e);
	realexec_seccomp_free(s);
	json_decref(j);
}

#define RULE(x) "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[" x "]}"

static void test_bad_input(void)
{
	expect_error("{\"defaultAction\":\"SCMP_ACT_FOO\"}",
		     "string SCMP_ACT_FOO is not a valid action for seccomp", "unknown defaultAction");
	expect_error(RULE("{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_BLOCK\"}"),
		     "string SCMP_ACT_BLOCK is not a valid action for seccomp", "unknown rule action");
	expect_error("{\"syscalls\":[{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_ERRNO\"}]}",
		     "linux.seccomp.defaultAction is required", "missing defaultAction");
	expect_error(RULE("{\"names\":[\"getpid\"]}"),
		     "linux.seccomp.syscalls[0].action is required", "missing rule action");
	expect_error("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_Z80\"]}",
		     "string SCMP_ARCH_Z80 is not a valid arch for seccomp", "unknown architecture");
	expect_error("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_LOONGARCH64\"]}",
		     SCMP_VER_MINOR < 6 ? "is not supported by libseccomp" : "no error expected",
		     "an architecture newer than this libseccomp");
	expect_error(RULE("{\"names\":[\"close\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":"
			  "[{\"index\":0,\"value\":1,\"op\":\"SCMP_CMP_ABOUT\"}]}"),
		     "string SCMP_CMP_ABOUT is not a valid operator for seccomp", "unknown operator");
	expect_error(RULE("{\"names\":[\"close\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":"
			  "[{\"index\":6,\"value\":1,\"op\":\"SCMP_CMP_EQ\"}]}"),
		     "linux.seccomp.syscalls[0].args[0].index: 6 is out of range", "args index 6");
	expect_error(RULE("{\"names\":[\"close\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":"
			  "[{\"index\":0,\"value\":1}]}"),
		     "linux.seccomp.syscalls[0].args[0].op is required", "args without op");
	expect_error(RULE("{\"names\":[\"close\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":"
			  "[{\"value\":1,\"op\":\"SCMP_CMP_EQ\"}]}"),
		     "linux.seccomp.syscalls[0].args[0].index is required", "args without index");
	expect_error(RULE("{\"names\":[\"close\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":"
			  "[{\"index\":0,\"op\":\"SCMP_CMP_EQ\"}]}"),
		     "linux.seccomp.syscalls[0].args[0].value is required", "args without value");
	expect_error(RULE("{\"names\":[\"close\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":"
			  "[{\"index\":0,\"value\":-1,\"op\":\"SCMP_CMP_EQ\"}]}"),
		     "linux.seccomp.syscalls[0].args[0].value: expected an unsigned integer, got -1",
		     "negative value");
	expect_error(RULE("{\"names\":[\"getppid\"],\"action\":\"SCMP_ACT_NOTIFY\"}"),
		     "seccomp listenerPath is not set", "NOTIFY without listenerPath");
	expect_error("{\"defaultAction\":\"SCMP_ACT_NOTIFY\",\"listenerPath\":\"/x\"}",
		     "SCMP_ACT_NOTIFY cannot be used as default action", "NOTIFY as default action");
	expect_error("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"/x\",\"syscalls\":"
		     "[{\"names\":[\"read\",\"write\"],\"action\":\"SCMP_ACT_NOTIFY\"}]}",
		     "SCMP_ACT_NOTIFY cannot be used for the write syscall", "NOTIFY on write");
	expect_error(RULE("{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_ALLOW\",\"errnoRet\":1}"),
		     "linux.seccomp.syscalls[0].errnoRet is set but SCMP_ACT_ALLOW does not return an errno",
		     "errnoRet on an action without errno");
	expect_error("{\"defaultAction\":\"SCMP_ACT_KILL\",\"defaultErrnoRet\":1}",
		     "linux.seccomp.defaultErrnoRet is set but SCMP_ACT_KILL does not return an errno",
		     "defaultErrnoRet on KILL");
	expect_error(RULE("{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":70000}"),
		     "linux.seccomp.syscalls[0].errnoRet: 70000 is out of range", "errnoRet above 16 bits");
	expect_error("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"flags\":[\"SECCOMP_FILTER_FLAG_FAST\"]}",
		     "seccomp flag SECCOMP_FILTER_FLAG_FAST is not known to mockrunc", "unknown flag");
	expect_error(RULE("{\"names\":[\"\"],\"action\":\"SCMP_ACT_ERRNO\"}"),
		     "empty string is not a valid syscall", "empty syscall name");
	expect_error(RULE("{\"action\":\"SCMP_ACT_ERRNO\"}"),
		     "linux.seccomp.syscalls[0].names is required", "missing names");

	/* Wrong JSON types. */
	{
		json_t *j = json_string("SCMP_ACT_ALLOW");
		struct realexec_seccomp *s = NULL;
		mr_error *e = NULL;

		ok(realexec_seccomp_prepare(j, NULL, &s, &e) == -1 && e != NULL &&
		   strcmp(e->msg, "linux.seccomp: expected an object, got string") == 0,
		   "seccomp is not an object");
		mr_error_free(&e);
		json_decref(j);
	}
	expect_error("{\"defaultAction\":1}", "linux.seccomp.defaultAction: expected a string, got integer",
		     "defaultAction is a number");
	expect_error("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":{}}",
		     "linux.seccomp.syscalls: expected an array, got object", "syscalls is an object");
	expect_error(RULE("\"getpid\""), "linux.seccomp.syscalls[0]: expected an object, got string",
		     "a syscalls entry is a string");
	expect_error(RULE("{\"names\":\"getpid\",\"action\":\"SCMP_ACT_ERRNO\"}"),
		     "linux.seccomp.syscalls[0].names: expected an array, got string", "names is a string");
	expect_error(RULE("{\"names\":[\"getpid\",7],\"action\":\"SCMP_ACT_ERRNO\"}"),
		     "linux.seccomp.syscalls[0].names[1]: expected a string, got integer",
		     "a name is a number");
	expect_error(RULE("{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":\"1\"}"),
		     "linux.seccomp.syscalls[0].errnoRet: expected an unsigned integer, got string",
		     "errnoRet is a string");
	expect_error("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":\"SCMP_ARCH_X86\"}",
		     "linux.seccomp.architectures: expected an array, got string",
		     "architectures is a string");
	expect_error("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"flags\":[true]}",
		     "linux.seccomp.flags[0]: expected a string, got boolean", "a flag is a boolean");
	expect_error(RULE("{\"names\":[\"close\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":[[0,1]]}"),
		     "linux.seccomp.syscalls[0].args[0]: expected an object, got array",
		     "an args entry is an array");
	expect_error(RULE("{\"names\":[\"close\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":"
			  "[{\"index\":0,\"value\":1.5,\"op\":\"SCMP_CMP_EQ\"}]}"),
		     "linux.seccomp.syscalls[0].args[0].value: expected an unsigned integer, got number",
		     "value is a fraction");
	expect_error("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":5}",
		     "linux.seccomp.listenerPath: expected a string, got integer", "listenerPath is a number");
}

static void test_no_filter(void)
{
	struct realexec_seccomp *s = (void *)1;
	mr_error *e = NULL;
	json_t *j;
	int fd = 5;

	ok(realexec_seccomp_prepare(NULL, NULL, &s, &e) == 0 && s == NULL, "no linux.seccomp: no filter");
	j = json_null();
	s = (void *)1;
	ok(realexec_seccomp_prepare(j, NULL, &s, &e) == 0 && s == NULL, "linux.seccomp null: no filter");
	j = parse("{}");
	s = (void *)1;
	ok(realexec_seccomp_prepare(j, NULL, &s, &e) == 0 && s == NULL,
	   "{} (no defaultAction, no syscalls): no filter, as runc");
	json_decref(j);
	ok(realexec_seccomp_load(NULL, &fd, &e) == 0 && fd == -1, "loading no filter is a no-op");
	ok(!realexec_seccomp_uses_notify(NULL), "no filter uses no notify");
	realexec_seccomp_free(NULL);
}

static bool has(const char *const *list, const char *name)
{
	for (; *list != NULL; list++)
		if (strcmp(*list, name) == 0)
			return true;
	return false;
}

static size_t count(const char *const *list)
{
	size_t n = 0;

	while (list[n] != NULL)
		n++;
	return n;
}

static void test_known_lists(void)
{
	const char *const *archs = realexec_seccomp_known_archs();

	is_int(count(realexec_seccomp_known_actions()), 9, "features: 9 actions");
	ok(has(realexec_seccomp_known_actions(), "SCMP_ACT_NOTIFY") &&
	   has(realexec_seccomp_known_actions(), "SCMP_ACT_KILL_THREAD"), "features: NOTIFY, KILL_THREAD");
	is_int(count(realexec_seccomp_known_operators()), 7, "features: 7 operators");
	ok(has(realexec_seccomp_known_operators(), "SCMP_CMP_MASKED_EQ"), "features: MASKED_EQ");
	is_int(count(realexec_seccomp_known_flags()), 4, "features: 4 flags");
	ok(has(archs, "SCMP_ARCH_X86_64") && has(archs, "SCMP_ARCH_X32") && has(archs, "SCMP_ARCH_RISCV64"),
	   "features: x86_64, x32, riscv64");
	ok(SCMP_VER_MINOR >= 6 || !has(archs, "SCMP_ARCH_LOONGARCH64"),
	   "features: no architecture this libseccomp lacks");
	/* Every listed name is accepted by prepare. */
	for (int list = 0; list < 3; list++) {
		const char *const *names = list == 0 ? archs : list == 1 ? realexec_seccomp_known_flags()
								       : realexec_seccomp_known_actions();
		bool all = true;

		for (; *names != NULL; names++) {
			char profile[256];
			struct realexec_seccomp *s = NULL;
			mr_error *e = NULL;
			json_t *j;

			if (list == 0)
				snprintf(profile, sizeof profile, "{\"defaultAction\":\"SCMP_ACT_ALLOW\","
					 "\"architectures\":[\"%s\"]}", *names);
			else if (list == 1)
				snprintf(profile, sizeof profile, "{\"defaultAction\":\"SCMP_ACT_ALLOW\","
					 "\"flags\":[\"%s\"]}", *names);
			else
				snprintf(profile, sizeof profile, "{\"defaultAction\":\"SCMP_ACT_KILL\","
					 "\"listenerPath\":\"/x\",\"syscalls\":[{\"names\":[\"getpid\"],"
					 "\"action\":\"%s\"}]}", *names);
			j = parse(profile);
			if (realexec_seccomp_prepare(j, NULL, &s, &e) < 0) {
				printf("#   %s: %s\n", *names, e->msg);
				all = false;
			}
			mr_error_free(&e);
			realexec_seccomp_free(s);
			json_decref(j);
		}
		ok(all, "features: every listed %s is accepted",
		   list == 0 ? "architecture" : list == 1 ? "flag" : "action");
	}
}

/* ---- SCMP_ACT_NOTIFY end to end ---- */

static int recv_listener(int sock, char *buf, size_t size, int *fd)
{
	union {
		char b[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { .iov_base = buf, .iov_len = size - 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = ctl.b, .msg_controllen = sizeof ctl.b };
	size_t got = 0;
	ssize_t n;

	*fd = -1;
	n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	if (n <= 0)
		return -1;
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(&msg); cm != NULL; cm = CMSG_NXTHDR(&msg, cm))
		if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS)
			memcpy(fd, CMSG_DATA(cm), sizeof(int));
	got = (size_t)n;
	/* The rest of the state, until the runtime closes the connection. */
	while (got < size - 1 && (n = read(sock, buf + got, size - 1 - got)) > 0)
		got += (size_t)n;
	buf[got] = '\0';
	return 0;
}

static void test_notify(void)
{
	char dir[] = "/tmp/test_seccomp.XXXXXX", path[128], profile[512], buf[2048];
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	static const struct call calls[] = { CALL(SYS_getppid), CALL(SYS_getpid) };
	struct realexec_seccomp *s = NULL;
	struct seccomp_notif *req = NULL;
	struct seccomp_notif_resp *resp = NULL;
	mr_error *e = NULL;
	int lsock, conn, nfd = -1, status = 0;
	struct pollfd pfd;
	json_t *j, *state;
	pid_t pid;

	if (mkdtemp(dir) == NULL) {
		ok(0, "mkdtemp");
		return;
	}
	snprintf(path, sizeof path, "%s/agent.sock", dir);
	memcpy(addr.sun_path, path, strlen(path) + 1);
	lsock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ok(lsock >= 0 && bind(lsock, (struct sockaddr *)&addr, sizeof addr) == 0 && listen(lsock, 1) == 0,
	   "NOTIFY: agent socket listening");

	snprintf(profile, sizeof profile,
		 "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"%s\","
		 "\"listenerMetadata\":\"agent-metadata\",\"flags\":"
		 "[\"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV\"],\"syscalls\":[{\"names\":"
		 "[\"getppid\"],\"action\":\"SCMP_ACT_NOTIFY\"}]}", path);
	j = parse(profile);
	ok(realexec_seccomp_prepare(j, NULL, &s, &e) == 0 && realexec_seccomp_uses_notify(s),
	   "NOTIFY: prepared, uses notify");
	json_decref(j);
	if (s == NULL)
		return;

	listener_path = path;
	memset(sh, 0, sizeof *sh);
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		child(s, calls, 2, OPT_SEND);
	realexec_seccomp_free(s);

	pfd = (struct pollfd){ .fd = lsock, .events = POLLIN };
	conn = poll(&pfd, 1, 10000) == 1 ? accept4(lsock, NULL, NULL, SOCK_CLOEXEC) : -1;
	ok(conn >= 0 && recv_listener(conn, buf, sizeof buf, &nfd) == 0 && nfd >= 0,
	   "NOTIFY: the agent received the listener fd (%s)", sh->send_err);
	if (conn >= 0)
		close(conn);
	j = parse(buf);
	state = json_object_get(j, "state");
	ok(j != NULL && json_is_string(json_object_get(j, "ociVersion")) &&
	   json_array_size(json_object_get(j, "fds")) == 1 &&
	   strcmp(json_string_value(json_array_get(json_object_get(j, "fds"), 0)), "seccompFd") == 0 &&
	   json_integer_value(json_object_get(j, "pid")) == pid &&
	   json_is_object(state) && json_is_string(json_object_get(state, "id")),
	   "NOTIFY: container process state with fds [\"seccompFd\"], pid and state");
	is_str(mr_json_str(j, "metadata"), "agent-metadata", "NOTIFY: metadata from listenerMetadata");
	json_decref(j);

	if (nfd >= 0 && seccomp_notify_alloc(&req, &resp) == 0) {
		pfd = (struct pollfd){ .fd = nfd, .events = POLLIN };
		ok(poll(&pfd, 1, 10000) == 1 && seccomp_notify_receive(nfd, req) == 0,
		   "NOTIFY: a notification arrives");
		is_int(req->data.nr, SYS_getppid, "NOTIFY: for getppid");
		is_int(req->pid, pid, "NOTIFY: from the child");
		resp->id = req->id;
		resp->val = 4242;
		resp->error = 0;
		resp->flags = 0;
		ok(seccomp_notify_respond(nfd, resp) == 0, "NOTIFY: the agent responds");
		seccomp_notify_free(req, resp);
	} else {
		ok(0, "NOTIFY: no listener fd to read from");
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0 && sh->done == 2,
	   "NOTIFY: child finished (status %#x)", status);
	is_int(sh->ret[0], 4242, "NOTIFY: getppid returned the value the agent chose");
	is_int(sh->ret[1], pid, "NOTIFY: other syscalls unaffected");
	if (nfd >= 0)
		close(nfd);
	close(lsock);
	unlink(path);
	rmdir(dir);

	/* "@name" is an abstract address, as Go's net.Dial (runc) reads it. */
	{
		char name[64];
		struct sockaddr_un abs = { .sun_family = AF_UNIX };
		int l = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), c2 = -1, got_fd = -1;
		socklen_t alen;

		snprintf(name, sizeof name, "@mockrunc-test-seccomp-%d", (int)getpid());
		memcpy(abs.sun_path, name, strlen(name));
		abs.sun_path[0] = '\0';
		alen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(name));
		ok(l >= 0 && bind(l, (struct sockaddr *)&abs, alen) == 0 && listen(l, 1) == 0 &&
		   realexec_seccomp_send_listener(name, 0, "{\"ociVersion\":\"1.2.0\"}", &e) == 0 &&
		   (c2 = accept4(l, NULL, NULL, SOCK_CLOEXEC)) >= 0 &&
		   recv_listener(c2, buf, sizeof buf, &got_fd) == 0 && got_fd >= 0 &&
		   strcmp(buf, "{\"ociVersion\":\"1.2.0\"}") == 0,
		   "send_listener: an @abstract listenerPath works (%s)", e ? e->msg : "");
		mr_error_free(&e);
		if (got_fd >= 0)
			close(got_fd);
		if (c2 >= 0)
			close(c2);
		if (l >= 0)
			close(l);
	}

	/* The runtime side errors: no agent listening. */
	ok(realexec_seccomp_send_listener(path, 0, "{}", &e) == -1 && e != NULL &&
	   strstr(e->msg, "failed to connect with seccomp agent specified in the seccomp profile") &&
	   strstr(e->msg, "no such file or directory"), "send_listener: no agent is a clear error");
	if (e != NULL)
		printf("#   %s\n", e->msg);
	mr_error_free(&e);
}

/* ---- podman's default profile ---- */

static const char *go_arch(void)
{
#if defined(__x86_64__)
	return "amd64";
#elif defined(__aarch64__)
	return "arm64";
#else
	return "";
#endif
}

static bool kernel_at_least(const char *min)
{
	struct utsname u;
	int maj, mnr, kmaj, kmnr;

	if (min == NULL || sscanf(min, "%d.%d", &maj, &mnr) != 2 || uname(&u) != 0 ||
	    sscanf(u.release, "%d.%d", &kmaj, &kmnr) != 2)
		return true;
	return kmaj > maj || (kmaj == maj && kmnr >= mnr);
}

static bool list_has(json_t *list, const char *s)
{
	json_t *v;
	size_t i;

	json_array_foreach(list, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
			return true;
	return false;
}

/* containers/common's format to an OCI linux.seccomp, as podman does for a
 * root container holding every capability on this architecture. */
static json_t *podman_to_oci(json_t *in, size_t *n_names)
{
	json_t *out = json_object(), *archs = json_array(), *syscalls = json_array(), *v;
	const char *native = go_arch();
	size_t i;

	*n_names = 0;
	json_object_set(out, "defaultAction", json_object_get(in, "defaultAction"));
	if (json_object_get(in, "defaultErrnoRet") != NULL)
		json_object_set(out, "defaultErrnoRet", json_object_get(in, "defaultErrnoRet"));
	json_array_foreach(json_object_get(in, "archMap"), i, v) {
		const char *a = mr_json_str(v, "architecture");

		if (a != NULL && ((strcmp(native, "amd64") == 0 && strcmp(a, "SCMP_ARCH_X86_64") == 0) ||
				  (strcmp(native, "arm64") == 0 && strcmp(a, "SCMP_ARCH_AARCH64") == 0))) {
			json_array_append(archs, json_object_get(v, "architecture"));
			json_array_extend(archs, json_object_get(v, "subArchitectures"));
		}
	}
	json_object_set_new(out, "architectures", archs);
	json_array_foreach(json_object_get(in, "syscalls"), i, v) {
		json_t *inc = json_object_get(v, "includes"), *exc = json_object_get(v, "excludes");
		json_t *entry;

		if (json_array_size(json_object_get(inc, "arches")) > 0 &&
		    !list_has(json_object_get(inc, "arches"), native))
			continue;
		if (!kernel_at_least(mr_json_str(inc, "minKernel")))
			continue;
		/* includes.caps: all held. excludes.caps: any held excludes. */
		if (json_array_size(json_object_get(exc, "caps")) > 0 ||
		    list_has(json_object_get(exc, "arches"), native))
			continue;
		entry = json_object();
		json_object_set(entry, "names", json_object_get(v, "names"));
		json_object_set(entry, "action", json_object_get(v, "action"));
		if (json_object_get(v, "errnoRet") != NULL)
			json_object_set(entry, "errnoRet", json_object_get(v, "errnoRet"));
		if (json_array_size(json_object_get(v, "args")) > 0)
			json_object_set(entry, "args", json_object_get(v, "args"));
		*n_names += json_array_size(json_object_get(v, "names"));
		json_array_append_new(syscalls, entry);
	}
	json_object_set_new(out, "syscalls", syscalls);
	return out;
}

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

static void test_podman_profile(void)
{
	const char *file = "/usr/share/containers/seccomp.json";
	static const struct call calls[] = {
		CALL(SYS_getpid),
		CALL(SYS_kexec_load, 0, 0, 0, 0xdead0000L),   /* explicitly refused (errnoRet 1) */
		CALL(SYS_vmsplice, -1, 0, 0, 0),              /* explicitly refused */
		CALL(SYS_add_key, 0, 0, 0, 0, 0),             /* not listed: default ENOSYS */
		CALL(SYS_personality, 0x0040000),             /* a value not allowed */
		CALL(SYS_personality, 0xffffffffL),           /* an allowed value */
		CALL(SYS_getuid),
	};
	mr_error *e = NULL;
	json_t *in, *oci;
	char *text;
	size_t n_names;
	struct outcome o;
	struct timespec t0;

	if (access(file, R_OK) != 0) {
		for (int i = 0; i < 8; i++)
			printf("ok %d - # SKIP %s is absent (podman's containers-common)\n", ++tap_n, file);
		return;
	}
	in = mr_json_load_file(file, &e);
	ok(in != NULL, "podman profile: %s read", file);
	if (in == NULL)
		return;
	oci = podman_to_oci(in, &n_names);
	json_decref(in);
	text = mr_json_dump(oci, false);
	json_decref(oci);
	printf("# podman profile as OCI: %zu entries' names, %zu bytes\n", n_names, strlen(text));

	/* Timing, for the record: a few prepares of the whole profile. */
	for (int i = 0; i < 3; i++) {
		struct realexec_seccomp *s = NULL;
		json_t *j = parse(text);

		clock_gettime(CLOCK_MONOTONIC, &t0);
		realexec_seccomp_prepare(j, NULL, &s, &e);
		printf("# prepare of the podman profile (%zu names): %.2f ms\n", n_names, ms_since(&t0));
		realexec_seccomp_free(s);
		mr_error_free(&e);
		json_decref(j);
	}

	run(text, calls, 7, &o);
	free(text);
	ok(o.prepared, "podman profile: prepares (%s)", o.prep_err);
	ok(exited_ok(&o) && o.r.done == 7, "podman profile: loads, the child runs and exits (%s)",
	   o.r.load_err);
	is_int(o.r.ret[0], o.pid, "podman profile: getpid works");
	is_errno(&o, 1, EPERM, "podman profile: kexec_load refused");
	is_errno(&o, 2, EPERM, "podman profile: vmsplice refused");
	is_errno(&o, 3, ENOSYS, "podman profile: add_key (not listed) gets defaultErrnoRet");
	is_errno(&o, 4, ENOSYS, "podman profile: personality with a value not allowed");
	ok(o.r.done > 6 && o.r.ret[5] >= 0 && o.r.ret[6] == (long)getuid(),
	   "podman profile: personality query and getuid work");
}


/* ---- the cache of compiled programs ---- */

struct cache_env {
	char dir[64];          /* a private temporary directory */
	char cache[96];        /* dir/cache */
	int log_fd;            /* what prepare logged (debug and up) */
	struct mr_logger log;
};

/* What was logged since the last call, as one string (the caller frees). */
static char *take_log(struct cache_env *c)
{
	char *text = NULL;
	size_t len = 0;
	mr_error *e = NULL;

	lseek(c->log_fd, 0, SEEK_SET);
	if (mr_read_fd(c->log_fd, &text, &len, &e) < 0) {
		mr_error_free(&e);
		text = strdup("");
	}
	if (ftruncate(c->log_fd, 0) < 0)
		printf("# ftruncate: %s\n", strerror(errno));
	lseek(c->log_fd, 0, SEEK_SET);
	return text;
}

static size_t count_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	while (d != NULL && (e = readdir(d)) != NULL)
		if (e->d_name[0] != '.' || (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0))
			n++;
	if (d != NULL)
		closedir(d);
	return n;
}

/* prepare_cached on text (host NULL: this one); the log goes to *log
 * (caller frees). Returns the prepare's return code; the filter, when
 * there is one, is checked to deny mkdir with EPERM and allow getpid. */
static int cached(struct cache_env *c, const char *text, const struct realexec_seccomp_host *host,
		  char **log, bool *works)
{
	static const struct call calls[] = {
		CALL(SYS_mkdir, (long)"/nonexistent-dir/x", 0700),
		CALL(SYS_getpid),
	};
	json_t *j = parse(text);
	struct realexec_seccomp *s = NULL;
	mr_error *e = NULL;
	int rc, status;
	pid_t pid;

	rc = realexec_seccomp_prepare_cached(j, c->cache, host, &c->log, &s, &e);
	json_decref(j);
	mr_error_free(&e);
	*log = take_log(c);
	*works = false;
	if (rc < 0 || s == NULL)
		return rc;
	memset(sh, 0, sizeof *sh);
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		child(s, calls, 2, 0);
	realexec_seccomp_free(s);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	*works = WIFEXITED(status) && WEXITSTATUS(status) == 0 && sh->done == 2 &&
		 sh->ret[0] == -1 && sh->err[0] == EPERM && sh->ret[1] == pid;
	return rc;
}

static void entry_path(const struct cache_env *c, const char *text,
		       const struct realexec_seccomp_host *host, char *path, size_t size)
{
	json_t *j = parse(text);
	char key[65] = "";

	realexec_seccomp_cache_key(j, host, key);
	json_decref(j);
	snprintf(path, size, "%s/%s", c->cache, key);
}

/* Rewrites byte at (from the end when negative) of a file. */
static void flip_byte(const char *path, long at)
{
	int fd = open(path, O_RDWR);
	struct stat st;
	unsigned char b;
	off_t off;

	if (fd < 0 || fstat(fd, &st) < 0)
		return;
	off = at < 0 ? st.st_size + at : at;
	if (pread(fd, &b, 1, off) == 1) {
		b ^= 0x5a;
		if (pwrite(fd, &b, 1, off) != 1)
			printf("# pwrite: %s\n", strerror(errno));
	}
	close(fd);
}

static void test_cache(void)
{
	/* An unknown name makes the compile log (at debug level): a hit must
	 * log it again. */
	const char *profile =
		"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"mkdir\",\"mkdirat\","
		"\"no_such_syscall_at_all\"],\"action\":\"SCMP_ACT_ERRNO\"}]}";
	/* The same profile, keys in another order and spaced: the same entry. */
	const char *reordered =
		"{ \"syscalls\": [ { \"action\": \"SCMP_ACT_ERRNO\", \"names\": [\"mkdir\", \"mkdirat\","
		" \"no_such_syscall_at_all\"] } ], \"defaultAction\": \"SCMP_ACT_ALLOW\" }";
	struct cache_env c = { .log_fd = -1 };
	struct realexec_seccomp_host other;
	char path[256], other_path[256], *log = NULL;
	struct stat st;
	bool works;
	int rc;

	snprintf(c.dir, sizeof c.dir, "/tmp/mr-seccomp-cache.XXXXXX");
	if (mkdtemp(c.dir) == NULL) {
		ok(0, "cache: mkdtemp: %s", strerror(errno));
		return;
	}
	snprintf(c.cache, sizeof c.cache, "%s/cache", c.dir);
	snprintf(path, sizeof path, "%s/log", c.dir);
	c.log_fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	c.log = (struct mr_logger){ .fd = c.log_fd, .min = MR_LOG_DEBUG };
	entry_path(&c, profile, NULL, path, sizeof path);

	/* A miss compiles, logs, and stores the program. */
	rc = cached(&c, profile, NULL, &log, &works);
	ok(rc == 0 && works, "cache miss: the compiled filter works");
	ok(strstr(log, "unknown seccomp syscall") != NULL && strstr(log, "no_such_syscall_at_all") != NULL &&
	   strstr(log, "from the cache") == NULL, "cache miss: compiled (its message logged)");
	free(log);
	ok(stat(path, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0777) == 0600,
	   "cache miss: the entry is stored, mode 0600");
	ok(stat(c.cache, &st) == 0 && (st.st_mode & 0777) == 0700, "cache directory made with mode 0700");

	/* A hit loads it, and logs what the compile logged. */
	rc = cached(&c, profile, NULL, &log, &works);
	ok(rc == 0 && works, "cache hit: the cached filter works");
	ok(strstr(log, "from the cache") != NULL, "cache hit: the program came from the cache");
	ok(strstr(log, "unknown seccomp syscall") != NULL && strstr(log, "no_such_syscall_at_all") != NULL,
	   "cache hit: the compile's message is logged again");
	free(log);
	rc = cached(&c, reordered, NULL, &log, &works);
	ok(rc == 0 && works && strstr(log, "from the cache") != NULL && count_files(c.cache) == 1,
	   "cache hit: the same profile with keys reordered and spaced finds the same entry");
	free(log);

	/* Damaged entries are compiled again and replaced, never loaded. */
	flip_byte(path, -3);
	rc = cached(&c, profile, NULL, &log, &works);
	ok(rc == 0 && works && strstr(log, "damaged: compiled again") != NULL &&
	   strstr(log, "from the cache") == NULL, "cache: a flipped byte is detected, the profile compiled again");
	free(log);
	rc = cached(&c, profile, NULL, &log, &works);
	ok(rc == 0 && works && strstr(log, "from the cache") != NULL, "cache: the damaged entry was replaced");
	free(log);
	if (stat(path, &st) == 0 && truncate(path, st.st_size / 2) < 0)
		printf("# truncate: %s\n", strerror(errno));
	rc = cached(&c, profile, NULL, &log, &works);
	ok(rc == 0 && works && strstr(log, "damaged: compiled again") != NULL,
	   "cache: a truncated entry is detected, the profile compiled again");
	free(log);
	if (truncate(path, 0) < 0)
		printf("# truncate: %s\n", strerror(errno));
	rc = cached(&c, profile, NULL, &log, &works);
	ok(rc == 0 && works && strstr(log, "damaged: compiled again") != NULL,
	   "cache: an empty entry is detected, the profile compiled again");
	free(log);
	flip_byte(path, 8);
	rc = cached(&c, profile, NULL, &log, &works);
	ok(rc == 0 && works && strstr(log, "damaged: compiled again") != NULL,
	   "cache: an entry holding another key is detected, the profile compiled again");
	free(log);

	/* Another kernel, or another architecture, is another entry. */
	realexec_seccomp_host_detect(&other);
	snprintf(other.kernel, sizeof other.kernel, "%s", "0.0.1-another-kernel");
	entry_path(&c, profile, &other, other_path, sizeof other_path);
	ok(strcmp(path, other_path) != 0, "cache: another kernel release gives another key");
	rc = cached(&c, profile, &other, &log, &works);
	ok(rc == 0 && works && strstr(log, "from the cache") == NULL && count_files(c.cache) == 2,
	   "cache: another kernel release misses and compiles");
	free(log);
	realexec_seccomp_host_detect(&other);
	other.native_arch ^= 1;
	entry_path(&c, profile, &other, other_path, sizeof other_path);
	ok(strcmp(path, other_path) != 0, "cache: another architecture gives another key");
	realexec_seccomp_host_detect(&other);
	other.flag_bits ^= 1;
	entry_path(&c, profile, &other, other_path, sizeof other_path);
	ok(strcmp(path, other_path) != 0, "cache: other seccomp flags support gives another key");
	realexec_seccomp_host_detect(&other);
	entry_path(&c, profile, &other, other_path, sizeof other_path);
	ok(strcmp(path, other_path) == 0, "cache: the host as detected gives this host's key");

	/* What the program needs beyond its instructions comes back too. */
	{
		const char *notify = "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"/run/agent.sock\","
				     "\"syscalls\":[{\"names\":[\"mkdirat\"],\"action\":\"SCMP_ACT_NOTIFY\"}]}";
		bool ok_both = true;
		for (int i = 0; i < 2; i++) {
			json_t *j = parse(notify);
			struct realexec_seccomp *s = NULL;
			mr_error *e = NULL;
			ok_both = ok_both && realexec_seccomp_prepare_cached(j, c.cache, NULL, &c.log, &s, &e) == 0 &&
				  realexec_seccomp_uses_notify(s);
			realexec_seccomp_free(s);
			mr_error_free(&e);
			json_decref(j);
			log = take_log(&c);
			if (i == 1)
				ok_both = ok_both && strstr(log, "from the cache") != NULL;
			free(log);
		}
		ok(ok_both, "cache hit: a notify profile still uses a listener");
		entry_path(&c, notify, NULL, other_path, sizeof other_path);
		unlink(other_path);
	}

	/* Errors are not cached; their message is the compile's. */
	rc = cached(&c, "{\"defaultAction\":\"SCMP_ACT_NOPE\"}", NULL, &log, &works);
	ok(rc < 0 && count_files(c.cache) == 2, "cache: a refused profile stores nothing");
	free(log);

	/* At most 64 entries: the oldest go. */
	for (int i = 0; i < 70; i++) {
		char old[300];
		int fd;
		snprintf(old, sizeof old, "%s/stale-%02d", c.cache, i);
		fd = open(old, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd >= 0)
			close(fd);
		utimensat(AT_FDCWD, old, (struct timespec[2]){ { 1000 + i, 0 }, { 1000 + i, 0 } }, 0);
	}
	unlink(path);
	rc = cached(&c, profile, NULL, &log, &works);
	free(log);
	snprintf(other_path, sizeof other_path, "%s/stale-00", c.cache);
	ok(rc == 0 && count_files(c.cache) == 64 && access(path, F_OK) == 0 &&
	   access(other_path, F_OK) < 0, "cache: bounded to 64 entries, the oldest evicted");

	/* A directory others may write to is not used. */
	chmod(c.cache, 0770);
	unlink(path);
	rc = cached(&c, profile, NULL, &log, &works);
	ok(rc == 0 && works && access(path, F_OK) < 0 && strstr(log, "from the cache") == NULL,
	   "cache: a directory others can write to is not used");
	free(log);

	/* No cache directory: compiled as before. */
	{
		json_t *j = parse(profile);
		struct realexec_seccomp *s = NULL;
		mr_error *e = NULL;
		ok(realexec_seccomp_prepare_cached(j, NULL, NULL, &c.log, &s, &e) == 0 && s != NULL,
		   "cache: none given, compiled");
		realexec_seccomp_free(s);
		json_decref(j);
		free(take_log(&c));
	}

	close(c.log_fd);
	{
		char cmd[128];
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", c.dir);
		if (system(cmd) != 0)
			printf("# could not remove %s\n", c.dir);
	}
}

int main(void)
{
	sh = mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	test_no_filter();
	test_known_lists();
	test_errno();
	test_default_errno();
	test_kill();
	test_trap();
	test_log_trace_allow();
	test_operators();
	test_conditions();
	test_architectures();
	test_flags();
	test_unknown_names();
	test_enosys_prefix();
	test_privileges();
	test_bad_input();
	test_notify();
	test_podman_profile();
	test_cache();
	return tap_done();
}
