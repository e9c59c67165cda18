/* linux.seccomp with libseccomp.
 *
 * prepare() builds the libseccomp context in the runtime process and exports
 * it as classic BPF right away; the container init then only makes one
 * seccomp(2) call. Exporting early means every problem with the profile
 * (bad names, a filter too big for the kernel) shows at create time, the
 * forked init allocates nothing, and the flags go to the kernel directly, so
 * SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV works with libseccomp 2.5 too.
 *
 * Semantics follow runc where the spec leaves room: unknown syscall names are
 * skipped, rules whose action equals the default action are dropped, a rule
 * with two conditions on the same argument becomes one rule per condition
 * (libseccomp refuses them in one rule), no "flags" means SPEC_ALLOW when the
 * kernel has it, and syscalls newer than any named in the profile get ENOSYS
 * instead of a blocking default action (so libc falls back, e.g. clone3 to
 * clone). Where runc is silent but the spec says MUST (errnoRet on an action
 * without an errno), the profile is refused. */
#include "realexec/seccomp.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>

#include "common/cleanup.h"
#include "common/file.h"
#include "common/sha256.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif

/* x32 syscalls run under AUDIT_ARCH_X86_64 with this bit set in the number. */
#define X32_SYSCALL_BIT 0x40000000U

struct realexec_seccomp {
	struct sock_filter *insns;
	unsigned short len;
	unsigned int flags;  /* SECCOMP_FILTER_FLAG_* for seccomp(2), listener aside */
	bool notify;
};

/* ---- value sets (sorted, as `runc features` lists them) ---- */

static const char *const action_names[] = {
	"SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS",
	"SCMP_ACT_KILL_THREAD", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY", "SCMP_ACT_TRACE",
	"SCMP_ACT_TRAP", NULL,
};
enum action_kind {
	ACT_ALLOW, ACT_ERRNO, ACT_KILL, ACT_KILL_PROCESS, ACT_KILL_THREAD, ACT_LOG,
	ACT_NOTIFY, ACT_TRACE, ACT_TRAP,
};
/* ERRNO and TRACE carry their 16-bit data in the low bits. SCMP_ACT_KILL is
 * the thread kill, as in libseccomp and runc. */
static const uint32_t action_values[] = {
	SCMP_ACT_ALLOW, SCMP_ACT_ERRNO(0), SCMP_ACT_KILL_THREAD, SCMP_ACT_KILL_PROCESS,
	SCMP_ACT_KILL_THREAD, SCMP_ACT_LOG, SCMP_ACT_NOTIFY, SCMP_ACT_TRACE(0),
	SCMP_ACT_TRAP,
};
_Static_assert(ARRAY_SIZE(action_names) == ARRAY_SIZE(action_values) + 1, "action tables");

static const char *const operator_names[] = {
	"SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_LE", "SCMP_CMP_LT",
	"SCMP_CMP_MASKED_EQ", "SCMP_CMP_NE", NULL,
};
static const enum scmp_compare operator_values[] = {
	SCMP_CMP_EQ, SCMP_CMP_GE, SCMP_CMP_GT, SCMP_CMP_LE, SCMP_CMP_LT,
	SCMP_CMP_MASKED_EQ, SCMP_CMP_NE,
};
_Static_assert(ARRAY_SIZE(operator_names) == ARRAY_SIZE(operator_values) + 1, "operator tables");

/* The architectures this libseccomp can build filters for. The spec's newer
 * names (libseccomp 2.6) appear only when the headers define them. */
static const char *const arch_names[] = {
	"SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM",
#ifdef SCMP_ARCH_LOONGARCH64
	"SCMP_ARCH_LOONGARCH64",
#endif
#ifdef SCMP_ARCH_M68K
	"SCMP_ARCH_M68K",
#endif
	"SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL",
	"SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PARISC",
	"SCMP_ARCH_PARISC64", "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64", "SCMP_ARCH_PPC64LE",
	"SCMP_ARCH_RISCV64", "SCMP_ARCH_S390", "SCMP_ARCH_S390X",
#ifdef SCMP_ARCH_SH
	"SCMP_ARCH_SH", "SCMP_ARCH_SHEB",
#endif
	"SCMP_ARCH_X32", "SCMP_ARCH_X86", "SCMP_ARCH_X86_64", NULL,
};
static const uint32_t arch_values[] = {
	SCMP_ARCH_AARCH64, SCMP_ARCH_ARM,
#ifdef SCMP_ARCH_LOONGARCH64
	SCMP_ARCH_LOONGARCH64,
#endif
#ifdef SCMP_ARCH_M68K
	SCMP_ARCH_M68K,
#endif
	SCMP_ARCH_MIPS, SCMP_ARCH_MIPS64, SCMP_ARCH_MIPS64N32, SCMP_ARCH_MIPSEL,
	SCMP_ARCH_MIPSEL64, SCMP_ARCH_MIPSEL64N32, SCMP_ARCH_PARISC,
	SCMP_ARCH_PARISC64, SCMP_ARCH_PPC, SCMP_ARCH_PPC64, SCMP_ARCH_PPC64LE,
	SCMP_ARCH_RISCV64, SCMP_ARCH_S390, SCMP_ARCH_S390X,
#ifdef SCMP_ARCH_SH
	SCMP_ARCH_SH, SCMP_ARCH_SHEB,
#endif
	SCMP_ARCH_X32, SCMP_ARCH_X86, SCMP_ARCH_X86_64,
};
_Static_assert(ARRAY_SIZE(arch_names) == ARRAY_SIZE(arch_values) + 1, "arch tables");

/* Valid in the spec but unknown to the libseccomp this was built with. */
static const char *const spec_only_archs[] = {
	"SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K", "SCMP_ARCH_SH", "SCMP_ARCH_SHEB", NULL,
};

/* TSYNC is accepted and not passed on, as runc does: the init is single
 * threaded when it loads the filter, and execve follows. */
static const char *const flag_names[] = {
	"SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
	"SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", NULL,
};
static const unsigned long flag_values[] = {
	SECCOMP_FILTER_FLAG_LOG, SECCOMP_FILTER_FLAG_SPEC_ALLOW,
	0, SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV,
};
_Static_assert(ARRAY_SIZE(flag_names) == ARRAY_SIZE(flag_values) + 1, "flag tables");

const char *const *realexec_seccomp_known_actions(void) { return action_names; }
const char *const *realexec_seccomp_known_operators(void) { return operator_names; }
const char *const *realexec_seccomp_known_archs(void) { return arch_names; }
const char *const *realexec_seccomp_known_flags(void) { return flag_names; }

static int lookup(const char *const *names, const char *s)
{
	for (int i = 0; names[i] != NULL; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

/* ---- JSON access with errors naming the field ---- */

static const char *json_kind(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "object";
	case JSON_ARRAY: return "array";
	case JSON_STRING: return "string";
	case JSON_INTEGER: return "integer";
	case JSON_REAL: return "number";
	case JSON_TRUE: case JSON_FALSE: return "boolean";
	default: return "null";
	}
}

static int type_error(mr_error **err, const char *path, const char *key,
		      const char *want, const json_t *got)
{
	return mr_error_set(err, 0, "%s%s%s: expected %s, got %s", path,
			    key != NULL ? "." : "", key != NULL ? key : "", want, json_kind(got));
}

/* obj[key]; JSON null counts as absent, as Go's decoder treats it. */
static json_t *field(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	return json_is_null(v) ? NULL : v;
}

static int get_string(json_t *obj, const char *key, const char *path,
		      const char **out, mr_error **err)
{
	json_t *v = field(obj, key);

	*out = NULL;
	if (v == NULL)
		return 0;
	if (!json_is_string(v))
		return type_error(err, path, key, "a string", v);
	*out = json_string_value(v);
	return 0;
}

/* An unsigned integer no larger than max; *present says whether it was set. */
static int get_uint(json_t *obj, const char *key, const char *path, uint64_t max,
		    bool *present, uint64_t *out, mr_error **err)
{
	json_t *v = field(obj, key);

	*present = false;
	*out = 0;
	if (v == NULL)
		return 0;
	if (!json_is_integer(v))
		return type_error(err, path, key, "an unsigned integer", v);
	if (json_integer_value(v) < 0)
		return mr_error_set(err, 0, "%s.%s: expected an unsigned integer, got %lld",
				    path, key, (long long)json_integer_value(v));
	if ((uint64_t)json_integer_value(v) > max)
		return mr_error_set(err, 0, "%s.%s: %lld is out of range (at most %llu)", path, key,
				    (long long)json_integer_value(v), (unsigned long long)max);
	*present = true;
	*out = (uint64_t)json_integer_value(v);
	return 0;
}

static int get_array(json_t *obj, const char *key, const char *path, json_t **out,
		     mr_error **err)
{
	json_t *v = field(obj, key);

	*out = v;
	if (v != NULL && !json_is_array(v))
		return type_error(err, path, key, "an array", v);
	return 0;
}

/* ---- actions ---- */

struct action {
	enum action_kind kind;
	uint32_t value;  /* the SCMP_ACT_* value, errno or trace data included */
};

static bool takes_errno(enum action_kind k)
{
	return k == ACT_ERRNO || k == ACT_TRACE;
}

/* The action named obj[action_key] with its errno from obj[errno_key]. */
static int parse_action(json_t *obj, const char *action_key, const char *errno_key,
			const char *path, struct action *out, mr_error **err)
{
	const char *name;
	uint64_t errnum;
	bool has_errno;
	int i;

	if (get_string(obj, action_key, path, &name, err) < 0)
		return -1;
	if (name == NULL || name[0] == '\0')
		return mr_error_set(err, 0, "%s.%s is required", path, action_key);
	i = lookup(action_names, name);
	if (i < 0)
		return mr_error_set(err, 0, "string %s is not a valid action for seccomp", name);
	/* Kernel and libseccomp keep 16 bits; the kernel caps errno at 4095. */
	if (get_uint(obj, errno_key, path, 0xffff, &has_errno, &errnum, err) < 0)
		return -1;
	out->kind = (enum action_kind)i;
	out->value = action_values[i];
	if (has_errno && !takes_errno(out->kind))
		return mr_error_set(err, 0, "%s.%s is set but %s does not return an errno "
				    "(only SCMP_ACT_ERRNO and SCMP_ACT_TRACE do)", path, errno_key, name);
	if (takes_errno(out->kind))
		out->value |= has_errno ? (uint32_t)errnum : (uint32_t)EPERM;
	return 0;
}

/* ---- compiling the profile ---- */

/* The messages a compile logged, kept to be logged again when its program
 * comes from the cache: records of a level byte ('0' + level) and the
 * text, NUL-terminated. */
struct notes {
	char *buf;
	size_t len;
	bool oom;
};

struct compile {
	scmp_filter_ctx ctx;
	const struct mr_logger *log;
	struct notes *notes;      /* or NULL */
	json_t *syscalls;         /* linux.seccomp.syscalls or NULL */
	const char *listener_path;
	struct action def;
	bool def_errno_is_enosys;
	uint32_t archs[32];       /* libseccomp tokens in the filter, native first */
	size_t n_archs;
	unsigned long flags;
	bool notify;
};

static void release_ctx(scmp_filter_ctx *ctx)
{
	if (*ctx != NULL)
		seccomp_release(*ctx);
}

/* mr_log for the compile, which also keeps the message in c->notes. */
__attribute__((format(printf, 3, 4)))
static void note(struct compile *c, enum mr_log_level level, const char *fmt, ...)
{
	cleanup_free char *text = NULL;
	va_list ap;
	int n;
	char *grown;

	va_start(ap, fmt);
	n = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (n < 0) {
		text = NULL;
		if (c->notes != NULL)
			c->notes->oom = true;
		return;
	}
	mr_log(c->log, level, "%s", text);
	if (c->notes == NULL)
		return;
	grown = realloc(c->notes->buf, c->notes->len + (size_t)n + 2);
	if (grown == NULL) {
		c->notes->oom = true;
		return;
	}
	c->notes->buf = grown;
	grown[c->notes->len] = (char)('0' + level);
	memcpy(grown + c->notes->len + 1, text, (size_t)n + 1);
	c->notes->len += (size_t)n + 2;
}

/* A flag is usable when the kernel gets past flag validation: with a NULL
 * program it then fails with EFAULT. WAIT_KILLABLE_RECV is only valid with a
 * listener, so it is probed together with NEW_LISTENER. */
static bool kernel_has_flag(unsigned long flag)
{
	if (flag == SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV)
		flag |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
	return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flag, NULL) < 0 && errno == EFAULT;
}

const char **realexec_seccomp_supported_flags(void)
{
	const char **out = calloc(ARRAY_SIZE(flag_values) + 1, sizeof *out);
	size_t n = 0;

	if (out == NULL)
		return NULL;
	for (size_t i = 0; i < ARRAY_SIZE(flag_values); i++)
		if (flag_values[i] == 0 || kernel_has_flag(flag_values[i]))
			out[n++] = flag_names[i];
	return out;
}

static int parse_flags(struct compile *c, json_t *seccomp, mr_error **err)
{
	json_t *flags, *v;
	size_t i;

	if (get_array(seccomp, "flags", "linux.seccomp", &flags, err) < 0)
		return -1;
	/* No "flags" at all (not even []) means SPEC_ALLOW when available: runc's
	 * default, which keeps seccomp from forcing the SSB mitigation on. */
	if (flags == NULL) {
		if (kernel_has_flag(SECCOMP_FILTER_FLAG_SPEC_ALLOW))
			c->flags |= SECCOMP_FILTER_FLAG_SPEC_ALLOW;
		return 0;
	}
	json_array_foreach(flags, i, v) {
		int k;

		if (!json_is_string(v))
			return mr_error_set(err, 0, "linux.seccomp.flags[%zu]: expected a string, got %s",
					    i, json_kind(v));
		k = lookup(flag_names, json_string_value(v));
		if (k < 0)
			return mr_error_set(err, 0, "seccomp flag %s is not known to mockrunc",
					    json_string_value(v));
		if (flag_values[k] != 0 && !kernel_has_flag(flag_values[k]))
			return mr_error_set(err, 0, "seccomp flag %s is not supported by this kernel",
					    json_string_value(v));
		c->flags |= flag_values[k];
	}
	return 0;
}

static int add_arch(struct compile *c, uint32_t token, const char *name, mr_error **err)
{
	int rc;

	for (size_t i = 0; i < c->n_archs; i++)
		if (c->archs[i] == token)
			return 0;
	if (c->n_archs == ARRAY_SIZE(c->archs))
		return mr_error_set(err, 0, "too many seccomp architectures");
	rc = seccomp_arch_add(c->ctx, token);
	/* One filter holds architectures of a single endianness and word
	 * layout; this kernel cannot run the others (s390x on x86_64), so
	 * there is nothing of theirs to filter. */
	if (rc == -EDOM) {
		note(c, MR_LOG_DEBUG, "seccomp architecture %s ignored: it cannot run here", name);
		return 0;
	}
	if (rc < 0 && rc != -EEXIST)
		return mr_error_set(err, -rc, "error adding architecture to seccomp filter");
	c->archs[c->n_archs++] = token;
	return 0;
}

static int parse_archs(struct compile *c, json_t *seccomp, mr_error **err)
{
	json_t *archs, *v;
	size_t i;

	/* seccomp_init() put the native architecture in already. */
	c->archs[c->n_archs++] = seccomp_arch_native();
	if (get_array(seccomp, "architectures", "linux.seccomp", &archs, err) < 0)
		return -1;
	json_array_foreach(archs, i, v) {
		const char *name;
		int k;

		if (!json_is_string(v))
			return mr_error_set(err, 0, "linux.seccomp.architectures[%zu]: expected a string, got %s",
					    i, json_kind(v));
		name = json_string_value(v);
		k = lookup(arch_names, name);
		if (k < 0 && lookup(spec_only_archs, name) >= 0)
			return mr_error_set(err, 0, "seccomp architecture %s is not supported by libseccomp %d.%d.%d",
					    name, SCMP_VER_MAJOR, SCMP_VER_MINOR, SCMP_VER_MICRO);
		if (k < 0)
			return mr_error_set(err, 0, "string %s is not a valid arch for seccomp", name);
		if (add_arch(c, arch_values[k], name, err) < 0)
			return -1;
	}
	return 0;
}

struct rule_args {
	struct scmp_arg_cmp cmp[64];
	unsigned int n;
	bool same_index;  /* two conditions on one argument */
};

static int parse_args(json_t *entry, const char *path, struct rule_args *ra, mr_error **err)
{
	json_t *args, *a;
	unsigned int per_index[6] = { 0 };
	size_t i;

	ra->n = 0;
	ra->same_index = false;
	if (get_array(entry, "args", path, &args, err) < 0)
		return -1;
	if (args != NULL && json_array_size(args) > ARRAY_SIZE(ra->cmp))
		return mr_error_set(err, 0, "%s.args: %zu conditions, at most %zu are supported",
				    path, json_array_size(args), ARRAY_SIZE(ra->cmp));
	json_array_foreach(args, i, a) {
		char apath[96];
		uint64_t index, value, value_two;
		bool has_index, has_value, has_two;
		const char *op;
		int k;

		snprintf(apath, sizeof apath, "%s.args[%zu]", path, i);
		if (!json_is_object(a))
			return type_error(err, apath, NULL, "an object", a);
		if (get_uint(a, "index", apath, UINT32_MAX, &has_index, &index, err) < 0 ||
		    get_uint(a, "value", apath, UINT64_MAX, &has_value, &value, err) < 0 ||
		    get_uint(a, "valueTwo", apath, UINT64_MAX, &has_two, &value_two, err) < 0 ||
		    get_string(a, "op", apath, &op, err) < 0)
			return -1;
		if (!has_index)
			return mr_error_set(err, 0, "%s.index is required", apath);
		if (index > 5)
			return mr_error_set(err, 0, "%s.index: %llu is out of range "
					    "(syscalls have 6 arguments, 0 to 5)", apath,
					    (unsigned long long)index);
		if (!has_value)
			return mr_error_set(err, 0, "%s.value is required", apath);
		if (op == NULL || op[0] == '\0')
			return mr_error_set(err, 0, "%s.op is required", apath);
		k = lookup(operator_names, op);
		if (k < 0)
			return mr_error_set(err, 0, "string %s is not a valid operator for seccomp", op);
		/* For MASKED_EQ libseccomp takes the mask first, as the spec's
		 * value/valueTwo order does: (arg & value) == valueTwo. */
		ra->cmp[ra->n++] = (struct scmp_arg_cmp){
			.arg = (unsigned int)index, .op = operator_values[k],
			.datum_a = value, .datum_b = value_two,
		};
		if (++per_index[index] > 1)
			ra->same_index = true;
	}
	return 0;
}

static int add_rules(struct compile *c, const char *name, int nr, const struct action *act,
		     const struct rule_args *ra, mr_error **err)
{
	int rc;

	if (ra->n == 0) {
		rc = seccomp_rule_add_array(c->ctx, act->value, nr, 0, NULL);
		if (rc < 0)
			return mr_error_set(err, -rc, "error adding seccomp filter rule for syscall %s", name);
		return 0;
	}
	/* libseccomp takes one condition per argument in a rule; runc then adds
	 * each condition as a rule of its own (so they match as OR). */
	if (ra->same_index) {
		for (unsigned int i = 0; i < ra->n; i++) {
			rc = seccomp_rule_add_array(c->ctx, act->value, nr, 1, &ra->cmp[i]);
			if (rc < 0)
				return mr_error_set(err, -rc, "error adding seccomp rule for syscall %s", name);
		}
		return 0;
	}
	rc = seccomp_rule_add_array(c->ctx, act->value, nr, ra->n, ra->cmp);
	if (rc < 0)
		return mr_error_set(err, -rc, "error adding seccomp rule for syscall %s", name);
	return 0;
}

static int add_entry(struct compile *c, json_t *entry, size_t idx, mr_error **err)
{
	char path[64];
	struct action act;
	struct rule_args ra;
	json_t *names, *v;
	size_t i;

	snprintf(path, sizeof path, "linux.seccomp.syscalls[%zu]", idx);
	if (!json_is_object(entry))
		return type_error(err, path, NULL, "an object", entry);
	if (parse_action(entry, "action", "errnoRet", path, &act, err) < 0 ||
	    get_array(entry, "names", path, &names, err) < 0 ||
	    parse_args(entry, path, &ra, err) < 0)
		return -1;
	if (names == NULL)
		return mr_error_set(err, 0, "%s.names is required", path);
	json_array_foreach(names, i, v) {
		const char *name;

		if (!json_is_string(v))
			return mr_error_set(err, 0, "%s.names[%zu]: expected a string, got %s",
					    path, i, json_kind(v));
		name = json_string_value(v);
		if (name[0] == '\0')
			return mr_error_set(err, 0, "empty string is not a valid syscall");
		/* The init still talks to the runtime after the load (to hand
		 * over the listener): a notified write would block it before
		 * any agent has the listener. runc refuses it likewise. */
		if (act.kind == ACT_NOTIFY && strcmp(name, "write") == 0)
			return mr_error_set(err, 0, "SCMP_ACT_NOTIFY cannot be used for the write syscall");
	}
	if (act.kind == ACT_NOTIFY) {
		if (c->listener_path == NULL || c->listener_path[0] == '\0')
			return mr_error_set(err, 0, "seccomp listenerPath is not set");
		c->notify = true;
	}
	/* libseccomp refuses a rule that repeats the default action. */
	if (act.value == c->def.value)
		return 0;
	json_array_foreach(names, i, v) {
		const char *name = json_string_value(v);
		int nr = seccomp_syscall_resolve_name(name);

		if (nr == __NR_SCMP_ERROR) {
			/* Profiles list syscalls of newer kernels and other
			 * architectures; runc skips what it cannot resolve. */
			note(c, MR_LOG_DEBUG, "unknown seccomp syscall \"%s\" ignored", name);
			continue;
		}
		if (add_rules(c, name, nr, &act, &ra, err) < 0)
			return -1;
	}
	return 0;
}

static size_t count_names(json_t *syscalls)
{
	json_t *entry;
	size_t i, n = 0;

	json_array_foreach(syscalls, i, entry)
		n += json_array_size(json_object_get(entry, "names"));
	return n;
}

/* ---- BPF: export and the ENOSYS prefix ---- */

struct bpf_prog {
	struct sock_filter *insns;
	size_t len, cap;
	bool oom;
};

static void bpf_free(struct bpf_prog *p)
{
	free(p->insns);
}

static size_t bpf_emit(struct bpf_prog *p, uint16_t code, uint32_t k, uint8_t jt, uint8_t jf)
{
	if (p->len == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;
		struct sock_filter *n = realloc(p->insns, cap * sizeof *n);

		if (n == NULL) {
			p->oom = true;
			return p->len;
		}
		p->insns = n;
		p->cap = cap;
	}
	p->insns[p->len] = (struct sock_filter)BPF_JUMP(code, k, jt, jf);
	return p->len++;
}

/* Forward jumps are emitted with a placeholder and patched once the target
 * is known; only `ja` has room for any distance, so a conditional jump to a
 * far label is "cond: next, else skip one" followed by a `ja`. */
struct label {
	size_t from[128];
	size_t n;
};

static void jump_to(struct bpf_prog *p, struct label *l)
{
	size_t at = bpf_emit(p, BPF_JMP | BPF_JA, 0, 0, 0);

	if (!p->oom && l->n < ARRAY_SIZE(l->from))
		l->from[l->n++] = at;
	else
		p->oom = true;
}

static void jump_if(struct bpf_prog *p, uint16_t cond, uint32_t k, struct label *l)
{
	bpf_emit(p, BPF_JMP | cond | BPF_K, k, 0, 1);
	jump_to(p, l);
}

static void place(struct bpf_prog *p, struct label *l)
{
	for (size_t i = 0; !p->oom && i < l->n; i++)
		p->insns[l->from[i]].k = (uint32_t)(p->len - l->from[i] - 1);
	l->n = 0;
}

/* The highest syscall number any name of the profile has on arch. */
static uint32_t highest_syscall(json_t *syscalls, uint32_t arch)
{
	json_t *entry, *v;
	size_t i, j;
	int top = 0;

	json_array_foreach(syscalls, i, entry) {
		json_array_foreach(json_object_get(entry, "names"), j, v) {
			int nr;

			if (!json_is_string(v))
				continue;
			nr = seccomp_syscall_resolve_name_arch(arch, json_string_value(v));

			/* Negative: unknown, or a pseudo number for a syscall
			 * this architecture does not have. */
			if (nr > top)
				top = nr;
		}
	}
	return (uint32_t)top;
}

/* Syscalls numbered above everything the profile names are newer than the
 * profile: they return ENOSYS rather than the default action, so libc's
 * fallbacks work as they do on an older kernel. Per audit architecture:
 *
 *	ld arch; (jeq AUDIT_i -> section_i)*; ja filter
 *	section_i: ld nr; [s390: nr == 0 -> enosys]
 *	    [x86_64: x32 bit set -> x32 part]; nr > max -> enosys; ja filter
 *	    [x32 part: nr > max_x32 -> enosys; ja filter]
 *	enosys: ret ERRNO(ENOSYS)
 *	filter: the libseccomp program */
static int enosys_prefix(const struct compile *c, struct bpf_prog *p, mr_error **err)
{
	struct section {
		uint32_t audit;
		uint32_t max;      /* 0: no known syscall, nothing to add */
		uint32_t max_x32;  /* x86_64 only */
		bool s390;
	} sec[ARRAY_SIZE(c->archs)];
	size_t n = 0;
	struct label to_sec[ARRAY_SIZE(c->archs)] = { 0 }, filter = { 0 }, enosys = { 0 };

	for (size_t i = 0; i < c->n_archs; i++) {
		uint32_t arch = c->archs[i], audit = arch == SCMP_ARCH_X32 ? AUDIT_ARCH_X86_64 : arch;
		uint32_t top = highest_syscall(c->syscalls, arch);
		size_t s;

		for (s = 0; s < n && sec[s].audit != audit; s++)
			;
		if (s == n)
			sec[n++] = (struct section){ .audit = audit,
				.s390 = arch == SCMP_ARCH_S390 || arch == SCMP_ARCH_S390X };
		if (arch == SCMP_ARCH_X32)
			sec[s].max_x32 = top;
		else
			sec[s].max = top;
	}

	bpf_emit(p, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch), 0, 0);
	for (size_t s = 0; s < n; s++)
		jump_if(p, BPF_JEQ, sec[s].audit, &to_sec[s]);
	jump_to(p, &filter);
	for (size_t s = 0; s < n; s++) {
		struct label x32 = { 0 };

		place(p, &to_sec[s]);
		bpf_emit(p, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr), 0, 0);
		/* s390 multiplexes syscalls the kernel does not know to number 0. */
		if (sec[s].s390)
			jump_if(p, BPF_JEQ, 0, &enosys);
		if (sec[s].audit == AUDIT_ARCH_X86_64)
			jump_if(p, BPF_JSET, X32_SYSCALL_BIT, &x32);
		if (sec[s].max != 0)
			jump_if(p, BPF_JGT, sec[s].max, &enosys);
		jump_to(p, &filter);
		if (sec[s].audit == AUDIT_ARCH_X86_64) {
			place(p, &x32);
			if (sec[s].max_x32 != 0)
				jump_if(p, BPF_JGT, sec[s].max_x32, &enosys);
			jump_to(p, &filter);
		}
	}
	place(p, &enosys);
	bpf_emit(p, BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS, 0, 0);
	place(p, &filter);
	if (p->oom)
		return mr_error_set(err, ENOMEM, "error generating seccomp ENOSYS prefix");
	return 0;
}

/* Appends libseccomp's program for ctx to p. */
static int export_bpf(scmp_filter_ctx ctx, struct bpf_prog *p, mr_error **err)
{
	cleanup_close int fd = memfd_create("seccomp-bpf", MFD_CLOEXEC);
	struct stat st;
	size_t n;
	int rc;

	if (fd < 0)
		return mr_error_set(err, errno, "memfd_create");
	rc = seccomp_export_bpf(ctx, fd);
	if (rc < 0)
		return mr_error_set(err, -rc, "error exporting seccomp filter");
	if (fstat(fd, &st) < 0)
		return mr_error_set(err, errno, "fstat seccomp filter");
	if (st.st_size <= 0 || st.st_size % sizeof(struct sock_filter) != 0)
		return mr_error_set(err, 0, "error exporting seccomp filter: %lld bytes is no BPF program",
				    (long long)st.st_size);
	n = (size_t)st.st_size / sizeof(struct sock_filter);
	if (p->len + n > p->cap) {
		struct sock_filter *grown = realloc(p->insns, (p->len + n) * sizeof *grown);

		if (grown == NULL)
			return mr_error_set(err, ENOMEM, "error exporting seccomp filter");
		p->insns = grown;
		p->cap = p->len + n;
	}
	if (pread(fd, p->insns + p->len, (size_t)st.st_size, 0) != st.st_size)
		return mr_error_set(err, errno ? errno : EIO, "error reading seccomp filter");
	p->len += n;
	return 0;
}

/* ---- the public functions ---- */

/* The profile compiled with libseccomp; what it logs goes to log and, when
 * notes is not NULL, into notes. */
static int compile_profile(json_t *seccomp, const struct mr_logger *log, struct notes *notes,
			   struct realexec_seccomp **out, mr_error **err)
{
	__attribute__((cleanup(release_ctx))) scmp_filter_ctx ctx = NULL;
	__attribute__((cleanup(bpf_free))) struct bpf_prog prog = { 0 };
	struct compile c = { .log = log, .notes = notes };
	const char *def_name, *metadata;
	struct realexec_seccomp *s;
	json_t *entry;
	size_t i;

	*out = NULL;
	if (get_string(seccomp, "defaultAction", "linux.seccomp", &def_name, err) < 0 ||
	    get_array(seccomp, "syscalls", "linux.seccomp", &c.syscalls, err) < 0 ||
	    get_string(seccomp, "listenerPath", "linux.seccomp", &c.listener_path, err) < 0 ||
	    get_string(seccomp, "listenerMetadata", "linux.seccomp", &metadata, err) < 0)
		return -1;
	/* runc reads a profile with neither as "no seccomp", not as an error. */
	if ((def_name == NULL || def_name[0] == '\0') && json_array_size(c.syscalls) == 0) {
		note(&c, MR_LOG_WARNING, "linux.seccomp has no defaultAction and no syscalls: "
		     "no seccomp filter is loaded");
		return 0;
	}
	if (parse_action(seccomp, "defaultAction", "defaultErrnoRet", "linux.seccomp", &c.def, err) < 0)
		return -1;
	if (c.def.kind == ACT_NOTIFY)
		return mr_error_set(err, 0, "SCMP_ACT_NOTIFY cannot be used as default action");
	c.def_errno_is_enosys = c.def.kind == ACT_ERRNO && (c.def.value & SECCOMP_RET_DATA) == ENOSYS;

	ctx = seccomp_init(c.def.value);
	if (ctx == NULL)
		return mr_error_set(err, 0, "error creating filter");
	c.ctx = ctx;
	if (parse_archs(&c, seccomp, err) < 0 || parse_flags(&c, seccomp, err) < 0)
		return -1;
	/* A binary tree instead of a linear list of syscall checks, for long
	 * profiles (runc's threshold; libseccomp 2.5 misbehaves with none). */
	if (count_names(c.syscalls) > 32 && seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2) < 0)
		note(&c, MR_LOG_DEBUG, "seccomp binary tree optimization not available");
	json_array_foreach(c.syscalls, i, entry)
		if (add_entry(&c, entry, i, err) < 0)
			return -1;
	if (c.notify && seccomp_api_get() < 5)
		return mr_error_set(err, 0, "seccomp notify unsupported: libseccomp API level %u, "
				    "want at least 5 (libseccomp >= 2.5.0, Linux >= 5.0)",
				    seccomp_api_get());

	/* runc's rule: permissive defaults need no prefix, nor a default that
	 * already answers ENOSYS. */
	if (c.def.kind != ACT_ALLOW && c.def.kind != ACT_LOG && c.def.kind != ACT_TRACE &&
	    !c.def_errno_is_enosys && enosys_prefix(&c, &prog, err) < 0)
		return -1;
	if (export_bpf(ctx, &prog, err) < 0)
		return -1;
	if (prog.len > BPF_MAXINSNS)
		return mr_error_set(err, 0, "seccomp filter has %zu instructions, the kernel takes at most %d",
				    prog.len, BPF_MAXINSNS);

	s = calloc(1, sizeof *s);
	if (s == NULL)
		return mr_error_set(err, ENOMEM, "seccomp");
	s->insns = mr_steal_ptr(prog.insns);
	s->len = (unsigned short)prog.len;
	s->notify = c.notify;
	/* The kill-on-wait flag only concerns notifications; without a listener
	 * the kernel refuses it, so it is kept only where it means something. */
	s->flags = (unsigned int)(c.notify ? c.flags : c.flags & ~SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV);
	*out = s;
	return 0;
}

int realexec_seccomp_prepare(json_t *seccomp, const struct mr_logger *log,
			     struct realexec_seccomp **out, mr_error **err)
{
	return realexec_seccomp_prepare_cached(seccomp, NULL, NULL, log, out, err);
}

/* ---- the cache of compiled programs ----
 *
 * Compiling docker's default profile for three architectures costs about
 * 15 ms, more than the rest of a container start; engines start the same
 * few profiles over and over. An entry is named by the sha256 of the key
 * text (key_text()) and holds:
 *	header (struct entry_header)
 *	the program (ninsns sock_filter)
 *	the messages the compile logged (nnotes bytes of struct notes)
 * The header holds the sha256 of the rest: an entry cut short or damaged
 * (a crash, a full disk) is recompiled and replaced, never loaded. */

#define CACHE_MAGIC "MRSECCP1"
#define CACHE_MAX_ENTRIES 64
#define CACHE_MAX_NOTES 65536

struct entry_header {
	char magic[8];
	char key[64];         /* the entry's name again: a copied file is caught */
	char digest[64];      /* sha256 of what follows the header */
	uint32_t flags;
	uint32_t notify;
	uint32_t ninsns;
	uint32_t nnotes;
};

/* A flag probe per flag: a kernel that gained or lost one compiles the
 * same profile differently (SPEC_ALLOW is added when it has it). */
static unsigned kernel_flag_bits(void)
{
	unsigned bits = 0;

	for (size_t i = 0; i < ARRAY_SIZE(flag_values); i++)
		if (flag_values[i] != 0 && kernel_has_flag(flag_values[i]))
			bits |= 1U << i;
	return bits;
}

void realexec_seccomp_host_detect(struct realexec_seccomp_host *h)
{
	const struct scmp_version *v = seccomp_version();
	struct utsname u;
	struct stat st;

	memset(h, 0, sizeof *h);
	if (uname(&u) == 0) {
		snprintf(h->kernel, sizeof h->kernel, "%s", u.release);
		snprintf(h->machine, sizeof h->machine, "%s", u.machine);
	}
	h->native_arch = seccomp_arch_native();
	h->api_level = seccomp_api_get();
	h->flag_bits = kernel_flag_bits();
	if (v != NULL)
		snprintf(h->libseccomp, sizeof h->libseccomp, "%u.%u.%u", v->major, v->minor, v->micro);
	/* The program doing the compiling: another build may compile the
	 * same profile differently. */
	if (stat("/proc/self/exe", &st) == 0)
		snprintf(h->program, sizeof h->program, "%llu:%llu:%lld:%lld.%09ld",
			 (unsigned long long)st.st_dev, (unsigned long long)st.st_ino,
			 (long long)st.st_size, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
}

/* Everything the compiled program depends on, the profile last in its
 * canonical form (keys sorted, no spaces; array order is kept, as it
 * orders the rules). */
static char *key_text(json_t *seccomp, const struct realexec_seccomp_host *h)
{
	cleanup_free char *profile = json_dumps(seccomp, JSON_COMPACT | JSON_SORT_KEYS);
	char *text = NULL;

	if (profile == NULL ||
	    asprintf(&text, "mockrunc seccomp cache 1\nkernel %s %s\nlibseccomp %s api %u arch %u\n"
		     "flags %u\nprogram %s\nprofile %s", h->kernel, h->machine, h->libseccomp,
		     h->api_level, h->native_arch, h->flag_bits, h->program, profile) < 0)
		return NULL;
	return text;
}

int realexec_seccomp_cache_key(json_t *seccomp, const struct realexec_seccomp_host *host,
			       char key[65])
{
	struct realexec_seccomp_host here;
	cleanup_free char *text = NULL;

	if (host == NULL) {
		realexec_seccomp_host_detect(&here);
		host = &here;
	}
	text = key_text(seccomp, host);
	if (text == NULL)
		return -1;
	mr_sha256_hex(text, strlen(text), key);
	return 0;
}

const char *realexec_seccomp_cache_dir(void)
{
	const char *dir = getenv("MOCKRUNC_SECCOMP_CACHE");

	if (dir == NULL)
		return "/run/mockrunc-seccomp-cache";
	if (*dir == '\0' || strcmp(dir, "off") == 0)
		return NULL;
	return dir;
}

/* The cache directory, made when missing: only one of our own that no one
 * else can write to is used. */
static bool cache_dir_usable(const char *dir)
{
	struct stat st;

	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return false;
	return lstat(dir, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == geteuid() &&
	       (st.st_mode & 077) == 0;
}

/* The entry for key, when it is whole: its program in *out and its
 * messages logged again. Else NULL, and *damaged says whether a file was
 * there. */
static struct realexec_seccomp *cache_load(const char *dir, const char *key,
					   const struct mr_logger *log, bool *damaged)
{
	cleanup_free char *path = mr_path_join(dir, key);
	cleanup_free char *data = NULL;
	cleanup_close int fd = -1;
	cleanup_error mr_error *ignored = NULL;
	struct entry_header h;
	struct realexec_seccomp *s;
	struct stat st;
	char digest[65];
	size_t len = 0, prog_len;

	*damaged = false;
	fd = path != NULL ? open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC) : -1;
	if (fd < 0)
		return NULL;
	*damaged = true;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
	    st.st_size < (off_t)sizeof h || st.st_size > (off_t)(sizeof h + BPF_MAXINSNS * 8 + CACHE_MAX_NOTES) ||
	    mr_read_fd(fd, &data, &len, &ignored) < 0 || len < sizeof h)
		return NULL;
	memcpy(&h, data, sizeof h);
	prog_len = (size_t)h.ninsns * sizeof(struct sock_filter);
	if (memcmp(h.magic, CACHE_MAGIC, sizeof h.magic) != 0 || memcmp(h.key, key, sizeof h.key) != 0 ||
	    h.ninsns == 0 || h.ninsns > BPF_MAXINSNS || h.nnotes > CACHE_MAX_NOTES ||
	    len != sizeof h + prog_len + h.nnotes || (h.nnotes > 0 && data[len - 1] != '\0'))
		return NULL;
	mr_sha256_hex(data + sizeof h, len - sizeof h, digest);
	if (memcmp(digest, h.digest, sizeof h.digest) != 0)
		return NULL;
	s = calloc(1, sizeof *s);
	if (s == NULL || (s->insns = malloc(prog_len)) == NULL) {
		free(s);
		*damaged = false;
		return NULL;
	}
	memcpy(s->insns, data + sizeof h, prog_len);
	s->len = (unsigned short)h.ninsns;
	s->flags = h.flags;
	s->notify = h.notify != 0;
	for (size_t at = sizeof h + prog_len; at < len; at += strlen(data + at) + 1) {
		int level = data[at] - '0';
		if (level >= MR_LOG_DEBUG && level <= MR_LOG_ERROR && data[at + 1] != '\0')
			mr_log(log, (enum mr_log_level)level, "%s", data + at + 1);
	}
	*damaged = false;
	return s;
}

struct cached_file {
	char name[NAME_MAX + 1];
	struct timespec mtime;
};

static int older_first(const void *a, const void *b)
{
	const struct timespec *x = &((const struct cached_file *)a)->mtime;
	const struct timespec *y = &((const struct cached_file *)b)->mtime;

	if (x->tv_sec != y->tv_sec)
		return x->tv_sec < y->tv_sec ? -1 : 1;
	return x->tv_nsec < y->tv_nsec ? -1 : x->tv_nsec > y->tv_nsec;
}

/* At most CACHE_MAX_ENTRIES files (entries, and temporaries a crash left
 * behind): the oldest go first. Racing evictions are harmless, an entry
 * removed under a reader stays readable through its open fd. */
static void cache_evict(const char *dir)
{
	cleanup_dir DIR *d = opendir(dir);
	cleanup_free struct cached_file *files = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;

	while (d != NULL && (e = readdir(d)) != NULL) {
		struct stat st;
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
		    fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (n == cap) {
			struct cached_file *grown = realloc(files, (cap = cap ? cap * 2 : 64) * sizeof *files);
			if (grown == NULL)
				return;
			files = grown;
		}
		snprintf(files[n].name, sizeof files[n].name, "%s", e->d_name);
		files[n++].mtime = st.st_mtim;
	}
	if (n <= CACHE_MAX_ENTRIES)
		return;
	qsort(files, n, sizeof *files, older_first);
	for (size_t i = 0; i < n - CACHE_MAX_ENTRIES; i++)
		unlinkat(dirfd(d), files[i].name, 0);
}

/* Stores a compiled program; a failure only costs the next call a
 * compile, so it is logged at debug level and otherwise ignored. */
static void cache_store(const char *dir, const char *key, const struct realexec_seccomp *s,
			const struct notes *notes, const struct mr_logger *log)
{
	size_t prog_len = (size_t)s->len * sizeof(struct sock_filter);
	size_t len = sizeof(struct entry_header) + prog_len + notes->len;
	cleanup_free char *data = malloc(len);
	cleanup_free char *path = mr_path_join(dir, key);
	cleanup_error mr_error *err = NULL;
	struct entry_header h = { .flags = s->flags, .notify = s->notify, .ninsns = s->len,
				  .nnotes = (uint32_t)notes->len };
	char digest[65];

	if (data == NULL || path == NULL || notes->oom || notes->len > CACHE_MAX_NOTES)
		return;
	memcpy(h.magic, CACHE_MAGIC, sizeof h.magic);
	memcpy(h.key, key, sizeof h.key);
	memcpy(data + sizeof h, s->insns, prog_len);
	if (notes->len > 0)
		memcpy(data + sizeof h + prog_len, notes->buf, notes->len);
	mr_sha256_hex(data + sizeof h, len - sizeof h, digest);
	memcpy(h.digest, digest, sizeof h.digest);
	memcpy(data, &h, sizeof h);
	if (mr_write_file_replace(path, data, len, 0600, &err) < 0) {
		mr_log(log, MR_LOG_DEBUG, "seccomp program not cached: %s", err->msg);
		return;
	}
	cache_evict(dir);
}

int realexec_seccomp_prepare_cached(json_t *seccomp, const char *cache_dir,
				    const struct realexec_seccomp_host *host,
				    const struct mr_logger *log, struct realexec_seccomp **out,
				    mr_error **err)
{
	struct notes notes = { 0 };
	char key[65];
	bool damaged = false;
	int rc;

	*out = NULL;
	if (seccomp == NULL || json_is_null(seccomp))
		return 0;
	if (!json_is_object(seccomp))
		return type_error(err, "linux.seccomp", NULL, "an object", seccomp);
	if (cache_dir == NULL || realexec_seccomp_cache_key(seccomp, host, key) < 0 ||
	    !cache_dir_usable(cache_dir))
		return compile_profile(seccomp, log, NULL, out, err);
	*out = cache_load(cache_dir, key, log, &damaged);
	if (*out != NULL) {
		mr_log(log, MR_LOG_DEBUG, "seccomp program %s from the cache", key);
		return 0;
	}
	if (damaged)
		mr_log(log, MR_LOG_DEBUG, "seccomp cache entry %s is damaged: compiled again", key);
	rc = compile_profile(seccomp, log, &notes, out, err);
	/* Failures are not cached: they cost little, and their message must
	 * come out as it does now. */
	if (rc == 0 && *out != NULL)
		cache_store(cache_dir, key, *out, &notes, log);
	free(notes.buf);
	return rc;
}

int realexec_seccomp_load(struct realexec_seccomp *s, int *notify_fd, mr_error **err)
{
	struct sock_fprog fprog;
	unsigned long flags;
	long rc;

	if (notify_fd != NULL)
		*notify_fd = -1;
	if (s == NULL)
		return 0;
	fprog = (struct sock_fprog){ .len = s->len, .filter = s->insns };
	flags = s->flags | (s->notify ? SECCOMP_FILTER_FLAG_NEW_LISTENER : 0);
	rc = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &fprog);
	if (rc < 0 && errno == EACCES)
		return mr_error_set(err, errno, "error loading seccomp filter into kernel "
				    "(no_new_privs is not set and CAP_SYS_ADMIN is missing)");
	if (rc < 0)
		return mr_error_set(err, errno, "error loading seccomp filter into kernel");
	/* The kernel opens the listener close-on-exec: the container process
	 * never inherits it. */
	if (s->notify) {
		if (notify_fd != NULL)
			*notify_fd = (int)rc;
		else
			close((int)rc);
	}
	return 0;
}

int realexec_seccomp_send_listener(const char *listener_path, int notify_fd,
				   const char *state_json, mr_error **err)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	cleanup_close int sock = -1;
	size_t len, sent = 0, path_len;
	socklen_t addr_len;

	if (listener_path == NULL || listener_path[0] == '\0')
		return mr_error_set(err, 0, "seccomp listenerPath is not set");
	if (notify_fd < 0 || state_json == NULL)
		return mr_error_set(err, EINVAL, "cannot send seccomp fd to %s", listener_path);
	path_len = strlen(listener_path);
	if (path_len >= sizeof addr.sun_path)
		return mr_error_set(err, ENAMETOOLONG, "failed to connect with seccomp agent specified "
				    "in the seccomp profile: dial unix %s: connect", listener_path);
	memcpy(addr.sun_path, listener_path, path_len + 1);
	addr_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + path_len + 1);
	/* runc dials with Go, where "@name" is an abstract address (its length
	 * excludes the trailing NUL). */
	if (listener_path[0] == '@') {
		addr.sun_path[0] = '\0';
		addr_len--;
	}
	sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (sock < 0)
		return mr_error_set(err, errno, "cannot get seccomp socket");
	if (connect(sock, (struct sockaddr *)&addr, addr_len) < 0)
		return mr_error_set(err, errno, "failed to connect with seccomp agent specified "
				    "in the seccomp profile: dial unix %s: connect", listener_path);

	/* One state per connection; the fd rides with the first bytes only. */
	len = strlen(state_json);
	while (sent < len) {
		union {
			char buf[CMSG_SPACE(sizeof(int))];
			struct cmsghdr align;
		} ctl;
		struct iovec iov = { .iov_base = (char *)state_json + sent, .iov_len = len - sent };
		struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
		ssize_t n;

		if (sent == 0) {
			struct cmsghdr *cm;

			memset(&ctl, 0, sizeof ctl);
			msg.msg_control = ctl.buf;
			msg.msg_controllen = sizeof ctl.buf;
			cm = CMSG_FIRSTHDR(&msg);
			cm->cmsg_level = SOL_SOCKET;
			cm->cmsg_type = SCM_RIGHTS;
			cm->cmsg_len = CMSG_LEN(sizeof(int));
			memcpy(CMSG_DATA(cm), &notify_fd, sizeof(int));
		}
		n = sendmsg(sock, &msg, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return mr_error_set(err, n < 0 ? errno : EIO, "cannot send seccomp fd to %s",
					    listener_path);
		sent += (size_t)n;
	}
	return 0;
}

bool realexec_seccomp_uses_notify(const struct realexec_seccomp *s)
{
	return s != NULL && s->notify;
}

void realexec_seccomp_free(struct realexec_seccomp *s)
{
	if (s == NULL)
		return;
	free(s->insns);
	free(s);
}
