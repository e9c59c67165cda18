/* A string -> index map with interning, for the scoring passes: container
 * ids, state roots and command-line feature ids seen a million times are
 * turned into small integers once. Open addressing, keys copied into one
 * growing arena; nothing is ever removed. */
#ifndef REPORT_STRMAP_H
#define REPORT_STRMAP_H

#include <stddef.h>
#include <stdint.h>

struct strmap {
	uint32_t *slots;      /* 0 = empty, else index + 1 */
	size_t nslots;
	char **keys;          /* keys[i] is the i-th interned string */
	uint32_t *hashes;
	size_t n, cap;
	char *arena;          /* current arena block */
	size_t arena_used, arena_cap;
	char **blocks;        /* every arena block, to free them */
	size_t nblocks;
};

void strmap_init(struct strmap *m);
void strmap_free(struct strmap *m);

/* Index of key, adding it when new; -1 only when out of memory. */
int64_t strmap_intern(struct strmap *m, const char *key, size_t len);
/* Index of key or -1 when absent. */
int64_t strmap_find(const struct strmap *m, const char *key, size_t len);

static inline const char *strmap_key(const struct strmap *m, size_t i)
{
	return m->keys[i];
}

#endif
