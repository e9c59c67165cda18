/* The built-in execution core's command handlers (cmd_*.c), one per runc
 * command. Declared weak: a command whose handler is not linked in has a NULL
 * entry in the table and answers "not supported by the built-in execution
 * core" — use a delegate backend for it. Each returns the exit status
 * (0, or the container process's status for foreground run/exec) or -1 with
 * *err set. */
#ifndef MOCKRUNC_COMMANDS_H
#define MOCKRUNC_COMMANDS_H

#include "mockrunc/cli.h"

#define MOCKRUNC_HANDLER(name) \
	int mockrunc_cmd_##name(struct mockrunc *m, mr_error **err) __attribute__((weak))

MOCKRUNC_HANDLER(checkpoint);
MOCKRUNC_HANDLER(create);
MOCKRUNC_HANDLER(delete);
MOCKRUNC_HANDLER(events);
MOCKRUNC_HANDLER(exec);
MOCKRUNC_HANDLER(features);
MOCKRUNC_HANDLER(kill);
MOCKRUNC_HANDLER(list);
MOCKRUNC_HANDLER(pause);
MOCKRUNC_HANDLER(ps);
MOCKRUNC_HANDLER(restore);
MOCKRUNC_HANDLER(resume);
MOCKRUNC_HANDLER(run);
MOCKRUNC_HANDLER(spec);
MOCKRUNC_HANDLER(start);
MOCKRUNC_HANDLER(state);
MOCKRUNC_HANDLER(update);

#endif
