/* mapgen serve: setting the server up, running it, stopping it. */
#include "serve_internal.h"
#include "tiles/render.h"

#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void mg_serve_options_default(mg_serve_options *o)
{
    memset(o, 0, sizeof *o);
    o->bind = "127.0.0.1";
    o->port = 8080;
    o->max_age = 3600;
    o->store = MG_SERVE_STORE_BEST;
    o->cors = "*";
    o->timeout = 15;
    o->max_conns = 512;
    o->max_per_ip = 64;
    /* libmicrohttpd clears a connection's memory for every request: 16
     * KiB holds the 8 KiB of headers allowed, and costs half the 32 KiB
     * default. */
    o->conn_memory = 16 * 1024;
    o->cache_mb = 64;
}

static int header_safe(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
            return 0;
    return 1;
}

static int check_options(const mg_serve_options *o, mg_error *err)
{
    const char *bad = NULL;
    if (o->n_dirs == 0)
        bad = "no folder to serve";
    else if (o->port < 0 || o->port > 65535)
        bad = "--port: 0..65535";
    else if (o->threads < 0 || o->threads > 256)
        bad = "--jobs: 1..256";
    else if (o->max_age < 0)
        bad = "--max-age: 0 or more seconds";
    else if (o->timeout < 1 || o->max_conns < 1 || o->max_per_ip < 0)
        bad = "--timeout and --max-conns: 1 or more; --max-per-ip: 0 or more";
    else if (o->cache_mb < 0 || o->cache_mb > 65536)
        bad = "--cache-mb: 0..65536";
    else if (o->conn_memory < 16 * 1024)
        bad = "connection memory: 16 KiB or more (headers up to 8 KiB)";
    else if (o->cors && (!*o->cors || !header_safe(o->cors)))
        bad = "--cors: an origin such as https://maps.example.org, '*' or "
              "'none'";
    else if (o->public_url && ((strncmp(o->public_url, "http://", 7) &&
                                strncmp(o->public_url, "https://", 8)) ||
                               !header_safe(o->public_url) ||
                               strlen(o->public_url) > 1000))
        bad = "--public-url: an http:// or https:// URL, e.g. "
              "https://maps.example.org/tiles";
    for (size_t i = 0; !bad && i < o->n_allow_hosts; i++)
        if (!*o->allow_hosts[i] || !header_safe(o->allow_hosts[i]) ||
            strchr(o->allow_hosts[i], '/'))
            bad = "--allow-host: a host name, or name:port";
    if (bad)
        return mg_error_set(err, MG_ERR_USAGE, NULL, -1, NULL, "%s", bad);
    return MG_OK;
}

static int add_host(serve_server *s, const char *fmt, const char *a)
{
    char buf[1100];
    char **grown = realloc(s->hosts, (s->n_hosts + 1) * sizeof *grown);
    if (!grown)
        return -1;
    s->hosts = grown;
    snprintf(buf, sizeof buf, fmt, a, s->port);
    if (!(s->hosts[s->n_hosts] = strdup(buf)))
        return -1;
    s->n_hosts++;
    return 0;
}

/* The Host values TileJSON URLs may be built from: the address bound
 * (and the loopback names when it is a loopback address), and the
 * allow-list; a bare name too on port 80, where browsers send no port. */
static int build_hosts(serve_server *s)
{
    int v6 = strchr(s->o.bind, ':') != NULL, rc = 0;
    int loop = !strncmp(s->o.bind, "127.", 4) || !strcmp(s->o.bind, "::1");
    rc |= add_host(s, v6 ? "[%s]:%d" : "%s:%d", s->o.bind);
    if (loop) {
        rc |= add_host(s, "%s:%d", "localhost");
        rc |= add_host(s, "%s:%d", "127.0.0.1");
        rc |= add_host(s, "[%s]:%d", "::1");
    }
    for (size_t i = 0; i < s->o.n_allow_hosts; i++) {
        const char *h = s->o.allow_hosts[i];
        const char *bracket = strrchr(h, ']');
        int has_port = strchr(bracket ? bracket : h, ':') != NULL;
        rc |= add_host(s, has_port ? "%s" : "%s:%d", h);
    }
    size_t n = s->n_hosts;
    for (size_t i = 0; s->port == 80 && i < n; i++) {
        char *colon = strrchr(s->hosts[i], ':');
        if (colon && !strcmp(colon, ":80")) {
            *colon = '\0';
            rc |= add_host(s, "%s", s->hosts[i]);
            *colon = ':';
        }
    }
    return rc;
}

static int make_blank(serve_server *s, int big, mg_error *err)
{
    mg_canvas *c = mg_canvas_new(big ? 512 : 256, big ? 512 : 256);
    if (!c)
        return mg_error_set(err, MG_ERR_NOMEM, NULL, -1, NULL,
                            "out of memory");
    int rc = mg_tiles_encode_png(c, 9, &s->blank[big], &s->blank_size[big],
                                 err);
    mg_canvas_free(c);
    return rc;
}

static void print_catalog(const serve_server *s, const serve_catalog *c)
{
    static const char *kinds[] = {"", "directory", "MBTiles", "", "GeoPackage"};
    char base[1100];
    snprintf(base, sizeof base, "http://%s", s->hosts[0]);
    printf("mapgen serve: %s/ (Ctrl-C stops)\n", base);
    if (s->public_url[0])
        printf("  public URL (TileJSON): %s/\n", s->public_url);
    for (size_t i = 0; i < c->n_maps; i++) {
        const serve_map *m = &c->maps[i];
        printf("  %-22s %-10s zooms %d-%d  %s\n", m->name, kinds[m->kind],
               m->minzoom, m->maxzoom, m->label);
    }
    printf("Open %s/ in a browser; TileJSON: %s/<map>.json; list: "
           "%s/catalog\n", base, base, base);
    fflush(stdout);
}

static int has_page(const serve_server *s, const serve_catalog *c)
{
    for (size_t i = 0; i < c->n_folders; i++) {
        int fd = serve_open_beneath(s->openat2, c->folders[i].fd,
                                    "index.html");
        if (fd >= 0) {
            close(fd);
            return 1;
        }
    }
    return 0;
}

static int setup(serve_server *s, const mg_serve_options *o, mg_error *err)
{
    s->o = *o;
    s->threads = o->threads ? o->threads : (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (s->threads < 1)
        s->threads = 1;
    if (o->public_url) {
        snprintf(s->public_url, sizeof s->public_url, "%s", o->public_url);
        size_t n = strlen(s->public_url);
        while (n > 0 && s->public_url[n - 1] == '/')
            s->public_url[--n] = '\0';
    }
    snprintf(s->tile_cache, sizeof s->tile_cache, "public, max-age=%d",
             o->max_age);
    if (o->log_path && !(s->log = !strcmp(o->log_path, "-")
                                      ? stderr : fopen(o->log_path, "a")))
        return mg_error_set(err, MG_ERR_OUTPUT, o->log_path, -1, NULL,
                            "cannot open the log: %s", strerror(errno));
    int rc = make_blank(s, 0, err);
    if (!rc)
        rc = make_blank(s, 1, err);
    if (!rc)
        rc = serve_catalog_load(o, s->threads, o->quiet ? s->log : stderr,
                                &s->cat, err);
    if (rc)
        return rc;
    atomic_store(&s->generation, 1);
    s->cat->generation = 1;
    /* MG_SERVE_NO_OPENAT2 lets the tests run the other way of resolving
     * paths on a kernel that has openat2. */
    const char *no2 = getenv("MG_SERVE_NO_OPENAT2");
    s->openat2 = !(no2 && *no2 && strcmp(no2, "0")) &&
                 serve_probe_openat2(s->cat->folders[0].fd);
    if (s->cat->n_maps == 0 && !has_page(s, s->cat))
        return mg_error_set(err, MG_ERR_INPUT, o->dirs[0], -1, NULL,
                            "no maps and no viewer page here: is it an "
                            "output folder of `mapgen run`?");
    return MG_OK;
}

static void teardown(serve_server *s)
{
    serve_reload_stop(s);
    if (s->daemon)
        MHD_stop_daemon(s->daemon);
    serve_catalog_unref(s->cat);
    if (s->log && s->log != stderr)
        fclose(s->log);
    else if (s->log)
        fflush(s->log);
    for (size_t i = 0; i < s->n_hosts; i++)
        free(s->hosts[i]);
    free(s->hosts);
    free(s->blank[0]);
    free(s->blank[1]);
}

int mg_serve_run(const mg_serve_options *o, mg_error *err)
{
    serve_server s;
    memset(&s, 0, sizeof s);
    mg_error_clear(err);
    pthread_mutex_init(&s.lock, NULL);
    /* A client that goes away mid-answer must not kill the server. */
    signal(SIGPIPE, SIG_IGN);
    int rc = check_options(o, err);
    if (!rc) rc = setup(&s, o, err);
    if (!rc) rc = serve_http_start(&s, err);
    if (!rc && build_hosts(&s))
        rc = mg_error_set(err, MG_ERR_NOMEM, NULL, -1, NULL, "out of memory");
    if (!rc) rc = serve_reload_start(&s, err);
    if (!rc && !o->quiet)
        print_catalog(&s, s.cat);
    while (!rc && !mg_interrupted) {
        struct timespec t = {0, 100 * 1000 * 1000};
        nanosleep(&t, NULL);
    }
    teardown(&s);
    pthread_mutex_destroy(&s.lock);
    if (!rc && !o->quiet)
        fprintf(stderr, "mapgen serve: stopped\n");
    return rc;
}
