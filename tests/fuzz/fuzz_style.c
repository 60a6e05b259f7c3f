/* libFuzzer target: the style-file reader (mg_style_load).  Any bytes
 * must give a style or MG_ERR_PROJECT / MG_ERR_NOMEM with a message. */
#include "fuzz_common.h"
#include "styles/styles.h"

#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size, ".json");
    if (!path)
        return 0;
    mg_style *s = NULL;
    mg_error err;
    mg_error_clear(&err);
    int rc = mg_style_load(path, &s, &err);
    FUZZ_CHECK(rc == MG_OK || rc == MG_ERR_PROJECT || rc == MG_ERR_NOMEM);
    FUZZ_CHECK(rc != MG_OK || s != NULL);
    if (rc == MG_ERR_PROJECT)
        FUZZ_CHECK(err.message[0] != '\0');
    mg_style_free(s);
    return 0;
}
