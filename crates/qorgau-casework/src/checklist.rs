//! The investigator's checklist of study section 5.3 («Чек-лист для
//! оперативных сотрудников и следователей») as data, and the progress of a
//! case through it.
//!
//! The study asks for a pocket guide so that practice is uniform (5.2); as
//! data, the checklist can be amended without a release, and every item
//! quotes the sentence of the study it comes from.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::Text3;
use crate::error::{LoadError, LoadErrorKind, LoadErrors, Source};

/// The shipped checklist file, embedded so the crate does no I/O.
pub const DEFAULT_CHECKLIST: &str = include_str!("../data/checklist-5-3.toml");

/// A heading of the checklist, as the study groups its items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistGroup {
    /// Stable key, e.g. `osint`.
    pub key: String,
    /// The heading in three languages.
    pub title: Text3,
}

/// One action of the checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistItem {
    /// Stable key under which task states are stored, e.g. `hash_evidence`.
    pub key: String,
    /// Key of its [`ChecklistGroup`].
    pub group: String,
    /// Where in the study it comes from, quoted, so users can check it.
    pub source: String,
    /// Short title.
    pub title: Text3,
    /// One or two sentences of guidance.
    pub guidance: Text3,
}

/// The validated checklist: groups and items in the order of the study.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checklist {
    groups: Vec<ChecklistGroup>,
    items: Vec<ChecklistItem>,
    kk_reviewed: bool,
}

/// Where one checklist task of a case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum TaskState {
    /// Not done yet (the state of every task a case has not touched).
    #[default]
    Open,
    /// Done.
    Done,
    /// Does not apply to this case (e.g. no device was seized).
    NotApplicable,
}

/// How far a case is through its checklist, so the UI can show a bar and a
/// supervisor can see which cases skipped preservation steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// All tasks counted.
    pub total: usize,
    /// Tasks done.
    pub done: usize,
    /// Tasks marked not applicable.
    pub not_applicable: usize,
    /// Tasks that apply (`total - not_applicable`).
    pub applicable: usize,
    /// Done as a whole percentage of applicable, rounded down so that 100
    /// means everything is done; 100 when nothing applies.
    pub percent: u8,
}

impl Progress {
    /// Counts a list of task states.
    pub fn of(states: impl IntoIterator<Item = TaskState>) -> Progress {
        let (mut total, mut done, mut not_applicable) = (0usize, 0usize, 0usize);
        for s in states {
            total += 1;
            match s {
                TaskState::Done => done += 1,
                TaskState::NotApplicable => not_applicable += 1,
                TaskState::Open => {}
            }
        }
        let applicable = total - not_applicable;
        let percent = (done * 100)
            .checked_div(applicable)
            .map_or(100, |p| u8::try_from(p).unwrap_or(100));
        Progress {
            total,
            done,
            not_applicable,
            applicable,
            percent,
        }
    }
}

/// A task state saved under a key the checklist does not know (renamed or
/// mistyped); refusing it keeps stale states from counting as progress.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown checklist item `{0}`")]
pub struct UnknownItem(pub String);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChecklist {
    format: Spanned<u32>,
    kk_reviewed: bool,
    #[serde(default)]
    group: Vec<RawGroup>,
    #[serde(default)]
    item: Vec<RawItem>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    key: Spanned<String>,
    title_ru: Spanned<String>,
    title_kk: Spanned<String>,
    title_en: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    key: Spanned<String>,
    group: Spanned<String>,
    source: Spanned<String>,
    title_ru: Spanned<String>,
    title_kk: Spanned<String>,
    title_en: Spanned<String>,
    guidance_ru: Spanned<String>,
    guidance_kk: Spanned<String>,
    guidance_en: Spanned<String>,
}

impl Checklist {
    /// The shipped checklist of section 5.3.
    pub fn builtin() -> Result<Checklist, LoadErrors> {
        Checklist::from_toml("checklist-5-3.toml", DEFAULT_CHECKLIST)
    }

    /// Loads and checks a checklist file: unique snake_case keys, every item
    /// in a known group with a source, every text in ru, kk and en. All
    /// problems are reported at once with `name:line:column`.
    pub fn from_toml(name: &str, text: &str) -> Result<Checklist, LoadErrors> {
        let src = Source { name, text };
        let raw: RawChecklist = src.parse()?;
        let mut errors: Vec<LoadError> = Vec::new();
        src.check_format(&raw.format, &mut errors);
        let mut seen = BTreeMap::new();
        let mut groups = Vec::new();
        for g in raw.group {
            src.check_key(&g.key, &mut errors);
            src.unique("group", &g.key, &mut seen, &mut errors);
            let title = src.text3(
                g.key.get_ref(),
                "title",
                [g.title_ru, g.title_kk, g.title_en],
                &mut errors,
            );
            groups.push(ChecklistGroup {
                key: g.key.into_inner(),
                title,
            });
        }
        let mut seen = BTreeMap::new();
        let mut items = Vec::new();
        for i in raw.item {
            src.check_key(&i.key, &mut errors);
            src.unique("item", &i.key, &mut seen, &mut errors);
            if !groups.iter().any(|g| &g.key == i.group.get_ref()) {
                errors.push(src.error(
                    i.group.span(),
                    LoadErrorKind::Invalid(format!(
                        "item `{}` names unknown group `{}`",
                        i.key.get_ref(),
                        i.group.get_ref()
                    )),
                ));
            }
            if i.source.get_ref().trim().is_empty() {
                errors.push(src.error(
                    i.source.span(),
                    LoadErrorKind::Invalid(format!(
                        "item `{}` needs a source quoting the study",
                        i.key.get_ref()
                    )),
                ));
            }
            let key = i.key.get_ref().clone();
            let title = src.text3(
                &key,
                "title",
                [i.title_ru, i.title_kk, i.title_en],
                &mut errors,
            );
            let guidance = src.text3(
                &key,
                "guidance",
                [i.guidance_ru, i.guidance_kk, i.guidance_en],
                &mut errors,
            );
            items.push(ChecklistItem {
                key,
                group: i.group.into_inner(),
                source: i.source.into_inner(),
                title,
                guidance,
            });
        }
        if items.is_empty() {
            errors.push(src.error(0..0, LoadErrorKind::Invalid("no [[item]] defined".into())));
        }
        if errors.is_empty() {
            Ok(Checklist {
                groups,
                items,
                kk_reviewed: raw.kk_reviewed,
            })
        } else {
            Err(LoadErrors(errors))
        }
    }

    /// The groups, in the order of the study.
    pub fn groups(&self) -> &[ChecklistGroup] {
        &self.groups
    }

    /// The items, in the order of the study.
    pub fn items(&self) -> &[ChecklistItem] {
        &self.items
    }

    /// One item by key.
    pub fn item(&self, key: &str) -> Option<&ChecklistItem> {
        self.items.iter().find(|i| i.key == key)
    }

    /// The items of one group, so the UI can render the study's headings.
    pub fn items_in<'a>(&'a self, group: &'a str) -> impl Iterator<Item = &'a ChecklistItem> {
        self.items.iter().filter(move |i| i.group == group)
    }

    /// Whether the Kazakh texts were reviewed; the UI should mark them as a
    /// draft until they are.
    pub fn kk_reviewed(&self) -> bool {
        self.kk_reviewed
    }

    /// Progress of a case over the whole checklist: items without a saved
    /// state count as open; a saved state under an unknown key is an error.
    pub fn progress(&self, states: &BTreeMap<String, TaskState>) -> Result<Progress, UnknownItem> {
        if let Some(k) = states.keys().find(|k| self.item(k).is_none()) {
            return Err(UnknownItem(k.clone()));
        }
        Ok(Progress::of(
            self.items
                .iter()
                .map(|i| states.get(&i.key).copied().unwrap_or_default()),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::LoadErrorKind;

    #[test]
    fn builtin_loads_with_the_briefs_keys() {
        let c = Checklist::builtin().unwrap();
        for key in [
            "preserve_before_blocking",
            "hash_evidence",
            "custody_chain",
            "foreign_data_requests",
            "crypto_trace",
            "multimedia_authenticity",
            "osint_log",
            "no_provocation",
        ] {
            let item = c.item(key).unwrap_or_else(|| panic!("missing {key}"));
            assert!(item.source.starts_with("5.3"), "{key}: {}", item.source);
        }
        assert_eq!(c.groups().len(), 7);
        assert_eq!(c.items().len(), 23);
        assert_eq!(c.items_in("multimedia").count(), 3);
        assert!(!c.kk_reviewed());
    }

    #[test]
    fn progress_counts_done_over_applicable() {
        let p = Progress::of([
            TaskState::Done,
            TaskState::Done,
            TaskState::Open,
            TaskState::NotApplicable,
        ]);
        assert_eq!(
            (p.total, p.done, p.not_applicable, p.applicable),
            (4, 2, 1, 3)
        );
        assert_eq!(p.percent, 66, "2/3 rounds down");
        assert_eq!(Progress::of([TaskState::NotApplicable]).percent, 100);
        assert_eq!(Progress::of([TaskState::Open]).percent, 0);
    }

    #[test]
    fn progress_over_checklist_defaults_open_and_refuses_unknown_keys() {
        let c = Checklist::builtin().unwrap();
        let mut states = BTreeMap::new();
        states.insert("hash_evidence".to_string(), TaskState::Done);
        states.insert("device_off_keep_off".to_string(), TaskState::NotApplicable);
        let p = c.progress(&states).unwrap();
        assert_eq!((p.total, p.done, p.applicable, p.percent), (23, 1, 22, 4));
        states.insert("hash_evidnce".to_string(), TaskState::Done);
        assert_eq!(c.progress(&states), Err(UnknownItem("hash_evidnce".into())));
    }

    #[test]
    fn task_state_serialises_snake_case() {
        let json = serde_json::to_string(&TaskState::NotApplicable).unwrap();
        assert_eq!(json, "\"not_applicable\"");
    }

    const BROKEN: &str = r#"format = 1
kk_reviewed = false

[[group]]
key = "g"
title_ru = "Группа"
title_kk = "Топ"
title_en = "Group"

[[item]]
key = "a"
group = "g"
source = "5.3"
title_ru = "А"
title_kk = ""
title_en = "A"
guidance_ru = "а"
guidance_kk = "а"
guidance_en = "a"

[[item]]
key = "a"
group = "nope"
source = "5.3"
title_ru = "Б"
title_kk = "Б"
title_en = "B"
guidance_ru = "б"
guidance_kk = "б"
guidance_en = "b"
"#;

    #[test]
    fn broken_file_reports_every_problem_with_position() {
        let err = Checklist::from_toml("broken.toml", BROKEN).unwrap_err();
        let e = err.errors();
        assert_eq!(e.len(), 3, "{err}");
        assert_eq!((e[0].line, e[0].column), (15, 12));
        assert!(
            matches!(&e[0].kind, LoadErrorKind::MissingText { key, lang: "kk", .. } if key == "a")
        );
        assert_eq!(e[1].line, 22);
        assert!(matches!(
            e[1].kind,
            LoadErrorKind::Duplicate { first_line: 11, .. }
        ));
        assert_eq!(e[2].line, 23);
        assert!(
            err.to_string()
                .contains("broken.toml:23:9: item `a` names unknown group `nope`")
        );
    }

    #[test]
    fn syntax_error_has_position() {
        let err = Checklist::from_toml("x.toml", "format = 1\nkk_reviewed = maybe\n").unwrap_err();
        assert_eq!(err.errors()[0].line, 2);
        assert!(matches!(err.errors()[0].kind, LoadErrorKind::Syntax(_)));
    }
}
