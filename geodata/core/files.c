/* Files and directories: removing trees, syncing, moving a finished
 * output into place, and errors from errno. */
#include "geodata/core.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int mg_error_errno(mg_error *err, int code, const char *file,
                   const char *doing)
{
    if (errno == ENOMEM)
        return mg_error_nomem(err, file);
    return mg_error_set(err, code, file, -1, NULL, "%s: %s", doing,
                        strerror(errno));
}

static int remove_at(int at, const char *name)
{
    if (unlinkat(at, name, 0) == 0 || errno == ENOENT)
        return 0;
    if (errno != EISDIR && errno != EPERM)
        return -1;
    int fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
    if (fd < 0)
        return -1;
    DIR *d = fdopendir(fd);
    if (!d) {
        close(fd);
        return -1;
    }
    int rc = 0;
    struct dirent *e;
    while (!rc && (e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            rc = remove_at(dirfd(d), e->d_name);
    int saved = errno;
    closedir(d);
    if (!rc && unlinkat(at, name, AT_REMOVEDIR) != 0 && errno != ENOENT)
        return -1;
    errno = saved;
    return rc;
}

int mg_remove_tree(const char *path)
{
    return remove_at(AT_FDCWD, path);
}

int mg_sync_path(const char *path, int parent)
{
    /* No allocation here: an output set's commit must not fail half way
     * for want of memory. */
    char dir[PATH_MAX];
    if (parent) {
        const char *slash = strrchr(path, '/');
        size_t n = slash ? (size_t)(slash - path) + (slash == path) : 1;
        if (n >= sizeof dir) {
            errno = ENAMETOOLONG;
            return -1;
        }
        memcpy(dir, slash ? path : ".", n);
        dir[n] = '\0';
        path = dir;
    }
    int fd = open(path, O_RDONLY);
    int rc = fd < 0 || fsync(fd) != 0 ? -1 : 0;
    int saved = errno;
    if (fd >= 0)
        close(fd);
    errno = saved;
    return rc;
}

/* "<dir>/.<base><suffix>" for "<dir>/<base>" into out; 0, or -1 when it
 * does not fit. */
static int beside(const char *path, const char *suffix, char *out, size_t n)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    return snprintf(out, n, "%.*s.%s%s", (int)(base - path), path, base,
                    suffix) < (int)n
               ? 0
               : -1;
}

/* rename() cannot replace a non-empty directory, so the old one goes
 * aside first.  Should the run die between the two renames, readers find
 * no output (never a partial one) and --resume publishes the finished
 * directory. */
static int swap_dir(const char *partial, const char *final, mg_error *err)
{
    char aside[PATH_MAX];
    if (beside(final, ".old", aside, sizeof aside) != 0)
        return mg_error_set(err, MG_ERR_OUTPUT, final, -1, NULL,
                            "the path is too long");
    int rc = MG_OK;
    mg_remove_tree(aside);
    if (rename(final, aside) != 0)
        rc = mg_error_errno(err, MG_ERR_OUTPUT, final,
                            "cannot move the old output aside");
    else if (rename(partial, final) != 0) {
        rc = mg_error_errno(err, MG_ERR_OUTPUT, final,
                            "cannot move the new output into place");
        rename(aside, final);
    } else if (mg_remove_tree(aside) != 0)
        rc = mg_error_errno(err, MG_ERR_OUTPUT, aside,
                            "the new output is in place but the old one "
                            "could not be removed");
    return rc;
}

int mg_publish(const char *ready, const char *final, mg_error *err)
{
    struct stat st;
    int rc = MG_OK;
    if (lstat(final, &st) == 0 && S_ISDIR(st.st_mode))
        rc = swap_dir(ready, final, err);
    else if (rename(ready, final) != 0)
        rc = mg_error_errno(err, MG_ERR_OUTPUT, final,
                            "cannot move the new output into place");
    /* The rename is durable only once the directory is synced. */
    if (!rc && mg_sync_path(final, 1) != 0)
        rc = mg_error_errno(err, MG_ERR_OUTPUT, final,
                            "cannot sync the output directory");
    return rc;
}
