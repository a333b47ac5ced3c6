/* transform.c -- fitted transforms: standard, minmax, robust, impute, onehot, ordinal, woe
** and pipelines; their schema check at transform time and their text serialization. The WoE
** binning itself is data/woe.c. */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/mem.h"
#include "data/clean.h"
#include "data/ops_int.h"
#include "data/transform.h"

#define PREP_VERSION 1
#define PREP_MAXDEPTH 32

typedef struct PCol {
    char    *name;
    fr_Type  type;
    double   a, b;          /* see fr_prep_col */
    int32_t  nlev;
    char   **lev;           /* sorted by bytes (onehot, ordinal); impute cat: the fill level */
    int      infrequent;    /* onehot: an "x=<infrequent>" column follows the levels */
    fr_Woe  *woe;           /* woe: the bins */
} PCol;

struct fr_Prep {
    int          refs;
    fr_PrepKind  kind;
    /* options */
    char       **columns;
    int          ncolumns;
    fr_Impute    strategy;
    double       value;
    char        *level;
    int          drop_first, missing_column;
    fr_Unknown   unknown;
    double       unknown_value, min_frequency, range_lo, range_hi, q_lo, q_hi;
    fr_WoeOpts   woe;
    char        *target;        /* woe: the target column, or NULL */
    /* fitted state */
    int          fitted;
    int          nin;           /* the input schema seen at fit */
    char       **in_names;
    fr_Type     *in_types;
    int          ncols;         /* the columns acted on */
    PCol        *cols;
    /* pipelines */
    int          nsteps;
    fr_Prep    **steps;
};

static const char *const kind_names[] = {"standard", "minmax", "robust", "impute", "onehot",
                                         "ordinal", "woe", "pipeline"};

const char *fr_prep_kind_name(fr_PrepKind k) {
    return (unsigned)k <= FR_PREP_PIPELINE ? kind_names[k] : "?";
}

void fr_prep_opts_init(fr_PrepOpts *o) {
    memset(o, 0, sizeof *o);
    o->strategy = FR_IMPUTE_MEDIAN;
    o->value = 0.0;
    o->level = "missing";
    o->unknown = FR_UNKNOWN_DEFAULT;
    o->unknown_value = -1.0;
    o->range_lo = 0.0;
    o->range_hi = 1.0;
    o->q_lo = 0.25;
    o->q_hi = 0.75;
    fr_woe_opts_init(&o->woe);
    o->target = NULL;
}

/* ---- lifetime ---- */

static void free_strs(char **s, int64_t n) {
    for (int64_t i = 0; s != NULL && i < n; i++)
        mn_free(s[i]);
    mn_free(s);
}

static void clear_fit(fr_Prep *p) {
    free_strs(p->in_names, p->nin);
    mn_free(p->in_types);
    for (int j = 0; j < p->ncols; j++) {
        mn_free(p->cols[j].name);
        free_strs(p->cols[j].lev, p->cols[j].nlev);
        fr_woe_free(p->cols[j].woe);
    }
    mn_free(p->cols);
    p->in_names = NULL;
    p->in_types = NULL;
    p->cols = NULL;
    p->nin = p->ncols = 0;
    p->fitted = 0;
}

void fr_prep_ref(fr_Prep *p) {
    if (p != NULL)
        p->refs++;
}

void fr_prep_free(fr_Prep *p) {
    if (p == NULL || --p->refs > 0)
        return;
    clear_fit(p);
    for (int i = 0; i < p->nsteps; i++)
        fr_prep_free(p->steps[i]);
    mn_free(p->steps);
    free_strs(p->columns, p->ncolumns);
    mn_free(p->level);
    mn_free(p->target);
    mn_free(p);
}

static int check_opts(fr_PrepKind kind, const fr_PrepOpts *o, mn_Err *e) {
    const char *k = fr_prep_kind_name(kind);
    if ((unsigned)o->strategy > FR_IMPUTE_CONSTANT)
        return mn_fail(e, MN_EARG, "%s: bad strategy %d", k, (int)o->strategy);
    if (o->unknown < FR_UNKNOWN_DEFAULT || o->unknown > FR_UNKNOWN_VALUE ||
        (kind == FR_PREP_ONEHOT && o->unknown == FR_UNKNOWN_VALUE) ||
        (kind == FR_PREP_ORDINAL && (o->unknown == FR_UNKNOWN_IGNORE ||
                                     o->unknown == FR_UNKNOWN_INFREQUENT)))
        return mn_fail(e, MN_EARG, "%s: this unknown-level policy does not apply", k);
    if (!(o->range_lo < o->range_hi))
        return mn_fail(e, MN_EARG, "%s: range must have lo < hi (got %g, %g)", k, o->range_lo,
                       o->range_hi);
    if (!(o->q_lo >= 0.0 && o->q_lo < o->q_hi && o->q_hi <= 1.0))
        return mn_fail(e, MN_EARG, "%s: quantile range must satisfy 0 <= lo < hi <= 1 (got %g, "
                       "%g)", k, o->q_lo, o->q_hi);
    if (!(o->min_frequency >= 0.0))
        return mn_fail(e, MN_EARG, "%s: min_frequency must be >= 0", k);
    if (kind == FR_PREP_WOE)
        return fr_woe_check_opts(&o->woe, e);
    return MN_OK;
}

int fr_prep_new(fr_PrepKind kind, const fr_PrepOpts *o, fr_Prep **out, mn_Err *e) {
    fr_PrepOpts def;
    fr_Prep *p;
    int rc;
    if (o == NULL) {
        fr_prep_opts_init(&def);
        o = &def;
    }
    if ((unsigned)kind >= FR_PREP_PIPELINE)
        return mn_fail(e, MN_EARG, "prep: bad kind %d", (int)kind);
    if ((rc = check_opts(kind, o, e)) != MN_OK)
        return rc;
    p = mn_calloc(1, sizeof *p);
    if (p == NULL)
        return mn_fail(e, MN_ENOMEM, "prep: out of memory");
    p->refs = 1;
    p->kind = kind;
    p->strategy = o->strategy;
    p->value = o->value;
    p->drop_first = o->drop_first != 0;
    p->missing_column = o->missing_column != 0;
    p->unknown = o->unknown != FR_UNKNOWN_DEFAULT ? o->unknown :
                 kind == FR_PREP_ORDINAL ? FR_UNKNOWN_VALUE : FR_UNKNOWN_IGNORE;
    p->unknown_value = o->unknown_value;
    p->min_frequency = o->min_frequency;
    p->range_lo = o->range_lo;
    p->range_hi = o->range_hi;
    p->q_lo = o->q_lo;
    p->q_hi = o->q_hi;
    p->woe = o->woe;
    if ((p->level = mn_strdup(o->level ? o->level : "missing")) == NULL)
        goto nomem;
    if (kind == FR_PREP_WOE && o->target != NULL && (p->target = mn_strdup(o->target)) == NULL)
        goto nomem;
    if (o->ncolumns > 0) {
        if ((p->columns = mn_calloc((size_t)o->ncolumns, sizeof *p->columns)) == NULL)
            goto nomem;
        p->ncolumns = o->ncolumns;
        for (int i = 0; i < o->ncolumns; i++)
            if ((p->columns[i] = mn_strdup(o->columns[i])) == NULL)
                goto nomem;
    }
    *out = p;
    return MN_OK;
nomem:
    fr_prep_free(p);
    return mn_fail(e, MN_ENOMEM, "prep: out of memory");
}

int fr_prep_pipeline(fr_Prep *const *steps, int n, fr_Prep **out, mn_Err *e) {
    fr_Prep *p;
    if (n < 1)
        return mn_fail(e, MN_EARG, "pipeline: needs at least one step");
    p = mn_calloc(1, sizeof *p);
    if (p == NULL || (p->steps = mn_calloc((size_t)n, sizeof *p->steps)) == NULL) {
        mn_free(p);
        return mn_fail(e, MN_ENOMEM, "pipeline: out of memory");
    }
    p->refs = 1;
    p->kind = FR_PREP_PIPELINE;
    p->unknown = FR_UNKNOWN_IGNORE;
    for (int i = 0; i < n; i++) {
        p->steps[i] = steps[i];
        fr_prep_ref(steps[i]);
    }
    p->nsteps = n;
    *out = p;
    return MN_OK;
}

/* ---- fit ---- */

static int accepts(fr_PrepKind k, fr_Type t) {
    switch (k) {
    case FR_PREP_STANDARD: case FR_PREP_MINMAX: case FR_PREP_ROBUST:
        return t == FR_F64 || t == FR_DATE || t == FR_DATETIME;
    case FR_PREP_IMPUTE:
        return t == FR_F64 || t == FR_CAT || t == FR_BOOL || t == FR_DATE || t == FR_DATETIME;
    case FR_PREP_ONEHOT: return t == FR_CAT || t == FR_TEXT || t == FR_BOOL;
    case FR_PREP_ORDINAL: return t == FR_CAT || t == FR_TEXT;
    case FR_PREP_WOE: return t == FR_F64 || t == FR_BOOL || t == FR_CAT || t == FR_TEXT;
    default: return 0;
    }
}

static const char *accepted(fr_PrepKind k) {
    switch (k) {
    case FR_PREP_IMPUTE: return "f64, cat, bool, date or datetime";
    case FR_PREP_ONEHOT: return "cat, text or bool";
    case FR_PREP_ORDINAL: return "cat or text";
    case FR_PREP_WOE: return "f64, bool, cat or text";
    default: return "f64, date or datetime";
    }
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The level text of row i of a cat or text column (NULL when missing). */
static const char *level_at(fr_Column *c, int64_t i) {
    if (fr_col_type(c) == FR_CAT)
        return fr_cat_level(c, fr_col_codes(c)[i]);
    return fr_col_text(c)[i];
}

/* Distinct non-missing levels of a cat/text column, sorted by bytes, with their counts. */
static int distinct_levels(fr_Column *c, char ***lev_out, int64_t **cnt_out, int32_t *nl,
                           mn_Err *e) {
    int64_t n = fr_col_len(c), m = 0, k = 0;
    const char **all = mn_malloc((size_t)(n ? n : 1) * sizeof *all);
    char **lev = NULL;
    int64_t *cnt = NULL;
    if (all == NULL)
        return mn_fail(e, MN_ENOMEM, "prep: out of memory");
    for (int64_t i = 0; i < n; i++)
        if ((all[m] = level_at(c, i)) != NULL)
            m++;
    qsort(all, (size_t)m, sizeof *all, cmp_str);
    lev = mn_calloc((size_t)(m ? m : 1), sizeof *lev);
    cnt = mn_calloc((size_t)(m ? m : 1), sizeof *cnt);
    if (lev == NULL || cnt == NULL)
        goto nomem;
    for (int64_t i = 0; i < m; i++) {
        if (i == 0 || strcmp(all[i], all[i - 1]) != 0) {
            if (k >= INT32_MAX - 1 || (lev[k++] = mn_strdup(all[i])) == NULL)
                goto nomem;
        }
        cnt[k - 1]++;
    }
    mn_free(all);
    *lev_out = lev;
    *cnt_out = cnt;
    *nl = (int32_t)k;
    return MN_OK;
nomem:
    mn_free(all);
    free_strs(lev, m);
    mn_free(cnt);
    return mn_fail(e, MN_ENOMEM, "prep: out of memory");
}

static int fit_col(fr_Prep *p, PCol *pc, fr_Column *c, mn_Err *e) {
    double *s = NULL;
    int64_t m;
    int rc = MN_OK;
    pc->a = 0.0;
    pc->b = 1.0;
    if (pc->type == FR_DATE || pc->type == FR_DATETIME) {   /* learn on days since 1970 */
        fr_Column *days = NULL;
        if ((rc = fr_col_cast(c, pc->name, FR_F64, &days, e)) != MN_OK)
            return rc;
        pc->type = FR_F64;
        rc = fit_col(p, pc, days, e);
        pc->type = fr_col_type(c);
        fr_col_unref(days);
        return rc;
    }
    if (pc->type == FR_F64) {
        /* only quantiles and the most frequent value need the values sorted */
        int sort = p->kind == FR_PREP_ROBUST ||
                   (p->kind == FR_PREP_IMPUTE && (p->strategy == FR_IMPUTE_MEDIAN ||
                                                  p->strategy == FR_IMPUTE_MOST_FREQUENT));
        if (sort && (rc = fr__sorted_values(c, &s, &m, e)) != MN_OK)
            return rc;
        switch (p->kind) {
        case FR_PREP_STANDARD: {
            double mean, sd;
            fr__moments(c, 0, &mean, &sd, &m);
            if (m > 0) {
                pc->a = mean;
                pc->b = sd;
            }
            break;
        }
        case FR_PREP_MINMAX: {
            const double *v = fr_col_f64(c);
            double lo = (double)INFINITY, hi = -(double)INFINITY;
            m = 0;
            for (int64_t i = 0; i < fr_col_len(c); i++)
                if (!isnan(v[i])) {
                    lo = v[i] < lo ? v[i] : lo;
                    hi = v[i] > hi ? v[i] : hi;
                    m++;
                }
            if (m > 0) {
                pc->a = lo;
                pc->b = hi - lo;
            }
            break;
        }
        case FR_PREP_ROBUST:
            if (m > 0) {
                pc->a = fr_quantile_sorted(s, m, 0.5);
                pc->b = fr_quantile_sorted(s, m, p->q_hi) - fr_quantile_sorted(s, m, p->q_lo);
            }
            break;
        case FR_PREP_IMPUTE:
            if (p->strategy == FR_IMPUTE_CONSTANT) {
                pc->a = p->value;
            } else if (p->strategy == FR_IMPUTE_MEAN) {
                double sd;
                fr__moments(c, 0, &pc->a, &sd, &m);
                if (m == 0)
                    pc->a = 0.0;                /* nothing learned: fill with 0 */
            } else if (m == 0) {
                pc->a = 0.0;
            } else if (p->strategy == FR_IMPUTE_MEDIAN) {
                pc->a = fr_quantile_sorted(s, m, 0.5);
            } else {                            /* most frequent; ties -> the smallest */
                int64_t best = 0, run = 0, bestrun = 0;
                for (int64_t i = 0; i < m; i++) {
                    run = i > 0 && s[i] == s[i - 1] ? run + 1 : 1;
                    if (run > bestrun) {
                        bestrun = run;
                        best = i;
                    }
                }
                pc->a = s[best];
            }
            break;
        default:
            break;
        }
        mn_free(s);
        return MN_OK;
    }
    if (pc->type == FR_BOOL) {                  /* impute: mode; onehot: nothing to learn */
        int64_t n1 = 0, n0 = 0;
        for (int64_t i = 0; i < fr_col_len(c); i++) {
            n1 += fr_col_bool(c)[i] == 1;
            n0 += fr_col_bool(c)[i] == 0;
        }
        pc->a = p->strategy == FR_IMPUTE_CONSTANT ? (p->value != 0.0) : (n1 > n0);
        return MN_OK;
    }
    /* cat / text */
    {
        char **lev = NULL;
        int64_t *cnt = NULL;
        int32_t nl = 0, keep = 0;
        double minf = p->min_frequency;
        if ((rc = distinct_levels(c, &lev, &cnt, &nl, e)) != MN_OK)
            return rc;
        if (p->kind == FR_PREP_IMPUTE) {
            int32_t best = -1;
            for (int32_t k = 0; k < nl; k++)
                if (best < 0 || cnt[k] > cnt[best])
                    best = k;                   /* sorted levels: ties -> first in bytes */
            if (p->strategy == FR_IMPUTE_CONSTANT) {
                free_strs(lev, nl);
                lev = mn_calloc(1, sizeof *lev);
                if (lev == NULL || (lev[0] = mn_strdup(p->level)) == NULL) {
                    mn_free(lev);
                    mn_free(cnt);
                    return mn_fail(e, MN_ENOMEM, "prep: out of memory");
                }
                nl = 1;
            } else if (best >= 0) {
                char *t = lev[0];
                lev[0] = lev[best];
                lev[best] = t;
                for (int32_t k = 1; k < nl; k++)
                    mn_free(lev[k]);
                nl = 1;
            }
        } else if (p->kind == FR_PREP_ONEHOT && p->unknown == FR_UNKNOWN_INFREQUENT) {
            int64_t total = 0;
            for (int32_t k = 0; k < nl; k++)
                total += cnt[k];
            if (minf > 0.0 && minf < 1.0)
                minf = ceil(minf * (double)total);
            for (int32_t k = 0; k < nl; k++) {
                if ((double)cnt[k] < minf)
                    mn_free(lev[k]);
                else
                    lev[keep++] = lev[k];
            }
            nl = keep;
            pc->infrequent = 1;
        }
        mn_free(cnt);
        pc->lev = lev;
        pc->nlev = nl;
    }
    return MN_OK;
}

/* woe: bin one column against y (already checked to be 0/1 by the binning). */
static int fit_woe_col(const fr_Prep *p, PCol *pc, fr_Column *c, const double *y, mn_Err *e) {
    int64_t n = fr_col_len(c);
    int rc;
    if (pc->type == FR_CAT || pc->type == FR_TEXT) {
        const char **x = mn_malloc((size_t)(n ? n : 1) * sizeof *x);
        if (x == NULL)
            return mn_fail(e, MN_ENOMEM, "woe: out of memory");
        for (int64_t i = 0; i < n; i++)
            x[i] = level_at(c, i);
        rc = fr_woe_fit_cat(x, y, n, &p->woe, &pc->woe, e);
        mn_free(x);
        return rc;
    }
    if (pc->type == FR_BOOL) {
        double *x = mn_malloc((size_t)(n ? n : 1) * sizeof *x);
        if (x == NULL)
            return mn_fail(e, MN_ENOMEM, "woe: out of memory");
        for (int64_t i = 0; i < n; i++)
            x[i] = fr_col_get_num(c, i);
        rc = fr_woe_fit_num(x, y, n, &p->woe, &pc->woe, e);
        mn_free(x);
        return rc;
    }
    return fr_woe_fit_num(fr_col_f64(c), y, n, &p->woe, &pc->woe, e);
}

/* woe: the target values, from the 'target' column or the y given to fit ('*own' set when
** the array is new). */
static int woe_target(const fr_Prep *p, const fr_Frame *f, const double *y, const double **out,
                      double **own, mn_Err *e) {
    fr_Column *c;
    double *v;
    *own = NULL;
    if (p->target == NULL) {
        if (y == NULL)
            return mn_fail(e, MN_EARG, "woe: needs a 0/1 target: fit(frame, y) or "
                           "woe{target = 'column'}");
        *out = y;
        return MN_OK;
    }
    if (fr_get(f, p->target, &c, e) != MN_OK)
        return mn_prefix(e, "woe: target");
    if (fr_col_type(c) != FR_F64 && fr_col_type(c) != FR_BOOL)
        return mn_fail(e, MN_EARG, "woe: target column '%s' is %s; it must be f64 or bool "
                       "with 0/1 values", p->target, fr_type_name(fr_col_type(c)));
    if ((v = mn_malloc((size_t)(fr_col_len(c) ? fr_col_len(c) : 1) * sizeof *v)) == NULL)
        return mn_fail(e, MN_ENOMEM, "woe: out of memory");
    for (int64_t i = 0; i < fr_col_len(c); i++)
        v[i] = fr_col_get_num(c, i);
    *out = *own = v;
    return MN_OK;
}

static int fit_leaf(fr_Prep *p, const fr_Frame *f, const double *y, mn_Err *e) {
    const char *k = fr_prep_kind_name(p->kind);
    int nin = fr_ncols(f), na = 0, rc = MN_OK;
    double *own = NULL;
    clear_fit(p);
    if (p->kind == FR_PREP_WOE) {
        for (int i = 0; p->target != NULL && i < p->ncolumns; i++)
            if (strcmp(p->columns[i], p->target) == 0)
                return mn_fail(e, MN_EARG, "woe: column '%s' is the target; leave it out of "
                               "columns", p->target);
        if ((rc = woe_target(p, f, y, &y, &own, e)) != MN_OK)
            return rc;
    }
    p->in_names = mn_calloc((size_t)(nin ? nin : 1), sizeof *p->in_names);
    p->in_types = mn_calloc((size_t)(nin ? nin : 1), sizeof *p->in_types);
    p->cols = mn_calloc((size_t)(nin ? nin : 1), sizeof *p->cols);
    if (p->in_names == NULL || p->in_types == NULL || p->cols == NULL)
        goto nomem;
    for (int j = 0; j < nin; j++) {             /* the schema; a woe target is not in it */
        if (p->target != NULL && strcmp(fr_name(f, j), p->target) == 0)
            continue;
        if ((p->in_names[p->nin] = mn_strdup(fr_name(f, j))) == NULL)
            goto nomem;
        p->in_types[p->nin++] = fr_col_type(fr_col(f, j));
    }
    for (int i = 0; i < p->ncolumns; i++) {     /* named columns: exist, right type */
        fr_Column *c;
        if ((rc = fr_get(f, p->columns[i], &c, e)) != MN_OK) {
            mn_prefix(e, "%s", k);
            goto done;
        }
        if (!accepts(p->kind, fr_col_type(c))) {
            rc = mn_fail(e, MN_EARG, "%s: column '%s' is %s; %s needs %s columns", k,
                         p->columns[i], fr_type_name(fr_col_type(c)), k, accepted(p->kind));
            goto done;
        }
    }
    for (int j = 0; j < p->nin; j++) {          /* acted-on columns in frame order */
        int chosen = p->ncolumns == 0 ? accepts(p->kind, p->in_types[j]) : 0;
        fr_Column *c = fr_col(f, fr_find(f, p->in_names[j]));
        for (int i = 0; i < p->ncolumns; i++)
            chosen |= strcmp(p->columns[i], p->in_names[j]) == 0;
        if (!chosen)
            continue;
        if ((p->cols[na].name = mn_strdup(p->in_names[j])) == NULL)
            goto nomem;
        p->cols[na].type = p->in_types[j];
        p->ncols = ++na;
        rc = p->kind == FR_PREP_WOE ? fit_woe_col(p, &p->cols[na - 1], c, y, e)
                                    : fit_col(p, &p->cols[na - 1], c, e);
        if (rc != MN_OK) {
            mn_prefix(e, "%s: column '%s'", k, p->in_names[j]);
            goto done;
        }
    }
    p->fitted = 1;
    goto done;
nomem:
    rc = mn_fail(e, MN_ENOMEM, "%s: out of memory", k);
done:
    mn_free(own);
    return rc;
}

static int run(const fr_Prep *p, const fr_Frame *f, const double *y, int fit, fr_Frame **out,
               mn_Err *e, int depth);

/* Fit p on f without transforming f by its last step: a leaf only learns; a pipeline fits and
** transforms each step but the last, whose output nobody reads, and fits that one alone. */
static int fit_only(fr_Prep *p, const fr_Frame *f, const double *y, mn_Err *e, int depth) {
    fr_Frame *cur = NULL;
    int rc = MN_OK;
    if (depth > PREP_MAXDEPTH)
        return mn_fail(e, MN_EARG, "pipeline: nested too deeply");
    if (p->kind != FR_PREP_PIPELINE)
        return fit_leaf(p, f, y, e);
    p->fitted = 0;
    for (int i = 0; i < p->nsteps && rc == MN_OK; i++) {
        const fr_Frame *in = cur ? cur : f;
        fr_Frame *next = NULL;
        if (i < p->nsteps - 1)
            rc = run(p->steps[i], in, y, 1, &next, e, depth + 1);
        else
            rc = fit_only(p->steps[i], in, y, e, depth + 1);
        fr_free(cur);
        cur = next;
        if (rc != MN_OK)
            mn_prefix(e, "pipeline step %d", i + 1);
    }
    fr_free(cur);
    if (rc == MN_OK)
        p->fitted = 1;
    return rc;
}

static int check_y(const fr_Frame *f, const double *y, int64_t ny, mn_Err *e) {
    if (y != NULL && ny != fr_nrows(f))
        return mn_fail(e, MN_ESHAPE, "prep: the target has %" PRId64 " values but the frame "
                       "has %" PRId64 " rows", ny, fr_nrows(f));
    return MN_OK;
}

int fr_prep_fit(fr_Prep *p, const fr_Frame *f, mn_Err *e) {
    return fit_only(p, f, NULL, e, 0);
}

int fr_prep_fit_y(fr_Prep *p, const fr_Frame *f, const double *y, int64_t ny, mn_Err *e) {
    int rc = check_y(f, y, ny, e);
    return rc != MN_OK ? rc : fit_only(p, f, y, e, 0);
}

/* ---- transform ---- */

static int check_schema(const fr_Prep *p, const fr_Frame *f, mn_Err *e) {
    const char *k = fr_prep_kind_name(p->kind);
    if (!p->fitted)
        return mn_fail(e, MN_EARG, "%s: not fitted (call fit or fit_transform first)", k);
    for (int j = 0; j < p->nin; j++) {
        int i = fr_find(f, p->in_names[j]);
        if (i < 0)
            return mn_fail(e, MN_EARG, "%s: column '%s' (%s at fit) is missing from the frame",
                           k, p->in_names[j], fr_type_name(p->in_types[j]));
        if (fr_col_type(fr_col(f, i)) != p->in_types[j])
            return mn_fail(e, MN_EARG, "%s: column '%s' is %s but was %s at fit", k,
                           p->in_names[j], fr_type_name(fr_col_type(fr_col(f, i))),
                           fr_type_name(p->in_types[j]));
    }
    if (fr_ncols(f) != p->nin)
        for (int i = 0; i < fr_ncols(f); i++) {
            int seen = 0;
            for (int j = 0; j < p->nin && !seen; j++)
                seen = strcmp(fr_name(f, i), p->in_names[j]) == 0;
            if (p->target != NULL && strcmp(fr_name(f, i), p->target) == 0)
                seen = 1;                       /* woe's target: dropped when present */
            if (!seen)
                return mn_fail(e, MN_EARG, "%s: column '%s' was not in the frame at fit "
                               "(drop it or refit)", k, fr_name(f, i));
        }
    return MN_OK;
}

/* Index of 'level' in sorted lev[0..nl), or -1. */
static int32_t find_level(char *const *lev, int32_t nl, const char *level) {
    int32_t lo = 0, hi = nl - 1;
    while (lo <= hi) {
        int32_t mid = lo + (hi - lo) / 2;
        int c = strcmp(lev[mid], level);
        if (c == 0)
            return mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

/* Fit-level index of every row of a cat/text column: >= 0 known, -1 missing, -2 unknown.
** For cat columns the dictionary is mapped once. */
static int level_index(const PCol *pc, fr_Column *c, int32_t *idx, mn_Err *e) {
    int64_t n = fr_col_len(c);
    if (fr_col_type(c) == FR_CAT) {
        int32_t nd = fr_cat_nlevels(c);
        int32_t *map = mn_malloc((size_t)(nd ? nd : 1) * sizeof *map);
        if (map == NULL)
            return mn_fail(e, MN_ENOMEM, "prep: out of memory");
        for (int32_t k = 0; k < nd; k++) {
            int32_t x = find_level(pc->lev, pc->nlev, fr_cat_level(c, k));
            map[k] = x >= 0 ? x : -2;
        }
        for (int64_t i = 0; i < n; i++) {
            int32_t code = fr_col_codes(c)[i];
            idx[i] = code < 0 ? -1 : map[code];
        }
        mn_free(map);
        return MN_OK;
    }
    for (int64_t i = 0; i < n; i++) {
        const char *s = fr_col_text(c)[i];
        int32_t x = s == NULL ? -1 : find_level(pc->lev, pc->nlev, s);
        idx[i] = s == NULL ? -1 : x >= 0 ? x : -2;
    }
    return MN_OK;
}

static int add_new(fr_Frame *g, const char *name, fr_Column *c, mn_Err *e) {
    int rc = fr_add(g, name, c, e);
    fr_col_unref(c);
    return rc;
}

static int unknown_error(const char *k, const PCol *pc, fr_Column *c, const int32_t *idx,
                         mn_Err *e) {
    for (int64_t i = 0; i < fr_col_len(c); i++)
        if (idx[i] == -2)
            return mn_fail(e, MN_EARG, "%s: column '%s' row %" PRId64 ": level '%.40s' was not "
                           "seen at fit", k, pc->name, i + 1, level_at(c, i));
    return MN_OK;
}

static int onehot_col(const fr_Prep *p, const PCol *pc, fr_Column *c, fr_Frame *g, mn_Err *e) {
    int64_t n = fr_col_len(c);
    int32_t *idx;
    int rc = MN_OK;
    char name[512];
    int32_t first = p->drop_first ? 1 : 0;
    if (pc->type == FR_BOOL) {                  /* bool -> one f64 0/1 column, same name */
        fr_Column *d;
        if ((rc = fr_col_new(FR_F64, n, &d, e)) != MN_OK)
            return rc;
        for (int64_t i = 0; i < n; i++)
            fr_col_f64(d)[i] = fr_col_get_num(c, i);
        return add_new(g, pc->name, d, e);
    }
    idx = mn_malloc((size_t)(n ? n : 1) * sizeof *idx);
    if (idx == NULL)
        return mn_fail(e, MN_ENOMEM, "onehot: out of memory");
    if ((rc = level_index(pc, c, idx, e)) == MN_OK && p->unknown == FR_UNKNOWN_ERROR)
        rc = unknown_error("onehot", pc, c, idx, e);
    /* level columns, then <infrequent>, then NA: slots -1 - 2 */
    for (int32_t k = first; rc == MN_OK && k < pc->nlev + 2; k++) {
        fr_Column *d;
        int32_t want = k < pc->nlev ? k : k == pc->nlev ? -2 : -1;
        if (k == pc->nlev && !pc->infrequent)
            continue;
        if (k == pc->nlev + 1 && !p->missing_column)
            continue;
        snprintf(name, sizeof name, "%s=%s", pc->name,
                 k < pc->nlev ? pc->lev[k] : k == pc->nlev ? "<infrequent>" : "NA");
        if ((rc = fr_col_new(FR_F64, n, &d, e)) != MN_OK)
            break;
        for (int64_t i = 0; i < n; i++)
            fr_col_f64(d)[i] = idx[i] == want;
        if ((rc = add_new(g, name, d, e)) != MN_OK)
            mn_prefix(e, "onehot");
    }
    mn_free(idx);
    return rc;
}

static int apply_col(const fr_Prep *p, const PCol *pc, fr_Column *c, fr_Frame *g, mn_Err *e) {
    int64_t n = fr_col_len(c);
    fr_Column *d = NULL;
    int rc;
    switch (p->kind) {
    case FR_PREP_STANDARD: case FR_PREP_MINMAX: case FR_PREP_ROBUST: {
        double scale = pc->b == 0.0 || isnan(pc->b) ? 1.0 : pc->b;
        double lo = p->kind == FR_PREP_MINMAX ? p->range_lo : 0.0;
        double w = p->kind == FR_PREP_MINMAX ? p->range_hi - p->range_lo : 1.0;
        if (pc->type != FR_F64)                 /* date/datetime: days since 1970, then scale */
            rc = fr_col_cast(c, pc->name, FR_F64, &d, e);
        else
            rc = fr_col_copy(c, &d, e);
        if (rc != MN_OK)
            return rc;
        for (int64_t i = 0; i < n; i++)
            fr_col_f64(d)[i] = (fr_col_f64(d)[i] - pc->a) / scale * w + lo;
        return add_new(g, pc->name, d, e);
    }
    case FR_PREP_IMPUTE:
        if ((rc = fr_col_copy(c, &d, e)) != MN_OK)
            return rc;
        if (pc->type == FR_F64) {
            for (int64_t i = 0; i < n; i++)
                if (isnan(fr_col_f64(d)[i]))
                    fr_col_f64(d)[i] = pc->a;
        } else if (pc->type == FR_BOOL) {
            for (int64_t i = 0; i < n; i++)
                if (fr_col_bool(d)[i] < 0)
                    fr_col_bool(d)[i] = (int8_t)pc->a;
        } else if (pc->type == FR_DATE || pc->type == FR_DATETIME) {
            double days = pc->type == FR_DATE ? floor(pc->a) : pc->a;   /* dates: midnight */
            int64_t ns;
            if (!(fabs(days) < 106000.0)) {      /* int64 ns reach about +-106751 days */
                fr_col_unref(d);
                return mn_fail(e, MN_EARG, "impute: column '%s': fill value %g days since "
                               "1970-01-01 is out of range", pc->name, days);
            }
            ns = (int64_t)floor(days) * FR_NS_PER_DAY +
                 (int64_t)llround((days - floor(days)) * (double)FR_NS_PER_DAY);
            for (int64_t i = 0; i < n; i++)
                if (fr_col_time(d)[i] == FR_NA_TIME)
                    fr_col_time(d)[i] = ns;
        } else if (pc->nlev > 0) {
            int32_t code;
            int need = 0;
            for (int64_t i = 0; i < n && !need; i++)
                need = fr_col_codes(d)[i] < 0;
            if (need &&
                (rc = fr_cat_intern(d, pc->lev[0], strlen(pc->lev[0]), &code, e)) != MN_OK) {
                fr_col_unref(d);
                return rc;
            }
            for (int64_t i = 0; need && i < n; i++)
                if (fr_col_codes(d)[i] < 0)
                    fr_col_codes(d)[i] = code;
        }
        return add_new(g, pc->name, d, e);
    case FR_PREP_ONEHOT:
        return onehot_col(p, pc, c, g, e);
    case FR_PREP_WOE: {
        const fr_Woe *w = pc->woe;
        if ((rc = fr_col_new(FR_F64, n, &d, e)) != MN_OK)
            return rc;
        for (int64_t i = 0; i < n; i++) {
            int bin = w->categorical ? fr_woe_bin_cat(w, level_at(c, i))
                                     : fr_woe_bin_num(w, fr_col_get_num(c, i));
            fr_col_f64(d)[i] = fr_woe_value(w, bin);
        }
        return add_new(g, pc->name, d, e);
    }
    case FR_PREP_ORDINAL: {
        int32_t *idx = mn_malloc((size_t)(n ? n : 1) * sizeof *idx);
        if (idx == NULL)
            return mn_fail(e, MN_ENOMEM, "ordinal: out of memory");
        rc = level_index(pc, c, idx, e);
        if (rc == MN_OK && p->unknown == FR_UNKNOWN_ERROR)
            rc = unknown_error("ordinal", pc, c, idx, e);
        if (rc == MN_OK)
            rc = fr_col_new(FR_F64, n, &d, e);
        for (int64_t i = 0; rc == MN_OK && i < n; i++)
            fr_col_f64(d)[i] = idx[i] >= 0 ? (double)idx[i] :
                               idx[i] == -1 ? (double)NAN : p->unknown_value;
        mn_free(idx);
        return rc == MN_OK ? add_new(g, pc->name, d, e) : rc;
    }
    default:
        return mn_fail(e, MN_EARG, "prep: bad kind");
    }
}

static int transform_leaf(const fr_Prep *p, const fr_Frame *f, fr_Frame **out, mn_Err *e) {
    fr_Frame *g = NULL;
    int rc;
    if ((rc = check_schema(p, f, e)) != MN_OK)
        return rc;
    if ((rc = fr_new(fr_nrows(f), &g, e)) != MN_OK)
        return rc;
    for (int j = 0; rc == MN_OK && j < p->nin; j++) {
        fr_Column *c = fr_col(f, fr_find(f, p->in_names[j]));
        const PCol *pc = NULL;
        for (int i = 0; i < p->ncols && pc == NULL; i++)
            if (strcmp(p->cols[i].name, p->in_names[j]) == 0)
                pc = &p->cols[i];
        rc = pc != NULL ? apply_col(p, pc, c, g, e) : fr_add(g, p->in_names[j], c, e);
    }
    if (rc != MN_OK) {
        fr_free(g);
        return rc;
    }
    *out = g;
    return MN_OK;
}

/* Run steps [0, upto) of pipeline p on f; 'fit': fit each step first. */
static int run(const fr_Prep *p, const fr_Frame *f, const double *y, int fit, fr_Frame **out,
               mn_Err *e, int depth) {
    fr_Frame *cur = NULL;
    int rc = MN_OK;
    if (depth > PREP_MAXDEPTH)
        return mn_fail(e, MN_EARG, "pipeline: nested too deeply");
    if (p->kind != FR_PREP_PIPELINE) {
        if (fit && (rc = fit_leaf((fr_Prep *)p, f, y, e)) != MN_OK)
            return rc;
        return transform_leaf(p, f, out, e);
    }
    if (!fit && !p->fitted)
        return mn_fail(e, MN_EARG, "pipeline: not fitted (call fit or fit_transform first)");
    for (int i = 0; i < p->nsteps; i++) {
        fr_Frame *next = NULL;
        rc = run(p->steps[i], cur ? cur : f, y, fit, &next, e, depth + 1);
        fr_free(cur);
        cur = next;
        if (rc != MN_OK) {
            mn_prefix(e, "pipeline step %d", i + 1);
            return rc;
        }
    }
    if (fit)
        ((fr_Prep *)p)->fitted = 1;
    *out = cur;
    return MN_OK;
}

int fr_prep_transform(const fr_Prep *p, const fr_Frame *f, fr_Frame **out, mn_Err *e) {
    return run(p, f, NULL, 0, out, e, 0);
}

int fr_prep_fit_transform(fr_Prep *p, const fr_Frame *f, fr_Frame **out, mn_Err *e) {
    return fr_prep_fit_transform_y(p, f, NULL, 0, out, e);
}

int fr_prep_fit_transform_y(fr_Prep *p, const fr_Frame *f, const double *y, int64_t ny,
                            fr_Frame **out, mn_Err *e) {
    int rc = check_y(f, y, ny, e);
    if (rc != MN_OK)
        return rc;
    if (p->kind == FR_PREP_PIPELINE)
        p->fitted = 0;
    return run(p, f, y, 1, out, e, 0);
}

/* ---- serialization ---- */

static void put_str(mn_Buf *b, const char *s) {
    if (s == NULL) {
        mn_buf_printf(b, " -");
        return;
    }
    mn_buf_printf(b, " %zu:", strlen(s));
    mn_buf_printf(b, "%s", s);
}

static void put_num(mn_Buf *b, double x) { mn_buf_printf(b, " %a", x); }

/* " woe categorical nbins direction other smooth", the value bins' "hi n bad", the missing
** bin's "n bad", then "nlev" and each level with its bin. WoE is recomputed when read. */
static void write_woe(mn_Buf *b, const fr_Woe *w) {
    mn_buf_printf(b, " woe %d %d %d %d", w->categorical, w->nbins, w->direction, w->other);
    put_num(b, w->smooth);
    for (int k = 0; k <= w->nbins; k++) {
        if (k < w->nbins)
            put_num(b, w->categorical ? 0.0 : w->bin[k].hi);
        mn_buf_printf(b, " %" PRId64 " %" PRId64, w->bin[k].n, w->bin[k].bad);
    }
    mn_buf_printf(b, " %" PRId32, w->nlev);
    for (int32_t q = 0; q < w->nlev; q++) {
        put_str(b, w->lev[q]);
        mn_buf_printf(b, " %" PRId32, w->lev_bin[q]);
    }
}

static void write_prep(mn_Buf *b, const fr_Prep *p) {
    mn_buf_printf(b, "%s %d %d", fr_prep_kind_name(p->kind), p->fitted, (int)p->strategy);
    put_num(b, p->value);
    put_str(b, p->level);
    mn_buf_printf(b, " %d %d %d", p->drop_first, p->missing_column, (int)p->unknown);
    put_num(b, p->unknown_value);
    put_num(b, p->min_frequency);
    put_num(b, p->range_lo);
    put_num(b, p->range_hi);
    put_num(b, p->q_lo);
    put_num(b, p->q_hi);
    mn_buf_printf(b, " %d", p->ncolumns);
    for (int i = 0; i < p->ncolumns; i++)
        put_str(b, p->columns[i]);
    if (p->kind == FR_PREP_WOE) {
        mn_buf_printf(b, "\nwoeopts %d %d %d", (int)p->woe.method, p->woe.bins, p->woe.fine);
        put_num(b, p->woe.min_share);
        put_num(b, p->woe.smooth);
        put_str(b, p->target);
    }
    mn_buf_printf(b, "\nin %d", p->nin);
    for (int j = 0; j < p->nin; j++) {
        put_str(b, p->in_names[j]);
        mn_buf_printf(b, " %d", (int)p->in_types[j]);
    }
    mn_buf_printf(b, "\ncols %d\n", p->ncols);
    for (int j = 0; j < p->ncols; j++) {
        const PCol *pc = &p->cols[j];
        mn_buf_printf(b, "col");
        put_str(b, pc->name);
        mn_buf_printf(b, " %d", (int)pc->type);
        put_num(b, pc->a);
        put_num(b, pc->b);
        mn_buf_printf(b, " %d %" PRId32, pc->infrequent, pc->nlev);
        for (int32_t k = 0; k < pc->nlev; k++)
            put_str(b, pc->lev[k]);
        if (pc->woe != NULL)
            write_woe(b, pc->woe);
        mn_buf_printf(b, "\n");
    }
    mn_buf_printf(b, "steps %d\n", p->nsteps);
    for (int i = 0; i < p->nsteps; i++)
        write_prep(b, p->steps[i]);
    mn_buf_printf(b, "end\n");
}

int fr_prep_serialize(const fr_Prep *p, char **out, size_t *len, mn_Err *e) {
    mn_Buf b = MN_BUF_INIT;
    mn_buf_printf(&b, "moneta.prep %d\n", PREP_VERSION);
    write_prep(&b, p);
    if (b.oom) {
        mn_free(b.s);
        return mn_fail(e, MN_ENOMEM, "prep: out of memory serializing");
    }
    *out = b.s;
    *len = b.len;
    return MN_OK;
}

typedef struct Rd {
    const char *s;
    size_t      len, pos;
    mn_Err     *e;
    int         bad;
} Rd;

static int rd_fail(Rd *r, const char *what) {
    if (!r->bad)
        mn_fail(r->e, MN_EPARSE, "prep.deserialize: byte %zu: expected %s", r->pos, what);
    r->bad = 1;
    return 0;
}

static void skip_ws(Rd *r) {
    while (r->pos < r->len && (r->s[r->pos] == ' ' || r->s[r->pos] == '\n'))
        r->pos++;
}

/* The next whitespace-delimited word into buf. */
static int rd_word(Rd *r, char *buf, size_t size, const char *what) {
    size_t n = 0;
    skip_ws(r);
    while (r->pos < r->len && r->s[r->pos] != ' ' && r->s[r->pos] != '\n') {
        if (n + 1 >= size)
            return rd_fail(r, what);
        buf[n++] = r->s[r->pos++];
    }
    buf[n] = '\0';
    return n > 0 ? 1 : rd_fail(r, what);
}

static int rd_expect(Rd *r, const char *word) {
    char buf[32];
    if (r->bad || !rd_word(r, buf, sizeof buf, word))
        return 0;
    return strcmp(buf, word) == 0 ? 1 : rd_fail(r, word);
}

static long long rd_int(Rd *r, long long lo, long long hi, const char *what) {
    char buf[32], *end;
    long long v;
    if (r->bad || !rd_word(r, buf, sizeof buf, what))
        return lo;
    v = strtoll(buf, &end, 10);
    if (*end != '\0' || v < lo || v > hi)
        return rd_fail(r, what), lo;
    return v;
}

static double rd_num(Rd *r, const char *what) {
    char buf[64], *end;
    double v;
    if (r->bad || !rd_word(r, buf, sizeof buf, what))
        return 0.0;
    v = strtod(buf, &end);
    if (*end != '\0')
        return rd_fail(r, what), 0.0;
    return v;
}

/* A length-prefixed string (new, mn_malloc'ed) or NULL for "-"; '*ok' cleared on error. */
static char *rd_str(Rd *r, int allow_null, const char *what) {
    size_t n = 0;
    char *s;
    if (r->bad)
        return NULL;
    skip_ws(r);
    if (allow_null && r->pos < r->len && r->s[r->pos] == '-') {
        r->pos++;
        return NULL;
    }
    while (r->pos < r->len && r->s[r->pos] >= '0' && r->s[r->pos] <= '9' && n < SIZE_MAX / 20)
        n = n * 10 + (size_t)(r->s[r->pos++] - '0');
    if (r->pos >= r->len || r->s[r->pos] != ':' || n > r->len - r->pos - 1)
        return rd_fail(r, what), NULL;
    r->pos++;
    if ((s = mn_malloc(n + 1)) == NULL) {
        mn_fail(r->e, MN_ENOMEM, "prep.deserialize: out of memory");
        r->bad = 1;
        return NULL;
    }
    memcpy(s, r->s + r->pos, n);
    s[n] = '\0';
    r->pos += n;
    return s;
}

/* A transform read back must make sense before it touches a frame: every fitted column is
** an input column of the same type the kind accepts, levels are sorted and distinct. */
static int consistent(const fr_Prep *p) {
    fr_PrepOpts o;
    fr_prep_opts_init(&o);
    o.unknown = p->unknown;
    if (p->kind == FR_PREP_WOE)
        o.woe = p->woe;
    if (p->kind != FR_PREP_PIPELINE && check_opts(p->kind, &o, NULL) != MN_OK)
        return 0;
    if (p->kind == FR_PREP_PIPELINE && p->ncols > 0)
        return 0;
    for (int i = 0; p->target != NULL && i < p->nin; i++)
        if (strcmp(p->in_names[i], p->target) == 0)
            return 0;
    for (int j = 0; j < p->ncols; j++) {
        const PCol *pc = &p->cols[j];
        int found = 0;
        for (int i = 0; i < p->nin && !found; i++)
            found = strcmp(p->in_names[i], pc->name) == 0 && p->in_types[i] == pc->type;
        if (!found || !accepts(p->kind, pc->type))
            return 0;
        if ((p->kind == FR_PREP_WOE) != (pc->woe != NULL) ||
            (pc->woe != NULL && pc->woe->categorical != (pc->type == FR_CAT ||
                                                         pc->type == FR_TEXT)))
            return 0;
        if (p->kind == FR_PREP_IMPUTE && pc->nlev > 1)
            return 0;
        for (int32_t k = 1; p->kind != FR_PREP_IMPUTE && k < pc->nlev; k++)
            if (strcmp(pc->lev[k - 1], pc->lev[k]) >= 0)
                return 0;
    }
    return 1;
}

static fr_Woe *read_woe(Rd *r) {
    fr_Woe *w = NULL;
    int cat, nb;
    int32_t nl;
    size_t at;
    mn_Err e2 = {0};
    rd_expect(r, "woe");
    cat = (int)rd_int(r, 0, 1, "the woe categorical flag");
    nb = (int)rd_int(r, 0, 1 << 20, "a woe bin count");
    if (!r->bad && (size_t)nb > r->len - r->pos)
        return rd_fail(r, "fewer woe bins"), NULL;        /* each bin takes >= 4 bytes */
    if (r->bad)
        return NULL;
    if (fr_woe_alloc(cat, nb, 0, &w, r->e) != MN_OK) {
        r->bad = 1;
        return NULL;
    }
    w->direction = (int)rd_int(r, -1, 1, "a woe direction");
    w->other = (int)rd_int(r, -1, nb - 1, "the woe 'other' bin");
    w->smooth = rd_num(r, "the woe smoothing");
    for (int k = 0; !r->bad && k <= nb; k++) {
        if (k < nb)
            w->bin[k].hi = cat ? (double)NAN : rd_num(r, "a bin edge");
        if (k < nb && cat)
            rd_num(r, "a bin edge");
        w->bin[k].n = rd_int(r, 0, INT64_MAX, "a bin count");
        w->bin[k].bad = rd_int(r, 0, INT64_MAX, "a bin's bad count");
        w->bin[k].lo = cat || k == nb ? (double)NAN :
                       k == 0 ? -(double)INFINITY : w->bin[k - 1].hi;
    }
    nl = (int32_t)rd_int(r, 0, INT32_MAX - 1, "a woe level count");
    if (!r->bad && (size_t)nl > r->len - r->pos)
        rd_fail(r, "fewer woe levels");
    if (!r->bad && nl > 0 && ((w->lev = mn_calloc((size_t)nl, sizeof *w->lev)) == NULL ||
                              (w->lev_bin = mn_calloc((size_t)nl, sizeof *w->lev_bin)) == NULL)) {
        mn_fail(r->e, MN_ENOMEM, "prep.deserialize: out of memory");
        r->bad = 1;
    }
    if (!r->bad)
        w->nlev = nl;
    for (int32_t q = 0; !r->bad && q < nl; q++) {
        w->lev[q] = rd_str(r, 0, "a level");
        w->lev_bin[q] = (int32_t)rd_int(r, 0, nb > 0 ? nb - 1 : 0, "a level's bin");
    }
    at = r->pos;
    if (!r->bad && fr_woe_finish(w, &e2) != MN_OK) {
        mn_fail(r->e, MN_EPARSE, "prep.deserialize: byte %zu: expected consistent woe bins "
                "(%s)", at, e2.msg);
        r->bad = 1;
    }
    if (r->bad) {
        fr_woe_free(w);
        return NULL;
    }
    return w;
}

static fr_Prep *read_prep(Rd *r, int depth) {
    fr_Prep *p;
    char kind[16];
    int k;
    if (depth > PREP_MAXDEPTH)
        return rd_fail(r, "less nesting"), NULL;
    if (!rd_word(r, kind, sizeof kind, "a transform kind"))
        return NULL;
    for (k = 0; k <= FR_PREP_PIPELINE && strcmp(kind, kind_names[k]) != 0; k++)
        ;
    if (k > FR_PREP_PIPELINE)
        return rd_fail(r, "a transform kind"), NULL;
    if ((p = mn_calloc(1, sizeof *p)) == NULL) {
        mn_fail(r->e, MN_ENOMEM, "prep.deserialize: out of memory");
        r->bad = 1;
        return NULL;
    }
    p->refs = 1;
    p->kind = (fr_PrepKind)k;
    p->fitted = (int)rd_int(r, 0, 1, "fitted flag");
    p->strategy = (fr_Impute)rd_int(r, 0, FR_IMPUTE_CONSTANT, "strategy");
    p->value = rd_num(r, "value");
    p->level = rd_str(r, 1, "level");
    p->drop_first = (int)rd_int(r, 0, 1, "drop_first");
    p->missing_column = (int)rd_int(r, 0, 1, "missing_column");
    p->unknown = (fr_Unknown)rd_int(r, FR_UNKNOWN_IGNORE, FR_UNKNOWN_VALUE, "unknown policy");
    p->unknown_value = rd_num(r, "unknown_value");
    p->min_frequency = rd_num(r, "min_frequency");
    p->range_lo = rd_num(r, "range_lo");
    p->range_hi = rd_num(r, "range_hi");
    p->q_lo = rd_num(r, "q_lo");
    p->q_hi = rd_num(r, "q_hi");
    p->ncolumns = (int)rd_int(r, 0, 1 << 20, "column count");
    if (!r->bad && p->ncolumns > 0 &&
        (p->columns = mn_calloc((size_t)p->ncolumns, sizeof *p->columns)) == NULL)
        goto nomem;
    for (int i = 0; !r->bad && i < p->ncolumns; i++)   /* unread names stay NULL */
        p->columns[i] = rd_str(r, 0, "a column name");
    if (p->kind == FR_PREP_WOE) {
        rd_expect(r, "woeopts");
        p->woe.method = (fr_WoeMethod)rd_int(r, 0, FR_WOE_MONOTONIC, "a woe method");
        p->woe.bins = (int)rd_int(r, 1, 10000, "woe bins");
        p->woe.fine = (int)rd_int(r, 1, 10000, "woe fine bins");
        p->woe.min_share = rd_num(r, "woe min_share");
        p->woe.smooth = rd_num(r, "woe smooth");
        p->target = rd_str(r, 1, "the woe target");
    }
    rd_expect(r, "in");
    p->nin = (int)rd_int(r, 0, 1 << 20, "input column count");
    if (!r->bad && ((p->in_names = mn_calloc((size_t)p->nin + 1, sizeof *p->in_names)) == NULL ||
                    (p->in_types = mn_calloc((size_t)p->nin + 1, sizeof *p->in_types)) == NULL))
        goto nomem;
    for (int j = 0; !r->bad && j < p->nin; j++) {
        p->in_names[j] = rd_str(r, 0, "a column name");
        p->in_types[j] = (fr_Type)rd_int(r, 0, FR_TEXT, "a column type");
    }
    rd_expect(r, "cols");
    p->ncols = (int)rd_int(r, 0, 1 << 20, "fitted column count");
    if (!r->bad && (p->cols = mn_calloc((size_t)p->ncols + 1, sizeof *p->cols)) == NULL)
        goto nomem;
    if (r->bad)
        p->ncols = 0;
    for (int j = 0; !r->bad && j < p->ncols; j++) {
        PCol *pc = &p->cols[j];
        rd_expect(r, "col");
        pc->name = rd_str(r, 0, "a column name");
        pc->type = (fr_Type)rd_int(r, 0, FR_TEXT, "a column type");
        pc->a = rd_num(r, "a parameter");
        pc->b = rd_num(r, "a parameter");
        pc->infrequent = (int)rd_int(r, 0, 1, "infrequent flag");
        pc->nlev = (int32_t)rd_int(r, 0, INT32_MAX - 1, "level count");
        if (!r->bad && (size_t)pc->nlev > r->len - r->pos)
            rd_fail(r, "fewer levels");               /* each level takes >= 2 bytes */
        if (!r->bad && (pc->lev = mn_calloc((size_t)pc->nlev + 1, sizeof *pc->lev)) == NULL)
            goto nomem;
        if (r->bad)
            pc->nlev = 0;
        for (int32_t q = 0; !r->bad && q < pc->nlev; q++)
            pc->lev[q] = rd_str(r, 0, "a level");
        if (p->kind == FR_PREP_WOE && !r->bad)
            pc->woe = read_woe(r);
    }
    rd_expect(r, "steps");
    p->nsteps = (int)rd_int(r, 0, 1 << 16, "step count");
    if (!r->bad && p->nsteps > 0 &&
        (p->steps = mn_calloc((size_t)p->nsteps, sizeof *p->steps)) == NULL)
        goto nomem;
    if (r->bad)
        p->nsteps = 0;
    for (int i = 0; !r->bad && i < p->nsteps; i++)
        p->steps[i] = read_prep(r, depth + 1);
    rd_expect(r, "end");
    if (!r->bad && ((p->kind == FR_PREP_PIPELINE) != (p->nsteps > 0)))
        rd_fail(r, "steps only in a pipeline");
    if (!r->bad && !consistent(p))
        rd_fail(r, "a consistent transform (the text was altered)");
    if (r->bad) {
        fr_prep_free(p);
        return NULL;
    }
    return p;
nomem:
    if (!r->bad)
        mn_fail(r->e, MN_ENOMEM, "prep.deserialize: out of memory");
    r->bad = 1;
    fr_prep_free(p);
    return NULL;
}

int fr_prep_deserialize(const char *s, size_t len, fr_Prep **out, mn_Err *e) {
    Rd r = {s, len, 0, e, 0};
    long long v;
    fr_Prep *p;
    if (!rd_expect(&r, "moneta.prep"))
        return mn_fail(e, MN_EPARSE, "prep.deserialize: not a serialized transform (it starts "
                       "with 'moneta.prep')");
    v = rd_int(&r, 0, INT32_MAX, "a version number");
    if (r.bad)
        return e->code;
    if (v != PREP_VERSION)
        return mn_fail(e, MN_EARG, "prep.deserialize: version %lld; this moneta reads version "
                       "%d", v, PREP_VERSION);
    if ((p = read_prep(&r, 0)) == NULL)
        return e->code;
    skip_ws(&r);
    if (r.pos != r.len) {
        fr_prep_free(p);
        rd_fail(&r, "the end of the text");
        return e->code;
    }
    *out = p;
    return MN_OK;
}

/* ---- introspection ---- */

fr_PrepKind fr_prep_kind(const fr_Prep *p) { return p->kind; }
int fr_prep_fitted(const fr_Prep *p) { return p->fitted; }
int fr_prep_nsteps(const fr_Prep *p) { return p->nsteps; }
fr_Prep *fr_prep_step(const fr_Prep *p, int i) {
    return i >= 0 && i < p->nsteps ? p->steps[i] : NULL;
}
int fr_prep_ncols(const fr_Prep *p) { return p->ncols; }

const char *fr_prep_col(const fr_Prep *p, int j, fr_Type *type, double *a, double *b,
                        int32_t *nlev) {
    const PCol *pc;
    if (j < 0 || j >= p->ncols)
        return NULL;
    pc = &p->cols[j];
    if (type)
        *type = pc->type;
    if (a)
        *a = pc->a;
    if (b)
        *b = pc->b;
    if (nlev)
        *nlev = pc->nlev;
    return pc->name;
}

const char *fr_prep_level(const fr_Prep *p, int j, int32_t k) {
    if (j < 0 || j >= p->ncols || k < 0 || k >= p->cols[j].nlev)
        return NULL;
    return p->cols[j].lev[k];
}

int fr_prep_infrequent(const fr_Prep *p, int j) {
    return j >= 0 && j < p->ncols ? p->cols[j].infrequent : 0;
}

const fr_Woe *fr_prep_woe(const fr_Prep *p, int j) {
    return j >= 0 && j < p->ncols ? p->cols[j].woe : NULL;
}

const char *fr_prep_target(const fr_Prep *p) { return p->target; }
