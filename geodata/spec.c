/* Reading project-file sections: the checks every section shares. */
#include "geodata/internal.h"

#include <stdlib.h>
#include <string.h>

int spec_check_keys(const char *file, mg_error *err, json_t *obj,
                    const char *jpath, const char *const *allowed)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        size_t i = 0;
        while (allowed[i] && strcmp(key, allowed[i]) != 0)
            i++;
        if (allowed[i])
            continue;
        char list[640] = "";
        for (i = 0; allowed[i]; i++) {
            strncat(list, i ? ", " : "", sizeof list - strlen(list) - 1);
            strncat(list, allowed[i], sizeof list - strlen(list) - 1);
        }
        return mg_error_set(err, MG_ERR_PROJECT, file, -1, jpath,
                            "unknown key '%s'; expected one of: %s", key,
                            list);
    }
    return MG_OK;
}

int spec_get_str(const char *file, mg_error *err, json_t *obj,
                 const char *jpath, const char *key, int required, char **out)
{
    char path[512];
    snprintf(path, sizeof path, "%s%s%s", jpath, *jpath ? "." : "", key);
    json_t *v = json_object_get(obj, key);
    *out = NULL;
    if (!v || json_is_null(v)) {
        if (required)
            return mg_error_set(err, MG_ERR_PROJECT, file, -1, path,
                                "required key '%s' is missing", key);
        return MG_OK;
    }
    if (!json_is_string(v) || json_string_length(v) == 0)
        return mg_error_set(err, MG_ERR_PROJECT, file, -1, path,
                            "'%s' must be a non-empty string", key);
    if (!(*out = strdup(json_string_value(v))))
        return mg_error_set(err, MG_ERR_NOMEM, file, -1, NULL,
                            "out of memory");
    return MG_OK;
}
