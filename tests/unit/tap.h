/* A tiny TAP producer for the C unit tests (merged by tests/unit.t). */
#ifndef TESTS_TAP_H
#define TESTS_TAP_H

#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

#define ok(cond, ...) do { \
	tap_n++; \
	if (cond) { printf("ok %d - ", tap_n); } \
	else { printf("not ok %d - ", tap_n); tap_failed++; \
	       fprintf(stdout, "# %s:%d: %s\n", __FILE__, __LINE__, #cond); } \
	printf(__VA_ARGS__); printf("\n"); \
} while (0)

#define is_str(got, want, ...) do { \
	const char *_g = (got), *_w = (want); \
	int _same = (_g == NULL && _w == NULL) || (_g != NULL && _w != NULL && strcmp(_g, _w) == 0); \
	ok(_same, __VA_ARGS__); \
	if (!_same) printf("#   got:  '%s'\n#   want: '%s'\n", _g ? _g : "(null)", _w ? _w : "(null)"); \
} while (0)

#define is_int(got, want, ...) do { \
	long long _g = (long long)(got), _w = (long long)(want); \
	ok(_g == _w, __VA_ARGS__); \
	if (_g != _w) printf("#   got:  %lld\n#   want: %lld\n", _g, _w); \
} while (0)

static inline int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed != 0;
}

#endif
