/* The one JSON helper layer over jansson. */
#ifndef MR_JSON_H
#define MR_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "common/error.h"

/* Parses a document; errors read "invalid JSON at line L column C: <why>".
 * Duplicate keys: the last wins (as Go's decoder). Integers in
 * [2^63, 2^64) — Go uint64 fields such as RLIM_INFINITY — come back as the
 * int64 with the same bits: cast json_integer_value() to uint64_t to read
 * them. */
json_t *mr_json_parse(const char *data, size_t len, mr_error **err);
json_t *mr_json_load_file(const char *path, mr_error **err);

/* Value at a dotted path ("linux.resources.memory.limit"), or NULL. */
json_t *mr_json_path(json_t *root, const char *dotted);

/* Typed lookups of obj[key]: absent or of another type gives the fallback. */
const char *mr_json_str(json_t *obj, const char *key);
bool mr_json_bool(json_t *obj, const char *key, bool fallback);
json_int_t mr_json_int(json_t *obj, const char *key, json_int_t fallback);

/* A string encoded as Go's encoding/json does it (quotes included): < > &
 * U+2028 U+2029 escaped as \uXXXX, invalid UTF-8 replaced by U+FFFD. Runc's
 * log lines and state output are Go-encoded; engines parse them as JSON. */
char *mr_json_quote_go(const char *s);

/* A JSON string from arbitrary bytes: invalid UTF-8 becomes U+FFFD (argv
 * and file names are bytes; jansson strings must be UTF-8). */
json_t *mr_json_string_lossy(const char *s);

/* Serialises with keys in insertion order; the caller frees. */
char *mr_json_dump(json_t *v, bool indent);

#endif
