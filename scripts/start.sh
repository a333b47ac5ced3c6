#!/bin/sh
# start.sh -- the quick start: install what is missing, build, and open the moneta REPL in the
# project folder, where datasets/credit.csv.gz, prices.csv.gz and transactions.csv.gz are.
set -eu
cd "$(dirname "$0")/.."
sh scripts/setup.sh
exec build/moneta "$@"
