/* One error type for the whole project.
 *
 * Library functions (common/, recorder/, realexec/, report/) never print or
 * exit: they return -1 and fill an mr_error passed as the last argument. Only
 * the command lines print it, the runc way. Messages follow Go's wording
 * ("open /x: no such file or directory") because engines match substrings of
 * runc's messages (see ENGINES.md §9). */
#ifndef MR_ERROR_H
#define MR_ERROR_H

typedef struct mr_error {
	int errnum;  /* errno of the root cause, 0 when none */
	char *msg;   /* full message, owned */
} mr_error;

/* Sets *err to a new error (if err is non-NULL and *err is still NULL, so the
 * first, most precise cause wins). A non-zero errnum appends ": <strerror>"
 * in Go's lower-case style. Always returns -1. */
int mr_error_set(mr_error **err, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prefixes the message of an existing error: "<prefix>: <old message>".
 * Returns -1 so it can end an error path: return mr_error_wrap(err, "x"). */
int mr_error_wrap(mr_error **err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

void mr_error_free(mr_error **err);

/* strerror() with the first letter lower-cased, as Go's syscall.Errno prints. */
const char *mr_strerror(int errnum);

#define cleanup_error __attribute__((cleanup(mr_error_free)))

#endif
