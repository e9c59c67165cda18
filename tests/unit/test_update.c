/* realexec/update: what `runc update` makes of its flags and of its
 * --resources input, and the messages a user gets for bad ones. */
#include <stdlib.h>
#include <string.h>

#include "tests/unit/tap.h"
#include "common/cleanup.h"
#include "common/error.h"
#include "common/json.h"
#include "realexec/update.h"

static void ram_ok(const char *text, long long want)
{
	int64_t got = 0;
	cleanup_error mr_error *err = NULL;

	ok(rx_ram_in_bytes(text, &got, &err) == 0, "size \"%s\" parses", text);
	is_int(got, want, "size \"%s\" is %lld bytes", text, want);
}

static void ram_bad(const char *text, const char *want)
{
	int64_t got = 0;
	cleanup_error mr_error *err = NULL;

	ok(rx_ram_in_bytes(text, &got, &err) < 0, "size \"%s\" is refused", text);
	is_str(err != NULL ? err->msg : NULL, want, "size \"%s\": message", text);
}

static void test_units(void)
{
	ram_ok("64m", 67108864);
	ram_ok("64M", 67108864);
	ram_ok("1g", 1073741824);
	ram_ok("1.5g", 1610612736);
	ram_ok("64MB", 67108864);      /* binary even with "MB", as docker */
	ram_ok("64MiB", 67108864);
	ram_ok("64KIB", 65536);
	ram_ok("512 kb", 524288);
	ram_ok("100", 100);
	ram_ok("100b", 100);
	ram_ok("2t", 2199023255552LL);
	ram_ok("1p", 1125899906842624LL);
	ram_ok("0.5k", 512);
	ram_ok("1.9", 1);              /* truncated as Go's int64() */
	ram_bad("garbage", "invalid size: 'garbage'");
	ram_bad("12x", "invalid suffix: 'x'");
	ram_bad("64mbb", "invalid suffix: 'mbb'");
	ram_bad("1MiBx", "invalid suffix: 'MiBx'");
	ram_bad("64bb", "invalid suffix: 'bb'");
	ram_bad("1.2.3m", "strconv.ParseFloat: parsing \"1.2.3\": invalid syntax");
	ram_bad("-5m", "invalid size: '-5m'");
	ram_bad("1e400", "strconv.ParseFloat: parsing \"1e400\": value out of range");
}

static char *flags_json(const struct rx_update_flags *f, char **error)
{
	cleanup_json json_t *r = NULL;
	cleanup_error mr_error *err = NULL;

	*error = NULL;
	if (rx_update_from_flags(f, &r, &err) < 0) {
		*error = strdup(err->msg);
		return NULL;
	}
	return mr_json_dump(r, false);
}

static void flag_bad(const struct rx_update_flags *f, const char *want, const char *what)
{
	char *e = NULL;
	char *j = flags_json(f, &e);

	ok(j == NULL, "%s is refused", what);
	is_str(e, want, "%s: message", what);
	free(j);
	free(e);
}

static void test_flags(void)
{
	struct rx_update_flags f = { 0 };
	char *e = NULL, *j;

	f.memory = "64m";
	f.memory_swap = "-1";
	f.memory_reservation = "32m";
	f.cpu_share = "512";
	f.cpu_quota = "50000";
	f.cpu_period = "100000";
	f.cpuset_cpus = "0";
	f.pids_limit = "10";
	f.blkio_weight = "300";
	j = flags_json(&f, &e);
	is_str(j, "{\"blockIO\":{\"weight\":300},\"cpu\":{\"cpus\":\"0\",\"period\":100000,\"shares\":512,"
		  "\"quota\":50000},\"memory\":{\"limit\":67108864,\"swap\":-1,\"reservation\":33554432},"
		  "\"pids\":{\"limit\":10}}",
	       "flags become the resources object, only the fields given");
	free(j);

	memset(&f, 0, sizeof f);
	j = flags_json(&f, &e);
	is_str(j, "{}", "no flags: nothing to change");
	free(j);

	memset(&f, 0, sizeof f);
	f.cpu_idle = "1";
	f.cpu_burst = "1000";
	f.cpu_rt_period = "1000000";
	f.cpu_rt_runtime = "950000";
	f.cpuset_mems = "0";
	f.kernel_memory = "10m";
	f.kernel_memory_tcp = "1m";
	f.blkio_weight = "0";          /* runc: 0 means not given */
	f.pids_limit = "0x10";         /* an integer flag takes Go's prefixes */
	j = flags_json(&f, &e);
	is_str(j, "{\"cpu\":{\"mems\":\"0\",\"idle\":1,\"burst\":1000,\"realtimePeriod\":1000000,"
		  "\"realtimeRuntime\":950000},\"memory\":{\"kernel\":10485760,\"kernelTCP\":1048576},"
		  "\"pids\":{\"limit\":16}}",
	       "cpu idle, burst, real-time, mems and the obsolete kernel memory flags");
	free(j);

	memset(&f, 0, sizeof f);
	f.cpu_share = "-1";
	flag_bad(&f, "invalid value for cpu-share: strconv.ParseUint: parsing \"-1\": invalid syntax",
		 "--cpu-share -1");
	memset(&f, 0, sizeof f);
	f.cpu_period = "99999999999999999999";
	flag_bad(&f, "invalid value for cpu-period: strconv.ParseUint: parsing \"99999999999999999999\": "
		     "value out of range", "--cpu-period out of range");
	memset(&f, 0, sizeof f);
	f.cpu_quota = "abc";
	flag_bad(&f, "invalid value for cpu-quota: strconv.ParseInt: parsing \"abc\": invalid syntax",
		 "--cpu-quota abc");
	memset(&f, 0, sizeof f);
	f.cpu_idle = "1.0";
	flag_bad(&f, "invalid value for cpu-idle: strconv.ParseInt: parsing \"1.0\": invalid syntax",
		 "--cpu-idle 1.0");
	memset(&f, 0, sizeof f);
	f.memory = "12x";
	flag_bad(&f, "invalid value for memory: invalid suffix: 'x'", "--memory 12x");
	memset(&f, 0, sizeof f);
	f.memory_swap = "lots";
	flag_bad(&f, "invalid value for memory-swap: invalid size: 'lots'", "--memory-swap lots");
	memset(&f, 0, sizeof f);
	f.pids_limit = "x";
	flag_bad(&f, "invalid value \"x\" for flag -pids-limit: strconv.ParseInt: parsing \"x\": invalid syntax",
		 "--pids-limit x");
	memset(&f, 0, sizeof f);
	f.l3_cache_schema = "L3:0=ff";
	flag_bad(&f, "Intel RDT/CAT: l3 cache schema is not enabled", "--l3-cache-schema without RDT");
	memset(&f, 0, sizeof f);
	f.mem_bw_schema = "MB:0=70";
	flag_bad(&f, "Intel RDT/MBA: memory bandwidth schema is not enabled", "--mem-bw-schema without RDT");
}

/* The input as a test name can show it: on one line. */
static const char *shown(const char *input)
{
	static char buf[256];
	size_t w = 0;

	for (const char *p = input; *p != '\0' && w < sizeof buf - 3; p++) {
		if (*p == '\n' || *p == '\t') {
			buf[w++] = '\\';
			buf[w++] = *p == '\n' ? 'n' : 't';
		} else {
			buf[w++] = *p;
		}
	}
	buf[w] = '\0';
	return buf;
}

static void parse_bad(const char *input, const char *want)
{
	cleanup_json json_t *r = NULL;
	cleanup_error mr_error *err = NULL;

	ok(rx_update_parse_resources(input, strlen(input), &r, &err) < 0 && r == NULL,
	   "--resources '%s' is refused", shown(input));
	is_str(err != NULL ? err->msg : NULL, want, "--resources '%s': message", shown(input));
}

static void parse_ok(const char *input, const char *want)
{
	cleanup_json json_t *r = NULL;
	cleanup_error mr_error *err = NULL;
	cleanup_free char *dump = NULL;

	ok(rx_update_parse_resources(input, strlen(input), &r, &err) == 0,
	   "--resources '%s' is accepted%s%s", shown(input), err ? ": " : "", err ? err->msg : "");
	dump = r != NULL ? mr_json_dump(r, false) : NULL;
	is_str(dump, want, "--resources '%s': the object", shown(input));
}

static void test_resources_input(void)
{
	parse_ok("{\"memory\":{\"limit\":67108864,\"swap\":-1},\"cpu\":{\"shares\":512}}\n",
		 "{\"memory\":{\"limit\":67108864,\"swap\":-1},\"cpu\":{\"shares\":512}}");
	parse_ok("  {\"pids\":{\"limit\":5}} trailing garbage", "{\"pids\":{\"limit\":5}}");
	parse_ok("{\"Memory\":{\"Limit\":5}}", "{\"Memory\":{\"Limit\":5}}");
	parse_ok("null", "{}");
	parse_ok("{\"memory\":{\"limit\":null},\"unknown\":[1,2]}",
		 "{\"memory\":{\"limit\":null},\"unknown\":[1,2]}");
	/* update ignores device rules, so it does not judge them either */
	parse_ok("{\"devices\":[{\"allow\":true,\"access\":\"\"}]}",
		 "{\"devices\":[{\"allow\":true,\"access\":\"\"}]}");

	parse_bad("x", "invalid character 'x' looking for beginning of value");
	parse_bad("", "EOF");
	parse_bad(" \n\t", "EOF");
	parse_bad("{", "unexpected EOF");
	parse_bad("{\"memory\":{\"limit\":1", "unexpected EOF");
	parse_bad("{\"a\" 1}", "invalid character '1' after object key");
	parse_bad("{\"a\":1 \"b\":2}", "invalid character '\"' after object key:value pair");
	parse_bad("{x}", "invalid character 'x' looking for beginning of object key string");
	parse_bad("[1 2]", "invalid character '2' after array element");
	parse_bad("trx", "invalid character 'x' in literal true (expecting 'u')");
	parse_bad("{\"a\":-x}", "invalid character 'x' in numeric literal");
	parse_bad("{\"a\":1.x}", "invalid character 'x' after decimal point in numeric literal");
	parse_bad("{\"a\":\"\\q\"}", "invalid character 'q' in string escape code");
	parse_bad("{\"a\":\"x\ny\"}", "invalid character '\\n' in string literal");
	parse_bad("1x", "invalid character 'x' after top-level value");
	parse_bad("[]", "json: cannot unmarshal array into Go value of type specs.LinuxResources");
	parse_bad("\"x\"", "json: cannot unmarshal string into Go value of type specs.LinuxResources");
	parse_bad("{\"memory\":{\"limit\":\"64m\"}}",
		  "json: cannot unmarshal string into Go struct field LinuxMemory.memory.limit of type int64");
	parse_bad("{\"cpu\":{\"shares\":-1}}",
		  "json: cannot unmarshal number -1 into Go struct field LinuxCPU.cpu.shares of type uint64");
	parse_bad("{\"pids\":{\"limit\":1.5}}",
		  "json: cannot unmarshal number 1.5 into Go struct field LinuxPids.pids.limit of type int64");
	parse_bad("{\"blockIO\":{\"weight\":70000}}",
		  "json: cannot unmarshal number 70000 into Go struct field LinuxBlockIO.blockIO.weight of type uint16");
	parse_bad("{\"memory\":5}",
		  "json: cannot unmarshal number into Go struct field LinuxResources.memory of type specs.LinuxMemory");
	parse_bad("{\"cpu\":{\"cpus\":0}}",
		  "json: cannot unmarshal number into Go struct field LinuxCPU.cpu.cpus of type string");
	parse_bad("{\"memory\":{\"disableOOMKiller\":\"yes\"}}",
		  "json: cannot unmarshal string into Go struct field LinuxMemory.memory.disableOOMKiller of type bool");
	parse_bad("{\"unified\":{\"memory.max\":5}}",
		  "json: cannot unmarshal number into Go struct field LinuxResources.unified of type string");
	parse_bad("{\"blockIO\":{\"throttleReadBpsDevice\":[{\"major\":8,\"minor\":0,\"rate\":\"1m\"}]}}",
		  "json: cannot unmarshal string into Go struct field LinuxThrottleDevice.blockIO.throttleReadBpsDevice.rate of type uint64");
	parse_bad("{\"devices\":{}}",
		  "json: cannot unmarshal object into Go struct field LinuxResources.devices of type []specs.LinuxDeviceCgroup");
	parse_bad("{\"rdma\":{\"mlx4_0\":{\"hcaHandles\":-2}}}",
		  "json: cannot unmarshal number -2 into Go struct field LinuxRdma.rdma.hcaHandles of type uint32");
}

int main(void)
{
	test_units();
	test_flags();
	test_resources_input();
	return tap_done();
}
