/* Status codes, error records and their printing. */
#include "geodata/core.h"

#include <stdarg.h>
#include <string.h>

volatile sig_atomic_t mg_interrupted = 0;
int mg_debug = 0;

void mg_error_clear(mg_error *err)
{
    if (!err)
        return;
    memset(err, 0, sizeof *err);
    err->row = -1;
}

int mg_error_setv(mg_error *err, int code, const char *file, long row,
                  const char *field, const char *fmt, va_list ap)
{
    if (!err)
        return code;
    mg_error_clear(err);
    err->code = code;
    err->row = row;
    if (file)
        snprintf(err->file, sizeof err->file, "%s", file);
    if (field)
        snprintf(err->field, sizeof err->field, "%s", field);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    return code;
}

int mg_error_set(mg_error *err, int code, const char *file, long row,
                 const char *field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    mg_error_setv(err, code, file, row, field, fmt, ap);
    va_end(ap);
    return code;
}

int mg_error_nomem(mg_error *err, const char *file)
{
    return mg_error_set(err, MG_ERR_NOMEM, file, -1, NULL, "out of memory");
}

int mg_error_ensure(mg_error *err, int code)
{
    if (code && err && !err->code)
        mg_error_set(err, code, NULL, -1, NULL, "%s", mg_strerror(code));
    return code;
}

void mg_error_print(const mg_error *err, FILE *out)
{
    fprintf(out, "mapgen: error");
    if (err->file[0])
        fprintf(out, ": %s", err->file);
    if (err->row >= 0)
        fprintf(out, ": row %ld", err->row);
    if (err->field[0])
        fprintf(out, ": field '%s'", err->field);
    fprintf(out, ": %s\n",
            err->message[0] ? err->message : mg_strerror(err->code));
}

const char *mg_strerror(int code)
{
    switch (code) {
    case MG_OK:
        return "success";
    case MG_ERR_USAGE:
        return "usage error";
    case MG_ERR_PROJECT:
        return "project file error";
    case MG_ERR_INPUT:
        return "input data error";
    case MG_ERR_OUTPUT:
        return "output error";
    case MG_ERR_DEPENDENCY:
        return "dependency (GDAL/PROJ/GEOS/SQLite) error";
    case MG_ERR_NOMEM:
        return "out of memory";
    case MG_ERR_INTERRUPTED:
        return "interrupted";
    default:
        return "internal error";
    }
}

int mg_exit_code(int code)
{
    switch (code) {
    case MG_OK:
    case MG_ERR_USAGE:
    case MG_ERR_PROJECT:
    case MG_ERR_INPUT:
    case MG_ERR_OUTPUT:
    case MG_ERR_DEPENDENCY:
    case MG_ERR_NOMEM:
    case MG_ERR_INTERRUPTED:
        return code;
    default:
        return 1;
    }
}
