/* Numbers as tables write them: "plain" (6242.5), "1,234.5" (comma groups,
 * as English statistical tables print them) or "1.234,5" (dot groups and a
 * decimal comma, as Romanian, German or French ones do); typed fields read
 * as numbers; columns that mostly cannot be read caught as a whole. */
#include "internal.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const mg_number_format_names[] = {"plain", "1,234.5", "1.234,5",
                                              NULL};

/* 1 when s starts a group of exactly three digits ("242" in "6,242.5"). */
static int group_of_three(const char *s)
{
    return isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) &&
           isdigit((unsigned char)s[2]) && !isdigit((unsigned char)s[3]);
}

int mg_number_parse_as(const char *text, int format, double *value)
{
    if (format == MG_NUMFMT_PLAIN || !text)
        return mg_number_parse(text, value);
    char group = format == MG_NUMFMT_COMMA_GROUPS ? ',' : '.';
    char point = format == MG_NUMFMT_COMMA_GROUPS ? '.' : ',';
    char buf[128];
    size_t n = 0;
    for (const char *s = text; *s; s++) {
        if (n + 1 >= sizeof buf)
            return mg_number_parse(text, value); /* no number is this long */
        /* A separator counts only between a digit and three digits; any
         * other stays and makes the value text, as it should. */
        if (*s == group && n > 0 && isdigit((unsigned char)buf[n - 1]) &&
            group_of_three(s + 1))
            continue;
        buf[n++] = *s == point ? '.' : (*s == '.' ? ',' : *s);
    }
    buf[n] = '\0';
    return mg_number_parse(buf, value);
}

int mg_field_number(OGRFeatureH f, int index, int format, double *value)
{
    *value = NAN;
    if (index < 0 || !OGR_F_IsFieldSetAndNotNull(f, index))
        return MG_NUM_BLANK;
    OGRFieldType t = OGR_Fld_GetType(OGR_F_GetFieldDefnRef(f, index));
    /* Typed sources (GeoJSON numbers, GeoPackage INTEGER/REAL) keep every
     * digit; going through text would round to 15 significant digits. */
    if (t == OFTInteger || t == OFTInteger64 || t == OFTReal) {
        double v = t == OFTInteger64
                       ? (double)OGR_F_GetFieldAsInteger64(f, index)
                       : OGR_F_GetFieldAsDouble(f, index);
        if (!isfinite(v))
            return MG_NUM_INVALID;
        *value = v;
        return v < 0 ? MG_NUM_NEGATIVE : MG_NUM_OK;
    }
    char *text = mg_field_text(f, index);
    int kind = mg_number_parse_as(text, format, value);
    free(text);
    return kind;
}

/* More unreadable values than this share of a column gets a summary row:
 * a stray "n/a" is a row's problem, a tenth of a column is a format. */
static const double summary_share = 0.03;

int mg_column_check(mg_report *rep, const char *path, const char *field,
                    const char *jkey, const mg_number_rules *rules,
                    size_t n_values, size_t n_bad, mg_error *err)
{
    if (n_values == 0 || n_bad == 0)
        return MG_OK;
    double share = (double)n_bad / (double)n_values;
    if (share <= summary_share)
        return MG_OK;
    int rc = mg_report_addf(
        rep, path, -1, field, "column partly unreadable as numbers",
        "those values counted as missing; check \"number_format\"",
        "%zu of %zu values (%.1f %%) with \"number_format\": \"%s\"", n_bad,
        n_values, 100.0 * share, mg_number_format_names[rules->format]);
    if (rc || share <= rules->max_unreadable)
        return rc;
    return mg_error_set(
        err, MG_ERR_INPUT, path, -1, jkey,
        "column '%s': %zu of %zu values (%.1f %%) are not numbers with "
        "\"number_format\": \"%s\", above \"max_unreadable\": %g; give the "
        "table's \"number_format\" (\"plain\", \"1,234.5\" or \"1.234,5\") "
        "or raise \"max_unreadable\" to accept it",
        field, n_bad, n_values, 100.0 * share,
        mg_number_format_names[rules->format], rules->max_unreadable);
}
