#!/usr/bin/env bash
# Benchmark: the early-response API under load (issue 5, "Load"):
#   "with wrk on loopback, signal intake sustains at least 2,000 signals/s on
#    SQLite with p99 under 50 ms and nothing lost (the count in the database
#    equals the count accepted), and a case page of a case with 10,000
#    documents answers in under 100 ms p95."
#
#   bench/response.sh [INTAKE_SECONDS] [INTAKE_CONNECTIONS] [CASE_SECONDS] [CASE_CONNECTIONS] [DOCUMENTS]
#   bench/response.sh 30 32 20 8 10000        # the defaults
#
# What it does, on a fresh data directory under $BENCH_DIR (default /tmp; on
# the machine's ordinary disk, as a real installation's would be):
#  1. Installs wrk and sqlite3 from Debian if missing (apt-get, as root), and
#     builds `qorgau` in release mode (or uses $QORGAU_BIN if set).
#  2. Creates three accounts with `qorgau admin create` (an administrator in
#     mvd-cyber, a partner_system account in `prosecutor`, an analyst in
#     `mvd-cyber`), starts `qorgau serve --bind 127.0.0.1:PORT
#     --insecure-cookies` on the embedded SQLite (the server as shipped:
#     WAL, synchronous = FULL, four connections), signs the administrator in
#     over HTTP (POST /api/auth/login) and issues bearer tokens to the partner
#     system and the analyst (POST /api/users/{id}/tokens).
#  3. Intake: `wrk -t2 -cN -dS --latency` with bench/wrk-signals.lua POSTs
#     JSON signals to /api/signals with the partner system's token, every one
#     distinct (resource URL and Telegram handle carry the thread's number and
#     a per-thread counter), so each accepted request is one new signal. It
#     reports requests/s, p50/p99, non-2xx; then compares the 2xx answers
#     counted in wrk's `response` callback with the rows signal_reports
#     gained (sqlite3 on <data>/qorgau.db), and looks up every accepted
#     signal id in the database. wrk stops with up to N requests in flight;
#     the server may or may not commit those (the client never sees their
#     answers), so the check is: every accepted id is in the database, and
#     accepted <= rows gained <= accepted + in flight at the stop.
#     With BENCH_SWEEP="1 2 4 32" (connection counts), 10 s intake runs at
#     each follow, with the server's CPU time per request and perf's count
#     of SQLite busy-handler sleeps (the findings in BENCHMARKS.md).
#  4. Case page: the analyst opens a case (POST /api/cases); then the
#     benchmark attaches DOCUMENTS monitored documents to it directly with
#     sqlite3, in one transaction while the server runs (WAL lets it):
#     one monitor_jobs row for the case, DOCUMENTS `documents` rows (synthetic
#     ads of ~500 bytes, every tenth deleted from its source) and their
#     case_documents rows, each attached a minute after the previous one.
#     In the product documents arrive through `qorgau monitor` runs and are
#     attached one by one over the API (POST /api/cases/{id}/documents, one
#     ledger entry each); filling 10,000 that way would measure attaching,
#     not the page. Ten single requests are timed with curl (no load), then
#     `wrk -t2 -cM -dS --latency` with bench/wrk-case.lua GETs
#     /api/cases/{id} with the analyst's token and prints p50/p95/p99.
#     (The index these runs proposed, case_documents_by_added, is in
#     migration 0005 since; the BENCH_CASE_INDEX what-if is gone.)
#  5. Writes everything (machine, wrk's own output, the checks) to
#     bench/response-results-<date>[b, c…].txt and prints a summary with the
#     issue's targets marked met / not met.
#
# wrk runs on the same two cores as the server, so its own CPU time is taken
# from the server's: the figures are a lower bound of what the server does
# with a client on another machine.
set -euo pipefail
cd "$(dirname "$0")/.."
intake_s="${1:-30}"
intake_c="${2:-32}"
case_s="${3:-20}"
case_c="${4:-8}"
docs="${5:-10000}"

need() { # need COMMAND DEBIAN_PACKAGE
    command -v "$1" >/dev/null 2>&1 && return
    if [ "$(id -u)" -ne 0 ]; then
        echo "$1 is missing: apt-get install -y $2 (as root)" >&2
        exit 2
    fi
    apt-get install -y -q "$2" >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q "$2" >/dev/null; }
}
need wrk wrk
need sqlite3 sqlite3
need curl curl
need jq jq

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
if [ -z "${QORGAU_BIN:-}" ]; then
    cargo build --release -q -p qorgau
    QORGAU_BIN="$CARGO_TARGET_DIR/release/qorgau"
fi
qorgau="$QORGAU_BIN"

work="$(mktemp -d "${BENCH_DIR:-/tmp}/qorgau-response-bench.XXXXXX")"
data="$work/data"
db="$data/qorgau.db"
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    [ -n "${KEEP_BENCH_DIR:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

# Results file: bench/response-results-<date>.txt, then …b, …c for later runs that day.
day="$(date +%F)"
out="bench/response-results-$day.txt"
for suffix in b c d e f g h; do
    [ -e "$out" ] || break
    out="bench/response-results-$day$suffix.txt"
done
log() { echo "$@" | tee -a "$out"; }
: > "$out"

log "# bench/response.sh $intake_s $intake_c $case_s $case_c $docs — $(date -u +%FT%TZ)"
log "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- crates 2>/dev/null || echo ' (crates/ changed)')"
log "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/^Mem:/ {print $2}') GiB, data dir on $(df -T "$work" | awk 'NR==2 {print $2 " " $1}')"
log "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
log "tools: $(wrk --version 2>&1 | head -n1 | cut -d' ' -f1-2), sqlite3 $(sqlite3 --version | cut -d' ' -f1), $("$qorgau" --version)"

# --- accounts, server, tokens -------------------------------------------------
password='Bench-password-2026'
create() { # create USERNAME AGENCY ROLE -> user id
    printf '%s\n' "$password" | "$qorgau" --data-dir "$data" admin create \
        --username "$1" --display-name "Benchmark $1" --agency "$2" --role "$3" \
        --password-stdin --json 2>>"$work/admin.log" | jq -r .id
}
admin_id="$(create bench-admin mvd-cyber administrator)"
partner_id="$(create bench-partner prosecutor partner_system)"
analyst_id="$(create bench-analyst mvd-cyber analyst)"

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"
"$qorgau" --data-dir "$data" serve --bind "127.0.0.1:$port" --insecure-cookies 2>"$work/server.log" &
server_pid=$!
for _ in $(seq 100); do
    curl -fsS -o /dev/null "$base/api/openapi.json" 2>/dev/null && break
    sleep 0.1
done
curl -fsS -o /dev/null "$base/api/openapi.json" || { cat "$work/server.log" >&2; exit 1; }

login="$(curl -fsS -c "$work/cookies" -H 'Content-Type: application/json' \
    -d "{\"username\":\"bench-admin\",\"password\":\"$password\"}" "$base/api/auth/login")"
csrf="$(jq -r .csrf_token <<<"$login")"
issue() { # issue USER_ID -> bearer token
    curl -fsS -b "$work/cookies" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
        -d '{"label":"bench/response.sh","days":1}' "$base/api/users/$1/tokens" | jq -r .token
}
partner_token="$(issue "$partner_id")"
analyst_token="$(issue "$analyst_id")"
[ -n "$admin_id" ] && [ -n "$partner_token" ] && [ -n "$analyst_token" ] || { echo "set-up failed" >&2; exit 1; }
rows() { sqlite3 "$db" ".timeout 60000" "$1"; }

# --- 1. signal intake -----------------------------------------------------------
log ""
log "## Signal intake: wrk -t2 -c$intake_c -d${intake_s}s --latency -s bench/wrk-signals.lua $base/api/signals"
before="$(rows 'SELECT COUNT(*) FROM signal_reports')"
QORGAU_TOKEN="$partner_token" BENCH_TAG="r$$" BENCH_IDS_FILE="$work/accepted.ids" \
    wrk -t2 -c"$intake_c" -d"${intake_s}s" --latency -s bench/wrk-signals.lua "$base/api/signals" \
    > "$work/intake.txt"
sleep 2   # let requests cut off at the stop finish or roll back
cat "$work/intake.txt" >> "$out"
get() { awk -v k="$2" '$1 == "BENCH" && $2 == k {print $3}' "$1"; }
after="$(rows 'SELECT COUNT(*) FROM signal_reports')"
gained=$((after - before))
signals_rows="$(rows 'SELECT COUNT(*) FROM signals')"
accepted="$(get "$work/intake.txt" accepted)"
answered="$(get "$work/intake.txt" answered)"
sent="$(get "$work/intake.txt" sent)"
rejected="$(get "$work/intake.txt" rejected)"
# wrk calls request() once before the run to check the script: one counter value is never sent.
in_flight=$((sent - 1 - answered))
sqlite3 "$db" ".timeout 60000" "CREATE TEMP TABLE seen (id TEXT);" ".mode csv" ".import $work/accepted.ids seen" \
    "SELECT COUNT(*) FROM seen WHERE id NOT IN (SELECT signal_id FROM signal_reports);" > "$work/missing.txt"
missing="$(tail -n1 "$work/missing.txt")"
ids_listed="$(wc -l < "$work/accepted.ids")"
log "accepted (2xx) $accepted, of which new signals $(get "$work/intake.txt" created); non-2xx $rejected; socket errors $(get "$work/intake.txt" socket_errors)"
log "signal_reports rows gained $gained (signals rows $signals_rows); in flight when wrk stopped $in_flight"
log "accepted signal ids looked up: $ids_listed, not in the database: $missing"
intake_rps="$(get "$work/intake.txt" requests_per_s)"
intake_p50="$(get "$work/intake.txt" p50_ms)"
intake_p99="$(get "$work/intake.txt" p99_ms)"
if [ "$missing" -eq 0 ] && [ "$ids_listed" -eq "$accepted" ] && [ "$gained" -ge "$accepted" ] \
    && [ "$gained" -le $((accepted + in_flight)) ] && [ "$rejected" -eq 0 ]; then
    lost="nothing lost"
    lost_ok=1
else
    lost="MISMATCH"
    lost_ok=0
fi
log "check: $lost (every accepted id stored; accepted $accepted <= gained $gained <= accepted + in flight $((accepted + in_flight)))"

# --- 1b. optional: intake against the number of connections ----------------------
# BENCH_SWEEP="1 2 4 32": a 10 s wrk run per connection count, with the
# server's CPU time per answered request (from /proc/PID/stat) and, if perf
# is usable, how often a thread slept in SQLite's busy handler
# (clock_nanosleep) — the sign of writers waiting for the write lock.
if [ -n "${BENCH_SWEEP:-}" ]; then
    log ""
    log "## Intake against connections (BENCH_SWEEP, 10 s each; wrk -t1 for one connection, -t2 otherwise)"
    log "| connections | requests/s | p50 ms | p99 ms | server CPU ms / request | busy-handler sleeps / request |"
    log "|---:|---:|---:|---:|---:|---:|"
    tck="$(getconf CLK_TCK)"
    for c in $BENCH_SWEEP; do
        t=2; [ "$c" -ge 2 ] || t=1
        cpu0="$(awk '{print $14 + $15}' "/proc/$server_pid/stat")"
        sleeps="n/a"
        if command -v perf >/dev/null 2>&1; then
            perf stat -e syscalls:sys_enter_clock_nanosleep -p "$server_pid" -x, -o "$work/sleeps.txt" -- sleep 10.5 2>/dev/null &
            perf_pid=$!
        else
            perf_pid=""
        fi
        QORGAU_TOKEN="$partner_token" BENCH_TAG="s$c-$$"             wrk -t"$t" -c"$c" -d10s --latency -s bench/wrk-signals.lua "$base/api/signals" > "$work/sweep.txt"
        cpu1="$(awk '{print $14 + $15}' "/proc/$server_pid/stat")"
        n="$(get "$work/sweep.txt" answered)"
        if [ -n "$perf_pid" ] && wait "$perf_pid" && [ -s "$work/sleeps.txt" ]; then
            sleeps="$(awk -F, -v n="$n" '/clock_nanosleep/ && $1 ~ /^[0-9]+$/ {printf "%.2f", $1 / n}' "$work/sleeps.txt")"
        fi
        log "| $c | $(get "$work/sweep.txt" requests_per_s) | $(get "$work/sweep.txt" p50_ms) | $(get "$work/sweep.txt" p99_ms) | $(python3 -c "print(f'{($cpu1 - $cpu0) * 1000 / $tck / $n:.2f}')") | ${sleeps:-n/a} |"
    done
fi

# --- 2. the case page -------------------------------------------------------------
log ""
opened="$(curl -fsS -H "Authorization: Bearer $analyst_token" -H 'Content-Type: application/json' \
    -d '{"title":"Benchmark case: recruitment channel with 10,000 monitored ads","kind":"criminal","resources":["https://t.me/bench_recruiter_channel"],"identifiers":[{"kind":"phone","value":"+7 700 000 0042"}]}' \
    "$base/api/cases")"
case_id="$(jq -r .case.id <<<"$opened")"
t0=$(date +%s.%N)
sqlite3 "$db" <<SQL
.timeout 60000
PRAGMA foreign_keys = ON;
BEGIN;
INSERT INTO monitor_jobs (id, name, source_kind, spec, case_id, created_at, created_by, enabled, last_run_at)
VALUES ('01900000-0000-7000-8000-00000000b001', 'bench-channel', 'telegram', '{"channel":"bench_recruiter_channel"}',
        '$case_id', '2026-01-01T00:00:00.000000Z', 'bench', 1, NULL);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $docs)
INSERT INTO documents (id, job_id, doc_key, url, source, author, title, published_at, first_seen, last_seen,
                       last_changed, deleted_at, content_sha256, body, lang, risk, flagged, assessment)
SELECT printf('01900000-0000-7000-8000-%012x', i), '01900000-0000-7000-8000-00000000b001', 'msg-' || i,
       'https://t.me/bench_recruiter_channel/' || i, 'telegram:@bench_recruiter_channel', 'bench_recruiter',
       'Работа за границей №' || i || ': официантки, хостес, перелёт бесплатно',
       strftime('%Y-%m-%dT%H:%M:%S.000000Z', '2026-01-01', '+' || i || ' minutes'),
       strftime('%Y-%m-%dT%H:%M:%S.000000Z', '2026-01-01', '+' || i || ' minutes'),
       strftime('%Y-%m-%dT%H:%M:%S.000000Z', '2026-01-01', '+' || i || ' minutes'),
       strftime('%Y-%m-%dT%H:%M:%S.000000Z', '2026-01-01', '+' || i || ' minutes'),
       CASE WHEN i % 10 = 0 THEN strftime('%Y-%m-%dT%H:%M:%S.000000Z', '2026-01-02', '+' || i || ' minutes') END,
       printf('%064x', i),
       'Синтетическое объявление ' || i || '. Требуются девушки 18-25 лет для работы в ресторане за границей. '
         || 'Зарплата от 2000\$, жильё и перелёт бесплатно, документы оформим сами. Пиши в Telegram, '
         || 'не звони. Шетелде жұмыс, айлығы жоғары, билет тегін. Synthetic benchmark text, no real person. '
         || substr(hex(zeroblob(60)), 1, 120),
       'ru', 0.9, 1, NULL
FROM n;
INSERT INTO case_documents (case_id, document_id, added_at, added_by)
SELECT '$case_id', id, strftime('%Y-%m-%dT%H:%M:%S.000000Z', first_seen, '+1 hour'), 'bench'
FROM documents WHERE job_id = '01900000-0000-7000-8000-00000000b001';
COMMIT;
SQL
t1=$(date +%s.%N)
attached="$(rows "SELECT COUNT(*) FROM case_documents WHERE case_id = '$case_id'")"
log "## Case page: case $case_id with $attached documents (inserted with sqlite3 in $(python3 -c "print(f'{$t1 - $t0:.2f}')") s)"
page="$(curl -fsS -H "Authorization: Bearer $analyst_token" "$base/api/cases/$case_id")"
log "page: $(printf '%s' "$page" | wc -c) bytes, document_count $(jq .document_count <<<"$page"), documents listed $(jq '.documents | length' <<<"$page"), tasks $(jq '.tasks | length' <<<"$page"), referrals $(jq '.referrals | length' <<<"$page")"
single=""
for _ in $(seq 10); do
    single="$single $(curl -fsS -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $analyst_token" "$base/api/cases/$case_id")"
done
single_median="$(python3 -c "import statistics, sys; print(f'{statistics.median(float(x) for x in sys.argv[1:]) * 1000:.1f}')" $single)"
log "ten single requests without load (curl time_total, s):$single; median $single_median ms"
log ""
log "wrk -t2 -c$case_c -d${case_s}s --latency -s bench/wrk-case.lua $base/api/cases/$case_id"
QORGAU_TOKEN="$analyst_token" CASE_ID="$case_id" \
    wrk -t2 -c"$case_c" -d"${case_s}s" --latency -s bench/wrk-case.lua "$base/api/cases/$case_id" \
    > "$work/case.txt"
cat "$work/case.txt" >> "$out"
case_rejected="$(get "$work/case.txt" rejected)"
case_p50="$(get "$work/case.txt" p50_ms)"
case_p95="$(get "$work/case.txt" p95_ms)"
case_p99="$(get "$work/case.txt" p99_ms)"
case_rps="$(get "$work/case.txt" requests_per_s)"
reads="$(rows "SELECT COUNT(*) FROM ledger WHERE case_id = '$case_id' AND kind = 'read'")"
log "ledger read entries written for the case: $reads"
log "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

# --- summary ------------------------------------------------------------------------
verdict() { # verdict VALUE OP TARGET
    python3 -c "import sys; print('met' if float(sys.argv[1]) $2 float(sys.argv[2]) else 'NOT MET')" "$1" "$3"
}
log ""
log "## Summary (issue 5 targets)"
log "| measure | value | target | |"
log "|---|---:|---:|---|"
log "| intake, signals/s (2xx) | $intake_rps | >= 2000 | $(verdict "$intake_rps" '>=' 2000) |"
log "| intake p50 / p99 | $intake_p50 / $intake_p99 ms | p99 < 50 ms | $(verdict "$intake_p99" '<' 50) |"
log "| intake, accepted vs stored | $accepted accepted, $gained stored, $missing accepted ids missing, $rejected non-2xx | equal | $([ "$lost_ok" -eq 1 ] && echo met || echo 'NOT MET') |"
log "| case page ($attached documents) p50 / p95 / p99 | $case_p50 / $case_p95 / $case_p99 ms at $case_rps req/s | p95 < 100 ms | $(verdict "$case_p95" '<' 100)$([ "$case_rejected" -eq 0 ] || echo ", $case_rejected non-2xx!") |"
log "| case page, one request without load (median of 10) | $single_median ms | | |"
echo "raw results: $out" >&2
