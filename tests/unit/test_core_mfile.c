/* test_core_mfile.c -- the model-file container (core/mfile): round trips of every part,
** the CRC-32 check value, and files that are corrupt, truncated or crafted to make the reader
** allocate: each refused with a clear message before anything large is allocated. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "core/mem.h"
#include "core/mfile.h"

static char path_buf[512];
static const char *path(void) {
    const char *d = getenv("TMPDIR");
    snprintf(path_buf, sizeof path_buf, "%s/moneta-test-mfile-%ld.mdl", d && *d ? d : "/tmp",
             (long)getpid());
    return path_buf;
}

/* Little-endian bytes into a growing buffer, and the file with its CRC appended. */
typedef struct Bytes {
    unsigned char b[4096];
    size_t n;
} Bytes;
static void put(Bytes *w, uint64_t v, int bytes) {
    for (int i = 0; i < bytes; i++)
        w->b[w->n++] = (unsigned char)(v >> (8 * i));
}
static void put_s(Bytes *w, const char *s) {
    memcpy(w->b + w->n, s, strlen(s));
    w->n += strlen(s);
}
static void save(Bytes *w, int crc) {
    FILE *f = fopen(path(), "wb");
    if (crc)
        put(w, mn_crc32(0, w->b, w->n), 4);
    CHECK(f != NULL && fwrite(w->b, 1, w->n, f) == w->n);
    if (f)
        fclose(f);
}
/* A header as mn_mfile_write lays it out (core/mfile.h). */
static void header(Bytes *w, const char *kind, uint32_t nar, uint64_t olen, uint64_t plen) {
    w->n = 0;
    put_s(w, MN_MFILE_MAGIC);
    put(w, MN_MFILE_VERSION, 4);
    put(w, strlen(kind), 4);
    put(w, 7, 4);
    put(w, nar, 4);
    put(w, olen, 8);
    put(w, plen, 8);
    put_s(w, kind);
}

static void mfile_crc_check_value(void) {                 /* mfile-1.1 */
    /* the CRC-32 check value of "123456789" (IEEE 802.3 / zlib): 0xCBF43926 */
    CHECK(mn_crc32(0, "123456789", 9) == 0xCBF43926u);
    CHECK(mn_crc32(mn_crc32(0, "1234", 4), "56789", 5) == 0xCBF43926u);   /* in chunks */
}

static void mfile_round_trip(void) {                      /* mfile-1.2 */
    mn_Err e = {0};
    mn_MFile w, r;
    float f32[3] = {1.5f, -0.0f, 3.25e-7f};
    double f64[2] = {0.1, -1e300};
    const mn_MArray *a;
    char kind[MN_MFILE_KINDMAX];
    uint32_t kv = 0;
    memset(&w, 0, sizeof w);
    strcpy(w.kind, "ts.garch");
    w.kind_version = 3;
    w.options = (char *)"p=1 q=1";
    w.options_len = 7;
    w.arrays[0] = (mn_MArray){"coef", MN_F64, 2, f64};
    w.arrays[1] = (mn_MArray){"w", MN_F32, 3, f32};
    w.arrays[2] = (mn_MArray){"empty", MN_F32, 0, NULL};
    w.narrays = 3;
    w.prep = (char *)"blob\0with nul";
    w.prep_len = 13;
    CHECK_OK(mn_mfile_write(path(), &w, &e), &e);
    CHECK_OK(mn_mfile_read(path(), &r, &e), &e);
    CHECK(strcmp(r.kind, "ts.garch") == 0 && r.kind_version == 3);
    CHECK(r.options_len == 7 && strcmp(r.options, "p=1 q=1") == 0);
    CHECK(r.prep_len == 13 && r.prep && memcmp(r.prep, "blob\0with nul", 13) == 0);
    CHECK(r.narrays == 3);
    a = mn_mfile_array(&r, "coef");
    CHECK(a && a->dtype == MN_F64 && a->n == 2 && memcmp(a->data, f64, sizeof f64) == 0);
    a = mn_mfile_array(&r, "w");
    CHECK(a && a->dtype == MN_F32 && a->n == 3 && memcmp(a->data, f32, sizeof f32) == 0);
    a = mn_mfile_array(&r, "empty");
    CHECK(a && a->n == 0);
    CHECK(mn_mfile_array(&r, "nope") == NULL);
    mn_mfile_free(&r);
    CHECK_OK(mn_mfile_peek(path(), kind, &kv, &e), &e);
    CHECK(strcmp(kind, "ts.garch") == 0 && kv == 3);
    /* no options, no prep */
    w.options = NULL;
    w.prep = NULL;
    w.narrays = 0;
    CHECK_OK(mn_mfile_write(path(), &w, &e), &e);
    CHECK_OK(mn_mfile_read(path(), &r, &e), &e);
    CHECK(r.options && r.options_len == 0 && r.prep == NULL && r.narrays == 0);
    mn_mfile_free(&r);
    /* bad names are refused before the file is touched */
    strcpy(w.kind, "");
    CHECK_FAIL(mn_mfile_write(path(), &w, &e), MN_EARG, &e, "kind");
    remove(path());
}

static void mfile_corrupt(void) {                         /* mfile-1.3 */
    mn_Err e = {0};
    mn_MFile w, r;
    float v[4] = {1, 2, 3, 4};
    FILE *f;
    long size;
    memset(&w, 0, sizeof w);
    strcpy(w.kind, "nn");
    w.arrays[0] = (mn_MArray){"params", MN_F32, 4, v};
    w.narrays = 1;
    CHECK_OK(mn_mfile_write(path(), &w, &e), &e);
    f = fopen(path(), "r+b");
    CHECK(f != NULL);
    if (f == NULL)
        return;
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    fseek(f, size - 8, SEEK_SET);                 /* a weight byte */
    fputc(0x7f, f);
    fclose(f);
    CHECK_FAIL(mn_mfile_read(path(), &r, &e), MN_EPARSE, &e, "checksum mismatch");
    CHECK(truncate(path(), size - 3) == 0);
    CHECK_FAIL(mn_mfile_read(path(), &r, &e), MN_EPARSE, &e, "checksum");
    CHECK_FAIL(mn_mfile_read("/nonexistent/x.mdl", &r, &e), MN_EIO, &e, "x.mdl");
    remove(path());
}

static void mfile_crafted(void) {                         /* mfile-1.4 */
    mn_Err e = {0};
    mn_MFile r;
    Bytes w;
    char kind[MN_MFILE_KINDMAX];
    uint32_t kv;
    /* an array declaring 2^40 floats in a 90-byte file, with a valid checksum */
    header(&w, "nn", 1, 0, 0);
    put(&w, 6, 4);
    put(&w, MN_F32, 4);
    put(&w, (uint64_t)1 << 40, 8);
    put_s(&w, "params");
    put(&w, 0, 4);
    save(&w, 1);
    mn_mem_fail_after(3);          /* the file buffer may be allocated, nothing big after it */
    CHECK_FAIL(mn_mfile_read(path(), &r, &e), MN_EPARSE, &e, "declares 1099511627776 numbers");
    mn_mem_fail_after(0);
    /* sizes that do not add up: options longer than the file */
    header(&w, "nn", 0, 1000, 0);
    save(&w, 1);
    CHECK_FAIL(mn_mfile_read(path(), &r, &e), MN_EPARSE, &e, "sizes do not add up");
    /* a kind name too long; a bad dtype; too many arrays */
    header(&w, "nn", 0, 0, 0);
    w.b[12] = 200;
    save(&w, 1);
    CHECK_FAIL(mn_mfile_read(path(), &r, &e), MN_EPARSE, &e, "kind length 200");
    header(&w, "nn", 1, 0, 0);
    put(&w, 1, 4);
    put(&w, 9, 4);
    put(&w, 0, 8);
    put_s(&w, "x");
    save(&w, 1);
    CHECK_FAIL(mn_mfile_read(path(), &r, &e), MN_EPARSE, &e, "corrupt array table");
    header(&w, "nn", 17, 0, 0);
    save(&w, 1);
    CHECK_FAIL(mn_mfile_read(path(), &r, &e), MN_EPARSE, &e, "17 arrays");
    /* another version, the legacy magic, not a model file at all */
    header(&w, "nn", 0, 0, 0);
    w.b[8] = 3;
    save(&w, 1);
    CHECK_FAIL(mn_mfile_read(path(), &r, &e), MN_EPARSE, &e, "version 3, this moneta reads "
               "version 2");
    w.n = 0;
    put_s(&w, MN_MFILE_LEGACY);
    put(&w, 1, 4);
    for (int i = 0; i < 5; i++)
        put(&w, 0, 8);
    save(&w, 1);
    CHECK_FAIL(mn_mfile_read(path(), &r, &e), MN_EPARSE, &e, "version-1 neural-network file");
    CHECK_OK(mn_mfile_peek(path(), kind, &kv, &e), &e);
    CHECK(strcmp(kind, "nn") == 0 && kv == 1);
    w.n = 0;
    put_s(&w, "hello, world, this is text and not a model at all");
    save(&w, 0);
    CHECK_FAIL(mn_mfile_read(path(), &r, &e), MN_EPARSE, &e, "not a moneta model file");
    CHECK_FAIL(mn_mfile_peek(path(), kind, &kv, &e), MN_EPARSE, &e, "not a moneta model file");
    remove(path());
}

static void mfile_out_of_memory(void) {                   /* mfile-1.5 */
    mn_Err e = {0};
    mn_MFile w, r;
    double v[2] = {1, 2};
    int failed = 0;
    memset(&w, 0, sizeof w);
    strcpy(w.kind, "ml.linear");
    w.options = (char *)"fit_intercept=true";
    w.options_len = strlen(w.options);
    w.prep = (char *)"p";
    w.prep_len = 1;
    w.arrays[0] = (mn_MArray){"coef", MN_F64, 2, v};
    w.narrays = 1;
    CHECK_OK(mn_mfile_write(path(), &w, &e), &e);
    /* every allocation of the reader in turn fails: MN_ENOMEM, nothing leaks (ASan) */
    for (long k = 1; k <= 6; k++) {
        int rc;
        mn_mem_fail_after(k);
        rc = mn_mfile_read(path(), &r, &e);
        mn_mem_fail_after(0);
        if (rc == MN_OK)
            mn_mfile_free(&r);
        else
            failed += rc == MN_ENOMEM;
    }
    CHECK(failed == 4);             /* the file buffer, options, prep, one array */
    remove(path());
}

int main(void) {
    RUN(mfile_crc_check_value);
    RUN(mfile_round_trip);
    RUN(mfile_corrupt);
    RUN(mfile_crafted);
    RUN(mfile_out_of_memory);
    return CHECK_DONE();
}
