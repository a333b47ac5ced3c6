#!/bin/sh
# bench_csv.sh -- benchmark workload 6 (CSV parsing): moneta.read_csv against pandas.read_csv
# on the same file, in one run. 3 runs each, each in a fresh process; the median read time
# (wall seconds of the read call alone), MB/s, the ratio,
# and peak RSS of the reading process minus that of the same process doing everything but
# the read (interpreter, libraries). Usage: scripts/bench/bench_csv.sh [file.csv] (run from
# the repository root; the moneta binary is build/moneta unless MONETA_BIN says otherwise).
# Times are wall seconds of the read call alone (moneta.now and time.perf_counter); moneta
# parses plain numeric chunks with 2 threads, pandas with 1.
# Without a file it uses build/bench-data/big.csv, written first if missing: 1,000,000 rows,
# columns c0..c9 = 10*N(0,1) printed %.6f (the recipe of the benchmark README).
set -eu
MONETA=${MONETA_BIN:-build/moneta}
PY=/usr/bin/python3
FILE=${1:-build/bench-data/big.csv}
RUNS=3

if [ ! -f "$FILE" ]; then
  mkdir -p "$(dirname "$FILE")"
  echo "writing $FILE ..." >&2
  awk 'BEGIN { srand(20240601); printf "c0"; for (j = 1; j < 10; j++) printf ",c%d", j
    printf "\n"
    for (i = 0; i < 1000000; i++) { for (j = 0; j < 10; j++) { u1 = rand(); if (u1 < 1e-300) u1 = 1e-300
      z = sqrt(-2 * log(u1)) * cos(6.283185307179586 * rand()); printf (j ? ",%.6f" : "%.6f"), 10 * z }
      printf "\n" } }' > "$FILE"
fi
"$PY" -c "import pandas" 2>/dev/null || { echo "pandas missing for $PY (apt-get install python3-pandas)" >&2; exit 1; }
BYTES=$(wc -c < "$FILE")
export BENCH_FILE="$FILE"
TMP=${TMPDIR:-/tmp}/bench_csv.$$
trap 'rm -f "$TMP"' EXIT

# run <cmd...>: prints "<seconds-from-the-program> <peak RSS KiB>"
run() {
  out=$(/usr/bin/time -f "%M" -o "$TMP" "$@" | tail -n 1)
  printf '%s %s\n' "$out" "$(tail -n 1 "$TMP")"
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

M_READ='local m = require "moneta"
  local t = m.now(); local f = m.read_csv(os.getenv("BENCH_FILE")); local dt = m.now() - t
  assert(f:nrows() > 0); print(string.format("%.4f", dt))'
M_BASE='local m = require "moneta"; print("0")'
P_READ='import os, sys, time, pandas
t = time.perf_counter(); df = pandas.read_csv(os.environ["BENCH_FILE"]); dt = time.perf_counter() - t
assert len(df) > 0; print("%.4f" % dt)'
P_BASE='import sys, pandas; print("0")'

echo "workload 6: read_csv of $FILE ($BYTES bytes), $RUNS runs each, median; $(nproc) CPUs, load $(cut -d" " -f1 /proc/loadavg)"
mt=""; pt=""; mr=0; pr=0
for i in $(seq $RUNS); do
  set -- $(run "$MONETA" -e "$M_READ"); mt="$mt $1"; [ "$2" -gt "$mr" ] && mr=$2
  set -- $(run "$PY" -c "$P_READ"); pt="$pt $1"; [ "$2" -gt "$pr" ] && pr=$2
done
set -- $(run "$MONETA" -e "$M_BASE"); mb=$2
set -- $(run "$PY" -c "$P_BASE"); pb=$2
ms=$(for t in $mt; do echo "$t"; done | median)
ps=$(for t in $pt; do echo "$t"; done | median)
awk -v b="$BYTES" -v ms="$ms" -v ps="$ps" -v mr="$mr" -v pr="$pr" -v mb="$mb" -v pb="$pb" \
    -v mt="$mt" -v pt="$pt" 'BEGIN {
  printf "%-22s %10s %10s %14s %14s   runs (s)\n", "", "seconds", "MB/s", "peak RSS MB", "over base MB"
  printf "%-22s %10.3f %10.1f %14.1f %14.1f  %s\n", "moneta.read_csv", ms, b / ms / 1e6, mr / 1024, (mr - mb) / 1024, mt
  printf "%-22s %10.3f %10.1f %14.1f %14.1f  %s\n", "pandas.read_csv", ps, b / ps / 1e6, pr / 1024, (pr - pb) / 1024, pt
  printf "speed ratio moneta/pandas: %.2fx (target >= 3x); moneta memory over base / 80 MB of doubles: %.2f\n",
    ps / ms, (mr - mb) / 1024 / 80 }'
