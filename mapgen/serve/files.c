/* mapgen serve: opening files below a served folder, and their types. */
#define _GNU_SOURCE 1 /* syscall(): glibc has no openat2() wrapper */
#include "serve_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <strings.h>
#include <sys/syscall.h>
#include <unistd.h>

/* O_NONBLOCK: a FIFO planted in the folder must not hang a worker in
 * open(); it is refused afterwards as not a regular file. */
#define FILE_FLAGS (O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)

static int sys_openat2(int root, const char *path, int flags)
{
#ifdef SYS_openat2
    struct open_how how;
    memset(&how, 0, sizeof how);
    how.flags = (unsigned long long)flags;
    /* BENEATH: no "..", no absolute path or link, no link leading out;
     * NO_MAGICLINKS: no /proc/self/fd style jumps. */
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
    return (int)syscall(SYS_openat2, root, path, &how, sizeof how);
#else
    (void)root;
    (void)path;
    (void)flags;
    errno = ENOSYS;
    return -1;
#endif
}

int serve_probe_openat2(int root)
{
    int fd = sys_openat2(root, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    close(fd);
    return 1;
}

/* One component at a time, each opened with O_NOFOLLOW. */
static int open_walk(int root, const char *path)
{
    char seg[MG_SERVE_MAX_URL + 1];
    int dir = root;
    const char *p = path;
    for (;;) {
        const char *slash = strchr(p, '/');
        size_t n = slash ? (size_t)(slash - p) : strlen(p);
        if (n == 0 || n >= sizeof seg) {
            errno = ENOENT;
            goto fail;
        }
        memcpy(seg, p, n);
        seg[n] = '\0';
        int fd = openat(dir, seg, slash ? O_RDONLY | O_DIRECTORY | O_NOFOLLOW
                                        | O_CLOEXEC
                                        : FILE_FLAGS | O_NOFOLLOW);
        if (dir != root)
            close(dir);
        if (fd < 0 || !slash)
            return fd;
        dir = fd;
        p = slash + 1;
    }
fail:
    if (dir != root)
        close(dir);
    return -1;
}

int serve_open_beneath(int openat2, int root, const char *path)
{
    if (!mg_serve_path_is_safe(path)) {
        errno = EXDEV;
        return -1;
    }
    return openat2 ? sys_openat2(root, path, FILE_FLAGS)
                   : open_walk(root, path);
}

const char *serve_content_type(const char *path)
{
    static const struct { const char *ext, *type; } types[] = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json"},
        {".png", "image/png"},
        {".svg", "image/svg+xml"},
        {".csv", "text/csv; charset=utf-8"},
        {".txt", "text/plain; charset=utf-8"},
        {".md", "text/markdown; charset=utf-8"},
        {".gpkg", "application/geopackage+sqlite3"},
        {".mbtiles", "application/vnd.sqlite3"},
        {".map", "application/json"},
    };
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    if (!dot)
        return !strcmp(base, "LICENSE") ? "text/plain; charset=utf-8"
                                        : "application/octet-stream";
    for (size_t i = 0; i < sizeof types / sizeof *types; i++)
        if (!strcasecmp(dot, types[i].ext))
            return types[i].type;
    return "application/octet-stream";
}
