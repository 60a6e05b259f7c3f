/* The viewer page: our HTML, JS and CSS and Leaflet, copied into out/. */
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef MG_VIEWER_DIR
#error "MG_VIEWER_DIR must name mapgen/viewer (set by mapgen/CMakeLists.txt)"
#endif
#ifndef MG_LEAFLET_DIR
#error "MG_LEAFLET_DIR must name node_modules/leaflet (mapgen/CMakeLists.txt)"
#endif

/* What is copied: a source relative to its directory, and the destination
 * relative to out/.  A fixed list rather than a directory walk, so a
 * missing file is named and nothing unexpected is published. */
typedef struct copy_item {
    int from_leaflet; /* 0: the viewer directory, 1: Leaflet's */
    const char *src;
    const char *dst;
} copy_item;

static const copy_item items[] = {
    {0, "index.html", "index.html"},
    {0, "viewer.js", "viewer.js"},
    {0, "regions.js", "regions.js"},
    {0, "tools.js", "tools.js"},
    {0, "report.html", "report.html"},
    {0, "report.js", "report.js"},
    {0, "report.css", "report.css"},
    {0, "viewer.css", "viewer.css"},
    {0, "periods.js", "periods.js"},
    {1, "dist/leaflet.js", "lib/leaflet/leaflet.js"},
    {1, "dist/leaflet.css", "lib/leaflet/leaflet.css"},
    {1, "dist/images/layers.png", "lib/leaflet/images/layers.png"},
    {1, "dist/images/layers-2x.png", "lib/leaflet/images/layers-2x.png"},
    {1, "dist/images/marker-icon.png", "lib/leaflet/images/marker-icon.png"},
    {1, "dist/images/marker-icon-2x.png",
     "lib/leaflet/images/marker-icon-2x.png"},
    {1, "dist/images/marker-shadow.png",
     "lib/leaflet/images/marker-shadow.png"},
    /* Leaflet's BSD-2-Clause licence asks for its text to travel with it. */
    {1, "LICENSE", "lib/leaflet/LICENSE"},
};
enum { N_ITEMS = sizeof items / sizeof items[0] };

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Says which source directory is missing and how to get it. */
static int check_sources(const char *viewer_dir, const char *leaflet_dir,
                         mg_error *err)
{
    if (!is_dir(viewer_dir))
        return mg_error_set(err, MG_ERR_DEPENDENCY, viewer_dir, -1, NULL,
                            "the viewer's source directory is missing "
                            "(mapgen/viewer of the source tree)");
    if (!is_dir(leaflet_dir))
        return mg_error_set(err, MG_ERR_DEPENDENCY, leaflet_dir, -1, NULL,
                            "Leaflet, the viewer's mapping library, is not "
                            "installed; run `make deps` (or `npm ci` in the "
                            "source tree)");
    return MG_OK;
}

static int copy_file(const char *src, const char *dst, mg_error *err)
{
    FILE *in = fopen(src, "rb");
    if (!in)
        return mg_error_set(err, MG_ERR_DEPENDENCY, src, -1, NULL,
                            "cannot read the viewer file: %s; run `make "
                            "deps` (or `npm ci`) to reinstall it",
                            strerror(errno));
    FILE *out = fopen(dst, "wb");
    int rc = MG_OK;
    if (!out)
        rc = mg_error_errno(err, MG_ERR_OUTPUT, dst, "cannot create");
    char buf[65536];
    size_t n;
    while (!rc && (n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, out) != n)
            rc = mg_error_errno(err, MG_ERR_OUTPUT, dst, "cannot write");
    if (!rc && ferror(in))
        rc = mg_error_set(err, MG_ERR_DEPENDENCY, src, -1, NULL,
                          "cannot read the viewer file: %s", strerror(errno));
    if (out && fclose(out) != 0 && !rc)
        rc = mg_error_errno(err, MG_ERR_OUTPUT, dst, "cannot write");
    fclose(in);
    return rc;
}

/* Registers every destination with the set (refusing existing ones
 * without force) and copies its source to the temporary name. */
static int copy_all(mg_outset *set, const char *out_dir,
                    const char *viewer_dir, const char *leaflet_dir, int force,
                    mg_error *err)
{
    int rc = MG_OK;
    for (size_t i = 0; !rc && i < N_ITEMS; i++) {
        const char *dir = items[i].from_leaflet ? leaflet_dir : viewer_dir;
        char *src = path_join(dir, items[i].src, NULL);
        char *dst = path_join(out_dir, items[i].dst, NULL);
        struct stat st;
        const char *tmp;
        if (!src || !dst)
            rc = mg_error_set(err, MG_ERR_NOMEM, NULL, -1, NULL,
                              "out of memory");
        else if (!force && stat(dst, &st) == 0)
            rc = mg_error_set(err, MG_ERR_OUTPUT, dst, -1, NULL,
                              "already exists; pass --force to replace it");
        else if (!(tmp = mg_outset_add(set, dst, err)))
            rc = err->code;
        else
            rc = copy_file(src, tmp, err);
        free(src);
        free(dst);
    }
    return rc;
}

/* Copies the viewer into set; NULL source directories mean the compiled-in
 * ones. */
static int stage_from(mg_outset *set, const char *out_dir,
                      const char *viewer_dir, const char *leaflet_dir,
                      int force, mg_error *err)
{
    if (!set || !out_dir)
        return mg_error_set(err, MG_ERR_USAGE, NULL, -1, NULL,
                            "no output set or directory");
    if (!viewer_dir)
        viewer_dir = MG_VIEWER_DIR;
    if (!leaflet_dir)
        leaflet_dir = MG_LEAFLET_DIR;
    int rc = check_sources(viewer_dir, leaflet_dir, err);
    if (!rc)
        rc = copy_all(set, out_dir, viewer_dir, leaflet_dir, force, err);
    return rc;
}

int mg_viewer_check(mg_error *err)
{
    return check_sources(MG_VIEWER_DIR, MG_LEAFLET_DIR, err);
}

int mg_viewer_stage(mg_outset *set, const char *out_dir, int force,
                    mg_error *err)
{
    mg_error_clear(err);
    return stage_from(set, out_dir, NULL, NULL, force, err);
}

int mg_viewer_install_from(const char *out_dir, const char *viewer_dir,
                           const char *leaflet_dir, int force, mg_error *err)
{
    mg_error_clear(err);
    if (!out_dir)
        return mg_error_set(err, MG_ERR_USAGE, NULL, -1, NULL,
                            "no output directory");
    mg_outset *set = mg_outset_new();
    if (!set)
        return mg_error_set(err, MG_ERR_NOMEM, NULL, -1, NULL,
                            "out of memory");
    int rc = stage_from(set, out_dir, viewer_dir, leaflet_dir, force, err);
    if (!rc && mg_interrupted)
        rc = mg_error_set(err, MG_ERR_INTERRUPTED, NULL, -1, NULL,
                          "interrupted");
    if (!rc)
        rc = mg_outset_commit(set, err);
    mg_outset_free(set);
    return rc;
}

int mg_viewer_install(const char *out_dir, int force, mg_error *err)
{
    return mg_viewer_install_from(out_dir, NULL, NULL, force, err);
}
