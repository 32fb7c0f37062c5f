//! Blocking and takedown requests to «Кибернадзор» or to a platform, and how
//! platforms answer them.
//!
//! The study is explicit (2.3.2, 5.3): before access to a resource is
//! restricted, its content must be preserved — otherwise the evidence is gone
//! with the site. So a [`TakedownRequest`] cannot be created without a
//! [`CaptureProof`] of the same resource from the evidence vault. Reply
//! deadlines come from a platform table ([`PlatformTable`]) whose hours are
//! configurable defaults, and [`sla_report`] measures platforms against them
//! (the SLAs with platforms recommended in 3.1 and 5.2).

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use toml::Spanned;
use uuid::Uuid;

use crate::error::{LoadErrorKind, LoadErrors, Source};
use crate::utc_iso;

/// The shipped platform table; its hours are defaults, not legal facts.
pub const DEFAULT_PLATFORMS: &str = include_str!("../data/platforms.toml");

/// What kind of recipient a platform entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecipientKind {
    /// A social network or messenger that removes content itself.
    Platform,
    /// Any other website or its hosting provider.
    Hosting,
    /// «Кибернадзор», which restricts access in Kazakhstan.
    Authority,
}

/// One recipient of takedown requests and the reply time the agency expects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlatformSla {
    /// Stable key, e.g. `telegram`.
    pub key: String,
    /// Display name.
    pub name: String,
    /// What kind of recipient it is.
    pub kind: RecipientKind,
    /// Expected reply time in clock hours from sending (a configurable
    /// default, not a legal deadline).
    pub reply_hours: u32,
}

/// The validated platform table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlatformTable {
    platforms: Vec<PlatformSla>,
    fallback: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTable {
    format: Spanned<u32>,
    fallback: Spanned<String>,
    platform: Vec<RawPlatform>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlatform {
    key: Spanned<String>,
    name: String,
    kind: RecipientKind,
    reply_hours: Spanned<u32>,
}

impl PlatformTable {
    /// The shipped table (telegram, instagram, tiktok, vk, whatsapp, youtube,
    /// website, kibernadzor).
    pub fn builtin() -> Result<PlatformTable, LoadErrors> {
        PlatformTable::from_toml("platforms.toml", DEFAULT_PLATFORMS)
    }

    /// Loads and checks a platform file: unique keys, reply hours between 1
    /// and 8760, an existing fallback entry.
    pub fn from_toml(name: &str, text: &str) -> Result<PlatformTable, LoadErrors> {
        let src = Source { name, text };
        let raw: RawTable = src.parse()?;
        let mut errors = Vec::new();
        src.check_format(&raw.format, &mut errors);
        let mut seen = BTreeMap::new();
        let mut platforms = Vec::new();
        for p in raw.platform {
            src.check_key(&p.key, &mut errors);
            src.unique("platform", &p.key, &mut seen, &mut errors);
            let hours = *p.reply_hours.get_ref();
            if !(1..=8760).contains(&hours) {
                errors.push(src.error(
                    p.reply_hours.span(),
                    LoadErrorKind::Invalid(format!(
                        "platform `{}`: reply_hours must be 1..=8760, not {hours}",
                        p.key.get_ref()
                    )),
                ));
            }
            platforms.push(PlatformSla {
                key: p.key.into_inner(),
                name: p.name,
                kind: p.kind,
                reply_hours: hours,
            });
        }
        if !platforms.iter().any(|p| &p.key == raw.fallback.get_ref()) {
            errors.push(src.error(
                raw.fallback.span(),
                LoadErrorKind::Invalid(format!(
                    "fallback `{}` is not a platform key",
                    raw.fallback.get_ref()
                )),
            ));
        }
        if errors.is_empty() {
            Ok(PlatformTable {
                platforms,
                fallback: raw.fallback.into_inner(),
            })
        } else {
            Err(LoadErrors(errors))
        }
    }

    /// All entries, in file order.
    pub fn platforms(&self) -> &[PlatformSla] {
        &self.platforms
    }

    /// One entry by key.
    pub fn get(&self, key: &str) -> Option<&PlatformSla> {
        self.platforms.iter().find(|p| p.key == key)
    }

    /// The entry for a resource on no listed platform (`website`), which
    /// the UI proposes when the officer picks no platform.
    pub fn fallback(&self) -> Option<&PlatformSla> {
        self.get(&self.fallback)
    }
}

/// Splits an http(s) URL into lower-case scheme, lower-case host[:port] and
/// the rest, or `None` if it is not one.
fn split_url(raw: &str) -> Option<(String, String, String)> {
    let s = raw.trim();
    if s.chars().any(char::is_whitespace) {
        return None;
    }
    let (scheme, rest) = s.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let rest = rest.split('#').next().unwrap_or("");
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let authority = authority.rsplit('@').next().unwrap_or("").to_lowercase();
    let default_port = if scheme == "http" { ":80" } else { ":443" };
    let mut host = authority
        .strip_suffix(default_port)
        .unwrap_or(&authority)
        .to_string();
    if host.ends_with('.') {
        host.pop();
    }
    if host.is_empty() || host.starts_with(':') {
        return None;
    }
    Some((scheme, host, tail.to_string()))
}

/// Normalises a URL enough to tell whether a capture and a takedown request
/// name the same resource: scheme and host lower-cased, default port, user
/// info, fragment and trailing slashes of the path dropped; the query kept.
/// `None` if it is not an http(s) URL.
pub fn normalize_url(raw: &str) -> Option<String> {
    let (scheme, host, tail) = split_url(raw)?;
    let (path, query) = match tail.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (tail.as_str(), None),
    };
    let path = path.trim_end_matches('/');
    Some(match query {
        Some(q) if !q.is_empty() => format!("{scheme}://{host}{path}?{q}"),
        _ => format!("{scheme}://{host}{path}"),
    })
}

/// Proof from the evidence vault that the resource was captured and its
/// hash verified; the only way to open a takedown request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaptureProof {
    /// The vault item holding the capture.
    pub vault_item_id: Uuid,
    /// SHA-256 of the capture, 64 lower-case hex digits.
    pub sha256: String,
    /// When the vault last verified the hash.
    pub verified_at: DateTime<Utc>,
    /// The URL that was captured.
    pub captured_url: String,
}

/// What the officer fills in to open a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewTakedown {
    /// Id chosen by the caller (the store's primary key).
    pub id: Uuid,
    /// The case it belongs to.
    pub case_ref: String,
    /// The resource to block or remove.
    pub url: String,
    /// Key in the [`PlatformTable`] (e.g. `telegram`, `kibernadzor`).
    pub platform: String,
    /// The addressee (e.g. the platform's law-enforcement contact).
    pub recipient: String,
    /// The legal basis cited (e.g. art. 41-1 of the Law «О связи»).
    pub legal_basis: String,
    /// Who opens it.
    pub created_by: String,
}

/// Where a request is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TakedownState {
    /// Prepared, not sent.
    Draft,
    /// Sent; waiting for a reply.
    Sent,
    /// The recipient confirmed receipt.
    Acknowledged,
    /// The content was removed or access restricted (final).
    Removed,
    /// Part of the content was removed; a follow-up may still remove the rest.
    PartiallyRemoved,
    /// The recipient refused (final).
    Refused,
    /// The deadline passed without a reply; a late reply may still come.
    NoReply,
    /// Withdrawn by the agency (final).
    Withdrawn,
}

impl fmt::Display for TakedownState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TakedownState::Draft => "draft",
            TakedownState::Sent => "sent",
            TakedownState::Acknowledged => "acknowledged",
            TakedownState::Removed => "removed",
            TakedownState::PartiallyRemoved => "partially_removed",
            TakedownState::Refused => "refused",
            TakedownState::NoReply => "no_reply",
            TakedownState::Withdrawn => "withdrawn",
        })
    }
}

/// What a recipient answered (or that it did not).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum ReplyOutcome {
    /// Receipt confirmed, decision pending.
    Acknowledged,
    /// Removed or restricted.
    Removed,
    /// Refused, with the recipient's reason.
    Refused {
        /// The reason given.
        reason: String,
    },
    /// Partly removed; what remains.
    Partially {
        /// What was and was not removed.
        note: String,
    },
    /// Recorded by the officer once the deadline passed with no answer.
    NoReply,
}

/// One recorded reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply {
    /// When it arrived (or, for no reply, when it was recorded).
    pub at: DateTime<Utc>,
    /// Who recorded it.
    pub by: String,
    /// What it said (flattened: `{"outcome": "refused", "reason": …}`).
    #[serde(flatten)]
    pub outcome: ReplyOutcome,
}

impl Reply {
    /// Whether this is an answer from the recipient (anything but no reply).
    pub fn is_answer(&self) -> bool {
        self.outcome != ReplyOutcome::NoReply
    }
}

/// Why a request could not be opened or changed. Every message names the
/// resource or the request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TakedownError {
    /// Preserve before blocking (study 2.3.2, 5.3).
    #[error(
        "no capture proof for {url}: preserve the resource in the vault before requesting its blocking"
    )]
    NotPreserved {
        /// The resource.
        url: String,
    },
    /// The capture is of another resource.
    #[error("capture {vault_item_id} is of {captured_url}, not of {url}")]
    CaptureOfOtherResource {
        /// The resource.
        url: String,
        /// What was captured.
        captured_url: String,
        /// The vault item.
        vault_item_id: Uuid,
    },
    /// The capture's hash is malformed.
    #[error("capture {vault_item_id} of {url}: sha256 `{sha256}` is not 64 hex digits")]
    BadHash {
        /// The resource.
        url: String,
        /// The hash as given.
        sha256: String,
        /// The vault item.
        vault_item_id: Uuid,
    },
    /// The capture claims a verification later than now.
    #[error("capture {vault_item_id} of {url} is verified at {}, later than now ({})", utc_iso(*.verified_at), utc_iso(*.now))]
    VerifiedInFuture {
        /// The resource.
        url: String,
        /// The vault item.
        vault_item_id: Uuid,
        /// Its verification time.
        verified_at: DateTime<Utc>,
        /// The time of the request.
        now: DateTime<Utc>,
    },
    /// Not an http(s) URL.
    #[error("`{0}` is not an http(s) URL")]
    BadUrl(String),
    /// The platform key is not in the table.
    #[error("unknown platform `{platform}` for {url} (not in the platform table)")]
    UnknownPlatform {
        /// The resource.
        url: String,
        /// The key given.
        platform: String,
    },
    /// A required field is blank.
    #[error("takedown request for {url}: {field} is empty")]
    Empty {
        /// The resource.
        url: String,
        /// The field.
        field: &'static str,
    },
    /// The action is not allowed in the current state.
    #[error("takedown request {id} for {url}: cannot {action} when {state}")]
    InvalidTransition {
        /// The request.
        id: Uuid,
        /// The resource.
        url: String,
        /// What was attempted.
        action: &'static str,
        /// The current state.
        state: TakedownState,
    },
    /// A time earlier than the event it must follow.
    #[error("takedown request {id} for {url}: time {} is before {}", utc_iso(*.at), utc_iso(*.earliest))]
    OutOfOrder {
        /// The request.
        id: Uuid,
        /// The resource.
        url: String,
        /// The time given.
        at: DateTime<Utc>,
        /// The earliest allowed.
        earliest: DateTime<Utc>,
    },
}

/// A blocking or takedown request, from draft to the recipient's decision.
///
/// Fields are private so the preservation check and the transitions cannot
/// be bypassed; it serialises to JSON for the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TakedownRequest {
    id: Uuid,
    case_ref: String,
    url: String,
    normalized_url: String,
    platform: String,
    recipient: String,
    legal_basis: String,
    capture: CaptureProof,
    created_by: String,
    created_at: DateTime<Utc>,
    /// Copied from the table when opened, so later edits of the table do
    /// not rewrite the deadline of requests already made.
    reply_hours: u32,
    state: TakedownState,
    sent_at: Option<DateTime<Utc>>,
    replies: Vec<Reply>,
}

fn is_sha256(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

impl TakedownRequest {
    /// Opens a request in the draft state. Refuses without a capture proof,
    /// with a proof of another URL or with a malformed one.
    pub fn new(
        new: NewTakedown,
        capture: Option<CaptureProof>,
        platforms: &PlatformTable,
        now: DateTime<Utc>,
    ) -> Result<TakedownRequest, TakedownError> {
        let url = new.url.trim().to_string();
        let normalized_url =
            normalize_url(&url).ok_or_else(|| TakedownError::BadUrl(url.clone()))?;
        let Some(capture) = capture else {
            return Err(TakedownError::NotPreserved { url });
        };
        if normalize_url(&capture.captured_url).as_deref() != Some(normalized_url.as_str()) {
            return Err(TakedownError::CaptureOfOtherResource {
                url,
                captured_url: capture.captured_url,
                vault_item_id: capture.vault_item_id,
            });
        }
        if !is_sha256(&capture.sha256) {
            return Err(TakedownError::BadHash {
                url,
                sha256: capture.sha256,
                vault_item_id: capture.vault_item_id,
            });
        }
        if capture.verified_at > now {
            return Err(TakedownError::VerifiedInFuture {
                url,
                vault_item_id: capture.vault_item_id,
                verified_at: capture.verified_at,
                now,
            });
        }
        for (field, value) in [
            ("case_ref", &new.case_ref),
            ("recipient", &new.recipient),
            ("legal_basis", &new.legal_basis),
            ("created_by", &new.created_by),
        ] {
            if value.trim().is_empty() {
                return Err(TakedownError::Empty { url, field });
            }
        }
        let sla = platforms
            .get(&new.platform)
            .ok_or_else(|| TakedownError::UnknownPlatform {
                url: url.clone(),
                platform: new.platform.clone(),
            })?;
        Ok(TakedownRequest {
            id: new.id,
            case_ref: new.case_ref,
            url,
            normalized_url,
            platform: new.platform,
            recipient: new.recipient,
            legal_basis: new.legal_basis,
            capture,
            created_by: new.created_by,
            created_at: now,
            reply_hours: sla.reply_hours,
            state: TakedownState::Draft,
            sent_at: None,
            replies: Vec::new(),
        })
    }

    fn refuse(&self, action: &'static str) -> TakedownError {
        TakedownError::InvalidTransition {
            id: self.id,
            url: self.url.clone(),
            action,
            state: self.state,
        }
    }

    fn not_before(&self, at: DateTime<Utc>, earliest: DateTime<Utc>) -> Result<(), TakedownError> {
        if at < earliest {
            return Err(TakedownError::OutOfOrder {
                id: self.id,
                url: self.url.clone(),
                at,
                earliest,
            });
        }
        Ok(())
    }

    /// Records that the request was sent; starts the reply clock.
    pub fn send(&mut self, at: DateTime<Utc>) -> Result<(), TakedownError> {
        if self.state != TakedownState::Draft {
            return Err(self.refuse("send"));
        }
        self.not_before(at, self.created_at)?;
        self.sent_at = Some(at);
        self.state = TakedownState::Sent;
        Ok(())
    }

    /// Records a reply. Allowed: acknowledged after sent; removed, partially
    /// or refused after sent, acknowledged or no reply (a late answer);
    /// removed after partially; no reply only once the deadline has passed.
    pub fn record_reply(&mut self, reply: Reply) -> Result<(), TakedownError> {
        use TakedownState as S;
        let (Some(sent), Some(deadline)) = (self.sent_at, self.reply_deadline()) else {
            return Err(self.refuse("record a reply"));
        };
        let next = match (&reply.outcome, self.state) {
            (ReplyOutcome::Acknowledged, S::Sent | S::NoReply) => S::Acknowledged,
            (
                ReplyOutcome::Removed,
                S::Sent | S::Acknowledged | S::NoReply | S::PartiallyRemoved,
            ) => S::Removed,
            (ReplyOutcome::Partially { .. }, S::Sent | S::Acknowledged | S::NoReply) => {
                S::PartiallyRemoved
            }
            (ReplyOutcome::Refused { .. }, S::Sent | S::Acknowledged | S::NoReply) => S::Refused,
            (ReplyOutcome::NoReply, S::Sent | S::Acknowledged) => S::NoReply,
            _ => return Err(self.refuse("record this reply")),
        };
        let earliest = match reply.outcome {
            ReplyOutcome::NoReply => deadline,
            _ => self.replies.last().map_or(sent, |r| r.at.max(sent)),
        };
        self.not_before(reply.at, earliest)?;
        self.replies.push(reply);
        self.state = next;
        Ok(())
    }

    /// Withdraws a request that is not finally decided (the resource is
    /// already gone, or a partial removal is accepted).
    pub fn withdraw(&mut self) -> Result<(), TakedownError> {
        match self.state {
            TakedownState::Draft
            | TakedownState::Sent
            | TakedownState::Acknowledged
            | TakedownState::NoReply
            | TakedownState::PartiallyRemoved => {
                self.state = TakedownState::Withdrawn;
                Ok(())
            }
            _ => Err(self.refuse("withdraw")),
        }
    }

    /// Request id.
    pub fn id(&self) -> Uuid {
        self.id
    }
    /// The case.
    pub fn case_ref(&self) -> &str {
        &self.case_ref
    }
    /// The resource as entered.
    pub fn url(&self) -> &str {
        &self.url
    }
    /// The resource as compared with captures.
    pub fn normalized_url(&self) -> &str {
        &self.normalized_url
    }
    /// Platform key.
    pub fn platform(&self) -> &str {
        &self.platform
    }
    /// Addressee.
    pub fn recipient(&self) -> &str {
        &self.recipient
    }
    /// Legal basis cited.
    pub fn legal_basis(&self) -> &str {
        &self.legal_basis
    }
    /// The capture that allowed the request.
    pub fn capture(&self) -> &CaptureProof {
        &self.capture
    }
    /// Who opened it.
    pub fn created_by(&self) -> &str {
        &self.created_by
    }
    /// When it was opened.
    pub fn created_at(&self) -> DateTime<Utc> {
        self.created_at
    }
    /// Current state.
    pub fn state(&self) -> TakedownState {
        self.state
    }
    /// When it was sent.
    pub fn sent_at(&self) -> Option<DateTime<Utc>> {
        self.sent_at
    }
    /// Replies in the order recorded.
    pub fn replies(&self) -> &[Reply] {
        &self.replies
    }

    /// When the recipient is expected to have replied (sent + reply hours).
    pub fn reply_deadline(&self) -> Option<DateTime<Utc>> {
        self.sent_at
            .map(|s| s + Duration::hours(i64::from(self.reply_hours)))
    }

    /// The first answer (anything but "no reply").
    pub fn first_answer(&self) -> Option<&Reply> {
        self.replies.iter().find(|r| r.is_answer())
    }

    /// Sent, not withdrawn, unanswered, and past its deadline at `now`.
    pub fn is_overdue(&self, now: DateTime<Utc>) -> bool {
        self.state != TakedownState::Withdrawn
            && self.first_answer().is_none()
            && self.reply_deadline().is_some_and(|d| now > d)
    }
}

/// How one platform performed, for the SLA reporting the study recommends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlatformSlaRow {
    /// Platform key.
    pub platform: String,
    /// Requests sent (drafts are not counted).
    pub requests: usize,
    /// Requests with at least one answer.
    pub answered: usize,
    /// Requests whose first answer came by the deadline.
    pub answered_in_time: usize,
    /// Requests now removed.
    pub removed: usize,
    /// Requests now partially removed.
    pub partially_removed: usize,
    /// Requests now refused.
    pub refused: usize,
    /// Requests unanswered and past their deadline at `now` (withdrawn ones excluded).
    pub overdue_now: usize,
    /// Median hours from sending to first answer.
    pub median_response_hours: Option<f64>,
    /// 90th percentile (nearest rank) of the same.
    pub p90_response_hours: Option<f64>,
    /// `answered_in_time` over requests that are due (answered, or
    /// unanswered past the deadline and not withdrawn); `None` if none is due.
    pub compliance_rate: Option<f64>,
}

/// The median of sorted values (mean of the middle two when even).
fn median(sorted: &[f64]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => sorted.get(n / 2).copied(),
        _ => Some((sorted.get(n / 2 - 1)? + sorted.get(n / 2)?) / 2.0),
    }
}

/// Nearest-rank percentile of sorted values: the ⌈p·n⌉-th smallest.
fn percentile(sorted: &[f64], p: u32) -> Option<f64> {
    let n = sorted.len();
    let rank = (n * p as usize).div_ceil(100).max(1);
    sorted.get(rank - 1).copied()
}

/// Per-platform SLA figures at `now`, sorted by platform key.
pub fn sla_report(requests: &[TakedownRequest], now: DateTime<Utc>) -> Vec<PlatformSlaRow> {
    let mut by_platform: BTreeMap<&str, Vec<&TakedownRequest>> = BTreeMap::new();
    for r in requests.iter().filter(|r| r.sent_at.is_some()) {
        by_platform.entry(&r.platform).or_default().push(r);
    }
    by_platform
        .into_iter()
        .map(|(platform, rs)| {
            let mut hours = Vec::new();
            let (mut in_time, mut due) = (0, 0);
            for r in &rs {
                match (r.first_answer(), r.sent_at, r.reply_deadline()) {
                    (Some(a), Some(sent), Some(deadline)) => {
                        hours.push((a.at - sent).num_seconds() as f64 / 3600.0);
                        due += 1;
                        if a.at <= deadline {
                            in_time += 1;
                        }
                    }
                    _ if r.is_overdue(now) => due += 1,
                    _ => {}
                }
            }
            hours.sort_by(f64::total_cmp);
            let count = |s: TakedownState| rs.iter().filter(|r| r.state == s).count();
            PlatformSlaRow {
                platform: platform.to_string(),
                requests: rs.len(),
                answered: hours.len(),
                answered_in_time: in_time,
                removed: count(TakedownState::Removed),
                partially_removed: count(TakedownState::PartiallyRemoved),
                refused: count(TakedownState::Refused),
                overdue_now: rs.iter().filter(|r| r.is_overdue(now)).count(),
                median_response_hours: median(&hours),
                p90_response_hours: percentile(&hours, 90),
                compliance_rate: (due > 0).then(|| in_time as f64 / due as f64),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    const HASH: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    const URL: &str = "https://t.me/jobs_abroad";

    fn t(h: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 3, 1, 0, 0, 0).unwrap() + Duration::hours(h)
    }

    fn proof(url: &str) -> CaptureProof {
        let (id, sha256) = (Uuid::from_u128(7), HASH.into());
        CaptureProof {
            vault_item_id: id,
            sha256,
            verified_at: t(0),
            captured_url: url.into(),
        }
    }

    /// Opens request `id` for `url` on `platform` with an optional capture.
    fn open(
        id: u128,
        url: &str,
        platform: &str,
        capture: Option<CaptureProof>,
    ) -> Result<TakedownRequest, TakedownError> {
        let new = NewTakedown {
            id: Uuid::from_u128(id),
            case_ref: "CASE-2025-0001".into(),
            url: url.into(),
            platform: platform.into(),
            recipient: "Trust & Safety".into(),
            legal_basis: "Закон РК «О связи», ст. 41-1".into(),
            created_by: "investigator-01".into(),
        };
        TakedownRequest::new(new, capture, &PlatformTable::builtin().unwrap(), t(0))
    }

    fn reply(h: i64, outcome: ReplyOutcome) -> Reply {
        Reply {
            at: t(h),
            by: "investigator-01".into(),
            outcome,
        }
    }

    #[test]
    fn builtin_table_has_every_recipient() {
        let p = PlatformTable::builtin().unwrap();
        let keys: Vec<&str> = p.platforms().iter().map(|p| p.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "telegram",
                "instagram",
                "tiktok",
                "vk",
                "whatsapp",
                "youtube",
                "website",
                "kibernadzor"
            ]
        );
        assert_eq!(p.get("kibernadzor").unwrap().kind, RecipientKind::Authority);
        assert_eq!(p.fallback().unwrap().reply_hours, 120);
    }

    #[test]
    fn bad_platform_file_is_positioned() {
        let text = "format = 1\nfallback = \"web\"\n\n[[platform]]\nkey = \"a\"\nname = \"A\"\nkind = \"platform\"\nreply_hours = 0\n";
        let e = PlatformTable::from_toml("p.toml", text).unwrap_err();
        let msgs: Vec<String> = e.errors().iter().map(ToString::to_string).collect();
        assert_eq!(
            msgs,
            [
                "p.toml:8:15: platform `a`: reply_hours must be 1..=8760, not 0",
                "p.toml:2:12: fallback `web` is not a platform key"
            ]
        );
    }

    #[test]
    fn normalisation_compares_scheme_host_case_and_trailing_slash() {
        let n = normalize_url;
        assert_eq!(
            n("HTTPS://Kyzdar.Example:443/Ads/12/#top").unwrap(),
            "https://kyzdar.example/Ads/12"
        );
        assert_eq!(n("https://kyzdar.example/?"), n("https://KYZDAR.example"));
        assert_ne!(n("https://a.example/x?id=1"), n("https://a.example/x?id=2"));
        assert_ne!(n("http://a.example/"), n("https://a.example/"));
        assert_ne!(
            n("https://a.example/Ads"),
            n("https://a.example/ads"),
            "paths are case-sensitive"
        );
        assert!(n("t.me/channel").is_none());
        assert!(n("https:///x").is_none());
    }

    #[test]
    fn refuses_without_a_capture_of_the_same_resource() {
        let err = open(1, URL, "telegram", None).unwrap_err();
        assert_eq!(err, TakedownError::NotPreserved { url: URL.into() });
        assert!(
            err.to_string()
                .starts_with("no capture proof for https://t.me/jobs_abroad:")
        );
        let err = open(1, URL, "telegram", Some(proof("https://t.me/other"))).unwrap_err();
        assert!(
            matches!(err, TakedownError::CaptureOfOtherResource { .. }),
            "{err}"
        );
        assert!(err.to_string().contains(URL));
        let ok = open(1, URL, "telegram", Some(proof("HTTPS://T.ME/jobs_abroad/"))).unwrap();
        assert_eq!(
            (ok.state(), ok.capture().sha256.as_str()),
            (TakedownState::Draft, HASH)
        );
        let mut bad = proof(URL);
        bad.sha256 = "abc".into();
        assert!(matches!(
            open(1, URL, "telegram", Some(bad)),
            Err(TakedownError::BadHash { .. })
        ));
        let mut late = proof(URL);
        late.verified_at = t(5);
        assert!(matches!(
            open(1, URL, "telegram", Some(late)),
            Err(TakedownError::VerifiedInFuture { .. })
        ));
        assert!(matches!(
            open(1, URL, "tg", Some(proof(URL))),
            Err(TakedownError::UnknownPlatform { .. })
        ));
    }

    #[test]
    fn transitions_follow_the_lifecycle() {
        let mut r = open(1, URL, "telegram", Some(proof(URL))).unwrap();
        let invalid = r.record_reply(reply(2, ReplyOutcome::Removed));
        assert!(matches!(
            invalid,
            Err(TakedownError::InvalidTransition { .. })
        ));
        r.send(t(2)).unwrap();
        assert_eq!(r.reply_deadline(), Some(t(74)), "telegram: 72 h");
        assert!(r.send(t(3)).is_err(), "cannot send twice");
        let early = r.record_reply(reply(10, ReplyOutcome::NoReply));
        assert!(
            matches!(early, Err(TakedownError::OutOfOrder { .. })),
            "no reply before the deadline"
        );
        r.record_reply(reply(80, ReplyOutcome::NoReply)).unwrap();
        assert_eq!(r.state(), TakedownState::NoReply);
        r.record_reply(reply(
            90,
            ReplyOutcome::Partially {
                note: "2 of 3 posts".into(),
            },
        ))
        .unwrap();
        r.record_reply(reply(95, ReplyOutcome::Removed)).unwrap();
        assert_eq!(r.state(), TakedownState::Removed);
        assert!(r.withdraw().is_err());
        assert_eq!(r.first_answer().unwrap().at, t(90));
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(
            (
                json["state"].as_str(),
                json["replies"][1]["outcome"].as_str()
            ),
            (Some("removed"), Some("partially"))
        );
        assert_eq!(json["replies"][1]["note"], "2 of 3 posts");
        let back: TakedownRequest = serde_json::from_value(json).unwrap();
        assert_eq!(back, r);
    }

    /// Telegram (72 h): answers after 10, 20, 30, 80 hours, one unanswered
    /// and overdue, one unanswered and not yet due, one draft; VK: one.
    #[test]
    fn sla_report_with_hand_computed_figures() {
        use ReplyOutcome::{Acknowledged, Removed};
        let refused = ReplyOutcome::Refused {
            reason: "not against our terms".into(),
        };
        let partly = ReplyOutcome::Partially {
            note: "one post left".into(),
        };
        type Case = (&'static str, Option<i64>, Vec<(i64, ReplyOutcome)>);
        let cases: [Case; 8] = [
            ("telegram", Some(0), vec![(10, Removed)]),
            ("telegram", Some(0), vec![(20, Acknowledged), (40, Removed)]),
            ("telegram", Some(0), vec![(30, refused)]),
            ("telegram", Some(0), vec![(80, Removed)]),
            ("telegram", Some(0), vec![]),
            ("telegram", Some(100), vec![]),
            ("telegram", None, vec![]),
            ("vk", Some(0), vec![(6, partly)]),
        ];
        let mut all = Vec::new();
        for (i, (platform, sent, replies)) in cases.into_iter().enumerate() {
            let url = format!("https://example.org/{i}");
            let mut r = open(i as u128, &url, platform, Some(proof(&url))).unwrap();
            if let Some(s) = sent {
                r.send(t(s)).unwrap();
            }
            for (h, o) in replies {
                r.record_reply(reply(h, o)).unwrap();
            }
            all.push(r);
        }
        let rows = sla_report(&all, t(120));
        assert_eq!(rows.len(), 2);
        let tg = &rows[0];
        assert_eq!(tg.platform, "telegram");
        assert_eq!((tg.requests, tg.answered, tg.answered_in_time), (6, 4, 3));
        assert_eq!(
            (tg.removed, tg.refused, tg.partially_removed, tg.overdue_now),
            (3, 1, 0, 1)
        );
        // Response hours 10, 20, 30, 80: median (20+30)/2, p90 = 4th of 4.
        assert_eq!(
            (tg.median_response_hours, tg.p90_response_hours),
            (Some(25.0), Some(80.0))
        );
        // Due: 4 answered + 1 overdue; in time: 3.
        assert_eq!(tg.compliance_rate, Some(0.6));
        let vk = &rows[1];
        assert_eq!(
            (vk.requests, vk.partially_removed, vk.overdue_now),
            (1, 1, 0)
        );
        assert_eq!(
            (vk.median_response_hours, vk.compliance_rate),
            (Some(6.0), Some(1.0))
        );
    }

    #[test]
    fn percentile_is_nearest_rank() {
        let v: Vec<f64> = (1..=20).map(f64::from).collect();
        assert_eq!(percentile(&v, 90), Some(18.0));
        assert_eq!(percentile(&[5.0], 90), Some(5.0));
        assert_eq!(percentile(&[], 90), None);
        assert_eq!(median(&[1.0, 2.0, 9.0]), Some(2.0));
    }
}
