//! The hash index against a linear scan: the same hashes, in the same order,
//! for every query and distance; and (ignored, `bench/media-index.sh`) the
//! 10-million-hash benchmark.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

use std::time::Instant;

use proptest::prelude::*;
use qorgau_media::index::{
    HammingIndex, ImageIndex, ImageMatch, linear_scan, near_duplicate_groups,
};

/// Hashes in clusters (a centre and copies a few bits away), so that queries
/// near a centre have many answers at every distance.
fn clustered() -> impl Strategy<Value = (Vec<u64>, Vec<u64>)> {
    (
        prop::collection::vec(any::<u64>(), 1..40),
        prop::collection::vec((0usize..40, any::<u64>(), 0u32..14), 0..600),
        prop::collection::vec((0usize..40, any::<u64>(), 0u32..16), 1..20),
    )
        .prop_map(|(centres, copies, queries)| {
            let near = |(c, noise, bits): (usize, u64, u32)| {
                let mut code = centres[c % centres.len()];
                let mut noise = noise;
                for _ in 0..bits {
                    code ^= 1 << (noise % 64);
                    noise = noise.rotate_right(7).wrapping_mul(0x9E37_79B9_7F4A_7C15);
                }
                code
            };
            let codes = centres
                .iter()
                .copied()
                .chain(copies.into_iter().map(near))
                .collect();
            (codes, queries.into_iter().map(near).collect())
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn index_answers_as_a_scan((codes, queries) in clustered(), distance in 0u32..=24) {
        let index = HammingIndex::new(codes.clone()).unwrap();
        for q in queries {
            let expected = linear_scan(&codes, q, distance);
            prop_assert_eq!(&index.within_by_lookup(q, distance), &expected);
            prop_assert_eq!(&index.within(q, distance), &expected);
        }
    }

    #[test]
    fn image_index_applies_the_rule(
        (codes, queries) in clustered(),
        flips in prop::collection::vec(any::<u64>(), 600),
        distance in 0u32..=14,
    ) {
        // dHash: the pHash with some further bits flipped, as real pairs are
        // correlated but not equal.
        let pairs: Vec<(u64, u64)> = codes
            .iter()
            .zip(flips.iter().cycle())
            .map(|(&p, &f)| (p, p ^ (f & f.rotate_left(17) & f.rotate_left(31))))
            .collect();
        let index = ImageIndex::new(&pairs).unwrap();
        for q in queries {
            let qd = q ^ 0x0101_0000_0000_8001;
            let found = index.similar(q, qd, distance);
            let mut expected: Vec<ImageMatch> = pairs
                .iter()
                .enumerate()
                .map(|(id, &(p, d))| ImageMatch {
                    id: id as u32,
                    phash_distance: (p ^ q).count_ones(),
                    dhash_distance: (d ^ qd).count_ones(),
                })
                .filter(|m| ImageMatch::is_match(m.phash_distance, m.dhash_distance, distance))
                .collect();
            expected.sort_by_key(|m| (m.phash_distance, m.dhash_distance, m.id));
            prop_assert_eq!(found, expected);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(100))]

    /// The groups are the connected components of the matching rule, found
    /// by pairwise comparison: nothing chained is split, nothing unchained
    /// joined, singletons left out, members and groups in input order.
    #[test]
    fn near_duplicate_groups_are_the_components_of_the_rule(
        (codes, _) in clustered(),
        flips in prop::collection::vec(any::<u64>(), 600),
        distance in 0u32..=12,
    ) {
        let codes: Vec<u64> = codes.into_iter().take(300).collect();
        let pairs: Vec<(u64, u64)> = codes
            .iter()
            .zip(flips.iter().cycle())
            .map(|(&p, &f)| (p, p ^ (f & f.rotate_left(23) & f.rotate_left(41))))
            .collect();
        let n = pairs.len();
        let mut component: Vec<usize> = (0..n).collect();
        for i in 0..n {
            // Breadth-first from each unlabelled picture.
            if component[i] != i {
                continue;
            }
            let mut queue = vec![i];
            while let Some(a) = queue.pop() {
                for b in 0..n {
                    let (pa, da) = pairs[a];
                    let (pb, db) = pairs[b];
                    let matched = ImageMatch::is_match(
                        (pa ^ pb).count_ones(),
                        (da ^ db).count_ones(),
                        distance,
                    );
                    if matched && component[b] == b && b > i {
                        component[b] = i;
                        queue.push(b);
                    }
                }
            }
        }
        let mut expected: Vec<Vec<usize>> = (0..n)
            .map(|root| (0..n).filter(|&j| component[j] == root).collect::<Vec<_>>())
            .filter(|members| members.len() > 1)
            .collect();
        expected.sort_by_key(|m| m[0]);
        prop_assert_eq!(near_duplicate_groups(&pairs, distance), expected);
    }
}

#[test]
fn uniform_codes_of_every_size() {
    // Sizes that change the substring count and width.
    for n in [1usize, 2, 255, 256, 5_000, 70_000] {
        let codes: Vec<u64> = (0..n as u64)
            .map(|i| (i + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(13))
            .collect();
        let index = HammingIndex::new(codes.clone()).unwrap();
        for (k, q) in codes.iter().step_by((n / 7).max(1)).enumerate() {
            let q = q ^ (k as u64 * 0x1111);
            for d in [0, 3, 9, 17] {
                assert_eq!(
                    index.within_by_lookup(q, d),
                    linear_scan(&codes, q, d),
                    "n={n} d={d}"
                );
            }
        }
    }
}

/// SplitMix64, for the benchmark's hashes.
fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// 10 million random hashes plus planted near-duplicates; median query time
/// of the index and of a linear scan for d = 4, 8, 10, side by side.
/// `bench/media-index.sh` runs it (release build); sizes from the
/// environment (`INDEX_BENCH_SIZE`, `INDEX_BENCH_QUERIES`).
#[test]
#[ignore = "benchmark: bench/media-index.sh"]
fn index_benchmark() {
    let size: usize = std::env::var("INDEX_BENCH_SIZE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000_000);
    let queries: usize = std::env::var("INDEX_BENCH_QUERIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(101);
    let mut state = 2026u64;
    let mut codes: Vec<u64> = (0..size).map(|_| splitmix(&mut state)).collect();
    // Each query has 20 planted copies 0–12 bits away.
    let mut query_codes = Vec::with_capacity(queries);
    for _ in 0..queries {
        let q = splitmix(&mut state);
        query_codes.push(q);
        for k in 0..20 {
            let mut c = q;
            for _ in 0..(k % 13) {
                c ^= 1 << (splitmix(&mut state) % 64);
            }
            let slot = (splitmix(&mut state) % size as u64) as usize;
            codes[slot] = c;
        }
    }
    let started = Instant::now();
    let index = HammingIndex::new(codes.clone()).unwrap();
    println!(
        "{size} hashes, {} substrings; built in {:.2} s; {queries} queries per distance",
        index.substrings(),
        started.elapsed().as_secs_f64()
    );
    println!(
        "| d | index median (ms) | linear scan median (ms) | scan / index | answers per query (mean) |"
    );
    println!("|---:|---:|---:|---:|---:|");
    for d in [4u32, 8, 10] {
        let mut index_times = Vec::new();
        let mut scan_times = Vec::new();
        let mut answers = 0usize;
        // In turns, so that both see the same machine.
        for &q in &query_codes {
            let t = Instant::now();
            let found = index.within(q, d);
            index_times.push(t.elapsed().as_secs_f64() * 1e3);
            let t = Instant::now();
            let scanned = linear_scan(&codes, q, d);
            scan_times.push(t.elapsed().as_secs_f64() * 1e3);
            assert_eq!(found, scanned, "index and scan disagree at d = {d}");
            answers += found.len();
        }
        let (i, s) = (median(&mut index_times), median(&mut scan_times));
        println!(
            "| {d} | {i:.3} | {s:.2} | {:.0}× | {:.1} |",
            s / i,
            answers as f64 / queries as f64
        );
        assert!(
            i < 50.0,
            "median query at d = {d} took {i:.3} ms, over 50 ms"
        );
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}
