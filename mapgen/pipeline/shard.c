/*
 * Shards and their merge (docs/scale.md): `mapgen run --shard I/K` writes
 * the tiles of the I-th of K ranges of every map into a shard file with a
 * manifest of the run; `mapgen merge` checks that the shards are all K of
 * one run and runs that run again with their tiles instead of rendering,
 * so every output has the bytes of the run without shards.
 */
#define _DEFAULT_SOURCE /* realpath */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef MG_VERSION
#define MG_VERSION "unknown"
#endif

#define SHARD_FORMAT "mapgen-shard/1"

static int nomem(mg_error *err)
{
    return mg_error_set(err, MG_ERR_NOMEM, NULL, -1, NULL, "out of memory");
}

/* FNV-1a (64 bits) of the file's bytes as 16 hex digits, and its size. */
static int hash_file(const char *path, char hex[17], long long *size,
                     mg_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return mg_error_errno(err, MG_ERR_INPUT, path, "cannot read");
    static unsigned char buf[1 << 16];
    uint64_t h = 0xcbf29ce484222325ull;
    size_t n;
    *size = 0;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        for (size_t i = 0; i < n; i++)
            h = (h ^ buf[i]) * 0x100000001b3ull;
        *size += (long long)n;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad)
        return mg_error_set(err, MG_ERR_INPUT, path, -1, NULL, "cannot read");
    snprintf(hex, 17, "%016llx", (unsigned long long)h);
    return MG_OK;
}

static json_t *inputs_json(const mg_dataset *d, mg_error *err)
{
    const char *files[64];
    size_t n = mg_pipeline_inputs(d, files, 64);
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++) {
        char hex[17], *real = realpath(files[i], NULL);
        long long size;
        int rc = hash_file(real ? real : files[i], hex, &size, err);
        json_t *o = rc ? NULL
                       : json_pack("{s:s, s:I, s:s}", "path",
                                   real ? real : files[i], "bytes",
                                   (json_int_t)size, "fnv1a64", hex);
        free(real);
        if (!o) {
            if (!rc)
                nomem(err);
            json_decref(a);
            return NULL;
        }
        json_array_append_new(a, o);
    }
    if (!a)
        nomem(err);
    return a;
}

static json_t *options_json(const mg_run_options *opt)
{
    const mg_map_options *o = &opt->maps;
    char *real = realpath(opt->project ? opt->project : MG_SAMPLE_PROJECT,
                          NULL);
    json_t *j = json_pack(
        "{s:s, s:i, s:i, s:i, s:i, s:i, s:i}", "project",
        real ? real : (opt->project ? opt->project : MG_SAMPLE_PROJECT),
        "minzoom", o->minzoom, "maxzoom", o->maxzoom, "tile_size",
        o->tile_size, "png_level", o->png_level, "stores", (int)o->stores,
        "has_bbox", o->has_bbox);
    free(real);
    if (j && o->has_bbox)
        json_object_set_new(j, "bbox",
                            json_pack("[f,f,f,f]", o->bbox[0], o->bbox[1],
                                      o->bbox[2], o->bbox[3]));
    if (j && o->only)
        json_object_set_new(j, "maps", json_string(o->only));
    return j;
}

char *mg_shard_manifest(const mg_run_options *opt, const mg_dataset *d,
                        const mg_maps *m, mg_error *err)
{
    json_t *in = inputs_json(d, err);
    if (!in)
        return NULL;
    json_t *maps = json_array();
    for (size_t i = 0; maps && i < m->n; i++)
        if (!m->items[i].skip)
            json_array_append_new(maps, json_pack("{s:s, s:i, s:i}", "name",
                                                  m->items[i].name, "minzoom",
                                                  m->items[i].z0, "maxzoom",
                                                  m->items[i].z1));
    json_t *doc = json_pack("{s:s, s:s, s:i, s:i, s:o, s:o, s:o*}", "format",
                            SHARD_FORMAT, "mapgen", MG_VERSION, "shard",
                            opt->shard_index, "shards", opt->shard_count,
                            "inputs", in, "options", options_json(opt),
                            "maps", maps);
    char *text = doc ? json_dumps(doc, JSON_SORT_KEYS | JSON_INDENT(1)) : NULL;
    json_decref(doc);
    if (!text)
        nomem(err);
    return text;
}

/* ---- merge -------------------------------------------------------------- */

typedef struct shard_in {
    const char *path;
    json_t *doc;
} shard_in;

static int mismatch(const char *path, const char *first, const char *what,
                    mg_error *err)
{
    return mg_error_set(err, MG_ERR_INPUT, path, -1, NULL,
                        "this shard belongs to another run than %s: its %s "
                        "differ%s (other inputs, options or mapgen version); "
                        "rerun it with the same project and options",
                        first, what, strchr(what, ' ') ? "" : "s");
}

/* The first top-level key in which a and b differ, "shard" aside. */
static const char *differing_key(json_t *a, json_t *b)
{
    static const char *const keys[] = {"format", "mapgen", "shards",
                                       "inputs", "options", "maps"};
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        if (!json_equal(json_object_get(a, keys[i]),
                        json_object_get(b, keys[i])))
            return keys[i];
    return NULL;
}

static int load_shard(shard_in *s, mg_error *err)
{
    char *text = NULL;
    int rc = mg_shard_read_manifest(s->path, &text, err);
    if (rc)
        return rc;
    s->doc = json_loads(text, 0, NULL);
    free(text);
    const char *fmt = json_string_value(json_object_get(s->doc, "format"));
    if (!fmt || strcmp(fmt, SHARD_FORMAT) != 0)
        return mg_error_set(err, MG_ERR_INPUT, s->path, -1, NULL,
                            "not a shard of this mapgen (format %s, "
                            "expected " SHARD_FORMAT ")",
                            fmt ? fmt : "unknown");
    const char *ver = json_string_value(json_object_get(s->doc, "mapgen"));
    if (!ver || strcmp(ver, MG_VERSION) != 0)
        return mg_error_set(err, MG_ERR_INPUT, s->path, -1, NULL,
                            "made by mapgen %s; this is mapgen " MG_VERSION
                            ": rerun the shards with this version",
                            ver ? ver : "unknown");
    return MG_OK;
}

/* Puts the shards in order of their index: every one of 0..K-1 once. */
static int order_shards(shard_in *in, size_t n, const char **order, long k,
                        mg_error *err)
{
    for (size_t i = 0; i < n; i++) {
        const char *d = differing_key(in[0].doc, in[i].doc);
        if (d)
            return mismatch(in[i].path, in[0].path, d, err);
        long idx = (long)json_integer_value(json_object_get(in[i].doc,
                                                            "shard"));
        if (idx < 0 || idx >= k)
            return mg_error_set(err, MG_ERR_INPUT, in[i].path, -1, NULL,
                                "shard index %ld outside 0..%ld", idx, k - 1);
        if (order[idx])
            return mg_error_set(err, MG_ERR_INPUT, in[i].path, -1, NULL,
                                "duplicate shard: %s is shard %ld/%ld too",
                                order[idx], idx, k);
        order[idx] = in[i].path;
    }
    for (long i = 0; i < k; i++)
        if (!order[i])
            return mg_error_set(err, MG_ERR_INPUT, NULL, -1, NULL,
                                "shard %ld/%ld is missing (the output of "
                                "mapgen run --shard %ld/%ld); %zu of %ld "
                                "shards given",
                                i, k, i, k, n, k);
    return MG_OK;
}

/* Every input still has the bytes the shards were rendered from. */
static int check_inputs(json_t *doc, mg_error *err)
{
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(doc, "inputs"), i, v)
    {
        const char *path = json_string_value(json_object_get(v, "path"));
        const char *want = json_string_value(json_object_get(v, "fnv1a64"));
        char hex[17];
        long long size;
        int rc = hash_file(path ? path : "", hex, &size, err);
        if (rc)
            return rc;
        if (!want || strcmp(want, hex) != 0)
            return mg_error_set(err, MG_ERR_INPUT, path, -1, NULL,
                                "changed since the shards were rendered; "
                                "rerun every shard");
    }
    return MG_OK;
}

/* The options of the run the shards belong to. */
static void run_options(json_t *doc, const mg_merge_options *mo,
                        mg_run_options *ro)
{
    json_t *o = json_object_get(doc, "options");
    memset(ro, 0, sizeof *ro);
    mg_map_options_default(&ro->maps);
    ro->project = json_string_value(json_object_get(o, "project"));
    ro->output = mo->output;
    ro->force = mo->force;
    ro->progress = mo->progress;
    mg_map_options *m = &ro->maps;
    m->minzoom = (int)json_integer_value(json_object_get(o, "minzoom"));
    m->maxzoom = (int)json_integer_value(json_object_get(o, "maxzoom"));
    m->tile_size = (int)json_integer_value(json_object_get(o, "tile_size"));
    m->png_level = (int)json_integer_value(json_object_get(o, "png_level"));
    m->stores = (unsigned)json_integer_value(json_object_get(o, "stores"));
    m->has_bbox = (int)json_integer_value(json_object_get(o, "has_bbox"));
    for (size_t i = 0; m->has_bbox && i < 4; i++)
        m->bbox[i] =
            json_number_value(json_array_get(json_object_get(o, "bbox"), i));
    m->only = json_string_value(json_object_get(o, "maps"));
    m->threads = mo->threads;
}

int mg_merge(const mg_merge_options *opt, mg_error *err)
{
    mg_error_clear(err);
    size_t n = opt->n_shards;
    if (n == 0)
        return mg_error_set(err, MG_ERR_USAGE, NULL, -1, NULL,
                            "mapgen merge: no shard files given");
    shard_in *in = calloc(n, sizeof *in);
    const char **order = NULL;
    int rc = in ? MG_OK : nomem(err);
    for (size_t i = 0; !rc && i < n; i++) {
        in[i].path = opt->shards[i];
        rc = load_shard(&in[i], err);
    }
    long k = rc ? 0 : (long)json_integer_value(json_object_get(in[0].doc,
                                                               "shards"));
    if (!rc && (k < 1 || !(order = calloc((size_t)k, sizeof *order))))
        rc = k < 1 ? mg_error_set(err, MG_ERR_INPUT, in[0].path, -1, NULL,
                                  "no shard count in the manifest")
                   : nomem(err);
    if (!rc)
        rc = order_shards(in, n, order, k, err);
    if (!rc)
        rc = check_inputs(in[0].doc, err);
    if (!rc) {
        mg_run_options ro;
        run_options(in[0].doc, opt, &ro);
        ro.replay = order;
        ro.n_replay = (size_t)k;
        mg_progress_say(opt->progress, "merging %ld shards", k);
        rc = mg_run(&ro, err);
    }
    for (size_t i = 0; in && i < n; i++)
        json_decref(in[i].doc);
    free(in);
    free(order);
    return rc;
}
