/* Comparing two scored subjects (engine version A against B): features
 * gained or lost, rules newly failing or fixed, command-line items newly
 * used or dropped. A regression is a lost feature, a newly failing MUST
 * rule or a newly failing expectation. */
#ifndef REPORT_DIFF_H
#define REPORT_DIFF_H

#include <stdbool.h>
#include <stddef.h>

#include "common/error.h"
#include "report/model.h"
#include "report/render.h"

struct diff_list {
	const char **items;      /* ids, borrowed from the catalog or the subjects */
	size_t n;
};

struct report_diff {
	const struct subject *base, *head;
	struct diff_list gained, lost;                 /* features */
	struct diff_list failing, fixed;               /* MUST rules */
	struct diff_list warning, unwarned;            /* SHOULD / DERIVED rules */
	struct diff_list items_new, items_dropped;     /* command-line items */
	struct diff_list expect_failing, expect_fixed;
	bool regression;
};

int report_diff(const struct subject *base, const struct subject *head, struct report_diff *d,
		mr_error **err);
void report_diff_free(struct report_diff *d);
/* FORMAT_TABLE (text), FORMAT_JSON or FORMAT_MD. */
int report_diff_render(const struct report_diff *d, enum report_format f, char **out, size_t *len,
		       mr_error **err);

#endif
