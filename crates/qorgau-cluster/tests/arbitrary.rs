#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Nothing panics on arbitrary text, bytes or signatures.

use proptest::prelude::*;
use qorgau_cluster::{
    ClusterParams, Clusterer, Clusters, MinHashParams, MinHasher, Shingle, Signature, cluster_all,
    template,
};

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[а-яёәғқңөұүһі0-9 \n!?.,🔥@#$]{0,80}",
        "[a-z0-9 \n\u{200B}\u{0301}]{0,60}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn signatures_and_templates_never_panic(texts in prop::collection::vec(any_text(), 0..12)) {
        for shingle in [Shingle::Words(2), Shingle::Words(0), Shingle::Chars(3), Shingle::Chars(0)] {
            let h = MinHasher::new(MinHashParams { shingle, hashes: 16, ..MinHashParams::default() });
            let sigs: Vec<Signature> = texts.iter().map(|t| h.signature(t)).collect();
            for s in &sigs {
                prop_assert_eq!(s.values().len(), 16);
                let e = s.jaccard_estimate(&sigs[0]);
                prop_assert!((0.0..=1.0).contains(&e));
            }
            let params = ClusterParams { bands: 4, rows: 4, ..ClusterParams::default() };
            let roots = cluster_all(&sigs, &params);
            prop_assert_eq!(roots.len(), sigs.len());
            for (i, &r) in roots.iter().enumerate() {
                prop_assert!(r as usize <= i);
            }
            let clusters = Clusters::from_assignment(&roots, &sigs);
            let mut inc = Clusterer::new(params);
            for (i, s) in sigs.iter().enumerate() {
                inc.insert(i, s);
            }
            let inc = inc.finish();
            for i in 0..sigs.len() {
                prop_assert_eq!(clusters.label_of(i), inc.label_of(i));
            }
        }
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let t = template(&refs);
        let _ = t.to_string();
    }

    #[test]
    fn stored_signatures_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        match Signature::from_bytes(&bytes) {
            Ok(s) => prop_assert_eq!(s.to_bytes(), bytes),
            Err(_) => prop_assert!(bytes.is_empty() || !bytes.len().is_multiple_of(4)),
        }
    }
}
