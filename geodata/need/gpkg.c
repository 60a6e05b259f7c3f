/* An existing GeoPackage of mapgen's: regions, parent levels and
 * providers read back, and the columns of later stages written in. */
#include "internal.h"

#include <cpl_error.h>
#include <sqlite3.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int is_category_field(const char *name)
{
    return strncmp(name, "need_", 5) == 0 && strcmp(name, "need_total") &&
           strncmp(name, "need_per10k_", 12) != 0;
}

int mg_gpkg_list_categories(const char *path, char ***out, size_t *n,
                            mg_error *err)
{
    mg_vec_source v;
    *out = NULL;
    *n = 0;
    int rc = mg_vec_open(&v, path, "regions", err);
    int nf = rc ? 0 : OGR_FD_GetFieldCount(v.defn);
    if (!rc && !(*out = calloc((size_t)nf + 1, sizeof **out)))
        rc = mg_error_set(err, MG_ERR_NOMEM, path, -1, NULL, "out of memory");
    for (int i = 0; !rc && i < nf; i++) {
        const char *f = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(v.defn, i));
        if (!is_category_field(f))
            continue;
        if (!((*out)[(*n)++] = strdup(f + 5)))
            rc = mg_error_set(err, MG_ERR_NOMEM, path, -1, NULL,
                              "out of memory");
    }
    if (!rc && *n == 0)
        rc = mg_error_set(err, MG_ERR_INPUT, path, -1, "regions",
                          "the layer 'regions' has no need_<category> "
                          "field: is this a GeoPackage that mapgen run "
                          "wrote?");
    mg_vec_close(&v);
    return rc;
}

/* Field indices of a regions layer. */
typedef struct level_fields {
    int code, name, parent, population;
    int *need, *gap; /* per category */
    int *extra;      /* access* fields kept as columns */
    size_t n_extra;
} level_fields;

static int open_fields(mg_vec_source *v, const mg_model_spec *m, int finest,
                       level_fields *lf, mg_error *err)
{
    char name[160], what[200];
    size_t nc = m->n_categories;
    int nf = OGR_FD_GetFieldCount(v->defn);
    lf->need = calloc(nc ? nc : 1, sizeof *lf->need);
    lf->gap = calloc(nc ? nc : 1, sizeof *lf->gap);
    lf->extra = calloc((size_t)nf + 1, sizeof *lf->extra);
    if (!lf->need || !lf->gap || !lf->extra)
        return mg_error_set(err, MG_ERR_NOMEM, v->path, -1, NULL,
                            "out of memory");
    snprintf(what, sizeof what, "%s.code", OGR_L_GetName(v->layer));
    int rc = mg_vec_field(v, "code", what, &lf->code, err);
    lf->name = OGR_FD_GetFieldIndex(v->defn, "name");
    lf->parent = OGR_FD_GetFieldIndex(v->defn, "parent_code");
    lf->population = OGR_FD_GetFieldIndex(v->defn, "population");
    for (size_t c = 0; !rc && c < nc; c++) {
        mg_field_name(name, sizeof name, "need_", m->categories[c]);
        snprintf(what, sizeof what, "%s.%s", OGR_L_GetName(v->layer), name);
        rc = mg_vec_field(v, name, what, &lf->need[c], err);
        mg_field_name(name, sizeof name, "gap_", m->categories[c]);
        if (!rc)
            rc = mg_vec_field(v, name, what, &lf->gap[c], err);
    }
    /* Figures of an earlier `mapgen access` (siting reads access_gap_*). */
    for (int i = 0; finest && !rc && i < nf; i++)
        if (strncmp(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(v->defn, i)),
                    "access", 6) == 0)
            lf->extra[lf->n_extra++] = i;
    return rc;
}

static void close_fields(level_fields *lf)
{
    free(lf->need);
    free(lf->gap);
    free(lf->extra);
}

static double real_of(OGRFeatureH f, int i)
{
    return i >= 0 && OGR_F_IsFieldSetAndNotNull(f, i)
               ? OGR_F_GetFieldAsDouble(f, i)
               : NAN;
}

static int region_from(OGRFeatureH f, const level_fields *lf,
                       const mg_model_spec *m, mg_region *r)
{
    size_t nc = m->n_categories;
    char key[256];
    int rc = mg_region_alloc_figures(r, m->n_groups, nc);
    r->fid = (long)OGR_F_GetFID(f);
    r->code = mg_field_text(f, lf->code);
    r->name = mg_field_text(f, lf->name);
    r->parent_code = mg_field_text(f, lf->parent);
    r->population = real_of(f, lf->population);
    if (!rc && !r->code && !(r->code = strdup("")))
        rc = MG_ERR_NOMEM;
    if (!rc && !r->name && !(r->name = strdup(r->code)))
        rc = MG_ERR_NOMEM;
    if (!rc && mg_code_normalise(r->code, key, sizeof key) >= 0 &&
        !(r->key = strdup(key)))
        rc = MG_ERR_NOMEM;
    for (size_t c = 0; !rc && c < nc; c++) {
        r->need[c] = real_of(f, lf->need[c]);
        r->gap[c] = real_of(f, lf->gap[c]);
        r->need[nc] += isnan(r->need[c]) ? 0 : r->need[c];
        r->gap[nc] += isnan(r->gap[c]) ? 0 : r->gap[c];
    }
    OGRGeometryH g = OGR_F_GetGeometryRef(f);
    if (!rc && g && !OGR_G_IsEmpty(g)) {
        r->wkb_size = (size_t)OGR_G_WkbSize(g);
        if (!(r->wkb = malloc(r->wkb_size)))
            rc = MG_ERR_NOMEM;
        else
            OGR_G_ExportToWkb(g, wkbNDR, r->wkb);
    }
    return rc;
}

/* The access* columns of an earlier run, added once the level's size is
 * known (buf holds n_extra rows of l->n values). */
static int keep_extra(mg_vec_source *v, const level_fields *lf,
                      const double *buf, mg_level *l)
{
    for (size_t k = 0; k < lf->n_extra; k++) {
        double *col;
        const char *name =
            OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(v->defn, lf->extra[k]));
        if (mg_level_add_column(l, name, 0, &col) != MG_OK)
            return MG_ERR_NOMEM;
        memcpy(col, &buf[k * l->n], l->n * sizeof *col);
    }
    return MG_OK;
}

/* Reads one regions layer into level l; extra access columns on level 0. */
static int read_level_layer(const char *path, const char *layer,
                            const mg_model_spec *m, int finest, mg_level *l,
                            mg_error *err)
{
    mg_vec_source v;
    level_fields lf = {0};
    int rc = mg_vec_open(&v, path, layer, err);
    if (!rc)
        rc = open_fields(&v, m, finest, &lf, err);
    size_t total = 0;
    if (!rc && OGR_L_GetFeatureCount(v.layer, 1) > 0)
        total = (size_t)OGR_L_GetFeatureCount(v.layer, 1);
    double *buf = rc ? NULL : malloc((lf.n_extra * total + 1) * sizeof *buf);
    if (!rc && (!buf || !(l->regions = calloc(total + 1, sizeof *l->regions))))
        rc = MG_ERR_NOMEM;
    OGRFeatureH f;
    if (!rc)
        OGR_L_ResetReading(v.layer);
    while (!rc && l->n < total && (f = OGR_L_GetNextFeature(v.layer))) {
        rc = region_from(f, &lf, m, &l->regions[l->n]);
        for (size_t k = 0; !rc && k < lf.n_extra; k++)
            buf[k * total + l->n] = real_of(f, lf.extra[k]);
        l->n++;
        OGR_F_Destroy(f);
    }
    /* Rows were laid out for total features; a layer that had fewer than
     * it said is compacted first. */
    for (size_t k = 1; !rc && l->n < total && k < lf.n_extra; k++)
        memmove(&buf[k * l->n], &buf[k * total], l->n * sizeof *buf);
    if (!rc)
        rc = keep_extra(&v, &lf, buf, l);
    if (rc && err && !err->code)
        mg_error_set(err, rc, path, -1, layer, "%s", mg_strerror(rc));
    free(buf);
    close_fields(&lf);
    mg_vec_close(&v);
    return rc;
}

/* Parent links through parent_code, as the join made them. */
static int link_level(mg_level *l, const mg_level *up)
{
    mg_code_index ci;
    const char **codes = malloc((up->n ? up->n : 1) * sizeof *codes);
    if (!codes)
        return MG_ERR_NOMEM;
    for (size_t j = 0; j < up->n; j++)
        codes[j] = up->regions[j].code;
    int rc = mg_code_index_build(&ci, codes, up->n);
    for (size_t i = 0; !rc && i < l->n; i++)
        l->regions[i].parent =
            (int)mg_code_index_find(&ci, l->regions[i].parent_code);
    if (!rc)
        mg_code_index_free(&ci);
    free(codes);
    return rc;
}

/* The parent levels: layers regions_<level> in the file's order, which is
 * the order mapgen run writes them (finest first). */
static int list_levels(const char *path, char ***names, size_t *n,
                       mg_error *err)
{
    mg_gdal_enter();
    GDALDatasetH ds =
        GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    int rc = mg_gdal_leave(!ds, MG_ERR_INPUT, path,
                           "cannot open as a GeoPackage", err);
    if (rc)
        return rc;
    int nl = GDALDatasetGetLayerCount(ds);
    *names = calloc((size_t)nl + 2, sizeof **names);
    *n = 0;
    if (!*names || !((*names)[(*n)++] = strdup("regions")))
        rc = MG_ERR_NOMEM;
    for (int i = 0; !rc && i < nl; i++) {
        const char *name = OGR_L_GetName(GDALDatasetGetLayer(ds, i));
        if (strncmp(name, "regions_", 8) == 0 &&
            !((*names)[(*n)++] = strdup(name)))
            rc = MG_ERR_NOMEM;
    }
    GDALClose(ds);
    if (rc)
        mg_error_set(err, rc, path, -1, NULL, "out of memory");
    return rc;
}

static int provider_from(OGRFeatureH f, const int *fi, const mg_model_spec *m,
                         mg_provider *v)
{
    char a[160], b[160];
    v->fid = fi[0] >= 0 ? (long)OGR_F_GetFieldAsInteger64(f, fi[0])
                        : (long)OGR_F_GetFID(f);
    v->name = mg_field_text(f, fi[3]);
    v->category_raw = mg_field_text(f, fi[1]);
    v->capacity = real_of(f, fi[2]);
    v->capacity = isnan(v->capacity) ? 0 : v->capacity;
    v->category = -1;
    v->region = -1;
    v->placement = "none";
    v->lon = v->lat = NAN;
    v->access_ratio = NAN;
    /* The layer holds the model's names; a project built from the field
     * names knows them lower-cased with '_' for other characters. */
    mg_field_name(a, sizeof a, "", v->category_raw ? v->category_raw : "");
    for (size_t c = 0; v->category_raw && c < m->n_categories; c++) {
        mg_field_name(b, sizeof b, "", m->categories[c]);
        if (strcmp(v->category_raw, m->categories[c]) == 0 ||
            strcmp(a, b) == 0)
            v->category = (int)c;
    }
    OGRGeometryH g = OGR_F_GetGeometryRef(f);
    if (g && !OGR_G_IsEmpty(g) &&
        wkbFlatten(OGR_G_GetGeometryType(g)) == wkbPoint) {
        v->lon = OGR_G_GetX(g, 0);
        v->lat = OGR_G_GetY(g, 0);
    }
    return MG_OK;
}

/* The providers layer, when there is one (without it supply is 0). */
static int read_providers_layer(mg_dataset *d, const char *path, mg_error *err)
{
    mg_vec_source v;
    mg_error quiet;
    if (mg_vec_open(&v, path, "providers", &quiet) != MG_OK)
        return MG_OK;
    int fi[4],
        rc = mg_vec_field(&v, "category", "providers.category", &fi[1], err);
    fi[0] = OGR_FD_GetFieldIndex(v.defn, "source_fid");
    fi[2] = OGR_FD_GetFieldIndex(v.defn, "capacity");
    fi[3] = OGR_FD_GetFieldIndex(v.defn, "name");
    GIntBig total = rc ? 0 : OGR_L_GetFeatureCount(v.layer, 1);
    if (!rc && total > 0 &&
        !(d->providers = calloc((size_t)total, sizeof *d->providers)))
        rc = mg_error_set(err, MG_ERR_NOMEM, path, -1, NULL, "out of memory");
    OGRFeatureH f;
    if (!rc)
        OGR_L_ResetReading(v.layer);
    while (!rc && d->n_providers < (size_t)total &&
           (f = OGR_L_GetNextFeature(v.layer)) != NULL) {
        rc = provider_from(f, fi, &d->project->model,
                           &d->providers[d->n_providers++]);
        OGR_F_Destroy(f);
    }
    mg_vec_close(&v);
    return rc;
}

static int read_levels_back(mg_dataset *d, const char *path, char **names,
                            mg_error *err)
{
    int rc = MG_OK;
    for (size_t li = 0; !rc && li < d->n_levels; li++) {
        mg_level *l = &d->levels[li];
        l->level = strdup(li ? names[li] + 8 : "regions");
        d->level_paths[li] = strdup(path);
        if (!l->level || !d->level_paths[li])
            rc = mg_error_set(err, MG_ERR_NOMEM, path, -1, NULL,
                              "out of memory");
        if (!rc)
            rc = read_level_layer(path, names[li], &d->project->model, li == 0,
                                  l, err);
        if (!rc && li > 0 && link_level(&d->levels[li - 1], l))
            rc = mg_error_set(err, MG_ERR_NOMEM, path, -1, NULL,
                              "out of memory");
    }
    return rc;
}

int mg_gpkg_read(const char *path, const mg_project *p, mg_dataset **out,
                 mg_error *err)
{
    char **names = NULL;
    size_t n = 0;
    *out = NULL;
    mg_dataset *d = calloc(1, sizeof *d);
    if (!d)
        return mg_error_set(err, MG_ERR_NOMEM, path, -1, NULL,
                            "out of memory");
    d->project = p;
    int rc = list_levels(path, &names, &n, err);
    if (!rc) {
        d->n_levels = n;
        d->levels = calloc(n, sizeof *d->levels);
        d->level_paths = calloc(n, sizeof *d->level_paths);
        d->providers_path = strdup(path);
        if (!d->levels || !d->level_paths || !d->providers_path)
            rc = mg_error_set(err, MG_ERR_NOMEM, path, -1, NULL,
                              "out of memory");
    }
    if (!rc)
        rc = read_levels_back(d, path, names, err);
    if (!rc)
        rc = read_providers_layer(d, path, err);
    for (size_t i = 0; names && i < n; i++)
        free(names[i]);
    free(names);
    if (rc) {
        mg_dataset_free(d);
        return rc;
    }
    *out = d;
    return MG_OK;
}

/* ---- writing back ------------------------------------------------------- */

/* The layer of level li: "regions", then "regions_<level>". */
static void layer_name(const mg_level *l, size_t li, char *out, size_t n)
{
    if (li == 0)
        snprintf(out, n, "regions");
    else
        mg_field_name(out, n, "regions_", l->level);
}

/* Creates through OGR the fields a level's columns need (OGR keeps the
 * GeoPackage's own tables right), and notes the FID column. */
static int ensure_fields(GDALDatasetH ds, const mg_level *l, size_t li,
                         char *fid, size_t n)
{
    char name[160];
    layer_name(l, li, name, sizeof name);
    OGRLayerH layer = GDALDatasetGetLayerByName(ds, name);
    if (!layer)
        return l->n_columns ? -1 : 0;
    snprintf(fid, n, "%s",
             *OGR_L_GetFIDColumn(layer) ? OGR_L_GetFIDColumn(layer) : "fid");
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    int bad = 0;
    for (size_t k = 0; !bad && k < l->n_columns; k++) {
        const mg_column *c = &l->columns[k];
        if (OGR_FD_GetFieldIndex(defn, c->name) >= 0)
            continue;
        OGRFieldDefnH fd =
            OGR_Fld_Create(c->name, c->is_integer ? OFTInteger64 : OFTReal);
        bad = OGR_L_CreateField(layer, fd, 1) != OGRERR_NONE;
        OGR_Fld_Destroy(fd);
    }
    return bad ? -1 : 0;
}

int mg_gpkg_edit(const char *path, mg_gpkg_hook hook, void *user,
                 const char *doing, mg_error *err)
{
    mg_gdal_enter();
    GDALDatasetH ds =
        GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_UPDATE, NULL, NULL, NULL);
    int bad = !ds;
    if (ds) {
        bad = GDALDatasetStartTransaction(ds, 0) != OGRERR_NONE;
        if (!bad)
            bad = hook(ds, user);
        if (!bad)
            bad = GDALDatasetCommitTransaction(ds) != OGRERR_NONE;
        else
            GDALDatasetRollbackTransaction(ds);
        GDALClose(ds);
        bad |= mg_gdal_failed();
    }
    return mg_gdal_leave(bad, MG_ERR_OUTPUT, path, doing, err);
}

/* What the OGR phase of mg_gpkg_update() does in its transaction. */
typedef struct ogr_work {
    const mg_dataset *d;
    char (*fid)[64];
    mg_gpkg_hook hook;
    void *user;
} ogr_work;

static int ogr_fields(GDALDatasetH ds, void *user)
{
    ogr_work *w = user;
    int bad = 0;
    for (size_t li = 0; !bad && li < w->d->n_levels; li++)
        bad = ensure_fields(ds, &w->d->levels[li], li, w->fid[li], 64);
    return bad || !w->hook ? bad : w->hook(ds, w->user);
}

/* The GeoPackage's R-tree triggers name these functions, which SQLite
 * needs to compile an UPDATE of the table.  They fire only when the
 * geometry or the fid changes, which this update never does; should one
 * fire, the update fails rather than spoil the index. */
static void no_geometry(sqlite3_context *c, int argc, sqlite3_value **argv)
{
    (void)argc;
    (void)argv;
    sqlite3_result_error(c, "mapgen does not update geometries", -1);
}

static int sql_open(const char *path, sqlite3 **db, mg_error *err)
{
    static const char *const fn[] = {"ST_IsEmpty", "ST_MinX", "ST_MaxX",
                                     "ST_MinY",    "ST_MaxY", NULL};
    int rc = mg_sqlite_open(path, SQLITE_OPEN_READWRITE, db, err);
    for (size_t i = 0; !rc && fn[i]; i++) {
        int e = sqlite3_create_function(*db, fn[i], 1, SQLITE_UTF8, NULL,
                                        no_geometry, NULL, NULL);
        if (e != SQLITE_OK)
            rc = mg_sqlite_error(*db, e, path, "cannot open the GeoPackage",
                                 err);
    }
    return rc;
}

/* UPDATE "t" SET "c1" = ?, ... WHERE "fid" = ? */
static char *update_sql(const mg_level *l, size_t li, const char *fid)
{
    char name[160];
    layer_name(l, li, name, sizeof name);
    size_t n = strlen(name) + strlen(fid) + 64;
    for (size_t k = 0; k < l->n_columns; k++)
        n += strlen(l->columns[k].name) + 8;
    char *sql = malloc(n);
    if (!sql)
        return NULL;
    size_t len = (size_t)snprintf(sql, n, "UPDATE \"%s\" SET ", name);
    for (size_t k = 0; k < l->n_columns; k++)
        len += (size_t)snprintf(sql + len, n - len, "%s\"%s\" = ?",
                                k ? ", " : "", l->columns[k].name);
    snprintf(sql + len, n - len, " WHERE \"%s\" = ?", fid);
    return sql;
}

/* Writes the columns by fid straight through SQLite: OGR's SetFeature
 * would rewrite every field and the geometry, and with it the R-tree. */
static int sql_update_level(sqlite3 *db, const mg_level *l, size_t li,
                            const char *fid)
{
    sqlite3_stmt *st = NULL;
    char *sql = update_sql(l, li, fid);
    int rc = sql ? sqlite3_prepare_v2(db, sql, -1, &st, NULL) : SQLITE_NOMEM;
    int nc = (int)l->n_columns;
    for (size_t i = 0; rc == SQLITE_OK && i < l->n; i++) {
        for (int k = 0; k < nc; k++) {
            double v = l->columns[k].values[i];
            if (isnan(v))
                sqlite3_bind_null(st, k + 1);
            else if (l->columns[k].is_integer)
                sqlite3_bind_int64(st, k + 1, (sqlite3_int64)v);
            else
                sqlite3_bind_double(st, k + 1, v);
        }
        sqlite3_bind_int64(st, nc + 1, l->regions[i].fid);
        rc = sqlite3_step(st) == SQLITE_DONE ? sqlite3_reset(st)
                                             : sqlite3_errcode(db);
    }
    sqlite3_finalize(st);
    free(sql);
    return rc;
}

static int sql_phase(const mg_dataset *d, const char *path, char (*fid)[64],
                     mg_error *err)
{
    static const char doing[] = "cannot update the GeoPackage";
    sqlite3 *db = NULL;
    int rc = sql_open(path, &db, err);
    if (!rc)
        rc = mg_sqlite_exec(db, "BEGIN", path, doing, err);
    for (size_t li = 0; !rc && li < d->n_levels; li++) {
        if (!d->levels[li].n_columns)
            continue;
        int e = sql_update_level(db, &d->levels[li], li, fid[li]);
        if (e != SQLITE_OK)
            rc = mg_sqlite_error(db, e, path, doing, err);
    }
    if (!rc)
        rc = mg_sqlite_exec(db,
                            "UPDATE gpkg_contents SET last_change = "
                            "strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE "
                            "table_name LIKE 'regions%'",
                            path, doing, err);
    if (!rc)
        rc = mg_sqlite_exec(db, "COMMIT", path, doing, err);
    sqlite3_close(db);
    return rc;
}

int mg_gpkg_update(const mg_dataset *d, const char *path, mg_gpkg_hook hook,
                   void *user, mg_error *err)
{
    char(*fid)[64] = calloc(d->n_levels + 1, sizeof *fid);
    if (!fid)
        return mg_error_nomem(err, path);
    ogr_work w = {d, fid, hook, user};
    int rc = mg_gpkg_edit(path, ogr_fields, &w, "cannot update the GeoPackage",
                          err);
    if (!rc)
        rc = sql_phase(d, path, fid, err);
    free(fid);
    return rc;
}

int mg_gpkg_pin_time(const char *path, const char *iso, mg_error *err)
{
    static const char doing[] = "cannot set the GeoPackage's timestamps";
    static const char *const sql[] = {
        "UPDATE gpkg_contents SET last_change = ?1",
        "UPDATE gpkg_metadata_reference SET timestamp = ?1"};
    sqlite3 *db = NULL;
    int rc = mg_sqlite_open(path, SQLITE_OPEN_READWRITE, &db, err);
    if (!rc)
        rc = mg_sqlite_exec(db, "BEGIN", path, doing, err);
    for (size_t i = 0; !rc && i < sizeof sql / sizeof *sql; i++) {
        sqlite3_stmt *st = NULL;
        int e = sqlite3_prepare_v2(db, sql[i], -1, &st, NULL);
        if (e == SQLITE_OK)
            e = sqlite3_bind_text(st, 1, iso, -1, SQLITE_STATIC);
        if (e == SQLITE_OK && (e = sqlite3_step(st)) == SQLITE_DONE)
            e = SQLITE_OK;
        sqlite3_finalize(st);
        if (e != SQLITE_OK)
            rc = mg_sqlite_error(db, e, path, doing, err);
    }
    if (!rc)
        rc = mg_sqlite_exec(db, "COMMIT", path, doing, err);
    sqlite3_close(db);
    return rc;
}
