/* Scope-bound cleanup helpers: a variable declared with one of these is
 * released when it goes out of scope, which keeps error paths short. */
#ifndef MR_CLEANUP_H
#define MR_CLEANUP_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <errno.h>
#include <jansson.h>

static inline void mr_free_ptr(void *p)
{
	free(*(void **)p);
}

static inline void mr_close_fd(int *fd)
{
	if (*fd >= 0) {
		int saved = errno;
		close(*fd);
		errno = saved;
	}
}

static inline void mr_fclose_ptr(FILE **f)
{
	if (*f != NULL)
		fclose(*f);
}

static inline void mr_closedir_ptr(DIR **d)
{
	if (*d != NULL)
		closedir(*d);
}

static inline void mr_json_decref_ptr(json_t **j)
{
	if (*j != NULL)
		json_decref(*j);
}

/* Hands ownership out of a cleanup variable. */
#define mr_steal_ptr(p) ({ __typeof__(p) _tmp = (p); (p) = NULL; _tmp; })
#define mr_steal_fd(fd) ({ int _tmp = (fd); (fd) = -1; _tmp; })

#define cleanup_free __attribute__((cleanup(mr_free_ptr)))
#define cleanup_close __attribute__((cleanup(mr_close_fd)))
#define cleanup_fclose __attribute__((cleanup(mr_fclose_ptr)))
#define cleanup_dir __attribute__((cleanup(mr_closedir_ptr)))
#define cleanup_json __attribute__((cleanup(mr_json_decref_ptr)))

#endif
