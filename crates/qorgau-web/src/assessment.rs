//! A monitored document as the detection engine judged it, shown so that a
//! person can check the judgement: the text with every indicator marked
//! where it fired (and why, on hover and for screen readers), the context
//! that lowered the score, the identifiers, cluster and network.
//!
//! The assessment is the JSON `qorgau scan` writes (`ScanRecord`), kept with
//! the document; only the fields shown are read here, and a document whose
//! assessment does not parse is still shown, unmarked.

use maud::{Markup, html};
use qorgau_server::{ApiError, AppState};
use qorgau_store::{DocumentFilter, DocumentRecord};
use serde::Deserialize;

use crate::text::Tr;

/// The parts of a stored assessment the pages show.
#[derive(Debug, Default, Deserialize)]
pub struct Assessment {
    /// The leading scenario.
    #[serde(default)]
    pub scenario: String,
    /// Overall risk 0–1.
    #[serde(default)]
    pub risk: f32,
    /// Whether a minor seems targeted or involved.
    #[serde(default)]
    pub minor: bool,
    /// Indicators that fired.
    #[serde(default)]
    pub indicators: Vec<Mark>,
    /// Context that lowered the scores.
    #[serde(default)]
    pub dampeners: Vec<Mark>,
    /// Identifiers found.
    #[serde(default)]
    pub identifiers: Vec<Found>,
    /// Near-duplicate cluster.
    pub cluster: Option<String>,
    /// Network of documents sharing identifiers.
    pub network: Option<String>,
    /// Role in the funnel.
    #[serde(default)]
    pub role: String,
    /// Lexicon version.
    #[serde(default)]
    pub lexicon_version: String,
    /// The pictures the document shows, with their perceptual hashes when
    /// they could be made.
    #[serde(default)]
    pub images: Vec<Picture>,
}

/// A picture of a document as the assessment recorded it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Picture {
    /// A file beside the scanned input.
    pub path: Option<String>,
    /// A remote picture.
    pub url: Option<String>,
    /// For a key frame of a video: its time, in milliseconds.
    pub frame_ms: Option<u64>,
    /// pHash, 16 hex digits.
    pub phash: Option<String>,
    /// dHash, 16 hex digits.
    pub dhash: Option<String>,
    /// Width in pixels.
    pub width: Option<u32>,
    /// Height in pixels.
    pub height: Option<u32>,
    /// Why it was not read, hashed or compared.
    pub note: Option<String>,
}

impl Picture {
    /// The (pHash, dHash) pair when both are well-formed and the engine did
    /// not set the picture aside (hashes of another algorithm, too small,
    /// featureless: each a note).
    pub fn hashes(&self) -> Option<(u64, u64)> {
        if self.note.is_some() {
            return None;
        }
        let parse = |h: &Option<String>| {
            let h = h.as_deref()?;
            (h.len() == 16)
                .then(|| u64::from_str_radix(h, 16).ok())
                .flatten()
        };
        Some((parse(&self.phash)?, parse(&self.dhash)?))
    }

    /// Where it is: its path, else its URL; for a key frame, with its time
    /// as a media fragment (`clip.mp4#t=3.04`).
    pub fn location(&self) -> Option<String> {
        let at = self.path.as_deref().or(self.url.as_deref())?;
        Some(match self.frame_ms {
            Some(ms) => format!("{at}#t={}.{:02}", ms / 1000, (ms % 1000) / 10),
            None => at.to_owned(),
        })
    }
}

/// An indicator or dampener with its place in the text.
#[derive(Debug, Clone, Deserialize)]
pub struct Mark {
    /// Lexicon entry.
    pub id: String,
    /// Scenario it speaks for.
    #[serde(default)]
    pub scenario: String,
    /// Byte range in the original text.
    pub span: [usize; 2],
    /// Weight.
    #[serde(default)]
    pub weight: f32,
    /// Why it is an indicator.
    #[serde(default)]
    pub why: String,
}

/// An identifier found.
#[derive(Debug, Clone, Deserialize)]
pub struct Found {
    /// Kind (phone, telegram, card…).
    pub kind: String,
    /// Normalised value.
    #[serde(default)]
    pub value: String,
    /// As written.
    #[serde(default)]
    pub text: String,
}

impl Assessment {
    /// Reads a stored assessment; `None` when there is none or it does not
    /// parse (the page then shows the bare text).
    pub fn parse(json: Option<&str>) -> Option<Assessment> {
        json.and_then(|j| serde_json::from_str(j).ok())
    }
}

/// The monitoring archive's flagged documents, for the triage queue and the
/// dashboard; the caller has checked that the viewer may read signals.
pub async fn flagged_documents(state: &AppState) -> Result<Vec<DocumentRecord>, ApiError> {
    Ok(state
        .vault
        .store
        .documents(&DocumentFilter {
            flagged_only: true,
            ..DocumentFilter::default()
        })
        .await?)
}

/// The text with indicators (and dampeners) marked. Spans that overlap or
/// do not fall on character boundaries are skipped rather than trusted:
/// the text is always shown whole.
pub fn marked_text(tr: Tr, body: &str, a: Option<&Assessment>) -> Markup {
    let mut marks: Vec<(&Mark, bool)> = Vec::new();
    if let Some(a) = a {
        marks.extend(a.indicators.iter().map(|m| (m, false)));
        marks.extend(a.dampeners.iter().map(|m| (m, true)));
    }
    marks.sort_by_key(|(m, _)| (m.span[0], std::cmp::Reverse(m.span[1])));
    let mut pieces: Vec<(&str, Option<(&Mark, bool)>)> = Vec::new();
    let mut at = 0;
    for (m, damp) in marks {
        let [start, end] = m.span;
        if start < at
            || end <= start
            || end > body.len()
            || !body.is_char_boundary(start)
            || !body.is_char_boundary(end)
        {
            continue;
        }
        pieces.push((&body[at..start], None));
        pieces.push((&body[start..end], Some((m, damp))));
        at = end;
    }
    pieces.push((&body[at..], None));
    html! {
        p.document-text {
            @for (text, mark) in pieces {
                @match mark {
                    None => (text),
                    Some((m, false)) => mark class={ "indicator scenario-" (m.scenario) } title=(m.why) data-indicator=(m.id) {
                        (text) span.visually-hidden { " (" (tr.code("scenario", &m.scenario)) ": " (m.why) ")" }
                    },
                    Some((m, true)) => mark.dampener title=(m.why) data-dampener=(m.id) {
                        (text) span.visually-hidden { " (" (tr.t("dampener")) ": " (m.why) ")" }
                    },
                }
            }
        }
    }
}

/// The indicators as a list: what fired, for which scenario, how much.
pub fn indicator_list(tr: Tr, a: &Assessment) -> Markup {
    html! {
        @if !a.indicators.is_empty() {
            ul.indicators {
                @for m in &a.indicators {
                    li {
                        span class={ "tag scenario-" (m.scenario) } { (tr.code("scenario", &m.scenario)) }
                        " " (m.why) " "
                        span.weight { "+" (format!("{:.2}", m.weight)) }
                    }
                }
                @for m in &a.dampeners {
                    li.dampener { span.tag { (tr.t("dampener")) } " " (m.why) }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use qorgau_i18n::Lang;

    #[test]
    fn indicators_are_marked_where_they_fired_and_bad_spans_are_skipped() {
        let body = "Работа в Дубае, жильё бесплатно";
        let start = body.find("в Дубае").unwrap();
        let end = start + "в Дубае".len();
        let json = serde_json::json!({
            "scenario": "labour",
            "indicators": [
                {"id": "abroad", "scenario": "labour", "span": [start, end], "weight": 0.4, "why": "work abroad"},
                {"id": "bad", "scenario": "labour", "span": [1, 2], "weight": 0.1, "why": "not on a boundary"},
                {"id": "overlap", "scenario": "labour", "span": [end - 2, end + 4], "weight": 0.1, "why": "overlaps"}
            ]
        })
        .to_string();
        let a = Assessment::parse(Some(&json)).unwrap();
        let html = marked_text(Tr { lang: Lang::En }, body, Some(&a)).into_string();
        assert!(
            html.contains(r#"data-indicator="abroad">в Дубае"#),
            "{html}"
        );
        assert!(!html.contains("data-indicator=\"bad\""), "{html}");
        assert!(!html.contains("data-indicator=\"overlap\""), "{html}");
        assert!(
            html.contains("Работа ") && html.contains(", жильё бесплатно"),
            "{html}"
        );
        assert!(Assessment::parse(Some("not json")).is_none());
    }
}
