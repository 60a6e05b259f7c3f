/* The directory store: {z}/{x}/{y}.png files and tilejson.json, written
 * into a hidden directory that is renamed into place when whole. */
#include "store_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The last chunk of every PNG: length 0, "IEND", its CRC. */
static const unsigned char iend[12] = {0,   0,   0,    0,    'I',  'E',
                                       'N', 'D', 0xae, 0x42, 0x60, 0x82};

/* Room after the directory for "/z/x/y@2x.png" or "/tilejson.json". */
enum { TAIL_ROOM = 64 };

static int dir_open(mg_store *s, int resume, mg_error *err)
{
    s->dir_len = strlen(s->partial_path);
    s->file = malloc(s->dir_len + TAIL_ROOM);
    if (!s->file)
        return mg_error_set(err, MG_ERR_NOMEM, s->final_path, -1, NULL,
                            "out of memory");
    memcpy(s->file, s->partial_path, s->dir_len + 1);
    if (resume)
        return MG_OK;
    if (store_make_parent(s->partial_path) != 0 ||
        mkdir(s->partial_path, 0777) != 0)
        return mg_error_errno(err, MG_ERR_OUTPUT, s->partial_path,
                              "cannot create the tile directory");
    return MG_OK;
}

/* s->file = the tile's path in the partial directory. */
static void tile_path(mg_store *s, int z, uint32_t x, uint32_t y)
{
    snprintf(s->file + s->dir_len, TAIL_ROOM, "/%d/%lu/%lu%s.png", z,
             (unsigned long)x, (unsigned long)y,
             s->info.tile_size == 512 ? "@2x" : "");
}

/* A file is only taken as done when it ends in IEND: a run killed in the
 * middle of a write leaves a truncated file, which resume redoes. */
static int dir_has(mg_store *s, int z, uint32_t x, uint32_t y)
{
    tile_path(s, z, x, y);
    int fd = open(s->file, O_RDONLY);
    if (fd < 0)
        return 0;
    struct stat st;
    unsigned char tail[sizeof iend];
    int done = fstat(fd, &st) == 0 && st.st_size >= 45 &&
               pread(fd, tail, sizeof tail, st.st_size - 12) == 12 &&
               memcmp(tail, iend, sizeof iend) == 0;
    close(fd);
    return done;
}

/* Creates (or truncates) path and writes data.  Returns 0, or -1 with
 * errno set. */
static int write_file(const char *path, const void *data, size_t size)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (fd < 0)
        return -1;
    const unsigned char *p = data;
    while (size > 0) {
        ssize_t n = write(fd, p, size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            int saved = n < 0 ? errno : EIO;
            close(fd);
            errno = saved;
            return -1;
        }
        p += n;
        size -= (size_t)n;
    }
    return close(fd);
}

static int dir_put(mg_store *s, int z, uint32_t x, uint32_t y,
                   const unsigned char *png, size_t size, mg_error *err)
{
    tile_path(s, z, x, y);
    int rc = write_file(s->file, png, size);
    /* The z and x directories are made on the first tile that needs them,
     * so the common case costs one open, write and close. */
    if (rc != 0 && errno == ENOENT && store_make_parent(s->file) == 0)
        rc = write_file(s->file, png, size);
    if (rc != 0)
        return mg_error_errno(err, MG_ERR_OUTPUT, s->file,
                              "cannot write the tile");
    return MG_OK;
}

static json_t *real_array(const double *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        json_array_append_new(a, json_real(v[i]));
    return a;
}

/* TileJSON 3.0.0 for the tile set; tiles is relative to the document
 * (docs/stores.md says how a viewer resolves it).  Caller decrefs. */
static json_t *tilejson(const mg_tileset_info *in)
{
    double b[4], c[3];
    int zoom;
    store_bounds(in, b);
    store_center(in, &c[0], &c[1], &zoom);
    c[2] = zoom;
    json_t *tiles = json_array(), *o = json_object();
    json_array_append_new(tiles, json_string(in->tile_size == 512
                                                 ? "{z}/{x}/{y}@2x.png"
                                                 : "{z}/{x}/{y}.png"));
    json_object_set_new(o, "tilejson", json_string("3.0.0"));
    json_object_set_new(o, "tiles", tiles);
    json_object_set_new(o, "name", json_string(in->title));
    json_object_set_new(o, "description", json_string(in->description));
    json_object_set_new(o, "attribution", json_string(in->attribution));
    json_object_set_new(o, "version", json_string("1.0.0"));
    json_object_set_new(o, "scheme", json_string("xyz"));
    json_object_set_new(o, "minzoom", json_integer(in->minzoom));
    json_object_set_new(o, "maxzoom", json_integer(in->maxzoom));
    json_object_set_new(o, "bounds", real_array(b, 4));
    json_object_set_new(o, "center", real_array(c, 3));
    json_array_set_new(json_object_get(o, "center"), 2, json_integer(zoom));
    if (in->legend_json)
        json_object_set_new(
            o, "legend", json_loads(in->legend_json, JSON_DECODE_ANY, NULL));
    json_t *extra = in->extra_json ? json_loads(in->extra_json, 0, NULL) : NULL;
    if (extra)
        json_object_update_missing(o, extra);
    json_decref(extra);
    return o;
}

static int write_tilejson(mg_store *s, mg_error *err)
{
    json_t *o = tilejson(&s->info);
    char *text = o ? json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                                       JSON_REAL_PRECISION(15))
                   : NULL;
    json_decref(o);
    if (!text)
        return mg_error_set(err, MG_ERR_NOMEM, s->final_path, -1, NULL,
                            "out of memory");
    snprintf(s->file + s->dir_len, TAIL_ROOM, "/tilejson.json");
    size_t n = strlen(text);
    text[n] = '\n'; /* json_dumps() leaves no final newline */
    int rc = write_file(s->file, text, n + 1);
    int saved = errno;
    free(text);
    if (rc != 0)
        return mg_error_set(err, MG_ERR_OUTPUT, s->file, -1, NULL,
                            "cannot write: %s", strerror(saved));
    return MG_OK;
}

const mg_store_methods store_dir_methods = {
    .name = "dir",
    .partial_suffix = ".partial",
    .is_dir = 1,
    .exists = store_path_exists,
    .open = dir_open,
    .has = dir_has,
    .put = dir_put,
    .finish = write_tilejson,
    .publish = 1,
};
