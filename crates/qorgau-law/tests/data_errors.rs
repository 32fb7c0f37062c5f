//! Loading validates the data files: every problem names its file and line.
//! Also: an amendment of the law is a change of data.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use qorgau_law::{Answers, DataFiles, DataIssue, IssueKind, Library, LoadError, SourceFile};

fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("`{needle}` not in the text"))
        + 1
}

/// The built-in files with one article file's text changed.
fn with_article(name: &str, edit: impl Fn(&str) -> String) -> (DataFiles, String) {
    let mut files = DataFiles::builtin();
    let f = files
        .articles
        .iter_mut()
        .find(|f| f.name == format!("articles/{name}"))
        .unwrap();
    let new = edit(&f.text);
    assert_ne!(new, f.text, "the edit must change something");
    f.text = new.clone();
    (files, new)
}

fn load_err(files: &DataFiles) -> LoadError {
    Library::load(files).expect_err("the broken data must not load")
}

fn only(err: &LoadError) -> &DataIssue {
    assert_eq!(err.issues.len(), 1, "{err}");
    &err.issues[0]
}

#[test]
fn builtin_data_loads() {
    let law = Library::builtin().unwrap();
    assert_eq!(law.articles().len(), 12);
    assert!(law.rules().edition.contains("annex-3"));
}

#[test]
fn an_unknown_fact_names_file_line_and_fact() {
    let (files, text) = with_article("128.toml", |t| {
        t.replace(r#"any_of = ["weapon"]"#, r#"any_of = ["weapons"]"#)
    });
    let err = load_err(&files);
    let issue = only(&err);
    assert_eq!(issue.file, "articles/128.toml");
    assert_eq!(issue.line, line_of(&text, "\"weapons\""));
    assert_eq!(
        issue.kind,
        IssueKind::UnknownFact {
            fact: "weapons".into()
        }
    );
    let shown = err.to_string();
    assert!(
        shown.contains(&format!("articles/128.toml:{}:", issue.line)) && shown.contains("weapons"),
        "{shown}"
    );
}

#[test]
fn a_duplicate_part_names_both_lines() {
    let (files, text) = with_article("309.toml", |t| {
        format!(
            "{t}\n[[part]]\nnumber = \"1\"\ntrafficking_related = true\ntext_ru = \"x\"\nrequired = [{{ any_of = [\"brothel_organisation\"] }}]\n[part.penalty]\nmain = [{{ kind = \"imprisonment\", max_years = 5 }}]\n"
        )
    });
    let err = load_err(&files);
    let issue = only(&err);
    assert_eq!(issue.file, "articles/309.toml");
    let first = line_of(&text, "number = \"1\"");
    let second = text.lines().count() - 5;
    assert_eq!(issue.line, second);
    assert_eq!(
        issue.kind,
        IssueKind::DuplicatePart {
            article: 309,
            part: "1".into(),
            first_line: first
        }
    );
}

#[test]
fn a_minimum_above_the_maximum_is_a_bad_penalty() {
    let (files, text) = with_article("135.toml", |t| {
        t.replace(
            "min_years = 12, max_years = 18",
            "min_years = 18, max_years = 12",
        )
    });
    let err = load_err(&files);
    let issue = only(&err);
    assert_eq!(issue.file, "articles/135.toml");
    assert_eq!(issue.line, line_of(&text, "min_years = 18, max_years = 12"));
    assert!(
        matches!(&issue.kind, IssueKind::BadPenalty { reason } if reason.contains("min_years = 18"))
    );
}

#[test]
fn other_bad_penalties_are_caught() {
    let cases: &[(&str, &str, &str)] = &[
        // imprisonment without a term
        (
            "{ kind = \"imprisonment\", max_years = 5 }",
            "{ kind = \"imprisonment\" }",
            "max_years",
        ),
        // a term beyond the Code's maximum
        (
            "{ kind = \"imprisonment\", max_years = 5 }",
            "{ kind = \"imprisonment\", max_years = 50 }",
            "outside",
        ),
        // confiscation as a main punishment
        (
            "{ kind = \"imprisonment\", max_years = 5 }",
            "{ kind = \"confiscation\" }",
            "additional",
        ),
        // years on confiscation
        (
            "additional = [{ kind = \"confiscation\" }]\n\n[[part]]\nnumber = \"2\"",
            "additional = [{ kind = \"confiscation\", max_years = 2 }]\n\n[[part]]\nnumber = \"2\"",
            "no term",
        ),
    ];
    for (from, to, reason_has) in cases {
        let (files, text) = with_article("309.toml", |t| t.replacen(from, to, 1));
        let err = load_err(&files);
        let issue = only(&err);
        assert_eq!(issue.file, "articles/309.toml");
        let needle = to.lines().next().unwrap();
        assert_eq!(issue.line, line_of(&text, needle), "{err}");
        assert!(
            matches!(&issue.kind, IssueKind::BadPenalty { reason } if reason.contains(reason_has)),
            "{err}"
        );
    }
}

#[test]
fn a_negative_term_and_an_unknown_kind_are_syntax_errors_with_lines() {
    let (files, text) = with_article("309.toml", |t| {
        t.replace(
            "min_years = 5, max_years = 10",
            "min_years = -5, max_years = 10",
        )
    });
    let err = load_err(&files);
    let issue = only(&err);
    assert_eq!(issue.line, line_of(&text, "min_years = -5"));
    assert!(matches!(issue.kind, IssueKind::Syntax { .. }));

    let (files, text) = with_article("308.toml", |t| {
        t.replacen("kind = \"fine\"", "kind = \"flogging\"", 1)
    });
    let err = load_err(&files);
    let issue = only(&err);
    assert_eq!(issue.line, line_of(&text, "flogging"));
    assert!(matches!(&issue.kind, IssueKind::Syntax { message } if message.contains("flogging")));
}

#[test]
fn broken_toml_and_misspelt_keys_point_at_the_line() {
    let (files, text) = with_article("116.toml", |t| {
        t.replacen("title_en = \"", "title_en = ", 1)
    });
    let err = load_err(&files);
    let issue = only(&err);
    assert_eq!(issue.file, "articles/116.toml");
    assert_eq!(issue.line, line_of(&text, "title_en = "));

    let (files, text) = with_article("116.toml", |t| {
        t.replacen("penalty_text_ru", "penality_text_ru", 1)
    });
    let err = load_err(&files);
    let issue = only(&err);
    assert_eq!(issue.line, line_of(&text, "penality_text_ru"));
    assert!(
        matches!(&issue.kind, IssueKind::Syntax { message } if message.contains("penality_text_ru"))
    );
}

#[test]
fn a_quoted_part_without_penalty_is_refused() {
    let (files, text) = with_article("308.toml", |t| {
        t.replace(
            "[part.penalty]\nmain = [{ kind = \"imprisonment\", min_years = 5, max_years = 7 }]\nadditional = [{ kind = \"confiscation\" }]\n",
            "",
        )
    });
    let err = load_err(&files);
    let issue = only(&err);
    assert_eq!(issue.kind, IssueKind::MissingPenalty { part: "3".into() });
    // Reported at the part's table header.
    let header = text
        .lines()
        .enumerate()
        .filter(|(_, l)| *l == "[[part]]")
        .nth(2)
        .unwrap()
        .0
        + 2;
    assert!(issue.line == header || issue.line == header - 1, "{err}");
}

#[test]
fn the_reconciliation_flag_must_match_art_3_item_1_1() {
    let (files, text) = with_article("125.toml", |t| {
        t.replacen(
            "trafficking_related = false",
            "trafficking_related = true",
            1,
        )
    });
    let err = load_err(&files);
    let issue = only(&err);
    assert_eq!(issue.file, "articles/125.toml");
    assert_eq!(issue.line, line_of(&text, "number = \"1\""));
    assert!(matches!(
        issue.kind,
        IssueKind::ReconciliationMismatch {
            article: 125,
            flag: true,
            expected: false,
            ..
        }
    ));
}

#[test]
fn a_bad_base_and_an_empty_condition_are_refused() {
    let (files, text) = with_article("134.toml", |t| {
        t.replacen("base = \"1\"", "base = \"7\"", 1)
    });
    let err = load_err(&files);
    let issue = only(&err);
    assert_eq!(issue.line, line_of(&text, "base = \"7\""));
    assert!(matches!(issue.kind, IssueKind::BadBase { .. }));

    let (files, text) = with_article("126.toml", |t| {
        t.replace(
            "required = [{ all_of = [\"unlawful_deprivation_of_liberty\"] }]",
            "required = [{ }]",
        )
    });
    let err = load_err(&files);
    let issue = only(&err);
    assert_eq!(issue.line, line_of(&text, "required = [{ }]"));
    assert_eq!(issue.kind, IssueKind::EmptyCondition);
}

#[test]
fn a_second_file_for_the_same_article_is_refused() {
    let mut files = DataFiles::builtin();
    let copy = files
        .articles
        .iter()
        .find(|f| f.name == "articles/128.toml")
        .unwrap()
        .text
        .clone();
    files
        .articles
        .push(SourceFile::new("articles/128-amended.toml", copy.clone()));
    let err = load_err(&files);
    let issue = only(&err);
    assert_eq!(issue.file, "articles/128-amended.toml");
    assert_eq!(issue.line, line_of(&copy, "number = 128"));
    assert_eq!(
        issue.kind,
        IssueKind::DuplicateArticle {
            article: 128,
            first_file: "articles/128.toml".into()
        }
    );
}

#[test]
fn facts_file_problems_are_located_too() {
    let mut files = DataFiles::builtin();
    files.facts.text = files.facts.text.replacen(
        "implies = [\"victim_minor\"]",
        "implies = [\"victim_minr\"]",
        1,
    );
    files.facts.text.push_str("\n[[fact]]\nid = \"weapon\"\ngroup = \"method\"\nlabel_ru = \"x\"\nlabel_kk = \"x\"\nlabel_en = \"x\"\nquestion_ru = \"x?\"\nquestion_kk = \"x?\"\nquestion_en = \"x?\"\n");
    let err = load_err(&files);
    assert_eq!(err.issues.len(), 2, "{err}");
    assert!(err.issues.iter().all(|i| i.file == "facts.toml"));
    let kinds: Vec<&IssueKind> = err.issues.iter().map(|i| &i.kind).collect();
    assert!(kinds.contains(&&IssueKind::DuplicateFact {
        fact: "weapon".into()
    }));
    assert!(kinds.contains(&&IssueKind::UnknownFact {
        fact: "victim_minr".into()
    }));
    let unknown = err
        .issues
        .iter()
        .find(|i| matches!(i.kind, IssueKind::UnknownFact { .. }))
        .unwrap();
    assert_eq!(unknown.line, line_of(&files.facts.text, "victim_minr"));
}

#[test]
fn rules_file_problems_are_located_too() {
    let mut files = DataFiles::builtin();
    files.rules.text = files
        .rules
        .text
        .replacen("fact = \"telecom_networks_used\"", "fact = \"internet\"", 1)
        .replacen("article = 309", "article = 310", 1);
    let err = load_err(&files);
    // The flags of art. 309's parts now disagree with the list: reported at the parts.
    assert!(
        err.issues
            .iter()
            .filter(|i| i.file != "rules.toml")
            .all(|i| i.file == "articles/309.toml"
                && matches!(
                    i.kind,
                    IssueKind::ReconciliationMismatch { article: 309, .. }
                )),
        "{err}"
    );
    assert!(err.issues.iter().any(|i| i.kind
        == IssueKind::UnknownFact {
            fact: "internet".into()
        }
        && i.line == line_of(&files.rules.text, "fact = \"internet\"")));
    assert!(err.issues.iter().any(|i| matches!(&i.kind, IssueKind::UnknownReference { reference } if reference.contains("310"))));
}

#[test]
fn all_problems_are_reported_at_once() {
    let mut files = DataFiles::builtin();
    for f in &mut files.articles {
        if f.name.ends_with("128.toml") {
            f.text = f.text.replace("\"weapon\"", "\"weapons\"");
        }
        if f.name.ends_with("309.toml") {
            f.text = f.text.replace(
                "min_years = 5, max_years = 10",
                "min_years = 11, max_years = 10",
            );
        }
    }
    let err = load_err(&files);
    let files_hit: Vec<&str> = err.issues.iter().map(|i| i.file.as_str()).collect();
    assert!(
        files_hit.contains(&"articles/128.toml") && files_hit.contains(&"articles/309.toml"),
        "{err}"
    );
}

#[test]
fn an_amendment_is_a_data_change() {
    // Suppose the sanction of art. 309 part 1 were raised to six years.
    let (files, _) = with_article("309.toml", |t| {
        t.replacen(
            "main = [{ kind = \"imprisonment\", max_years = 5 }]",
            "main = [{ kind = \"imprisonment\", min_years = 2, max_years = 6 }]",
            1,
        )
    });
    let law = Library::load(&files).unwrap();
    let a = law.assess(&Answers::yes(["brothel_organisation"])).unwrap();
    let c = a.candidate(309, "1").unwrap();
    let r = c.penalty.as_ref().unwrap().imprisonment.unwrap();
    assert_eq!((r.min_years, r.max_years), (Some(2), 6));
}
