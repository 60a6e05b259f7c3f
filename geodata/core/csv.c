/* CSV cells as RFC 4180 writes them, or as a spreadsheet of the user's
 * locale reads them. */
#include "geodata/core.h"

#include <langinfo.h>
#include <locale.h>
#include <math.h>
#include <string.h>

const mg_csv_format mg_csv_plain = {',', '.', 0};

static void put_quoted(FILE *f, const char *s, char sep)
{
    const char specials[] = {sep, '"', '\r', '\n', '\0'};
    if (!strpbrk(s, specials)) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

void mg_csv_put(FILE *f, const char *s)
{
    if (s)
        put_quoted(f, s, ',');
}

mg_csv_format mg_csv_spreadsheet(char decimal)
{
    return (mg_csv_format){decimal == ',' ? ';' : ',', decimal, 1};
}

int mg_csv_spreadsheet_locale(const char *locale, mg_csv_format *out,
                              mg_error *err)
{
    /* newlocale() leaves the process's locale (and so every printf of the
     * JSON and SQL outputs) untouched. */
    locale_t loc = newlocale(LC_NUMERIC_MASK, locale, (locale_t)0);
    if (!loc)
        return mg_error_set(err, MG_ERR_USAGE, NULL, -1, NULL,
                            "--csv: locale '%s' is not installed (see "
                            "`locale -a`)",
                            *locale ? locale : "of the environment");
    const char *radix = nl_langinfo_l(RADIXCHAR, loc);
    char decimal = radix && radix[0] == ',' ? ',' : '.';
    freelocale(loc);
    *out = mg_csv_spreadsheet(decimal);
    return MG_OK;
}

void mg_csv_begin(FILE *f, const mg_csv_format *fmt)
{
    if (fmt->bom)
        fputs("\xEF\xBB\xBF", f);
}

void mg_csv_header(FILE *f, const mg_csv_format *fmt, const char *names)
{
    for (; *names; names++)
        fputc(*names == ',' ? fmt->sep : *names, f);
    fputc('\n', f);
}

void mg_csv_text(FILE *f, const mg_csv_format *fmt, const char *s, int first)
{
    if (!first)
        fputc(fmt->sep, f);
    if (s)
        put_quoted(f, s, fmt->sep);
}

void mg_csv_num(FILE *f, const mg_csv_format *fmt, double v, int decimals)
{
    fputc(fmt->sep, f);
    if (isnan(v))
        return;
    char buf[512]; /* %f of DBL_MAX: 309 digits */
    if (decimals >= 0 && decimals <= 20 && v == trunc(v) &&
        fabs(v) < 9007199254740992.0) {
        /* A whole number below 2^53 (ranks, counts): its digits and the
         * zeros %.*f would print, without printf's exact-decimal machinery
         * (a ranking is mostly such cells).  -0 is 0, as below. */
        char *p = buf + sizeof buf;
        *--p = '\0';
        for (int k = 0; k < decimals; k++)
            *--p = '0';
        if (decimals > 0)
            *--p = fmt->decimal;
        unsigned long long u = (unsigned long long)fabs(v);
        do {
            *--p = (char)('0' + u % 10);
            u /= 10;
        } while (u);
        if (v < 0)
            *--p = '-';
        fputs(p, f);
        return;
    }
    int n = decimals == MG_CSV_FULL
                ? snprintf(buf, sizeof buf, "%.10g", v)
                : snprintf(buf, sizeof buf, "%.*f", decimals, v);
    /* Rounded values that print as "-0" are 0 to a reader. */
    if (decimals != MG_CSV_FULL && n > 0 && strspn(buf, "-0.") == (size_t)n &&
        buf[0] == '-')
        memmove(buf, buf + 1, (size_t)n);
    char *dot = strchr(buf, '.');
    if (dot)
        *dot = fmt->decimal;
    fputs(buf, f);
}
