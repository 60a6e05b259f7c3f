/* The boundary with GDAL/OGR: opening sources, finding fields, CRSs. */
#include "internal.h"

#include <cpl_error.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

/* GDAL's SQLite-based drivers report "sqlite3_exec(<the whole statement>)
 * failed: database or disk is full", hundreds of characters of SQL before
 * the one part a user can act on.  Without --debug the message is that
 * part, on one line. */
const char *mg_gdal_reason(void)
{
    static _Thread_local char buf[512];
    const char *m = CPLGetLastErrorMsg();
    if (!m || !*m)
        return "unknown reason";
    if (mg_debug)
        return m;
    const char *cut = strstr(m, ") failed: ");
    if (cut && strstr(m, "sqlite3_"))
        m = cut + strlen(") failed: ");
    snprintf(buf, sizeof buf, "%s", m);
    for (char *p = buf; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    return buf;
}

void mg_gdal_enter(void)
{
    CPLErrorReset();
    CPLPushErrorHandler(CPLQuietErrorHandler);
}

int mg_gdal_failed(void) { return CPLGetLastErrorType() >= CE_Failure; }

/* 1 when the file system of path's folder has less than a megabyte left:
 * SQLite then fails on whatever statement comes next, and GDAL keeps only
 * that one's message ("no such table"), not the write that filled it. */
static int disk_full(const char *path, unsigned long long *free_kb)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *(slash == dir ? slash + 1 : slash) = '\0';
    else
        snprintf(dir, sizeof dir, ".");
    struct statvfs st;
    if (statvfs(dir, &st) != 0)
        return 0;
    *free_kb = (unsigned long long)st.f_bavail * st.f_frsize / 1024;
    return *free_kb < 1024;
}

int mg_gdal_leave(int failed, int code, const char *file, const char *doing,
                  mg_error *err)
{
    CPLPopErrorHandler();
    if (!failed)
        return MG_OK;
    if (CPLGetLastErrorNo() == CPLE_OutOfMemory)
        return mg_error_nomem(err, file);
    unsigned long long kb;
    if (code == MG_ERR_OUTPUT && file && disk_full(file, &kb))
        return mg_error_set(err, code, file, -1, NULL,
                            "%s: the disk is full (%llu KB left)%s%s", doing,
                            kb, mg_debug ? "; GDAL: " : "",
                            mg_debug ? mg_gdal_reason() : "");
    return mg_error_set(err, code, file, -1, NULL, "%s: %s", doing,
                        mg_gdal_reason());
}

int mg_vec_open(mg_vec_source *v, const char *path, const char *layer,
                mg_error *err)
{
    memset(v, 0, sizeof *v);
    v->path = path;
    struct stat st;
    /* GDAL says nothing useful about a file that is not there. */
    if (strncmp(path, "/vsi", 4) != 0 && !strchr(path, ':') &&
        stat(path, &st) != 0)
        return mg_error_set(err, MG_ERR_INPUT, path, -1, NULL,
                            "cannot open: %s", strerror(errno));
    mg_gdal_enter();
    v->ds =
        GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    int rc = mg_gdal_leave(!v->ds, MG_ERR_INPUT, path,
                           "cannot open as a vector data source", err);
    if (rc)
        return rc;
    v->layer = layer ? GDALDatasetGetLayerByName(v->ds, layer)
                     : GDALDatasetGetLayer(v->ds, 0);
    if (!v->layer) {
        char list[512] = "";
        for (int i = 0; i < GDALDatasetGetLayerCount(v->ds); i++) {
            const char *n = OGR_L_GetName(GDALDatasetGetLayer(v->ds, i));
            strncat(list, i ? ", " : "", sizeof list - strlen(list) - 1);
            strncat(list, n, sizeof list - strlen(list) - 1);
        }
        mg_error_set(err, MG_ERR_INPUT, path, -1, "layer",
                     layer ? "no layer '%s' here; layers: %s"
                           : "no layer in this source%s%s",
                     layer ? layer : "", list);
        mg_vec_close(v);
        return MG_ERR_INPUT;
    }
    v->defn = OGR_L_GetLayerDefn(v->layer);
    return MG_OK;
}

void mg_vec_close(mg_vec_source *v)
{
    if (v && v->ds)
        GDALClose(v->ds);
    if (v)
        v->ds = NULL;
}

int mg_vec_field(const mg_vec_source *v, const char *name, const char *what,
                 int *index, mg_error *err)
{
    *index = OGR_FD_GetFieldIndex(v->defn, name);
    if (*index >= 0)
        return MG_OK;
    const char *layer = OGR_L_GetName(v->layer);
    if (OGR_FD_GetFieldCount(v->defn) == 0) {
        /* A shapefile without its .dbf opens with a geometry and nothing
         * else; an empty GeoJSON has no fields either. */
        GIntBig n = OGR_L_GetFeatureCount(v->layer, 1);
        return mg_error_set(
            err, MG_ERR_INPUT, v->path, -1, what,
            "no field '%s': layer '%s' has no fields at all (%s)", name,
            layer,
            n == 0 ? "and no features: the layer is empty"
                   : "a shapefile without its .dbf, or a layer of geometries "
                     "only");
    }
    char list[640] = "";
    for (int i = 0; i < OGR_FD_GetFieldCount(v->defn); i++) {
        const char *n = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(v->defn, i));
        strncat(list, i ? ", " : "", sizeof list - strlen(list) - 1);
        strncat(list, n, sizeof list - strlen(list) - 1);
    }
    return mg_error_set(err, MG_ERR_INPUT, v->path, -1, what,
                        "no field '%s' in layer '%s'; its fields are: %s",
                        name, layer, list);
}

int mg_vec_code_field(const mg_vec_source *v, const char *name,
                      const char *what, int *index, mg_error *err)
{
    int rc = mg_vec_field(v, name, what, index, err);
    if (rc)
        return rc;
    OGRFieldDefnH fd = OGR_FD_GetFieldDefn(v->defn, *index);
    OGRFieldType t = OGR_Fld_GetType(fd);
    /* GDAL writes a nested object or a list as JSON text: as a code it
     * would match nothing, or the wrong region, silently. */
    int json = t == OFTString && OGR_Fld_GetSubType(fd) == OFSTJSON;
    if (!json && (t == OFTString || t == OFTInteger || t == OFTInteger64 ||
                  t == OFTReal))
        return MG_OK;
    return mg_error_set(err, MG_ERR_INPUT, v->path, -1, what,
                        "field '%s' of layer '%s' holds %s, not codes: a "
                        "region code must be one text or number",
                        name, OGR_L_GetName(v->layer),
                        json ? "nested JSON (objects or arrays)"
                             : OGR_GetFieldTypeName(t));
}

/* A spatial reference from a user string ("EPSG:3844", WKT, PROJ string). */
static OGRSpatialReferenceH srs_from_user(const char *text)
{
    OGRSpatialReferenceH s = OSRNewSpatialReference(NULL);
    mg_gdal_enter();
    OGRErr e = OSRSetFromUserInput(s, text);
    mg_gdal_leave(0, MG_OK, NULL, NULL, NULL);
    if (e != OGRERR_NONE) {
        OSRDestroySpatialReference(s);
        return NULL;
    }
    OSRSetAxisMappingStrategy(s, OAMS_TRADITIONAL_GIS_ORDER);
    return s;
}

/* "EPSG:4326" or the CRS's own name, for messages. */
static const char *crs_name(OGRSpatialReferenceH s, const char *override)
{
    static _Thread_local char buf[128];
    const char *auth = OSRGetAuthorityName(s, NULL);
    const char *code = OSRGetAuthorityCode(s, NULL);
    if (auth && code)
        snprintf(buf, sizeof buf, "%s:%s", auth, code);
    else
        snprintf(buf, sizeof buf, "%s", override ? override : OSRGetName(s));
    return buf;
}

int mg_vec_to_wgs84(const mg_vec_source *v, const char *crs_override,
                    const char *what, OGRCoordinateTransformationH *out,
                    mg_error *err)
{
    *out = NULL;
    OGRSpatialReferenceH src = NULL;
    if (crs_override) {
        src = srs_from_user(crs_override);
        if (!src)
            return mg_error_set(err, MG_ERR_INPUT, v->path, -1, what,
                                "'%s' is not a coordinate reference system "
                                "that PROJ knows",
                                crs_override);
    } else if (v->layer && OGR_L_GetSpatialRef(v->layer)) {
        src = OSRClone(OGR_L_GetSpatialRef(v->layer));
        OSRSetAxisMappingStrategy(src, OAMS_TRADITIONAL_GIS_ORDER);
    } else {
        return mg_error_set(err, MG_ERR_INPUT, v->path, -1, what,
                            "the layer has no coordinate reference system; "
                            "name one with \"crs\" in the project file "
                            "(e.g. \"EPSG:4326\")");
    }
    OGRSpatialReferenceH wgs = srs_from_user("EPSG:4326");
    int rc = MG_OK;
    /* A layer in metres declared geographic would fail late and far from
     * its cause; say so now. */
    if (OSRIsGeographic(src) && v->layer &&
        OGR_L_GetGeomType(v->layer) != wkbNone)
        rc = mg_vec_check_degrees(v, what, crs_name(src, crs_override), err);
    if (rc) {
        /* reported */
    } else if (!wgs) {
        rc = mg_error_set(err, MG_ERR_DEPENDENCY, v->path, -1, what,
                          "PROJ cannot find EPSG:4326: %s", mg_gdal_reason());
    } else if (!OSRIsSame(src, wgs)) {
        mg_gdal_enter();
        *out = OCTNewCoordinateTransformation(src, wgs);
        mg_gdal_leave(0, MG_OK, NULL, NULL, NULL);
        if (!*out)
            rc = mg_error_set(err, MG_ERR_INPUT, v->path, -1, what,
                              "cannot transform from the layer's coordinate "
                              "reference system to WGS 84: %s",
                              mg_gdal_reason());
    }
    OSRDestroySpatialReference(src);
    OSRDestroySpatialReference(wgs);
    return rc;
}

char *mg_field_text(OGRFeatureH f, int index)
{
    if (index < 0 || !OGR_F_IsFieldSetAndNotNull(f, index))
        return NULL;
    const char *s = OGR_F_GetFieldAsString(f, index);
    const char *t = s;
    while (*t == ' ' || *t == '\t' || *t == '\r' || *t == '\n')
        t++;
    return *t ? strdup(s) : NULL;
}

int mg_report_addf(mg_report *r, const char *file, long row, const char *field,
                   const char *problem, const char *action, const char *fmt,
                   ...)
{
    char value[512] = "";
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(value, sizeof value, fmt, ap);
        va_end(ap);
    }
    return mg_report_add(r, file, row, field, fmt ? value : NULL, problem,
                         action);
}

int mg_wkb_area_km2(const unsigned char *wkb, size_t size,
                    OGRCoordinateTransformationH to_equal_area, double *km2)
{
    OGRGeometryH g = NULL;
    *km2 = NAN;
    if (OGR_G_CreateFromWkb(wkb, NULL, &g, (int)size) != OGRERR_NONE)
        return MG_ERR_DEPENDENCY;
    int rc = OGR_G_Transform(g, to_equal_area) == OGRERR_NONE
                 ? MG_OK
                 : MG_ERR_DEPENDENCY;
    if (rc == MG_OK)
        *km2 = OGR_G_Area(g) / 1e6;
    OGR_G_DestroyGeometry(g);
    return rc;
}

/* An equal-area projection for areas: EPSG:6933 keeps area everywhere. */
OGRCoordinateTransformationH mg_equal_area_transform(void)
{
    OGRSpatialReferenceH wgs = OSRNewSpatialReference(NULL);
    OGRSpatialReferenceH ea = OSRNewSpatialReference(NULL);
    OGRCoordinateTransformationH t = NULL;
    if (OSRImportFromEPSG(wgs, 4326) == OGRERR_NONE &&
        OSRImportFromEPSG(ea, 6933) == OGRERR_NONE) {
        OSRSetAxisMappingStrategy(wgs, OAMS_TRADITIONAL_GIS_ORDER);
        OSRSetAxisMappingStrategy(ea, OAMS_TRADITIONAL_GIS_ORDER);
        t = OCTNewCoordinateTransformation(wgs, ea);
    }
    OSRDestroySpatialReference(wgs);
    OSRDestroySpatialReference(ea);
    return t;
}
