/* Helpers shared by the tile-store tests (test_store*.c). */
#ifndef MG_TESTS_STORE_UTIL_H
#define MG_TESTS_STORE_UTIL_H

#include "tiles/store.h"

/* A size x size PNG of one opaque colour derived from seed (distinct seeds
 * below 2^24 give distinct images).  Exits on failure.  Caller frees. */
unsigned char *store_test_png(unsigned seed, int size, size_t *n);

/* The test tile set: zooms 9..11, bounds = XYZ tiles 11/327..328/790..791
 * (holding the MBTiles spec's 11/327/791), 256 px tiles. */
mg_tileset_info store_test_info(void);

/* The tiles of store_test_info() at zoom z: columns x0..x1, rows y0..y1. */
void store_test_range(int z, uint32_t *x0, uint32_t *x1, uint32_t *y0,
                      uint32_t *y1);

/* The first column of the first row of sql run on the SQLite file path as
 * an integer; -1 when there is no row, -2 when the query fails. */
long long store_test_sql_int(const char *path, const char *sql);

/* Makes a fresh scratch directory and chdir()s into it; returns its path
 * (static storage).  store_test_leave() goes back and removes it. */
const char *store_test_enter(const char *prefix);
void store_test_leave(void);

/* 1 when path exists (file or directory). */
int store_test_exists(const char *path);

#endif
