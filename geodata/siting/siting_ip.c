/* Integer programmes through GLPK: the one place siting talks to the
 * solver (glp_* appears nowhere else).  The LP relaxation by the simplex,
 * then branch and cut with the caller's feasible start as the first
 * incumbent, a time limit and the best bound kept for the gap. */
#include "internal.h"

#include <glpk.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* glp_term_hook: GLPK prints nothing of ours on stdout. */
static int quiet(void *info, const char *s)
{
    (void)info;
    (void)s;
    return 1;
}

struct siting_ip {
    glp_prob *lp;
    int *ia, *ja; /* the matrix, 1-based as GLPK wants it */
    double *ar;
    size_t nz, cap;
};

siting_ip *siting_ip_new(int maximise, size_t n_cols)
{
    siting_ip *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    glp_term_hook(quiet, NULL);
    p->lp = glp_create_prob();
    glp_set_obj_dir(p->lp, maximise ? GLP_MAX : GLP_MIN);
    if (n_cols)
        glp_add_cols(p->lp, (int)n_cols);
    return p;
}

void siting_ip_free(siting_ip *p)
{
    if (!p)
        return;
    glp_delete_prob(p->lp);
    free(p->ia);
    free(p->ja);
    free(p->ar);
    free(p);
}

void siting_ip_col(siting_ip *p, size_t c, int binary, double lo, double hi,
                   double obj)
{
    int j = (int)c + 1;
    glp_set_col_kind(p->lp, j, binary ? GLP_BV : GLP_CV);
    if (!binary)
        glp_set_col_bnds(p->lp, j, lo == hi ? GLP_FX : GLP_DB, lo, hi);
    glp_set_obj_coef(p->lp, j, obj);
}

size_t siting_ip_row(siting_ip *p, double lo, double hi)
{
    int i = glp_add_rows(p->lp, 1);
    int type = isinf(lo) ? (isinf(hi) ? GLP_FR : GLP_UP)
                         : (isinf(hi) ? GLP_LO : lo == hi ? GLP_FX : GLP_DB);
    glp_set_row_bnds(p->lp, i, type, isinf(lo) ? 0 : lo, isinf(hi) ? 0 : hi);
    return (size_t)i - 1;
}

int siting_ip_add(siting_ip *p, size_t row, size_t col, double v)
{
    if (p->nz + 1 >= p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 4096;
        int *ia = realloc(p->ia, cap * sizeof *ia);
        if (ia)
            p->ia = ia;
        int *ja = ia ? realloc(p->ja, cap * sizeof *ja) : NULL;
        if (ja)
            p->ja = ja;
        double *ar = ja ? realloc(p->ar, cap * sizeof *ar) : NULL;
        if (!ar)
            return MG_ERR_NOMEM;
        p->ar = ar;
        p->cap = cap;
    }
    p->nz++;
    p->ia[p->nz] = (int)row + 1;
    p->ja[p->nz] = (int)col + 1;
    p->ar[p->nz] = v;
    return MG_OK;
}

/* What the branch-and-cut callback keeps. */
typedef struct cb_state {
    const double *start; /* column values, 0-based, or NULL */
    int n_cols, offered, stop_at_first;
    double bound;
    int has_bound;
} cb_state;

static void callback(glp_tree *t, void *info)
{
    cb_state *s = info;
    if (mg_interrupted) {
        glp_ios_terminate(t);
        return;
    }
    int r = glp_ios_reason(t);
    if (r == GLP_IHEUR && s->start && !s->offered) {
        s->offered = 1;
        glp_ios_heur_sol(t, s->start - 1); /* GLPK's arrays are 1-based */
    }
    if (r == GLP_IBINGO && s->stop_at_first)
        glp_ios_terminate(t);
    int best = glp_ios_best_node(t);
    if (best) {
        s->bound = glp_ios_node_bound(t, best);
        s->has_bound = 1;
    }
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The time left of the limit (wall clock), in GLPK's milliseconds. */
static int remaining_ms(double limit, double t0)
{
    if (!(limit > 0))
        return INT_MAX;
    double left = limit - (now_s() - t0);
    return left > 0.001 ? (int)fmin(left * 1000, INT_MAX / 2) : 1;
}

/* Fills the result after glp_intopt() returned rc. */
static int finish(siting_ip *p, int rc, const cb_state *s, siting_ip_result *res,
                  mg_error *err)
{
    int st = glp_mip_status(p->lp);
    res->optimal = rc == 0 && st == GLP_OPT;
    res->feasible = st == GLP_OPT || st == GLP_FEAS;
    res->infeasible = st == GLP_NOFEAS;
    res->timed_out = rc == GLP_ETMLIM;
    if (mg_interrupted)
        return mg_error_set(err, MG_ERR_INTERRUPTED, NULL, -1, NULL,
                            "interrupted");
    if (rc && rc != GLP_ETMLIM && rc != GLP_ESTOP && rc != GLP_ENOPFS &&
        rc != GLP_ENODFS)
        return mg_error_set(err, MG_ERR_INPUT, NULL, -1, NULL,
                            "the integer programme failed (GLPK code %d)", rc);
    res->objective = res->feasible ? glp_mip_obj_val(p->lp) : NAN;
    res->bound = res->optimal ? res->objective
                 : s->has_bound ? s->bound : NAN;
    double den = fmax(fabs(res->objective), 1e-12);
    res->gap = res->optimal ? 0
               : res->feasible && !isnan(res->bound)
                   ? fabs(res->bound - res->objective) / den
                   : NAN;
    return MG_OK;
}

int siting_ip_solve(siting_ip *p, const siting_ip_opts *o,
                    siting_ip_result *res, mg_error *err)
{
    double t0 = now_s();
    memset(res, 0, sizeof *res);
    glp_load_matrix(p->lp, (int)p->nz, p->ia, p->ja, p->ar);
    glp_smcp sm;
    glp_init_smcp(&sm);
    sm.msg_lev = GLP_MSG_OFF;
    sm.presolve = GLP_ON;
    sm.tm_lim = remaining_ms(o->time_limit, t0);
    int rc = glp_simplex(p->lp, &sm);
    if (rc == GLP_ENOPFS || (rc == 0 && glp_get_status(p->lp) == GLP_NOFEAS)) {
        res->infeasible = 1;
        return MG_OK;
    }
    if (rc == 0 && glp_get_status(p->lp) != GLP_OPT)
        rc = GLP_EFAIL;
    if (rc == GLP_ETMLIM || rc == GLP_EITLIM) {
        res->timed_out = 1; /* the caller falls back on its start */
        return MG_OK;
    }
    if (rc)
        return mg_error_set(err, MG_ERR_INPUT, NULL, -1, NULL,
                            "the LP relaxation failed (GLPK code %d)", rc);
    cb_state s = {o->start, glp_get_num_cols(p->lp), 0, o->stop_at_first,
                  NAN, 0};
    glp_iocp io;
    glp_init_iocp(&io);
    io.msg_lev = GLP_MSG_OFF;
    io.cb_func = callback;
    io.cb_info = &s;
    io.cov_cuts = io.clq_cuts = io.mir_cuts = GLP_ON;
    io.tm_lim = remaining_ms(o->time_limit, t0);
    rc = glp_intopt(p->lp, &io);
    return finish(p, rc, &s, res, err);
}

double siting_ip_value(const siting_ip *p, size_t c)
{
    return glp_mip_col_val(p->lp, (int)c + 1);
}
