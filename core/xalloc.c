/* SPDX-License-Identifier: GPL-2.0 */
/* Aborting allocation helpers. */
#include "xalloc.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static void __attribute__((noreturn)) die_oom(size_t size)
{
	fprintf(stderr, "damo: fatal: out of memory allocating %zu bytes\n",
		size);
	abort();
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (!p)
		die_oom(size);
	return p;
}

void *xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (!p)
		die_oom(nmemb * size);
	return p;
}

void *xreallocarray(void *ptr, size_t nmemb, size_t size)
{
	void *p;

	if (size && nmemb > SIZE_MAX / size)
		die_oom(SIZE_MAX);
	p = realloc(ptr, nmemb && size ? nmemb * size : 1);
	if (!p)
		die_oom(nmemb * size);
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = strndup(s, n);

	if (!p)
		die_oom(n);
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		die_oom(0);
	return s;
}

void xgrow(void **ptr, size_t nr, size_t *cap, size_t size)
{
	if (nr < *cap)
		return;
	*cap = *cap ? *cap * 2 : 4;
	*ptr = xreallocarray(*ptr, *cap, size);
}
