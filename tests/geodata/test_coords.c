/* The area-of-use check shared by the boundary and the point readers. */
#include "check.h"
#include "geodata/input.h"

static void stereo70(void)
{
    mg_vec_source none = {.path = "providers.csv"};
    mg_area_of_use a = {0};
    CHECK_INT(mg_vec_area_of_use(&none, "EPSG:3844", &a), 1);
    CHECK_STR(a.label, "EPSG:3844 (Romania - onshore and offshore.)");
    CHECK(a.box[0] < 21 && a.box[2] > 29 && a.box[1] < 44 && a.box[3] > 48);

    mg_report r = {0};
    int outside = -1;
    /* Inside, and 4 degrees east of the area: kept. */
    CHECK_INT(mg_point_check_area(&a, 25.03, 45.13, &r, "p.csv", 1, "lon",
                                  "provider kept without a location",
                                  &outside),
              MG_OK);
    CHECK_INT(outside, 0);
    CHECK_INT(mg_point_check_area(&a, a.box[2] + 4, 45.13, &r, "p.csv", 2,
                                  "lon", "kept", &outside),
              MG_OK);
    CHECK_INT(outside, 0);
    CHECK_INT(r.n, 0);
    /* 3,000 km east of Romania: one row naming the CRS. */
    CHECK_INT(mg_point_check_area(&a, 60.5, 45.25, &r, "p.csv", 3, "lon",
                                  "provider kept without a location",
                                  &outside),
              MG_OK);
    CHECK_INT(outside, 1);
    CHECK_INT(r.n, 1);
    if (r.n == 1) {
        const mg_report_row *x = &r.rows[0];
        CHECK_STR(x->file, "p.csv");
        CHECK_INT(x->row, 3);
        CHECK_STR(x->field, "lon");
        CHECK(strncmp(x->value, "60.5 45.25 not in ", 18) == 0);
        CHECK_STR(x->problem, "more than 5 degrees outside the area of use "
                              "of EPSG:3844 (Romania - onshore and "
                              "offshore.)");
        CHECK_STR(x->action, "provider kept without a location");
    }
    /* A polygon's envelope: only wholly outside counts. */
    double straddles[4] = {a.box[2] - 1, 45, a.box[2] + 30, 46};
    double beyond[4] = {a.box[2] + 6, 45, a.box[2] + 30, 46};
    CHECK_INT(mg_area_outside(&a, straddles), 0);
    CHECK_INT(mg_area_outside(&a, beyond), 1);
    mg_report_clear(&r);
}

/* Geographic CRSs (and lon/lat columns without "crs") are not checked. */
static void geographic(void)
{
    mg_vec_source none = {.path = "providers.csv"};
    mg_area_of_use a = {0};
    CHECK_INT(mg_vec_area_of_use(&none, "EPSG:4326", &a), 0);
    CHECK_INT(mg_vec_area_of_use(&none, NULL, &a), 0);
    double far[4] = {170, 80, 170, 80};
    CHECK_INT(mg_area_outside(&a, far), 0);
    CHECK_INT(mg_vec_area_of_use(&none, "no such CRS", &a), 0);
}

int main(void)
{
    stereo70();
    geographic();
    CHECK_DONE();
}
