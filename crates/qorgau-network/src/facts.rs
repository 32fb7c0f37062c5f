//! What the network stage is told about one document, and the funnel role it plays.
//!
//! The detection crates (identifiers, scores, clusters) run before this one; their results
//! reach it as plain strings so that this crate depends on none of them.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The identifier kind of a shared picture: a group of near-duplicate images that the
/// producer found in several documents (`qorgau scan` names each group `phash:<16 hex
/// digits>`, the pHash of its first picture). It links like any identifier, is judged as a
/// hub by its own rule ([`crate::HubRule::image_hub_docs`]), never names a network (its
/// value depends on the batch), and is drawn as an image node ([`crate::NodeKind::Image`]).
pub const IMAGE_KIND: &str = "image";

/// The facts about one document that networks are built from.
///
/// Kept as plain strings (identifier kinds such as `"phone"`, scenarios such as
/// `"escort_services"`) so that any producer — `qorgau scan`, a truth file, a test — can
/// feed the builder without linking the detection crates.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DocFacts {
    /// The document's id in its corpus; shown in every export.
    pub doc_id: String,
    /// When it was published, with the offset it was published in. Gives networks and mirror
    /// domains their time span.
    #[serde(
        default,
        serialize_with = "ser_time",
        deserialize_with = "de_time",
        skip_serializing_if = "Option::is_none"
    )]
    pub published_at: Option<DateTime<FixedOffset>>,
    /// Where it was found (`olx.kz`, `telegram:@channel`, `web:site.kz`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Who posted it, as the source names them (a display name, not an identity).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// Where it can be seen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The scenario the scorer gave it (`employment_abroad`, `escort_services`, `none`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario: Option<String>,
    /// An explicit funnel role, overriding the one derived from the scenario.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// Whether the scorer flagged it for a person to review.
    #[serde(default)]
    pub flagged: bool,
    /// Identifiers found in it, as `(kind, value)`, kinds as in the `qorgau scan` contract.
    #[serde(default)]
    pub identifiers: Vec<(String, String)>,
    /// Why the document carries some of its identifiers, keyed `kind:value`, when the
    /// producer derived them rather than read them in the text: for an [`IMAGE_KIND`]
    /// group, how far this document's picture is from the group's first one. Shown on the
    /// graph's edges and in the exports, so that the reason for a link can be checked.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub identifier_notes: BTreeMap<String, String>,
    /// Its near-duplicate template cluster, if the clustering stage gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    /// Language code (`ru`, `kk`, `en`, …); only passed through to exports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// A short title for exports; the first line of the text serves when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The text, only for the FollowTheMoney export (`bodyText`); leave it out for big corpora.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

impl DocFacts {
    /// A document with only an id, for building facts field by field.
    pub fn new(doc_id: impl Into<String>) -> Self {
        DocFacts {
            doc_id: doc_id.into(),
            ..DocFacts::default()
        }
    }

    /// Adds one identifier; a shorthand for tests and small producers.
    pub fn with_identifier(mut self, kind: &str, value: &str) -> Self {
        self.identifiers.push((kind.to_owned(), value.to_owned()));
        self
    }

    /// Adds one identifier with the reason the document carries it (see
    /// [`DocFacts::identifier_notes`]).
    pub fn with_noted_identifier(mut self, kind: &str, value: &str, note: &str) -> Self {
        self.identifiers.push((kind.to_owned(), value.to_owned()));
        self.identifier_notes
            .insert(format!("{kind}:{value}"), note.to_owned());
        self
    }

    /// The role this document plays: the explicit one, else the scenario's role when the
    /// document is flagged, else [`Role::Other`] (an unflagged ad is not part of a funnel).
    pub fn effective_role(&self) -> Role {
        if let Some(role) = self.role {
            return role;
        }
        if !self.flagged {
            return Role::Other;
        }
        self.scenario
            .as_deref()
            .map_or(Role::Other, Role::from_scenario)
    }
}

/// Reads a publication time as producers write it, so that one odd date never stops a build.
///
/// Accepts RFC 3339 (`2024-11-05T02:21:36+05:00`), the same with a space instead of `T`,
/// and zone-less date-times or dates, which are taken as UTC+5 (Kazakhstan, where the corpus
/// lives). Anything else gives `None`.
pub fn parse_time(text: &str) -> Option<DateTime<FixedOffset>> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t);
    }
    if let Ok(t) = DateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%:z") {
        return Some(t);
    }
    let almaty = FixedOffset::east_opt(5 * 3600)?;
    for format in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M"] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(text, format) {
            return naive.and_local_timezone(almaty).single();
        }
    }
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
    date.and_hms_opt(0, 0, 0)?
        .and_local_timezone(almaty)
        .single()
}

fn ser_time<S: Serializer>(t: &Option<DateTime<FixedOffset>>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.serialize_str(&t.to_rfc3339()),
        None => s.serialize_none(),
    }
}

fn de_time<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<FixedOffset>>, D::Error> {
    let text: Option<String> = Option::deserialize(d)?;
    Ok(text.as_deref().and_then(parse_time))
}

/// A document's place in the exploitation funnel, so that a network can be read as
/// "12 recruiting ads feeding 30 client-facing ads" rather than as a bag of documents.
///
/// Derived from the scenario ([`Role::from_scenario`]) unless the producer states it:
///
/// | scenario | role |
/// |---|---|
/// | `employment_abroad`, `modeling_webcam` | `Recruiting` (bait for victims) |
/// | `escort_services` | `ClientFacing` (ads selling the victims to clients) |
/// | `romance_grooming` | `Grooming` |
/// | `sextortion` | `Extortion` |
/// | `control` | `Control` (rules, debts and threats given to victims; no scenario of the scan contract maps here, so it comes from an explicit role) |
/// | anything else, `none` | `Other` |
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// Bait that recruits victims: jobs abroad, modelling, webcam, "online earnings".
    Recruiting,
    /// Ads that sell to clients: escort, "massage", leisure sites.
    ClientFacing,
    /// Rules, debts and threats addressed to the people already controlled.
    Control,
    /// Romantic contact and grooming, often of minors.
    Grooming,
    /// Threats to publish intimate material.
    Extortion,
    /// Not part of a funnel as far as the scorer can tell.
    Other,
}

impl Role {
    /// Every role, in the order reports list them.
    pub const ALL: [Role; 6] = [
        Role::Recruiting,
        Role::ClientFacing,
        Role::Control,
        Role::Grooming,
        Role::Extortion,
        Role::Other,
    ];

    /// The role of a scenario name, as the table on [`Role`] gives it.
    pub fn from_scenario(scenario: &str) -> Role {
        match scenario.trim().to_ascii_lowercase().as_str() {
            "employment_abroad" | "employment" | "modeling_webcam" | "modeling" | "webcam" => {
                Role::Recruiting
            }
            "escort_services" | "escort" => Role::ClientFacing,
            "romance_grooming" | "grooming" | "romance" => Role::Grooming,
            "sextortion" | "extortion" => Role::Extortion,
            "control" => Role::Control,
            _ => Role::Other,
        }
    }

    /// The stable snake-case name used in JSON and exports.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Recruiting => "recruiting",
            Role::ClientFacing => "client_facing",
            Role::Control => "control",
            Role::Grooming => "grooming",
            Role::Extortion => "extortion",
            Role::Other => "other",
        }
    }

    /// Words for a report line ("client-facing").
    pub fn describe(self) -> &'static str {
        match self {
            Role::Recruiting => "recruiting",
            Role::ClientFacing => "client-facing",
            Role::Control => "control",
            Role::Grooming => "grooming",
            Role::Extortion => "extortion",
            Role::Other => "other",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A role name that is none of [`Role::ALL`].
#[derive(Debug, thiserror::Error)]
#[error(
    "unknown role {0:?}: expected recruiting, client_facing, control, grooming, extortion or other"
)]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase().replace('-', "_");
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == lower)
            .ok_or_else(|| UnknownRole(s.to_owned()))
    }
}

impl Serialize for Role {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Role {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// How many documents of a network play each role: the funnel at a glance.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RoleCounts([usize; 6]);

impl RoleCounts {
    /// Counts one more document of `role`.
    pub fn add(&mut self, role: Role) {
        if let Some(slot) = self.0.get_mut(role as usize) {
            *slot += 1;
        }
    }

    /// How many documents play `role`.
    pub fn get(&self, role: Role) -> usize {
        self.0.get(role as usize).copied().unwrap_or(0)
    }

    /// A report line such as "12 recruiting, 30 client-facing" (roles with no document left
    /// out; `Other` last).
    pub fn describe(&self) -> String {
        let parts: Vec<String> = Role::ALL
            .into_iter()
            .filter(|r| self.get(*r) > 0)
            .map(|r| format!("{} {}", self.get(r), r.describe()))
            .collect();
        if parts.is_empty() {
            "no documents".to_owned()
        } else {
            parts.join(", ")
        }
    }
}

impl Serialize for RoleCounts {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(Role::ALL.len()))?;
        for role in Role::ALL {
            map.serialize_entry(role.as_str(), &self.get(role))?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_follow_the_documented_table() {
        assert_eq!(Role::from_scenario("employment_abroad"), Role::Recruiting);
        assert_eq!(Role::from_scenario("modeling_webcam"), Role::Recruiting);
        assert_eq!(Role::from_scenario("escort_services"), Role::ClientFacing);
        assert_eq!(Role::from_scenario("romance_grooming"), Role::Grooming);
        assert_eq!(Role::from_scenario("sextortion"), Role::Extortion);
        assert_eq!(Role::from_scenario("none"), Role::Other);
        assert_eq!(
            "client-facing".parse::<Role>().ok(),
            Some(Role::ClientFacing)
        );
        assert!("boss".parse::<Role>().is_err());
    }

    #[test]
    fn explicit_role_wins_and_unflagged_is_other() {
        let mut d = DocFacts::new("a");
        d.scenario = Some("escort_services".into());
        assert_eq!(d.effective_role(), Role::Other);
        d.flagged = true;
        assert_eq!(d.effective_role(), Role::ClientFacing);
        d.role = Some(Role::Control);
        assert_eq!(d.effective_role(), Role::Control);
    }

    #[test]
    fn times_parse_leniently() {
        let t = parse_time("2024-11-05T02:21:36+05:00").map(|t| t.to_rfc3339());
        assert_eq!(t.as_deref(), Some("2024-11-05T02:21:36+05:00"));
        let t = parse_time("2024-11-05 02:21:36").map(|t| t.to_rfc3339());
        assert_eq!(t.as_deref(), Some("2024-11-05T02:21:36+05:00"));
        assert!(parse_time("2024-11-05").is_some());
        assert!(parse_time("yesterday").is_none());
        let d: DocFacts =
            serde_json::from_str(r#"{"doc_id":"x","published_at":"not a date"}"#).unwrap();
        assert!(d.published_at.is_none());
    }
}
