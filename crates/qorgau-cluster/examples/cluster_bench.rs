//! Clustering benchmark: JSON Lines in, timings and quality against known
//! templates out. Used by `bench/cluster.sh`.
//!
//! ```text
//! cluster_bench DOCS.jsonl TRUTH.jsonl [options]
//!   --subset ascii|en|everyN keep only docs whose normalised text is ASCII,
//!                            whose truth `lang` is `en`, or every N-th doc
//!   --write-subset PREFIX    write the kept docs as PREFIX.jsonl,
//!                            PREFIX.truth.jsonl and PREFIX.csv (id,text:
//!                            normalised, newlines as spaces; InfoShield's input)
//!   --labels-out FILE        write `id,cluster` CSV
//!   --templates K            print the templates of the K largest clusters
//!   --incremental            use Clusterer::insert_many instead of cluster_all
//!   --confusion              list predicted clusters that mix true templates
//!   --threads N              worker threads (default: all cores)
//!   --phases                 afterwards, time normalisation and signing
//!                            alone (extra passes, not in the total)
//!   --hashes N --bands N --rows N --min-sim F --shingle w2|w3|c4 --short N
//! ```
//!
//! Prints one human-readable report and a final `RESULT {json}` line.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use qorgau_cluster::{
    ClusterParams, Clusterer, Clusters, MinHashParams, MinHasher, Shingle, agreement, cluster_all,
    template,
};
use serde::Deserialize;

#[derive(Deserialize)]
struct Doc {
    id: String,
    text: String,
}

#[derive(Deserialize)]
struct Truth {
    id: String,
    template: String,
    #[serde(default)]
    lang: String,
}

/// Ordered parallel map over chunks of a slice.
fn par_map<T: Sync, R: Send>(items: &[T], threads: usize, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let chunk = 2048;
    let chunks = items.len().div_ceil(chunk);
    let cursor = AtomicUsize::new(0);
    let mut parts: Vec<(usize, Vec<R>)> = std::thread::scope(|s| {
        let hs: Vec<_> = (0..threads.max(1))
            .map(|_| {
                s.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let c = cursor.fetch_add(1, Ordering::Relaxed);
                        if c >= chunks {
                            break;
                        }
                        let end = ((c + 1) * chunk).min(items.len());
                        out.push((c, items[c * chunk..end].iter().map(&f).collect()));
                    }
                    out
                })
            })
            .collect();
        hs.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    parts.sort_unstable_by_key(|p| p.0);
    parts.into_iter().flat_map(|p| p.1).collect()
}

/// CPU seconds (user + system) this process has used so far; Linux only,
/// 0 elsewhere. Lets `--phases` report CPU time, which a loaded machine
/// disturbs less than wall time.
fn cpu_secs() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the command name (which is in parentheses): utime is the 12th, stime the 13th.
    let rest = stat.rsplit_once(')').map_or("", |r| r.1);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let tick = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (tick(11) + tick(12)) / 100.0
}

fn csv_field(s: &str) -> String {
    let flat: String = s
        .chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    format!("\"{}\"", flat.replace('"', "\"\""))
}

struct Args {
    docs: String,
    truth: String,
    subset: Option<String>,
    write_subset: Option<String>,
    labels_out: Option<String>,
    templates: usize,
    incremental: bool,
    phases: bool,
    confusion: bool,
    threads: usize,
    mh: MinHashParams,
    cp: ClusterParams,
}

fn parse_args() -> Args {
    let mut it = std::env::args().skip(1);
    let mut pos = Vec::new();
    let mut a = Args {
        docs: String::new(),
        truth: String::new(),
        subset: None,
        write_subset: None,
        labels_out: None,
        templates: 0,
        incremental: false,
        phases: false,
        confusion: false,
        threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
        mh: MinHashParams::default(),
        cp: ClusterParams::default(),
    };
    while let Some(x) = it.next() {
        let mut val = || it.next().expect("option needs a value");
        match x.as_str() {
            "--subset" => a.subset = Some(val()),
            "--write-subset" => a.write_subset = Some(val()),
            "--labels-out" => a.labels_out = Some(val()),
            "--templates" => a.templates = val().parse().unwrap(),
            "--incremental" => a.incremental = true,
            "--phases" => a.phases = true,
            "--confusion" => a.confusion = true,
            "--threads" => a.threads = val().parse().unwrap(),
            "--hashes" => a.mh.hashes = val().parse().unwrap(),
            "--bands" => a.cp.bands = val().parse().unwrap(),
            "--rows" => a.cp.rows = val().parse().unwrap(),
            "--min-sim" => a.cp.min_similarity = val().parse().unwrap(),
            "--short" => a.mh.short_tokens = val().parse().unwrap(),
            "--shingle" => {
                let v = val();
                let n: usize = v[1..].parse().unwrap();
                a.mh.shingle = if v.starts_with('c') {
                    Shingle::Chars(n)
                } else {
                    Shingle::Words(n)
                };
            }
            _ => pos.push(x),
        }
    }
    assert!(
        pos.len() == 2,
        "usage: cluster_bench DOCS.jsonl TRUTH.jsonl [options]"
    );
    a.docs = pos[0].clone();
    a.truth = pos[1].clone();
    a.cp.threads = a.threads;
    a
}

fn main() {
    let args = parse_args();
    let threads = args.threads;
    let t0 = Instant::now();

    // Read and parse.
    let raw = std::fs::read_to_string(&args.docs).expect("read docs");
    let lines: Vec<&str> = raw.lines().filter(|l| !l.trim().is_empty()).collect();
    let docs: Vec<Doc> = par_map(&lines, threads, |l| serde_json::from_str(l).expect("doc"));
    let t_read = t0.elapsed();

    // Normalise and sign.
    let hasher = MinHasher::new(args.mh);
    let keep_text = args.templates > 0 || args.write_subset.is_some();
    let t1 = Instant::now();
    let signed: Vec<(qorgau_cluster::Signature, bool, Option<String>)> =
        par_map(&docs, threads, |d| {
            let n = qorgau_normalize::normalize(&d.text);
            let sig = hasher.signature(n.as_str());
            let ascii = n.as_str().is_ascii();
            (sig, ascii, keep_text.then_some(n.text))
        });
    let t_sign = t1.elapsed();

    // Truth (not timed as part of clustering).
    let truth_raw = std::fs::read_to_string(&args.truth).expect("read truth");
    let truth_lines: Vec<&str> = truth_raw.lines().filter(|l| !l.trim().is_empty()).collect();
    let truth: Vec<Truth> = par_map(&truth_lines, threads, |l| {
        serde_json::from_str(l).expect("truth")
    });
    assert_eq!(truth.len(), docs.len(), "docs and truth differ in length");
    assert!(
        docs.iter().zip(&truth).all(|(d, t)| d.id == t.id),
        "docs and truth are not in the same order"
    );

    // Subset.
    let keep: Vec<usize> = (0..docs.len())
        .filter(|&i| match args.subset.as_deref() {
            None => true,
            Some("ascii") => signed[i].1,
            Some("en") => truth[i].lang == "en",
            Some(every) if every.starts_with("every") => {
                i % every[5..].parse::<usize>().expect("everyN").max(1) == 0
            }
            Some(other) => panic!("unknown subset {other}"),
        })
        .collect();
    if let Some(prefix) = &args.write_subset {
        let mut j =
            std::io::BufWriter::new(std::fs::File::create(format!("{prefix}.jsonl")).unwrap());
        let mut t = std::io::BufWriter::new(
            std::fs::File::create(format!("{prefix}.truth.jsonl")).unwrap(),
        );
        let mut c =
            std::io::BufWriter::new(std::fs::File::create(format!("{prefix}.csv")).unwrap());
        writeln!(c, "id,text").unwrap();
        for &i in &keep {
            writeln!(j, "{}", lines[i]).unwrap();
            writeln!(t, "{}", truth_lines[i]).unwrap();
            let text = signed[i].2.as_deref().unwrap_or("");
            writeln!(c, "{},{}", csv_field(&docs[i].id), csv_field(text)).unwrap();
        }
        eprintln!(
            "wrote {} docs to {prefix}.{{jsonl,truth.jsonl,csv}}",
            keep.len()
        );
    }
    // Move the kept signatures out (no copy of 256 MB for a million docs).
    let mut kept = vec![false; signed.len()];
    for &i in &keep {
        kept[i] = true;
    }
    let mut texts: Vec<Option<String>> = Vec::with_capacity(keep.len());
    let mut sigs: Vec<qorgau_cluster::Signature> = Vec::with_capacity(keep.len());
    for ((sig, _, text), k) in signed.into_iter().zip(&kept) {
        if *k {
            sigs.push(sig);
            texts.push(text);
        }
    }

    // Cluster.
    let t2 = Instant::now();
    let t_lsh;
    let clusters: Clusters = if args.incremental {
        let mut c = Clusterer::new(args.cp);
        c.insert_many(sigs.iter().enumerate());
        t_lsh = t2.elapsed();
        c.finish()
    } else {
        let roots = cluster_all(&sigs, &args.cp);
        t_lsh = t2.elapsed();
        Clusters::from_assignment(&roots, &sigs)
    };
    let t_cluster = t2.elapsed();
    let total = t0.elapsed();

    // Quality.
    let pred: Vec<usize> = (0..keep.len())
        .map(|k| clusters.cluster_of(k).unwrap())
        .collect();
    let gold: Vec<&str> = keep.iter().map(|&i| truth[i].template.as_str()).collect();
    let q = agreement(&pred, &gold);
    let multi = (0..clusters.len())
        .filter(|&c| clusters.size(c) > 1)
        .count();
    let in_multi: usize = (0..clusters.len())
        .map(|c| clusters.size(c))
        .filter(|&s| s > 1)
        .sum();

    if let Some(path) = &args.labels_out {
        let mut w = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
        writeln!(w, "id,cluster").unwrap();
        for (k, &i) in keep.iter().enumerate() {
            writeln!(w, "{},{}", docs[i].id, clusters.label_of(k).unwrap()).unwrap();
        }
    }

    println!(
        "docs {} (of {}), threads {}, minhash {:?}, lsh {}x{} min_sim {}",
        keep.len(),
        docs.len(),
        threads,
        args.mh.shingle,
        args.cp.bands,
        args.cp.rows,
        args.cp.min_similarity
    );
    println!(
        "time: read+parse {:.2}s, normalise+sign {:.2}s (all docs), \
         cluster {:.2}s (LSH + union-find {:.2}s, labels {:.2}s), total {:.2}s",
        t_read.as_secs_f64(),
        t_sign.as_secs_f64(),
        t_cluster.as_secs_f64(),
        t_lsh.as_secs_f64(),
        (t_cluster - t_lsh).as_secs_f64(),
        total.as_secs_f64()
    );
    println!(
        "clusters {} ({} with ≥2 members holding {} docs); true templates {}",
        clusters.len(),
        multi,
        in_multi,
        q.true_clusters
    );
    println!(
        "pairwise P {:.4} R {:.4} F1 {:.4} | ARI {:.4} | B-cubed P {:.4} R {:.4} F1 {:.4}",
        q.pair_precision,
        q.pair_recall,
        q.pair_f1,
        q.adjusted_rand,
        q.bcubed_precision,
        q.bcubed_recall,
        q.bcubed_f1
    );

    if args.confusion {
        // Predicted clusters that mix true templates, by size of the minority.
        type Mixed<'a> = (usize, usize, Vec<(&'a str, usize)>);
        let mut mixed: Vec<Mixed<'_>> = Vec::new();
        for c in 0..clusters.len() {
            if clusters.size(c) < 2 {
                continue;
            }
            let mut by: HashMap<&str, usize> = HashMap::new();
            for k in clusters.members(c) {
                *by.entry(gold[k]).or_default() += 1;
            }
            if by.len() > 1 {
                let mut v: Vec<(&str, usize)> = by.into_iter().collect();
                v.sort_by_key(|x| std::cmp::Reverse(x.1));
                let minority = clusters.size(c) - v[0].1;
                mixed.push((minority, c, v));
            }
        }
        mixed.sort_by_key(|m| std::cmp::Reverse(m.0));
        for (minority, c, v) in mixed.iter().take(15) {
            println!(
                "mixed cluster {c} size {} minority {minority}: {:?}",
                clusters.size(*c),
                &v[..v.len().min(5)]
            );
        }
    }

    if args.templates > 0 {
        let t3 = Instant::now();
        let mut order: Vec<usize> = (0..clusters.len()).collect();
        order.sort_by_key(|&c| std::cmp::Reverse(clusters.size(c)));
        for &c in order.iter().take(args.templates) {
            let texts: Vec<&str> = clusters
                .members(c)
                .map(|k| texts[k].as_deref().unwrap_or(""))
                .collect();
            let mut by_truth: HashMap<&str, usize> = HashMap::new();
            for k in clusters.members(c) {
                *by_truth.entry(gold[k]).or_default() += 1;
            }
            let mut top: Vec<_> = by_truth.into_iter().collect();
            top.sort_by_key(|x| std::cmp::Reverse(x.1));
            let tpl = template(&texts);
            println!(
                "\n== {} size {} truth {:?}\n{}",
                clusters.label(c).unwrap(),
                clusters.size(c),
                &top[..top.len().min(3)],
                tpl
            );
        }
        println!("\ntemplates: {:.3}s", t3.elapsed().as_secs_f64());
    }

    // Not part of the timed run above.
    if args.phases {
        let (t, c) = (Instant::now(), cpu_secs());
        let normed: Vec<String> = par_map(&docs, threads, |d| {
            qorgau_normalize::normalize(&d.text).text
        });
        let (tn, cn) = (t.elapsed().as_secs_f64(), cpu_secs() - c);
        let h = MinHasher::new(args.mh);
        let (t, c) = (Instant::now(), cpu_secs());
        let n = par_map(&normed, threads, |t| h.signature(t)).len();
        let (ts, cs) = (t.elapsed().as_secs_f64(), cpu_secs() - c);
        let (t, c) = (Instant::now(), cpu_secs());
        let one = cluster_all(
            &sigs,
            &ClusterParams {
                threads: 1,
                ..args.cp
            },
        );
        let (tc, cc) = (t.elapsed().as_secs_f64(), cpu_secs() - c);
        println!(
            "phases (wall / CPU seconds): normalise {tn:.2} / {cn:.2} ({threads} threads), \
             sign {ts:.2} / {cs:.2} ({threads} threads, {n} docs), \
             cluster_all {tc:.2} / {cc:.2} (1 thread, {} docs)",
            one.len()
        );
    }

    println!(
        "RESULT {}",
        serde_json::json!({
            "docs": keep.len(), "threads": threads,
            "read_s": t_read.as_secs_f64(), "sign_s": t_sign.as_secs_f64(),
            "cluster_s": t_cluster.as_secs_f64(), "total_s": total.as_secs_f64(),
            "clusters": clusters.len(), "quality": q,
        })
    );
}
