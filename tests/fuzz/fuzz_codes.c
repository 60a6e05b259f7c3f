/* libFuzzer target: the code and name normalisers and the number parser
 * in its three formats.  Checked: outputs fit their buffer and are
 * NUL-terminated, normalising is idempotent, a code of digits keeps no
 * leading zero, a number read is finite, every format agrees with "plain"
 * on text without separators. */
#include "fuzz_common.h"
#include "geodata/input.h"

#include <math.h>

static void check_code(const char *in)
{
    char a[64], b[64];
    int n = mg_code_normalise(in, a, sizeof a);
    if (n < 0)
        return;
    FUZZ_CHECK((size_t)n < sizeof a && strlen(a) == (size_t)n);
    int m = mg_code_normalise(a, b, sizeof b);
    FUZZ_CHECK(m == n && !strcmp(a, b));
    if (n > 1 && strspn(a, "0123456789") == (size_t)n)
        FUZZ_CHECK(a[0] != '0');
}

static void check_name(const char *in)
{
    char a[64], b[64];
    int n = mg_name_normalise(in, a, sizeof a);
    if (n < 0)
        return;
    FUZZ_CHECK((size_t)n < sizeof a && strlen(a) == (size_t)n);
    FUZZ_CHECK(mg_name_normalise(a, b, sizeof b) == n && !strcmp(a, b));
}

static void check_numbers(const char *in)
{
    double plain, v;
    int kp = mg_number_parse(in, &plain);
    FUZZ_CHECK(kp >= MG_NUM_OK && kp <= MG_NUM_NEGATIVE);
    if (kp != MG_NUM_BLANK && kp != MG_NUM_INVALID)
        FUZZ_CHECK(isfinite(plain));
    for (int f = MG_NUMFMT_PLAIN; f <= MG_NUMFMT_DOT_GROUPS; f++) {
        int k = mg_number_parse_as(in, f, &v);
        FUZZ_CHECK(k >= MG_NUM_OK && k <= MG_NUM_NEGATIVE);
        if (k == MG_NUM_OK || k == MG_NUM_NEGATIVE || k == MG_NUM_TEXT)
            FUZZ_CHECK(isfinite(v));
        if (!strpbrk(in, ".,"))
            FUZZ_CHECK(k == kp && (isnan(v) ? isnan(plain) : v == plain));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_string(data, size);
    if (!s)
        return 0;
    check_code(s);
    check_name(s);
    check_numbers(s);
    free(s);
    return 0;
}
