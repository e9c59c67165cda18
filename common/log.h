/* The one logging function. Lines look like runc's (logrus) output:
 *   text: time="2026-08-20T10:11:12Z" level=error msg="container does not exist"
 *   json: {"level":"error","msg":"container does not exist","time":"2026-08-20T10:11:12Z"}
 * containerd reads the last "error" line of a JSON --log file, podman wants
 * the file to hold exactly one JSON object (ENGINES.md §4.5). */
#ifndef MR_LOG_H
#define MR_LOG_H

#include <stdbool.h>

enum mr_log_level {
	MR_LOG_DEBUG,
	MR_LOG_INFO,
	MR_LOG_WARNING,
	MR_LOG_ERROR,
};

struct mr_logger {
	int fd;                   /* where lines go: the --log file or stderr */
	bool json;                /* --log-format json */
	bool is_stderr;           /* fd is the process's stderr */
	enum mr_log_level min;    /* lines below this level are dropped */
};

/* A logger writing text lines to stderr at warning level and above. */
#define MR_LOGGER_STDERR { .fd = 2, .json = false, .is_stderr = true, .min = MR_LOG_WARNING }

void mr_log(const struct mr_logger *lg, enum mr_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Renders one line (with '\n') without writing it; the caller frees. */
char *mr_log_format(bool json, enum mr_log_level level, const char *msg);

#endif
