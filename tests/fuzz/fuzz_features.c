/* libFuzzer target: config/process/resources JSON as the recorder reads
 * it, through feature extraction. */
#include <stdint.h>
#include <stdlib.h>

#include "common/json.h"
#include "recorder/recorder.h"

static void sink(const char *feature, int count, void *arg)
{
	(void)feature;
	*(long *)arg += count;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	mr_error *err = NULL;
	json_t *doc = mr_json_parse((const char *)data, size, &err);
	long total = 0;

	mr_error_free(&err);
	if (doc == NULL)
		return 0;
	for (int kind = RECORDER_BLOB_CONFIG; kind <= RECORDER_BLOB_RESOURCES; kind++)
		recorder_blob_features((enum recorder_blob_kind)kind, doc, sink, &total);
	json_decref(doc);
	return 0;
}
