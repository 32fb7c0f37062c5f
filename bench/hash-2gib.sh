#!/usr/bin/env bash
# Benchmark: one-pass MD5+SHA-256 of a 2 GiB file, Qorgau's `add` (hash, store,
# fsync, register, sign) side by side with md5sum, sha256sum and hashdeep in
# one hyperfine run, plus a bare O_DIRECT copy (dd) that shows what storing
# the bytes alone costs on this disk; prints the ratios of the medians.
#
#   bench/hash-2gib.sh [SIZE_MIB] [RUNS]
#
# Needs: hyperfine, hashdeep (Debian); builds qorgau in release mode.
set -euo pipefail
cd "$(dirname "$0")/.."
size_mib="${1:-2048}"
runs="${2:-5}"
work="${BENCH_DIR:-/tmp/qorgau-bench}"
mkdir -p "$work"
file="$work/evidence-${size_mib}MiB.bin"
if [ ! -f "$file" ] || [ "$(stat -c %s "$file")" -ne $((size_mib * 1024 * 1024)) ]; then
    head -c "$((size_mib * 1024 * 1024))" /dev/urandom >"$file"
fi
cargo build --release -q -p qorgau
qorgau="$PWD/target/release/qorgau"
vault="$work/vault"

hyperfine --warmup 1 --runs "$runs" --export-json "$work/hash.json" \
    --prepare "rm -rf '$vault'" \
    -n md5sum "md5sum '$file'" \
    -n sha256sum "sha256sum '$file'" \
    -n "hashdeep -c md5,sha256" "hashdeep -c md5,sha256 '$file'" \
    -n "dd oflag=direct (copy only)" "mkdir -p '$vault' && dd if='$file' of='$vault/copy' bs=4M oflag=direct conv=fsync status=none" \
    -n "qorgau add" "'$qorgau' --data-dir '$vault' add '$file' --case BENCH"

python3 - "$work/hash.json" <<'PY'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
base = results["md5sum"]["median"]
for name, r in results.items():
    print(f"{name:24} median {r['median']:7.3f} s   {r['median'] / base:5.2f}x md5sum")
q = results["qorgau add"]["median"]
print(f"hashdeep / qorgau add: {results['hashdeep -c md5,sha256']['median'] / q:.2f}x")
print(f"qorgau add / dd copy:  {q / results['dd oflag=direct (copy only)']['median']:.2f}x")
PY
