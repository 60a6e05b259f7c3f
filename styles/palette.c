/* Palette lookup over the ColorBrewer table (palette_data.c) and colour
 * text. */
#include "internal.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static mg_rgba rgba_from_rgb(uint32_t rgb)
{
    return (mg_rgba){(unsigned char)(rgb >> 16), (unsigned char)(rgb >> 8),
                     (unsigned char)rgb, 255};
}

/* The rows of palette i (in table order) as [*first, *first + *count). */
static int palette_rows(size_t i, size_t *first, size_t *count)
{
    size_t seen = 0;
    for (size_t r = 0; r < styles_palette_row_count; r++) {
        if (r > 0 && strcmp(styles_palette_rows[r].name,
                            styles_palette_rows[r - 1].name) == 0)
            continue;
        if (seen++ < i)
            continue;
        size_t end = r + 1;
        while (end < styles_palette_row_count &&
               strcmp(styles_palette_rows[end].name,
                      styles_palette_rows[r].name) == 0)
            end++;
        *first = r;
        *count = end - r;
        return 1;
    }
    return 0;
}

size_t mg_styles_count_palettes(void)
{
    size_t first, count, n = 0;
    while (palette_rows(n, &first, &count))
        n++;
    return n;
}

int mg_styles_get_palette_info(size_t i, mg_palette_info *out)
{
    size_t first, count;
    if (!out || !palette_rows(i, &first, &count))
        return MG_ERR_USAGE;
    const styles_palette_row *row = &styles_palette_rows[first];
    *out = (mg_palette_info){row->name, row->kind, row->n,
                             styles_palette_rows[first + count - 1].n};
    return MG_OK;
}

int mg_styles_find_palette(const char *name, int n, mg_palette *out,
                           mg_error *err)
{
    if (!out)
        return styles_fail(err, MG_ERR_USAGE, "palette", "no output given");
    const styles_palette_row *found = NULL, *first = NULL, *last = NULL;
    for (size_t r = 0; name && r < styles_palette_row_count; r++) {
        const styles_palette_row *row = &styles_palette_rows[r];
        if (strcasecmp(row->name, name) != 0)
            continue;
        if (!first)
            first = row;
        last = row;
        if (row->n == n)
            found = row;
    }
    if (!first)
        return styles_fail(err, MG_ERR_PROJECT, "palette",
                           "unknown palette '%.100s' (docs/classification.md "
                           "lists the ColorBrewer palettes)",
                           name ? name : "(null)");
    if (!found)
        return styles_fail(err, MG_ERR_PROJECT, "palette",
                           "palette %s comes with %d to %d colours, not %d",
                           first->name, first->n, last->n, n);
    memset(out, 0, sizeof *out);
    out->name = found->name;
    out->kind = found->kind;
    out->n = found->n;
    for (int c = 0; c < found->n; c++)
        out->colours[c] = rgba_from_rgb(found->rgb[c]);
    return MG_OK;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int mg_styles_parse_colour(const char *text, mg_rgba *out, mg_error *err)
{
    if (!out)
        return styles_fail(err, MG_ERR_USAGE, "colour", "no output given");
    size_t len = text ? strlen(text) : 0;
    unsigned char bytes[4] = {0, 0, 0, 255};
    int ok = text && text[0] == '#' && (len == 7 || len == 9);
    for (size_t i = 0; ok && i < (len - 1) / 2; i++) {
        int hi = hex_digit(text[1 + 2 * i]), lo = hex_digit(text[2 + 2 * i]);
        if (hi < 0 || lo < 0)
            ok = 0;
        else
            bytes[i] = (unsigned char)(hi * 16 + lo);
    }
    if (!ok)
        return styles_fail(err, MG_ERR_PROJECT, "colour",
                           "'%.40s' is not a colour: expected #rrggbb or "
                           "#rrggbbaa", text ? text : "(null)");
    *out = (mg_rgba){bytes[0], bytes[1], bytes[2], bytes[3]};
    return MG_OK;
}

void mg_styles_format_colour(mg_rgba c, char out[10])
{
    if (c.a == 255)
        snprintf(out, 10, "#%02x%02x%02x", c.r, c.g, c.b);
    else
        snprintf(out, 10, "#%02x%02x%02x%02x", c.r, c.g, c.b, c.a);
}
