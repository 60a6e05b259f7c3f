/*
 * mapgen serve's request parsing, free of I/O so that a fuzzer can drive
 * it (tests/fuzz/): the URL path to a route, Range, If-None-Match and
 * Host.  Internal to mapgen/serve/ and its tests.
 */
#ifndef MG_SERVE_ROUTE_H
#define MG_SERVE_ROUTE_H

#include <stddef.h>
#include <stdint.h>

#define MG_SERVE_MAX_URL 2048      /* longer request paths get 414 */
#define MG_SERVE_MAX_HEADERS 8192  /* more header bytes get 431 */
#define MG_SERVE_MAX_SEGMENTS 16
#define MG_SERVE_NAME_MAX 64       /* map names, as the stores allow */

typedef enum mg_route_kind {
    MG_ROUTE_BAD,        /* malformed: bad or double percent-encoding, NUL,
                            control bytes, backslash, not starting with / */
    MG_ROUTE_TOO_LONG,   /* over MG_SERVE_MAX_URL bytes */
    MG_ROUTE_REFUSED,    /* well formed but never looked up: ".", "..",
                            hidden names, empty segments, odd characters */
    MG_ROUTE_INDEX,      /* "/" */
    MG_ROUTE_CATALOG,    /* "/catalog" */
    MG_ROUTE_HEALTH,     /* "/health" */
    MG_ROUTE_TILEJSON,   /* "/{map}.json"; path holds the file fallback */
    MG_ROUTE_TILE,       /* "/{map}/{z}/{x}/{y}[@2x].png"; path too */
    MG_ROUTE_FILE        /* any other path: path, relative, to look up */
} mg_route_kind;

typedef struct mg_route {
    mg_route_kind kind;
    char map[MG_SERVE_NAME_MAX + 1];
    int z;                     /* 0..30 for MG_ROUTE_TILE */
    uint32_t x, y;             /* < 2^z */
    int retina;                /* "@2x" */
    char path[MG_SERVE_MAX_URL + 1]; /* decoded, relative, safe (below) */
} mg_route;

/* Parses the request path raw[0..len) (without the query string; it may
 * hold any bytes, NUL included) into r and returns r->kind.  The path is
 * percent-decoded once; a decoded '%' (double encoding) is malformed.
 * Whenever the kind is INDEX, TILEJSON, TILE or FILE, r->path passes
 * mg_serve_path_is_safe(); for INDEX it is "index.html". */
mg_route_kind mg_serve_route(const char *raw, size_t len, mg_route *r);

/* 1 when path is relative, made of 1..MG_SERVE_MAX_SEGMENTS segments of
 * [A-Za-z0-9_.@+~-] separated by single '/', none empty, none starting
 * with '.' (so no "..", and no hidden partial store); else 0. */
int mg_serve_path_is_safe(const char *path);

/* 1 when s[0..n) is a map name: 1..64 bytes of [a-z0-9_-]. */
int mg_serve_is_map_name(const char *s, size_t n);

/* A Range header against a body of size bytes.  Only one "bytes=" range
 * is honoured (first-last, first-, -suffix).  Returns 1 with *off, *len
 * set; 0 to send the whole body (no header, several ranges, or a header
 * that does not parse, which RFC 9110 says to ignore); -1 when the range
 * starts past the end (416). */
int mg_serve_parse_range(const char *header, uint64_t size, uint64_t *off,
                         uint64_t *len);

/* 1 when an If-None-Match header matches etag (a quoted strong ETag):
 * "*", or a list of entity tags one of which equals it, W/ ignored as
 * the weak comparison of RFC 9110 13.1.2 asks. */
int mg_serve_etag_match(const char *header, const char *etag);

/* 1 when host (a Host header) equals, ignoring case, one of the n
 * entries of allowed ("name:port" or "name"); NULL host: 0. */
int mg_serve_host_allowed(const char *host, const char *const *allowed,
                          size_t n);

#endif
