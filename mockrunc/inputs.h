/* Reading what an invocation hands the runtime: the bundle's config.json,
 * exec's --process file, update's --resources (a file or stdin). Read once
 * here, recorded, then reused by the backend. */
#ifndef MOCKRUNC_INPUTS_H
#define MOCKRUNC_INPUTS_H

#include "mockrunc/mockrunc.h"

/* Resolves m->root and m->bundle and reads the inputs of m->inv's command.
 * A missing or malformed input is not an error here (the backend reports it
 * in runc's words): it is noted in the blob's read_errno / parse_error.
 * Returns -1 only for errors mockrunc answers itself (--root /). */
int inputs_read(struct mockrunc *m, mr_error **err);
void inputs_free(struct mockrunc *m);

#endif
