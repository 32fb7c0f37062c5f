//! Measures the built-in lexicon and the language detector on a labelled
//! corpus (by default the synthetic dev set in `/work/shared/data`):
//! flag precision/recall, scenario accuracy and confusion, minor
//! precision/recall, language accuracy, and throughput.
//!
//! ```text
//! cargo run --release -p qorgau-detect --example eval_detect -- [DIR] [--lexicon DIR]
//! ```
//!
//! The corpus is only measured here, never used to build the lexicon.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use qorgau_detect::{Detector, Lexicon, detect_language, language_profile};
use qorgau_normalize::normalize;
use serde_json::Value;

const LABELS: [&str; 6] = [
    "employment_abroad",
    "modeling_webcam",
    "romance_grooming",
    "escort_services",
    "sextortion",
    "none",
];
const LANGS: [&str; 7] = ["ru", "kk", "en", "ky", "uz", "mixed", "und"];

fn read_jsonl(path: &str) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// CPU time of this thread, so that the figure does not depend on what else
/// the machine is running.
fn cpu_seconds() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec through a valid pointer.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 / 1e9
}

fn pct(a: usize, b: usize) -> String {
    if b == 0 {
        "-".into()
    } else {
        format!("{:.1}%", 100.0 * a as f64 / b as f64)
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut dir = "/work/shared/data".to_string();
    let mut lexdir = None;
    let mut i = 0;
    while i < args.len() {
        if args[i] == "--lexicon" {
            lexdir = args.get(i + 1).cloned();
            i += 2;
        } else {
            dir = args[i].clone();
            i += 1;
        }
    }
    let lexicon = match lexdir {
        Some(d) => Lexicon::from_dir(d).unwrap(),
        None => Lexicon::builtin().unwrap(),
    };
    println!("lexicon {} ({} entries)", lexicon.version(), lexicon.len());
    let det = Detector::new(lexicon);
    let docs = read_jsonl(&format!("{dir}/dev.jsonl"));
    let truth = read_jsonl(&format!("{dir}/dev.truth.jsonl"));
    assert_eq!(docs.len(), truth.len());

    let (mut tp, mut fp, mut fneg) = (0usize, 0usize, 0usize);
    let (mut mtp, mut mfp, mut mfn) = (0usize, 0usize, 0usize);
    let mut scen_ok = 0usize;
    let mut confusion: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut lang_conf: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut per_label_flag: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut per_lang_flag: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut per_lang_scen: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut fp_by_src: BTreeMap<String, usize> = BTreeMap::new();
    let mut fp_ind: BTreeMap<String, usize> = BTreeMap::new();
    let mut fn_ids: Vec<String> = Vec::new();
    let mut fp_ids: Vec<String> = Vec::new();
    let verbose = std::env::var("EVAL_VERBOSE").is_ok();
    let mut risks: Vec<(f32, bool)> = Vec::new();
    let mut minor_fn: Vec<String> = Vec::new();
    let mut minors: Vec<(bool, f32, bool)> = Vec::new();

    for (d, t) in docs.iter().zip(&truth) {
        let text = d["text"].as_str().unwrap();
        let n = normalize(text);
        let prof = language_profile(&n.text);
        let lang = prof.lang;
        let a = det.score(text, &n);
        let label = t["label"].as_str().unwrap().to_string();
        let minor = t["minor"].as_bool().unwrap_or(false);
        let tlang = t["lang"].as_str().unwrap().to_string();
        let pred = a.scenario.map_or("none", |s| s.as_str()).to_string();
        let risky = label != "none";
        risks.push((a.risk, risky));
        match (a.flagged, risky) {
            (true, true) => tp += 1,
            (true, false) => {
                fp += 1;
                let src = d["source"]
                    .as_str()
                    .unwrap_or("")
                    .split(':')
                    .next()
                    .unwrap_or("")
                    .to_string();
                *fp_by_src.entry(src).or_default() += 1;
                for h in &a.indicators {
                    *fp_ind.entry(h.id.clone()).or_default() += 1;
                }
                fp_ids.push(format!(
                    "{} {:.2} {} [{}] damp[{}]",
                    d["id"].as_str().unwrap_or(""),
                    a.risk,
                    pred,
                    a.indicators
                        .iter()
                        .map(|h| h.id.as_str())
                        .collect::<Vec<_>>()
                        .join(","),
                    a.dampeners
                        .iter()
                        .map(|h| h.id.as_str())
                        .collect::<Vec<_>>()
                        .join(",")
                ));
            }
            (false, true) => {
                fneg += 1;
                fn_ids.push(format!(
                    "{} {} {:.2} [{}] damp[{}] ctx[{}] pat[{}]",
                    d["id"].as_str().unwrap_or(""),
                    label,
                    a.risk,
                    a.indicators
                        .iter()
                        .map(|h| h.id.as_str())
                        .collect::<Vec<_>>()
                        .join(","),
                    a.dampeners
                        .iter()
                        .map(|h| h.id.as_str())
                        .collect::<Vec<_>>()
                        .join(","),
                    a.context
                        .iter()
                        .map(|h| h.id.as_str())
                        .collect::<Vec<_>>()
                        .join(","),
                    a.indicators
                        .iter()
                        .chain(&a.context)
                        .map(|h| h.pattern.as_str())
                        .collect::<Vec<_>>()
                        .join("|")
                ));
            }
            (false, false) => {}
        }
        let e = per_label_flag.entry(label.clone()).or_default();
        e.0 += usize::from(a.flagged);
        e.1 += 1;
        if risky {
            let e = per_lang_flag.entry(tlang.clone()).or_default();
            e.0 += usize::from(a.flagged);
            e.1 += 1;
        }
        minors.push((a.flagged, a.scores.minor_involved, minor));
        match (a.minor, minor) {
            (true, true) => mtp += 1,
            (true, false) => {
                mfp += 1;
                minor_fn.push(format!(
                    "FP {} {} minor={:.2} [{}]",
                    d["id"].as_str().unwrap_or(""),
                    label,
                    a.scores.minor_involved,
                    a.indicators
                        .iter()
                        .filter(|h| h.scenario.as_str() == "minor_involved")
                        .map(|h| format!("{}:{}", h.id, h.pattern))
                        .collect::<Vec<_>>()
                        .join(",")
                ));
            }
            (false, true) => {
                mfn += 1;
                minor_fn.push(format!(
                    "{} {} flagged={} minor={:.2} [{}]",
                    d["id"].as_str().unwrap_or(""),
                    label,
                    a.flagged,
                    a.scores.minor_involved,
                    a.indicators
                        .iter()
                        .filter(|h| h.scenario.as_str() == "minor_involved")
                        .map(|h| h.id.as_str())
                        .collect::<Vec<_>>()
                        .join(",")
                ));
            }
            _ => {}
        }
        scen_ok += usize::from(pred == label);
        let e = per_lang_scen.entry(tlang.clone()).or_default();
        e.0 += usize::from(pred == label);
        e.1 += 1;
        if verbose && a.flagged && pred != label && label != "none" {
            println!(
                "CONF {} truth={label} pred={pred} {:.2} [{}]",
                d["id"].as_str().unwrap_or(""),
                a.risk,
                a.indicators
                    .iter()
                    .map(|h| format!("{}:{}", h.id, h.pattern))
                    .collect::<Vec<_>>()
                    .join(",")
            );
        }
        *confusion.entry((label, pred)).or_default() += 1;
        if verbose && (tlang == "mixed" || lang.as_str() != tlang) {
            let sh: Vec<String> = prof
                .shares
                .iter()
                .map(|(l, v)| format!("{}:{v:.2}", l.as_str()))
                .collect();
            println!(
                "LANG {} truth={tlang} got={} {}",
                d["id"].as_str().unwrap_or(""),
                lang.as_str(),
                sh.join(" ")
            );
        }
        *lang_conf
            .entry((tlang, lang.as_str().to_string()))
            .or_default() += 1;
    }
    let total = docs.len();
    println!("\n== flags ({total} documents)");
    println!(
        "precision {} ({tp}/{})  recall {} ({tp}/{})",
        pct(tp, tp + fp),
        tp + fp,
        pct(tp, tp + fneg),
        tp + fneg
    );
    for (l, (f, n)) in &per_label_flag {
        println!("  {l:<18} flagged {f:>4}/{n:<4} {}", pct(*f, *n));
    }
    println!("  recall by language of risky documents:");
    for (l, (f, n)) in &per_lang_flag {
        println!("    {l:<6} {f:>4}/{n:<4} {}", pct(*f, *n));
    }
    println!("  false positives by source: {fp_by_src:?}");
    let mut fi: Vec<_> = fp_ind.into_iter().collect();
    fi.sort_by_key(|b| std::cmp::Reverse(b.1));
    println!(
        "  indicators most seen in false positives: {:?}",
        &fi[..fi.len().min(12)]
    );

    println!("  threshold sweep (flag = risk >= t):");
    for t in [0.3f32, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6] {
        let tp = risks.iter().filter(|(r, k)| *r >= t && *k).count();
        let fp = risks.iter().filter(|(r, k)| *r >= t && !*k).count();
        let pos = risks.iter().filter(|(_, k)| *k).count();
        let p = tp as f64 / (tp + fp).max(1) as f64;
        let r = tp as f64 / pos.max(1) as f64;
        println!(
            "    t={t:.2} precision {:.1}% recall {:.1}% F1 {:.3}",
            100.0 * p,
            100.0 * r,
            2.0 * p * r / (p + r).max(1e-9)
        );
    }

    println!("\n== scenario (label incl. none)");
    println!("accuracy {} ({scen_ok}/{total})", pct(scen_ok, total));
    println!("  by language of the document (truth):");
    for (l, (ok, n)) in &per_lang_scen {
        println!("    {l:<6} {ok:>4}/{n:<4} {}", pct(*ok, *n));
    }
    print!("{:<18}", "truth \\ pred");
    for p in LABELS {
        print!("{:>8}", &p[..p.len().min(7)]);
    }
    println!();
    for t in LABELS {
        print!("{t:<18}");
        for p in LABELS {
            let c = confusion
                .get(&(t.to_string(), p.to_string()))
                .copied()
                .unwrap_or(0);
            print!("{c:>8}");
        }
        println!();
    }

    println!("\n== minor involved");
    println!(
        "precision {} ({mtp}/{})  recall {} ({mtp}/{})",
        pct(mtp, mtp + mfp),
        mtp + mfp,
        pct(mtp, mtp + mfn),
        mtp + mfn
    );

    println!("  threshold sweep (minor = flagged and minor_involved >= t):");
    for t in [0.15f32, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5] {
        let tp = minors
            .iter()
            .filter(|(f, s, m)| *f && *s >= t && *m)
            .count();
        let fp = minors
            .iter()
            .filter(|(f, s, m)| *f && *s >= t && !*m)
            .count();
        let pos = minors.iter().filter(|(_, _, m)| *m).count();
        println!(
            "    t={t:.2} precision {} recall {}",
            pct(tp, tp + fp),
            pct(tp, pos)
        );
    }

    println!("\n== language");
    let mut lok = 0;
    for t in LANGS {
        let row: usize = LANGS
            .iter()
            .map(|p| {
                lang_conf
                    .get(&(t.to_string(), p.to_string()))
                    .copied()
                    .unwrap_or(0)
            })
            .sum();
        if row == 0 {
            continue;
        }
        let ok = lang_conf
            .get(&(t.to_string(), t.to_string()))
            .copied()
            .unwrap_or(0);
        lok += ok;
        let errs: Vec<String> = LANGS
            .iter()
            .filter(|p| **p != t)
            .filter_map(|p| {
                let c = lang_conf
                    .get(&(t.to_string(), p.to_string()))
                    .copied()
                    .unwrap_or(0);
                (c > 0).then(|| format!("{p}:{c}"))
            })
            .collect();
        println!(
            "  {t:<6} {ok:>4}/{row:<4} {}  errors {}",
            pct(ok, row),
            errs.join(" ")
        );
    }
    println!("  overall {}", pct(lok, total));

    // Throughput: whole detection stage per document, one thread.
    let texts: Vec<&str> = docs.iter().map(|d| d["text"].as_str().unwrap()).collect();
    let bytes: usize = texts.iter().map(|t| t.len()).sum();
    let rounds = 5;
    let start = cpu_seconds();
    let mut flagged = 0usize;
    for _ in 0..rounds {
        for t in &texts {
            let n = normalize(t);
            let _ = detect_language(&n.text);
            flagged += usize::from(det.score(t, &n).flagged);
        }
    }
    let el = cpu_seconds() - start;
    let n_docs = (texts.len() * rounds) as f64;
    println!(
        "\n== throughput (CPU time of 1 thread, {rounds} passes, mean {} bytes/doc)",
        bytes / texts.len()
    );
    println!(
        "normalize + language + score: {:.0} docs/s ({:.1} MB/s)  [{flagged}]",
        n_docs / el,
        (bytes * rounds) as f64 / el / 1e6
    );
    let normed: Vec<_> = texts.iter().map(|t| normalize(t)).collect();
    let start = cpu_seconds();
    for _ in 0..rounds {
        for (t, n) in texts.iter().zip(&normed) {
            let _ = detect_language(&n.text);
            flagged += usize::from(det.score(t, n).flagged);
        }
    }
    let el = cpu_seconds() - start;
    println!(
        "language + score only:        {:.0} docs/s  [{flagged}]",
        n_docs / el
    );
    let start = cpu_seconds();
    for _ in 0..rounds {
        for n in &normed {
            let _ = detect_language(&n.text);
        }
    }
    let el = cpu_seconds() - start;
    println!("language only:                {:.0} docs/s", n_docs / el);
    if verbose {
        println!("\n== false negatives");
        for l in &fn_ids {
            println!("{l}");
        }
        println!("\n== minor false negatives");
        for l in &minor_fn {
            println!("{l}");
        }
        println!("\n== false positives");
        for l in &fp_ids {
            println!("{l}");
        }
    }
}
