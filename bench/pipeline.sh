#!/usr/bin/env bash
# Benchmark: the whole `qorgau scan` pipeline (read, normalise, language,
# identifiers, scores, MinHash, then clusters and networks) on ads of typical
# length from the synthetic corpus generator, on one thread and on all cores.
# Prints documents per second per core (medians) and the quality of the run
# against the generator's truth.
#
#   bench/pipeline.sh [N_DOCS] [RUNS]
#
# Needs: hyperfine, python3, the generator in ../shared/data (or GEN_CORPUS=path).
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-200000}"
runs="${2:-5}"
work="${BENCH_DIR:-/tmp/qorgau-bench}"
gen="${GEN_CORPUS:-../shared/data/gen_corpus.py}"
pool="$(dirname "$gen")/pool_dev.py"
mkdir -p "$work"
corpus="$work/ads-$n"
if [ ! -f "$corpus.jsonl" ]; then
    python3 "$gen" --pool "$pool" --n "$n" --seed 7 --out "$corpus"
fi
cargo build --release -q -p qorgau
qorgau="${CARGO_TARGET_DIR:-$PWD/target}/release/qorgau"
hyperfine --warmup 1 --runs "$runs" --export-json "$work/pipeline.json" \
    -n "scan, 1 thread" "'$qorgau' scan '$corpus.jsonl' --threads 1 --out '$work/scan1.jsonl'" \
    -n "scan, 2 threads" "'$qorgau' scan '$corpus.jsonl' --threads 2 --out '$work/scan2.jsonl'"
python3 - "$work/pipeline.json" "$n" "$corpus.jsonl" <<'PY'
import json, os, sys
results = json.load(open(sys.argv[1]))["results"]
n = int(sys.argv[2])
size = os.path.getsize(sys.argv[3])
print(f"{n} documents, {size / n:.0f} bytes each on average")
for r in results:
    threads = 1 if "1 thread" in r["command"] else 2
    print(f"{r['command']:18} median {r['median']:6.2f} s  {n / r['median']:8.0f} docs/s  {n / r['median'] / threads:8.0f} docs/s per core")
PY
python3 bench/score_scan.py "$work/scan2.jsonl" "$corpus.truth.jsonl"
