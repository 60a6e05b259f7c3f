/* Helpers of the fuzz targets: an input as a NUL-terminated string, as a
 * file, and the one way a target reports a breach (abort, which libFuzzer
 * and the replayer both see). */
#ifndef MG_FUZZ_COMMON_H
#define MG_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FUZZ_CHECK(cond)                                                     \
    do {                                                                     \
        if (!(cond)) {                                                       \
            fprintf(stderr, "%s:%d: breach: %s\n", __FILE__, __LINE__,       \
                    #cond);                                                  \
            abort();                                                         \
        }                                                                    \
    } while (0)

/* A malloc()ed copy of data with a NUL after it (NULs inside stay). */
static inline char *fuzz_string(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (s) {
        memcpy(s, data, size);
        s[size] = '\0';
    }
    return s;
}

/* data written to one temporary file of this process, for readers that
 * take a path; NULL when it cannot be written. */
static inline const char *fuzz_file(const uint8_t *data, size_t size,
                                    const char *suffix)
{
    static char path[256];
    const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(path, sizeof path, "%s/mg-fuzz-%ld%s", dir, (long)getpid(),
             suffix);
    FILE *f = fopen(path, "wb");
    if (!f)
        return NULL;
    size_t n = fwrite(data, 1, size, f);
    if (fclose(f) != 0 || n != size)
        return NULL;
    return path;
}

#endif
