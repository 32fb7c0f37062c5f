#!/usr/bin/env bash
# Two builds of the identifier benchmark's `extract_file` on the same corpus,
# run in turns (old, new, old, new, …) so that a busy host slows both alike.
#
#   bench/identifiers-ab.sh OLD_EXTRACT_FILE NEW_EXTRACT_FILE [ROUNDS] [CORPUS]
#
# OLD/NEW: `extract_file` binaries of the two commits (build one, copy it
# away, build the other). CORPUS defaults to the 1 GiB file that
# `bench/identifiers.sh` generates. Each run writes its features; every
# run's features must be byte for byte those of the first old run (the
# script stops otherwise). Prints each run's wall and CPU time (user+sys, from
# /usr/bin/time) and the medians as MB/s.
set -euo pipefail
old="$1"
new="$2"
rounds="${3:-5}"
corpus="${4:-${BENCH_DIR:-/tmp/qorgau-identifiers}/mix-1073741824-0.10.txt}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
size=$(stat -c %s "$corpus")
uptime
for r in $(seq "$rounds"); do
    for which in old new; do
        bin="$old"
        [ "$which" = new ] && bin="$new"
        /usr/bin/time -f "%e %U %S" -o "$work/time" "$bin" "$corpus" --out "$work/$which.tsv" 2> /dev/null
        read -r wall user sys < "$work/time"
        echo "$which $wall $user $sys" | tee -a "$work/runs"
        if [ ! -f "$work/reference.tsv" ]; then
            cp "$work/$which.tsv" "$work/reference.tsv"
        elif ! cmp -s "$work/$which.tsv" "$work/reference.tsv"; then
            echo "features of $which (round $r) differ from the first run" >&2
            exit 1
        fi
    done
done
uptime
echo "features identical in every run: $(wc -l < "$work/reference.tsv") lines, sha256 $(sha256sum < "$work/reference.tsv" | cut -c1-16)…"
python3 - "$work/runs" "$size" <<'PY'
import statistics, sys
size = int(sys.argv[2]) / 1e6
runs = {}
for line in open(sys.argv[1]):
    which, wall, user, sys_ = line.split()
    runs.setdefault(which, []).append((float(wall), float(user) + float(sys_)))
for which, rs in runs.items():
    wall = statistics.median(r[0] for r in rs)
    cpu = statistics.median(r[1] for r in rs)
    print(f"{which}: walls {', '.join(f'{r[0]:.2f}' for r in rs)}; cpu {', '.join(f'{r[1]:.2f}' for r in rs)}")
    print(f"{which}: median wall {wall:.2f} s = {size / wall:.1f} MB/s; median cpu {cpu:.2f} s = {size / cpu:.1f} MB/s")
PY
