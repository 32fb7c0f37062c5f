#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The synthetic corpus in `fixtures/cases.toml`: every positive is flagged
//! with the right scenario and reasons, every hard negative stays below the
//! flag threshold, minors and languages are recognised. All failures are
//! reported together, with the reasons the detector gave.

use std::sync::LazyLock;

use qorgau_detect::{Assessment, Detector, Lexicon, detect_language};
use qorgau_normalize::normalize;
use serde::Deserialize;

#[derive(Deserialize)]
struct Cases {
    case: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    expect: String,
    text: String,
    minor: Option<bool>,
    lang: Option<String>,
    #[serde(default)]
    fires: Vec<String>,
    #[serde(default)]
    damps: Vec<String>,
}

static DETECTOR: LazyLock<Detector> =
    LazyLock::new(|| Detector::new(Lexicon::builtin().expect("built-in lexicon loads")));

fn cases() -> Vec<Case> {
    let text = include_str!("fixtures/cases.toml");
    toml::from_str::<Cases>(text)
        .expect("cases.toml parses")
        .case
}

fn explain(a: &Assessment) -> String {
    let ind: Vec<String> = a
        .indicators
        .iter()
        .map(|h| format!("{}({:?})", h.id, h.text))
        .collect();
    let damp: Vec<&str> = a.dampeners.iter().map(|h| h.id.as_str()).collect();
    format!(
        "risk {:.2} scenario {:?} scores {:?}\n    indicators {ind:?}\n    dampeners {damp:?}",
        a.risk, a.scenario, a.scores
    )
}

#[test]
fn corpus_cases() {
    let mut failures = Vec::new();
    let all = cases();
    assert!(all.len() >= 50, "the corpus should stay broad");
    for c in &all {
        let n = normalize(&c.text);
        let a = DETECTOR.score(&c.text, &n);
        let got = a.scenario.map_or("none", |s| s.as_str());
        let mut why = Vec::new();
        if c.expect == "none" {
            if a.flagged {
                why.push("flagged a hard negative".to_string());
            }
        } else {
            if !a.flagged {
                why.push("not flagged".to_string());
            }
            if got != c.expect {
                why.push(format!("scenario {got}, expected {}", c.expect));
            }
        }
        if let Some(m) = c.minor
            && a.minor != m
        {
            why.push(format!(
                "minor {} (score {:.2}), expected {m}",
                a.minor, a.scores.minor_involved
            ));
        }
        for id in &c.fires {
            if !a.indicators.iter().any(|h| &h.id == id) {
                why.push(format!("indicator {id} did not fire"));
            }
        }
        for id in &c.damps {
            if !a.dampeners.iter().any(|h| &h.id == id) {
                why.push(format!("dampener {id} did not apply"));
            }
        }
        if let Some(l) = &c.lang {
            let got = detect_language(&n.text);
            if got.as_str() != l {
                why.push(format!("language {}, expected {l}", got.as_str()));
            }
        }
        if !why.is_empty() {
            failures.push(format!(
                "{}: {}\n    {}",
                c.name,
                why.join("; "),
                explain(&a)
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// Every reason points at the words as written: the span cuts the original
/// text on character boundaries and its text is what the span covers.
#[test]
fn every_span_is_a_slice_of_the_original() {
    for c in cases() {
        let n = normalize(&c.text);
        let a = DETECTOR.score(&c.text, &n);
        for h in a.indicators.iter().chain(&a.dampeners).chain(&a.context) {
            let [s, e] = h.span;
            assert!(s < e, "{}: empty span for {}", c.name, h.id);
            assert_eq!(
                c.text.get(s..e),
                Some(h.text.as_str()),
                "{}: span of {} does not slice the original",
                c.name,
                h.id
            );
        }
    }
}

#[test]
fn dampeners_lower_scores_but_keep_indicators() {
    let lure =
        "Набираем девушек 18-25 официантками в Дубай, билеты и визу оплачиваем, жильё бесплатно.";
    let warning = format!("Признаки вербовки: {lure} Не верьте, позвоните на горячую линию.");
    let plain = DETECTOR.score_text(lure);
    let warned = DETECTOR.score_text(&warning);
    assert!(plain.flagged);
    assert!(!warned.flagged, "{}", explain(&warned));
    assert!(warned.scores.employment_abroad < plain.scores.employment_abroad);
    // The lure's indicators are still listed for the reviewer.
    for h in &plain.indicators {
        assert!(
            warned.indicators.iter().any(|w| w.id == h.id),
            "{} hidden by the dampener",
            h.id
        );
    }
    assert!(!warned.dampeners.is_empty());
}

#[test]
fn repeats_have_diminishing_returns() {
    let once = DETECTOR.score_text("Работа в Дубае.");
    let thrice = DETECTOR.score_text("Работа в Дубае. Дубай! Снова Дубай, Дубай.");
    let (a, b) = (
        once.scores.employment_abroad,
        thrice.scores.employment_abroad,
    );
    assert!(b > a, "repeats add something: {a} → {b}");
    assert!(
        !thrice.flagged,
        "a repeated destination alone is not a lure: {b}"
    );
}

#[test]
fn empty_and_plain_texts_score_nothing() {
    for t in [
        "",
        "   ",
        "12345",
        "Добрый день! Продаю велосипед, почти новый.",
    ] {
        let a = DETECTOR.score_text(t);
        assert!(!a.flagged, "{t:?}");
        assert_eq!(a.scenario, None);
        assert!(a.indicators.is_empty(), "{t:?}: {:?}", a.indicators);
    }
}

#[test]
fn assessment_serialises_to_the_scan_contract() {
    let a = DETECTOR.score_text(
        "Индивидуалка, апартаменты и выезд, 1 час 20 000 тг, ночь 70 000 тг. Досуг для мужчин.",
    );
    let v = serde_json::to_value(&a).unwrap();
    assert_eq!(v["scenario"], "escort_services");
    assert_eq!(v["flagged"], true);
    for k in [
        "employment_abroad",
        "modeling_webcam",
        "romance_grooming",
        "escort_services",
        "sextortion",
        "minor_involved",
    ] {
        assert!(v["scores"][k].is_number(), "scores.{k}");
    }
    let hit = &v["indicators"][0];
    assert!(hit["id"].is_string() && hit["scenario"].is_string());
    assert_eq!(hit["span"].as_array().map(Vec::len), Some(2));
    assert!(v["lexicon_version"].as_str().unwrap().starts_with("2026."));
    let none = serde_json::to_value(DETECTOR.score_text("Продаю диван")).unwrap();
    assert_eq!(none["scenario"], "none");
}
