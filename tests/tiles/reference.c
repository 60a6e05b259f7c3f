/* Reference coverages: GDAL on a supersampled grid, exact clipped areas. */
#include "reference.h"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <gdal.h>
#include <gdal_alg.h>
#include <geos_c.h>
#include <math.h>
#include <ogr_api.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static GEOSContextHandle_t geos;

void ref_init(void)
{
    GDALAllRegister();
    CPLSetErrorHandler(CPLQuietErrorHandler);
    geos = GEOS_init_r();
}

void ref_finish(void)
{
    GEOS_finish_r(geos);
    GDALDestroyDriverManager();
}

/* ---- WKT ---------------------------------------------------------------- */

typedef struct text {
    char *s;
    size_t n, cap;
} text;

static void put(text *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (t->n + (size_t)k + 1 > t->cap) {
        t->cap = 2 * (t->n + (size_t)k + 1);
        t->s = realloc(t->s, t->cap);
    }
    va_start(ap, fmt);
    vsnprintf(t->s + t->n, t->cap - t->n, fmt, ap);
    va_end(ap);
    t->n += (size_t)k;
}

static void put_points(text *t, const double *xy, size_t n, int close)
{
    put(t, "(");
    for (size_t i = 0; i < n; i++)
        put(t, "%s%.17g %.17g", i ? "," : "", xy[2 * i], xy[2 * i + 1]);
    if (close)
        put(t, ",%.17g %.17g", xy[0], xy[1]);
    put(t, ")");
}

char *ref_wkt_polygons(const mg_polygon *p, size_t n)
{
    text t = {0};
    put(&t, "MULTIPOLYGON(");
    for (size_t i = 0; i < n; i++) {
        put(&t, "%s(", i ? "," : "");
        for (size_t k = 0; k < p[i].n_rings; k++) {
            put(&t, "%s", k ? "," : "");
            put_points(&t, p[i].rings[k].xy, p[i].rings[k].n, 1);
        }
        put(&t, ")");
    }
    put(&t, ")");
    return t.s;
}

char *ref_wkt_line(const double *xy, size_t n, int closed)
{
    text t = {0};
    put(&t, "LINESTRING");
    put_points(&t, xy, n, closed);
    return t.s;
}

/* ---- GDAL --------------------------------------------------------------- */

/* Adds 1 to every pixel the segment passes through (its supercover, row by
 * row: the x range of the segment inside each row). */
static void mark_edge(double x0, double y0, double x1, double y1, int w,
                      int h, int *edges)
{
    double ylo = fmin(y0, y1), yhi = fmax(y0, y1);
    int r0 = (int)fmax(floor(ylo), 0.0), r1 = (int)fmin(floor(yhi), h - 1.0);
    for (int r = r0; r <= r1; r++) {
        double xa, xb;
        if (y0 == y1) {
            xa = x0;
            xb = x1;
        } else {
            double ya = fmax(ylo, r), yb = fmin(yhi, r + 1.0);
            xa = x0 + (ya - y0) / (y1 - y0) * (x1 - x0);
            xb = x0 + (yb - y0) / (y1 - y0) * (x1 - x0);
        }
        int c0 = (int)fmax(floor(fmin(xa, xb)), 0.0);
        int c1 = (int)fmin(floor(fmax(xa, xb)), w - 1.0);
        for (int c = c0; c <= c1; c++)
            edges[r * w + c]++;
    }
}

static void mark_geometry(OGRGeometryH g, int w, int h, int *edges)
{
    int n = OGR_G_GetPointCount(g);
    for (int i = 0; i + 1 < n; i++)
        mark_edge(OGR_G_GetX(g, i), OGR_G_GetY(g, i), OGR_G_GetX(g, i + 1),
                  OGR_G_GetY(g, i + 1), w, h, edges);
    for (int i = 0; i < OGR_G_GetGeometryCount(g); i++)
        mark_geometry(OGR_G_GetGeometryRef(g, i), w, h, edges);
}

int ref_gdal_counts(const char *wkt, int w, int h, int *counts, int *edges)
{
    int sw = w * REF_SS, sh = h * REF_SS, rc = -1;
    char *text_copy = (char *)wkt;
    OGRGeometryH g = NULL;
    unsigned char *buf = malloc((size_t)sw * (size_t)sh);
    GDALDatasetH ds = GDALCreate(GDALGetDriverByName("MEM"), "", sw, sh, 1,
                                 GDT_Byte, NULL);
    if (!buf || !ds ||
        OGR_G_CreateFromWkt(&text_copy, NULL, &g) != OGRERR_NONE) {
        fprintf(stderr, "reference: cannot set up GDAL: %s\n",
                CPLGetLastErrorMsg());
        goto done;
    }
    /* Pixel coordinates in, 1/REF_SS pixel per sample: exact in binary. */
    double gt[6] = {0.0, 1.0 / REF_SS, 0.0, 0.0, 0.0, 1.0 / REF_SS};
    GDALSetGeoTransform(ds, gt);
    int band = 1;
    double burn = 1.0;
    if (GDALRasterizeGeometries(ds, 1, &band, 1, &g, NULL, NULL, &burn, NULL,
                                NULL, NULL) != CE_None ||
        GDALRasterIO(GDALGetRasterBand(ds, 1), GF_Read, 0, 0, sw, sh, buf, sw,
                     sh, GDT_Byte, 0, 0) != CE_None) {
        fprintf(stderr, "reference: rasterize: %s\n", CPLGetLastErrorMsg());
        goto done;
    }
    memset(counts, 0, (size_t)w * (size_t)h * sizeof *counts);
    for (int y = 0; y < sh; y++)
        for (int x = 0; x < sw; x++)
            counts[(y / REF_SS) * w + x / REF_SS] += buf[(size_t)y * sw + x];
    if (edges) {
        memset(edges, 0, (size_t)w * (size_t)h * sizeof *edges);
        mark_geometry(g, w, h, edges);
    }
    rc = 0;
done:
    OGR_G_DestroyGeometry(g);
    if (ds)
        GDALClose(ds);
    free(buf);
    return rc;
}

/* ---- GEOS --------------------------------------------------------------- */

char *ref_geos_buffer(const char *wkt, double half_width, int cap, int join,
                      double mitre_limit)
{
    GEOSWKTReader *rd = GEOSWKTReader_create_r(geos);
    GEOSWKTWriter *wr = GEOSWKTWriter_create_r(geos);
    GEOSGeometry *line = GEOSWKTReader_read_r(geos, rd, wkt), *buf = NULL;
    char *out = NULL;
    if (line)
        buf = GEOSBufferWithStyle_r(geos, line, half_width, 64, cap, join,
                                    mitre_limit);
    if (buf) {
        GEOSWKTWriter_setTrim_r(geos, wr, 1);
        GEOSWKTWriter_setRoundingPrecision_r(geos, wr, 17);
        char *s = GEOSWKTWriter_write_r(geos, wr, buf);
        size_t n = s ? strlen(s) + 1 : 0;
        out = s ? malloc(n) : NULL; /* ours to free(), not GEOS's */
        if (out)
            memcpy(out, s, n);
        GEOSFree_r(geos, s);
    }
    GEOSGeom_destroy_r(geos, buf);
    GEOSGeom_destroy_r(geos, line);
    GEOSWKTWriter_destroy_r(geos, wr);
    GEOSWKTReader_destroy_r(geos, rd);
    return out;
}

/* ---- exact areas -------------------------------------------------------- */

/* Sutherland-Hodgman against one half-plane: keeps points with
 * s * (coord - v) >= 0 of axis (0 = x, 1 = y).  Good for area even when the
 * clipped polygon degenerates into touching pieces. */
static size_t clip(const double *in, size_t n, double *out, int axis,
                   double v, double s)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        const double *a = in + 2 * i, *b = in + 2 * ((i + 1) % n);
        double da = s * (a[axis] - v), db = s * (b[axis] - v);
        if (da >= 0) {
            out[2 * m] = a[0];
            out[2 * m + 1] = a[1];
            m++;
        }
        if ((da >= 0) != (db >= 0)) {
            double t = da / (da - db);
            out[2 * m] = a[0] + t * (b[0] - a[0]);
            out[2 * m + 1] = a[1] + t * (b[1] - a[1]);
            m++;
        }
    }
    return m;
}

static double area(const double *p, size_t n)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++) {
        size_t j = (i + 1) % n;
        s += p[2 * i] * p[2 * j + 1] - p[2 * j] * p[2 * i + 1];
    }
    return 0.5 * s;
}

/* Adds sign * |area of ring inside each pixel| to cover: the ring clipped
 * to each row strip, then each strip piece to each pixel. */
static void add_ring(const mg_ring *ring, double sign, int w, int h,
                     double *cover)
{
    size_t cap = 16 * ring->n + 64; /* each clip at most doubles */
    double *a = malloc(2 * cap * sizeof *a), *b = malloc(2 * cap * sizeof *b);
    double *c = malloc(2 * cap * sizeof *c), *d = malloc(2 * cap * sizeof *d);
    for (int y = 0; y < h; y++) {
        size_t n = clip(ring->xy, ring->n, a, 1, y, 1.0);
        n = clip(a, n, b, 1, y + 1.0, -1.0);
        if (n < 3)
            continue;
        for (int x = 0; x < w; x++) {
            size_t m = clip(b, n, c, 0, x, 1.0);
            m = clip(c, m, d, 0, x + 1.0, -1.0);
            if (m >= 3)
                cover[(size_t)y * w + x] += sign * fabs(area(d, m));
        }
    }
    free(a);
    free(b);
    free(c);
    free(d);
}

void ref_exact_cover(const mg_polygon *p, size_t n, int w, int h,
                     double *cover)
{
    memset(cover, 0, (size_t)w * (size_t)h * sizeof *cover);
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < p[i].n_rings; k++)
            add_ring(&p[i].rings[k], k == 0 ? 1.0 : -1.0, w, h, cover);
}
