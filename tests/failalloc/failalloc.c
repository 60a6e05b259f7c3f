/* Allocation-failure testing in the manner of SQLite's "malloc failure"
 * tests: the whole of `mapgen run` (readers, join, model, access and
 * siting, poverty, every map into every store) runs in this process once
 * for N = 1, 2, 3, ... with the N-th allocation of mapgen's own code made
 * to fail (geodata/core.h, mg_failalloc_arm()), until a run gets through
 * without reaching its N-th allocation.  Each failed run must end with
 * MG_ERR_NOMEM and a message, and leave no output under its final name
 * (the hidden partial stores that --resume continues may stay), unless it
 * absorbed the failure and completed (a best-effort clean-up step).  Leaks are
 * LeakSanitizer's: the suite runs under ASan, which reports every block
 * any of the runs lost when this process exits.
 *
 * Usage: failalloc PROJECT OUT_DIR [STRIDE [OFFSET]]: N = OFFSET + 1,
 * OFFSET + 1 + STRIDE, ...; the test runs STRIDE 4 as four CTest tests of
 * OFFSET 0..3 (the four together try every N), which ctest -j runs side
 * by side. */
#include "mapgen/pipeline.h"

#include <dirent.h>
#include <gdal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The first visible (not dot-named) file under dir, or "" when none. */
static int find_visible(const char *dir, char *found, size_t n)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int hit = 0;
    while (d && !hit && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue; /* ".", "..", hidden partial forms, temporaries */
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            hit = find_visible(path, found, n);
        } else {
            snprintf(found, n, "%s", path);
            hit = 1;
        }
    }
    if (d)
        closedir(d);
    return hit;
}

static void remove_tree(const char *dir)
{
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "failalloc: cannot remove %s\n", dir);
}

static int run_once(const char *project, const char *out, mg_progress *pg,
                    mg_error *err)
{
    mg_run_options o = {0};
    o.project = project;
    o.output = out;
    o.force = 1;
    mg_map_options_default(&o.maps);
    o.maps.minzoom = 0;
    o.maps.maxzoom = 3;
    o.maps.threads = 1; /* the same N-th allocation in every run */
    o.progress = pg;
    return mg_run(&o, err);
}

/* One run with the n-th allocation failing.  Returns 1 when the run got
 * through without reaching it (the end), 0 when it failed as it should,
 * -1 when it did not. */
static int check_n(const char *project, const char *out, mg_progress *pg,
                   long n)
{
    mg_error err;
    remove_tree(out);
    mg_failalloc_arm(n);
    int rc = run_once(project, out, pg, &err);
    int fired = mg_failalloc_fired();
    mg_failalloc_arm(0);
    char left[4096] = "";
    if (!fired) {
        if (rc == MG_OK)
            return 1;
        fprintf(stderr,
                "failalloc: N=%ld not reached, yet the run failed: ", n);
        mg_error_print(&err, stderr);
        return -1;
    }
    /* A failure the run absorbed (a best-effort clean-up that could not
     * allocate) with every output complete is fine too. */
    if (rc == MG_OK)
        return 0;
    int bad = 0;
    if (rc != MG_ERR_NOMEM || !err.message[0]) {
        fprintf(stderr, "failalloc: N=%ld: status %d, expected %d: ", n, rc,
                MG_ERR_NOMEM);
        mg_error_print(&err, stderr);
        bad = 1;
    }
    if (find_visible(out, left, sizeof left)) {
        fprintf(stderr, "failalloc: N=%ld: output left behind: %s\n", n, left);
        bad = 1;
    }
    return bad ? -1 : 0;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: failalloc PROJECT OUT_DIR [STRIDE "
                        "[OFFSET]]\n");
        return 2;
    }
    long stride = argc > 3 ? atol(argv[3]) : 1;
    long offset = argc > 4 ? atol(argv[4]) : 0;
    if (stride < 1 || offset < 0) {
        fprintf(stderr, "failalloc: bad STRIDE or OFFSET\n");
        return 2;
    }
    GDALAllRegister();
    mg_progress *pg = mg_progress_new(MG_PROGRESS_NONE, stderr);
    mg_error err;
    /* A clean run first: it must succeed, and it says how far to go. */
    mg_failalloc_arm(0);
    if (!pg || run_once(argv[1], argv[2], pg, &err) != MG_OK) {
        mg_error_print(&err, stderr);
        return 1;
    }
    long failures = 0, runs = 0, n;
    for (n = offset + 1;; n += stride) {
        int r = check_n(argv[1], argv[2], pg, n);
        runs++;
        if (r == 1)
            break;
        failures += r < 0;
        if (failures >= 20) {
            fprintf(stderr, "failalloc: stopping after 20 failures\n");
            break;
        }
    }
    printf("failalloc: %ld runs: allocation N failed for N = %ld, %ld, ... "
           "%ld; %ld wrong; the run completes from N = %ld\n",
           runs, offset + 1, offset + 1 + stride, n - stride, failures, n);
    remove_tree(argv[2]);
    mg_progress_free(pg);
    GDALDestroy();
    return failures ? 1 : 0;
}
