/* What mockrunc tells the recorder about an invocation: the parsed command
 * line as JSON, the command-line feature ids, the inputs. */
#ifndef MOCKRUNC_RECORD_H
#define MOCKRUNC_RECORD_H

#include "mockrunc/mockrunc.h"
#include "recorder/recorder.h"

/* Fills *rec from m (borrowing m's strings and blobs; the JSON values are
 * owned by *rec and released by record_invocation_free). */
int record_invocation_build(struct mockrunc *m, int64_t started_ns,
			    struct recorder_invocation *rec);
void record_invocation_free(struct recorder_invocation *rec);

#endif
