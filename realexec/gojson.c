#include "realexec/gojson.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* Go's quoteChar: 'x', '\n', '\''. */
static void quote_char(unsigned char c, char out[16])
{
	if (c == '\'')
		snprintf(out, 16, "'\\''");
	else if (c == '"')
		snprintf(out, 16, "'\"'");
	else if (c == '\n')
		snprintf(out, 16, "'\\n'");
	else if (c == '\r')
		snprintf(out, 16, "'\\r'");
	else if (c == '\t')
		snprintf(out, 16, "'\\t'");
	else if (c == '\\')
		snprintf(out, 16, "'\\\\'");
	else if (c < 0x20 || c == 0x7f)
		snprintf(out, 16, "'\\x%02x'", c);
	else if (c >= 0x80)
		snprintf(out, 16, "'\\u00%02x'", c);
	else
		snprintf(out, 16, "'%c'", c);
}

struct scan {
	const unsigned char *p, *end;
	mr_error **err;
};

static int bad(struct scan *s, const char *context)
{
	char q[16];

	if (s->p >= s->end)
		return mr_error_set(s->err, 0, "unexpected EOF");
	quote_char(*s->p, q);
	return mr_error_set(s->err, 0, "invalid character %s %s", q, context);
}

static bool is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void skip_space(struct scan *s)
{
	while (s->p < s->end && is_space(*s->p))
		s->p++;
}

static int scan_value(struct scan *s, int depth);

static int scan_string(struct scan *s)
{
	s->p++;
	while (s->p < s->end) {
		unsigned char c = *s->p;
		if (c == '"') {
			s->p++;
			return 0;
		}
		if (c < 0x20)
			return bad(s, "in string literal");
		if (c == '\\') {
			s->p++;
			if (s->p >= s->end)
				break;
			if (*s->p == 'u') {
				for (int i = 0; i < 4; i++) {
					s->p++;
					if (s->p >= s->end)
						return bad(s, "");
					if (!isxdigit(*s->p))
						return bad(s, "in \\u hexadecimal character escape");
				}
			} else if (strchr("\"\\/bfnrt", *s->p) == NULL) {
				return bad(s, "in string escape code");
			}
		}
		s->p++;
	}
	return mr_error_set(s->err, 0, "unexpected EOF");
}

static int scan_literal(struct scan *s, const char *word)
{
	for (size_t i = 0; word[i] != '\0'; i++, s->p++) {
		if (s->p >= s->end)
			return mr_error_set(s->err, 0, "unexpected EOF");
		if (*s->p != (unsigned char)word[i]) {
			char ctx[48];
			snprintf(ctx, sizeof ctx, "in literal %s (expecting '%c')", word, word[i]);
			return bad(s, ctx);
		}
	}
	return 0;
}

static bool is_digit(const struct scan *s)
{
	return s->p < s->end && *s->p >= '0' && *s->p <= '9';
}

static int scan_number(struct scan *s)
{
	if (*s->p == '-') {
		s->p++;
		if (s->p >= s->end)
			return mr_error_set(s->err, 0, "unexpected EOF");
		if (!is_digit(s))
			return bad(s, "in numeric literal");
	}
	if (*s->p == '0')
		s->p++;
	else
		while (is_digit(s))
			s->p++;
	if (s->p < s->end && *s->p == '.') {
		s->p++;
		if (s->p >= s->end)
			return mr_error_set(s->err, 0, "unexpected EOF");
		if (!is_digit(s))
			return bad(s, "after decimal point in numeric literal");
		while (is_digit(s))
			s->p++;
	}
	if (s->p < s->end && (*s->p == 'e' || *s->p == 'E')) {
		s->p++;
		if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
			s->p++;
		if (s->p >= s->end)
			return mr_error_set(s->err, 0, "unexpected EOF");
		if (!is_digit(s))
			return bad(s, "in exponent of numeric literal");
		while (is_digit(s))
			s->p++;
	}
	return 0;
}

static int scan_value(struct scan *s, int depth)
{
	skip_space(s);
	if (s->p >= s->end)
		return mr_error_set(s->err, 0, "unexpected EOF");
	if (depth > 10000)
		return mr_error_set(s->err, 0, "exceeded max depth");
	switch (*s->p) {
	case '{':
		s->p++;
		skip_space(s);
		if (s->p < s->end && *s->p == '}') {
			s->p++;
			return 0;
		}
		for (;;) {
			skip_space(s);
			if (s->p >= s->end || *s->p != '"')
				return bad(s, "looking for beginning of object key string");
			if (scan_string(s) < 0)
				return -1;
			skip_space(s);
			if (s->p >= s->end || *s->p != ':')
				return bad(s, "after object key");
			s->p++;
			if (scan_value(s, depth + 1) < 0)
				return -1;
			skip_space(s);
			if (s->p < s->end && *s->p == ',') {
				s->p++;
				continue;
			}
			if (s->p < s->end && *s->p == '}') {
				s->p++;
				return 0;
			}
			return bad(s, "after object key:value pair");
		}
	case '[':
		s->p++;
		skip_space(s);
		if (s->p < s->end && *s->p == ']') {
			s->p++;
			return 0;
		}
		for (;;) {
			if (scan_value(s, depth + 1) < 0)
				return -1;
			skip_space(s);
			if (s->p < s->end && *s->p == ',') {
				s->p++;
				continue;
			}
			if (s->p < s->end && *s->p == ']') {
				s->p++;
				return 0;
			}
			return bad(s, "after array element");
		}
	case '"':
		return scan_string(s);
	case 't':
		return scan_literal(s, "true");
	case 'f':
		return scan_literal(s, "false");
	case 'n':
		return scan_literal(s, "null");
	default:
		if (*s->p == '-' || (*s->p >= '0' && *s->p <= '9'))
			return scan_number(s);
		return bad(s, "looking for beginning of value");
	}
}

int rx_json_decode_go(const char *data, size_t len, json_t **out, mr_error **err)
{
	struct scan s = { (const unsigned char *)data, (const unsigned char *)data + len, err };
	const unsigned char *start;
	json_error_t jerr;
	json_t *v;

	*out = NULL;
	skip_space(&s);
	if (s.p >= s.end)
		return mr_error_set(err, 0, "EOF");
	start = s.p;
	if (scan_value(&s, 0) < 0)
		return -1;
	/* A scalar needs the byte after it to end; objects and arrays end at
	 * their bracket and whatever follows is never read. */
	if (*start != '{' && *start != '[' && s.p < s.end && !is_space(*s.p))
		return bad(&s, "after top-level value");
	/* Go's decoder, not jansson, decides what is valid JSON above; jansson
	 * only builds the tree (duplicate keys: the last wins, as in Go). */
	v = json_loadb((const char *)start, (size_t)(s.p - start), JSON_DECODE_ANY | JSON_ALLOW_NUL,
		       &jerr);
	if (v == NULL)
		return mr_error_set(err, 0, "%s", jerr.text);
	*out = v;
	return 0;
}
