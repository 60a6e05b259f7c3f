/* mg_viewer_install(): the files land byte for byte, existing outputs need
 * force, a missing source is named with the remedy, and a failed install
 * leaves no file behind (neither final nor temporary). */
#include "check.h"
#include "mapgen/pipeline.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const viewer_files[][2] = {
    {MG_VIEWER_DIR "/index.html", "index.html"},
    {MG_VIEWER_DIR "/viewer.js", "viewer.js"},
    {MG_VIEWER_DIR "/regions.js", "regions.js"},
    {MG_VIEWER_DIR "/tools.js", "tools.js"},
    {MG_VIEWER_DIR "/report.html", "report.html"},
    {MG_VIEWER_DIR "/report.js", "report.js"},
    {MG_VIEWER_DIR "/viewer.css", "viewer.css"},
    {MG_VIEWER_DIR "/periods.js", "periods.js"},
    {MG_LEAFLET_DIR "/dist/leaflet.js", "lib/leaflet/leaflet.js"},
    {MG_LEAFLET_DIR "/dist/leaflet.css", "lib/leaflet/leaflet.css"},
    {MG_LEAFLET_DIR "/dist/images/layers.png", "lib/leaflet/images/layers.png"},
    {MG_LEAFLET_DIR "/dist/images/marker-icon.png",
     "lib/leaflet/images/marker-icon.png"},
    {MG_LEAFLET_DIR "/LICENSE", "lib/leaflet/LICENSE"},
};
enum { N_FILES = sizeof viewer_files / sizeof viewer_files[0] };
/* Every file mg_viewer_install() copies (mapgen/pipeline/viewer.c). */
enum { N_COPIED = 17 };

static char *read_all(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t cap = 0, len = 0;
    for (;;) {
        if (len == cap) {
            char *p = realloc(buf, cap = cap ? 2 * cap : 65536);
            if (!p)
                break;
            buf = p;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    fclose(f);
    *n = len;
    return buf;
}

static int same_file(const char *a, const char *b)
{
    size_t na = 0, nb = 0;
    char *da = read_all(a, &na), *db = read_all(b, &nb);
    int same = da && db && na == nb && memcmp(da, db, na) == 0;
    free(da);
    free(db);
    return same;
}

/* Regular files under dir, recursively; *tmp counts those named .tmp-*. */
static int count_files(const char *dir, int *tmp)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            n += count_files(path, tmp);
        } else {
            n++;
            *tmp += strncmp(e->d_name, ".tmp-", 5) == 0;
        }
    }
    closedir(d);
    return n;
}

static void remove_tree(const char *path)
{
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
    CHECK(system(cmd) == 0);
}

static void test_install(const char *root)
{
    char out[4096], path[4200];
    snprintf(out, sizeof out, "%s/out", root);
    mg_error err;
    CHECK_INT(mg_viewer_install(out, 0, &err), MG_OK);
    for (int i = 0; i < N_FILES; i++) {
        snprintf(path, sizeof path, "%s/%s", out, viewer_files[i][1]);
        if (!same_file(viewer_files[i][0], path)) {
            fprintf(stderr, "not a copy of %s: %s\n", viewer_files[i][0],
                    path);
            check_failures++;
        }
    }
    int tmp = 0;
    CHECK_INT(count_files(out, &tmp), N_COPIED);
    CHECK_INT(tmp, 0);

    /* Without force an existing page is kept and the error says why. */
    snprintf(path, sizeof path, "%s/viewer.js", out);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f) {
        fputs("edited\n", f);
        fclose(f);
    }
    CHECK_INT(mg_viewer_install(out, 0, &err), MG_ERR_OUTPUT);
    CHECK(strstr(err.message, "--force") != NULL);
    CHECK(strstr(err.file, "/index.html") != NULL);
    CHECK(!same_file(MG_VIEWER_DIR "/viewer.js", path));
    tmp = 0;
    CHECK_INT(count_files(out, &tmp), N_COPIED);
    CHECK_INT(tmp, 0);

    CHECK_INT(mg_viewer_install(out, 1, &err), MG_OK);
    CHECK(same_file(MG_VIEWER_DIR "/viewer.js", path));
    remove_tree(out);
}

static void test_missing_sources(const char *root)
{
    char out[4096], fake[4096], path[4200];
    snprintf(out, sizeof out, "%s/out2", root);
    mg_error err;

    /* Leaflet not installed: named, with the command that installs it. */
    CHECK_INT(mg_viewer_install_from(out, NULL, "/nonexistent/leaflet", 0,
                                     &err),
              MG_ERR_DEPENDENCY);
    CHECK_STR(err.file, "/nonexistent/leaflet");
    CHECK(strstr(err.message, "make deps") != NULL);
    CHECK(strstr(err.message, "npm ci") != NULL);
    CHECK(access(out, F_OK) != 0);

    CHECK_INT(mg_viewer_install_from(out, "/nonexistent/viewer", NULL, 0,
                                     &err),
              MG_ERR_DEPENDENCY);
    CHECK_STR(err.file, "/nonexistent/viewer");

    /* A Leaflet folder that lacks a file: the file is named and nothing
     * is left in out/, not even the copies made before it. */
    snprintf(fake, sizeof fake, "%s/leaflet", root);
    snprintf(path, sizeof path, "%s/dist", fake);
    CHECK(mkdir(fake, 0777) == 0 && mkdir(path, 0777) == 0);
    snprintf(path, sizeof path, "%s/dist/leaflet.js", fake);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f)
        fclose(f);
    CHECK_INT(mg_viewer_install_from(out, NULL, fake, 0, &err),
              MG_ERR_DEPENDENCY);
    snprintf(path, sizeof path, "%s/dist/leaflet.css", fake);
    CHECK_STR(err.file, path);
    CHECK(strstr(err.message, "make deps") != NULL);
    int tmp = 0;
    CHECK_INT(count_files(out, &tmp), 0);
    remove_tree(fake);
    remove_tree(out);
}

/* Staged with other outputs: nothing appears before the commit, and a
 * set dropped without a commit leaves nothing. */
static void test_stage(const char *root)
{
    char out[4096], path[4200];
    snprintf(out, sizeof out, "%s/staged", root);
    mg_error err;
    mg_outset *set = mg_outset_new();
    CHECK(set != NULL);
    CHECK_INT(mg_viewer_stage(set, out, 0, &err), MG_OK);
    snprintf(path, sizeof path, "%s/index.html", out);
    CHECK(access(path, F_OK) != 0);
    int tmp = 0;
    CHECK_INT(count_files(out, &tmp), N_COPIED);
    CHECK_INT(tmp, N_COPIED);
    mg_outset_free(set);
    tmp = 0;
    CHECK_INT(count_files(out, &tmp), 0);

    set = mg_outset_new();
    CHECK_INT(mg_viewer_stage(set, out, 0, &err), MG_OK);
    CHECK_INT(mg_outset_commit(set, &err), MG_OK);
    mg_outset_free(set);
    CHECK(same_file(MG_VIEWER_DIR "/index.html", path));
    tmp = 0;
    CHECK_INT(count_files(out, &tmp), N_COPIED);
    CHECK_INT(tmp, 0);

    CHECK_INT(mg_viewer_stage(NULL, out, 0, &err), MG_ERR_USAGE);
    remove_tree(out);
}

static void test_bad_output(const char *root)
{
    char file[4096], out[4200];
    mg_error err;
    /* A regular file where a directory must be (root may write anywhere,
     * so permissions would not do). */
    snprintf(file, sizeof file, "%s/plain", root);
    FILE *f = fopen(file, "w");
    CHECK(f != NULL);
    if (f)
        fclose(f);
    snprintf(out, sizeof out, "%s/out", file);
    CHECK_INT(mg_viewer_install(out, 1, &err), MG_ERR_OUTPUT);
    CHECK(strstr(err.message, "directory") != NULL);
    remove(file);

    CHECK_INT(mg_viewer_install(NULL, 0, &err), MG_ERR_USAGE);
}

int main(int argc, char **argv)
{
    const char *base = argc > 1 ? argv[1] : "/tmp";
    char root[4096];
    snprintf(root, sizeof root, "%s/viewer_install.XXXXXX", base);
    if (!mkdtemp(root)) {
        perror(root);
        return 1;
    }
    test_install(root);
    test_missing_sources(root);
    test_stage(root);
    test_bad_output(root);
    rmdir(root);
    CHECK_DONE();
}
