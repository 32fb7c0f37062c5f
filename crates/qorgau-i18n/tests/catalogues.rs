//! The catalogues of all languages carry the same keys with the same
//! arguments, parse cleanly, and format as Fluent should.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

use std::collections::{BTreeMap, BTreeSet};

use fluent_syntax::ast;
use qorgau_i18n::{Args, Lang, TextError, catalogue_problems, catalogues, has_key, text, try_text};

/// Key (message id, or `id.attribute`) → the variables it uses.
type Signature = BTreeMap<String, BTreeSet<String>>;

fn inline_vars(e: &ast::InlineExpression<&str>, out: &mut BTreeSet<String>) {
    match e {
        ast::InlineExpression::VariableReference { id } => {
            out.insert(id.name.to_owned());
        }
        ast::InlineExpression::FunctionReference { arguments, .. } => call_vars(arguments, out),
        ast::InlineExpression::TermReference {
            arguments: Some(arguments),
            ..
        } => call_vars(arguments, out),
        ast::InlineExpression::Placeable { expression } => expr_vars(expression, out),
        _ => {}
    }
}

fn call_vars(args: &ast::CallArguments<&str>, out: &mut BTreeSet<String>) {
    for p in &args.positional {
        inline_vars(p, out);
    }
    for n in &args.named {
        inline_vars(&n.value, out);
    }
}

fn expr_vars(e: &ast::Expression<&str>, out: &mut BTreeSet<String>) {
    match e {
        ast::Expression::Select { selector, variants } => {
            inline_vars(selector, out);
            for v in variants {
                pattern_vars(&v.value, out);
            }
        }
        ast::Expression::Inline(i) => inline_vars(i, out),
    }
}

fn pattern_vars(p: &ast::Pattern<&str>, out: &mut BTreeSet<String>) {
    for el in &p.elements {
        if let ast::PatternElement::Placeable { expression } = el {
            expr_vars(expression, out);
        }
    }
}

fn signature(lang: Lang) -> (Vec<&'static str>, Signature) {
    let mut files = Vec::new();
    let mut sig = Signature::new();
    for cat in catalogues(lang) {
        files.push(cat.file);
        let resource = match fluent_syntax::parser::parse(cat.source) {
            Ok(r) => r,
            Err((_, errors)) => panic!("{lang}/{} does not parse: {errors:?}", cat.file),
        };
        for entry in &resource.body {
            let (id, value, attributes) = match entry {
                ast::Entry::Message(m) => (m.id.name, m.value.as_ref(), &m.attributes),
                ast::Entry::Term(t) => (t.id.name, Some(&t.value), &t.attributes),
                _ => continue,
            };
            let mut vars = BTreeSet::new();
            if let Some(v) = value {
                pattern_vars(v, &mut vars);
            }
            let key = match entry {
                ast::Entry::Term(_) => format!("-{id}"),
                _ => id.to_owned(),
            };
            assert!(
                sig.insert(key.clone(), vars).is_none(),
                "{lang}: key {key} defined twice"
            );
            for a in attributes {
                let mut vars = BTreeSet::new();
                pattern_vars(&a.value, &mut vars);
                sig.insert(format!("{key}.{}", a.id.name), vars);
            }
        }
    }
    (files, sig)
}

#[test]
fn every_key_exists_in_every_language_with_the_same_arguments() {
    let (ru_files, ru) = signature(Lang::Ru);
    assert!(
        ru.len() > 50,
        "the Russian catalogue looks empty: {} keys",
        ru.len()
    );
    for lang in [Lang::Kk, Lang::En] {
        let (files, other) = signature(lang);
        assert_eq!(files, ru_files, "{lang} has other catalogue files than ru");
        let ru_keys: BTreeSet<_> = ru.keys().collect();
        let keys: BTreeSet<_> = other.keys().collect();
        let missing: Vec<_> = ru_keys.difference(&keys).collect();
        let extra: Vec<_> = keys.difference(&ru_keys).collect();
        assert!(missing.is_empty(), "keys missing in {lang}: {missing:?}");
        assert!(
            extra.is_empty(),
            "keys only in {lang}, not in ru: {extra:?}"
        );
        for (key, vars) in &ru {
            assert_eq!(
                &other[key], vars,
                "{key}: arguments differ between ru and {lang}"
            );
        }
    }
}

#[test]
fn catalogues_load_without_problems() {
    assert_eq!(catalogue_problems(), Vec::<String>::new());
}

/// The comparison above would pass on catalogues that silently lost
/// everything; this checks the walker sees variables inside selectors.
#[test]
fn signature_sees_variables_inside_select_expressions() {
    let (_, ru) = signature(Lang::Ru);
    let total = &ru["files-total"];
    assert!(
        total.contains("count") && total.contains("bytes"),
        "{total:?}"
    );
}

#[test]
fn russian_plurals() {
    let f = |n: u64| text(Lang::Ru, "count-files", &Args::new().with("count", n));
    assert_eq!(f(1), "1 файл");
    assert_eq!(f(2), "2 файла");
    assert_eq!(f(4), "4 файла");
    assert_eq!(f(5), "5 файлов");
    assert_eq!(f(11), "11 файлов");
    assert_eq!(f(21), "21 файл");
    assert_eq!(f(22), "22 файла");
    assert_eq!(f(111), "111 файлов");
    let b = |n: u64| text(Lang::Ru, "count-bytes", &Args::new().with("count", n));
    assert_eq!(b(1), "1 байт");
    assert_eq!(b(3), "3 байта");
    assert_eq!(b(1000), "1000 байт");
}

#[test]
fn kazakh_and_english_plurals() {
    let kk = |n: u64| text(Lang::Kk, "count-files", &Args::new().with("count", n));
    assert_eq!(kk(1), "1 файл");
    assert_eq!(kk(5), "5 файл");
    let en = |n: u64| text(Lang::En, "count-files", &Args::new().with("count", n));
    assert_eq!(en(1), "1 file");
    assert_eq!(en(2), "2 files");
    assert_eq!(en(0), "0 files");
}

#[test]
fn kazakh_plural_rules_are_loaded_for_kk() {
    // CLDR: Kazakh has `one` and `other`, and the noun keeps its form after
    // a numeral, so both variants read the same; this checks that selects
    // resolve under the Kazakh rules without errors.
    for n in [0_u64, 1, 2, 5, 21] {
        let s = try_text(Lang::Kk, "count-files", &Args::new().with("count", n)).unwrap();
        assert_eq!(s, format!("{n} файл"));
    }
    let s = text(
        Lang::Kk,
        "files-total",
        &Args::new().with("count", 1).with("bytes", 10),
    );
    assert_eq!(s, "Барлығы 1 файл, жалпы көлемі 10 байт.");
}

#[test]
fn missing_key_falls_back_visibly_and_never_panics() {
    for lang in Lang::ALL {
        assert_eq!(text(lang, "no-such-key", &Args::new()), "{no-such-key}");
        assert_eq!(
            try_text(lang, "no-such-key", &Args::new()),
            Err(TextError::MissingKey {
                lang,
                key: "no-such-key".into()
            })
        );
        assert!(!has_key(lang, "no-such-key"));
        assert!(has_key(lang, "protocol-heading"));
    }
}

#[test]
fn missing_argument_is_reported_and_marked() {
    let e = try_text(Lang::En, "count-files", &Args::new()).unwrap_err();
    match e {
        TextError::Format { partial, .. } => assert!(partial.contains("{$count}"), "{partial}"),
        other => panic!("expected a format error, got {other:?}"),
    }
    assert!(text(Lang::En, "count-files", &Args::new()).contains("{$count}"));
}

#[test]
fn no_bidi_isolation_marks() {
    for lang in Lang::ALL {
        let s = text(
            lang,
            "tool-value",
            &Args::new().with("name", "qorgau").with("version", "0.1.0"),
        );
        assert!(
            !s.contains(['\u{2068}', '\u{2069}']),
            "{lang}: isolation marks in {s:?}"
        );
        assert!(s.contains("qorgau") && s.contains("0.1.0"), "{s}");
    }
}

#[test]
fn lang_parses_codes_and_reports_unknown_ones() {
    assert_eq!("ru".parse::<Lang>(), Ok(Lang::Ru));
    assert_eq!("KK".parse::<Lang>(), Ok(Lang::Kk));
    assert_eq!("kk-KZ".parse::<Lang>(), Ok(Lang::Kk));
    assert_eq!("en_US.UTF-8".parse::<Lang>(), Ok(Lang::En));
    let err = "de".parse::<Lang>().unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown language \"de\": expected one of ru, kk, en"
    );
    assert!("".parse::<Lang>().is_err());
    for l in Lang::ALL {
        assert_eq!(l.code().parse::<Lang>(), Ok(l));
        assert_eq!(
            serde_json::to_string(&l).unwrap(),
            format!("\"{}\"", l.code())
        );
    }
}
