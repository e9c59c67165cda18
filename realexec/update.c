#include "realexec/update.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/json.h"
#include "realexec/gojson.h"
#include "realexec/resources.h"

/* ---- Go's strconv, as far as runc's flags use it ----------------------- */

static int syntax_error(const char *fn, const char *text, const char *why, mr_error **err)
{
	cleanup_free char *q = mr_json_quote_go(text);

	return mr_error_set(err, 0, "strconv.%s: parsing %s: %s", fn, q != NULL ? q : text, why);
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

/* ParseUint(s, base, 64); base 0 takes Go's prefixes (0x, 0o, 0b, 0). */
static int parse_uint(const char *fn, const char *whole, const char *s, int base, uint64_t *out,
		      mr_error **err)
{
	uint64_t v = 0;
	bool range = false;

	if (*s == '\0')
		return syntax_error(fn, whole, "invalid syntax", err);
	if (base == 0) {
		base = 10;
		if (s[0] == '0' && s[1] != '\0') {
			switch (s[1]) {
			case 'x': case 'X': base = 16; s += 2; break;
			case 'o': case 'O': base = 8; s += 2; break;
			case 'b': case 'B': base = 2; s += 2; break;
			default: base = 8; s += 1; break;
			}
			if (*s == '\0')
				return syntax_error(fn, whole, "invalid syntax", err);
		}
	}
	for (; *s != '\0'; s++) {
		int d = digit_value(*s);
		if (d >= base)
			return syntax_error(fn, whole, "invalid syntax", err);
		if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
			range = true;
		v = v * (uint64_t)base + (uint64_t)d;
	}
	if (range)
		return syntax_error(fn, whole, "value out of range", err);
	*out = v;
	return 0;
}

static int parse_int(const char *s, int base, int64_t *out, mr_error **err)
{
	bool neg = *s == '-';
	uint64_t u;

	if (*s == '\0')
		return syntax_error("ParseInt", s, "invalid syntax", err);
	if (parse_uint("ParseInt", s, s + (*s == '-' || *s == '+'), base, &u, err) < 0)
		return -1;
	if ((!neg && u > (uint64_t)INT64_MAX) || (neg && u > (uint64_t)INT64_MAX + 1))
		return syntax_error("ParseInt", s, "value out of range", err);
	*out = neg ? (int64_t)(0 - u) : (int64_t)u;
	return 0;
}

/* ParseFloat's decimal syntax: [+-] digits [. digits] [e [+-] digits]. */
static int parse_float(const char *s, double *out, mr_error **err)
{
	const char *p = s;
	bool digits = false;
	char *end;

	if (*p == '+' || *p == '-')
		p++;
	while (isdigit((unsigned char)*p)) {
		p++;
		digits = true;
	}
	if (*p == '.') {
		p++;
		while (isdigit((unsigned char)*p)) {
			p++;
			digits = true;
		}
	}
	if (digits && (*p == 'e' || *p == 'E')) {
		const char *q = p + 1;
		if (*q == '+' || *q == '-')
			q++;
		if (!isdigit((unsigned char)*q))
			return syntax_error("ParseFloat", s, "invalid syntax", err);
		while (isdigit((unsigned char)*q))
			q++;
		p = q;
	}
	if (!digits || *p != '\0')
		return syntax_error("ParseFloat", s, "invalid syntax", err);
	errno = 0;
	*out = strtod(s, &end);
	if (errno == ERANGE && (*out > 1 || *out < -1))
		return syntax_error("ParseFloat", s, "value out of range", err);
	return 0;
}

int rx_ram_in_bytes(const char *text, int64_t *bytes, mr_error **err)
{
	static const char units[] = "kmgtp";
	const char *sep = NULL;
	cleanup_free char *num = NULL;
	char sfx[8];
	size_t sfxlen;
	double size = 0, mul = 1;

	for (const char *p = text; *p != '\0'; p++)
		if (strchr("0123456789. ", *p) != NULL)
			sep = p;
	if (sep == NULL)
		return mr_error_set(err, 0, "invalid size: '%s'", text);
	num = strndup(text, (size_t)(sep - text) + (*sep != ' '));
	if (num == NULL)
		return mr_error_set(err, ENOMEM, "size");
	if (parse_float(num, &size, err) < 0)
		return -1;
	if (size < 0)
		return mr_error_set(err, 0, "invalid size: '%s'", text);
	sfxlen = strlen(sep + 1);
	if (sfxlen > 3)
		return mr_error_set(err, 0, "invalid suffix: '%s'", sep + 1);
	for (size_t i = 0; i <= sfxlen; i++)
		sfx[i] = (char)tolower((unsigned char)sep[1 + i]);
	if (sfxlen > 0 && sfx[0] != 'b') {
		const char *u = strchr(units, sfx[0]);
		if (u == NULL || sfx[0] == '\0' || (sfxlen == 2 && sfx[1] != 'b') ||
		    (sfxlen == 3 && strcmp(sfx + 1, "ib") != 0))
			return mr_error_set(err, 0, "invalid suffix: '%s'", sfx);
		for (long k = 0; k <= u - units; k++)
			mul *= 1024;
	} else if (sfxlen > 1) {
		return mr_error_set(err, 0, "invalid suffix: '%s'", sfx);
	}
	size *= mul;
	/* Go's int64() of a float past the int64 range gives the minimum on
	 * amd64; the kernel then refuses the value, as with runc. */
	*bytes = size >= 9223372036854775807.0 ? INT64_MIN : (int64_t)size;
	return 0;
}

/* ---- flags ------------------------------------------------------------- */

static int flag_error(const char *flag, mr_error **err)
{
	return mr_error_wrap(err, "invalid value for %s", flag);
}

/* An IntFlag of the command line parser: `invalid value "x" for flag -name: ...`. */
static int int_flag(const char *name, const char *text, int64_t *v, mr_error **err)
{
	mr_error *e = NULL;
	cleanup_free char *q = NULL;

	if (parse_int(text, 0, v, &e) == 0)
		return 0;
	q = mr_json_quote_go(text);
	mr_error_set(err, 0, "invalid value %s for flag -%s: %s", q != NULL ? q : text, name, e->msg);
	mr_error_free(&e);
	return -1;
}

static bool resctrl_has(const char *what)
{
	char path[64];

	snprintf(path, sizeof path, "/sys/fs/resctrl/info/%s", what);
	return access(path, F_OK) == 0;
}

static json_t *member(json_t *root, const char *name)
{
	json_t *o = json_object_get(root, name);

	if (o == NULL) {
		o = json_object();
		json_object_set_new(root, name, o);
	}
	return o;
}

int rx_update_from_flags(const struct rx_update_flags *f, json_t **resources, mr_error **err)
{
	cleanup_json json_t *r = json_object();
	const struct { const char *name, *text, *key; } uints[] = {
		{ "cpu-burst", f->cpu_burst, "burst" },
		{ "cpu-period", f->cpu_period, "period" },
		{ "cpu-rt-period", f->cpu_rt_period, "realtimePeriod" },
		{ "cpu-share", f->cpu_share, "shares" },
	}, ints[] = {
		{ "cpu-quota", f->cpu_quota, "quota" },
		{ "cpu-rt-runtime", f->cpu_rt_runtime, "realtimeRuntime" },
	}, sizes[] = {
		{ "memory", f->memory, "limit" },
		{ "memory-swap", f->memory_swap, "swap" },
		{ "kernel-memory", f->kernel_memory, "kernel" },
		{ "kernel-memory-tcp", f->kernel_memory_tcp, "kernelTCP" },
		{ "memory-reservation", f->memory_reservation, "reservation" },
	};
	json_t *tmp;

	*resources = NULL;
	if (r == NULL)
		return mr_error_set(err, ENOMEM, "update");
	/* Fields go in the order runc reads the flags; empty strings count as
	 * not given, as in runc. */
	if (f->blkio_weight != NULL && *f->blkio_weight != '\0') {
		int64_t w;
		if (int_flag("blkio-weight", f->blkio_weight, &w, err) < 0)
			return -1;
		/* runc keeps the low 16 bits, and 0 means "not given". */
		if (w != 0)
			json_object_set_new(member(r, "blockIO"), "weight", json_integer((uint16_t)w));
	}
	if (f->cpuset_cpus != NULL && *f->cpuset_cpus != '\0')
		json_object_set_new(member(r, "cpu"), "cpus", json_string(f->cpuset_cpus));
	if (f->cpuset_mems != NULL && *f->cpuset_mems != '\0')
		json_object_set_new(member(r, "cpu"), "mems", json_string(f->cpuset_mems));
	if (f->cpu_idle != NULL && *f->cpu_idle != '\0') {
		int64_t v;
		if (parse_int(f->cpu_idle, 10, &v, err) < 0)
			return flag_error("cpu-idle", err);
		json_object_set_new(member(r, "cpu"), "idle", json_integer(v));
	}
	for (size_t i = 0; i < sizeof uints / sizeof *uints; i++) {
		uint64_t v;
		if (uints[i].text == NULL || *uints[i].text == '\0')
			continue;
		if (parse_uint("ParseUint", uints[i].text, uints[i].text, 10, &v, err) < 0)
			return flag_error(uints[i].name, err);
		/* A JSON integer ends at 2^63-1; the kernel refuses more anyway. */
		if (v > INT64_MAX)
			return mr_error_set(err, 0, "invalid value for %s: value out of range", uints[i].name);
		json_object_set_new(member(r, "cpu"), uints[i].key, json_integer((json_int_t)v));
	}
	for (size_t i = 0; i < sizeof ints / sizeof *ints; i++) {
		int64_t v;
		if (ints[i].text == NULL || *ints[i].text == '\0')
			continue;
		if (parse_int(ints[i].text, 10, &v, err) < 0)
			return flag_error(ints[i].name, err);
		json_object_set_new(member(r, "cpu"), ints[i].key, json_integer(v));
	}
	for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
		int64_t v = -1;
		if (sizes[i].text == NULL || *sizes[i].text == '\0')
			continue;
		if (strcmp(sizes[i].text, "-1") != 0 && rx_ram_in_bytes(sizes[i].text, &v, err) < 0)
			return flag_error(sizes[i].name, err);
		json_object_set_new(member(r, "memory"), sizes[i].key, json_integer(v));
	}
	if (f->pids_limit != NULL) {
		int64_t v;
		if (int_flag("pids-limit", f->pids_limit, &v, err) < 0)
			return -1;
		json_object_set_new(member(r, "pids"), "limit", json_integer(v));
	}
	if (f->l3_cache_schema != NULL && *f->l3_cache_schema != '\0' && !resctrl_has("L3"))
		return mr_error_set(err, 0, "Intel RDT/CAT: l3 cache schema is not enabled");
	if (f->mem_bw_schema != NULL && *f->mem_bw_schema != '\0' && !resctrl_has("MB"))
		return mr_error_set(err, 0, "Intel RDT/MBA: memory bandwidth schema is not enabled");
	/* realexec sets up no Intel RDT group, so there is none to update. */
	if ((f->l3_cache_schema != NULL && *f->l3_cache_schema != '\0') ||
	    (f->mem_bw_schema != NULL && *f->mem_bw_schema != '\0'))
		return mr_error_set(err, 0, "updating a non-existent Intel RDT configuration is not supported");
	tmp = r;
	r = NULL;
	*resources = tmp;
	return 0;
}

int rx_update_parse_resources(const char *data, size_t len, json_t **resources, mr_error **err)
{
	json_t *v;

	*resources = NULL;
	if (rx_json_decode_go(data, len, &v, err) < 0)
		return -1;
	if (json_is_null(v)) {
		json_decref(v);
		v = json_object();
	}
	if (rx_resources_check(v, "", NULL, err) < 0) {
		json_decref(v);
		return -1;
	}
	*resources = v;
	return 0;
}
