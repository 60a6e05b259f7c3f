/*
 * PNG decoding through libpng, in memory.  This file is the one boundary
 * with libpng: its errors (delivered by longjmp) become MG_ERR_* codes and
 * an mg_error here.  Encoding is png_write.c's, without libpng.
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
 * failure was ours (memory) rather than libpng's or the data's; and the
 * PNG being read. */
typedef struct png_io {
    char message[256];
    int nomem;
    /* the input */
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

static void on_read(png_structp png, png_bytep buf, size_t len)
{
    png_io *io = png_get_io_ptr(png);
    if (len > io->in_size - io->pos)
        png_error(png, "truncated PNG data");
    memcpy(buf, io->in + io->pos, len);
    io->pos += len;
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
    /* io lives on the heap: libpng's callbacks change it between setjmp()
     * and a longjmp(), which an automatic object would not survive. */
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
