/* SPDX-License-Identifier: GPL-2.0 */
/* Hashed keys of a map being parsed (formats/doc_keys.h). */
#include "formats/doc_keys.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "formats/doc.h"

/* Maps this small are searched directly: no table. */
#define DOC_KEYS_LINEAR 16

static size_t key_hash(const char *s)
{
	size_t h = (size_t)14695981039346656037ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * (size_t)1099511628211ULL;
	return h;
}

static size_t *find_slot(const struct doc_keys *k, const struct doc_node *map,
			 const char *key)
{
	size_t h = key_hash(key) & (k->cap - 1);

	for (;; h = (h + 1) & (k->cap - 1))
		if (!k->slot[h] || !strcmp(map->keys[k->slot[h] - 1], key))
			return &k->slot[h];
}

/* A table twice the size the map will have at @nr keys, with all of them. */
static void rebuild(struct doc_keys *k, const struct doc_node *map, size_t nr)
{
	size_t i;

	free(k->slot);
	k->cap = 64;
	while (k->cap < nr * 2)
		k->cap <<= 1;
	k->slot = xcalloc(k->cap, sizeof(*k->slot));
	for (i = 0; i < map->nr; i++)
		*find_slot(k, map, map->keys[i]) = i + 1;
}

bool doc_keys_has(struct doc_keys *k, const struct doc_node *map,
		  const char *key)
{
	size_t i;

	if (map->nr < DOC_KEYS_LINEAR) {
		for (i = 0; i < map->nr; i++)
			if (!strcmp(map->keys[i], key))
				return true;
		return false;
	}
	if (!k->slot)
		rebuild(k, map, map->nr + 1);
	return *find_slot(k, map, key) != 0;
}

void doc_keys_added(struct doc_keys *k, const struct doc_node *map)
{
	if (!k->slot)
		return;
	if (map->nr * 2 > k->cap) {
		rebuild(k, map, map->nr * 2);
		return;
	}
	*find_slot(k, map, map->keys[map->nr - 1]) = map->nr;
}

void doc_keys_release(struct doc_keys *k)
{
	free(k->slot);
	k->slot = NULL;
	k->cap = 0;
}
