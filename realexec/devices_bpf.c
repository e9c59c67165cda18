#include "realexec/devices_bpf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/cleanup.h"

unsigned rx_dev_access_bits(const char *access)
{
	unsigned bits = 0;

	for (const char *p = access; p != NULL && *p != '\0'; p++) {
		if (*p == 'r')
			bits |= RX_DEV_READ;
		else if (*p == 'w')
			bits |= RX_DEV_WRITE;
		else if (*p == 'm')
			bits |= RX_DEV_MKNOD;
	}
	return bits;
}

static void access_string(unsigned bits, char out[4])
{
	size_t w = 0;

	if (bits & RX_DEV_READ)
		out[w++] = 'r';
	if (bits & RX_DEV_WRITE)
		out[w++] = 'w';
	if (bits & RX_DEV_MKNOD)
		out[w++] = 'm';
	out[w] = '\0';
}

static void number_string(int64_t v, char out[24])
{
	if (v == RX_DEV_WILDCARD)
		snprintf(out, 24, "*");
	else
		snprintf(out, 24, "%lld", (long long)v);
}

void rx_dev_rule_string(const struct rx_dev_rule *r, char buf[RX_DEV_RULE_MAX])
{
	char major[24], minor[24], acc[4];

	number_string(r->major, major);
	number_string(r->minor, minor);
	access_string(r->access, acc);
	snprintf(buf, RX_DEV_RULE_MAX, "%c %s:%s %s", r->type, major, minor, acc);
}

void rx_dev_state_init(struct rx_dev_state *s, bool default_allow)
{
	s->default_allow = default_allow;
	s->ex = NULL;
	s->n = 0;
}

void rx_dev_state_free(struct rx_dev_state *s)
{
	free(s->ex);
	s->ex = NULL;
	s->n = 0;
}

static bool same_node(const struct rx_dev_rule *a, char type, int64_t major, int64_t minor)
{
	return a->type == type && a->major == major && a->minor == minor;
}

static struct rx_dev_rule *find(const struct rx_dev_state *s, char type, int64_t major,
				int64_t minor)
{
	for (size_t i = 0; i < s->n; i++)
		if (same_node(&s->ex[i], type, major, minor))
			return &s->ex[i];
	return NULL;
}

static unsigned access_of(const struct rx_dev_state *s, char type, int64_t major, int64_t minor)
{
	const struct rx_dev_rule *e = find(s, type, major, minor);

	return e != NULL ? e->access : 0;
}

static int add_exception(struct rx_dev_state *s, const struct rx_dev_rule *r)
{
	struct rx_dev_rule *e = find(s, r->type, r->major, r->minor), *grown;

	if (e != NULL) {
		e->access |= r->access;
		return 0;
	}
	grown = realloc(s->ex, (s->n + 1) * sizeof *s->ex);
	if (grown == NULL)
		return -1;
	s->ex = grown;
	s->ex[s->n] = *r;
	s->ex[s->n].allow = !s->default_allow;
	s->n++;
	return 0;
}

static int remove_exception(struct rx_dev_state *s, const struct rx_dev_rule *r, const char *what,
			    mr_error **err)
{
	/* cgroup v1 ignores a removal that only part of a wildcard exception
	 * covers; refusing it keeps users from believing a device is blocked. */
	const int64_t partial[3][2] = {
		{ RX_DEV_WILDCARD, r->minor },
		{ r->major, RX_DEV_WILDCARD },
		{ RX_DEV_WILDCARD, RX_DEV_WILDCARD },
	};
	struct rx_dev_rule *e;

	for (int i = 0; i < 3; i++) {
		const struct rx_dev_rule *p;
		if (partial[i][0] == r->major && partial[i][1] == r->minor)
			continue;
		p = find(s, r->type, partial[i][0], partial[i][1]);
		if (p != NULL && (p->access & r->access) != 0) {
			char want[RX_DEV_RULE_MAX], have[RX_DEV_RULE_MAX];
			rx_dev_rule_string(r, want);
			rx_dev_rule_string(p, have);
			return mr_error_set(err, 0,
					    "%s: requested rule [%s] not supported by devices cgroupv1 "
					    "(cannot punch hole in existing wildcard rule [%s])",
					    what, want, have);
		}
	}
	e = find(s, r->type, r->major, r->minor);
	if (e == NULL)
		return 0;
	e->access &= ~r->access;
	if (e->access == 0) {
		*e = s->ex[s->n - 1];
		s->n--;
	}
	return 0;
}

int rx_dev_state_apply(struct rx_dev_state *s, const struct rx_dev_rule *r, mr_error **err)
{
	if (r->type == 'a') {
		rx_dev_state_free(s);
		s->default_allow = r->allow;
		return 0;
	}
	if (r->type != 'b' && r->type != 'c')
		return mr_error_set(err, 0, "cannot add rule with non-cgroup type %c", r->type);
	if (r->allow == s->default_allow)
		return remove_exception(s, r, r->allow ? "unable to remove 'deny' exception"
						       : "unable to remove 'allow' exception", err);
	if (add_exception(s, r) < 0)
		return mr_error_set(err, ENOMEM, "devices");
	return 0;
}

static int parse_number(const char *t, int64_t *v)
{
	char *end;
	unsigned long long n;

	if (strcmp(t, "*") == 0) {
		*v = RX_DEV_WILDCARD;
		return 0;
	}
	errno = 0;
	n = strtoull(t, &end, 10);
	if (errno != 0 || end == t || *end != '\0' || n > UINT32_MAX || *t == '-')
		return -1;
	*v = (int64_t)n;
	return 0;
}

int rx_dev_state_from_list(const char *list, struct rx_dev_state *s, mr_error **err)
{
	cleanup_free char *copy = strdup(list);
	char *save = NULL;

	/* A v1 cgroup that allows everything lists "a *:* rwm"; without it the
	 * list is the whole set of allowed devices. */
	rx_dev_state_init(s, false);
	if (copy == NULL)
		return mr_error_set(err, ENOMEM, "devices");
	for (char *line = strtok_r(copy, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		char type, majs[16], mins[16], acc[8];
		struct rx_dev_rule r = { 0 };
		if (sscanf(line, "%c %15[^:]:%15s %7s", &type, majs, mins, acc) != 4) {
			rx_dev_state_free(s);
			return mr_error_set(err, 0, "malformed devices.list rule %s", line);
		}
		if (type == 'a') {
			rx_dev_state_free(s);
			s->default_allow = true;
			continue;
		}
		r.type = type;
		r.allow = true;
		r.access = rx_dev_access_bits(acc);
		if ((type != 'b' && type != 'c') || parse_number(majs, &r.major) < 0 ||
		    parse_number(mins, &r.minor) < 0 || r.access == 0) {
			rx_dev_state_free(s);
			return mr_error_set(err, 0, "malformed devices.list rule %s", line);
		}
		if (rx_dev_state_apply(s, &r, err) < 0) {
			rx_dev_state_free(s);
			return -1;
		}
	}
	return 0;
}

bool rx_dev_state_equal(const struct rx_dev_state *a, const struct rx_dev_state *b)
{
	if (a->default_allow != b->default_allow || a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (access_of(b, a->ex[i].type, a->ex[i].major, a->ex[i].minor) != a->ex[i].access)
			return false;
	return true;
}

/* A stable order (major, minor, type) so the same states always give the
 * same writes. */
static int rule_cmp(const void *pa, const void *pb)
{
	const struct rx_dev_rule *a = pa, *b = pb;

	if (a->major != b->major)
		return a->major < b->major ? -1 : 1;
	if (a->minor != b->minor)
		return a->minor < b->minor ? -1 : 1;
	return (a->type > b->type) - (a->type < b->type);
}

static struct rx_dev_rule *sorted_copy(const struct rx_dev_state *s)
{
	struct rx_dev_rule *v = malloc((s->n + 1) * sizeof *v);

	if (v == NULL)
		return NULL;
	if (s->n > 0)
		memcpy(v, s->ex, s->n * sizeof *v);
	qsort(v, s->n, sizeof *v, rule_cmp);
	return v;
}

int rx_dev_transition(const struct rx_dev_state *from, const struct rx_dev_state *to,
		      struct rx_dev_rule **rules, size_t *n)
{
	/* A v1 cgroup that allows everything does not list what it denies, so
	 * it can only be brought to a known state by a disruptive "a" rule. */
	bool reset = from->default_allow || from->default_allow != to->default_allow;
	struct rx_dev_state none = { .default_allow = from->default_allow };
	const struct rx_dev_state *old = reset ? &none : from;
	cleanup_free struct rx_dev_rule *olds = sorted_copy(old);
	cleanup_free struct rx_dev_rule *news = sorted_copy(to);
	struct rx_dev_rule *out = malloc((old->n + to->n + 1) * sizeof *out);
	size_t k = 0;

	if (olds == NULL || news == NULL || out == NULL) {
		free(out);
		return -1;
	}
	if (reset)
		out[k++] = (struct rx_dev_rule){ 'a', RX_DEV_WILDCARD, RX_DEV_WILDCARD, RX_DEV_RWM,
						 to->default_allow };
	for (size_t i = 0; i < old->n; i++) {
		unsigned dropped = olds[i].access &
				   ~access_of(to, olds[i].type, olds[i].major, olds[i].minor);
		if (dropped != 0)
			out[k++] = (struct rx_dev_rule){ olds[i].type, olds[i].major, olds[i].minor,
							 dropped, to->default_allow };
	}
	for (size_t i = 0; i < to->n; i++) {
		unsigned gained = news[i].access &
				  ~access_of(old, news[i].type, news[i].major, news[i].minor);
		if (gained != 0)
			out[k++] = (struct rx_dev_rule){ news[i].type, news[i].major, news[i].minor,
							 gained, !to->default_allow };
	}
	*rules = out;
	*n = k;
	return 0;
}

/* Raw eBPF instructions (see linux/bpf.h and the kernel's filter.h). */
#define INSN(c, d, s, o, i) ((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), \
						 .off = (o), .imm = (i) })
#define LDX_W(d, s, o)   INSN(BPF_LDX | BPF_MEM | BPF_W, d, s, o, 0)
#define ALU32_K(op, d, i) INSN(BPF_ALU | (op) | BPF_K, d, 0, 0, i)
#define MOV32_X(d, s)    INSN(BPF_ALU | BPF_MOV | BPF_X, d, s, 0, 0)
#define JNE_K(d, i, o)   INSN(BPF_JMP | BPF_JNE | BPF_K, d, 0, o, i)
#define JNE_X(d, s, o)   INSN(BPF_JMP | BPF_JNE | BPF_X, d, s, o, 0)
#define EXIT()           INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

enum { R0 = 0, R1, R2, R3, R4, R5 };

int rx_dev_bpf_program(const struct rx_dev_state *s, struct bpf_insn **insns, size_t *n,
		       mr_error **err)
{
	/* Each exception takes at most 8 instructions; 6 to load the context,
	 * 2 for the default verdict. */
	struct bpf_insn *p = calloc(s->n * 8 + 8, sizeof *p);
	cleanup_free struct rx_dev_rule *sorted = sorted_copy(s);
	size_t k = 0;

	if (p == NULL || sorted == NULL) {
		free(p);
		return mr_error_set(err, ENOMEM, "devices");
	}
	/* struct bpf_cgroup_dev_ctx { u32 access_type; u32 major; u32 minor; }:
	 * the device type is the low half of access_type, the access the high. */
	p[k++] = LDX_W(R2, R1, 0);
	p[k++] = ALU32_K(BPF_AND, R2, 0xffff);
	p[k++] = LDX_W(R3, R1, 0);
	p[k++] = ALU32_K(BPF_RSH, R3, 16);
	p[k++] = LDX_W(R4, R1, 4);
	p[k++] = LDX_W(R5, R1, 8);
	for (size_t i = 0; i < s->n; i++) {
		const struct rx_dev_rule *r = &sorted[i];
		struct bpf_insn block[8];
		size_t b = 0;
		int access = 0;
		if (r->type != 'c' && r->type != 'b') {
			free(p);
			return mr_error_set(err, 0, "invalid type %c", r->type);
		}
		if (r->major > (int64_t)UINT32_MAX || r->minor > (int64_t)UINT32_MAX) {
			free(p);
			return mr_error_set(err, 0, "invalid major or minor in rule %lld:%lld",
					    (long long)r->major, (long long)r->minor);
		}
		if (r->access & RX_DEV_READ)
			access |= BPF_DEVCG_ACC_READ;
		if (r->access & RX_DEV_WRITE)
			access |= BPF_DEVCG_ACC_WRITE;
		if (r->access & RX_DEV_MKNOD)
			access |= BPF_DEVCG_ACC_MKNOD;
		/* Jump offsets are filled in once the block's length is known:
		 * every "no match" jumps to the next block. */
		block[b++] = JNE_K(R2, r->type == 'c' ? BPF_DEVCG_DEV_CHAR : BPF_DEVCG_DEV_BLOCK, 0);
		if (r->access != RX_DEV_RWM) {
			/* Matches when every access asked for is in the rule's set. */
			block[b++] = MOV32_X(R1, R3);
			block[b++] = ALU32_K(BPF_AND, R1, access);
			block[b++] = JNE_X(R1, R3, 0);
		}
		if (r->major != RX_DEV_WILDCARD)
			block[b++] = JNE_K(R4, (int32_t)r->major, 0);
		if (r->minor != RX_DEV_WILDCARD)
			block[b++] = JNE_K(R5, (int32_t)r->minor, 0);
		block[b++] = ALU32_K(BPF_MOV, R0, r->allow ? 1 : 0);
		block[b++] = EXIT();
		for (size_t j = 0; j < b; j++) {
			if (BPF_CLASS(block[j].code) == BPF_JMP && BPF_OP(block[j].code) == BPF_JNE)
				block[j].off = (int16_t)(b - j - 1);
			p[k++] = block[j];
		}
	}
	p[k++] = ALU32_K(BPF_MOV, R0, s->default_allow ? 1 : 0);
	p[k++] = EXIT();
	*insns = p;
	*n = k;
	return 0;
}

static long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(SYS_bpf, cmd, attr, sizeof *attr);
}

static int prog_load(const struct bpf_insn *insns, size_t n, mr_error **err)
{
	/* The program calls no helper, so any license string will do. */
	static const char license[] = "MIT";
	union bpf_attr attr;
	bool raised = false;
	int fd;

	for (int tries = 0;; tries++) {
		memset(&attr, 0, sizeof attr);
		attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
		attr.insns = (uint64_t)(uintptr_t)insns;
		attr.insn_cnt = (uint32_t)n;
		attr.license = (uint64_t)(uintptr_t)license;
		fd = (int)sys_bpf(BPF_PROG_LOAD, &attr);
		if (fd >= 0)
			return fd;
		/* The verifier returns EAGAIN when a signal interrupts it. */
		if (errno == EAGAIN && tries < 30)
			continue;
		/* Kernels before 5.11 charge programs to RLIMIT_MEMLOCK. */
		if (errno == EPERM && !raised) {
			struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };
			raised = true;
			if (setrlimit(RLIMIT_MEMLOCK, &rl) == 0)
				continue;
			errno = EPERM;
		}
		break;
	}
	{
		int saved = errno;
		cleanup_free char *log = calloc(1, 65536);
		if (log != NULL) {
			memset(&attr, 0, sizeof attr);
			attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
			attr.insns = (uint64_t)(uintptr_t)insns;
			attr.insn_cnt = (uint32_t)n;
			attr.license = (uint64_t)(uintptr_t)license;
			attr.log_level = 1;
			attr.log_buf = (uint64_t)(uintptr_t)log;
			attr.log_size = 65536;
			fd = (int)sys_bpf(BPF_PROG_LOAD, &attr);
			if (fd >= 0)
				return fd;
			size_t len = strlen(log);
			while (len > 0 && log[len - 1] == '\n')
				log[--len] = '\0';
			if (len > 0)
				return mr_error_set(err, 0, "failed to call BPF_PROG_LOAD: bpf: %s: %s",
						    mr_strerror(saved), log);
		}
		return mr_error_set(err, saved, "failed to call BPF_PROG_LOAD: bpf");
	}
}

/* The ids of the device programs attached to the cgroup. */
static int query(int cgroup_fd, uint32_t **ids, size_t *n, mr_error **err)
{
	uint32_t cap = 64;

	for (int tries = 0; tries < 10; tries++) {
		union bpf_attr attr;
		uint32_t *buf = calloc(cap, sizeof *buf);
		if (buf == NULL)
			return mr_error_set(err, ENOMEM, "devices");
		memset(&attr, 0, sizeof attr);
		attr.query.target_fd = (uint32_t)cgroup_fd;
		attr.query.attach_type = BPF_CGROUP_DEVICE;
		attr.query.prog_ids = (uint64_t)(uintptr_t)buf;
		attr.query.prog_cnt = cap;
		if (sys_bpf(BPF_PROG_QUERY, &attr) == 0) {
			*ids = buf;
			*n = attr.query.prog_cnt;
			return 0;
		}
		free(buf);
		if (errno != ENOSPC)
			return mr_error_set(err, errno, "bpf_prog_query(BPF_CGROUP_DEVICE) failed: bpf");
		cap = attr.query.prog_cnt;
	}
	return mr_error_set(err, 0, "could not get complete list of CGROUP_DEVICE programs");
}

int rx_dev_bpf_count(int cgroup_fd, size_t *n, mr_error **err)
{
	cleanup_free uint32_t *ids = NULL;

	return query(cgroup_fd, &ids, n, err);
}

int rx_dev_bpf_attach(int cgroup_fd, const struct bpf_insn *insns, size_t n, mr_error **err)
{
	cleanup_free uint32_t *old = NULL;
	cleanup_close int prog = -1;
	size_t nold = 0;
	union bpf_attr attr;

	if (query(cgroup_fd, &old, &nold, err) < 0)
		return -1;
	prog = prog_load(insns, n, err);
	if (prog < 0)
		return -1;
	memset(&attr, 0, sizeof attr);
	attr.target_fd = (uint32_t)cgroup_fd;
	attr.attach_bpf_fd = (uint32_t)prog;
	attr.attach_type = BPF_CGROUP_DEVICE;
	attr.attach_flags = BPF_F_ALLOW_MULTI;
	if (sys_bpf(BPF_PROG_ATTACH, &attr) < 0)
		return mr_error_set(err, errno, "failed to call BPF_PROG_ATTACH: bpf");
	/* The new program is in place before the old ones go, so there is no
	 * moment without a device filter. */
	for (size_t i = 0; i < nold; i++) {
		cleanup_close int ofd = -1;
		memset(&attr, 0, sizeof attr);
		attr.prog_id = old[i];
		ofd = (int)sys_bpf(BPF_PROG_GET_FD_BY_ID, &attr);
		if (ofd < 0) {
			/* A program an LSM hides from us can only restrict more. */
			if (errno == EPERM || errno == EACCES)
				continue;
			return mr_error_set(err, errno, "cannot fetch program from id: bpf");
		}
		memset(&attr, 0, sizeof attr);
		attr.target_fd = (uint32_t)cgroup_fd;
		attr.attach_bpf_fd = (uint32_t)ofd;
		attr.attach_type = BPF_CGROUP_DEVICE;
		if (sys_bpf(BPF_PROG_DETACH, &attr) < 0)
			return mr_error_set(err, errno,
					    "failed to call BPF_PROG_DETACH (BPF_CGROUP_DEVICE) on old "
					    "filter program: bpf");
	}
	return 0;
}
