//! Agencies, scenarios and regions as data: the vocabulary rules refer to.
//!
//! Agencies are data, not code: an administrator adds a crisis centre or a
//! new regional body by editing the agency file, and the rule file can only
//! name what that file defines.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::error::{LoadError, LoadErrorKind, LoadErrors, Source};

/// The part of a case an agency may see. A closed set: need-to-know access
/// (DOMAIN "Non-negotiables") is enforced by the server from these scopes, so
/// adding one is a code change that must be reviewed, not a data edit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// The suspicious resources and the case summary police need to act:
    /// URLs, channels, ads, scenario, region, the detection explanation.
    /// No victim contact details.
    Operational,
    /// Preserved items with their hashes, the inspection protocol and the
    /// chain of custody, for investigators and prosecutors (study 2.3.2, 5.3).
    Evidence,
    /// Extracted identifiers only — phones, handles, cards, IBANs, wallets —
    /// without content or victim data, for financial monitoring and
    /// link analysis (study 2.3.3, 3.5).
    Identifiers,
    /// What a social worker, NGO or child-rights officer needs to help the
    /// person: contact, needs, language, consent records. No evidence files
    /// (study 4.3: services even without a criminal case).
    VictimSupport,
    /// De-identified counts only (scenario, region, article, year), for
    /// bodies that keep statistics (study 4.1). Excludes every other scope.
    Statistics,
}

impl Scope {
    /// Every scope, in the order used in output.
    pub const ALL: [Scope; 5] = [
        Scope::Operational,
        Scope::Evidence,
        Scope::Identifiers,
        Scope::VictimSupport,
        Scope::Statistics,
    ];

    /// The identifier used in data files.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Operational => "operational",
            Scope::Evidence => "evidence",
            Scope::Identifiers => "identifiers",
            Scope::VictimSupport => "victim_support",
            Scope::Statistics => "statistics",
        }
    }

    /// Whether the scope contains data about persons (everything but statistics).
    pub fn is_personal(self) -> bool {
        self != Scope::Statistics
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Scope {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        Scope::ALL.into_iter().find(|x| x.as_str() == s).ok_or(())
    }
}

/// A name in the three interface languages (DOMAIN: ru, kk, en).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Names {
    /// Russian.
    pub ru: String,
    /// Kazakh.
    pub kk: String,
    /// English.
    pub en: String,
}

/// One kind of receiving agency (МВД cyber-police, prosecutor, …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agency {
    /// The code rules refer to, e.g. `mvd_cyber`.
    pub kind: String,
    /// Display names.
    pub name: Names,
    /// The role that receives escalations when this agency misses a deadline.
    pub supervisor_role: String,
    /// The scopes this agency may ever receive; a rule granting more is refused on load.
    pub scopes: Vec<Scope>,
}

/// A case scenario (form of exploitation) rules may test.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scenario {
    /// The identifier, e.g. `sexual_exploitation`.
    pub id: String,
    /// Display names.
    pub name: Names,
}

/// A region (oblast or city of republican significance) rules may test.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Region {
    /// ISO 3166-2:KZ code, e.g. `KZ-75` for Almaty city.
    pub code: String,
    /// Display names.
    pub name: Names,
}

/// The vocabulary the rule file is checked against: agencies, scenarios and regions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Directory {
    agencies: Vec<Agency>,
    scenarios: Vec<Scenario>,
    regions: Vec<Region>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDirectory {
    format: Spanned<u32>,
    #[serde(default)]
    agency: Vec<RawAgency>,
    #[serde(default)]
    scenario: Vec<RawScenario>,
    #[serde(default)]
    region: Vec<RawRegion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAgency {
    kind: Spanned<String>,
    name: Names,
    supervisor_role: Spanned<String>,
    scopes: Spanned<Vec<Spanned<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    id: Spanned<String>,
    name: Names,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRegion {
    code: Spanned<String>,
    name: Names,
}

/// The agency file shipped with the crate (study 4.3, 5.2).
pub const DEFAULT_AGENCIES: &str = include_str!("../data/agencies.default.toml");

/// Checks an identifier: lower-case ASCII, digits, `_`, `-`; used for kinds and ids.
pub(crate) fn valid_key(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

impl Directory {
    /// Parses and checks an agency file. `file` names it in error messages.
    pub fn from_toml(file: &str, text: &str) -> Result<Directory, LoadErrors> {
        let src = Source { name: file, text };
        let raw: RawDirectory = src.parse()?;
        let mut errors: Vec<LoadError> = Vec::new();
        if *raw.format.get_ref() != 1 {
            errors.push(src.error(
                raw.format.span(),
                LoadErrorKind::Invalid("unsupported format; this version reads format = 1".into()),
            ));
        }
        let mut seen: BTreeMap<(&'static str, String), usize> = BTreeMap::new();
        let mut check_key =
            |what: &'static str, key: &Spanned<String>, errors: &mut Vec<LoadError>| {
                let line = src.line(key.span().start);
                if let Some(first) = seen.get(&(what, key.get_ref().clone())) {
                    errors.push(src.error(
                        key.span(),
                        LoadErrorKind::Duplicate {
                            what,
                            key: key.get_ref().clone(),
                            first_line: *first,
                        },
                    ));
                } else {
                    seen.insert((what, key.get_ref().clone()), line);
                }
            };

        let mut agencies = Vec::new();
        for a in raw.agency {
            check_key("agency kind", &a.kind, &mut errors);
            if !valid_key(a.kind.get_ref()) {
                errors.push(src.error(
                    a.kind.span(),
                    LoadErrorKind::Invalid("an agency kind is 1–64 of a-z, 0-9, `_`, `-`".into()),
                ));
            }
            if a.supervisor_role.get_ref().trim().is_empty() {
                errors.push(src.error(
                    a.supervisor_role.span(),
                    LoadErrorKind::Invalid("supervisor_role must not be empty".into()),
                ));
            }
            let mut scopes = Vec::new();
            for s in a.scopes.get_ref() {
                match s.get_ref().parse::<Scope>() {
                    Ok(scope) if scopes.contains(&scope) => errors.push(src.error(
                        s.span(),
                        LoadErrorKind::ContradictoryScopes(format!("`{scope}` listed twice")),
                    )),
                    Ok(scope) => scopes.push(scope),
                    Err(()) => errors.push(
                        src.error(s.span(), LoadErrorKind::UnknownScope(s.get_ref().clone())),
                    ),
                }
            }
            if a.scopes.get_ref().is_empty() {
                errors.push(src.error(
                    a.scopes.span(),
                    LoadErrorKind::Invalid("an agency must be allowed at least one scope".into()),
                ));
            }
            scopes.sort();
            agencies.push(Agency {
                kind: a.kind.into_inner(),
                name: a.name,
                supervisor_role: a.supervisor_role.into_inner(),
                scopes,
            });
        }
        let mut scenarios = Vec::new();
        for s in raw.scenario {
            check_key("scenario", &s.id, &mut errors);
            if !valid_key(s.id.get_ref()) {
                errors.push(src.error(
                    s.id.span(),
                    LoadErrorKind::Invalid("a scenario id is 1–64 of a-z, 0-9, `_`, `-`".into()),
                ));
            }
            scenarios.push(Scenario {
                id: s.id.into_inner(),
                name: s.name,
            });
        }
        let mut regions = Vec::new();
        for r in raw.region {
            check_key("region", &r.code, &mut errors);
            if r.code.get_ref().trim().is_empty() {
                errors.push(src.error(
                    r.code.span(),
                    LoadErrorKind::Invalid("a region code must not be empty".into()),
                ));
            }
            regions.push(Region {
                code: r.code.into_inner(),
                name: r.name,
            });
        }
        if errors.is_empty() {
            Ok(Directory {
                agencies,
                scenarios,
                regions,
            })
        } else {
            Err(LoadErrors(errors))
        }
    }

    /// The shipped agency file, parsed. Fails only if the shipped file is
    /// broken, which a test guards against.
    pub fn default_kazakhstan() -> Result<Directory, LoadErrors> {
        Directory::from_toml("agencies.default.toml", DEFAULT_AGENCIES)
    }

    /// Agencies in file order (the order decisions are listed in).
    pub fn agencies(&self) -> &[Agency] {
        &self.agencies
    }

    /// An agency by kind.
    pub fn agency(&self, kind: &str) -> Option<&Agency> {
        self.agencies.iter().find(|a| a.kind == kind)
    }

    /// Position of an agency in the file, for deterministic ordering.
    pub fn agency_rank(&self, kind: &str) -> usize {
        self.agencies
            .iter()
            .position(|a| a.kind == kind)
            .unwrap_or(usize::MAX)
    }

    /// Scenarios in file order.
    pub fn scenarios(&self) -> &[Scenario] {
        &self.scenarios
    }

    /// Regions in file order.
    pub fn regions(&self) -> &[Region] {
        &self.regions
    }

    /// Whether a scenario id is defined.
    pub fn has_scenario(&self, id: &str) -> bool {
        self.scenarios.iter().any(|s| s.id == id)
    }

    /// Whether a region code is defined.
    pub fn has_region(&self, code: &str) -> bool {
        self.regions.iter().any(|r| r.code == code)
    }
}
