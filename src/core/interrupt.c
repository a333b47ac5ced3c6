/* interrupt.c -- a sig_atomic_t flag. */
#include "core/interrupt.h"

#include <signal.h>

/* Global: set from the SIGINT handler, which has no user-data pointer. */
static volatile sig_atomic_t flag = 0;

void mn_interrupt_set(void) { flag = 1; }
void mn_interrupt_clear(void) { flag = 0; }
int mn_interrupted(void) { return flag != 0; }
