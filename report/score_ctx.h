/* Scoring internals shared by score.c (database passes, aggregation),
 * calls.c (lifecycle and command-line rules) and score_expect.c (engine
 * expectations). Not for other modules. */
#ifndef REPORT_SCORE_CTX_H
#define REPORT_SCORE_CTX_H

#include <stdbool.h>
#include <stdint.h>
#include <sqlite3.h>

#include "report/blob_eval.h"
#include "report/expect.h"
#include "report/model.h"
#include "report/strmap.h"

enum call_cmd {
	CMD_NONE, CMD_CREATE, CMD_START, CMD_KILL, CMD_DELETE, CMD_STATE, CMD_EXEC, CMD_RUN,
	CMD_RESTORE, CMD_PAUSE, CMD_RESUME, CMD_UPDATE, CMD_PS, CMD_EVENTS, CMD_CHECKPOINT,
	CMD_LIST, CMD_SPEC, CMD_FEATURES, CMD_HELP, CMD_UNKNOWN,
};

enum call_cmd call_cmd_parse(const char *name);

/* Bits of struct call, from the recorded command-line items. */
#define CALL_CONSOLE        (1u << 0)   /* --console-socket */
#define CALL_PIDFILE        (1u << 1)   /* --pid-file */
#define CALL_PIDFILE_REL    (1u << 2)   /* ... not absolute */
#define CALL_FORCE          (1u << 3)   /* delete --force */
#define CALL_ALL            (1u << 4)   /* kill --all */
#define CALL_DETACH         (1u << 5)   /* --detach */
#define CALL_TTY            (1u << 6)   /* exec --tty */
#define CALL_IGNORE_PAUSED  (1u << 7)   /* exec --ignore-paused */
#define CALL_SIGNAL_FLAG    (1u << 8)   /* kill --signal */
#define CALL_SIGNAL_ARG     (1u << 9)   /* kill ID SIG */
#define CALL_BUNDLE         (1u << 10)  /* a bundle was resolved */
#define CALL_DASH_COMMAND   (1u << 11)  /* the command starts with '-' */
#define CALL_HAS_EXIT       (1u << 12)  /* the outcome is recorded */

#define SIGNAL_INVALID 255

/* Command-line items the call rules read. */
enum item_kind {
	ITEM_PLAIN, ITEM_CONSOLE, ITEM_PIDFILE, ITEM_FORCE, ITEM_ALL, ITEM_DETACH, ITEM_TTY,
	ITEM_IGNORE_PAUSED, ITEM_SIGNAL_FLAG, ITEM_SIGNAL_ARG,
};

/* One recorded invocation, compact: a million of them stay in memory. */
struct call {
	int64_t id;
	int64_t started_ns;
	uint32_t container;      /* index + 1 in ctx->strings; 0: none */
	uint32_t root;
	uint32_t session;        /* index in the subject's sessions */
	int32_t config, process, resources;   /* blob slot, -1: none */
	int16_t exit_code;
	uint8_t cmd;
	uint8_t signal;          /* 0: none given; SIGNAL_INVALID; else the number */
	uint32_t bits;
};

struct blob_slot {
	int64_t blob_id;
	int kind;
	struct blob_eval ev;
	int64_t count;           /* invocations in scope using it */
	int64_t first_id;        /* its first invocation, as the example */
	uint32_t first_container, first_root, first_session;
	bool *steps;             /* per expectation step: the blob matches it */
	bool any_step;
	json_t *doc;             /* kept while a step needs it */
};

struct score_ctx {
	sqlite3 *db;
	struct subject *s;
	const struct expect_set *ex;
	bool *step_on;           /* the step applies to this subject's engine */
	int64_t *step_failed;    /* containers that failed the step */
	struct strmap strings;   /* container ids and state roots */
	struct call *calls;
	size_t ncalls, ccap;
	struct blob_slot *blobs;
	size_t nblobs, bcap;
	int32_t *slot_of;        /* blob id -> slot + 1 */
	size_t slot_cap;
	struct evidence_map *ev;
	struct strmap cli;       /* command-line item ids */
	int64_t *cli_count;
	size_t cli_cap;
	sqlite3_stmt *load_blob;
	sqlite3_stmt *call_items;
	int rule_g06, rule_pr01;
	int call_rule[24];       /* L01..L14, CLI01..CLI10 (calls_init) */
};

const char *ctx_string(const struct score_ctx *x, uint32_t idx);

/* A violation seen on a call. */
int ctx_call_violation(struct score_ctx *x, int rule, const char *feature, const char *message,
		       const char *path, const char *value, const struct call *c);
void ctx_judged(struct score_ctx *x, int rule);

/* The blob's document, loaded and shaped as a config (cached in the slot). */
json_t *ctx_blob_doc(struct score_ctx *x, int32_t slot);

/* calls.c: resolves the call rules' indexes once per scoring. */
void calls_init(struct score_ctx *x);
#define RULE_L(n) (n - 1)
#define RULE_CLI(n) (13 + n)
/* The rules on one call as pass 1 and 2 see it (the command's text, an
 * item's value). */
int calls_judge_command(struct score_ctx *x, const struct call *c, const char *command);
int calls_judge_item(struct score_ctx *x, const struct call *c, const char *value,
		     enum item_kind kind);

/* calls.c: the rules on one container's calls (time order; idx into
 * ctx->calls), and on each call's command line. */
int calls_judge_container(struct score_ctx *x, const uint32_t *idx, size_t n);
int calls_judge_command_line(struct score_ctx *x, const struct call *c);

/* score_expect.c */
int expect_score_container(struct score_ctx *x, const uint32_t *idx, size_t n);
void expect_blob_match(struct score_ctx *x, struct blob_slot *b, json_t *doc);
int expect_finish(struct score_ctx *x);
int expect_begin(struct score_ctx *x);

#endif
