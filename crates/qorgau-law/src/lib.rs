//! # qorgau-law — the legal qualification assistant
//!
//! The investigator answers questions about the facts of a case (yes / no /
//! unknown); the crate lists the **candidate** articles and parts of the Criminal
//! Code of the Republic of Kazakhstan that those answers point to. Each candidate
//! explains itself: the facts that support it, the qualifying features proven and
//! those still to prove, the sanction as quoted, whether the "through
//! telecommunication networks, including the Internet" aggravation applies (and
//! which part carries it), and whether reconciliation is excluded because the
//! crime is related to trafficking in persons.
//!
//! The law is data, not code: `data/facts.toml` holds the questions,
//! `data/rules.toml` the cross-article rules, and `data/articles/*.toml` one file
//! per article with its source. The built-in data follows Annex 3 of the study
//! «Торговля людьми в целях сексуальной эксплуатации с использованием цифровых
//! технологий» (Astana, 2025) and its section 2.3.1, so that an amendment of the
//! Code is a change of data files. Loading validates the files and reports every
//! problem with file, line and column.
//!
//! The crate proposes; a person decides. Nothing here is a qualification of a
//! case, and the wording of every result says so.
//!
//! ```
//! use qorgau_law::{Answers, Library};
//!
//! let law = Library::builtin()?;
//! let answers = Answers::yes(["recruitment", "purpose_sexual_exploitation", "deception"]);
//! let assessment = law.assess(&answers)?;
//! let best = &assessment.candidates[0];
//! assert_eq!((best.article, best.part.as_str()), (128, "2"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![warn(missing_docs)]

mod engine;
mod error;
mod load;
mod model;

use std::collections::BTreeMap;

pub use engine::{
    Answer, Answers, Assessment, Candidate, CandidateStatus, Conflict, CorpusReport, DerivedFact,
    Excluded, FactRef, FeatureReport, Need, Note, PartItem, PenaltySummary, ReconciliationMark,
    ReconciliationStatus, TelecomMark, TelecomSummary, WayReport, YearsRange,
};
pub use error::{AssessError, DataIssue, IssueKind, LoadError};
pub use load::{DataFiles, SourceFile};
pub use model::{
    Alternative, Article, ArticleKind, Condition, Cover, Fact, FactGroup, Feature, Part, Penalty,
    Punishment, PunishmentKind, ReconciliationRule, Rules, TelecomRule, Text3,
};

/// The validated law data: facts, articles and rules. Build it once and share it;
/// assessing does not change it.
#[derive(Debug, Clone)]
pub struct Library {
    facts: Vec<Fact>,
    index: BTreeMap<String, usize>,
    kk_reviewed: bool,
    articles: Vec<Article>,
    rules: Rules,
}

impl Library {
    /// The data shipped with the crate (Annex 3 of the study). Fails only if the
    /// shipped files are broken, which the crate's tests rule out.
    pub fn builtin() -> Result<Self, LoadError> {
        Self::load(&DataFiles::builtin())
    }

    /// Builds a library from data files the caller supplies (e.g. an amended set
    /// read from disk), validating them all.
    pub fn load(files: &DataFiles) -> Result<Self, LoadError> {
        let loaded = load::load(files)?;
        let index = loaded
            .facts
            .iter()
            .enumerate()
            .map(|(i, f)| (f.id.clone(), i))
            .collect();
        Ok(Self {
            facts: loaded.facts,
            index,
            kk_reviewed: loaded.kk_reviewed,
            articles: loaded.articles,
            rules: loaded.rules,
        })
    }

    /// The questions, in questionnaire order.
    pub fn facts(&self) -> &[Fact] {
        &self.facts
    }

    /// One fact by id.
    pub fn fact(&self, id: &str) -> Option<&Fact> {
        self.index.get(id).and_then(|&i| self.facts.get(i))
    }

    /// Whether the Kazakh texts have had legal review (`facts.toml` `[meta]`);
    /// a UI should mark them as drafts while this is false.
    pub fn kazakh_reviewed(&self) -> bool {
        self.kk_reviewed
    }

    /// The articles, by number.
    pub fn articles(&self) -> &[Article] {
        &self.articles
    }

    /// One article by number.
    pub fn article(&self, number: u16) -> Option<&Article> {
        self.articles.iter().find(|a| a.number == number)
    }

    /// Cross-article rules: telecom aggravation, reconciliation, edition and source.
    pub fn rules(&self) -> &Rules {
        &self.rules
    }

    /// Lists the candidate article parts for these answers, ranked, each with its
    /// explanation. Fails only when an answer names a fact the library lacks.
    pub fn assess(&self, answers: &Answers) -> Result<Assessment, AssessError> {
        engine::assess(self, answers)
    }
}
