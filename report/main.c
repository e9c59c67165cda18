/* mockrunc-report: the certification verdict from mockrunc's recordings.
 *
 * The only file of report/ that prints or exits. Exit status: 0 when no
 * MUST rule (or expectation) failed, 1 when one did (for diff: when
 * something regressed), 2 on a usage or database error. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/clock.h"
#include "common/file.h"
#include "common/json.h"
#include "recorder/recorder.h"
#include "report/db.h"
#include "report/diff.h"
#include "report/expect.h"
#include "report/merge.h"
#include "report/render.h"
#include "report/render_catalog.h"
#include "report/score.h"
#include "report/trace.h"

#define EXIT_OK 0
#define EXIT_MUST 1
#define EXIT_USAGE 2

static const char usage_text[] =
	"usage: mockrunc-report [--db PATH] COMMAND [OPTIONS]\n"
	"\n"
	"commands:\n"
	"  sessions [--format table|json]          list the recorded sessions\n"
	"  session begin --engine NAME --engine-version V [--label L]\n"
	"                                          open a session: new invocations join it\n"
	"  session end [--id N]                    close the open session\n"
	"  score [--session ID]... [--engine E] [--engine-version V] [--label L]\n"
	"        [--group session|engine|version|label] [--expect PATH]...\n"
	"        [--format tap|json|md|html|junit] [--output FILE]\n"
	"                                          score sessions (default: the most recent)\n"
	"  diff --base S1 --head S2 [--expect PATH]... [--format text|json|md] [--output FILE]\n"
	"                                          compare two sessions; exit 1 on a regression\n"
	"  lint [--host-specific] [--format ...] [--output FILE] CONFIG.json|BUNDLE...\n"
	"                                          score standalone configs\n"
	"  trace CONTAINER-ID [--root R] [--format table|json]\n"
	"                                          one container's calls in order\n"
	"  ingest                                  move the spool into the database\n"
	"  merge OUT.db IN.db...                   merge several databases into one\n"
	"  features [--format table|json|md]       the catalog\n"
	"\n"
	"The database: --db PATH, else MOCKRUNC_DB, else \"db\" in the config file\n"
	"(MOCKRUNC_CONFIG, default /etc/mockrunc/mockrunc.json), else /var/lib/mockrunc/mockrunc.db.\n"
	"Exit status: 0 no MUST failure, 1 a MUST failure (diff: a regression), 2 usage or database error.\n";

struct opts {
	const char *db_flag;
	char *db_path;
};

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("mockrunc-report: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nRun 'mockrunc-report --help' for usage.\n", stderr);
	return EXIT_USAGE;
}

static int fail(mr_error *err)
{
	fprintf(stderr, "mockrunc-report: %s\n", err != NULL && err->msg != NULL ? err->msg : "failed");
	return EXIT_USAGE;
}

/* Terminal text: control characters are shown, not sent. */
static void print_term(FILE *f, const char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			fprintf(f, "\\x%02x", (unsigned char)*s);
		else
			fputc(*s, f);
	}
}

/* A table cell: the text (or "-"), then blanks to the column's width. */
static void print_cell(const char *s, size_t width)
{
	size_t n = s != NULL ? strlen(s) : 1;

	print_term(stdout, s != NULL ? s : "-");
	printf("%*s", (int)(n < width ? width - n + 1 : 1), "");
}

static int write_output(const char *path, const char *data, size_t len)
{
	cleanup_error mr_error *err = NULL;

	if (path == NULL) {
		if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0) {
			fprintf(stderr, "mockrunc-report: write: %s\n", mr_strerror(errno));
			return -1;
		}
		return 0;
	}
	if (mr_write_file_atomic(path, data, len, 0644, &err) < 0) {
		fail(err);
		return -1;
	}
	return 0;
}

static int open_db(struct opts *o, bool writable, sqlite3 **db)
{
	cleanup_error mr_error *err = NULL;
	long long pending;

	if (o->db_path == NULL && report_db_locate(o->db_flag, &o->db_path, &err) < 0)
		return fail(err);
	if (report_db_open(o->db_path, writable, db, &err) < 0)
		return fail(err);
	pending = report_spool_pending(o->db_path);
	if (pending > 0)
		fprintf(stderr, "mockrunc-report: note: %lld bytes of records wait in the spool; "
			"'mockrunc-report ingest' moves them into the database\n", pending);
	return 0;
}

/* getopt_long over a command's own arguments; --db is accepted here too. */
#define DB_OPTION { "db", required_argument, NULL, 'D' }

static int parse_format(const char *name, int *fmt, const int *allowed, size_t n)
{
	int f = report_format_parse(name);

	if (strcmp(name, "text") == 0)
		f = FORMAT_TABLE;
	for (size_t i = 0; i < n; i++)
		if (allowed[i] == f) {
			*fmt = f;
			return 0;
		}
	return -1;
}

/* ---- sessions ---- */

static int cmd_sessions(struct opts *o, int argc, char **argv)
{
	static const struct option longopts[] = { { "format", required_argument, NULL, 'f' }, DB_OPTION, { 0 } };
	static const int formats[] = { FORMAT_TABLE, FORMAT_JSON };
	int fmt = FORMAT_TABLE, c, rc;
	sqlite3 *db = NULL;
	struct report_session *list = NULL;
	size_t n = 0;
	cleanup_error mr_error *err = NULL;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c == 'f' && parse_format(optarg, &fmt, formats, 2) == 0)
			continue;
		if (c == 'D') {
			o->db_flag = optarg;
			continue;
		}
		return usage_error("sessions: --format is table or json");
	}
	if (optind != argc)
		return usage_error("sessions takes no argument");
	if ((rc = open_db(o, false, &db)) != 0)
		return rc;
	if (report_sessions_list(db, &list, &n, &err) < 0) {
		sqlite3_close(db);
		return fail(err);
	}
	sqlite3_close(db);
	if (fmt == FORMAT_JSON) {
		cleanup_json json_t *arr = json_array();
		cleanup_free char *text = NULL;
		for (size_t i = 0; i < n; i++) {
			const struct recorder_session *s = &list[i].s;
			char started[64], ended[64];
			json_t *obj = json_object();
			mr_rfc3339(s->started_ns, true, started, sizeof started);
			mr_rfc3339(s->ended_ns, true, ended, sizeof ended);
			json_object_set_new(obj, "id", json_integer(s->id));
			json_object_set_new(obj, "engine", s->engine ? mr_json_string_lossy(s->engine) : json_null());
			json_object_set_new(obj, "engine_version",
					    s->engine_version ? mr_json_string_lossy(s->engine_version) : json_null());
			json_object_set_new(obj, "label", s->label ? mr_json_string_lossy(s->label) : json_null());
			json_object_set_new(obj, "host", s->host ? mr_json_string_lossy(s->host) : json_null());
			json_object_set_new(obj, "started", json_string(started));
			json_object_set_new(obj, "ended", s->ended_ns ? json_string(ended) : json_null());
			json_object_set_new(obj, "automatic", json_boolean(s->automatic));
			json_object_set_new(obj, "invocations", json_integer(list[i].invocations));
			json_array_append_new(arr, obj);
		}
		text = mr_json_dump(arr, true);
		printf("%s\n", text != NULL ? text : "[]");
	} else {
		printf("%-6s %-12s %-16s %-16s %-24s %-24s %s\n", "ID", "ENGINE", "VERSION", "LABEL", "STARTED",
		       "ENDED", "INVOCATIONS");
		for (size_t i = 0; i < n; i++) {
			const struct recorder_session *s = &list[i].s;
			char started[64], ended[64] = "open";
			mr_rfc3339(s->started_ns, false, started, sizeof started);
			if (s->ended_ns)
				mr_rfc3339(s->ended_ns, false, ended, sizeof ended);
			printf("%-6" PRId64 " ", s->id);
			print_cell(s->engine, 12);
			print_cell(s->engine_version, 16);
			print_cell(s->label, 16);
			printf("%-24s %-24s %" PRId64 "%s\n", started, ended, list[i].invocations,
			       s->automatic ? " (automatic)" : "");
		}
	}
	report_sessions_free(list, n);
	return EXIT_OK;
}

static int cmd_session(struct opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "engine", required_argument, NULL, 'e' }, { "engine-version", required_argument, NULL, 'v' },
		{ "label", required_argument, NULL, 'l' }, { "id", required_argument, NULL, 'i' }, DB_OPTION, { 0 },
	};
	const char *engine = NULL, *version = NULL, *label = NULL, *what;
	int64_t id = 0;
	int c, rc;
	sqlite3 *db = NULL;
	cleanup_error mr_error *err = NULL;

	if (argc < 2)
		return usage_error("session needs begin or end");
	what = argv[1];
	argc--;
	argv++;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'e': engine = optarg; break;
		case 'v': version = optarg; break;
		case 'l': label = optarg; break;
		case 'D': o->db_flag = optarg; break;
		case 'i': {
			char *end;
			id = strtoll(optarg, &end, 10);
			if (*end != '\0' || id <= 0)
				return usage_error("session end: bad --id \"%s\"", optarg);
			break;
		}
		default:
			return usage_error("session: bad option");
		}
	}
	if (optind != argc)
		return usage_error("session %s: unexpected argument \"%s\"", what, argv[optind]);
	if (strcmp(what, "begin") == 0) {
		if (engine == NULL || version == NULL)
			return usage_error("session begin needs --engine and --engine-version");
		if ((rc = open_db(o, true, &db)) != 0)
			return rc;
		rc = recorder_session_begin(db, engine, version, label, &id, &err);
		sqlite3_close(db);
		if (rc < 0)
			return fail(err);
		printf("%" PRId64 "\n", id);
		return EXIT_OK;
	}
	if (strcmp(what, "end") == 0) {
		if (engine != NULL || version != NULL || label != NULL)
			return usage_error("session end takes only --id");
		if ((rc = open_db(o, true, &db)) != 0)
			return rc;
		rc = recorder_session_end(db, id, &err);
		sqlite3_close(db);
		return rc < 0 ? fail(err) : EXIT_OK;
	}
	return usage_error("session: unknown action \"%s\" (begin, end)", what);
}

/* ---- score ---- */

struct group {
	char *key;
	int64_t *ids;
	size_t n;
};

static void groups_free(struct group *g, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(g[i].key);
		free(g[i].ids);
	}
	free(g);
}

/* Groups sessions by the chosen key ("session" keeps one per group). */
static int group_sessions(const struct report_session *list, size_t nlist, const int64_t *ids,
			  size_t n, const char *by, struct group **out, size_t *nout)
{
	struct group *g = NULL;
	size_t ng = 0;

	for (size_t i = 0; i < n; i++) {
		const struct recorder_session *s = NULL;
		char buf[1024], *key;
		size_t k;
		for (size_t j = 0; j < nlist; j++)
			if (list[j].s.id == ids[i])
				s = &list[j].s;
		if (s == NULL)
			continue;
		if (strcmp(by, "session") == 0)
			snprintf(buf, sizeof buf, "session %" PRId64, s->id);
		else if (strcmp(by, "engine") == 0)
			snprintf(buf, sizeof buf, "%s", s->engine ? s->engine : "unknown");
		else if (strcmp(by, "version") == 0)
			snprintf(buf, sizeof buf, "%s %s", s->engine ? s->engine : "unknown",
				 s->engine_version ? s->engine_version : "?");
		else
			snprintf(buf, sizeof buf, "%s %s %s", s->engine ? s->engine : "unknown",
				 s->engine_version ? s->engine_version : "?", s->label ? s->label : "-");
		key = strdup(buf);
		if (key == NULL)
			goto nomem;
		for (k = 0; k < ng && strcmp(g[k].key, key) != 0; k++)
			;
		if (k == ng) {
			struct group *ng2 = realloc(g, (ng + 1) * sizeof *g);
			if (ng2 == NULL) {
				free(key);
				goto nomem;
			}
			g = ng2;
			memset(&g[ng], 0, sizeof g[ng]);
			g[ng++].key = key;
		} else {
			free(key);
		}
		{
			int64_t *l = realloc(g[k].ids, (g[k].n + 1) * sizeof *l);
			if (l == NULL)
				goto nomem;
			g[k].ids = l;
			g[k].ids[g[k].n++] = s->id;
		}
	}
	*out = g;
	*nout = ng;
	return 0;
nomem:
	groups_free(g, ng);
	return -1;
}

static int parse_id(const char *s, int64_t *id)
{
	char *end;

	errno = 0;
	*id = strtoll(s, &end, 10);
	return *end == '\0' && errno == 0 && *id > 0 ? 0 : -1;
}

static int cmd_score(struct opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "session", required_argument, NULL, 's' }, { "engine", required_argument, NULL, 'e' },
		{ "engine-version", required_argument, NULL, 'v' }, { "label", required_argument, NULL, 'l' },
		{ "group", required_argument, NULL, 'g' }, { "expect", required_argument, NULL, 'x' },
		{ "format", required_argument, NULL, 'f' }, { "output", required_argument, NULL, 'o' },
		DB_OPTION, { 0 },
	};
	static const int formats[] = { FORMAT_TAP, FORMAT_JSON, FORMAT_MD, FORMAT_HTML, FORMAT_JUNIT };
	int64_t *ids = NULL;
	size_t nids = 0, nexp = 0, nlist = 0, ngroups = 0;
	const char *engine = NULL, *version = NULL, *label = NULL, *group_by = "session", *output = NULL;
	int fmt = FORMAT_TAP, c, rc = EXIT_USAGE;
	sqlite3 *db = NULL;
	struct report_session *list = NULL;
	struct group *groups = NULL;
	struct expect_set ex = { 0 };
	struct report r = { 0 };
	cleanup_free char *text = NULL;
	size_t len = 0;
	cleanup_error mr_error *err = NULL;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 's': {
			int64_t id, *l;
			if (parse_id(optarg, &id) < 0) {
				rc = usage_error("score: bad --session \"%s\"", optarg);
				goto out;
			}
			if ((l = realloc(ids, (nids + 1) * sizeof *l)) == NULL)
				goto out;
			ids = l;
			ids[nids++] = id;
			break;
		}
		case 'e': engine = optarg; break;
		case 'v': version = optarg; break;
		case 'l': label = optarg; break;
		case 'o': output = optarg; break;
		case 'D': o->db_flag = optarg; break;
		case 'g':
			if (strcmp(optarg, "session") != 0 && strcmp(optarg, "engine") != 0 &&
			    strcmp(optarg, "version") != 0 && strcmp(optarg, "label") != 0) {
				rc = usage_error("score: --group is session, engine, version or label");
				goto out;
			}
			group_by = optarg;
			break;
		case 'x':
			if (expect_set_load(&ex, optarg, &err) < 0) {
				rc = fail(err);
				goto out;
			}
			nexp++;
			break;
		case 'f':
			if (parse_format(optarg, &fmt, formats, 5) == 0)
				break;
			rc = usage_error("score: unknown format \"%s\" (tap, json, md, html, junit)", optarg);
			goto out;
		default:
			rc = usage_error("score: bad option");
			goto out;
		}
	}
	if (optind != argc) {
		rc = usage_error("score: unexpected argument \"%s\"", argv[optind]);
		goto out;
	}
	if (open_db(o, false, &db) != 0)
		goto out;
	if (report_sessions_list(db, &list, &nlist, &err) < 0) {
		fail(err);
		goto out;
	}
	if (nids == 0 && (engine != NULL || version != NULL || label != NULL)) {
		if (report_sessions_select(db, engine, version, label, &ids, &nids, &err) < 0) {
			fail(err);
			goto out;
		}
		if (nids == 0) {
			fprintf(stderr, "mockrunc-report: no session matches the selection\n");
			goto out;
		}
	} else if (nids == 0) {
		if ((ids = malloc(sizeof *ids)) == NULL || report_session_latest(db, &ids[0], &err) < 0) {
			fail(err);
			goto out;
		}
		nids = 1;
	}
	for (size_t i = 0; i < nids; i++) {
		bool known = false;
		for (size_t j = 0; j < nlist; j++)
			known = known || list[j].s.id == ids[i];
		if (!known) {
			fprintf(stderr, "mockrunc-report: no session %" PRId64 " in %s\n", ids[i], o->db_path);
			goto out;
		}
	}
	if (group_sessions(list, nlist, ids, nids, group_by, &groups, &ngroups) < 0 ||
	    (r.subjects = calloc(ngroups + 1, sizeof *r.subjects)) == NULL)
		goto out;
	r.db_path = strdup(o->db_path);
	r.generated_ns = mr_now_ns();
	for (size_t i = 0; i < ngroups; i++) {
		if (report_score_sessions(db, groups[i].ids, groups[i].n, groups[i].key, nexp > 0 ? &ex : NULL,
					  &r.subjects[i], &err) < 0) {
			fail(err);
			goto out;
		}
		r.n++;
	}
	if (report_render(&r, (enum report_format)fmt, &text, &len, &err) < 0) {
		fail(err);
		goto out;
	}
	if (write_output(output, text, len) < 0)
		goto out;
	rc = report_has_must_failure(&r) ? EXIT_MUST : EXIT_OK;
out:
	if (db != NULL)
		sqlite3_close(db);
	report_free(&r);
	groups_free(groups, ngroups);
	report_sessions_free(list, nlist);
	expect_set_free(&ex);
	free(ids);
	return rc;
}

/* ---- diff ---- */

static int cmd_diff(struct opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "base", required_argument, NULL, 'b' }, { "head", required_argument, NULL, 'h' },
		{ "expect", required_argument, NULL, 'x' }, { "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' }, DB_OPTION, { 0 },
	};
	static const int formats[] = { FORMAT_TABLE, FORMAT_JSON, FORMAT_MD };
	int64_t base = 0, head = 0;
	size_t nexp = 0, len = 0;
	const char *output = NULL;
	int fmt = FORMAT_TABLE, c, rc = EXIT_USAGE;
	sqlite3 *db = NULL;
	struct expect_set ex = { 0 };
	struct subject sb = { 0 }, sh = { 0 };
	struct report_diff d = { 0 };
	char name[64];
	cleanup_free char *text = NULL;
	cleanup_error mr_error *err = NULL;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'b':
		case 'h':
			if (parse_id(optarg, c == 'b' ? &base : &head) < 0) {
				rc = usage_error("diff: bad session id \"%s\"", optarg);
				goto out;
			}
			break;
		case 'o': output = optarg; break;
		case 'D': o->db_flag = optarg; break;
		case 'x':
			if (expect_set_load(&ex, optarg, &err) < 0) {
				rc = fail(err);
				goto out;
			}
			nexp++;
			break;
		case 'f':
			if (parse_format(optarg, &fmt, formats, 3) == 0)
				break;
			rc = usage_error("diff: unknown format \"%s\" (text, json, md)", optarg);
			goto out;
		default:
			rc = usage_error("diff: bad option");
			goto out;
		}
	}
	if (base == 0 || head == 0 || optind != argc) {
		rc = usage_error("diff needs --base SESSION and --head SESSION");
		goto out;
	}
	if (open_db(o, false, &db) != 0)
		goto out;
	snprintf(name, sizeof name, "session %" PRId64, base);
	if (report_score_sessions(db, &base, 1, name, nexp > 0 ? &ex : NULL, &sb, &err) < 0) {
		fail(err);
		goto out;
	}
	snprintf(name, sizeof name, "session %" PRId64, head);
	if (report_score_sessions(db, &head, 1, name, nexp > 0 ? &ex : NULL, &sh, &err) < 0 ||
	    report_diff(&sb, &sh, &d, &err) < 0 ||
	    report_diff_render(&d, (enum report_format)fmt, &text, &len, &err) < 0) {
		fail(err);
		goto out;
	}
	if (write_output(output, text, len) < 0)
		goto out;
	rc = d.regression ? EXIT_MUST : EXIT_OK;
out:
	report_diff_free(&d);
	report_subject_free(&sb);
	report_subject_free(&sh);
	if (db != NULL)
		sqlite3_close(db);
	expect_set_free(&ex);
	return rc;
}

/* ---- lint, trace, ingest, merge, features ---- */

static int cmd_lint(struct opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' }, { "output", required_argument, NULL, 'o' },
		{ "host-specific", no_argument, NULL, 'H' }, DB_OPTION, { 0 },
	};
	static const int formats[] = { FORMAT_TAP, FORMAT_JSON, FORMAT_MD, FORMAT_HTML, FORMAT_JUNIT };
	int fmt = FORMAT_TAP, c;
	bool host = false;
	const char *output = NULL;
	struct report r;
	cleanup_free char *text = NULL;
	size_t len = 0;
	int rc;
	cleanup_error mr_error *err = NULL;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (parse_format(optarg, &fmt, formats, 5) < 0)
				return usage_error("lint: unknown format \"%s\" (tap, json, md, html, junit)", optarg);
			break;
		case 'o': output = optarg; break;
		case 'H': host = true; break;
		case 'D': o->db_flag = optarg; break;
		default: return usage_error("lint: bad option");
		}
	}
	if (optind == argc)
		return usage_error("lint needs at least one CONFIG.json or bundle directory");
	if (report_lint_files(argv + optind, (size_t)(argc - optind), host, &r, &err) < 0)
		return fail(err);
	if (report_render(&r, (enum report_format)fmt, &text, &len, &err) < 0) {
		report_free(&r);
		return fail(err);
	}
	rc = report_has_must_failure(&r) ? EXIT_MUST : EXIT_OK;
	report_free(&r);
	if (write_output(output, text, len) < 0)
		return EXIT_USAGE;
	return rc;
}

static int cmd_trace(struct opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "root", required_argument, NULL, 'r' }, { "format", required_argument, NULL, 'f' }, DB_OPTION, { 0 },
	};
	static const int formats[] = { FORMAT_TABLE, FORMAT_JSON };
	const char *root = NULL;
	int fmt = FORMAT_TABLE, c, rc;
	sqlite3 *db = NULL;
	cleanup_free char *text = NULL;
	size_t len = 0;
	cleanup_error mr_error *err = NULL;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'r': root = optarg; break;
		case 'D': o->db_flag = optarg; break;
		case 'f':
			if (parse_format(optarg, &fmt, formats, 2) < 0)
				return usage_error("trace: unknown format \"%s\" (table, json)", optarg);
			break;
		default: return usage_error("trace: bad option");
		}
	}
	if (argc - optind != 1)
		return usage_error("trace needs exactly one CONTAINER-ID");
	if ((rc = open_db(o, false, &db)) != 0)
		return rc;
	rc = report_trace(db, argv[optind], root, (enum report_format)fmt, &text, &len, &err);
	sqlite3_close(db);
	if (rc < 0)
		return fail(err);
	return write_output(NULL, text, len) < 0 ? EXIT_USAGE : EXIT_OK;
}

static int cmd_ingest(struct opts *o, int argc, char **argv)
{
	static const struct option longopts[] = { DB_OPTION, { 0 } };
	sqlite3 *db = NULL;
	size_t count = 0;
	int c, rc;
	cleanup_error mr_error *err = NULL;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c != 'D')
			return usage_error("ingest: bad option");
		o->db_flag = optarg;
	}
	if (optind != argc)
		return usage_error("ingest takes no argument");
	if (o->db_path == NULL && report_db_locate(o->db_flag, &o->db_path, &err) < 0)
		return fail(err);
	if (report_db_open(o->db_path, true, &db, &err) < 0)
		return fail(err);
	rc = recorder_ingest_spool(db, o->db_path, &count, &err);
	sqlite3_close(db);
	if (rc < 0)
		return fail(err);
	printf("%zu records ingested\n", count);
	return EXIT_OK;
}

static int cmd_merge(struct opts *o, int argc, char **argv)
{
	static const struct option longopts[] = { DB_OPTION, { 0 } };
	struct merge_counts counts;
	int c;
	cleanup_error mr_error *err = NULL;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c != 'D')
			return usage_error("merge: bad option");
		o->db_flag = optarg;
	}
	if (argc - optind < 2)
		return usage_error("merge needs OUT.db and at least one IN.db");
	if (report_merge(argv[optind], argv + optind + 1, (size_t)(argc - optind - 1), &counts, &err) < 0)
		return fail(err);
	printf("%" PRId64 " sessions and %" PRId64 " invocations added to ", counts.sessions, counts.invocations);
	print_term(stdout, argv[optind]);
	putchar('\n');
	return EXIT_OK;
}

static int cmd_features(struct opts *o, int argc, char **argv)
{
	static const struct option longopts[] = { { "format", required_argument, NULL, 'f' }, DB_OPTION, { 0 } };
	static const int formats[] = { FORMAT_TABLE, FORMAT_JSON, FORMAT_MD };
	int fmt = FORMAT_TABLE, c;
	cleanup_free char *text = NULL;
	size_t len = 0;
	cleanup_error mr_error *err = NULL;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c == 'D') {
			o->db_flag = optarg;
			continue;
		}
		if (c != 'f' || parse_format(optarg, &fmt, formats, 3) < 0)
			return usage_error("features: --format is table, json or md");
	}
	if (optind != argc)
		return usage_error("features takes no argument");
	if (report_render_catalog((enum report_format)fmt, &text, &len, &err) < 0)
		return fail(err);
	return write_output(NULL, text, len) < 0 ? EXIT_USAGE : EXIT_OK;
}

static const struct {
	const char *name;
	int (*fn)(struct opts *o, int argc, char **argv);
} commands[] = {
	{ "sessions", cmd_sessions }, { "session", cmd_session }, { "score", cmd_score },
	{ "diff", cmd_diff }, { "lint", cmd_lint }, { "trace", cmd_trace }, { "ingest", cmd_ingest },
	{ "merge", cmd_merge }, { "features", cmd_features },
};

int main(int argc, char **argv)
{
	struct opts o = { 0 };
	int i = 1, rc;

	/* Global options come before the command. */
	while (i < argc && argv[i][0] == '-') {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(usage_text, stdout);
			return EXIT_OK;
		}
		if (strcmp(argv[i], "--version") == 0) {
			printf("mockrunc-report (catalog: %zu features, %zu rules)\n", catalog_feature_count(),
			       catalog_rule_count());
			return EXIT_OK;
		}
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
			o.db_flag = argv[i + 1];
			i += 2;
		} else if (strncmp(argv[i], "--db=", 5) == 0) {
			o.db_flag = argv[i] + 5;
			i++;
		} else {
			return usage_error("unknown option \"%s\"", argv[i]);
		}
	}
	if (i == argc)
		return usage_error("no command given");
	if (strcmp(argv[i], "help") == 0) {
		fputs(usage_text, stdout);
		return EXIT_OK;
	}
	for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++) {
		if (strcmp(commands[k].name, argv[i]) != 0)
			continue;
		optind = 0; /* a fresh getopt scan for the command's arguments */
		opterr = 1;
		rc = commands[k].fn(&o, argc - i, argv + i);
		free(o.db_path);
		return rc;
	}
	return usage_error("unknown command \"%s\"", argv[i]);
}
