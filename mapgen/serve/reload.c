/* mapgen serve: following `mapgen run --force` as it replaces the stores.
 *
 * The stores are published by rename() (docs/stores.md), so a reader
 * that has a file open keeps its bytes, and a new open finds the new
 * file whole.  A thread waits on inotify for names appearing in or
 * leaving the folders and their tiles/, lets a burst of renames settle,
 * builds a new catalog and swaps it in; requests in flight keep the
 * catalog (and the open files) they started with.  A check every 2 s of
 * the folders' identities catches what inotify cannot see (a folder
 * replaced as a whole, tiles/ created later). */
#include "serve_internal.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SETTLE_MS 100      /* quiet time after the last event */
#define CHECK_MS 2000

#define WATCH_MASK (IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | \
                    IN_CLOSE_WRITE | IN_DELETE_SELF | IN_MOVE_SELF)

typedef struct watcher {
    serve_server *s;
    int fd;                 /* inotify */
    int *wd;                /* two per folder: itself and its tiles/ */
    int tiles_seen;         /* how many tiles/ folders were watched */
} watcher;

serve_catalog *serve_server_catalog(serve_server *s)
{
    pthread_mutex_lock(&s->lock);
    serve_catalog *c = s->cat;
    atomic_fetch_add(&c->refs, 1);
    pthread_mutex_unlock(&s->lock);
    return c;
}

void serve_server_swap(serve_server *s, serve_catalog *c)
{
    c->generation = atomic_fetch_add(&s->generation, 1) + 1;
    pthread_mutex_lock(&s->lock);
    serve_catalog *old = s->cat;
    s->cat = c;
    pthread_mutex_unlock(&s->lock);
    serve_catalog_unref(old);
}

static void rewatch(watcher *w)
{
    char path[4200];
    const mg_serve_options *o = &w->s->o;
    /* Adding a watch again only returns its descriptor: no watch is
     * removed here, since removing one queues an event of its own. */
    w->tiles_seen = 0;
    for (size_t i = 0; i < o->n_dirs; i++) {
        w->wd[2 * i] = inotify_add_watch(w->fd, o->dirs[i], WATCH_MASK);
        snprintf(path, sizeof path, "%s/tiles", o->dirs[i]);
        w->wd[2 * i + 1] = inotify_add_watch(w->fd, path, WATCH_MASK);
        w->tiles_seen += w->wd[2 * i + 1] >= 0;
    }
}

/* 1 when an event names something a catalog is made of: not a hidden
 * name (a partial store, its journal), not a file of the page. */
static int drain(int fd)
{
    char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
    int relevant = 0;
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0)
        for (char *p = buf; p < buf + n;) {
            const struct inotify_event *e = (const struct inotify_event *)p;
            if ((!e->len && (e->mask & (IN_DELETE_SELF | IN_MOVE_SELF))) ||
                (e->len && e->name[0] != '.' &&
                            (e->mask & ~IN_CLOSE_WRITE ||
                             strstr(e->name, ".gpkg") ||
                             strstr(e->name, ".mbtiles"))))
                relevant = 1;
            if (e->mask & IN_Q_OVERFLOW)
                relevant = 1;
            p += sizeof *e + e->len;
        }
    return relevant;
}

/* 1 when a folder is no longer the one the catalog has open. */
static int folders_changed(const serve_server *s, const watcher *w)
{
    serve_catalog *c = s->cat; /* only this thread changes the pointer */
    int tiles = 0;
    char path[4200];
    struct stat st;
    for (size_t i = 0; i < c->n_folders; i++) {
        if (stat(s->o.dirs[i], &st) || st.st_dev != c->folders[i].dev ||
            st.st_ino != c->folders[i].ino)
            return 1;
        snprintf(path, sizeof path, "%s/tiles", s->o.dirs[i]);
        tiles += stat(path, &st) == 0;
    }
    return tiles != w->tiles_seen;
}

static void reload(watcher *w)
{
    serve_catalog *c;
    mg_error err;
    rewatch(w);
    if (serve_catalog_load(&w->s->o, w->s->threads, w->s->log, &c, &err)) {
        if (w->s->log)
            mg_error_print(&err, w->s->log);
        return;  /* keep serving the old catalog; retried on the next change */
    }
    serve_server_swap(w->s, c);
    if (w->s->log)
        fprintf(w->s->log, "mapgen serve: reloaded: %zu maps (generation "
                "%lu)\n", c->n_maps, c->generation);
}

static long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void *watch_loop(void *arg)
{
    watcher *w = arg;
    long dirty_since = -1, last_check = now_ms();
    while (!atomic_load(&w->s->stop)) {
        struct pollfd p = {w->fd, POLLIN, 0};
        int timeout = dirty_since >= 0 ? SETTLE_MS : 200;
        if (poll(&p, 1, timeout) > 0 && drain(w->fd))
            dirty_since = now_ms();
        long t = now_ms();
        if (dirty_since >= 0 && t - dirty_since >= SETTLE_MS) {
            dirty_since = -1;
            reload(w);
        }
        if (t - last_check >= CHECK_MS) {
            last_check = t;
            if (folders_changed(w->s, w))
                reload(w);
            if (w->s->log)
                fflush(w->s->log);
        }
    }
    return NULL;
}

int serve_reload_start(serve_server *s, mg_error *err)
{
    watcher *w = calloc(1, sizeof *w);
    if (!w || !(w->wd = malloc(2 * s->o.n_dirs * sizeof *w->wd))) {
        free(w);
        return mg_error_set(err, MG_ERR_NOMEM, NULL, -1, NULL,
                            "out of memory");
    }
    w->s = s;
    for (size_t i = 0; i < 2 * s->o.n_dirs; i++)
        w->wd[i] = -1;
    w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (w->fd < 0) {
        free(w->wd);
        free(w);
        return mg_error_set(err, MG_ERR_DEPENDENCY, NULL, -1, NULL,
                            "inotify: %s", strerror(errno));
    }
    rewatch(w);
    atomic_store(&s->stop, 0);
    if (pthread_create(&s->watcher, NULL, watch_loop, w)) {
        close(w->fd);
        free(w->wd);
        free(w);
        return mg_error_set(err, MG_ERR_DEPENDENCY, NULL, -1, NULL,
                            "cannot start the reload thread");
    }
    s->watch_state = w;
    s->watching = 1;
    return MG_OK;
}

void serve_reload_stop(serve_server *s)
{
    if (!s->watching)
        return;
    atomic_store(&s->stop, 1);
    pthread_join(s->watcher, NULL);
    watcher *w = s->watch_state;
    close(w->fd);
    free(w->wd);
    free(w);
    s->watching = 0;
}
