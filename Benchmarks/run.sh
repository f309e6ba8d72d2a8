#!/bin/sh
# Comparative benchmark of `scamscan match` and its peers; see run.py --help and README.md.
BENCH_RUN_SH="$0" exec python3 "$(dirname "$0")/run.py" "$@"
