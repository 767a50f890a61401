#!/usr/bin/env bash
# The fidelity benchmark: 38,400 ratings (20 sites x 4 rounds x 30 interviews x 16 items);
# `fidelity status --format csv` and `fidelity report` in a release build, timed by hyperfine.
# usage: Benchmarks/fidelity/run.sh [SCRATCH]   (default scratch path .build-fidelity)
set -euo pipefail
cd "$(dirname "$0")/../.."
scratch=${1:-.build-fidelity}
dir=${TMPDIR:-/tmp}/kitbag-fidelity-bench
if [ ! -f "$dir/Fidelity/ratings.csv" ]; then
    python3 Benchmarks/fidelity/generate.py "$dir"
fi
swift build -c release --scratch-path "$scratch" --product kitbag >"$dir/build.log" 2>&1 || { tail -20 "$dir/build.log"; exit 1; }
bin="$scratch/release/kitbag"
wc -l "$dir/Fidelity/ratings.csv"
hyperfine --warmup 1 --runs 10 \
    "$bin -C $dir fidelity status --format csv" \
    "$bin -C $dir fidelity report --out $dir/fidelity.html"
/usr/bin/time -v "$bin" -C "$dir" fidelity report --out "$dir/fidelity.html" 2>&1 >/dev/null | grep -E "Maximum resident set size"
