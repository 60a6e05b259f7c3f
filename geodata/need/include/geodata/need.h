/*
 * need — the demand–service model on the joined data set (docs/model.md):
 * need, supply, gap and coverage per region and service category, rolled
 * up to every parent level, and the outputs that carry them: the
 * GeoPackage of regions and providers and the ranking CSV.
 *
 *   mg_model_compute()     need, supply, gap, coverage per region/category
 *   mg_dataset_rollup()    the same figures for each parent level
 *   mg_write_gpkg()        layers regions, regions_<level>, providers
 *   mg_write_ranking()     reports/ranking.csv
 *   mg_gpkg_read()         a GeoPackage of mg_write_gpkg() read back (the
 *                          commands that work on a finished run)
 *   mg_gpkg_update()       new columns written into such a GeoPackage
 *
 * The figures live in the data set's regions (mg_region.need, ...), which
 * input allocates; this module computes and writes them.
 *
 * Threads: a data set belongs to one thread at a time.
 */
#ifndef MG_GEODATA_NEED_H
#define MG_GEODATA_NEED_H

#include "geodata/input.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- the demand–service model ------------------------------------------- */

/* Computes need, supply, gap, coverage and provider counts for every region
 * of the finest level:
 *   need[c]   = sum over groups g of counts[g] * weight[g][c]
 *   supply[c] = capacity of the providers of category c placed in the region
 *   gap[c]    = max(need[c] - supply[c], 0)
 *   coverage  = supply / need (NAN where need is 0)
 * and the totals at index n_categories.  Missing counts count as 0 (they are
 * in the report already).  Returns MG_OK or MG_ERR_NOMEM. */
int mg_model_compute(mg_dataset *d, mg_error *err);

/* Sums the figures of each level into its parent level.  The gap of a parent
 * is the sum of its children's gaps: in the in-region model the surplus of
 * one region does not serve another.  Regions of a parent level that have no
 * polygon of their own get the union of their children's.  Returns MG_OK or
 * an MG_ERR_* code. */
int mg_dataset_rollup(mg_dataset *d, mg_error *err);

/* A rate per 10,000 of the region's target population (NAN when unknown or 0). */
double mg_per10k(double value, double population);

/* ---- outputs ------------------------------------------------------------ */

/* Writes the GeoPackage at path through GDAL's GPKG driver: layer
 * "regions" (finest level), "regions_<level>" for each parent level, and
 * "providers"; project metadata as dataset metadata.  Field names are in
 * docs/outputs.md.  The caller passes a temporary name and renames it.
 * Returns MG_OK or MG_ERR_OUTPUT/MG_ERR_DEPENDENCY. */
int mg_write_gpkg(const mg_dataset *d, const char *path, mg_error *err);

/* Writes level li of d as a new layer name (description desc) of the
 * GeoPackage open in ds, with the fields of "regions" (docs/outputs.md):
 * the periods' layers of a multi-period run.  Inside the GDAL boundary;
 * returns 0, or -1 with GDAL's error set. */
int mg_gpkg_write_level(GDALDatasetH ds, const mg_dataset *d, size_t li,
                        const char *name, const char *desc);

/* Writes the ranking CSV: for each level, the regions ranked by gap (total
 * and each category; competition ranking, ties share a rank), with the
 * parent region's code and name; counts as integers, rates to 2 decimals;
 * fmt NULL is plain RFC 4180.  Returns MG_OK or MG_ERR_OUTPUT. */
int mg_write_ranking(const mg_dataset *d, const char *path,
                     const mg_csv_format *fmt, mg_error *err);

/* Copies the values of a numeric field of the level into out (l->n values):
 * any field of the regions layer (docs/outputs.md) — "area_km2",
 * "population", a group, "need_total", "gap_per10k_rehabilitation", ... —
 * or an added column.  Returns MG_OK, or MG_ERR_PROJECT when the level has
 * no such field. */
int mg_level_get_values(const mg_level *l, const mg_model_spec *m,
                        const char *name, double *out);

/* ---- an existing GeoPackage --------------------------------------------- */

/* Reads the layers "regions" (code, name, parent_code, geometry,
 * need_<c>, gap_<c>, population, and any access_* column already there),
 * the parent levels "regions_<level>" in the file's layer order, and
 * "providers" (source_fid, category, capacity, point) of a GeoPackage that
 * `mapgen run` wrote.  p gives the model (see mg_gpkg_list_categories()
 * for a project built without a file).  Region fids are the GeoPackage's.
 * Returns MG_OK and sets *out (free with mg_dataset_free(); it points at
 * p, which must outlive it), or MG_ERR_INPUT naming file, layer and
 * field. */
int mg_gpkg_read(const char *path, const mg_project *p, mg_dataset **out,
                 mg_error *err);

/* The category names the need_<c> fields of the layer "regions" name, in
 * field order (need_total and need_per10k_* excluded).  *out is a
 * NULL-terminated array the caller frees (each string and the array). */
int mg_gpkg_list_categories(const char *path, char ***out, size_t *n,
                            mg_error *err);

/* Work done on a GeoPackage open for update through GDAL, inside the
 * transaction of mg_gpkg_update() (adding a layer, say).  Returns 0, or -1
 * with GDAL's error set. */
typedef int (*mg_gpkg_hook)(GDALDatasetH ds, void *user);

/* Opens the GeoPackage at path for update and runs hook in one
 * transaction (rolled back when the hook fails).  Returns MG_OK or
 * MG_ERR_OUTPUT with err naming path and "doing: GDAL's reason". */
int mg_gpkg_edit(const char *path, mg_gpkg_hook hook, void *user,
                 const char *doing, mg_error *err);

/* Writes every extra column of every level (creating the fields that are
 * missing, matching features by fid) and, when hook is not NULL, what the
 * hook writes, into the GeoPackage at path in one transaction.  Meant
 * for a temporary copy that the caller renames into place.  Returns MG_OK
 * or MG_ERR_OUTPUT (MG_ERR_NOMEM, MG_ERR_INTERRUPTED). */
int mg_gpkg_update(const mg_dataset *d, const char *path, mg_gpkg_hook hook,
                   void *user, mg_error *err);

/* Sets every timestamp of the GeoPackage at path to iso ("2020-01-02T
 * 03:04:05.000Z"): gpkg_contents.last_change and
 * gpkg_metadata_reference.timestamp, which GDAL and SQLite fill with the
 * time of writing, so a run's GeoPackage has the same bytes every time
 * (docs/outputs.md).  One transaction.  Returns MG_OK or MG_ERR_OUTPUT. */
int mg_gpkg_pin_time(const char *path, const char *iso, mg_error *err);

#ifdef __cplusplus
}
#endif
#endif
