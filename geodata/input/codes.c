/* Normalisation of codes and names, and parsing of counts. */
#include "geodata/input.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
           c == '\f';
}

/* Copies the trimmed text into out; returns its length or -1 if blank. */
static int trim_copy(const char *in, char *out, size_t n)
{
    if (!in || n == 0)
        return -1;
    while (*in && is_space((unsigned char)*in))
        in++;
    size_t len = strlen(in);
    /* Cut to the buffer first, then trim: a cut may end in a blank
     * (found by tests/fuzz/fuzz_codes: the result was not stable). */
    if (len >= n)
        len = n - 1;
    while (len > 0 && is_space((unsigned char)in[len - 1]))
        len--;
    if (len == 0)
        return -1;
    memcpy(out, in, len);
    out[len] = '\0';
    return (int)len;
}

int mg_code_normalise(const char *in, char *out, size_t n)
{
    int len = trim_copy(in, out, n);
    if (len < 0)
        return -1;
    /* A numeric code that went through a spreadsheet or a Real field may
     * come back as "1001.0": drop an all-zero fraction. */
    char *dot = strchr(out, '.');
    if (dot && dot != out) {
        int digits_before = 1, zeros_after = 1;
        for (char *p = out; p < dot; p++)
            digits_before &= isdigit((unsigned char)*p) != 0;
        for (char *p = dot + 1; *p; p++)
            zeros_after &= *p == '0';
        if (digits_before && zeros_after) {
            *dot = '\0';
            len = (int)(dot - out);
        }
    }
    int all_digits = 1;
    for (int i = 0; i < len; i++) {
        out[i] = (char)toupper((unsigned char)out[i]);
        all_digits &= isdigit((unsigned char)out[i]) != 0;
    }
    if (all_digits) {
        int skip = 0;
        while (skip < len - 1 && out[skip] == '0')
            skip++;
        memmove(out, out + skip, (size_t)(len - skip + 1));
        len -= skip;
    }
    return len;
}

/* Maps the UTF-8 sequence at s (a 2-byte Latin-1 Supplement or Latin
 * Extended-A letter) to its base ASCII letter, or 0 when it is none. */
static char fold_latin(const unsigned char *s)
{
    unsigned cp = ((unsigned)(s[0] & 0x1f) << 6) | (s[1] & 0x3f);
    static const char latin1[] = /* U+00C0 .. U+00FF */
        "aaaaaaaceeeeiiiidnooooo_ouuuuyts"
        "aaaaaaaceeeeiiiidnooooo_ouuuuyty";
    static const char ext_a[] = /* U+0100 .. U+017F */
        "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiiiijjkkklllllll"
        "lllnnnnnnnnnoooooooorrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";
    if (cp >= 0xC0 && cp <= 0xFF)
        return latin1[cp - 0xC0] == '_' ? 0 : latin1[cp - 0xC0];
    if (cp >= 0x100 && cp <= 0x17F)
        return ext_a[cp - 0x100];
    if (cp >= 0x218 && cp <= 0x21B) /* Romanian comma-below s and t */
        return cp < 0x21A ? 's' : 't';
    return 0;
}

int mg_name_normalise(const char *in, char *out, size_t n)
{
    if (!in || n == 0)
        return -1;
    size_t len = 0;
    const unsigned char *s = (const unsigned char *)in;
    while (*s && len + 1 < n) {
        if (*s < 0x80) {
            if (isalnum(*s))
                out[len++] = (char)tolower(*s);
            s++;
        } else if ((*s & 0xe0) == 0xc0 && (s[1] & 0xc0) == 0x80) {
            char c = fold_latin(s);
            if (c)
                out[len++] = c;
            s += 2;
        } else if ((*s & 0xe0) == 0xc0) {
            /* A two-byte lead without its continuation is not UTF-8: kept,
             * it could pair with a byte that follows a dropped blank and
             * fold on a second pass (found by tests/fuzz/fuzz_codes). */
            s++;
        } else {
            /* Other scripts are kept byte for byte: names in Chinese must
             * still compare equal to themselves. */
            out[len++] = (char)*s++;
        }
    }
    out[len] = '\0';
    return len ? (int)len : -1;
}

int mg_number_parse(const char *text, double *value)
{
    *value = NAN;
    if (!text)
        return MG_NUM_BLANK;
    while (is_space((unsigned char)*text))
        text++;
    if (!*text)
        return MG_NUM_BLANK;
    char *end = NULL;
    errno = 0;
    double v = strtod(text, &end);
    if (end == text || errno == ERANGE || !isfinite(v))
        return MG_NUM_INVALID;
    *value = v;
    while (is_space((unsigned char)*end))
        end++;
    if (v < 0)
        return MG_NUM_NEGATIVE;
    return *end ? MG_NUM_TEXT : MG_NUM_OK;
}

/* ---- lookups by code ---------------------------------------------------- */

typedef struct code_pair {
    char *key;
    size_t index;
} code_pair;

static int by_key(const void *a, const void *b)
{
    const code_pair *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->index > y->index) - (x->index < y->index);
}

int mg_code_index_build(mg_code_index *ci, const char *const *codes, size_t n)
{
    memset(ci, 0, sizeof *ci);
    code_pair *e = malloc((n ? n : 1) * sizeof *e);
    ci->keys = malloc((n ? n : 1) * sizeof *ci->keys);
    ci->index = malloc((n ? n : 1) * sizeof *ci->index);
    int rc = e && ci->keys && ci->index ? MG_OK : MG_ERR_NOMEM;
    size_t k = 0;
    for (size_t i = 0; !rc && i < n; i++) {
        char key[256];
        if (mg_code_normalise(codes[i], key, sizeof key) < 0)
            continue;
        if (!(e[k].key = strdup(key)))
            rc = MG_ERR_NOMEM;
        else
            e[k++].index = i;
    }
    if (!rc)
        qsort(e, k, sizeof *e, by_key);
    for (size_t i = 0; e && i < k; i++) {
        if (rc) {
            free(e[i].key);
            continue;
        }
        ci->keys[i] = e[i].key;
        ci->index[i] = e[i].index;
    }
    ci->n = rc ? 0 : k;
    free(e);
    if (rc)
        mg_code_index_free(ci);
    return rc;
}

long mg_code_index_find(const mg_code_index *ci, const char *raw)
{
    char key[256];
    if (mg_code_normalise(raw, key, sizeof key) < 0)
        return -1;
    size_t lo = 0, hi = ci->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(ci->keys[mid], key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < ci->n && strcmp(ci->keys[lo], key) == 0 ? (long)ci->index[lo]
                                                        : -1;
}

void mg_code_index_free(mg_code_index *ci)
{
    for (size_t i = 0; ci->keys && i < ci->n; i++)
        free(ci->keys[i]);
    free(ci->keys);
    free(ci->index);
    memset(ci, 0, sizeof *ci);
}
