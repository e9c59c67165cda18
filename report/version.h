/* Spec versions. Rules are gated on major.minor.patch only: "1.0.2-dev" and
 * "1.1.0+dev" (what engines stamp from their vendored specs-go) count as
 * 1.0.2 and 1.1.0 (SPEC-CATALOG.md §0). */
#ifndef REPORT_VERSION_H
#define REPORT_VERSION_H

#include <stdbool.h>

struct spec_version {
	int major, minor, patch;
};

/* The newest spec version the catalog knows; used when a document declares
 * no usable version (a process.json, an update's resources, a bad ociVersion). */
#define SPEC_VERSION_NEWEST ((struct spec_version){ 1, 3, 0 })

/* Reads the leading MAJOR.MINOR.PATCH of s, ignoring any suffix. */
bool spec_version_parse(const char *s, struct spec_version *v);
int spec_version_cmp(struct spec_version a, struct spec_version b);

/* True when s is a SemVer 2.0.0 version (pre-release and build parts
 * allowed, no leading zeros in numeric identifiers). */
bool spec_version_is_semver(const char *s);

#endif
