#!/usr/bin/env bash
# The ledger benchmark: 1,000,000 rows (25,000 workers x 40 items), `track status --format csv`
# and `track matrix --format csv` in a release build. Budget: at most 2 s and 1 GB peak memory.
# usage: Benchmarks/tracker/run.sh [SCRATCH]   (default scratch path .build-tracker)
set -euo pipefail
cd "$(dirname "$0")/../.."
scratch=${1:-.build-tracker}
dir=${TMPDIR:-/tmp}/kitbag-ledger-bench
if [ ! -f "$dir/Cohorts/bench/records.csv" ]; then
    python3 Benchmarks/tracker/generate.py "$dir"
fi
swift build -c release --scratch-path "$scratch" --product kitbag >"$dir/build.log" 2>&1 || { tail -20 "$dir/build.log"; exit 1; }
bin="$scratch/release/kitbag"
ls -l "$dir/Cohorts/bench/records.csv"
for command in status matrix; do
    echo "track $command --format csv"
    for run in 1 2 3; do
        /usr/bin/time -v "$bin" -C "$dir" track "$command" --format csv --as-of 2026-01-01 >/dev/null 2>"$dir/time.txt" || { cat "$dir/time.txt"; exit 1; }
        grep -E "Elapsed \(wall clock\)|Maximum resident set size" "$dir/time.txt" | sed "s/^\s*/run $run: /"
    done
done
