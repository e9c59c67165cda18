#include "common/settings.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/json.h"

static int parse_bool_text(const char *s, bool *out)
{
	if (strcmp(s, "1") == 0 || strcasecmp(s, "true") == 0 || strcasecmp(s, "yes") == 0)
		return *out = true, 0;
	if (strcmp(s, "0") == 0 || strcasecmp(s, "false") == 0 || strcasecmp(s, "no") == 0 ||
	    *s == '\0')
		return *out = false, 0;
	return -1;
}

int mr_settings_set(char **dst, const char *value)
{
	char *copy = strdup(value);

	if (copy == NULL)
		return -1;
	free(*dst);
	*dst = copy;
	return 0;
}

/* The config file: absent is fine, malformed is an error. */
static int apply_file(struct mr_settings *s, mr_error **err)
{
	const char *path = getenv("MOCKRUNC_CONFIG");
	cleanup_json json_t *doc = NULL;
	json_t *v;

	if (path == NULL || *path == '\0')
		path = MR_DEFAULT_CONFIG;
	if (access(path, F_OK) < 0)
		return 0;
	doc = mr_json_load_file(path, err);
	if (doc == NULL)
		return mr_error_wrap(err, "mockrunc config");
	if (!json_is_object(doc))
		return mr_error_set(err, 0, "mockrunc config %s: not a JSON object", path);
	if ((v = json_object_get(doc, "db")) != NULL && json_is_string(v))
		mr_settings_set(&s->db_path, json_string_value(v));
	if ((v = json_object_get(doc, "backend")) != NULL && json_is_string(v))
		mr_settings_set(&s->backend, json_string_value(v));
	if ((v = json_object_get(doc, "session")) != NULL && json_is_string(v))
		mr_settings_set(&s->session, json_string_value(v));
	if ((v = json_object_get(doc, "strict")) != NULL && json_is_boolean(v))
		s->strict = json_is_true(v);
	if ((v = json_object_get(doc, "record")) != NULL && json_is_boolean(v))
		s->record = json_is_true(v);
	if ((v = json_object_get(doc, "busy_timeout_ms")) != NULL && json_is_integer(v))
		s->busy_timeout_ms = (int)json_integer_value(v);
	if ((v = json_object_get(doc, "service")) != NULL && json_is_boolean(v))
		s->service = json_is_true(v);
	if ((v = json_object_get(doc, "service_idle_ms")) != NULL && json_is_integer(v) &&
	    json_integer_value(v) >= 0 && json_integer_value(v) <= 3600000)
		s->service_idle_ms = (int)json_integer_value(v);
	return 0;
}

/* A duration in milliseconds from the environment, 0..max. */
static int env_ms(const char *name, long max, int *out, mr_error **err)
{
	const char *v = getenv(name);
	char *end;
	long ms;

	if (v == NULL || *v == '\0')
		return 0;
	ms = strtol(v, &end, 10);
	if (*end != '\0' || ms < 0 || ms > max)
		return mr_error_set(err, 0, "%s: invalid value \"%s\"", name, v);
	*out = (int)ms;
	return 0;
}

static int apply_env(struct mr_settings *s, mr_error **err)
{
	const char *v;

	if ((v = getenv("MOCKRUNC_DB")) != NULL && *v != '\0')
		mr_settings_set(&s->db_path, v);
	if ((v = getenv("MOCKRUNC_BACKEND")) != NULL && *v != '\0')
		mr_settings_set(&s->backend, v);
	if ((v = getenv("MOCKRUNC_SESSION")) != NULL && *v != '\0')
		mr_settings_set(&s->session, v);
	if ((v = getenv("MOCKRUNC_STRICT")) != NULL && parse_bool_text(v, &s->strict) < 0)
		return mr_error_set(err, 0, "MOCKRUNC_STRICT: invalid boolean \"%s\"", v);
	if ((v = getenv("MOCKRUNC_RECORD")) != NULL && parse_bool_text(v, &s->record) < 0)
		return mr_error_set(err, 0, "MOCKRUNC_RECORD: invalid boolean \"%s\"", v);
	if ((v = getenv("MOCKRUNC_SERVICE")) != NULL && parse_bool_text(v, &s->service) < 0)
		return mr_error_set(err, 0, "MOCKRUNC_SERVICE: invalid boolean \"%s\"", v);
	if (env_ms("MOCKRUNC_BUSY_TIMEOUT_MS", 600000, &s->busy_timeout_ms, err) < 0 ||
	    env_ms("MOCKRUNC_SERVICE_IDLE_MS", 3600000, &s->service_idle_ms, err) < 0)
		return -1;
	return 0;
}

int mr_settings_load(struct mr_settings *s, mr_error **err)
{
	int rc = 0;

	memset(s, 0, sizeof *s);
	s->db_path = strdup(MR_DEFAULT_DB);
	s->backend = strdup("realexec");
	s->busy_timeout_ms = MR_DEFAULT_BUSY_TIMEOUT_MS;
	s->record = true;
	s->service = true;
	s->service_idle_ms = MR_DEFAULT_SERVICE_IDLE_MS;
	if (s->db_path == NULL || s->backend == NULL)
		return mr_error_set(err, ENOMEM, "settings");
	if (apply_file(s, err) < 0)
		rc = -1;
	if (apply_env(s, err) < 0)
		rc = -1;
	return rc;
}

void mr_settings_free(struct mr_settings *s)
{
	free(s->db_path);
	free(s->backend);
	free(s->session);
	memset(s, 0, sizeof *s);
}
