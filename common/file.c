#include "common/file.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"

char *mr_path_join(const char *dir, const char *name)
{
	size_t dl = strlen(dir);
	char *out;

	while (dl > 1 && dir[dl - 1] == '/')
		dl--;
	while (*name == '/')
		name++;
	if (asprintf(&out, "%.*s%s%s", (int)dl, dir,
		     (dl > 0 && dir[dl - 1] == '/') || *name == '\0' ? "" : "/",
		     name) < 0)
		return NULL;
	return out;
}

char *mr_path_clean(const char *path)
{
	size_t n = strlen(path);
	bool rooted = path[0] == '/';
	char *out = malloc(n + 2);
	size_t w = 0, r = 0, dotdot = 0;

	if (out == NULL)
		return NULL;
	if (rooted) {
		out[w++] = '/';
		r = 1;
		dotdot = 1;
	}
	while (r < n) {
		if (path[r] == '/') {
			r++;
		} else if (path[r] == '.' && (r + 1 == n || path[r + 1] == '/')) {
			r++;
		} else if (path[r] == '.' && path[r + 1] == '.' &&
			   (r + 2 == n || path[r + 2] == '/')) {
			r += 2;
			if (w > dotdot) {
				w--;
				while (w > dotdot && out[w] != '/')
					w--;
			} else if (!rooted) {
				if (w > 0)
					out[w++] = '/';
				out[w++] = '.';
				out[w++] = '.';
				dotdot = w;
			}
		} else {
			if ((rooted && w != 1) || (!rooted && w != 0))
				out[w++] = '/';
			while (r < n && path[r] != '/')
				out[w++] = path[r++];
		}
	}
	if (w == 0)
		out[w++] = '.';
	out[w] = '\0';
	return out;
}

char *mr_path_abs(const char *path)
{
	char cwd[PATH_MAX];
	cleanup_free char *joined = NULL;

	if (path[0] == '/')
		return mr_path_clean(path);
	if (getcwd(cwd, sizeof cwd) == NULL)
		return NULL;
	joined = mr_path_join(cwd, path);
	return joined != NULL ? mr_path_clean(joined) : NULL;
}

int mr_read_fd(int fd, char **data, size_t *len, mr_error **err)
{
	size_t cap = 8192, used = 0;
	char *buf = malloc(cap);

	if (buf == NULL)
		return mr_error_set(err, ENOMEM, "read");
	for (;;) {
		ssize_t r;
		if (used + 1 >= cap) {
			char *nb = realloc(buf, cap * 2);
			if (nb == NULL) {
				free(buf);
				return mr_error_set(err, ENOMEM, "read");
			}
			buf = nb;
			cap *= 2;
		}
		r = read(fd, buf + used, cap - used - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int saved = errno;
			free(buf);
			return mr_error_set(err, saved, "read");
		}
		if (r == 0)
			break;
		used += (size_t)r;
	}
	buf[used] = '\0';
	*data = buf;
	if (len != NULL)
		*len = used;
	return 0;
}

int mr_read_file(const char *path, char **data, size_t *len, mr_error **err)
{
	cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return mr_error_set(err, errno, "open %s", path);
	if (mr_read_fd(fd, data, len, err) < 0)
		return mr_error_wrap(err, "%s", path);
	return 0;
}

int mr_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

static int write_replace(const char *path, const void *data, size_t len, mode_t mode,
			 bool sync, mr_error **err)
{
	cleanup_free char *copy = strdup(path);
	cleanup_free char *tmp = NULL;
	const char *slash;
	int fd;

	if (copy == NULL)
		return mr_error_set(err, ENOMEM, "write %s", path);
	slash = strrchr(copy, '/');
	if (slash != NULL)
		copy[slash - copy] = '\0';
	if (asprintf(&tmp, "%s/.%s.%d", slash != NULL ? copy : ".",
		     slash != NULL ? slash + 1 : path, (int)getpid()) < 0)
		return mr_error_set(err, ENOMEM, "write %s", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0)
		return mr_error_set(err, errno, "open %s", tmp);
	if (mr_write_all(fd, data, len) < 0 || (sync && fsync(fd) < 0)) {
		int saved = errno;
		close(fd);
		unlink(tmp);
		return mr_error_set(err, saved, "write %s", tmp);
	}
	close(fd);
	if (rename(tmp, path) < 0) {
		int saved = errno;
		unlink(tmp);
		return mr_error_set(err, saved, "rename %s %s", tmp, path);
	}
	return 0;
}

int mr_write_file_atomic(const char *path, const void *data, size_t len,
			 mode_t mode, mr_error **err)
{
	return write_replace(path, data, len, mode, true, err);
}

int mr_write_file_replace(const char *path, const void *data, size_t len,
			  mode_t mode, mr_error **err)
{
	return write_replace(path, data, len, mode, false, err);
}

int mr_mkdir_all(const char *path, mode_t mode, mr_error **err)
{
	cleanup_free char *p = strdup(path);
	struct stat st;

	if (p == NULL)
		return mr_error_set(err, ENOMEM, "mkdir %s", path);
	for (char *s = p + 1;; s++) {
		if (*s == '/' || *s == '\0') {
			char saved = *s;
			*s = '\0';
			if (mkdir(p, mode) < 0 && errno != EEXIST)
				return mr_error_set(err, errno, "mkdir %s", p);
			*s = saved;
			if (saved == '\0')
				break;
		}
	}
	if (stat(path, &st) < 0)
		return mr_error_set(err, errno, "stat %s", path);
	if (!S_ISDIR(st.st_mode))
		return mr_error_set(err, ENOTDIR, "mkdir %s", path);
	return 0;
}
