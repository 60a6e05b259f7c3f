/* The project file's "access" and "siting" objects, for project.c. */
#ifndef MG_GEODATA_ACCESS_PROJECT_H
#define MG_GEODATA_ACCESS_PROJECT_H

#include "geodata/geodata.h"

#include <jansson.h>

/* Reads root["access"] and root["siting"] into p->access and p->siting
 * (left NULL when absent); p->model must be parsed already.  Called by
 * mg_project_parse() (access_spec.c); errors are MG_ERR_PROJECT with the
 * JSON path of the offending key. */
int access_project_parse(json_t *root, const char *file, mg_project *p,
                         mg_error *err);

#endif
