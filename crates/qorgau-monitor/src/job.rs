//! What a monitoring job watches and how often.

use std::fmt;
use std::str::FromStr;

use qorgau_core::Timestamp;
use serde::{Deserialize, Serialize};

/// The kind of source a job reads; each is fetched and paged differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// A list of page URLs, each fetched as one document.
    Urls,
    /// A sitemap (or sitemap index) whose pages are fetched.
    Sitemap,
    /// An RSS or Atom feed whose entries are documents.
    Feed,
    /// A public Telegram channel read through its web preview (`t.me/s/…`).
    Telegram,
}

impl SourceKind {
    /// The name used on the command line and in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Urls => "urls",
            Self::Sitemap => "sitemap",
            Self::Feed => "feed",
            Self::Telegram => "telegram",
        }
    }
}

impl fmt::Display for SourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SourceKind {
    type Err = JobSpecError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "urls" | "url" => Ok(Self::Urls),
            "sitemap" => Ok(Self::Sitemap),
            "feed" | "rss" | "atom" => Ok(Self::Feed),
            "telegram" | "tg" => Ok(Self::Telegram),
            other => Err(JobSpecError(format!(
                "unknown source kind {other:?}; one of: urls, sitemap, feed, telegram"
            ))),
        }
    }
}

/// Filters that decide, after scanning, whether a fetched document is kept.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Filters {
    /// Keep only documents in these languages (`ru`, `kk`, …); all when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub langs: Vec<String>,
    /// Keep only documents whose risk is at least this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_risk: Option<f32>,
    /// Keep only documents flagged for review.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub flagged_only: bool,
    /// Keep only documents published at or after this time (when known).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<Timestamp>,
    /// Fetch at most this many pages per run (sitemaps, URL lists, channel
    /// pages), so that one job cannot flood a site or the vault.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_pages: Option<u32>,
    /// Fetch at most this many pictures of each new or changed document
    /// (0: none), so that its perceptual hashes link it to other documents
    /// showing the same picture; [`DEFAULT_MAX_PICTURES`] when not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_pictures: Option<u32>,
}

/// Pictures fetched per new or changed document when a job does not say:
/// an ad shows a few photos; a page with dozens of thumbnails must not make
/// one run fetch hundreds of files.
pub const DEFAULT_MAX_PICTURES: u32 = 8;

impl Filters {
    /// Parses one `key=value` filter as given on the command line:
    /// `lang=ru,kk`, `min-risk=0.5`, `flagged`, `since=2026-01-01`, `max-pages=20`,
    /// `max-pictures=0`.
    pub fn apply(&mut self, text: &str) -> Result<(), JobSpecError> {
        let (key, value) = text.split_once('=').unwrap_or((text, ""));
        let bad = |why: &str| JobSpecError(format!("filter {text:?}: {why}"));
        match key.trim() {
            "lang" | "langs" => {
                self.langs = value
                    .split(',')
                    .map(|l| l.trim().to_lowercase())
                    .filter(|l| !l.is_empty())
                    .collect();
                if self.langs.is_empty() {
                    return Err(bad("give languages, e.g. lang=ru,kk"));
                }
            }
            "min-risk" | "min_risk" => {
                let v: f32 = value
                    .trim()
                    .parse()
                    .map_err(|_| bad("expected a number between 0 and 1"))?;
                if !(0.0..=1.0).contains(&v) {
                    return Err(bad("expected a number between 0 and 1"));
                }
                self.min_risk = Some(v);
            }
            "flagged" | "flagged-only" => self.flagged_only = true,
            "since" => {
                self.since =
                    Some(Timestamp::parse_human(value.trim()).map_err(|e| bad(&e.to_string()))?);
            }
            "max-pages" | "max_pages" => {
                let v: u32 = value
                    .trim()
                    .parse()
                    .ok()
                    .filter(|v| *v > 0)
                    .ok_or_else(|| bad("expected a positive whole number"))?;
                self.max_pages = Some(v);
            }
            "max-pictures" | "max_pictures" => {
                let v: u32 = value
                    .trim()
                    .parse()
                    .ok()
                    .filter(|v| *v <= 64)
                    .ok_or_else(|| bad("expected a whole number from 0 to 64"))?;
                self.max_pictures = Some(v);
            }
            _ => {
                return Err(bad(
                    "unknown filter; one of lang=…, min-risk=…, flagged, since=…, max-pages=…, \
                     max-pictures=…",
                ));
            }
        }
        Ok(())
    }
}

/// A monitoring job as the investigator defines it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobSpec {
    /// A short unique name (`dubai-jobs`, `kyzdar-mirrors`).
    pub name: String,
    /// What kind of source it reads.
    pub kind: SourceKind,
    /// URLs (page list, sitemap, feed) or channel names (Telegram).
    pub targets: Vec<String>,
    /// Keep only documents containing one of these (after normalisation,
    /// case-insensitive; a trailing `*` is explicit prefix matching, the
    /// default anyway). All documents when empty.
    pub keywords: Vec<String>,
    /// Further filters.
    pub filters: Filters,
    /// How often the job should run, in seconds.
    pub interval_secs: u64,
}

/// A job definition that cannot be used, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct JobSpecError(pub String);

impl JobSpec {
    /// Checks the definition and brings targets into a canonical form
    /// (channel names without `@` or `t.me/s/`, URLs trimmed).
    pub fn validated(mut self) -> Result<Self, JobSpecError> {
        let name_ok = !self.name.is_empty()
            && self.name.len() <= 64
            && self
                .name
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if !name_ok {
            return Err(JobSpecError(format!(
                "job name {:?}: use 1–64 letters, digits, '-', '_' or '.'",
                self.name
            )));
        }
        if self.targets.is_empty() {
            return Err(JobSpecError(format!(
                "job {}: give at least one source",
                self.name
            )));
        }
        if self.interval_secs < 60 {
            return Err(JobSpecError(format!(
                "job {}: the interval must be at least 60 seconds",
                self.name
            )));
        }
        let mut targets = Vec::with_capacity(self.targets.len());
        for t in &self.targets {
            let t = t.trim();
            let t = match self.kind {
                SourceKind::Telegram => channel_name(t).ok_or_else(|| {
                    JobSpecError(format!(
                        "{t:?} is not a Telegram channel name (5–32 letters, digits or _)"
                    ))
                })?,
                _ => {
                    if !(t.starts_with("http://") || t.starts_with("https://")) {
                        return Err(JobSpecError(format!(
                            "{t:?} is not an http:// or https:// URL"
                        )));
                    }
                    t.to_owned()
                }
            };
            if !targets.contains(&t) {
                targets.push(t);
            }
        }
        self.targets = targets;
        self.keywords = self
            .keywords
            .iter()
            .map(|k| k.trim().to_owned())
            .filter(|k| !k.is_empty())
            .collect();
        Ok(self)
    }
}

/// `@name`, `t.me/name`, `https://t.me/s/name` → `name` (lower-case).
fn channel_name(text: &str) -> Option<String> {
    let t = text
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .trim_start_matches("t.me/s/")
        .trim_start_matches("t.me/")
        .trim_start_matches('@')
        .trim_end_matches('/');
    let ok =
        (5..=32).contains(&t.len()) && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    ok.then(|| t.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(kind: SourceKind, targets: &[&str]) -> JobSpec {
        JobSpec {
            name: "job-1".into(),
            kind,
            targets: targets.iter().map(|s| s.to_string()).collect(),
            keywords: vec![" работа ".into(), "".into()],
            filters: Filters::default(),
            interval_secs: 3600,
        }
    }

    #[test]
    fn channels_are_canonical() {
        let s = spec(
            SourceKind::Telegram,
            &[
                "@Rabota_Dubai",
                "https://t.me/s/rabota_dubai",
                "t.me/other_chan",
            ],
        )
        .validated()
        .unwrap();
        assert_eq!(s.targets, vec!["rabota_dubai", "other_chan"]);
        assert_eq!(s.keywords, vec!["работа"]);
        assert!(spec(SourceKind::Telegram, &["a b"]).validated().is_err());
    }

    #[test]
    fn urls_need_a_scheme_and_interval_a_minute() {
        let e = spec(SourceKind::Urls, &["example.kz/jobs"])
            .validated()
            .unwrap_err();
        assert!(e.0.contains("example.kz/jobs"), "{e}");
        let mut s = spec(SourceKind::Feed, &["https://example.kz/rss"]);
        s.interval_secs = 5;
        assert!(s.validated().unwrap_err().0.contains("60 seconds"));
    }

    #[test]
    fn filters_parse_and_name_the_bad_one() {
        let mut f = Filters::default();
        f.apply("lang=RU, kk").unwrap();
        f.apply("min-risk=0.4").unwrap();
        f.apply("flagged").unwrap();
        f.apply("max-pages=3").unwrap();
        f.apply("since=2026-01-01").unwrap();
        assert_eq!(f.langs, vec!["ru", "kk"]);
        assert_eq!(f.min_risk, Some(0.4));
        assert!(f.flagged_only);
        assert_eq!(f.max_pages, Some(3));
        assert!(f.since.is_some());
        let e = f.apply("min-risk=2").unwrap_err();
        assert!(e.0.contains("min-risk=2"));
        assert!(f.apply("colour=red").is_err());
        assert!(f.apply("max-pages=0").is_err());
    }
}
