/* The extra columns later stages add to a level. */
#include "internal.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int mg_level_add_column(mg_level *l, const char *name, int is_integer,
                        double **values)
{
    for (size_t i = 0; i < l->n_columns; i++)
        if (strcmp(l->columns[i].name, name) == 0) {
            *values = l->columns[i].values;
            return MG_OK;
        }
    mg_column *c = realloc(l->columns, (l->n_columns + 1) * sizeof *c);
    if (!c)
        return MG_ERR_NOMEM;
    l->columns = c;
    mg_column *col = &c[l->n_columns];
    col->name = strdup(name);
    col->values = malloc((l->n ? l->n : 1) * sizeof *col->values);
    col->is_integer = is_integer;
    if (!col->name || !col->values) {
        free(col->name);
        free(col->values);
        return MG_ERR_NOMEM;
    }
    for (size_t i = 0; i < l->n; i++)
        col->values[i] = NAN;
    l->n_columns++;
    *values = col->values;
    return MG_OK;
}

void level_clear_columns(mg_level *l)
{
    for (size_t i = 0; i < l->n_columns; i++) {
        free(l->columns[i].name);
        free(l->columns[i].values);
    }
    free(l->columns);
    l->columns = NULL;
    l->n_columns = 0;
}

void mg_field_name(char *out, size_t n, const char *prefix, const char *name)
{
    size_t k = (size_t)snprintf(out, n, "%s", prefix);
    for (const char *s = name; *s && k + 1 < n; s++)
        out[k++] = isalnum((unsigned char)*s)
                       ? (char)tolower((unsigned char)*s)
                       : '_';
    out[k < n ? k : n - 1] = '\0';
}
