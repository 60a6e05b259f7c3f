/* The "periods" section of the project file, checked key by key. */
#include "change_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void mg_periods_spec_free(mg_periods_spec *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++) {
        free(s->items[i].label);
        json_decref(s->items[i].overrides);
        mg_project_free(s->items[i].project);
    }
    free(s->items);
    mg_free_list(s->maps, s->n_maps);
    free(s->palette);
    free(s);
}

void mg_periods_section_clear(mg_project *p)
{
    mg_periods_spec_free(p->periods);
    p->periods = NULL;
}

/* Labels name GeoPackage layers and CSV cells: keep them plain. */
static int check_label(mg_spec *s, const char *path, const char *label)
{
    size_t n = strlen(label);
    int ok = n > 0 && n <= 32;
    for (size_t i = 0; ok && i < n; i++) {
        char c = label[i];
        ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
             (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
    }
    if (!ok)
        return mg_spec_fail(s, path,
                            "'%s' must be 1 to 32 letters, digits, '_', '-' "
                            "or '.' (it names layers)",
                            label);
    return MG_OK;
}

/* "YYYY-MM-DD" as a decimal year: the day's share of its year added. */
static int parse_date(const char *text, double *year)
{
    int y, m, d;
    char tail;
    if (sscanf(text, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || y < 1 ||
        m < 1 || m > 12 || d < 1 || d > 31)
        return -1;
    static const int before[12] = {0,   31,  59,  90,  120, 151,
                                   181, 212, 243, 273, 304, 334};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    int doy = before[m - 1] + d - 1 + (leap && m > 2);
    *year = y + doy / (leap ? 366.0 : 365.0);
    return 0;
}

/* The period's "year" or "date" (exactly one). */
static int period_time(mg_spec *s, json_t *o, const char *path, mg_period *p)
{
    char *date = NULL;
    double year = NAN;
    char kp[512];
    int rc = mg_spec_get_num(s, o, path, "year", 0, 0, 1, 9999, &year);
    if (!rc)
        rc = mg_spec_get_str(s, o, path, "date", 0, &date);
    mg_spec_key_path(kp, sizeof kp, path, "date");
    if (!rc && date && !isnan(year))
        rc = mg_spec_fail(s, kp, "give \"year\" or \"date\", not both");
    else if (!rc && date && parse_date(date, &year) != 0)
        rc = mg_spec_fail(s, kp, "'%s' is not a date YYYY-MM-DD", date);
    else if (!rc && isnan(year))
        rc = mg_spec_fail(s, path, "needs \"year\" or \"date\"");
    p->year = year;
    free(date);
    return rc;
}

/* The keys a period may change, with the JSON type each must have. */
static const char *const override_keys[] = {"recipients", "providers",
                                            "boundaries", "poverty", NULL};

static int period_parse(mg_spec *s, json_t *o, const char *path, mg_period *p)
{
    static const char *const allowed[] = {"label",      "year",
                                          "date",       "recipients",
                                          "providers",  "boundaries",
                                          "poverty",    NULL};
    if (!json_is_object(o))
        return mg_spec_fail(s, path, "must be an object");
    int rc = mg_spec_check_keys(s, o, path, allowed);
    if (!rc)
        rc = mg_spec_get_str(s, o, path, "label", 1, &p->label);
    char kp[512];
    mg_spec_key_path(kp, sizeof kp, path, "label");
    if (!rc)
        rc = check_label(s, kp, p->label);
    if (!rc)
        rc = period_time(s, o, path, p);
    if (!rc && !(p->overrides = json_object()))
        rc = mg_spec_nomem(s);
    for (size_t k = 0; !rc && override_keys[k]; k++) {
        json_t *v = json_object_get(o, override_keys[k]);
        int is_array = k == 2;
        mg_spec_key_path(kp, sizeof kp, path, override_keys[k]);
        if (!v || json_is_null(v))
            continue;
        if (is_array ? !json_is_array(v) : !json_is_object(v))
            rc = mg_spec_fail(s, kp, "must be an %s",
                              is_array ? "array" : "object");
        else if (json_object_set(p->overrides, override_keys[k], v))
            rc = mg_spec_nomem(s);
    }
    return rc;
}

/* Labels distinct, years strictly increasing: every pair has dt > 0. */
static int check_order(mg_spec *s, const mg_periods_spec *ps)
{
    for (size_t i = 1; i < ps->n; i++) {
        char ip[512];
        mg_spec_item_path(ip, sizeof ip, "periods.list", i);
        for (size_t j = 0; j < i; j++)
            if (strcmp(ps->items[i].label, ps->items[j].label) == 0)
                return mg_spec_fail(s, ip, "label '%s' is used twice",
                                    ps->items[i].label);
        if (!(ps->items[i].year > ps->items[i - 1].year))
            return mg_spec_fail(s, ip,
                                "periods must be in time order: '%s' "
                                "(%.4g) is not after '%s' (%.4g)",
                                ps->items[i].label, ps->items[i].year,
                                ps->items[i - 1].label,
                                ps->items[i - 1].year);
    }
    return MG_OK;
}

static int parse_list(mg_spec *s, json_t *v, mg_periods_spec *ps)
{
    int rc = MG_OK;
    json_t *list = mg_spec_get_array(s, v, "periods", "list", 1, &rc);
    if (rc)
        return rc;
    if (json_array_size(list) < 2)
        return mg_spec_fail(s, "periods.list",
                            "needs at least 2 periods (it has %zu)",
                            json_array_size(list));
    ps->items = calloc(json_array_size(list), sizeof *ps->items);
    if (!ps->items)
        return mg_spec_nomem(s);
    for (size_t i = 0; !rc && i < json_array_size(list); i++) {
        char ip[512];
        mg_spec_item_path(ip, sizeof ip, "periods.list", i);
        ps->n = i + 1;
        rc = period_parse(s, json_array_get(list, i), ip, &ps->items[i]);
    }
    return rc ? rc : check_order(s, ps);
}

static int parse_options(mg_spec *s, json_t *v, mg_periods_spec *ps)
{
    static const char *const norms[] = {"as_given", "pooled", NULL};
    int rc = mg_spec_get_enum(s, v, "periods", "normalisation", norms, 0,
                              &ps->pooled);
    if (!rc)
        rc = mg_spec_get_str(s, v, "periods", "palette", 0, &ps->palette);
    if (!rc && !ps->palette && !(ps->palette = strdup("RdBu")))
        rc = mg_spec_nomem(s);
    json_t *maps = rc ? NULL : json_object_get(v, "change_maps");
    if (!rc && maps && !json_is_null(maps))
        rc = mg_spec_get_names(s, maps, "periods.change_maps", &ps->maps,
                               &ps->n_maps);
    else if (!rc) {
        /* The two figures the issue is about: unmet need and poverty. */
        static const char *const dflt[] = {"gap_total", "poverty_index"};
        if (!(ps->maps = calloc(2, sizeof *ps->maps)))
            return mg_spec_nomem(s);
        ps->n_maps = 2;
        for (size_t i = 0; !rc && i < 2; i++)
            if (!(ps->maps[i] = strdup(dflt[i])))
                rc = mg_spec_nomem(s);
    }
    for (size_t i = 0; !rc && i < ps->n_maps; i++)
        if (strlen(ps->maps[i]) > CHANGE_FIGURE_MAX)
            rc = mg_spec_fail(s, "periods.change_maps",
                              "'%s' is longer than %d characters",
                              ps->maps[i], CHANGE_FIGURE_MAX);
    return rc;
}

int mg_periods_section_parse(mg_spec *s, json_t *v, mg_project *p)
{
    static const char *const allowed[] = {"list", "normalisation",
                                          "change_maps", "palette", NULL};
    if (!v || json_is_null(v))
        return MG_OK;
    if (!json_is_object(v))
        return mg_spec_fail(s, "periods", "must be an object");
    int rc = mg_spec_check_keys(s, v, "periods", allowed);
    mg_periods_spec *ps = rc ? NULL : calloc(1, sizeof *ps);
    if (!rc && !ps)
        return mg_spec_nomem(s);
    if (!rc) {
        ps->pooled = 1;
        rc = parse_list(s, v, ps);
    }
    if (!rc)
        rc = parse_options(s, v, ps);
    if (rc) {
        mg_periods_spec_free(ps);
        return rc;
    }
    p->periods = ps;
    return MG_OK;
}
