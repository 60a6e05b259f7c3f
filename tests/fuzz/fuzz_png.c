/* libFuzzer target: the public PNG API of tiles/raster (the encoder's
 * insides are another engineer's; only mg_tiles_encode_png and
 * mg_tiles_decode_png are used).  The first byte picks the test:
 *   even: the rest is a PNG file; when it decodes, encoding the canvas at
 *         the level of the second byte and decoding again gives the same
 *         pixels (a lossless round trip);
 *   odd:  the rest makes a canvas (width and height 1..64 from the next
 *         two bytes, then RGBA bytes, repeated); encode, decode, compare.
 * A transparent pixel compares as transparent whatever its colour bytes
 * (a PNG may not keep them). */
#include "fuzz_common.h"
#include "tiles/raster.h"

static void same_pixels(const mg_canvas *a, const mg_canvas *b)
{
    FUZZ_CHECK(a->width == b->width && a->height == b->height);
    for (int y = 0; y < a->height; y++)
        for (int x = 0; x < a->width; x++) {
            const uint8_t *p = a->rgba + y * a->stride + 4 * (size_t)x;
            const uint8_t *q = b->rgba + y * b->stride + 4 * (size_t)x;
            FUZZ_CHECK(p[3] == q[3]);
            FUZZ_CHECK(p[3] == 0 || !memcmp(p, q, 3));
        }
}

static void round_trip(const mg_canvas *c, int level)
{
    unsigned char *png = NULL;
    size_t n = 0;
    mg_error err;
    mg_error_clear(&err);
    int rc = mg_tiles_encode_png(c, level, &png, &n, &err);
    FUZZ_CHECK(rc == MG_OK || rc == MG_ERR_NOMEM);
    if (rc)
        return;
    mg_canvas *back = NULL;
    rc = mg_tiles_decode_png(png, n, &back, &err);
    FUZZ_CHECK(rc == MG_OK || rc == MG_ERR_NOMEM);
    if (!rc)
        same_pixels(c, back);
    mg_canvas_free(back);
    free(png);
}

static void from_bytes(const uint8_t *d, size_t n)
{
    if (n < 2)
        return;
    int w = 1 + d[0] % 64, h = 1 + d[1] % 64;
    mg_canvas *c = mg_canvas_new(w, h);
    if (!c)
        return;
    size_t k = n - 2;
    for (size_t i = 0; k && i < (size_t)w * h * 4; i++)
        c->rgba[i] = d[2 + i % k];
    round_trip(c, d[0] % 10);
    mg_canvas_free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    if (data[0] & 1) {
        from_bytes(data + 1, size - 1);
        return 0;
    }
    mg_canvas *c = NULL;
    mg_error err;
    mg_error_clear(&err);
    int rc = mg_tiles_decode_png(data + 2, size - 2, &c, &err);
    FUZZ_CHECK(rc == MG_OK || rc == MG_ERR_INPUT || rc == MG_ERR_NOMEM);
    if (!rc && (size_t)c->width * c->height <= 512 * 512)
        round_trip(c, data[1] % 10);
    mg_canvas_free(c);
    return 0;
}
