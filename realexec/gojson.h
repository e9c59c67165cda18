/* JSON input decoded as runc's Go json.Decoder reads it: the first value of
 * the input, anything after an object or array ignored, and syntax errors
 * worded as Go words them ("invalid character 'x' looking for beginning of
 * value", "unexpected EOF", "EOF" for empty input), since engines show
 * runc's message to their users. */
#ifndef REALEXEC_GOJSON_H
#define REALEXEC_GOJSON_H

#include <stddef.h>
#include <jansson.h>

#include "common/error.h"

/* *out may be any JSON value (null included). */
int rx_json_decode_go(const char *data, size_t len, json_t **out, mr_error **err);

#endif
