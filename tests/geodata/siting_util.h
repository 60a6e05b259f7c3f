/* Shared by the siting tests: a cost matrix by hand, the exhaustive
 * optimum over all k-subsets, a repeatable random sequence and the PySAL
 * spopt San Francisco data (tests/fixtures/access). */
#ifndef MG_TESTS_SITING_UTIL_H
#define MG_TESTS_SITING_UTIL_H

#include "check.h"
#include "geodata/siting.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static mg_cost_matrix *matrix_new(size_t n_from, size_t n_to,
                                  const size_t *rows, const size_t *to,
                                  const double *cost, size_t n)
{
    mg_cost_matrix *m = calloc(1, sizeof *m);
    m->n_from = n_from;
    m->n_to = n_to;
    m->start = calloc(n_from + 1, sizeof *m->start);
    m->to = malloc(n * sizeof *m->to);
    m->cost = malloc(n * sizeof *m->cost);
    for (size_t e = 0; e < n; e++) {
        m->start[rows[e] + 1]++;
        m->to[e] = to[e];
        m->cost[e] = cost[e];
    }
    for (size_t j = 0; j < n_from; j++)
        m->start[j + 1] += m->start[j];
    return m;
}

/* The best value over all k-subsets of m candidates (lexicographic
 * enumeration); maximise coverage, or minimise the median objective. */
static double exhaustive(const mg_siting_input *in, double radius, size_t k,
                         int median, size_t *best_set)
{
    size_t m = in->n_candidates, idx[16];
    double best = median ? INFINITY : -1;
    for (size_t i = 0; i < k; i++)
        idx[i] = i;
    for (;;) {
        double v, u = 0;
        if (median)
            mg_siting_eval_median(in, idx, k, &u, &v);
        else
            v = mg_siting_eval_coverage(in, radius, idx, k);
        v += u * 1e12; /* unreached need first */
        if (median ? v < best - 1e-9 : v > best + 1e-9) {
            best = v;
            memcpy(best_set, idx, k * sizeof *idx);
        }
        size_t i = k;
        while (i > 0 && idx[i - 1] == m - k + i - 1)
            i--;
        if (i == 0)
            break;
        idx[i - 1]++;
        for (size_t j = i; j < k; j++)
            idx[j] = idx[j - 1] + 1;
    }
    return best;
}

static double rnd(unsigned long *s)
{
    *s = *s * 6364136223846793005UL + 1442695040888963407UL;
    return (double)(*s >> 11) / 9007199254740992.0;
}

/* ---- San Francisco (PySAL spopt test data) ------------------------------ */

/* Splits a CSV line in place (fields may be quoted, no quotes inside). */
static int split(char *line, char **f, int max)
{
    int n = 0;
    char *p = line;
    while (n < max) {
        if (*p == '"') {
            f[n++] = ++p;
            p = strchr(p, '"');
            if (!p)
                return n;
            *p++ = '\0';
        } else {
            f[n++] = p;
            p += strcspn(p, ",\r\n");
        }
        if (*p != ',') {
            *p = '\0';
            return n;
        }
        *p++ = '\0';
    }
    return n;
}

typedef struct sf_data {
    size_t nd, nc;
    char name[205][24];
    double pop[205], lon[205], lat[205];
    char store[16][16];
    double slon[16], slat[16];
    mg_cost_matrix *m;
} sf_data;

static FILE *open_in(const char *dir, const char *file)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    FILE *f = fopen(path, "r");
    if (!f)
        fprintf(stderr, "cannot open %s\n", path);
    return f;
}

static long find(char (*names)[24], size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return (long)i;
    return -1;
}

static int read_points(const char *dir, sf_data *sf)
{
    char line[512], *f[16];
    FILE *in = open_in(dir, "sf_demand_205.csv");
    if (!in)
        return -1;
    if (!fgets(line, sizeof line, in))
        sf->nd = 205; /* an empty file: the count check below fails */
    while (sf->nd < 205 && fgets(line, sizeof line, in) &&
           split(line, f, 16) == 12) {
        snprintf(sf->name[sf->nd], sizeof sf->name[0], "%s", f[3]);
        sf->pop[sf->nd] = atof(f[6]);
        sf->lon[sf->nd] = atof(f[10]);
        sf->lat[sf->nd++] = atof(f[11]);
    }
    fclose(in);
    if (!(in = open_in(dir, "sf_candidates_16.csv")))
        return -1;
    if (!fgets(line, sizeof line, in))
        sf->nc = 16;
    while (sf->nc < 16 && fgets(line, sizeof line, in) &&
           split(line, f, 16) == 5) {
        snprintf(sf->store[sf->nc], sizeof sf->store[0], "%s", f[2]);
        sf->slon[sf->nc] = atof(f[3]);
        sf->slat[sf->nc++] = atof(f[4]);
    }
    fclose(in);
    return sf->nd == 205 && sf->nc == 16 ? 0 : -1;
}

static int read_distances(const char *dir, sf_data *sf)
{
    static size_t rows[3280], to[3280];
    static double cost[3280];
    char line[512], *f[8];
    size_t n = 0;
    FILE *in = open_in(dir, "sf_network_distance.csv");
    if (!in)
        return -1;
    if (!fgets(line, sizeof line, in))
        n = 3280;
    while (n < 3280 && fgets(line, sizeof line, in) &&
           split(line, f, 8) == 4) {
        long j = -1, i = find(sf->name, sf->nd, f[2]);
        for (size_t k = 0; k < sf->nc; k++)
            if (strcmp(sf->store[k], f[1]) == 0)
                j = (long)k;
        if (i < 0 || j < 0)
            break;
        /* The file repeats each tract's population: it must agree. */
        CHECK_NEAR(atof(f[3]), sf->pop[i], 0);
        rows[n] = (size_t)j;
        to[n] = (size_t)i;
        cost[n++] = atof(f[0]);
    }
    fclose(in);
    sf->m = matrix_new(sf->nc, sf->nd, rows, to, cost, n);
    return n == 3280 ? 0 : -1;
}

#endif
