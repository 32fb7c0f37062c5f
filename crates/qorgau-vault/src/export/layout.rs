//! Where each item goes inside the bag.
//!
//! An examiner opens the bag in a file manager, so the payload keeps the
//! tree the material had when it was seized: one folder per acquisition
//! (`data/evidence/<acquired at>-<acquisition id>/`), and under it each
//! item's `relative_path`. Everything else here is about making that tree
//! safe and writable wherever the bag travels:
//!
//! - a recorded path can never leave `data/` (`..`, absolute paths and empty
//!   components are neutralised);
//! - control characters (which a manifest line or a terminal would mangle)
//!   and the characters Windows, NTFS and exFAT refuse (`\ : * ? " < > |`,
//!   trailing dots and spaces) become `_`, because bags are handed over on
//!   USB sticks and read on Windows workstations;
//! - `%` becomes `_` too: RFC 8493 wants it percent-encoded (`%25`) in
//!   manifests, but the validators examiners use (bagit-python, bagit-java)
//!   do not decode it and would report the file missing
//!   (LibraryOfCongress/bagit-python#157). Without `%`, CR and LF in any
//!   name, every reading of the manifests agrees;
//! - two items that would land on the same name (also when names differ only
//!   in letter case, which case-insensitive file systems merge) are both
//!   kept, the later one with a `~2`, `~3`… suffix.
//!
//! Nothing is lost by renaming: `items.jsonl` keeps every item's original
//! `relative_path` beside its `bag_path`.

use std::collections::{HashMap, HashSet};

use qorgau_core::{Id, Timestamp};
use qorgau_evidence::ItemRecord;

/// The payload folder every item is placed under.
pub(crate) const EVIDENCE_DIR: &str = "data/evidence";

/// Longest file name (in bytes) common file systems accept.
const NAME_MAX: usize = 255;

/// Bag paths (`/`-separated, relative to the bag root) for `items`, in the
/// same order. Deterministic for a given list of items.
pub(crate) fn plan(items: &[ItemRecord]) -> Vec<String> {
    let folders = acquisition_folders(items);
    let mut used = Used::default();
    items
        .iter()
        .map(|item| {
            let folder = &folders[&item.acquisition_id];
            let mut components = sanitize_path(&item.relative_path);
            if components.is_empty() {
                components = sanitize_path(&item.file_name);
            }
            if components.is_empty() {
                components = vec![item.id.to_string()];
            }
            used.place(&format!("{EVIDENCE_DIR}/{folder}"), &components)
        })
        .collect()
}

/// One folder name per acquisition: its first instant (items of one
/// acquisition are stamped one by one) and the last 8 characters of its id.
///
/// The id of an acquisition is a UUIDv7: its first characters encode the
/// time (already in the name), its last ones are random. Should two names
/// still clash, the later one gets a suffix rather than sharing the folder.
fn acquisition_folders(items: &[ItemRecord]) -> HashMap<Id, String> {
    let mut first_seen: HashMap<Id, Timestamp> = HashMap::new();
    for item in items {
        first_seen
            .entry(item.acquisition_id)
            .and_modify(|at| *at = (*at).min(item.acquired_at))
            .or_insert(item.acquired_at);
    }
    let mut acquisitions: Vec<(Timestamp, Id)> =
        first_seen.into_iter().map(|(id, at)| (at, id)).collect();
    acquisitions.sort();
    let mut taken = HashSet::new();
    let mut folders = HashMap::new();
    for (at, id) in acquisitions {
        let id_text = id.to_string();
        let tail = &id_text[id_text.len().saturating_sub(8)..];
        let base = format!("{}-{tail}", compact_utc(&at));
        let mut name = base.clone();
        let mut n = 1;
        while !taken.insert(name.to_lowercase()) {
            n += 1;
            name = format!("{base}~{n}");
        }
        folders.insert(id, name);
    }
    folders
}

/// `2026-11-25T07:00:00.000000Z` → `20261125T070000Z` (sorts by time, and
/// carries no `:` for file systems that refuse it).
pub(crate) fn compact_utc(at: &Timestamp) -> String {
    let text = at.to_utc_string();
    let mut out: String = text
        .chars()
        .take(19)
        .filter(|c| *c != '-' && *c != ':')
        .collect();
    out.push('Z');
    out
}

/// The safe components of a recorded path; empty when nothing usable is left.
fn sanitize_path(path: &str) -> Vec<String> {
    path.split('/').filter_map(sanitize_component).collect()
}

/// One component made safe, or `None` for a component that means nothing
/// (empty, `.`).
fn sanitize_component(component: &str) -> Option<String> {
    match component {
        "" | "." => return None,
        ".." => return Some("__".to_owned()),
        _ => {}
    }
    let mut chars: Vec<char> = component
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '%' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .collect();
    // Windows drops trailing dots and spaces, which would merge names.
    for c in chars.iter_mut().rev() {
        if *c == '.' || *c == ' ' {
            *c = '_';
        } else {
            break;
        }
    }
    Some(fit(&chars.into_iter().collect::<String>(), "", true))
}

/// `name` with `suffix` inserted before its extension (a file) or at its
/// end (a folder), shortened at a character boundary, keeping the
/// extension, to fit `NAME_MAX` bytes.
fn fit(name: &str, suffix: &str, is_file: bool) -> String {
    let (stem, ext) = match name.rfind('.') {
        // A leading dot (".hidden") is not an extension separator.
        Some(pos) if is_file && pos > 0 && name.len() - pos <= 16 => name.split_at(pos),
        _ => (name, ""),
    };
    let budget = NAME_MAX.saturating_sub(ext.len() + suffix.len());
    let mut end = stem.len().min(budget);
    while !stem.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}{suffix}{ext}", &stem[..end])
}

/// Names already given out, folded to lower case so that a case-insensitive
/// file system cannot merge two of them.
#[derive(Default)]
struct Used {
    files: HashSet<String>,
    dirs: HashSet<String>,
}

impl Used {
    /// Places `components` under `prefix`, renaming where a name is taken:
    /// a folder may be shared with other items but not with a file; a file
    /// may share its name with nothing.
    fn place(&mut self, prefix: &str, components: &[String]) -> String {
        let mut path = prefix.to_owned();
        // Sanitised paths are never empty; should one be, it still gets a name.
        let fallback = [String::from("unnamed")];
        let (file, dirs) = components.split_last().unwrap_or((&fallback[0], &[]));
        for dir in dirs {
            let mut n = 1;
            let mut candidate = format!("{path}/{dir}");
            while self.files.contains(&candidate.to_lowercase()) {
                n += 1;
                candidate = format!("{path}/{}", fit(dir, &format!("~{n}"), false));
            }
            self.dirs.insert(candidate.to_lowercase());
            path = candidate;
        }
        let mut n = 1;
        let mut candidate = format!("{path}/{file}");
        loop {
            let key = candidate.to_lowercase();
            if !self.files.contains(&key) && !self.dirs.contains(&key) {
                self.files.insert(key);
                return candidate;
            }
            n += 1;
            candidate = format!("{path}/{}", fit(file, &format!("~{n}"), true));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use qorgau_core::{Actor, Md5Digest, Sha256Digest, Tool};
    use qorgau_evidence::FileTimes;

    fn item(acquisition: Id, at: &str, relative_path: &str) -> ItemRecord {
        let at = Timestamp::parse(at).unwrap();
        ItemRecord {
            id: Id::new(),
            case_id: Id::new(),
            acquisition_id: acquisition,
            sha256: Sha256Digest::from_bytes([1; 32]),
            md5: Md5Digest::from_bytes([2; 16]),
            size: 1,
            media_type: "text/plain".into(),
            source_root: "/media/phone".into(),
            original_path: format!("/media/phone/{relative_path}"),
            relative_path: relative_path.into(),
            file_name: relative_path.rsplit('/').next().unwrap_or("").into(),
            file_times: FileTimes::default(),
            acquired_at: at,
            acquired_at_local: at.to_almaty_string(),
            acquired_by: Actor {
                user: "inv".into(),
                host: "ws".into(),
            },
            tool: Tool::qorgau(),
            note: None,
            metadata: None,
        }
    }

    #[test]
    fn keeps_the_tree_under_one_folder_per_acquisition() {
        let a = Id::new();
        let items = vec![
            item(a, "2026-11-25T07:00:01.5Z", "Чаты/export_2026/result.json"),
            item(a, "2026-11-25T07:00:00.9Z", "Чаты/photos/1.jpg"),
        ];
        let folder = format!("20261125T070000Z-{}", &a.to_string()[28..]);
        assert_eq!(
            plan(&items),
            vec![
                format!("data/evidence/{folder}/Чаты/export_2026/result.json"),
                format!("data/evidence/{folder}/Чаты/photos/1.jpg"),
            ]
        );
    }

    #[test]
    fn hostile_paths_stay_inside_the_payload() {
        let a = Id::new();
        let items = vec![
            item(a, "2026-11-25T07:00:00Z", "../../etc/passwd"),
            item(a, "2026-11-25T07:00:00Z", "/abs//x/./y\u{0}z\nw"),
            item(a, "2026-11-25T07:00:00Z", "a:b*c?.txt. "),
            item(a, "2026-11-25T07:00:00Z", "notes 100% x.txt"),
            item(a, "2026-11-25T07:00:00Z", ""),
        ];
        let paths = plan(&items);
        let folder = format!("data/evidence/20261125T070000Z-{}", &a.to_string()[28..]);
        assert_eq!(paths[0], format!("{folder}/__/__/etc/passwd"));
        assert_eq!(paths[1], format!("{folder}/abs/x/y_z_w"));
        assert_eq!(paths[2], format!("{folder}/a_b_c_.txt__"));
        assert_eq!(paths[3], format!("{folder}/notes 100_ x.txt"));
        assert_eq!(paths[4], format!("{folder}/{}", items[4].id));
        for p in paths {
            assert!(!p.split('/').any(|c| c.is_empty() || c == "." || c == ".."));
        }
    }

    #[test]
    fn same_names_are_all_kept() {
        let a = Id::new();
        let items = vec![
            item(a, "2026-11-25T07:00:00Z", "x/result.json"),
            item(a, "2026-11-25T07:00:00Z", "x/result.json"),
            item(a, "2026-11-25T07:00:00Z", "X/Result.JSON"),
            item(a, "2026-11-25T07:00:00Z", "x/result.json/inner"),
            item(a, "2026-11-25T07:00:00Z", "x"),
        ];
        let paths = plan(&items);
        let folder = format!("data/evidence/20261125T070000Z-{}", &a.to_string()[28..]);
        assert_eq!(
            paths,
            vec![
                format!("{folder}/x/result.json"),
                format!("{folder}/x/result~2.json"),
                format!("{folder}/X/Result~3.JSON"),
                format!("{folder}/x/result.json~2/inner"),
                format!("{folder}/x~2"),
            ]
        );
    }

    #[test]
    fn acquisitions_in_the_same_second_get_separate_folders() {
        let a = Id::new();
        let b = Id::new();
        let items = vec![
            item(a, "2026-11-25T07:00:00.1Z", "f"),
            item(b, "2026-11-25T07:00:00.2Z", "f"),
        ];
        let paths = plan(&items);
        assert_ne!(
            paths[0].rsplit_once('/').unwrap().0,
            paths[1].rsplit_once('/').unwrap().0
        );
    }

    #[test]
    fn long_names_are_shortened_keeping_the_extension() {
        let long = format!("{}.jpg", "я".repeat(126));
        assert_eq!(long.len(), 256);
        let fitted = fit(&long, "~2", true);
        assert!(fitted.len() <= NAME_MAX);
        assert!(fitted.ends_with("~2.jpg"));
    }
}
