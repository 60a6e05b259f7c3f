/* libFuzzer target: mapgen serve's request parsing (mapgen/serve/route.h).
 * Any bytes as a request path must give a route whose file path, when
 * there is one, stays inside the served folder by construction, and the
 * Range / If-None-Match / Host parsers must hold their promises.  The
 * checks are written here again, independently of route.c, and abort()
 * on a breach so that libFuzzer reports it.  Run with `make fuzz`
 * (clang); replay.c replays the corpus in `make test`. */
#include "mapgen/route.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int allowed(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || strchr("_.@+~-", c) != NULL;
}

/* Relative; segments of allowed bytes, not empty, not starting with '.'. */
static void check_path(const char *p)
{
    size_t n = strlen(p);
    if (n == 0 || n > MG_SERVE_MAX_URL || p[0] == '/' || p[n - 1] == '/')
        abort();
    for (size_t i = 0; i < n; i++) {
        int seg_start = i == 0 || p[i - 1] == '/';
        if (p[i] == '/') {
            if (seg_start)
                abort();            /* empty segment */
            continue;
        }
        if (!allowed((unsigned char)p[i]) || (seg_start && p[i] == '.'))
            abort();
    }
}

static void check_route(const uint8_t *data, size_t size)
{
    mg_route r;
    mg_route_kind k = mg_serve_route((const char *)data, size, &r);
    if (k != r.kind)
        abort();
    switch (k) {
    case MG_ROUTE_TILE:
        if (r.z < 0 || r.z > 30 || r.x >= (1ull << r.z) || r.y >= (1ull << r.z))
            abort();
        /* fall through */
    case MG_ROUTE_TILEJSON:
        if (!mg_serve_is_map_name(r.map, strlen(r.map)) ||
            strncmp(r.path, r.map, strlen(r.map)))
            abort();
        /* fall through */
    case MG_ROUTE_INDEX:
    case MG_ROUTE_FILE:
        check_path(r.path);
        break;
    case MG_ROUTE_TOO_LONG:
        if (size <= MG_SERVE_MAX_URL)
            abort();
        break;
    default:
        break;
    }
    /* A NUL, a backslash or a '%' left after decoding never routes. */
    if (k >= MG_ROUTE_INDEX && k != MG_ROUTE_CATALOG &&
        k != MG_ROUTE_HEALTH && (memchr(data, 0, size) ||
                                 memchr(data, '\\', size)))
        abort();
}

static void check_headers(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        return;
    memcpy(s, data, size);
    s[size] = '\0';
    const uint64_t sizes[] = {0, 1, 1000, UINT64_MAX};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        uint64_t off = 0, len = 0;
        int rc = mg_serve_parse_range(s, sizes[i], &off, &len);
        if (rc < -1 || rc > 1 ||
            (rc == 1 && (len == 0 || off >= sizes[i] || len > sizes[i] - off)))
            abort();
    }
    int m = mg_serve_etag_match(s, "\"m0123456789abcdef-1f\"");
    if (m != 0 && m != 1)
        abort();
    const char *hosts[] = {"127.0.0.1:8080", "localhost:8080"};
    if (mg_serve_host_allowed(s, hosts, 2) &&
        strcmp(s, hosts[0]) && strcmp(s, hosts[1]) &&
        strlen(s) != strlen(hosts[0]) && strlen(s) != strlen(hosts[1]))
        abort();
    free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_route(data, size);
    check_headers(data, size);
    return 0;
}
