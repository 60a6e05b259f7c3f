/* The poverty stage of the pipeline: geodata computes the figures
 * (geodata/poverty.h), styles classifies them into grades.  The grading
 * lives here because styles sits above geodata (geodata -> styles -> tiles)
 * and a lower module may not call a higher one. */
#ifndef MG_MAPGEN_POVERTY_STAGE_H
#define MG_MAPGEN_POVERTY_STAGE_H

#include "geodata/geodata.h"

/* Runs mg_poverty_compute() and fills poverty_grade and every
 * dim_<d>_grade: grade = class + 1 of the score under the project's
 * "grades" (method, classes, breaks), so the highest grade is the poorest;
 * NULL where there is no score.  Nothing happens without a poverty
 * section.  Returns MG_OK or an MG_ERR_* code with err filled; a
 * classification that the data cannot support (quantile or Jenks with
 * fewer distinct scores than classes) is MG_ERR_INPUT naming
 * "poverty.grades". */
int mg_pipeline_compute_poverty(mg_dataset *d, mg_error *err);

/* The poverty reports registered in an output set, for the caller to list
 * once the set is committed. */
typedef struct mg_poverty_outputs {
    char *final[2];          /* final paths, owned */
    size_t n;
} mg_poverty_outputs;

/* Registers in set and writes, under dir: reports/poverty-ranking.csv
 * (when the project has indicators) and reports/poverty-af.csv (when it
 * has an Alkire-Foster part).  An existing file is an error (MG_ERR_OUTPUT)
 * unless force.  Fills out (clear it with
 * mg_pipeline_clear_poverty_outputs(), also after a failure).  Returns
 * MG_OK or an MG_ERR_* code with err filled. */
int mg_pipeline_write_poverty(mg_outset *set, const mg_dataset *d,
                              const char *dir, int force,
                              mg_poverty_outputs *out, mg_error *err);

void mg_pipeline_clear_poverty_outputs(mg_poverty_outputs *out);

#endif
