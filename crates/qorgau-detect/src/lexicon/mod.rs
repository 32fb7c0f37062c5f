//! The indicator lexicon: data analysts edit and review, loaded and checked.
//!
//! A lexicon is a directory of TOML files (the built-in one is
//! `crates/qorgau-detect/lexicon/`, embedded in the binary). `lexicon.toml`
//! holds the version and the scoring settings; the other files hold
//! `[[indicator]]`, `[[dampener]]` and `[[combo]]` tables, one file per
//! scenario by convention. The version reported with every assessment is
//! the manifest's `version` plus the first 12 hex digits of a SHA-256 over
//! all files, so two deployments that report the same version ran the same
//! rules, and an edited file can never pass for the reviewed one.
//! `lexicon/README.md` describes the format for analysts.

mod file;
pub(crate) mod pattern;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::error::LexiconError;
use crate::matcher::Matcher;
use crate::scenario::Target;
use file::{ComboDoc, EntryDoc, FileDoc};

/// Language keys allowed in `patterns`.
const LANGS: [&str; 6] = ["ru", "kk", "en", "ky", "uz", "any"];

/// The built-in lexicon files, embedded so the binary needs no data files.
const BUILTIN: [(&str, &str); 9] = [
    ("lexicon.toml", include_str!("../../lexicon/lexicon.toml")),
    ("context.toml", include_str!("../../lexicon/context.toml")),
    (
        "employment_abroad.toml",
        include_str!("../../lexicon/employment_abroad.toml"),
    ),
    (
        "modeling_webcam.toml",
        include_str!("../../lexicon/modeling_webcam.toml"),
    ),
    (
        "romance_grooming.toml",
        include_str!("../../lexicon/romance_grooming.toml"),
    ),
    (
        "escort_services.toml",
        include_str!("../../lexicon/escort_services.toml"),
    ),
    (
        "sextortion.toml",
        include_str!("../../lexicon/sextortion.toml"),
    ),
    (
        "minor_involved.toml",
        include_str!("../../lexicon/minor_involved.toml"),
    ),
    (
        "dampeners.toml",
        include_str!("../../lexicon/dampeners.toml"),
    ),
];

/// Scoring settings from `[scoring]`; kept with the lexicon so that a
/// threshold change is versioned and reviewed like a phrase change.
#[derive(Debug, Clone, PartialEq)]
pub struct Scoring {
    /// A document whose highest scenario score reaches this is flagged for
    /// review.
    pub flag_threshold: f32,
    /// Below this the scenario is reported as `none`.
    pub scenario_threshold: f32,
    /// A flagged document whose `minor_involved` score reaches this is
    /// marked as involving a minor.
    pub minor_threshold: f32,
    /// Each repeat of an indicator adds this fraction of the previous
    /// increment (diminishing returns).
    pub repeat_gain: f32,
    /// Repeats beyond this many are ignored.
    pub max_repeats: u32,
    /// No single indicator, however repeated, counts for more than this.
    pub max_weight: f32,
}

/// An indicator or dampener as listed for review.
#[derive(Debug, Clone, PartialEq)]
pub struct EntrySummary<'a> {
    /// Its id (unique across files).
    pub id: &'a str,
    /// The scenario it counts towards, `minor_involved`, `context` or
    /// `dampener`.
    pub target: &'static str,
    /// How telling it is on its own.
    pub weight: f32,
    /// Why it is an indicator, as shown to the investigator.
    pub description: &'a str,
    /// Its patterns as written.
    pub patterns: Vec<&'a str>,
}

/// One compiled pattern of an entry.
#[derive(Debug, Clone)]
pub(crate) struct Pattern {
    /// As written in the file.
    pub source: String,
    /// The `patterns` key it was listed under.
    pub lang: &'static str,
    /// Parsed words; `atom` ids index [`Matcher`] atoms.
    pub words: Vec<(u32, pattern::Word)>,
}

/// One compiled indicator or dampener.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub id: String,
    pub target: Target,
    pub group: Option<u16>,
    pub weight: f32,
    pub description: String,
    /// Each inner list is a set of alternatives; all lists must be satisfied.
    pub requires: Vec<Vec<u16>>,
    /// The entry does not count when any of these groups matched.
    pub unless: Vec<u16>,
    /// For dampeners: what they lower (empty: every score).
    pub applies_to: Vec<Target>,
    pub patterns: Vec<Pattern>,
}

/// A compiled combination.
#[derive(Debug, Clone)]
pub(crate) struct Combo {
    pub id: String,
    pub target: Target,
    pub groups: Vec<u16>,
    pub bonus: f32,
    pub description: String,
}

/// A loaded, validated lexicon with its phrase automaton.
#[derive(Debug, Clone)]
pub struct Lexicon {
    version: String,
    pub(crate) scoring: Scoring,
    pub(crate) entries: Vec<Entry>,
    pub(crate) combos: Vec<Combo>,
    pub(crate) groups: Vec<String>,
    pub(crate) matcher: Matcher,
}

impl Lexicon {
    /// The lexicon shipped with Qorgau, reviewed with the code.
    pub fn builtin() -> Result<Self, LexiconError> {
        Self::from_files(Self::builtin_files())
    }

    /// The built-in lexicon's files (name, TOML text): what an analyst's
    /// first edit in the server starts from.
    pub fn builtin_files() -> Vec<(String, String)> {
        BUILTIN
            .iter()
            .map(|(n, t)| ((*n).to_string(), (*t).to_string()))
            .collect()
    }

    /// A lexicon from a directory of `*.toml` files (one must be
    /// `lexicon.toml`), so analysts can try edits without a rebuild.
    pub fn from_dir(path: impl AsRef<Path>) -> Result<Self, LexiconError> {
        let dir = path.as_ref();
        let io = |source| LexiconError::Io {
            path: dir.to_path_buf(),
            source,
        };
        let mut files = Vec::new();
        for item in std::fs::read_dir(dir).map_err(io)? {
            let item = item.map_err(io)?;
            let p = item.path();
            if p.extension().is_some_and(|e| e == "toml") && p.is_file() {
                let text = std::fs::read_to_string(&p).map_err(|source| LexiconError::Io {
                    path: p.clone(),
                    source,
                })?;
                let name = p
                    .file_name()
                    .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
                files.push((name, text));
            }
        }
        if !files.iter().any(|(n, _)| n == "lexicon.toml") {
            return Err(LexiconError::MissingManifest {
                dir: dir.to_path_buf(),
            });
        }
        Self::from_files(files)
    }

    /// A lexicon from named file contents (the order does not matter).
    pub fn from_files(mut files: Vec<(String, String)>) -> Result<Self, LexiconError> {
        files.sort();
        let mut hasher = Sha256::new();
        for (name, text) in &files {
            hasher.update((name.len() as u64).to_le_bytes());
            hasher.update(name.as_bytes());
            hasher.update((text.len() as u64).to_le_bytes());
            hasher.update(text.as_bytes());
        }
        let digest = hex::encode(hasher.finalize());
        let hash = digest.get(..12).unwrap_or(&digest);

        let mut docs = Vec::new();
        for (name, text) in &files {
            let doc: FileDoc = toml::from_str(text).map_err(|e| LexiconError::Parse {
                file: name.clone(),
                message: e.to_string().trim_end().to_string(),
            })?;
            docs.push((name.as_str(), doc));
        }
        let manifest = docs.iter().find(|(n, _)| *n == "lexicon.toml");
        let Some((_, manifest)) = manifest else {
            return Err(LexiconError::MissingManifest {
                dir: "(given files)".into(),
            });
        };
        let (Some(meta), Some(sc)) = (&manifest.lexicon, &manifest.scoring) else {
            return Err(LexiconError::Parse {
                file: "lexicon.toml".into(),
                message: "needs a [lexicon] table with `version` and a [scoring] table".into(),
            });
        };
        let version = format!("{}+{hash}", meta.version.trim());
        let scoring = Scoring {
            flag_threshold: sc.flag_threshold,
            scenario_threshold: sc.scenario_threshold,
            minor_threshold: sc.minor_threshold,
            repeat_gain: sc.repeat_gain,
            max_repeats: sc.max_repeats,
            max_weight: sc.max_weight,
        };
        for (what, v) in [
            ("flag_threshold", scoring.flag_threshold),
            ("scenario_threshold", scoring.scenario_threshold),
            ("minor_threshold", scoring.minor_threshold),
            ("repeat_gain", scoring.repeat_gain),
            ("max_weight", scoring.max_weight),
        ] {
            check_range("lexicon.toml", "[scoring]", what, v, false)?;
        }

        let mut builder = Builder::default();
        for (name, doc) in &docs {
            if doc.lexicon.is_some() && *name != "lexicon.toml" {
                return Err(LexiconError::Parse {
                    file: (*name).to_string(),
                    message: "[lexicon] belongs in lexicon.toml only".into(),
                });
            }
            for e in &doc.indicator {
                builder.entry(name, e, false)?;
            }
            for e in &doc.dampener {
                builder.entry(name, e, true)?;
            }
        }
        for (name, doc) in &docs {
            for c in &doc.combo {
                builder.combo(name, c)?;
            }
        }
        builder.check_groups()?;
        let matcher = Matcher::build(&builder.atoms, &builder.entries)?;
        Ok(Lexicon {
            version,
            scoring,
            entries: builder.entries,
            combos: builder.combos,
            groups: builder.groups,
            matcher,
        })
    }

    /// Manifest version plus content hash, e.g. `2026.11.1+3fa2c09b41d7`.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The scoring settings in force.
    pub fn scoring(&self) -> &Scoring {
        &self.scoring
    }

    /// Every indicator and dampener as an analyst reviews it: id, what it
    /// counts towards, weight, description and patterns as written.
    pub fn entries(&self) -> impl Iterator<Item = EntrySummary<'_>> {
        self.entries.iter().map(|e| EntrySummary {
            id: &e.id,
            target: e.target.as_str(),
            weight: e.weight,
            description: &e.description,
            patterns: e.patterns.iter().map(|p| p.source.as_str()).collect(),
        })
    }

    /// Number of indicators and dampeners, for reports.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the lexicon has no entries (never true for a loaded one with
    /// patterns, but kept for API symmetry with `len`).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

fn check_range(
    file: &str,
    id: &str,
    what: &'static str,
    v: f32,
    allow_zero: bool,
) -> Result<(), LexiconError> {
    let ok = v.is_finite() && v <= 1.0 && (v > 0.0 || (allow_zero && v == 0.0));
    if ok {
        Ok(())
    } else {
        Err(LexiconError::OutOfRange {
            file: file.into(),
            id: id.into(),
            what,
            value: v,
            range: if allow_zero { "[0, 1]" } else { "(0, 1]" },
        })
    }
}

/// Collects entries while checking ids, groups and patterns.
#[derive(Default)]
struct Builder {
    entries: Vec<Entry>,
    combos: Vec<Combo>,
    groups: Vec<String>,
    group_ids: HashMap<String, u16>,
    /// Group references to check once every file is read:
    /// (file, entry id, group).
    group_refs: Vec<(String, String, String)>,
    provided: Vec<bool>,
    ids: HashMap<String, String>,
    atoms: Vec<String>,
    atom_ids: HashMap<String, u32>,
}

impl Builder {
    fn group(&mut self, name: &str) -> u16 {
        if let Some(&g) = self.group_ids.get(name) {
            return g;
        }
        let g = self.groups.len() as u16;
        self.groups.push(name.to_string());
        self.group_ids.insert(name.to_string(), g);
        self.provided.push(false);
        g
    }

    fn claim_id(&mut self, file: &str, id: &str) -> Result<(), LexiconError> {
        if id.trim().is_empty() {
            return Err(LexiconError::Parse {
                file: file.into(),
                message: "an entry has an empty id".into(),
            });
        }
        if let Some(first) = self.ids.get(id) {
            return Err(LexiconError::DuplicateId {
                file: file.into(),
                id: id.into(),
                first: first.clone(),
            });
        }
        self.ids.insert(id.to_string(), file.to_string());
        Ok(())
    }

    fn entry(&mut self, file: &str, e: &EntryDoc, dampener: bool) -> Result<(), LexiconError> {
        self.claim_id(file, &e.id)?;
        let unknown = |value: &str| LexiconError::UnknownScenario {
            file: file.into(),
            id: e.id.clone(),
            value: value.into(),
        };
        let target = if dampener {
            if let Some(s) = &e.scenario {
                return Err(LexiconError::Parse {
                    file: file.into(),
                    message: format!(
                        "dampener {:?} has `scenario = {s:?}`; use `applies_to` instead",
                        e.id
                    ),
                });
            }
            Target::Dampener
        } else {
            let s = e.scenario.as_deref().unwrap_or("");
            match Target::parse(s) {
                Some(Target::Dampener) | None => return Err(unknown(s)),
                Some(t) => t,
            }
        };
        let mut applies_to = Vec::new();
        for a in &e.applies_to {
            match Target::parse(a) {
                Some(t @ (Target::Scenario(_) | Target::MinorInvolved)) => applies_to.push(t),
                _ => return Err(unknown(a)),
            }
        }
        let weight = match (target, e.weight) {
            (Target::Context, None) => 0.0,
            (Target::Context, Some(w)) => {
                check_range(file, &e.id, "weight", w, true)?;
                w
            }
            (_, Some(w)) => {
                check_range(file, &e.id, "weight", w, false)?;
                w
            }
            (_, None) => {
                return Err(LexiconError::Parse {
                    file: file.into(),
                    message: format!("entry {:?} needs a `weight`", e.id),
                });
            }
        };
        let group = e.group.as_deref().map(|g| {
            let id = self.group(g);
            if let Some(p) = self.provided.get_mut(usize::from(id)) {
                *p = true;
            }
            id
        });
        let mut requires = Vec::new();
        for r in &e.requires {
            let mut alts = Vec::new();
            for g in r.split('|').map(str::trim) {
                if g.is_empty() {
                    return Err(LexiconError::Parse {
                        file: file.into(),
                        message: format!("entry {:?}: empty group in requires {r:?}", e.id),
                    });
                }
                self.group_refs
                    .push((file.into(), e.id.clone(), g.to_string()));
                alts.push(self.group(g));
            }
            requires.push(alts);
        }
        let mut unless = Vec::new();
        for g in e.unless.iter().map(|g| g.trim()) {
            self.group_refs
                .push((file.into(), e.id.clone(), g.to_string()));
            unless.push(self.group(g));
        }
        let mut patterns = Vec::new();
        let langs: BTreeMap<&str, &Vec<String>> =
            e.patterns.iter().map(|(k, v)| (k.as_str(), v)).collect();
        for (lang, list) in langs {
            let Some(lang) = LANGS.iter().copied().find(|l| *l == lang) else {
                return Err(LexiconError::UnknownLanguage {
                    file: file.into(),
                    id: e.id.clone(),
                    value: lang.into(),
                });
            };
            for src in list {
                let words = pattern::parse(src).map_err(|reason| LexiconError::BadPattern {
                    file: file.into(),
                    id: e.id.clone(),
                    pattern: src.clone(),
                    reason,
                })?;
                let words = words.into_iter().map(|w| (self.atom(&w.text), w)).collect();
                patterns.push(Pattern {
                    source: src.clone(),
                    lang,
                    words,
                });
            }
        }
        if patterns.is_empty() {
            return Err(LexiconError::NoPatterns {
                file: file.into(),
                id: e.id.clone(),
            });
        }
        self.entries.push(Entry {
            id: e.id.clone(),
            target,
            group,
            weight,
            description: e.description.trim().to_string(),
            requires,
            unless,
            applies_to,
            patterns,
        });
        Ok(())
    }

    fn atom(&mut self, text: &str) -> u32 {
        if let Some(&a) = self.atom_ids.get(text) {
            return a;
        }
        let a = self.atoms.len() as u32;
        self.atoms.push(text.to_string());
        self.atom_ids.insert(text.to_string(), a);
        a
    }

    fn combo(&mut self, file: &str, c: &ComboDoc) -> Result<(), LexiconError> {
        self.claim_id(file, &c.id)?;
        let target = match Target::parse(&c.scenario) {
            Some(t @ (Target::Scenario(_) | Target::MinorInvolved)) => t,
            _ => {
                return Err(LexiconError::UnknownScenario {
                    file: file.into(),
                    id: c.id.clone(),
                    value: c.scenario.clone(),
                });
            }
        };
        check_range(file, &c.id, "bonus", c.bonus, false)?;
        if c.groups.len() < 2 {
            return Err(LexiconError::Parse {
                file: file.into(),
                message: format!("combination {:?} needs at least two groups", c.id),
            });
        }
        let mut groups = Vec::new();
        for g in &c.groups {
            self.group_refs.push((file.into(), c.id.clone(), g.clone()));
            groups.push(self.group(g));
        }
        self.combos.push(Combo {
            id: c.id.clone(),
            target,
            groups,
            bonus: c.bonus,
            description: c.description.trim().to_string(),
        });
        Ok(())
    }

    fn check_groups(&self) -> Result<(), LexiconError> {
        for (file, id, g) in &self.group_refs {
            let provided = self
                .group_ids
                .get(g)
                .and_then(|&i| self.provided.get(usize::from(i)))
                .copied()
                .unwrap_or(false);
            if !provided {
                return Err(LexiconError::UnknownGroup {
                    file: file.clone(),
                    id: id.clone(),
                    group: g.clone(),
                });
            }
        }
        Ok(())
    }
}
