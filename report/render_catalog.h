/* The catalog as a document (the `features` command). */
#ifndef REPORT_RENDER_CATALOG_H
#define REPORT_RENDER_CATALOG_H

#include <stddef.h>

#include "common/error.h"
#include "report/render.h"

/* FORMAT_TABLE, FORMAT_JSON or FORMAT_MD. */
int report_render_catalog(enum report_format fmt, char **out, size_t *len, mr_error **err);

#endif
