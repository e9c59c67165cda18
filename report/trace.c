/* trace: one container's calls in order, with timing, outcome and the call
 * rules each one broke. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/clock.h"
#include "common/json.h"
#include "report/render.h"
#include "report/score.h"
#include "report/trace.h"

/* Terminal text: control characters shown as \xNN, never sent raw. */
static void esc_term(FILE *f, const char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			fprintf(f, "\\x%02x", (unsigned char)*s);
		else
			fputc(*s, f);
	}
}

/* argv as a shell would show it, the program itself left out. */
static void command_line(FILE *f, const char *argv_json)
{
	cleanup_json json_t *argv = json_loads(argv_json != NULL ? argv_json : "[]", 0, NULL);
	json_t *a;
	size_t i;

	json_array_foreach(argv, i, a) {
		const char *s = json_string_value(a);
		if (i == 0 || s == NULL)
			continue;
		if (i > 1)
			fputc(' ', f);
		if (*s == '\0' || strpbrk(s, " \t'\"\\$") != NULL) {
			fputc('\'', f);
			for (; *s != '\0'; s++) {
				if (*s == '\'')
					fputs("'\\''", f);
				else if ((unsigned char)*s < 0x20)
					fprintf(f, "\\x%02x", (unsigned char)*s);
				else
					fputc(*s, f);
			}
			fputc('\'', f);
		} else {
			esc_term(f, s);
		}
	}
}

/* The rule ids whose evidence points at this invocation. */
static void rules_of(const struct subject *s, int64_t inv, FILE *f, json_t *arr)
{
	bool first = true;

	for (size_t i = 0; i < catalog_rule_count(); i++) {
		const struct rule_result *rr = &s->rules[i];
		for (size_t k = 0; k < rr->nev; k++) {
			if (rr->ev[k].invocation != inv)
				continue;
			if (f != NULL) {
				fprintf(f, "%s%s", first ? "" : ",", catalog_rule(i)->id);
				first = false;
			}
			if (arr != NULL)
				json_array_append_new(arr, json_pack("{s:s, s:s, s:s}", "rule", catalog_rule(i)->id,
								     "level", render_level(catalog_rule(i)),
								     "message", rr->ev[k].message));
			break;
		}
	}
}

int report_trace(sqlite3 *db, const char *container, const char *root, enum report_format fmt,
		 char **out, size_t *len, mr_error **err)
{
	struct subject s;
	sqlite3_stmt *st = NULL;
	FILE *f;
	cleanup_json json_t *calls = json_array();
	int64_t first_ns = 0;
	int n = 0, rc;

	if (report_score_container(db, container, &s, err) < 0)
		return -1;
	if (sqlite3_prepare_v2(db, "SELECT id, session_id, started_ns, duration_ns, command, argv, exit_code,"
			       " error, runtime_root FROM invocations WHERE container_id = ?1"
			       " AND (?2 IS NULL OR runtime_root = ?2) ORDER BY started_ns, id",
			       -1, &st, NULL) != SQLITE_OK) {
		report_subject_free(&s);
		return mr_error_set(err, 0, "trace: %s", sqlite3_errmsg(db));
	}
	sqlite3_bind_text(st, 1, container, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, root, -1, SQLITE_STATIC);
	if ((f = open_memstream(out, len)) == NULL) {
		sqlite3_finalize(st);
		report_subject_free(&s);
		return mr_error_set(err, errno, "trace");
	}
	if (fmt != FORMAT_JSON) {
		fputs("container ", f);
		esc_term(f, container);
		fputc('\n', f);
		fprintf(f, "%4s %10s %12s %10s %5s  %-8s %s\n", "#", "invocation", "at (ms)", "took (ms)", "exit",
			"rules", "command line [root] error");
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0), started = sqlite3_column_int64(st, 2);
		bool has_dur = sqlite3_column_type(st, 3) != SQLITE_NULL;
		bool has_exit = sqlite3_column_type(st, 6) != SQLITE_NULL;
		double dur = (double)sqlite3_column_int64(st, 3) / 1e6;
		const char *argv = (const char *)sqlite3_column_text(st, 5);
		const char *error = (const char *)sqlite3_column_text(st, 7);
		const char *call_root = (const char *)sqlite3_column_text(st, 8);

		if (n++ == 0)
			first_ns = started;
		if (fmt == FORMAT_JSON) {
			char stamp[64];
			json_t *o = json_object(), *rules = json_array();
			mr_rfc3339(started, true, stamp, sizeof stamp);
			json_object_set_new(o, "invocation", json_integer(id));
			json_object_set_new(o, "session", json_integer(sqlite3_column_int64(st, 1)));
			json_object_set_new(o, "started", json_string(stamp));
			json_object_set_new(o, "duration_ms", has_dur ? json_real(dur) : json_null());
			json_object_set_new(o, "command", sqlite3_column_type(st, 4) == SQLITE_NULL ? json_null()
					    : mr_json_string_lossy((const char *)sqlite3_column_text(st, 4)));
			json_object_set_new(o, "argv", json_loads(argv != NULL ? argv : "[]", 0, NULL));
			json_object_set_new(o, "exit_code", has_exit ? json_integer(sqlite3_column_int(st, 6)) : json_null());
			json_object_set_new(o, "error", error != NULL ? mr_json_string_lossy(error) : json_null());
			json_object_set_new(o, "root", call_root != NULL ? mr_json_string_lossy(call_root) : json_null());
			rules_of(&s, id, NULL, rules);
			json_object_set_new(o, "rules", rules);
			json_array_append_new(calls, o);
			continue;
		}
		{
			char *rules = NULL;
			size_t rlen = 0;
			FILE *rf = open_memstream(&rules, &rlen);
			if (rf != NULL) {
				rules_of(&s, id, rf, NULL);
				fclose(rf);
			}
			fprintf(f, "%4d %10" PRId64 " %12.3f ", n, id, (double)(started - first_ns) / 1e6);
			if (has_dur)
				fprintf(f, "%10.3f ", dur);
			else
				fprintf(f, "%10s ", "-");
			if (has_exit)
				fprintf(f, "%5d  ", sqlite3_column_int(st, 6));
			else
				fprintf(f, "%5s  ", "-");
			fprintf(f, "%-8s ", rules != NULL && *rules != '\0' ? rules : "-");
			free(rules);
		}
		command_line(f, argv);
		fputs(" [", f);
		esc_term(f, call_root);
		fputc(']', f);
		if (error != NULL) {
			fputs(" error: ", f);
			esc_term(f, error);
		}
		fputc('\n', f);
	}
	sqlite3_finalize(st);
	if (fmt == FORMAT_JSON) {
		cleanup_json json_t *doc = json_pack("{s:o, s:O}", "container", mr_json_string_lossy(container),
						     "calls", calls);
		char *text = mr_json_dump(doc, true);
		if (text != NULL)
			fprintf(f, "%s\n", text);
		free(text);
	} else {
		bool any = false;
		for (size_t i = 0; i < catalog_rule_count(); i++) {
			const struct rule_result *rr = &s.rules[i];
			if (rr->verdict != VERDICT_FAIL && rr->verdict != VERDICT_WARN)
				continue;
			if (!any)
				fputs("rules broken on this container:\n", f);
			any = true;
			for (size_t k = 0; k < rr->nev; k++) {
				fprintf(f, "  %s %s: ", catalog_rule(i)->id, render_level(catalog_rule(i)));
				esc_term(f, rr->ev[k].message);
				fprintf(f, " (invocation %" PRId64 ", %" PRId64 " times)\n", rr->ev[k].invocation,
					rr->ev[k].count);
			}
		}
		if (!any)
			fputs("no call rule is broken on this container\n", f);
	}
	report_subject_free(&s);
	if (fclose(f) != 0 || rc != SQLITE_DONE) {
		free(*out);
		*out = NULL;
		return mr_error_set(err, 0, "trace: %s", rc != SQLITE_DONE ? sqlite3_errmsg(db) : "out of memory");
	}
	return 0;
}
