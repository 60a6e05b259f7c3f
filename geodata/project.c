/* The project file: JSON read with jansson and checked key by key. */
#include "geodata/internal.h"
#include "geodata/poverty_internal.h"
#include "geodata/access_project.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* Context of one parse: the file name for messages, the error out. */
typedef struct parse_ctx {
    const char *file;
    mg_error *err;
} parse_ctx;

static int get_name_list(parse_ctx *c, json_t *o, const char *jpath,
                         char ***out, size_t *n);

static int fail(parse_ctx *c, const char *jpath, const char *fmt,
                const char *a, const char *b)
{
    char msg[768];
    snprintf(msg, sizeof msg, fmt, a ? a : "", b ? b : "");
    return mg_error_set(c->err, MG_ERR_PROJECT, c->file, -1, jpath, "%s", msg);
}

/* Rejects keys of obj that are not in allowed (NULL-terminated), so a typo
 * such as "code_feild" is an error rather than a silent default. */
static int check_keys(parse_ctx *c, json_t *obj, const char *jpath,
                      const char *const *allowed)
{
    return spec_check_keys(c->file, c->err, obj, jpath, allowed);
}

/* Reads obj[key] as a string into *out (a copy).  Absent or null leaves
 * *out NULL, which is an error when required. */
static int get_str(parse_ctx *c, json_t *obj, const char *jpath,
                   const char *key, int required, char **out)
{
    return spec_get_str(c->file, c->err, obj, jpath, key, required, out);
}

static json_t *get_obj(parse_ctx *c, json_t *obj, const char *jpath,
                       const char *key, int required, int *status)
{
    json_t *v = json_object_get(obj, key);
    *status = MG_OK;
    if (!v || json_is_null(v)) {
        if (required)
            *status = fail(c, jpath[0] ? jpath : key,
                           "required key '%s' is missing", key, NULL);
        return NULL;
    }
    if (!json_is_object(v)) {
        char path[512];
        snprintf(path, sizeof path, "%s%s%s", jpath, *jpath ? "." : "", key);
        *status = fail(c, path, "'%s' must be an object", key, NULL);
        return NULL;
    }
    return v;
}

static int parse_level(parse_ctx *c, json_t *o, const char *jpath, size_t i,
                       mg_level_spec *l)
{
    static const char *const keys[] = {"level", "path", "layer", "crs",
        "code_field", "name_field", "parent_code_field", "fields", NULL};
    if (!json_is_object(o))
        return fail(c, jpath, "each boundary level must be an object", NULL,
                    NULL);
    int rc = check_keys(c, o, jpath, keys);
    if (!rc) rc = get_str(c, o, jpath, "level", 0, &l->level);
    if (!rc) rc = get_str(c, o, jpath, "path", i == 0, &l->path);
    if (!rc) rc = get_str(c, o, jpath, "layer", 0, &l->layer);
    if (!rc) rc = get_str(c, o, jpath, "crs", 0, &l->crs);
    if (!rc) rc = get_str(c, o, jpath, "code_field", 1, &l->code_field);
    if (!rc) rc = get_str(c, o, jpath, "name_field", 0, &l->name_field);
    if (!rc) rc = get_str(c, o, jpath, "parent_code_field", 0,
                          &l->parent_code_field);
    json_t *fields = json_object_get(o, "fields");
    if (!rc && fields) {
        char jp[96];
        snprintf(jp, sizeof jp, "%s.fields", jpath);
        rc = get_name_list(c, fields, jp, &l->fields, &l->n_fields);
    }
    if (!rc && !l->level) {
        char name[32];
        snprintf(name, sizeof name, "level%zu", i);
        l->level = strdup(name);
        rc = l->level ? MG_OK : MG_ERR_NOMEM;
    }
    return rc;
}

static int parse_boundaries(parse_ctx *c, json_t *root, mg_project *p)
{
    json_t *b = json_object_get(root, "boundaries");
    if (!b || json_is_null(b))
        return fail(c, "boundaries", "required key 'boundaries' is missing",
                    NULL, NULL);
    size_t n = json_is_array(b) ? json_array_size(b) : 1;
    if (!json_is_array(b) && !json_is_object(b))
        return fail(c, "boundaries",
                    "'boundaries' must be an object or an array of objects",
                    NULL, NULL);
    if (n == 0)
        return fail(c, "boundaries", "'boundaries' is empty", NULL, NULL);
    p->levels = calloc(n, sizeof *p->levels);
    if (!p->levels)
        return MG_ERR_NOMEM;
    p->n_levels = n;
    for (size_t i = 0; i < n; i++) {
        char jpath[64];
        snprintf(jpath, sizeof jpath, json_is_array(b) ? "boundaries[%zu]"
                                                       : "boundaries", i);
        json_t *o = json_is_array(b) ? json_array_get(b, i) : b;
        int rc = parse_level(c, o, jpath, i, &p->levels[i]);
        if (rc)
            return rc;
        if (i + 1 < n && !p->levels[i].parent_code_field)
            return fail(c, jpath,
                        "a level followed by a parent level needs "
                        "'parent_code_field'", NULL, NULL);
    }
    if (!json_is_array(b) || n == 1) {
        mg_level_spec *l = &p->levels[0];
        if (l->level && strncmp(l->level, "level", 5) == 0) {
            free(l->level);
            l->level = strdup("regions");
        }
    }
    return MG_OK;
}

static int parse_category_map(parse_ctx *c, json_t *prov, mg_provider_spec *s)
{
    int rc;
    json_t *m = get_obj(c, prov, "providers", "category_map", 0, &rc);
    if (rc || !m)
        return rc;
    size_t n = json_object_size(m);
    s->map_from = calloc(n + 1, sizeof *s->map_from);
    s->map_to = calloc(n + 1, sizeof *s->map_to);
    if (!s->map_from || !s->map_to)
        return MG_ERR_NOMEM;
    const char *key;
    json_t *v;
    json_object_foreach(m, key, v) {
        if (!json_is_string(v))
            return fail(c, "providers.category_map",
                        "the category for '%s' must be a string", key, NULL);
        s->map_from[s->n_map] = strdup(key);
        s->map_to[s->n_map] = strdup(json_string_value(v));
        if (!s->map_from[s->n_map] || !s->map_to[s->n_map])
            return MG_ERR_NOMEM;
        s->n_map++;
    }
    return MG_OK;
}

static int parse_providers(parse_ctx *c, json_t *root, mg_provider_spec *s)
{
    static const char *const keys[] = {"path", "layer", "crs", "lon_field",
        "lat_field", "category_field", "capacity_field", "name_field",
        "region_code_field", "parent_name_field", "category_map",
        "missing_capacity", NULL};
    const char *jp = "providers";
    int rc;
    json_t *o = get_obj(c, root, "", "providers", 0, &rc);
    if (rc || !o)
        return rc; /* no providers: supply is 0 everywhere */
    rc = check_keys(c, o, jp, keys);
    if (!rc) rc = get_str(c, o, jp, "path", 1, &s->path);
    if (!rc) rc = get_str(c, o, jp, "layer", 0, &s->layer);
    if (!rc) rc = get_str(c, o, jp, "crs", 0, &s->crs);
    if (!rc) rc = get_str(c, o, jp, "lon_field", 0, &s->lon_field);
    if (!rc) rc = get_str(c, o, jp, "lat_field", 0, &s->lat_field);
    if (!rc) rc = get_str(c, o, jp, "category_field", 1, &s->category_field);
    if (!rc) rc = get_str(c, o, jp, "capacity_field", 0, &s->capacity_field);
    if (!rc) rc = get_str(c, o, jp, "name_field", 0, &s->name_field);
    if (!rc) rc = get_str(c, o, jp, "region_code_field", 0,
                          &s->region_code_field);
    if (!rc) rc = get_str(c, o, jp, "parent_name_field", 0,
                          &s->parent_name_field);
    if (rc)
        return rc;
    if (!s->lon_field != !s->lat_field)
        return fail(c, "providers", "'lon_field' and 'lat_field' go together: "
                    "give both or neither", NULL, NULL);
    json_t *mc = json_object_get(o, "missing_capacity");
    s->missing_capacity = 0;
    if (mc && !json_is_null(mc)) {
        if (!json_is_number(mc) || json_number_value(mc) < 0)
            return fail(c, "providers.missing_capacity",
                        "'missing_capacity' must be a number >= 0", NULL, NULL);
        s->missing_capacity = json_number_value(mc);
    }
    return parse_category_map(c, o, s);
}

/* Reads a non-empty array of distinct strings. */
static int get_name_list(parse_ctx *c, json_t *o, const char *jpath,
                         char ***out, size_t *n)
{
    if (!json_is_array(o) || json_array_size(o) == 0)
        return fail(c, jpath, "must be a non-empty array of strings", NULL,
                    NULL);
    size_t k = json_array_size(o);
    *out = calloc(k, sizeof **out);
    if (!*out)
        return MG_ERR_NOMEM;
    for (size_t i = 0; i < k; i++) {
        json_t *v = json_array_get(o, i);
        if (!json_is_string(v) || json_string_length(v) == 0)
            return fail(c, jpath, "must be a non-empty array of strings",
                        NULL, NULL);
        for (size_t j = 0; j < i; j++)
            if (strcmp((*out)[j], json_string_value(v)) == 0)
                return fail(c, jpath, "'%s' is listed twice",
                            json_string_value(v), NULL);
        (*out)[i] = strdup(json_string_value(v));
        if (!(*out)[i])
            return MG_ERR_NOMEM;
        *n = i + 1;
    }
    return MG_OK;
}

static int index_of(char **names, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return (int)i;
    return -1;
}

static int parse_weights(parse_ctx *c, json_t *w, mg_model_spec *m)
{
    if (!json_is_object(w))
        return fail(c, "model.weights", "'weights' must be an object of "
                    "group -> {category: weight}", NULL, NULL);
    m->weights = calloc(m->n_groups * m->n_categories, sizeof *m->weights);
    if (!m->weights)
        return MG_ERR_NOMEM;
    const char *g;
    json_t *row;
    json_object_foreach(w, g, row) {
        char jp[512];
        snprintf(jp, sizeof jp, "model.weights.%s", g);
        int gi = index_of(m->groups, m->n_groups, g);
        if (gi < 0)
            return fail(c, jp, "'%s' is not one of model.groups", g, NULL);
        if (!json_is_object(row))
            return fail(c, jp, "must be an object of category -> weight",
                        NULL, NULL);
        const char *cat;
        json_t *v;
        json_object_foreach(row, cat, v) {
            int ci = index_of(m->categories, m->n_categories, cat);
            if (ci < 0)
                return fail(c, jp, "'%s' is not one of model.categories",
                            cat, NULL);
            if (!json_is_number(v) || json_number_value(v) < 0)
                return fail(c, jp, "the weight of '%s' must be a number >= 0",
                            cat, NULL);
            m->weights[(size_t)gi * m->n_categories + (size_t)ci] =
                json_number_value(v);
        }
    }
    for (size_t i = 0; i < m->n_groups; i++)
        if (!json_object_get(w, m->groups[i]))
            return fail(c, "model.weights", "no weights for group '%s'",
                        m->groups[i], NULL);
    return MG_OK;
}

static int parse_model(parse_ctx *c, json_t *root, mg_model_spec *m)
{
    static const char *const keys[] = {"groups", "categories", "weights",
                                       NULL};
    int rc;
    json_t *o = get_obj(c, root, "", "model", 0, &rc);
    if (rc)
        return rc;
    if (!o)
        return mg_model_spec_default(m);
    rc = check_keys(c, o, "model", keys);
    if (!rc) rc = get_name_list(c, json_object_get(o, "groups"),
                                "model.groups", &m->groups, &m->n_groups);
    if (!rc) rc = get_name_list(c, json_object_get(o, "categories"),
                                "model.categories", &m->categories,
                                &m->n_categories);
    if (!rc) {
        json_t *w = json_object_get(o, "weights");
        if (!w)
            return fail(c, "model", "required key 'weights' is missing", NULL,
                        NULL);
        rc = parse_weights(c, w, m);
    }
    return rc;
}

static int parse_recipients(parse_ctx *c, json_t *root, mg_project *p)
{
    static const char *const keys[] = {"path", "layer", "code_field",
        "population_field", "group_fields", NULL};
    const char *jp = "recipients";
    mg_recipient_spec *s = &p->recipients;
    int rc;
    json_t *o = get_obj(c, root, "", "recipients", 0, &rc);
    if (rc || !o)
        return rc; /* no recipients: need is 0 everywhere */
    rc = check_keys(c, o, jp, keys);
    if (!rc) rc = get_str(c, o, jp, "path", 1, &s->path);
    if (!rc) rc = get_str(c, o, jp, "layer", 0, &s->layer);
    if (!rc) rc = get_str(c, o, jp, "code_field", 1, &s->code_field);
    if (!rc) rc = get_str(c, o, jp, "population_field", 0,
                          &s->population_field);
    json_t *gf = rc ? NULL : get_obj(c, o, jp, "group_fields", 0, &rc);
    if (rc)
        return rc;
    const mg_model_spec *m = &p->model;
    s->group_fields = calloc(m->n_groups, sizeof *s->group_fields);
    if (!s->group_fields)
        return MG_ERR_NOMEM;
    const char *g;
    json_t *v;
    if (gf) {
        json_object_foreach(gf, g, v) {
            if (index_of(m->groups, m->n_groups, g) < 0)
                return fail(c, "recipients.group_fields",
                            "'%s' is not one of model.groups", g, NULL);
            if (!json_is_string(v))
                return fail(c, "recipients.group_fields",
                            "the column of '%s' must be a string", g, NULL);
        }
    }
    for (size_t i = 0; i < m->n_groups; i++) {
        v = gf ? json_object_get(gf, m->groups[i]) : NULL;
        s->group_fields[i] = strdup(v ? json_string_value(v) : m->groups[i]);
        if (!s->group_fields[i])
            return MG_ERR_NOMEM;
    }
    return MG_OK;
}

static int parse_metadata(parse_ctx *c, json_t *root, mg_project *p)
{
    int rc;
    json_t *o = get_obj(c, root, "", "metadata", 0, &rc);
    if (rc || !o)
        return rc;
    size_t n = json_object_size(o);
    p->meta_keys = calloc(n + 1, sizeof *p->meta_keys);
    p->meta_values = calloc(n + 1, sizeof *p->meta_values);
    if (!p->meta_keys || !p->meta_values)
        return MG_ERR_NOMEM;
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v) {
        if (!json_is_string(v))
            return fail(c, "metadata", "the value of '%s' must be a string",
                        k, NULL);
        p->meta_keys[p->n_meta] = strdup(k);
        p->meta_values[p->n_meta] = strdup(json_string_value(v));
        if (!p->meta_keys[p->n_meta] || !p->meta_values[p->n_meta])
            return MG_ERR_NOMEM;
        p->n_meta++;
    }
    return MG_OK;
}

/* The output name becomes a file name: keep it to a safe alphabet. */
static int check_name(parse_ctx *c, const char *name)
{
    for (const char *s = name; *s; s++)
        if (!(*s == '-' || *s == '_' || *s == '.' ||
              (*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') ||
              (*s >= 'A' && *s <= 'Z')) || name[0] == '.')
            return fail(c, "name", "'%s' must use only letters, digits, '-', "
                        "'_' and '.' (it names the output files)", name, NULL);
    return MG_OK;
}

/* Every target of the category map must be a model category. */
static int check_category_map(parse_ctx *c, const mg_project *p)
{
    const mg_provider_spec *s = &p->providers;
    for (size_t i = 0; i < s->n_map; i++)
        if (index_of(p->model.categories, p->model.n_categories,
                     s->map_to[i]) < 0)
            return fail(c, "providers.category_map",
                        "'%s' maps to '%s', which is not one of "
                        "model.categories", s->map_from[i], s->map_to[i]);
    return MG_OK;
}

static int parse_root(parse_ctx *c, json_t *root, mg_project *p)
{
    static const char *const keys[] = {"name", "title", "output", "metadata",
        "boundaries", "providers", "recipients", "model", "poverty",
        "access", "siting", "maps", NULL};
    if (!json_is_object(root))
        return fail(c, "", "the project file must hold a JSON object", NULL,
                    NULL);
    int rc = check_keys(c, root, "", keys);
    if (!rc) rc = get_str(c, root, "", "name", 0, &p->name);
    if (!rc && !p->name)
        rc = (p->name = strdup("mapgen")) ? MG_OK : MG_ERR_NOMEM;
    if (!rc) rc = check_name(c, p->name);
    if (!rc) rc = get_str(c, root, "", "title", 0, &p->title);
    if (!rc) rc = get_str(c, root, "", "output", 0, &p->output);
    if (!rc && !p->output)
        rc = (p->output = strdup("out")) ? MG_OK : MG_ERR_NOMEM;
    if (!rc) rc = parse_metadata(c, root, p);
    if (!rc) rc = parse_model(c, root, &p->model);
    if (!rc) rc = parse_boundaries(c, root, p);
    if (!rc) rc = parse_providers(c, root, &p->providers);
    if (!rc) rc = parse_recipients(c, root, p);
    if (!rc) rc = check_category_map(c, p);
    if (!rc) rc = poverty_spec_parse(c->file, json_object_get(root, "poverty"),
                                     p, c->err);
    if (!rc) rc = access_project_parse(root, c->file, p, c->err);
    return rc;
}

int mg_project_parse(const char *json, const char *path, const char *base_dir,
                     mg_project **out, mg_error *err)
{
    parse_ctx c = {path ? path : "(project)", err};
    json_error_t jerr;
    *out = NULL;
    json_t *root = json_loads(json, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        mg_error_set(err, MG_ERR_PROJECT, c.file, -1, NULL,
                     "line %d, column %d: %s", jerr.line, jerr.column,
                     jerr.text);
        return MG_ERR_PROJECT;
    }
    mg_project *p = calloc(1, sizeof *p);
    int rc = p ? MG_OK : MG_ERR_NOMEM;
    if (!rc && path)
        rc = (p->path = strdup(path)) ? MG_OK : MG_ERR_NOMEM;
    if (!rc)
        rc = (p->base_dir = strdup(base_dir ? base_dir : "."))
                 ? MG_OK : MG_ERR_NOMEM;
    if (!rc)
        rc = parse_root(&c, root, p);
    json_decref(root);
    if (rc) {
        if (rc == MG_ERR_NOMEM)
            mg_error_set(err, rc, c.file, -1, NULL, "out of memory");
        mg_project_free(p);
        return rc;
    }
    *out = p;
    return MG_OK;
}

int mg_project_load(const char *path, mg_project **out, mg_error *err)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return mg_error_set(err, MG_ERR_PROJECT, path, -1, NULL,
                            "cannot open the project file");
    char *text = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 8192;
            char *t = realloc(text, cap);
            if (!t) {
                free(text);
                fclose(f);
                return mg_error_set(err, MG_ERR_NOMEM, path, -1, NULL,
                                    "out of memory");
            }
            text = t;
        }
        size_t got = fread(text + len, 1, 4096, f);
        len += got;
        if (got < 4096)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    text[len] = '\0';
    if (bad) {
        free(text);
        return mg_error_set(err, MG_ERR_PROJECT, path, -1, NULL,
                            "read error");
    }
    char *dir = strdup(path);
    char *slash = dir ? strrchr(dir, '/') : NULL;
    if (slash)
        *(slash == dir ? slash + 1 : slash) = '\0';
    int rc = dir ? mg_project_parse(text, path, slash ? dir : ".", out, err)
                 : mg_error_set(err, MG_ERR_NOMEM, path, -1, NULL,
                                "out of memory");
    free(dir);
    free(text);
    return rc;
}

int mg_model_spec_default(mg_model_spec *m)
{
    static const char *const groups[] = {"family_poverty", "self_dilemma",
                                         "guardianship"};
    static const char *const cats[] = {"consultation", "economic_aid",
                                       "rehabilitation", "promotion"};
    /* BRIEF.md: key needs 1.0, complementary 0.5, consultation 1.0 for all. */
    static const double w[3][4] = {
        {1.0, 1.0, 0.5, 0.5}, /* family poverty: key economic aid */
        {1.0, 1.0, 1.0, 0.5}, /* self dilemma: key rehabilitation, aid */
        {1.0, 0.5, 1.0, 0.5}, /* guardianship: key rehabilitation */
    };
    memset(m, 0, sizeof *m);
    m->groups = calloc(3, sizeof *m->groups);
    m->categories = calloc(4, sizeof *m->categories);
    m->weights = malloc(sizeof w);
    if (!m->groups || !m->categories || !m->weights)
        goto fail;
    m->n_groups = 3;
    m->n_categories = 4;
    for (size_t i = 0; i < 3; i++)
        if (!(m->groups[i] = strdup(groups[i])))
            goto fail;
    for (size_t i = 0; i < 4; i++)
        if (!(m->categories[i] = strdup(cats[i])))
            goto fail;
    memcpy(m->weights, w, sizeof w);
    return MG_OK;
fail:
    mg_model_spec_clear(m);
    return MG_ERR_NOMEM;
}

static void free_list(char **list, size_t n)
{
    if (!list)
        return;
    for (size_t i = 0; i < n; i++)
        free(list[i]);
    free(list);
}

void mg_model_spec_clear(mg_model_spec *m)
{
    if (!m)
        return;
    /* Lists are allocated at full length and filled in order; free up to
     * the first NULL via the stored counts, which may lag on failure. */
    free_list(m->groups, m->n_groups ? m->n_groups : 0);
    free_list(m->categories, m->n_categories);
    free(m->weights);
    memset(m, 0, sizeof *m);
}

char *mg_project_resolve(const mg_project *p, const char *path)
{
    if (!path)
        return NULL;
    /* Absolute paths, GDAL virtual files and connection strings such as
     * "PG:dbname=x" are used as they are. */
    if (path[0] == '/' || strncmp(path, "/vsi", 4) == 0 ||
        (strchr(path, ':') && !strchr(path, '/')) || !p->base_dir ||
        strcmp(p->base_dir, ".") == 0)
        return strdup(path);
    size_t n = strlen(p->base_dir) + strlen(path) + 2;
    char *out = malloc(n);
    if (out)
        snprintf(out, n, "%s/%s", p->base_dir, path);
    return out;
}

static void level_spec_clear(mg_level_spec *l)
{
    free_list(l->fields, l->n_fields);
    free(l->level); free(l->path); free(l->layer); free(l->crs);
    free(l->code_field); free(l->name_field); free(l->parent_code_field);
}

void mg_project_free(mg_project *p)
{
    if (!p)
        return;
    free(p->path); free(p->base_dir); free(p->name); free(p->title);
    free(p->output);
    free_list(p->meta_keys, p->n_meta);
    free_list(p->meta_values, p->n_meta);
    for (size_t i = 0; i < p->n_levels; i++)
        level_spec_clear(&p->levels[i]);
    free(p->levels);
    mg_provider_spec *s = &p->providers;
    free(s->path); free(s->layer); free(s->crs); free(s->lon_field);
    free(s->lat_field); free(s->category_field); free(s->capacity_field);
    free(s->name_field); free(s->region_code_field);
    free(s->parent_name_field);
    free_list(s->map_from, s->n_map);
    free_list(s->map_to, s->n_map);
    mg_recipient_spec *r = &p->recipients;
    free(r->path); free(r->layer); free(r->code_field);
    free(r->population_field);
    free_list(r->group_fields, p->model.n_groups);
    mg_model_spec_clear(&p->model);
    mg_poverty_spec_free(p->poverty);
    mg_access_spec_free(p->access);
    mg_siting_spec_free(p->siting);
    free(p);
}
