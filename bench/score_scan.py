#!/usr/bin/env python3
"""Scores `qorgau scan` output against a truth file in the format of the
synthetic corpus (label, minor, identifiers, template, network, lang).

    python3 bench/score_scan.py SCAN.jsonl TRUTH.jsonl

Prints flag/scenario/minor/language figures, identifier precision and recall
per kind (on (kind, value) pairs), and pairwise precision/recall of clusters
against templates and of networks against truth networks."""
import collections
import json
import sys
from itertools import combinations


def pairs(groups):
    """Same-group document pairs, counted without listing them."""
    return sum(n * (n - 1) // 2 for n in groups.values())


def pairwise(pred, true):
    both = collections.Counter(zip(pred, true))
    tp = pairs(both)
    pp = pairs(collections.Counter(pred))
    tt = pairs(collections.Counter(true))
    p = tp / pp if pp else 1.0
    r = tp / tt if tt else 1.0
    return p, r


def main(scan_path, truth_path):
    scan = [json.loads(l) for l in open(scan_path, encoding="utf-8")]
    truth = [json.loads(l) for l in open(truth_path, encoding="utf-8")]
    assert len(scan) == len(truth), "scan and truth differ in length"
    c = collections.Counter()
    kinds = collections.defaultdict(collections.Counter)
    for s, t in zip(scan, truth):
        assert s["id"] == t["id"], (s["id"], t["id"])
        risky = t["label"] != "none"
        c["tp" if risky and s["flagged"] else "fp" if s["flagged"] else "fn" if risky else "tn"] += 1
        c["scen_ok"] += s["scenario"] == t["label"]
        c["minor_tp"] += t["minor"] and s.get("minor", False)
        c["minor_fp"] += (not t["minor"]) and s.get("minor", False)
        c["minor_fn"] += t["minor"] and not s.get("minor", False)
        c["lang_ok"] += s["lang"] == t["lang"]
        found = {(i["kind"], i["value"]) for i in s["identifiers"]}
        want = {(i["kind"], i["value"]) for i in t["identifiers"]}
        for k, v in found & want:
            kinds[k]["tp"] += 1
        for k, v in found - want:
            kinds[k]["fp"] += 1
        for k, v in want - found:
            kinds[k]["fn"] += 1
    n = len(scan)
    ratio = lambda a, b: a / b if b else 0.0
    print(f"documents {n}")
    print(f"flag precision {ratio(c['tp'], c['tp'] + c['fp']):.4f} recall {ratio(c['tp'], c['tp'] + c['fn']):.4f}")
    print(f"scenario accuracy (all documents) {c['scen_ok'] / n:.4f}")
    print(f"minor precision {ratio(c['minor_tp'], c['minor_tp'] + c['minor_fp']):.4f} recall {ratio(c['minor_tp'], c['minor_tp'] + c['minor_fn']):.4f}")
    print(f"language accuracy {c['lang_ok'] / n:.4f}")
    for k in sorted(kinds):
        x = kinds[k]
        print(f"  {k:12} precision {ratio(x['tp'], x['tp'] + x['fp']):.4f} recall {ratio(x['tp'], x['tp'] + x['fn']):.4f} (tp {x['tp']} fp {x['fp']} fn {x['fn']})")
    p, r = pairwise([s["cluster"] for s in scan], [t["template"] for t in truth])
    print(f"clusters vs templates: pairwise precision {p:.4f} recall {r:.4f}")
    p, r = pairwise([s["network"] for s in scan], [t["network"] for t in truth])
    print(f"networks vs truth networks: pairwise precision {p:.4f} recall {r:.4f}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
