/* libFuzzer target: runc's command line. The input is split at NUL bytes
 * into argv; any argv must parse or fail cleanly, never crash or leak. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mockrunc/cli.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = malloc(size + 1);
	char *argv[64];
	int argc = 0;
	struct invocation inv;
	struct cli_parse_error perr;
	mr_error *err = NULL;

	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	argv[argc++] = "mockrunc";
	for (size_t i = 0; i < size && argc < 63;) {
		argv[argc++] = copy + i;
		i += strlen(copy + i) + 1;
	}
	argv[argc] = NULL;
	cli_parse(argc, argv, &inv, &perr, &err);
	if (err == NULL && inv.cmd != NULL) {
		/* Lookups must work on whatever parsed. */
		char **vals;
		(void)cli_string(&inv.local, "bundle");
		(void)cli_slice(&inv.local, "env", &vals);
		(void)cli_int(&inv.local, "preserve-fds", 0);
	}
	mr_error_free(&err);
	cli_invocation_free(&inv);
	free(copy);
	return 0;
}
