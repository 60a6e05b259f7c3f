/* The allocator of mapgen's own code, and its failure injection.
 *
 * In a build with MG_FAILALLOC (cmake -DMG_FAILALLOC=ON) every malloc(),
 * calloc(), realloc() and strdup() of our sources is a macro for the
 * functions here (core/failalloc.h, force-included), so a test can make the
 * n-th allocation fail and check that each failure unwinds cleanly: exit 7,
 * a message, no leak, no partial output (tests/failalloc).  In other builds
 * they are plain wrappers that nothing calls. */
#include "geodata/core.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* Undo the macros of failalloc.h in this file: here are the real ones. */
#undef malloc
#undef calloc
#undef realloc
#undef strdup
#undef strndup

static atomic_long armed_at; /* 0: disarmed */
static atomic_long calls;

static int should_fail(void)
{
    long at = atomic_load(&armed_at);
    if (at <= 0)
        return 0;
    return atomic_fetch_add(&calls, 1) + 1 >= at;
}

void mg_failalloc_arm(long n)
{
    atomic_store(&calls, 0);
    atomic_store(&armed_at, n);
}

long mg_failalloc_count(void)
{
    return atomic_load(&calls);
}

int mg_failalloc_fired(void)
{
    long at = atomic_load(&armed_at);
    return at > 0 && atomic_load(&calls) >= at;
}

void *mg_malloc(size_t n)
{
    return should_fail() ? NULL : malloc(n);
}

void *mg_calloc(size_t n, size_t size)
{
    return should_fail() ? NULL : calloc(n, size);
}

void *mg_realloc(void *p, size_t n)
{
    return should_fail() ? NULL : realloc(p, n);
}

char *mg_strdup(const char *s)
{
    return should_fail() ? NULL : strdup(s);
}

char *mg_strndup(const char *s, size_t n)
{
    return should_fail() ? NULL : strndup(s, n);
}
