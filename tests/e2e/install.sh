# install-1: `cmake --install` gives a binary that works from any directory: it finds its Lua
# library and the bundled datasets under the prefix, and the man page is installed.
set -eu
: "${MONETA_BIN:?}"
build=$(dirname "$MONETA_BIN")
prefix=${MONETA_TEST_TMP:-/tmp}/install-$$
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
[ -f "$prefix/share/man/man1/moneta.1" ] || { echo "FAIL: no man page"; exit 1; }
cd /
out=$(env -u MONETA_LUA_DIR -u MONETA_DATASETS "$prefix/bin/moneta" -e \
  'local f = read_csv(dataset("credit.csv.gz")); io.write(f:nrows(), " ", version, "\n")')
case "$out" in
  "10020 "*) echo "install: ok ($out)" ;;
  *) echo "FAIL: installed moneta printed '$out'"; exit 1 ;;
esac
