/* Distances, decay weights and the grid index that keeps pairs beyond the
 * catchment from ever being looked at. */
#include "access_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Mean Earth radius (IUGG); the choice moves distances by < 0.5 %. */
#define EARTH_KM 6371.0088
#define DEG (M_PI / 180.0)

/* The point on the unit sphere.  Distances go through the chord between
 * two such points, d = 2R asin(|p - q| / 2): the same great circle as the
 * haversine formula, but the grid computes each point's vector once and
 * then needs no sine or cosine per pair. */
void mg_access_unit_vector(double lon, double lat, double v[3])
{
    double p = lat * DEG, l = lon * DEG;
    v[0] = cos(p) * cos(l);
    v[1] = cos(p) * sin(l);
    v[2] = sin(p);
}

static double chord2(const double a[3], const double b[3])
{
    double dx = a[0] - b[0], dy = a[1] - b[1], dz = a[2] - b[2];
    return dx * dx + dy * dy + dz * dz;
}

static double chord_km(double c2)
{
    double h = sqrt(c2) / 2;
    return 2 * EARTH_KM * asin(h < 1 ? h : 1);
}

double mg_access_vector_km(const double a[3], const double b[3])
{
    return chord_km(chord2(a, b));
}

double mg_access_distance_km(double lon1, double lat1, double lon2,
                             double lat2)
{
    double a[3], b[3];
    mg_access_unit_vector(lon1, lat1, a);
    mg_access_unit_vector(lon2, lat2, b);
    return chord_km(chord2(a, b));
}

static double weight_binary(const mg_access_decay *k, double d)
{
    (void)k;
    (void)d;
    return 1;
}

static double weight_bands(const mg_access_decay *k, double d)
{
    for (size_t r = 0; r < k->n_bands; r++)
        if (d <= k->band_upper[r])
            return k->band_weight[r];
    return 0;
}

/* Dai (2010): scaled so the weight is 1 at d = 0 and 0 at d0. */
static double weight_gaussian(const mg_access_decay *k, double d)
{
    double e = exp(-0.5), x = d / k->catchment;
    return (exp(-0.5 * x * x) - e) / (1 - e);
}

/* Gravity (Luo & Wang 2003; PySAL access's weights.gravity with scale and
 * min_dist d_min): 1 up to d_min, so a provider at d = 0 stays finite. */
static double weight_power(const mg_access_decay *k, double d)
{
    double dmin = k->min_distance > 0 ? k->min_distance : 1;
    return pow(fmax(d, dmin) / dmin, -k->beta);
}

static double weight_exponential(const mg_access_decay *k, double d)
{
    return exp(-k->beta * d);
}

/* Kernel density weights on [0, d0] (Silverman 1986), 1 at d = 0. */
static double weight_triangular(const mg_access_decay *k, double d)
{
    return 1 - d / k->catchment;
}

static double weight_epanechnikov(const mg_access_decay *k, double d)
{
    double x = d / k->catchment;
    return 1 - x * x;
}

static double weight_quartic(const mg_access_decay *k, double d)
{
    double x = d / k->catchment;
    return (1 - x * x) * (1 - x * x);
}

const mg_access_method_info mg_access_methods[MG_ACCESS_N_METHODS] = {
    [MG_ACCESS_2SFCA] = {"2sfca", "2SFCA", 0, 0, weight_binary},
    [MG_ACCESS_E2SFCA] = {"e2sfca", "E2SFCA", 1, 0, weight_bands},
    [MG_ACCESS_GAUSSIAN] = {"gaussian", "Gaussian 2SFCA", 0, 0,
                            weight_gaussian},
    [MG_ACCESS_POWER] = {"power", "gravity (inverse power)", 0, 1,
                         weight_power},
    [MG_ACCESS_EXPONENTIAL] = {"exponential", "gravity (exponential)", 0, 1,
                               weight_exponential},
    [MG_ACCESS_TRIANGULAR] = {"triangular", "triangular kernel", 0, 0,
                              weight_triangular},
    [MG_ACCESS_EPANECHNIKOV] = {"epanechnikov", "Epanechnikov kernel", 0, 0,
                                weight_epanechnikov},
    [MG_ACCESS_QUARTIC] = {"quartic", "quartic kernel", 0, 0,
                           weight_quartic},
};

double mg_access_weight(const mg_access_decay *k, double d)
{
    if (!(d >= 0) || d > k->catchment ||
        (unsigned)k->method >= MG_ACCESS_N_METHODS)
        return 0;
    return mg_access_methods[k->method].weight(k, d);
}

int mg_access_poll(size_t step, mg_error *err)
{
    if ((step & 1023) == 1023 && mg_interrupted)
        return mg_error_set(err, MG_ERR_INTERRUPTED, NULL, -1, NULL,
                            "interrupted");
    return MG_OK;
}

static int usable(double lon, double lat)
{
    return fabs(lon) <= 180 && fabs(lat) <= 90;
}

/* Picks the cell size: about the query radius, so a query visits a few
 * cells, but never more cells than a few per point, so a tiny radius over
 * a wide extent does not allocate a huge empty grid. */
static void grid_shape(mg_geo_grid *g, double w, double h, size_t n,
                       double radius_km)
{
    double cell = radius_km / (EARTH_KM * DEG);
    double limit = 4.0 * (double)n + 64;
    if (!(cell > 1e-6))
        cell = 1e-6;
    if (w * h / (cell * cell) > limit)
        cell = sqrt(w * h / limit);
    for (;;) {
        double nx = floor(w / cell) + 1, ny = floor(h / cell) + 1;
        if (nx * ny <= 2 * limit) {
            g->nx = (size_t)nx;
            g->ny = (size_t)ny;
            break;
        }
        cell *= 1.5;
    }
    g->cell = cell;
}

static size_t cell_of(const mg_geo_grid *g, double lon, double lat)
{
    size_t cx = (size_t)((lon - g->x0) / g->cell);
    size_t cy = (size_t)((lat - g->y0) / g->cell);
    if (cx >= g->nx)
        cx = g->nx - 1;
    if (cy >= g->ny)
        cy = g->ny - 1;
    return cy * g->nx + cx;
}

int mg_geo_grid_build(mg_geo_grid *g, const double *lon, const double *lat,
                      size_t n, double radius_km)
{
    memset(g, 0, sizeof *g);
    g->lon = lon;
    g->lat = lat;
    double x1 = -INFINITY, y1 = -INFINITY;
    size_t valid = 0;
    g->x0 = g->y0 = INFINITY;
    for (size_t i = 0; i < n; i++) {
        if (!usable(lon[i], lat[i]))
            continue;
        valid++;
        g->x0 = fmin(g->x0, lon[i]);
        g->y0 = fmin(g->y0, lat[i]);
        x1 = fmax(x1, lon[i]);
        y1 = fmax(y1, lat[i]);
    }
    if (valid)
        grid_shape(g, x1 - g->x0, y1 - g->y0, valid, radius_km);
    g->start = calloc(g->nx * g->ny + 1, sizeof *g->start);
    g->items = malloc((valid ? valid : 1) * sizeof *g->items);
    g->xyz = malloc((n ? n : 1) * 3 * sizeof *g->xyz);
    if (!g->start || !g->items || !g->xyz) {
        mg_geo_grid_free(g);
        return MG_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++)
        if (usable(lon[i], lat[i]))
            mg_access_unit_vector(lon[i], lat[i], &g->xyz[3 * i]);
    /* A counting sort: sizes, offsets, then the points in place. */
    for (size_t i = 0; i < n; i++)
        if (usable(lon[i], lat[i]))
            g->start[cell_of(g, lon[i], lat[i]) + 1]++;
    for (size_t c = 0; c < g->nx * g->ny; c++)
        g->start[c + 1] += g->start[c];
    for (size_t i = 0; i < n; i++)
        if (usable(lon[i], lat[i]))
            g->items[g->start[cell_of(g, lon[i], lat[i])]++] = i;
    for (size_t c = g->nx * g->ny; c > 0; c--)
        g->start[c] = g->start[c - 1];
    g->start[0] = 0;
    return MG_OK;
}

void mg_geo_grid_free(mg_geo_grid *g)
{
    free(g->start);
    free(g->items);
    free(g->xyz);
    g->start = g->items = NULL;
    g->xyz = NULL;
    g->nx = g->ny = 0;
}

void mg_geo_hits_free(mg_geo_hits *h)
{
    free(h->idx);
    free(h->dist);
    memset(h, 0, sizeof *h);
}

static int hits_push(mg_geo_hits *h, size_t i, double d)
{
    if (h->n == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 64;
        size_t *idx = realloc(h->idx, cap * sizeof *idx);
        if (idx)
            h->idx = idx;
        double *dist = realloc(h->dist, cap * sizeof *dist);
        if (dist)
            h->dist = dist;
        if (!idx || !dist)
            return MG_ERR_NOMEM;
        h->cap = cap;
    }
    h->idx[h->n] = i;
    h->dist[h->n++] = d;
    return MG_OK;
}

/* Cell columns [a, b] covering longitudes [lo, hi]; 0 when none. */
static int lon_cells(const mg_geo_grid *g, double lo, double hi, size_t *a,
                     size_t *b)
{
    double x1 = g->x0 + (double)g->nx * g->cell;
    if (hi < g->x0 || lo > x1 || lo > hi)
        return 0;
    *a = lo <= g->x0 ? 0 : (size_t)((lo - g->x0) / g->cell);
    *b = (size_t)((fmin(hi, x1) - g->x0) / g->cell);
    if (*b >= g->nx)
        *b = g->nx - 1;
    if (*a > *b)
        *a = *b;
    return 1;
}

/* The longitude ranges of the bounding box of the spherical cap of
 * angular radius delta around (lon, lat): the cap reaches
 * asin(sin delta / cos lat) east and west, all around when it holds a
 * pole, and wraps at the antimeridian.  Returns the number of ranges. */
static int cap_lon_ranges(double lon, double lat, double delta, double lo[2],
                          double hi[2])
{
    double dlat = delta / DEG, margin = 1e-9;
    if (lat + dlat >= 90 || lat - dlat <= -90 || delta >= M_PI / 2) {
        lo[0] = -180;
        hi[0] = 180;
        return 1;
    }
    double s = sin(delta) / cos(lat * DEG);
    double dlon = asin(s < 1 ? s : 1) / DEG + margin;
    if (dlon >= 179.999) {
        lo[0] = -180;
        hi[0] = 180;
        return 1;
    }
    int n = 0;
    lo[n] = fmax(lon - dlon, -180);
    hi[n++] = fmin(lon + dlon, 180);
    if (lon - dlon < -180) {
        lo[n] = lon - dlon + 360;
        hi[n++] = 180;
    } else if (lon + dlon > 180) {
        lo[n] = -180;
        hi[n++] = lon + dlon - 360;
    }
    return n;
}

/* A query: the point's vector and the squared chord of the radius, so
 * most points beyond it are dropped before any asin. */
typedef struct grid_query {
    double v[3];
    double c2max;
    double radius;
} grid_query;

static int scan_cells(const mg_geo_grid *g, size_t cx0, size_t cx1, size_t cy0,
                      size_t cy1, const grid_query *q, mg_geo_hits *out)
{
    for (size_t cy = cy0; cy <= cy1; cy++)
        for (size_t c = cy * g->nx + cx0; c <= cy * g->nx + cx1; c++)
            for (size_t k = g->start[c]; k < g->start[c + 1]; k++) {
                size_t i = g->items[k];
                double c2 = chord2(q->v, &g->xyz[3 * i]);
                if (c2 > q->c2max)
                    continue;
                double d = chord_km(c2);
                if (d <= q->radius && hits_push(out, i, d) != MG_OK)
                    return MG_ERR_NOMEM;
            }
    return MG_OK;
}

int mg_geo_grid_query(const mg_geo_grid *g, double lon, double lat,
                      double radius_km, mg_geo_hits *out)
{
    out->n = 0;
    if (!g->nx || !usable(lon, lat) || !(radius_km >= 0))
        return MG_OK;
    double delta = radius_km / EARTH_KM, dlat = delta / DEG + 1e-9;
    double ylo = lat - dlat, yhi = lat + dlat;
    double y1 = g->y0 + (double)g->ny * g->cell;
    if (yhi < g->y0 || ylo > y1)
        return MG_OK;
    size_t cy0 = ylo <= g->y0 ? 0 : (size_t)((ylo - g->y0) / g->cell);
    size_t cy1 = (size_t)((fmin(yhi, y1) - g->y0) / g->cell);
    cy1 = cy1 >= g->ny ? g->ny - 1 : cy1;
    double lo[2], hi[2];
    size_t a[2], b[2];
    int n = 0, nr = cap_lon_ranges(lon, lat, delta, lo, hi);
    for (int k = 0; k < nr; k++)
        n += lon_cells(g, lo[k], hi[k], &a[n], &b[n]);
    /* Two ranges may fall in one column of cells: visit it once. */
    if (n == 2 && a[1] <= b[0] && a[0] <= b[1]) {
        a[0] = a[0] < a[1] ? a[0] : a[1];
        b[0] = b[0] > b[1] ? b[0] : b[1];
        n = 1;
    }
    grid_query q = {{0, 0, 0}, 0, radius_km};
    mg_access_unit_vector(lon, lat, q.v);
    /* The chord of the radius, with a margin for rounding: the exact
     * distance decides. */
    double half = fmin(delta / 2, M_PI / 2);
    q.c2max = 4 * sin(half) * sin(half) * (1 + 1e-9) + 1e-18;
    for (int k = 0; k < n; k++)
        if (scan_cells(g, a[k], b[k], cy0, cy1, &q, out))
            return MG_ERR_NOMEM;
    return MG_OK;
}

int mg_pair_source_init(mg_pair_source *s, const mg_cost_matrix *costs,
                        const double *to_lon, const double *to_lat,
                        size_t n_to, const double *from_lon,
                        const double *from_lat, double max_cost)
{
    memset(s, 0, sizeof *s);
    s->costs = costs;
    s->from_lon = from_lon;
    s->from_lat = from_lat;
    if (costs)
        return MG_OK;
    return mg_geo_grid_build(&s->grid, to_lon, to_lat, n_to, max_cost);
}

int mg_pair_source_get(const mg_pair_source *s, size_t j, double max_cost,
                       mg_geo_hits *out)
{
    out->n = 0;
    if (!s->costs)
        return mg_geo_grid_query(&s->grid, s->from_lon[j], s->from_lat[j],
                                 max_cost, out);
    const mg_cost_matrix *m = s->costs;
    for (size_t k = m->start[j]; k < m->start[j + 1]; k++)
        if (m->cost[k] <= max_cost && hits_push(out, m->to[k], m->cost[k]))
            return MG_ERR_NOMEM;
    return MG_OK;
}

void mg_pair_source_free(mg_pair_source *s)
{
    mg_geo_grid_free(&s->grid);
}

void mg_cost_matrix_free(mg_cost_matrix *m)
{
    if (!m)
        return;
    free(m->start);
    free(m->to);
    free(m->cost);
    free(m);
}
