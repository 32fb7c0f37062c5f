#!/usr/bin/env bash
# Benchmark: many small files (a chat export or phone extraction), Qorgau's
# `add` beside `hashdeep -c md5,sha256 -r` (hashes, stores nothing) and
# `cp -r` + `sync` (stores, hashes nothing) in one hyperfine run. hyperfine's
# user+system time against wall time shows whether both cores are used.
#
#   bench/small-files.sh [FILES] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
files="${1:-20000}"
runs="${2:-5}"
work="${BENCH_DIR:-/tmp/qorgau-bench}"
tree="$work/small-$files"
if [ ! -d "$tree" ]; then
    python3 - "$tree" "$files" <<'PY'
import os, random, sys
root, n = sys.argv[1], int(sys.argv[2])
rng = random.Random(1)
for i in range(n):
    d = os.path.join(root, f"chat{i % 97:02d}", f"media{i % 13:02d}")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"file{i:06d}.bin"), "wb") as f:
        f.write(rng.randbytes(rng.randint(512, 96 * 1024)))
PY
fi
cargo build --release -q -p qorgau
qorgau="$PWD/target/release/qorgau"
vault="$work/vault-small"
hyperfine --warmup 1 --runs "$runs" --export-json "$work/small.json" \
    --prepare "rm -rf '$vault'" \
    -n "hashdeep -c md5,sha256 -r" "hashdeep -c md5,sha256 -r '$tree'" \
    -n "cp -r + sync" "mkdir -p '$vault' && cp -r '$tree' '$vault/copy' && sync" \
    -n "qorgau add" "'$qorgau' --data-dir '$vault' add '$tree' --case BENCH"
python3 - "$work/small.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    cpu = r["user"] + r["system"]
    print(f"{r['command']:28} median {r['median']:7.3f} s  cpu/wall {cpu / r['mean']:.2f}")
PY
