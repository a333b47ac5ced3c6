/* repl_int.h -- shared inside repl/ only. */
#ifndef MN_REPL_INT_H
#define MN_REPL_INT_H

#include <signal.h>

extern volatile sig_atomic_t rp__at_prompt;          /* readline owns the terminal */
extern volatile sig_atomic_t rp__sigint_at_prompt;   /* Ctrl-C arrived at the prompt */

#endif
