/* Paths of the outputs, shared by the files of the pipeline. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

char *path_join(const char *dir, const char *a, const char *b)
{
    size_t n = strlen(dir) + strlen(a) + (b ? strlen(b) : 0) + 3;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s%s", dir, a, b ? b : "");
    return p;
}

int path_exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}
