/* Force-included into every source of mapgen when MG_FAILALLOC is on (see
 * core/failalloc.c): the standard allocators become mapgen's, which a test
 * can make fail.  The system headers come first so that their own
 * declarations keep the standard names. */
#ifndef MG_CORE_FAILALLOC_H
#define MG_CORE_FAILALLOC_H

#include <stdlib.h>
#include <string.h>

void *mg_malloc(size_t n);
void *mg_calloc(size_t n, size_t size);
void *mg_realloc(void *p, size_t n);
char *mg_strdup(const char *s);
char *mg_strndup(const char *s, size_t n);

#define malloc(n) mg_malloc(n)
#define calloc(n, s) mg_calloc(n, s)
#define realloc(p, n) mg_realloc(p, n)
#define strdup(s) mg_strdup(s)
#define strndup(s, n) mg_strndup(s, n)

#endif
