/* What can be known to fail before the long work: outputs that exist
 * without --force, an output folder that cannot be written, a zoom range
 * whose tiles no disk or lifetime would hold. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

/* A rough size of one tile in one store, for the free-space check: the
 * sample's tiles average well under this (docs/rendering.md), so a disk
 * refused is a disk that would surely have filled. */
static const double bytes_per_tile = 1024.0;

/* The tiles covering b at zoom z (corners located, the rows and columns
 * between counted). */
static double tiles_at(const mg_tile_bounds *b, int z)
{
    uint32_t x0, y0, x1, y1;
    if (mg_tiles_locate_tile(b->west, b->north, z, &x0, &y0) != MG_OK ||
        mg_tiles_locate_tile(b->east, b->south, z, &x1, &y1) != MG_OK)
        return 0.0;
    return ((double)x1 - x0 + 1.0) * ((double)y1 - y0 + 1.0);
}

double mg_maps_estimate_tiles(const mg_maps *m)
{
    double n = 0.0;
    for (size_t i = 0; i < m->n; i++) {
        const map_item *x = &m->items[i];
        for (int z = x->z0; !x->skip && z <= x->z1; z++)
            n += tiles_at(&x->bounds, z);
    }
    return n;
}

/* Free bytes where dir is, or will be (its nearest existing parent). */
static double free_bytes(const char *dir)
{
    char p[4096];
    snprintf(p, sizeof p, "%s", dir);
    struct statvfs st;
    while (statvfs(p, &st) != 0) {
        char *slash = strrchr(p, '/');
        if (!slash || slash == p) {
            snprintf(p, sizeof p, "%s", slash == p ? "/" : ".");
            if (statvfs(p, &st) != 0)
                return INFINITY;
            break;
        }
        *slash = '\0';
    }
    return (double)st.f_bavail * (double)st.f_frsize;
}

static int n_stores(unsigned stores)
{
    return !!(stores & MG_MAPS_STORE_DIR) + !!(stores & MG_MAPS_STORE_MBTILES) +
           !!(stores & MG_MAPS_STORE_GPKG);
}

int mg_maps_check_size(const mg_maps *m, const char *dir, mg_error *err)
{
    double n = mg_maps_estimate_tiles(m);
    double limit = m->opt.max_tiles > 0 ? m->opt.max_tiles : MG_MAX_TILES;
    mg_progress_say(m->progress, "maps: at most %.0f tiles to render", n);
    if (n > limit)
        return mg_error_set(
            err, MG_ERR_USAGE, NULL, -1, NULL,
            "the maps would need up to %.0f tiles, above the limit of %.0f; "
            "choose fewer zooms (-z), a smaller --bbox, or allow them with "
            "--max-tiles %.0f",
            n, limit, ceil(n));
    double need = n * n_stores(m->opt.stores) * bytes_per_tile;
    double have = free_bytes(dir);
    if (need > have)
        return mg_error_set(
            err, MG_ERR_OUTPUT, dir, -1, NULL,
            "not enough free disk space for the maps: up to %.0f tiles in "
            "%d store(s) need about %.0f KB, %.0f KB are free",
            n, n_stores(m->opt.stores), ceil(need / 1024), have / 1024);
    return MG_OK;
}

int mg_output_dir_check(const char *dir, mg_error *err)
{
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return MG_OK; /* made, or refused, when the outputs are written */
    char probe[4200];
    snprintf(probe, sizeof probe, "%s/.tmp-%ld-probe", dir, (long)getpid());
    int fd = open(probe, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0)
        return mg_error_set(err, MG_ERR_OUTPUT, dir, -1, NULL,
                            "cannot write in the output directory: %s",
                            strerror(errno));
    close(fd);
    unlink(probe);
    return MG_OK;
}
