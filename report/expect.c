#include "report/expect.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "common/cleanup.h"
#include "common/file.h"
#include "common/json.h"

/* ---- paths ---- */

json_t *expect_path(json_t *doc, const char *path)
{
	const char *p = path;
	json_t *cur = doc;

	while (cur != NULL && *p != '\0') {
		if (*p == '.') {
			p++;
			continue;
		}
		if (*p == '[') {
			const char *end = strchr(p, ']');
			const char *eq;
			if (end == NULL)
				return NULL;
			eq = memchr(p, '=', (size_t)(end - p));
			if (eq == NULL) {
				char *num_end;
				long i = strtol(p + 1, &num_end, 10);
				if (num_end != end || i < 0)
					return NULL;
				cur = json_array_get(cur, (size_t)i);
			} else {
				/* [key=value]: the first element whose key equals value */
				json_t *item, *found = NULL;
				size_t i, klen = (size_t)(eq - p - 1), vlen = (size_t)(end - eq - 1);
				json_array_foreach(cur, i, item) {
					json_t *k = json_object_getn(item, p + 1, klen);
					char buf[64];
					const char *s = json_string_value(k);
					if (s == NULL && json_is_integer(k)) {
						snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(k));
						s = buf;
					}
					if (s != NULL && strlen(s) == vlen && strncmp(s, eq + 1, vlen) == 0) {
						found = item;
						break;
					}
				}
				cur = found;
			}
			p = end + 1;
			continue;
		}
		{
			size_t n = strcspn(p, ".[");
			cur = json_object_getn(cur, p, n);
			p += n;
		}
	}
	return cur;
}

/* ---- evaluation ---- */

static bool values_equal(json_t *a, json_t *b)
{
	if (json_is_number(a) && json_is_number(b))
		return json_number_value(a) == json_number_value(b) &&
		       (!json_is_integer(a) || !json_is_integer(b) ||
			json_integer_value(a) == json_integer_value(b));
	return json_equal(a, b);
}

static bool apply(const struct expect_check *c, json_t *actual)
{
	size_t i;
	json_t *item;

	switch (c->op) {
	case OP_EXISTS:
		return actual != NULL;
	case OP_ABSENT:
		return actual == NULL;
	case OP_EQ:
		return actual != NULL && values_equal(actual, c->value);
	case OP_NE:
		return actual == NULL || !values_equal(actual, c->value);
	case OP_LT: case OP_LE: case OP_GT: case OP_GE: {
		double a, b;
		if (!json_is_number(actual) || !json_is_number(c->value))
			return false;
		a = json_number_value(actual);
		b = json_number_value(c->value);
		return c->op == OP_LT ? a < b : c->op == OP_LE ? a <= b : c->op == OP_GT ? a > b : a >= b;
	}
	case OP_CONTAINS:
		if (json_is_string(actual) && json_is_string(c->value))
			return strstr(json_string_value(actual), json_string_value(c->value)) != NULL;
		json_array_foreach(actual, i, item)
			if (values_equal(item, c->value))
				return true;
		return false;
	case OP_MATCHES:
		return json_is_string(actual) && regexec(&c->re, json_string_value(actual), 0, NULL, 0) == 0;
	}
	return false;
}

bool expect_eval_json(const struct expect_check *c, json_t *doc, char **actual)
{
	json_t *v = expect_path(doc, c->path);

	*actual = v != NULL ? json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
	if (*actual != NULL && strlen(*actual) > 240)
		strcpy(*actual + 236, "...");
	return apply(c, v);
}

/* A command-line item's value is text: an expected number compares as its
 * decimal text ("kill.signal == 9" matches the argument "9"). */
bool expect_eval_cli(const struct expect_check *c, bool present, const char *value)
{
	cleanup_json json_t *actual = NULL;

	if (c->op == OP_EXISTS)
		return present;
	if (c->op == OP_ABSENT)
		return !present;
	if (!present)
		return c->op == OP_NE;
	actual = value != NULL ? json_string(value) : json_null();
	if ((c->op == OP_EQ || c->op == OP_NE) && json_is_number(c->value) && value != NULL) {
		char *text = json_dumps(c->value, JSON_ENCODE_ANY);
		bool same = text != NULL && strcmp(text, value) == 0;
		free(text);
		return c->op == OP_EQ ? same : !same;
	}
	if (c->op >= OP_LT && c->op <= OP_GE && value != NULL) {
		char *end;
		double d = strtod(value, &end);
		if (*end == '\0' && end != value) {
			json_decref(actual);
			actual = json_real(d);
		}
	}
	return apply(c, actual);
}

bool expect_step_for_engine(const struct expect_step *st, const char *engine)
{
	return st->engine == NULL || (engine != NULL && strcasecmp(st->engine, engine) == 0);
}

bool expect_step_matches_doc(const struct expect_step *st, json_t *doc)
{
	if (st->match == MATCH_ENV) {
		json_t *e;
		size_t i, klen = strlen(st->match_key);
		json_array_foreach(expect_path(doc, "process.env"), i, e) {
			const char *s = json_string_value(e);
			if (s != NULL && strncmp(s, st->match_key, klen) == 0 && s[klen] == '=' &&
			    strcmp(s + klen + 1, st->match_value) == 0)
				return true;
		}
		return false;
	}
	if (st->match == MATCH_ANNOTATION) {
		const char *v = json_string_value(json_object_get(json_object_get(doc, "annotations"),
								  st->match_key));
		return v != NULL && strcmp(v, st->match_value) == 0;
	}
	return false;
}

bool expect_step_matches_id(const struct expect_step *st, const char *container)
{
	return st->match == MATCH_ID && container != NULL &&
	       regexec(&st->match_re, container, 0, NULL, 0) == 0;
}

/* ---- loading ---- */

static void check_free(struct expect_check *c)
{
	free(c->path);
	free(c->text);
	json_decref(c->value);
	if (c->has_re)
		regfree(&c->re);
}

static void step_free(struct expect_step *st)
{
	for (size_t i = 0; i < st->nchecks; i++)
		check_free(&st->checks[i]);
	free(st->checks);
	free(st->name);
	free(st->title);
	free(st->engine);
	free(st->source);
	free(st->match_key);
	free(st->match_value);
	if (st->has_match_re)
		regfree(&st->match_re);
}

void expect_set_free(struct expect_set *set)
{
	for (size_t i = 0; i < set->n; i++)
		step_free(&set->steps[i]);
	free(set->steps);
	memset(set, 0, sizeof *set);
}

static const struct {
	const char *text;
	enum expect_op op;
} ops[] = {
	{ "exists", OP_EXISTS }, { "absent", OP_ABSENT }, { "==", OP_EQ }, { "!=", OP_NE },
	{ "<=", OP_LE }, { ">=", OP_GE }, { "<", OP_LT }, { ">", OP_GT },
	{ "contains", OP_CONTAINS }, { "matches", OP_MATCHES },
};

static char *next_word(char **p)
{
	char *s = *p, *w;

	while (isspace((unsigned char)*s))
		s++;
	if (*s == '\0') {
		*p = s;
		return NULL;
	}
	w = s;
	while (*s != '\0' && !isspace((unsigned char)*s))
		s++;
	if (*s != '\0')
		*s++ = '\0';
	*p = s;
	return w;
}

static char *rest_of_line(char *p)
{
	char *end;

	while (isspace((unsigned char)*p))
		p++;
	end = p + strlen(p);
	while (end > p && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return p;
}

/* A JSON literal, or the text itself as a string. */
static json_t *literal(const char *text)
{
	json_t *v = json_loads(text, JSON_DECODE_ANY, NULL);

	return v != NULL ? v : json_string(text);
}

static bool valid_name(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && *s != '.' && *s != '_' && *s != '-')
			return false;
	return true;
}

static int parse_check(char *line, struct expect_check *c, mr_error **err)
{
	static const char *const subjects[] = { "config", "process", "resources", "call", "cli" };
	char *p = line, *subject = next_word(&p), *path = next_word(&p), *op;
	char *rest;
	size_t i;

	memset(c, 0, sizeof *c);
	c->op = OP_EXISTS;
	if (subject == NULL || path == NULL)
		return mr_error_set(err, 0, "expect needs a subject and what to look at");
	for (i = 0; i < 5 && strcmp(subject, subjects[i]) != 0; i++)
		;
	if (i == 5)
		return mr_error_set(err, 0, "unknown subject \"%s\" (config, process, resources, call, cli)", subject);
	c->subject = (enum expect_subject)i;
	c->path = strdup(path);
	if (c->subject == EXPECT_CALL) {
		if (next_word(&p) != NULL)
			return mr_error_set(err, 0, "expect call takes only a command name");
		return 0;
	}
	if ((op = next_word(&p)) == NULL) {
		if (c->subject != EXPECT_CLI)
			return mr_error_set(err, 0, "expect %s needs an operator", subject);
		return 0;
	}
	for (i = 0; i < sizeof ops / sizeof ops[0] && strcmp(op, ops[i].text) != 0; i++)
		;
	if (i == sizeof ops / sizeof ops[0])
		return mr_error_set(err, 0, "unknown operator \"%s\"", op);
	c->op = ops[i].op;
	rest = rest_of_line(p);
	if (c->op == OP_EXISTS || c->op == OP_ABSENT) {
		if (*rest != '\0')
			return mr_error_set(err, 0, "%s takes no value", op);
		return 0;
	}
	if (*rest == '\0')
		return mr_error_set(err, 0, "%s needs a value", op);
	c->value = literal(rest);
	if (c->op == OP_MATCHES) {
		const char *re = json_is_string(c->value) ? json_string_value(c->value) : rest;
		if (regcomp(&c->re, re, REG_EXTENDED | REG_NOSUB) != 0)
			return mr_error_set(err, 0, "bad regular expression \"%s\"", re);
		c->has_re = true;
	}
	return 0;
}

static int add_step(struct expect_set *set, const char *name, const char *engine,
		    const char *file, int line, mr_error **err)
{
	struct expect_step *steps = realloc(set->steps, (set->n + 1) * sizeof *steps);
	struct expect_step *st;

	if (steps == NULL)
		return mr_error_set(err, ENOMEM, "expectations");
	set->steps = steps;
	st = &set->steps[set->n++];
	memset(st, 0, sizeof *st);
	st->name = strdup(name);
	st->engine = engine != NULL ? strdup(engine) : NULL;
	st->level = CATALOG_MUST;
	st->match = MATCH_ENV;
	st->match_key = strdup("MOCKRUNC_STEP");
	st->match_value = strdup(name);
	if (asprintf(&st->source, "%s:%d", file, line) < 0)
		st->source = NULL;
	return 0;
}

static int parse_match(struct expect_step *st, char *p, mr_error **err)
{
	char *kind = next_word(&p), *arg = rest_of_line(p), *eq;

	if (kind == NULL || *arg == '\0')
		return mr_error_set(err, 0, "match needs a kind (env, annotation, id) and a value");
	free(st->match_key);
	free(st->match_value);
	st->match_key = st->match_value = NULL;
	if (strcmp(kind, "id") == 0) {
		st->match = MATCH_ID;
		if (st->has_match_re)
			regfree(&st->match_re);
		st->has_match_re = false;
		if (regcomp(&st->match_re, arg, REG_EXTENDED | REG_NOSUB) != 0)
			return mr_error_set(err, 0, "bad regular expression \"%s\"", arg);
		st->has_match_re = true;
		return 0;
	}
	if (strcmp(kind, "env") != 0 && strcmp(kind, "annotation") != 0)
		return mr_error_set(err, 0, "unknown match kind \"%s\" (env, annotation, id)", kind);
	st->match = kind[0] == 'e' ? MATCH_ENV : MATCH_ANNOTATION;
	eq = strchr(arg, '=');
	if (eq == NULL || eq == arg)
		return mr_error_set(err, 0, "match %s needs NAME=VALUE", kind);
	st->match_key = strndup(arg, (size_t)(eq - arg));
	st->match_value = strdup(eq + 1);
	return 0;
}

static int load_file(struct expect_set *set, const char *path, mr_error **err)
{
	cleanup_fclose FILE *f = fopen(path, "re");
	cleanup_free char *engine = NULL;
	char *buf = NULL;
	size_t cap = 0;
	int lineno = 0;
	struct expect_step *st = NULL;

	if (f == NULL)
		return mr_error_set(err, errno, "open %s", path);
	while (getline(&buf, &cap, f) >= 0) {
		char *p = buf, *kw;
		lineno++;
		buf[strcspn(buf, "\n")] = '\0';
		if ((kw = next_word(&p)) == NULL || kw[0] == '#')
			continue;
		if (strcmp(kw, "engine") == 0 && st == NULL) {
			char *name = rest_of_line(p);
			free(engine);
			engine = *name != '\0' ? strdup(name) : NULL;
		} else if (strcmp(kw, "step") == 0) {
			char *name = next_word(&p);
			if (name == NULL || !valid_name(name) || *rest_of_line(p) != '\0') {
				mr_error_set(err, 0, "a step name is one word of letters, digits, '.', '_' or '-'");
				goto bad;
			}
			for (size_t i = 0; i < set->n; i++)
				if (strcmp(set->steps[i].name, name) == 0 &&
				    (set->steps[i].engine == NULL) == (engine == NULL) &&
				    (engine == NULL || strcmp(set->steps[i].engine, engine) == 0)) {
					mr_error_set(err, 0, "step \"%s\" is defined twice", name);
					goto bad;
				}
			if (add_step(set, name, engine, path, lineno, err) < 0)
				goto bad;
			st = &set->steps[set->n - 1];
		} else if (st == NULL) {
			mr_error_set(err, 0, "\"%s\" before the first step", kw);
			goto bad;
		} else if (strcmp(kw, "title") == 0) {
			free(st->title);
			st->title = strdup(rest_of_line(p));
		} else if (strcmp(kw, "level") == 0) {
			char *l = rest_of_line(p);
			if (strcmp(l, "MUST") == 0)
				st->level = CATALOG_MUST;
			else if (strcmp(l, "SHOULD") == 0)
				st->level = CATALOG_SHOULD;
			else {
				mr_error_set(err, 0, "level is MUST or SHOULD");
				goto bad;
			}
		} else if (strcmp(kw, "optional") == 0) {
			st->optional = true;
		} else if (strcmp(kw, "match") == 0) {
			if (parse_match(st, p, err) < 0)
				goto bad;
		} else if (strcmp(kw, "expect") == 0) {
			struct expect_check *checks = realloc(st->checks, (st->nchecks + 1) * sizeof *checks);
			char *text = strdup(rest_of_line(p));
			if (checks == NULL || text == NULL) {
				free(text);
				mr_error_set(err, ENOMEM, "expectations");
				goto bad;
			}
			st->checks = checks;
			if (parse_check(p, &st->checks[st->nchecks], err) < 0) {
				check_free(&st->checks[st->nchecks]);
				free(text);
				goto bad;
			}
			st->checks[st->nchecks++].text = text;
		} else {
			mr_error_set(err, 0, "unknown keyword \"%s\"", kw);
			goto bad;
		}
	}
	free(buf);
	return 0;
bad:
	free(buf);
	return mr_error_wrap(err, "%s:%d", path, lineno);
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n > m && strcmp(s + n - m, suffix) == 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Files in a stable (sorted) order, so step order does not depend on the
 * directory's. */
static int load_dir(struct expect_set *set, const char *dir, int depth, mr_error **err)
{
	cleanup_dir DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0;
	int rc = 0;

	if (d == NULL)
		return mr_error_set(err, errno, "open %s", dir);
	while ((de = readdir(d)) != NULL) {
		char **nn;
		if (de->d_name[0] == '.')
			continue;
		nn = realloc(names, (n + 1) * sizeof *nn);
		if (nn == NULL)
			break;
		names = nn;
		names[n++] = mr_path_join(dir, de->d_name);
	}
	if (n > 1)
		qsort(names, n, sizeof *names, cmp_str);
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct stat st;
		if (names[i] == NULL || stat(names[i], &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode) && depth > 0)
			rc = load_dir(set, names[i], depth - 1, err);
		else if (S_ISREG(st.st_mode) && has_suffix(names[i], ".expect"))
			rc = load_file(set, names[i], err);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

int expect_set_load(struct expect_set *set, const char *path, mr_error **err)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return mr_error_set(err, errno, "expectations %s", path);
	if (S_ISDIR(st.st_mode))
		return load_dir(set, path, 1, err);
	return load_file(set, path, err);
}
