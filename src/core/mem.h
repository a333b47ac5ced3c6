/* mem.h -- the core allocator: malloc/realloc/free wrappers with a test hook that makes
** the n-th allocation fail, so error paths (MN_ENOMEM) can be tested. */
#ifndef MN_CORE_MEM_H
#define MN_CORE_MEM_H

#include <stddef.h>

void *mn_malloc(size_t n);                 /* NULL on failure (or injected failure) */
void *mn_calloc(size_t count, size_t size); /* zeroed; NULL on overflow or failure */
void *mn_realloc(void *p, size_t n);       /* like realloc; on NULL 'p' is untouched */
void  mn_free(void *p);                    /* NULL is a no-op */
char *mn_strdup(const char *s);            /* NULL on failure */

/* Test hook: the 'n'-th allocation from now fails (n >= 1); 0 turns it off. */
void mn_mem_fail_after(long n);

#endif
