#include "report/strmap.h"

#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK (1u << 20)

static uint32_t hash_bytes(const char *s, size_t len)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

void strmap_init(struct strmap *m)
{
	memset(m, 0, sizeof *m);
}

void strmap_free(struct strmap *m)
{
	for (size_t i = 0; i < m->nblocks; i++)
		free(m->blocks[i]);
	free(m->blocks);
	free(m->slots);
	free(m->keys);
	free(m->hashes);
	memset(m, 0, sizeof *m);
}

static int64_t lookup(const struct strmap *m, const char *key, size_t len, uint32_t h,
		      size_t *slot)
{
	size_t mask = m->nslots - 1, i = h & mask;

	for (;;) {
		uint32_t v = m->slots[i];
		if (v == 0) {
			*slot = i;
			return -1;
		}
		if (m->hashes[v - 1] == h && strncmp(m->keys[v - 1], key, len) == 0 &&
		    m->keys[v - 1][len] == '\0')
			return v - 1;
		i = (i + 1) & mask;
	}
}

static int grow_slots(struct strmap *m)
{
	size_t n = m->nslots ? m->nslots * 2 : 1024;
	uint32_t *slots = calloc(n, sizeof *slots);

	if (slots == NULL)
		return -1;
	for (size_t k = 0; k < m->n; k++) {
		size_t i = m->hashes[k] & (n - 1);
		while (slots[i] != 0)
			i = (i + 1) & (n - 1);
		slots[i] = (uint32_t)k + 1;
	}
	free(m->slots);
	m->slots = slots;
	m->nslots = n;
	return 0;
}

static char *arena_copy(struct strmap *m, const char *key, size_t len)
{
	char *dst;

	if (m->arena == NULL || m->arena_used + len + 1 > m->arena_cap) {
		size_t cap = len + 1 > ARENA_BLOCK ? len + 1 : ARENA_BLOCK;
		char **blocks = realloc(m->blocks, (m->nblocks + 1) * sizeof *blocks);
		if (blocks == NULL)
			return NULL;
		m->blocks = blocks;
		if ((m->arena = malloc(cap)) == NULL)
			return NULL;
		m->blocks[m->nblocks++] = m->arena;
		m->arena_cap = cap;
		m->arena_used = 0;
	}
	dst = m->arena + m->arena_used;
	memcpy(dst, key, len);
	dst[len] = '\0';
	m->arena_used += len + 1;
	return dst;
}

int64_t strmap_find(const struct strmap *m, const char *key, size_t len)
{
	size_t slot;

	if (m->nslots == 0)
		return -1;
	return lookup(m, key, len, hash_bytes(key, len), &slot);
}

int64_t strmap_intern(struct strmap *m, const char *key, size_t len)
{
	uint32_t h = hash_bytes(key, len);
	size_t slot;
	int64_t found;

	/* Keep the table at most half full so probes stay short. */
	if ((m->n + 1) * 2 > m->nslots && grow_slots(m) < 0)
		return -1;
	found = lookup(m, key, len, h, &slot);
	if (found >= 0)
		return found;
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 256;
		char **keys = realloc(m->keys, cap * sizeof *keys);
		uint32_t *hashes;
		if (keys == NULL)
			return -1;
		m->keys = keys;
		hashes = realloc(m->hashes, cap * sizeof *hashes);
		if (hashes == NULL)
			return -1;
		m->hashes = hashes;
		m->cap = cap;
	}
	if ((m->keys[m->n] = arena_copy(m, key, len)) == NULL)
		return -1;
	m->hashes[m->n] = h;
	m->slots[slot] = (uint32_t)m->n + 1;
	return (int64_t)m->n++;
}
