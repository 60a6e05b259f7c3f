/* mapgen serve: request paths to routes; Range, If-None-Match, Host. */
#include "mapgen/route.h"

#include <string.h>
#include <strings.h>

static int hex_value(unsigned char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static int is_name_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '@' ||
           c == '+' || c == '~' || c == '-';
}

/* Decodes raw into out (room for MG_SERVE_MAX_URL + 1).  Everything that
 * could mean something to a file system or to a second decoder is
 * malformed here, before any name is looked at: NUL, control bytes,
 * backslashes, bytes past ASCII, and a '%' left after decoding. */
static mg_route_kind decode(const char *raw, size_t len, char *out)
{
    size_t o = 0;
    if (len == 0 || raw[0] != '/')   /* origin form only, as sent */
        return MG_ROUTE_BAD;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)raw[i];
        if (c == '%') {
            int h = i + 1 < len ? hex_value((unsigned char)raw[i + 1]) : -1;
            int l = i + 2 < len ? hex_value((unsigned char)raw[i + 2]) : -1;
            if (h < 0 || l < 0)
                return MG_ROUTE_BAD;
            c = (unsigned char)(h * 16 + l);
            i += 2;
            if (c == '%')
                return MG_ROUTE_BAD;
        }
        if (c < 0x20 || c >= 0x7f || c == '\\')
            return MG_ROUTE_BAD;
        out[o++] = (char)c;
    }
    out[o] = '\0';
    return MG_ROUTE_FILE;
}

int mg_serve_is_map_name(const char *s, size_t n)
{
    if (n == 0 || n > MG_SERVE_NAME_MAX)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
              c == '-'))
            return 0;
    }
    return 1;
}

int mg_serve_path_is_safe(const char *path)
{
    size_t segments = 0, seglen = 0;
    if (!path || !*path)
        return 0;
    for (const char *p = path;; p++) {
        if (*p == '/' || *p == '\0') {
            if (seglen == 0 || ++segments > MG_SERVE_MAX_SEGMENTS)
                return 0;
            if (*p == '\0')
                return 1;
            seglen = 0;
            continue;
        }
        if (!is_name_char((unsigned char)*p) || (seglen == 0 && *p == '.'))
            return 0;
        seglen++;
    }
}

/* A decimal number of 1..10 digits without a leading zero, below limit;
 * the digits end at *end or at '@' / '.' for the last one. */
static int parse_coord(const char *s, size_t n, uint64_t limit, uint32_t *v)
{
    uint64_t x = 0;
    if (n == 0 || n > 10 || (n > 1 && s[0] == '0'))
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        x = x * 10 + (uint64_t)(s[i] - '0');
    }
    if (x >= limit)
        return 0;
    *v = (uint32_t)x;
    return 1;
}

/* "{map}/{z}/{x}/{y}[@2x].png" (path is safe, so segments are non-empty). */
static int parse_tile(const char *path, mg_route *r)
{
    const char *seg[4];
    size_t n[4], k = 0;
    const char *p = path;
    while (k < 4) {
        const char *slash = strchr(p, '/');
        seg[k] = p;
        n[k] = slash ? (size_t)(slash - p) : strlen(p);
        k++;
        if (!slash)
            break;
        p = slash + 1;
    }
    if (k != 4 || strchr(seg[3], '/') || !mg_serve_is_map_name(seg[0], n[0]))
        return 0;
    size_t yn = n[3];
    if (yn < 5 || memcmp(seg[3] + yn - 4, ".png", 4) != 0)
        return 0;
    yn -= 4;
    r->retina = yn > 3 && memcmp(seg[3] + yn - 3, "@2x", 3) == 0;
    if (r->retina)
        yn -= 3;
    uint32_t z;
    if (!parse_coord(seg[1], n[1], 31, &z) ||
        !parse_coord(seg[2], n[2], (uint64_t)1 << z, &r->x) ||
        !parse_coord(seg[3], yn, (uint64_t)1 << z, &r->y))
        return 0;
    r->z = (int)z;
    memcpy(r->map, seg[0], n[0]);
    r->map[n[0]] = '\0';
    return 1;
}

mg_route_kind mg_serve_route(const char *raw, size_t len, mg_route *r)
{
    memset(r, 0, offsetof(mg_route, path));
    r->path[0] = '\0';
    if (len > MG_SERVE_MAX_URL)
        return r->kind = MG_ROUTE_TOO_LONG;
    char *dec = r->path;
    if (decode(raw, len, dec) == MG_ROUTE_BAD) {
        r->path[0] = '\0';
        return r->kind = MG_ROUTE_BAD;
    }
    /* Work on the path without its leading '/'. */
    memmove(dec, dec + 1, strlen(dec));
    if (dec[0] == '\0') {
        strcpy(dec, "index.html");
        return r->kind = MG_ROUTE_INDEX;
    }
    if (!strcmp(dec, "catalog"))
        return r->kind = MG_ROUTE_CATALOG;
    if (!strcmp(dec, "health"))
        return r->kind = MG_ROUTE_HEALTH;
    if (!mg_serve_path_is_safe(dec)) {
        r->path[0] = '\0';
        return r->kind = MG_ROUTE_REFUSED;
    }
    size_t n = strlen(dec);
    if (n > 5 && !strchr(dec, '/') && !strcmp(dec + n - 5, ".json") &&
        mg_serve_is_map_name(dec, n - 5)) {
        memcpy(r->map, dec, n - 5);
        r->map[n - 5] = '\0';
        return r->kind = MG_ROUTE_TILEJSON;
    }
    if (parse_tile(dec, r))
        return r->kind = MG_ROUTE_TILE;
    return r->kind = MG_ROUTE_FILE;
}

/* An unsigned decimal of at most 19 digits at *s, advancing *s. */
static int parse_u64(const char **s, uint64_t *v)
{
    const char *p = *s;
    uint64_t x = 0;
    int digits = 0;
    while (*p >= '0' && *p <= '9') {
        if (++digits > 19)
            return 0;
        x = x * 10 + (uint64_t)(*p++ - '0');
    }
    if (!digits)
        return 0;
    *s = p;
    *v = x;
    return 1;
}

int mg_serve_parse_range(const char *h, uint64_t size, uint64_t *off,
                         uint64_t *len)
{
    uint64_t first = 0, last = 0;
    if (!h || strncasecmp(h, "bytes=", 6) != 0 || strchr(h, ','))
        return 0;
    const char *p = h + 6;
    while (*p == ' ')
        p++;
    if (*p == '-') {            /* the last N bytes */
        p++;
        if (!parse_u64(&p, &last) || *p || last == 0)
            return 0;
        if (size == 0)
            return -1;
        *len = last < size ? last : size;
        *off = size - *len;
        return 1;
    }
    if (!parse_u64(&p, &first) || *p++ != '-')
        return 0;
    int open_ended = *p == '\0';
    if (!open_ended && (!parse_u64(&p, &last) || *p || last < first))
        return 0;
    if (first >= size)
        return -1;
    if (open_ended || last >= size)
        last = size - 1;
    *off = first;
    *len = last - first + 1;
    return 1;
}

int mg_serve_etag_match(const char *h, const char *etag)
{
    size_t n = strlen(etag);
    if (!h)
        return 0;
    for (const char *p = h; *p;) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        if (*p == '*')
            return 1;
        if (p[0] == 'W' && p[1] == '/')
            p += 2;
        if (*p != '"')
            return 0;
        const char *end = strchr(p + 1, '"');
        if (!end)
            return 0;
        if ((size_t)(end + 1 - p) == n && !memcmp(p, etag, n))
            return 1;
        p = end + 1;
    }
    return 0;
}

int mg_serve_host_allowed(const char *host, const char *const *allowed,
                          size_t n)
{
    if (!host)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!strcasecmp(host, allowed[i]))
            return 1;
    return 0;
}
