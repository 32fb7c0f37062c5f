#!/usr/bin/env bash
# Image reuse index (issue 8): median query time among 10 million 64-bit
# hashes (random, plus 20 planted near-duplicates per query) for d = 4, 8, 10,
# the multi-index hashing index and a linear scan side by side in one run,
# queries in turns. Fails if a median is over 50 ms or the two disagree.
#
#   bench/media-index.sh [SIZE] [QUERIES]      # defaults 10000000 101
set -euo pipefail
cd "$(dirname "$0")/.."
export INDEX_BENCH_SIZE="${1:-10000000}" INDEX_BENCH_QUERIES="${2:-101}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}"
cargo test --release -p qorgau-media --test index -- --ignored --nocapture --test-threads 1 index_benchmark
# What `qorgau media similar` pays before the index exists: reading the hash
# rows back from the store (SQLite here; QORGAU_TEST_DATABASE_URL for PostgreSQL).
export MEDIA_LOAD_SIZE="$INDEX_BENCH_SIZE"
cargo test --release -p qorgau-store --test media -- --ignored --nocapture image_hashes_load_benchmark
