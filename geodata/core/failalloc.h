/* Force-included into every source of mapgen when MG_FAILALLOC is on (see
 * core/failalloc.c): the standard allocators become mapgen's, which a test
 * can make fail.  Only <stddef.h> comes first (it sets no feature macros,
 * so a file's own _GNU_SOURCE still counts); the C library's declarations
 * of malloc() and the rest that follow become compatible redeclarations of
 * mg_malloc() and the rest. */
#ifndef MG_CORE_FAILALLOC_H
#define MG_CORE_FAILALLOC_H
/* failalloc.c itself calls the real ones (CMake defines this for it). */
#ifndef MG_FAILALLOC_SELF

#include <stddef.h>

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
#endif
