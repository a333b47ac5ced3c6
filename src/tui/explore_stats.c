/* explore_stats.c -- what the explorer computes but does not draw: cell text, a column's
** statistics (count, missing, moments, quartiles, distinct and top values) and its histogram
** bins. No ncurses here, so tests/unit/test_tui_explore.c checks it against worked numbers. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "data/ops.h"
#include "tui/explore.h"

int ui_cell_text(const fr_Column *c, int64_t row, char *buf, size_t size) {
    if (size == 0)
        return 0;
    if (fr_col_isna(c, row)) {
        snprintf(buf, size, "NA");
        return 1;
    }
    if (fr_col_type(c) == FR_F64) {
        double v = fr_col_get_num(c, row);
        if (isfinite(v) && v == floor(v) && fabs(v) < 1e15)
            snprintf(buf, size, "%.0f", v);
        else if (isfinite(v))
            snprintf(buf, size, "%.7g", v);
        else
            snprintf(buf, size, "%s", v > 0 ? "inf" : "-inf");
        return 0;
    }
    fr_col_format(c, row, buf, size);
    for (char *p = buf; *p; p++)                 /* tabs and newlines would break the grid */
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = ' ';
    return 0;
}

void ui_col_stats_free(ui_ColStats *s) {
    for (int i = 0; i < s->ntop; i++)
        mn_free(s->top[i]);
    s->ntop = 0;
}

/* Top values and the distinct count of a cat, text or bool column, by fr_value_counts. */
static int top_values(const fr_Column *c, ui_ColStats *s, mn_Err *e) {
    fr_Frame *vc = NULL;
    fr_Column *val, *cnt;
    int rc = fr_value_counts(c, &vc, e);
    if (rc != MN_OK)
        return rc;
    val = fr_col(vc, 0);
    cnt = fr_col(vc, 1);
    s->distinct = fr_nrows(vc);
    for (int64_t i = 0; i < fr_nrows(vc) && s->ntop < UI_TOPN; i++) {
        char buf[256];
        ui_cell_text(val, i, buf, sizeof buf);
        if ((s->top[s->ntop] = mn_strdup(buf)) == NULL) {
            fr_free(vc);
            return mn_fail(e, MN_ENOMEM, "explore: out of memory");
        }
        s->topc[s->ntop++] = (int64_t)fr_col_get_num(cnt, i);
    }
    fr_free(vc);
    return MN_OK;
}

static int distinct_count(const fr_Column *c, int64_t *out, mn_Err *e) {
    fr_Column *u = NULL;
    int rc = fr_col_unique(c, &u, e);
    if (rc != MN_OK)
        return rc;
    *out = fr_col_len(u);
    fr_col_unref(u);
    return MN_OK;
}

int ui_col_stats(const fr_Column *c, ui_ColStats *s, mn_Err *e) {
    fr_Type t = fr_col_type(c);
    int rc = MN_OK;
    memset(s, 0, sizeof *s);
    s->type = t;
    s->n = fr_col_len(c);
    s->count = fr_col_count(c);
    s->missing = s->n - s->count;
    s->distinct = -1;
    s->mean = s->std = s->min = s->max = s->q25 = s->q50 = s->q75 = NAN;
    if (t == FR_F64 || t == FR_BOOL) {
        static const double p[3] = {0.25, 0.5, 0.75};
        double q[3];
        fr_Summary sm;
        if ((rc = fr_col_summary(c, &sm, e)) != MN_OK)
            return rc;
        s->mean = sm.mean;
        s->std = sm.std;
        s->min = sm.min;
        s->max = sm.max;
        if ((rc = fr_col_quantiles(c, p, 3, q, e)) != MN_OK)
            return rc;
        s->q25 = q[0];
        s->q50 = q[1];
        s->q75 = q[2];
    }
    if (t == FR_F64) {
        const double *x = fr_col_f64((fr_Column *)c);
        s->integers = 1;
        for (int64_t i = 0; i < s->n && s->integers; i++)
            if (!isnan(x[i]) && (x[i] != floor(x[i]) || fabs(x[i]) > 1e15))
                s->integers = 0;
        rc = distinct_count(c, &s->distinct, e);
    } else if (t == FR_DATE || t == FR_DATETIME) {
        const int64_t *x = fr_col_time((fr_Column *)c);
        int64_t lo = INT64_MAX, hi = INT64_MIN;
        for (int64_t i = 0; i < s->n; i++) {
            if (x[i] == FR_NA_TIME)
                continue;
            if (x[i] < lo)
                lo = x[i];
            if (x[i] > hi)
                hi = x[i];
        }
        if (s->count > 0) {
            s->min = (double)lo;
            s->max = (double)hi;
        }
        rc = distinct_count(c, &s->distinct, e);
    } else {
        rc = top_values(c, s, e);
    }
    if (rc != MN_OK)
        ui_col_stats_free(s);
    return rc;
}

void ui_col_hist(const fr_Column *c, ui_ColStats *s, int maxbins) {
    fr_Type t = fr_col_type(c);
    int64_t n = fr_col_len(c);
    double lo = s->min, hi = s->max;
    int nb;
    if (maxbins > UI_MAXBINS)
        maxbins = UI_MAXBINS;
    s->hist_asked = maxbins;
    s->nbins = 0;
    if (maxbins < 1 || s->count == 0 || !(t == FR_F64 || t == FR_DATE || t == FR_DATETIME))
        return;
    if (!isfinite(lo) || !isfinite(hi))
        return;                                  /* infinities: no sensible bins */
    nb = maxbins;
    if (t == FR_F64 && s->integers && hi - lo + 1 <= maxbins) {
        nb = (int)(hi - lo + 1);                 /* one bin per whole number */
        lo -= 0.5;
        hi += 0.5;
    } else if (lo == hi) {
        nb = 1;
    }
    s->nbins = nb;
    s->hlo = lo;
    s->hhi = hi;
    if (t == FR_F64) {
        ui_hist_counts(fr_col_f64((fr_Column *)c), n, nb, lo, hi, s->hist);
        return;
    }
    /* times: bin the int64 ns as doubles, in chunks */
    {
        const int64_t *x = fr_col_time((fr_Column *)c);
        int64_t part[UI_MAXBINS];
        double buf[512];
        for (int b = 0; b < nb; b++)
            s->hist[b] = 0;
        for (int64_t i = 0; i < n;) {
            int k = 0;
            while (i < n && k < 512) {
                if (x[i] != FR_NA_TIME)
                    buf[k++] = (double)x[i];
                i++;
            }
            ui_hist_counts(buf, k, nb, lo, hi, part);
            for (int b = 0; b < nb; b++)
                s->hist[b] += part[b];
        }
    }
}
