#include "common/json.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/file.h"

/* Engines write Go uint64 fields at their full range: RLIM_INFINITY as an
 * rlimit, a swappiness of -1 wrapped to 18446744073709551615. jansson holds
 * integers as int64, so integer literals in [2^63, 2^64) are rewritten to
 * the int64 with the same bits (value - 2^64); a reader of a uint64 field
 * casts it back and gets the exact value. Strings are left alone. Returns
 * NULL when there was nothing to rewrite. */
static char *wrap_uint64_literals(const char *data, size_t len, size_t *out_len)
{
	char *out = malloc(len + len / 19 * 2 + 2);
	size_t w = 0, i = 0;
	bool changed = false, in_string = false;

	if (out == NULL)
		return NULL;
	while (i < len) {
		char c = data[i];
		if (in_string) {
			out[w++] = c;
			if (c == '\\' && i + 1 < len)
				out[w++] = data[++i];
			else if (c == '"')
				in_string = false;
			i++;
			continue;
		}
		if (c == '"') {
			in_string = true;
			out[w++] = data[i++];
			continue;
		}
		if (c >= '0' && c <= '9' && (i == 0 || !(data[i - 1] == '-' || data[i - 1] == '.' ||
						       (data[i - 1] >= '0' && data[i - 1] <= '9')))) {
			size_t start = i, n;
			unsigned __int128 v = 0;
			while (i < len && data[i] >= '0' && data[i] <= '9') {
				if (v < ((unsigned __int128)1 << 65))
					v = v * 10 + (unsigned)(data[i] - '0');
				i++;
			}
			n = i - start;
			if (v > (unsigned __int128)INT64_MAX && v <= (unsigned __int128)UINT64_MAX &&
			    (i >= len || (data[i] != '.' && data[i] != 'e' && data[i] != 'E'))) {
				w += (size_t)sprintf(out + w, "%lld", (long long)(int64_t)(uint64_t)v);
				changed = true;
			} else {
				memcpy(out + w, data + start, n);
				w += n;
			}
			continue;
		}
		out[w++] = data[i++];
	}
	if (!changed) {
		free(out);
		return NULL;
	}
	*out_len = w;
	return out;
}

json_t *mr_json_parse(const char *data, size_t len, mr_error **err)
{
	json_error_t jerr;
	json_t *v = json_loadb(data, len, JSON_ALLOW_NUL, &jerr);

	if (v == NULL && strstr(jerr.text, "too big") != NULL) {
		size_t wrapped_len = 0;
		char *wrapped = wrap_uint64_literals(data, len, &wrapped_len);
		if (wrapped != NULL) {
			v = json_loadb(wrapped, wrapped_len, JSON_ALLOW_NUL, &jerr);
			free(wrapped);
		}
	}
	if (v == NULL)
		mr_error_set(err, 0, "invalid JSON at line %d column %d: %s",
			     jerr.line, jerr.column, jerr.text);
	return v;
}

json_t *mr_json_load_file(const char *path, mr_error **err)
{
	cleanup_free char *data = NULL;
	size_t len = 0;
	json_t *v;

	if (mr_read_file(path, &data, &len, err) < 0)
		return NULL;
	v = mr_json_parse(data, len, err);
	if (v == NULL)
		mr_error_wrap(err, "%s", path);
	return v;
}

json_t *mr_json_path(json_t *root, const char *dotted)
{
	const char *p = dotted;

	while (root != NULL && *p != '\0') {
		const char *dot = strchr(p, '.');
		size_t n = dot != NULL ? (size_t)(dot - p) : strlen(p);
		if (!json_is_object(root))
			return NULL;
		root = json_object_getn(root, p, n);
		p += n;
		if (*p == '.')
			p++;
	}
	return root;
}

const char *mr_json_str(json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

bool mr_json_bool(json_t *obj, const char *key, bool fallback)
{
	json_t *v = json_object_get(obj, key);

	return json_is_boolean(v) ? json_is_true(v) : fallback;
}

json_int_t mr_json_int(json_t *obj, const char *key, json_int_t fallback)
{
	json_t *v = json_object_get(obj, key);

	return json_is_integer(v) ? json_integer_value(v) : fallback;
}

/* Length of a valid UTF-8 sequence at s, or 0 when invalid. */
static size_t utf8_len(const unsigned char *s)
{
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		return (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (s[0] >= 0xe0 && s[0] <= 0xef) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return 0;
		if (s[0] == 0xe0 && s[1] < 0xa0)
			return 0;
		if (s[0] == 0xed && s[1] >= 0xa0)
			return 0; /* surrogates */
		return 3;
	}
	if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 || (s[3] & 0xc0) != 0x80)
			return 0;
		if (s[0] == 0xf0 && s[1] < 0x90)
			return 0;
		if (s[0] == 0xf4 && s[1] >= 0x90)
			return 0;
		return 4;
	}
	return 0;
}

char *mr_json_quote_go(const char *s)
{
	size_t cap = strlen(s) * 6 + 3, w = 0;
	char *out = malloc(cap);
	const unsigned char *p = (const unsigned char *)s;

	if (out == NULL)
		return NULL;
	out[w++] = '"';
	while (*p != '\0') {
		size_t n = utf8_len(p);
		if (n == 0) {
			w += (size_t)sprintf(out + w, "\\ufffd");
			p++;
			continue;
		}
		if (n == 3 && p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9)) {
			w += (size_t)sprintf(out + w, "\\u202%c", p[2] == 0xa8 ? '8' : '9');
			p += 3;
			continue;
		}
		if (n > 1) {
			memcpy(out + w, p, n);
			w += n;
			p += n;
			continue;
		}
		switch (*p) {
		case '"': out[w++] = '\\'; out[w++] = '"'; break;
		case '\\': out[w++] = '\\'; out[w++] = '\\'; break;
		case '\n': out[w++] = '\\'; out[w++] = 'n'; break;
		case '\r': out[w++] = '\\'; out[w++] = 'r'; break;
		case '\t': out[w++] = '\\'; out[w++] = 't'; break;
		case '<': case '>': case '&':
			w += (size_t)sprintf(out + w, "\\u00%02x", *p);
			break;
		default:
			if (*p < 0x20)
				w += (size_t)sprintf(out + w, "\\u00%02x", *p);
			else
				out[w++] = (char)*p;
		}
		p++;
	}
	out[w++] = '"';
	out[w] = '\0';
	return out;
}

json_t *mr_json_string_lossy(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	char *clean, *w;
	json_t *v;

	v = json_string(s);
	if (v != NULL)
		return v;
	clean = malloc(strlen(s) * 3 + 1);
	if (clean == NULL)
		return NULL;
	w = clean;
	while (*p != '\0') {
		size_t n = utf8_len(p);
		if (n == 0) {
			memcpy(w, "\xef\xbf\xbd", 3);
			w += 3;
			p++;
		} else {
			memcpy(w, p, n);
			w += n;
			p += n;
		}
	}
	*w = '\0';
	v = json_string(clean);
	free(clean);
	return v;
}

char *mr_json_dump(json_t *v, bool indent)
{
	return json_dumps(v, JSON_ENCODE_ANY | JSON_PRESERVE_ORDER |
			     (indent ? JSON_INDENT(2) : JSON_COMPACT));
}
