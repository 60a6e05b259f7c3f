/* Outputs written under temporary names and renamed into place together. */
#include "geodata/core.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct mg_outset {
    char **final;
    char **temp;            /* the temporary name, or what was adopted */
    unsigned char *adopted; /* 1: moved with mg_publish(), never removed */
    size_t n;
    int committed;
};

/* Room for one more entry in the three arrays; 0 or -1. */
static int grow(mg_outset *s)
{
    char **f = realloc(s->final, (s->n + 1) * sizeof *f);
    if (f)
        s->final = f;
    char **t = realloc(s->temp, (s->n + 1) * sizeof *t);
    if (t)
        s->temp = t;
    unsigned char *a = realloc(s->adopted, s->n + 1);
    if (a)
        s->adopted = a;
    return f && t && a ? 0 : -1;
}

mg_outset *mg_outset_new(void)
{
    return calloc(1, sizeof(mg_outset));
}

/* mkdir -p for the directory part of path. */
static int make_parent_dirs(const char *path)
{
    char *copy = strdup(path);
    if (!copy)
        return -1;
    for (char *p = copy + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(copy, 0777) != 0 && errno != EEXIST) {
            free(copy);
            return -1;
        }
        *p = '/';
    }
    free(copy);
    return 0;
}

/* Removes the temporaries ".tmp-<pid>-<base>" (and SQLite's -journal,
 * -wal, -shm beside them) that a run killed outright (SIGKILL, power
 * loss) left in the directory of final_path: those whose process is
 * gone.  A live process's files, another run's, are left alone. */
static void remove_stale(const char *final_path, const char *base)
{
    size_t dir_len = (size_t)(base - final_path);
    char *dir = dir_len ? strndup(final_path, dir_len) : strdup(".");
    DIR *d = dir ? opendir(dir) : NULL;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        const char *p = e->d_name;
        if (strncmp(p, ".tmp-", 5) != 0)
            continue;
        char *end;
        long pid = strtol(p + 5, &end, 10);
        size_t n = strlen(base);
        if (end == p + 5 || *end != '-' || strncmp(end + 1, base, n) != 0)
            continue;
        const char *rest = end + 1 + n;
        if (*rest && strcmp(rest, "-journal") && strcmp(rest, "-wal") &&
            strcmp(rest, "-shm"))
            continue;
        if (pid <= 0 || pid == (long)getpid() ||
            !(kill((pid_t)pid, 0) == -1 && errno == ESRCH))
            continue;
        size_t len = dir_len + strlen(p) + 2;
        char *path = malloc(len);
        if (path) {
            snprintf(path, len, "%s%s", dir_len ? dir : "", p);
            remove(path);
            free(path);
        }
    }
    if (d)
        closedir(d);
    free(dir);
}

const char *mg_outset_add(mg_outset *s, const char *final_path, mg_error *err)
{
    if (make_parent_dirs(final_path) != 0) {
        if (errno == ENOMEM) {
            mg_error_nomem(err, final_path);
            return NULL;
        }
        mg_error_errno(err, MG_ERR_OUTPUT, final_path,
                       "cannot create the output directory");
        return NULL;
    }
    int full = grow(s);
    size_t len = strlen(final_path) + 32;
    char *fp = strdup(final_path), *tp = malloc(len);
    if (full || !fp || !tp) {
        free(fp);
        free(tp);
        mg_error_set(err, MG_ERR_NOMEM, final_path, -1, NULL, "out of memory");
        return NULL;
    }
    /* The temporary name keeps the extension last, so GDAL picks the right
     * driver for it, and the pid keeps two runs apart. */
    const char *slash = strrchr(final_path, '/');
    const char *base = slash ? slash + 1 : final_path;
    snprintf(tp, len, "%.*s.tmp-%ld-%s", (int)(base - final_path), final_path,
             (long)getpid(), base);
    remove(tp);
    remove_stale(final_path, base);
    s->final[s->n] = fp;
    s->temp[s->n] = tp;
    s->adopted[s->n] = 0;
    s->n++;
    return tp;
}

int mg_outset_adopt(mg_outset *s, const char *ready, const char *final,
                    mg_error *err)
{
    int full = grow(s);
    char *fp = strdup(final), *rp = strdup(ready);
    if (full || !fp || !rp) {
        free(fp);
        free(rp);
        return mg_error_nomem(err, final);
    }
    s->final[s->n] = fp;
    s->temp[s->n] = rp;
    s->adopted[s->n] = 1;
    s->n++;
    return MG_OK;
}

int mg_outset_commit(mg_outset *s, mg_error *err)
{
    for (size_t i = 0; i < s->n; i++) {
        if (s->adopted[i]) {
            int rc = mg_publish(s->temp[i], s->final[i], err);
            if (rc)
                return rc;
        } else if (rename(s->temp[i], s->final[i]) != 0) {
            return mg_error_set(err, MG_ERR_OUTPUT, s->final[i], -1, NULL,
                                "cannot move %s into place: %s", s->temp[i],
                                strerror(errno));
        }
        free(s->temp[i]);
        s->temp[i] = NULL;
    }
    s->committed = 1;
    return MG_OK;
}

void mg_outset_free(mg_outset *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++) {
        if (s->temp[i]) {
            if (!s->adopted[i])
                remove(s->temp[i]);
            free(s->temp[i]);
        }
        free(s->final[i]);
    }
    free(s->final);
    free(s->temp);
    free(s->adopted);
    free(s);
}
