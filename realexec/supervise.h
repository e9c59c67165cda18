/* A process the runtime waits for in the foreground (`run`, and `exec`
 * without --detach): the signals the runtime gets go to it, its terminal,
 * when the runtime allocated one, is relayed to the runtime's own stdio,
 * and its exit status becomes the runtime's. */
#ifndef REALEXEC_SUPERVISE_H
#define REALEXEC_SUPERVISE_H

#include <signal.h>
#include <sys/types.h>

#include "common/error.h"

/* Blocks every signal there is to forward (faults and SIGPIPE stay
 * deliverable) so that none is lost between the fork and the supervision;
 * *old gets the mask to restore. */
void rx_signals_block(sigset_t *set, sigset_t *old);

/* Waits for pid, a child of the caller, forwarding the signals in set to
 * it (SIGWINCH resizes the terminal instead). master, when >= 0, is the
 * process's pty master: our stdin goes to it (raw, when a terminal), its
 * output to our stdout; it is closed on return. Returns the exit status
 * (128+signal when the process was killed). */
int rx_supervise(pid_t pid, const sigset_t *set, int master, mr_error **err);

#endif
