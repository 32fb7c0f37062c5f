//! Operational virtual identities (controlled accounts): who may use which
//! account, where and when, under which court authorisation, and the log of
//! what was done with it.
//!
//! The study finds that Kazakh law has no framework for such identities and
//! no clear line between infiltration and provocation (4.2, 5.1), and asks
//! for court authorisation, a record of every action and a ban on anything
//! that could be read as provocation (5.2). This module enforces the first
//! two mechanically and makes the officer acknowledge the third, item by
//! item, before each use ([`Safeguards::authorise_use`]). The safeguard texts
//! in `data/safeguards.toml` need legal review.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use toml::Spanned;
use uuid::Uuid;

use crate::error::{LoadErrors, Source};
use crate::{Text3, utc_iso};

/// The shipped safeguard list (needs legal review; see the file's header).
pub const DEFAULT_SAFEGUARDS: &str = include_str!("../data/safeguards.toml");

/// A court decision allowing the use of controlled accounts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Authorisation {
    /// Number of the decision.
    pub number: String,
    /// Court that issued it.
    pub court: String,
    /// Judge who signed it.
    pub judge: String,
    /// Start of validity (inclusive).
    pub valid_from: DateTime<Utc>,
    /// End of validity (exclusive).
    pub valid_until: DateTime<Utc>,
    /// Platform keys it covers (e.g. `telegram`), compared case-insensitively.
    pub platforms: Vec<String>,
}

impl Authorisation {
    fn covers(&self, platform: &str) -> bool {
        self.platforms
            .iter()
            .any(|p| p.trim().eq_ignore_ascii_case(platform))
    }
}

/// An account name of the identity on one platform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Handle {
    /// Platform key.
    pub platform: String,
    /// The handle (synthetic in tests).
    pub handle: String,
}

/// A controlled account persona, the officer who runs it and its legal basis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VirtualIdentity {
    /// Id in the store.
    pub id: Uuid,
    /// Its handles, one or more per platform.
    pub handles: Vec<Handle>,
    /// The officer responsible.
    pub officer: String,
    /// The officer's agency.
    pub agency: String,
    /// Court authorisations, current and past.
    pub authorisations: Vec<Authorisation>,
}

/// One safeguard the officer must acknowledge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Safeguard {
    /// Stable key, stored with each acknowledgement.
    pub key: String,
    /// Where it comes from (study section or general principle).
    pub source: String,
    /// The rule, in the first person, in three languages.
    pub text: Text3,
}

/// The validated safeguard list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Safeguards {
    items: Vec<Safeguard>,
    legal_reviewed: bool,
}

/// Permission to use one identity on one platform now; the server keeps it
/// with the session and attaches it to every logged action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsePermit {
    /// The identity.
    pub identity: Uuid,
    /// The platform key (lower case).
    pub platform: String,
    /// The identity's handles on that platform.
    pub handles: Vec<String>,
    /// The authorisation relied on.
    pub authorisation_number: String,
    /// Its court.
    pub court: String,
    /// The permit ends with the authorisation.
    pub valid_until: DateTime<Utc>,
    /// When it was granted.
    pub granted_at: DateTime<Utc>,
    /// Safeguard keys acknowledged, in list order.
    pub acknowledged: Vec<String>,
}

/// Why an identity may not be used (or an action not logged); each message
/// names the identity and says exactly what is missing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UseError {
    /// No court authorisation is recorded.
    #[error("identity {identity}: no court authorisation recorded")]
    NoAuthorisation {
        /// The identity.
        identity: Uuid,
    },
    /// An authorisation ends before it starts (a data entry mistake).
    #[error("identity {identity}: authorisation {number} ends before it starts")]
    InvalidAuthorisation {
        /// The identity.
        identity: Uuid,
        /// The decision number.
        number: String,
    },
    /// No authorisation names the platform.
    #[error("identity {identity}: platform `{platform}` is not covered by any authorisation (covered: {})", .covered.join(", "))]
    PlatformNotCovered {
        /// The identity.
        identity: Uuid,
        /// The platform asked for.
        platform: String,
        /// Platforms that are covered.
        covered: Vec<String>,
    },
    /// The covering authorisation has expired.
    #[error("identity {identity}: authorisation {number} expired on {}", utc_iso(*.valid_until))]
    Expired {
        /// The identity.
        identity: Uuid,
        /// The decision number (the latest to expire).
        number: String,
        /// When it ended.
        valid_until: DateTime<Utc>,
    },
    /// The covering authorisation has not started.
    #[error("identity {identity}: authorisation {number} is not valid until {}", utc_iso(*.valid_from))]
    NotYetValid {
        /// The identity.
        identity: Uuid,
        /// The decision number (the earliest to start).
        number: String,
        /// When it starts.
        valid_from: DateTime<Utc>,
    },
    /// The identity has no handle on the platform.
    #[error("identity {identity}: no handle on platform `{platform}`")]
    NoHandle {
        /// The identity.
        identity: Uuid,
        /// The platform.
        platform: String,
    },
    /// Some safeguards were not acknowledged.
    #[error("identity {identity}: safeguards not acknowledged: {}", .missing.join(", "))]
    SafeguardsNotAcknowledged {
        /// The identity.
        identity: Uuid,
        /// Keys of the safeguards missing, in list order.
        missing: Vec<String>,
    },
    /// An action outside the permit's time.
    #[error("identity {identity}: action at {} is outside the permit ({} to {})", utc_iso(*.at), utc_iso(*.granted_at), utc_iso(*.valid_until))]
    OutsidePermit {
        /// The identity.
        identity: Uuid,
        /// When the action happened.
        at: DateTime<Utc>,
        /// Permit start.
        granted_at: DateTime<Utc>,
        /// Permit end.
        valid_until: DateTime<Utc>,
    },
    /// A blank field in an action record.
    #[error("identity {identity}: action record has an empty {field}")]
    EmptyField {
        /// The identity.
        identity: Uuid,
        /// The field.
        field: &'static str,
    },
}

/// One thing done with an identity, for the log the study asks for ("фиксация
/// всех действий сотрудников", 5.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityAction {
    /// The identity.
    pub identity: Uuid,
    /// The case it served.
    pub case_ref: String,
    /// When.
    pub at: DateTime<Utc>,
    /// Who (user id of the officer).
    pub by: String,
    /// Platform key.
    pub platform: String,
    /// What was done (e.g. "replied to ad 12 in channel X").
    pub action: String,
}

impl IdentityAction {
    /// Records an action under a permit; refuses one outside the permit's
    /// time or with a blank case, officer or description.
    pub fn under(
        permit: &UsePermit,
        case_ref: &str,
        at: DateTime<Utc>,
        by: &str,
        action: &str,
    ) -> Result<IdentityAction, UseError> {
        let identity = permit.identity;
        if at < permit.granted_at || at >= permit.valid_until {
            return Err(UseError::OutsidePermit {
                identity,
                at,
                granted_at: permit.granted_at,
                valid_until: permit.valid_until,
            });
        }
        for (field, v) in [("case_ref", case_ref), ("by", by), ("action", action)] {
            if v.trim().is_empty() {
                return Err(UseError::EmptyField { identity, field });
            }
        }
        Ok(IdentityAction {
            identity,
            case_ref: case_ref.to_string(),
            at,
            by: by.to_string(),
            platform: permit.platform.clone(),
            action: action.to_string(),
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSafeguards {
    format: Spanned<u32>,
    legal_reviewed: bool,
    safeguard: Vec<RawSafeguard>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSafeguard {
    key: Spanned<String>,
    source: String,
    text_ru: Spanned<String>,
    text_kk: Spanned<String>,
    text_en: Spanned<String>,
}

impl Safeguards {
    /// The shipped list.
    pub fn builtin() -> Result<Safeguards, LoadErrors> {
        Safeguards::from_toml("safeguards.toml", DEFAULT_SAFEGUARDS)
    }

    /// Loads and checks a safeguard file: unique keys, texts in ru, kk, en.
    pub fn from_toml(name: &str, text: &str) -> Result<Safeguards, LoadErrors> {
        let src = Source { name, text };
        let raw: RawSafeguards = src.parse()?;
        let mut errors = Vec::new();
        src.check_format(&raw.format, &mut errors);
        let mut seen = BTreeMap::new();
        let mut items = Vec::new();
        for s in raw.safeguard {
            src.check_key(&s.key, &mut errors);
            src.unique("safeguard", &s.key, &mut seen, &mut errors);
            let text = src.text3(
                s.key.get_ref(),
                "text",
                [s.text_ru, s.text_kk, s.text_en],
                &mut errors,
            );
            items.push(Safeguard {
                key: s.key.into_inner(),
                source: s.source,
                text,
            });
        }
        if errors.is_empty() {
            Ok(Safeguards {
                items,
                legal_reviewed: raw.legal_reviewed,
            })
        } else {
            Err(LoadErrors(errors))
        }
    }

    /// The safeguards, in the order to show them.
    pub fn items(&self) -> &[Safeguard] {
        &self.items
    }

    /// Whether a lawyer has reviewed the list; the UI should say so if not.
    pub fn legal_reviewed(&self) -> bool {
        self.legal_reviewed
    }

    /// Decides whether `identity` may be used on `platform` at `now`.
    ///
    /// Checks, in order: an authorisation exists and is well-formed; one
    /// covers the platform; one covering it is valid now (otherwise: expired
    /// on the latest end, or not yet valid until the earliest start); the
    /// identity has a handle there; every safeguard is acknowledged.
    pub fn authorise_use(
        &self,
        identity: &VirtualIdentity,
        platform: &str,
        now: DateTime<Utc>,
        acknowledged: &BTreeSet<String>,
    ) -> Result<UsePermit, UseError> {
        let id = identity.id;
        let platform = platform.trim().to_lowercase();
        if identity.authorisations.is_empty() {
            return Err(UseError::NoAuthorisation { identity: id });
        }
        if let Some(a) = identity
            .authorisations
            .iter()
            .find(|a| a.valid_from >= a.valid_until)
        {
            return Err(UseError::InvalidAuthorisation {
                identity: id,
                number: a.number.clone(),
            });
        }
        let covering: Vec<&Authorisation> = identity
            .authorisations
            .iter()
            .filter(|a| a.covers(&platform))
            .collect();
        if covering.is_empty() {
            let covered: BTreeSet<String> = identity
                .authorisations
                .iter()
                .flat_map(|a| a.platforms.iter().map(|p| p.trim().to_lowercase()))
                .collect();
            return Err(UseError::PlatformNotCovered {
                identity: id,
                platform,
                covered: covered.into_iter().collect(),
            });
        }
        let valid = covering
            .iter()
            .filter(|a| a.valid_from <= now && now < a.valid_until)
            .max_by_key(|a| a.valid_until);
        let auth = match valid {
            Some(a) => *a,
            None => {
                let future = covering
                    .iter()
                    .filter(|a| a.valid_from > now)
                    .min_by_key(|a| a.valid_from);
                return Err(match future {
                    Some(a) => UseError::NotYetValid {
                        identity: id,
                        number: a.number.clone(),
                        valid_from: a.valid_from,
                    },
                    None => {
                        let last = covering.iter().max_by_key(|a| a.valid_until);
                        UseError::Expired {
                            identity: id,
                            number: last.map(|a| a.number.clone()).unwrap_or_default(),
                            valid_until: last.map_or(now, |a| a.valid_until),
                        }
                    }
                });
            }
        };
        let handles: Vec<String> = identity
            .handles
            .iter()
            .filter(|h| h.platform.trim().eq_ignore_ascii_case(&platform))
            .map(|h| h.handle.clone())
            .collect();
        if handles.is_empty() {
            return Err(UseError::NoHandle {
                identity: id,
                platform,
            });
        }
        let missing: Vec<String> = self
            .items
            .iter()
            .filter(|s| !acknowledged.contains(&s.key))
            .map(|s| s.key.clone())
            .collect();
        if !missing.is_empty() {
            return Err(UseError::SafeguardsNotAcknowledged {
                identity: id,
                missing,
            });
        }
        Ok(UsePermit {
            identity: id,
            platform,
            handles,
            authorisation_number: auth.number.clone(),
            court: auth.court.clone(),
            valid_until: auth.valid_until,
            granted_at: now,
            acknowledged: self.items.iter().map(|s| s.key.clone()).collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn day(d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 6, d, 0, 0, 0).unwrap()
    }

    fn auth(number: &str, from: u32, until: u32, platforms: &[&str]) -> Authorisation {
        Authorisation {
            number: number.into(),
            court: "Specialised investigative court (synthetic)".into(),
            judge: "Judge A. Testova".into(),
            valid_from: day(from),
            valid_until: day(until),
            platforms: platforms.iter().map(|p| p.to_string()).collect(),
        }
    }

    fn identity(auths: Vec<Authorisation>) -> VirtualIdentity {
        VirtualIdentity {
            id: Uuid::from_u128(42),
            handles: vec![
                Handle {
                    platform: "telegram".into(),
                    handle: "@aigerim_test_0001".into(),
                },
                Handle {
                    platform: "instagram".into(),
                    handle: "aigerim.test.0001".into(),
                },
            ],
            officer: "officer-07".into(),
            agency: "MVD cyber police (synthetic)".into(),
            authorisations: auths,
        }
    }

    fn all(s: &Safeguards) -> BTreeSet<String> {
        s.items().iter().map(|i| i.key.clone()).collect()
    }

    #[test]
    fn builtin_safeguards_load_and_are_flagged_for_review() {
        let s = Safeguards::builtin().unwrap();
        assert!(!s.legal_reviewed());
        let keys: Vec<&str> = s.items().iter().map(|i| i.key.as_str()).collect();
        for k in [
            "no_inducement",
            "join_only_existing",
            "no_sexual_content_minors",
            "record_every_contact",
        ] {
            assert!(keys.contains(&k), "{k}");
        }
    }

    #[test]
    fn permits_use_inside_a_covering_authorisation() {
        let s = Safeguards::builtin().unwrap();
        let id = identity(vec![
            auth("1-2025", 1, 10, &["Telegram"]),
            auth("2-2025", 5, 30, &["telegram", "tiktok"]),
        ]);
        let p = s.authorise_use(&id, "TELEGRAM", day(20), &all(&s)).unwrap();
        assert_eq!(p.authorisation_number, "2-2025");
        assert_eq!(p.handles, vec!["@aigerim_test_0001"]);
        assert_eq!(p.valid_until, day(30));
        let a = IdentityAction::under(&p, "CASE-1", day(21), "officer-07", "replied to a job ad")
            .unwrap();
        assert_eq!(a.platform, "telegram");
        assert!(matches!(
            IdentityAction::under(&p, "CASE-1", day(30), "officer-07", "x"),
            Err(UseError::OutsidePermit { .. })
        ));
        assert!(matches!(
            IdentityAction::under(&p, "CASE-1", day(21), "officer-07", " "),
            Err(UseError::EmptyField {
                field: "action",
                ..
            })
        ));
    }

    #[test]
    fn says_exactly_why_use_is_refused() {
        let s = Safeguards::builtin().unwrap();
        let ack = all(&s);
        let none = identity(vec![]);
        assert!(matches!(
            s.authorise_use(&none, "telegram", day(2), &ack),
            Err(UseError::NoAuthorisation { .. })
        ));

        let id = identity(vec![auth("7-2025", 1, 10, &["telegram"])]);
        let e = s.authorise_use(&id, "telegram", day(15), &ack).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "identity {}: authorisation 7-2025 expired on 2025-06-10T00:00:00Z (UTC)",
                id.id
            )
        );

        let id = identity(vec![
            auth("8-2025", 12, 20, &["telegram"]),
            auth("7-2025", 1, 10, &["telegram"]),
        ]);
        let e = s.authorise_use(&id, "telegram", day(11), &ack).unwrap_err();
        assert!(
            matches!(&e, UseError::NotYetValid { number, .. } if number == "8-2025"),
            "{e}"
        );

        let e = s.authorise_use(&id, "instagram", day(5), &ack).unwrap_err();
        assert_eq!(
            e,
            UseError::PlatformNotCovered {
                identity: id.id,
                platform: "instagram".into(),
                covered: vec!["telegram".into()]
            }
        );

        let id = identity(vec![auth("9-2025", 1, 10, &["tiktok"])]);
        assert!(matches!(
            s.authorise_use(&id, "tiktok", day(5), &ack),
            Err(UseError::NoHandle { .. })
        ));

        let id = identity(vec![auth("9-2025", 10, 1, &["telegram"])]);
        assert!(matches!(
            s.authorise_use(&id, "telegram", day(5), &ack),
            Err(UseError::InvalidAuthorisation { .. })
        ));
    }

    #[test]
    fn lists_unacknowledged_safeguards() {
        let s = Safeguards::builtin().unwrap();
        let id = identity(vec![auth("1-2025", 1, 10, &["telegram"])]);
        let mut ack = all(&s);
        ack.remove("no_inducement");
        ack.remove("record_every_contact");
        ack.insert("something_else".into());
        let e = s.authorise_use(&id, "telegram", day(5), &ack).unwrap_err();
        assert_eq!(
            e,
            UseError::SafeguardsNotAcknowledged {
                identity: id.id,
                missing: vec!["no_inducement".into(), "record_every_contact".into()]
            }
        );
        assert!(
            e.to_string()
                .ends_with("safeguards not acknowledged: no_inducement, record_every_contact")
        );
    }

    #[test]
    fn safeguard_file_needs_all_languages() {
        let text = "format = 1\nlegal_reviewed = false\n[[safeguard]]\nkey = \"x\"\nsource = \"s\"\ntext_ru = \"р\"\ntext_kk = \"қ\"\ntext_en = \"  \"\n";
        let e = Safeguards::from_toml("s.toml", text).unwrap_err();
        assert_eq!(
            e.to_string(),
            "s.toml:8:11: `x`: text_en is empty; every text needs ru, kk and en"
        );
    }
}
