#!/usr/bin/env bash
# Benchmark: near-duplicate and template clustering (qorgau-cluster).
#  1. N synthetic ads (default 1,000,000) are generated with gen_corpus.py
#     if missing, then read, normalised (qorgau-normalize), signed (MinHash),
#     and clustered (LSH + union-find) by the `cluster_bench` example, which
#     prints the time of each phase and the quality against the known
#     templates (pairwise P/R/F1, adjusted Rand, B-cubed).
#  2. The same corpus is cut to subsets. InfoShield deletes every non-ASCII
#     character and digit, so the fair ones are `ascii` (docs whose normalised
#     text is ASCII-only) and `en` (English-language docs); `every33` (every
#     33rd doc, all languages) shows what it makes of Russian and Kazakh.
#     Qorgau and InfoShield's coarse step (infoshieldcoarse.py, fed our
#     normalised text as CSV) run on each subset in one hyperfine run, and
#     both label files are scored by the same Python code below.
#
#   bench/cluster.sh [N] [SUBSETS] [RUNS]     # e.g. bench/cluster.sh 1000000 "ascii en every33" 1
#
# InfoShield is cloned from its public repository into $BENCH_DIR/infoshield
# (or taken from $INFOSHIELD_DIR) and its Python packages installed into a
# venv there; nothing of it is kept in this repository.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-1000000}"
subsets="${2:-ascii en every33}"
runs="${3:-1}"
# No dots in this path: InfoShield names its output by cutting the input path at the first '.'.
work="${BENCH_DIR:-/tmp/qorgau-cluster}"
data="${QORGAU_DATA:-$PWD/../shared/data}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
mkdir -p "$work"
corpus="$work/c$n"

if [ ! -f "$corpus.truth.jsonl" ]; then
    python3 "$data/gen_corpus.py" --pool "$data/pool_dev.py" --n "$n" --seed 7 --out "$corpus"
fi
cargo build --release -q -p qorgau-cluster --example cluster_bench
bin="$CARGO_TARGET_DIR/release/examples/cluster_bench"

echo "== machine"
nproc
grep -m1 'model name' /proc/cpuinfo || true
free -g | head -2
uptime

echo "== qorgau-cluster, all $n docs"
/usr/bin/time -f "wall %e s, user %U s, sys %S s, max RSS %M KB" \
    "$bin" "$corpus.jsonl" "$corpus.truth.jsonl" --phases --templates 3

is_dir="${INFOSHIELD_DIR:-$work/infoshield}"
if [ ! -f "$is_dir/infoshieldcoarse.py" ]; then
    git clone --depth 1 https://github.com/mengchillee/InfoShield "$is_dir"
fi
venv="${INFOSHIELD_VENV:-$work/infoshield-venv}"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    # infoshieldcoarse.py imports these (matplotlib is imported, not used).
    "$venv/bin/pip" install -q pandas networkx scikit-learn scipy numpy matplotlib
fi

score() { # score TRUTH.jsonl LABELS.csv ID_COLUMN LABEL_COLUMN NAME
    "$venv/bin/python" - "$@" <<'PY'
import csv, json, sys
from collections import Counter
truth_path, labels_path, id_col, label_col, name = sys.argv[1:6]
truth = {}
for line in open(truth_path, encoding="utf-8"):
    t = json.loads(line)
    truth[t["id"]] = t["template"]
csv.field_size_limit(1 << 30)
pred = {}
with open(labels_path, encoding="utf-8", newline="") as f:
    for row in csv.DictReader(f):
        label = str(row[label_col])
        # InfoShield marks documents without a cluster with -1: each is its own.
        pred[row[id_col]] = ("single", row[id_col]) if label == "-1" else label
ids = list(truth)
p = [pred.get(i, ("single", i)) for i in ids]
t = [truth[i] for i in ids]
c2 = lambda k: k * (k - 1) / 2
cells, a, b = Counter(zip(p, t)), Counter(p), Counter(t)
index = sum(c2(v) for v in cells.values())
sa, sb, n = sum(c2(v) for v in a.values()), sum(c2(v) for v in b.values()), len(ids)
prec = index / sa if sa else 1.0
rec = index / sb if sb else 1.0
f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
exp = sa * sb / c2(n) if n > 1 else 0.0
mx = (sa + sb) / 2
ari = (index - exp) / (mx - exp) if mx != exp else 1.0
bp = sum(v * v / a[x] for (x, y), v in cells.items()) / n
br = sum(v * v / b[y] for (x, y), v in cells.items()) / n
bf = 2 * bp * br / (bp + br) if bp + br else 0.0
missing = sum(1 for i in ids if i not in pred)
print(f"{name:11} docs {n} clusters {len(a)} (truth {len(b)}) | pairwise P {prec:.4f} R {rec:.4f} "
      f"F1 {f1:.4f} | ARI {ari:.4f} | B-cubed P {bp:.4f} R {br:.4f} F1 {bf:.4f}"
      + (f" | {missing} docs missing from the label file" if missing else ""))
PY
}

for subset in $subsets; do
    sub="$work/sub_${subset}_$n"
    echo "== subset '$subset' of $n docs"
    if [ ! -f "$sub.csv" ]; then
        "$bin" "$corpus.jsonl" "$corpus.truth.jsonl" --subset "$subset" --write-subset "$sub" \
            | sed -n '1p'
    fi
    mkdir -p "$work/isrun"
    hyperfine --runs "$runs" --export-json "$work/cluster-$subset-$n.json" \
        -n "qorgau-cluster" "'$bin' '$sub.jsonl' '$sub.truth.jsonl' --labels-out '$sub.qorgau.csv'" \
        -n "infoshield-coarse" "cd '$work/isrun' && '$venv/bin/python' '$is_dir/infoshieldcoarse.py' '$sub.csv' > '$sub.infoshield.log'"
    grep 'Finished clustering' "$sub.infoshield.log" | sed 's/^/infoshield internal (after TF-IDF): /'
    "$bin" "$sub.jsonl" "$sub.truth.jsonl" | sed -n '2,4p'
    score "$sub.truth.jsonl" "$sub.qorgau.csv" id cluster qorgau
    score "$sub.truth.jsonl" "${sub}_full_LSH_labels.csv" id "LSH label" infoshield
    "$venv/bin/python" - "$work/cluster-$subset-$n.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
q, i = r["qorgau-cluster"]["median"], r["infoshield-coarse"]["median"]
print(f"median wall: qorgau-cluster {q:.2f} s, infoshield-coarse {i:.2f} s, ratio {i / q:.1f}x")
PY
done
