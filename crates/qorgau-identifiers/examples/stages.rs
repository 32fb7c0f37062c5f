//! Time of the stages of extraction over a file of documents separated by
//! blank lines (not run in tests): the line triage alone, `extract` (triage
//! plus the windows it selects), and `extract_whole` (every line read in
//! full, what `extract` must equal), each as MB/s of CPU time, best of N
//! runs; and the share of the text the triage sends to full reading.
//!
//! ```text
//! cargo run --release -p qorgau-identifiers --example stages -- FILE [RUNS] [triage|extract|whole]
//! ```
//! A stage named last is the only one run (for profiling).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use qorgau_identifiers::Extractor;

/// CPU time of this thread in seconds.
fn cpu() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| {
            s.split_whitespace()
                .next()
                .and_then(|n| n.parse::<f64>().ok())
        })
        .map_or(0.0, |ns| ns / 1e9)
}

/// Best CPU time of `runs` runs of `f`, and its result.
fn best(runs: usize, f: &dyn Fn() -> usize) -> (f64, usize) {
    let mut b = f64::MAX;
    let mut n = 0;
    for _ in 0..runs {
        let c = cpu();
        n = f();
        b = b.min(cpu() - c);
    }
    (b, n)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = args.first().expect("usage: stages FILE [RUNS]");
    let runs: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(3);
    let only = args.get(2).map(String::as_str);
    let run = |stage: &str| only.is_none_or(|o| o == stage);
    let text = std::fs::read_to_string(path).expect("read file");
    let docs: Vec<&str> = text.split("\n\n").collect();
    let total: usize = docs.iter().map(|d| d.len()).sum();
    let mb = total as f64 / 1e6;
    let ex = Extractor::new();
    // Load libphonenumber's metadata before timing.
    ex.extract("тел 8 701 234 56 78");

    println!("{} documents, {mb:.1} MB", docs.len());
    if run("triage") {
        let (t, full) = best(runs, &|| {
            docs.iter().map(|d| ex.bytes_read_in_full(d)).sum()
        });
        println!(
            "triage         {:8.1} MB/s cpu; {:.1}% of the bytes read in full",
            mb / t,
            100.0 * full as f64 / total as f64
        );
    }
    if run("extract") {
        let (t, n) = best(runs, &|| docs.iter().map(|d| ex.extract(d).len()).sum());
        println!("extract        {:8.1} MB/s cpu ({n} identifiers)", mb / t);
    }
    if run("whole") {
        let (t, n) = best(runs, &|| {
            docs.iter().map(|d| ex.extract_whole(d).len()).sum()
        });
        println!("extract_whole  {:8.1} MB/s cpu ({n} identifiers)", mb / t);
    }
}
