/* Internals of geodata/change. */
#ifndef MG_CHANGE_INTERNAL_H
#define MG_CHANGE_INTERNAL_H

#include "geodata/change.h"

/* Longest figure name of change_maps: chg_<figure>_rel_pa fits a field. */
#define CHANGE_FIGURE_MAX 60

/* Appends a row (copied); MG_OK or MG_ERR_NOMEM. */
int change_push(mg_change *c, const mg_change_row *r);

/* The figures compared, for the last data set's model and sections:
 * owned names into c->figures. */
int change_list_figures(mg_change *c, const mg_dataset *last);

/* The family of a figure name. */
mg_change_family change_family_of(const char *figure);

/* Whether a higher value of the figure is better (supply, coverage,
 * poverty_rank: 1 is the poorest). */
int change_higher_is_better(const char *figure);

/* 1 for ranks and grades: abs (movement) only. */
int change_rank_like(const char *figure);

/* Regions of level la of a and lb of b that have no match by code, and
 * the splits and merges among them, into report (file names the later
 * period's boundaries).  MG_OK or MG_ERR_NOMEM. */
int change_report_unmatched(const mg_dataset *a, const mg_dataset *b,
                            size_t la, size_t lb, const char *label_a,
                            const char *label_b, mg_report *report);

#endif
