/* kill: a signal to the container's init (or, --all, its whole cgroup). */
#include "mockrunc/commands.h"
#include "mockrunc/mockrunc.h"
#include "realexec/realexec.h"

int mockrunc_cmd_kill(struct mockrunc *m, mr_error **err)
{
	const char *text = m->inv.nargs > 1 ? m->inv.args[1] : "SIGTERM";
	int sig;

	if (realexec_parse_signal(text, &sig, err) < 0)
		return -1;
	return realexec_kill(m->root, m->inv.id, sig, cli_bool(&m->inv.local, "all"), err) < 0 ? -1 : 0;
}
