/* arch.c -- architectures as data (nn/arch.h): building, the text format's reader and writer,
** the reader of version-1 Lua table source, and graphs built from an architecture. Readers
** never evaluate anything and hold every count and size to the limits in arch.h. */
#include "nn/arch.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/mem.h"
#include "nn/nn_int.h"

/* ---- building ---- */

void nn_arch_init(nn_Arch *a) {
    memset(a, 0, sizeof *a);
    strcpy(a->kind, "functional");
    a->loss = -1;
}

void nn_arch_free(nn_Arch *a) {
    mn_free(a->nodes);
    nn_arch_init(a);
}

static int known_op(const char *op) {
    const char *const *names = nn_op_names();
    for (int i = 0; names[i] != NULL; i++)
        if (strcmp(names[i], op) == 0)
            return 1;
    return 0;
}

int nn_arch_add(nn_Arch *a, const char *op, const int *in, int nin, const nn_Attr *at,
                const char *label, mn_Err *e) {
    nn_ArchNode *n;
    char who[NN_ARCH_NAME + 16];
    int64_t size = 1;
    if (label != NULL && *label != '\0')
        snprintf(who, sizeof who, "%s", label);
    else
        snprintf(who, sizeof who, "node %d", a->nnodes);
    if (a->nnodes >= NN_ARCH_MAXNODES)
        return mn_fail(e, MN_EARG, "%s: more than %d nodes", who, NN_ARCH_MAXNODES);
    if (strlen(op) >= sizeof n->op || !known_op(op))
        return mn_fail(e, MN_EARG, "%s: unknown op '%s'", who, op);
    if (nin < 0 || nin > NN_ARCH_MAXIN)
        return mn_fail(e, MN_EARG, "%s: %d inputs (at most %d)", who, nin, NN_ARCH_MAXIN);
    for (int i = 0; i < nin; i++)
        if (in[i] < 0 || in[i] >= a->nnodes)
            return mn_fail(e, MN_EARG, "%s: input %d is not an earlier node", who, i + 1);
    if (at->units < 0 || at->units > NN_ARCH_MAXUNITS || at->n < 0 || at->n > NN_ARCH_MAXUNITS)
        return mn_fail(e, MN_EARG, "%s: units %lld, n %lld (each at most %lld)", who,
                       (long long)at->units, (long long)at->n, (long long)NN_ARCH_MAXUNITS);
    if (at->ndim < 0 || at->ndim > TN_MAXDIM - 1)
        return mn_fail(e, MN_EARG, "%s: a shape of %d dimensions (at most %d)", who, at->ndim,
                       TN_MAXDIM - 1);
    for (int i = 0; i < at->ndim; i++) {
        if (at->shape[i] < 1 || at->shape[i] > NN_ARCH_MAXUNITS)
            return mn_fail(e, MN_EARG, "%s: shape extent %lld (1 to %lld)", who,
                           (long long)at->shape[i], (long long)NN_ARCH_MAXUNITS);
        size *= at->shape[i];
        if (size > NN_ARCH_MAXSIZE)
            return mn_fail(e, MN_EARG, "%s: a shape of more than %lld elements", who,
                           (long long)NN_ARCH_MAXSIZE);
    }
    if (a->nnodes == a->cap) {
        int cap = a->cap ? 2 * a->cap : 16;
        nn_ArchNode *nodes = mn_realloc(a->nodes, (size_t)cap * sizeof *nodes);
        if (nodes == NULL)
            return mn_fail(e, MN_ENOMEM, "nn: out of memory");
        a->nodes = nodes;
        a->cap = cap;
    }
    n = &a->nodes[a->nnodes++];
    memset(n, 0, sizeof *n);
    snprintf(n->op, sizeof n->op, "%s", op);
    snprintf(n->label, sizeof n->label, "%s", label ? label : "");
    n->nin = nin;
    for (int i = 0; i < nin; i++)
        n->in[i] = in[i];
    n->a = *at;
    return MN_OK;
}

int nn_arch_output(nn_Arch *a, int id, mn_Err *e) {
    if (id < 0 || id >= a->nnodes)
        return mn_fail(e, MN_EARG, "nn: output %d is not a node", id);
    if (a->noutputs >= NN_ARCH_MAXOUT)
        return mn_fail(e, MN_EARG, "nn: more than %d outputs", NN_ARCH_MAXOUT);
    a->outputs[a->noutputs++] = id;
    return MN_OK;
}

/* ---- attributes: one table for the reader, the writer and the v1 reader ---- */

enum { T_INT, T_NUM, T_BOOL, T_STR, T_LIST };

typedef struct AttrDef {
    const char *key;
    int         type;
    const char *ops;          /* " op op " the attribute belongs to */
} AttrDef;

static const AttrDef attrs[] = {
    {"units", T_INT, " dense embedding "},
    {"n", T_INT, " embedding "},
    {"shape", T_LIST, " input target "},
    {"bias", T_BOOL, " dense "},
    {"init", T_STR, " dense embedding "},
    {"act", T_STR, " dense "},
    {"axis", T_INT, " concat "},
    {"slope", T_NUM, " leaky_relu "},
    {"alpha", T_NUM, " elu "},
    {"scale", T_NUM, " scale "},
    {"delta", T_NUM, " huber "},
    {"q", T_NUM, " quantile "},
    {"p", T_NUM, " dropout "},
    {"eps", T_NUM, " batchnorm layernorm "},
    {"momentum", T_NUM, " batchnorm "},
    {"pos_weight", T_NUM, " bce "},
    {NULL, 0, NULL}};

static const AttrDef *find_attr(const char *key) {
    for (int i = 0; attrs[i].key != NULL; i++)
        if (strcmp(attrs[i].key, key) == 0)
            return &attrs[i];
    return NULL;
}

static int attr_applies(const AttrDef *d, const char *op) {
    char pat[48];
    snprintf(pat, sizeof pat, " %s ", op);
    return strstr(d->ops, pat) != NULL;
}

static double *num_field(nn_Attr *a, const char *key) {
    if (strcmp(key, "slope") == 0) return &a->slope;
    if (strcmp(key, "alpha") == 0) return &a->alpha;
    if (strcmp(key, "scale") == 0) return &a->scale;
    if (strcmp(key, "delta") == 0) return &a->delta;
    if (strcmp(key, "q") == 0) return &a->q;
    if (strcmp(key, "p") == 0) return &a->p;
    if (strcmp(key, "eps") == 0) return &a->eps;
    if (strcmp(key, "momentum") == 0) return &a->momentum;
    return &a->pos_weight;
}

static int64_t *int_field(nn_Attr *a, const char *key) {
    return strcmp(key, "units") == 0 ? &a->units : &a->n;
}

static char *str_field(nn_Attr *a, const char *key) {
    return strcmp(key, "init") == 0 ? a->init : a->act;
}

/* ---- the text reader ---- */

typedef struct P {
    const char *s, *name;
    size_t      len, pos, bol;      /* bol: offset where the current line begins */
    int         line;
    mn_Err     *e;
} P;

static int perr(P *p, size_t at, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static int perr(P *p, size_t at, const char *fmt, ...) {
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return mn_fail(p->e, MN_EPARSE, "%s:%d:%zu: %s", p->name, p->line, at - p->bol + 1, msg);
}

static int at_eol(const P *p) { return p->pos >= p->len || p->s[p->pos] == '\n'; }

static void skip_blank(P *p) {
    while (p->pos < p->len && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' ||
                               p->s[p->pos] == '\r'))
        p->pos++;
    if (p->pos < p->len && p->s[p->pos] == '#')
        while (!at_eol(p))
            p->pos++;
}

static int is_word(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '.' || c == '-' || c == '+';
}

/* A bare token (letters, digits, _ . - + ,) into buf; 0 bytes when none is there. */
static int token(P *p, char *buf, size_t size, const char *what) {
    size_t n = 0, start = p->pos;
    while (p->pos < p->len && (is_word(p->s[p->pos]) || p->s[p->pos] == ',')) {
        if (n + 1 >= size)
            return perr(p, start, "expected %s (at most %zu bytes)", what, size - 1);
        buf[n++] = p->s[p->pos++];
    }
    buf[n] = '\0';
    if (n == 0)
        return perr(p, start, "expected %s", what);
    return MN_OK;
}

/* A "quoted" string with \" \\ \n escapes into buf. */
static int quoted(P *p, char *buf, size_t size, const char *what) {
    size_t n = 0, start = p->pos;
    p->pos++;
    for (;;) {
        char c;
        if (at_eol(p))
            return perr(p, start, "unterminated string (%s)", what);
        c = p->s[p->pos++];
        if (c == '"')
            break;
        if (c == '\\') {
            if (at_eol(p))
                return perr(p, p->pos, "expected an escape (\\\" \\\\ \\n)");
            c = p->s[p->pos++];
            if (c == 'n')
                c = '\n';
            else if (c != '"' && c != '\\')
                return perr(p, p->pos - 2, "unknown escape '\\%c' (\\\" \\\\ \\n)", c);
        }
        if (n + 1 >= size)
            return perr(p, start, "%s longer than %zu bytes", what, size - 1);
        buf[n++] = c;
    }
    buf[n] = '\0';
    return MN_OK;
}

static int read_int(P *p, size_t at, const char *tok, int64_t lo, int64_t hi, int64_t *out) {
    char *end;
    long long v;
    errno = 0;
    v = strtoll(tok, &end, 10);
    if (*end != '\0' || end == tok || errno == ERANGE)
        return perr(p, at, "expected an integer, got '%s'", tok);
    if (v < lo || v > hi)
        return perr(p, at, "%lld is out of range (%lld to %lld)", v, (long long)lo,
                    (long long)hi);
    *out = (int64_t)v;
    return MN_OK;
}

static int read_num(P *p, size_t at, const char *tok, double *out) {
    char *end;
    double v = strtod(tok, &end);
    if (*end != '\0' || end == tok || !isfinite(v))
        return perr(p, at, "expected a finite number, got '%s'", tok);
    *out = v;
    return MN_OK;
}

/* A comma list of integers in [lo, hi]: at most 'max' of them. */
static int read_list(P *p, size_t at, const char *tok, int64_t lo, int64_t hi, int64_t *v,
                     int max, int *n) {
    char item[32];
    const char *s = tok;
    *n = 0;
    while (*s) {
        size_t k = strcspn(s, ",");
        int64_t x;
        int rc;
        if (*n >= max)
            return perr(p, at, "more than %d values", max);
        if (k == 0 || k >= sizeof item)
            return perr(p, at + (size_t)(s - tok), "expected an integer");
        memcpy(item, s, k);
        item[k] = '\0';
        if ((rc = read_int(p, at + (size_t)(s - tok), item, lo, hi, &x)) != MN_OK)
            return rc;
        v[(*n)++] = x;
        s += k;
        if (*s == ',' && *++s == '\0')
            return perr(p, at + (size_t)(s - tok), "expected an integer after ','");
    }
    return MN_OK;
}

/* key=value: the key into 'key', the value (unquoted) into 'val', '*vat' its offset. */
static int keyval(P *p, char *key, size_t ksize, char *val, size_t vsize, size_t *vat) {
    int rc;
    size_t start = p->pos;
    if ((rc = token(p, key, ksize, "key=value")) != MN_OK)
        return rc;
    if (p->pos >= p->len || p->s[p->pos] != '=')
        return perr(p, start, "expected key=value, got '%s'", key);
    p->pos++;
    *vat = p->pos;
    if (p->pos < p->len && p->s[p->pos] == '"')
        return quoted(p, val, vsize, key);
    return token(p, val, vsize, "a value");
}

static int parse_bool(P *p, size_t at, const char *v, int *out) {
    if (strcmp(v, "true") == 0)
        *out = 1;
    else if (strcmp(v, "false") == 0)
        *out = 0;
    else
        return perr(p, at, "expected true or false, got '%s'", v);
    return MN_OK;
}

static int parse_node(P *p, nn_Arch *a) {
    char tok[64], key[32], val[256], op[32], label[NN_ARCH_NAME] = "";
    size_t at = p->pos, vat;
    int64_t id, in[NN_ARCH_MAXIN], shape[TN_MAXDIM];
    int nin = 0, rc, seen[32] = {0};
    nn_Attr at_;
    nn_attr_init(&at_);
    skip_blank(p);
    at = p->pos;
    if ((rc = token(p, tok, sizeof tok, "a node id")) != MN_OK ||
        (rc = read_int(p, at, tok, 0, NN_ARCH_MAXNODES, &id)) != MN_OK)
        return rc;
    if (id != a->nnodes)
        return perr(p, at, "expected node %d here (nodes are numbered in order), got %lld",
                    a->nnodes, (long long)id);
    skip_blank(p);
    at = p->pos;
    if ((rc = token(p, op, sizeof op, "an op name")) != MN_OK)
        return rc;
    if (!known_op(op))
        return perr(p, at, "unknown op '%s'", op);
    for (skip_blank(p); !at_eol(p); skip_blank(p)) {
        const AttrDef *d;
        at = p->pos;
        if ((rc = keyval(p, key, sizeof key, val, sizeof val, &vat)) != MN_OK)
            return rc;
        if (strcmp(key, "in") == 0) {
            int n;
            if ((rc = read_list(p, vat, val, 0, id - 1, in, NN_ARCH_MAXIN, &n)) != MN_OK)
                return rc;
            nin = n;
            continue;
        }
        if (strcmp(key, "label") == 0) {
            if (strlen(val) >= sizeof label)
                return perr(p, vat, "label longer than %zu bytes", sizeof label - 1);
            strcpy(label, val);
            continue;
        }
        if ((d = find_attr(key)) == NULL || !attr_applies(d, op))
            return perr(p, at, "unknown attribute '%s' for %s", key, op);
        if (seen[d - attrs]++)
            return perr(p, at, "attribute '%s' given twice", key);
        switch (d->type) {
        case T_INT:
            if (strcmp(key, "axis") == 0) {
                int64_t v;
                if ((rc = read_int(p, vat, val, -1, TN_MAXDIM, &v)) != MN_OK)
                    return rc;
                at_.axis = (int)v;
            } else if ((rc = read_int(p, vat, val, 1, NN_ARCH_MAXUNITS,
                                      int_field(&at_, key))) != MN_OK) {
                return rc;
            }
            break;
        case T_NUM:
            if ((rc = read_num(p, vat, val, num_field(&at_, key))) != MN_OK)
                return rc;
            break;
        case T_BOOL:
            if ((rc = parse_bool(p, vat, val, &at_.bias)) != MN_OK)
                return rc;
            break;
        case T_STR:
            if (strlen(val) >= sizeof at_.init)
                return perr(p, vat, "%s '%s' is too long", key, val);
            strcpy(str_field(&at_, key), val);
            if (strcmp(key, "init") == 0 && !nn_init_known(val))
                return perr(p, vat, "unknown init '%s' (default, glorot, he, orthogonal, "
                            "normal, zeros)", val);
            if (strcmp(key, "act") == 0 && strcmp(val, "relu") != 0)
                return perr(p, vat, "act may only be relu, got '%s'", val);
            break;
        default: {                                  /* T_LIST: shape */
            int n;
            if ((rc = read_list(p, vat, val, 1, NN_ARCH_MAXUNITS, shape, TN_MAXDIM - 1, &n))
                != MN_OK)
                return rc;
            at_.ndim = n;
            memcpy(at_.shape, shape, (size_t)n * sizeof *shape);
            break;
        }
        }
    }
    {
        int ins[NN_ARCH_MAXIN];
        for (int i = 0; i < nin; i++)
            ins[i] = (int)in[i];
        if ((rc = nn_arch_add(a, op, ins, nin, &at_, label, p->e)) != MN_OK) {
            if (rc != MN_ENOMEM)
                p->e->code = MN_EPARSE;             /* a limit, in a text being read */
            return mn_prefix(p->e, "%s:%d", p->name, p->line);
        }
    }
    return MN_OK;
}

static int parse_model(P *p, nn_Arch *a, int *ninputs) {
    char key[32], val[64];
    size_t vat, at;
    int rc;
    for (skip_blank(p); !at_eol(p); skip_blank(p)) {
        at = p->pos;
        if ((rc = keyval(p, key, sizeof key, val, sizeof val, &vat)) != MN_OK)
            return rc;
        if (strcmp(key, "kind") == 0) {
            if (strcmp(val, "sequential") != 0 && strcmp(val, "functional") != 0)
                return perr(p, vat, "kind must be sequential or functional, got '%s'", val);
            strcpy(a->kind, val);
        } else if (strcmp(key, "head") == 0) {
            if (strlen(val) >= sizeof a->head || (*val && !nn_op_is_loss(val)))
                return perr(p, vat, "head must be a loss name, got '%s'", val);
            strcpy(a->head, val);
        } else if (strcmp(key, "inputs") == 0) {
            int64_t v;
            if ((rc = read_int(p, vat, val, 0, NN_ARCH_MAXNODES, &v)) != MN_OK)
                return rc;
            *ninputs = (int)v;
        } else {
            return perr(p, at, "unknown model key '%s' (kind, head, inputs)", key);
        }
    }
    return MN_OK;
}

/* The checks that need the whole text: inputs, outputs and the loss refer to real nodes. */
static int finish(P *p, nn_Arch *a, int ninputs) {
    if (ninputs < 0) {                              /* no model line: the leading inputs */
        for (ninputs = 0; ninputs < a->nnodes && strcmp(a->nodes[ninputs].op, "input") == 0;)
            ninputs++;
    }
    if (ninputs > a->nnodes)
        return mn_fail(p->e, MN_EPARSE, "%s: inputs=%d but only %d nodes", p->name, ninputs,
                       a->nnodes);
    for (int i = 0; i < ninputs; i++)
        if (strcmp(a->nodes[i].op, "input") != 0)
            return mn_fail(p->e, MN_EPARSE, "%s: inputs=%d but node %d is %s, not input",
                           p->name, ninputs, i, a->nodes[i].op);
    a->ninputs = ninputs;
    if (a->noutputs == 0)
        return mn_fail(p->e, MN_EPARSE, "%s: no output line (expected 'output <node id>')",
                       p->name);
    return MN_OK;
}

int nn_arch_parse(const char *text, size_t len, const char *name, nn_Arch *out, mn_Err *e) {
    P p = {text, name, len, 0, 0, 1, e};
    nn_Arch a;
    int rc = MN_OK, header = 0, ninputs = -1;
    nn_arch_init(&a);
    nn_arch_init(out);
    for (; p.pos <= p.len && rc == MN_OK; p.line++) {
        char word[32];
        size_t at;
        p.bol = p.pos;
        skip_blank(&p);
        if (at_eol(&p))
            goto next;
        at = p.pos;
        if (!header && !is_word(p.s[p.pos])) {
            rc = perr(&p, at, "expected 'moneta.nn.arch %d' (not an architecture)",
                      NN_ARCH_VERSION);
            break;
        }
        if ((rc = token(&p, word, sizeof word, "a statement")) != MN_OK)
            break;
        if (!header) {
            int64_t v;
            char num[32];
            if (strcmp(word, "moneta.nn.arch") != 0) {
                rc = perr(&p, at, "expected 'moneta.nn.arch %d' (not an architecture)",
                          NN_ARCH_VERSION);
                break;
            }
            skip_blank(&p);
            at = p.pos;
            if ((rc = token(&p, num, sizeof num, "a version")) != MN_OK ||
                (rc = read_int(&p, at, num, 0, INT32_MAX, &v)) != MN_OK)
                break;
            if (v != NN_ARCH_VERSION) {
                rc = perr(&p, at, "architecture version %lld; this moneta reads version %d",
                          (long long)v, NN_ARCH_VERSION);
                break;
            }
            header = 1;
        } else if (strcmp(word, "model") == 0) {
            rc = parse_model(&p, &a, &ninputs);
        } else if (strcmp(word, "node") == 0) {
            rc = parse_node(&p, &a);
        } else if (strcmp(word, "output") == 0 || strcmp(word, "loss") == 0) {
            char num[32];
            int64_t id;
            skip_blank(&p);
            at = p.pos;
            if ((rc = token(&p, num, sizeof num, "a node id")) != MN_OK ||
                (rc = read_int(&p, at, num, 0, a.nnodes - 1, &id)) != MN_OK)
                break;
            if (word[0] == 'l')
                a.loss = (int)id;
            else if (a.noutputs >= NN_ARCH_MAXOUT)
                rc = perr(&p, at, "more than %d outputs", NN_ARCH_MAXOUT);
            else
                a.outputs[a.noutputs++] = (int)id;
        } else {
            rc = perr(&p, at, "expected a statement (model, node, output, loss), got '%s'",
                      word);
        }
        if (rc != MN_OK)
            break;
        skip_blank(&p);
        if (!at_eol(&p)) {
            rc = perr(&p, p.pos, "expected the end of the line");
            break;
        }
    next:
        while (!at_eol(&p))
            p.pos++;
        p.pos++;                                    /* past the newline (or the end) */
    }
    if (rc == MN_OK && !header)
        rc = mn_fail(e, MN_EPARSE, "%s: empty (expected 'moneta.nn.arch %d')", name,
                     NN_ARCH_VERSION);
    if (rc == MN_OK)
        rc = finish(&p, &a, ninputs);
    if (rc != MN_OK) {
        nn_arch_free(&a);
        return rc;
    }
    *out = a;
    return MN_OK;
}

/* ---- the text writer ---- */

static void put_quoted(mn_Buf *b, const char *s) {
    mn_buf_printf(b, "\"");
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            mn_buf_printf(b, "\\%c", *s);
        else if (*s == '\n')
            mn_buf_printf(b, "\\n");
        else
            mn_buf_printf(b, "%c", *s);
    }
    mn_buf_printf(b, "\"");
}

static void put_attrs(mn_Buf *b, const nn_ArchNode *n) {
    nn_Attr a = n->a;
    for (const AttrDef *d = attrs; d->key != NULL; d++) {
        if (!attr_applies(d, n->op))
            continue;
        switch (d->type) {
        case T_INT:
            if (strcmp(d->key, "axis") == 0)
                mn_buf_printf(b, " axis=%d", a.axis);
            else
                mn_buf_printf(b, " %s=%lld", d->key, (long long)*int_field(&a, d->key));
            break;
        case T_NUM: {
            double v = *num_field(&a, d->key);
            if (!isnan(v))
                mn_buf_printf(b, " %s=%.17g", d->key, v);
            break;
        }
        case T_BOOL:
            mn_buf_printf(b, " bias=%s", a.bias ? "true" : "false");
            break;
        case T_STR:
            if (*str_field(&a, d->key))
                mn_buf_printf(b, " %s=%s", d->key, str_field(&a, d->key));
            break;
        default:
            mn_buf_printf(b, " shape=");
            for (int i = 0; i < a.ndim; i++)
                mn_buf_printf(b, "%s%lld", i ? "," : "", (long long)a.shape[i]);
            break;
        }
    }
}

int nn_arch_write(const nn_Arch *a, char **out, size_t *len, mn_Err *e) {
    mn_Buf b = MN_BUF_INIT;
    mn_buf_printf(&b, "moneta.nn.arch %d\n", NN_ARCH_VERSION);
    mn_buf_printf(&b, "model kind=%s", a->kind);
    if (a->head[0])
        mn_buf_printf(&b, " head=%s", a->head);
    mn_buf_printf(&b, " inputs=%d\n", a->ninputs);
    for (int i = 0; i < a->nnodes; i++) {
        const nn_ArchNode *n = &a->nodes[i];
        mn_buf_printf(&b, "node %d %s", i, n->op);
        if (n->nin > 0) {
            mn_buf_printf(&b, " in=");
            for (int k = 0; k < n->nin; k++)
                mn_buf_printf(&b, "%s%d", k ? "," : "", n->in[k]);
        }
        put_attrs(&b, n);
        if (n->label[0]) {
            mn_buf_printf(&b, " label=");
            put_quoted(&b, n->label);
        }
        mn_buf_printf(&b, "\n");
    }
    for (int k = 0; k < a->noutputs; k++)
        mn_buf_printf(&b, "output %d\n", a->outputs[k]);
    if (a->loss >= 0)
        mn_buf_printf(&b, "loss %d\n", a->loss);
    if (b.oom) {
        mn_free(b.s);
        return mn_fail(e, MN_ENOMEM, "nn: out of memory writing the architecture");
    }
    *out = b.s;
    *len = b.len;
    return MN_OK;
}

/* ---- graphs ---- */

int nn_arch_from_graph(const nn_Graph *g, nn_Arch *out, mn_Err *e) {
    nn_Arch a;
    int rc;
    nn_arch_init(&a);
    for (int i = 0; i < g->n; i++) {
        const nn__Node *n = &g->nodes[i];
        if ((rc = nn_arch_add(&a, n->op->name, n->in, n->nin, &n->a, n->label, e)) != MN_OK)
            goto fail;
        if (n->op->flags & NN__INPUT && a.ninputs == i)
            a.ninputs++;
    }
    for (int k = 0; k < g->noutputs; k++)
        if ((rc = nn_arch_output(&a, g->outputs[k], e)) != MN_OK)
            goto fail;
    a.loss = g->loss;
    *out = a;
    return MN_OK;
fail:
    nn_arch_free(&a);
    return rc;
}

static int64_t sat_add(int64_t a, int64_t b) { return a > INT64_MAX - b ? INT64_MAX : a + b; }

int nn_graph_from_arch(const nn_Arch *a, nn_Graph **out, int64_t *nparams, int64_t *nstate,
                       mn_Err *e) {
    nn_Graph *g = NULL;
    int64_t np = 0, ns = 0, total = 0;
    int rc, id;
    if ((rc = nn_graph_new(&g, e)) != MN_OK)
        return rc;
    for (int i = 0; i < a->nnodes; i++) {
        const nn_ArchNode *n = &a->nodes[i];
        const nn__Node *gn;
        if ((rc = nn_graph_add(g, n->op, n->in, n->nin, &n->a, n->label[0] ? n->label : NULL,
                               &id, e)) != MN_OK)
            goto fail;
        gn = &g->nodes[id];
        if (gn->size > NN_ARCH_MAXSIZE) {
            rc = mn_fail(e, MN_ESHAPE, "%s: %lld values per sample (at most %lld)", gn->label,
                         (long long)gn->size, (long long)NN_ARCH_MAXSIZE);
            goto fail;
        }
        total += gn->size;
        if (total > NN_ARCH_MAXTOTAL) {
            rc = mn_fail(e, MN_ESHAPE, "%s: the nodes so far hold more than %lld values per "
                         "sample", gn->label, (long long)NN_ARCH_MAXTOTAL);
            goto fail;
        }
        np = sat_add(np, gn->np);
        ns = sat_add(ns, gn->ns);
    }
    for (int k = 0; k < a->noutputs; k++)
        if ((rc = nn_graph_output(g, a->outputs[k], e)) != MN_OK)
            goto fail;
    if (a->loss >= 0 && (rc = nn_graph_set_loss(g, a->loss, e)) != MN_OK)
        goto fail;
    if (nparams)
        *nparams = np;
    if (nstate)
        *nstate = ns;
    *out = g;
    return MN_OK;
fail:
    nn_graph_free(g);
    return rc;
}

/* ---- version 1: the Lua table source lua/moneta/nn.lua's serialize() wrote ----
** Only the literal subset that function produced is read: tables of positional items and
** name= / ["string"]= keys, strings in %q form, integers, floats and booleans. Values are
** parsed into a small tree first, then mapped onto an nn_Arch. */

#define V1_MAXDEPTH 8

typedef struct LV LV;
typedef struct LEnt {
    char *key;                      /* NULL: positional */
    LV   *v;
} LEnt;
struct LV {
    char    t;                      /* 'i' integer, 'f' float, 's' string, 'b' boolean, 't' */
    int     line, col;
    int64_t i;
    double  f;
    char   *s;
    LEnt   *ents;
    int     nents, cap;
};

typedef struct LP {
    const char *s, *name;
    size_t      len, pos, bol;
    int         line;
    mn_Err     *e;
    int         bad;
} LP;

static void lv_free(LV *v) {
    if (v == NULL)
        return;
    for (int i = 0; i < v->nents; i++) {
        mn_free(v->ents[i].key);
        lv_free(v->ents[i].v);
    }
    mn_free(v->ents);
    mn_free(v->s);
    mn_free(v);
}

static int lerr(LP *p, int line, int col, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
static int lerr(LP *p, int line, int col, const char *fmt, ...) {
    char msg[200];
    va_list ap;
    if (p->bad)
        return p->e->code;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    p->bad = 1;
    return mn_fail(p->e, MN_EPARSE, "%s:%d:%d: %s", p->name, line, col, msg);
}

static int lcol(const LP *p) { return (int)(p->pos - p->bol + 1); }

static void lskip(LP *p) {
    while (p->pos < p->len) {
        char c = p->s[p->pos];
        if (c == '\n') {
            p->line++;
            p->bol = ++p->pos;
        } else if (c == ' ' || c == '\t' || c == '\r') {
            p->pos++;
        } else {
            break;
        }
    }
}

static LV *lnew(LP *p, char t) {
    LV *v = mn_calloc(1, sizeof *v);
    if (v == NULL) {
        if (!p->bad)
            mn_fail(p->e, MN_ENOMEM, "nn: out of memory reading the architecture");
        p->bad = 1;
        return NULL;
    }
    v->t = t;
    v->line = p->line;
    v->col = lcol(p);
    return v;
}

/* A %q string: "..." with \\ \" \n \<newline> \r \t \ddd escapes. */
static char *lstring(LP *p) {
    mn_Buf b = MN_BUF_INIT;
    int line = p->line, col = lcol(p);
    p->pos++;
    for (;;) {
        char c;
        if (p->pos >= p->len) {
            lerr(p, line, col, "unterminated string");
            break;
        }
        c = p->s[p->pos++];
        if (c == '"')
            break;
        if (c == '\n') {
            lerr(p, line, col, "unterminated string");
            break;
        }
        if (c == '\\' && p->pos < p->len) {
            c = p->s[p->pos++];
            if (c == 'n' || c == '\n') {
                if (c == '\n') {
                    p->line++;
                    p->bol = p->pos;
                }
                c = '\n';
            } else if (c == 'r') {
                c = '\r';
            } else if (c == 't') {
                c = '\t';
            } else if (c >= '0' && c <= '9') {
                int d = c - '0';
                for (int k = 0; k < 2 && p->pos < p->len && p->s[p->pos] >= '0' &&
                                p->s[p->pos] <= '9'; k++)
                    d = d * 10 + (p->s[p->pos++] - '0');
                if (d > 255) {
                    lerr(p, p->line, lcol(p), "escape \\%d is over 255", d);
                    break;
                }
                c = (char)d;
            } else if (c != '"' && c != '\\' && c != '\'') {
                lerr(p, p->line, lcol(p) - 2, "unknown escape '\\%c'", c);
                break;
            }
        }
        mn_buf_printf(&b, "%c", c);
        if (b.oom) {
            lerr(p, line, col, "out of memory");
            break;
        }
    }
    if (p->bad) {
        mn_free(b.s);
        return NULL;
    }
    if (b.s == NULL)
        mn_buf_printf(&b, "%s", "");
    return b.s;
}

static LV *lvalue(LP *p, int depth);

static LV *ltable(LP *p, int depth) {
    LV *t = lnew(p, 't');
    if (t == NULL)
        return NULL;
    if (depth > V1_MAXDEPTH) {
        lerr(p, p->line, lcol(p), "tables nested deeper than %d", V1_MAXDEPTH);
        lv_free(t);
        return NULL;
    }
    p->pos++;                                       /* { */
    for (;;) {
        char *key = NULL;
        LV *v;
        lskip(p);
        if (p->pos >= p->len) {
            lerr(p, t->line, t->col, "unterminated table (expected '}')");
            break;
        }
        if (p->s[p->pos] == '}') {
            p->pos++;
            return t;
        }
        if (p->s[p->pos] == '[') {                  /* ["key"] = */
            p->pos++;
            lskip(p);
            if (p->pos >= p->len || p->s[p->pos] != '"') {
                lerr(p, p->line, lcol(p), "expected a string key");
                break;
            }
            if ((key = lstring(p)) == NULL)
                break;
            lskip(p);
            if (p->pos >= p->len || p->s[p->pos] != ']') {
                lerr(p, p->line, lcol(p), "expected ']'");
                mn_free(key);
                break;
            }
            p->pos++;
            lskip(p);
            if (p->pos >= p->len || p->s[p->pos] != '=') {
                lerr(p, p->line, lcol(p), "expected '='");
                mn_free(key);
                break;
            }
            p->pos++;
        } else if ((p->s[p->pos] >= 'a' && p->s[p->pos] <= 'z') ||
                   (p->s[p->pos] >= 'A' && p->s[p->pos] <= 'Z') || p->s[p->pos] == '_') {
            size_t start = p->pos, save_bol = p->bol;
            int save_line = p->line;
            while (p->pos < p->len && (is_word(p->s[p->pos]) && p->s[p->pos] != '.' &&
                                       p->s[p->pos] != '-' && p->s[p->pos] != '+'))
                p->pos++;
            lskip(p);
            if (p->pos < p->len && p->s[p->pos] == '=') {
                size_t n = 0;
                while (start + n < p->len && (is_word(p->s[start + n]) &&
                                              p->s[start + n] != '.' &&
                                              p->s[start + n] != '-' && p->s[start + n] != '+'))
                    n++;
                if ((key = mn_malloc(n + 1)) == NULL) {
                    lerr(p, p->line, lcol(p), "out of memory");
                    break;
                }
                memcpy(key, p->s + start, n);
                key[n] = '\0';
                p->pos++;
            } else {                                /* a bare word value (true, false) */
                p->pos = start;
                p->bol = save_bol;
                p->line = save_line;
            }
        }
        lskip(p);
        if ((v = lvalue(p, depth + 1)) == NULL) {
            mn_free(key);
            break;
        }
        if (t->nents == t->cap) {
            int cap = t->cap ? 2 * t->cap : 8;
            LEnt *ents = mn_realloc(t->ents, (size_t)cap * sizeof *ents);
            if (ents == NULL) {
                lerr(p, p->line, lcol(p), "out of memory");
                mn_free(key);
                lv_free(v);
                break;
            }
            t->ents = ents;
            t->cap = cap;
        }
        t->ents[t->nents].key = key;
        t->ents[t->nents++].v = v;
        lskip(p);
        if (p->pos < p->len && (p->s[p->pos] == ',' || p->s[p->pos] == ';'))
            p->pos++;
        else if (p->pos < p->len && p->s[p->pos] != '}') {
            lerr(p, p->line, lcol(p), "expected ',' or '}'");
            break;
        }
    }
    lv_free(t);
    return NULL;
}

static LV *lvalue(LP *p, int depth) {
    LV *v;
    char c;
    lskip(p);
    if (p->pos >= p->len) {
        lerr(p, p->line, lcol(p), "expected a value");
        return NULL;
    }
    c = p->s[p->pos];
    if (c == '{')
        return ltable(p, depth);
    if ((v = lnew(p, 's')) == NULL)
        return NULL;
    if (c == '"') {
        if ((v->s = lstring(p)) == NULL) {
            lv_free(v);
            return NULL;
        }
        return v;
    }
    if ((c >= '0' && c <= '9') || c == '-' || c == '.') {
        char buf[64], *end;
        size_t n = 0;
        while (p->pos < p->len && is_word(p->s[p->pos]) && n + 1 < sizeof buf)
            buf[n++] = p->s[p->pos++];
        buf[n] = '\0';
        errno = 0;
        v->i = strtoll(buf, &end, 10);
        if (*end == '\0' && errno == 0) {
            v->t = 'i';
            return v;
        }
        v->f = strtod(buf, &end);
        if (*end == '\0' && isfinite(v->f)) {
            v->t = 'f';
            return v;
        }
        lerr(p, v->line, v->col, "expected a number, got '%s'", buf);
        lv_free(v);
        return NULL;
    }
    if (p->len - p->pos >= 4 && memcmp(p->s + p->pos, "true", 4) == 0) {
        v->t = 'b';
        v->i = 1;
        p->pos += 4;
        return v;
    }
    if (p->len - p->pos >= 5 && memcmp(p->s + p->pos, "false", 5) == 0) {
        v->t = 'b';
        p->pos += 5;
        return v;
    }
    lerr(p, v->line, v->col, "expected a value (a table, string, number or boolean)");
    lv_free(v);
    return NULL;
}

/* Mapping the tree onto an nn_Arch. */

static const LV *lget(const LV *t, const char *key) {
    for (int i = 0; i < t->nents; i++)
        if (t->ents[i].key && strcmp(t->ents[i].key, key) == 0)
            return t->ents[i].v;
    return NULL;
}

static int lwant(LP *p, const LV *v, char t, const char *what) {
    static const char *const names[] = {"an integer", "a number", "a string", "a boolean",
                                        "a table"};
    const char *ts = "ifsbt";
    if (v->t == t || (t == 'f' && v->t == 'i'))
        return MN_OK;
    return lerr(p, v->line, v->col, "%s: expected %s", what, names[strchr(ts, t) - ts]);
}

static double lnum(const LV *v) { return v->t == 'i' ? (double)v->i : v->f; }

/* A list of positional integers (1-based in v1) into v[], at most 'max'. */
static int lints(LP *p, const LV *t, const char *what, int64_t *v, int max, int *n) {
    int rc;
    if ((rc = lwant(p, t, 't', what)) != MN_OK)
        return rc;
    *n = 0;
    for (int i = 0; i < t->nents; i++) {
        const LV *x = t->ents[i].v;
        if (t->ents[i].key != NULL || *n >= max)
            return lerr(p, x->line, x->col, "%s: expected at most %d integers", what, max);
        if ((rc = lwant(p, x, 'i', what)) != MN_OK)
            return rc;
        v[(*n)++] = x->i;
    }
    return MN_OK;
}

static int v1_node(LP *p, const LV *t, nn_Arch *a) {
    char op[16] = "", label[NN_ARCH_NAME] = "";
    int64_t ins[NN_ARCH_MAXIN] = {0};
    int in[NN_ARCH_MAXIN], nin = 0, rc;
    nn_Attr at;
    const LV *v;
    nn_attr_init(&at);
    if ((rc = lwant(p, t, 't', "node")) != MN_OK)
        return rc;
    if ((v = lget(t, "op")) == NULL)
        return lerr(p, t->line, t->col, "node %d has no op", a->nnodes + 1);
    if ((rc = lwant(p, v, 's', "op")) != MN_OK)
        return rc;
    if (strlen(v->s) >= sizeof op || !known_op(v->s))
        return lerr(p, v->line, v->col, "unknown op '%s'", v->s);
    strcpy(op, v->s);
    for (int i = 0; i < t->nents; i++) {
        const char *k = t->ents[i].key;
        const AttrDef *d;
        v = t->ents[i].v;
        if (k == NULL)
            return lerr(p, v->line, v->col, "node %d: a value without a key", a->nnodes + 1);
        if (strcmp(k, "op") == 0)
            continue;
        if (strcmp(k, "label") == 0) {
            if ((rc = lwant(p, v, 's', k)) != MN_OK)
                return rc;
            snprintf(label, sizeof label, "%s", v->s);
            continue;
        }
        if (strcmp(k, "inputs") == 0) {
            if ((rc = lints(p, v, k, ins, NN_ARCH_MAXIN, &nin)) != MN_OK)
                return rc;
            for (int j = 0; j < nin; j++) {
                if (ins[j] < 1 || ins[j] > a->nnodes)
                    return lerr(p, v->line, v->col, "inputs: %lld is not an earlier node",
                                (long long)ins[j]);
                in[j] = (int)ins[j] - 1;
            }
            continue;
        }
        if (strcmp(k, "alpha") == 0) {              /* v1's one name for five attributes */
            k = strcmp(op, "leaky_relu") == 0 ? "slope" : strcmp(op, "scale") == 0 ? "scale"
              : strcmp(op, "huber") == 0 ? "delta" : strcmp(op, "quantile") == 0 ? "q"
              : "alpha";
        }
        if ((d = find_attr(k)) == NULL || !attr_applies(d, op)) {
            /* v1 wrote every key a layer spec had, used or not: ignore the harmless ones */
            if (d != NULL || strcmp(k, "n") == 0)
                continue;
            return lerr(p, v->line, v->col, "unknown key '%s' for %s", k, op);
        }
        switch (d->type) {
        case T_INT:
            if ((rc = lwant(p, v, 'i', k)) != MN_OK)
                return rc;
            if (strcmp(k, "axis") == 0)
                at.axis = (int)(v->i < -1 ? -1 : v->i > TN_MAXDIM ? TN_MAXDIM : v->i);
            else if (v->i < 1 || v->i > NN_ARCH_MAXUNITS)
                return lerr(p, v->line, v->col, "%s: %lld is out of range (1 to %lld)", k,
                            (long long)v->i, (long long)NN_ARCH_MAXUNITS);
            else
                *int_field(&at, k) = v->i;
            break;
        case T_NUM:
            if ((rc = lwant(p, v, 'f', k)) != MN_OK)
                return rc;
            *num_field(&at, k) = lnum(v);
            break;
        case T_BOOL:
            if ((rc = lwant(p, v, 'b', k)) != MN_OK)
                return rc;
            at.bias = (int)v->i;
            break;
        case T_STR:
            if ((rc = lwant(p, v, 's', k)) != MN_OK)
                return rc;
            if (strlen(v->s) >= sizeof at.init ||
                (strcmp(k, "init") == 0 && !nn_init_known(v->s)))
                return lerr(p, v->line, v->col, "%s: unknown value '%s'", k, v->s);
            strcpy(str_field(&at, k), v->s);
            break;
        default: {
            int n;
            if ((rc = lints(p, v, k, at.shape, TN_MAXDIM - 1, &n)) != MN_OK)
                return rc;
            at.ndim = n;
            break;
        }
        }
    }
    if ((rc = nn_arch_add(a, op, in, nin, &at, label, p->e)) != MN_OK) {
        p->bad = 1;
        if (rc != MN_ENOMEM)
            p->e->code = MN_EPARSE;
        return mn_prefix(p->e, "%s:%d:%d", p->name, t->line, t->col);
    }
    return MN_OK;
}

static int v1_map(LP *p, const LV *top, nn_Arch *a) {
    const LV *v, *nodes;
    int rc;
    if ((rc = lwant(p, top, 't', "the architecture")) != MN_OK)
        return rc;
    for (int i = 0; i < top->nents; i++) {
        static const char *const known[] = {"version", "kind", "head", "nodes", "outputs",
                                            "ninputs", NULL};
        const char *k = top->ents[i].key;
        int ok = 0;
        for (int j = 0; k && known[j]; j++)
            ok |= strcmp(k, known[j]) == 0;
        if (!ok)
            return lerr(p, top->ents[i].v->line, top->ents[i].v->col, "unknown key '%s' "
                        "(version, kind, head, nodes, outputs, ninputs)", k ? k : "[1]");
    }
    if ((v = lget(top, "version")) != NULL &&
        ((rc = lwant(p, v, 'i', "version")) != MN_OK || v->i != 1))
        return rc != MN_OK ? rc : lerr(p, v->line, v->col, "version %lld, expected 1",
                                       (long long)v->i);
    if ((v = lget(top, "kind")) != NULL) {
        if ((rc = lwant(p, v, 's', "kind")) != MN_OK)
            return rc;
        if (strcmp(v->s, "sequential") != 0 && strcmp(v->s, "functional") != 0)
            return lerr(p, v->line, v->col, "kind must be sequential or functional");
        strcpy(a->kind, v->s);
    }
    if ((v = lget(top, "head")) != NULL) {
        if ((rc = lwant(p, v, 's', "head")) != MN_OK)
            return rc;
        if (strlen(v->s) >= sizeof a->head || !nn_op_is_loss(v->s))
            return lerr(p, v->line, v->col, "head must be a loss name, got '%s'", v->s);
        strcpy(a->head, v->s);
    }
    if ((nodes = lget(top, "nodes")) == NULL)
        return lerr(p, top->line, top->col, "no nodes");
    if ((rc = lwant(p, nodes, 't', "nodes")) != MN_OK)
        return rc;
    for (int i = 0; i < nodes->nents; i++) {
        if (nodes->ents[i].key != NULL)
            return lerr(p, nodes->ents[i].v->line, nodes->ents[i].v->col,
                        "nodes: expected a list");
        if ((rc = v1_node(p, nodes->ents[i].v, a)) != MN_OK)
            return rc;
    }
    a->ninputs = 1;
    if ((v = lget(top, "ninputs")) != NULL) {
        if ((rc = lwant(p, v, 'i', "ninputs")) != MN_OK)
            return rc;
        if (v->i < 0 || v->i > a->nnodes)
            return lerr(p, v->line, v->col, "ninputs %lld for %d nodes", (long long)v->i,
                        a->nnodes);
        a->ninputs = (int)v->i;
    }
    for (int i = 0; i < a->ninputs; i++)
        if (strcmp(a->nodes[i].op, "input") != 0)
            return lerr(p, top->line, top->col, "node %d should be an input", i + 1);
    if ((v = lget(top, "outputs")) == NULL)
        return lerr(p, top->line, top->col, "no outputs");
    {
        int64_t outs[NN_ARCH_MAXOUT];
        int n;
        if ((rc = lints(p, v, "outputs", outs, NN_ARCH_MAXOUT, &n)) != MN_OK)
            return rc;
        if (n == 0)
            return lerr(p, v->line, v->col, "no outputs");
        for (int k = 0; k < n; k++) {
            if (outs[k] < 1 || outs[k] > a->nnodes)
                return lerr(p, v->line, v->col, "outputs: %lld is not a node",
                            (long long)outs[k]);
            a->outputs[a->noutputs++] = (int)outs[k] - 1;
        }
    }
    return MN_OK;
}

int nn_arch_parse_v1(const char *text, size_t len, const char *name, nn_Arch *out,
                     mn_Err *e) {
    LP p = {text, name, len, 0, 0, 1, e, 0};
    nn_Arch a;
    LV *top;
    int rc;
    nn_arch_init(&a);
    nn_arch_init(out);
    lskip(&p);
    if (p.pos >= p.len || p.s[p.pos] != '{')
        return lerr(&p, p.line, lcol(&p), "expected '{' (a version-1 architecture table)");
    if ((top = ltable(&p, 0)) == NULL)
        return e->code;
    lskip(&p);
    if (p.pos < p.len)
        rc = lerr(&p, p.line, lcol(&p), "expected the end after the table");
    else
        rc = v1_map(&p, top, &a);
    lv_free(top);
    if (rc != MN_OK) {
        nn_arch_free(&a);
        return rc;
    }
    *out = a;
    return MN_OK;
}
