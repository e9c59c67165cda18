/* trace CONTAINER-ID: the container's calls in the order they were made. */
#ifndef REPORT_TRACE_H
#define REPORT_TRACE_H

#include <stddef.h>
#include <sqlite3.h>

#include "common/error.h"
#include "report/render.h"

/* root narrows to one state root (NULL: all). FORMAT_JSON or text. */
int report_trace(sqlite3 *db, const char *container, const char *root, enum report_format fmt,
		 char **out, size_t *len, mr_error **err);

#endif
