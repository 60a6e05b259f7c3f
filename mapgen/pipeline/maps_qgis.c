/* The GeoPackage as QGIS opens it: layer styles (layer_styles, QML and
 * SLD, as the tiles draw the maps) and field titles and descriptions
 * (gpkg_data_columns).  docs/outputs.md, "In QGIS". */
#include "internal.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

/* ---- the colours of points layers --------------------------------------- */

void maps_dots_clear(maps_dots *d)
{
    for (size_t i = 0; i < d->n; i++)
        free(d->values[i]);
    free(d->values);
    free(d->colours);
    free(d->field);
    memset(d, 0, sizeof *d);
}

static long dot_index(const maps_dots *d, const char *v)
{
    for (size_t i = 0; i < d->n; i++)
        if (!strcmp(d->values[i], v))
            return (long)i;
    return -1;
}

int maps_record_dots(maps_dots *d, const mg_style_layer *sl,
                     const char *const *vals, const mg_rgba *fill, size_t n)
{
    if (d->used)
        return MG_OK;
    d->used = 1;
    d->other = sl->field ? sl->other : sl->fill;
    d->outline = sl->outline;
    d->outline_width = sl->outline_width;
    d->radius = sl->radius;
    if (sl->field && !(d->field = strdup(sl->field)))
        return MG_ERR_NOMEM;
    d->values = calloc(n + 1, sizeof *d->values);
    d->colours = calloc(n + 1, sizeof *d->colours);
    if (!d->values || !d->colours)
        return MG_ERR_NOMEM;
    for (size_t i = 0; i < n && sl->field; i++) {
        /* a value the layer lists or its palette takes has its own colour;
         * the rest (and NULL) are "other" */
        int listed = vals[i] && memcmp(&fill[i], &sl->other, sizeof fill[i]);
        if (!listed) {
            d->has_other = 1;
            continue;
        }
        if (dot_index(d, vals[i]) >= 0)
            continue;
        if (!(d->values[d->n] = strdup(vals[i])))
            return MG_ERR_NOMEM;
        d->colours[d->n++] = fill[i];
    }
    return MG_OK;
}

/* ---- field titles and descriptions -------------------------------------- */

typedef struct field_text {
    const char *prefix; /* the name, or its start when it ends in '_' */
    const char *title;  /* "%s": the rest of the name */
    const char *description;
} field_text;

/* Longer prefixes first: the first that matches wins. */
static const field_text field_texts[] = {
    {"code", "Code", "the region's code as the boundaries write it"},
    {"name", "Name", "the name"},
    {"parent_code", "Parent region", "the code of the region it lies in"},
    {"parent_name", "Parent region (register)", "the parent region the record names"},
    {"area_km2", "Area (km²)", "area in an equal-area projection"},
    {"has_recipients", "Has recipients", "1 when a recipients row matched the region"},
    {"population", "Target population", "the recipients table's population"},
    {"need_per10k_", "Need per 10,000: %s", "need per 10,000 of the target population"},
    {"supply_per10k_", "Places per 10,000: %s", "supply per 10,000 of the target population"},
    {"gap_per10k_", "Unmet need per 10,000: %s", "unmet need per 10,000 of the target population"},
    {"access_gap_per10k_", "Accessible unmet need per 10,000: %s", "need minus accessible supply, per 10,000"},
    {"access_gap_", "Accessible unmet need: %s", "need minus the supply within reach, where positive"},
    {"access_", "Accessibility: %s", "capacity within reach per unit of need (2SFCA)"},
    {"need_", "Need: %s", "recipients weighted by the model's matrix (people)"},
    {"supply_", "Places: %s", "the capacity of the providers in the region"},
    {"gap_", "Unmet need: %s", "need minus supply where positive (people)"},
    {"coverage_", "Coverage: %s", "supply / need; NULL where need is 0"},
    {"providers_", "Providers: %s", "the number of providers in the region"},
    {"class_", "Class on map %s", "1 = the first class of the map's legend; the breaks are in maps.json (classification)"},
    {"poverty_index", "Poverty index", "0-100, 100 = poorest"},
    {"poverty_grade", "Poverty grade", "1 to k, k = poorest"},
    {"poverty_rank", "Poverty rank", "1 = poorest; ties share a rank"},
    {"poverty_rank_in_parent", "Poverty rank in parent", "rank among the regions of the parent region"},
    {"poverty_indicators", "Poverty indicators", "indicators the score rests on"},
    {"dim_", "Dimension %s", "dimension score (0-100, 100 = poorest), grade or rank"},
    {"af_", "Alkire-Foster %s", "Alkire-Foster figure (docs/poverty.md)"},
    {"category_source", "Category (register)", "the category as the register writes it"},
    {"category", "Category", "the model's service category; NULL when not in the model"},
    {"capacity_source", "Capacity (register)", "the capacity as the register writes it"},
    {"capacity", "Capacity (places)", "places, as read"},
    {"region_code", "Region code", "the code of the region the point lies in"},
    {"region_name", "Region", "the name of the region the point lies in"},
    {"placement", "Placement", "how the point was placed in a region"},
    {"source_fid", "Source row", "the feature id or data row of the source"},
    {"method", "Method", "mclp (maximal covering) or pmedian"},
    {"rank", "Rank", "order in which the method chose the site"},
    {"candidate", "Candidate", "the candidate site's id"},
    {"lon", "Longitude", "degrees, WGS 84"},
    {"lat", "Latitude", "degrees, WGS 84"},
    {"radius", "Radius (km)", "the coverage radius"},
    {"need_covered", "Need covered", "need within the radius"},
    {"cumulative_need_covered", "Need covered, cumulative", "need covered by this and the earlier sites"},
    {"regions_served", "Regions served", "regions within the radius"},
    {"mean_distance", "Mean distance (km)", "need-weighted mean distance"},
    {"served_codes", "Codes served", "codes of the regions served"},
};

/* The title (into title) and description of a field; the name itself and
 * no description when unknown. */
static const char *describe(const char *field, char *title, size_t size)
{
    for (size_t i = 0; i < sizeof field_texts / sizeof *field_texts; i++) {
        const field_text *t = &field_texts[i];
        size_t n = strlen(t->prefix);
        int prefix = t->prefix[n - 1] == '_';
        if (prefix ? strncmp(field, t->prefix, n) || !field[n]
                   : strcmp(field, t->prefix))
            continue;
        if (prefix)
            snprintf(title, size, t->title, field + n);
        else
            snprintf(title, size, "%s", t->title);
        return t->description;
    }
    snprintf(title, size, "%s", field);
    return NULL;
}

void maps_field_title(const char *field, char *title, size_t size)
{
    describe(field, title, size);
}

/* describe() with the model's recipient groups, which the project names. */
static const char *describe_in(const mg_dataset *d, const char *field,
                               char *title, size_t size)
{
    const mg_model_spec *m = &d->project->model;
    for (size_t g = 0; g < m->n_groups; g++)
        if (!strcmp(field, m->groups[g])) {
            snprintf(title, size, "Recipients: %s", field);
            return "recipients of this group (the recipients table)";
        }
    return describe(field, title, size);
}

/* ---- SQL ----------------------------------------------------------------- */

/* The layer of the GeoPackage schema extension (GeoPackage 1.3, F.9) and
 * QGIS's layer_styles, as QGIS itself creates it. */
static const char schema_sql[] =
    "CREATE TABLE IF NOT EXISTS gpkg_data_columns (table_name TEXT NOT NULL,"
    " column_name TEXT NOT NULL, name TEXT, title TEXT, description TEXT,"
    " mime_type TEXT, constraint_name TEXT,"
    " CONSTRAINT pk_gdc PRIMARY KEY (table_name, column_name),"
    " CONSTRAINT gdc_tn UNIQUE (table_name, name));"
    "CREATE TABLE IF NOT EXISTS gpkg_data_column_constraints ("
    " constraint_name TEXT NOT NULL, constraint_type TEXT NOT NULL,"
    " value TEXT, min NUMERIC, min_is_inclusive BOOLEAN, max NUMERIC,"
    " max_is_inclusive BOOLEAN, description TEXT,"
    " CONSTRAINT gdcc_ntv UNIQUE (constraint_name, constraint_type, value));"
    "INSERT OR IGNORE INTO gpkg_extensions (table_name, column_name,"
    " extension_name, definition, scope) VALUES"
    " ('gpkg_data_columns', NULL, 'gpkg_schema',"
    "  'http://www.geopackage.org/spec/#extension_schema', 'read-write'),"
    " ('gpkg_data_column_constraints', NULL, 'gpkg_schema',"
    "  'http://www.geopackage.org/spec/#extension_schema', 'read-write');"
    "CREATE TABLE IF NOT EXISTS layer_styles (id INTEGER PRIMARY KEY"
    " AUTOINCREMENT, f_table_catalog TEXT(256), f_table_schema TEXT(256),"
    " f_table_name TEXT(256), f_geometry_column TEXT(256),"
    " styleName TEXT(30), styleQML TEXT, styleSLD TEXT,"
    " useAsDefault BOOLEAN, description TEXT, owner TEXT(30), ui TEXT(30),"
    " update_time DATETIME DEFAULT CURRENT_TIMESTAMP);"
    "INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier,"
    " description, last_change) VALUES ('layer_styles', 'attributes',"
    " 'layer_styles', 'QGIS layer styles (QML and SLD)',"
    " '2000-01-01T00:00:00.000Z');";

/* Rows of gpkg_data_columns for every column of every feature table. */
static const char columns_sql[] =
    "SELECT c.table_name, p.name FROM gpkg_contents c,"
    " pragma_table_info(c.table_name) p WHERE c.data_type = 'features'"
    " AND p.pk = 0 AND p.name NOT IN (SELECT column_name FROM"
    " gpkg_geometry_columns g WHERE g.table_name = c.table_name)"
    " ORDER BY c.table_name, p.cid";

static int write_data_columns(sqlite3 *db, const mg_dataset *d)
{
    sqlite3_stmt *q = NULL, *ins = NULL;
    int rc = sqlite3_prepare_v2(db, columns_sql, -1, &q, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(
            db,
            "INSERT OR REPLACE INTO gpkg_data_columns (table_name,"
            " column_name, name, title, description) VALUES (?, ?, ?, ?, ?)",
            -1, &ins, NULL);
    while (rc == SQLITE_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(q, 0);
        const char *c = (const char *)sqlite3_column_text(q, 1);
        char title[160];
        const char *desc = describe_in(d, c ? c : "", title, sizeof title);
        sqlite3_bind_text(ins, 1, t, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins, 2, c, -1, SQLITE_TRANSIENT);
        /* GDAL reads "name" as the field's alternative name, which QGIS
         * shows as its alias: the title, unique per table */
        sqlite3_bind_text(ins, 3, title, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins, 4, title, -1, SQLITE_TRANSIENT);
        if (desc)
            sqlite3_bind_text(ins, 5, desc, -1, SQLITE_STATIC);
        else
            sqlite3_bind_null(ins, 5);
        rc = sqlite3_step(ins);
        rc = rc == SQLITE_DONE ? sqlite3_reset(ins) : rc;
    }
    sqlite3_finalize(q);
    sqlite3_finalize(ins);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* ---- layer_styles --------------------------------------------------------- */

typedef struct alias_row {
    char field[128];
    char title[160];
} alias_row;

/* The titles of table's columns as QML aliases: *out (free()) and *n. */
static int table_aliases(sqlite3 *db, const mg_dataset *d, const char *table,
                         alias_row **out, mg_qgis_alias **aliases, size_t *n)
{
    sqlite3_stmt *q = NULL;
    *out = NULL;
    *aliases = NULL;
    *n = 0;
    int rc = sqlite3_prepare_v2(db, "SELECT name FROM pragma_table_info(?)",
                                -1, &q, NULL);
    size_t cap = 0;
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(q, 1, table, -1, SQLITE_TRANSIENT);
    while (rc == SQLITE_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? 2 * cap : 64;
            alias_row *r = realloc(*out, cap * sizeof *r);
            if (!r) {
                rc = SQLITE_NOMEM;
                break;
            }
            *out = r;
        }
        alias_row *r = &(*out)[(*n)++];
        const char *c = (const char *)sqlite3_column_text(q, 0);
        snprintf(r->field, sizeof r->field, "%s", c ? c : "");
        describe_in(d, r->field, r->title, sizeof r->title);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(q);
    if (rc == SQLITE_DONE && !(*aliases = calloc(*n + 1, sizeof **aliases)))
        rc = SQLITE_NOMEM;
    for (size_t i = 0; *aliases && i < *n; i++)
        (*aliases)[i] = (mg_qgis_alias){(*out)[i].field, (*out)[i].title};
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* One row of layer_styles for style s (its layer and name); the time is
 * fixed so that the file's bytes do not depend on when it was written. */
static int insert_style(sqlite3 *db, const mg_dataset *d, mg_qgis_style *s,
                        const char *about)
{
    alias_row *rows;
    mg_qgis_alias *aliases;
    size_t n;
    int rc = table_aliases(db, d, s->layer, &rows, &aliases, &n);
    s->aliases = aliases;
    s->n_aliases = n;
    char *qml = rc == SQLITE_OK ? mg_qgis_qml(s) : NULL;
    char *sld = qml ? mg_qgis_sld(s) : NULL;
    if (rc == SQLITE_OK && !sld)
        rc = SQLITE_NOMEM;
    sqlite3_stmt *ins = NULL;
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(
            db,
            "INSERT INTO layer_styles (f_table_catalog, f_table_schema,"
            " f_table_name, f_geometry_column, styleName, styleQML, styleSLD,"
            " useAsDefault, description, owner, ui, update_time) VALUES"
            " ('', '', ?1, (SELECT column_name FROM gpkg_geometry_columns"
            " WHERE table_name = ?1), ?2, ?3, ?4, 0, ?5, 'mapgen', NULL,"
            " '2000-01-01T00:00:00.000Z')",
            -1, &ins, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(ins, 1, s->layer, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins, 2, s->name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins, 3, qml, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins, 4, sld, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins, 5, about, -1, SQLITE_TRANSIENT);
        rc = sqlite3_step(ins);
        rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
    }
    sqlite3_finalize(ins);
    free(qml);
    free(sld);
    free(aliases);
    free(rows);
    return rc;
}

/* The style of a classified map: class_<map> = 1..k, the rest no data. */
static int class_style(sqlite3 *db, const mg_dataset *d, const map_item *x)
{
    char layer[160], column[96], about[300];
    if (x->class_level == 0)
        snprintf(layer, sizeof layer, "regions");
    else
        snprintf(layer, sizeof layer, "regions_%s",
                 d->levels[x->class_level].level);
    maps_class_column(x, column, sizeof column);
    char values[MG_CLASSES_MAX][16];
    mg_qgis_category cats[MG_CLASSES_MAX + 1];
    int k = x->n_classes;
    for (int i = 0; i < k; i++) {
        snprintf(values[i], sizeof values[i], "%d", i + 1);
        cats[i] = (mg_qgis_category){values[i], x->class_labels[i],
                                     x->class_colours[i]};
    }
    cats[k] = (mg_qgis_category){NULL, "No data", x->class_no_data};
    const char *title = x->title ? x->title : x->style->title;
    snprintf(about, sizeof about, "map %s: %s", x->name,
             title ? title : x->name);
    mg_qgis_style s = {.layer = layer, .name = x->name, .field = column,
                       .outline = x->class_outline,
                       .outline_width = x->class_outline_width,
                       .categories = cats, .n = (size_t)k + 1};
    return insert_style(db, d, &s, about);
}

/* The style of a points layer from its colours on one map. */
static int dots_style(sqlite3 *db, const mg_dataset *d, const char *layer,
                      const map_item *x,
                      const maps_dots *dots, const char *single)
{
    mg_qgis_category *cats = calloc(dots->n + 2, sizeof *cats);
    if (!cats)
        return SQLITE_NOMEM;
    size_t n = 0;
    for (size_t i = 0; dots->field && i < dots->n; i++)
        cats[n++] = (mg_qgis_category){dots->values[i], dots->values[i],
                                       dots->colours[i]};
    if (!dots->field || dots->has_other)
        cats[n++] = (mg_qgis_category){NULL, dots->field ? "Other" : single,
                                       dots->other};
    char about[200];
    snprintf(about, sizeof about, "as on map %s", x->name);
    mg_qgis_style s = {.layer = layer, .name = x->name, .field = dots->field,
                       .points = 1, .radius = dots->radius,
                       .outline = dots->outline,
                       .outline_width = dots->outline_width,
                       .categories = cats, .n = n};
    int rc = insert_style(db, d, &s, about);
    free(cats);
    return rc;
}

/* The map whose dots of kind (providers 0, sites 1) style the layer: the
 * one named prefer, else the first that drew them. */
static const map_item *dots_map(const mg_maps *m, int sites,
                                const char *prefer)
{
    const map_item *first = NULL;
    for (size_t i = 0; m && i < m->n; i++) {
        const map_item *x = &m->items[i];
        const maps_dots *d = sites ? &x->sites : &x->providers;
        if (x->skip || !d->used)
            continue;
        if (!strcmp(x->name, prefer))
            return x;
        if (!first)
            first = x;
    }
    return first;
}

/* The base map's outline of parent regions (its "parent_regions" layer),
 * else a mid grey 1 px. */
static void base_outline(const mg_maps *m, mg_rgba *c, double *w)
{
    *c = (mg_rgba){0x8f, 0x8b, 0x80, 255};
    *w = 1.0;
    for (size_t i = 0; m && i < m->n; i++) {
        const map_item *x = &m->items[i];
        for (size_t k = 0; x->is_base && !x->skip && k < x->style->n_layers;
             k++)
            if (!strcmp(x->style->layers[k].source, "parent_regions")) {
                *c = x->style->layers[k].outline;
                *w = x->style->layers[k].outline_width;
            }
    }
}

/* Region layers no map classifies (parent levels, mostly): their outlines
 * as the base map draws them, over a transparent fill. */
static int outline_styles(sqlite3 *db, const mg_maps *m, const mg_dataset *d)
{
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(
        db,
        "SELECT table_name FROM gpkg_contents WHERE data_type = 'features'"
        " AND table_name LIKE 'regions%' AND table_name NOT IN"
        " (SELECT f_table_name FROM layer_styles) ORDER BY table_name",
        -1, &q, NULL);
    char **tables = NULL;
    size_t n = 0;
    while (rc == SQLITE_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        char **t = realloc(tables, (n + 1) * sizeof *t);
        const char *name = (const char *)sqlite3_column_text(q, 0);
        if (!t || !(t[n] = strdup(name ? name : ""))) {
            tables = t ? t : tables;
            rc = SQLITE_NOMEM;
            break;
        }
        tables = t;
        n++;
        rc = SQLITE_OK;
    }
    sqlite3_finalize(q);
    rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
    mg_qgis_category none = {NULL, "Region", {0, 0, 0, 0}};
    mg_qgis_style s = {.name = "outlines", .categories = &none, .n = 1};
    base_outline(m, &s.outline, &s.outline_width);
    for (size_t i = 0; rc == SQLITE_OK && i < n; i++) {
        s.layer = tables[i];
        rc = insert_style(db, d, &s, "region outlines, as on the base map");
    }
    for (size_t i = 0; i < n; i++)
        free(tables[i]);
    free(tables);
    return rc;
}

static int write_styles(sqlite3 *db, const mg_maps *m, const mg_dataset *d)
{
    int rc = SQLITE_OK;
    /* "needs" first, so that it is the regions' default */
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; rc == SQLITE_OK && m && i < m->n; i++) {
            const map_item *x = &m->items[i];
            int needs = !strcmp(x->name, "needs");
            if (!x->skip && x->has_classes && needs == (pass == 0))
                rc = class_style(db, d, x);
        }
    const map_item *p = dots_map(m, 0, "services");
    if (rc == SQLITE_OK && p)
        rc = dots_style(db, d, "providers", p, &p->providers, "Provider");
    const map_item *s = dots_map(m, 1, "needs");
    if (rc == SQLITE_OK && s)
        rc = dots_style(db, d, "sites", s, &s->sites, "Recommended site");
    if (rc == SQLITE_OK && m)
        rc = outline_styles(db, m, d);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db,
                          "UPDATE layer_styles SET useAsDefault = 1 WHERE id"
                          " IN (SELECT min(id) FROM layer_styles GROUP BY"
                          " f_table_name)",
                          NULL, NULL, NULL);
    return rc;
}

int mg_gpkg_write_qgis(const mg_maps *m, const mg_dataset *d,
                       const char *path, mg_error *err)
{
    static const char doing[] = "cannot write the QGIS styles";
    sqlite3 *db = NULL;
    int rc = mg_sqlite_open(path, SQLITE_OPEN_READWRITE, &db, err);
    if (rc)
        return rc;
    rc = mg_sqlite_exec(db, "BEGIN", path, doing, err);
    if (!rc)
        rc = mg_sqlite_exec(db, schema_sql, path, doing, err);
    int e = rc ? SQLITE_OK : write_data_columns(db, d);
    if (e == SQLITE_OK && !rc)
        e = write_styles(db, m, d);
    if (e != SQLITE_OK && !rc)
        rc = mg_sqlite_error(db, e, path, doing, err);
    if (!rc)
        rc = mg_sqlite_exec(db, "COMMIT", path, doing, err);
    sqlite3_close(db);
    return rc;
}
