#!/bin/sh
# test.sh -- install what is missing, build, and run the whole test suite (ctest: unit, lua,
# e2e). Options: --sanitize builds with ASan+UBSan in build-asan/ and runs the same suite.
# CI runs this with CI=true, which turns warnings into errors.
set -eu
cd "$(dirname "$0")/.."
BUILD_DIR=build
ARGS=""
if [ "${1:-}" = "--sanitize" ]; then
    BUILD_DIR=build-asan
    ARGS="-DMONETA_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug"
fi
[ "${CI:-}" = "true" ] && ARGS="$ARGS -DMONETA_WERROR=ON"
BUILD_DIR=$BUILD_DIR CMAKE_ARGS="$ARGS" sh scripts/setup.sh
# ASan: leaks are reported (detect_leaks); OpenBLAS's threads keep allocations alive at exit.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$(pwd)/tests/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
cd "$BUILD_DIR"
ctest --output-on-failure -j2 --timeout 600
