/* `mapgen run`'s rendering options: parsing. */
#include "cli.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_json_errors = 0;

int cli_json_wanted(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--progress=json") ||
            (!strcmp(argv[i], "--progress") && i + 1 < argc &&
             !strcmp(argv[i + 1], "json")))
            return 1;
    return 0;
}

int cli_usage_error(const char *fmt, ...)
{
    char text[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    json_t *o = cli_json_errors
                    ? json_pack("{s{sissss}}", "error", "code", MG_ERR_USAGE,
                                "class", mg_strerror(MG_ERR_USAGE),
                                "message", text)
                    : NULL;
    char *line = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    fprintf(stderr, "%s\n", line ? line : text);
    free(line);
    json_decref(o);
    return MG_ERR_USAGE;
}

static int bad(const char *opt, const char *arg, const char *what)
{
    return cli_usage_error("mapgen run: %s '%s': %s", opt, arg, what);
}

/* A whole number in [lo, hi] ending at *end (strtol's rules, no spaces). */
static int whole(const char *s, long lo, long hi, long *v, char **end)
{
    if (*s < '0' || *s > '9')
        return -1;
    errno = 0;
    *v = strtol(s, end, 10);
    return errno || *v < lo || *v > hi ? -1 : 0;
}

static int parse_zoom(const char *arg, mg_map_options *o)
{
    long a, b;
    char *end;
    if (whole(arg, 0, 30, &a, &end))
        return bad("--zoom", arg,
                   "expected MIN-MAX with zooms 0 to 30, "
                   "e.g. 0-10");
    b = a;
    if (*end == '-' && whole(end + 1, 0, 30, &b, &end))
        return bad("--zoom", arg,
                   "expected MIN-MAX with zooms 0 to 30, "
                   "e.g. 0-10");
    if (*end || b < a)
        return bad("--zoom", arg,
                   "expected MIN-MAX with MIN <= MAX, "
                   "e.g. 0-10");
    o->minzoom = (int)a;
    o->maxzoom = (int)b;
    return MG_OK;
}

static int parse_bbox(const char *arg, mg_map_options *o)
{
    double v[4];
    const char *s = arg;
    for (int i = 0; i < 4; i++) {
        char *end;
        errno = 0;
        v[i] = strtod(s, &end);
        if (end == s || errno || (i < 3 && *end != ',') || (i == 3 && *end))
            return bad("--bbox", arg,
                       "expected W,S,E,N in degrees, e.g. "
                       "20.2,43.6,29.7,48.3");
        s = end + 1;
    }
    if (!(v[0] >= -180 && v[0] < v[2] && v[2] <= 180 && v[1] >= -90 &&
          v[1] < v[3] && v[3] <= 90))
        return bad("--bbox", arg,
                   "needs -180 <= W < E <= 180 and "
                   "-90 <= S < N <= 90");
    memcpy(o->bbox, v, sizeof v);
    o->has_bbox = 1;
    return MG_OK;
}

/* "dir,mbtiles,gpkg" or any non-empty subset, each name once. */
static int parse_stores(const char *arg, mg_map_options *o)
{
    static const char *const names[] = {"dir", "mbtiles", "gpkg"};
    unsigned set = 0;
    const char *s = arg;
    for (;;) {
        size_t n = strcspn(s, ",");
        unsigned bit = 0;
        for (unsigned k = 0; k < 3; k++)
            if (n == strlen(names[k]) && !strncmp(s, names[k], n))
                bit = 1u << k;
        if (!bit || (set & bit))
            return bad("--stores", arg,
                       "expected a list of dir, mbtiles "
                       "and gpkg, each at most once, e.g. --stores "
                       "dir,mbtiles");
        set |= bit;
        if (!s[n])
            break;
        s += n + 1;
    }
    o->stores = set;
    return MG_OK;
}

/* An http(s) URL without a trailing '/', quotes or spaces (it goes into
 * JSON and HTTP headers as it is). */
static int parse_public_url(const char *arg, mg_map_options *o)
{
    size_t n = strlen(arg);
    if ((strncmp(arg, "http://", 7) && strncmp(arg, "https://", 8)) ||
        n > 1000 || strpbrk(arg, " \t\r\n\"'<>\\") ||
        (n > 0 && arg[n - 1] == '/') || strchr(arg, '?') || strchr(arg, '#'))
        return bad("--public-url", arg,
                   "expected an http:// or https:// URL without a trailing "
                   "'/', query or spaces, e.g. https://example.org/maps");
    o->public_url = arg;
    return MG_OK;
}

/* "MAP=METHOD[:K]": the method by styles' table (its error lists the
 * names); "fixed" needs breaks a command line does not carry, and
 * percentiles and box_plot make 6 classes only. */
static int parse_classify(const char *arg, cli_run *r)
{
    mg_map_options *o = &r->run.maps;
    const char *eq = strchr(arg, '=');
    char name[64];
    size_t mlen = eq ? (size_t)(eq - arg) : 0;
    size_t nlen = eq ? strcspn(eq + 1, ":") : 0;
    if (!eq || mlen == 0 || mlen >= sizeof r->classify[0].map || nlen == 0 ||
        nlen >= sizeof name)
        return bad("--classify", arg,
                   "expected MAP=METHOD[:K], e.g. needs=quantile:3");
    if (o->n_classify == MG_MAPS_CLASSIFY_MAX)
        return bad("--classify", arg, "at most 16 of them");
    mg_map_classify *c = &r->classify[o->n_classify];
    memcpy(c->map, arg, mlen);
    c->map[mlen] = 0;
    memcpy(name, eq + 1, nlen);
    name[nlen] = 0;
    mg_error e;
    if (mg_styles_parse_method(name, &c->method, &e))
        return bad("--classify", arg, e.message);
    if (c->method == MG_CLASS_FIXED)
        return bad("--classify", arg,
                   "\"fixed\" needs breaks: give them in the style file");
    const char *ks = eq + 1 + nlen;
    long k = 0;
    char *end = NULL;
    if (*ks == ':' && (whole(ks + 1, 1, MG_CLASSES_MAX, &k, &end) || *end))
        return bad("--classify", arg, "K must be a whole number from 1 to 32");
    int six = c->method == MG_CLASS_PERCENTILES ||
              c->method == MG_CLASS_BOX_PLOT;
    if (six && k && k != 6)
        return bad("--classify", arg, "this method makes 6 classes only");
    c->k = six ? 6 : (int)k;
    for (size_t i = 0; i < o->n_classify; i++)
        if (!strcmp(r->classify[i].map, c->map))
            return bad("--classify", arg, "that map is classified twice");
    o->classify = r->classify;
    o->n_classify++;
    return MG_OK;
}

int cli_map_option(int c, const char *arg, cli_run *r)
{
    mg_map_options *o = &r->run.maps;
    long v;
    char *end;
    switch (c) {
    case 'z':
        return parse_zoom(arg, o);
    case 'j':
        if (whole(arg, 1, 256, &v, &end) || *end)
            return bad("--jobs", arg,
                       "expected a number of threads, 1 to "
                       "256");
        o->threads = (int)v;
        return MG_OK;
    case MG_OPT_BBOX:
        return parse_bbox(arg, o);
    case MG_OPT_TILE_SIZE:
        if (strcmp(arg, "256") && strcmp(arg, "512"))
            return bad("--tile-size", arg, "expected 256 or 512");
        o->tile_size = atoi(arg);
        return MG_OK;
    case MG_OPT_RETINA:
        o->tile_size = 512;
        return MG_OK;
    case MG_OPT_PNG_LEVEL:
        if (whole(arg, 0, 9, &v, &end) || *end)
            return bad("--png-level", arg, "expected 0 to 9");
        o->png_level = (int)v;
        return MG_OK;
    case MG_OPT_PROGRESS:
        if (!strcmp(arg, "auto"))
            r->progress = MG_PROGRESS_AUTO;
        else if (!strcmp(arg, "plain"))
            r->progress = MG_PROGRESS_PLAIN;
        else if (!strcmp(arg, "json"))
            r->progress = MG_PROGRESS_JSON;
        else if (!strcmp(arg, "none"))
            r->progress = MG_PROGRESS_NONE;
        else
            return bad("--progress", arg,
                       "expected auto, plain, json or "
                       "none");
        return MG_OK;
    case MG_OPT_RESUME:
        o->resume = 1;
        return MG_OK;
    case MG_OPT_MAPS:
        if (!*arg)
            return bad("--maps", arg,
                       "expected map names, e.g. needs,poverty");
        o->only = arg;
        return MG_OK;
    case MG_OPT_NO_TILES:
        r->run.no_tiles = 1;
        return MG_OK;
    case MG_OPT_STORES:
        return parse_stores(arg, o);
    case MG_OPT_PUBLIC_URL:
        return parse_public_url(arg, o);
    case MG_OPT_CLASSIFY:
        return parse_classify(arg, r);
    case MG_OPT_MAX_TILES: {
        char *e;
        errno = 0;
        double n = strtod(arg, &e);
        if (e == arg || *e || errno || !(n >= 1) || n > 1e15)
            return bad("--max-tiles", arg,
                       "expected a number of tiles, e.g. 100000000");
        o->max_tiles = n;
        return MG_OK;
    }
    default:
        return MG_ERR_USAGE;
    }
}
