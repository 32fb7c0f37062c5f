//! Casework for Qorgau: what an investigator does with a case once it exists,
//! following section 5.3 of the study «Торговля людьми в целях сексуальной
//! эксплуатации с использованием цифровых технологий» (Astana, 2025) and its
//! recommendations in 3.1, 3.4 and 5.2.
//!
//! Pure domain code: no files, no network, no SQL. Data files are embedded
//! with `include_str!` and checked on load with file:line:column errors; every
//! other input is passed in, and every output serialises with serde (enums in
//! `snake_case`) so the store can keep it as JSON.
//!
//! * [`checklist`] — the investigator's checklist of 5.3 as data, with progress.
//! * [`takedown`] — blocking requests to «Кибернадзор» or a platform, refused
//!   unless the resource was preserved first; platform reply deadlines and an
//!   SLA report.
//! * [`identity`] — controlled ("virtual") identities: court authorisation,
//!   anti-provocation safeguards, use permits and the action log.
//! * [`requests`] — drafts of preservation, emergency disclosure, MLA and
//!   financial-data (exchange or bank) requests in Russian and English.
//! * [`statistics`] — counts by article, year and region with primary and
//!   secondary suppression of small cells.

#![deny(missing_docs)]
#![deny(clippy::unwrap_used, clippy::expect_used)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod checklist;
mod error;
pub mod identity;
pub mod requests;
pub mod statistics;
pub mod takedown;

use serde::{Deserialize, Serialize};

pub use error::{LoadError, LoadErrorKind, LoadErrors};

/// A language of the interface. Qorgau is used in Russian, Kazakh and
/// English, so every text shown to users exists in all three.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// Russian.
    Ru,
    /// Kazakh.
    Kk,
    /// English.
    En,
}

/// One text in the three interface languages, so a data file cannot ship an
/// item that one group of users would see untranslated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text3 {
    /// Russian.
    pub ru: String,
    /// Kazakh.
    pub kk: String,
    /// English.
    pub en: String,
}

impl Text3 {
    /// The text in one language, so callers need not match on [`Lang`].
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ru => &self.ru,
            Lang::Kk => &self.kk,
            Lang::En => &self.en,
        }
    }
}

/// Formats a time as ISO-8601 in UTC with an explicit "UTC", the one way
/// times are written in drafts and error messages so nobody has to guess the
/// zone of a foreign request or an authorisation's expiry.
pub fn utc_iso(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ (UTC)").to_string()
}
