/* Engine expectations: the file format and the evaluation of checks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/expect.h"
#include "tests/unit/tap.h"

static char dir[] = "/tmp/mockrunc-expect.XXXXXX";

static int load_text(const char *text, struct expect_set *set, mr_error **err)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof path, "%s/t.expect", dir);
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
	memset(set, 0, sizeof *set);
	return expect_set_load(set, path, err);
}

static void format(void)
{
	struct expect_set set;
	mr_error *err = NULL;

	ok(load_text("# docker workload\nengine docker\n\nstep memory-limit\n  title docker run --memory 64m\n"
		     "  expect config linux.resources.memory.limit == 67108864\n  expect call kill\n"
		     "step tty SHOULD\n", &set, &err) < 0, "a step line takes only a name");
	ok(err != NULL && strstr(err->msg, "t.expect:8") != NULL, "the error names file and line: %s",
	   err ? err->msg : "");
	mr_error_free(&err);
	expect_set_free(&set);

	ok(load_text("engine docker\nstep memory-limit\n  title docker run --memory 64m\n"
		     "  expect config linux.resources.memory.limit == 67108864\n"
		     "  expect cli kill.signal == 9\n  expect call kill\n"
		     "step tty\n  level SHOULD\n  match annotation com.example.step=tty\n"
		     "  expect process process.terminal == true\n"
		     "step named\n  optional\n  match id ^web-[0-9]+$\n  expect config hostname matches ^web\n",
		     &set, &err) == 0, "a well-formed file loads");
	is_int(set.n, 3, "three steps");
	is_str(set.steps[0].engine, "docker", "the engine line applies to the steps");
	is_str(set.steps[0].match_key, "MOCKRUNC_STEP", "default match: the env entry MOCKRUNC_STEP");
	is_str(set.steps[0].match_value, "memory-limit", "... equal to the step name");
	is_int(set.steps[0].nchecks, 3, "three checks");
	is_int(set.steps[0].checks[1].subject, EXPECT_CLI, "cli subject");
	is_int(set.steps[1].level, CATALOG_SHOULD, "level SHOULD");
	is_int(set.steps[1].match, MATCH_ANNOTATION, "match annotation");
	ok(set.steps[2].optional, "optional step");
	ok(expect_step_matches_id(&set.steps[2], "web-12") && !expect_step_matches_id(&set.steps[2], "db-1"),
	   "match id is a regular expression on the container id");
	ok(expect_step_for_engine(&set.steps[0], "Docker") && !expect_step_for_engine(&set.steps[0], "podman"),
	   "steps apply to their engine only");
	expect_set_free(&set);

	ok(load_text("step a\n  expect config x ~= 1\n", &set, &err) < 0 && strstr(err->msg, "operator") != NULL,
	   "an unknown operator is refused");
	mr_error_free(&err);
	expect_set_free(&set);
	ok(load_text("step a\nstep a\n", &set, &err) < 0 && strstr(err->msg, "twice") != NULL,
	   "a step defined twice is refused");
	mr_error_free(&err);
	expect_set_free(&set);
	ok(load_text("expect config x exists\n", &set, &err) < 0, "an expectation outside a step is refused");
	mr_error_free(&err);
	expect_set_free(&set);
	ok(load_text("step a b\n", &set, &err) < 0, "a step name is one word");
	mr_error_free(&err);
	expect_set_free(&set);
	ok(load_text("step <script>\n", &set, &err) < 0, "a step name holds no markup");
	mr_error_free(&err);
	expect_set_free(&set);
}

static bool holds(const char *check, const char *doc_text)
{
	struct expect_set set;
	mr_error *err = NULL;
	char text[512];
	json_t *doc = json_loads(doc_text, 0, NULL);
	char *actual = NULL;
	bool r;

	snprintf(text, sizeof text, "step s\n  expect config %s\n", check);
	if (load_text(text, &set, &err) < 0) {
		printf("# %s\n", err->msg);
		mr_error_free(&err);
		json_decref(doc);
		return false;
	}
	r = expect_eval_json(&set.steps[0].checks[0], doc, &actual);
	free(actual);
	expect_set_free(&set);
	json_decref(doc);
	return r;
}

static void evaluation(void)
{
	const char *doc = "{\"process\":{\"env\":[\"A=1\",\"MOCKRUNC_STEP=x\"],\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\","
			  "\"hard\":20000}],\"terminal\":true},\"linux\":{\"resources\":{\"memory\":{\"limit\":67108864}},"
			  "\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"network\",\"path\":\"/proc/1/ns/net\"}]},"
			  "\"hostname\":\"web-1\"}";
	json_t *j = json_loads(doc, 0, NULL);
	struct expect_set set;
	mr_error *err = NULL;

	ok(holds("linux.resources.memory.limit == 67108864", doc), "== on a number");
	ok(!holds("linux.resources.memory.limit == 1", doc), "== fails on another number");
	ok(holds("linux.resources.memory.limit >= 1048576", doc), ">= on numbers");
	ok(holds("process.rlimits[type=RLIMIT_NOFILE].hard == 20000", doc), "[key=value] selects an element");
	ok(holds("linux.namespaces[1].path == \"/proc/1/ns/net\"", doc), "[N] indexes an array");
	ok(holds("linux.namespaces[type=user] absent", doc), "absent");
	ok(holds("linux.namespaces[type=pid] exists", doc), "exists");
	ok(holds("process.env contains \"A=1\"", doc), "contains on an array");
	ok(holds("hostname contains web", doc), "contains on a string, bare word value");
	ok(holds("hostname matches ^web-[0-9]$", doc), "matches");
	ok(holds("process.terminal == true", doc), "== on a boolean");
	ok(holds("process.terminal != false", doc), "!=");
	ok(holds("linux.resources.pids != 5", doc), "!= holds when absent");

	ok(load_text("step x\n  match env MOCKRUNC_STEP=x\n", &set, &err) == 0 &&
	   expect_step_matches_doc(&set.steps[0], j), "env match on the config's process.env");
	expect_set_free(&set);
	ok(load_text("step y\n  expect cli kill.signal == 9\n  expect cli create.--console-socket absent\n",
		     &set, &err) == 0, "cli checks load");
	ok(expect_eval_cli(&set.steps[0].checks[0], true, "9"), "a number matches the item's text");
	ok(!expect_eval_cli(&set.steps[0].checks[0], true, "15"), "another signal does not");
	ok(!expect_eval_cli(&set.steps[0].checks[0], false, NULL), "a missing item does not");
	ok(expect_eval_cli(&set.steps[0].checks[1], false, NULL), "absent holds when missing");
	expect_set_free(&set);
	json_decref(j);
}

int main(void)
{
	if (mkdtemp(dir) == NULL)
		return 1;
	format();
	evaluation();
	{
		char path[256];
		snprintf(path, sizeof path, "%s/t.expect", dir);
		unlink(path);
		rmdir(dir);
	}
	return tap_done();
}
