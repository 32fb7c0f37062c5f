#![allow(clippy::unwrap_used, clippy::expect_used)]
//! No input makes scoring or language identification panic, and spans always
//! slice the original text; language identification on short realistic
//! samples of every supported language.

use std::sync::LazyLock;

use proptest::prelude::*;
use qorgau_detect::{Detector, Lang, Lexicon, detect_language};
use qorgau_normalize::normalize;

static DETECTOR: LazyLock<Detector> =
    LazyLock::new(|| Detector::new(Lexicon::builtin().expect("built-in lexicon loads")));

fn check(text: &str) {
    let _ = detect_language(text);
    let n = normalize(text);
    let a = DETECTOR.score(text, &n);
    assert!((0.0..=1.0).contains(&a.risk));
    for h in a.indicators.iter().chain(&a.dampeners).chain(&a.context) {
        assert_eq!(text.get(h.span[0]..h.span[1]), Some(h.text.as_str()));
    }
    let _ = detect_language(&n.text);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_unicode_never_panics(s in "\\PC{0,200}") {
        check(&s);
    }

    #[test]
    fn lexicon_words_mixed_with_noise_never_panic(
        parts in proptest::collection::vec(prop_oneof![
            Just("работа"), Just("Дубай"), Just("девушки 18-25"), Just("билеты оплачиваем"),
            Just("қыздар"), Just("o'quvchi"), Just("İstanbul"), Just("\u{200B}"), Just("💋"),
            Just("1 час"), Just("слив"), Just(".."), Just("*"), Just("'"), Just("ё"),
            Just(" "), Just("\n"), Just("$"), Just("a"), Just("Ⓐ"), Just("\u{307}"),
        ], 0..40)
    ) {
        check(&parts.concat());
    }

    #[test]
    fn arbitrary_bytes_as_lossy_text_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        check(&String::from_utf8_lossy(&bytes));
    }
}

#[test]
fn long_documents_list_a_bounded_number_of_reasons() {
    let text = "Работа в Дубае, визу оплачиваем. ".repeat(5000);
    let a = DETECTOR.score_text(&text);
    assert!(a.flagged);
    for id in ["emp.destination", "emp.travel_paid"] {
        let n = a.indicators.iter().filter(|h| h.id == id).count();
        assert_eq!(n, qorgau_detect::MAX_LISTED as usize, "{id}");
    }
}

#[test]
fn language_samples() {
    let cases = [
        (
            "Ищу работу няней, опыт пять лет, рекомендации есть.",
            Lang::Ru,
        ),
        (
            "Бүгін кешке кездесуге келесің бе? Мен сені күтемін.",
            Lang::Kk,
        ),
        ("Эртең кечинде жолугалыбы? Мен сени күтөм, келчи.", Lang::Ky),
        (
            "Ertaga kechqurun uchrashamizmi? Men seni kutaman.",
            Lang::Uz,
        ),
        (
            "Эртага кечқурун учрашамизми? Мен сени кутаман, албатта кел.",
            Lang::Uz,
        ),
        (
            "Looking for a nanny for two kids, references required.",
            Lang::En,
        ),
        (
            "Жұмыс бар, қыздар үшін жалақы жоғары, тегін тұрғын үй беріледі.\n\
             Работа для девушек, высокая зарплата, бесплатное жильё предоставляется.",
            Lang::Mixed,
        ),
        (
            "Работа в Дубае для девушек, высокая зарплата и жильё.\n\
             Jobs in Dubai for young women, high salary and free housing provided.",
            Lang::Mixed,
        ),
        ("+7 701 000 00 00 · 12:00", Lang::Unknown),
    ];
    let mut wrong = Vec::new();
    for (text, lang) in cases {
        let got = detect_language(text);
        if got != lang {
            wrong.push(format!("{text:?}: {got:?}, expected {lang:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
