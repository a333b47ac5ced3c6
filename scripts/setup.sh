#!/bin/sh
# setup.sh -- install what moneta needs on Debian 12 (idempotent, non-interactive), then build.
#   sh scripts/setup.sh            install missing packages and build into build/
#   sh scripts/setup.sh --bench    also the reference tools for benchmarks (PyTorch, pandas, ...)
# Runs as root, or through sudo when not root. Only packages that are missing are installed.
set -eu
cd "$(dirname "$0")/.."

PKGS="build-essential cmake pkg-config liblua5.4-dev libreadline-dev libncurses-dev
      libopenblas-dev liblapacke-dev libsqlite3-dev zlib1g-dev libgsl-dev libnlopt-dev liblinear-dev libsvm-dev libxgboost-dev
      gnuplot-nox tmux gzip"
BENCH_PKGS="python3 python3-torch python3-pandas python3-sklearn python3-statsmodels
            python3-matplotlib python3-xgboost r-cran-ranger lua5.4 time bc"
BUILD_DIR=${BUILD_DIR:-build}
CMAKE_ARGS=${CMAKE_ARGS:-}

case "${1:-}" in
    --bench) PKGS="$PKGS $BENCH_PKGS" ;;
    "") ;;
    *) echo "usage: sh scripts/setup.sh [--bench]" >&2; exit 2 ;;
esac

missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "setup: installing:$missing"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO=sudo
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    # shellcheck disable=SC2086
    $SUDO apt-get install -y -qq --no-install-recommends $missing
fi

# shellcheck disable=SC2086
cmake -S . -B "$BUILD_DIR" $CMAKE_ARGS >/dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)"
