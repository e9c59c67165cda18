/* Device cgroup rules as runc applies them.
 *
 * linux.resources.devices is an ordered list of allow/deny entries. Like
 * runc, realexec first folds it into a default policy (allow or deny) plus
 * a set of exceptions, refusing entries cgroup v1 would silently ignore
 * (punching a hole in a wildcard exception). That state is then given to
 *  - cgroup v1 as the fewest devices.allow/devices.deny writes that turn
 *    the cgroup's current state (read from devices.list) into it: nothing
 *    is written for exceptions already in place, so re-applying the rules
 *    under a restricted parent never asks for more than the parent has;
 *  - cgroup v2 as an eBPF program (BPF_PROG_TYPE_CGROUP_DEVICE, raw
 *    instructions, no libbpf) attached to the cgroup with
 *    BPF_F_ALLOW_MULTI, after which the programs attached before it are
 *    detached. */
#ifndef REALEXEC_DEVICES_BPF_H
#define REALEXEC_DEVICES_BPF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/bpf.h>

#include "common/error.h"

#define RX_DEV_READ  1u
#define RX_DEV_WRITE 2u
#define RX_DEV_MKNOD 4u
#define RX_DEV_RWM   (RX_DEV_READ | RX_DEV_WRITE | RX_DEV_MKNOD)

#define RX_DEV_WILDCARD (-1)

struct rx_dev_rule {
	char type;          /* 'a' (every device), 'c' or 'b' */
	int64_t major;      /* RX_DEV_WILDCARD for any */
	int64_t minor;
	unsigned access;    /* RX_DEV_READ | RX_DEV_WRITE | RX_DEV_MKNOD */
	bool allow;
};

/* A default policy and its exceptions (whose allow is !default_allow). */
struct rx_dev_state {
	bool default_allow;
	struct rx_dev_rule *ex;
	size_t n;
};

/* "rwm" letters to bits; letters other than r, w, m are ignored as runc
 * ignores them. */
unsigned rx_dev_access_bits(const char *access);

/* The devices.allow/deny form: "c 1:3 rwm", "a *:* rwm". */
#define RX_DEV_RULE_MAX 64
void rx_dev_rule_string(const struct rx_dev_rule *r, char buf[RX_DEV_RULE_MAX]);

/* Starts a state: every device allowed (default_allow) or none. */
void rx_dev_state_init(struct rx_dev_state *s, bool default_allow);
void rx_dev_state_free(struct rx_dev_state *s);

/* Folds one more list entry into the state. */
int rx_dev_state_apply(struct rx_dev_state *s, const struct rx_dev_rule *r, mr_error **err);

/* The state a v1 cgroup is in, from its devices.list text. */
int rx_dev_state_from_list(const char *list, struct rx_dev_state *s, mr_error **err);

bool rx_dev_state_equal(const struct rx_dev_state *a, const struct rx_dev_state *b);

/* The writes that turn `from` into `to`, in the order to make them; a rule
 * with allow goes to devices.allow, else to devices.deny. */
int rx_dev_transition(const struct rx_dev_state *from, const struct rx_dev_state *to,
		      struct rx_dev_rule **rules, size_t *n);

/* The eBPF program enforcing the state (the caller frees *insns). */
int rx_dev_bpf_program(const struct rx_dev_state *s, struct bpf_insn **insns, size_t *n,
		       mr_error **err);

/* Loads the program and attaches it to the cgroup directory open at
 * cgroup_fd, replacing the device programs attached there before. */
int rx_dev_bpf_attach(int cgroup_fd, const struct bpf_insn *insns, size_t n, mr_error **err);

/* How many device programs are attached to the cgroup at cgroup_fd. */
int rx_dev_bpf_count(int cgroup_fd, size_t *n, mr_error **err);

#endif
