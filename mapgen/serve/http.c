/* mapgen serve: answering requests (libmicrohttpd's access handler). */
#include "serve_internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* One request being answered. */
typedef struct req {
    serve_server *s;
    struct MHD_Connection *c;
    const char *method, *url;
    serve_catalog *cat;
} req;

static const char *header(const req *q, const char *name)
{
    return MHD_lookup_connection_value(q->c, MHD_HEADER_KIND, name);
}

/* Writes a printable copy of s: a request line is the client's, and must
 * not be able to forge lines of the log. */
static void log_escaped(FILE *f, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p >= 0x7f || *p == '"' || *p == '\\')
            fprintf(f, "\\x%02x", *p);
        else
            fputc(*p, f);
}

static void log_request(const req *q, unsigned status, uint64_t bytes)
{
    FILE *f = q->s->log;
    char ip[INET6_ADDRSTRLEN] = "-", when[32];
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(
        q->c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (ci && ci->client_addr->sa_family == AF_INET)
        inet_ntop(AF_INET, &((struct sockaddr_in *)ci->client_addr)->sin_addr,
                  ip, sizeof ip);
    else if (ci && ci->client_addr->sa_family == AF_INET6)
        inet_ntop(AF_INET6,
                  &((struct sockaddr_in6 *)ci->client_addr)->sin6_addr, ip,
                  sizeof ip);
    time_t now = time(NULL);
    struct tm tm;
    strftime(when, sizeof when, "%d/%b/%Y:%H:%M:%S +0000",
             gmtime_r(&now, &tm));
    flockfile(f);
    fprintf(f, "%s - - [%s] \"", ip, when);
    log_escaped(f, q->method);
    fputc(' ', f);
    log_escaped(f, q->url);
    fprintf(f, "\" %u %" PRIu64 "\n", status, bytes);
    funlockfile(f);
}

/* Queues resp with the headers every answer carries, and drops it. */
static enum MHD_Result reply(const req *q, unsigned status,
                             struct MHD_Response *resp, uint64_t bytes)
{
    if (!resp)
        return MHD_NO;
    if (q->s->o.cors)
        MHD_add_response_header(resp, "Access-Control-Allow-Origin",
                                q->s->o.cors);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    enum MHD_Result r = MHD_queue_response(q->c, status, resp);
    MHD_destroy_response(resp);
    if (q->s->log)
        log_request(q, status, strcmp(q->method, "HEAD") ? bytes : 0);
    return r;
}

static enum MHD_Result reply_text(const req *q, unsigned status,
                                  const char *text)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(
        strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
    if (r) {
        MHD_add_response_header(r, "Content-Type",
                                "text/plain; charset=utf-8");
        MHD_add_response_header(r, "Cache-Control", "no-store");
        if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
            MHD_add_response_header(r, "Allow", "GET, HEAD");
    }
    return reply(q, status, r, strlen(text));
}

static enum MHD_Result not_found(const req *q)
{
    return reply_text(q, MHD_HTTP_NOT_FOUND, "404 Not Found\n");
}

/* A 304 for a body whose ETag the client has. */
static enum MHD_Result not_modified(const req *q, const char *etag,
                                    const char *cache)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    if (r) {
        MHD_add_response_header(r, "ETag", etag);
        MHD_add_response_header(r, "Cache-Control", cache);
    }
    return reply(q, MHD_HTTP_NOT_MODIFIED, r, 0);
}

/* A body made here (JSON), with an ETag of its bytes. */
static enum MHD_Result reply_json(const req *q, char *text, const char *cache)
{
    char etag[40];
    if (!text)
        return reply_text(q, MHD_HTTP_INTERNAL_SERVER_ERROR,
                          "500 out of memory\n");
    size_t n = strlen(text);
    snprintf(etag, sizeof etag, "\"j%016" PRIx64 "\"",
             serve_fnv(14695981039346656037ULL, text, n));
    if (mg_serve_etag_match(header(q, "If-None-Match"), etag)) {
        free(text);
        return not_modified(q, etag, cache);
    }
    struct MHD_Response *r =
        MHD_create_response_from_buffer_with_free_callback(n, text, free);
    if (!r) {
        free(text);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", "application/json");
    MHD_add_response_header(r, "ETag", etag);
    MHD_add_response_header(r, "Cache-Control", cache);
    return reply(q, MHD_HTTP_OK, r, n);
}

/* ---- files ------------------------------------------------------------- */

static struct MHD_Response *ranged(const req *q, int fd, uint64_t size,
                                   const char *etag, unsigned *status,
                                   uint64_t *bytes)
{
    uint64_t off = 0, len = size;
    const char *if_range = header(q, "If-Range");
    int rc = !if_range || !strcmp(if_range, etag)
                 ? mg_serve_parse_range(header(q, "Range"), size, &off, &len)
                 : 0;
    char cr[80];
    struct MHD_Response *r;
    if (rc < 0) {
        close(fd);
        r = MHD_create_response_from_buffer(0, (void *)"",
                                            MHD_RESPMEM_PERSISTENT);
        snprintf(cr, sizeof cr, "bytes */%" PRIu64, size);
        *status = MHD_HTTP_RANGE_NOT_SATISFIABLE;
        len = 0;
    } else {
        r = MHD_create_response_from_fd_at_offset64(len, fd, off);
        snprintf(cr, sizeof cr, "bytes %" PRIu64 "-%" PRIu64 "/%" PRIu64,
                 off, off + len - 1, size);
        *status = rc ? MHD_HTTP_PARTIAL_CONTENT : MHD_HTTP_OK;
        if (!r)
            close(fd);
    }
    if (r && rc)
        MHD_add_response_header(r, "Content-Range", cr);
    *bytes = len;
    return r;
}

/* A file of the folders: the first folder that has it answers.  A path
 * refused in one folder (a link out of it) is refused, not looked up in
 * the next. */
static enum MHD_Result serve_file(const req *q, const char *path)
{
    int fd = -1;
    for (size_t i = 0; fd < 0 && i < q->cat->n_folders; i++) {
        fd = serve_open_beneath(q->s->openat2, q->cat->folders[i].fd, path);
        if (fd < 0 && errno != ENOENT && errno != ENOTDIR)
            return not_found(q);
    }
    struct stat st;
    if (fd < 0)
        return not_found(q);
    if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
        close(fd);
        return not_found(q);
    }
    char etag[80];
    snprintf(etag, sizeof etag, "\"f%" PRIx64 "-%" PRIx64 "-%" PRIx64 "\"",
             (uint64_t)st.st_ino, (uint64_t)st.st_size,
             (uint64_t)st.st_mtim.tv_sec * 1000000000u +
                 (uint64_t)st.st_mtim.tv_nsec);
    size_t n = strlen(path);
    /* The tile files of a directory store are as cacheable as tiles; the
     * page, maps.json and the reports change with each run. */
    const char *cache = !strncmp(path, "tiles/", 6) && n > 4 &&
                                !strcmp(path + n - 4, ".png")
                            ? q->s->tile_cache : "no-cache";
    if (mg_serve_etag_match(header(q, "If-None-Match"), etag)) {
        close(fd);
        return not_modified(q, etag, cache);
    }
    unsigned status;
    uint64_t bytes;
    struct MHD_Response *r = ranged(q, fd, (uint64_t)st.st_size, etag,
                                    &status, &bytes);
    if (r) {
        MHD_add_response_header(r, "Content-Type", serve_content_type(path));
        MHD_add_response_header(r, "ETag", etag);
        MHD_add_response_header(r, "Accept-Ranges", "bytes");
        MHD_add_response_header(r, "Cache-Control", cache);
    }
    return reply(q, status, r, bytes);
}

/* ---- tiles and TileJSON ----------------------------------------------- */

static enum MHD_Result serve_blank(const req *q, const serve_map *m,
                                   const char *cache)
{
    int big = m->tile_size == 512;
    const char *etag = big ? "\"blank512\"" : "\"blank256\"";
    if (mg_serve_etag_match(header(q, "If-None-Match"), etag))
        return not_modified(q, etag, cache);
    struct MHD_Response *r = MHD_create_response_from_buffer(
        q->s->blank_size[big], q->s->blank[big], MHD_RESPMEM_PERSISTENT);
    if (r) {
        MHD_add_response_header(r, "Content-Type", "image/png");
        MHD_add_response_header(r, "ETag", etag);
        MHD_add_response_header(r, "Cache-Control", cache);
    }
    return reply(q, MHD_HTTP_OK, r, q->s->blank_size[big]);
}

static enum MHD_Result serve_tile(const req *q, const mg_route *rt)
{
    const serve_map *m = serve_catalog_find(q->cat, rt->map);
    if (!m)
        return serve_file(q, rt->path);
    if (rt->z < m->minzoom || rt->z > m->maxzoom ||
        rt->retina != (m->tile_size == 512))
        return not_found(q);
    /* ?v= the store's version: this URL names these bytes for good. */
    const char *v = MHD_lookup_connection_value(q->c, MHD_GET_ARGUMENT_KIND,
                                                "v");
    const char *cache = v && !strcmp(v, m->version)
                            ? "public, max-age=31536000, immutable"
                            : q->s->tile_cache;
    serve_body b;
    int got = serve_map_read_tile(q->cat, m, rt->z, rt->x, rt->y,
                                  header(q, "If-None-Match"), &b);
    if (got < 0)
        return reply_text(q, MHD_HTTP_INTERNAL_SERVER_ERROR,
                          "500 the tile store cannot be read\n");
    if (got == 0)
        return q->s->o.blank ? serve_blank(q, m, cache) : not_found(q);
    if (b.not_modified)
        return not_modified(q, b.etag, cache);
    /* The response holds the blob's reference until it is sent: the
     * catalog (and its cache) may be gone by then. */
    struct MHD_Response *r =
        b.fd >= 0 ? MHD_create_response_from_fd64(b.size, b.fd)
                  : MHD_create_response_from_buffer_with_free_callback_cls(
                        b.blob->size, b.blob->data, serve_blob_unref, b.blob);
    if (!r) {
        if (b.fd >= 0)
            close(b.fd);
        serve_blob_unref(b.blob);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", "image/png");
    MHD_add_response_header(r, "ETag", b.etag);
    MHD_add_response_header(r, "Cache-Control", cache);
    return reply(q, MHD_HTTP_OK, r, b.size);
}

/* The URL the tile URLs start with: --public-url, else the Host header
 * when it names this server, else NULL (never a Host it was handed). */
static const char *base_url(const req *q, char *buf, size_t room)
{
    if (q->s->public_url[0])
        return q->s->public_url;
    const char *host = header(q, "Host");
    if (!mg_serve_host_allowed(host, (const char *const *)q->s->hosts,
                               q->s->n_hosts))
        return NULL;
    snprintf(buf, room, "http://%s", host);
    return buf;
}

static enum MHD_Result misdirected(const req *q)
{
    return reply_text(q, 421, "421 Misdirected Request: this Host is not "
                      "one this server answers for; start it with "
                      "--public-url or --allow-host\n");
}

static char *tile_url(const char *base, const serve_map *m)
{
    size_t n = strlen(base) + strlen(m->name) + 64;
    char *u = malloc(n);
    if (u)
        snprintf(u, n, "%s/%s/{z}/{x}/{y}%s.png?v=%s", base, m->name,
                 m->tile_size == 512 ? "@2x" : "", m->version);
    return u;
}

static enum MHD_Result serve_tilejson(const req *q, const mg_route *rt)
{
    const serve_map *m = serve_catalog_find(q->cat, rt->map);
    char buf[1100];
    if (!m)
        return serve_file(q, rt->path);
    const char *base = base_url(q, buf, sizeof buf);
    if (!base)
        return misdirected(q);
    json_t *tj = json_deep_copy(m->tilejson);
    char *url = tile_url(base, m);
    char *text = NULL;
    if (tj && url) {
        json_object_set_new(tj, "tilejson", json_string("3.0.0"));
        json_object_set_new(tj, "tiles", json_pack("[s]", url));
        json_object_set_new(tj, "scheme", json_string("xyz"));
        text = json_dumps(tj, JSON_INDENT(2));
    }
    free(url);
    json_decref(tj);
    return reply_json(q, text, "no-cache");
}

static const char *kind_key(mg_serve_store k)
{
    return k == MG_SERVE_STORE_DIR ? "dir"
         : k == MG_SERVE_STORE_MBTILES ? "mbtiles" : "gpkg";
}

static enum MHD_Result serve_catalog_json(const req *q)
{
    char buf[1100], tj[1200];
    const char *base = base_url(q, buf, sizeof buf);
    if (!base)
        return misdirected(q);
    json_t *maps = json_array();
    for (size_t i = 0; maps && i < q->cat->n_maps; i++) {
        const serve_map *m = &q->cat->maps[i];
        char *url = tile_url(base, m);
        json_t *title = json_object_get(m->tilejson, "name");
        snprintf(tj, sizeof tj, "%s/%s.json", base, m->name);
        json_array_append_new(maps, json_pack(
            "{ss sO ss ss ss si si si ss}", "name", m->name, "title",
            title ? title : json_string(m->name), "tilejson", tj, "tiles",
            url ? url : "", "store", kind_key(m->kind), "minzoom",
            m->minzoom, "maxzoom", m->maxzoom, "tile_size", m->tile_size,
            "version", m->version));
        free(url);
    }
    json_t *doc = json_pack("{so}", "maps", maps);
    char *text = doc ? json_dumps(doc, JSON_INDENT(2)) : NULL;
    json_decref(doc);
    return reply_json(q, text, "no-cache");
}

static enum MHD_Result serve_health(const req *q)
{
    json_t *doc = json_pack("{ss sI sI ss}", "status", "ok", "maps",
                            (json_int_t)q->cat->n_maps, "generation",
                            (json_int_t)q->cat->generation, "resolve",
                            q->s->openat2 ? "openat2" : "nofollow");
    char *text = doc ? json_dumps(doc, 0) : NULL;
    json_decref(doc);
    return reply_json(q, text, "no-store");
}

/* ---- the handler ------------------------------------------------------- */

static enum MHD_Result add_header_bytes(void *cls, enum MHD_ValueKind kind,
                                        const char *key, const char *value)
{
    (void)kind;
    *(size_t *)cls += strlen(key) + (value ? strlen(value) : 0) + 4;
    return MHD_YES;
}

static enum MHD_Result route(const req *q)
{
    mg_route rt;
    switch (mg_serve_route(q->url, strlen(q->url), &rt)) {
    case MG_ROUTE_TOO_LONG:
        return reply_text(q, MHD_HTTP_URI_TOO_LONG, "414 URI Too Long\n");
    case MG_ROUTE_BAD:
        return reply_text(q, MHD_HTTP_BAD_REQUEST, "400 Bad Request\n");
    case MG_ROUTE_REFUSED:
        return not_found(q);
    case MG_ROUTE_CATALOG:
        return serve_catalog_json(q);
    case MG_ROUTE_HEALTH:
        return serve_health(q);
    case MG_ROUTE_TILEJSON:
        return serve_tilejson(q, &rt);
    case MG_ROUTE_TILE:
        return serve_tile(q, &rt);
    case MG_ROUTE_INDEX:
    case MG_ROUTE_FILE:
        return serve_file(q, rt.path);
    }
    return not_found(q);
}

/* Refusals are answered on the first call, before any body is read
 * (libmicrohttpd then closes the connection, which suits them). */
static enum MHD_Result refuse_early(const req *q)
{
    if (strcmp(q->method, "GET") && strcmp(q->method, "HEAD"))
        return reply_text(q, MHD_HTTP_METHOD_NOT_ALLOWED,
                          "405 Method Not Allowed\n");
    size_t hb = 0;
    MHD_get_connection_values(q->c, MHD_HEADER_KIND, add_header_bytes, &hb);
    if (hb > MG_SERVE_MAX_HEADERS)
        return reply_text(q, MHD_HTTP_REQUEST_HEADER_FIELDS_TOO_LARGE,
                          "431 Request Header Fields Too Large\n");
    if (strlen(q->url) > MG_SERVE_MAX_URL)
        return reply_text(q, MHD_HTTP_URI_TOO_LONG, "414 URI Too Long\n");
    return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
                                  const char *url, const char *method,
                                  const char *version,
                                  const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    req q = {cls, c, method, url, NULL};
    (void)version;
    (void)upload_data;
    /* The first call only announces the headers: an answer queued then
     * would make libmicrohttpd close the connection after it, so only
     * refusals are answered there. */
    if (!*con_cls) {
        *con_cls = cls;
        return refuse_early(&q);
    }
    if (*upload_data_size) {     /* a body sent with a GET: dropped */
        *upload_data_size = 0;
        return MHD_YES;
    }
    q.cat = serve_server_catalog(q.s);
    enum MHD_Result r = route(&q);
    serve_catalog_unref(q.cat);
    return r;
}

/* The path and the query are kept as the client sent them: route.c
 * decodes them once, and must see every escape to refuse the tricks. */
static size_t keep_raw(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls;
    (void)c;
    return strlen(s);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    serve_server *s = cls;
    if (s->log)
        vfprintf(s->log, fmt, ap);
}

/* The listening address from --bind and --port. */
static int bind_address(const serve_server *s, struct sockaddr_storage *ss,
                        int *v6)
{
    memset(ss, 0, sizeof *ss);
    struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
    if (inet_pton(AF_INET, s->o.bind, &a4->sin_addr) == 1) {
        a4->sin_family = AF_INET;
        a4->sin_port = htons((uint16_t)s->o.port);
        *v6 = 0;
        return 0;
    }
    if (inet_pton(AF_INET6, s->o.bind, &a6->sin6_addr) == 1) {
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((uint16_t)s->o.port);
        *v6 = 1;
        return 0;
    }
    return -1;
}

int serve_http_start(serve_server *s, mg_error *err)
{
    struct sockaddr_storage ss;
    int v6;
    if (bind_address(s, &ss, &v6))
        return mg_error_set(err, MG_ERR_USAGE, NULL, -1, "--bind",
                            "'%s' is not a numeric IPv4 or IPv6 address",
                            s->o.bind);
    /* epoll in every pool thread; TURBO: no shutdown() before close and
     * no inter-thread signalling, which a server of files has no use
     * for. */
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
                     MHD_USE_TURBO | MHD_USE_ERROR_LOG |
                     (v6 ? MHD_USE_IPv6 : 0);
    s->daemon = MHD_start_daemon(
        flags, (uint16_t)s->o.port, NULL, NULL, on_request, s,
        MHD_OPTION_EXTERNAL_LOGGER, mhd_log, s,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(s->threads > 1 ? s->threads
                                                               : 0),
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)s->o.timeout,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)s->o.max_conns,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)s->o.max_per_ip,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, s->o.conn_memory,
        MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u,
        MHD_OPTION_UNESCAPE_CALLBACK, keep_raw, NULL,
        MHD_OPTION_END);
    if (!s->daemon)
        return mg_error_set(err, MG_ERR_OUTPUT, NULL, -1, NULL,
                            "cannot listen on %s port %d: %s", s->o.bind,
                            s->o.port, strerror(errno));
    const union MHD_DaemonInfo *di =
        MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    s->port = di ? di->port : s->o.port;
    return MG_OK;
}
