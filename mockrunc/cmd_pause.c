/* pause and resume: freeze and thaw every process of a container. */
#include "mockrunc/commands.h"
#include "mockrunc/mockrunc.h"
#include "realexec/realexec.h"

int mockrunc_cmd_pause(struct mockrunc *m, mr_error **err)
{
	return realexec_pause(m->root, m->inv.id, err) < 0 ? -1 : 0;
}

int mockrunc_cmd_resume(struct mockrunc *m, mr_error **err)
{
	return realexec_resume(m->root, m->inv.id, err) < 0 ? -1 : 0;
}
