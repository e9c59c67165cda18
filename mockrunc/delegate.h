/* The delegate backend: another runtime (runc, crun...) run with the same
 * argv minus --mock-*, stdio untouched, signals sent to mockrunc forwarded,
 * its exit status returned as mockrunc's. */
#ifndef MOCKRUNC_DELEGATE_H
#define MOCKRUNC_DELEGATE_H

#include "mockrunc/mockrunc.h"

/* The absolute path of the runtime named by `backend` (a path, or a name
 * looked up in PATH and the usual sbin/bin directories: engines such as
 * podman call the runtime with no PATH at all). */
char *delegate_resolve(const char *backend, mr_error **err);

/* Runs the delegate and waits for it. *status gets its exit status, or
 * 128+signal when it was killed (then *signo is the signal). *error_text
 * gets the last error line it wrote to --log, if any (caller frees). */
int delegate_run(struct mockrunc *m, int *status, int *signo, char **error_text,
		 mr_error **err);

#endif
