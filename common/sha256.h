/* SHA-256 (FIPS 180-4), used to address recorded blobs by content. */
#ifndef MR_SHA256_H
#define MR_SHA256_H

#include <stddef.h>
#include <stdint.h>

/* Hex digest of data: out must hold 65 bytes. */
void mr_sha256_hex(const void *data, size_t len, char out[65]);

#endif
