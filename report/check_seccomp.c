/* Checks on linux.seccomp (SPEC-CATALOG.md §2.8). Syscall names and
 * architectures are also looked up in libseccomp (SC12): a runtime built on
 * it skips or refuses what it does not know. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <seccomp.h>

#include "report/check.h"

static const char *const actions[] = {
	"SCMP_ACT_KILL", "SCMP_ACT_TRAP", "SCMP_ACT_ERRNO", "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW",
	"SCMP_ACT_LOG", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_NOTIFY", NULL,
};

static json_t *seccomp(struct check_ctx *c)
{
	return check_get(c->doc, "linux.seccomp");
}

#define EACH_SYSCALL(i, s) json_array_foreach(json_object_get(seccomp(c), "syscalls"), i, s)

CHECK_FN(SC01)
{
	json_t *v = json_object_get(seccomp(c), "defaultAction");

	if (!check_in(json_string_value(v), actions))
		check_fail(c, NULL, v, "defaultAction is missing or not a seccomp action",
			   "linux.seccomp.defaultAction");
}

CHECK_FN(SC02)
{
	json_t *s;
	size_t i;

	EACH_SYSCALL(i, s) {
		json_t *names = json_object_get(s, "names");
		if (!json_is_array(names) || json_array_size(names) == 0)
			check_fail(c, NULL, s, "syscalls entry has no name", "linux.seccomp.syscalls[%zu].names", i);
	}
}

CHECK_FN(SC03)
{
	json_t *s;
	size_t i;

	EACH_SYSCALL(i, s) {
		json_t *a = json_object_get(s, "action");
		if (!check_in(json_string_value(a), actions))
			check_fail(c, NULL, a != NULL ? a : s, "syscalls entry has no valid action",
				   "linux.seccomp.syscalls[%zu].action", i);
	}
}

static bool takes_errno(const char *action)
{
	return action != NULL && (strcmp(action, "SCMP_ACT_ERRNO") == 0 || strcmp(action, "SCMP_ACT_TRACE") == 0);
}

CHECK_FN(SC04)
{
	if (!takes_errno(json_string_value(json_object_get(seccomp(c), "defaultAction"))))
		check_fail(c, NULL, json_object_get(seccomp(c), "defaultAction"),
			   "defaultErrnoRet with an action that takes no errno", "linux.seccomp.defaultErrnoRet");
}

CHECK_FN(SC05)
{
	json_t *s;
	size_t i;

	EACH_SYSCALL(i, s)
		if (json_object_get(s, "errnoRet") != NULL && !takes_errno(json_string_value(json_object_get(s, "action"))))
			check_fail(c, NULL, json_object_get(s, "action"), "errnoRet with an action that takes no errno",
				   "linux.seccomp.syscalls[%zu]", i);
}

static const char *const architectures[] = {
	"SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32", "SCMP_ARCH_ARM", "SCMP_ARCH_AARCH64",
	"SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL",
	"SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64",
	"SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390", "SCMP_ARCH_S390X", "SCMP_ARCH_PARISC",
	"SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64", "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K",
	"SCMP_ARCH_SH", "SCMP_ARCH_SHEB", NULL,
};

CHECK_FN(SC06)
{
	json_t *a;
	size_t i;

	json_array_foreach(json_object_get(seccomp(c), "architectures"), i, a)
		if (!check_in(json_string_value(a), architectures))
			check_fail(c, NULL, a, "architecture is not an SCMP_ARCH_* value",
				   "linux.seccomp.architectures[%zu]", i);
}

CHECK_FN(SC07)
{
	static const char *const flags[] = {
		"SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
		"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", NULL,
	};
	json_t *f;
	size_t i;

	json_array_foreach(json_object_get(seccomp(c), "flags"), i, f)
		if (!check_in(json_string_value(f), flags))
			check_fail(c, NULL, f, "seccomp flag is not a SECCOMP_FILTER_FLAG_* value",
				   "linux.seccomp.flags[%zu]", i);
}

static const char *const operators[] = {
	"SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT",
	"SCMP_CMP_MASKED_EQ", NULL,
};

CHECK_FN(SC08)
{
	json_t *s, *a;
	size_t i, k;

	EACH_SYSCALL(i, s)
		json_array_foreach(json_object_get(s, "args"), k, a)
			if (!check_is_int(json_object_get(a, "index")) || !check_is_int(json_object_get(a, "value")) ||
			    !check_in(json_string_value(json_object_get(a, "op")), operators))
				check_fail(c, NULL, a, "syscall argument lacks index or value, or has no valid op",
					   "linux.seccomp.syscalls[%zu].args[%zu]", i, k);
}

CHECK_FN(SC09)
{
	if (json_object_get(seccomp(c), "listenerPath") == NULL)
		check_fail(c, NULL, json_object_get(seccomp(c), "listenerMetadata"),
			   "listenerMetadata without listenerPath", "linux.seccomp.listenerMetadata");
}

CHECK_FN(SC10)
{
	json_t *sc = seccomp(c), *s, *n;
	const char *def = json_string_value(json_object_get(sc, "defaultAction"));
	size_t i, k;

	if (json_object_get(sc, "listenerPath") == NULL)
		check_fail(c, NULL, NULL, "SCMP_ACT_NOTIFY without a listenerPath", "linux.seccomp");
	if (def != NULL && strcmp(def, "SCMP_ACT_NOTIFY") == 0)
		check_fail(c, NULL, json_object_get(sc, "defaultAction"), "SCMP_ACT_NOTIFY as the default action",
			   "linux.seccomp.defaultAction");
	EACH_SYSCALL(i, s) {
		const char *a = json_string_value(json_object_get(s, "action"));
		if (a == NULL || strcmp(a, "SCMP_ACT_NOTIFY") != 0)
			continue;
		json_array_foreach(json_object_get(s, "names"), k, n)
			if (json_is_string(n) && strcmp(json_string_value(n), "write") == 0)
				check_fail(c, NULL, n, "SCMP_ACT_NOTIFY on write (the runtime itself needs it)",
					   "linux.seccomp.syscalls[%zu].names[%zu]", i, k);
	}
}

CHECK_FN(SC11)
{
	json_t *sc = seccomp(c);
	const char *def = json_string_value(json_object_get(sc, "defaultAction"));

	if (def == NULL || json_array_size(json_object_get(sc, "syscalls")) > 0)
		return;
	if (strncmp(def, "SCMP_ACT_KILL", 13) == 0 || strcmp(def, "SCMP_ACT_TRAP") == 0 ||
	    strcmp(def, "SCMP_ACT_ERRNO") == 0)
		check_fail(c, NULL, json_object_get(sc, "defaultAction"),
			   "default action kills or fails every syscall and no rule allows any",
			   "linux.seccomp.defaultAction");
}

/* "SCMP_ARCH_X86_64" -> libseccomp's "x86_64" */
static bool arch_known(const char *name)
{
	char lower[64];
	size_t n = 0;

	if (name == NULL || strncmp(name, "SCMP_ARCH_", 10) != 0)
		return false;
	for (const char *p = name + 10; *p != '\0' && n + 1 < sizeof lower; p++)
		lower[n++] = (char)tolower((unsigned char)*p);
	lower[n] = '\0';
	return seccomp_arch_resolve_name(lower) != 0;
}

CHECK_FN(SC12)
{
	json_t *sc = seccomp(c), *s, *a, *n;
	size_t i, k;

	json_array_foreach(json_object_get(sc, "architectures"), i, a)
		if (json_is_string(a) && check_in(json_string_value(a), architectures) &&
		    !arch_known(json_string_value(a)))
			check_fail(c, "linux.seccomp.architectures", a, "libseccomp does not know this architecture",
				   "linux.seccomp.architectures[%zu]", i);
	EACH_SYSCALL(i, s) {
		json_array_foreach(json_object_get(s, "names"), k, n)
			if (json_is_string(n) && seccomp_syscall_resolve_name(json_string_value(n)) == __NR_SCMP_ERROR)
				check_fail(c, "linux.seccomp.syscalls", n, "libseccomp does not know this syscall",
					   "linux.seccomp.syscalls[%zu].names[%zu]", i, k);
		json_array_foreach(json_object_get(s, "args"), k, a) {
			json_t *idx = json_object_get(a, "index"), *v2 = json_object_get(a, "valueTwo");
			const char *op = json_string_value(json_object_get(a, "op"));
			if (json_is_number(idx) && (check_num(idx) < 0 || check_num(idx) > 5))
				check_fail(c, NULL, idx, "syscall argument index is outside 0..5",
					   "linux.seccomp.syscalls[%zu].args[%zu].index", i, k);
			if (json_is_number(v2) && check_num(v2) != 0 &&
			    (op == NULL || strcmp(op, "SCMP_CMP_MASKED_EQ") != 0))
				check_fail(c, NULL, v2, "valueTwo is used only by SCMP_CMP_MASKED_EQ",
					   "linux.seccomp.syscalls[%zu].args[%zu].valueTwo", i, k);
		}
	}
}
