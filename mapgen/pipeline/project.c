/* The project file with every module's section: the table that makes
 * geodata/input read the file once for all of them. */
#include "internal.h"

const mg_project_section mg_pipeline_sections[] = {
    {"poverty", mg_poverty_section_parse, mg_poverty_section_clear},
    {"access", mg_access_section_parse, mg_access_section_clear},
    {"siting", mg_siting_section_parse, mg_siting_section_clear},
    {"maps", mg_maps_section_parse, mg_maps_section_clear},
    {"periods", mg_periods_section_parse, mg_periods_section_clear},
};
const size_t mg_pipeline_n_sections =
    sizeof mg_pipeline_sections / sizeof mg_pipeline_sections[0];

int mg_pipeline_load_project(const char *path, mg_project_edit edit,
                             void *user, mg_project **out, mg_error *err)
{
    json_t *root;
    *out = NULL;
    int rc = mg_json_load(path, MG_ERR_PROJECT, &root, err);
    if (!rc && edit)
        rc = edit(root, user, err);
    if (!rc)
        rc = mg_project_from_json(root, path, NULL, mg_pipeline_sections,
                                  mg_pipeline_n_sections, out, err);
    if (!rc && (*out)->periods)
        rc = mg_pipeline_period_projects(root, *out, err);
    if (rc && *out) {
        mg_project_free(*out);
        *out = NULL;
    }
    json_decref(root);
    return rc;
}
