#!/usr/bin/env bash
# Benchmark: capturing 50 local pages with their resources (issue 4, "Speed").
#
#   bench/capture.sh [RUNS]        # default 5
#
# Starts the synthetic test site (qorgau-testsite, loopback only) and runs,
# in one hyperfine run, each tool capturing the same 50 pages
# (/page/1 … /page/50, each with a stylesheet, a script and three images):
#   - qorgau capture --no-browser: plain HTTP, page and requisites into a
#     WARC, text, links and media as items, hashed into the vault with
#     ledger entries (into one vault, as an investigator's captures go; the
#     vault is made once before the runs — its one-time set-up, database,
#     migrations and keys, is timed separately below);
#   - qorgau capture: the same in headless Chromium (scroll, settle,
#     screenshot, rendered DOM), one browser for the run;
#   - wget --warc-file -p: Debian's wget fetching each page with its
#     requisites into a WARC (what it does not do: text, screenshot, vault).
# Reports pages per minute from the medians.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
cargo build --release -q -p qorgau -p qorgau-testsite
bin="$CARGO_TARGET_DIR/release"
work="$(mktemp -d /tmp/qorgau-capture-bench.XXXXXX)"
"$bin/qorgau-testsite" > "$work/site.txt" &
site_pid=$!
trap 'kill $site_pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do [ -s "$work/site.txt" ] && break; sleep 0.1; done
base="$(head -n1 "$work/site.txt")"
urls=""
for n in $(seq 1 50); do urls="$urls $base/page/$n"; done
echo "site: $base; $(nproc) cores; $(chromium --version 2>/dev/null | head -n1); $(wget --version | head -n1)" >&2

# The vault is made once (and its set-up timed on its own).
setup_start=$(date +%s.%N)
"$bin/qorgau" --data-dir "$work/vault" capture "$base/page/1" --case bench --no-browser --json > /dev/null
setup_end=$(date +%s.%N)
echo "first capture into a new vault (set-up included): $(python3 -c "print(f'{$setup_end - $setup_start:.2f}')") s" >&2
hyperfine --warmup 1 --runs "$runs" --export-json "$work/result.json" \
    --prepare "rm -rf $work/wget && mkdir -p $work/wget" \
    -n "qorgau capture --no-browser" \
    "$bin/qorgau --data-dir $work/vault capture $urls --case bench --no-browser" \
    -n "qorgau capture (Chromium)" \
    "$bin/qorgau --data-dir $work/vault capture $urls --case bench" \
    -n "wget --warc-file -p" \
    "cd $work/wget && wget -q -p --warc-file=pages --no-warc-keep-log $urls"

python3 - "$work/result.json" <<'PY'
import json, sys
res = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
print()
print("| tool | median s for 50 pages | pages/minute |")
print("|---|---:|---:|")
for name, r in res.items():
    print(f"| {name} | {r['median']:.2f} | {50 * 60 / r['median']:.0f} |")
nb = res["qorgau capture --no-browser"]["median"]
wg = res["wget --warc-file -p"]["median"]
br = res["qorgau capture (Chromium)"]["median"]
print()
print(f"--no-browser vs wget: {wg / nb:.2f}x as fast (>= 1 required)")
print(f"browser: {50 * 60 / br:.0f} pages/minute (>= 30 required)")
PY
