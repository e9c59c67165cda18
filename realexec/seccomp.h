/* linux.seccomp with libseccomp.
 *
 * The filter is compiled in the runtime before the container process is
 * forked (so a bad profile fails at create with a clear message) and loaded
 * in the container init as late as possible: after the user switch and
 * capabilities, right before execve. Unknown syscall names are skipped as
 * runc does; SCMP_ACT_NOTIFY needs listenerPath: the listener fd is sent
 * there with the container state. */
#ifndef REALEXEC_SECCOMP_H
#define REALEXEC_SECCOMP_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>

#include "common/error.h"
#include "common/log.h"

struct realexec_seccomp;

/* seccomp: the linux.seccomp object, or NULL for none (then *out = NULL). */
int realexec_seccomp_prepare(json_t *seccomp, const struct mr_logger *log,
			     struct realexec_seccomp **out, mr_error **err);

/* What a compiled program depends on besides the profile. */
struct realexec_seccomp_host {
	char kernel[65];        /* uname release */
	char machine[65];       /* uname machine */
	char libseccomp[32];    /* its version */
	unsigned api_level;     /* seccomp_api_get() */
	uint32_t native_arch;   /* libseccomp's token for this architecture */
	unsigned flag_bits;     /* the SECCOMP_FILTER_FLAG_* this kernel takes */
	char program[96];       /* the running binary (device, inode, size, mtime) */
};
void realexec_seccomp_host_detect(struct realexec_seccomp_host *h);

/* The name of a profile's entry in the cache: the sha256 (hex) of the
 * canonical profile and of host (NULL: this host). -1 on ENOMEM. */
int realexec_seccomp_cache_key(json_t *seccomp, const struct realexec_seccomp_host *host,
			       char key[65]);

/* realexec_seccomp_prepare through a cache of compiled programs in
 * cache_dir (made 0700 when missing; one that is not ours alone, or NULL,
 * means no cache): a hit skips libseccomp and logs again what the compile
 * logged; a miss compiles and stores the program (written atomically; at
 * most 64 entries, the oldest evicted). An entry that is cut short or
 * damaged is compiled again, never loaded. Errors are never cached.
 * host: NULL for this host (tests pass another). */
/* Where compiled programs are kept: MOCKRUNC_SECCOMP_CACHE when set (empty
 * or "off": no cache), else /run/mockrunc-seccomp-cache. Outside every
 * engine's runtime root, so an engine removing its root finds nothing of
 * ours there; /run is emptied at boot. */
const char *realexec_seccomp_cache_dir(void);

int realexec_seccomp_prepare_cached(json_t *seccomp, const char *cache_dir,
				    const struct realexec_seccomp_host *host,
				    const struct mr_logger *log, struct realexec_seccomp **out,
				    mr_error **err);

/* Loads the filter into the calling process. When the profile uses
 * SCMP_ACT_NOTIFY, *notify_fd gets the listener fd (else -1). */
int realexec_seccomp_load(struct realexec_seccomp *s, int *notify_fd, mr_error **err);

/* Sends a notify listener fd to listenerPath (SCM_RIGHTS) with the
 * container state JSON (runtime-spec "container process state"). */
int realexec_seccomp_send_listener(const char *listener_path, int notify_fd,
				   const char *state_json, mr_error **err);

bool realexec_seccomp_uses_notify(const struct realexec_seccomp *s);
void realexec_seccomp_free(struct realexec_seccomp *s);

/* Names for the `features` document (NULL-terminated, static). */
const char *const *realexec_seccomp_known_actions(void);
const char *const *realexec_seccomp_known_operators(void);
const char *const *realexec_seccomp_known_archs(void);
const char *const *realexec_seccomp_known_flags(void);

/* The known flags this kernel accepts (TSYNC always: the filter is loaded
 * single-threaded), for `features` "supportedFlags": a NULL-terminated
 * array of static names; the caller frees the array. */
const char **realexec_seccomp_supported_flags(void);

#endif
