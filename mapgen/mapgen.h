/* mapgen — the command line and the pipeline that drives the modules. */
#ifndef MG_MAPGEN_H
#define MG_MAPGEN_H

#include "geodata/geodata.h"

/* Options of `mapgen run`. */
typedef struct mg_run_options {
    const char *project;     /* NULL: the bundled sample */
    const char *output;      /* NULL: the project's "output" */
    int force;               /* replace existing outputs */
    int quiet;               /* no progress, no summary */
} mg_run_options;

/* Runs the whole pipeline; returns MG_OK or an MG_ERR_* code with err
 * filled.  Outputs appear only when every one of them is complete. */
int mg_run(const mg_run_options *opt, mg_error *err);

/* `mapgen run ARGS...`; returns the process exit code. */
int mg_cmd_run(int argc, char **argv);

#endif
