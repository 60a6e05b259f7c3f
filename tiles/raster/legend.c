/*
 * Legend images: a white card with the title, then each group's title and
 * its items (swatch and label).  Text is set with FreeType in DejaVu Sans
 * (MG_FONT_PATH, MG_FONT_BOLD_PATH from the build); a character DejaVu
 * lacks (Chinese, Japanese, Korean) comes from Noto Sans CJK
 * (MG_FONT_CJK_PATH, MG_FONT_CJK_BOLD_PATH, when the build found them)
 * instead of an empty box.  Anti-aliased, and
 * composited through one coverage mask; swatches go through the tile
 * rasteriser.  The library and faces live for one call: nothing global.
 */
#include "internal.h"

#include <ft2build.h>
#include FT_FREETYPE_H

#include <stdlib.h>
#include <string.h>

#ifndef MG_FONT_PATH
#define MG_FONT_PATH "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
#endif
#ifndef MG_FONT_BOLD_PATH
#define MG_FONT_BOLD_PATH                                                     \
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
#endif

/* Sizes in pixels at scale 1. */
enum {
    PAD = 10,
    TITLE_PX = 14,
    TITLE_LINE = 22,
    GROUP_PX = 12,
    GROUP_LINE = 20,
    ITEM_PX = 12,
    ITEM_LINE = 20,
    SWATCH_W = 22,
    SWATCH_H = 14,
    GAP = 8,
    GROUP_GAP = 6,
    MIN_W = 120
};

typedef struct lctx {
    FT_Library lib;
    FT_Face regular, bold;
    FT_Face cjk, cjk_bold; /* fallbacks, NULL when not installed */
    int scale;
    uint8_t *text; /* coverage of all text, w x h */
    int w, h;
} lctx;

/* The next code point of UTF-8 text (U+FFFD for a bad byte). */
static unsigned long next_cp(const char **s)
{
    const unsigned char *p = (const unsigned char *)*s;
    unsigned long c = *p++;
    int more = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;
    if (c >= 0x80 && more == 0) {
        *s = (const char *)p;
        return 0xfffd;
    }
    c &= more == 3 ? 0x07 : more == 2 ? 0x0f : more == 1 ? 0x1f : 0x7f;
    for (int i = 0; i < more; i++) {
        if ((*p & 0xc0) != 0x80) {
            *s = (const char *)p;
            return 0xfffd;
        }
        c = c << 6 | (*p++ & 0x3f);
    }
    *s = (const char *)p;
    return c;
}

/* Sets text in face at px pixels from pen x (baseline y); draws into
 * ctx->text when draw, and returns the advance width in pixels. */
/* The face that has cp: main, else its fallback when that has it; *gi
 * receives the glyph (0: main's .notdef box). */
static FT_Face face_for(FT_Face main, FT_Face fallback, unsigned long cp,
                        FT_UInt *gi)
{
    *gi = FT_Get_Char_Index(main, cp);
    if (*gi || !fallback)
        return main;
    FT_UInt f = FT_Get_Char_Index(fallback, cp);
    if (!f)
        return main;
    *gi = f;
    return fallback;
}

static int set_text(lctx *ctx, FT_Face main, int px, const char *str, int x,
                    int y, int draw)
{
    if (!str)
        return 0;
    FT_Face fallback = main == ctx->bold ? ctx->cjk_bold : ctx->cjk;
    FT_Set_Pixel_Sizes(main, 0, (FT_UInt)px);
    if (fallback)
        FT_Set_Pixel_Sizes(fallback, 0, (FT_UInt)px);
    long pen = (long)x * 64;
    FT_UInt prev = 0;
    FT_Face prev_face = NULL;
    while (*str) {
        unsigned long cp = next_cp(&str);
        FT_UInt gi;
        FT_Face face = face_for(main, fallback, cp, &gi);
        if (face != prev_face)
            prev = 0; /* kerning pairs are within one face */
        prev_face = face;
        if (prev && gi && FT_HAS_KERNING(face)) {
            FT_Vector k;
            if (!FT_Get_Kerning(face, prev, gi, FT_KERNING_DEFAULT, &k))
                pen += k.x;
        }
        if (FT_Load_Glyph(face, gi, draw ? FT_LOAD_RENDER : FT_LOAD_DEFAULT))
            continue;
        FT_GlyphSlot g = face->glyph;
        if (draw && g->bitmap.pixel_mode == FT_PIXEL_MODE_GRAY) {
            int gx = (int)((pen + 32) >> 6) + g->bitmap_left;
            int gy = y - g->bitmap_top;
            for (unsigned r = 0; r < g->bitmap.rows; r++) {
                int yy = gy + (int)r;
                if (yy < 0 || yy >= ctx->h)
                    continue;
                const uint8_t *src =
                    g->bitmap.buffer + r * (size_t)g->bitmap.pitch;
                for (unsigned cx = 0; cx < g->bitmap.width; cx++) {
                    int xx = gx + (int)cx;
                    if (xx < 0 || xx >= ctx->w)
                        continue;
                    uint8_t *d = ctx->text + (size_t)yy * (size_t)ctx->w + xx;
                    if (src[cx] > *d)
                        *d = src[cx];
                }
            }
        }
        pen += g->advance.x;
        prev = gi;
    }
    return (int)((pen - (long)x * 64 + 63) >> 6);
}

static int open_fonts(lctx *c, mg_error *err)
{
    if (FT_Init_FreeType(&c->lib))
        return mg_error_set(err, MG_ERR_DEPENDENCY, NULL, -1, NULL,
                            "FreeType cannot start");
    if (FT_New_Face(c->lib, MG_FONT_PATH, 0, &c->regular))
        return mg_error_set(err, MG_ERR_DEPENDENCY, MG_FONT_PATH, -1, NULL,
                            "FreeType cannot load the legend font");
    if (FT_New_Face(c->lib, MG_FONT_BOLD_PATH, 0, &c->bold))
        return mg_error_set(err, MG_ERR_DEPENDENCY, MG_FONT_BOLD_PATH, -1,
                            NULL, "FreeType cannot load the legend font");
#ifdef MG_FONT_CJK_PATH
    /* Optional: without it such characters show as boxes, as before.
     * Face 0 of the collection is Noto Sans CJK JP; its glyphs cover the
     * simplified and traditional Hanzi, kana and Hangul legends use. */
    if (FT_New_Face(c->lib, MG_FONT_CJK_PATH, 0, &c->cjk))
        c->cjk = NULL;
    if (FT_New_Face(c->lib, MG_FONT_CJK_BOLD_PATH, 0, &c->cjk_bold))
        c->cjk_bold = NULL;
#endif
    return MG_OK;
}

static void close_fonts(lctx *c)
{
    if (c->cjk)
        FT_Done_Face(c->cjk);
    if (c->cjk_bold)
        FT_Done_Face(c->cjk_bold);
    if (c->bold)
        FT_Done_Face(c->bold);
    if (c->regular)
        FT_Done_Face(c->regular);
    if (c->lib)
        FT_Done_FreeType(c->lib);
}

/* Walks the layout: measures (c->text NULL) or draws; returns the height
 * and sets *width to the widest line. */
static int layout(lctx *c, const mg_legend *l, mg_canvas *cv, mg_raster *r,
                  int *width)
{
    int s = c->scale, draw = c->text != NULL, y = PAD * s, w = 0;
    if (l->title) {
        int tw = set_text(c, c->bold, TITLE_PX * s, l->title, PAD * s,
                          y + TITLE_PX * s, draw);
        w = tw > w ? tw : w;
        y += TITLE_LINE * s;
    }
    for (size_t gi = 0; gi < l->n_groups; gi++) {
        const mg_legend_group *g = &l->groups[gi];
        if (gi > 0)
            y += GROUP_GAP * s;
        if (g->title) {
            int tw = set_text(c, c->bold, GROUP_PX * s, g->title, PAD * s,
                              y + GROUP_PX * s + 2 * s, draw);
            w = tw > w ? tw : w;
            y += GROUP_LINE * s;
        }
        for (size_t k = 0; k < g->n; k++) {
            const mg_legend_item *it = &g->items[k];
            double x0 = PAD * s, cy = y + ITEM_LINE * s / 2.0;
            mg_rgba edge =
                it->outline.a ? it->outline : (mg_rgba){0x96, 0x96, 0x96, 255};
            if (draw && it->shape == MG_LEGEND_BOX) {
                double y0 = cy - SWATCH_H * s / 2.0, x1 = x0 + SWATCH_W * s,
                       y1 = y0 + SWATCH_H * s;
                double sq[8] = {x0, y0, x1, y0, x1, y1, x0, y1};
                mg_ring ring = {sq, 4};
                mg_polygon poly = {&ring, 1};
                mg_stroke st = {0.75 * s, MG_JOIN_MITER, MG_CAP_BUTT, 4.0};
                mg_tiles_draw_polygons(cv, r, &poly, 1, MG_FILL_NONZERO,
                                       it->colour);
                mg_tiles_draw_line(cv, r, sq, 4, 1, &st, edge);
            } else if (draw && it->shape == MG_LEGEND_DOT) {
                mg_tiles_draw_dot(cv, r, x0 + SWATCH_W * s / 2.0, cy, 5.0 * s,
                                  it->colour, 1.0 * s, edge);
            } else if (draw) {
                double ln[4] = {x0, cy, x0 + SWATCH_W * s, cy};
                mg_stroke st = {2.0 * s, MG_JOIN_ROUND, MG_CAP_BUTT, 4.0};
                mg_tiles_draw_line(cv, r, ln, 2, 0, &st, it->colour);
            }
            int lx = (PAD + SWATCH_W + GAP) * s;
            int tw = set_text(c, c->regular, ITEM_PX * s, it->label, lx,
                              (int)(cy + ITEM_PX * s * 0.36), draw);
            w = lx - PAD * s + tw > w ? lx - PAD * s + tw : w;
            y += ITEM_LINE * s;
        }
    }
    *width = w + 2 * PAD * s;
    if (*width < MIN_W * s)
        *width = MIN_W * s;
    return y + PAD * s;
}

int mg_tiles_draw_legend(const mg_legend *legend, int scale, int png_level,
                         unsigned char **png, size_t *size, mg_error *err)
{
    if (!legend || !png || !size || scale < 1 || scale > 4)
        return mg_error_set(err, MG_ERR_USAGE, NULL, -1, NULL,
                            "mg_tiles_draw_legend: bad arguments");
    lctx c;
    memset(&c, 0, sizeof c);
    c.scale = scale;
    mg_canvas *cv = NULL;
    mg_raster *r = NULL;
    int rc = open_fonts(&c, err);
    int w = 0, h = 0;
    if (!rc) {
        h = layout(&c, legend, NULL, NULL, &w);
        if (w > MG_TILES_MAX_SIZE || h > MG_TILES_MAX_SIZE)
            rc = mg_error_set(err, MG_ERR_USAGE, NULL, -1, NULL,
                              "the legend is too large (%d x %d px)", w, h);
    }
    if (!rc) {
        cv = mg_canvas_new(w, h);
        r = mg_raster_new(w, h);
        c.text = calloc((size_t)w * (size_t)h, 1);
        c.w = w;
        c.h = h;
        if (!cv || !r || !c.text)
            rc = mg_error_set(err, MG_ERR_NOMEM, NULL, -1, NULL,
                              "out of memory");
    }
    if (!rc) {
        mg_tiles_clear_canvas(cv, (mg_rgba){255, 255, 255, 255});
        int w2;
        layout(&c, legend, cv, r, &w2);
        int *x0 = calloc((size_t)h, sizeof *x0),
            *x1 = malloc((size_t)h * sizeof *x1);
        if (!x0 || !x1) {
            rc = mg_error_set(err, MG_ERR_NOMEM, NULL, -1, NULL,
                              "out of memory");
        } else {
            for (int y = 0; y < h; y++)
                x1[y] = w;
            mg_mask m = {c.text, w, h, 0, h, x0, x1};
            mg_tiles_composite_mask(cv, &m, (mg_rgba){0x25, 0x25, 0x25, 255});
            rc = mg_tiles_encode_png(cv, png_level, png, size, err);
        }
        free(x0);
        free(x1);
    }
    free(c.text);
    mg_raster_free(r);
    mg_canvas_free(cv);
    close_fonts(&c);
    return rc;
}
