/* libFuzzer target: `update --resources` input (stdin or a file). */
#include <stdint.h>
#include <stdlib.h>

#include "realexec/update.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	mr_error *err = NULL;
	json_t *res = NULL;

	if (rx_update_parse_resources((const char *)data, size, &res, &err) == 0)
		json_decref(res);
	mr_error_free(&err);
	return 0;
}
