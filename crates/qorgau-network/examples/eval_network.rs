//! Measures network building on the synthetic dev corpus: networks are built from the
//! TRUTH identifiers (so extraction errors do not count) and compared pairwise with the
//! truth `network` field. Not a test: the corpus lives outside the crate.
//!
//! ```text
//! cargo run --release -p qorgau-network --example eval_network -- \
//!     [/work/shared/data/dev.jsonl] [/work/shared/data/dev.truth.jsonl]
//! ```

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::time::Instant;

use qorgau_network::{DocFacts, NetworkBuilder, NetworkOptions, Networks, parse_time};
use serde_json::Value;

type Error = Box<dyn std::error::Error>;

fn read_jsonl(path: &str) -> Result<Vec<Value>, Error> {
    let mut out = Vec::new();
    for line in BufReader::new(File::open(path)?).lines() {
        let line = line?;
        if !line.trim().is_empty() {
            out.push(serde_json::from_str(&line)?);
        }
    }
    Ok(out)
}

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_owned)
}

/// Facts from one document and its truth line; `template` as the cluster when asked.
fn facts(doc: &Value, truth: &Value, with_clusters: bool) -> DocFacts {
    let label = text(truth, "label").unwrap_or_else(|| "none".into());
    let identifiers = truth
        .get("identifiers")
        .and_then(Value::as_array)
        .map(|ids| {
            ids.iter()
                .filter_map(|i| Some((text(i, "kind")?, text(i, "value")?)))
                .collect()
        })
        .unwrap_or_default();
    DocFacts {
        doc_id: text(doc, "id").unwrap_or_default(),
        published_at: text(doc, "published_at").as_deref().and_then(parse_time),
        source: text(doc, "source"),
        author: text(doc, "author"),
        url: text(doc, "url"),
        flagged: label != "none",
        scenario: Some(label),
        identifiers,
        cluster: if with_clusters {
            text(truth, "template")
        } else {
            None
        },
        lang: text(truth, "lang"),
        ..DocFacts::default()
    }
}

fn pairs(n: usize) -> u64 {
    (n as u64) * (n as u64).saturating_sub(1) / 2
}

struct Score {
    precision: f64,
    recall: f64,
    f1: f64,
}

fn pairwise(networks: &Networks, truth: &[String]) -> Score {
    let mut cells: HashMap<(usize, &str), usize> = HashMap::new();
    let mut pred: HashMap<usize, usize> = HashMap::new();
    let mut gold: HashMap<&str, usize> = HashMap::new();
    let index: HashMap<&str, usize> = networks
        .networks()
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();
    for (d, t) in truth.iter().enumerate() {
        let Some(net) = networks.network_of_index(d) else {
            continue;
        };
        let p = index.get(net.id.as_str()).copied().unwrap_or(usize::MAX);
        *cells.entry((p, t.as_str())).or_insert(0) += 1;
        *pred.entry(p).or_insert(0) += 1;
        *gold.entry(t.as_str()).or_insert(0) += 1;
    }
    let tp: u64 = cells.values().map(|&n| pairs(n)).sum();
    let pp: u64 = pred.values().map(|&n| pairs(n)).sum();
    let gp: u64 = gold.values().map(|&n| pairs(n)).sum();
    let precision = if pp == 0 { 1.0 } else { tp as f64 / pp as f64 };
    let recall = if gp == 0 { 1.0 } else { tp as f64 / gp as f64 };
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    Score {
        precision,
        recall,
        f1,
    }
}

fn main() -> Result<(), Error> {
    let args: Vec<String> = std::env::args().collect();
    let docs_path = args
        .get(1)
        .map_or("/work/shared/data/dev.jsonl", String::as_str);
    let truth_path = args
        .get(2)
        .map_or("/work/shared/data/dev.truth.jsonl", String::as_str);
    let docs = read_jsonl(docs_path)?;
    let truth = read_jsonl(truth_path)?;
    if docs.len() != truth.len() {
        return Err(format!("{} documents but {} truth lines", docs.len(), truth.len()).into());
    }
    let gold: Vec<String> = truth
        .iter()
        .map(|t| text(t, "network").unwrap_or_default())
        .collect();
    let gold_networks = gold.iter().collect::<std::collections::HashSet<_>>().len();
    println!(
        "dev corpus: {} documents, {} truth networks, {} truth pairs",
        docs.len(),
        gold_networks,
        {
            let mut c: HashMap<&str, usize> = HashMap::new();
            for g in &gold {
                *c.entry(g).or_insert(0) += 1;
            }
            c.values().map(|&n| pairs(n)).sum::<u64>()
        }
    );

    let variants: Vec<(&str, NetworkOptions, bool)> = vec![
        (
            "default (shared identifiers + hosting site)",
            NetworkOptions::default(),
            false,
        ),
        (
            "identifiers only (merge_hosts off)",
            NetworkOptions {
                merge_hosts: false,
                ..NetworkOptions::default()
            },
            false,
        ),
        (
            "+ merge truth templates as clusters",
            NetworkOptions {
                merge_clusters: true,
                ..NetworkOptions::default()
            },
            true,
        ),
        (
            "+ merge mirror domains",
            NetworkOptions {
                merge_mirrors: true,
                ..NetworkOptions::default()
            },
            false,
        ),
        (
            "+ merge accounts (source/author)",
            NetworkOptions {
                merge_accounts: true,
                ..NetworkOptions::default()
            },
            false,
        ),
        (
            "no stop-list (spread rule alone)",
            NetworkOptions {
                hub_list: qorgau_network::HubList::empty(),
                ..NetworkOptions::default()
            },
            false,
        ),
    ];
    println!("| variant | networks | pairwise precision | recall | F1 | build |");
    println!("|---|---|---|---|---|---|");
    let mut default_networks = None;
    for (name, options, clusters) in variants {
        let started = Instant::now();
        let mut builder = NetworkBuilder::new(options);
        for (d, t) in docs.iter().zip(&truth) {
            builder.add(facts(d, t, clusters));
        }
        let networks = builder.build();
        let elapsed = started.elapsed();
        let s = pairwise(&networks, &gold);
        println!(
            "| {name} | {} | {:.4} | {:.4} | {:.4} | {:.0} ms |",
            networks.len(),
            s.precision,
            s.recall,
            s.f1,
            elapsed.as_secs_f64() * 1000.0
        );
        if default_networks.is_none() {
            default_networks = Some(networks);
        }
    }
    let Some(networks) = default_networks else {
        return Ok(());
    };

    println!("\nhubs (default options):");
    for h in networks.hubs() {
        println!(
            "  {}:{} in {} documents, {} sources, {} groups ({:?})",
            h.kind, h.value, h.documents, h.sources, h.groups, h.reason
        );
    }

    // Mirror groups against the truth: a group is pure when all of its domains' documents
    // come from one truth network.
    let mut domain_nets: HashMap<String, std::collections::HashSet<&str>> = HashMap::new();
    for (d, (doc, t)) in docs.iter().zip(&truth).enumerate() {
        let g = gold[d].as_str();
        let mut names: Vec<String> = t
            .get("identifiers")
            .and_then(Value::as_array)
            .map(|ids| {
                ids.iter()
                    .filter(|i| text(i, "kind").as_deref() == Some("domain"))
                    .filter_map(|i| text(i, "value"))
                    .collect()
            })
            .unwrap_or_default();
        if let Some(s) = text(doc, "source").and_then(|s| s.strip_prefix("web:").map(str::to_owned))
        {
            names.push(s);
        }
        for n in names {
            domain_nets.entry(n).or_default().insert(g);
        }
    }
    let groups = networks.mirror_groups();
    let mut pure = 0;
    let mut impure_examples = Vec::new();
    for g in groups {
        let mut nets = std::collections::HashSet::new();
        for m in &g.members {
            if let Some(n) = domain_nets.get(&m.domain) {
                nets.extend(n.iter().copied());
            }
        }
        if nets.len() <= 1 {
            pure += 1;
        } else if impure_examples.len() < 8 {
            impure_examples.push(format!(
                "{} ({} truth networks)",
                g.domains().join(", "),
                nets.len()
            ));
        }
    }
    println!(
        "\nmirror groups: {} groups over {} domains; {} pure (one truth network), {} mixed",
        groups.len(),
        groups.iter().map(|g| g.members.len()).sum::<usize>(),
        pure,
        groups.len() - pure
    );
    for e in impure_examples {
        println!("  mixed: {e}");
    }
    let biggest: Vec<String> = networks
        .networks()
        .iter()
        .take(5)
        .map(|n| format!("  {}", n.describe()))
        .collect();
    println!("\nbiggest networks:\n{}", biggest.join("\n"));
    Ok(())
}
