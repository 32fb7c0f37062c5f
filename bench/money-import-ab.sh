#!/usr/bin/env bash
# Benchmark: the stored money import, two builds in turns.
#
#   bench/money-import-ab.sh OLD_BIN NEW_BIN [ROWS] [RUNS]   # defaults: 1000000 2
#
# Takes the first ROWS transfers of the synthetic Tronscan export that
# bench/money.sh generates (bench/gen_transfers.py, cached under
# $BENCH_DIR, default /tmp) and, RUNS times, imports them with OLD_BIN and
# then NEW_BIN — `qorgau money import FILE --format tron-csv --case BENCH-1
# --json` into a fresh SQLite data directory each time — under
# /usr/bin/time. Prints wall, user and system seconds, peak memory, the
# database's size and the load average at the end of each run, then the
# medians and rows per second of each build.
set -euo pipefail
cd "$(dirname "$0")/.."
OLD="$1"; NEW="$2"; ROWS="${3:-1000000}"; RUNS="${4:-2}"
DIR="${BENCH_DIR:-/tmp}/qorgau-money-bench"
mkdir -p "$DIR"
FILE="$DIR/transfers-$ROWS.csv"
[ -s "$FILE" ] || python3 bench/gen_transfers.py "$ROWS" "$FILE"
declare -A walls
for run in $(seq "$RUNS"); do
    for b in old new; do
        bin=$OLD; [ "$b" = new ] && bin=$NEW
        export QORGAU_DATA_DIR="$DIR/data-ab-$b"
        rm -rf "$QORGAU_DATA_DIR"
        /usr/bin/time -o "$DIR/ab-$b.time" -f '%e %U %S %M' \
            "$bin" money import "$FILE" --format tron-csv --case BENCH-1 --json >/dev/null
        read -r wall user sys rss < "$DIR/ab-$b.time"
        walls[$b]+="$wall "
        echo "run $run $b: wall ${wall} s, user ${user} s, sys ${sys} s, max RSS $((rss / 1024)) MiB, database $(du -sh "$QORGAU_DATA_DIR" | cut -f1), load $(cut -d' ' -f1 /proc/loadavg)"
    done
done
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else printf "%.2f\n", (a[NR/2] + a[NR/2+1]) / 2}'; }
for b in old new; do
    m=$(echo "${walls[$b]}" | median)
    echo "$b median wall: $m s ($(awk -v n="$ROWS" -v s="$m" 'BEGIN {printf "%.0f", n / s}') transfers/s)"
done
