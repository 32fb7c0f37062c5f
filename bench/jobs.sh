#!/usr/bin/env bash
# Benchmark (issue 9): throughput of capture and scan jobs through the work
# queue on PostgreSQL with 1, 2 and 4 `qorgau worker` processes (one job at a
# time each), beside the peer: the same commands run by `xargs -P N`, a plain
# process pool with no queue, no leases, no retries and no record of the
# jobs. The ratio is what the queue costs (or saves) for what it adds.
#
#   bench/jobs.sh [RUNS] [CAPTURES] [SCANS]     (default 3, 100, 6)
#
# Capture jobs: `--no-browser` captures of /page/N of the local test site
# (qorgau-testsite, loopback), one page per job, into one case. Scan jobs:
# `qorgau scan` of the synthetic corpus's 5,000 development ads
# (../shared/data/dev.jsonl, or CORPUS=path), one file per job.
# Each run uses a fresh database (qorgau_bench_jobs on PG_URL's server) and a
# fresh data directory; jobs are queued before the workers start, and the
# time runs from the workers' start until `qorgau jobs wait` sees none open.
set -Eeuo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
captures="${2:-100}"
scans="${3:-6}"
corpus="${CORPUS:-../shared/data/dev.jsonl}"
pg_server="${PG_SERVER:-postgres://postgres@127.0.0.1:5432}"
db_name=qorgau_bench_jobs
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
# BIN_DIR=path uses another build (only to try the script: figures are
# quoted from the release build).
bin="${BIN_DIR:-}"
if [ -z "$bin" ]; then
    cargo build --release -q -p qorgau -p qorgau-testsite
    bin="$CARGO_TARGET_DIR/release"
fi
work="$(mktemp -d /tmp/qorgau-jobs-bench.XXXXXX)"
"$bin/qorgau-testsite" > "$work/site.txt" &
site_pid=$!
workers=()
cleanup() {
    kill "${workers[@]}" "$site_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
# A failing step says where, with what the commands wrote (they write to
# $work/steps.log, not to the terminal).
trap 'echo "bench/jobs.sh: failed at line $LINENO" >&2; tail -n 30 "$work/steps.log" "$work/worker.log" >&2 2>/dev/null' ERR
for _ in $(seq 50); do [ -s "$work/site.txt" ] && break; sleep 0.1; done
base="$(head -n1 "$work/site.txt")"
echo "# $(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); site $base; $captures captures, $scans scans of $(wc -l < "$corpus") ads; $runs runs" >&2

fresh() {
    psql -q "$pg_server/postgres" -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS $db_name WITH (FORCE)" -c "CREATE DATABASE $db_name" > /dev/null
    rm -rf "$work/data"
    # The vault, its case and its first capture, outside the timing.
    "$bin/qorgau" --data-dir "$work/data" --database-url "$pg_server/$db_name" \
        capture "$base/" --case bench --no-browser > /dev/null 2>> "$work/steps.log"
}

q() { "$bin/qorgau" --data-dir "$work/data" --database-url "$pg_server/$db_name" "$@"; }

now() { date +%s.%N; }

results="$work/results.tsv"

# queue KIND N: seconds for N workers to run the queued jobs of KIND
# (appended to the results; not in a subshell, which would run the EXIT trap).
queue() {
    local kind="$1" n="$2"
    fresh
    if [ "$kind" = capture ]; then
        for i in $(seq 1 "$captures"); do
            q jobs submit capture --case bench --arg "url=$base/page/$(( (i - 1) % 50 + 1 ))" > /dev/null 2>> "$work/steps.log"
        done
    else
        for i in $(seq 1 "$scans"); do
            q jobs submit scan --input "$corpus" --arg "file=scan-$i.jsonl" > /dev/null 2>> "$work/steps.log"
        done
    fi
    local start end
    start=$(now)
    workers=()
    for _ in $(seq 1 "$n"); do
        # The binary itself in the background, not the `q` function: $!
        # would be a subshell that a SIGTERM stops without its worker.
        "$bin/qorgau" --data-dir "$work/data" --database-url "$pg_server/$db_name" \
            worker --concurrency 1 --no-schedules --capture-no-browser 2>> "$work/worker.log" &
        workers+=($!)
    done
    if ! q jobs wait --timeout 3600 > "$work/wait.log" 2>&1; then
        echo "jobs wait failed:" >&2
        cat "$work/wait.log" "$work/worker.log" >&2
        exit 1
    fi
    end=$(now)
    kill -TERM "${workers[@]}" 2>/dev/null || true
    wait "${workers[@]}" 2>/dev/null || true
    workers=()
    local dead
    dead="$(q jobs list --state dead --json | wc -l)"
    if [ "$dead" != 0 ]; then
        echo "$dead $kind jobs ended dead:" >&2
        q jobs list --state dead >&2
        exit 1
    fi
    printf "queue\t%s\t%s\t%s\n" "$kind" "$n" "$(python3 -c "print(f'{$end - $start:.3f}')")" >> "$results"
}

# pool KIND N: seconds for `xargs -P N` to run the same commands (appended).
pool() {
    local kind="$1" n="$2"
    fresh
    local start end
    start=$(now)
    if [ "$kind" = capture ]; then
        for i in $(seq 1 "$captures"); do echo "$base/page/$(( (i - 1) % 50 + 1 ))"; done |
            xargs -P "$n" -I{} "$bin/qorgau" --data-dir "$work/data" --database-url "$pg_server/$db_name" \
                capture {} --case bench --no-browser > /dev/null 2>> "$work/steps.log"
    else
        seq 1 "$scans" |
            xargs -P "$n" -I{} "$bin/qorgau" scan "$corpus" --out "$work/pool-scan-{}.jsonl" 2>> "$work/steps.log"
    fi
    end=$(now)
    printf "xargs\t%s\t%s\t%s\n" "$kind" "$n" "$(python3 -c "print(f'{$end - $start:.3f}')")" >> "$results"
}

for run in $(seq 1 "$runs"); do
    for kind in capture scan; do
        for n in 1 2 4; do
            queue "$kind" "$n"
            pool "$kind" "$n"
        done
    done
    echo "run $run of $runs done" >&2
done

python3 - "$results" "$captures" "$scans" "$(wc -l < "$corpus")" <<'PY'
import statistics, sys
rows = [l.split("\t") for l in open(sys.argv[1]).read().split("\n") if l]
captures, scans, ads = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
t = {}
for tool, kind, n, s in rows:
    t.setdefault((tool, kind, int(n)), []).append(float(s))
print("| jobs | processes | queue: median s | queue: per minute | xargs -P: median s | queue vs xargs |")
print("|---|---:|---:|---:|---:|---:|")
for kind, count, unit in (("capture", captures, "pages"), ("scan", scans, "files")):
    for n in (1, 2, 4):
        qm = statistics.median(t[("queue", kind, n)])
        xm = statistics.median(t[("xargs", kind, n)])
        rate = count * 60 / qm
        extra = f" ({count * ads / qm:,.0f} ads/s)" if kind == "scan" else ""
        print(f"| {count} {kind} | {n} | {qm:.2f} | {rate:,.0f} {unit}{extra} | {xm:.2f} | {xm / qm:.2f}x |")
PY
