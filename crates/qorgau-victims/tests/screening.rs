#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Screening with the default form and with small forms made for the test.

use std::collections::BTreeMap;

use qorgau_victims::{
    Answer, Basis, Group, Lang, LoadErrorKind, MinorStatus, Outcome, ScreeningConfig,
    ScreeningError, ScreeningInput,
};

fn default_form() -> ScreeningConfig {
    ScreeningConfig::default_form().unwrap()
}

fn input(yes: &[&str], minor: MinorStatus) -> ScreeningInput {
    let mut answers = BTreeMap::new();
    for id in yes {
        answers.insert((*id).to_string(), Answer::Yes);
    }
    ScreeningInput { answers, minor }
}

/// All questions answered: `yes` ones "yes", the rest "no".
fn full_input(form: &ScreeningConfig, yes: &[&str], minor: MinorStatus) -> ScreeningInput {
    let mut answers = BTreeMap::new();
    for i in form.indicators() {
        let a = if yes.contains(&i.id.as_str()) {
            Answer::Yes
        } else {
            Answer::No
        };
        answers.insert(i.id.clone(), a);
    }
    ScreeningInput { answers, minor }
}

#[test]
fn default_form_has_four_groups_and_the_digital_block_of_the_study() {
    let form = default_form();
    for g in Group::ALL {
        assert!(form.group(g).count() >= 5, "group {g} is too thin");
    }
    // The five items the study lists in 5.2.
    for id in [
        "digital.online_recruitment",
        "digital.sextortion",
        "digital.online_threats",
        "digital.remote_exploitation",
        "digital.devices_accounts_controlled",
        "digital.location_monitoring",
        "digital.payments_through_others",
    ] {
        let i = form.indicator(id).unwrap_or_else(|| panic!("missing {id}"));
        assert_eq!(i.group, Group::Digital);
        assert!(i.source.contains("study"), "{id} must cite the study");
    }
    assert!(form.kk_needs_review());
    for i in form.indicators() {
        for lang in [Lang::Ru, Lang::Kk, Lang::En] {
            assert!(!i.question.get(lang).is_empty(), "{} lacks {lang:?}", i.id);
        }
        assert!(i.question.en.ends_with('?'), "{} is not a question", i.id);
        assert!(!i.source.is_empty());
    }
    let t = form.thresholds();
    assert_eq!((t.possible, t.positive), (4, 10));
}

#[test]
fn physical_group_alone_reaches_possible_then_positive_by_score() {
    let form = default_form();
    let r = form
        .screen(&full_input(
            &form,
            &["physical.violence", "physical.deprivation"],
            MinorStatus::Adult,
        ))
        .unwrap();
    assert_eq!(r.score, 9);
    assert_eq!(r.outcome, Outcome::Possible);
    assert_eq!(r.basis, Basis::ScoreAtLeastPossible);
    assert_eq!(r.group_scores[&Group::Physical], 9);
    assert_eq!(r.group_scores[&Group::Digital], 0);
    assert!(r.referral.is_none());

    let r = form
        .screen(&full_input(
            &form,
            &[
                "physical.violence",
                "physical.deprivation",
                "physical.lives_at_workplace",
            ],
            MinorStatus::Adult,
        ))
        .unwrap();
    assert_eq!(r.score, 12);
    assert_eq!(r.outcome, Outcome::Positive);
    assert_eq!(r.basis, Basis::ScoreAtLeastPositive);
    assert!(r.referral.is_some());
}

#[test]
fn psychological_group_alone_can_be_positive() {
    let form = default_form();
    let r = form
        .screen(&full_input(
            &form,
            &[
                "psychological.threats_to_person_or_family",
                "psychological.deceived_about_work",
                "psychological.afraid_to_leave",
            ],
            MinorStatus::Adult,
        ))
        .unwrap();
    assert_eq!(r.score, 13);
    assert_eq!(r.outcome, Outcome::Positive);
    assert_eq!(r.group_scores[&Group::Psychological], 13);
    assert_eq!(
        r.groups_with_indicators().into_iter().collect::<Vec<_>>(),
        vec![Group::Psychological]
    );
}

#[test]
fn economic_group_below_and_at_the_possible_threshold() {
    let form = default_form();
    let r = form
        .screen(&full_input(
            &form,
            &["economic.upfront_payments"],
            MinorStatus::Adult,
        ))
        .unwrap();
    assert_eq!(r.score, 3);
    assert_eq!(r.outcome, Outcome::Negative);
    assert_eq!(r.basis, Basis::ScoreBelowPossible);
    let r = form
        .screen(&full_input(
            &form,
            &["economic.upfront_payments", "economic.fines"],
            MinorStatus::Adult,
        ))
        .unwrap();
    assert_eq!(r.score, 6);
    assert_eq!(r.outcome, Outcome::Possible);
}

#[test]
fn digital_group_recruitment_signs_ask_for_an_interview_and_digital_control_adds_up() {
    let form = default_form();
    let r = form
        .screen(&full_input(
            &form,
            &[
                "digital.online_recruitment",
                "digital.private_chat_unknown_recruiter",
            ],
            MinorStatus::Adult,
        ))
        .unwrap();
    assert_eq!(r.score, 4);
    assert_eq!(r.outcome, Outcome::Possible);
    let r = form
        .screen(&full_input(
            &form,
            &[
                "digital.online_recruitment",
                "digital.devices_accounts_controlled",
                "digital.payments_through_others",
            ],
            MinorStatus::Adult,
        ))
        .unwrap();
    assert_eq!(r.score, 11);
    assert_eq!(r.outcome, Outcome::Positive);
    assert_eq!(r.group_scores[&Group::Digital], 11);
    // Exactly the positive threshold of the default form (10), across groups.
    let r = form
        .screen(&full_input(
            &form,
            &[
                "digital.online_recruitment",
                "digital.devices_accounts_controlled",
                "economic.fines",
            ],
            MinorStatus::Adult,
        ))
        .unwrap();
    assert_eq!((r.score, r.outcome), (10, Outcome::Positive));
    assert_eq!(r.group_scores[&Group::Digital], 7);
    assert_eq!(r.group_scores[&Group::Economic], 3);
}

#[test]
fn each_strong_indicator_alone_makes_a_positive_result() {
    let form = default_form();
    let strong: Vec<_> = form.indicators().iter().filter(|i| i.strong).collect();
    assert!(strong.len() >= 5);
    for i in strong {
        let r = form
            .screen(&full_input(&form, &[i.id.as_str()], MinorStatus::Adult))
            .unwrap();
        assert_eq!(r.outcome, Outcome::Positive, "{}", i.id);
        assert_eq!(
            r.basis,
            Basis::StrongIndicator {
                indicators: vec![i.id.clone()]
            }
        );
        assert!(
            r.score < form.thresholds().positive,
            "{} would pass by score",
            i.id
        );
        assert!(r.contributions[0].strong);
    }
    // Sextortion is strong: the study's central digital lever (3.3).
    assert!(form.indicator("digital.sextortion").unwrap().strong);
    assert!(
        form.indicator("digital.remote_exploitation")
            .unwrap()
            .strong
    );
}

#[test]
fn strong_if_minor_is_decisive_only_for_minors_and_presumed_minors() {
    let form = default_form();
    let id = "digital.minor_intimate_requests";
    let adult = form
        .screen(&full_input(&form, &[id], MinorStatus::Adult))
        .unwrap();
    assert_eq!(adult.outcome, Outcome::Possible);
    assert!(!adult.contributions[0].strong);
    assert!(adult.child_rights.is_none());
    for m in [MinorStatus::Minor, MinorStatus::PresumedMinor] {
        let r = form.screen(&full_input(&form, &[id], m)).unwrap();
        assert_eq!(r.outcome, Outcome::Positive, "{m:?}");
        assert!(matches!(r.basis, Basis::StrongIndicator { .. }));
        let flag = r.child_rights.expect("child-rights flag");
        assert_eq!(flag.agency_kind, "child_rights_committee");
        assert_eq!(flag.minor, m);
    }
    let unknown = form
        .screen(&full_input(&form, &[id], MinorStatus::Unknown))
        .unwrap();
    assert_eq!(unknown.outcome, Outcome::Possible);
}

#[test]
fn minor_flag_follows_the_outcome_not_only_the_age() {
    let form = default_form();
    let neg = form
        .screen(&full_input(&form, &[], MinorStatus::Minor))
        .unwrap();
    assert_eq!(neg.outcome, Outcome::Negative);
    assert!(neg.child_rights.is_none());
    let possible = form
        .screen(&full_input(
            &form,
            &["economic.fines", "economic.upfront_payments"],
            MinorStatus::Minor,
        ))
        .unwrap();
    assert_eq!(possible.outcome, Outcome::Possible);
    assert!(possible.child_rights.is_some());
    assert!(possible.referral.is_none());
    let adult_positive = form
        .screen(&full_input(
            &form,
            &["digital.sextortion"],
            MinorStatus::Adult,
        ))
        .unwrap();
    assert!(adult_positive.child_rights.is_none());
}

#[test]
fn positive_result_refers_to_social_services_without_a_criminal_case() {
    let form = default_form();
    let r = form
        .screen(&input(
            &["digital.sextortion", "digital.online_recruitment"],
            MinorStatus::Adult,
        ))
        .unwrap();
    let need = r.referral.clone().unwrap();
    assert_eq!(need.agency_kind, "social_services");
    assert!(!need.criminal_case_required);
    assert!(need.legal_basis.contains("№ 844"));
    assert_eq!(
        need.because,
        vec!["digital.online_recruitment", "digital.sextortion"]
    );
    let json = serde_json::to_string(&r).unwrap();
    assert!(json.contains("\"criminal_case_required\":false"));
    assert!(!json.contains("case_id"));
}

#[test]
fn uncertain_strong_answer_asks_for_an_interview_when_configured() {
    let form = default_form();
    let mut inp = full_input(&form, &[], MinorStatus::Adult);
    inp.answers
        .insert("digital.sextortion".into(), Answer::NotSure);
    let r = form.screen(&inp).unwrap();
    assert_eq!(r.outcome, Outcome::Possible);
    assert_eq!(
        r.basis,
        Basis::UncertainStrongIndicator {
            indicators: vec!["digital.sextortion".into()]
        }
    );
    assert_eq!(r.uncertain, vec!["digital.sextortion"]);

    let text = DEFAULT.replace(
        "uncertain_strong_means_possible = true",
        "uncertain_strong_means_possible = false",
    );
    let form2 = ScreeningConfig::from_toml("t.toml", &text).unwrap();
    assert_eq!(form2.screen(&inp).unwrap().outcome, Outcome::Negative);
}

const DEFAULT: &str = qorgau_victims::DEFAULT_SCREENING;

#[test]
fn unasked_and_declined_questions_are_listed() {
    let form = default_form();
    let mut inp = input(&["economic.fines"], MinorStatus::Unknown);
    inp.answers
        .insert("physical.violence".into(), Answer::Declined);
    let r = form.screen(&inp).unwrap();
    assert_eq!(r.declined, vec!["physical.violence"]);
    assert_eq!(r.unanswered.len(), form.indicators().len() - 2);
    assert!(
        r.explain(&form, Lang::En)
            .contains("Declined: physical.violence")
    );
}

#[test]
fn answers_the_form_does_not_know_or_no_answers_are_refused() {
    let form = default_form();
    let err = form
        .screen(&input(
            &["digital.sextortion", "digital.telepathy"],
            MinorStatus::Adult,
        ))
        .unwrap_err();
    assert_eq!(
        err,
        ScreeningError::UnknownIndicators(vec!["digital.telepathy".into()])
    );
    assert_eq!(
        form.screen(&ScreeningInput::default()).unwrap_err(),
        ScreeningError::NothingAnswered
    );
    let mut all_declined = ScreeningInput::default();
    all_declined
        .answers
        .insert("physical.violence".into(), Answer::Declined);
    assert_eq!(
        form.screen(&all_declined).unwrap_err(),
        ScreeningError::NothingAnswered
    );
}

#[test]
fn explanation_says_what_screening_indicates_and_never_labels_the_person() {
    let form = default_form();
    let r = form
        .screen(&full_input(
            &form,
            &["digital.sextortion", "economic.fines"],
            MinorStatus::Minor,
        ))
        .unwrap();
    let en = r.explain(&form, Lang::En);
    assert!(en.starts_with("Screening indicates"), "{en}");
    assert!(
        en.contains("+ 8 [Digital indicators] digital.sextortion (strong)"),
        "{en}"
    );
    assert!(
        en.contains("+ 3 [Economic indicators] economic.fines:"),
        "{en}"
    );
    assert!(en.contains("does not depend on a criminal case"));
    assert!(en.contains("Committee for the Protection of Children's Rights"));
    assert!(en.contains("not a finding about the person"));
    assert!(en.contains(form.version()));
    let ru = r.explain(&form, Lang::Ru);
    assert!(ru.starts_with("Скрининг указывает"), "{ru}");
    let kk = r.explain(&form, Lang::Kk);
    assert!(kk.starts_with("Скрининг"), "{kk}");
    for text in [&en, &ru, &kk] {
        let lower = text.to_lowercase();
        for verdict in [
            "is a victim",
            "является жертвой",
            "жертва торговли",
            "құрбаны болып табылады",
        ] {
            assert!(
                !lower.contains(verdict),
                "verdict wording `{verdict}` in {text}"
            );
        }
    }
    let neg = form
        .screen(&full_input(&form, &[], MinorStatus::Adult))
        .unwrap();
    assert!(
        neg.headline(Lang::En)
            .contains("does not rule out exploitation")
    );
}

// ----- bad configurations ------------------------------------------------

/// A small valid form: one indicator per group, weights 3, 3, 3, 5.
const SMALL: &str = r#"format = 1
version = "test-1"
kk_needs_review = false

[thresholds]
positive = 6
possible = 3

[[group]]
id = "physical"
[[group.indicator]]
id = "physical.a"
weight = 3
source = "test"
question = { ru = "а?", kk = "а?", en = "a?" }

[[group]]
id = "psychological"
[[group.indicator]]
id = "psychological.b"
weight = 3
source = "test"
question = { ru = "б?", kk = "б?", en = "b?" }

[[group]]
id = "economic"
[[group.indicator]]
id = "economic.c"
weight = 3
source = "test"
question = { ru = "в?", kk = "в?", en = "c?" }

[[group]]
id = "digital"
[[group.indicator]]
id = "digital.d"
weight = 5
strong = true
source = "test"
question = { ru = "г?", kk = "г?", en = "d?" }
"#;

fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .map(|i| i + 1)
        .unwrap_or_else(|| panic!("`{needle}` not in text"))
}

fn errors(text: &str) -> Vec<qorgau_victims::LoadError> {
    ScreeningConfig::from_toml("bad.toml", text)
        .unwrap_err()
        .errors()
        .to_vec()
}

#[test]
fn small_form_thresholds_are_inclusive() {
    let form = ScreeningConfig::from_toml("small.toml", SMALL).unwrap();
    let s = |yes: &[&str]| form.screen(&input(yes, MinorStatus::Adult)).unwrap();
    // Both thresholds are inclusive: 3 = possible, 6 = positive.
    let r = s(&["physical.a"]);
    assert_eq!((r.score, r.outcome), (3, Outcome::Possible));
    let r = s(&["physical.a", "psychological.b"]);
    assert_eq!((r.score, r.outcome), (6, Outcome::Positive));
    assert_eq!(r.basis, Basis::ScoreAtLeastPositive);
    let r = s(&["physical.a", "psychological.b", "economic.c"]);
    assert_eq!((r.score, r.outcome), (9, Outcome::Positive));
    let mut inp = input(&[], MinorStatus::Adult);
    inp.answers.insert("physical.a".into(), Answer::No);
    assert_eq!(form.screen(&inp).unwrap().outcome, Outcome::Negative);
    assert_eq!(s(&["digital.d"]).outcome, Outcome::Positive); // strong
}

#[test]
fn syntax_error_names_file_and_line() {
    let text = SMALL.replace(
        "weight = 3\nsource = \"test\"\nquestion = { ru = \"б?\"",
        "weight = = 3\nsource = \"test\"\nquestion = { ru = \"б?\"",
    );
    let errs = errors(&text);
    assert_eq!(errs.len(), 1);
    assert!(matches!(errs[0].kind, LoadErrorKind::Syntax(_)));
    assert_eq!(errs[0].file, "bad.toml");
    assert_eq!(errs[0].line, line_of(&text, "weight = = 3"));
    assert!(
        errs[0]
            .to_string()
            .starts_with(&format!("bad.toml:{}:", errs[0].line))
    );
}

#[test]
fn unknown_field_is_refused_at_its_line() {
    let text = SMALL.replace(
        "id = \"economic.c\"\nweight = 3",
        "id = \"economic.c\"\nwieght = 3",
    );
    let errs = errors(&text);
    assert!(
        matches!(&errs[0].kind, LoadErrorKind::Syntax(m) if m.contains("wieght")),
        "{errs:?}"
    );
    assert_eq!(errs[0].line, line_of(&text, "wieght"));
}

#[test]
fn wrong_format_is_refused() {
    let errs = errors(&SMALL.replace("format = 1", "format = 2"));
    assert_eq!(errs[0].kind, LoadErrorKind::UnsupportedFormat(2));
    assert_eq!(errs[0].line, 1);
}

#[test]
fn a_form_without_the_digital_block_is_refused() {
    let cut = SMALL.find("[[group]]\nid = \"digital\"").unwrap();
    let errs = errors(&SMALL[..cut]);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].kind, LoadErrorKind::MissingGroup("digital"));
    // An empty group counts as missing too.
    let empty_digital = format!("{}[[group]]\nid = \"digital\"\n", &SMALL[..cut]);
    assert_eq!(
        errors(&empty_digital)[0].kind,
        LoadErrorKind::MissingGroup("digital")
    );
}

#[test]
fn unknown_and_duplicate_groups_and_indicators_are_refused() {
    let text = SMALL.replace("id = \"economic\"", "id = \"cyber\"");
    let errs = errors(&text);
    assert!(
        errs.iter()
            .any(|e| e.kind == LoadErrorKind::UnknownGroup("cyber".into())
                && e.line == line_of(&text, "id = \"cyber\""))
    );
    assert!(
        errs.iter()
            .any(|e| e.kind == LoadErrorKind::MissingGroup("economic"))
    );

    let text = SMALL.replace("id = \"psychological.b\"", "id = \"psychological.b\"\n");
    let text = format!(
        "{text}\n[[group.indicator]]\nid = \"digital.d\"\nweight = 1\nsource = \"x\"\nquestion = {{ ru = \"р\", kk = \"к\", en = \"e\" }}\n"
    );
    let errs = errors(&text);
    assert_eq!(errs.len(), 1, "{errs:?}");
    match &errs[0].kind {
        LoadErrorKind::Duplicate {
            what,
            id,
            first_line,
        } => {
            assert_eq!(*what, "indicator");
            assert_eq!(id, "digital.d");
            assert_eq!(*first_line, line_of(&text, "id = \"digital.d\""));
        }
        k => panic!("unexpected {k:?}"),
    }
    let last = text
        .lines()
        .collect::<Vec<_>>()
        .iter()
        .rposition(|l| l.contains("id = \"digital.d\""))
        .unwrap()
        + 1;
    assert_eq!(errs[0].line, last);
}

#[test]
fn indicator_ids_must_belong_to_their_group() {
    let text = SMALL.replace("id = \"economic.c\"", "id = \"digital.c\"");
    let errs = errors(&text);
    assert!(
        matches!(&errs[0].kind, LoadErrorKind::BadIndicatorId { id, group } if id == "digital.c" && group == "economic")
    );
    let text = SMALL.replace("id = \"economic.c\"", "id = \"economic.Bad Name\"");
    assert!(matches!(
        errors(&text)[0].kind,
        LoadErrorKind::BadIndicatorId { .. }
    ));
}

#[test]
fn weights_out_of_range_are_refused() {
    for bad in ["0", "101", "-3"] {
        let text = SMALL.replace(
            "id = \"physical.a\"\nweight = 3",
            &format!("id = \"physical.a\"\nweight = {bad}"),
        );
        let errs = errors(&text);
        assert_eq!(
            errs[0].kind,
            LoadErrorKind::BadWeight(bad.parse().unwrap()),
            "{bad}"
        );
        assert_eq!(errs[0].line, line_of(&text, &format!("weight = {bad}")));
    }
}

#[test]
fn thresholds_must_be_ordered_and_reachable() {
    for (pos, poss) in [("3", "3"), ("3", "5"), ("8", "0"), ("-1", "2")] {
        let text = SMALL
            .replace("positive = 6", &format!("positive = {pos}"))
            .replace("possible = 3", &format!("possible = {poss}"));
        let errs = errors(&text);
        assert!(
            matches!(errs[0].kind, LoadErrorKind::BadThresholds(_)),
            "{pos}/{poss}: {errs:?}"
        );
    }
    // Sum of weights is 14: a positive threshold of 15 is unreachable, 14 is not.
    let errs = errors(&SMALL.replace("positive = 6", "positive = 15"));
    assert!(matches!(&errs[0].kind, LoadErrorKind::BadThresholds(m) if m.contains("14")));
    assert!(
        ScreeningConfig::from_toml("ok.toml", &SMALL.replace("positive = 6", "positive = 14"))
            .is_ok()
    );
    assert_eq!(errs[0].line, line_of(SMALL, "positive = 6"));
}

#[test]
fn every_question_needs_three_languages_and_a_source() {
    let text = SMALL.replace(
        "{ ru = \"б?\", kk = \"б?\", en = \"b?\" }",
        "{ ru = \"б?\", en = \"b?\" }",
    );
    let errs = errors(&text);
    assert_eq!(errs[0].kind, LoadErrorKind::MissingText("kk"));
    assert_eq!(errs[0].line, line_of(&text, "{ ru = \"б?\", en = \"b?\" }"));
    let text = SMALL.replace("en = \"c?\"", "en = \"  \"");
    assert_eq!(errors(&text)[0].kind, LoadErrorKind::MissingText("en"));
    let text = SMALL.replacen("source = \"test\"", "source = \"\"", 1);
    assert!(matches!(&errors(&text)[0].kind, LoadErrorKind::Invalid(m) if m.contains("source")));
}

#[test]
fn strong_and_strong_if_minor_together_is_refused() {
    let text = SMALL.replace("strong = true", "strong = true\nstrong_if_minor = true");
    let errs = errors(&text);
    assert!(matches!(&errs[0].kind, LoadErrorKind::Invalid(m) if m.contains("redundant")));
    assert_eq!(errs[0].line, line_of(&text, "strong_if_minor"));
}

#[test]
fn all_problems_are_reported_at_once_in_file_order() {
    let text = SMALL
        .replace("version = \"test-1\"", "version = \" \"")
        .replace(
            "id = \"physical.a\"\nweight = 3",
            "id = \"physical.a\"\nweight = 0",
        )
        .replace("en = \"d?\"", "en = \"\"");
    let errs = errors(&text);
    assert_eq!(errs.len(), 3, "{errs:?}");
    let lines: Vec<usize> = errs.iter().map(|e| e.line).collect();
    let mut sorted = lines.clone();
    sorted.sort();
    assert_eq!(lines, sorted);
    let shown = ScreeningConfig::from_toml("bad.toml", &text)
        .unwrap_err()
        .to_string();
    assert_eq!(shown.lines().count(), 3);
}
