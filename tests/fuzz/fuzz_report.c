/* libFuzzer target: the report's rule checks on arbitrary blobs, as
 * config, process.json and update resources. */
#include <stdint.h>
#include <stdlib.h>

#include "report/blob_eval.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	for (int kind = 0; kind < 3; kind++) {
		struct blob_eval_opts opts = { .kind = kind };
		struct blob_eval e = { 0 };
		json_t *doc = NULL;
		mr_error *err = NULL;
		blob_evaluate((const char *)data, size, &opts, &e, &doc, &err);
		blob_eval_clear(&e);
		json_decref(doc);
		mr_error_free(&err);
	}
	return 0;
}
