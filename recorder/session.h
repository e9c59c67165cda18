/* Recorder-internal: which session an invocation made at `at_ns` joins. */
#ifndef RECORDER_SESSION_H
#define RECORDER_SESSION_H

#include <stdint.h>
#include <sqlite3.h>

#include "common/error.h"

/* Must run inside a write transaction: it may open an automatic session
 * (engine = engine_guess, label = label). */
int recorder_session_resolve(sqlite3 *db, int64_t at_ns, const char *label,
			     const char *engine_guess, int64_t *id, mr_error **err);

#endif
