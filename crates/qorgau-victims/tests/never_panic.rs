#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Parsers never panic, and scoring is monotone: property tests.

use std::collections::BTreeMap;

use proptest::prelude::*;
use qorgau_victims::seal::{self, FORMAT_VERSION, MAGIC};
use qorgau_victims::{
    Answer, DEFAULT_SCREENING, KeyRing, MinorStatus, Outcome, ScreeningConfig, ScreeningInput,
    VictimKey,
};
use uuid::Uuid;

fn rank(o: Outcome) -> u8 {
    match o {
        Outcome::Negative => 0,
        Outcome::Possible => 1,
        Outcome::Positive => 2,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn garbage_ciphertext_never_opens_and_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let keys = KeyRing::new(VictimKey::generate().unwrap());
        prop_assert!(seal::open(&keys, Uuid::nil(), &bytes).is_err());
        let _ = seal::read_header(&bytes);
        let _ = seal::rotate(&keys, Uuid::nil(), &bytes);
    }

    #[test]
    fn garbage_after_a_valid_header_never_opens(body in proptest::collection::vec(any::<u8>(), 0..200), nonce in any::<[u8; 24]>()) {
        let keys = KeyRing::new(VictimKey::generate().unwrap());
        let mut bytes = MAGIC.to_vec();
        bytes.push(FORMAT_VERSION);
        bytes.extend_from_slice(keys.current().id().as_bytes());
        bytes.extend_from_slice(&nonce);
        bytes.extend_from_slice(&body);
        prop_assert!(seal::open(&keys, Uuid::nil(), &bytes).is_err());
    }

    #[test]
    fn garbage_config_never_panics(text in "\\PC{0,400}") {
        let _ = ScreeningConfig::from_toml("garbage.toml", &text);
    }

    #[test]
    fn mangled_default_config_never_panics(cut in 0usize..40_000, len in 0usize..200, insert in "[\\[\\]=\"{}.a-z0-9\\n ]{0,12}") {
        let mut text = DEFAULT_SCREENING.to_string();
        let mut start = cut.min(text.len());
        while !text.is_char_boundary(start) { start -= 1; }
        let mut end = (start + len).min(text.len());
        while !text.is_char_boundary(end) { end -= 1; }
        text.replace_range(start..end.max(start), &insert);
        if let Err(errs) = ScreeningConfig::from_toml("mangled.toml", &text) {
            for e in errs.errors() {
                prop_assert!(e.line >= 1 && e.line <= text.lines().count().max(1) + 1, "{e}");
            }
        }
    }

    #[test]
    fn garbage_key_file_never_panics(text in "\\PC{0,300}") {
        let _ = VictimKey::from_file_text("garbage.key", &text);
    }

    #[test]
    fn garbage_key_file_lines_never_panic(lines in proptest::collection::vec("(id|secret|#|qorgau-victims-key 1)? ?[0-9a-fA-F\\-]{0,70}", 0..6)) {
        let text = format!("qorgau-victims-key 1\n{}", lines.join("\n"));
        let _ = VictimKey::from_file_text("garbage.key", &text);
    }

    #[test]
    fn another_yes_never_lowers_the_outcome(
        answers in proptest::collection::vec(0u8..4, 32),
        flip in 0usize..32,
        minor in prop_oneof![Just(MinorStatus::Adult), Just(MinorStatus::Minor), Just(MinorStatus::Unknown), Just(MinorStatus::PresumedMinor)],
    ) {
        let form = ScreeningConfig::default_form().unwrap();
        let ids: Vec<String> = form.indicators().iter().map(|i| i.id.clone()).collect();
        let mut map = BTreeMap::new();
        for (id, a) in ids.iter().zip(answers.iter()) {
            map.insert(id.clone(), match a { 0 => Answer::Yes, 1 => Answer::No, 2 => Answer::NotSure, _ => Answer::Declined });
        }
        map.insert(ids[0].clone(), Answer::No); // at least one answer
        let before = form.screen(&ScreeningInput { answers: map.clone(), minor }).unwrap();
        let target = ids[flip % ids.len()].clone();
        map.insert(target, Answer::Yes);
        let after = form.screen(&ScreeningInput { answers: map, minor }).unwrap();
        prop_assert!(after.score >= before.score);
        prop_assert!(rank(after.outcome) >= rank(before.outcome));
        // The outcome agrees with the thresholds.
        let t = form.thresholds();
        if after.score >= t.positive { prop_assert_eq!(after.outcome, Outcome::Positive); }
        prop_assert_eq!(after.referral.is_some(), after.outcome == Outcome::Positive);
        prop_assert_eq!(after.score, after.contributions.iter().map(|c| c.weight).sum::<u32>());
    }
}
