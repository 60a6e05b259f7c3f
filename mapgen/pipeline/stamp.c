/*
 * The one time a run's outputs carry (gpkg_contents.last_change and the
 * like): SOURCE_DATE_EPOCH when set (reproducible-builds.org's convention),
 * else the newest modification time of the inputs, so two runs on the same
 * inputs write the same bytes (docs/outputs.md).
 */
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

size_t mg_pipeline_inputs(const mg_dataset *d, const char **out, size_t cap)
{
    size_t n = 0;
    if (d->project->path && n < cap)
        out[n++] = d->project->path;
    for (size_t i = 0; i < d->n_levels && n < cap; i++)
        if (d->level_paths && d->level_paths[i])
            out[n++] = d->level_paths[i];
    if (d->providers_path && n < cap)
        out[n++] = d->providers_path;
    if (d->recipients_path && n < cap)
        out[n++] = d->recipients_path;
    return n;
}

/* SOURCE_DATE_EPOCH as seconds: 1 and *t when set and valid, 0 when
 * unset, -1 when it is not a non-negative integer. */
static int source_date_epoch(time_t *t)
{
    const char *v = getenv("SOURCE_DATE_EPOCH");
    if (!v || !*v)
        return 0;
    char *end;
    errno = 0;
    long long s = strtoll(v, &end, 10);
    if (errno || *end || s < 0 || s > 253402300799LL) /* 9999-12-31 */
        return -1;
    *t = (time_t)s;
    return 1;
}

int mg_pipeline_run_time(const mg_dataset *d, char iso[32], mg_error *err)
{
    time_t t = 0;
    int got = source_date_epoch(&t);
    if (got < 0)
        return mg_error_set(err, MG_ERR_USAGE, NULL, -1, "SOURCE_DATE_EPOCH",
                            "must be a whole number of seconds since "
                            "1970-01-01 UTC, e.g. SOURCE_DATE_EPOCH=1700000000");
    if (!got && d) {
        const char *files[64];
        size_t n = mg_pipeline_inputs(d, files, 64);
        for (size_t i = 0; i < n; i++) {
            struct stat st;
            if (stat(files[i], &st) == 0 && st.st_mtime > t)
                t = st.st_mtime;
        }
    }
    struct tm tm;
    if (!gmtime_r(&t, &tm))
        memset(&tm, 0, sizeof tm);
    strftime(iso, 32, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
    return MG_OK;
}
