/* libFuzzer target: config.json and process.json as the built-in core
 * reads them (JSON parse, then the model create builds from it). */
#include <stdint.h>
#include <stdlib.h>

#include "common/json.h"
#include "realexec/spec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	mr_error *err = NULL;
	json_t *doc = mr_json_parse((const char *)data, size, &err);
	struct rx_spec s;

	mr_error_free(&err);
	if (doc == NULL)
		return 0;
	/* rx_spec_free releases what a failed parse built too. */
	rx_spec_parse(doc, "/nonexistent-bundle", &s, &err);
	rx_spec_free(&s);
	mr_error_free(&err);
	rx_spec_parse_exec(doc, json_object_get(doc, "process"), &s, &err);
	rx_spec_free(&s);
	mr_error_free(&err);
	json_decref(doc);
	return 0;
}
