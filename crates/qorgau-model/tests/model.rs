#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Training, prediction, explanation, persistence and evaluation on the
//! synthetic labelled fixtures in `tests/fixtures/` (Russian, Kazakh and
//! English ads and chats written for these tests; `heldout.jsonl` shares no
//! sentence with `train.jsonl`).

use std::io::Cursor;
use std::sync::OnceLock;

use chrono::NaiveDate;
use qorgau_model::{
    Example, FeatureKind, MINOR_HEAD, Model, ModelError, TrainOptions, evaluate,
    read_labelled_jsonl, train,
};

const TRAIN: &str = include_str!("fixtures/train.jsonl");
const HELDOUT: &str = include_str!("fixtures/heldout.jsonl");

fn examples(jsonl: &str) -> Vec<Example> {
    read_labelled_jsonl(Cursor::new(jsonl))
        .map(|d| {
            d.unwrap()
                .to_example(|t| qorgau_normalize::normalize(t).text)
        })
        .collect()
}

fn options() -> TrainOptions {
    TrainOptions {
        created: Some(NaiveDate::from_ymd_opt(2025, 3, 1).unwrap()),
        ..TrainOptions::default()
    }
}

fn model() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(|| train(&examples(TRAIN), &options(), &|_, _| {}).unwrap())
}

fn saved(m: &Model) -> Vec<u8> {
    let mut out = Vec::new();
    m.save(&mut out).unwrap();
    out
}

#[test]
fn fixtures_cover_every_class_in_three_languages() {
    let train = examples(TRAIN);
    assert!(train.len() >= 120);
    let m = model();
    assert_eq!(
        m.classes(),
        [
            "none",
            "employment_abroad",
            "escort_services",
            "modeling_webcam",
            "romance_grooming",
            "sextortion"
        ]
    );
    assert!(m.info().minor_head);
    assert_eq!(m.info().examples, train.len());
}

#[test]
fn training_is_deterministic_for_a_seed() {
    let ex = examples(TRAIN);
    let a = train(&ex, &options(), &|_, _| {}).unwrap();
    let b = train(&ex, &options(), &|_, _| {}).unwrap();
    assert_eq!(saved(&a), saved(&b));
    assert_eq!(a.version(), b.version());
    assert!(a.version().starts_with("model-2025-03-01-"));
    assert_eq!(a.version().len(), "model-2025-03-01-".len() + 12);

    let other = TrainOptions {
        seed: 42,
        ..options()
    };
    let c = train(&ex, &other, &|_, _| {}).unwrap();
    assert_ne!(
        a.version(),
        c.version(),
        "the seed changes the order, so the model"
    );
}

#[test]
fn progress_reports_every_epoch_and_loss_falls() {
    let losses = std::cell::RefCell::new(Vec::new());
    let opts = TrainOptions {
        epochs: 6,
        ..options()
    };
    train(&examples(TRAIN), &opts, &|e, l| {
        losses.borrow_mut().push((e, l))
    })
    .unwrap();
    let losses = losses.into_inner();
    assert_eq!(
        losses.iter().map(|x| x.0).collect::<Vec<_>>(),
        vec![1, 2, 3, 4, 5, 6]
    );
    assert!(losses[5].1 < losses[0].1 * 0.5, "{losses:?}");
}

#[test]
fn separates_the_classes_on_held_out_examples() {
    let held = examples(HELDOUT);
    let eval = evaluate(model(), &held);
    println!("{eval}");
    assert_eq!(eval.examples, 30);
    assert!(eval.accuracy >= 0.8, "accuracy {}", eval.accuracy);
    for c in &eval.classes {
        assert!(c.recall >= 0.6, "{}: recall {}", c.class, c.recall);
    }
    let risky = eval.risky.as_ref().unwrap();
    assert!(risky.recall >= 0.9 && risky.precision >= 0.9, "{risky:?}");
    let minor = eval.minor.as_ref().unwrap();
    assert!(minor.recall >= 0.5, "{minor:?}");
    // The evaluation is a faithful count: the confusion matrix adds up.
    let total: usize = eval.confusion.iter().flatten().sum();
    assert_eq!(total, 30);
    let json = serde_json::to_value(&eval).unwrap();
    assert!(json["classes"].as_array().unwrap().len() >= 6);
}

#[test]
fn predicts_clear_cases_in_each_language() {
    let m = model();
    let cases = [
        (
            "Девушкам работа в Дубае официанткой, перелёт и жильё бесплатно, виза за наш счёт",
            "employment_abroad",
        ),
        (
            "Вебкам студия набирает девушек, обучение, выплаты каждую неделю",
            "modeling_webcam",
        ),
        (
            "Pay 500 USDT or I will send your intimate photos to all your contacts",
            "sextortion",
        ),
        ("Продам велосипед, торг уместен", "none"),
    ];
    for (text, want) in cases {
        let p = m.predict(&qorgau_normalize::normalize(text).text);
        let sum: f32 = p.classes.iter().map(|c| c.probability).sum();
        assert!((sum - 1.0).abs() < 1e-4);
        assert_eq!(p.best().0, want, "{text}: {p:?}");
    }
}

#[test]
fn explain_points_at_ngrams_that_are_in_the_text() {
    let m = model();
    let text = qorgau_normalize::normalize(
        "Срочно! Работа в Турции для девушек, жильё и билеты бесплатно, оплата ежедневно.",
    )
    .text;
    let full = m.explanation(&text, "employment_abroad", 15).unwrap();
    assert_eq!(full.contributions.len(), 15);
    assert!(full.contributions.iter().any(|c| c.contribution > 0.0));
    for c in &full.contributions {
        assert!(!c.spans.is_empty());
        for &(s, e) in &c.spans {
            let piece = text[s..e].to_lowercase();
            match c.kind {
                FeatureKind::CharNgram => {
                    let bare = c.feature.trim_start_matches('<').trim_end_matches('>');
                    assert_eq!(piece, bare, "{c:?}");
                    // A boundary mark means the span really starts/ends a word.
                    if c.feature.starts_with('<') {
                        assert!(
                            s == 0 || !text[..s].chars().next_back().unwrap().is_alphanumeric()
                        );
                    }
                    if c.feature.ends_with('>') {
                        assert!(
                            e == text.len() || !text[e..].chars().next().unwrap().is_alphanumeric()
                        );
                    }
                }
                FeatureKind::Word => assert_eq!(piece, c.feature, "{c:?}"),
                FeatureKind::WordNgram => {
                    let words: Vec<&str> = c.feature.split(' ').collect();
                    assert!(piece.starts_with(words[0]) && piece.ends_with(words[words.len() - 1]));
                }
            }
        }
        assert!((c.contribution - c.weight * c.value).abs() < 1e-6);
    }
    // Sorted by size of effect.
    for pair in full.contributions.windows(2) {
        assert!(pair[0].contribution.abs() >= pair[1].contribution.abs());
    }
    // Bias + listed + omitted is the logit, and the logit gives the probability.
    let listed: f32 = full.contributions.iter().map(|c| c.contribution).sum();
    assert!((full.bias + listed + full.omitted - full.logit).abs() < 1e-4);
    let logits: Vec<f32> = m
        .classes()
        .iter()
        .map(|c| m.explanation(&text, c, 0).unwrap().logit)
        .collect();
    let max = logits.iter().copied().fold(f32::MIN, f32::max);
    let denom: f32 = logits.iter().map(|l| (l - max).exp()).sum();
    let idx = m
        .classes()
        .iter()
        .position(|c| c == "employment_abroad")
        .unwrap();
    let prob = (logits[idx] - max).exp() / denom;
    assert!(
        (prob - full.probability).abs() < 1e-4,
        "{prob} vs {}",
        full.probability
    );

    // The word view shares out the same evidence: over all words it adds
    // up to the logit too, and every word is really in the text.
    let all = m.explanation(&text, "employment_abroad", 10_000).unwrap();
    let words: f32 = all.words.iter().map(|w| w.contribution).sum();
    assert!((all.bias + words - all.logit).abs() < 1e-4);
    for w in &all.words {
        assert_eq!(text[w.span.0..w.span.1].to_lowercase(), w.word);
    }
    let top_words: Vec<&str> = full.words.iter().take(5).map(|w| w.word.as_str()).collect();
    assert!(
        top_words.iter().any(|w| [
            "турции",
            "работа",
            "девушек",
            "жильё",
            "билеты",
            "бесплатно",
            "ежедневно"
        ]
        .contains(w)),
        "{top_words:?}"
    );

    // A repeated word has every occurrence listed.
    let rep = "работа работа за границей";
    let all = m.explain(rep, "employment_abroad", 1000);
    let word = all
        .iter()
        .find(|c| c.feature == "работа" && c.kind == FeatureKind::Word);
    if let Some(w) = word {
        assert_eq!(w.spans, vec![(0, 12), (13, 25)]);
    }
}

#[test]
fn explain_handles_the_minor_head_and_unknown_classes() {
    let m = model();
    let text = qorgau_normalize::normalize("Ты в каком классе учишься? Только маме не говори").text;
    let e = m.explanation(&text, MINOR_HEAD, 5).unwrap();
    assert_eq!(e.class, MINOR_HEAD);
    assert!(e.probability > 0.5, "{e:?}");
    assert!(m.explain(&text, "no_such_class", 5).is_empty());
    assert!(m.explanation(&text, "no_such_class", 5).is_none());
    // Empty text: the prior only.
    let empty = m.explanation("", "sextortion", 5).unwrap();
    assert!(empty.contributions.is_empty());
    assert_eq!(empty.logit, empty.bias);
}

#[test]
fn top_features_are_named_and_class_specific() {
    let m = model();
    let top = m.top_features("sextortion", 20);
    assert!(!top.is_empty());
    assert!(top.windows(2).all(|p| p[0].weight >= p[1].weight));
    assert!(top.iter().all(|f| f.weight > 0.0 && !f.feature.is_empty()));
    // The fixture's sextortion examples keep coming back to photos and paying.
    let joined: String = top
        .iter()
        .map(|f| f.feature.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        ["фот", "pay", "плат", "жібер", "видео", "слив"]
            .iter()
            .any(|w| joined.contains(w)),
        "{joined}"
    );
    assert!(m.top_features("unknown", 5).is_empty());
}

#[test]
fn save_and_load_round_trip_exactly() {
    let m = model();
    let bytes = saved(m);
    let back = Model::load(bytes.as_slice()).unwrap();
    assert_eq!(back.version(), m.version());
    assert_eq!(back.sha256_hex(), m.sha256_hex());
    assert_eq!(back.info(), m.info());
    assert_eq!(saved(&back), bytes);
    for e in examples(HELDOUT) {
        assert_eq!(back.predict(&e.text), m.predict(&e.text));
        assert_eq!(
            back.explain(&e.text, "none", 10),
            m.explain(&e.text, "none", 10)
        );
    }
    assert_eq!(
        back.top_features("sextortion", 10),
        m.top_features("sextortion", 10)
    );
}

#[test]
fn truncated_or_altered_files_are_refused() {
    let bytes = saved(model());
    // Every truncation point is refused with a clear error.
    let step = (bytes.len() / 97).max(1);
    for cut in (0..bytes.len())
        .step_by(step)
        .chain([1, 12, 13, 54, 55, bytes.len() - 1])
    {
        let err = Model::load(&bytes[..cut]).unwrap_err();
        let msg = err.to_string();
        assert!(
            matches!(err, ModelError::Truncated { .. } | ModelError::BadMagic),
            "cut at {cut}: {msg}"
        );
        if cut >= 13 {
            assert!(msg.contains("truncated"), "{msg}");
        }
    }
    // A flipped bit anywhere in the content fails the checksum.
    for pos in [55, 60, bytes.len() / 2, bytes.len() - 1] {
        let mut bad = bytes.clone();
        bad[pos] ^= 0x10;
        let err = Model::load(bad.as_slice()).unwrap_err();
        assert!(matches!(err, ModelError::ChecksumMismatch { .. }), "{err}");
        assert!(err.to_string().contains("corrupt"));
    }
    // A flipped bit in the recorded digest too.
    let mut bad = bytes.clone();
    bad[30] ^= 1;
    assert!(matches!(
        Model::load(bad.as_slice()),
        Err(ModelError::ChecksumMismatch { .. })
    ));
    // Other formats and versions.
    assert!(matches!(
        Model::load(&b"{\"weights\": []}"[..]),
        Err(ModelError::BadMagic)
    ));
    assert!(matches!(Model::load(&b""[..]), Err(ModelError::BadMagic)));
    let mut v2 = bytes.clone();
    v2[13] = 2;
    let err = Model::load(v2.as_slice()).unwrap_err();
    assert!(matches!(
        err,
        ModelError::UnsupportedVersion {
            found: 2,
            supported: 1
        }
    ));
    assert!(err.to_string().contains("retrain"));
    // Bytes after the end.
    let mut long = bytes.clone();
    long.push(0);
    assert!(matches!(
        Model::load(long.as_slice()),
        Err(ModelError::Corrupt(_))
    ));
    // A huge declared length is refused before allocating for it.
    let mut huge = bytes.clone();
    huge[15..23].copy_from_slice(&u64::MAX.to_le_bytes());
    assert!(matches!(
        Model::load(huge.as_slice()),
        Err(ModelError::Corrupt(_))
    ));
}

#[test]
fn consistent_checksum_but_broken_structure_is_refused() {
    use sha2::{Digest, Sha256};
    let bytes = saved(model());
    // Re-seal a payload with its first byte changed (info length): the
    // checksum passes, the structure check must not.
    let mut payload = bytes[55..].to_vec();
    payload[0] = payload[0].wrapping_add(1);
    let mut forged = bytes[..55].to_vec();
    forged[23..55].copy_from_slice(&Sha256::digest(&payload));
    forged.extend_from_slice(&payload);
    let err = Model::load(forged.as_slice()).unwrap_err();
    assert!(matches!(err, ModelError::Corrupt(_)), "{err}");
}

#[test]
fn training_rejects_unusable_input() {
    let opts = options();
    assert!(matches!(
        train(&[], &opts, &|_, _| {}),
        Err(ModelError::NoExamples)
    ));
    let one = vec![
        Example {
            text: "a".into(),
            label: "none".into(),
            minor: None,
        };
        3
    ];
    assert!(matches!(
        train(&one, &opts, &|_, _| {}),
        Err(ModelError::SingleClass(_))
    ));
    let mut empty = one.clone();
    empty[1].label = " ".into();
    assert!(matches!(
        train(&empty, &opts, &|_, _| {}),
        Err(ModelError::EmptyLabel { index: 1 })
    ));
    let mut reserved = one.clone();
    reserved[2].label = "minor".into();
    assert!(matches!(
        train(&reserved, &opts, &|_, _| {}),
        Err(ModelError::ReservedLabel { index: 2 })
    ));
}

#[test]
fn without_minor_labels_there_is_no_minor_head() {
    let ex: Vec<Example> = examples(TRAIN)
        .into_iter()
        .map(|mut e| {
            e.minor = None;
            e
        })
        .collect();
    let opts = TrainOptions {
        epochs: 2,
        buckets_log2: 12,
        ..options()
    };
    let m = train(&ex, &opts, &|_, _| {}).unwrap();
    assert!(!m.info().minor_head);
    assert_eq!(m.predict("любой текст").minor, None);
    assert!(m.explanation("любой текст", MINOR_HEAD, 3).is_none());
    let back = Model::load(saved(&m).as_slice()).unwrap();
    assert_eq!(back.predict("любой текст"), m.predict("любой текст"));
}

#[test]
fn l1_makes_a_smaller_model_that_still_works() {
    let ex = examples(TRAIN);
    let opts = TrainOptions {
        l1: 0.5,
        ..options()
    };
    let sparse = train(&ex, &opts, &|_, _| {}).unwrap();
    assert!(saved(&sparse).len() < saved(model()).len() * 3 / 4);
    let eval = evaluate(&sparse, &examples(HELDOUT));
    assert!(eval.accuracy >= 0.6, "{eval}");
}
