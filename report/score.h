/* Scoring recorded sessions.
 *
 * Three passes over the database, each one statement:
 *   1. the invocations in scope, kept compact in memory; each distinct blob
 *      is judged the first time an invocation uses it (never again);
 *   2. their command-line items (invocation_features), merged by id;
 *   3. in memory: the calls of each container in time order, for the
 *      lifecycle, command-line and expectation rules.
 * Per-blob results are then multiplied by the number of invocations sharing
 * the blob. */
#ifndef REPORT_SCORE_H
#define REPORT_SCORE_H

#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>

#include "common/error.h"
#include "report/expect.h"
#include "report/model.h"

/* Scores the invocations of the given sessions as one subject named name.
 * ex may be NULL. */
int report_score_sessions(sqlite3 *db, const int64_t *sessions, size_t n, const char *name,
			  const struct expect_set *ex, struct subject *out, mr_error **err);

/* Scores only the calls on one container id (every session holding it),
 * for trace. */
int report_score_container(sqlite3 *db, const char *container, struct subject *out, mr_error **err);

/* Judges standalone config files (a path may also be a bundle directory)
 * as one subject each. */
int report_lint_files(char *const *paths, size_t n, bool host_specific, struct report *out,
		      mr_error **err);

#endif
