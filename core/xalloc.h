/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Allocation helpers that abort with a message on failure, so that small
 * allocations need no ENOMEM branches (htop's xMalloc, git's xmalloc).
 */
#ifndef DAMO_CORE_XALLOC_H
#define DAMO_CORE_XALLOC_H

#include <stddef.h>
#include <stdlib.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
/* realloc() of @nmemb * @size bytes; aborts on multiplication overflow. */
void *xreallocarray(void *ptr, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* asprintf() that aborts on failure; the result is owned by the caller. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * xgrow() - make room for one more element in a {ptr, nr, cap} array.
 * @ptr: address of the array pointer
 * @nr: number of elements in use
 * @cap: address of the capacity, updated
 * @size: element size
 */
void xgrow(void **ptr, size_t nr, size_t *cap, size_t size);

/* free() and set the pointer to NULL. */
#define zfree(pp) do { free(*(pp)); *(pp) = NULL; } while (0)

#endif /* DAMO_CORE_XALLOC_H */
