/* What mapgen says on stderr while it works, in one place (progress.h). */
#include "mapgen/progress.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct mg_progress {
    mg_progress_mode mode;
    FILE *out;
    const char *map; /* the map whose tiles render, or NULL */
    int z0, z1;
    int steps;   /* AUTO: 2.5 % steps printed */
    double last; /* PLAIN/JSON: when the last line went out */
};

static double wall(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

mg_progress *mg_progress_new(mg_progress_mode mode, FILE *out)
{
    mg_progress *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    if (mode == MG_PROGRESS_AUTO && !isatty(fileno(out)))
        mode = MG_PROGRESS_PLAIN;
    p->mode = mode;
    p->out = out;
    return p;
}

void mg_progress_free(mg_progress *p)
{
    free(p);
}

mg_progress_mode mg_progress_get_mode(const mg_progress *p)
{
    return p->mode;
}

/* One JSON object per line, keys sorted as given. */
static void put_json(mg_progress *p, json_t *o)
{
    char *text = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER |
                                       JSON_REAL_PRECISION(12))
                   : NULL;
    if (text)
        fprintf(p->out, "%s\n", text);
    free(text);
    json_decref(o);
}

void mg_progress_say(mg_progress *p, const char *fmt, ...)
{
    if (p->mode == MG_PROGRESS_NONE)
        return;
    char text[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    if (p->mode == MG_PROGRESS_JSON)
        put_json(p, json_pack("{ss}", "message", text));
    else
        fprintf(p->out, "mapgen: %s\n", text);
}

void mg_progress_text(mg_progress *p, const char *text)
{
    if (p->mode == MG_PROGRESS_JSON)
        put_json(p, json_pack("{ss}", "message", text));
    else if (p->mode != MG_PROGRESS_NONE)
        fputs(text, p->out);
}

void mg_progress_print(mg_progress *p, void (*print)(FILE *out, void *user),
                       void *user)
{
    if (p->mode == MG_PROGRESS_NONE)
        return;
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    if (!f)
        return;
    print(f, user);
    if (fclose(f) == 0 && buf)
        mg_progress_text(p, buf);
    free(buf);
}

int mg_progress_stage(double complete, const char *message, void *user)
{
    mg_progress *p = user;
    if (complete == 0.0 && p->mode == MG_PROGRESS_JSON)
        put_json(p, json_pack("{ss}", "stage", message));
    else if (complete == 0.0 && p->mode != MG_PROGRESS_NONE)
        fprintf(p->out, "mapgen: %s...\n", message);
    return !mg_interrupted;
}

void mg_progress_tiles_begin(mg_progress *p, const char *map, int z0, int z1,
                             int threads)
{
    p->map = map;
    p->z0 = z0;
    p->z1 = z1;
    p->steps = 0;
    p->last = wall();
    if (p->mode == MG_PROGRESS_JSON)
        put_json(p, json_pack("{sssisisi}", "map", map, "minzoom", z0,
                              "maxzoom", z1, "threads", threads));
    else if (p->mode != MG_PROGRESS_NONE)
        fprintf(p->out, "mapgen: map %s: zooms %d-%d, %d threads\n", map, z0,
                z1, threads);
    if (p->mode == MG_PROGRESS_AUTO)
        fprintf(p->out, "mapgen: %s: 0", map);
}

/* GDAL's GDALTermProgress: a number every 10 %, dots between. */
static void term_steps(mg_progress *p, double f)
{
    int step = (int)floor(f * 40.0 + 1e-9);
    for (; p->steps < step && p->steps < 40; p->steps++) {
        int s = p->steps + 1;
        if (s == 40)
            fputs("100 - done.\n", p->out);
        else if (s % 4 == 0)
            fprintf(p->out, "%d", s / 4 * 10);
        else
            fputc('.', p->out);
    }
    fflush(p->out);
}

int mg_progress_tiles(const mg_render_progress *rp, void *user)
{
    mg_progress *p = user;
    double f = rp->total > 0 ? (double)rp->done / (double)rp->total : 1.0;
    double rate = rp->seconds > 0 ? (double)rp->done / rp->seconds : 0.0;
    double left = rate > 0 ? (double)(rp->total - rp->done) / rate : 0.0;
    if (p->mode == MG_PROGRESS_AUTO) {
        term_steps(p, f);
        return !mg_interrupted;
    }
    if (p->mode == MG_PROGRESS_NONE)
        return !mg_interrupted;
    double now = wall();
    double every = p->mode == MG_PROGRESS_JSON ? 1.0 : 2.0;
    if (rp->done < rp->total && now - p->last < every)
        return !mg_interrupted;
    p->last = now;
    if (p->mode == MG_PROGRESS_PLAIN)
        fprintf(p->out,
                "mapgen: %s: %ld/%ld tiles, %.0f tiles/s, %.0f s "
                "left\n",
                p->map, rp->done, rp->total, rate, left);
    else
        put_json(p, json_pack("{sssisIsIsfsf}", "map", p->map, "zoom",
                              rp->zoom, "done", (json_int_t)rp->done, "total",
                              (json_int_t)rp->total, "tiles_per_second",
                              round(rate * 10) / 10, "seconds_left",
                              round(left * 10) / 10));
    return !mg_interrupted;
}

static json_t *zoom_json(const char *map, int z, const mg_render_zoom_stats *s)
{
    return json_pack("{sssisIsIsIsIsIsf}", "map", map, "zoom", z, "tiles",
                     (json_int_t)s->tiles, "written", (json_int_t)s->written,
                     "empty", (json_int_t)s->empty, "duplicates",
                     (json_int_t)s->duplicates, "done_before",
                     (json_int_t)s->done_before, "seconds",
                     round(s->seconds * 1000) / 1000);
}

void mg_progress_tiles_end(mg_progress *p, const mg_render_stats *st)
{
    if (p->mode == MG_PROGRESS_AUTO && p->steps < 40)
        fputc('\n', p->out);
    if (!st || p->mode == MG_PROGRESS_NONE)
        return;
    mg_render_zoom_stats all = {0};
    int json = p->mode == MG_PROGRESS_JSON;
    if (!json)
        fprintf(p->out,
                "mapgen: %s: zoom   tiles  written    empty  "
                "duplicate  done before  seconds\n",
                p->map);
    for (int z = p->z0; z <= p->z1; z++) {
        const mg_render_zoom_stats *s = &st->zoom[z];
        all.tiles += s->tiles;
        all.written += s->written;
        all.empty += s->empty;
        all.duplicates += s->duplicates;
        all.done_before += s->done_before;
        if (json)
            put_json(p, zoom_json(p->map, z, s));
        else
            fprintf(p->out,
                    "mapgen: %s: %4d %7ld %8ld %8ld %10ld %12ld "
                    "%8.2f\n",
                    p->map, z, s->tiles, s->written, s->empty, s->duplicates,
                    s->done_before, s->seconds);
    }
    all.seconds = st->seconds;
    if (json) {
        json_t *o = zoom_json(p->map, 0, &all);
        json_object_del(o, "zoom");
        put_json(p, o);
    } else {
        fprintf(p->out,
                "mapgen: %s: all  %7ld %8ld %8ld %10ld %12ld "
                "%8.2f  (%.0f tiles/s)\n",
                p->map, all.tiles, all.written, all.empty, all.duplicates,
                all.done_before, st->seconds,
                st->seconds > 0 ? (double)all.tiles / st->seconds : 0.0);
    }
}

void mg_progress_error(mg_progress *p, const mg_error *err)
{
    if (!p || p->mode != MG_PROGRESS_JSON) {
        mg_error_print(err, p ? p->out : stderr);
        return;
    }
    json_t *e = json_pack(
        "{sissss}", "code", err->code, "class", mg_strerror(err->code),
        "message", err->message[0] ? err->message : mg_strerror(err->code));
    if (e && err->file[0])
        json_object_set_new(e, "file", json_string(err->file));
    if (e && err->row >= 0)
        json_object_set_new(e, "row", json_integer(err->row));
    if (e && err->field[0])
        json_object_set_new(e, "field", json_string(err->field));
    put_json(p, e ? json_pack("{so}", "error", e) : NULL);
}
