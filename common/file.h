/* Paths and whole-file I/O: the one place for joining paths, reading a file
 * into memory and replacing a file atomically. */
#ifndef MR_FILE_H
#define MR_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "common/error.h"

/* "a" + "b" -> "a/b" with exactly one separator; NULL only on ENOMEM. */
char *mr_path_join(const char *dir, const char *name);

/* Lexical clean as Go's filepath.Clean: no "//", no "/./", ".." folded. */
char *mr_path_clean(const char *path);

/* Absolute and clean, relative paths taken against the current directory. */
char *mr_path_abs(const char *path);

/* Reads a whole file (or an fd up to EOF); the buffer is NUL-terminated
 * (the NUL is not counted in *len). */
int mr_read_file(const char *path, char **data, size_t *len, mr_error **err);
int mr_read_fd(int fd, char **data, size_t *len, mr_error **err);

/* Writes all bytes, retrying on EINTR and short writes. */
int mr_write_all(int fd, const void *buf, size_t len);

/* Writes `<dir>/.<base>.<pid>` then rename()s it over `path`: readers see
 * the old or the new content, never a part; an existing file is replaced.
 * The data is synced to disk before the rename. */
int mr_write_file_atomic(const char *path, const void *data, size_t len,
			 mode_t mode, mr_error **err);

/* The same without the sync: for state that need not survive a reboot
 * (container state under a runtime root, which runc keeps on tmpfs). */
int mr_write_file_replace(const char *path, const void *data, size_t len,
			  mode_t mode, mr_error **err);

/* mkdir -p; existing directories are fine. */
int mr_mkdir_all(const char *path, mode_t mode, mr_error **err);

#endif
