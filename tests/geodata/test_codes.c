/* Code and name normalisation, and parsing of counts. */
#include "check.h"
#include "geodata/input.h"

static const char *code(const char *in)
{
    static char out[64];
    return mg_code_normalise(in, out, sizeof out) < 0 ? "(blank)" : out;
}

static const char *name(const char *in)
{
    static char out[64];
    return mg_name_normalise(in, out, sizeof out) < 0 ? "(blank)" : out;
}

int main(void)
{
    /* Leading zeros: a numeric field in one table, text in another. */
    CHECK_STR(code("007"), "7");
    CHECK_STR(code("  01001 "), "1001");
    CHECK_STR(code("1001.0"), "1001");
    CHECK_STR(code("0"), "0");
    CHECK_STR(code("000"), "0");
    /* Letters: case folded, zeros kept (they are part of the code). */
    CHECK_STR(code(" ro-ab "), "RO-AB");
    CHECK_STR(code("0A1"), "0A1");
    CHECK_STR(code("12.5"), "12.5");
    CHECK_STR(code("   "), "(blank)");
    CHECK_STR(code(NULL), "(blank)");
    char small[4];
    CHECK_INT(mg_code_normalise("123456", small, sizeof small), 3);

    /* Romanian county names as the register and the boundaries spell them. */
    CHECK_STR(name("Bistrița Năsăud"), "bistritanasaud");
    CHECK_STR(name("Bistrița-Năsăud"), "bistritanasaud");
    CHECK_STR(name("SatuMare"), "satumare");
    CHECK_STR(name("Satu Mare"), "satumare");
    CHECK_STR(name("Şţ ÂÎ"), "stai"); /* cedilla forms too */
    CHECK_STR(name("Dâmbovița"), "dambovita");
    CHECK_STR(name("湖北省"), "湖北省"); /* other scripts kept */
    CHECK_STR(name(" - "), "(blank)");

    double v;
    CHECK_INT(mg_number_parse("42", &v), MG_NUM_OK);
    CHECK_NEAR(v, 42, 0);
    CHECK_INT(mg_number_parse(" 2.5 ", &v), MG_NUM_OK);
    CHECK_NEAR(v, 2.5, 0);
    CHECK_INT(mg_number_parse("25 /zi", &v), MG_NUM_TEXT);
    CHECK_NEAR(v, 25, 0);
    CHECK_INT(mg_number_parse("", &v), MG_NUM_BLANK);
    CHECK(isnan(v));
    CHECK_INT(mg_number_parse(NULL, &v), MG_NUM_BLANK);
    CHECK_INT(mg_number_parse("n/a", &v), MG_NUM_INVALID);
    CHECK_INT(mg_number_parse("-3", &v), MG_NUM_NEGATIVE);
    CHECK_INT(mg_number_parse("inf", &v), MG_NUM_INVALID);
    CHECK_INT(mg_number_parse("1e999", &v), MG_NUM_INVALID);
    CHECK_DONE();
}
