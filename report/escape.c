/* Escaping for every output format, and the wording the formats share. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/json.h"
#include "report/render.h"

void esc_html(FILE *f, const char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default: fputc(*s, f);
		}
	}
}

/* Length of a valid UTF-8 sequence at s, 0 when invalid. */
static size_t utf8_seq(const unsigned char *s)
{
	size_t n;
	unsigned cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff) || cp == 0xfffe || cp == 0xffff)) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return n;
}

void esc_xml(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (p != NULL && *p != '\0') {
		size_t n = utf8_seq(p);
		if (n == 0 || (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')) {
			fputs("\xef\xbf\xbd", f);
			p++;
			continue;
		}
		if (n > 1) {
			fwrite(p, 1, n, f);
			p += n;
			continue;
		}
		switch (*p) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		default: fputc(*p, f);
		}
		p++;
	}
}

void esc_md(FILE *f, const char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '\n': case '\r': fputc(' ', f); break;
		case '\\': case '`': case '*': case '_': case '{': case '}': case '[': case ']':
		case '(': case ')': case '#': case '+': case '!': case '|': case '~':
			fputc('\\', f);
			fputc(*s, f);
			break;
		default:
			if ((unsigned char)*s < 0x20)
				fputc(' ', f);
			else
				fputc(*s, f);
		}
	}
}

void esc_yaml(FILE *f, const char *s)
{
	cleanup_json json_t *v = mr_json_string_lossy(s != NULL ? s : "");
	cleanup_free char *text = v != NULL ? json_dumps(v, JSON_ENCODE_ANY) : NULL;

	fputs(text != NULL ? text : "\"\"", f);
}

void esc_tap(FILE *f, const char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
		if (*s == '\n' || *s == '\r' || ((unsigned char)*s < 0x20))
			fputc(' ', f);
		else if (*s == '#' || *s == '\\') {
			fputc('\\', f);
			fputc(*s, f);
		} else
			fputc(*s, f);
	}
}

const char *render_skip_reason(const struct catalog_rule *r, enum verdict v, bool lint)
{
	if (v == VERDICT_NOT_APPLICABLE)
		return "not applicable at the declared ociVersion";
	if (v != VERDICT_NOT_JUDGED)
		return "not exercised";
	switch (r->in) {
	case IN_BUNDLE:
		return lint ? "needs the bundle directory (lint BUNDLE or BUNDLE/config.json)"
			    : "needs the bundle directory (mockrunc-report lint BUNDLE)";
	case IN_HOST:
		return lint ? "needs the host (lint --host-specific)"
			    : "needs the host (mockrunc-report lint --host-specific)";
	case IN_CALLS:
		return "judged on recorded calls, not on a config";
	default:
		return "the runtime's side: a recording does not show it";
	}
}

const char *render_level(const struct catalog_rule *r)
{
	if (r->disputed)
		return "MUST (judged as a warning)";
	return catalog_level_name(r->level);
}

void render_applies(const struct catalog_rule *r, char *buf, size_t size)
{
	if (r->min != NULL && r->max != NULL)
		snprintf(buf, size, ">= %s, < %s", r->min, r->max);
	else if (r->min != NULL)
		snprintf(buf, size, ">= %s", r->min);
	else if (r->max != NULL)
		snprintf(buf, size, "< %s", r->max);
	else
		snprintf(buf, size, "all");
}

void render_subject_line(const struct subject *s, FILE *f, void (*esc)(FILE *, const char *))
{
	esc(f, s->name);
	if (s->engine != NULL || s->engine_version != NULL || s->label != NULL) {
		fputs(" (", f);
		esc(f, s->engine != NULL ? s->engine : "unknown engine");
		if (s->engine_version != NULL) {
			fputc(' ', f);
			esc(f, s->engine_version);
		}
		if (s->label != NULL) {
			fputs(", label ", f);
			esc(f, s->label);
		}
		fputc(')', f);
	}
}

int report_format_parse(const char *name)
{
	static const char *const names[] = { "tap", "json", "md", "html", "junit", "table" };

	for (int i = 0; i < 6; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	if (strcmp(name, "markdown") == 0)
		return FORMAT_MD;
	return -1;
}

int report_render(const struct report *r, enum report_format fmt, char **out, size_t *len,
		  mr_error **err)
{
	FILE *f = open_memstream(out, len);
	int rc = 0;

	if (f == NULL)
		return mr_error_set(err, errno, "render");
	switch (fmt) {
	case FORMAT_JSON:
		rc = render_json(r, f);
		break;
	case FORMAT_MD:
		render_md(r, f);
		break;
	case FORMAT_HTML:
		render_html(r, f);
		break;
	case FORMAT_JUNIT:
		render_junit(r, f);
		break;
	default:
		render_tap(r, f);
		break;
	}
	if (fclose(f) != 0 || rc < 0) {
		free(*out);
		*out = NULL;
		return mr_error_set(err, 0, "render: out of memory");
	}
	return 0;
}
