//! Which fetched documents a job keeps.
//!
//! Keeping only what matches the search is a safeguard, not just economy:
//! the study asks for monitoring "with basic human-rights safeguards", and a
//! job that stored every post of a channel would build a file on people who
//! have nothing to do with the case.

use qorgau_core::Timestamp;

use crate::job::JobSpec;

/// Decides, for one job, whether a scanned document is kept.
#[derive(Debug, Clone)]
pub struct Selector {
    keywords: Vec<String>,
    filters: crate::Filters,
}

/// Whether a document is kept, and if not, why (for the run report).
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// Kept; the keywords that matched (empty when the job has none).
    Keep(Vec<String>),
    /// Not kept, with the reason.
    Skip(String),
}

impl Selector {
    /// The selector of a job.
    pub fn new(spec: &JobSpec) -> Self {
        let keywords = spec
            .keywords
            .iter()
            .map(|k| fold(qorgau_normalize::normalize(k.trim_end_matches('*')).as_str()))
            .filter(|k| !k.is_empty())
            .collect();
        Self {
            keywords,
            filters: spec.filters.clone(),
        }
    }

    /// Judges a document from its normalised text and what the scan found.
    pub fn judge(
        &self,
        normalized_text: &str,
        lang: &str,
        risk: f32,
        flagged: bool,
        published_at: Option<Timestamp>,
    ) -> Verdict {
        let f = &self.filters;
        if !f.langs.is_empty() && !f.langs.iter().any(|l| l == lang) {
            return Verdict::Skip(format!("language {lang} not in {}", f.langs.join(",")));
        }
        if let Some(min) = f.min_risk
            && risk < min
        {
            return Verdict::Skip(format!("risk {risk:.2} below {min:.2}"));
        }
        if f.flagged_only && !flagged {
            return Verdict::Skip("not flagged".into());
        }
        if let (Some(since), Some(at)) = (f.since, published_at)
            && at < since
        {
            return Verdict::Skip(format!("published {at} before {since}"));
        }
        if self.keywords.is_empty() {
            return Verdict::Keep(Vec::new());
        }
        let text = fold(normalized_text);
        let hits: Vec<String> = self
            .keywords
            .iter()
            .filter(|k| text.contains(k.as_str()))
            .cloned()
            .collect();
        if hits.is_empty() {
            Verdict::Skip("no keyword matched".into())
        } else {
            Verdict::Keep(hits)
        }
    }
}

/// Lower-case with ё folded to е, as Russian writers use both.
fn fold(text: &str) -> String {
    text.to_lowercase().replace('ё', "е")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Filters, SourceKind};

    fn selector(keywords: &[&str], filters: Filters) -> Selector {
        Selector::new(&JobSpec {
            name: "j".into(),
            kind: SourceKind::Feed,
            targets: vec!["https://example.invalid/rss".into()],
            keywords: keywords.iter().map(|s| s.to_string()).collect(),
            filters,
            interval_secs: 3600,
        })
    }

    #[test]
    fn keywords_match_through_obfuscation_and_case() {
        let s = selector(&["Работа*", "дубай"], Filters::default());
        // The document arrives normalised by the pipeline.
        let doc = qorgau_normalize::normalize("PAБOTA в Дубае для девушек");
        assert_eq!(
            s.judge(doc.as_str(), "ru", 0.0, false, None),
            Verdict::Keep(vec!["работа".into()])
        );
        assert_eq!(
            s.judge("Продаю велосипед", "ru", 0.0, false, None),
            Verdict::Skip("no keyword matched".into())
        );
    }

    #[test]
    fn filters_skip_with_a_reason() {
        let filters = Filters {
            langs: vec!["kk".into()],
            min_risk: Some(0.5),
            ..Filters::default()
        };
        let s = selector(&[], filters);
        assert!(
            matches!(s.judge("x", "ru", 0.9, true, None), Verdict::Skip(r) if r.contains("language"))
        );
        assert!(
            matches!(s.judge("x", "kk", 0.2, true, None), Verdict::Skip(r) if r.contains("risk"))
        );
        assert_eq!(s.judge("x", "kk", 0.7, true, None), Verdict::Keep(vec![]));
    }
}
