/* features: the runtime-spec features document, 4-space indent as runc. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/cleanup.h"
#include "mockrunc/commands.h"
#include "mockrunc/mockrunc.h"
#include "realexec/realexec.h"

int mockrunc_cmd_features(struct mockrunc *m, mr_error **err)
{
	cleanup_json json_t *doc = realexec_features();
	cleanup_free char *text = NULL;

	(void)m;
	text = doc != NULL ? json_dumps(doc, JSON_INDENT(4) | JSON_PRESERVE_ORDER) : NULL;
	if (text == NULL)
		return mr_error_set(err, ENOMEM, "features");
	printf("%s\n", text);
	return 0;
}
