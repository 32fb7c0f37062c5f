//! Helpers shared by the integration tests.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use qorgau_law::{Answer, Answers, Assessment, Candidate, CandidateStatus, Library};

pub fn law() -> Library {
    Library::builtin().unwrap_or_else(|e| panic!("built-in data must load: {e}"))
}

pub fn assess(facts: &[&str]) -> Assessment {
    law().assess(&Answers::yes(facts.iter().copied())).unwrap()
}

pub fn assess_with(answers: &Answers) -> Assessment {
    law().assess(answers).unwrap()
}

/// The candidate, or a panic listing what was found.
pub fn candidate<'a>(a: &'a Assessment, article: u16, part: &str) -> &'a Candidate {
    a.candidate(article, part).unwrap_or_else(|| {
        let found: Vec<String> = a
            .candidates
            .iter()
            .map(|c| format!("{}/{}", c.article, c.part))
            .collect();
        panic!("no candidate {article} part {part:?}; found {found:?}")
    })
}

/// The candidate exists and every element is answered yes.
pub fn supported<'a>(a: &'a Assessment, article: u16, part: &str) -> &'a Candidate {
    let c = candidate(a, article, part);
    assert_eq!(
        c.status,
        CandidateStatus::AllElementsAnswered,
        "{}\n{}",
        c.reference_en,
        c.explanation_en
    );
    assert!(c.open_questions.iter().all(|f| f.answer == Answer::Unknown));
    c
}

/// The candidate exists but something is still to prove.
pub fn open<'a>(a: &'a Assessment, article: u16, part: &str) -> &'a Candidate {
    let c = candidate(a, article, part);
    assert_eq!(c.status, CandidateStatus::ToProve, "{}", c.explanation_en);
    c
}

/// Imprisonment range of the candidate's sanction.
pub fn prison(c: &Candidate) -> (Option<u32>, u32) {
    let r = c
        .penalty
        .as_ref()
        .and_then(|p| p.imprisonment)
        .unwrap_or_else(|| panic!("{} has no imprisonment range", c.reference_en));
    (r.min_years, r.max_years)
}

/// Items of the qualifying features still unproven.
pub fn unproven(c: &Candidate) -> Vec<&str> {
    c.features_unproven
        .iter()
        .map(|f| f.item.as_str())
        .collect()
}

/// Items of the qualifying features proven.
pub fn proven(c: &Candidate) -> Vec<&str> {
    c.features_proven.iter().map(|f| f.item.as_str()).collect()
}

/// Whether the additional punishments include this kind.
pub fn has_additional(c: &Candidate, kind: qorgau_law::PunishmentKind) -> bool {
    c.penalty
        .as_ref()
        .is_some_and(|p| p.penalty.additional.iter().any(|x| x.kind == kind))
}

pub fn items(range: std::ops::RangeInclusive<u32>, except: &[u32]) -> Vec<String> {
    range
        .filter(|i| !except.contains(i))
        .map(|i| i.to_string())
        .collect()
}
