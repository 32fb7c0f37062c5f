//! No combination of answers panics, and every assessment is internally
//! consistent; no data file text panics the loader.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::OnceLock;

use proptest::prelude::*;
use qorgau_law::{Answer, Answers, CandidateStatus, DataFiles, Library};

fn law() -> &'static Library {
    static LAW: OnceLock<Library> = OnceLock::new();
    LAW.get_or_init(|| Library::builtin().unwrap())
}

fn answer() -> impl Strategy<Value = Option<Answer>> {
    prop_oneof![
        2 => Just(None),
        2 => Just(Some(Answer::Yes)),
        1 => Just(Some(Answer::No)),
        1 => Just(Some(Answer::Unknown)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn any_answers_give_a_consistent_assessment(picks in proptest::collection::vec(answer(), 60)) {
        let law = law();
        let mut answers = Answers::new();
        for (fact, pick) in law.facts().iter().zip(picks) {
            if let Some(a) = pick {
                answers.set(fact.id.clone(), a);
            }
        }
        let a = law.assess(&answers).unwrap();
        for (i, c) in a.candidates.iter().enumerate() {
            prop_assert_eq!(c.rank, i + 1);
            prop_assert!(c.corpus.status != Answer::No);
            prop_assert!(!c.corpus.established.is_empty() || c.corpus.ways.iter().any(|w| !w.established.is_empty()));
            match c.status {
                CandidateStatus::AllElementsAnswered => {
                    prop_assert_eq!(c.corpus.status, Answer::Yes);
                    prop_assert!(!c.needs_feature || !c.features_proven.is_empty());
                }
                CandidateStatus::ToProve => {
                    prop_assert!(c.corpus.status == Answer::Unknown || c.features_proven.is_empty());
                    prop_assert!(!c.open_questions.is_empty(), "{}", c.explanation_en);
                }
            }
            if c.needs_feature {
                prop_assert!(c.features_refuted.len() < c.features_proven.len() + c.features_unproven.len() + c.features_refuted.len());
            }
            prop_assert!(c.open_questions.iter().all(|f| f.answer == Answer::Unknown));
            prop_assert!(c.explanation_en.starts_with("Candidate: "));
            prop_assert_eq!(c.telecom.applies, c.telecom.answer == Answer::Yes && c.telecom.item_in_this_part.is_some());
        }
        for e in &a.excluded {
            prop_assert!(a.candidate(e.article, &e.part).is_none());
            prop_assert!(e.refuted_by.iter().all(|f| f.answer == Answer::No));
        }
        // Serialisable for the server.
        prop_assert!(serde_json::to_string(&a).is_ok());
    }

    #[test]
    fn mangled_article_files_never_panic(cut in 0usize..6000, insert in ".{0,12}", at in 0usize..6000) {
        let mut files = DataFiles::builtin();
        let f = &mut files.articles[7];
        let mut text = f.text.clone();
        let mut cut = cut.max(text.len() / 2).min(text.len());
        while !text.is_char_boundary(cut) { cut -= 1; }
        text.truncate(cut);
        let mut at = at.min(text.len());
        while !text.is_char_boundary(at) { at -= 1; }
        text.insert_str(at, &insert);
        f.text = text;
        if let Err(e) = Library::load(&files) {
            prop_assert!(!e.issues.is_empty());
            for i in &e.issues {
                prop_assert!(i.line >= 1 && i.column >= 1);
            }
        }
    }

    #[test]
    fn arbitrary_text_as_any_file_never_panics(text in "\\PC{0,400}", which in 0usize..3) {
        let mut files = DataFiles::builtin();
        match which {
            0 => files.facts.text = text,
            1 => files.rules.text = text,
            _ => files.articles[0].text = text,
        }
        let _ = Library::load(&files);
    }
}

#[test]
fn every_single_fact_alone_and_all_facts_together_are_fine() {
    let law = law();
    for f in law.facts() {
        for ans in [Answer::Yes, Answer::No, Answer::Unknown] {
            law.assess(&Answers::new().with(f.id.clone(), ans)).unwrap();
        }
    }
    for ans in [Answer::Yes, Answer::No] {
        let mut all = Answers::new();
        for f in law.facts() {
            all.set(f.id.clone(), ans);
        }
        let a = law.assess(&all).unwrap();
        if ans == Answer::No {
            assert!(a.candidates.is_empty());
        } else {
            assert!(
                a.candidates
                    .iter()
                    .all(|c| c.status == CandidateStatus::AllElementsAnswered)
            );
        }
    }
}
