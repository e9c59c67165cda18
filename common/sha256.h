/* SHA-256 (FIPS 180-4), used to address recorded blobs by content. */
#ifndef MR_SHA256_H
#define MR_SHA256_H

#include <stddef.h>
#include <stdint.h>

#include <stdbool.h>

/* Hex digest of data: out must hold 65 bytes. Uses the CPU's SHA
 * instructions when it has them. */
void mr_sha256_hex(const void *data, size_t len, char out[65]);

/* The same without the SHA instructions, and whether they are used. */
void mr_sha256_hex_portable(const void *data, size_t len, char out[65]);
bool mr_sha256_accelerated(void);

#endif
