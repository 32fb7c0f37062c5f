//! Scoring documents for recruitment and exploitation, with reasons.
//!
//! This is the stage of the pipeline that decides which documents a person
//! is asked to review (issue 3, "Scoring, with reasons"). Its contract:
//! - the rules are DATA: an indicator lexicon in TOML ([`Lexicon`]), one
//!   file per scenario, that analysts edit and review; it is versioned by
//!   its manifest version plus a content hash, and the version is stamped on
//!   every [`Assessment`];
//! - matching runs on the text from `qorgau-normalize` (obfuscation undone)
//!   with ONE Aho-Corasick automaton over every pattern word (`matcher`),
//!   after lower-casing and folding (`fold`), with word boundaries;
//! - every score comes with its reasons: the indicators that fired, with
//!   byte spans into the ORIGINAL text and the words as written, the
//!   combinations and dampeners that applied, and their descriptions
//!   ([`Detector::score`], `score`);
//! - a document is only ever flagged for review ([`Assessment::flagged`]);
//!   nothing here acts on it;
//! - [`detect_language`] tells Russian, Kazakh, Kyrgyz, Uzbek (both
//!   scripts) and English apart and reports `mixed` documents.
//!
//! ```
//! use qorgau_detect::{Detector, Lexicon, Scenario};
//!
//! let detector = Detector::new(Lexicon::builtin()?);
//! let a = detector.score_text(
//!     "Срочно требуются девушки 18-25 лет официантками в Дубай, \
//!      визу и билеты оплачиваем, жильё предоставляем.",
//! );
//! assert!(a.flagged);
//! assert_eq!(a.scenario, Some(Scenario::EmploymentAbroad));
//! # Ok::<(), qorgau_detect::LexiconError>(())
//! ```

mod error;
mod fold;
mod lang;
mod lexicon;
mod matcher;
mod places;
mod scenario;
mod score;

pub use error::LexiconError;
pub use lang::{Lang, LangProfile, MIXED_SHARE, detect_language, language_profile};
pub use lexicon::{EntrySummary, Lexicon, Scoring};
pub use places::{Gazetteer, GazetteerError, Region};
pub use scenario::{Scenario, Target};
pub use score::{Assessment, ComboHit, Detector, Hit, MAX_LISTED, Scores};
