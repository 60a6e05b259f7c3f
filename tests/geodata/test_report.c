/* The join report: CSV quoting and the written rows; the numbers of the
 * CSV reports (mg_csv_num()). */
#include "check.h"
#include "geodata/input.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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


/* One cell as mg_csv_num() writes it (without its leading separator). */
static void num_cell(const mg_csv_format *fmt, double v, int decimals,
                     char *out, size_t cap)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    mg_csv_num(f, fmt, v, decimals);
    fclose(f);
    snprintf(out, cap, "%s", n > 0 ? buf + 1 : "");
    free(buf);
}

/* Whole numbers take a shortcut past printf: each must print as %.*f
 * prints it (with the decimal sign and -0 as 0), at the edges too. */
static void test_numbers(void)
{
    const double whole[] = {0.0, -0.0, 1, -1, 7, 10, 99, 100, 12345,
                            -987654321, 4294967296.0, 1e15, -1e15,
                            9007199254740991.0, 9007199254740992.0, 1e300};
    const double frac[] = {0.5, -0.5, 0.125, 2.675, 1e-7, -1e-7, 123.456};
    mg_csv_format comma = mg_csv_spreadsheet(',');
    char got[512], want[512];
    for (int d = 0; d <= 6; d++) {
        for (size_t i = 0; i < sizeof whole / sizeof *whole; i++) {
            snprintf(want, sizeof want, "%.*f", d, whole[i]);
            if (!strcmp(want, "-0") || (want[0] == '-' &&
                                        strspn(want, "-0.") == strlen(want)))
                memmove(want, want + 1, strlen(want));
            num_cell(&mg_csv_plain, whole[i], d, got, sizeof got);
            CHECK_STR(got, want);
            char *dot = strchr(want, '.');
            if (dot)
                *dot = ',';
            num_cell(&comma, whole[i], d, got, sizeof got);
            CHECK_STR(got, want);
        }
    }
    /* by hand: the shortcut's digits and zeros */
    num_cell(&mg_csv_plain, 42, 2, got, sizeof got);
    CHECK_STR(got, "42.00");
    num_cell(&mg_csv_plain, -0.0, 0, got, sizeof got);
    CHECK_STR(got, "0");
    num_cell(&comma, -3, 1, got, sizeof got);
    CHECK_STR(got, "-3,0");
    /* fractions go through printf as before */
    num_cell(&mg_csv_plain, frac[3], 2, got, sizeof got);
    CHECK_STR(got, "2.67"); /* 2.675 is 2.67499999... in binary */
    num_cell(&mg_csv_plain, frac[5], 3, got, sizeof got);
    CHECK_STR(got, "0.000");
    num_cell(&mg_csv_plain, frac[6], MG_CSV_FULL, got, sizeof got);
    CHECK_STR(got, "123.456");
    num_cell(&mg_csv_plain, NAN, 2, got, sizeof got);
    CHECK_STR(got, "");
    num_cell(&mg_csv_plain, 1e15, MG_CSV_FULL, got, sizeof got);
    CHECK_STR(got, "1e+15");
}

int main(int argc, char **argv)
{
    test_numbers();
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
