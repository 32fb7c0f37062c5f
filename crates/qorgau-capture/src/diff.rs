//! What changed between two captures of the same resource.
//!
//! Ads are edited as often as they are deleted: a phone number swapped, a
//! salary raised, a photo replaced, the page moved to a mirror domain. An
//! investigator comparing two captures wants those changes, not two
//! screenshots side by side: the status and final URL, the title, the
//! visible text line by line (`similar`'s Myers diff), links and media
//! files added or removed (media compared by SHA-256, so a re-uploaded photo
//! with the same name shows as changed).

use serde::Serialize;
use similar::{ChangeTag, TextDiff};

/// The parts of a capture a comparison reads.
#[derive(Debug, Clone, Default)]
pub struct CaptureView {
    /// The URL after redirects.
    pub final_url: String,
    /// HTTP status.
    pub status: Option<u16>,
    /// Title.
    pub title: Option<String>,
    /// Visible text.
    pub text: String,
    /// Outgoing links.
    pub links: Vec<String>,
    /// Media files: name (without the `NN-` prefix) and SHA-256.
    pub media: Vec<(String, String)>,
}

/// One changed line of text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineChange {
    /// `+` added in the later capture, `-` removed from the earlier one.
    pub sign: char,
    /// The line.
    pub line: String,
}

/// A field that differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    /// Which field.
    pub field: &'static str,
    /// Before.
    pub before: String,
    /// After.
    pub after: String,
}

/// The differences between an earlier and a later capture.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct CaptureDiff {
    /// Status, final URL and title changes.
    pub fields: Vec<FieldChange>,
    /// Changed lines of the visible text (only the changes).
    pub text: Vec<LineChange>,
    /// Links only in the later capture.
    pub links_added: Vec<String>,
    /// Links only in the earlier one.
    pub links_removed: Vec<String>,
    /// Media only in the later capture (name, SHA-256).
    pub media_added: Vec<(String, String)>,
    /// Media only in the earlier one.
    pub media_removed: Vec<(String, String)>,
}

impl CaptureDiff {
    /// Whether the two captures show the same thing.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
            && self.text.is_empty()
            && self.links_added.is_empty()
            && self.links_removed.is_empty()
            && self.media_added.is_empty()
            && self.media_removed.is_empty()
    }
}

/// Compares `before` with `after`.
pub fn diff(before: &CaptureView, after: &CaptureView) -> CaptureDiff {
    let mut out = CaptureDiff::default();
    let show = |s: Option<u16>| s.map_or_else(|| "—".to_owned(), |s| s.to_string());
    if before.status != after.status {
        out.fields.push(FieldChange {
            field: "status",
            before: show(before.status),
            after: show(after.status),
        });
    }
    if before.final_url != after.final_url {
        out.fields.push(FieldChange {
            field: "final_url",
            before: before.final_url.clone(),
            after: after.final_url.clone(),
        });
    }
    if before.title != after.title {
        out.fields.push(FieldChange {
            field: "title",
            before: before.title.clone().unwrap_or_default(),
            after: after.title.clone().unwrap_or_default(),
        });
    }
    let lines = TextDiff::from_lines(&before.text, &after.text);
    for change in lines.iter_all_changes() {
        let sign = match change.tag() {
            ChangeTag::Equal => continue,
            ChangeTag::Delete => '-',
            ChangeTag::Insert => '+',
        };
        out.text.push(LineChange {
            sign,
            line: change.value().trim_end_matches('\n').to_owned(),
        });
    }
    let only = |a: &[String], b: &[String]| -> Vec<String> {
        a.iter().filter(|x| !b.contains(x)).cloned().collect()
    };
    out.links_added = only(&after.links, &before.links);
    out.links_removed = only(&before.links, &after.links);
    let has = |set: &[(String, String)], sha: &str| set.iter().any(|(_, s)| s == sha);
    out.media_added = after
        .media
        .iter()
        .filter(|(_, s)| !has(&before.media, s))
        .cloned()
        .collect();
    out.media_removed = before
        .media
        .iter()
        .filter(|(_, s)| !has(&after.media, s))
        .cloned()
        .collect();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(text: &str, links: &[&str], media: &[(&str, &str)]) -> CaptureView {
        CaptureView {
            final_url: "https://kyzdar.test/ad/1".into(),
            status: Some(200),
            title: Some("Работа".into()),
            text: text.into(),
            links: links.iter().map(|s| s.to_string()).collect(),
            media: media
                .iter()
                .map(|(n, s)| (n.to_string(), s.to_string()))
                .collect(),
        }
    }

    #[test]
    fn same_capture_has_no_differences() {
        let a = view("a\nb\n", &["x"], &[("p.jpg", "11")]);
        assert!(diff(&a, &a).is_empty());
    }

    #[test]
    fn changes_are_named() {
        let a = view(
            "Зарплата 2000$\nТел. +7 700 000 00 01\nЖильё\n",
            &["https://t.me/a", "https://t.me/b"],
            &[("p.jpg", "11"), ("q.jpg", "22")],
        );
        let mut b = view(
            "Зарплата 3000$\nТел. +7 700 000 00 01\nЖильё\n",
            &["https://t.me/b", "https://wa.me/7700"],
            &[("p.jpg", "33"), ("q.jpg", "22")],
        );
        b.final_url = "https://kyzdar2.test/ad/1".into();
        b.status = Some(404);
        let d = diff(&a, &b);
        assert_eq!(
            d.fields.iter().map(|f| f.field).collect::<Vec<_>>(),
            vec!["status", "final_url"]
        );
        assert_eq!(
            d.text,
            vec![
                LineChange {
                    sign: '-',
                    line: "Зарплата 2000$".into()
                },
                LineChange {
                    sign: '+',
                    line: "Зарплата 3000$".into()
                },
            ]
        );
        assert_eq!(d.links_added, vec!["https://wa.me/7700"]);
        assert_eq!(d.links_removed, vec!["https://t.me/a"]);
        assert_eq!(d.media_added, vec![("p.jpg".to_owned(), "33".to_owned())]);
        assert_eq!(d.media_removed, vec![("p.jpg".to_owned(), "11".to_owned())]);
    }
}
