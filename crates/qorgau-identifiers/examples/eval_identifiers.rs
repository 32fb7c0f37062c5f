//! Precision and recall of identifier extraction per kind on the synthetic
//! development corpus (not run in tests; the data lives outside the crate).
//!
//! ```text
//! cargo run --release -p qorgau-identifiers --example eval_identifiers -- \
//!     [DOCS.jsonl] [TRUTH.jsonl] [--show KIND]
//! ```
//! `--show KIND` prints the misses and false alarms of one kind. Use the
//! figures to find bugs in the rules, not to fit the wording of the corpus.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::io::BufRead;

use qorgau_identifiers::Extractor;

fn lines(path: &str) -> Vec<serde_json::Value> {
    let f = std::fs::File::open(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    std::io::BufReader::new(f)
        .lines()
        .map(|l| serde_json::from_str(&l.unwrap()).unwrap())
        .collect()
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let show = args.iter().position(|a| a == "--show").map(|i| {
        let k = args.get(i + 1).cloned().unwrap_or_default();
        args.drain(i..(i + 2).min(args.len()));
        k
    });
    let docs_path = args
        .first()
        .cloned()
        .unwrap_or("/work/shared/data/dev.jsonl".into());
    let truth_path = args
        .get(1)
        .cloned()
        .unwrap_or("/work/shared/data/dev.truth.jsonl".into());
    let docs = lines(&docs_path);
    let truth = lines(&truth_path);
    let ex = Extractor::new();
    // kind -> (tp, fp, fn)
    let mut stats: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    let start = std::time::Instant::now();
    let mut bytes = 0usize;
    for (d, t) in docs.iter().zip(&truth) {
        let text = d["text"].as_str().unwrap_or("");
        bytes += text.len();
        let got: BTreeSet<(String, String)> = ex
            .extract(text)
            .into_iter()
            .map(|i| {
                let k = serde_json::to_value(i.kind)
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_owned();
                (k, i.value)
            })
            .collect();
        let want: BTreeSet<(String, String)> = t["identifiers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                (
                    i["kind"].as_str().unwrap().to_owned(),
                    i["value"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        for k in got.iter().chain(&want) {
            stats.entry(k.0.clone()).or_default();
        }
        for g in &got {
            let e = stats.get_mut(&g.0).unwrap();
            if want.contains(g) {
                e.0 += 1;
            } else {
                e.1 += 1;
                if show.as_deref() == Some(g.0.as_str()) {
                    println!(
                        "FALSE {} {:?}\n    in: {}",
                        d["id"],
                        g.1,
                        text.replace('\n', " | ")
                    );
                }
            }
        }
        for w in want.difference(&got) {
            stats.get_mut(&w.0).unwrap().2 += 1;
            if show.as_deref() == Some(w.0.as_str()) {
                let raw = t["identifiers"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|i| i["kind"] == w.0.as_str() && i["value"] == w.1.as_str())
                    .map(|i| i["raw"].to_string())
                    .unwrap_or_default();
                println!(
                    "MISS  {} {:?} raw {raw}\n    in: {}",
                    d["id"],
                    w.1,
                    text.replace('\n', " | ")
                );
            }
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{:<12} {:>6} {:>6} {:>6} {:>9} {:>9}",
        "kind", "tp", "fp", "fn", "precision", "recall"
    );
    let (mut tt, mut tf, mut tn) = (0, 0, 0);
    for (k, (tp, fp, fnn)) in &stats {
        let p = *tp as f64 / (*tp + *fp).max(1) as f64;
        let r = *tp as f64 / (*tp + *fnn).max(1) as f64;
        println!("{k:<12} {tp:>6} {fp:>6} {fnn:>6} {p:>9.4} {r:>9.4}");
        tt += tp;
        tf += fp;
        tn += fnn;
    }
    let p = tt as f64 / (tt + tf).max(1) as f64;
    let r = tt as f64 / (tt + tn).max(1) as f64;
    println!("{:<12} {tt:>6} {tf:>6} {tn:>6} {p:>9.4} {r:>9.4}", "all");
    println!(
        "{} documents, {:.1} MB in {:.2} s ({:.1} MB/s, single thread)",
        docs.len(),
        bytes as f64 / 1e6,
        secs,
        bytes as f64 / 1e6 / secs
    );
}
