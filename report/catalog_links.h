/* Link builders for the catalog tables (SPEC-CATALOG.md §0: tag v1.2.0 when
 * the feature exists there, else the tag that introduced it). */
#ifndef REPORT_CATALOG_LINKS_H
#define REPORT_CATALOG_LINKS_H

#define SPEC_BASE "https://github.com/opencontainers/runtime-spec/blob/"
#define SPEC(tag, file, anchor) SPEC_BASE tag "/" file "#" anchor
#define CFG(anchor) SPEC("v1.2.0", "config.md", anchor)
#define LNX(anchor) SPEC("v1.2.0", "config-linux.md", anchor)
#define RT(anchor) SPEC("v1.2.0", "runtime.md", anchor)
#define CLIDOC(anchor) "https://github.com/opencontainers/runtime-tools/blob/" \
	"5e639034dcdc2422164e3d7d76a737e2fb451a67/docs/command-line-interface.md#" anchor
#define RUNC_MAN(page) "https://github.com/opencontainers/runc/blob/v1.1.5/man/" page ".8.md"

#endif
