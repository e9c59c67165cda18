/* The command-line parser: Go's flag package rules as urfave/cli v1 applies
 * them for runc (see cli.h). Error texts are the ones engines and users see
 * from runc: "flag provided but not defined: -x", "flag needs an argument:
 * -x", "Incorrect Usage." with the help text on stdout. */
#include "mockrunc/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"

static const struct cli_flag help_flag = { "help", "h", CLI_BOOL, "show help", NULL, false };

static const struct cli_flag *find_flag(const struct cli_flag *flags, const char *name, size_t len)
{
	for (const struct cli_flag *f = flags; f != NULL && f->name != NULL; f++) {
		if (strlen(f->name) == len && strncmp(f->name, name, len) == 0)
			return f;
		if (f->alias != NULL && strlen(f->alias) == len && strncmp(f->alias, name, len) == 0)
			return f;
	}
	return NULL;
}

/* urfave adds --help/-h to every command. */
static const struct cli_flag *lookup(const struct cli_flag *flags, const char *name, size_t len)
{
	const struct cli_flag *f = find_flag(flags, name, len);

	if (f == NULL && ((len == 4 && strncmp(name, "help", 4) == 0) ||
			  (len == 1 && name[0] == 'h')))
		f = &help_flag;
	return f;
}

static int add_value(struct cli_flags *set, const struct cli_flag *flag, const char *value)
{
	struct cli_value *v = NULL;
	char **nv;

	for (size_t i = 0; i < set->n; i++)
		if (set->v[i].flag == flag)
			v = &set->v[i];
	if (v == NULL) {
		struct cli_value *grown = realloc(set->v, (set->n + 1) * sizeof *grown);
		if (grown == NULL)
			return -1;
		set->v = grown;
		v = &set->v[set->n++];
		*v = (struct cli_value){ .flag = flag };
	}
	nv = realloc(v->values, (v->n + 1) * sizeof *nv);
	if (nv == NULL)
		return -1;
	v->values = nv;
	v->values[v->n] = strdup(value);
	if (v->values[v->n] == NULL)
		return -1;
	v->n++;
	return 0;
}

static void free_flags(struct cli_flags *set)
{
	for (size_t i = 0; i < set->n; i++) {
		for (size_t j = 0; j < set->v[i].n; j++)
			free(set->v[i].values[j]);
		free(set->v[i].values);
	}
	free(set->v);
	set->v = NULL;
	set->n = 0;
}

static const struct cli_value *find_value(const struct cli_flags *f, const char *name)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->v[i].flag->name, name) == 0)
			return &f->v[i];
	return NULL;
}

bool cli_is_set(const struct cli_flags *f, const char *name)
{
	return find_value(f, name) != NULL;
}

const char *cli_string(const struct cli_flags *f, const char *name)
{
	const struct cli_value *v = find_value(f, name);

	return v != NULL && v->n > 0 ? v->values[v->n - 1] : NULL;
}

bool cli_bool(const struct cli_flags *f, const char *name)
{
	const char *s = cli_string(f, name);

	return s != NULL && strcmp(s, "true") == 0;
}

size_t cli_slice(const struct cli_flags *f, const char *name, char ***values)
{
	const struct cli_value *v = find_value(f, name);

	*values = v != NULL ? v->values : NULL;
	return v != NULL ? v->n : 0;
}

long long cli_int(const struct cli_flags *f, const char *name, long long fallback)
{
	const char *s = cli_string(f, name);

	return s != NULL ? strtoll(s, NULL, 0) : fallback;
}

/* Go's strconv.ParseBool. */
static int parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "1", "t", "T", "TRUE", "true", "True", NULL };
	static const char *const no[] = { "0", "f", "F", "FALSE", "false", "False", NULL };

	for (int i = 0; yes[i] != NULL; i++)
		if (strcmp(s, yes[i]) == 0)
			return *out = true, 0;
	for (int i = 0; no[i] != NULL; i++)
		if (strcmp(s, no[i]) == 0)
			return *out = false, 0;
	return -1;
}

/* Go's strconv.ParseInt(s, 0, 64) / ParseUint: decimal, 0x, 0o, 0b, and
 * underscores only with a base prefix. Being strict matters because the
 * value reaches a runtime. */
static bool valid_integer(const char *s, bool is_signed)
{
	char *end;

	if (*s == '\0' || strchr(s, '_') != NULL)
		return false;
	if (*s == '-' || *s == '+') {
		if (!is_signed && *s == '-')
			return false;
		s++;
	}
	errno = 0;
	if (is_signed)
		(void)strtoll(s, &end, 0);
	else
		(void)strtoull(s, &end, 0);
	return errno == 0 && end != s && *end == '\0';
}

/* Go's time.ParseDuration, loosely: a signed sequence of number+unit. */
static bool valid_duration(const char *s)
{
	static const char *const units[] = { "ns", "us", "µs", "μs", "ms", "s", "m", "h", NULL };

	if (*s == '-' || *s == '+')
		s++;
	if (strcmp(s, "0") == 0)
		return true;
	if (*s == '\0')
		return false;
	while (*s != '\0') {
		const char *start = s;
		bool matched = false;
		while ((*s >= '0' && *s <= '9') || *s == '.')
			s++;
		if (s == start)
			return false;
		for (int i = 0; units[i] != NULL; i++) {
			size_t n = strlen(units[i]);
			/* "ms" before "m" and "s": the table lists longer units first */
			if (strncmp(s, units[i], n) == 0) {
				s += n;
				matched = true;
				break;
			}
		}
		if (!matched)
			return false;
	}
	return true;
}

/* Is `arg` a flag of this command, as urfave's argIsFlag decides it? */
static bool arg_is_flag(const struct cli_flag *flags, const char *arg)
{
	const char *name = arg;
	size_t len;

	if (strcmp(arg, "-") == 0 || strcmp(arg, "--") == 0 || arg[0] != '-')
		return false;
	name += arg[1] == '-' ? 2 : 1;
	len = strcspn(name, "=");
	return lookup(flags, name, len) != NULL;
}

/* urfave v1 moves the flags found after positionals in front of them. */
static char **reorder(const struct cli_flag *flags, char **args, size_t n)
{
	char **out = calloc(n + 1, sizeof *out);
	char **rest = calloc(n + 1, sizeof *rest);
	size_t w = 0, r = 0;
	bool may_take_value = false;

	if (out == NULL || rest == NULL) {
		free(out);
		free(rest);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		const char *a = args[i];
		if (may_take_value && !arg_is_flag(flags, a)) {
			may_take_value = false;
			out[w++] = args[i];
		} else if (strcmp(a, "--") == 0) {
			while (i < n)
				rest[r++] = args[i++];
			break;
		} else if (arg_is_flag(flags, a)) {
			const char *name = a + (a[1] == '-' ? 2 : 1);
			const struct cli_flag *f = lookup(flags, name, strcspn(name, "="));
			out[w++] = args[i];
			may_take_value = strchr(a, '=') == NULL && f->type != CLI_BOOL;
		} else {
			may_take_value = false;
			rest[r++] = args[i];
		}
	}
	memcpy(out + w, rest, r * sizeof *rest);
	free(rest);
	return out;
}

enum flag_outcome { FLAG_PARSED, FLAG_END, FLAG_HELP };

/* Parses one flag at args[*i] (Go's FlagSet.parseOne). FLAG_END means
 * args[*i] is not a flag (or "--" was consumed). */
static int parse_one(const struct cli_flag *flags, const struct cli_flag *mock_flags,
		     char **args, size_t n, size_t *i, struct cli_flags *set,
		     struct cli_flags *mock_set, enum flag_outcome *outcome, bool *was_mock,
		     mr_error **err)
{
	const char *s = args[*i];
	const char *name, *eq, *value = NULL;
	size_t len;
	const struct cli_flag *f;
	bool is_mock = false;

	if (strlen(s) < 2 || s[0] != '-') {
		*outcome = FLAG_END;
		return 0;
	}
	name = s + 1;
	if (s[1] == '-') {
		name++;
		if (s[2] == '\0') {
			(*i)++;
			*outcome = FLAG_END;
			return 0;
		}
	}
	if (name[0] == '\0' || name[0] == '-' || name[0] == '=')
		return mr_error_set(err, 0, "bad flag syntax: %s", s);
	eq = strchr(name, '=');
	len = eq != NULL ? (size_t)(eq - name) : strlen(name);
	if (eq != NULL)
		value = eq + 1;
	f = lookup(flags, name, len);
	if (f == NULL && mock_flags != NULL) {
		f = find_flag(mock_flags, name, len);
		is_mock = f != NULL;
	}
	if (f == NULL)
		return mr_error_set(err, 0, "flag provided but not defined: -%.*s", (int)len, name);
	(*i)++;
	if (f->type == CLI_BOOL) {
		bool b = true;
		if (value != NULL && parse_bool(value, &b) < 0)
			return mr_error_set(err, 0, "invalid boolean value \"%s\" for -%.*s: parse error",
					    value, (int)len, name);
		if (f == &help_flag) {
			*outcome = b ? FLAG_HELP : FLAG_PARSED;
			return 0;
		}
		value = b ? "true" : "false";
	} else {
		if (value == NULL && *i < n)
			value = args[(*i)++];
		if (value == NULL)
			return mr_error_set(err, 0, "flag needs an argument: -%.*s", (int)len, name);
		if ((f->type == CLI_INT || f->type == CLI_UINT) &&
		    !valid_integer(value, f->type == CLI_INT))
			return mr_error_set(err, 0, "invalid value \"%s\" for flag -%.*s: parse error",
					    value, (int)len, name);
		if (f->type == CLI_DURATION && !valid_duration(value))
			return mr_error_set(err, 0, "invalid value \"%s\" for flag -%.*s: "
					    "time: invalid duration \"%s\"", value, (int)len, name, value);
	}
	if (add_value(is_mock ? mock_set : set, f, value) < 0)
		return mr_error_set(err, ENOMEM, "parse");
	if (was_mock != NULL)
		*was_mock = is_mock;
	*outcome = FLAG_PARSED;
	return 0;
}

/* argv minus every --mock-* flag (and its value) of the global area. */
static int build_backend_argv(int argc, char **argv, size_t cmd_index, size_t *removed,
			      size_t nremoved, struct invocation *inv)
{
	size_t w = 0;

	inv->backend_argv = calloc((size_t)argc + 1, sizeof *inv->backend_argv);
	if (inv->backend_argv == NULL)
		return -1;
	for (size_t i = 0; i < (size_t)argc; i++) {
		bool skip = false;
		for (size_t k = 0; k < nremoved && i < cmd_index; k++)
			if (removed[k] == i)
				skip = true;
		if (!skip)
			inv->backend_argv[w++] = argv[i];
	}
	return 0;
}

static int check_args(const char *prog, const struct invocation *inv,
		      struct cli_parse_error *perr, mr_error **err)
{
	const struct cli_command *c = inv->cmd;
	const char *what;
	bool ok;

	switch (c->check) {
	case CLI_ARGS_EXACT: ok = inv->nargs == (size_t)c->nargs; what = "exactly"; break;
	case CLI_ARGS_MIN: ok = inv->nargs >= (size_t)c->nargs; what = "a minimum of"; break;
	case CLI_ARGS_MAX: ok = inv->nargs <= (size_t)c->nargs; what = "a maximum of"; break;
	default: return 0;
	}
	if (ok)
		return 0;
	perr->exit_code = 1;
	perr->show_usage = true;
	perr->usage_detail = false;
	return mr_error_set(err, 0, "%s: \"%s\" requires %s %d argument(s)", prog, c->name, what,
			    c->nargs);
}

int cli_parse(int argc, char **argv, struct invocation *inv,
	      struct cli_parse_error *perr, mr_error **err)
{
	size_t n = argc > 0 ? (size_t)argc : 0;
	size_t i = 1, cmd_index;
	cleanup_free size_t *removed = calloc(n + 1, sizeof *removed);
	size_t nremoved = 0;
	cleanup_free char **reordered = NULL;
	char **cargs;
	size_t cn, ci = 0;

	memset(inv, 0, sizeof *inv);
	*perr = (struct cli_parse_error){ .exit_code = 1 };
	inv->argc = argc;
	inv->argv = argv;
	if (removed == NULL)
		return mr_error_set(err, ENOMEM, "parse");

	/* Global flags, up to the command name. */
	while (i < n) {
		enum flag_outcome o;
		size_t before = i;
		bool was_mock = false;
		if (parse_one(cli_global_flags, cli_mock_flags, argv, n, &i, &inv->global,
			      &inv->mock, &o, &was_mock, err) < 0) {
			perr->show_usage = true;
			perr->usage_detail = true;
			return -1;
		}
		if (o == FLAG_HELP) {
			inv->help = true;
			continue;
		}
		if (o == FLAG_END)
			break;
		for (size_t k = before; was_mock && k < i; k++)
			removed[nremoved++] = k;
	}
	inv->version = cli_bool(&inv->global, "version");
	cmd_index = i;
	if (build_backend_argv(argc, argv, cmd_index, removed, nremoved, inv) < 0)
		return mr_error_set(err, ENOMEM, "parse");
	if (i >= n || inv->help || inv->version)
		return 0; /* no command: the caller prints help or the version */

	inv->cmd_name = argv[i];
	inv->cmd = cli_find_command(argv[i]);
	if (inv->cmd == NULL) {
		perr->exit_code = 3;
		return mr_error_set(err, 0, "No help topic for '%s'", argv[i]);
	}
	i++;

	cn = n - i;
	if (inv->cmd->no_reorder) {
		cargs = argv + i;
	} else {
		reordered = reorder(inv->cmd->flags, argv + i, cn);
		if (reordered == NULL)
			return mr_error_set(err, ENOMEM, "parse");
		cargs = reordered;
	}
	while (ci < cn) {
		enum flag_outcome o;
		if (parse_one(inv->cmd->flags, NULL, cargs, cn, &ci, &inv->local, NULL, &o, NULL,
			      err) < 0) {
			perr->show_usage = true;
			perr->usage_detail = true;
			return -1;
		}
		if (o == FLAG_HELP)
			inv->help = true;
		if (o == FLAG_END)
			break;
	}
	if (inv->help)
		return 0;
	inv->nargs = cn - ci;
	inv->args = calloc(inv->nargs + 1, sizeof *inv->args);
	if (inv->args == NULL)
		return mr_error_set(err, ENOMEM, "parse");
	for (size_t k = 0; k < inv->nargs; k++)
		inv->args[k] = cargs[ci + k];
	if (inv->cmd->has_id && inv->nargs > 0)
		inv->id = inv->args[0];
	if (strcmp(inv->cmd->name, "help") == 0)
		return 0;
	return check_args(argv[0], inv, perr, err);
}

void cli_invocation_free(struct invocation *inv)
{
	free_flags(&inv->global);
	free_flags(&inv->local);
	free_flags(&inv->mock);
	free(inv->args);
	free(inv->backend_argv);
	inv->args = NULL;
	inv->backend_argv = NULL;
}

static void print_flags(FILE *out, const struct cli_flag *flags, bool with_help)
{
	for (const struct cli_flag *f = flags; f != NULL && f->name != NULL; f++) {
		char left[96];
		const char *val = f->type == CLI_BOOL ? "" : " value";
		if (f->hidden)
			continue;
		if (f->alias != NULL)
			snprintf(left, sizeof left, "--%s%s, -%s%s", f->name, val, f->alias, val);
		else
			snprintf(left, sizeof left, "--%s%s", f->name, val);
		fprintf(out, "   %-30s %s", left, f->usage);
		if (f->defval != NULL)
			fprintf(out, " (default: %s)", f->defval);
		fputc('\n', out);
	}
	if (with_help)
		fprintf(out, "   %-30s %s\n", "--help, -h", "show help");
}

void cli_print_app_help(const char *prog)
{
	(void)prog;
	printf("NAME:\n   mockrunc - an OCI runtime that records what the engine asks of it\n\n");
	printf("mockrunc accepts runc's command line. Every call, its flags and the\n"
	       "container configuration are recorded in SQLite; the container then runs\n"
	       "through the built-in execution core or a delegate runtime.\n\n");
	printf("USAGE:\n   mockrunc [global options] command [command options] [arguments...]\n\n");
	printf("COMMANDS:\n");
	for (const struct cli_command *c = cli_commands; c->name != NULL; c++) {
		char names[32];
		if (c->alias != NULL)
			snprintf(names, sizeof names, "%s, %s", c->name, c->alias);
		else
			snprintf(names, sizeof names, "%s", c->name);
		printf("   %-11s %s\n", names, c->summary);
	}
	printf("\nGLOBAL OPTIONS:\n");
	print_flags(stdout, cli_global_flags, false);
	print_flags(stdout, cli_mock_flags, false);
}

void cli_print_command_help(const char *prog, const struct cli_command *cmd)
{
	(void)prog;
	printf("NAME:\n   mockrunc %s - %s\n\n", cmd->name, cmd->summary);
	printf("USAGE:\n   mockrunc %s [command options] %s\n\n", cmd->name, cmd->args_usage);
	if (cmd->description != NULL)
		printf("DESCRIPTION:\n   %s\n\n", cmd->description);
	printf("OPTIONS:\n");
	print_flags(stdout, cmd->flags, true);
}
