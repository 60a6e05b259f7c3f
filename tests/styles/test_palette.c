/* Tests of the ColorBrewer palettes and of colour text. */
#include "styles/styles.h"

#include "check.h"

#define COUNT(a) (sizeof(a) / sizeof *(a))

/* Checks palette name with the given colours, written as ColorBrewer
 * publishes them. */
static void check_palette(const char *name, int n, const char *const *want)
{
    mg_palette p;
    mg_error err;
    int rc = mg_styles_find_palette(name, n, &p, &err);
    CHECK_INT(rc, MG_OK);
    if (rc != MG_OK)
        return;
    CHECK_INT(p.n, n);
    for (int i = 0; i < n; i++) {
        char text[10];
        mg_styles_format_colour(p.colours[i], text);
        CHECK_STR(text, want[i]);
    }
}

static void test_known_palettes(void)
{
    check_palette("YlOrRd", 5, (const char *[]){"#ffffb2", "#fecc5c",
                                                "#fd8d3c", "#f03b20",
                                                "#bd0026"});
    check_palette("ylorrd", 3, (const char *[]){"#ffeda0", "#feb24c",
                                                "#f03b20"});
    check_palette("Blues", 9, (const char *[]){"#f7fbff", "#deebf7", "#c6dbef",
                                               "#9ecae1", "#6baed6", "#4292c6",
                                               "#2171b5", "#08519c",
                                               "#08306b"});
    check_palette("Reds", 4, (const char *[]){"#fee5d9", "#fcae91", "#fb6a4a",
                                              "#cb181d"});
    check_palette("YlGnBu", 7, (const char *[]){"#ffffcc", "#c7e9b4",
                                                "#7fcdbb", "#41b6c4",
                                                "#1d91c0", "#225ea8",
                                                "#0c2c84"});
    check_palette("Set1", 3, (const char *[]){"#e41a1c", "#377eb8",
                                              "#4daf4a"});
    check_palette("Dark2", 8, (const char *[]){"#1b9e77", "#d95f02", "#7570b3",
                                               "#e7298a", "#66a61e", "#e6ab02",
                                               "#a6761d", "#666666"});
    check_palette("Set2", 4, (const char *[]){"#66c2a5", "#fc8d62", "#8da0cb",
                                              "#e78ac3"});

    mg_palette p;
    CHECK_INT(mg_styles_find_palette("rdpu", 6, &p, NULL), MG_OK);
    CHECK_STR(p.name, "RdPu");
    CHECK_INT(p.kind, MG_PALETTE_SEQUENTIAL);
    CHECK_INT(mg_styles_find_palette("Set2", 6, &p, NULL), MG_OK);
    CHECK_INT(p.kind, MG_PALETTE_QUALITATIVE);
    CHECK_INT(mg_styles_find_palette("RdBu", 11, &p, NULL), MG_OK);
    CHECK_INT(p.kind, MG_PALETTE_DIVERGING);
}

/* The palettes the pipeline promises, at every count it promises. */
static void test_required_ranges(void)
{
    const char *sequential[] = {"YlOrRd", "OrRd", "Reds", "Blues",
                                "Greens", "Purples", "YlGnBu", "RdPu"};
    const char *qualitative[] = {"Set1", "Set2", "Dark2"};
    mg_palette p;
    for (size_t i = 0; i < COUNT(sequential); i++)
        for (int n = 3; n <= 9; n++)
            CHECK_INT(mg_styles_find_palette(sequential[i], n, &p, NULL),
                      MG_OK);
    for (size_t i = 0; i < COUNT(qualitative); i++)
        for (int n = 3; n <= 8; n++)
            CHECK_INT(mg_styles_find_palette(qualitative[i], n, &p, NULL),
                      MG_OK);
}

static double lightness(mg_rgba c)
{
    return 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b;
}

/* Every listed palette at every count: opaque colours, and a sequential
 * palette goes from light to dark (a row transcribed backwards, or a colour
 * from the wrong row, would break that). */
static void test_every_palette(void)
{
    size_t count = mg_styles_count_palettes();
    CHECK_INT(count, 35);
    for (size_t i = 0; i < count; i++) {
        mg_palette_info info;
        CHECK_INT(mg_styles_get_palette_info(i, &info), MG_OK);
        CHECK(info.min_n == 3 && info.max_n >= 8 && info.max_n <= 12);
        for (int n = info.min_n; n <= info.max_n; n++) {
            mg_palette p;
            CHECK_INT(mg_styles_find_palette(info.name, n, &p, NULL), MG_OK);
            CHECK_INT(p.n, n);
            CHECK_INT(p.kind, info.kind);
            for (int c = 0; c < n; c++) {
                CHECK_INT(p.colours[c].a, 255);
                if (info.kind == MG_PALETTE_SEQUENTIAL && c > 0 &&
                    !(lightness(p.colours[c]) < lightness(p.colours[c - 1])))
                    fprintf(stderr, "%s %d: colour %d not darker\n",
                            info.name, n, c);
                if (info.kind == MG_PALETTE_SEQUENTIAL && c > 0)
                    CHECK(lightness(p.colours[c]) <
                          lightness(p.colours[c - 1]));
            }
        }
    }
    mg_palette_info info;
    CHECK_INT(mg_styles_get_palette_info(count, &info), MG_ERR_USAGE);
    CHECK_INT(mg_styles_get_palette_info(0, NULL), MG_ERR_USAGE);
}

static void test_palette_errors(void)
{
    mg_palette p;
    mg_error err;
    CHECK_INT(mg_styles_find_palette("Viridis", 5, &p, &err), MG_ERR_PROJECT);
    CHECK_STR(err.field, "palette");
    CHECK(strstr(err.message, "Viridis") != NULL);
    CHECK_INT(mg_styles_find_palette("YlOrRd", 2, &p, &err), MG_ERR_PROJECT);
    CHECK(strstr(err.message, "3 to 9") != NULL);
    CHECK_INT(mg_styles_find_palette("YlOrRd", 10, &p, &err), MG_ERR_PROJECT);
    CHECK_INT(mg_styles_find_palette("Set2", 9, &p, &err), MG_ERR_PROJECT);
    CHECK(strstr(err.message, "3 to 8") != NULL);
    CHECK_INT(mg_styles_find_palette(NULL, 5, &p, &err), MG_ERR_PROJECT);
    CHECK_INT(mg_styles_find_palette("", 5, &p, NULL), MG_ERR_PROJECT);
    CHECK_INT(mg_styles_find_palette("Blues", 5, NULL, &err), MG_ERR_USAGE);
}

static void test_parse_colour(void)
{
    mg_rgba c;
    mg_error err;
    CHECK_INT(mg_styles_parse_colour("#ffffb2", &c, &err), MG_OK);
    CHECK(c.r == 255 && c.g == 255 && c.b == 0xb2 && c.a == 255);
    CHECK_INT(mg_styles_parse_colour("#BD0026", &c, &err), MG_OK);
    CHECK(c.r == 0xbd && c.g == 0x00 && c.b == 0x26 && c.a == 255);
    CHECK_INT(mg_styles_parse_colour("#08306b80", &c, &err), MG_OK);
    CHECK(c.r == 0x08 && c.g == 0x30 && c.b == 0x6b && c.a == 0x80);
    CHECK_INT(mg_styles_parse_colour("#00000000", &c, &err), MG_OK);
    CHECK(c.r == 0 && c.g == 0 && c.b == 0 && c.a == 0);

    const char *bad[] = {"", "#", "ffffb2", "#fff", "#ffffb", "#ffffb2f",
                         "#ffffb2ff0", "#gfffb2", "#ffffb2 ", " #ffffb2",
                         "#ff ffb2", "#-fffb2", "#0x1234", "red"};
    for (size_t i = 0; i < COUNT(bad); i++) {
        c = (mg_rgba){1, 2, 3, 4};
        memset(&err, 0, sizeof err);
        CHECK_INT(mg_styles_parse_colour(bad[i], &c, &err), MG_ERR_PROJECT);
        CHECK(c.r == 1 && c.g == 2 && c.b == 3 && c.a == 4);
        CHECK_STR(err.field, "colour");
        CHECK(err.message[0] != '\0');
    }
    CHECK_INT(mg_styles_parse_colour(NULL, &c, &err), MG_ERR_PROJECT);
    CHECK_INT(mg_styles_parse_colour("#ffffff", NULL, &err), MG_ERR_USAGE);
    CHECK_INT(mg_styles_parse_colour("nope", &c, NULL), MG_ERR_PROJECT);
}

static void test_format_colour(void)
{
    char text[10];
    mg_styles_format_colour((mg_rgba){0xbd, 0x00, 0x26, 255}, text);
    CHECK_STR(text, "#bd0026");
    mg_styles_format_colour((mg_rgba){0x08, 0x30, 0x6b, 0x80}, text);
    CHECK_STR(text, "#08306b80");

    /* Text -> colour -> text is the identity on lower-case input. */
    const char *round[] = {"#ffffb2", "#00000000", "#12345678", "#abcdef"};
    for (size_t i = 0; i < COUNT(round); i++) {
        mg_rgba c;
        CHECK_INT(mg_styles_parse_colour(round[i], &c, NULL), MG_OK);
        mg_styles_format_colour(c, text);
        CHECK_STR(text, round[i]);
    }
}

int main(void)
{
    test_known_palettes();
    test_required_ranges();
    test_every_palette();
    test_palette_errors();
    test_parse_colour();
    test_format_colour();
    CHECK_DONE();
}
