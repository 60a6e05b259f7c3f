/* The recommended sites as a GeoPackage layer and as CSV. */
#include "internal.h"

#include <cpl_error.h>
#include <cpl_string.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Fields of the layer and columns of the CSV, in order. */
static const struct {
    const char *name;
    OGRFieldType type;
} site_fields[] = {
    {"method", OFTString},
    {"category", OFTString},
    {"rank", OFTInteger},
    {"candidate", OFTString},
    {"name", OFTString},
    {"region_code", OFTString},
    {"region_name", OFTString},
    {"lon", OFTReal},
    {"lat", OFTReal},
    {"capacity", OFTReal},
    {"radius", OFTReal},
    {"need", OFTString},
    {"need_covered", OFTReal},
    {"cumulative_need_covered", OFTReal},
    {"regions_served", OFTInteger},
    {"mean_distance", OFTReal},
    {"served_codes", OFTString},
    {"solver", OFTString},
    {"gap", OFTReal},
};
enum { N_SITE_FIELDS = sizeof site_fields / sizeof *site_fields };

static void set_real(OGRFeatureH f, int i, double v)
{
    if (isnan(v))
        OGR_F_SetFieldNull(f, i);
    else
        OGR_F_SetFieldDouble(f, i, v);
}

static void set_text(OGRFeatureH f, int i, const char *s)
{
    if (s)
        OGR_F_SetFieldString(f, i, s);
    else
        OGR_F_SetFieldNull(f, i);
}

static int write_site(OGRLayerH l, const mg_site *s)
{
    OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(l));
    set_text(f, 0, s->method);
    set_text(f, 1, s->category);
    OGR_F_SetFieldInteger(f, 2, s->rank);
    set_text(f, 3, s->candidate);
    set_text(f, 4, s->name);
    set_text(f, 5, s->region_code);
    set_text(f, 6, s->region_name);
    set_real(f, 7, s->lon);
    set_real(f, 8, s->lat);
    set_real(f, 9, s->capacity);
    set_real(f, 10, s->radius);
    set_text(f, 11, s->need);
    set_real(f, 12, s->need_covered);
    set_real(f, 13, s->cumulative);
    OGR_F_SetFieldInteger(f, 14, (int)s->regions_served);
    set_real(f, 15, s->mean_distance);
    set_text(f, 16, s->served_codes);
    set_text(f, 17, s->solver);
    set_real(f, 18, s->gap);
    OGRGeometryH g = OGR_G_CreateGeometry(wkbPoint);
    OGR_G_SetPoint_2D(g, 0, s->lon, s->lat);
    OGR_F_SetGeometryDirectly(f, g);
    OGRErr e = OGR_L_CreateFeature(l, f);
    OGR_F_Destroy(f);
    return e == OGRERR_NONE ? 0 : -1;
}

int mg_sites_write_layer(GDALDatasetH ds, void *user)
{
    const mg_sites *s = user;
    for (int i = 0; i < GDALDatasetGetLayerCount(ds); i++)
        if (strcmp(OGR_L_GetName(GDALDatasetGetLayer(ds, i)), "sites") == 0 &&
            GDALDatasetDeleteLayer(ds, i) != OGRERR_NONE)
            return -1;
    OGRSpatialReferenceH wgs = OSRNewSpatialReference(NULL);
    OSRImportFromEPSG(wgs, 4326);
    char **opts = CSLSetNameValue(NULL, "FID", "fid");
    opts = CSLSetNameValue(opts, "GEOMETRY_NAME", "geom");
    opts = CSLSetNameValue(opts, "DESCRIPTION",
                           "Recommended sites for new "
                           "services, ranked by the unmet need they cover");
    OGRLayerH l = GDALDatasetCreateLayer(ds, "sites", wgs, wkbPoint, opts);
    CSLDestroy(opts);
    OSRDestroySpatialReference(wgs);
    int bad = !l;
    for (int i = 0; !bad && i < N_SITE_FIELDS; i++) {
        OGRFieldDefnH fd =
            OGR_Fld_Create(site_fields[i].name, site_fields[i].type);
        bad = OGR_L_CreateField(l, fd, 1) != OGRERR_NONE;
        OGR_Fld_Destroy(fd);
    }
    for (size_t k = 0; !bad && k < s->n; k++)
        bad = write_site(l, &s->v[k]);
    return bad ? -1 : 0;
}

int mg_sites_write_gpkg(const mg_sites *s, const char *path, mg_error *err)
{
    int rc = mg_gpkg_edit(path, mg_sites_write_layer, (void *)s,
                          "cannot write the layer 'sites'", err);
    if (rc && err)
        snprintf(err->field, sizeof err->field, "sites");
    return rc;
}

/* People and kilometres to 2 decimals, as the ranking reports (the
 * GeoPackage's layer keeps them whole); the rest as they are. */
static void put_site(FILE *f, const mg_csv_format *fmt, const mg_site *s)
{
    mg_csv_text(f, fmt, s->method, 1);
    mg_csv_text(f, fmt, s->category, 0);
    mg_csv_num(f, fmt, (double)s->rank, 0);
    mg_csv_text(f, fmt, s->candidate, 0);
    mg_csv_text(f, fmt, s->name, 0);
    mg_csv_text(f, fmt, s->region_code, 0);
    mg_csv_text(f, fmt, s->region_name, 0);
    mg_csv_num(f, fmt, s->lon, 7);
    mg_csv_num(f, fmt, s->lat, 7);
    mg_csv_num(f, fmt, s->capacity, MG_CSV_FULL);
    mg_csv_num(f, fmt, s->radius, MG_CSV_FULL);
    mg_csv_text(f, fmt, s->need, 0);
    mg_csv_num(f, fmt, s->need_covered, 2);
    mg_csv_num(f, fmt, s->cumulative, 2);
    mg_csv_num(f, fmt, (double)s->regions_served, 0);
    mg_csv_num(f, fmt, s->mean_distance, 2);
    mg_csv_text(f, fmt, s->served_codes, 0);
    mg_csv_text(f, fmt, s->solver, 0);
    mg_csv_num(f, fmt, s->gap, MG_CSV_FULL);
    fputc('\n', f);
}

int mg_sites_write_csv(const mg_sites *s, const char *path,
                       const mg_csv_format *fmt, mg_error *err)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return mg_error_set(err, MG_ERR_OUTPUT, path, -1, NULL,
                            "cannot create the sites CSV");
    mg_csv_begin(f, fmt);
    for (int i = 0; i < N_SITE_FIELDS; i++)
        mg_csv_text(f, fmt, site_fields[i].name, i == 0);
    fputc('\n', f);
    for (size_t k = 0; s && k < s->n; k++)
        put_site(f, fmt, &s->v[k]);
    int bad = ferror(f);
    if (fclose(f) != 0 || bad)
        return mg_error_set(err, MG_ERR_OUTPUT, path, -1, NULL,
                            "write error in the sites CSV");
    return MG_OK;
}
