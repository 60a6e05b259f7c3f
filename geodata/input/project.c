/* The project file: read once with core's JSON reader and checked key
 * by key; the sections of the modules above through the caller's table. */
#include "internal.h"

#include <jansson.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* "number_format" and "max_unreadable" of a table (docs/project-file.md). */
static int parse_number_rules(mg_spec *c, json_t *o, const char *jpath,
                              mg_number_rules *n)
{
    n->format = MG_NUMFMT_PLAIN;
    n->max_unreadable = 0.5;
    int rc = mg_spec_get_enum(c, o, jpath, "number_format",
                              mg_number_format_names, 0, &n->format);
    if (!rc)
        rc = mg_spec_get_num(c, o, jpath, "max_unreadable", 0, 0, 0.0, 1.0,
                             &n->max_unreadable);
    return rc;
}

static int parse_level(mg_spec *c, json_t *o, const char *jpath, size_t i,
                       mg_level_spec *l)
{
    static const char *const keys[] = {"level",
                                       "path",
                                       "layer",
                                       "crs",
                                       "code_field",
                                       "name_field",
                                       "parent_code_field",
                                       "parent_name_field",
                                       "fields",
                                       "number_format",
                                       "max_unreadable",
                                       NULL};
    if (!json_is_object(o))
        return mg_spec_fail(c, jpath, "each boundary level must be an object");
#define L(key, req)                                                           \
    {                                                                         \
#key, req, offsetof(mg_level_spec, key)                               \
    }
    const mg_spec_str strs[] = {L(level, 0),
                                L(path, i == 0),
                                L(layer, 0),
                                L(crs, 0),
                                L(code_field, 0),
                                L(name_field, 0),
                                L(parent_code_field, 0),
                                L(parent_name_field, 0)};
#undef L
    int rc = mg_spec_check_keys(c, o, jpath, keys);
    if (!rc)
        rc =
            mg_spec_get_strs(c, o, jpath, strs, sizeof strs / sizeof *strs, l);
    if (!rc)
        rc = parse_number_rules(c, o, jpath, &l->numbers);
    /* A level built from its children's parent codes has no field of its
     * own (docs/project-file.md). */
    if (!rc && l->path && !l->code_field) {
        char kp[96];
        snprintf(kp, sizeof kp, "%s.code_field", jpath);
        rc = mg_spec_fail(c, kp, "required key 'code_field' is missing");
    }
    json_t *fields = json_object_get(o, "fields");
    if (!rc && fields) {
        char jp[96];
        snprintf(jp, sizeof jp, "%s.fields", jpath);
        rc = mg_spec_get_names(c, fields, jp, &l->fields, &l->n_fields);
    }
    if (!rc && !l->level) {
        char name[32];
        snprintf(name, sizeof name, "level%zu", i);
        l->level = strdup(name);
        rc = l->level ? MG_OK : MG_ERR_NOMEM;
    }
    return rc;
}

static int parse_boundaries(mg_spec *c, json_t *root, mg_project *p)
{
    json_t *b = json_object_get(root, "boundaries");
    if (!b || json_is_null(b))
        return mg_spec_fail(c, "boundaries",
                            "required key 'boundaries' is missing");
    size_t n = json_is_array(b) ? json_array_size(b) : 1;
    if (!json_is_array(b) && !json_is_object(b))
        return mg_spec_fail(
            c, "boundaries",
            "'boundaries' must be an object or an array of objects");
    if (n == 0)
        return mg_spec_fail(c, "boundaries", "'boundaries' is empty");
    p->levels = calloc(n, sizeof *p->levels);
    if (!p->levels)
        return MG_ERR_NOMEM;
    p->n_levels = n;
    for (size_t i = 0; i < n; i++) {
        char jpath[64];
        snprintf(jpath, sizeof jpath,
                 json_is_array(b) ? "boundaries[%zu]" : "boundaries", i);
        json_t *o = json_is_array(b) ? json_array_get(b, i) : b;
        int rc = parse_level(c, o, jpath, i, &p->levels[i]);
        if (rc)
            return rc;
        if (i + 1 < n && !p->levels[i].parent_code_field)
            return mg_spec_fail(c, jpath,
                                "a level followed by a parent level needs "
                                "'parent_code_field'");
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

static int parse_category_map(mg_spec *c, json_t *prov, mg_provider_spec *s)
{
    return mg_spec_get_string_map(c, prov, "providers", "category_map",
                                  &s->map_from, &s->map_to, &s->n_map);
}

static int parse_providers(mg_spec *c, json_t *root, mg_provider_spec *s)
{
    static const char *const keys[] = {"path",
                                       "layer",
                                       "crs",
                                       "lon_field",
                                       "lat_field",
                                       "category_field",
                                       "capacity_field",
                                       "name_field",
                                       "region_code_field",
                                       "parent_name_field",
                                       "category_map",
                                       "missing_capacity",
                                       "number_format",
                                       "max_unreadable",
                                       NULL};
    const char *jp = "providers";
    int rc;
    json_t *o = mg_spec_get_obj(c, root, "", "providers", 0, &rc);
    if (rc || !o)
        return rc; /* no providers: supply is 0 everywhere */
#define P(key, req)                                                           \
    {                                                                         \
#key, req, offsetof(mg_provider_spec, key)                            \
    }
    static const mg_spec_str strs[] = {P(path, 1),
                                       P(layer, 0),
                                       P(crs, 0),
                                       P(lon_field, 0),
                                       P(lat_field, 0),
                                       P(category_field, 1),
                                       P(capacity_field, 0),
                                       P(name_field, 0),
                                       P(region_code_field, 0),
                                       P(parent_name_field, 0)};
#undef P
    rc = mg_spec_check_keys(c, o, jp, keys);
    if (!rc)
        rc = mg_spec_get_strs(c, o, jp, strs, sizeof strs / sizeof *strs, s);
    if (!rc)
        rc = parse_number_rules(c, o, jp, &s->numbers);
    if (rc)
        return rc;
    if (!s->lon_field != !s->lat_field)
        return mg_spec_fail(c, "providers",
                            "'lon_field' and 'lat_field' go together: "
                            "give both or neither");
    json_t *mc = json_object_get(o, "missing_capacity");
    s->missing_capacity = 0;
    if (mc && !json_is_null(mc)) {
        if (!json_is_number(mc) || json_number_value(mc) < 0)
            return mg_spec_fail(c, "providers.missing_capacity",
                                "'missing_capacity' must be a number >= 0");
        s->missing_capacity = json_number_value(mc);
    }
    return parse_category_map(c, o, s);
}

static int index_of(char **names, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return (int)i;
    return -1;
}

static int parse_weights(mg_spec *c, json_t *w, mg_model_spec *m)
{
    if (!json_is_object(w))
        return mg_spec_fail(c, "model.weights",
                            "'weights' must be an object of "
                            "group -> {category: weight}");
    m->weights = calloc(m->n_groups * m->n_categories, sizeof *m->weights);
    if (!m->weights)
        return MG_ERR_NOMEM;
    const char *g;
    json_t *row;
    json_object_foreach(w, g, row)
    {
        char jp[512];
        snprintf(jp, sizeof jp, "model.weights.%s", g);
        int gi = index_of(m->groups, m->n_groups, g);
        if (gi < 0)
            return mg_spec_fail(c, jp, "'%s' is not one of model.groups", g);
        if (!json_is_object(row))
            return mg_spec_fail(c, jp,
                                "must be an object of category -> weight");
        const char *cat;
        json_t *v;
        json_object_foreach(row, cat, v)
        {
            int ci = index_of(m->categories, m->n_categories, cat);
            if (ci < 0)
                return mg_spec_fail(
                    c, jp, "'%s' is not one of model.categories", cat);
            if (!json_is_number(v) || json_number_value(v) < 0)
                return mg_spec_fail(
                    c, jp, "the weight of '%s' must be a number >= 0", cat);
            m->weights[(size_t)gi * m->n_categories + (size_t)ci] =
                json_number_value(v);
        }
    }
    for (size_t i = 0; i < m->n_groups; i++)
        if (!json_object_get(w, m->groups[i]))
            return mg_spec_fail(c, "model.weights",
                                "no weights for group '%s'", m->groups[i]);
    return MG_OK;
}

static int parse_model(mg_spec *c, json_t *root, mg_model_spec *m)
{
    static const char *const keys[] = {"groups", "categories", "weights",
                                       NULL};
    int rc;
    json_t *o = mg_spec_get_obj(c, root, "", "model", 0, &rc);
    if (rc)
        return rc;
    if (!o)
        return mg_model_spec_default(m);
    rc = mg_spec_check_keys(c, o, "model", keys);
    if (!rc)
        rc = mg_spec_get_names(c, json_object_get(o, "groups"), "model.groups",
                               &m->groups, &m->n_groups);
    if (!rc)
        rc = mg_spec_get_names(c, json_object_get(o, "categories"),
                               "model.categories", &m->categories,
                               &m->n_categories);
    if (!rc) {
        json_t *w = json_object_get(o, "weights");
        if (!w)
            return mg_spec_fail(c, "model",
                                "required key 'weights' is missing");
        rc = parse_weights(c, w, m);
    }
    return rc;
}

static int parse_recipients(mg_spec *c, json_t *root, mg_project *p)
{
    static const char *const keys[] = {
        "path",         "layer",         "code_field",     "population_field",
        "group_fields", "number_format", "max_unreadable", NULL};
    const char *jp = "recipients";
    mg_recipient_spec *s = &p->recipients;
    int rc;
    json_t *o = mg_spec_get_obj(c, root, "", "recipients", 0, &rc);
    if (rc || !o)
        return rc; /* no recipients: need is 0 everywhere */
#define R(key, req)                                                           \
    {                                                                         \
#key, req, offsetof(mg_recipient_spec, key)                           \
    }
    static const mg_spec_str strs[] = {
        R(path, 1), R(layer, 0), R(code_field, 1), R(population_field, 0)};
#undef R
    rc = mg_spec_check_keys(c, o, jp, keys);
    if (!rc)
        rc = mg_spec_get_strs(c, o, jp, strs, sizeof strs / sizeof *strs, s);
    if (!rc)
        rc = parse_number_rules(c, o, jp, &s->numbers);
    json_t *gf = rc ? NULL : mg_spec_get_obj(c, o, jp, "group_fields", 0, &rc);
    if (rc)
        return rc;
    const mg_model_spec *m = &p->model;
    s->group_fields = calloc(m->n_groups, sizeof *s->group_fields);
    if (!s->group_fields)
        return MG_ERR_NOMEM;
    const char *g;
    json_t *v;
    if (gf) {
        json_object_foreach(gf, g, v)
        {
            if (index_of(m->groups, m->n_groups, g) < 0)
                return mg_spec_fail(c, "recipients.group_fields",
                                    "'%s' is not one of model.groups", g);
            if (!json_is_string(v))
                return mg_spec_fail(c, "recipients.group_fields",
                                    "the column of '%s' must be a string", g);
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

static int parse_metadata(mg_spec *c, json_t *root, mg_project *p)
{
    return mg_spec_get_string_map(c, root, "", "metadata", &p->meta_keys,
                                  &p->meta_values, &p->n_meta);
}

/* The output name becomes a file name: keep it to a safe alphabet. */
static int check_name(mg_spec *c, const char *name)
{
    for (const char *s = name; *s; s++)
        if (!(*s == '-' || *s == '_' || *s == '.' ||
              (*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') ||
              (*s >= 'A' && *s <= 'Z')) ||
            name[0] == '.')
            return mg_spec_fail(c, "name",
                                "'%s' must use only letters, digits, '-', "
                                "'_' and '.' (it names the output files)",
                                name);
    return MG_OK;
}

/* Every target of the category map must be a model category. */
static int check_category_map(mg_spec *c, const mg_project *p)
{
    const mg_provider_spec *s = &p->providers;
    for (size_t i = 0; i < s->n_map; i++)
        if (index_of(p->model.categories, p->model.n_categories,
                     s->map_to[i]) < 0)
            return mg_spec_fail(c, "providers.category_map",
                                "'%s' maps to '%s', which is not one of "
                                "model.categories",
                                s->map_from[i], s->map_to[i]);
    return MG_OK;
}

/* The root's keys: input's own and the table's. */
static int check_root_keys(mg_spec *c, json_t *root,
                           const mg_project_section *sec, size_t n)
{
    static const char *const own[] = {"name",       "title",      "output",
                                      "metadata",   "boundaries", "providers",
                                      "recipients", "model"};
    enum { N_OWN = sizeof own / sizeof own[0], N_MAX = N_OWN + 16 };
    const char *keys[N_MAX + 1];
    size_t k = 0;
    for (; k < N_OWN; k++)
        keys[k] = own[k];
    for (size_t i = 0; i < n && k < N_MAX; i++)
        keys[k++] = sec[i].key;
    keys[k] = NULL;
    return mg_spec_check_keys(c, root, "", keys);
}

static int parse_root(mg_spec *c, json_t *root, mg_project *p)
{
    if (!json_is_object(root))
        return mg_spec_fail(c, "",
                            "the project file must hold a JSON "
                            "object");
    int rc = check_root_keys(c, root, p->sections, p->n_sections);
    if (!rc)
        rc = mg_spec_get_str(c, root, "", "name", 0, &p->name);
    if (!rc && !p->name)
        rc = (p->name = strdup("mapgen")) ? MG_OK : MG_ERR_NOMEM;
    if (!rc)
        rc = check_name(c, p->name);
    if (!rc)
        rc = mg_spec_get_str(c, root, "", "title", 0, &p->title);
    if (!rc)
        rc = mg_spec_get_str(c, root, "", "output", 0, &p->output);
    if (!rc && !p->output)
        rc = (p->output = strdup("out")) ? MG_OK : MG_ERR_NOMEM;
    if (!rc)
        rc = parse_metadata(c, root, p);
    if (!rc)
        rc = parse_model(c, root, &p->model);
    if (!rc)
        rc = parse_boundaries(c, root, p);
    if (!rc)
        rc = parse_providers(c, root, &p->providers);
    if (!rc)
        rc = parse_recipients(c, root, p);
    if (!rc)
        rc = check_category_map(c, p);
    for (size_t i = 0; !rc && i < p->n_sections; i++) {
        json_t *v = json_object_get(root, p->sections[i].key);
        rc = p->sections[i].parse(c, json_is_null(v) ? NULL : v, p);
    }
    return rc;
}

/* A project with its file name and base directory, ready to parse into. */
static mg_project *project_new(const char *path, const char *base_dir,
                               const mg_project_section *sections, size_t n)
{
    mg_project *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->sections = sections;
    p->n_sections = sections ? n : 0;
    if ((path && !(p->path = strdup(path))) ||
        !(p->base_dir = strdup(base_dir ? base_dir : "."))) {
        mg_project_free(p);
        return NULL;
    }
    return p;
}

/* The directory of path, where its relative paths resolve ("." for a bare
 * file name); caller frees. */
static char *dir_of(const char *path)
{
    char *dir = strdup(path);
    char *slash = dir ? strrchr(dir, '/') : NULL;
    if (slash)
        *(slash == dir ? slash + 1 : slash) = '\0';
    else if (dir)
        strcpy(dir, ".");
    return dir;
}

int mg_project_from_json(json_t *root, const char *path, const char *base_dir,
                         const mg_project_section *sections, size_t n,
                         mg_project **out, mg_error *err)
{
    mg_spec c = {path ? path : "(project)", err};
    char *dir = base_dir ? NULL : dir_of(path ? path : ".");
    mg_project *p =
        base_dir || dir
            ? project_new(path, base_dir ? base_dir : dir, sections, n)
            : NULL;
    int rc = p ? parse_root(&c, root, p) : MG_ERR_NOMEM;
    free(dir);
    if (rc) {
        if (rc == MG_ERR_NOMEM)
            mg_error_nomem(err, c.file);
        mg_project_free(p);
        return rc;
    }
    *out = p;
    return MG_OK;
}

int mg_project_parse(const char *json, const char *path, const char *base_dir,
                     const mg_project_section *sections, size_t n,
                     mg_project **out, mg_error *err)
{
    json_t *root;
    *out = NULL;
    int rc = mg_json_parse(json, path ? path : "(project)", MG_ERR_PROJECT,
                           &root, err);
    if (rc)
        return rc;
    rc = mg_project_from_json(root, path, base_dir, sections, n, out, err);
    json_decref(root);
    return rc;
}

int mg_project_load(const char *path, const mg_project_section *sections,
                    size_t n, mg_project **out, mg_error *err)
{
    json_t *root;
    *out = NULL;
    int rc = mg_json_load(path, MG_ERR_PROJECT, &root, err);
    if (rc)
        return rc;
    rc = mg_project_from_json(root, path, NULL, sections, n, out, err);
    json_decref(root);
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

void mg_model_spec_clear(mg_model_spec *m)
{
    if (!m)
        return;
    /* Lists are allocated at full length and filled in order; free up to
     * the first NULL via the stored counts, which may lag on failure. */
    mg_free_list(m->groups, m->n_groups ? m->n_groups : 0);
    mg_free_list(m->categories, m->n_categories);
    free(m->weights);
    memset(m, 0, sizeof *m);
}

int mg_model_category(const mg_model_spec *m, const char *name)
{
    for (size_t i = 0; i < m->n_categories; i++)
        if (strcmp(m->categories[i], name) == 0)
            return (int)i;
    return -1;
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
    mg_free_list(l->fields, l->n_fields);
    free(l->level);
    free(l->path);
    free(l->layer);
    free(l->crs);
    free(l->code_field);
    free(l->name_field);
    free(l->parent_code_field);
    free(l->parent_name_field);
}

void mg_project_free(mg_project *p)
{
    if (!p)
        return;
    free(p->path);
    free(p->base_dir);
    free(p->name);
    free(p->title);
    free(p->output);
    mg_free_list(p->meta_keys, p->n_meta);
    mg_free_list(p->meta_values, p->n_meta);
    for (size_t i = 0; i < p->n_levels; i++)
        level_spec_clear(&p->levels[i]);
    free(p->levels);
    mg_provider_spec *s = &p->providers;
    free(s->path);
    free(s->layer);
    free(s->crs);
    free(s->lon_field);
    free(s->lat_field);
    free(s->category_field);
    free(s->capacity_field);
    free(s->name_field);
    free(s->region_code_field);
    free(s->parent_name_field);
    mg_free_list(s->map_from, s->n_map);
    mg_free_list(s->map_to, s->n_map);
    mg_recipient_spec *r = &p->recipients;
    free(r->path);
    free(r->layer);
    free(r->code_field);
    free(r->population_field);
    mg_free_list(r->group_fields, p->model.n_groups);
    mg_model_spec_clear(&p->model);
    for (size_t i = 0; i < p->n_sections; i++)
        p->sections[i].clear(p);
    free(p);
}
