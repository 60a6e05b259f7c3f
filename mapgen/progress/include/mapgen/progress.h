/*
 * progress — everything `mapgen` says on stderr while it works: the stage
 * being run, tiles rendered, summaries, the outputs written and errors, in
 * one of four modes (docs/rendering.md, "Progress"):
 *
 *   MG_PROGRESS_AUTO   GDAL's 0...10...100 for tiles on a terminal, else
 *                      as plain
 *   MG_PROGRESS_PLAIN  "mapgen: ..." lines; tiles a line every few seconds
 *                      with done/total, rate and time left
 *   MG_PROGRESS_JSON   every line one JSON object (docs/errors.md lists
 *                      the fields), errors and summaries too
 *   MG_PROGRESS_NONE   errors only
 *
 * Threads: a reporter belongs to one thread; mg_progress_tiles() is called
 * from the renderer's writer thread only.
 */
#ifndef MG_MAPGEN_PROGRESS_H
#define MG_MAPGEN_PROGRESS_H

#include <stdarg.h>
#include <stdio.h>

#include "tiles/render.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum mg_progress_mode {
    MG_PROGRESS_AUTO,
    MG_PROGRESS_PLAIN,
    MG_PROGRESS_JSON,
    MG_PROGRESS_NONE
} mg_progress_mode;

typedef struct mg_progress mg_progress;

/* A reporter writing to out in mode (AUTO becomes PLAIN when out is not a
 * terminal).  NULL when out of memory. */
mg_progress *mg_progress_new(mg_progress_mode mode, FILE *out);
void mg_progress_free(mg_progress *p);

/* The mode after AUTO was resolved. */
mg_progress_mode mg_progress_get_mode(const mg_progress *p);

/* A line of information: "mapgen: TEXT" (plain), {"message": "TEXT"}
 * (json), nothing (none).  Text over several lines is one JSON message. */
void mg_progress_say(mg_progress *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Text already formatted as lines (a summary table): written as it is
 * (plain), as one {"message": TEXT} (json), or not at all (none). */
void mg_progress_text(mg_progress *p, const char *text);

/* Runs print(out, user) into a buffer and hands what it wrote to
 * mg_progress_text(): for printers that write to a FILE. */
void mg_progress_print(mg_progress *p, void (*print)(FILE *out, void *user),
                       void *user);

/* An mg_progress_fn (geodata/core.h) for the stages: at complete == 0 it
 * says "mapgen: MESSAGE..." ({"stage": "MESSAGE"} in json).  user is the
 * reporter.  Returns 0 once mg_interrupted is set, to cancel. */
int mg_progress_stage(double complete, const char *message, void *user);

/* Tiles of one map: begin before mg_render_pyramid() (with its options'
 * progress callback set to mg_progress_tiles and user to the reporter),
 * end after it with the statistics (the per-zoom table; nothing when the
 * render failed: pass NULL). */
void mg_progress_tiles_begin(mg_progress *p, const char *map, int z0, int z1,
                             int threads);
int mg_progress_tiles(const mg_render_progress *rp, void *user);
void mg_progress_tiles_end(mg_progress *p, const mg_render_stats *st);

/* An error, always printed: "mapgen: error: FILE: row R: field F: TEXT"
 * or, in json, {"error": {"code": 4, "class": "input data", "file": ...,
 * "row": ..., "field": ..., "message": ...}}. */
void mg_progress_error(mg_progress *p, const mg_error *err);

#ifdef __cplusplus
}
#endif
#endif
