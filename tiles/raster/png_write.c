/*
 * PNG encoding without libpng: the chunks (signature, IHDR, PLTE, tRNS,
 * IDAT, IEND) are written here and the image data is deflated whole by
 * libdeflate, which compresses flat map tiles faster and smaller than
 * zlib (docs/performance.md).  This file is the one boundary with
 * libdeflate.  The format is the PNG specification's (ISO/IEC 15948,
 * W3C PNG 2nd edition): chunks are length, type, data, CRC-32 of type and
 * data, all integers big-endian; IDAT holds one zlib stream of the
 * filtered rows, each row a filter-type byte and its samples.
 */
#include "internal.h"

#include <libdeflate.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

typedef struct palette {
    uint8_t rgba[256][4];
    int n, n_translucent;
} palette;

/* Scratch that grows to the largest tile seen and is then reused, so an
 * encoder kept by a rendering thread allocates only the PNG it returns. */
struct mg_png_encoder {
    int level;
    struct libdeflate_compressor *z; /* NULL at level 1 */
    uint8_t *index; /* a byte per pixel */
    size_t cap_index;
    uint8_t *raw; /* the filtered rows */
    size_t cap_raw;
    uint8_t *zbuf; /* the zlib stream */
    size_t cap_zbuf;
    palette pal;
};

mg_png_encoder *mg_png_encoder_new(int level)
{
    if (level < 0 || level > 9)
        return NULL;
    mg_png_encoder *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    e->level = level;
    /* level 1 is deflate_flat.c's, which needs no compressor (libdeflate's
     * tables are some hundred KiB to allocate and fault in) */
    e->z = level == 1 ? NULL : libdeflate_alloc_compressor(level);
    if (level != 1 && !e->z) {
        free(e);
        return NULL;
    }
    return e;
}

void mg_png_encoder_free(mg_png_encoder *e)
{
    if (!e)
        return;
    libdeflate_free_compressor(e->z);
    free(e->index);
    free(e->raw);
    free(e->zbuf);
    free(e);
}

/* Grows *buf to at least n bytes; 0, or -1 out of memory (*buf kept). */
static int grow(uint8_t **buf, size_t *cap, size_t n)
{
    if (n <= *cap)
        return 0;
    uint8_t *p = realloc(*buf, n);
    if (!p)
        return -1;
    *buf = p;
    *cap = n;
    return 0;
}

/* ---- palette ------------------------------------------------------------ */

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

/* The table find_colours() numbers colours with: open addressing over
 * 1024 slots, at most 257 keys, so the load stays below 1/4. */
typedef struct colour_table {
    uint32_t keys[1024];
    int16_t slot[1024];
} colour_table;

/* The palette index of colour k (whose bytes are at px), added when new;
 * -1 when it would be the 257th. */
static int lookup(colour_table *t, palette *pal, uint32_t k,
                  const uint8_t *px)
{
    unsigned h = (k * 2654435761u) >> 22;
    while (t->slot[h] >= 0 && t->keys[h] != k)
        h = (h + 1) & 1023;
    if (t->slot[h] < 0) {
        if (pal->n == 256)
            return -1;
        t->keys[h] = k;
        t->slot[h] = (int16_t)pal->n;
        memcpy(pal->rgba[pal->n++], px, 4);
    }
    return t->slot[h];
}

/* Numbers the distinct colours of c by first occurrence into index (one
 * byte per pixel) and pal.  Returns 0 when there are more than 256.
 * Map tiles are mostly flat: a row equal to the one above takes that
 * row's indices, and within a row a run of the last colour is taken four
 * pixels at a time; only a change of colour looks up the table. */
static int find_colours(const mg_canvas *c, uint8_t *index, palette *pal)
{
    colour_table t;
    memset(t.slot, -1, sizeof t.slot);
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
                last_i = lookup(&t, pal, k, row + 4 * x);
                if (last_i < 0)
                    return 0;
                last = k;
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

/* ---- rows --------------------------------------------------------------- */

/* What the image is stored as: PNG colour type and bit depth, and the
 * bytes of one row's samples. */
typedef struct layout {
    int type, depth;
    size_t row_bytes;
} layout;

enum { PNG_PALETTE = 3, PNG_RGB = 2, PNG_RGBA = 6 };

/* 1 when every pixel of c is opaque. */
static int all_opaque(const mg_canvas *c)
{
    for (int y = 0; y < c->height; y++) {
        const uint8_t *row = c->rgba + (size_t)y * c->stride;
        /* two pixels a step: a word with only their alpha bytes set,
         * whatever the byte order */
        static const uint8_t alpha[8] = {0, 0, 0, 255, 0, 0, 0, 255};
        uint64_t mask;
        memcpy(&mask, alpha, 8);
        uint64_t all = mask;
        int x = 0;
        for (; x + 2 <= c->width; x += 2) {
            uint64_t v;
            memcpy(&v, row + 4 * x, 8);
            all &= v;
        }
        unsigned a = (all & mask) == mask ? 255 : 0;
        for (; x < c->width; x++)
            a &= row[4 * x + 3];
        if (a != 255)
            return 0;
    }
    return 1;
}

/* The RGB bytes of n RGBA pixels into rgb.  On a little-endian machine (R
 * a word's low byte) four pixels a step, two 64-bit loads and three
 * stores. */
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
        memcpy(rgb + 3 * x, rgba + 4 * x, 3);
}

/* Packs n indices of depth bits (1, 2 or 4) into out, the first in the
 * high bits of a byte as PNG wants; the last byte's spare bits are 0. */
static void pack_indices(uint8_t *out, const uint8_t *index, int n,
                         int depth)
{
    int per = 8 / depth;
    for (int x = 0; x < n; x += per) {
        unsigned b = 0;
        for (int k = 0; k < per; k++) {
            unsigned v = x + k < n ? index[x + k] : 0;
            b |= v << (8 - depth * (k + 1));
        }
        *out++ = (uint8_t)b;
    }
}

/* Writes the filtered rows of c into raw.  Every row uses filter type 0
 * (none): map tiles are flat fills with anti-aliased edges, which deflate
 * matches well as they are (a row like the one above is one match), and
 * palette indices are not samples a filter could predict. */
static void write_rows(uint8_t *raw, const mg_canvas *c, const layout *L,
                       const uint8_t *index)
{
    const size_t w = (size_t)c->width;
    for (int y = 0; y < c->height; y++) {
        uint8_t *out = raw + (size_t)y * (L->row_bytes + 1);
        const uint8_t *row = c->rgba + (size_t)y * c->stride;
        *out++ = 0;
        if (L->type == PNG_RGBA)
            memcpy(out, row, 4 * w);
        else if (L->type == PNG_RGB)
            pack_rgb(out, row, c->width);
        else if (L->depth == 8)
            memcpy(out, index + (size_t)y * w, w);
        else
            pack_indices(out, index + (size_t)y * w, c->width, L->depth);
    }
}

/* ---- chunks ------------------------------------------------------------- */

static uint8_t *put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
    return p + 4;
}

/* Writes a chunk of type and len bytes of data at p; returns its end. */
static uint8_t *put_chunk(uint8_t *p, const char *type, const void *data,
                          size_t len)
{
    p = put32(p, (uint32_t)len);
    memcpy(p, type, 4);
    if (len)
        memcpy(p + 4, data, len);
    uint32_t crc = libdeflate_crc32(0, p, 4 + len);
    return put32(p + 4 + len, crc);
}

/* The PNG of c laid out as L, from its zlib stream z of nz bytes, into a
 * new buffer (*out, *size). */
static int assemble(const mg_canvas *c, const layout *L, const palette *pal,
                    const uint8_t *z, size_t nz, unsigned char **out,
                    size_t *size)
{
    int n_pal = L->type == PNG_PALETTE ? pal->n : 0;
    int n_trns = L->type == PNG_PALETTE ? pal->n_translucent : 0;
    size_t n = 8 + 25 + (n_pal ? 12 + 3 * (size_t)n_pal : 0) +
               (n_trns ? 12 + (size_t)n_trns : 0) + 12 + nz + 12;
    uint8_t *png = malloc(n), ihdr[13], plte[768], trns[256];
    if (!png)
        return MG_ERR_NOMEM;
    put32(ihdr, (uint32_t)c->width);
    put32(ihdr + 4, (uint32_t)c->height);
    ihdr[8] = (uint8_t)L->depth;
    ihdr[9] = (uint8_t)L->type;
    ihdr[10] = ihdr[11] = ihdr[12] = 0; /* deflate, adaptive, no interlace */
    for (int i = 0; i < n_pal; i++) {
        memcpy(plte + 3 * i, pal->rgba[i], 3);
        trns[i] = pal->rgba[i][3];
    }
    uint8_t *p = png;
    memcpy(p, "\x89PNG\r\n\x1a\n", 8);
    p = put_chunk(p + 8, "IHDR", ihdr, 13);
    if (n_pal)
        p = put_chunk(p, "PLTE", plte, 3 * (size_t)n_pal);
    if (n_trns)
        p = put_chunk(p, "tRNS", trns, (size_t)n_trns);
    p = put_chunk(p, "IDAT", z, nz);
    p = put_chunk(p, "IEND", NULL, 0);
    *out = png;
    *size = (size_t)(p - png);
    return MG_OK;
}

/* ---- encoding ----------------------------------------------------------- */

static int canvas_ok(const mg_canvas *c)
{
    return c && c->rgba && c->width >= 1 && c->width <= MG_TILES_MAX_SIZE &&
           c->height >= 1 && c->height <= MG_TILES_MAX_SIZE &&
           c->stride >= 4 * (size_t)c->width;
}

/* Chooses palette (bit depth by the palette's size), RGB or RGBA for c;
 * fills e->index and e->pal for a palette. */
static layout choose_layout(mg_png_encoder *e, const mg_canvas *c)
{
    layout L;
    size_t w = (size_t)c->width;
    if (find_colours(c, e->index, &e->pal)) {
        order_palette(&e->pal, e->index, w * (size_t)c->height);
        int n = e->pal.n;
        L.type = PNG_PALETTE;
        L.depth = n <= 2 ? 1 : n <= 4 ? 2 : n <= 16 ? 4 : 8;
        L.row_bytes = (w * (size_t)L.depth + 7) / 8;
    } else {
        int opaque = all_opaque(c);
        L.type = opaque ? PNG_RGB : PNG_RGBA;
        L.depth = 8;
        L.row_bytes = (opaque ? 3 : 4) * w;
    }
    return L;
}

int mg_png_encode(mg_png_encoder *e, const mg_canvas *c, unsigned char **out,
                  size_t *size, mg_error *err)
{
    if (!e || !canvas_ok(c) || !out || !size)
        return fail(err, MG_ERR_USAGE, "encode PNG: invalid argument");
    size_t n_pixels = (size_t)c->width * (size_t)c->height;
    /* the largest layout, RGBA, bounds every other's */
    size_t raw_max = (size_t)c->height * (4 * (size_t)c->width + 1);
    if (grow(&e->index, &e->cap_index, n_pixels) ||
        grow(&e->raw, &e->cap_raw, raw_max))
        return fail(err, MG_ERR_NOMEM, "encode PNG: out of memory");
    layout L = choose_layout(e, c);
    size_t n_raw = (size_t)c->height * (L.row_bytes + 1);
    write_rows(e->raw, c, &L, e->index);
    int flat = e->level == 1;
    size_t bound = flat ? flat_zlib_bound(n_raw)
                        : libdeflate_zlib_compress_bound(e->z, n_raw);
    if (grow(&e->zbuf, &e->cap_zbuf, bound))
        return fail(err, MG_ERR_NOMEM, "encode PNG: out of memory");
    size_t pixel = L.type == PNG_RGBA ? 4 : L.type == PNG_RGB ? 3 : 1;
    size_t nz =
        flat ? flat_zlib(e->raw, n_raw, L.row_bytes + 1, pixel, e->zbuf)
             : libdeflate_zlib_compress(e->z, e->raw, n_raw, e->zbuf,
                                        e->cap_zbuf);
    if (nz == 0) /* cannot happen with the bound's room */
        return fail(err, MG_ERR_DEPENDENCY,
                    "encode PNG: libdeflate: output did not fit its bound");
    if (assemble(c, &L, &e->pal, e->zbuf, nz, out, size))
        return fail(err, MG_ERR_NOMEM, "encode PNG: out of memory");
    return MG_OK;
}

int mg_tiles_encode_png(const mg_canvas *c, int level, unsigned char **out,
                        size_t *size, mg_error *err)
{
    if (!canvas_ok(c) || level < 0 || level > 9 || !out || !size)
        return fail(err, MG_ERR_USAGE, "encode PNG: invalid argument");
    mg_png_encoder *e = mg_png_encoder_new(level);
    if (!e)
        return fail(err, MG_ERR_NOMEM, "encode PNG: out of memory");
    int rc = mg_png_encode(e, c, out, size, err);
    mg_png_encoder_free(e);
    return rc;
}
