/* libFuzzer target: the project-file reader with every section of the
 * pipeline (mg_project_parse + mg_pipeline_sections).  Any bytes must end
 * in a project or in MG_ERR_PROJECT / MG_ERR_NOMEM with a message naming
 * the file: never a crash, a leak (ASan) or another status. */
#include "fuzz_common.h"
#include "mapgen/pipeline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_string(data, size);
    if (!text)
        return 0;
    mg_project *p = NULL;
    mg_error err;
    mg_error_clear(&err);
    int rc = mg_project_parse(text, "fuzz.json", "/nonexistent",
                              mg_pipeline_sections, mg_pipeline_n_sections,
                              &p, &err);
    FUZZ_CHECK(rc == MG_OK || rc == MG_ERR_PROJECT || rc == MG_ERR_NOMEM);
    FUZZ_CHECK(rc != MG_OK || p != NULL);
    if (rc == MG_ERR_PROJECT)
        FUZZ_CHECK(err.message[0] && !strcmp(err.file, "fuzz.json"));
    mg_project_free(p);
    free(text);
    return 0;
}
