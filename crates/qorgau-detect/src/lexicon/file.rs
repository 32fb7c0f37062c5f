//! The on-disk shape of lexicon files (TOML), exactly as analysts write it.

use std::collections::BTreeMap;

use serde::Deserialize;

/// One lexicon file. `lexicon.toml` also carries `[lexicon]` and
/// `[scoring]`; every file may hold indicators, dampeners and combinations.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileDoc {
    pub lexicon: Option<ManifestDoc>,
    pub scoring: Option<ScoringDoc>,
    #[serde(default)]
    pub indicator: Vec<EntryDoc>,
    #[serde(default)]
    pub dampener: Vec<EntryDoc>,
    #[serde(default)]
    pub combo: Vec<ComboDoc>,
}

/// `[lexicon]` in `lexicon.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ManifestDoc {
    pub version: String,
    #[serde(default)]
    #[allow(dead_code)] // documentation for reviewers; not used by the code
    pub description: String,
}

/// `[scoring]` in `lexicon.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ScoringDoc {
    pub flag_threshold: f32,
    pub scenario_threshold: f32,
    pub minor_threshold: f32,
    pub repeat_gain: f32,
    pub max_repeats: u32,
    pub max_weight: f32,
}

/// `[[indicator]]` or `[[dampener]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct EntryDoc {
    pub id: String,
    #[serde(default)]
    pub scenario: Option<String>,
    #[serde(default)]
    pub group: Option<String>,
    #[serde(default)]
    pub weight: Option<f32>,
    pub description: String,
    #[serde(default)]
    pub requires: Vec<String>,
    #[serde(default)]
    pub unless: Vec<String>,
    #[serde(default)]
    pub applies_to: Vec<String>,
    pub patterns: BTreeMap<String, Vec<String>>,
}

/// `[[combo]]`: a bonus when several groups fire together.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ComboDoc {
    pub id: String,
    pub scenario: String,
    pub groups: Vec<String>,
    pub bonus: f32,
    pub description: String,
}
