/* Helpers shared inside geodata/access; not part of its public API. */
#ifndef MG_GEODATA_ACCESS_INTERNAL_H
#define MG_GEODATA_ACCESS_INTERNAL_H

#include "geodata/access.h"

#include <jansson.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

#endif
