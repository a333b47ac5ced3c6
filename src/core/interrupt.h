/* interrupt.h -- the Ctrl-C flag. The SIGINT handler (in app/ or repl/) only sets it;
** long core loops poll mn_interrupted() once per batch/chunk and return MN_EINTR. */
#ifndef MN_CORE_INTERRUPT_H
#define MN_CORE_INTERRUPT_H

void mn_interrupt_set(void);      /* async-signal-safe */
void mn_interrupt_clear(void);
int  mn_interrupted(void);        /* nonzero once set, until cleared */

#endif
