/* The PNG writer (tiles/raster/png_write.c) against libpng's decoder: every
 * golden tile and a set of random images are encoded at several levels,
 * once by mg_tiles_encode_png() and once by a reused mg_png_encoder, and
 * read back with libpng's simplified API (which checks every chunk's CRC
 * and the zlib stream's Adler-32); the pixels must come back bit for bit
 * and the colour type must follow the rule in tiles/raster.h.
 *
 * usage: tiles_png_exact GOLDEN_DIR   (tests/golden: its *.png, any depth) */
#define _XOPEN_SOURCE 700
#include "check.h"
#include "tiles/store.h"

#include <ftw.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static mg_png_encoder *shared[10];
static int n_golden;

/* Decodes png with libpng into a new canvas, or NULL (and a failed check). */
static mg_canvas *libpng_decode(const unsigned char *png, size_t n)
{
    png_image im;
    memset(&im, 0, sizeof im);
    im.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&im, png, n)) {
        fprintf(stderr, "libpng: %s\n", im.message);
        CHECK(!"libpng could not read the PNG");
        return NULL;
    }
    im.format = PNG_FORMAT_RGBA;
    mg_canvas *c = mg_canvas_new((int)im.width, (int)im.height);
    if (!c || !png_image_finish_read(&im, NULL, c->rgba, 0, NULL)) {
        fprintf(stderr, "libpng: %s\n", im.message);
        CHECK(!"libpng could not decode the PNG");
        png_image_free(&im);
        mg_canvas_free(c);
        return NULL;
    }
    return c;
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

/* The colour type and bit depth tiles/raster.h promises for c, counted
 * here the slow way: distinct RGBA values, then opacity. */
static void expected_type(const mg_canvas *c, int *type, int *depth)
{
    static uint32_t seen[257];
    int n = 0, opaque = 1;
    for (int y = 0; y < c->height; y++)
        for (int x = 0; x < c->width; x++) {
            uint32_t v;
            memcpy(&v, c->rgba + (size_t)y * c->stride + 4 * (size_t)x, 4);
            opaque &= c->rgba[(size_t)y * c->stride + 4 * (size_t)x + 3] ==
                      255;
            int k = 0;
            while (k < n && seen[k] != v)
                k++;
            if (k == n && n < 257)
                seen[n++] = v;
        }
    if (n <= 256) {
        *type = PNG_COLOR_TYPE_PALETTE;
        *depth = n <= 2 ? 1 : n <= 4 ? 2 : n <= 16 ? 4 : 8;
    } else {
        *type = opaque ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_RGB_ALPHA;
        *depth = 8;
    }
}

/* Encodes c both ways at level, checks the header, decodes with libpng,
 * compares; both encodings must be the same bytes. */
static void check_exact(const mg_canvas *c, int level, int type, int depth,
                        const char *what)
{
    unsigned char *a = NULL, *b = NULL;
    size_t na = 0, nb = 0;
    mg_error err;
    if (!shared[level])
        shared[level] = mg_png_encoder_new(level);
    CHECK_INT(mg_tiles_encode_png(c, level, &a, &na, &err), MG_OK);
    CHECK_INT(mg_png_encode(shared[level], c, &b, &nb, &err), MG_OK);
    if (!a || !b) {
        free(a);
        free(b);
        return;
    }
    CHECK(na == nb && memcmp(a, b, na) == 0);
    if (a[24] != depth || a[25] != type) {
        fprintf(stderr, "%s level %d: type %d depth %d, expected %d %d\n",
                what, level, a[25], a[24], type, depth);
        CHECK(!"colour type or depth");
    }
    mg_canvas *back = libpng_decode(a, na);
    if (back && !same_pixels(c, back)) {
        fprintf(stderr, "%s level %d: pixels differ\n", what, level);
        CHECK(!"same pixels");
    }
    mg_canvas_free(back);
    free(a);
    free(b);
}

static void check_levels(const mg_canvas *c, const char *what)
{
    static const int levels[] = {0, 1, 3, 6, 9};
    int type, depth;
    expected_type(c, &type, &depth);
    for (size_t i = 0; i < sizeof levels / sizeof *levels; i++)
        check_exact(c, levels[i], type, depth, what);
}

static int golden_one(const char *path, const struct stat *st, int flag,
                      struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    size_t n = strlen(path);
    if (flag != FTW_F || n < 4 || strcmp(path + n - 4, ".png") != 0)
        return 0;
    FILE *f = fopen(path, "rb");
    CHECK(f != NULL);
    if (!f)
        return 0;
    static unsigned char buf[1 << 22];
    size_t len = fread(buf, 1, sizeof buf, f);
    fclose(f);
    mg_canvas *c = libpng_decode(buf, len);
    if (c)
        check_levels(c, path);
    mg_canvas_free(c);
    n_golden++;
    return 0;
}

/* A 32-bit LCG (Numerical Recipes' constants): the same images every run. */
static uint32_t rnd(void)
{
    static uint32_t s = 12345;
    s = s * 1664525u + 1013904223u;
    return s >> 8;
}

/* Fills c with pixels drawn from n_colours random colours (each used at
 * least once when the canvas has room), alpha random unless opaque. */
static void random_image(mg_canvas *c, int n_colours, int opaque)
{
    static uint8_t pal[65536][4];
    for (int i = 0; i < n_colours; i++) {
        uint32_t v = rnd();
        pal[i][0] = (uint8_t)v; /* G and B keep the colours distinct */
        pal[i][1] = (uint8_t)(i >> 8);
        pal[i][2] = (uint8_t)i;
        pal[i][3] = opaque ? 255 : (uint8_t)(v >> 16);
    }
    size_t n = (size_t)c->width * (size_t)c->height;
    for (size_t i = 0; i < n; i++) {
        size_t k = i < (size_t)n_colours ? i : rnd() % (uint32_t)n_colours;
        memcpy(c->rgba + 4 * i, pal[k], 4);
    }
}

static void test_random(void)
{
    static const struct {
        int w, h, colours, opaque;
        const char *what;
    } cases[] = {
        {1, 1, 1, 0, "1x1 translucent"},   {1, 1, 1, 1, "1x1 opaque"},
        {512, 512, 1, 1, "512 one colour"}, {256, 256, 1, 0, "one colour"},
        {3, 5, 2, 0, "3x5 two colours"},   {7, 3, 4, 1, "7x3 four colours"},
        {13, 9, 16, 0, "13x9 16 colours"},  {17, 17, 17, 1, "17 colours"},
        {256, 256, 256, 0, "256 colours"},  {256, 256, 257, 0, "257 colours"},
        {256, 256, 257, 1, "257 opaque"},   {512, 512, 65536, 0, "512 noise"},
        {512, 512, 65536, 1, "512 opaque noise"},
        {300, 1, 300, 1, "300x1 RGB"},      {1, 300, 300, 0, "1x300 RGBA"},
        /* level 1's matches one row up reach 32768 bytes back at most:
         * rows of 32765 bytes (with the pixel either side too far), of
         * 32769 (runs only), and one-colour rows past the window */
        {8191, 3, 65536, 0, "8191 wide RGBA"},
        {8192, 3, 65536, 0, "8192 wide RGBA"},
        {10000, 3, 1, 0, "10000 wide one colour"},
        {8192, 3, 300, 1, "8192 wide RGB"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        mg_canvas *c = mg_canvas_new(cases[i].w, cases[i].h);
        random_image(c, cases[i].colours, cases[i].opaque);
        check_levels(c, cases[i].what);
        mg_canvas_free(c);
    }
}

/* Level 1's own deflate (deflate_flat.c) uses a distance code per row
 * length and a length code per match: images of 200 colours (8-bit
 * palette, rows of width + 1 bytes; RGBA for the widest) whose widths put
 * the row in each of
 * deflate's 30 distance ranges, every row the one above with a few pixels
 * changed at random, so matches come in every length from 3 to 258. */
static void test_flat_codes(void)
{
    static const int base[30] = {
        1,    2,    3,    4,    5,    7,     9,     13,    17,   25,
        33,   49,   65,   97,   129,  193,   257,   385,   513,  769,
        1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
    for (int k = 0; k < 30; k++) {
        /* rows of 8-bit indices, or (past 16384 px) of RGBA pixels */
        int row = base[k] + (k > 3 ? (base[k] >> 2) : 0) + 1, h = 4;
        int rgba = row > 16385, w = rgba ? (row - 1) / 4 : row - 1;
        mg_canvas *c = mg_canvas_new(w, h);
        random_image(c, rgba ? 65536 : w < 200 ? w : 200, 0);
        for (int y = 1; y < h; y++) {
            uint8_t *line = c->rgba + (size_t)y * c->stride;
            memcpy(line, line - c->stride, c->stride);
            for (int x = (int)(rnd() % 300); x < w;
                 x += 1 + (int)(rnd() % 300))
                memcpy(line + 4 * x, c->rgba + 4 * (rnd() % (uint32_t)w), 4);
        }
        char what[64];
        snprintf(what, sizeof what, "%d wide, distance code %d", w, k);
        int type, depth;
        expected_type(c, &type, &depth);
        check_exact(c, 1, type, depth, what);
        mg_canvas_free(c);
    }
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: tiles_png_exact GOLDEN_DIR\n");
        return 2;
    }
    test_random();
    test_flat_codes();
    CHECK_INT(nftw(argv[1], golden_one, 16, FTW_PHYS), 0);
    /* tests/golden/clean holds 28 tiles; a moved folder must not pass. */
    CHECK(n_golden >= 28);
    printf("%d golden tiles re-encoded\n", n_golden);
    for (int i = 0; i < 10; i++)
        mg_png_encoder_free(shared[i]);
    CHECK_DONE();
}
