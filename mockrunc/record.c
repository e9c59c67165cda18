#include "mockrunc/record.h"

#include <stdio.h>
#include <string.h>

#include "common/json.h"

/* {name: value} — a flag given once maps to its value, a repeated one (a
 * string slice, a repeated bool) to the array of values in order. */
static json_t *flags_json(const struct cli_flags *f)
{
	json_t *o = json_object();

	for (size_t i = 0; o != NULL && i < f->n; i++) {
		const struct cli_value *v = &f->v[i];
		json_t *val;
		if (v->n == 1 && v->flag->type != CLI_SLICE) {
			val = mr_json_string_lossy(v->values[0]);
		} else {
			val = json_array();
			for (size_t j = 0; val != NULL && j < v->n; j++)
				json_array_append_new(val, mr_json_string_lossy(v->values[j]));
		}
		json_object_set_new(o, v->flag->name, val);
	}
	return o;
}

static json_t *strings_json(char **items, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; a != NULL && i < n; i++)
		json_array_append_new(a, mr_json_string_lossy(items[i]));
	return a;
}

static void feature(json_t *o, const char *prefix, const char *name, const char *value)
{
	char id[256];

	snprintf(id, sizeof id, "%s%s", prefix, name);
	json_object_set_new(o, id, value != NULL ? mr_json_string_lossy(value) : json_null());
}

static void flag_features(json_t *o, const char *prefix, const struct cli_flags *f)
{
	for (size_t i = 0; i < f->n; i++) {
		char name[128];
		snprintf(name, sizeof name, "--%s", f->v[i].flag->name);
		feature(o, prefix, name, f->v[i].values[f->v[i].n - 1]);
	}
}

/* Command-line feature ids: "create", "create.--console-socket",
 * "global.--root", "kill.signal", "exec.args" (a command given as
 * positionals instead of --process). */
static json_t *cli_features(const struct mockrunc *m)
{
	json_t *o = json_object();
	const struct invocation *inv = &m->inv;
	char prefix[64];

	if (o == NULL)
		return NULL;
	flag_features(o, "global.", &inv->global);
	if (inv->version)
		feature(o, "", "--version", NULL);
	if (inv->cmd == NULL)
		return o;
	feature(o, "", inv->cmd->name, NULL);
	snprintf(prefix, sizeof prefix, "%s.", inv->cmd->name);
	flag_features(o, prefix, &inv->local);
	if (inv->help)
		feature(o, prefix, "--help", NULL);
	if (strcmp(inv->cmd->name, "kill") == 0 && inv->nargs > 1)
		feature(o, prefix, "signal", inv->args[1]);
	if (strcmp(inv->cmd->name, "exec") == 0 && inv->nargs > 1)
		feature(o, prefix, "args", inv->args[1]);
	return o;
}

int record_invocation_build(struct mockrunc *m, int64_t started_ns,
			    struct recorder_invocation *rec)
{
	const struct invocation *inv = &m->inv;

	memset(rec, 0, sizeof *rec);
	rec->started_ns = started_ns;
	rec->argv = strings_json(inv->argv, (size_t)inv->argc);
	rec->global_flags = flags_json(&inv->global);
	rec->command = inv->cmd != NULL ? inv->cmd->name : inv->cmd_name;
	rec->flags = flags_json(&inv->local);
	rec->args = strings_json(inv->args, inv->nargs);
	rec->container_id = inv->id;
	rec->runtime_root = m->root;
	rec->bundle = m->bundle;
	rec->backend = m->settings.backend;
	rec->label = m->settings.session;
	rec->cli_features = cli_features(m);
	rec->config = (struct recorder_blob){ m->config.data, m->config.len, m->config.json,
					      m->config.parse_error };
	rec->process = (struct recorder_blob){ m->process.data, m->process.len, m->process.json,
					       m->process.parse_error };
	rec->resources = (struct recorder_blob){ m->resources.data, m->resources.len,
						 m->resources.json, m->resources.parse_error };
	return 0;
}

void record_invocation_free(struct recorder_invocation *rec)
{
	json_decref(rec->caller_chain);
	json_decref(rec->argv);
	json_decref(rec->global_flags);
	json_decref(rec->flags);
	json_decref(rec->args);
	json_decref(rec->cli_features);
	memset(rec, 0, sizeof *rec);
}
