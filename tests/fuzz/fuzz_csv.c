/* libFuzzer target: CSV tables as mapgen reads them (recipients,
 * providers, indicators): GDAL's CSV driver on the bytes (in /vsimem/),
 * then every field of every row through mg_field_text, mg_field_number in
 * each number format and the code normaliser.  Never a crash or leak; a
 * number read is finite. */
#include "fuzz_common.h"
#include "geodata/input.h"

#include <cpl_vsi.h>
#include <math.h>

static void read_row(OGRFeatureH f, int n_fields)
{
    for (int i = 0; i < n_fields; i++) {
        char *t = mg_field_text(f, i);
        char key[256];
        mg_code_normalise(t, key, sizeof key);
        free(t);
        for (int fmt = MG_NUMFMT_PLAIN; fmt <= MG_NUMFMT_DOT_GROUPS; fmt++) {
            double v;
            int k = mg_field_number(f, i, fmt, &v);
            if (k == MG_NUM_OK || k == MG_NUM_NEGATIVE)
                FUZZ_CHECK(isfinite(v));
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int init;
    if (!init) {
        GDALAllRegister();
        init = 1;
    }
    const char *path = "/vsimem/fuzz.csv";
    VSILFILE *fp = VSIFileFromMemBuffer(path, (GByte *)data, size, FALSE);
    if (!fp)
        return 0;
    VSIFCloseL(fp);
    mg_vec_source v;
    mg_error err;
    mg_error_clear(&err);
    if (mg_vec_open(&v, path, NULL, &err) == MG_OK) {
        int n = OGR_FD_GetFieldCount(v.defn);
        OGRFeatureH f;
        long rows = 0;
        mg_gdal_enter();
        while (rows++ < 10000 && (f = OGR_L_GetNextFeature(v.layer))) {
            read_row(f, n);
            OGR_F_Destroy(f);
        }
        mg_gdal_leave(0, MG_OK, NULL, NULL, NULL);
    }
    mg_vec_close(&v);
    VSIUnlink(path);
    return 0;
}
