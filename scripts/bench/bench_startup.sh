#!/bin/sh
# bench_startup.sh -- time from start to ready and peak memory of `moneta -e 'return 0'`, side
# by side in one run with `python3 -c 'import torch'` (Debian's python3-torch) and
# `lua5.4 -e ''`. Median of N runs (default 20; 5 for torch). Needs: sh scripts/setup.sh --bench
#   sh scripts/bench/bench_startup.sh [path/to/moneta]
set -eu
MONETA=${1:-build/moneta}
PY=/usr/bin/python3
N=${N:-20}

# median wall seconds of N runs of a command
median_time() {
    n=$1; shift
    i=0
    while [ $i -lt "$n" ]; do
        s=$(date +%s.%N); "$@" >/dev/null 2>&1; t=$(date +%s.%N)
        echo "$t - $s" | bc -l
        i=$((i + 1))
    done | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}
peak_kb() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n 1; }

m_t=$(median_time "$N" "$MONETA" -e 'return 0');        m_m=$(peak_kb "$MONETA" -e 'return 0')
l_t=$(median_time "$N" lua5.4 -e '');                   l_m=$(peak_kb lua5.4 -e '')
p_t=$(median_time 5 "$PY" -c 'import torch');           p_m=$(peak_kb "$PY" -c 'import torch')

printf '%-28s %12s %14s\n' "command" "start (ms)" "peak RSS (MB)"
printf '%-28s %12.1f %14.1f\n' "moneta -e 'return 0'" "$(echo "$m_t*1000" | bc -l)" "$(echo "$m_m/1024" | bc -l)"
printf '%-28s %12.1f %14.1f\n' "lua5.4 -e ''" "$(echo "$l_t*1000" | bc -l)" "$(echo "$l_m/1024" | bc -l)"
printf '%-28s %12.1f %14.1f\n' "python3 -c 'import torch'" "$(echo "$p_t*1000" | bc -l)" "$(echo "$p_m/1024" | bc -l)"
printf 'ratios: torch/moneta start %.1fx, memory %.1fx; moneta/lua start %.1fx, memory %.1fx\n' \
    "$(echo "$p_t/$m_t" | bc -l)" "$(echo "$p_m/$m_m" | bc -l)" \
    "$(echo "$m_t/$l_t" | bc -l)" "$(echo "$m_m/$l_m" | bc -l)"
