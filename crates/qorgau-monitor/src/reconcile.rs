//! What changed since the last run: the archive of deleted ads.
//!
//! Ads and posts vanish within hours; the study asks that what was seen be
//! kept and that its disappearance be recorded. Absence alone is not proof
//! of deletion: a feed shows only its newest entries and a channel page only
//! a window of posts. So a run states its [`Coverage`] — which documents it
//! could have seen — and only a known document inside that coverage that is
//! missing (or answered 404/410) is marked deleted.

use qorgau_core::{Sha256Digest, Timestamp};

/// A document the archive already holds for this job.
#[derive(Debug, Clone, PartialEq)]
pub struct Known {
    /// Stable key within the job (URL, `channel/123`, feed entry id).
    pub key: String,
    /// SHA-256 of its last stored text.
    pub content: Sha256Digest,
    /// When it was marked deleted, if it is.
    pub deleted_at: Option<Timestamp>,
}

/// What this run saw of one document.
#[derive(Debug, Clone, PartialEq)]
pub enum Observed {
    /// The document is there with this text digest.
    Present {
        /// Stable key within the job.
        key: String,
        /// SHA-256 of its text.
        content: Sha256Digest,
    },
    /// The source said it is gone (HTTP 404 or 410).
    Gone {
        /// Stable key within the job.
        key: String,
    },
}

impl Observed {
    fn key(&self) -> &str {
        match self {
            Self::Present { key, .. } | Self::Gone { key } => key,
        }
    }
}

/// Which known documents this run could have seen.
#[derive(Debug, Clone, PartialEq)]
pub enum Coverage {
    /// Only what was observed explicitly (URL lists, sitemaps, feeds):
    /// absence says nothing; only `Gone` marks a deletion.
    Observed,
    /// Every key `prefix` + number with the number in `low..=high` was in
    /// view (a Telegram channel page shows a contiguous run of posts), so a
    /// known post in that range that is absent was deleted.
    NumberRange {
        /// The part of the key before the post number (`channel/`).
        prefix: String,
        /// Lowest post number shown.
        low: u64,
        /// Highest post number shown.
        high: u64,
    },
}

impl Coverage {
    fn covers(&self, key: &str) -> bool {
        match self {
            Self::Observed => false,
            Self::NumberRange { prefix, low, high } => key
                .strip_prefix(prefix.as_str())
                .and_then(|n| n.parse::<u64>().ok())
                .is_some_and(|n| (*low..=*high).contains(&n)),
        }
    }
}

/// What to do with one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Never seen before: store it and run it through the pipeline.
    New(String),
    /// Seen before with other text: store the new version and rescan.
    Changed(String),
    /// Same text as before: only its last-seen time moves.
    Unchanged(String),
    /// It was marked deleted and is back (its text may differ).
    Restored(String),
    /// It disappeared: mark it deleted, keep everything stored.
    Deleted(String),
}

/// Compares this run's observations with the archive.
///
/// Observations are handled in order; a key observed twice counts once (the
/// first). Known documents not observed and not covered are left alone.
pub fn reconcile(known: &[Known], observed: &[Observed], coverage: &Coverage) -> Vec<Change> {
    use std::collections::{HashMap, HashSet};
    let by_key: HashMap<&str, &Known> = known.iter().map(|k| (k.key.as_str(), k)).collect();
    let mut seen: HashSet<&str> = HashSet::new();
    let mut changes = Vec::new();
    for o in observed {
        if !seen.insert(o.key()) {
            continue;
        }
        let prior = by_key.get(o.key());
        match (o, prior) {
            (Observed::Present { key, .. }, None) => changes.push(Change::New(key.clone())),
            (Observed::Present { key, content }, Some(k)) => {
                if k.deleted_at.is_some() {
                    changes.push(Change::Restored(key.clone()));
                } else if k.content != *content {
                    changes.push(Change::Changed(key.clone()));
                } else {
                    changes.push(Change::Unchanged(key.clone()));
                }
            }
            (Observed::Gone { key }, Some(k)) if k.deleted_at.is_none() => {
                changes.push(Change::Deleted(key.clone()));
            }
            (Observed::Gone { .. }, _) => {}
        }
    }
    for k in known {
        if k.deleted_at.is_none() && !seen.contains(k.key.as_str()) && coverage.covers(&k.key) {
            changes.push(Change::Deleted(k.key.clone()));
        }
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(n: u8) -> Sha256Digest {
        Sha256Digest::from_bytes([n; 32])
    }

    fn known(key: &str, n: u8, deleted: bool) -> Known {
        Known {
            key: key.into(),
            content: d(n),
            deleted_at: deleted.then(Timestamp::now),
        }
    }

    fn present(key: &str, n: u8) -> Observed {
        Observed::Present {
            key: key.into(),
            content: d(n),
        }
    }

    #[test]
    fn channel_window_marks_only_posts_in_view() {
        let known = vec![
            known("chan/10", 1, false),
            known("chan/11", 1, false),
            known("chan/12", 1, false),
            known("chan/3", 1, false),
            known("chan/13", 1, true),
        ];
        let observed = vec![
            present("chan/10", 1),
            present("chan/12", 2),
            present("chan/13", 1),
            present("chan/14", 1),
        ];
        let coverage = Coverage::NumberRange {
            prefix: "chan/".into(),
            low: 10,
            high: 14,
        };
        let changes = reconcile(&known, &observed, &coverage);
        assert_eq!(
            changes,
            vec![
                Change::Unchanged("chan/10".into()),
                Change::Changed("chan/12".into()),
                Change::Restored("chan/13".into()),
                Change::New("chan/14".into()),
                Change::Deleted("chan/11".into()),
            ]
        );
    }

    #[test]
    fn pages_are_deleted_only_when_gone() {
        let known = vec![
            known("https://a/1", 1, false),
            known("https://a/2", 1, false),
        ];
        let observed = vec![
            Observed::Gone {
                key: "https://a/1".into(),
            },
            Observed::Gone {
                key: "https://a/9".into(),
            },
        ];
        let changes = reconcile(&known, &observed, &Coverage::Observed);
        assert_eq!(changes, vec![Change::Deleted("https://a/1".into())]);
    }
}
