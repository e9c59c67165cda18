#include "report/version.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static bool read_number(const char **p, int *out)
{
	long v = 0;
	const char *s = *p;

	if (!isdigit((unsigned char)*s))
		return false;
	while (isdigit((unsigned char)*s)) {
		v = v * 10 + (*s - '0');
		if (v > 1000000)
			return false;
		s++;
	}
	*out = (int)v;
	*p = s;
	return true;
}

bool spec_version_parse(const char *s, struct spec_version *v)
{
	const char *p = s;

	if (s == NULL || !read_number(&p, &v->major) || *p++ != '.' ||
	    !read_number(&p, &v->minor) || *p++ != '.' || !read_number(&p, &v->patch))
		return false;
	return true;
}

int spec_version_cmp(struct spec_version a, struct spec_version b)
{
	if (a.major != b.major)
		return a.major < b.major ? -1 : 1;
	if (a.minor != b.minor)
		return a.minor < b.minor ? -1 : 1;
	if (a.patch != b.patch)
		return a.patch < b.patch ? -1 : 1;
	return 0;
}

static bool ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '-';
}

/* A numeric core part: digits, no leading zero unless exactly "0". */
static const char *core_number(const char *p)
{
	const char *start = p;

	while (isdigit((unsigned char)*p))
		p++;
	if (p == start || (*start == '0' && p - start > 1))
		return NULL;
	return p;
}

/* Dot-separated identifiers up to end; numeric ones without leading zeros
 * when `numeric_rule` (pre-release), any when not (build metadata). */
static bool identifiers(const char *p, const char *end, bool numeric_rule)
{
	while (p < end) {
		const char *start = p;
		bool all_digits = true;
		while (p < end && *p != '.') {
			if (!ident_char(*p))
				return false;
			if (!isdigit((unsigned char)*p))
				all_digits = false;
			p++;
		}
		if (p == start)
			return false;
		if (numeric_rule && all_digits && *start == '0' && p - start > 1)
			return false;
		if (p < end) {
			p++;
			if (p == end)
				return false;
		}
	}
	return true;
}

bool spec_version_is_semver(const char *s)
{
	const char *p = s, *plus, *end;

	if (s == NULL)
		return false;
	for (int i = 0; i < 3; i++) {
		if ((p = core_number(p)) == NULL)
			return false;
		if (i < 2 && *p++ != '.')
			return false;
	}
	end = p + strlen(p);
	plus = strchr(p, '+');
	if (*p == '-') {
		const char *pre_end = plus != NULL ? plus : end;
		if (pre_end == p + 1 || !identifiers(p + 1, pre_end, true))
			return false;
		p = pre_end;
	}
	if (*p == '+')
		return p + 1 < end && identifiers(p + 1, end, false);
	return *p == '\0';
}
