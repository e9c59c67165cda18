/* The shared helpers: path cleaning as Go's filepath.Clean, SHA-256 against
 * FIPS 180-4 vectors, Go-compatible JSON strings, runc-style log lines. */
#include <stdlib.h>
#include <string.h>

#include "common/file.h"
#include "common/json.h"
#include "common/log.h"
#include "common/sha256.h"
#include "common/clock.h"
#include "tests/unit/tap.h"

static void clean(const char *in, const char *want)
{
	char *got = mr_path_clean(in);
	is_str(got, want, "clean(\"%s\")", in);
	free(got);
}

int main(void)
{
	char hex[65], buf[64];
	char *s;

	clean("", ".");
	clean("/", "/");
	clean("a//b/./c/", "a/b/c");
	clean("/../x", "/x");
	clean("../../a", "../../a");
	clean("a/../../b", "../b");
	clean("/a/b/../../../c", "/c");
	clean("./", ".");

	s = mr_path_join("/run/", "/x");
	is_str(s, "/run/x", "join trims separators");
	free(s);
	s = mr_path_join("/", "x");
	is_str(s, "/x", "join onto /");
	free(s);

	mr_sha256_hex("", 0, hex);
	is_str(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "sha256 of nothing");
	mr_sha256_hex("abc", 3, hex);
	is_str(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "sha256 of abc");
	{
		const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
		mr_sha256_hex(m, strlen(m), hex);
		is_str(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1", "sha256 of 56 bytes (two blocks)");
	}
	{
		char *mil = malloc(1000000);
		memset(mil, 'a', 1000000);
		mr_sha256_hex(mil, 1000000, hex);
		is_str(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", "sha256 of a million a");
		mr_sha256_hex_portable(mil, 1000000, hex);
		is_str(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
		       "sha256 of a million a, without the SHA instructions");
		free(mil);
	}
	{
		/* Every tail length (padding in one block or two), on bytes that
		 * are not text: the accelerated and portable paths agree. */
		unsigned char buf[300];
		char other[65];
		int differ = 0;
		for (size_t i = 0; i < sizeof buf; i++)
			buf[i] = (unsigned char)(i * 131 + 7);
		for (size_t len = 0; len <= sizeof buf; len++) {
			mr_sha256_hex(buf, len, hex);
			mr_sha256_hex_portable(buf, len, other);
			differ += strcmp(hex, other) != 0;
		}
		is_int(differ, 0, "sha256 of 0..300 bytes: %s and portable agree",
		       mr_sha256_accelerated() ? "SHA instructions" : "portable");
	}

	s = mr_json_quote_go("<a href=\"x\">&\n\x01\xff");
	is_str(s, "\"\\u003ca href=\\\"x\\\"\\u003e\\u0026\\n\\u0001\\ufffd\"", "Go-style JSON escaping");
	free(s);
	s = mr_json_quote_go("caf\xc3\xa9 \xe2\x80\xa8");
	is_str(s, "\"caf\xc3\xa9 \\u2028\"", "valid UTF-8 kept, U+2028 escaped");
	free(s);

	s = mr_log_format(true, MR_LOG_ERROR, "container does not exist");
	ok(s != NULL && strncmp(s, "{\"level\":\"error\",\"msg\":\"container does not exist\",\"time\":\"", 58) == 0 &&
	   s[strlen(s) - 1] == '\n', "JSON log line: logrus key order");
	free(s);
	s = mr_log_format(false, MR_LOG_WARNING, "say \"hi\"");
	ok(s != NULL && strstr(s, " level=warning msg=\"say \\\"hi\\\"\"\n") != NULL, "text log line quotes like logrus");
	free(s);
	s = mr_log_format(false, MR_LOG_INFO, "plain");
	ok(s != NULL && strstr(s, " level=info msg=plain\n") != NULL, "text log line: bare word unquoted");
	free(s);

	{
		/* Go uint64 values above INT64_MAX keep their bits. */
		const char *t = "{\"soft\":18446744073709551615,\"s\":\"18446744073709551615\",\"n\":-5,\"f\":1e30}";
		mr_error *e = NULL;
		json_t *j = mr_json_parse(t, strlen(t), &e);
		ok(j != NULL, "uint64 literals parse");
		ok(j != NULL && (uint64_t)json_integer_value(json_object_get(j, "soft")) == UINT64_MAX,
		   "RLIM_INFINITY reads back as uint64 max");
		is_str(json_string_value(json_object_get(j, "s")), "18446744073709551615", "strings untouched");
		is_int(json_integer_value(json_object_get(j, "n")), -5, "negative numbers untouched");
		json_decref(j);
		j = mr_json_parse("[184467440737095516150]", 23, &e);
		ok(j == NULL && e != NULL && strstr(e->msg, "too big integer") != NULL, "beyond uint64: an error");
		mr_error_free(&e);
	}

	mr_rfc3339(1700000000123456000LL, true, buf, sizeof buf);
	is_str(buf, "2023-11-14T22:13:20.123456Z", "RFC3339Nano drops trailing zeros");
	mr_rfc3339(1700000000000000000LL, true, buf, sizeof buf);
	is_str(buf, "2023-11-14T22:13:20Z", "RFC3339Nano of a whole second");
	return tap_done();
}
