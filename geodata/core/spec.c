/* The one reader of JSON files and their sections (core.h): loading with
 * duplicate keys refused, the key check, the typed getters. */
#include "geodata/core.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int mg_json_parse(const char *text, const char *file, int code, json_t **root,
                  mg_error *err)
{
    json_error_t jerr;
    *root = json_loads(text, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
    if (*root)
        return MG_OK;
    /* jansson reports allocation failures as syntax errors too. */
    if (json_error_code(&jerr) == json_error_out_of_memory)
        return mg_error_nomem(err, file);
    return mg_error_set(err, code, file, -1, NULL, "line %d, column %d: %s",
                        jerr.line, jerr.column, jerr.text);
}

/* The whole file as a NUL-terminated string, or NULL with errno set. */
static char *read_file(FILE *f)
{
    char *text = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 8192;
            char *t = realloc(text, cap);
            if (!t) {
                free(text);
                errno = ENOMEM;
                return NULL;
            }
            text = t;
        }
        size_t got = fread(text + len, 1, 4096, f);
        len += got;
        if (got < 4096)
            break;
    }
    if (ferror(f)) {
        free(text);
        errno = EIO;
        return NULL;
    }
    text[len] = '\0';
    return text;
}

int mg_json_load(const char *path, int code, json_t **root, mg_error *err)
{
    *root = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return mg_error_set(err, code, path, -1, NULL, "cannot open: %s",
                            strerror(errno));
    char *text = read_file(f);
    int saved = errno;
    fclose(f);
    if (!text)
        return saved == ENOMEM
                   ? mg_error_nomem(err, path)
                   : mg_error_set(err, code, path, -1, NULL, "cannot read: %s",
                                  strerror(saved));
    int rc = mg_json_parse(text, path, code, root, err);
    free(text);
    if (!rc && !json_is_object(*root)) {
        json_decref(*root);
        *root = NULL;
        rc = mg_error_set(err, code, path, -1, NULL,
                          "the file must hold a JSON object");
    }
    return rc;
}

int mg_spec_fail(mg_spec *s, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    mg_error_setv(s->err, MG_ERR_PROJECT, s->file, -1, path, fmt, ap);
    va_end(ap);
    return MG_ERR_PROJECT;
}

int mg_spec_nomem(mg_spec *s)
{
    return mg_error_nomem(s->err, s->file);
}

void mg_spec_key_path(char *out, size_t n, const char *path, const char *key)
{
    /* A path longer than n is cut: messages name it as far as it fits. */
    if (snprintf(out, n, "%s%s%s", path, *path ? "." : "", key) >= (int)n &&
        n > 0)
        out[n - 1] = '\0';
}

void mg_spec_item_path(char *out, size_t n, const char *path, size_t i)
{
    snprintf(out, n, "%s[%zu]", path, i);
}

int mg_spec_check_keys(mg_spec *s, json_t *obj, const char *path,
                       const char *const *allowed)
{
    const char *key;
    json_t *v;
    json_object_foreach (obj, key, v) {
        int ok = key[0] == '_';
        for (size_t i = 0; allowed[i] && !ok; i++)
            ok = strcmp(key, allowed[i]) == 0;
        if (ok)
            continue;
        char list[640] = "", kp[512];
        for (size_t i = 0; allowed[i]; i++) {
            strncat(list, i ? ", " : "", sizeof list - strlen(list) - 1);
            strncat(list, allowed[i], sizeof list - strlen(list) - 1);
        }
        mg_spec_key_path(kp, sizeof kp, path, key);
        return mg_spec_fail(s, kp, "unknown key '%s'; expected one of: %s",
                            key, list);
    }
    return MG_OK;
}

/* obj[key], NULL when absent or JSON null (an error when required). */
static json_t *present(mg_spec *s, json_t *obj, const char *path,
                       const char *key, int required, int *status)
{
    json_t *v = json_object_get(obj, key);
    *status = MG_OK;
    if (v && !json_is_null(v))
        return v;
    if (required) {
        char kp[512];
        mg_spec_key_path(kp, sizeof kp, path, key);
        *status = mg_spec_fail(s, kp, "required key '%s' is missing", key);
    }
    return NULL;
}

int mg_spec_get_str(mg_spec *s, json_t *obj, const char *path, const char *key,
                    int required, char **out)
{
    int rc;
    json_t *v = present(s, obj, path, key, required, &rc);
    *out = NULL;
    if (!v)
        return rc;
    if (!json_is_string(v) || json_string_length(v) == 0) {
        char kp[512];
        mg_spec_key_path(kp, sizeof kp, path, key);
        return mg_spec_fail(s, kp, "'%s' must be a non-empty string", key);
    }
    return (*out = strdup(json_string_value(v))) ? MG_OK : mg_spec_nomem(s);
}

/* "must be a number > 0", "... between 1 and 9": what [lo, hi] asks. */
static int range_fail(mg_spec *s, const char *kp, const char *key,
                      unsigned flags, double lo, double hi)
{
    const char *what = flags & MG_SPEC_INTEGER ? "a whole number" : "a number";
    const char *op = flags & MG_SPEC_ABOVE ? ">" : ">=";
    if (isinf(hi) && isinf(lo))
        return mg_spec_fail(s, kp, "'%s' must be %s", key, what);
    if (isinf(hi))
        return mg_spec_fail(s, kp, "'%s' must be %s %s %g", key, what, op, lo);
    return mg_spec_fail(s, kp, "'%s' must be %s from %g to %g", key, what, lo,
                        hi);
}

int mg_spec_get_strs(mg_spec *s, json_t *obj, const char *path,
                     const mg_spec_str *keys, size_t n, void *base)
{
    int rc = MG_OK;
    for (size_t i = 0; !rc && i < n; i++)
        rc = mg_spec_get_str(s, obj, path, keys[i].key, keys[i].required,
                             (char **)((char *)base + keys[i].offset));
    return rc;
}

int mg_spec_get_num(mg_spec *s, json_t *obj, const char *path, const char *key,
                    int required, unsigned flags, double lo, double hi,
                    double *out)
{
    int rc;
    json_t *v = present(s, obj, path, key, required, &rc);
    if (!v)
        return rc;
    char kp[512];
    mg_spec_key_path(kp, sizeof kp, path, key);
    double x = json_is_number(v) ? json_number_value(v) : NAN;
    int ok = isfinite(x) && x <= hi &&
             (flags & MG_SPEC_ABOVE ? x > lo : x >= lo) &&
             (!(flags & MG_SPEC_INTEGER) || x == floor(x));
    if (!ok)
        return range_fail(s, kp, key, flags, lo, hi);
    *out = x;
    return MG_OK;
}

int mg_spec_get_bool(mg_spec *s, json_t *obj, const char *path,
                     const char *key, int *out)
{
    int rc;
    json_t *v = present(s, obj, path, key, 0, &rc);
    if (!v)
        return rc;
    if (!json_is_boolean(v)) {
        char kp[512];
        mg_spec_key_path(kp, sizeof kp, path, key);
        return mg_spec_fail(s, kp, "'%s' must be true or false", key);
    }
    *out = json_is_true(v);
    return MG_OK;
}

int mg_spec_get_enum(mg_spec *s, json_t *obj, const char *path,
                     const char *key, const char *const *names, int required,
                     int *out)
{
    json_t *v = json_object_get(obj, key);
    if ((!v || json_is_null(v)) && !required)
        return MG_OK;
    const char *t = json_is_string(v) ? json_string_value(v) : "";
    for (int i = 0; v && names[i]; i++)
        if (strcmp(t, names[i]) == 0) {
            *out = i;
            return MG_OK;
        }
    char list[512] = "", kp[512];
    for (size_t i = 0; names[i]; i++) {
        strncat(list, i ? ", \"" : "\"", sizeof list - strlen(list) - 1);
        strncat(list, names[i], sizeof list - strlen(list) - 1);
        strncat(list, "\"", sizeof list - strlen(list) - 1);
    }
    mg_spec_key_path(kp, sizeof kp, path, key);
    return mg_spec_fail(
        s, kp, "%s'%s' must be one of %s",
        v && !json_is_null(v) ? "" : "required key missing: ", key, list);
}

static json_t *get_typed(mg_spec *s, json_t *obj, const char *path,
                         const char *key, int required, int *status,
                         int want_array)
{
    json_t *v = present(s, obj, path, key, required, status);
    if (!v || (want_array ? json_is_array(v) : json_is_object(v)))
        return v;
    char kp[512];
    mg_spec_key_path(kp, sizeof kp, path, key);
    *status = mg_spec_fail(s, kp, "'%s' must be %s", key,
                           want_array ? "an array" : "an object");
    return NULL;
}

json_t *mg_spec_get_obj(mg_spec *s, json_t *obj, const char *path,
                        const char *key, int required, int *status)
{
    return get_typed(s, obj, path, key, required, status, 0);
}

json_t *mg_spec_get_array(mg_spec *s, json_t *obj, const char *path,
                          const char *key, int required, int *status)
{
    return get_typed(s, obj, path, key, required, status, 1);
}

void mg_free_list(char **list, size_t n)
{
    for (size_t i = 0; list && i < n; i++)
        free(list[i]);
    free(list);
}

int mg_spec_get_names(mg_spec *s, json_t *v, const char *path, char ***out,
                      size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!json_is_array(v) || json_array_size(v) == 0)
        return mg_spec_fail(s, path, "must be a non-empty array of strings");
    size_t k = json_array_size(v);
    char **list = calloc(k, sizeof *list);
    if (!list)
        return mg_spec_nomem(s);
    for (size_t i = 0; i < k; i++) {
        json_t *e = json_array_get(v, i);
        char ip[512];
        mg_spec_item_path(ip, sizeof ip, path, i);
        int rc = MG_OK;
        if (!json_is_string(e) || json_string_length(e) == 0)
            rc = mg_spec_fail(s, ip, "must be a non-empty string");
        for (size_t j = 0; !rc && j < i; j++)
            if (strcmp(list[j], json_string_value(e)) == 0)
                rc = mg_spec_fail(s, ip, "'%s' is listed twice",
                                  json_string_value(e));
        if (!rc && !(list[i] = strdup(json_string_value(e))))
            rc = mg_spec_nomem(s);
        if (rc) {
            mg_free_list(list, k);
            return rc;
        }
    }
    *out = list;
    *n = k;
    return MG_OK;
}

int mg_spec_get_string_map(mg_spec *s, json_t *obj, const char *path,
                           const char *key, char ***keys, char ***values,
                           size_t *n)
{
    int rc;
    json_t *m = mg_spec_get_obj(s, obj, path, key, 0, &rc);
    *keys = *values = NULL;
    *n = 0;
    if (rc || !m)
        return rc;
    char mp[512], kp[512];
    mg_spec_key_path(mp, sizeof mp, path, key);
    size_t k = json_object_size(m), i = 0;
    char **ks = calloc(k + 1, sizeof *ks), **vs = calloc(k + 1, sizeof *vs);
    rc = ks && vs ? MG_OK : mg_spec_nomem(s);
    const char *name;
    json_t *v;
    json_object_foreach (m, name, v) {
        if (rc)
            break;
        mg_spec_key_path(kp, sizeof kp, mp, name);
        if (!json_is_string(v))
            rc = mg_spec_fail(s, kp, "the value of '%s' must be a string",
                              name);
        else if (!(ks[i] = strdup(name)) ||
                 !(vs[i++] = strdup(json_string_value(v))))
            rc = mg_spec_nomem(s);
    }
    if (rc) {
        mg_free_list(ks, k);
        mg_free_list(vs, k);
        return rc;
    }
    *keys = ks;
    *values = vs;
    *n = k;
    return MG_OK;
}

/* ---- exact numbers in a dumped document --------------------------------- */

void mg_json_exact(double v, char *buf, size_t size)
{
    if (!isfinite(v)) {
        snprintf(buf, size, "null");
        return;
    }
    /* Whole numbers as integers ("2200", not "2.2e+03"). */
    if (v == floor(v) && fabs(v) < 1e15) {
        snprintf(buf, size, "%.0f", v == 0 ? 0.0 : v);
        return;
    }
    for (int digits = 1; digits <= 17; digits++) {
        snprintf(buf, size, "%.*g", digits, v);
        if (strtod(buf, NULL) == v)
            break;
    }
}

char *mg_json_exact_array(const double *v, size_t n)
{
    size_t cap = 2 + n * 26 + 1;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    size_t len = 0;
    out[len++] = '[';
    for (size_t i = 0; i < n; i++) {
        char num[32];
        mg_json_exact(v[i], num, sizeof num);
        len += (size_t)snprintf(out + len, cap - len, "%s%s", i ? ", " : "",
                                num);
    }
    snprintf(out + len, cap - len, "]");
    return out;
}

char *mg_json_splice(const char *text, const char *raw)
{
    const char *mark = "\"" MG_JSON_RAW_MARK "\"";
    const char *at = strstr(text, mark);
    size_t n = strlen(text), r = strlen(raw), m = strlen(mark);
    char *out = malloc(at ? n - m + r + 1 : n + 1);
    if (!out)
        return NULL;
    if (!at) {
        memcpy(out, text, n + 1);
        return out;
    }
    size_t head = (size_t)(at - text);
    memcpy(out, text, head);
    memcpy(out + head, raw, r);
    memcpy(out + head + r, at + m, n - head - m + 1);
    return out;
}
