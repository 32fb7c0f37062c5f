//! The indicator lexicon as the server administers it: the version in
//! force, an edit checked and weighed before anyone proposes it, the diff a
//! reviewer reads, and how each indicator fared in triage.
//!
//! The lexicon decides which ads a person is asked to read, so an edit
//! goes through four eyes (`qorgau_store::lexicon_versions`); this module
//! gives both people what they need to decide: whether the files load
//! (errors name the file and the line), which archived documents the edit
//! would newly flag or stop flagging, and — the reason dismissals carry a
//! category and a reason — which indicators people keep dismissing.
//! Scoring runs the same `qorgau_detect::Detector` the scan pipeline runs,
//! on a blocking thread.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use qorgau_core::Id;
use qorgau_detect::{Detector, Lexicon};
use qorgau_response::{SignalStatus, normalise_resource};
use qorgau_store::{DocumentFilter, LexiconVersionRecord, Store};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiError;

/// A lexicon file larger than this is refused (the built-in files are a
/// few tens of kilobytes; a megabyte of patterns is a mistake or an attack).
pub const MAX_FILE_BYTES: usize = 256 * 1024;
/// At most this many files in one lexicon.
pub const MAX_FILES: usize = 64;
/// The impact of an edit is measured on at most this many archived
/// documents, the most recently seen: enough to show what an edit does in
/// a second or two, without scoring a national archive on every click.
pub const IMPACT_DOCUMENTS: usize = 5000;
/// At most this many documents are listed per kind of change.
const LISTED: usize = 50;

/// The lexicon every scan uses now.
pub struct InForce {
    /// Its version (manifest version + content hash).
    pub version: String,
    /// Its files.
    pub files: BTreeMap<String, String>,
    /// The approved proposal, or `None` for the built-in lexicon.
    pub record: Option<LexiconVersionRecord>,
    /// Loaded.
    pub lexicon: Lexicon,
}

/// The built-in lexicon's files.
pub fn builtin_files() -> BTreeMap<String, String> {
    Lexicon::builtin_files().into_iter().collect()
}

/// The lexicon last loaded by this process, by the key of its version
/// (the approved proposal's id, or `builtin`): building the automaton
/// takes longer than a page may, and the version changes rarely.
static LOADED: std::sync::Mutex<Option<(String, Arc<InForce>)>> = std::sync::Mutex::new(None);

/// The lexicon in force: the approved one with the latest approval, else
/// the built-in one. One indexed query per call; the lexicon itself is
/// built once per version.
pub async fn in_force(store: &Store) -> Result<Arc<InForce>, ApiError> {
    let record = store.lexicon_in_force().await?;
    let key = record
        .as_ref()
        .map_or_else(|| "builtin".to_owned(), |r| r.id.to_string());
    if let Ok(guard) = LOADED.lock()
        && let Some((k, hit)) = guard.as_ref()
        && *k == key
    {
        return Ok(Arc::clone(hit));
    }
    let files = record
        .as_ref()
        .map_or_else(builtin_files, |r| r.files.clone());
    let lexicon = load_blocking(&files).await?.map_err(|errors| {
        ApiError::Internal(format!(
            "the lexicon in force no longer loads (was it approved by an older Qorgau?): {}",
            errors.join("; ")
        ))
    })?;
    let loaded = Arc::new(InForce {
        version: lexicon.version().to_owned(),
        files,
        record,
        lexicon,
    });
    if let Ok(mut guard) = LOADED.lock() {
        *guard = Some((key, Arc::clone(&loaded)));
    }
    Ok(loaded)
}

/// [`load`] on a blocking thread (building the automaton takes a while):
/// the outer error is the thread's, the inner one the files' problems.
pub async fn load_blocking(
    files: &BTreeMap<String, String>,
) -> Result<Result<Lexicon, Vec<String>>, ApiError> {
    let files = files.clone();
    tokio::task::spawn_blocking(move || load(&files))
        .await
        .map_err(|e| ApiError::Internal(format!("loading a lexicon: {e}")))
}

/// The built-in lexicon's version, computed once per process.
pub fn builtin_version() -> Result<&'static str, ApiError> {
    static VERSION: std::sync::OnceLock<Result<String, String>> = std::sync::OnceLock::new();
    VERSION
        .get_or_init(|| {
            Lexicon::builtin()
                .map(|l| l.version().to_owned())
                .map_err(|e| e.to_string())
        })
        .as_deref()
        .map_err(|e| ApiError::Internal(format!("the built-in lexicon does not load: {e}")))
}

/// Loads a set of files, or says everything that is wrong with it: names
/// (`name.toml`, lower-case letters, digits and `_`), sizes, and then the
/// lexicon's own errors, which name the file, the entry and the line.
pub fn load(files: &BTreeMap<String, String>) -> Result<Lexicon, Vec<String>> {
    let mut errors = Vec::new();
    if files.len() > MAX_FILES {
        errors.push(format!(
            "{} files; a lexicon has at most {MAX_FILES}",
            files.len()
        ));
    }
    for (name, text) in files {
        if !valid_name(name) {
            errors.push(format!(
                "file name {name:?}: use lower-case letters, digits and _ ending in .toml"
            ));
        }
        if text.len() > MAX_FILE_BYTES {
            errors.push(format!(
                "{name}: {} bytes; a file has at most {MAX_FILE_BYTES}",
                text.len()
            ));
        }
    }
    if !files.contains_key("lexicon.toml") {
        errors.push("lexicon.toml (version and [scoring]) is missing".into());
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Lexicon::from_files(files.iter().map(|(n, t)| (n.clone(), t.clone())).collect())
        .map_err(|e| e.to_string().lines().map(str::to_owned).collect())
}

/// Whether a lexicon file name is one we store: `[a-z0-9_]{1,60}.toml`.
pub fn valid_name(name: &str) -> bool {
    name.strip_suffix(".toml").is_some_and(|stem| {
        !stem.is_empty()
            && stem.len() <= 60
            && stem
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    })
}

/// The files of `base` with `changes` (name → new text) and `remove`
/// applied: how an edit of one file becomes a whole lexicon.
pub fn apply(
    base: &BTreeMap<String, String>,
    changes: &BTreeMap<String, String>,
    remove: &[String],
) -> BTreeMap<String, String> {
    let mut files = base.clone();
    for name in remove {
        files.remove(name);
    }
    for (name, text) in changes {
        files.insert(name.clone(), text.replace("\r\n", "\n"));
    }
    files
}

/// One archived document whose flag an edit changes.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DocumentChange {
    /// The archived document.
    pub document: String,
    /// Where it was found.
    pub url: Option<String>,
    /// Its first words.
    pub excerpt: String,
    /// Risk with the lexicon in force.
    pub risk_before: f32,
    /// Risk with the edit.
    pub risk_after: f32,
    /// Leading scenario with the lexicon in force (when flagged).
    pub scenario_before: Option<String>,
    /// Leading scenario with the edit (when flagged).
    pub scenario_after: Option<String>,
    /// The indicators that fire with the edit.
    pub indicators_after: Vec<String>,
}

/// What an edit would change in what people are asked to read.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct Impact {
    /// Documents scored with both lexicons (the most recently seen).
    pub documents_checked: usize,
    /// Documents in the archive in all.
    pub documents_total: usize,
    /// Flagged now by the edit and not before (at most 50 listed).
    pub newly_flagged: Vec<DocumentChange>,
    /// How many in all.
    pub newly_flagged_count: usize,
    /// No longer flagged (at most 50 listed).
    pub no_longer_flagged: Vec<DocumentChange>,
    /// How many in all.
    pub no_longer_flagged_count: usize,
    /// Still flagged but under another scenario (at most 50 listed).
    pub scenario_changed: Vec<DocumentChange>,
    /// How many in all.
    pub scenario_changed_count: usize,
}

/// Scores the most recently seen archived documents with both lexicons
/// and lists those whose flag or scenario differs.
pub async fn impact(
    store: &Store,
    current: &Lexicon,
    candidate: &Lexicon,
) -> Result<Impact, ApiError> {
    let mut docs = store.documents(&DocumentFilter::default()).await?;
    let total = docs.len();
    docs.sort_by(|a, b| b.last_seen.cmp(&a.last_seen).then(a.id.cmp(&b.id)));
    docs.truncate(IMPACT_DOCUMENTS);
    let before = Detector::new(current.clone());
    let after = Detector::new(candidate.clone());
    tokio::task::spawn_blocking(move || {
        let mut out = Impact {
            documents_checked: docs.len(),
            documents_total: total,
            ..Impact::default()
        };
        for d in &docs {
            let a = before.score_text(&d.body);
            let b = after.score_text(&d.body);
            let scenario = |x: &qorgau_detect::Assessment| {
                x.flagged
                    .then(|| x.scenario.map(|s| s.as_str().to_owned()))
                    .flatten()
            };
            let change = || DocumentChange {
                document: d.id.to_string(),
                url: d.url.clone(),
                excerpt: excerpt(&d.body, 160),
                risk_before: a.risk,
                risk_after: b.risk,
                scenario_before: scenario(&a),
                scenario_after: scenario(&b),
                indicators_after: b.indicators.iter().map(|h| h.id.clone()).collect(),
            };
            let (list, count) = match (a.flagged, b.flagged) {
                (false, true) => (&mut out.newly_flagged, &mut out.newly_flagged_count),
                (true, false) => (&mut out.no_longer_flagged, &mut out.no_longer_flagged_count),
                (true, true) if scenario(&a) != scenario(&b) => {
                    (&mut out.scenario_changed, &mut out.scenario_changed_count)
                }
                _ => continue,
            };
            *count += 1;
            if list.len() < LISTED {
                list.push(change());
            }
        }
        out
    })
    .await
    .map_err(|e| ApiError::Internal(format!("weighing a lexicon edit: {e}")))
}

fn excerpt(text: &str, chars: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(chars) {
        Some((at, _)) => format!("{}…", &flat[..at]),
        None => flat,
    }
}

/// How one file differs between two lexicons.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FileDiff {
    /// The file.
    pub name: String,
    /// `added`, `removed` or `changed`.
    pub status: String,
    /// The changed lines with three lines of context, hunk by hunk.
    pub hunks: Vec<Vec<DiffLine>>,
}

/// One line of a diff.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DiffLine {
    /// `+`, `-` or ` `.
    pub tag: String,
    /// Line number in the old file.
    pub old: Option<usize>,
    /// Line number in the new file.
    pub new: Option<usize>,
    /// The line without its end.
    pub text: String,
}

/// The files that differ from `old` to `new`, line by line (the `similar`
/// crate's Myers diff), unchanged files left out.
pub fn diff(old: &BTreeMap<String, String>, new: &BTreeMap<String, String>) -> Vec<FileDiff> {
    let mut names: Vec<&String> = old.keys().chain(new.keys()).collect();
    names.sort();
    names.dedup();
    let mut out = Vec::new();
    for name in names {
        let (a, b) = (old.get(name), new.get(name));
        if a == b {
            continue;
        }
        let status = match (a, b) {
            (None, _) => "added",
            (_, None) => "removed",
            _ => "changed",
        };
        let (a, b) = (a.map_or("", String::as_str), b.map_or("", String::as_str));
        let text = similar::TextDiff::from_lines(a, b);
        let hunks = text
            .grouped_ops(3)
            .iter()
            .map(|group| {
                group
                    .iter()
                    .flat_map(|op| text.iter_changes(op))
                    .map(|c| DiffLine {
                        tag: match c.tag() {
                            similar::ChangeTag::Delete => "-",
                            similar::ChangeTag::Insert => "+",
                            similar::ChangeTag::Equal => " ",
                        }
                        .to_owned(),
                        old: c.old_index().map(|i| i + 1),
                        new: c.new_index().map(|i| i + 1),
                        text: c.value().trim_end_matches(['\n', '\r']).to_owned(),
                    })
                    .collect()
            })
            .collect();
        out.push(FileDiff {
            name: name.clone(),
            status: status.to_owned(),
            hunks,
        });
    }
    out
}

/// One indicator as triage judged it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IndicatorReview {
    /// Its id.
    pub id: String,
    /// What it counts towards.
    pub target: String,
    /// Its weight.
    pub weight: f32,
    /// Its description.
    pub description: String,
    /// Flagged archived documents where it fired.
    pub flagged_documents: usize,
    /// Of their signals: accepted into a case.
    pub accepted: usize,
    /// Dismissed.
    pub dismissed: usize,
    /// Still waiting for triage.
    pub waiting: usize,
    /// Dismissals by category.
    pub dismissed_by_category: BTreeMap<String, usize>,
    /// The latest dismissal reasons, newest first (at most five).
    pub reasons: Vec<String>,
    /// `dismissed / (accepted + dismissed)` when anything was decided.
    pub dismissed_share: Option<f32>,
}

/// How each indicator of `lexicon` fared: the flagged documents it fired
/// in, and what people decided about their signals (the newest 1000
/// signals and dismissals). Sorted by dismissed share, worst first, then
/// by how often it fired.
pub async fn indicator_review(
    store: &Store,
    lexicon: &Lexicon,
) -> Result<Vec<IndicatorReview>, ApiError> {
    let docs = store
        .documents(&DocumentFilter {
            flagged_only: true,
            ..DocumentFilter::default()
        })
        .await?;
    let signals = store.signals(None, 1000).await?;
    let dismissals = store.dismissals(None, 1000).await?;
    let by_resource: HashMap<&str, (Id, SignalStatus)> = signals
        .iter()
        .filter_map(|s| Some((s.resource.as_deref()?, (s.id, s.status))))
        .collect();
    let mut latest_dismissal: HashMap<Id, (&str, &str)> = HashMap::new();
    for (d, s) in &dismissals {
        // Newest first: keep the first seen.
        latest_dismissal
            .entry(s.id)
            .or_insert((d.category.as_deref().unwrap_or("other"), d.reason.as_str()));
    }
    let mut out: BTreeMap<&str, IndicatorReview> = lexicon
        .entries()
        .map(|e| {
            (
                e.id,
                IndicatorReview {
                    id: e.id.to_owned(),
                    target: e.target.to_owned(),
                    weight: e.weight,
                    description: e.description.to_owned(),
                    flagged_documents: 0,
                    accepted: 0,
                    dismissed: 0,
                    waiting: 0,
                    dismissed_by_category: BTreeMap::new(),
                    reasons: Vec::new(),
                    dismissed_share: None,
                },
            )
        })
        .collect();
    for d in &docs {
        let Some(assessment) = d
            .assessment
            .as_deref()
            .and_then(|a| serde_json::from_str::<serde_json::Value>(a).ok())
        else {
            continue;
        };
        let mut ids: Vec<&str> = ["indicators", "dampeners"]
            .iter()
            .filter_map(|k| assessment.get(*k)?.as_array())
            .flatten()
            .filter_map(|h| h.get("id")?.as_str())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let signal = d
            .url
            .as_deref()
            .and_then(normalise_resource)
            .and_then(|r| by_resource.get(r.as_str()).copied());
        for id in ids {
            // An indicator the lexicon in force no longer has is left out:
            // the review is of the rules that scan now.
            let Some(row) = out.get_mut(id) else { continue };
            row.flagged_documents += 1;
            match signal {
                Some((_, SignalStatus::Accepted)) => row.accepted += 1,
                Some((_, SignalStatus::New)) => row.waiting += 1,
                Some((signal_id, SignalStatus::Dismissed)) => {
                    row.dismissed += 1;
                    if let Some((category, reason)) = latest_dismissal.get(&signal_id) {
                        *row.dismissed_by_category
                            .entry((*category).to_owned())
                            .or_default() += 1;
                        if row.reasons.len() < 5 && !reason.trim().is_empty() {
                            row.reasons.push((*reason).to_owned());
                        }
                    }
                }
                None => {}
            }
        }
    }
    let mut rows: Vec<IndicatorReview> = out.into_values().collect();
    for r in &mut rows {
        let decided = r.accepted + r.dismissed;
        #[allow(clippy::cast_precision_loss)] // counts far below 2^24
        {
            r.dismissed_share = (decided > 0).then(|| r.dismissed as f32 / decided as f32);
        }
    }
    rows.sort_by(|a, b| {
        b.dismissed_share
            .unwrap_or(-1.0)
            .total_cmp(&a.dismissed_share.unwrap_or(-1.0))
            .then(b.flagged_documents.cmp(&a.flagged_documents))
            .then(a.id.cmp(&b.id))
    });
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_plain_toml_files() {
        assert!(valid_name("lexicon.toml"));
        assert!(valid_name("employment_abroad2.toml"));
        for bad in [
            "../x.toml",
            "X.toml",
            ".toml",
            "a.txt",
            "a b.toml",
            "a/b.toml",
        ] {
            assert!(!valid_name(bad), "{bad}");
        }
    }

    #[test]
    fn the_builtin_files_load_and_an_edit_shows_as_a_diff() {
        let base = builtin_files();
        let lexicon = load(&base).unwrap();
        assert_eq!(lexicon.version(), Lexicon::builtin().unwrap().version());
        let mut changes = BTreeMap::new();
        let edited = base["context.toml"].replacen("[[indicator]]", "# note\n[[indicator]]", 1);
        changes.insert("context.toml".to_owned(), edited);
        let files = apply(&base, &changes, &[]);
        let d = diff(&base, &files);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].name, "context.toml");
        assert_eq!(d[0].status, "changed");
        let added: Vec<&DiffLine> = d[0].hunks[0].iter().filter(|l| l.tag == "+").collect();
        assert_eq!(added.len(), 1);
        assert_eq!(added[0].text, "# note");
        assert!(added[0].old.is_none() && added[0].new.is_some());
        // The version changes with any edit.
        assert_ne!(load(&files).unwrap().version(), lexicon.version());
    }

    #[test]
    fn a_broken_file_is_refused_with_its_name() {
        let mut files = builtin_files();
        files.insert("sextortion.toml".into(), "[[indicator]]\nid = ".into());
        let errors = load(&files).unwrap_err();
        assert!(errors.join(" ").contains("sextortion.toml"), "{errors:?}");
        files.remove("lexicon.toml");
        files.insert("Bad Name.toml".into(), String::new());
        let errors = load(&files).unwrap_err().join("\n");
        assert!(errors.contains("lexicon.toml"), "{errors}");
        assert!(errors.contains("Bad Name.toml"), "{errors}");
    }
}
