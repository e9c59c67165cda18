/* Output formats of a report. Every string that came from an engine (names,
 * versions, labels, container ids, paths, values, error text) goes through
 * the escape function of its format; nothing is written raw. Renderers
 * write into memory; the command line decides where it goes. */
#ifndef REPORT_RENDER_H
#define REPORT_RENDER_H

#include <stdio.h>

#include "common/error.h"
#include "report/model.h"

enum report_format { FORMAT_TAP, FORMAT_JSON, FORMAT_MD, FORMAT_HTML, FORMAT_JUNIT, FORMAT_TABLE };

/* Parses "tap", "json", "md", "html", "junit", "table"; -1 when unknown. */
int report_format_parse(const char *name);

int report_render(const struct report *r, enum report_format f, char **out, size_t *len,
		  mr_error **err);

/* One renderer per format (render_*.c), writing to f. */
void render_tap(const struct report *r, FILE *f);
int render_json(const struct report *r, FILE *f);
void render_md(const struct report *r, FILE *f);
void render_html(const struct report *r, FILE *f);
void render_junit(const struct report *r, FILE *f);

/* ---- escaping (escape.c) ---- */

/* & < > " ' as entities. */
void esc_html(FILE *f, const char *s);
/* XML 1.0: entities, and characters XML cannot hold (controls but tab and
 * newlines, invalid UTF-8) replaced by U+FFFD. */
void esc_xml(FILE *f, const char *s);
/* Markdown table text: punctuation that means something is backslashed,
 * < > & become entities, line breaks become spaces. */
void esc_md(FILE *f, const char *s);
/* A double-quoted scalar (JSON string syntax, which YAML reads alike). */
void esc_yaml(FILE *f, const char *s);
/* A TAP description: one line, '#' escaped so it never starts a directive. */
void esc_tap(FILE *f, const char *s);

/* ---- shared wording ---- */

/* Why a rule was skipped (not exercised, not applicable, not judged). */
const char *render_skip_reason(const struct catalog_rule *r, enum verdict v, bool lint);
/* "MUST", "SHOULD", "DERIVED", "MUST (disputed)" */
const char *render_level(const struct catalog_rule *r);
/* "1.0.0", ">= 1.1.0", "< 1.2.0" */
void render_applies(const struct catalog_rule *r, char *buf, size_t size);
/* The subject's description: "session 3: docker 20.10.24, label ci". */
void render_subject_line(const struct subject *s, FILE *f, void (*esc)(FILE *, const char *));

#endif
