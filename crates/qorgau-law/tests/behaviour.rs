//! The cross-cutting behaviour: telecom aggravation, minors, reconciliation,
//! wording, ranking, JSON and bad answers.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use qorgau_law::{Answer, Answers, AssessError, CandidateStatus, PartItem, ReconciliationStatus};

// ------------------------------------------------------------------ telecom aggravation

#[test]
fn telecom_feature_is_carried_by_134_3_and_309_2_only() {
    let a = assess(&["recruitment"]);
    let carriers: Vec<(u16, &str, &str)> = a
        .telecom
        .carried_by
        .iter()
        .map(|p| (p.article, p.part.as_str(), p.item.as_str()))
        .collect();
    assert_eq!(carriers, vec![(134, "3", "1-1"), (309, "2", "3")]);
    assert_eq!(a.telecom.fact, "telecom_networks_used");
    assert!(a.telecom.source_ru.contains("134") && a.telecom.source_ru.contains("309"));
}

#[test]
fn telecom_yes_lifts_134_to_part_3_and_says_so() {
    let a = assess(&[
        "victim_minor",
        "involvement_in_prostitution",
        "telecom_networks_used",
    ]);
    let p3 = supported(&a, 134, "3");
    assert!(p3.telecom.applies);
    assert_eq!(p3.telecom.item_in_this_part.as_deref(), Some("1-1"));
    assert!(
        p3.features_proven
            .iter()
            .any(|f| f.telecom && f.item == "1-1")
    );
    assert!(p3.explanation_ru.contains("сетей телекоммуникаций"));
    // Part 1 of the same article points to the part that carries it.
    let p1 = supported(&a, 134, "1");
    assert!(!p1.telecom.applies);
    assert!(
        p1.telecom.note_en.contains("art. 134 part 3 item 1-1"),
        "{}",
        p1.telecom.note_en
    );
    assert_eq!(
        a.telecom.applies_to,
        vec![PartItem {
            article: 134,
            part: "3".into(),
            item: "1-1".into()
        }]
    );
    // 134 part 3 outranks part 1.
    assert!(p3.rank < p1.rank);
}

#[test]
fn telecom_yes_on_an_article_without_the_feature_is_noted_not_applied() {
    let a = assess(&[
        "recruitment",
        "purpose_sexual_exploitation",
        "telecom_networks_used",
    ]);
    let c = supported(&a, 128, "1");
    assert!(!c.telecom.applies);
    assert!(c.telecom.carried_by.is_empty());
    assert!(c.telecom.note_en.contains("no such qualifying feature"));
    assert!(a.telecom.applies_to.is_empty());
}

#[test]
fn telecom_unknown_is_a_question_and_no_refutes_the_item() {
    let a = assess(&["pimping_for_profit"]);
    let c = open(&a, 309, "2");
    assert_eq!(c.telecom.answer, Answer::Unknown);
    assert!(c.telecom.note_en.contains("Not yet known"));
    assert!(
        c.open_questions
            .iter()
            .any(|f| f.id == "telecom_networks_used")
    );
    assert!(
        a.suggested_questions
            .iter()
            .any(|f| f.id == "telecom_networks_used")
    );

    let a = assess_with(
        &Answers::yes(["pimping_for_profit"]).with("telecom_networks_used", Answer::No),
    );
    let c = open(&a, 309, "2");
    assert!(c.features_refuted.iter().any(|f| f.item == "3"));
    assert!(!c.features_unproven.iter().any(|f| f.item == "3"));
}

// ------------------------------------------------------------------ minors

#[test]
fn age_answers_flow_through_implications() {
    let a = assess(&[
        "victim_under_14",
        "recruitment",
        "purpose_sexual_exploitation",
    ]);
    // Under 14 → under 16 → minor: art. 135 applies without a separate answer.
    let c = supported(&a, 135, "1");
    let minor = c
        .corpus
        .established
        .iter()
        .find(|f| f.id == "victim_minor")
        .unwrap();
    assert_eq!(minor.derived_from.as_deref(), Some("victim_under_16"));
    assert!(
        a.derived
            .iter()
            .any(|d| d.fact == "victim_under_16" && d.from == "victim_under_14")
    );
    // Art. 128 is still listed, with the special-norm hint pointing to 135.
    let c128 = supported(&a, 128, "1");
    assert!(
        c128.notes.iter().any(|n| n.en.contains("art. 135")),
        "{:?}",
        c128.notes
    );
}

#[test]
fn an_adult_victim_rules_out_the_minor_articles() {
    let answers =
        Answers::yes(["involvement_in_prostitution", "deception"]).with("victim_minor", Answer::No);
    let a = assess_with(&answers);
    assert!(a.candidate(134, "1").is_none());
    let ex = a
        .excluded
        .iter()
        .find(|e| e.article == 134 && e.part == "1")
        .unwrap();
    assert_eq!(ex.refuted_by[0].id, "victim_minor");
    supported(&a, 308, "1");
    // "Not a minor" also means "not under 16" and "not under 14".
    assert!(
        a.derived
            .iter()
            .any(|d| d.fact == "victim_under_14" && d.answer == Answer::No)
    );
}

#[test]
fn contradictory_ages_are_reported_not_silently_fixed() {
    let answers = Answers::yes(["victim_under_14"]).with("victim_under_16", Answer::No);
    let a = assess_with(&answers);
    assert_eq!(a.conflicts.len(), 1);
    assert_eq!(a.conflicts[0].fact, "victim_under_14");
    assert_eq!(a.conflicts[0].implied, "victim_under_16");
}

#[test]
fn the_grooming_pattern_lists_124_and_134() {
    let a = assess(&[
        "victim_under_16",
        "remote_sexual_acts_real_time",
        "involvement_in_prostitution",
    ]);
    supported(&a, 124, "");
    // Remote acts imply telecom use, so 134 part 3 (item 1-1) is supported.
    let c = supported(&a, 134, "3");
    assert!(c.telecom.applies);
}

// ------------------------------------------------------------------ reconciliation

#[test]
fn reconciliation_is_excluded_for_every_trafficking_related_part() {
    let law = law();
    // A fact set that anchors every article.
    let all: Vec<&str> = law.facts().iter().map(|f| f.id.as_str()).collect();
    let a = assess(&all);
    let related = [116u16, 128, 134, 135, 308, 309];
    for c in &a.candidates {
        let expected = related.contains(&c.article)
            || ((c.article == 125 || c.article == 126) && c.part == "3");
        let status = c.reconciliation.status;
        assert_eq!(
            status == ReconciliationStatus::Excluded,
            expected,
            "{}: {status:?}",
            c.reference_en
        );
        if expected {
            assert!(c.reconciliation.note_ru.contains("Примирение исключено"));
            assert!(c.reconciliation.source_ru.contains("2.3.1"));
            assert!(c.explanation_en.contains("Reconciliation excluded"));
        } else {
            // Never claims reconciliation is available.
            assert!(c.reconciliation.note_en.contains("not determined"));
        }
    }
    assert!(
        a.candidates.len() >= 29,
        "every part is listed: {}",
        a.candidates.len()
    );
}

#[test]
fn the_reconciliation_rule_carries_its_source_and_the_unverified_norm() {
    let law = law();
    let r = &law.rules().reconciliation;
    assert!(r.statement_ru.contains("примирением"));
    assert!(
        r.definition_ru
            .contains("116, 125 (пунктом 2) части третьей)")
    );
    assert!(r.norm_ru.contains("68"));
    assert!(!r.norm_verified, "the study does not name art. 68");
    let a = assess(&["brothel_organisation"]);
    let c = supported(&a, 309, "1");
    assert!(c.reconciliation.note_en.contains("verify"));
}

// ------------------------------------------------------------------ wording, ranking, output

#[test]
fn every_candidate_says_candidate_and_never_decides() {
    let law = law();
    let all: Vec<&str> = law.facts().iter().map(|f| f.id.as_str()).collect();
    let a = assess(&all);
    assert!(a.notice_en.contains("candidate") && a.notice_en.contains("decide"));
    for c in &a.candidates {
        assert!(
            c.explanation_en.starts_with("Candidate: "),
            "{}",
            c.explanation_en
        );
        assert!(
            c.explanation_ru.starts_with("Кандидат: "),
            "{}",
            c.explanation_ru
        );
        assert!(c.explanation_en.contains("A person decides"));
        for bad in ["verdict", "guilty", "convict"] {
            assert!(
                !c.explanation_en.to_lowercase().contains(bad),
                "{bad} in {}",
                c.explanation_en
            );
        }
        for bad in ["приговор", "виновен "] {
            assert!(
                !c.explanation_ru.contains(bad),
                "{bad} in {}",
                c.explanation_ru
            );
        }
    }
}

#[test]
fn ranks_are_dense_and_supported_candidates_come_first() {
    let a = assess(&[
        "recruitment",
        "purpose_sexual_exploitation",
        "victim_minor",
        "repeatedly",
    ]);
    for (i, c) in a.candidates.iter().enumerate() {
        assert_eq!(c.rank, i + 1);
    }
    let first_open = a
        .candidates
        .iter()
        .position(|c| c.status == CandidateStatus::ToProve)
        .unwrap_or(a.candidates.len());
    assert!(
        a.candidates[first_open..]
            .iter()
            .all(|c| c.status == CandidateStatus::ToProve)
    );
    // The heaviest supported part leads: 135 part 2 (9–12 years).
    assert_eq!(
        (a.candidates[0].article, a.candidates[0].part.as_str()),
        (135, "2")
    );
}

#[test]
fn no_answers_no_candidates() {
    let a = assess(&[]);
    assert!(a.candidates.is_empty());
    assert!(a.excluded.is_empty());
    // A lone qualifying feature does not anchor a part.
    let a = assess(&["repeatedly"]);
    assert!(
        a.candidates.is_empty(),
        "{:?}",
        a.candidates
            .iter()
            .map(|c| &c.reference_en)
            .collect::<Vec<_>>()
    );
}

#[test]
fn every_candidate_points_back_to_its_data() {
    let a = assess(&["brothel_organisation", "criminal_group"]);
    let c = supported(&a, 309, "3");
    assert_eq!(c.data_file, "articles/309.toml");
    let text = include_str!("../data/articles/309.toml");
    let line = text.lines().nth(c.data_line - 1).unwrap();
    assert_eq!(line, "number = \"3\"");
}

#[test]
fn answers_and_assessments_round_trip_as_json() {
    let answers: Answers = serde_json::from_str(
        r#"{"abduction": "yes", "purpose_other_exploitation": "unknown", "victim_minor": "no"}"#,
    )
    .unwrap();
    assert_eq!(answers.get("abduction"), Answer::Yes);
    assert_eq!(answers.get("victim_minor"), Answer::No);
    assert_eq!(answers.get("weapon"), Answer::Unknown);
    let a = assess_with(&answers);
    let json = serde_json::to_string(&a).unwrap();
    assert!(json.contains("\"status\":\"all_elements_answered\""));
    let back: qorgau_law::Assessment = serde_json::from_str(&json).unwrap();
    assert_eq!(back, a);
}

#[test]
fn an_unknown_fact_in_the_answers_is_an_error() {
    let err = law()
        .assess(&Answers::yes(["recruitment", "victim_is_sad"]))
        .unwrap_err();
    assert_eq!(
        err,
        AssessError::UnknownFact {
            fact: "victim_is_sad".into()
        }
    );
    assert!(err.to_string().contains("victim_is_sad"));
}

#[test]
fn every_fact_has_three_languages_and_the_kazakh_is_flagged_for_review() {
    let law = law();
    assert!(!law.kazakh_reviewed());
    assert!(law.facts().len() >= 50);
    for f in law.facts() {
        for t in [&f.label, &f.question] {
            assert!(
                !t.ru.is_empty() && !t.kk.is_empty() && !t.en.is_empty(),
                "{}",
                f.id
            );
        }
        assert!(
            f.question.ru.ends_with('?') && f.question.en.ends_with('?'),
            "{}",
            f.id
        );
    }
    // Every fact is used by some article, the telecom rule, or an implication.
    for f in law.facts() {
        let used = law.articles().iter().flat_map(|a| &a.parts).any(|p| {
            let mentions =
                |c: &qorgau_law::Condition| c.all_of.contains(&f.id) || c.any_of.contains(&f.id);
            p.required.iter().any(mentions)
                || p.alternatives
                    .iter()
                    .any(|a| a.conditions.iter().any(mentions))
                || p.features.iter().any(|x| mentions(&x.condition))
        });
        assert!(used, "fact {} is asked but no article uses it", f.id);
    }
}
