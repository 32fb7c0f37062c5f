#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Property tests: no input text, labelled line or model file makes the
//! crate panic, and the bounded rule holds for every input.

use std::sync::OnceLock;

use chrono::NaiveDate;
use proptest::prelude::*;
use qorgau_model::{
    Example, MAX_SHIFT_LIMIT, MINOR_HEAD, Model, STRONG_MODEL_PROBABILITY, TrainOptions, adjust,
    read_labelled_jsonl, train,
};

fn model() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(|| {
        let ex = |t: &str, l: &str, m: bool| Example {
            text: t.into(),
            label: l.into(),
            minor: Some(m),
        };
        let examples = vec![
            ex(
                "работа в дубае для девушек, жильё бесплатно",
                "employment_abroad",
                false,
            ),
            ex(
                "Türkiyede iş, vize ücretsiz, kızlar",
                "employment_abroad",
                false,
            ),
            ex("у меня твои фото, плати или разошлю", "sextortion", true),
            ex(
                "I have your photos, pay or I post them",
                "sextortion",
                false,
            ),
            ex("продам стол, 5000 тенге", "none", false),
            ex("сатамын велосипед", "none", false),
        ];
        let opts = TrainOptions {
            epochs: 3,
            buckets_log2: 12,
            created: NaiveDate::from_ymd_opt(2025, 1, 1),
            ..TrainOptions::default()
        };
        train(&examples, &opts, &|_, _| {}).unwrap()
    })
}

fn saved() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| {
        let mut v = Vec::new();
        model().save(&mut v).unwrap();
        v
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn predict_and_explain_never_panic(text in "\\PC{0,200}") {
        let m = model();
        let p = m.predict(&text);
        let sum: f32 = p.classes.iter().map(|c| c.probability).sum();
        prop_assert!((sum - 1.0).abs() < 1e-4);
        prop_assert!(p.classes.iter().all(|c| c.probability.is_finite()));
        for class in m.classes() {
            // Explanation and prediction are the same computation.
            let e = m.explanation(&text, class, 3).unwrap();
            prop_assert_eq!(Some(e.probability), p.probability(class));
        }
        prop_assert_eq!(Some(m.explanation(&text, MINOR_HEAD, 3).unwrap().probability), p.minor);
        for class in m.classes().iter().map(String::as_str).chain([MINOR_HEAD]) {
            for c in m.explain(&text, class, 8) {
                for (s, e) in c.spans {
                    prop_assert!(s < e && e <= text.len());
                    prop_assert!(text.is_char_boundary(s) && text.is_char_boundary(e));
                }
            }
        }
    }

    #[test]
    fn odd_unicode_never_panics(chars in proptest::collection::vec(any::<char>(), 0..64)) {
        let text: String = chars.into_iter().collect();
        let m = model();
        let _ = m.predict(&text);
        for c in m.explain(&text, "sextortion", 100) {
            for (s, e) in c.spans {
                prop_assert!(s < e && e <= text.len());
                prop_assert!(text.is_char_boundary(s) && text.is_char_boundary(e));
            }
        }
    }

    #[test]
    fn labelled_reader_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        for r in read_labelled_jsonl(std::io::Cursor::new(bytes)) {
            let _ = r;
        }
    }

    #[test]
    fn load_never_panics_on_garbage(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        prop_assert!(Model::load(bytes.as_slice()).is_err());
    }

    #[test]
    fn load_never_accepts_a_damaged_model(pos in 0usize..100_000, xor in 1u8..=255, cut in any::<bool>()) {
        let good = saved();
        let pos = pos % good.len();
        let bad: Vec<u8> = if cut {
            good[..pos].to_vec()
        } else {
            let mut b = good.to_vec();
            b[pos] ^= xor;
            b
        };
        prop_assert!(Model::load(bad.as_slice()).is_err());
    }

    #[test]
    fn adjust_stays_within_its_bound(
        lex in prop_oneof![-1.0f32..2.0, Just(f32::NAN)],
        fired in any::<bool>(),
        p in prop_oneof![-0.5f32..1.5, Just(f32::NAN)],
        bound in prop_oneof![-1.0f32..1.0, Just(f32::NAN), Just(f32::INFINITY)],
    ) {
        let a = adjust(lex, fired, p, bound);
        prop_assert!((0.0..=1.0).contains(&a.score));
        prop_assert!(a.bound <= MAX_SHIFT_LIMIT && a.bound >= 0.0);
        prop_assert!((a.score - a.lexicon_score).abs() <= a.bound + 1e-6, "{a:?}");
        if !fired {
            // Without lexicon evidence the score rises only on strong model
            // evidence, and then it is marked model-only.
            if a.score > a.lexicon_score {
                prop_assert!(p >= STRONG_MODEL_PROBABILITY);
                prop_assert!(a.model_only);
                prop_assert!(a.score <= a.lexicon_score + a.bound + 1e-6);
            } else {
                prop_assert!(!a.model_only);
            }
        } else {
            prop_assert!(!a.model_only);
        }
        // The model only ever pulls towards its own probability.
        if !p.is_nan() {
            let p = p.clamp(0.0, 1.0);
            prop_assert!((a.score - p).abs() <= (a.lexicon_score - p).abs() + 1e-6);
        }
        prop_assert!(!a.reason.is_empty());
    }
}
