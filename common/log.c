#include "common/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/clock.h"
#include "common/file.h"
#include "common/json.h"

static const char *level_name(enum mr_log_level level)
{
	switch (level) {
	case MR_LOG_DEBUG: return "debug";
	case MR_LOG_INFO: return "info";
	case MR_LOG_WARNING: return "warning";
	default: return "error";
	}
}

/* logrus quotes a text value unless every byte is in [A-Za-z0-9-._/@^+]. */
static bool text_needs_quoting(const char *s)
{
	if (*s == '\0')
		return true;
	for (; *s != '\0'; s++) {
		char c = *s;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || strchr("-._/@^+", c) != NULL))
			return true;
	}
	return false;
}

/* Go's %q for printable ASCII and common escapes; other bytes pass as \xNN. */
static char *quote_text(const char *s)
{
	size_t cap = strlen(s) * 4 + 3, w = 0;
	char *out = malloc(cap);

	if (out == NULL)
		return NULL;
	out[w++] = '"';
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
		switch (*p) {
		case '"': out[w++] = '\\'; out[w++] = '"'; break;
		case '\\': out[w++] = '\\'; out[w++] = '\\'; break;
		case '\n': out[w++] = '\\'; out[w++] = 'n'; break;
		case '\t': out[w++] = '\\'; out[w++] = 't'; break;
		case '\r': out[w++] = '\\'; out[w++] = 'r'; break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				w += (size_t)sprintf(out + w, "\\x%02x", *p);
			else
				out[w++] = (char)*p;
		}
	}
	out[w++] = '"';
	out[w] = '\0';
	return out;
}

char *mr_log_format(bool json, enum mr_log_level level, const char *msg)
{
	char when[64];
	char *line = NULL;

	mr_rfc3339(mr_now_ns(), false, when, sizeof when);
	if (json) {
		cleanup_free char *q = mr_json_quote_go(msg);
		if (q == NULL || asprintf(&line, "{\"level\":\"%s\",\"msg\":%s,\"time\":\"%s\"}\n",
					  level_name(level), q, when) < 0)
			return NULL;
	} else {
		cleanup_free char *q = text_needs_quoting(msg) ? quote_text(msg) : strdup(msg);
		if (q == NULL || asprintf(&line, "time=\"%s\" level=%s msg=%s\n", when,
					  level_name(level), q) < 0)
			return NULL;
	}
	return line;
}

void mr_log(const struct mr_logger *lg, enum mr_log_level level, const char *fmt, ...)
{
	va_list ap;
	cleanup_free char *msg = NULL;
	cleanup_free char *line = NULL;

	if (lg == NULL || lg->fd < 0 || level < lg->min)
		return;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	if (msg == NULL)
		return;
	line = mr_log_format(lg->json, level, msg);
	if (line != NULL)
		mr_write_all(lg->fd, line, strlen(line));
}
