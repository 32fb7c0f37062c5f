//! Signals: a suspicious resource or identifier reported for response.
//!
//! The same ad is reported by the detection engine, by a partner system and
//! by three citizens; investigators must see one signal with five reports,
//! not five signals. A signal is therefore keyed by what it points to: its
//! resource, normalised ([`normalise_resource`]), or, when there is none, the
//! set of its identifiers. Every key is also kept on its own, so that a new
//! signal sharing a phone number or a wallet with an existing case is linked
//! to it.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Where a signal came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignalSource {
    /// Qorgau's own detection engine (a flagged document).
    Detection,
    /// A partner system over the API.
    Partner,
    /// A citizen through the public form.
    Complaint,
    /// Entered by hand by an analyst or investigator.
    Manual,
}

impl SignalSource {
    /// The name stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            SignalSource::Detection => "detection",
            SignalSource::Partner => "partner",
            SignalSource::Complaint => "complaint",
            SignalSource::Manual => "manual",
        }
    }
}

/// Where a signal stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignalStatus {
    /// Waiting for triage.
    New,
    /// Accepted into a case.
    Accepted,
    /// Looked at and dismissed, with a reason.
    Dismissed,
}

impl SignalStatus {
    /// The name stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            SignalStatus::New => "new",
            SignalStatus::Accepted => "accepted",
            SignalStatus::Dismissed => "dismissed",
        }
    }

    /// Reads a stored status.
    pub fn parse(text: &str) -> Option<Self> {
        [Self::New, Self::Accepted, Self::Dismissed]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

/// Why a signal was dismissed. The categories are what a lexicon reviewer
/// acts on: a genuine vacancy or an ordinary ad flagged is a false positive
/// of the detection rules (a phrase to weaken or an exception to add); the
/// others are not the rules' fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DismissalCategory {
    /// A genuine job offer or service, checked.
    Legitimate,
    /// Not about trafficking or exploitation at all (spam, fraud of
    /// another kind, news, a report about trafficking).
    NotTrafficking,
    /// The same thing as a signal or case already handled.
    Duplicate,
    /// Too little to act on (dead link, nothing identifiable).
    Insufficient,
    /// Outside the agencies' jurisdiction; passed on elsewhere.
    OutOfJurisdiction,
    /// Anything else, said in the reason.
    Other,
}

impl DismissalCategory {
    /// Every category.
    pub const ALL: [DismissalCategory; 6] = [
        Self::Legitimate,
        Self::NotTrafficking,
        Self::Duplicate,
        Self::Insufficient,
        Self::OutOfJurisdiction,
        Self::Other,
    ];

    /// The name stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Legitimate => "legitimate",
            Self::NotTrafficking => "not_trafficking",
            Self::Duplicate => "duplicate",
            Self::Insufficient => "insufficient",
            Self::OutOfJurisdiction => "out_of_jurisdiction",
            Self::Other => "other",
        }
    }

    /// Reads a category name.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == text.trim())
    }

    /// Whether a dismissal of this kind says the detection rules were
    /// wrong (what the lexicon review looks at first).
    pub fn is_false_positive(self) -> bool {
        matches!(self, Self::Legitimate | Self::NotTrafficking)
    }
}

/// Checks the words a triage decision is given: a person must say why,
/// in at least a few words, and not a novel.
pub fn check_reason(reason: &str) -> Result<String, SignalError> {
    let reason = reason.trim();
    let n = reason.chars().count();
    if n < 5 {
        return Err(SignalError::Invalid(
            "say why in the reason (at least 5 characters): it is kept for the lexicon's review"
                .into(),
        ));
    }
    if n > 2000 {
        return Err(SignalError::Invalid(format!(
            "the reason has {n} characters; at most 2000"
        )));
    }
    Ok(reason.to_owned())
}

/// What kind of identifier a signal names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentifierKind {
    /// A telephone number.
    Phone,
    /// An e-mail address.
    Email,
    /// An account on a platform (`telegram:@name`).
    Handle,
    /// A domain name.
    Domain,
    /// A payment card number.
    Card,
    /// A crypto wallet address.
    Wallet,
    /// A bank account (IBAN).
    Iban,
}

impl IdentifierKind {
    /// The name stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            IdentifierKind::Phone => "phone",
            IdentifierKind::Email => "email",
            IdentifierKind::Handle => "handle",
            IdentifierKind::Domain => "domain",
            IdentifierKind::Card => "card",
            IdentifierKind::Wallet => "wallet",
            IdentifierKind::Iban => "iban",
        }
    }
}

/// An identifier a signal points to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Identifier {
    /// Its kind.
    pub kind: IdentifierKind,
    /// Its value as reported.
    pub value: String,
}

impl Identifier {
    /// The value in the form two reports of the same identifier share:
    /// phones as `+` and digits (a Kazakh `8…` as `+7…`), e-mail, handles and
    /// domains lower-case without `@`/`www.`, cards and IBANs without spaces,
    /// wallets as written (their case is significant). `None` when nothing
    /// is left.
    pub fn normalised(&self) -> Option<String> {
        let v = self.value.trim();
        let out = match self.kind {
            IdentifierKind::Phone => {
                let digits: String = v.chars().filter(char::is_ascii_digit).collect();
                match (v.starts_with('+'), digits.len()) {
                    (_, 0) => String::new(),
                    (false, 11) if digits.starts_with('8') => format!("+7{}", &digits[1..]),
                    (false, 10) if digits.starts_with('7') => format!("+7{digits}"),
                    _ => format!("+{digits}"),
                }
            }
            IdentifierKind::Email => v.to_lowercase(),
            IdentifierKind::Handle => {
                let (platform, handle) = v.split_once(':').unwrap_or(("", v));
                let handle = handle.trim().trim_start_matches('@').to_lowercase();
                if handle.is_empty() {
                    String::new()
                } else if platform.trim().is_empty() {
                    handle
                } else {
                    format!("{}:{handle}", platform.trim().to_lowercase())
                }
            }
            IdentifierKind::Domain => v
                .trim_end_matches('.')
                .to_lowercase()
                .trim_start_matches("www.")
                .to_owned(),
            IdentifierKind::Card | IdentifierKind::Iban => v
                .chars()
                .filter(|c| !c.is_whitespace() && *c != '-')
                .collect::<String>()
                .to_uppercase(),
            IdentifierKind::Wallet => v.to_owned(),
        };
        (!out.is_empty()).then_some(out)
    }
}

/// A signal as submitted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignalDraft {
    /// Where it came from.
    pub source: SignalSource,
    /// The resource it points to (an ad, a channel, a site), if any.
    pub resource: Option<String>,
    /// Identifiers it points to.
    pub identifiers: Vec<Identifier>,
    /// What the reporter says, in their words.
    pub summary: String,
    /// Scenario, if the reporter or the detection engine gave one.
    pub scenario: Option<String>,
    /// Risk score from the detection engine, 0–1.
    pub risk: Option<f64>,
}

/// Why a signal cannot be taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignalError {
    /// Neither a resource nor an identifier.
    #[error("a signal must name a resource (URL) or at least one identifier")]
    NothingToPointAt,
    /// The resource is not an http(s) or t.me URL.
    #[error("resource {0:?} is not an http(s) URL")]
    BadResource(String),
    /// An identifier is empty once normalised.
    #[error("{kind} identifier {value:?} is empty")]
    EmptyIdentifier {
        /// Its kind.
        kind: &'static str,
        /// As given.
        value: String,
    },
    /// The summary is empty or too long.
    #[error("the summary must be 1 to {max} characters (got {got})")]
    Summary {
        /// Characters given.
        got: usize,
        /// The limit.
        max: usize,
    },
    /// A risk outside 0–1.
    #[error("risk {0} is not between 0 and 1")]
    Risk(String),
    /// A triage decision's reason is missing or too long.
    #[error("{0}")]
    Invalid(String),
}

#[cfg(test)]
mod triage_tests {
    use super::*;

    #[test]
    fn categories_round_trip_and_reasons_are_required() {
        for c in DismissalCategory::ALL {
            assert_eq!(DismissalCategory::parse(c.as_str()), Some(c));
        }
        assert_eq!(DismissalCategory::parse("boring"), None);
        assert!(DismissalCategory::Legitimate.is_false_positive());
        assert!(!DismissalCategory::Duplicate.is_false_positive());
        assert!(check_reason("  ok ").is_err());
        assert_eq!(
            check_reason(" настоящая вакансия, проверено ")
                .ok()
                .as_deref(),
            Some("настоящая вакансия, проверено")
        );
        assert!(check_reason(&"a".repeat(2001)).is_err());
    }
}

/// Longest summary kept, in characters.
pub const MAX_SUMMARY_CHARS: usize = 10_000;
/// Most identifiers one signal may carry.
pub const MAX_IDENTIFIERS: usize = 200;

/// What a signal is keyed by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignalKeys {
    /// The key that makes two reports one signal (hex SHA-256).
    pub dedup_key: String,
    /// The normalised resource.
    pub resource: Option<String>,
    /// Every (kind, normalised value), the resource as kind `resource`.
    pub keys: BTreeSet<(String, String)>,
}

impl SignalDraft {
    /// Checks the draft and computes its keys.
    pub fn keys(&self) -> Result<SignalKeys, SignalError> {
        let chars = self.summary.chars().count();
        if chars == 0 || chars > MAX_SUMMARY_CHARS {
            return Err(SignalError::Summary {
                got: chars,
                max: MAX_SUMMARY_CHARS,
            });
        }
        if let Some(r) = self.risk
            && !(0.0..=1.0).contains(&r)
        {
            return Err(SignalError::Risk(r.to_string()));
        }
        let resource = match self.resource.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(r) => {
                Some(normalise_resource(r).ok_or_else(|| SignalError::BadResource(r.to_owned()))?)
            }
        };
        let mut keys = BTreeSet::new();
        for id in self.identifiers.iter().take(MAX_IDENTIFIERS) {
            let value = id
                .normalised()
                .ok_or_else(|| SignalError::EmptyIdentifier {
                    kind: id.kind.as_str(),
                    value: id.value.clone(),
                })?;
            keys.insert((id.kind.as_str().to_owned(), value));
        }
        if resource.is_none() && keys.is_empty() {
            return Err(SignalError::NothingToPointAt);
        }
        let mut hasher = Sha256::new();
        match &resource {
            Some(r) => {
                hasher.update(b"resource\n");
                hasher.update(r.as_bytes());
            }
            None => {
                hasher.update(b"identifiers\n");
                for (k, v) in &keys {
                    hasher.update(k.as_bytes());
                    hasher.update(b"\t");
                    hasher.update(v.as_bytes());
                    hasher.update(b"\n");
                }
            }
        }
        if let Some(r) = &resource {
            keys.insert(("resource".to_owned(), r.clone()));
        }
        Ok(SignalKeys {
            dedup_key: hex::encode(hasher.finalize()),
            resource,
            keys,
        })
    }
}

/// Tracking parameters that make one ad look like many.
const TRACKING: &[&str] = &["fbclid", "gclid", "yclid", "igshid", "si", "ref"];

/// The form of a URL two reports of the same resource share: scheme and
/// host lower-case, `www.` and default ports dropped, fragment and tracking
/// parameters (`utm_*`, `fbclid`…) removed, remaining parameters sorted, a
/// Telegram preview (`t.me/s/NAME`) read as the channel (`t.me/NAME`).
/// `None` for anything that is not an http(s) URL with a host.
pub fn normalise_resource(text: &str) -> Option<String> {
    let mut url = url::Url::parse(text.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let host = url.host_str()?.to_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_owned();
    url.set_host(Some(&host)).ok()?;
    url.set_fragment(None);
    let _ = url.set_scheme("https");
    let _ = url.set_port(None);
    let mut pairs: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| !k.starts_with("utm_") && !TRACKING.contains(&k.as_ref()))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    pairs.sort();
    if pairs.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(pairs);
    }
    if host == "t.me"
        && let Some(rest) = url.path().strip_prefix("/s/")
    {
        let path = format!("/{rest}");
        url.set_path(&path);
    }
    let mut out = url.to_string();
    if url.path() != "/" && out.ends_with('/') && url.query().is_none() {
        out.pop();
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(resource: Option<&str>, ids: &[(IdentifierKind, &str)]) -> SignalDraft {
        SignalDraft {
            source: SignalSource::Manual,
            resource: resource.map(str::to_owned),
            identifiers: ids
                .iter()
                .map(|(k, v)| Identifier {
                    kind: *k,
                    value: (*v).to_owned(),
                })
                .collect(),
            summary: "Вакансия в Дубае, оплата вперёд".into(),
            scenario: None,
            risk: None,
        }
    }

    #[test]
    fn one_ad_reported_with_tracking_and_case_differences_is_one_signal() {
        let a = draft(
            Some("https://www.Example.kz/ad/77?utm_source=tg&b=2&a=1#photos"),
            &[],
        );
        let b = draft(Some("http://example.kz:80/ad/77?a=1&b=2&fbclid=XYZ"), &[]);
        assert_eq!(a.keys().unwrap().dedup_key, b.keys().unwrap().dedup_key);
        assert_eq!(
            a.keys().unwrap().resource.as_deref(),
            Some("https://example.kz/ad/77?a=1&b=2")
        );
        let c = draft(Some("https://example.kz/ad/78"), &[]);
        assert_ne!(a.keys().unwrap().dedup_key, c.keys().unwrap().dedup_key);
    }

    #[test]
    fn a_channel_preview_is_the_channel() {
        assert_eq!(
            normalise_resource("https://t.me/s/synthetic_jobs"),
            normalise_resource("https://t.me/synthetic_jobs/")
        );
    }

    #[test]
    fn identifiers_written_differently_are_one_key() {
        use IdentifierKind as K;
        let a = draft(
            None,
            &[
                (K::Phone, "8 (701) 123-45-67"),
                (K::Handle, "Telegram:@Dubai_Job"),
            ],
        );
        let b = draft(
            None,
            &[
                (K::Handle, "telegram:dubai_job"),
                (K::Phone, "+77011234567"),
            ],
        );
        assert_eq!(a.keys().unwrap().dedup_key, b.keys().unwrap().dedup_key);
        assert!(
            a.keys()
                .unwrap()
                .keys
                .contains(&("phone".to_owned(), "+77011234567".to_owned()))
        );
    }

    #[test]
    fn bad_signals_say_what_is_wrong() {
        assert_eq!(draft(None, &[]).keys(), Err(SignalError::NothingToPointAt));
        assert!(matches!(
            draft(Some("ftp://x.kz/a"), &[]).keys(),
            Err(SignalError::BadResource(_))
        ));
        assert!(matches!(
            draft(None, &[(IdentifierKind::Phone, "no digits")]).keys(),
            Err(SignalError::EmptyIdentifier { .. })
        ));
        let mut d = draft(Some("https://a.kz"), &[]);
        d.summary = String::new();
        assert!(matches!(d.keys(), Err(SignalError::Summary { .. })));
        d.summary = "x".into();
        d.risk = Some(1.5);
        assert!(matches!(d.keys(), Err(SignalError::Risk(_))));
    }

    proptest::proptest! {
        #[test]
        fn normalising_never_panics_and_is_idempotent(s in "\\PC{0,80}") {
            if let Some(n) = normalise_resource(&s) {
                proptest::prop_assert_eq!(normalise_resource(&n), Some(n.clone()));
            }
            for kind in [IdentifierKind::Phone, IdentifierKind::Handle, IdentifierKind::Domain, IdentifierKind::Card] {
                let _ = Identifier { kind, value: s.clone() }.normalised();
            }
        }
    }
}
