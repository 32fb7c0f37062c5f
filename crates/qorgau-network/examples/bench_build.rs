//! Times building networks for many synthetic documents (default 1,000,000): each document
//! carries two or three identifiers drawn from its network's pool plus a hub domain, the
//! shape of a scanned ad corpus.
//!
//! ```text
//! cargo run --release -p qorgau-network --example bench_build -- [DOCUMENTS]
//! ```

use std::time::Instant;

use qorgau_network::{DocFacts, NetworkBuilder, NetworkOptions, Scope};

/// A small deterministic generator (SplitMix64), so runs compare.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let mut rng = Rng(7);
    let networks = (n / 8).max(1) as u64;
    let kinds = ["phone", "telegram", "card", "crypto", "email", "whatsapp"];
    let hubs = ["t.me", "wa.me", "instagram.com"];

    let started = Instant::now();
    let mut docs = Vec::with_capacity(n);
    for i in 0..n {
        // Network sizes follow a skewed law: a few big networks, many small ones.
        let net = rng.below(networks).min(rng.below(networks));
        let mut d = DocFacts::new(format!("doc-{i:08}"));
        for _ in 0..2 + rng.below(2) {
            let kind = kinds[rng.below(kinds.len() as u64) as usize];
            let slot = rng.below(4);
            d.identifiers
                .push((kind.to_owned(), format!("{kind}-{net}-{slot}")));
        }
        d.identifiers
            .push(("domain".to_owned(), hubs[rng.below(3) as usize].to_owned()));
        if rng.below(10) == 0 {
            d.source = Some(format!("web:site{}.kz", net % 5000));
        } else {
            d.source = Some(format!("telegram:@chat{}", rng.below(2000)));
        }
        d.scenario =
            Some(["employment_abroad", "escort_services", "none"][rng.below(3) as usize].into());
        d.flagged = true;
        docs.push(d);
    }
    let generated = started.elapsed();

    let started = Instant::now();
    let mut builder = NetworkBuilder::new(NetworkOptions::default());
    for d in docs {
        builder.add(d);
    }
    let added = started.elapsed();
    let started = Instant::now();
    let built = builder.build();
    let build = started.elapsed();
    let started = Instant::now();
    let graph = built.graph(&Scope::MinSize(2));
    let graphed = started.elapsed();
    println!(
        "{n} documents (generated in {:.2} s): add {:.2} s, build {:.2} s, graph of networks ≥ 2 ({} nodes, {} edges) {:.2} s",
        generated.as_secs_f64(),
        added.as_secs_f64(),
        build.as_secs_f64(),
        graph.nodes.len(),
        graph.edges.len(),
        graphed.as_secs_f64()
    );
    println!(
        "{} networks, biggest {} documents, {} hubs, {} mirror groups",
        built.len(),
        built.networks().first().map_or(0, |n| n.size),
        built.hubs().len(),
        built.mirror_groups().len()
    );
}
