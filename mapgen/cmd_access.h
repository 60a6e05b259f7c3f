/* `mapgen access`, `mapgen site`, and the sites outputs of `mapgen run`. */
#ifndef MG_MAPGEN_CMD_ACCESS_H
#define MG_MAPGEN_CMD_ACCESS_H

#include "geodata/geodata.h"

/* `mapgen access ARGS...` and `mapgen site ARGS...` (argv[0] is the
 * command's name); return the process exit code. */
int mg_cmd_access(int argc, char **argv);
int mg_cmd_site(int argc, char **argv);

/* For `mapgen run`: adds the layer "sites" to the temporary GeoPackage
 * gpkg_tmp, and registers in set and writes dir/reports/sites.csv (an
 * existing one is MG_ERR_OUTPUT unless force).  *csv_final receives its
 * final path, for the caller to list after the commit and free().
 * Returns MG_OK or an MG_ERR_* code with err filled. */
int mg_pipeline_write_sites(mg_outset *set, const mg_sites *sites,
                            const char *gpkg_tmp, const char *dir, int force,
                            char **csv_final, mg_error *err);

#endif
