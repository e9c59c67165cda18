#include "common/error.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *mr_strerror(int errnum)
{
	static __thread char buf[128];
	const char *s = strerror_r(errnum, buf, sizeof buf);

	if (s != buf) {
		snprintf(buf, sizeof buf, "%s", s);
	}
	buf[0] = (char)tolower((unsigned char)buf[0]);
	return buf;
}

int mr_error_set(mr_error **err, int errnum, const char *fmt, ...)
{
	va_list ap;
	char *text = NULL;
	mr_error *e;

	if (err == NULL || *err != NULL)
		return -1;
	va_start(ap, fmt);
	if (vasprintf(&text, fmt, ap) < 0)
		text = NULL;
	va_end(ap);
	e = calloc(1, sizeof *e);
	if (e == NULL) {
		free(text);
		return -1;
	}
	e->errnum = errnum;
	if (text != NULL && errnum != 0) {
		char *full = NULL;
		if (asprintf(&full, "%s: %s", text, mr_strerror(errnum)) >= 0) {
			free(text);
			text = full;
		}
	}
	e->msg = text != NULL ? text : strdup("out of memory");
	*err = e;
	return -1;
}

int mr_error_wrap(mr_error **err, const char *fmt, ...)
{
	va_list ap;
	char *prefix = NULL, *full = NULL;

	if (err == NULL || *err == NULL)
		return -1;
	va_start(ap, fmt);
	if (vasprintf(&prefix, fmt, ap) < 0)
		prefix = NULL;
	va_end(ap);
	if (prefix != NULL && asprintf(&full, "%s: %s", prefix, (*err)->msg) >= 0) {
		free((*err)->msg);
		(*err)->msg = full;
	}
	free(prefix);
	return -1;
}

void mr_error_free(mr_error **err)
{
	if (err == NULL || *err == NULL)
		return;
	free((*err)->msg);
	free(*err);
	*err = NULL;
}
