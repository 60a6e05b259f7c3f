/* Outputs: the GeoPackage of every figure and the ranking CSV. */
#include "internal.h"

#include <cpl_error.h>
#include <cpl_string.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int add_field(OGRLayerH l, const char *name, OGRFieldType type)
{
    OGRFieldDefnH f = OGR_Fld_Create(name, type);
    OGRErr e = OGR_L_CreateField(l, f, 1);
    OGR_Fld_Destroy(f);
    return e == OGRERR_NONE ? 0 : -1;
}

static int create_region_fields(OGRLayerH l, const mg_model_spec *m,
                                const mg_level *lv)
{
    char name[128];
    int bad = add_field(l, "code", OFTString) |
              add_field(l, "name", OFTString) |
              add_field(l, "parent_code", OFTString) |
              add_field(l, "area_km2", OFTReal) |
              add_field(l, "has_recipients", OFTInteger) |
              add_field(l, "population", OFTReal);
    for (size_t g = 0; g < m->n_groups; g++) {
        mg_field_name(name, sizeof name, "", m->groups[g]);
        bad |= add_field(l, name, OFTReal);
    }
    for (size_t i = 0; i < lv->n_inputs; i++) {
        mg_field_name(name, sizeof name, "", lv->inputs[i]);
        bad |= add_field(l, name, OFTReal);
    }
    for (size_t c = 0; c <= m->n_categories; c++)
        for (int k = 0; k < N_REGION_FIGURES; k++) {
            mg_field_name(name, sizeof name, region_figure_prefix[k],
                          c < m->n_categories ? m->categories[c] : "total");
            bad |= add_field(l, name, k == 4 ? OFTInteger : OFTReal);
        }
    for (size_t i = 0; i < lv->n_columns; i++)
        bad |= add_field(l, lv->columns[i].name,
                         lv->columns[i].is_integer ? OFTInteger64 : OFTReal);
    return bad ? -1 : 0;
}

static void set_real(OGRFeatureH f, int *i, double v)
{
    if (isnan(v))
        OGR_F_SetFieldNull(f, *i);
    else
        OGR_F_SetFieldDouble(f, *i, v);
    (*i)++;
}

static void set_text(OGRFeatureH f, int *i, const char *s)
{
    if (s)
        OGR_F_SetFieldString(f, *i, s);
    else
        OGR_F_SetFieldNull(f, *i);
    (*i)++;
}

static int write_region(OGRLayerH l, const mg_level *lv, size_t ri,
                        const mg_model_spec *m)
{
    const mg_region *r = &lv->regions[ri];
    OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(l));
    int i = 0;
    set_text(f, &i, r->code);
    set_text(f, &i, r->name);
    set_text(f, &i, r->parent_code);
    set_real(f, &i, r->area_km2);
    OGR_F_SetFieldInteger(f, i++, r->has_recipients);
    set_real(f, &i, r->population);
    for (size_t g = 0; g < m->n_groups; g++)
        set_real(f, &i, r->counts[g]);
    for (size_t k = 0; k < lv->n_inputs; k++)
        set_real(f, &i, r->inputs ? r->inputs[k] : NAN);
    for (size_t c = 0; c <= m->n_categories; c++) {
        set_real(f, &i, r->need[c]);
        set_real(f, &i, r->supply[c]);
        set_real(f, &i, r->gap[c]);
        set_real(f, &i, r->coverage[c]);
        OGR_F_SetFieldInteger(f, i++, r->n_providers[c]);
        set_real(f, &i, mg_per10k(r->need[c], r->population));
        set_real(f, &i, mg_per10k(r->supply[c], r->population));
        set_real(f, &i, mg_per10k(r->gap[c], r->population));
    }
    for (size_t k = 0; k < lv->n_columns; k++) {
        double v = lv->columns[k].values[ri];
        if (lv->columns[k].is_integer && !isnan(v))
            OGR_F_SetFieldInteger64(f, i++, (GIntBig)v);
        else
            set_real(f, &i, v);
    }
    if (r->wkb) {
        OGRGeometryH g = NULL;
        OGR_G_CreateFromWkb(r->wkb, NULL, &g, (int)r->wkb_size);
        if (g)
            OGR_F_SetGeometryDirectly(f, OGR_G_ForceToMultiPolygon(g));
    }
    OGRErr e = OGR_L_CreateFeature(l, f);
    OGR_F_Destroy(f);
    return e == OGRERR_NONE ? 0 : -1;
}

static OGRLayerH create_layer(GDALDatasetH ds, const char *name,
                              OGRwkbGeometryType type, const char *desc)
{
    OGRSpatialReferenceH wgs = OSRNewSpatialReference(NULL);
    OSRImportFromEPSG(wgs, 4326);
    char **opts = CSLSetNameValue(NULL, "FID", "fid");
    opts = CSLSetNameValue(opts, "GEOMETRY_NAME", "geom");
    opts = CSLSetNameValue(opts, "DESCRIPTION", desc);
    OGRLayerH l = GDALDatasetCreateLayer(ds, name, wgs, type, opts);
    CSLDestroy(opts);
    OSRDestroySpatialReference(wgs);
    return l;
}

int mg_gpkg_write_level(GDALDatasetH ds, const mg_dataset *d, size_t li,
                        const char *name, const char *desc)
{
    const mg_level *lv = &d->levels[li];
    OGRLayerH l = create_layer(ds, name, wkbMultiPolygon, desc);
    if (!l || create_region_fields(l, &d->project->model, lv) != 0)
        return -1;
    for (size_t i = 0; i < lv->n; i++)
        if (write_region(l, lv, i, &d->project->model) != 0)
            return -1;
    return 0;
}

static int write_level(GDALDatasetH ds, const mg_dataset *d, size_t li)
{
    const mg_level *lv = &d->levels[li];
    char name[160], desc[256];
    if (li == 0)
        snprintf(name, sizeof name, "regions");
    else
        mg_field_name(name, sizeof name, "regions_", lv->level);
    snprintf(desc, sizeof desc,
             "Regions of level '%s' with need, supply, "
             "gap and coverage per service category",
             lv->level);
    return mg_gpkg_write_level(ds, d, li, name, desc);
}

static int write_provider(OGRLayerH l, const mg_dataset *d,
                          const mg_provider *v)
{
    const mg_project *p = d->project;
    const mg_region *r =
        v->region >= 0 ? &d->levels[0].regions[v->region] : NULL;
    OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(l));
    int i = 0;
    OGR_F_SetFieldInteger64(f, i++, v->fid);
    set_text(f, &i, v->name);
    set_text(f, &i, v->category_raw);
    set_text(f, &i,
             v->category >= 0 ? p->model.categories[v->category] : NULL);
    set_text(f, &i, v->capacity_raw);
    set_real(f, &i, v->capacity);
    set_text(f, &i, r ? r->code : NULL);
    set_text(f, &i, r ? r->name : NULL);
    set_text(f, &i, v->placement);
    set_text(f, &i, v->parent_name);
    set_real(f, &i, v->access_ratio);
    if (!isnan(v->lon)) {
        OGRGeometryH g = OGR_G_CreateGeometry(wkbPoint);
        OGR_G_SetPoint_2D(g, 0, v->lon, v->lat);
        OGR_F_SetGeometryDirectly(f, g);
    }
    OGRErr e = OGR_L_CreateFeature(l, f);
    OGR_F_Destroy(f);
    return e == OGRERR_NONE ? 0 : -1;
}

static int write_providers(GDALDatasetH ds, const mg_dataset *d)
{
    OGRLayerH l = create_layer(ds, "providers", wkbPoint,
                               "Service providers with the region they "
                               "were placed in");
    if (!l)
        return -1;
    int bad = add_field(l, "source_fid", OFTInteger64) |
              add_field(l, "name", OFTString) |
              add_field(l, "category_source", OFTString) |
              add_field(l, "category", OFTString) |
              add_field(l, "capacity_source", OFTString) |
              add_field(l, "capacity", OFTReal) |
              add_field(l, "region_code", OFTString) |
              add_field(l, "region_name", OFTString) |
              add_field(l, "placement", OFTString) |
              add_field(l, "parent_name", OFTString) |
              add_field(l, "access_ratio", OFTReal);
    for (size_t k = 0; !bad && k < d->n_providers; k++)
        bad = write_provider(l, d, &d->providers[k]);
    return bad ? -1 : 0;
}

/* The model as text, so a reader of the file knows how need was made. */
static void set_model_metadata(GDALDatasetH ds, const mg_model_spec *m)
{
    char buf[4096];
    size_t k = 0;
    for (size_t g = 0; g < m->n_groups && k < sizeof buf; g++) {
        k += (size_t)snprintf(buf + k, sizeof buf - k, "%s%s:", g ? "; " : "",
                              m->groups[g]);
        for (size_t c = 0; c < m->n_categories && k < sizeof buf; c++)
            k += (size_t)snprintf(buf + k, sizeof buf - k, " %s=%g",
                                  m->categories[c],
                                  m->weights[g * m->n_categories + c]);
    }
    GDALSetMetadataItem(ds, "MODEL_WEIGHTS", buf, NULL);
}

int mg_write_gpkg(const mg_dataset *d, const char *path, mg_error *err)
{
    const mg_project *p = d->project;
    GDALDriverH drv = GDALGetDriverByName("GPKG");
    if (!drv)
        return mg_error_set(err, MG_ERR_DEPENDENCY, path, -1, NULL,
                            "GDAL has no GPKG driver");
    mg_gdal_enter();
    GDALDatasetH ds = GDALCreate(drv, path, 0, 0, 0, GDT_Unknown, NULL);
    int bad = !ds;
    if (ds) {
        GDALSetMetadataItem(ds, "TITLE", p->title ? p->title : p->name, NULL);
        GDALSetMetadataItem(ds, "GENERATOR", "mapgen", NULL);
        for (size_t i = 0; i < p->n_meta; i++)
            GDALSetMetadataItem(ds, p->meta_keys[i], p->meta_values[i], NULL);
        set_model_metadata(ds, &p->model);
        bad = GDALDatasetStartTransaction(ds, 0) != OGRERR_NONE;
        for (size_t li = 0; !bad && li < d->n_levels; li++)
            bad = write_level(ds, d, li);
        if (!bad)
            bad = write_providers(ds, d);
        if (!bad)
            bad = GDALDatasetCommitTransaction(ds) != OGRERR_NONE;
        GDALClose(ds);
        bad |= mg_gdal_failed();
    }
    return mg_gdal_leave(bad, MG_ERR_OUTPUT, path,
                         "cannot write the GeoPackage", err);
}
