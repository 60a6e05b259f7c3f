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

/* Creates path and writes data.  A file already there is unlinked first,
 * never truncated: it may be a hard link shared with other tiles (see
 * below).  Returns 0, or -1 with errno set. */
static int write_file(const char *path, const void *data, size_t size)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0666);
    if (fd < 0 && errno == EEXIST && unlink(path) == 0)
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0666);
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

/* ---- duplicates as hard links ---------------------------------------------
 * A pyramid repeats a few images many times (a tile wholly inside one
 * region is one colour), so a duplicate becomes a hard link to the first
 * file with its bytes: one inode per distinct image, and a link costs the
 * kernel less than creating and writing a file.  Only PNGs up to
 * LINK_MAX_PNG bytes are remembered (one-colour tiles are a few hundred),
 * with their bytes, so a match is checked in full, never taken on a hash;
 * at most LINK_MAX_BYTES of them in all. */
enum { LINK_MAX_PNG = 4096, LINK_MAX_BYTES = 16 << 20 };

typedef struct link_entry {
    uint64_t hash; /* 0: empty slot */
    size_t size;
    unsigned char *png;
    char *path; /* the first file written with these bytes */
} link_entry;

struct dir_links {
    link_entry *slots;
    size_t n, cap; /* cap a power of two */
    size_t bytes;
};

static uint64_t png_hash(const unsigned char *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull ^ n;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3ull;
    return h ? h : 1;
}

static void links_free(struct dir_links *L)
{
    if (!L)
        return;
    for (size_t i = 0; i < L->cap; i++) {
        free(L->slots[i].png);
        free(L->slots[i].path);
    }
    free(L->slots);
    free(L);
}

/* The slot of (hash, png) in L: its entry, or the empty slot to add it. */
static link_entry *links_find(struct dir_links *L, uint64_t h,
                              const unsigned char *png, size_t size)
{
    size_t i = (size_t)h & (L->cap - 1);
    for (;; i = (i + 1) & (L->cap - 1)) {
        link_entry *e = &L->slots[i];
        if (!e->hash || (e->hash == h && e->size == size &&
                         memcmp(e->png, png, size) == 0))
            return e;
    }
}

/* Doubles L's table (or makes its first); 0, or -1 out of memory. */
static int links_grow(struct dir_links *L)
{
    size_t cap = L->cap ? 2 * L->cap : 256;
    link_entry *old = L->slots, *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return -1;
    size_t old_cap = L->cap;
    L->slots = slots;
    L->cap = cap;
    for (size_t i = 0; i < old_cap; i++)
        if (old[i].hash)
            *links_find(L, old[i].hash, old[i].png, old[i].size) = old[i];
    free(old);
    return 0;
}

/* Remembers that s->file holds png.  Out of memory it is just not
 * remembered: a later duplicate is then written as a file of its own. */
static void links_add(mg_store *s, link_entry *e, uint64_t h,
                      const unsigned char *png, size_t size)
{
    struct dir_links *L = s->links;
    unsigned char *copy = malloc(size);
    char *path = strdup(s->file);
    if (!copy || !path) {
        free(copy);
        free(path);
        return;
    }
    memcpy(copy, png, size);
    *e = (link_entry){h, size, copy, path};
    L->n++;
    L->bytes += size;
}

/* The entry for png when it may be linked to or remembered: its file, or
 * an empty slot; NULL when it is not to be remembered (too large, the
 * table full or out of memory). */
static link_entry *links_slot(mg_store *s, uint64_t h,
                              const unsigned char *png, size_t size)
{
    if (size > LINK_MAX_PNG)
        return NULL;
    if (!s->links && !(s->links = calloc(1, sizeof *s->links)))
        return NULL;
    struct dir_links *L = s->links;
    if (2 * (L->n + 1) > L->cap && links_grow(L) != 0)
        return NULL;
    link_entry *e = links_find(L, h, png, size);
    if (!e->hash && L->bytes + size > LINK_MAX_BYTES)
        return NULL;
    return e;
}

/* Makes s->file a hard link to from, replacing a file already there (a
 * tile put again).  Returns 0, or -1 with errno set. */
static int link_file(const char *from, const char *to)
{
    if (link(from, to) == 0)
        return 0;
    if (errno != EEXIST || unlink(to) != 0)
        return -1;
    return link(from, to);
}

/* One attempt at the tile: a link to an earlier file with the same bytes
 * when there is one (falling back to a write where the file system has no
 * hard links), else a new file, remembered when small. */
static int put_once(mg_store *s, const unsigned char *png, size_t size)
{
    /* only a PNG small enough to be remembered is looked up (links_slot()):
     * hashing every byte of the large ones was wasted */
    uint64_t h = size <= LINK_MAX_PNG ? png_hash(png, size) : 0;
    link_entry *e = links_slot(s, h, png, size);
    if (e && e->hash) {
        if (link_file(e->path, s->file) == 0)
            return 0;
        if (errno == ENOENT) /* the x directory is missing */
            return -1;
        e = NULL; /* EPERM, EMLINK...: write a copy instead */
    }
    if (write_file(s->file, png, size) != 0)
        return -1;
    if (e)
        links_add(s, e, h, png, size);
    return 0;
}

static int dir_put(mg_store *s, int z, uint32_t x, uint32_t y,
                   const unsigned char *png, size_t size, mg_error *err)
{
    tile_path(s, z, x, y);
    int rc = put_once(s, png, size);
    /* The z and x directories are made on the first tile that needs them,
     * so the common case costs one open, write and close (or one link). */
    if (rc != 0 && errno == ENOENT && store_make_parent(s->file) == 0)
        rc = put_once(s, png, size);
    if (rc != 0)
        return mg_error_errno(err, MG_ERR_OUTPUT, s->file,
                              "cannot write the tile");
    return MG_OK;
}

static void dir_release(mg_store *s)
{
    links_free(s->links);
    s->links = NULL;
}

static json_t *real_array(const double *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        json_array_append_new(a, json_real(v[i]));
    return a;
}

/* TileJSON 3.0.0 for the tile set; tiles is relative to the document
 * (docs/stores.md says how a viewer resolves it) unless the info has an
 * absolute tiles URL.  "legend" is the text TileJSON asks for; the
 * structured legend and the classification are under "mapgen".  Caller
 * decrefs. */
static json_t *tilejson(const mg_tileset_info *in)
{
    double b[4], c[3];
    int zoom;
    store_bounds(in, b);
    store_center(in, &c[0], &c[1], &zoom);
    c[2] = zoom;
    json_t *tiles = json_array(), *o = json_object();
    char url[1400];
    snprintf(url, sizeof url, "%s%s%s", in->tiles_url ? in->tiles_url : "",
             in->tiles_url ? "/" : "",
             in->tile_size == 512 ? "{z}/{x}/{y}@2x.png" : "{z}/{x}/{y}.png");
    json_array_append_new(tiles, json_string(url));
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
    int ok = 1;
    if (in->legend_json) {
        char *text = store_legend_text(in);
        ok = text && json_object_set_new(o, "legend", json_string(text)) == 0;
        free(text);
    }
    if (ok && (in->legend_json || in->classes_json))
        ok = json_object_set_new(o, "mapgen", store_mapgen_object(in)) == 0;
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    json_t *extra = in->extra_json ? json_loads(in->extra_json, 0, NULL) : NULL;
    if (extra)
        json_object_update_missing(o, extra);
    json_decref(extra);
    return o;
}

static int write_tilejson(mg_store *s, mg_error *err)
{
    json_t *o = tilejson(&s->info);
    char *text = store_dump_exact(o,
                                  JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                                      JSON_REAL_PRECISION(15),
                                  &s->info);
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
    .release = dir_release,
};
