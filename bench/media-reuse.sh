#!/usr/bin/env bash
# Image reuse (issue 8): precision and recall per transformation on a
# generated image set (gradients, shapes, smooth noise, text-like pages;
# no photographs), for distances 8, 10 and 12, the rule used against each
# hash alone, and how often unrelated pictures fall within a distance.
#
#   bench/media-reuse.sh [BASES] [DISTRACTORS]     # defaults 200 1000 (~1 min)
set -euo pipefail
cd "$(dirname "$0")/.."
export REUSE_BASES="${1:-200}" REUSE_DISTRACTORS="${2:-1000}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}"
cargo test --release -p qorgau-media --test reuse -- --ignored --nocapture reuse_table
# The cost per photo that `qorgau add` now pays: decode and hash a 12 MP and a 1 MP JPEG.
cargo test --release -p qorgau-media --test phash -- --ignored --nocapture hash_speed
