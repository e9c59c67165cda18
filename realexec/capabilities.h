/* process.capabilities with libcap.
 *
 * Prepared in the runtime before the container process is forked, so that a
 * bad config fails at create with a clear message; applied inside the
 * container init around the switch to the process's user:
 *   realexec_caps_apply_before_user()  bounding set dropped, keep-caps on
 *   (setgroups/setgid/setuid happen here, done by the caller)
 *   realexec_caps_apply_after_user()   effective, permitted, inheritable set,
 *                                      then the ambient set raised
 * Unknown names: an error for configs declaring ociVersion < 1.1.0, a
 * warning (logged) and ignored from 1.1.0 on. */
#ifndef REALEXEC_CAPABILITIES_H
#define REALEXEC_CAPABILITIES_H

#include <stdbool.h>
#include <jansson.h>

#include "common/error.h"
#include "common/log.h"

struct realexec_caps;

/* caps: the process.capabilities object (NULL: the process gets no
 * capabilities at all, as runc does). */
int realexec_caps_prepare(json_t *caps, const char *oci_version,
			  const struct mr_logger *log,
			  struct realexec_caps **out, mr_error **err);
int realexec_caps_apply_before_user(const struct realexec_caps *c, mr_error **err);
int realexec_caps_apply_after_user(const struct realexec_caps *c, mr_error **err);
void realexec_caps_free(struct realexec_caps *c);

/* Every capability name libcap and the running kernel know, for `features`;
 * a NULL-terminated array the caller frees with realexec_caps_names_free. */
char **realexec_caps_known_names(void);
void realexec_caps_names_free(char **names);

#endif
