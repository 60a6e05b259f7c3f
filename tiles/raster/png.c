/*
 * PNG encoding and decoding through libpng, in memory.  This file is the
 * one boundary with libpng: its errors (delivered by longjmp) become
 * MG_ERR_* codes and an mg_error here.
 */
#include "internal.h"

#include <png.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Fills err through geodata's mg_error_setv() and returns code. */
static int fail(mg_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(mg_error *err, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    mg_error_setv(err, code, NULL, -1, NULL, fmt, ap);
    va_end(ap);
    return code;
}

/* What libpng's callbacks report back: its last error text, and whether the
 * failure was ours (memory) rather than libpng's or the data's. */
typedef struct png_io {
    char message[256];
    int nomem;
    /* writing: the growing output */
    unsigned char *data;
    size_t size, cap;
    /* reading: the input */
    const unsigned char *in;
    size_t in_size, pos;
} png_io;

static void on_error(png_structp png, png_const_charp msg)
{
    png_io *io = png_get_error_ptr(png);
    snprintf(io->message, sizeof io->message, "%s", msg);
    png_longjmp(png, 1);
}

/* Warnings (a benign CRC quirk, say) are not worth a message of ours. */
static void on_warning(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg;
}

static void on_write(png_structp png, png_bytep buf, size_t len)
{
    png_io *io = png_get_io_ptr(png);
    if (len > io->cap - io->size) {
        size_t cap = io->cap ? io->cap : 4096;
        while (cap - io->size < len)
            cap *= 2;
        unsigned char *p = realloc(io->data, cap);
        if (!p) {
            io->nomem = 1;
            png_error(png, "out of memory");
        }
        io->data = p;
        io->cap = cap;
    }
    memcpy(io->data + io->size, buf, len);
    io->size += len;
}

static void on_flush(png_structp png)
{
    (void)png;
}

static void on_read(png_structp png, png_bytep buf, size_t len)
{
    png_io *io = png_get_io_ptr(png);
    if (len > io->in_size - io->pos)
        png_error(png, "truncated PNG data");
    memcpy(buf, io->in + io->pos, len);
    io->pos += len;
}

/* ---- palette ------------------------------------------------------------ */

typedef struct palette {
    uint8_t rgba[256][4];
    int n, n_translucent;
} palette;

/* A pixel's 4 bytes as one word (in the machine's byte order: only
 * compared and hashed, never taken apart). */
static uint32_t pack(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* 8 bytes of p (two RGBA pixels) as one word. */
static uint64_t load2(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* Numbers the distinct colours of c by first occurrence into index (one
 * byte per pixel) and pal.  Returns 0 when there are more than 256.
 * Map tiles are mostly flat: a row equal to the one above takes that
 * row's indices, and within a row a run of the last colour is taken four
 * pixels at a time; only a change of colour looks up the table. */
static int find_colours(const mg_canvas *c, uint8_t *index, palette *pal)
{
    /* Open addressing over 1024 slots: at most 257 keys, load <= 1/4. */
    uint32_t keys[1024];
    int16_t slot[1024];
    memset(slot, -1, sizeof slot);
    uint32_t last = pack(c->rgba);
    int last_i = -1;
    pal->n = 0;
    const size_t w = (size_t)c->width, row_bytes = 4 * w;
    for (int y = 0; y < c->height; y++) {
        const uint8_t *row = c->rgba + (size_t)y * c->stride;
        uint8_t *out = index + (size_t)y * w;
        if (y > 0 && memcmp(row, row - c->stride, row_bytes) == 0) {
            memcpy(out, out - w, w);
            continue;
        }
        size_t x = 0;
        while (x < w) {
            uint64_t two = (uint64_t)last << 32 | last;
            if (last_i >= 0) {
                while (x + 4 <= w && load2(row + 4 * x) == two &&
                       load2(row + 4 * x + 8) == two) {
                    memset(out + x, last_i, 4);
                    x += 4;
                }
                if (x == w)
                    break;
            }
            uint32_t k = pack(row + 4 * x);
            if (last_i < 0 || k != last) {
                unsigned h = (k * 2654435761u) >> 22;
                while (slot[h] >= 0 && keys[h] != k)
                    h = (h + 1) & 1023;
                if (slot[h] < 0) {
                    if (pal->n == 256)
                        return 0;
                    keys[h] = k;
                    slot[h] = (int16_t)pal->n;
                    memcpy(pal->rgba[pal->n++], row + 4 * x, 4);
                }
                last = k;
                last_i = slot[h];
            }
            out[x++] = (uint8_t)last_i;
        }
    }
    return 1;
}

/* Reorders the palette so translucent colours come first (tRNS then only
 * lists those), keeping first-occurrence order within each group, and
 * renumbers index to match. */
static void order_palette(palette *pal, uint8_t *index, size_t n_pixels)
{
    uint8_t map[256], old[256][4];
    memcpy(old, pal->rgba, sizeof old);
    int next = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < pal->n; i++) {
            if ((old[i][3] == 255) != (pass == 1))
                continue;
            map[i] = (uint8_t)next;
            memcpy(pal->rgba[next++], old[i], 4);
        }
        if (pass == 0)
            pal->n_translucent = next;
    }
    int identity = 1;
    for (int i = 0; i < pal->n; i++)
        identity &= map[i] == i;
    if (identity) /* e.g. a tile without translucent pixels */
        return;
    for (size_t i = 0; i < n_pixels; i++)
        index[i] = map[index[i]];
}

/* ---- encoding ----------------------------------------------------------- */

static void write_palette_image(png_structp png, png_infop info,
                                const mg_canvas *c, const palette *pal,
                                const uint8_t *index)
{
    int depth = pal->n <= 2 ? 1 : pal->n <= 4 ? 2 : pal->n <= 16 ? 4 : 8;
    png_color colours[256];
    png_byte alpha[256];
    for (int i = 0; i < pal->n; i++) {
        colours[i].red = pal->rgba[i][0];
        colours[i].green = pal->rgba[i][1];
        colours[i].blue = pal->rgba[i][2];
        alpha[i] = pal->rgba[i][3];
    }
    png_set_IHDR(png, info, (png_uint_32)c->width, (png_uint_32)c->height,
                 depth, PNG_COLOR_TYPE_PALETTE, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_PLTE(png, info, colours, pal->n);
    if (pal->n_translucent > 0)
        png_set_tRNS(png, info, alpha, pal->n_translucent, NULL);
    /* Filters predict neighbouring samples; palette indices are not
     * samples, so the PNG spec's advice (and smaller files) is no filter. */
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
    /* Every index is below pal->n by construction (find_colours); libpng's
     * check of each one cost 5 % of the rendering benchmark's CPU time. */
    png_set_check_for_invalid_index(png, 0);
    png_write_info(png, info);
    if (depth < 8)
        png_set_packing(png);
    for (int y = 0; y < c->height; y++)
        png_write_row(png, index + (size_t)y * (size_t)c->width);
}

/* 1 when every pixel of c is opaque. */
static int all_opaque(const mg_canvas *c)
{
    for (int y = 0; y < c->height; y++) {
        const uint8_t *row = c->rgba + (size_t)y * c->stride;
        unsigned a = 255;
        for (int x = 0; x < c->width; x++)
            a &= row[4 * x + 3];
        if (a != 255)
            return 0;
    }
    return 1;
}

/* The RGB bytes of n RGBA pixels into rgb, which has room for 3 * n + 1
 * bytes.  On a little-endian machine (R a word's low byte) four pixels a
 * step, two 64-bit loads and two stores: half the time of a pixel at a
 * time on the rendering benchmark. */
static void pack_rgb(uint8_t *rgb, const uint8_t *rgba, int n)
{
    int x = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    for (; x + 4 <= n; x += 4) {
        uint64_t a, b;
        memcpy(&a, rgba + 4 * x, 8);
        memcpy(&b, rgba + 4 * x + 8, 8);
        uint64_t lo =
            (a & 0xffffffu) | ((a >> 8) & 0xffffff000000u) | (b << 48);
        uint32_t hi = (uint32_t)((b >> 16) & 0xffu) |
                      (uint32_t)((b >> 24) & 0xffffff00u);
        memcpy(rgb + 3 * x, &lo, 8);
        memcpy(rgb + 3 * x + 8, &hi, 4);
    }
#endif
    for (; x < n; x++)
        memcpy(rgb + 3 * x, rgba + 4 * x, 4);
}

/* 8-bit RGBA, or RGB when every pixel is opaque: a quarter less to
 * compress and store, and the same pixels decoded.  rgb is scratch for
 * one RGB row (3 * width + 1 bytes): pack_rgb() there costs a tenth of
 * what libpng's filler stripping does. */
static void write_rgba_image(png_structp png, png_infop info,
                             const mg_canvas *c, uint8_t *rgb)
{
    int opaque = all_opaque(c);
    png_set_IHDR(png, info, (png_uint_32)c->width, (png_uint_32)c->height, 8,
                 opaque ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_RGB_ALPHA,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    /* No filter: map tiles are flat fills with anti-aliased edges, which
     * deflate matches well as they are.  On the rendering benchmark's
     * tiles (docs/performance.md) libpng's adaptive choice took 2.5 times
     * as long at level 6 and made files 1.4 % larger. */
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
    png_write_info(png, info);
    for (int y = 0; y < c->height; y++) {
        const uint8_t *row = c->rgba + (size_t)y * c->stride;
        if (!opaque) {
            png_write_row(png, row);
            continue;
        }
        pack_rgb(rgb, row, c->width);
        png_write_row(png, rgb);
    }
}

static int canvas_ok(const mg_canvas *c)
{
    return c && c->rgba && c->width >= 1 && c->width <= MG_TILES_MAX_SIZE &&
           c->height >= 1 && c->height <= MG_TILES_MAX_SIZE &&
           c->stride >= 4 * (size_t)c->width;
}

int mg_tiles_encode_png(const mg_canvas *c, int level, unsigned char **out,
                        size_t *size, mg_error *err)
{
    if (!canvas_ok(c) || level < 0 || level > 9 || !out || !size)
        return fail(err, MG_ERR_USAGE, "encode PNG: invalid argument");
    size_t n_pixels = (size_t)c->width * (size_t)c->height;
    /* io lives on the heap: libpng's callbacks change it between setjmp()
     * and a longjmp(), which an automatic object would not survive. */
    /* index: a byte per pixel, later also an RGB row (write_rgba_image) */
    size_t rgb_row = 3 * (size_t)c->width + 1;
    uint8_t *index = malloc(n_pixels > rgb_row ? n_pixels : rgb_row);
    palette *pal = malloc(sizeof *pal);
    png_io *io = calloc(1, sizeof *io);
    png_structp png = NULL;
    png_infop info = NULL;
    int rc = MG_ERR_NOMEM;
    if (!index || !pal || !io)
        goto done;
    int use_palette = find_colours(c, index, pal);
    if (use_palette)
        order_palette(pal, index, n_pixels);
    png = png_create_write_struct(PNG_LIBPNG_VER_STRING, io, on_error,
                                  on_warning);
    info = png ? png_create_info_struct(png) : NULL;
    if (!info)
        goto done;
    if (setjmp(png_jmpbuf(png))) {
        rc = io->nomem ? MG_ERR_NOMEM : MG_ERR_DEPENDENCY;
        goto done;
    }
    png_set_write_fn(png, io, on_write, on_flush);
    png_set_compression_level(png, level);
    if (use_palette)
        write_palette_image(png, info, c, pal, index);
    else
        write_rgba_image(png, info, c, index); /* index: free here */
    png_write_end(png, NULL);
    *out = io->data;
    *size = io->size;
    io->data = NULL;
    rc = MG_OK;
done:
    png_destroy_write_struct(png ? &png : NULL, info ? &info : NULL);
    if (rc != MG_OK && rc != MG_ERR_NOMEM)
        fail(err, rc, "encode PNG: libpng: %s", io->message);
    else if (rc == MG_ERR_NOMEM)
        fail(err, rc, "encode PNG: out of memory");
    if (io)
        free(io->data);
    free(io);
    free(pal);
    free(index);
    return rc;
}

/* ---- decoding ----------------------------------------------------------- */

/* Asks libpng for 8-bit straight RGBA whatever the file holds. */
static void request_rgba8(png_structp png, png_infop info)
{
    int type = png_get_color_type(png, info);
    int depth = png_get_bit_depth(png, info);
    int trns = png_get_valid(png, info, PNG_INFO_tRNS) != 0;
    if (type == PNG_COLOR_TYPE_PALETTE)
        png_set_palette_to_rgb(png);
    if (type == PNG_COLOR_TYPE_GRAY && depth < 8)
        png_set_expand_gray_1_2_4_to_8(png);
    if (trns)
        png_set_tRNS_to_alpha(png);
    if (depth == 16)
        png_set_scale_16(png);
    if (type == PNG_COLOR_TYPE_GRAY || type == PNG_COLOR_TYPE_GRAY_ALPHA)
        png_set_gray_to_rgb(png);
    if (!(type & PNG_COLOR_MASK_ALPHA) && !trns)
        png_set_add_alpha(png, 0xff, PNG_FILLER_AFTER);
}

int mg_tiles_decode_png(const void *data, size_t size, mg_canvas **out,
                        mg_error *err)
{
    if (!data || !out)
        return fail(err, MG_ERR_USAGE, "decode PNG: invalid argument");
    if (size < 8 || png_sig_cmp(data, 0, 8) != 0)
        return fail(err, MG_ERR_INPUT, "decode PNG: not a PNG signature");
    /* On the heap for the reason given in mg_tiles_encode_png(). */
    png_io *io = calloc(1, sizeof *io);
    png_structp png = NULL;
    png_infop info = NULL;
    mg_canvas *volatile canvas = NULL;
    int rc = MG_ERR_NOMEM;
    if (!io)
        goto done;
    io->in = data;
    io->in_size = size;
    png = png_create_read_struct(PNG_LIBPNG_VER_STRING, io, on_error,
                                 on_warning);
    info = png ? png_create_info_struct(png) : NULL;
    if (!info)
        goto done;
    if (setjmp(png_jmpbuf(png))) {
        rc = io->nomem ? MG_ERR_NOMEM : MG_ERR_INPUT;
        goto done;
    }
    png_set_read_fn(png, io, on_read);
    png_set_user_limits(png, MG_TILES_MAX_SIZE, MG_TILES_MAX_SIZE);
    png_read_info(png, info);
    request_rgba8(png, info);
    int passes = png_set_interlace_handling(png);
    png_read_update_info(png, info);
    int w = (int)png_get_image_width(png, info);
    int h = (int)png_get_image_height(png, info);
    if (png_get_rowbytes(png, info) != 4 * (size_t)w)
        png_error(png, "unexpected row layout");
    canvas = mg_canvas_new(w, h);
    if (!canvas) {
        io->nomem = 1;
        png_error(png, "out of memory");
    }
    for (int pass = 0; pass < passes; pass++)
        for (int y = 0; y < h; y++)
            png_read_row(png, canvas->rgba + (size_t)y * canvas->stride, NULL);
    png_read_end(png, NULL);
    *out = canvas;
    canvas = NULL;
    rc = MG_OK;
done:
    png_destroy_read_struct(png ? &png : NULL, info ? &info : NULL, NULL);
    mg_canvas_free(canvas);
    if (rc == MG_ERR_NOMEM)
        fail(err, rc, "decode PNG: out of memory");
    else if (rc != MG_OK)
        fail(err, rc, "decode PNG: %s", io->message);
    free(io);
    return rc;
}
