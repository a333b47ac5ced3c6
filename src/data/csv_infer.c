/* csv_infer.c -- value parsers (numbers, booleans, dates) and the strings -> typed column
** inference shared by the CSV reader and SQLite I/O (declared in io_int.h). No file access. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/mem.h"
#include "data/frame_int.h"
#include "data/io_int.h"

static int isdig(char c) { return (unsigned)(c - '0') < 10; }

/* ---- numbers ---- */

int fr__parse_num(const char *s, size_t n, char dec, char thou, double *v) {
    const char *p = s, *end = s + n;
    char buf[400];
    size_t k = 0;
    int nd = 0, neg = 0, grp = 0, nthou = 0;
    if (dec == 0)
        dec = '.';
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    if (p == end)
        return 0;
    if (*p == '+' || *p == '-') {
        neg = *p == '-';
        p++;
    }
    if ((end - p == 3 && strncasecmp(p, "inf", 3) == 0) ||
        (end - p == 8 && strncasecmp(p, "infinity", 8) == 0)) {
        *v = neg ? -HUGE_VAL : HUGE_VAL;
        return 1;
    }
    if (end - p == 3 && strncasecmp(p, "nan", 3) == 0) {
        *v = NAN;
        return 1;
    }
    if (neg)
        buf[k++] = '-';
    while (p < end && k < sizeof buf - 8) {
        if (isdig(*p)) {
            buf[k++] = *p++;
            nd++;
            grp++;
        } else if (thou && *p == thou && grp >= 1 && grp <= 3 && (nd == grp || grp == 3) &&
                   end - p >= 4 && isdig(p[1]) && isdig(p[2]) && isdig(p[3]) &&
                   (end - p == 4 || !isdig(p[4]))) {
            p++;                          /* 1,234,567: groups of exactly three digits */
            grp = 0;
            nthou++;
        } else {
            break;
        }
    }
    if (nthou > 0 && grp != 3)
        return 0;
    if (p < end && *p == dec) {
        buf[k++] = '.';
        p++;
        while (p < end && isdig(*p) && k < sizeof buf - 8) {
            buf[k++] = *p++;
            nd++;
        }
    }
    if (nd == 0)
        return 0;
    if (p < end && (*p == 'e' || *p == 'E')) {
        int ed = 0;
        buf[k++] = 'e';
        p++;
        if (p < end && (*p == '+' || *p == '-'))
            buf[k++] = *p++;
        while (p < end && isdig(*p) && k < sizeof buf - 2) {
            buf[k++] = *p++;
            ed++;
        }
        if (ed == 0)
            return 0;
    }
    if (p != end)
        return 0;
    buf[k] = '\0';
    *v = strtod(buf, NULL);
    return 1;
}

/* ---- booleans ---- */

int fr__parse_bool(const char *s, size_t n, int loose) {
    static const char *const yes[] = {"true", "True", "TRUE", "yes", "Yes", "YES",
                                      "t", "T", "y", "Y", "1", NULL};
    static const char *const no[] = {"false", "False", "FALSE", "no", "No", "NO",
                                     "f", "F", "n", "N", "0", NULL};
    int lim = loose ? 100 : 3;
    for (int i = 0; yes[i] != NULL && i < lim; i++)
        if (strlen(yes[i]) == n && memcmp(yes[i], s, n) == 0)
            return 1;
    for (int i = 0; no[i] != NULL && i < lim; i++)
        if (strlen(no[i]) == n && memcmp(no[i], s, n) == 0)
            return 0;
    return -1;
}

/* ---- dates ---- */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, int m, int d) {
    int64_t era, yoe, doy, doe;
    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int mdays(int64_t y, int m) {
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 ? 28 + leap : dm[m - 1];
}

/* Exactly k digits at *p (advancing it); -1 when not. */
static int digits(const char **p, const char *end, int k) {
    int v = 0;
    for (int i = 0; i < k; i++) {
        if (*p >= end || !isdig(**p))
            return -1;
        v = v * 10 + (*(*p)++ - '0');
    }
    return v;
}

/* 1 or 2 digits. */
static int digits12(const char **p, const char *end) {
    int v = digits(p, end, 1);
    if (v >= 0 && *p < end && isdig(**p))
        v = v * 10 + (*(*p)++ - '0');
    return v;
}

/* Optional time part at p: [T ]HH:MM[:SS[.frac]][Z|+HH[:]MM|-HH[:]MM]. */
static int parse_clock(const char *p, const char *end, int64_t *ns, int *has_time) {
    int hh, mi, ss = 0, sign;
    int64_t frac = 0;
    *ns = 0;
    *has_time = 0;
    if (p == end)
        return 1;
    if (*p != 'T' && *p != ' ')
        return 0;
    p++;
    if ((hh = digits(&p, end, 2)) < 0 || p >= end || *p++ != ':' ||
        (mi = digits(&p, end, 2)) < 0 || hh > 23 || mi > 59)
        return 0;
    if (p < end && *p == ':') {
        p++;
        if ((ss = digits(&p, end, 2)) < 0 || ss > 60)
            return 0;
        if (p < end && (*p == '.' || *p == ',')) {
            int nd = 0;
            p++;
            while (p < end && isdig(*p)) {
                if (nd < 9) {
                    frac = frac * 10 + (*p - '0');
                    nd++;
                }
                p++;
            }
            if (nd == 0)
                return 0;
            while (nd++ < 9)
                frac *= 10;
        }
    }
    *ns = ((int64_t)hh * 3600 + mi * 60 + ss) * 1000000000 + frac;
    *has_time = 1;
    if (p < end && *p == 'Z')
        p++;
    else if (p < end && (*p == '+' || *p == '-')) {
        int oh, om;
        sign = *p++ == '-' ? -1 : 1;
        if ((oh = digits(&p, end, 2)) < 0)
            return 0;
        if (p < end && *p == ':')
            p++;
        if ((om = digits(&p, end, 2)) < 0 || oh > 23 || om > 59)
            return 0;
        *ns -= sign * ((int64_t)oh * 3600 + om * 60) * 1000000000;
    }
    return p == end;
}

int fr__parse_time(const char *s, size_t n, int order, int64_t *ns, int *has_time) {
    const char *p = s, *end = s + n;
    int y, m, d;
    int64_t tod;
    if (n < 8)
        return 0;
    if (n >= 10 && isdig(s[0]) && isdig(s[1]) && isdig(s[2]) && isdig(s[3]) &&
        (s[4] == '-' || s[4] == '/')) {
        char sep = s[4];
        y = digits(&p, end, 4);
        p++;
        if ((m = digits(&p, end, 2)) < 0 || p >= end || *p++ != sep ||
            (d = digits(&p, end, 2)) < 0)
            return 0;
    } else if (order == FR_DATES_DMY || order == FR_DATES_MDY) {
        int a, b;
        char sep;
        if ((a = digits12(&p, end)) < 0 || p >= end)
            return 0;
        sep = *p++;
        if ((sep != '/' && sep != '.' && sep != '-') || (b = digits12(&p, end)) < 0 ||
            p >= end || *p++ != sep || (y = digits(&p, end, 4)) < 0)
            return 0;
        d = order == FR_DATES_DMY ? a : b;
        m = order == FR_DATES_DMY ? b : a;
    } else {
        return 0;
    }
    if (m < 1 || m > 12 || d < 1 || d > mdays(y, m))
        return 0;
    if (!parse_clock(p, end, &tod, has_time))
        return 0;
    *ns = days_from_civil(y, m, d) * FR_NS_PER_DAY + tod;
    return 1;
}

int fr_parse_time(const char *s, size_t n, int64_t *ns, int *has_time) {
    int64_t t;
    int ht;
    if (!fr__parse_time(s, n, FR_DATES_YMD, &t, &ht))
        return 0;
    *ns = t;
    *has_time = ht;
    return 1;
}

/* ---- strings ---- */

int fr__strs_push(fr__Strs *s, const char *p, size_t n, int64_t *off, mn_Err *e) {
    if (s->len + n + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 4096;
        char *a;
        while (cap < s->len + n + 1)
            cap *= 2;
        if ((a = mn_realloc(s->arena, cap)) == NULL)
            return mn_fail(e, MN_ENOMEM, "out of memory for strings (%zu bytes)", cap);
        s->arena = a;
        s->cap = cap;
    }
    memcpy(s->arena + s->len, p, n);
    s->arena[s->len + n] = '\0';
    *off = (int64_t)s->len;
    s->len += n + 1;
    return MN_OK;
}

void fr__strs_free(fr__Strs *s) {
    mn_free(s->arena);
    mn_free(s->off);
    memset(s, 0, sizeof *s);
}

int64_t fr__utf8_check(const char *s, size_t n) {
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    while (p < end) {
        unsigned c = *p;
        int k;
        uint32_t cp;
        if (c < 0x80) {
            p++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            k = 1;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            k = 2;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            k = 3;
            cp = c & 0x07;
        } else {
            return (int64_t)(p - (const unsigned char *)s);
        }
        if (end - p <= k)
            return (int64_t)(p - (const unsigned char *)s);
        for (int i = 1; i <= k; i++) {
            if ((p[i] & 0xC0) != 0x80)
                return (int64_t)(p - (const unsigned char *)s);
            cp = (cp << 6) | (p[i] & 0x3F);
        }
        if ((k == 2 && cp < 0x800) || (k == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return (int64_t)(p - (const unsigned char *)s);
        p += k + 1;
    }
    return -1;
}

/* Row i's string, or NULL when missing ('literal': quoted missing-looking strings count). */
static const char *row_str(const fr__Strs *s, int64_t i, int literal) {
    int64_t o = s->off[i];
    if (o >= 0)
        return s->arena + o;
    if (o <= -2 && literal)
        return s->arena + (-o - 2);
    return NULL;
}

static int build_time(const fr__Strs *s, int64_t n, int order, fr_Type t, fr_Column **out,
                      int64_t *bad_row, mn_Err *e) {
    fr_Column *c;
    int64_t *v;
    int rc = fr_col_new(t, n, &c, e);
    if (rc != MN_OK)
        return rc;
    v = fr_col_time(c);
    for (int64_t i = 0; i < n; i++) {
        const char *str = row_str(s, i, 0);
        int ht;
        int64_t ns;
        if (str == NULL)
            continue;
        if (!fr__parse_time(str, strlen(str), order, &ns, &ht)) {
            fr_col_unref(c);
            *bad_row = i;
            return mn_fail(e, MN_EPARSE, "'%.40s' is not a %s", str, fr_type_name(t));
        }
        if (t == FR_DATE) {            /* floor to midnight */
            int64_t d = ns / FR_NS_PER_DAY;
            if (ns % FR_NS_PER_DAY < 0)
                d--;
            ns = d * FR_NS_PER_DAY;
        }
        v[i] = ns;
    }
    *out = c;
    return MN_OK;
}

int fr__strs_column(const fr__Strs *s, int64_t n, const fr__Infer *how, int forced,
                    fr_Column **out, int64_t *bad_row, char *warn, size_t wsize, mn_Err *e) {
    int64_t nonmiss = 0, nlit = 0;
    int all_bool = 1, all_num = how->numeric, ok_iso = 1, ok_dmy = 1, ok_mdy = 1, any_time = 0;
    int order = how->dates, rc;
    fr_Column *c = NULL;
    fr_Type t;
    *bad_row = -1;
    if (warn != NULL && wsize > 0)
        warn[0] = '\0';
    if (how->no_dates)
        ok_iso = ok_dmy = ok_mdy = 0;
    if (forced < 0 || forced == FR_DATE || forced == FR_DATETIME) {
        for (int64_t i = 0; i < n; i++) {
            const char *str = row_str(s, i, 0);
            size_t len;
            int64_t ns;
            int ht = 0;
            double v;
            if (row_str(s, i, 1) != NULL)
                nlit++;
            if (str == NULL)
                continue;
            len = strlen(str);
            nonmiss++;
            if (all_bool && fr__parse_bool(str, len, 0) < 0)
                all_bool = 0;
            if (all_num && !fr__parse_num(str, len, how->dec, how->thou, &v))
                all_num = 0;
            if (ok_iso && !fr__parse_time(str, len, FR_DATES_YMD, &ns, &ht))
                ok_iso = 0;
            any_time |= ht;
            if (ok_dmy && !fr__parse_time(str, len, FR_DATES_DMY, &ns, &ht))
                ok_dmy = 0;
            any_time |= ht;
            if (ok_mdy && !fr__parse_time(str, len, FR_DATES_MDY, &ns, &ht))
                ok_mdy = 0;
            any_time |= ht;
            if (!all_bool && !all_num && !ok_iso && !ok_dmy && !ok_mdy && forced < 0)
                break;
        }
        if (order == FR_DATES_AUTO) {
            if (ok_iso)
                order = FR_DATES_YMD;
            else if (ok_dmy && !ok_mdy)
                order = FR_DATES_DMY;
            else if (ok_mdy && !ok_dmy)
                order = FR_DATES_MDY;
            else if (ok_dmy && ok_mdy && nonmiss > 0 && warn != NULL)
                snprintf(warn, wsize, "dates could be day/month or month/day; kept as strings "
                         "(pass dates = \"dmy\" or \"mdy\")");
        }
        if (forced >= 0)
            return build_time(s, n, order == FR_DATES_AUTO ? FR_DATES_DMY : order,
                              (fr_Type)forced, out, bad_row, e);
        if (nonmiss > 0 && all_bool)
            t = FR_BOOL;
        else if (nonmiss > 0 && all_num)
            t = FR_F64;
        else if (nonmiss > 0 && order != FR_DATES_AUTO &&
                 (order == FR_DATES_YMD ? ok_iso : order == FR_DATES_DMY ? ok_dmy : ok_mdy))
            return build_time(s, n, order, any_time ? FR_DATETIME : FR_DATE, out, bad_row, e);
        else
            t = FR_CAT;
    } else {
        t = (fr_Type)forced;
    }

    if (t == FR_F64 || t == FR_BOOL) {
        if ((rc = fr_col_new(t, n, &c, e)) != MN_OK)
            return rc;
        for (int64_t i = 0; i < n; i++) {
            const char *str = row_str(s, i, 0);
            double v;
            int b;
            if (str == NULL)
                continue;
            if (t == FR_F64) {
                if (!fr__parse_num(str, strlen(str), how->dec, how->thou, &v))
                    goto bad;
                fr_col_f64(c)[i] = v;
            } else {
                if ((b = fr__parse_bool(str, strlen(str), forced >= 0)) < 0)
                    goto bad;
                fr_col_bool(c)[i] = (int8_t)b;
            }
            continue;
        bad:
            fr_col_unref(c);
            *bad_row = i;
            return mn_fail(e, MN_EPARSE, "'%.40s' is not a %s", str,
                           t == FR_F64 ? "number" : "boolean");
        }
        *out = c;
        return MN_OK;
    }
    if (t == FR_CAT) {
        int64_t lim = forced >= 0 ? INT32_MAX - 2 : how->cat_max;
        if (forced < 0 && lim > (nlit / 2 > 20 ? nlit / 2 : 20))
            lim = nlit / 2 > 20 ? nlit / 2 : 20;
        if ((rc = fr_col_new(FR_CAT, n, &c, e)) != MN_OK)
            return rc;
        for (int64_t i = 0; i < n; i++) {
            const char *str = row_str(s, i, 1);
            int32_t code;
            if (str == NULL)
                continue;
            if ((rc = fr_cat_intern(c, str, strlen(str), &code, e)) != MN_OK) {
                fr_col_unref(c);
                return rc;
            }
            if (fr_cat_nlevels(c) > lim)
                break;
            fr_col_codes(c)[i] = code;
        }
        if (fr_cat_nlevels(c) <= lim) {
            *out = c;
            return MN_OK;
        }
        fr_col_unref(c);              /* too many levels: text */
    }
    if ((rc = fr_col_new(FR_TEXT, n, &c, e)) != MN_OK)
        return rc;
    for (int64_t i = 0; i < n; i++) {
        const char *str = row_str(s, i, 1);
        if (str == NULL)
            continue;
        if ((fr_col_text(c)[i] = mn_strdup(str)) == NULL) {
            fr_col_unref(c);
            return mn_fail(e, MN_ENOMEM, "out of memory for text");
        }
    }
    *out = c;
    return MN_OK;
}
