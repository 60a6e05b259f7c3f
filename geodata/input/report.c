/* The join report: every data problem found, with the action taken. */
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

int mg_report_add(mg_report *r, const char *file, long row, const char *field,
                  const char *value, const char *problem, const char *action)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        mg_report_row *rows = realloc(r->rows, cap * sizeof *rows);
        if (!rows)
            return MG_ERR_NOMEM;
        r->rows = rows;
        r->cap = cap;
    }
    mg_report_row *x = &r->rows[r->n];
    x->file = dup_or_null(file);
    x->row = row;
    x->field = dup_or_null(field);
    x->value = dup_or_null(value);
    x->problem = dup_or_null(problem);
    x->action = dup_or_null(action);
    if ((file && !x->file) || (field && !x->field) || (value && !x->value) ||
        (problem && !x->problem) || (action && !x->action)) {
        free(x->file);
        free(x->field);
        free(x->value);
        free(x->problem);
        free(x->action);
        return MG_ERR_NOMEM;
    }
    r->n++;
    return MG_OK;
}

int mg_report_write_csv(const mg_report *r, const char *path, mg_error *err)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return mg_error_set(err, MG_ERR_OUTPUT, path, -1, NULL,
                            "cannot create the join report: %s",
                            strerror(errno));
    fputs("file,row,field,value,problem,action\n", f);
    for (size_t i = 0; i < r->n; i++) {
        const mg_report_row *x = &r->rows[i];
        mg_csv_put(f, x->file);
        fputc(',', f);
        if (x->row >= 0)
            fprintf(f, "%ld", x->row);
        fputc(',', f);
        mg_csv_put(f, x->field);
        fputc(',', f);
        mg_csv_put(f, x->value);
        fputc(',', f);
        mg_csv_put(f, x->problem);
        fputc(',', f);
        mg_csv_put(f, x->action);
        fputc('\n', f);
    }
    int bad = ferror(f);
    if (fclose(f) != 0 || bad)
        return mg_error_set(err, MG_ERR_OUTPUT, path, -1, NULL,
                            "write error in the join report");
    return MG_OK;
}

typedef struct problem_count {
    const char *file;
    const char *problem;
    const char *action;
    size_t n;
} problem_count;

static int by_count_desc(const void *a, const void *b)
{
    const problem_count *x = a, *y = b;
    if (x->n != y->n)
        return x->n < y->n ? 1 : -1;
    return strcmp(x->problem, y->problem);
}

static int same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

void mg_report_summarise(const mg_report *r, FILE *out)
{
    if (r->n == 0) {
        fprintf(out, "join report: no problems found\n");
        return;
    }
    problem_count *pc = calloc(r->n, sizeof *pc);
    size_t n = 0;
    if (!pc)
        return;
    /* Quadratic in the number of distinct problems, which is small. */
    for (size_t i = 0; i < r->n; i++) {
        const mg_report_row *x = &r->rows[i];
        size_t j = 0;
        while (j < n &&
               !(same(pc[j].problem, x->problem) &&
                 same(pc[j].file, x->file) && same(pc[j].action, x->action)))
            j++;
        if (j == n)
            pc[n++] = (problem_count){x->file, x->problem ? x->problem : "",
                                      x->action, 0};
        pc[j].n++;
    }
    qsort(pc, n, sizeof *pc, by_count_desc);
    fprintf(out, "join report: %zu problem(s) in the inputs:\n", r->n);
    for (size_t j = 0; j < n; j++) {
        const char *base = pc[j].file ? strrchr(pc[j].file, '/') : NULL;
        fprintf(out, "  %6zu  %s: %s -> %s\n", pc[j].n,
                base ? base + 1 : (pc[j].file ? pc[j].file : "-"),
                pc[j].problem, pc[j].action ? pc[j].action : "-");
    }
    free(pc);
}

void mg_report_clear(mg_report *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++) {
        mg_report_row *x = &r->rows[i];
        free(x->file);
        free(x->field);
        free(x->value);
        free(x->problem);
        free(x->action);
    }
    free(r->rows);
    memset(r, 0, sizeof *r);
}
