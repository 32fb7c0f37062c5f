#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Loading, validating and versioning lexicons, and the pattern language,
//! on small lexicons written in the tests.

use qorgau_detect::{Detector, Lexicon, LexiconError, Scenario};

const MANIFEST: &str = r#"
[lexicon]
version = "0.0.1"
[scoring]
flag_threshold = 0.5
scenario_threshold = 0.5
minor_threshold = 0.3
repeat_gain = 0.5
max_repeats = 3
max_weight = 0.9
"#;

fn lex(files: &[(&str, &str)]) -> Result<Lexicon, LexiconError> {
    let mut all = vec![("lexicon.toml".to_string(), MANIFEST.to_string())];
    all.extend(
        files
            .iter()
            .map(|(n, t)| ((*n).to_string(), (*t).to_string())),
    );
    Lexicon::from_files(all)
}

fn det(body: &str) -> Detector {
    Detector::new(lex(&[("t.toml", body)]).unwrap())
}

fn ids(d: &Detector, text: &str) -> Vec<String> {
    d.score_text(text)
        .indicators
        .into_iter()
        .map(|h| h.id)
        .collect()
}

const STEM_AND_WORD: &str = r#"
[[indicator]]
id = "stem"
scenario = "employment_abroad"
weight = 0.3
description = "stem"
patterns.ru = ["работ*"]

[[indicator]]
id = "word"
scenario = "employment_abroad"
weight = 0.3
description = "whole word"
patterns.ru = ["оаэ"]
patterns.kk = ["шетел*"]

[[indicator]]
id = "gap"
scenario = "employment_abroad"
weight = 0.3
description = "phrase with a gap"
patterns.ru = ["билет* .. оплач*"]
"#;

#[test]
fn stems_words_and_boundaries() {
    let d = det(STEM_AND_WORD);
    assert_eq!(ids(&d, "Работаем без выходных"), ["stem"]);
    assert!(
        ids(&d, "подработка").is_empty(),
        "a stem matches at word starts only"
    );
    assert_eq!(ids(&d, "Вылет в ОАЭ!"), ["word"]);
    assert!(
        ids(&d, "оаэс").is_empty(),
        "a whole word must end where the word ends"
    );
    assert!(ids(&d, "моаэ").is_empty());
    // Kazakh without a Kazakh keyboard still matches the folded pattern.
    assert_eq!(ids(&d, "ШЕТЕЛДЕ"), ["word"]);
}

#[test]
fn gaps_allow_up_to_three_words() {
    let d = det(STEM_AND_WORD);
    assert_eq!(ids(&d, "Билеты оплачиваем"), ["gap"]);
    assert_eq!(ids(&d, "билеты, визу и дорогу оплачиваем"), ["gap"]);
    assert!(ids(&d, "билеты мы тебе потом когда-нибудь оплачиваем").is_empty());
    assert!(ids(&d, "оплачиваем билеты").is_empty(), "order matters");
}

#[test]
fn spans_point_at_the_obfuscated_original() {
    let d = det(STEM_AND_WORD);
    // Latin look-alikes, a zero-width space and spaced letters.
    for (text, expect) in [
        ("Рaбoтa в OAЭ", "Рaбoтa"),
        ("Раб\u{200B}ота мечты", "Раб\u{200B}ота"),
        ("Р А Б О Т А для всех", "Р А Б О Т А"),
    ] {
        let a = d.score_text(text);
        let hit = a.indicators.iter().find(|h| h.id == "stem").expect(text);
        assert_eq!(hit.text, expect, "{text:?}");
        assert_eq!(&text[hit.span[0]..hit.span[1]], expect);
    }
    let text = "Б и л е т ы и визу оплачиваем";
    let a = d.score_text(text);
    let hit = a.indicators.iter().find(|h| h.id == "gap").unwrap();
    assert_eq!(hit.text, "Б и л е т ы и визу оплачиваем");
}

const CONTEXTS: &str = r#"
[[indicator]]
id = "women"
scenario = "context"
group = "women"
description = "girls"
patterns.ru = ["девуш*"]

[[indicator]]
id = "online"
scenario = "modeling_webcam"
group = "online"
weight = 0.3
requires = ["women|chat"]
unless = ["crypto"]
description = "online earnings"
patterns.ru = ["заработ* онлайн"]

[[indicator]]
id = "chat"
scenario = "modeling_webcam"
group = "chat"
weight = 0.3
description = "chat"
patterns.ru = ["видеочат*"]

[[indicator]]
id = "crypto"
scenario = "context"
group = "crypto"
description = "crypto"
patterns.ru = ["крипт*"]

[[combo]]
id = "online_women"
scenario = "modeling_webcam"
groups = ["online", "women"]
bonus = 0.4
description = "online earnings for girls"

[[dampener]]
id = "news"
weight = 0.5
applies_to = ["modeling_webcam"]
description = "news"
patterns.ru = ["задержан*"]
"#;

#[test]
fn requires_unless_combos_and_dampeners() {
    let d = det(CONTEXTS);
    assert!(
        ids(&d, "Заработок онлайн").is_empty(),
        "requires women or chat"
    );
    let a = d.score_text("Заработок онлайн для девушек");
    assert_eq!(a.indicators.len(), 1);
    assert_eq!(a.context.len(), 1);
    assert_eq!(a.combos.len(), 1);
    // 1 - (1-0.3)(1-0.4)
    assert!(
        (a.scores.modeling_webcam - 0.58).abs() < 1e-3,
        "{:?}",
        a.scores
    );
    assert!(a.flagged);
    assert_eq!(a.scenario, Some(Scenario::ModelingWebcam));
    assert!(
        ids(&d, "Заработок онлайн на крипте для девушек").is_empty(),
        "unless"
    );
    let b = d.score_text("Задержаны организаторы: заработок онлайн для девушек");
    assert_eq!(b.dampeners.len(), 1);
    assert!(
        (b.scores.modeling_webcam - 0.29).abs() < 1e-3,
        "{:?}",
        b.scores
    );
    assert!(!b.flagged);
    assert_eq!(
        b.indicators.len(),
        1,
        "dampened indicators are still listed"
    );
}

#[test]
fn version_is_manifest_plus_content_hash() {
    let a = lex(&[("t.toml", STEM_AND_WORD)]).unwrap();
    let b = lex(&[("t.toml", STEM_AND_WORD)]).unwrap();
    let c = lex(&[("t.toml", &STEM_AND_WORD.replace("0.3", "0.31"))]).unwrap();
    assert!(a.version().starts_with("0.0.1+"));
    assert_eq!(a.version().len(), "0.0.1+".len() + 12);
    assert_eq!(a.version(), b.version());
    assert_ne!(a.version(), c.version(), "any edit changes the version");
}

#[test]
fn builtin_equals_the_lexicon_directory() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/lexicon");
    let from_dir = Lexicon::from_dir(dir).unwrap();
    let builtin = Lexicon::builtin().unwrap();
    assert_eq!(
        from_dir.version(),
        builtin.version(),
        "a lexicon file was added to lexicon/ but not to BUILTIN"
    );
    assert!(builtin.len() > 50);
}

#[test]
fn from_dir_reads_a_copy_and_picks_up_edits() {
    let src = concat!(env!("CARGO_MANIFEST_DIR"), "/lexicon");
    let tmp = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(src).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, tmp.path().join(p.file_name().unwrap())).unwrap();
    }
    let before = Lexicon::from_dir(tmp.path()).unwrap();
    std::fs::write(
        tmp.path().join("local.toml"),
        r#"
[[indicator]]
id = "local.brand"
scenario = "escort_services"
weight = 0.6
description = "A brand seen in a local case."
patterns.any = ["ночные бабочки алматы"]
"#,
    )
    .unwrap();
    let after = Lexicon::from_dir(tmp.path()).unwrap();
    assert_ne!(before.version(), after.version());
    let a = Detector::new(after).score_text("Ночные бабочки Алматы, звони");
    assert!(a.indicators.iter().any(|h| h.id == "local.brand"));
}

fn err(files: &[(&str, &str)]) -> String {
    lex(files).expect_err("must be refused").to_string()
}

#[test]
fn errors_name_the_file_and_entry() {
    let e = err(&[("bad.toml", "[[indicator]\nid = 1")]);
    assert!(e.contains("bad.toml"), "{e}");

    let one = r#"
[[indicator]]
id = "dup"
scenario = "sextortion"
weight = 0.3
description = "x"
patterns.ru = ["слив"]
"#;
    let e = err(&[("a.toml", one), ("b.toml", one)]);
    assert!(
        e.contains("dup") && e.contains("a.toml") && e.contains("b.toml"),
        "{e}"
    );

    let e = err(&[("e.toml", &one.replace(r#"["слив"]"#, r#"["слив", "  "]"#))]);
    assert!(
        e.contains("e.toml") && e.contains("dup") && e.contains("empty pattern"),
        "{e}"
    );

    let e = err(&[("s.toml", &one.replace("sextortion", "trafficking"))]);
    assert!(
        e.contains("s.toml") && e.contains("unknown scenario") && e.contains("trafficking"),
        "{e}"
    );

    let e = err(&[("l.toml", &one.replace("patterns.ru", "patterns.de"))]);
    assert!(
        e.contains("unknown language") && e.contains("\"de\""),
        "{e}"
    );

    let e = err(&[("w.toml", &one.replace("0.3", "1.5"))]);
    assert!(e.contains("w.toml") && e.contains("weight"), "{e}");

    let e = err(&[("p.toml", &one.replace(r#"["слив"]"#, r#"["сл*ив"]"#))]);
    assert!(e.contains("p.toml") && e.contains("сл*ив"), "{e}");

    let e = err(&[(
        "g.toml",
        &one.replace("weight = 0.3", "weight = 0.3\nrequires = [\"nobody\"]"),
    )]);
    assert!(e.contains("g.toml") && e.contains("nobody"), "{e}");

    let e = err(&[(
        "n.toml",
        &one.replace(r#"patterns.ru = ["слив"]"#, "patterns = {}"),
    )]);
    assert!(e.contains("n.toml") && e.contains("no patterns"), "{e}");

    let e = err(&[(
        "u.toml",
        &one.replace("weight = 0.3", "weight = 0.3\ncolour = \"red\""),
    )]);
    assert!(e.contains("u.toml") && e.contains("colour"), "{e}");
}

#[test]
fn missing_manifest_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("x.toml"), "").unwrap();
    let e = Lexicon::from_dir(tmp.path()).unwrap_err();
    assert!(matches!(e, LexiconError::MissingManifest { .. }), "{e}");
    let e = Lexicon::from_dir(tmp.path().join("absent")).unwrap_err();
    assert!(matches!(e, LexiconError::Io { .. }), "{e}");
}
