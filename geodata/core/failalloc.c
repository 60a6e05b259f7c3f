/* The allocator of mapgen's own code, and its failure injection.
 *
 * In a build with MG_FAILALLOC (cmake -DMG_FAILALLOC=ON) every malloc(),
 * calloc(), realloc() and strdup() of our sources is a macro for the
 * functions here (core/failalloc.h, force-included), so a test can make the
 * n-th allocation fail and check that each failure unwinds cleanly: exit 7,
 * a message, no leak, no partial output (tests/failalloc).  In other builds
 * they are plain wrappers that nothing calls. */
#include "geodata/core.h"

#include <errno.h>
#include <execinfo.h>
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

/* 1 when this call is to fail; errno is then ENOMEM, as malloc() sets
 * it. */
static int should_fail(void)
{
    long at = atomic_load(&armed_at);
    if (at <= 0 || atomic_fetch_add(&calls, 1) + 1 < at)
        return 0;
    /* MG_FAILALLOC_TRACE=1 shows who asked, to find a failure's cause. */
    if (atomic_load(&calls) == at && getenv("MG_FAILALLOC_TRACE")) {
        void *frames[16];
        backtrace_symbols_fd(frames, backtrace(frames, 16), 2);
    }
    errno = ENOMEM;
    return 1;
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
