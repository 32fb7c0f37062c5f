#!/usr/bin/env bash
# Benchmark: the money issue's speed target —
#   "Import of 10,000,000 transfers from CSV and every red-flag pass over
#    them in under 60 s on this machine, with memory under 4 GiB; compare
#    side by side with polars doing the same import and the fan-in and
#    pass-through group-bys. Qorgau at least as fast."
#
#   bench/money.sh [ROWS] [RUNS]        # defaults: 10000000 3
#
# 1. Generates a synthetic Tronscan export of ROWS transfers with
#    bench/gen_transfers.py (cached under $BENCH_DIR, default /tmp) and
#    installs polars from PyPI if missing; builds qorgau in release mode
#    (or uses $QORGAU_BIN).
# 2. RUNS times, alternating: `qorgau money triage FILE --format tron-csv
#    --json` (read, check every address's checksum, parse times and exact
#    amounts, fan-in, pass-through and structuring) and
#    `python3 bench/money_polars.py FILE` (read, parse times and decimal
#    amounts, the fan-in and pass-through group-bys), each under
#    /usr/bin/time for wall time and peak memory (max RSS).
# 3. Once, the stored import of the first $STORED_ROWS rows (default
#    1,000,000): `qorgau money import FILE --format tron-csv --case …` into a
#    fresh SQLite data directory (what a case keeps: accounts, transfers once
#    per case with their keys and indexes, the ledger entry) — reported
#    separately as rows per second; it has no polars counterpart.
# Prints each run and the medians and ratio (polars / qorgau: above 1 means
# Qorgau is faster).
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS="${1:-10000000}"
RUNS="${2:-3}"
DIR="${BENCH_DIR:-/tmp}/qorgau-money-bench"
mkdir -p "$DIR"
CSV="$DIR/transfers-$ROWS.csv"
[ -s "$CSV" ] || python3 bench/gen_transfers.py "$ROWS" "$CSV"
python3 -c 'import polars' 2>/dev/null || python3 -m pip install --quiet 'polars==1.35.2'
if [ -z "${QORGAU_BIN:-}" ]; then
    cargo build --release -q -p qorgau
    QORGAU_BIN=target/release/qorgau
fi
echo "file: $CSV ($(du -hL "$CSV" | cut -f1), $ROWS rows); $(nproc) cores; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)" >&2

measure() { # label, command… → "label seconds max_rss_kib"
    local label="$1"; shift
    /usr/bin/time -o "$DIR/$label.time" -f '%e %M' "$@" >"$DIR/$label.out" 2>"$DIR/$label.err" || true
    echo "$label $(tail -1 "$DIR/$label.time")"
}

export QORGAU_DATA_DIR="$DIR/data-triage"
rm -rf "$QORGAU_DATA_DIR"
q=(); p=()
for run in $(seq "$RUNS"); do
    r=$(measure qorgau "$QORGAU_BIN" money triage "$CSV" --format tron-csv --json)
    echo "run $run: $r   $(tail -1 "$DIR/qorgau.out")"
    q+=("$(echo "$r" | cut -d' ' -f2) $(echo "$r" | cut -d' ' -f3)")
    r=$(measure polars python3 bench/money_polars.py "$CSV")
    echo "run $run: $r   $(tail -1 "$DIR/polars.out")"
    p+=("$(echo "$r" | cut -d' ' -f2) $(echo "$r" | cut -d' ' -f3)")
done
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
qs=$(printf '%s\n' "${q[@]}" | cut -d' ' -f1 | median)
ps=$(printf '%s\n' "${p[@]}" | cut -d' ' -f1 | median)
qm=$(printf '%s\n' "${q[@]}" | cut -d' ' -f2 | median)
pm=$(printf '%s\n' "${p[@]}" | cut -d' ' -f2 | median)
echo "median wall: qorgau ${qs} s (max RSS $((qm / 1024)) MiB), polars ${ps} s (max RSS $((pm / 1024)) MiB); polars/qorgau = $(awk -v a="$ps" -v b="$qs" 'BEGIN {printf "%.2f", a / b}')"

STORED_ROWS="${STORED_ROWS:-1000000}"
STORED="$DIR/transfers-$ROWS-first-$STORED_ROWS.csv"
[ -s "$STORED" ] || head -n "$((STORED_ROWS + 1))" "$CSV" > "$STORED"
export QORGAU_DATA_DIR="$DIR/data-import"
rm -rf "$QORGAU_DATA_DIR"
r=$(measure import "$QORGAU_BIN" money import "$STORED" --format tron-csv --case BENCH-1 --json)
secs=$(echo "$r" | cut -d' ' -f2)
echo "stored import of $STORED_ROWS rows: $r  ($(awk -v n="$STORED_ROWS" -v s="$secs" 'BEGIN {printf "%.0f", n / s}') rows/s; database $(du -sh "$QORGAU_DATA_DIR" | cut -f1))"
