//! Measures the model on the synthetic development corpus (not a test: the
//! corpus lives outside the crate).
//!
//! ```text
//! cargo run --release -p qorgau-model --example dev_eval -- \
//!     [--data /work/shared/data] [--epochs N] [--buckets LOG2] [--l1 X] [--l2 X]
//!     [--alpha X] [--seed N] [--split-seed N] [--words N] [--chars LO-HI]
//!     [--no-balance] [--save FILE]
//! ```
//! Joins `dev.jsonl` (text) with `dev.truth.jsonl` (label, minor) by id,
//! normalises with `qorgau-normalize`, trains on a random 80 % and evaluates
//! on the other 20 %, then times prediction. The held-out corpus that will
//! judge Qorgau is written with different wording, so these figures overstate
//! what the model does there.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::time::Instant;

use qorgau_model::{Example, Model, NONE_LABEL, TrainOptions, evaluate, train};
use serde_json::Value;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |name: &str| -> Option<String> {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1).cloned())
    };
    let dir = arg("--data").unwrap_or_else(|| "/work/shared/data".into());
    let mut opts = TrainOptions::default();
    if let Some(v) = arg("--epochs") {
        opts.epochs = v.parse()?;
    }
    if let Some(v) = arg("--buckets") {
        opts.buckets_log2 = v.parse()?;
    }
    if let Some(v) = arg("--l1") {
        opts.l1 = v.parse()?;
    }
    if let Some(v) = arg("--l2") {
        opts.l2 = v.parse()?;
    }
    if let Some(v) = arg("--alpha") {
        opts.alpha = v.parse()?;
    }
    if let Some(v) = arg("--seed") {
        opts.seed = v.parse()?;
    }
    if let Some(v) = arg("--words") {
        opts.word_ngrams = v.parse()?;
    }
    if let Some(v) = arg("--chars") {
        let (lo, hi) = v.split_once('-').ok_or("--chars LO-HI")?;
        opts.char_ngrams = (lo.parse()?, hi.parse()?);
    }
    if args.iter().any(|a| a == "--no-balance") {
        opts.balance_classes = false;
    }
    let split_seed: u64 = arg("--split-seed").map_or(Ok(1), |v| v.parse())?;

    let mut truth: HashMap<String, (String, bool, String)> = HashMap::new();
    for line in BufReader::new(File::open(format!("{dir}/dev.truth.jsonl"))?).lines() {
        let v: Value = serde_json::from_str(&line?)?;
        let id = v["id"].as_str().unwrap_or_default().to_string();
        let label = v["label"].as_str().unwrap_or_default().to_string();
        let template = v["template"].as_str().unwrap_or_default().to_string();
        truth.insert(id, (label, v["minor"].as_bool().unwrap_or(false), template));
    }
    let t0 = Instant::now();
    // (example, template)
    let mut all: Vec<(Example, String)> = Vec::new();
    for line in BufReader::new(File::open(format!("{dir}/dev.jsonl"))?).lines() {
        let v: Value = serde_json::from_str(&line?)?;
        let id = v["id"].as_str().unwrap_or_default();
        let text = v["text"].as_str().unwrap_or_default();
        if let Some((label, minor, template)) = truth.get(id) {
            all.push((
                Example {
                    text: qorgau_normalize::normalize(text).text,
                    label: label.clone(),
                    minor: Some(*minor),
                },
                template.clone(),
            ));
        }
    }
    println!(
        "{} documents joined and normalised in {:.2} s",
        all.len(),
        t0.elapsed().as_secs_f64()
    );

    // Fisher-Yates with SplitMix64, so the split is the same on every run.
    let mut state = split_seed;
    let mut next = move || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    for i in (1..all.len()).rev() {
        let j = (next() % (i as u64 + 1)) as usize;
        all.swap(i, j);
    }
    let cut = all.len() * 4 / 5;
    let (a, b) = all.split_at(cut);
    let train_set: Vec<Example> = a.iter().map(|x| x.0.clone()).collect();
    let test_set: Vec<Example> = b.iter().map(|x| x.0.clone()).collect();
    println!("\n=== random 80/20 split (templates shared between the parts) ===");
    run(&train_set, &test_set, &opts, arg("--save"))?;

    // Unseen wording: every template of the test part is absent from
    // training (about 20 % of the templates of each label).
    let mut templates: Vec<(String, String)> = all
        .iter()
        .map(|(e, t)| (e.label.clone(), t.clone()))
        .collect();
    templates.sort();
    templates.dedup();
    let mut held: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut by_label: HashMap<String, Vec<String>> = HashMap::new();
    for (l, t) in templates {
        by_label.entry(l).or_default().push(t);
    }
    let mut labels: Vec<_> = by_label.into_iter().collect();
    labels.sort();
    for (_, mut ts) in labels {
        for i in (1..ts.len()).rev() {
            let j = (next() % (i as u64 + 1)) as usize;
            ts.swap(i, j);
        }
        let k = (ts.len() / 5).max(1);
        held.extend(ts.into_iter().take(k));
    }
    let (mut train_set, mut test_set) = (Vec::new(), Vec::new());
    for (e, t) in &all {
        if held.contains(t) {
            test_set.push(e.clone());
        } else {
            train_set.push(e.clone());
        }
    }
    println!(
        "\n=== template-disjoint split ({} templates held out: wording never seen in training) ===",
        held.len()
    );
    run(&train_set, &test_set, &opts, None)?;
    Ok(())
}

fn run(
    train_set: &[Example],
    test_set: &[Example],
    opts: &TrainOptions,
    save: Option<String>,
) -> Result<(), Box<dyn std::error::Error>> {
    let cpu0 = thread_cpu_ns();
    let t0 = Instant::now();
    let model = train(train_set, opts, &|e, l| {
        println!("  epoch {e:>2}: loss {l:.4}")
    })?;
    let train_secs = match (cpu0, thread_cpu_ns()) {
        (Some(a), Some(b)) if b > a => (b - a) as f64 / 1e9,
        _ => t0.elapsed().as_secs_f64(),
    };
    let mut bytes = Vec::new();
    model.save(&mut bytes)?;
    println!(
        "trained on {} documents in {train_secs:.2} s of CPU ({} epochs, 2^{} buckets, l1 {}, l2 {}, alpha {}); model {} ({:.1} MB saved)",
        train_set.len(),
        opts.epochs,
        opts.buckets_log2,
        opts.l1,
        opts.l2,
        opts.alpha,
        model.version(),
        bytes.len() as f64 / 1e6
    );
    if let Some(path) = save {
        std::fs::write(&path, &bytes)?;
    }
    let t0 = Instant::now();
    let back = Model::load(bytes.as_slice())?;
    println!("loaded back in {:.3} s", t0.elapsed().as_secs_f64());

    let eval = evaluate(&back, test_set);
    println!("\nheld-out 20 % of the dev corpus:\n{eval}");

    // What the model-only path of the bounded rule would see.
    let (mut strong_none, mut strong_risky, mut none_n, mut risky_n) = (0, 0, 0, 0);
    for e in test_set {
        let p = back.predict(&e.text);
        let strong = p.classes.iter().any(|c| {
            c.class != NONE_LABEL && c.probability >= qorgau_model::STRONG_MODEL_PROBABILITY
        });
        if e.label == NONE_LABEL {
            none_n += 1;
            strong_none += usize::from(strong);
        } else {
            risky_n += 1;
            strong_risky += usize::from(strong);
        }
    }
    println!(
        "scenario probability >= {}: {strong_risky}/{risky_n} risky, {strong_none}/{none_n} none",
        qorgau_model::STRONG_MODEL_PROBABILITY
    );

    // One explanation, to see what an investigator would read.
    if let Some(e) = test_set.iter().find(|e| e.label != NONE_LABEL)
        && let Some(x) = back.explanation(&e.text, &e.label, 8)
    {
        println!(
            "explanation of {} (p = {:.3}, logit {:.2} = bias {:.2} + listed + {:.2} omitted):",
            x.class, x.probability, x.logit, x.bias, x.omitted
        );
        for c in &x.contributions {
            println!(
                "  {:>+7.3}  {:<18} {:?} at {:?}",
                c.contribution, c.feature, c.kind, c.spans
            );
        }
        println!("  per word:");
        for w in &x.words {
            println!("  {:>+7.3}  {:<18} at {:?}", w.contribution, w.word, w.span);
        }
    }

    // Speed: predictions per second on one core, over the test texts.
    let bytes_total: usize = test_set.iter().map(|e| e.text.len()).sum();
    let rounds = 5;
    let cpu0 = thread_cpu_ns();
    let t0 = Instant::now();
    let mut sink = 0.0f32;
    for _ in 0..rounds {
        for e in test_set {
            sink += back.predict(&e.text).classes[0].probability;
        }
    }
    // CPU time of this thread when the kernel reports it (other work on a
    // shared machine then does not count), else wall time.
    let secs = match (cpu0, thread_cpu_ns()) {
        (Some(a), Some(b)) if b > a => (b - a) as f64 / 1e9,
        _ => t0.elapsed().as_secs_f64(),
    };
    let n = (rounds * test_set.len()) as f64;
    println!(
        "predict (one core): {:.0} documents/s, {:.1} µs per document (mean {} bytes), {:.1} MB/s [{sink:.1}]",
        n / secs,
        secs / n * 1e6,
        bytes_total / test_set.len().max(1),
        (rounds * bytes_total) as f64 / secs / 1e6
    );
    let t0 = Instant::now();
    let mut count = 0usize;
    for e in test_set {
        count += back.explain(&e.text, &e.label, 10).len();
    }
    let secs = t0.elapsed().as_secs_f64();
    println!(
        "explain (top 10): {:.1} µs per document [{count}]",
        secs / test_set.len() as f64 * 1e6
    );
    Ok(())
}

/// CPU time of the calling thread in nanoseconds (Linux schedstat).
fn thread_cpu_ns() -> Option<u64> {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}
