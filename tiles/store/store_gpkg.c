/* GeoPackage tile tables: the tiles of a finished MBTiles file copied into
 * a GeoPackage in one transaction (OGC GeoPackage 1.2+ tiles, EPSG:3857,
 * the GoogleMapsCompatible matrix set). */
#include "store_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* What a failed statement was doing, for its one-line message. */
#define WRITE_TABLE "cannot write the tile table"

/* GDAL's WKT for EPSG:3857, as it writes it into gpkg_spatial_ref_sys. */
static const char wkt_3857[] =
    "PROJCS[\"WGS 84 / Pseudo-Mercator\",GEOGCS[\"WGS 84\",DATUM["
    "\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563,AUTHORITY["
    "\"EPSG\",\"7030\"]],AUTHORITY[\"EPSG\",\"6326\"]],PRIMEM[\"Greenwich\","
    "0,AUTHORITY[\"EPSG\",\"8901\"]],UNIT[\"degree\",0.0174532925199433,"
    "AUTHORITY[\"EPSG\",\"9122\"]],AUTHORITY[\"EPSG\",\"4326\"]],"
    "PROJECTION[\"Mercator_1SP\"],PARAMETER[\"central_meridian\",0],"
    "PARAMETER[\"scale_factor\",1],PARAMETER[\"false_easting\",0],"
    "PARAMETER[\"false_northing\",0],UNIT[\"metre\",1,AUTHORITY[\"EPSG\","
    "\"9001\"]],AXIS[\"Easting\",EAST],AXIS[\"Northing\",NORTH],EXTENSION["
    "\"PROJ4\",\"+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 "
    "+x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +wktext +no_defs\"],"
    "AUTHORITY[\"EPSG\",\"3857\"]]";

/* Runs sql once with its parameters bound from the arguments, one per
 * letter of types: 'i' int, 'd' double, 't' text (NULL binds NULL).  When
 * row is not NULL, *row is set to the first column of the first result row
 * (or -1 when there is none). */
static int run(sqlite3 *db, const char *path, mg_error *err, long long *row,
               const char *sql, const char *types, ...)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    va_list ap;
    va_start(ap, types);
    for (int i = 0; rc == SQLITE_OK && types[i]; i++) {
        if (types[i] == 'i')
            rc = sqlite3_bind_int64(st, i + 1, va_arg(ap, long long));
        else if (types[i] == 'd')
            rc = sqlite3_bind_double(st, i + 1, va_arg(ap, double));
        else
            rc = sqlite3_bind_text(st, i + 1, va_arg(ap, const char *), -1,
                                   SQLITE_TRANSIENT);
    }
    va_end(ap);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (row)
        *row = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        return MG_OK;
    return mg_sqlite_error(db, rc, path, "cannot update the GeoPackage", err);
}

static int table_exists(sqlite3 *db, const char *path, const char *schema,
                        const char *name, int *exists, mg_error *err)
{
    char sql[128];
    long long found;
    snprintf(sql, sizeof sql,
             "SELECT 1 FROM %s.sqlite_master WHERE "
             "lower(name) = lower(?1)",
             schema);
    int rc = run(db, path, err, &found, sql, "t", name);
    *exists = found == 1;
    return rc;
}

/* Checks that db is a GeoPackage and whether it has a tile table named
 * table (*exists = 1); any other table of that name is an error. */
static int check_gpkg(sqlite3 *db, const char *path, const char *table,
                      int *exists, mg_error *err)
{
    long long app, is_tiles;
    int has_contents = 0,
        rc = run(db, path, err, &app, "PRAGMA application_id", "");
    if (!rc)
        rc = table_exists(db, path, "main", "gpkg_contents", &has_contents,
                          err);
    if (!rc && (!has_contents ||
                (app != 0x47504B47 && app != 0x47503130 && app != 0x47503131)))
        rc = mg_error_set(err, MG_ERR_OUTPUT, path, -1, NULL,
                          "not a GeoPackage");
    if (!rc)
        rc = table_exists(db, path, "main", table, exists, err);
    if (!rc && *exists)
        rc = run(db, path, err, &is_tiles,
                 "SELECT 1 FROM gpkg_contents "
                 "WHERE lower(table_name) = lower(?1) AND "
                 "data_type = 'tiles'",
                 "t", table);
    if (!rc && *exists && is_tiles != 1)
        rc = mg_error_set(err, MG_ERR_OUTPUT, path, -1, table,
                          "the GeoPackage has a table of this name that "
                          "is not a tile table; choose another map name");
    return rc;
}

/* Checks the GeoPackage and the tile table (exists: *exists = 1) before
 * a GeoPackage store opens its sidecar. */
static int gpkg_exists(mg_store *s, int *exists, mg_error *err)
{
    const char *gpkg = s->final_path, *table = s->info.name;
    sqlite3 *db = NULL;
    *exists = 0;
    if (!store_exists(gpkg))
        return mg_error_set(err, MG_ERR_OUTPUT, gpkg, -1, NULL,
                            "no GeoPackage here (its vector layers are "
                            "written before its tiles)");
    int rc = mg_sqlite_open(gpkg, SQLITE_OPEN_READONLY, &db, err);
    if (!rc)
        rc = check_gpkg(db, gpkg, table, exists, err);
    sqlite3_close(db);
    return rc;
}

/* Drops a tile table and every row that describes it. */
static int drop_tiles(sqlite3 *db, const char *path, const char *table,
                      mg_error *err)
{
    static const char *const describing[] = {
        "gpkg_tile_matrix", "gpkg_tile_matrix_set", "gpkg_extensions",
        "gpkg_metadata_reference", "gpkg_contents"};
    char sql[320];
    snprintf(sql, sizeof sql, "DROP TABLE \"%s\"", table);
    int rc = run(db, path, err, NULL, sql, "");
    for (size_t i = 0; !rc && i < sizeof describing / sizeof *describing;
         i++) {
        int exists = 0;
        rc = table_exists(db, path, "main", describing[i], &exists, err);
        snprintf(sql, sizeof sql,
                 "DELETE FROM %s WHERE lower(table_name) "
                 "= lower(?1)",
                 describing[i]);
        if (!rc && exists)
            rc = run(db, path, err, NULL, sql, "t", table);
    }
    return rc;
}

/* The srs_id of EPSG:3857, added when the GeoPackage lacks it. */
static int srs_3857(sqlite3 *db, const char *path, long long *srs_id,
                    mg_error *err)
{
    int rc = run(db, path, err, srs_id,
                 "SELECT srs_id FROM "
                 "gpkg_spatial_ref_sys WHERE upper(organization) = 'EPSG' "
                 "AND organization_coordsys_id = 3857",
                 "");
    if (rc || *srs_id != -1)
        return rc;
    *srs_id = 3857;
    return run(db, path, err, NULL,
               "INSERT INTO gpkg_spatial_ref_sys "
               "(srs_name, srs_id, organization, organization_coordsys_id, "
               "definition, description) VALUES ('WGS 84 / Pseudo-Mercator',"
               " 3857, 'EPSG', 3857, ?1, 'Spherical mercator of web maps')",
               "t", wkt_3857);
}

static int add_contents(sqlite3 *db, const char *path,
                        const mg_tileset_info *in, long long srs_id,
                        mg_error *err)
{
    double b[4], x0, y0, x1, y1;
    long long taken;
    store_bounds(in, b);
    mg_tiles_project_lonlat(b[0], b[1], &x0, &y0);
    mg_tiles_project_lonlat(b[2], b[3], &x1, &y1);
    /* identifier is UNIQUE: fall back to the map name when the title is
     * some other content's identifier already. */
    int rc = run(db, path, err, &taken,
                 "SELECT 1 FROM gpkg_contents WHERE "
                 "identifier = ?1",
                 "t", in->title);
    if (!rc)
        rc = run(db, path, err, NULL,
                 "INSERT INTO gpkg_contents "
                 "(table_name, data_type, identifier, description, min_x, "
                 "min_y, max_x, max_y, srs_id) VALUES (?1, 'tiles', ?2, ?3, "
                 "?4, ?5, ?6, ?7, ?8)",
                 "tttddddi", in->name, taken == 1 ? in->name : in->title,
                 in->description, x0, y0, x1, y1, srs_id);
    return rc;
}

static int add_matrices(sqlite3 *db, const char *path,
                        const mg_tileset_info *in, long long srs_id,
                        mg_error *err)
{
    const double h = MG_TILES_HALF_WORLD;
    int rc = run(db, path, err, NULL,
                 "INSERT INTO gpkg_tile_matrix_set "
                 "(table_name, srs_id, min_x, min_y, max_x, max_y) VALUES "
                 "(?1, ?2, ?3, ?4, ?5, ?6)",
                 "tidddd", in->name, srs_id, -h, -h, h, h);
    for (int z = in->minzoom; !rc && z <= in->maxzoom; z++) {
        long long n = 1LL << z;
        double pixel = 2 * h / ((double)n * in->tile_size);
        rc = run(db, path, err, NULL,
                 "INSERT INTO gpkg_tile_matrix "
                 "(table_name, zoom_level, matrix_width, matrix_height, "
                 "tile_width, tile_height, pixel_x_size, pixel_y_size) "
                 "VALUES (?1, ?2, ?3, ?3, ?4, ?4, ?5, ?5)",
                 "tiiid", in->name, (long long)z, n, (long long)in->tile_size,
                 pixel);
    }
    return rc;
}

/* mg_flip_row(z, row): mg_tiles_flip_row() for SQL, so the one helper
 * turns MBTiles' TMS rows into GeoPackage's top-left rows. */
static void flip_row_sql(sqlite3_context *c, int argc, sqlite3_value **v)
{
    (void)argc;
    sqlite3_int64 z = sqlite3_value_int64(v[0]);
    sqlite3_int64 y = sqlite3_value_int64(v[1]);
    uint32_t row = UINT32_MAX;
    if (z >= 0 && z <= MG_TILES_MAX_ZOOM && y >= 0 && y < UINT32_MAX)
        row = mg_tiles_flip_row((int)z, (uint32_t)y);
    if (row == UINT32_MAX)
        sqlite3_result_error(c, "tile row outside the grid", -1);
    else
        sqlite3_result_int64(c, row);
}

static int copy_tiles(sqlite3 *db, const char *path, const mg_tileset_info *in,
                      mg_error *err)
{
    char sql[640];
    snprintf(sql, sizeof sql,
             "CREATE TABLE \"%s\" (id INTEGER PRIMARY KEY AUTOINCREMENT, "
             "zoom_level INTEGER NOT NULL, tile_column INTEGER NOT NULL, "
             "tile_row INTEGER NOT NULL, tile_data BLOB NOT NULL, "
             "UNIQUE (zoom_level, tile_column, tile_row))",
             in->name);
    int rc = run(db, path, err, NULL, sql, "");
    snprintf(sql, sizeof sql,
             "INSERT INTO \"%s\" (zoom_level, tile_column, tile_row, "
             "tile_data) SELECT zoom_level, tile_column, "
             "mg_flip_row(zoom_level, tile_row), tile_data FROM src.tiles "
             "WHERE zoom_level BETWEEN ?1 AND ?2 ORDER BY zoom_level, "
             "tile_column, tile_row",
             in->name);
    if (!rc)
        rc = run(db, path, err, NULL, sql, "ii", (long long)in->minzoom,
                 (long long)in->maxzoom);
    return rc;
}

/* Everything inside the one transaction. */
static int write_table(sqlite3 *db, const char *gpkg,
                       const mg_tileset_info *info, int force, mg_error *err)
{
    int exists = 0, has_tiles = 0;
    long long srs_id;
    int rc = check_gpkg(db, gpkg, info->name, &exists, err);
    if (!rc && exists && !force)
        rc = mg_error_set(err, MG_ERR_OUTPUT, gpkg, -1, info->name,
                          "the tile table exists already; use --force to "
                          "replace it");
    if (!rc)
        rc = table_exists(db, gpkg, "src", "tiles", &has_tiles, err);
    if (!rc && !has_tiles)
        rc = mg_error_set(err, MG_ERR_INPUT, gpkg, -1, NULL,
                          "the tiles to copy are not an MBTiles file");
    if (!rc && exists)
        rc = drop_tiles(db, gpkg, info->name, err);
    if (!rc)
        rc = srs_3857(db, gpkg, &srs_id, err);
    if (!rc)
        rc = add_contents(db, gpkg, info, srs_id, err);
    if (!rc)
        rc = add_matrices(db, gpkg, info, srs_id, err);
    if (!rc)
        rc = copy_tiles(db, gpkg, info, err);
    return rc;
}

int mg_store_copy_to_gpkg(const char *mbtiles, const char *gpkg,
                          const mg_tileset_info *info, int force,
                          mg_error *err)
{
    if (!mbtiles || !gpkg || !info)
        return mg_error_set(err, MG_ERR_USAGE, gpkg, -1, NULL,
                            "mg_store_copy_to_gpkg: missing argument");
    const char *why = store_info_problem(info);
    if (why)
        return mg_error_set(err, MG_ERR_USAGE, gpkg, -1, NULL, "%s", why);
    if (!store_exists(mbtiles))
        return mg_error_set(err, MG_ERR_INPUT, mbtiles, -1, NULL,
                            "no such MBTiles file");
    if (!store_exists(gpkg))
        return mg_error_set(err, MG_ERR_OUTPUT, gpkg, -1, NULL,
                            "no GeoPackage here (its vector layers are "
                            "written before its tiles)");
    sqlite3 *db = NULL;
    int rc = mg_sqlite_open(gpkg, SQLITE_OPEN_READWRITE, &db, err);
    if (rc)
        return rc;
    /* Checked before the source is attached too, so that a file that is
     * no GeoPackage is named as such rather than failing later. */
    int exists = 0;
    rc = check_gpkg(db, gpkg, info->name, &exists, err);
    if (rc) {
        sqlite3_close(db);
        return rc;
    }
    mg_sqlite_watch_interrupt(db);
    int sq = sqlite3_create_function(db, "mg_flip_row", 2,
                                     SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                                     flip_row_sql, NULL, NULL);
    rc = sq == SQLITE_OK ? MG_OK
                         : mg_sqlite_error(db, sq, gpkg,
                                           "cannot register "
                                           "a function",
                                           err);
    if (!rc)
        rc = run(db, gpkg, err, NULL, "ATTACH DATABASE ?1 AS src", "t",
                 mbtiles);
    if (!rc)
        rc = mg_sqlite_exec(db, "BEGIN IMMEDIATE", gpkg, WRITE_TABLE, err);
    if (!rc) {
        rc = write_table(db, gpkg, info, force, err);
        rc = rc ? rc : mg_sqlite_exec(db, "COMMIT", gpkg, WRITE_TABLE, err);
        if (rc)
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    }
    sqlite3_close(db); /* detaches src */
    return rc;
}

/* The GeoPackage kind: finish the sidecar, copy it into the GeoPackage in
 * one transaction, then drop the sidecar. */
static int gpkg_close(mg_store *s, mg_error *err)
{
    int rc = mbtiles_finish(s, err);
    if (!rc)
        rc = mg_store_copy_to_gpkg(s->partial_path, s->final_path, &s->info,
                                   s->replace, err);
    if (!rc)
        mbtiles_remove(s->partial_path);
    return rc;
}

/* Tiles go to a sidecar MBTiles database beside the GeoPackage until
 * close copies them in. */
const mg_store_methods store_gpkg_methods = {
    .name = "gpkg",
    .partial_suffix = ".%s.tiles.partial",
    .exists = gpkg_exists,
    .open = mbtiles_open,
    .has = mbtiles_has,
    .put = mbtiles_put,
    .finish = gpkg_close,
    .release = mbtiles_release,
};
