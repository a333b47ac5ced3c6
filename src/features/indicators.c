/* indicators.c -- technical indicators and forecast targets on one group's array (see
** indicators.h for each definition, its source and its NaN rule). Windowed statistics slide
** with Welford's add/remove updates (as pandas' roll_var), so a window costs O(1) per row. */
#include <math.h>

#include "features/indicators.h"

#define NANV ((double)NAN)

/* ---- Wilder's smoothing over a series of steps (NaN steps skipped) ---- */

/* Averages of gains/losses (RSI) or of true ranges (ATR): the state of Wilder's smoothing. */
typedef struct Wilder {
    int    period, seen;      /* steps seen, until 'period' (the seed is their plain mean) */
    double a, b;              /* running averages (b unused by ATR) */
} Wilder;

/* Feed one step (a, b); returns 1 when the averages are defined after it. */
static int wilder_step(Wilder *w, double a, double b) {
    if (w->seen < w->period) {
        w->a += a;
        w->b += b;
        if (++w->seen < w->period)
            return 0;
        w->a /= w->period;
        w->b /= w->period;
        return 1;
    }
    w->a = (w->a * (w->period - 1) + a) / w->period;
    w->b = (w->b * (w->period - 1) + b) / w->period;
    return 1;
}

void ft_rsi(const double *x, int64_t n, int period, double *out) {
    Wilder w = {period, 0, 0.0, 0.0};
    if (n > 0)
        out[0] = NANV;
    for (int64_t i = 1; i < n; i++) {
        double d = x[i] - x[i - 1];
        out[i] = NANV;
        if (isnan(d))
            continue;
        if (!wilder_step(&w, d > 0 ? d : 0.0, d < 0 ? -d : 0.0))
            continue;
        out[i] = w.a + w.b > 0 ? 100.0 * w.a / (w.a + w.b) : 50.0;
    }
}

void ft_true_range(const double *high, const double *low, const double *close, int64_t n,
                   double *out) {
    if (n > 0)
        out[0] = NANV;
    for (int64_t i = 1; i < n; i++) {
        double h = high[i], l = low[i], pc = close[i - 1];
        if (isnan(h) || isnan(l) || isnan(pc)) {
            out[i] = NANV;
            continue;
        }
        out[i] = (h > pc ? h : pc) - (l < pc ? l : pc);
    }
}

void ft_atr(const double *high, const double *low, const double *close, int64_t n, int period,
            double *out) {
    Wilder w = {period, 0, 0.0, 0.0};
    ft_true_range(high, low, close, n, out);      /* in place: out[i] is read before written */
    for (int64_t i = 1; i < n; i++) {
        double tr = out[i];
        out[i] = NANV;
        if (!isnan(tr) && wilder_step(&w, tr, 0.0))
            out[i] = w.a;
    }
}

/* ---- exponential averages ---- */

void ft_ema(const double *x, int64_t n, double span, double *out) {
    double alpha = 2.0 / (span + 1.0), y = 0.0;
    int started = 0;
    for (int64_t i = 0; i < n; i++) {
        if (isnan(x[i])) {
            out[i] = NANV;
            continue;
        }
        y = started ? (1.0 - alpha) * y + alpha * x[i] : x[i];
        started = 1;
        out[i] = y;
    }
}

void ft_macd(const double *x, int64_t n, int fast, int slow, int sig, double *line,
             double *signal, double *hist) {
    /* The three EMAs of ft_ema fused into one pass (the same arithmetic, so the same bits). */
    double af = 2.0 / (fast + 1.0), as = 2.0 / (slow + 1.0), ag = 2.0 / (sig + 1.0);
    double yf = 0.0, ys = 0.0, yg = 0.0;
    int started = 0;
    for (int64_t i = 0; i < n; i++) {
        double l;
        if (isnan(x[i])) {
            line[i] = signal[i] = hist[i] = NANV;
            continue;
        }
        yf = started ? (1.0 - af) * yf + af * x[i] : x[i];
        ys = started ? (1.0 - as) * ys + as * x[i] : x[i];
        l = yf - ys;
        yg = started ? (1.0 - ag) * yg + ag * l : l;
        started = 1;
        line[i] = l;
        signal[i] = yg;
        hist[i] = l - yg;
    }
}

/* ---- sliding windows (pandas' min_periods = w: any NaN in the window gives NaN) ---- */

/* Welford moments of the non-NaN pairs in a window, plus the count of NaN rows in it. */
typedef struct Moments {
    int64_t n, nan;
    double  mx, my, m2x, m2y, cxy;
} Moments;

static void mom_add(Moments *m, double x, double y) {
    double dx, dy;
    if (isnan(x) || isnan(y)) {
        m->nan++;
        return;
    }
    m->n++;
    dx = x - m->mx;
    dy = y - m->my;
    m->mx += dx / (double)m->n;
    m->my += dy / (double)m->n;
    m->m2x += dx * (x - m->mx);
    m->m2y += dy * (y - m->my);
    m->cxy += dx * (y - m->my);
}

static void mom_remove(Moments *m, double x, double y) {
    double dx, dy;
    if (isnan(x) || isnan(y)) {
        m->nan--;
        return;
    }
    if (--m->n == 0) {                            /* restart exactly: no drift carried */
        m->mx = m->my = m->m2x = m->m2y = m->cxy = 0.0;
        return;
    }
    dx = x - m->mx;                               /* against the old means */
    dy = y - m->my;
    m->mx -= dx / (double)m->n;
    m->my -= dy / (double)m->n;
    m->m2x -= dx * (x - m->mx);
    m->m2y -= dy * (y - m->my);
    m->cxy -= dx * (y - m->my);
    if (m->m2x < 0)
        m->m2x = 0;
    if (m->m2y < 0)
        m->m2y = 0;
}

void ft_bollinger(const double *x, int64_t n, int w, double k, int ddof, double *mid,
                  double *upper, double *lower, double *pctb) {
    Moments m = {0};
    for (int64_t i = 0; i < n; i++) {
        double mu = NANV, sd = NANV, up, lo;
        mom_add(&m, x[i], 0.0);
        if (i >= w)
            mom_remove(&m, x[i - w], 0.0);
        if (i >= w - 1 && m.nan == 0 && m.n > ddof) {
            mu = m.mx;
            sd = sqrt(m.m2x / (double)(m.n - ddof));
        }
        up = mu + k * sd;
        lo = mu - k * sd;
        if (mid)
            mid[i] = mu;
        if (upper)
            upper[i] = up;
        if (lower)
            lower[i] = lo;
        if (pctb)
            pctb[i] = up > lo ? (x[i] - lo) / (up - lo) : NANV;
    }
}

void ft_beta_corr(const double *y, const double *x, int64_t n, int w, double *beta,
                  double *corr) {
    Moments m = {0};
    for (int64_t i = 0; i < n; i++) {
        int full;
        mom_add(&m, x[i], y[i]);
        if (i >= w)
            mom_remove(&m, x[i - w], y[i - w]);
        full = i >= w - 1 && m.nan == 0;
        if (beta)
            beta[i] = full && m.m2x > 0 ? m.cxy / m.m2x : NANV;
        if (corr) {
            double c = full && m.m2x > 0 && m.m2y > 0 ? m.cxy / sqrt(m.m2x * m.m2y) : NANV;
            corr[i] = c > 1 ? 1 : c < -1 ? -1 : c;           /* rounding; NaN passes */
        }
    }
}

void ft_realized_vol(const double *r, int64_t n, int w, double periods_per_year, double *out) {
    double s = 0.0;
    int64_t nan = 0;
    /* A plain running sum of squares: its terms are all >= 0, so sliding it loses no more
    ** than a rounding of the largest term; clamped at 0 against that rounding. */
    for (int64_t i = 0; i < n; i++) {
        if (isnan(r[i]))
            nan++;
        else
            s += r[i] * r[i];
        if (i >= w) {
            if (isnan(r[i - w]))
                nan--;
            else
                s -= r[i - w] * r[i - w];
        }
        if (s < 0)
            s = 0;
        if (i < w - 1 || nan > 0) {
            out[i] = NANV;
            continue;
        }
        out[i] = periods_per_year > 0 ? sqrt(periods_per_year / w * s) : sqrt(s);
    }
}

void ft_stochastic(const double *high, const double *low, const double *close, int64_t n,
                   int kp, int dp, double *k, double *d) {
    /* Direct max/min over each window: kp is small (14) and the loop reads only <= i. */
    for (int64_t i = 0; i < n; i++) {
        double hh = -HUGE_VAL, ll = HUGE_VAL;
        int bad = i < kp - 1 || isnan(close[i]);
        for (int64_t j = i - kp + 1; !bad && j <= i; j++) {
            if (isnan(high[j]) || isnan(low[j]))
                bad = 1;
            else {
                hh = high[j] > hh ? high[j] : hh;
                ll = low[j] < ll ? low[j] : ll;
            }
        }
        k[i] = !bad && hh > ll ? 100.0 * (close[i] - ll) / (hh - ll) : NANV;
    }
    for (int64_t i = 0; i < n; i++) {
        double s = 0.0;
        int bad = i < dp - 1;
        for (int64_t j = i - dp + 1; !bad && j <= i; j++) {
            if (isnan(k[j]))
                bad = 1;
            else
                s += k[j];
        }
        d[i] = bad ? NANV : s / dp;
    }
}

void ft_obv(const double *close, const double *volume, int64_t n, double *out) {
    double obv = 0.0;
    if (n > 0)
        out[0] = isnan(close[0]) || isnan(volume[0]) ? NANV : 0.0;
    for (int64_t i = 1; i < n; i++) {
        double d = close[i] - close[i - 1], v = volume[i];
        if (isnan(d) || isnan(v)) {
            out[i] = NANV;
            continue;
        }
        obv += d > 0 ? v : d < 0 ? -v : 0.0;
        out[i] = obv;
    }
}

void ft_drawdown(const double *x, int64_t n, double start, double *dd) {
    double peak = isnan(start) ? -HUGE_VAL : start;
    for (int64_t i = 0; i < n; i++) {
        double v = x[i];
        if (!isnan(v) && v > peak)
            peak = v;
        dd[i] = (!isnan(v) && peak > 0) ? v / peak - 1.0 : NANV;
    }
}

/* ---- calendar ---- */

/* Civil date of day number z (days since 1970-01-01), H. Hinnant's days_from_civil inverse
** ("chrono-Compatible Low-Level Date Algorithms"). */
static void civil(int64_t z, int64_t *y, int *m, int *d) {
    int64_t era, doe, yoe, doy, mp;
    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int month_days(int64_t y, int m) {
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

void ft_calendar(const int64_t *t, int64_t n, double *dow, double *month, double *quarter,
                 double *month_end, double *days_to_month_end) {
    const int64_t day_ns = INT64_C(86400000000000);
    for (int64_t i = 0; i < n; i++) {
        int64_t z, y;
        int m, d, left;
        if (t[i] == INT64_MIN) {                  /* FR_NA_TIME */
            if (dow) dow[i] = NANV;
            if (month) month[i] = NANV;
            if (quarter) quarter[i] = NANV;
            if (month_end) month_end[i] = NANV;
            if (days_to_month_end) days_to_month_end[i] = NANV;
            continue;
        }
        z = t[i] / day_ns - (t[i] % day_ns < 0);  /* floor: times before 1970 */
        civil(z, &y, &m, &d);
        left = month_days(y, m) - d;
        if (dow)                                  /* 1970-01-01 was a Thursday (3) */
            dow[i] = (double)(((z % 7) + 7 + 3) % 7);
        if (month)
            month[i] = m;
        if (quarter)
            quarter[i] = (m - 1) / 3 + 1;
        if (month_end)
            month_end[i] = left == 0;
        if (days_to_month_end)
            days_to_month_end[i] = left;
    }
}

/* ---- targets ---- */

int ft_target_return(const double *x, int64_t n, int64_t h, int log_, double *out, mn_Err *e) {
    if (h < 1)
        return mn_fail(e, MN_EARG, "h: the horizon must be at least 1 row, got %lld",
                       (long long)h);
    for (int64_t i = 0; i < n; i++) {
        if (i + h >= n || isnan(x[i]) || isnan(x[i + h])) {
            out[i] = NANV;
            continue;
        }
        out[i] = log_ ? log(x[i + h] / x[i]) : x[i + h] / x[i] - 1.0;
    }
    return MN_OK;
}

int ft_target_direction(const double *x, int64_t n, int64_t h, double threshold, double *out,
                        mn_Err *e) {
    int rc;
    if (!isfinite(threshold))
        return mn_fail(e, MN_EARG, "threshold: must be a finite number, got %g", threshold);
    if ((rc = ft_target_return(x, n, h, 0, out, e)) != MN_OK)
        return rc;
    for (int64_t i = 0; i < n; i++)
        if (!isnan(out[i]))
            out[i] = out[i] > threshold;
    return MN_OK;
}
