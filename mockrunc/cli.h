/* runc's command line as data, and its parser.
 *
 * The parser follows urfave/cli v1 over Go's flag package, as runc 1.1 does:
 * "-flag" and "--flag" are the same, "--flag=value" and "--flag value" both
 * work, booleans take no separate value ("--b" or "--b=false"), a string
 * slice may be repeated, "--" ends the flags. Flags may follow positionals
 * (urfave's reordering) except for commands marked no_reorder (exec, ps),
 * whose flags end at the first positional so the process's own arguments
 * pass through. */
#ifndef MOCKRUNC_CLI_H
#define MOCKRUNC_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "common/error.h"

enum cli_flag_type {
	CLI_BOOL,
	CLI_STRING,
	CLI_INT,       /* Go int: decimal, may be negative */
	CLI_UINT,      /* Go uint64 */
	CLI_SLICE,     /* repeatable string */
	CLI_DURATION,  /* Go time.Duration text ("5s") */
};

struct cli_flag {
	const char *name;    /* long name, without dashes */
	const char *alias;   /* short name ("b"), or NULL */
	enum cli_flag_type type;
	const char *usage;
	const char *defval;  /* shown in help; NULL when none */
	bool hidden;         /* accepted, not listed in help */
};

enum cli_args_check { CLI_ARGS_ANY, CLI_ARGS_EXACT, CLI_ARGS_MIN, CLI_ARGS_MAX };

struct mockrunc;

struct cli_command {
	const char *name;
	const char *alias;           /* "h" for help, else NULL */
	const char *summary;
	const char *args_usage;      /* "<container-id>" */
	const char *description;     /* help text paragraph, may be NULL */
	const struct cli_flag *flags;
	enum cli_args_check check;
	int nargs;
	bool no_reorder;             /* flags end at the first positional */
	bool has_id;                 /* first positional is a container id */
	/* The built-in execution core's implementation: returns the exit status
	 * (0, or the container's status for foreground run/exec) or -1 with *err
	 * set. NULL for commands mockrunc answers itself. */
	int (*realexec)(struct mockrunc *m, mr_error **err);
};

/* One flag as given: every value in order (bools store "true"/"false"). */
struct cli_value {
	const struct cli_flag *flag;
	char **values;
	size_t n;
};

struct cli_flags {
	struct cli_value *v;
	size_t n;
};

/* The parsed command line. */
struct invocation {
	int argc;
	char **argv;                  /* as received, --mock-* included */
	struct cli_flags global;      /* runc global flags (no --mock-*) */
	struct cli_flags mock;        /* mockrunc's own --mock-* global flags */
	const struct cli_command *cmd;
	const char *cmd_name;         /* as typed, even when unknown */
	struct cli_flags local;
	char **args;                  /* positionals after the command */
	size_t nargs;
	const char *id;               /* args[0] when cmd->has_id */
	bool help;                    /* -h/--help given: print help, exit 0 */
	bool version;                 /* -v/--version given */
	char **backend_argv;          /* argv without --mock-* for a delegate */
};

/* Parse errors carry what runc prints: the message and whether help text
 * goes to stdout first ("Incorrect Usage: ..."). */
struct cli_parse_error {
	int exit_code;        /* 1, or 3 for an unknown command */
	bool show_usage;      /* print "Incorrect Usage..." + command help */
	bool usage_detail;    /* "Incorrect Usage: <msg>" rather than "Incorrect Usage." */
};

/* Lookups on parsed flags: the last value wins. */
bool cli_is_set(const struct cli_flags *f, const char *name);
const char *cli_string(const struct cli_flags *f, const char *name);
bool cli_bool(const struct cli_flags *f, const char *name);
size_t cli_slice(const struct cli_flags *f, const char *name, char ***values);
/* Integer value of a CLI_INT/CLI_UINT flag (fallback when unset). */
long long cli_int(const struct cli_flags *f, const char *name, long long fallback);

/* The command table (commands.c), runc's global flags and mockrunc's own. */
extern const struct cli_command cli_commands[];
extern const struct cli_flag cli_global_flags[];
extern const struct cli_flag cli_mock_flags[];
const struct cli_command *cli_find_command(const char *name);

/* Parses argv (argv[0] is the program). --mock-* flags among the global
 * flags go to inv->mock and are left out of inv->backend_argv. */
int cli_parse(int argc, char **argv, struct invocation *inv,
	      struct cli_parse_error *perr, mr_error **err);
void cli_invocation_free(struct invocation *inv);

/* Help text, written to stdout. */
void cli_print_app_help(const char *prog);
void cli_print_command_help(const char *prog, const struct cli_command *cmd);

#endif
