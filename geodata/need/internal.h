/* Helpers shared inside geodata/need; not part of its public API. */
#ifndef MG_GEODATA_NEED_INTERNAL_H
#define MG_GEODATA_NEED_INTERNAL_H

#include "geodata/need.h"

/* The per-category figures of the regions layer, in column order:
 * "need_", "supply_", "gap_", "coverage_", "providers_", "need_per10k_",
 * "supply_per10k_", "gap_per10k_", each followed by a category or "total". */
enum { N_REGION_FIGURES = 8 };
extern const char *const region_figure_prefix[N_REGION_FIGURES];

#endif
