/* Legend text DejaVu Sans lacks comes from Noto Sans CJK, not as boxes.
 * Each label is drawn alone in a legend of one item; a missing glyph is
 * DejaVu's .notdef box, the same for every missing character, so two
 * different CJK labels drawn as boxes give the same image and drawn as
 * glyphs give different ones (and differ from two characters of the
 * private use area, which no font here has: boxes). */
#include "check.h"
#include "tiles/raster.h"

#include <stdlib.h>
#include <string.h>

static mg_canvas *draw(const char *label)
{
    mg_legend l = {0};
    mg_rgba c = {200, 30, 30, 255}, none = {0, 0, 0, 0};
    mg_canvas *out = NULL;
    unsigned char *png = NULL;
    size_t n = 0;
    mg_error err;
    CHECK_INT(mg_legend_add_item(&l, label, c, none, MG_LEGEND_BOX), MG_OK);
    CHECK_INT(mg_tiles_draw_legend(&l, 1, 3, &png, &n, &err), MG_OK);
    if (png)
        CHECK_INT(mg_tiles_decode_png(png, n, &out, &err), MG_OK);
    free(png);
    mg_legend_clear(&l);
    return out;
}

/* 1 when a and b have the same size and pixels. */
static int same(const mg_canvas *a, const mg_canvas *b)
{
    if (a->width != b->width || a->height != b->height)
        return 0;
    for (int y = 0; y < a->height; y++)
        if (memcmp(a->rgba + (size_t)y * a->stride,
                   b->rgba + (size_t)y * b->stride, 4 * (size_t)a->width))
            return 0;
    return 1;
}

/* Dark pixels (text) in the image. */
static long ink(const mg_canvas *c)
{
    long n = 0;
    for (int y = 0; y < c->height; y++)
        for (int x = 0; x < c->width; x++) {
            const uint8_t *p = c->rgba + (size_t)y * c->stride + 4 * x;
            n += p[0] < 128 && p[1] < 128 && p[2] < 128;
        }
    return n;
}

int main(void)
{
    /* 北京 (Beijing), 上海 (Shanghai); U+E000 U+E001 */
    mg_canvas *bj = draw("\xe5\x8c\x97\xe4\xba\xac");
    mg_canvas *sh = draw("\xe4\xb8\x8a\xe6\xb5\xb7");
    mg_canvas *pua = draw("\xee\x80\x80\xee\x80\x81");
    mg_canvas *pua2 = draw("\xee\x80\x81\xee\x80\x80");
    CHECK(bj && sh && pua && pua2);
    if (bj && sh && pua && pua2) {
        /* the control: missing characters are all the same box */
        CHECK(same(pua, pua2));
        CHECK(!same(bj, sh));
        CHECK(!same(bj, pua));
        /* a Hanzi has more strokes than a box's outline */
        CHECK(ink(bj) > ink(pua));
    }
    mg_canvas_free(bj);
    mg_canvas_free(sh);
    mg_canvas_free(pua);
    mg_canvas_free(pua2);
    CHECK_DONE();
}
