/* test_features_ind.c -- features/indicators.h: each indicator against values worked out
** independently (by hand, the indicator's published definition, or pandas 1.5 through
** /usr/bin/python3: the snippet is beside the numbers), the no-look-ahead property for every
** indicator, the targets' alignment (row t reads t+1..t+h) and no leak across groups. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "core/mem.h"
#include "data/csv.h"
#include "features/group.h"
#include "features/indicators.h"

#define NA ((double)NAN)

static void near_all(const double *got, const double *want, int n, double tol) {
    for (int i = 0; i < n; i++)
        CHECK_NEAR(got[i], want[i], tol);
}

/* The small series of most cases (pandas: x = pd.Series([10., 11, 12, 11, 13, 14, 13, 15])) */
static const double X[8] = {10, 11, 12, 11, 13, 14, 13, 15};
static const double H[8] = {11, 12, 13, 12, 14, 15, 14, 16};
static const double L[8] = {9, 10, 11, 10, 12, 12, 12, 13};
static const double V[8] = {100, 200, 150, 300, 100, 50, 250, 400};
static const double Y[8] = {1, 3, 2, 5, 4, 7, 5, 9};

/* StockCharts ChartSchool's RSI worksheet closes (rounded to cents). */
static const double RSI_C[33] = {44.34, 44.09, 44.15, 43.61, 44.33, 44.83, 45.10, 45.42, 45.84,
    46.08, 45.89, 46.03, 45.61, 46.28, 46.28, 46.00, 46.03, 46.41, 46.22, 45.64, 46.21, 46.25,
    45.71, 46.45, 45.78, 45.35, 44.03, 44.18, 44.22, 44.57, 43.42, 42.66, 43.13};

static void rsi_wilder(void) {                                         /* ind-1.1 */
    double out[33];
    /* Wilder's definition in Python (independent of this code):
    **   d = c.diff(); g = d.clip(lower=0); l = (-d).clip(lower=0)
    **   ag = g[1:15].mean(); al = l[1:15].mean(); rsi[14] = 100*ag/(ag+al)
    **   then ag = (ag*13 + g[i])/14 (and al) for i >= 15
    ** StockCharts' table (from unrounded closes) reads 70.53, 66.32, 66.55, ...: within 0.1. */
    static const double want[19] = {70.464135021097, 66.249618553555, 66.480941834713,
        69.346853162909, 66.294712658926, 57.915020670086, 62.880718309962, 63.208788718288,
        56.011584789548, 62.339929310898, 54.670971377655, 50.386815195114, 40.019423791314,
        41.492635404223, 41.902429678458, 45.499497238680, 37.322778313380, 33.090482572723,
        37.788771982058};
    static const double stockcharts[3] = {70.53, 66.32, 66.55};
    ft_rsi(RSI_C, 33, 14, out);
    for (int i = 0; i < 14; i++)
        CHECK(isnan(out[i]));                     /* the first value is at index 14 */
    near_all(out + 14, want, 19, 1e-9);
    near_all(out + 14, stockcharts, 3, 0.1);
}

static void rsi_flat_and_nan(void) {                                   /* ind-1.2 */
    /* by hand, period 2: steps +1, NaN, NaN, -1, +2 (the NaN close spoils two steps).
    ** Seed after 2 computable steps (+1, -1): ag = .5, al = .5 -> 50 at index 4;
    ** then +2: ag = (.5 + 2)/2 = 1.25, al = (.5 + 0)/2 = .25 -> 100*1.25/1.5 */
    double x[6] = {1, 2, NA, 3, 2, 4}, out[6], flat[4] = {5, 5, 5, 5}, fo[4];
    double want[6] = {NA, NA, NA, NA, 50, 100 * 1.25 / 1.5};
    ft_rsi(x, 6, 2, out);
    near_all(out, want, 6, 1e-12);
    ft_rsi(flat, 4, 2, fo);                       /* no gains, no losses: the neutral 50 */
    CHECK(isnan(fo[1]));
    CHECK_NEAR(fo[2], 50, 0);
    CHECK_NEAR(fo[3], 50, 0);
}

static void macd_pandas(void) {                                        /* ind-2.1 */
    /* f = x.ewm(span=3, adjust=False).mean(); s = x.ewm(span=5, adjust=False).mean()
    ** line = f - s; sig = line.ewm(span=2, adjust=False).mean(); hist = line - sig */
    static const double line[8] = {0.0, 0.16666666666666607, 0.3611111111111107,
        0.19907407407407263, 0.4452160493827151, 0.6197273662551428, 0.4079432441700952,
        0.6026913294467295};
    static const double sig[8] = {0.0, 0.11111111111111072, 0.2777777777777774,
        0.22530864197530756, 0.37191358024691257, 0.537122770919066, 0.4510030864197522,
        0.5521285817710704};
    static const double hist[8] = {0.0, 0.05555555555555536, 0.08333333333333331,
        -0.026234567901234934, 0.07330246913580252, 0.08260459533607678,
        -0.04305984224965698, 0.05056274767565916};
    double l[8], s[8], h[8];
    ft_macd(X, 8, 3, 5, 2, l, s, h);
    near_all(l, line, 8, 1e-12);
    near_all(s, sig, 8, 1e-12);
    near_all(h, hist, 8, 1e-12);
}

static void bollinger_pandas(void) {                                   /* ind-3.1 */
    /* m = x.rolling(4).mean(); sd = x.rolling(4).std(ddof=0)   (population, Bollinger)
    ** up = m + 2*sd; lo = m - 2*sd; pctb = (x - lo) / (up - lo) */
    static const double mid[8] = {NA, NA, NA, 11.0, 11.75, 12.5, 12.75, 13.75};
    static const double up[8] = {NA, NA, NA, 12.414213562373096, 13.408312395177699,
        14.73606797749979, 14.929449471770337, 15.408312395177699};
    static const double lo[8] = {NA, NA, NA, 9.585786437626904, 10.091687604822301,
        10.26393202250021, 10.570550528229663, 12.091687604822301};
    static const double pb[8] = {NA, NA, NA, 0.5000000000000002, 0.8768891807222045,
        0.8354101966249686, 0.5573539334676404, 0.8768891807222048};
    /* up1 = m + 2*x.rolling(4).std()   (ddof=1, pandas' default) */
    static const double up1[8] = {NA, NA, NA, 12.632993161855453, 13.664854215512676,
        15.08198889747161, 15.266611478423583, 15.664854215512674};
    double a[8], b[8], c[8], d[8];
    ft_bollinger(X, 8, 4, 2.0, 0, a, b, c, d);
    near_all(a, mid, 8, 1e-12);
    near_all(b, up, 8, 1e-12);
    near_all(c, lo, 8, 1e-12);
    near_all(d, pb, 8, 1e-12);
    ft_bollinger(X, 8, 4, 2.0, 1, NULL, b, NULL, NULL);
    near_all(b, up1, 8, 1e-12);
}

static void bollinger_nan_window(void) {                               /* ind-3.2 */
    /* pandas rolling(2) with min_periods=2: a NaN spoils the two windows holding it */
    double x[5] = {1, 3, NA, 5, 9}, mid[5], pb[5], flat[3] = {2, 2, 2}, fp[3];
    double want[5] = {NA, 2, NA, NA, 7};
    ft_bollinger(x, 5, 2, 2.0, 0, mid, NULL, NULL, pb);
    near_all(mid, want, 5, 1e-12);
    CHECK_NEAR(pb[4], (9 - 3.0) / 8.0, 1e-12);    /* sd 2: band 3..11 */
    ft_bollinger(flat, 3, 2, 2.0, 0, NULL, NULL, NULL, fp);
    CHECK(isnan(fp[2]));                          /* zero width: no %b */
}

static void true_range_atr(void) {                                     /* ind-4.1 */
    /* by hand: TR[i] = max(H[i], C[i-1]) - min(L[i], C[i-1]) with C = X:
    ** TR = NaN, 2, 2, 2, 3, 3, 2, 3. ATR(3): first at index 3 = (2+2+2)/3 = 2, then
    ** (2*2+3)/3 = 7/3, (2*7/3+3)/3 = 23/9, (2*23/9+2)/3 = 64/27, (2*64/27+3)/3 = 209/81 */
    double tr[8], atr[8];
    double wtr[8] = {NA, 2, 2, 2, 3, 3, 2, 3};
    double watr[8] = {NA, NA, NA, 2, 7.0 / 3, 23.0 / 9, 64.0 / 27, 209.0 / 81};
    ft_true_range(H, L, X, 8, tr);
    near_all(tr, wtr, 8, 0);
    ft_atr(H, L, X, 8, 3, atr);
    near_all(atr, watr, 8, 1e-12);
}

static void stochastic_pandas(void) {                                  /* ind-5.1 */
    /* K = 100*(x - lo.rolling(3).min()) / (h.rolling(3).max() - lo.rolling(3).min())
    ** D = K.rolling(2).mean()   with h = H, lo = L */
    static const double wk[8] = {NA, NA, 75.0, 33.333333333333336, 75.0, 80.0,
        33.333333333333336, 75.0};
    static const double wd[8] = {NA, NA, NA, 54.16666666666667, 54.16666666666667, 77.5,
        56.66666666666667, 54.16666666666667};
    double k[8], d[8];
    ft_stochastic(H, L, X, 8, 3, 2, k, d);
    near_all(k, wk, 8, 1e-12);
    near_all(d, wd, 8, 1e-12);
}

static void obv_by_hand(void) {                                        /* ind-6.1 */
    /* closes up, up, down, up, up, down, up: 0, +200, +150, -300, +100, +50, -250, +400 */
    double out[8], want[8] = {0, 200, 350, 50, 150, 200, -50, 350};
    double c[4] = {1, NA, 2, 3}, v[4] = {5, 6, 7, 8}, o2[4], w2[4] = {0, NA, NA, 8};
    ft_obv(X, V, 8, out);
    near_all(out, want, 8, 0);
    ft_obv(c, v, 4, o2);                          /* the NaN close spoils two steps */
    near_all(o2, w2, 4, 0);
}

static void realized_vol_by_hand(void) {                               /* ind-7.1 */
    /* w = 2: sqrt(.01^2 + .02^2) = sqrt(.0005), sqrt(.0004 + .0009) = sqrt(.0013), the NaN
    ** spoils two windows; annualised with 252: sqrt(252/2 * sum) */
    double r[6] = {0.01, -0.02, 0.03, NA, 0.01, 0.02}, out[6];
    double want[6] = {NA, sqrt(0.0005), sqrt(0.0013), NA, NA, sqrt(0.0005)};
    ft_realized_vol(r, 6, 2, 0, out);
    near_all(out, want, 6, 1e-15);
    ft_realized_vol(r, 6, 2, 252, out);
    CHECK_NEAR(out[1], sqrt(126 * 0.0005), 1e-14);
    CHECK_NEAR(out[5], sqrt(126 * 0.0005), 1e-14);
}

static void drawdown_by_hand(void) {                                   /* ind-8.1 */
    /* peak 100, 120, 120, 120, 130: 0, 0, -.25, NaN (missing), 0; with start 150: the
    ** peak is 150 throughout: -1/3, -.2, -.4, NaN, -2/15 */
    double x[5] = {100, 120, 90, NA, 130}, dd[5];
    double want[5] = {0, 0, -0.25, NA, 0}, want2[5] = {-1.0 / 3, -0.2, -0.4, NA, -2.0 / 15};
    ft_drawdown(x, 5, NA, dd);
    near_all(dd, want, 5, 1e-15);
    ft_drawdown(x, 5, 150, dd);
    near_all(dd, want2, 5, 1e-15);
}

static void beta_corr_pandas(void) {                                   /* ind-9.1 */
    /* y = pd.Series([1., 3, 2, 5, 4, 7, 5, 9])
    ** beta = y.rolling(4).cov(x) / x.rolling(4).var(); corr = y.rolling(4).corr(x) */
    static const double wb[8] = {NA, NA, NA, 0.5, -0.1818181818181819, 0.8000000000000003,
        0.47368421052631593, 2.272727272727275};
    static const double wc[8] = {NA, NA, NA, 0.23904572186687872, -0.13483997249264848,
        0.4961389383568339, 0.4736842105263158, 0.9813358399735749};
    double b[8], c[8];
    ft_beta_corr(Y, X, 8, 4, b, c);
    near_all(b, wb, 8, 1e-12);
    near_all(c, wc, 8, 1e-12);
}

static void calendar_pandas(void) {                                    /* ind-10.1 */
    /* t = pd.Series(pd.to_datetime(["2024-01-31", "2024-02-28", "2024-02-29", "2023-02-28",
    **     "1969-12-31", "2024-12-30 13:45", "2000-03-01"]))
    ** t.dt.dayofweek, .month, .quarter, .is_month_end, .days_in_month - .day */
    int64_t t[8] = {INT64_C(1706659200000000000), INT64_C(1709078400000000000),
        INT64_C(1709164800000000000), INT64_C(1677542400000000000), -INT64_C(86400000000000),
        INT64_C(1735566300000000000), INT64_C(951868800000000000), INT64_MIN};
    double dow[8], mon[8], q[8], me[8], left[8];
    double wdow[8] = {2, 2, 3, 1, 2, 0, 2, NA}, wmon[8] = {1, 2, 2, 2, 12, 12, 3, NA};
    double wq[8] = {1, 1, 1, 1, 4, 4, 1, NA}, wme[8] = {1, 0, 1, 1, 1, 0, 0, NA};
    double wleft[8] = {0, 1, 0, 0, 0, 1, 30, NA};
    ft_calendar(t, 8, dow, mon, q, me, left);
    near_all(dow, wdow, 8, 0);
    near_all(mon, wmon, 8, 0);
    near_all(q, wq, 8, 0);
    near_all(me, wme, 8, 0);
    near_all(left, wleft, 8, 0);
}

static void targets_line_up(void) {                                    /* ind-11.1 */
    /* by hand, h = 2: 99/100 - 1 = -.01, 121/110 - 1 = .1, then unknown */
    double x[4] = {100, 110, 99, 121}, out[4], want[4] = {-0.01, 0.1, NA, NA};
    double wlog[4] = {log(0.99), log(1.1), NA, NA}, wdir[4] = {0, 1, NA, NA}, tie[2] = {100, 150};
    mn_Err e = {0};
    CHECK_OK(ft_target_return(x, 4, 2, 0, out, &e), &e);
    near_all(out, want, 4, 1e-15);
    CHECK_OK(ft_target_return(x, 4, 2, 1, out, &e), &e);
    near_all(out, wlog, 4, 1e-15);
    CHECK_OK(ft_target_direction(x, 4, 2, 0.0, out, &e), &e);
    near_all(out, wdir, 4, 0);
    CHECK_OK(ft_target_direction(tie, 2, 1, 0.5, out, &e), &e);  /* +50% is not above .5 */
    CHECK_NEAR(out[0], 0, 0);
    CHECK_FAIL(ft_target_return(x, 4, 0, 0, out, &e), MN_EARG, &e, "h:");
    CHECK_FAIL(ft_target_direction(x, 4, -1, 0, out, &e), MN_EARG, &e, "h:");
    CHECK_FAIL(ft_target_direction(x, 4, 1, NA, out, &e), MN_EARG, &e, "threshold");
}

static void targets_read_only_t_to_t_plus_h(void) {                    /* ind-11.2 */
    /* property: row t's target changes with x[t+h], and with nothing before t or after t+h */
    double x[12], base[12], out[12];
    mn_Err e = {0};
    for (int i = 0; i < 12; i++)
        x[i] = 100 + i * i % 7;
    CHECK_OK(ft_target_return(x, 12, 3, 0, base, &e), &e);
    for (int t = 0; t + 3 < 12; t++) {
        for (int j = 0; j < 12; j++) {
            double keep = x[j];
            x[j] += 1;
            CHECK_OK(ft_target_return(x, 12, 3, 0, out, &e), &e);
            if (j == t || j == t + 3)
                CHECK(out[t] != base[t]);
            else
                CHECK(out[t] == base[t]);
            x[j] = keep;
        }
    }
}

/* ---- no look-ahead: changing rows after t changes nothing at t, for every indicator ---- */

enum { NLA = 40, NOUT = 5 };

/* Run indicator 'which' on inputs in[0..2] (x, high/y, low/volume), writing outs. */
static int run_ind(int which, double *const in[3], double out[NOUT][NLA]) {
    static int64_t t[NLA];
    double *x = in[0], *a = in[1], *b = in[2];
    switch (which) {
    case 0: ft_rsi(x, NLA, 5, out[0]); return 1;
    case 1: ft_ema(x, NLA, 4, out[0]); return 1;
    case 2: ft_macd(x, NLA, 3, 6, 4, out[0], out[1], out[2]); return 3;
    case 3: ft_bollinger(x, NLA, 5, 2, 0, out[0], out[1], out[2], out[3]); return 4;
    case 4: ft_true_range(a, b, x, NLA, out[0]); return 1;
    case 5: ft_atr(a, b, x, NLA, 4, out[0]); return 1;
    case 6: ft_stochastic(a, b, x, NLA, 4, 3, out[0], out[1]); return 2;
    case 7: ft_obv(x, a, NLA, out[0]); return 1;
    case 8: ft_realized_vol(x, NLA, 5, 252, out[0]); return 1;
    case 9: ft_drawdown(x, NLA, NA, out[0]); return 1;
    case 10: ft_beta_corr(x, a, NLA, 6, out[0], out[1]); return 2;
    case 11:
        for (int i = 0; i < NLA; i++)                 /* days from a noisy series */
            t[i] = isnan(x[i]) ? INT64_MIN : (int64_t)(x[i] * 100) * INT64_C(86400000000000);
        ft_calendar(t, NLA, out[0], out[1], out[2], out[3], out[4]);
        return 5;
    default: return 0;
    }
}

static int same(double a, double b) {
    return (isnan(a) && isnan(b)) || a == b;
}

static void no_look_ahead(void) {                                      /* ind-12.1 */
    double in0[NLA], in1[NLA], in2[NLA], *in[3] = {in0, in1, in2}, keep[3][NLA];
    static double base[NOUT][NLA], out[NOUT][NLA];
    unsigned s = 12345;
    for (int which = 0; which <= 11; which++) {
        int k = 0;
        for (int i = 0; i < NLA; i++) {
            s = s * 1103515245u + 12345u;
            in0[i] = 100 + (double)(s >> 16 & 1023) / 64.0;
            in1[i] = in0[i] + 1 + (double)(s >> 8 & 63) / 32.0;     /* high above close */
            in2[i] = in0[i] - 1 - (double)(s >> 4 & 63) / 32.0;     /* low below it */
        }
        in0[7] = NA;                              /* a NaN early on exercises the skips */
        k = run_ind(which, in, base);
        CHECK(k > 0);
        for (int j = 0; j < 3; j++)
            memcpy(keep[j], in[j], sizeof keep[j]);
        for (int t = 0; t + 1 < NLA; t++) {
            for (int j = 0; j < 3; j++)           /* the original series, then new rows > t */
                memcpy(in[j], keep[j], sizeof keep[j]);
            for (int i = t + 1; i < NLA; i++) {   /* rewrite every later row, NaN now and then */
                s = s * 1103515245u + 12345u;
                in0[i] = (s >> 20) % 9 == 0 ? NA : 50 + (double)(s >> 16 & 4095) / 16.0;
                in1[i] = in0[i] + 3;
                in2[i] = in0[i] - 3;
            }
            run_ind(which, in, out);
            for (int o = 0; o < k; o++)
                for (int i = 0; i <= t; i++)
                    if (!same(out[o][i], base[o][i])) {
                        CHECK(same(out[o][i], base[o][i]));
                        fprintf(stderr, "  indicator %d output %d row %d (t=%d)\n", which, o,
                                i, t);
                        return;
                    }
        }
    }
}

/* ---- no leak across groups: the real driver (group.h), one indicator per group ---- */

static void no_leak_across_groups(void) {                              /* ind-12.2 */
    /* Two tickers interleaved; each group's RSI and Bollinger through gather/kernel/scatter
    ** equal the kernel on that ticker alone, and changing B changes nothing of A. */
    static const char *csv =
        "ticker,close\nA,10\nB,50\nA,11\nB,40\nA,12\nB,60\nA,11\nB,30\nA,13\nB,70\nA,14\n";
    double a_alone[6] = {10, 11, 12, 11, 13, 14}, ra[6], ba[6];
    fr_Frame *f = NULL;
    ft_Groups *g = NULL;
    ft_Order o = {"ticker", ""};
    mn_Err e = {0};
    CHECK_OK(fr_read_csv_str(csv, strlen(csv), NULL, &f, &e), &e);
    if (f == NULL)
        return;
    CHECK_OK(ft_groups_new(f, &o, &g, &e), &e);
    if (g != NULL) {
        const double *x = fr_f64(f, "close");
        double rsi[11], bol[11], buf[6], res[6];
        CHECK(g->ngroups == 2);
        for (int64_t k = 0; k < g->ngroups; k++) {
            ft_gather(g, k, x, buf);
            ft_rsi(buf, ft_group_len(g, k), 2, res);
            ft_scatter(g, k, res, rsi);
            ft_bollinger(buf, ft_group_len(g, k), 3, 2, 0, res, NULL, NULL, NULL);
            ft_scatter(g, k, res, bol);
        }
        ft_rsi(a_alone, 6, 2, ra);
        ft_bollinger(a_alone, 6, 3, 2, 0, ba, NULL, NULL, NULL);
        for (int i = 0; i < 6; i++) {             /* A sits at rows 0, 2, 4, ... */
            CHECK(same(rsi[2 * i], ra[i]));
            CHECK(same(bol[2 * i], ba[i]));
        }
        CHECK(isnan(rsi[1]) && isnan(rsi[3]) && !isnan(rsi[5]));   /* B's first at its 3rd */
        CHECK(isnan(bol[3]) && !isnan(bol[5]));
    }
    ft_groups_free(g);
    fr_free(f);
}

int main(void) {
    RUN(rsi_wilder);
    RUN(rsi_flat_and_nan);
    RUN(macd_pandas);
    RUN(bollinger_pandas);
    RUN(bollinger_nan_window);
    RUN(true_range_atr);
    RUN(stochastic_pandas);
    RUN(obv_by_hand);
    RUN(realized_vol_by_hand);
    RUN(drawdown_by_hand);
    RUN(beta_corr_pandas);
    RUN(calendar_pandas);
    RUN(targets_line_up);
    RUN(targets_read_only_t_to_t_plus_h);
    RUN(no_look_ahead);
    RUN(no_leak_across_groups);
    return CHECK_DONE();
}
