/*
 * RGBA8 canvases and source-over compositing through coverage masks.
 *
 * Pixels are straight (not premultiplied) RGBA because that is what PNG
 * stores: encoding then needs no conversion and loses nothing to
 * un-premultiplying translucent pixels.  Straight source-over needs a
 * division only where the destination is translucent; choropleth tiles are
 * almost entirely transparent or opaque, and both have exact fast paths.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

mg_canvas *mg_canvas_new(int width, int height)
{
    if (width < 1 || width > MG_TILES_MAX_SIZE || height < 1 ||
        height > MG_TILES_MAX_SIZE)
        return NULL;
    mg_canvas *c = malloc(sizeof *c);
    if (!c)
        return NULL;
    c->width = width;
    c->height = height;
    c->stride = 4 * (size_t)width;
    c->rgba = calloc(c->stride, (size_t)height);
    if (!c->rgba) {
        free(c);
        return NULL;
    }
    return c;
}

void mg_canvas_free(mg_canvas *c)
{
    if (!c)
        return;
    free(c->rgba);
    free(c);
}

void mg_tiles_clear_canvas(mg_canvas *c, mg_rgba colour)
{
    if (!c)
        return;
    const uint8_t px[4] = {colour.r, colour.g, colour.b, colour.a};
    /* The first row by doubling copies, then whole rows: a one-colour
     * tile is painted at memcpy's speed rather than a pixel at a time. */
    uint8_t *row0 = c->rgba;
    size_t done = 4, row_bytes = 4 * (size_t)c->width;
    memcpy(row0, px, 4);
    while (done < row_bytes) {
        size_t n = done < row_bytes - done ? done : row_bytes - done;
        memcpy(row0 + done, row0, n);
        done += n;
    }
    for (int y = 1; y < c->height; y++)
        memcpy(c->rgba + (size_t)y * c->stride, row0, row_bytes);
}

/* round(v / 255) for 0 <= v <= 65535, without a division. */
static unsigned div255(unsigned v)
{
    v += 128;
    return (v + (v >> 8)) >> 8;
}

/* Source-over of colour at alpha a (1..255) onto one straight-RGBA pixel:
 *   out.a = a + d.a (1 - a),  out.rgb = (c a + d.rgb d.a (1 - a)) / out.a
 * with alphas in 0..1, here scaled to integers and rounded to nearest. */
static void blend(uint8_t *d, mg_rgba colour, unsigned a)
{
    unsigned da = d[3];
    if (a == 255 || da == 0) {
        d[0] = colour.r;
        d[1] = colour.g;
        d[2] = colour.b;
        d[3] = (uint8_t)a;
        return;
    }
    unsigned ia = 255 - a;
    if (da == 255) {
        d[0] = (uint8_t)div255(colour.r * a + d[0] * ia);
        d[1] = (uint8_t)div255(colour.g * a + d[1] * ia);
        d[2] = (uint8_t)div255(colour.b * a + d[2] * ia);
        return;
    }
    unsigned wd = da * ia;      /* destination weight, x 255^2 */
    unsigned oa = a * 255 + wd; /* output alpha, x 255^2 */
    unsigned ws = a * 255;
    d[0] = (uint8_t)((colour.r * ws + d[0] * wd + oa / 2) / oa);
    d[1] = (uint8_t)((colour.g * ws + d[1] * wd + oa / 2) / oa);
    d[2] = (uint8_t)((colour.b * ws + d[2] * wd + oa / 2) / oa);
    d[3] = (uint8_t)div255(oa);
}

int mg_tiles_composite_mask(mg_canvas *c, const mg_mask *m, mg_rgba colour)
{
    if (!c || !m || !m->cover || m->width != c->width ||
        m->height != c->height)
        return MG_ERR_USAGE;
    if (colour.a == 0)
        return MG_OK;
    for (int y = m->y0; y < m->y1; y++) {
        const uint8_t *cover = m->cover + (size_t)y * (size_t)m->width;
        uint8_t *row = c->rgba + (size_t)y * c->stride;
        for (int x = m->x0[y]; x < m->x1[y]; x++) {
            unsigned k = cover[x];
            if (k == 0)
                continue;
            blend(row + 4 * x, colour,
                  colour.a == 255 ? k : div255(colour.a * k));
        }
    }
    return MG_OK;
}

static int sizes_match(const mg_canvas *c, const mg_raster *r)
{
    return c && r && c->width == r->width && c->height == r->height;
}

int mg_tiles_draw_polygons(mg_canvas *c, mg_raster *r,
                           const mg_polygon *polygons, size_t n_polygons,
                           mg_fill_rule rule, mg_rgba colour)
{
    mg_mask m;
    if (!sizes_match(c, r))
        return MG_ERR_USAGE;
    int rc = mg_tiles_fill_polygons(r, polygons, n_polygons, rule, &m);
    return rc ? rc : mg_tiles_composite_mask(c, &m, colour);
}

int mg_tiles_draw_line(mg_canvas *c, mg_raster *r, const double *xy, size_t n,
                       int closed, const mg_stroke *style, mg_rgba colour)
{
    mg_mask m;
    if (!sizes_match(c, r))
        return MG_ERR_USAGE;
    int rc = mg_tiles_stroke_line(r, xy, n, closed, style, &m);
    return rc ? rc : mg_tiles_composite_mask(c, &m, colour);
}

int mg_tiles_draw_dot(mg_canvas *c, mg_raster *r, double cx, double cy,
                      double radius, mg_rgba fill, double outline_width,
                      mg_rgba outline)
{
    mg_mask m;
    if (!sizes_match(c, r) || !(outline_width >= 0.0))
        return MG_ERR_USAGE;
    int rc = mg_tiles_fill_circle(r, cx, cy, radius, &m);
    if (rc == MG_OK)
        rc = mg_tiles_composite_mask(c, &m, fill);
    if (rc == MG_OK && outline_width > 0.0) {
        rc = mg_tiles_stroke_circle(r, cx, cy, radius, outline_width, &m);
        if (rc == MG_OK)
            rc = mg_tiles_composite_mask(c, &m, outline);
    }
    return rc;
}

int mg_tiles_is_transparent(const mg_canvas *c)
{
    if (!c)
        return 0;
    for (int y = 0; y < c->height; y++) {
        const uint8_t *row = c->rgba + (size_t)y * c->stride;
        for (int x = 0; x < c->width; x++)
            if (row[4 * x + 3] != 0)
                return 0;
    }
    return 1;
}
