/* Helpers shared inside geodata/input; not part of its public API. */
#ifndef MG_GEODATA_INPUT_INTERNAL_H
#define MG_GEODATA_INPUT_INTERNAL_H

#include "geodata/input.h"

/* Reads the boundary levels of the project into d->levels. */
int read_levels(mg_dataset *d, mg_error *err);
/* Reads the providers into d->providers. */
int read_providers(mg_dataset *d, mg_error *err);
/* Reads the recipient table into d->recipients. */
int read_recipients(mg_dataset *d, mg_error *err);

/* Frees what a region owns (not the region). */
void region_clear(mg_region *r);

/* Frees the extra columns of a level. */
void level_clear_columns(mg_level *l);

#endif
