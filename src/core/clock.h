/* clock.h -- the one monotonic clock. Durations (training time, throttles, timeouts, rates)
** all read it; wall-clock times for display are the tui's (ui_wall, frozen by --clock). */
#ifndef MN_CORE_CLOCK_H
#define MN_CORE_CLOCK_H

/* Seconds on CLOCK_MONOTONIC: only differences mean anything; never goes back. */
double mn_now(void);

#endif
