/* mapgen — the command line and the pipeline that drives the modules. */
#ifndef MG_MAPGEN_H
#define MG_MAPGEN_H

#include "geodata/geodata.h"

/* Options of `mapgen run`. */
typedef struct mg_run_options {
    const char *project;     /* NULL: the bundled sample */
    const char *output;      /* NULL: the project's "output" */
    int force;               /* replace existing outputs */
    int quiet;               /* no progress, no summary */
    int no_tiles;            /* no maps: vectors and reports only */
    const struct mg_map_options *maps; /* rendering options (mapgen/maps.h);
                                          NULL: the defaults */
} mg_run_options;

/* Runs the whole pipeline; returns MG_OK or an MG_ERR_* code with err
 * filled.  Outputs appear only when every one of them is complete. */
int mg_run(const mg_run_options *opt, mg_error *err);

/* `mapgen run ARGS...`; returns the process exit code. */
int mg_cmd_run(int argc, char **argv);

/* Copies the viewer page into out_dir: index.html, viewer.js, viewer.css
 * and Leaflet under lib/leaflet/ (docs/viewer.md).  The page reads
 * out_dir/maps.json, which the caller writes.  Each file is written under
 * a temporary name and all are renamed into place together.  An existing
 * file is replaced only with force.  Returns MG_OK; MG_ERR_DEPENDENCY when
 * a source is missing (err names it and, for Leaflet, says to run
 * `make deps`); MG_ERR_OUTPUT (an output exists without force, or cannot
 * be written; temporary files are removed); MG_ERR_NOMEM;
 * MG_ERR_INTERRUPTED. */
int mg_viewer_install(const char *out_dir, int force, mg_error *err);

/* The same as part of a larger set of outputs: copies the viewer to
 * temporary names registered in set, which the caller commits with its
 * other outputs (mg_outset_commit()) or drops (mg_outset_free()).  Returns
 * as mg_viewer_install(), also MG_ERR_USAGE when set or out_dir is NULL;
 * on failure the files staged so far stay in set, to be dropped with it. */
int mg_viewer_stage(mg_outset *set, const char *out_dir, int force,
                    mg_error *err);

/* mg_viewer_install() from other source directories: viewer_dir holds
 * index.html, viewer.js and viewer.css, leaflet_dir is the npm package's
 * root (node_modules/leaflet).  NULL for either means the one of the source
 * tree this binary was built from.  MG_ERR_USAGE when out_dir is NULL. */
int mg_viewer_install_from(const char *out_dir, const char *viewer_dir,
                           const char *leaflet_dir, int force,
                           mg_error *err);

#endif
