/* PNG encoding: palette or RGBA by colour count, exact round trips,
 * byte-identical output, the palette's order, failure paths. */
#include "check.h"
#include "tiles/store.h"

#include <png.h>
#include <stdlib.h>
#include <string.h>

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           p[3];
}

/* The data of the first chunk of the given type and its length, or NULL. */
static const unsigned char *find_chunk(const unsigned char *png, size_t size,
                                       const char *type, uint32_t *len)
{
    size_t pos = 8;
    while (pos + 12 <= size) {
        uint32_t n = be32(png + pos);
        if (memcmp(png + pos + 4, type, 4) == 0) {
            *len = n;
            return png + pos + 8;
        }
        pos += 12 + (size_t)n;
    }
    return NULL;
}

static int same_pixels(const mg_canvas *a, const mg_canvas *b)
{
    if (a->width != b->width || a->height != b->height)
        return 0;
    for (int y = 0; y < a->height; y++)
        if (memcmp(a->rgba + (size_t)y * a->stride,
                   b->rgba + (size_t)y * b->stride, 4 * (size_t)a->width))
            return 0;
    return 1;
}

static void set_px(mg_canvas *c, int x, int y, uint8_t r, uint8_t g,
                   uint8_t b, uint8_t a)
{
    uint8_t *p = c->rgba + (size_t)y * c->stride + 4 * (size_t)x;
    p[0] = r;
    p[1] = g;
    p[2] = b;
    p[3] = a;
}

/* Encodes at level, checks colour type and bit depth in IHDR, decodes and
 * compares, encodes again and compares bytes.  Returns the PNG (free it). */
static unsigned char *round_trip(const mg_canvas *c, int level, int type,
                                 int depth, size_t *size)
{
    unsigned char *png = NULL, *again = NULL;
    size_t n = 0, n2 = 0;
    mg_canvas *back = NULL;
    mg_error err;
    CHECK_INT(mg_tiles_encode_png(c, level, &png, &n, &err), MG_OK);
    CHECK(png && n > 33 && memcmp(png, "\x89PNG\r\n\x1a\n", 8) == 0);
    if (!png)
        return NULL;
    CHECK_INT(png[24], depth);
    CHECK_INT(png[25], type);
    CHECK_INT(mg_tiles_decode_png(png, n, &back, &err), MG_OK);
    CHECK(back && same_pixels(c, back));
    CHECK_INT(mg_tiles_encode_png(c, level, &again, &n2, &err), MG_OK);
    CHECK(n2 == n && again && memcmp(png, again, n) == 0);
    mg_canvas_free(back);
    free(again);
    *size = n;
    return png;
}

static void test_palette(void)
{
    mg_canvas *c = mg_canvas_new(256, 256);
    size_t n;
    /* Five colours, met in raster order as: transparent, opaque red,
     * translucent blue, opaque green, translucent white. */
    for (int y = 0; y < 256; y++)
        for (int x = 0; x < 256; x++) {
            if (y < 10)
                continue;
            else if (x < 100)
                set_px(c, x, y, 200, 0, 0, 255);
            else if (x < 150)
                set_px(c, x, y, 0, 0, 255, 128);
            else if (x < 200)
                set_px(c, x, y, 0, 160, 0, 255);
            else
                set_px(c, x, y, 255, 255, 255, 7);
        }
    unsigned char *png = round_trip(c, 6, PNG_COLOR_TYPE_PALETTE, 4, &n);
    uint32_t len = 0;
    const unsigned char *plte = find_chunk(png, n, "PLTE", &len);
    const unsigned char *trns = find_chunk(png, n, "tRNS", &len);
    /* Translucent colours first, by first occurrence, then opaque ones. */
    CHECK(plte && trns);
    if (plte && trns) {
        CHECK_INT(len, 3);
        const unsigned char want[] = {0, 0, 0,  0, 0, 255,  255, 255, 255,
                                      200, 0, 0,  0, 160, 0};
        CHECK(memcmp(plte, want, sizeof want) == 0);
        CHECK(trns[0] == 0 && trns[1] == 128 && trns[2] == 7);
    }
    free(png);

    /* Bit depth follows the palette size; all-opaque means no tRNS. */
    mg_tiles_clear_canvas(c, (mg_rgba){10, 20, 30, 255});
    png = round_trip(c, 6, PNG_COLOR_TYPE_PALETTE, 1, &n);
    CHECK(png && find_chunk(png, n, "tRNS", &len) == NULL);
    free(png);
    for (int i = 0; i < 3; i++)
        set_px(c, i, 0, (uint8_t)i, 0, 0, 255);
    free(round_trip(c, 6, PNG_COLOR_TYPE_PALETTE, 2, &n));
    for (int i = 0; i < 16; i++)
        set_px(c, i, 1, 0, (uint8_t)i, 0, 255);
    free(round_trip(c, 6, PNG_COLOR_TYPE_PALETTE, 8, &n));
    mg_canvas_free(c);
}

static void test_rgba(void)
{
    mg_canvas *c = mg_canvas_new(256, 64);
    size_t n;
    /* Exactly 256 colours: still a palette. */
    for (int y = 0; y < 64; y++)
        for (int x = 0; x < 256; x++)
            set_px(c, x, y, (uint8_t)x, 7, 9, (uint8_t)(255 - x));
    free(round_trip(c, 6, PNG_COLOR_TYPE_PALETTE, 8, &n));
    /* One more makes it RGBA. */
    set_px(c, 5, 5, 1, 2, 3, 4);
    free(round_trip(c, 6, PNG_COLOR_TYPE_RGB_ALPHA, 8, &n));
    /* Many colours, every level; transparent pixels keep their RGB. */
    for (int y = 0; y < 64; y++)
        for (int x = 0; x < 256; x++)
            set_px(c, x, y, (uint8_t)(x * y), (uint8_t)(x + 3 * y),
                   (uint8_t)(x ^ y), (uint8_t)((x + y) % 3 ? 255 : x));
    size_t stored = 0, smallest = 0;
    for (int level = 0; level <= 9; level++) {
        free(round_trip(c, level, PNG_COLOR_TYPE_RGB_ALPHA, 8, &n));
        if (level == 0)
            stored = n;
        if (level == 9)
            smallest = n;
    }
    CHECK(stored > smallest);
    CHECK(stored > 256 * 64 * 4);
    /* Every pixel opaque: RGB, three bytes a pixel, decoded back to RGBA
     * with alpha 255. */
    for (int y = 0; y < 64; y++)
        for (int x = 0; x < 256; x++)
            set_px(c, x, y, (uint8_t)(x * y), (uint8_t)(x + 3 * y),
                   (uint8_t)(x ^ y), 255);
    free(round_trip(c, 0, PNG_COLOR_TYPE_RGB, 8, &n));
    CHECK(n > 256 * 64 * 3 && n < 256 * 64 * 4);
    mg_canvas_free(c);
}

/* The encoder's shortcuts: rows equal to the row above, runs taken four
 * pixels at a time that end one pixel short of a change, a row of one
 * pixel's height packed to RGB in the index buffer. */
static void test_shortcuts(void)
{
    size_t n;
    /* 1 px high, 300 opaque colours: RGB from a buffer of 3 * 300 + 1. */
    mg_canvas *c = mg_canvas_new(300, 1);
    for (int x = 0; x < 300; x++)
        set_px(c, x, 0, (uint8_t)x, (uint8_t)(x >> 8), 40, 255);
    free(round_trip(c, 1, PNG_COLOR_TYPE_RGB, 8, &n));
    mg_canvas_free(c);

    /* RGB packed four pixels a step, then the 3 left over: 303 wide,
     * every byte of every pixel different from its neighbours'. */
    c = mg_canvas_new(303, 2);
    for (int y = 0; y < 2; y++)
        for (int x = 0; x < 303; x++)
            set_px(c, x, y, (uint8_t)(x + y), (uint8_t)(3 * x + 1),
                   (uint8_t)(7 * x + 2 + y), 255);
    free(round_trip(c, 1, PNG_COLOR_TYPE_RGB, 8, &n));
    mg_canvas_free(c);

    /* Runs of lengths 1..9 of alternating colours, each row shifted by a
     * pixel from the one above except a repeated pair of rows; a change
     * in the last pixel of a repeated-looking row. */
    c = mg_canvas_new(61, 12);
    for (int y = 0; y < 12; y++) {
        int shift = y == 5 ? 4 : y;
        int x = 0, run = 1, colour = 0;
        while (x < 61) {
            for (int k = 0; k < run && x < 61; k++, x++) {
                int at = (x + shift) % 61;
                set_px(c, at, y, colour ? 230 : 10, 50, (uint8_t)(run * 20),
                       colour ? 255 : 90);
            }
            colour ^= 1;
            run = run % 9 + 1;
        }
    }
    set_px(c, 60, 11, 1, 2, 3, 4);
    /* 13 colours of runs (runs 1-9, then 1-4, alternating) and that one. */
    free(round_trip(c, 3, PNG_COLOR_TYPE_PALETTE, 4, &n));
    mg_canvas_free(c);
}

/* A rendered tile: one colour anti-aliased over transparency stays within
 * a palette (alpha levels of one colour); two colours over each other
 * blend into more than 256. */
static void test_rendered(void)
{
    mg_canvas *c = mg_canvas_new(256, 256);
    mg_raster *r = mg_raster_new(256, 256);
    size_t n;
    double blob[2 * 90];
    for (int k = 0; k < 90; k++) {
        double t = k * 2.0 * 3.14159265358979 / 90;
        blob[2 * k] = 128.3 + (80 + 20 * sin(3 * t)) * cos(t);
        blob[2 * k + 1] = 127.7 + (80 + 20 * sin(3 * t)) * sin(t);
    }
    mg_ring ring = {blob, 90};
    mg_polygon p = {&ring, 1};
    CHECK(mg_tiles_is_transparent(c));
    free(round_trip(c, 6, PNG_COLOR_TYPE_PALETTE, 1, &n));
    CHECK_INT(mg_tiles_draw_polygons(c, r, &p, 1, MG_FILL_EVENODD,
                                     (mg_rgba){49, 130, 189, 255}), MG_OK);
    CHECK(!mg_tiles_is_transparent(c));
    free(round_trip(c, 6, PNG_COLOR_TYPE_PALETTE, 8, &n));
    mg_stroke st = {37.5, MG_JOIN_ROUND, MG_CAP_ROUND, 4.0};
    CHECK_INT(mg_tiles_draw_line(c, r, blob, 90, 1, &st,
                                 (mg_rgba){222, 45, 38, 160}), MG_OK);
    for (int i = 0; i < 40; i++)
        CHECK_INT(mg_tiles_draw_dot(c, r, 10 + i * 6.1, 20 + i * 5.3, 4.5,
                                    (mg_rgba){255, 237, 160, 200}, 1.2,
                                    (mg_rgba){0, 0, 0, 255}), MG_OK);
    free(round_trip(c, 6, PNG_COLOR_TYPE_RGB_ALPHA, 8, &n));

    /* A view with a wider stride: a 100 x 50 window of the tile. */
    mg_canvas view = {c->rgba + 20 * c->stride + 4 * 30, 100, 50, c->stride};
    free(round_trip(&view, 6, PNG_COLOR_TYPE_RGB_ALPHA, 8, &n));
    mg_raster_free(r);
    mg_canvas_free(c);
}

typedef struct sink {
    unsigned char *data;
    size_t size;
} sink;

static void sink_write(png_structp png, png_bytep buf, size_t len)
{
    sink *k = png_get_io_ptr(png);
    k->data = realloc(k->data, k->size + len);
    memcpy(k->data + k->size, buf, len);
    k->size += len;
}

static void sink_flush(png_structp png)
{
    (void)png;
}

/* libpng writes what our encoder never does: 16-bit grey + alpha, Adam7
 * interlaced.  Samples are multiples of 257, so 8 bits hold them exactly
 * (v / 257). */
static void test_decode_other(void)
{
    enum { SW = 13, SH = 7 };
    static sink k;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL,
                                              NULL, NULL);
    png_infop info = png_create_info_struct(png);
    if (setjmp(png_jmpbuf(png))) {
        CHECK(!"libpng failed writing the test image");
        png_destroy_write_struct(&png, &info);
        return;
    }
    png_set_write_fn(png, &k, sink_write, sink_flush);
    png_set_IHDR(png, info, SW, SH, 16, PNG_COLOR_TYPE_GRAY_ALPHA,
                 PNG_INTERLACE_ADAM7, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    static png_byte rows[SH][SW * 4];
    png_bytep ptrs[SH];
    for (int y = 0; y < SH; y++) {
        for (int x = 0; x < SW; x++) {
            unsigned v = 257u * (unsigned)((x * 37 + y * 11) % 256);
            unsigned a = 257u * (unsigned)((x + y) % 2 ? 255 : 40);
            rows[y][4 * x] = (png_byte)(v >> 8);
            rows[y][4 * x + 1] = (png_byte)v;
            rows[y][4 * x + 2] = (png_byte)(a >> 8);
            rows[y][4 * x + 3] = (png_byte)a;
        }
        ptrs[y] = rows[y];
    }
    png_write_image(png, ptrs);
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);

    mg_canvas *c = NULL;
    CHECK_INT(mg_tiles_decode_png(k.data, k.size, &c, NULL), MG_OK);
    if (c) {
        CHECK_INT(c->width, SW);
        CHECK_INT(c->height, SH);
        int bad = 0;
        for (int y = 0; y < SH; y++)
            for (int x = 0; x < SW; x++) {
                const uint8_t *p = c->rgba + (size_t)y * c->stride + 4 * x;
                int v = (x * 37 + y * 11) % 256, a = (x + y) % 2 ? 255 : 40;
                if (p[0] != v || p[1] != v || p[2] != v || p[3] != a)
                    bad++;
            }
        CHECK_INT(bad, 0);
    }
    mg_canvas_free(c);
    free(k.data);
}

static void test_errors(void)
{
    mg_canvas *c = mg_canvas_new(8, 8), *out = NULL;
    unsigned char *png = NULL;
    size_t n = 0;
    mg_error err;
    CHECK_INT(mg_tiles_encode_png(c, -1, &png, &n, &err), MG_ERR_USAGE);
    CHECK_INT(mg_tiles_encode_png(c, 10, &png, &n, &err), MG_ERR_USAGE);
    CHECK_INT(mg_tiles_encode_png(NULL, 6, &png, &n, NULL), MG_ERR_USAGE);
    CHECK(png == NULL);

    const char junk[] = "this is not a PNG at all, not even close";
    CHECK_INT(mg_tiles_decode_png(junk, sizeof junk, &out, &err), MG_ERR_INPUT);
    CHECK_INT(err.code, MG_ERR_INPUT);
    CHECK(strstr(err.message, "PNG") != NULL);
    CHECK_INT(mg_tiles_decode_png(NULL, 10, &out, &err), MG_ERR_USAGE);

    /* Truncated and corrupted files fail cleanly, with libpng's reason. */
    set_px(c, 3, 3, 1, 2, 3, 4);
    CHECK_INT(mg_tiles_encode_png(c, 6, &png, &n, &err), MG_OK);
    for (size_t cut = 8; cut < n; cut += 7) {
        CHECK_INT(mg_tiles_decode_png(png, cut, &out, &err), MG_ERR_INPUT);
        CHECK(out == NULL);
    }
    png[40] ^= 0x55; /* inside IHDR: its CRC no longer matches */
    CHECK_INT(mg_tiles_decode_png(png, n, &out, &err), MG_ERR_INPUT);
    CHECK(err.message[0] != '\0');
    CHECK(out == NULL);
    free(png);
    CHECK_INT(mg_tiles_is_transparent(NULL), 0);
    mg_canvas_free(c);
}

int main(void)
{
    test_palette();
    test_rgba();
    test_shortcuts();
    test_rendered();
    test_decode_other();
    test_errors();
    CHECK_DONE();
}
