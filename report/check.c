/* Shared pieces of the config checks. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/file.h"
#include "common/json.h"
#include "report/check.h"

/* Evidence values are shown, not stored whole: a long seccomp profile
 * would drown the report. */
#define VALUE_MAX 240

static char *value_text(json_t *value)
{
	char *text;
	size_t len;

	if (value == NULL)
		return NULL;
	text = json_dumps(value, JSON_ENCODE_ANY | JSON_COMPACT);
	if (text == NULL)
		return NULL;
	len = strlen(text);
	/* Cut only when "..." fits in what is cut away: the buffer is
	 * len + 1 bytes. */
	if (len > VALUE_MAX + 3) {
		size_t cut = VALUE_MAX;
		/* Never split a UTF-8 sequence. */
		while (cut > 0 && ((unsigned char)text[cut] & 0xc0) == 0x80)
			cut--;
		memcpy(text + cut, "...", 4);
	}
	return text;
}

void check_fail(struct check_ctx *c, const char *feature, json_t *value,
		const char *message, const char *path_fmt, ...)
{
	char path[512];
	char *text;
	va_list ap;

	va_start(ap, path_fmt);
	vsnprintf(path, sizeof path, path_fmt, ap);
	va_end(ap);
	text = value_text(value);
	c->emit(c, feature, path, text, message);
	free(text);
}

json_t *check_get(json_t *doc, const char *dotted)
{
	return mr_json_path(doc, dotted);
}

bool check_is_abs(const char *s)
{
	return s != NULL && s[0] == '/';
}

bool check_is_cpu_list(const char *s)
{
	const char *p = s;

	if (s == NULL)
		return false;
	if (*p == '\0')
		return true;
	for (;;) {
		if (!isdigit((unsigned char)*p))
			return false;
		while (isdigit((unsigned char)*p))
			p++;
		if (*p == '-') {
			p++;
			if (!isdigit((unsigned char)*p))
				return false;
			while (isdigit((unsigned char)*p))
				p++;
		}
		if (*p == '\0')
			return true;
		if (*p++ != ',')
			return false;
	}
}

bool check_in(const char *value, const char *const *list)
{
	if (value == NULL)
		return false;
	for (size_t i = 0; list[i] != NULL; i++)
		if (strcmp(list[i], value) == 0)
			return true;
	return false;
}

bool check_is_int(json_t *v)
{
	double d;

	if (json_is_integer(v))
		return true;
	if (!json_is_real(v))
		return false;
	d = json_real_value(v);
	/* Every double of magnitude 2^52 or more is a whole number. */
	if (d >= 4503599627370496.0 || d <= -4503599627370496.0)
		return true;
	return d == (double)(int64_t)d;
}

double check_num(json_t *v)
{
	return json_number_value(v);
}

int check_cmp(json_t *a, json_t *b)
{
	if (json_is_integer(a) && json_is_integer(b)) {
		json_int_t x = json_integer_value(a), y = json_integer_value(b);
		return x < y ? -1 : x > y;
	}
	{
		double x = json_number_value(a), y = json_number_value(b);
		return x < y ? -1 : x > y;
	}
}

json_t *check_ns(json_t *doc, const char *type)
{
	json_t *ns;
	size_t i;

	json_array_foreach(check_get(doc, "linux.namespaces"), i, ns) {
		const char *t = json_string_value(json_object_get(ns, "type"));
		if (t != NULL && strcmp(t, type) == 0)
			return ns;
	}
	return NULL;
}

bool check_has_ns(json_t *doc, const char *type)
{
	return check_ns(doc, type) != NULL;
}

char *check_bundle_path(const char *bundle, const char *name)
{
	cleanup_free char *joined = NULL;

	if (name[0] == '/')
		return mr_path_clean(name);
	joined = mr_path_join(bundle, name);
	return joined != NULL ? mr_path_clean(joined) : NULL;
}

bool check_rootfs_in_bundle(const char *root_path, const char *bundle)
{
	cleanup_free char *rootfs = check_bundle_path(bundle, root_path);
	cleanup_free char *dir = mr_path_clean(bundle);
	char *slash;

	if (rootfs == NULL || dir == NULL)
		return true;
	slash = strrchr(rootfs, '/');
	if (slash == NULL)
		return false;
	if (slash == rootfs)
		slash[1] = '\0';
	else
		*slash = '\0';
	return strcmp(rootfs, dir) == 0;
}
