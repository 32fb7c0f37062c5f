#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Realistic obfuscated recruitment and exploitation spam (synthetic, see
//! `tests/fixtures/spam.json`), each with the exact identifiers expected,
//! plus panic-freedom on arbitrary input.

use std::collections::BTreeSet;

use proptest::prelude::*;
use qorgau_identifiers::{Extractor, Identifier};
use serde_json::Value;

fn kind(i: &Identifier) -> String {
    serde_json::to_value(i.kind)
        .unwrap()
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn obfuscated_spam_fixtures() {
    let path = format!("{}/tests/fixtures/spam.json", env!("CARGO_MANIFEST_DIR"));
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let ex = Extractor::new();
    let mut failures = Vec::new();
    for case in v["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let text = case["text"].as_str().unwrap();
        let got = ex.extract(text);
        let got_set: BTreeSet<(String, String)> =
            got.iter().map(|i| (kind(i), i.value.clone())).collect();
        let want: Vec<&Value> = case["expected"].as_array().unwrap().iter().collect();
        let want_set: BTreeSet<(String, String)> = want
            .iter()
            .map(|e| {
                (
                    e[0].as_str().unwrap().to_owned(),
                    e[1].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        if got_set != want_set {
            failures.push(format!(
                "{name}:\n  missing {:?}\n  extra   {:?}",
                want_set.difference(&got_set).collect::<Vec<_>>(),
                got_set.difference(&want_set).collect::<Vec<_>>()
            ));
            continue;
        }
        for e in &want {
            let Some(raw) = e[2].as_str() else { continue };
            let i = got
                .iter()
                .find(|i| kind(i) == e[0].as_str().unwrap() && i.value == e[1].as_str().unwrap())
                .unwrap();
            if &text[i.span.clone()] != raw {
                failures.push(format!(
                    "{name}: span of {} is {:?}, want {raw:?}",
                    i.value,
                    &text[i.span.clone()]
                ));
            }
        }
        // In text order, no duplicates.
        assert!(
            got.windows(2).all(|w| w[0].span.start <= w[1].span.start),
            "{name}"
        );
        assert_eq!(got.len(), got_set.len(), "{name}");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn reuses_a_normalisation() {
    let ex = Extractor::new();
    let text = "Пиши в тг: @astana_job_2025, звони восемь семь ноль один два три четыре пять шесть семь восемь";
    let n = qorgau_normalize::normalize(text);
    assert_eq!(ex.extract_normalized(text, &n), ex.extract(text));
    assert_eq!(ex.extract(text).len(), 2);
}

#[test]
fn one_extractor_many_threads() {
    let ex = std::sync::Arc::new(Extractor::new());
    let handles: Vec<_> = (0..4)
        .map(|k| {
            let ex = ex.clone();
            std::thread::spawn(move || ex.extract(&format!("тел: +7 701 234 56 7{k}")).len())
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap(), 1);
    }
}

fn check_spans(text: &str, ids: &[Identifier]) {
    for i in ids {
        assert!(
            i.span.start <= i.span.end && i.span.end <= text.len(),
            "{i:?}"
        );
        assert!(
            text.is_char_boundary(i.span.start) && text.is_char_boundary(i.span.end),
            "{i:?}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn never_panics_on_any_text(s in "\\PC{0,200}") {
        let ex = Extractor::new();
        check_spans(&s, &ex.extract(&s));
    }

    #[test]
    fn never_panics_on_spam_alphabet(
        parts in proptest::collection::vec(
            prop_oneof![
                Just("+7".to_owned()), Just("8".to_owned()), Just(" ".to_owned()), Just("701".to_owned()), Just("234-56-78".to_owned()), Just("@".to_owned()), Just("тг:".to_owned()),
                Just("t.me/".to_owned()), Just("wa.me/".to_owned()), Just("https://".to_owned()), Just(".kz".to_owned()), Just("собака".to_owned()), Just("точка".to_owned()),
                Just("(at)".to_owned()), Just("восемь".to_owned()), Just("семь".to_owned()), Just("\u{200B}".to_owned()), Just("8\u{FE0F}\u{20E3}".to_owned()),
                Just("KZ18".to_owned()), Just("4400".to_owned()), Just("bc1q".to_owned()), Just("0x".to_owned()), Just("T".to_owned()), Just("abandon".to_owned()), Just("about".to_owned()),
                Just("О".to_owned()), Just("\n".to_owned()), Just("инст".to_owned()), Just("_".to_owned()), Just(".".to_owned()), Just("/".to_owned()), Just("?phone=".to_owned()),
                "[a-zA-Z0-9]{1,12}".boxed(), "[а-яА-Я]{1,6}".boxed(),
            ],
            0..40,
        )
    ) {
        let s: String = parts.concat();
        let ex = Extractor::new();
        check_spans(&s, &ex.extract(&s));
    }
}
