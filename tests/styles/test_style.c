/* Style files (styles/style.c) and styles applied to data (styles/legend.c):
 * every key read, every error naming the file and JSON path, colours and
 * legends from values and categories, the shipped styles valid. */
#include "check.h"
#include "styles/styles.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static mg_style *parse_ok(const char *json)
{
    mg_style *s = NULL;
    mg_error err;
    int rc = mg_style_parse(json, "test.json", &s, &err);
    if (rc)
        fprintf(stderr, "unexpected: %s: %s\n", err.field, err.message);
    CHECK_INT(rc, MG_OK);
    return s;
}

/* The parse fails with MG_ERR_PROJECT, naming field and saying want. */
static void parse_bad(const char *json, const char *field, const char *want)
{
    mg_style *s = NULL;
    mg_error err;
    CHECK_INT(mg_style_parse(json, "bad.json", &s, &err), MG_ERR_PROJECT);
    CHECK(s == NULL);
    CHECK_STR(err.file, "bad.json");
    CHECK_STR(err.field, field);
    if (!strstr(err.message, want)) {
        fprintf(stderr, "message '%s' lacks '%s'\n", err.message, want);
        check_failures++;
    }
}

static void test_parse(void)
{
    mg_style *s = parse_ok(
        "{\"title\": \"T\", \"legend_title\": \"L\", \"opacity\": 0.5,"
        " \"_comment\": \"ignored\", \"layers\": ["
        "  {\"type\": \"polygons\", \"field\": \"gap_per10k_total\","
        "   \"classification\": {\"method\": \"fixed\", \"breaks\": [1, 2.5]},"
        "   \"colors\": [\"#ff0000\", \"#00ff00\", \"#0000ff80\"],"
        "   \"labels\": [\"a\", \"b\", \"c\"], \"no_data\": \"#123456\","
        "   \"outline\": {\"color\": \"#ffffff\", \"width\": 0.5},"
        "   \"maxzoom\": 8, \"legend_title\": \"G\"},"
        "  {\"type\": \"polygons\", \"layer\": \"parent_regions\","
        "   \"outline\": {\"width\": 2}, \"legend\": false, \"minzoom\": 3},"
        "  {\"type\": \"points\", \"field\": \"category\","
        "   \"colors\": {\"b\": \"#000001\", \"a\": \"#000002\"},"
        "   \"radius\": 4, \"other\": \"#999999\"}]}");
    if (!s)
        return;
    CHECK_STR(s->title, "T");
    CHECK_STR(s->legend_title, "L");
    CHECK_NEAR(s->opacity, 0.5, 0);
    CHECK_INT(s->n_layers, 3);
    const mg_style_layer *a = &s->layers[0], *b = &s->layers[1],
                         *c = &s->layers[2];
    CHECK_STR(a->source, "regions");
    CHECK_INT(a->method, MG_CLASS_FIXED);
    CHECK_INT(a->classes, 3);
    CHECK_NEAR(a->breaks[1], 2.5, 0);
    CHECK_INT(a->n_colours, 3);
    CHECK_INT(a->colours[2].a, 0x80);
    CHECK_INT(a->n_labels, 3);
    CHECK_INT(a->no_data.r, 0x12);
    CHECK_NEAR(a->outline_width, 0.5, 0);
    CHECK_INT(a->minzoom, 0);
    CHECK_INT(a->maxzoom, 8);
    CHECK_STR(a->json_path, "layers[0]");
    CHECK_STR(b->source, "parent_regions");
    CHECK_INT(b->outline.a, 255);    /* black by default */
    CHECK_INT(b->outline.r, 0);
    CHECK_INT(b->in_legend, 0);
    CHECK_INT(b->fill.a, 0);         /* no fill by default */
    CHECK_INT(c->kind, MG_STYLE_POINTS);
    CHECK_STR(c->source, "providers");
    CHECK_INT(c->n_categories, 2);
    CHECK_STR(c->categories[0], "b"); /* in the order written */
    CHECK_NEAR(c->radius, 4, 0);
    mg_style_free(s);
    /* Defaults: Jenks 5. */
    s = parse_ok("{\"layers\": [{\"type\": \"polygons\", \"field\": \"x\","
                 " \"palette\": \"Blues\"}]}");
    if (s) {
        CHECK_INT(s->layers[0].method, MG_CLASS_JENKS);
        CHECK_INT(s->layers[0].classes, 5);
        CHECK_NEAR(s->opacity, 1.0, 0);
    }
    mg_style_free(s);
}

static void test_errors(void)
{
    const char *L = "{\"layers\": [{\"type\": \"polygons\", \"field\": \"x\", ";
    char buf[512];
#define BAD(rest, field, want)                                               \
    do {                                                                     \
        snprintf(buf, sizeof buf, "%s%s}]}", L, rest);                       \
        parse_bad(buf, field, want);                                         \
    } while (0)
    BAD("\"palette\": \"YlOrRdd\"", "layers[0].palette", "YlOrRdd");
    BAD("\"classification\": {\"method\": \"fixed\", \"breaks\": [1],"
        " \"zero_class\": \"None\"}",
        "layers[0].classification.zero_class", "give a break at 0");
    BAD("\"palette\": \"YlOrRd\", \"classification\": {\"classes\": 0}",
        "layers[0].classification.classes", "1 to 32");
    BAD("\"palette\": \"YlOrRd\", \"classification\": {\"classes\": 33}",
        "layers[0].classification.classes", "1 to 32");
    BAD("\"palette\": \"YlOrRd\", \"classification\": {\"classes\": 12}",
        "layers[0].palette", "YlOrRd");
    BAD("\"palette\": \"Reds\", \"classification\": {\"method\": \"median\"}",
        "layers[0].classification.method", "unknown method 'median'");
    BAD("\"palette\": \"Reds\", \"classification\": {\"method\": \"fixed\"}",
        "layers[0].classification.breaks", "needs 'breaks'");
    BAD("\"palette\": \"Reds\", \"classification\": {\"method\": \"fixed\","
        " \"breaks\": [3, 2]}",
        "layers[0].classification.breaks", "break 2");
    BAD("\"palette\": \"Reds\", \"classification\": {\"method\": \"fixed\","
        " \"breaks\": [1, 2], \"classes\": 4}",
        "layers[0].classification.breaks", "'classes' is 4");
    BAD("\"palette\": \"Reds\", \"classification\": {\"method\": \"jenks\","
        " \"breaks\": [1]}",
        "layers[0].classification.breaks", "method \"fixed\"");
    BAD("\"palette\": \"Reds\", \"colors\": [\"#000000\"]",
        "layers[0].colors", "not both");
    BAD("\"colors\": [\"#000000\"]", "layers[0].colors", "one colour per class");
    BAD("\"colors\": [\"red\", \"#000000\", \"#000000\", \"#000000\","
        " \"#000000\"]", "layers[0].colors[0]", "#rrggbb");
    BAD("\"palette\": \"Reds\", \"labels\": [\"a\"]", "layers[0].labels",
        "one label per class");
    BAD("\"palette\": \"Reds\", \"nodata\": \"#000000\"", "layers[0].nodata",
        "unknown key 'nodata'");
    BAD("\"palette\": \"Reds\", \"outline\": {\"colour\": \"#000000\"}",
        "layers[0].outline.colour", "unknown key 'colour'");
    BAD("\"palette\": \"Reds\", \"minzoom\": 9, \"maxzoom\": 8",
        "layers[0].maxzoom", "below 'minzoom'");
    BAD("\"palette\": \"Reds\", \"maxzoom\": 31", "layers[0].maxzoom",
        "0 to 30");
    BAD("\"palette\": \"Reds\", \"layer\": \"providers\"", "layers[0].layer",
        "polygons layer");
    BAD("\"palette\": \"Reds\", \"radius\": 0", "layers[0].radius",
        "must be a number from");
#undef BAD
    parse_bad("{\"layers\": [{\"type\": \"lines\"}]}", "layers[0].type",
              "\"polygons\" or \"points\"");
    parse_bad("{\"layers\": [{\"type\": \"polygons\", \"field\": \"x\"}]}",
              "layers[0]", "'palette' or 'colors'");
    parse_bad("{\"layers\": [{\"type\": \"polygons\", \"palette\": \"Reds\"}]}",
              "layers[0].palette", "needs a 'field'");
    parse_bad("{\"layers\": [{\"type\": \"points\", \"colors\": [1]}]}",
              "layers[0].colors", "maps each category");
    parse_bad("{\"layers\": []}", "layers", "non-empty");
    parse_bad("{\"title\": \"x\"}", "layers", "missing");
    parse_bad("{\"layers\": [{\"type\": \"polygons\"}], \"opacity\": 2}",
              "opacity", "must be a number from 0 to 1");
    parse_bad("[1]", "", "JSON object");
    mg_style *s = NULL;
    mg_error err;
    CHECK_INT(mg_style_parse("{\"layers\": [}", "syntax.json", &s, &err),
              MG_ERR_PROJECT);
    CHECK(strstr(err.message, "line 1") != NULL);
    CHECK_INT(mg_style_load("/nonexistent/style.json", &s, &err),
              MG_ERR_PROJECT);
    CHECK_STR(err.file, "/nonexistent/style.json");
}

static void test_colour_values(void)
{
    mg_style *s = parse_ok(
        "{\"layers\": [{\"type\": \"polygons\", \"field\": \"v\","
        " \"classification\": {\"method\": \"fixed\", \"breaks\": [2, 4]},"
        " \"palette\": \"YlOrRd\", \"no_data\": \"#cccccc\","
        " \"legend_title\": \"G\"}]}");
    if (!s)
        return;
    double v[6] = {1, 2, 3, 4.5, NAN, 0.5};
    mg_rgba fill[6];
    mg_legend legend = {0};
    mg_breaks b;
    mg_error err;
    char note[128];
    CHECK_INT(mg_style_colour_values(s, &s->layers[0], v, 6, fill, &b,
                                     &legend, note, sizeof note, &err),
              MG_OK);
    CHECK_STR(note, "");
    /* YlOrRd 3: #ffeda0 #feb24c #f03b20; 2 is in the lower class */
    CHECK_INT(fill[0].g, 0xed);
    CHECK_INT(fill[1].g, 0xed);
    CHECK_INT(fill[2].g, 0xb2);
    CHECK_INT(fill[3].g, 0x3b);
    CHECK_INT(fill[4].r, 0xcc);
    CHECK_INT(legend.n_groups, 1);
    CHECK_STR(legend.groups[0].title, "G");
    CHECK_INT(legend.groups[0].n, 4);
    CHECK_STR(legend.groups[0].items[0].label, "0.5 \xe2\x80\x93 2");
    CHECK_STR(legend.groups[0].items[2].label, "4 \xe2\x80\x93 4.5");
    CHECK_STR(legend.groups[0].items[3].label, "No data");
    char *json = mg_legend_to_json(&legend);
    CHECK(json && strstr(json, "\"color\":\"#ffeda0\"") &&
          strstr(json, "\"group\":\"G\""));
    free(json);
    mg_legend_clear(&legend);
    /* Fewer distinct values than Jenks classes: as many classes as values,
     * said in the note; the palette's 3-colour form spread over 2. */
    mg_style_free(s);
    s = parse_ok("{\"layers\": [{\"type\": \"polygons\", \"field\": \"v\","
                 " \"palette\": \"Blues\"}]}");
    double w[4] = {5, 5, 9, NAN};
    CHECK_INT(mg_style_colour_values(s, &s->layers[0], w, 4, fill, &b, NULL,
                                     note, sizeof note, &err), MG_OK);
    CHECK(strstr(note, "2 classes instead of 5") != NULL);
    CHECK_INT(b.k, 2);
    CHECK(fill[0].b != fill[2].b);
    double none[2] = {NAN, NAN};
    CHECK_INT(mg_style_colour_values(s, &s->layers[0], none, 2, fill, &b,
                                     NULL, NULL, 0, &err), MG_ERR_INPUT);
    CHECK_STR(err.field, "layers[0].field");
    mg_style_free(s);
}

/* "zero_class": 0 alone in the first class, the values above 0 split by
 * Jenks into the other k - 1.  Worked by hand: above 0 are {1, 2, 10, 11}
 * (NaN is no data); the best two Jenks classes of them are {1, 2} and
 * {10, 11} (squared deviations 0.25 + 0.25 + 0.25 + 0.25 = 1, against 48.7
 * for {1}, {2, 10, 11} and for {1, 2, 10}, {11}). */
static void test_zero_class(void)
{
    mg_style *s = parse_ok(
        "{\"layers\": [{\"type\": \"polygons\", \"field\": \"v\","
        " \"classification\": {\"method\": \"jenks\", \"classes\": 3,"
        " \"zero_class\": \"No places\"}, \"palette\": \"Blues\"}]}");
    if (!s)
        return;
    double v[8] = {0, 10, 0, 1, 11, 0, 2, NAN};
    mg_rgba fill[8];
    mg_legend legend = {0};
    mg_breaks b;
    mg_error err;
    CHECK_INT(mg_style_colour_values(s, &s->layers[0], v, 8, fill, &b,
                                     &legend, NULL, 0, &err), MG_OK);
    CHECK_INT(b.k, 3);
    CHECK_NEAR(b.b[0], 0, 0);
    CHECK_NEAR(b.b[1], 0, 0);
    CHECK_NEAR(b.b[2], 2, 0);
    CHECK_NEAR(b.b[3], 11, 0);
    CHECK_INT((int)b.counts[0], 3);
    CHECK_INT((int)b.counts[1], 2);
    CHECK_INT((int)b.counts[2], 2);
    CHECK_INT((int)b.n_values, 7);
    CHECK_INT((int)b.n_missing, 1);
    CHECK_STR(b.labels[0], "No places");
    CHECK_STR(b.labels[1], "1 \xe2\x80\x93 2");
    CHECK_STR(legend.groups[0].items[0].label, "No places");
    /* labels run from break to break, as every class's do */
    CHECK_STR(legend.groups[0].items[2].label, "2 \xe2\x80\x93 11");
    /* Blues with 3 classes: #deebf7 #9ecae1 #3182bd (ColorBrewer) */
    CHECK_INT(fill[0].r, 0xde);
    CHECK_INT(fill[3].r, 0x9e);
    CHECK_INT(fill[1].r, 0x31);
    CHECK_INT(mg_styles_find_class(&b, 0), 0);
    CHECK_INT(mg_styles_find_class(&b, 0.5), 1);
    mg_legend_clear(&legend);
    /* A negative value: 0 is not the bottom, so no class of its own. */
    double w[5] = {-1, 0, 0, 5, 6};
    CHECK_INT(mg_style_colour_values(s, &s->layers[0], w, 5, fill, &b, NULL,
                                     NULL, 0, &err), MG_OK);
    CHECK(strcmp(b.labels[0], "No places") != 0);
    mg_style_free(s);
}

static void test_colour_categories(void)
{
    mg_style *s = parse_ok(
        "{\"layers\": [{\"type\": \"points\", \"field\": \"category\","
        " \"palette\": \"Dark2\", \"other\": \"#010203\"}]}");
    if (!s)
        return;
    const char *known[3] = {"a", "b", "c"};
    const char *vals[5] = {"b", "a", NULL, "zzz", "b"};
    mg_rgba fill[5];
    mg_legend legend = {0};
    mg_error err;
    CHECK_INT(mg_style_colour_categories(s, &s->layers[0], vals, 5, known, 3,
                                         fill, &legend, &err), MG_OK);
    /* Dark2 3: #1b9e77 #d95f02 #7570b3 */
    CHECK_INT(fill[0].r, 0xd9);
    CHECK_INT(fill[1].r, 0x1b);
    CHECK_INT(fill[2].r, 1);
    CHECK_INT(fill[3].r, 1);
    CHECK_INT(legend.groups[0].n, 3); /* a, b (c unused), Other */
    CHECK_STR(legend.groups[0].items[0].label, "a");
    CHECK_STR(legend.groups[0].items[2].label, "Other");
    CHECK_INT(legend.groups[0].items[0].shape, MG_LEGEND_DOT);
    mg_legend_clear(&legend);
    mg_style_free(s);
}

static void test_shipped(const char *dir)
{
    static const char *const names[] = {"base", "services", "needs",
                                        "poverty"};
    for (int i = 0; i < 4; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s.json", dir, names[i]);
        mg_style *s = NULL;
        mg_error err;
        int rc = mg_style_load(path, &s, &err);
        if (rc)
            fprintf(stderr, "%s: %s: %s\n", path, err.field, err.message);
        CHECK_INT(rc, MG_OK);
        mg_style_free(s);
    }
}

int main(int argc, char **argv)
{
    test_parse();
    test_errors();
    test_colour_values();
    test_zero_class();
    test_colour_categories();
    if (argc > 1)
        test_shipped(argv[1]);
    CHECK_DONE();
}
