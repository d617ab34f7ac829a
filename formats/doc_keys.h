/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The keys of a map being parsed, hashed, so that finding a duplicate key
 * costs the same however many keys the map has: a map of N keys parses in
 * time linear in N.  For the document parsers (doc_json.c, doc_yaml.c).
 */
#ifndef DAMO_FORMATS_DOC_KEYS_H
#define DAMO_FORMATS_DOC_KEYS_H

#include <stdbool.h>
#include <stddef.h>

struct doc_node;

struct doc_keys {
	size_t *slot;		/* index into the map's keys + 1; 0: empty */
	size_t cap;
};

#define DOC_KEYS_INIT { NULL, 0 }

/*
 * doc_keys_has() - whether @map (a DOC_MAP whose keys @k has seen so far,
 * all but none added behind its back) already has @key.
 */
bool doc_keys_has(struct doc_keys *k, const struct doc_node *map,
		  const char *key);
/* Note that @map's last key was just added. */
void doc_keys_added(struct doc_keys *k, const struct doc_node *map);
void doc_keys_release(struct doc_keys *k);

#endif /* DAMO_FORMATS_DOC_KEYS_H */
