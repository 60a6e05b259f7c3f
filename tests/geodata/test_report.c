/* The join report: CSV quoting and the written rows. */
#include "check.h"
#include "geodata/input.h"

#include <stdlib.h>

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = calloc(1, 4096);
    if (buf)
        fread(buf, 1, 4095, f);
    fclose(f);
    return buf;
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "report-test.csv";
    mg_report r = {0};
    mg_error err;
    mg_error_clear(&err);
    CHECK_INT(mg_report_add(&r, "a.csv", 3, "n", "1,5", "count is \"odd\"",
                            "counted as 0"), MG_OK);
    CHECK_INT(mg_report_add(&r, "b.geojson", -1, NULL, NULL, "no geometry",
                            "kept"), MG_OK);
    CHECK_INT(mg_report_write_csv(&r, path, &err), MG_OK);
    char *text = slurp(path);
    CHECK_STR(text, "file,row,field,value,problem,action\n"
                    "a.csv,3,n,\"1,5\",\"count is \"\"odd\"\"\",counted as 0\n"
                    "b.geojson,,,,no geometry,kept\n");
    free(text);
    remove(path);

    /* A report that cannot be written names the file and fails cleanly. */
    CHECK_INT(mg_report_write_csv(&r, "/nonexistent-dir/x.csv", &err),
              MG_ERR_OUTPUT);
    CHECK_STR(err.file, "/nonexistent-dir/x.csv");
    mg_report_clear(&r);
    CHECK_INT(r.n, 0);
    mg_report_clear(NULL);
    CHECK_DONE();
}
