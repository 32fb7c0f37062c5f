//! Identifier extraction throughput over a file (not run in tests).
//!
//! ```text
//! cargo run --release -p qorgau-identifiers --example throughput -- FILE [--jsonl] [--repeat N]
//! ```
//! With `--jsonl` each line's `text` field is a document (as in
//! `qorgau scan`); otherwise the file is split into documents at blank lines.
//! Prints MB/s of document text on one thread, and the time spent in
//! normalisation alone.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use qorgau_identifiers::Extractor;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = args
        .first()
        .expect("usage: throughput FILE [--jsonl] [--repeat N]");
    let jsonl = args.iter().any(|a| a == "--jsonl");
    let repeat: usize = args
        .iter()
        .position(|a| a == "--repeat")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(1);
    let raw = std::fs::read_to_string(path).expect("read file");
    let docs: Vec<String> = if jsonl {
        raw.lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter_map(|v| v["text"].as_str().map(str::to_owned))
            .collect()
    } else {
        raw.split("\n\n").map(str::to_owned).collect()
    };
    let bytes: usize = docs.iter().map(String::len).sum::<usize>() * repeat;
    let ex = Extractor::new();

    // CPU time of this thread, less disturbed by other work on the machine.
    let cpu = || -> f64 {
        std::fs::read_to_string("/proc/thread-self/schedstat")
            .ok()
            .and_then(|s| {
                s.split_whitespace()
                    .next()
                    .and_then(|n| n.parse::<f64>().ok())
            })
            .map_or(0.0, |ns| ns / 1e9)
    };
    let mb = bytes as f64 / 1e6;
    let measure = |name: &str, f: &dyn Fn(&str) -> usize| {
        let (t, c) = (Instant::now(), cpu());
        let mut n = 0usize;
        for _ in 0..repeat {
            for d in &docs {
                n += f(d);
            }
        }
        let (wall, used) = (t.elapsed().as_secs_f64(), cpu() - c);
        println!(
            "{name:<22} {:>8.1} MB/s wall {:>8.1} MB/s cpu  ({n})",
            mb / wall,
            if used > 0.0 { mb / used } else { 0.0 }
        );
    };
    println!("{} documents x{repeat}, {mb:.1} MB", docs.len());
    measure("normalize", &|d| {
        qorgau_normalize::normalize(d).as_str().len()
    });
    measure("strip_invisible", &|d| {
        qorgau_normalize::strip_invisible(d).as_str().len()
    });
    let normalized: Vec<_> = docs
        .iter()
        .map(|d| qorgau_normalize::normalize(d))
        .collect();
    let idx = std::cell::Cell::new(0usize);
    measure("extract_normalized", &|d| {
        let i = idx.get();
        idx.set((i + 1) % docs.len());
        ex.extract_normalized(d, &normalized[i]).len()
    });
    measure("extract (all)", &|d| ex.extract(d).len());
}
