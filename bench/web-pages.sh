#!/usr/bin/env bash
# Page load times of the web interface on the demo data set (issue 7: every
# page under 300 ms). Starts `qorgau serve --demo` (release build) in a
# scratch data directory, signs in as each demo role, asks for every page
# RUNS times with curl, and prints the median and 95th percentile of the
# full response time per page.
#
#   bench/web-pages.sh [RUNS]        (default 50)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-50}"
# QORGAU_BIN=path uses another build (only to try the script: figures are
# quoted from the release build).
BIN="${QORGAU_BIN:-}"
if [ -z "$BIN" ]; then
    cargo build --release --quiet -p qorgau
    BIN=target/release/qorgau
fi
DIR="$(mktemp -d)"
trap 'kill "$SERVER" 2>/dev/null || true; rm -rf "$DIR"' EXIT
"$BIN" --data-dir "$DIR/data" serve --demo --bind 127.0.0.1:0 >"$DIR/out" 2>"$DIR/log" &
SERVER=$!
for _ in $(seq 1 300); do
    grep -q "^serving Qorgau on" "$DIR/log" && break
    sleep 0.1
done
BASE="http://$(grep -o '^serving Qorgau on http://[0-9.:]*' "$DIR/log" | sed 's|.*http://||')"
echo "# $(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $RUNS runs per page; $BIN"
printf "%-12s %-44s %9s %9s\n" user page median_ms p95_ms
for user in investigator prosecutor ngo analyst; do
    JAR="$DIR/$user.cookies"
    curl -s -o /dev/null -c "$JAR" -b "$JAR" -d "username=$user&password=Demo-Qorgau-2026&next=/" "$BASE/login"
    curl -s -c "$JAR" -b "$JAR" "$BASE/cases" > "$DIR/cases.html"
    CASE="$(grep -o 'href="/cases/[0-9a-f-]*"' "$DIR/cases.html" | head -1 | sed 's|href="||; s|"||')"
    PAGES=(/ /cases /referrals "$CASE")
    if [ "$user" = investigator ]; then
        curl -s -c "$JAR" -b "$JAR" "$BASE$CASE" > "$DIR/case.html"
        ITEM="$(grep -o 'href="/cases/[0-9a-f-]*/evidence/[0-9a-f-]*"' "$DIR/case.html" | head -1 | sed 's|href="||; s|"||' || true)"
        PAGES+=(/triage /network "$CASE/qualify" "$CASE/money" "$CASE/import")
        [ -n "$ITEM" ] && PAGES+=("$ITEM")
    fi
    [ "$user" = analyst ] && PAGES=(/admin/lexicon "/admin/lexicon/edit?file=employment_abroad.toml")
    for p in "${PAGES[@]}"; do
        for _ in $(seq 1 "$RUNS"); do
            curl -s -o /dev/null -b "$JAR" -w '%{time_total}\n' "$BASE$p"
        done | sort -n | awk -v user="$user" -v page="$(echo "$p" | sed -E 's|/cases/[0-9a-f-]+|/cases/{id}|; s|/evidence/[0-9a-f-]+|/evidence/{item}|')" '
            { t[NR] = $1 * 1000 }
            END { m = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2;
                  i = int(NR * 0.95); if (i < 1) i = 1;
                  printf "%-12s %-44s %9.1f %9.1f\n", user, page, m, t[i] }'
    done
done
