//! Cases as the early-response module keeps them, and who sees which part.
//!
//! One case is shown differently to each agency (DOMAIN.md items 6–10): the
//! agency that owns it works with all of it; an agency it was referred to
//! sees the scopes its referral grants; within each, a role narrows further
//! (an NGO worker sees the victim-support view only, an investigator sees
//! that a victim exists but not who). [`case_access`] is that rule, written
//! once and tested here, so no handler decides it on its own.

use std::collections::BTreeSet;
use std::fmt;

use qorgau_core::Id;
use qorgau_routing::Scope;
use serde::{Deserialize, Serialize};

use crate::accounts::User;
use crate::roles::{Permission, Role};

/// Why a case exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseKind {
    /// An investigation of a resource, a network or a crime.
    Criminal,
    /// Support of a person identified as a victim, which the study (section
    /// 4.3) requires even when there is no criminal case.
    Support,
}

/// Whether work on a case goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    /// Work goes on; routing runs on every change.
    Open,
    /// Finished; kept, read-only except for referral outcomes.
    Closed,
}

/// A person's part in a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonRole {
    /// Suspected of recruiting, transporting, exploiting or paying.
    Suspect,
    /// A person harmed or at risk; personal data sealed (see
    /// [`Permission::ReadVictimIdentity`]).
    Victim,
    /// Knows something about the case.
    Witness,
}

/// Where a task stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    /// To do.
    Open,
    /// Done.
    Done,
    /// Does not apply to this case (counted out of the progress).
    NotApplicable,
}

macro_rules! names {
    ($ty:ty { $($variant:ident => $name:literal),+ $(,)? }) => {
        impl $ty {
            /// The name used in the API and the database.
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $name),+ }
            }

            /// Reads a name; `None` for anything else.
            pub fn parse(text: &str) -> Option<Self> {
                match text { $($name => Some(Self::$variant),)+ _ => None }
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

names!(CaseKind { Criminal => "criminal", Support => "support" });
names!(CaseStatus { Open => "open", Closed => "closed" });
names!(PersonRole { Suspect => "suspect", Victim => "victim", Witness => "witness" });
names!(TaskStatus { Open => "open", Done => "done", NotApplicable => "not_applicable" });

/// A text a case field refuses.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaseTextError {
    /// Nothing but white space.
    #[error("{0} must not be empty")]
    Empty(&'static str),
    /// Longer than the field allows.
    #[error("{field} is {chars} characters long; at most {max} are allowed")]
    TooLong {
        /// Which field.
        field: &'static str,
        /// Its length.
        chars: usize,
        /// The limit.
        max: usize,
    },
    /// Control characters other than line breaks and tabs.
    #[error("{0} contains control characters")]
    Control(&'static str),
}

/// Checks a free-text field (title, label, note, task), returning it trimmed.
/// Limits keep a page fast and stop a pasted document from becoming a note.
pub fn check_text(field: &'static str, text: &str, max: usize) -> Result<String, CaseTextError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(CaseTextError::Empty(field));
    }
    let chars = t.chars().count();
    if chars > max {
        return Err(CaseTextError::TooLong { field, chars, max });
    }
    if t.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
    {
        return Err(CaseTextError::Control(field));
    }
    Ok(t.to_owned())
}

/// What one user may see of one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseAccess {
    /// The user works for the agency that owns the case.
    pub owner: bool,
    /// The parts of the case the user may see.
    pub scopes: BTreeSet<Scope>,
    /// The user may see victims' personal data (not only that they exist).
    pub victim_identity: bool,
    /// The user may change the case (facts, persons, notes, tasks).
    pub edit: bool,
}

impl CaseAccess {
    /// Whether the user may see this part.
    pub fn sees(&self, scope: Scope) -> bool {
        self.scopes.contains(&scope)
    }
}

/// The scopes a role can ever use: whatever a referral grants, an NGO or
/// social worker never gets operational data or evidence, and a prosecutor
/// or police role never gets more than the referral gives.
fn role_scopes(role: Role) -> &'static [Scope] {
    match role {
        Role::Analyst | Role::Investigator | Role::Supervisor | Role::Prosecutor => &[
            Scope::Operational,
            Scope::Evidence,
            Scope::Identifiers,
            Scope::VictimSupport,
            Scope::Statistics,
        ],
        Role::SocialWorker | Role::NgoWorker => &[Scope::VictimSupport, Scope::Statistics],
        Role::Administrator | Role::PartnerSystem => &[],
    }
}

/// What `user` may see of a case owned by `owner_agency`, given the scopes
/// of the live referrals of that case to the user's agency (an empty slice
/// when there are none; rejected referrals do not count). `None` means the
/// case is not shown at all — not even that it exists.
pub fn case_access(user: &User, owner_agency: Id, referral_scopes: &[Scope]) -> Option<CaseAccess> {
    if user.disabled || !user.may(Permission::ReadCases) {
        return None;
    }
    let owner = user.agency_id == owner_agency;
    let granted: BTreeSet<Scope> = if owner {
        Scope::ALL.into_iter().collect()
    } else {
        referral_scopes.iter().copied().collect()
    };
    let scopes: BTreeSet<Scope> = user
        .roles
        .iter()
        .flat_map(|r| role_scopes(*r).iter().copied())
        .filter(|s| granted.contains(s))
        .collect();
    if scopes.is_empty() {
        return None;
    }
    let victim_identity =
        scopes.contains(&Scope::VictimSupport) && user.may(Permission::ReadVictimIdentity);
    let edit = owner && user.may(Permission::EditCases) && scopes.contains(&Scope::Operational);
    Some(CaseAccess {
        owner,
        scopes,
        victim_identity,
        edit,
    })
}

#[cfg(test)]
mod tests {
    use qorgau_core::Timestamp;

    use super::*;

    fn user(agency: Id, roles: &[Role]) -> User {
        User {
            id: Id::new(),
            username: "u".into(),
            display_name: "U".into(),
            agency_id: agency,
            roles: roles.to_vec(),
            password_hash: String::new(),
            created_at: Timestamp::now(),
            disabled: false,
            failed_logins: 0,
            locked_until: None,
            last_login_at: None,
        }
    }

    #[test]
    fn the_owning_agency_sees_everything_its_roles_allow() {
        let police = Id::new();
        let investigator = case_access(&user(police, &[Role::Investigator]), police, &[]);
        let investigator = investigator.expect("owner sees its case");
        assert!(investigator.owner && investigator.edit);
        assert!(investigator.sees(Scope::Operational) && investigator.sees(Scope::Evidence));
        assert!(
            !investigator.victim_identity,
            "an operative sees that a victim exists, not who"
        );
        let supervisor = case_access(&user(police, &[Role::Supervisor]), police, &[]);
        assert!(supervisor.is_some_and(|a| a.victim_identity));
    }

    #[test]
    fn another_agency_sees_nothing_without_a_referral_and_only_its_scopes_with_one() {
        let police = Id::new();
        let prosecutor = Id::new();
        let u = user(prosecutor, &[Role::Prosecutor]);
        assert_eq!(case_access(&u, police, &[]), None);
        let a = case_access(&u, police, &[Scope::Evidence, Scope::Identifiers]).expect("referred");
        assert!(!a.owner && !a.edit);
        assert_eq!(
            a.scopes,
            [Scope::Evidence, Scope::Identifiers].into_iter().collect()
        );
    }

    #[test]
    fn an_ngo_worker_never_sees_operational_data_whatever_the_referral_grants() {
        let police = Id::new();
        let ngo = Id::new();
        let u = user(ngo, &[Role::NgoWorker]);
        assert_eq!(
            case_access(&u, police, &[Scope::Operational, Scope::Evidence]),
            None
        );
        let a = case_access(&u, police, &[Scope::Operational, Scope::VictimSupport]).expect("vs");
        assert_eq!(a.scopes, [Scope::VictimSupport].into_iter().collect());
        assert!(a.victim_identity && !a.edit);
        // Even in its own agency's case an NGO worker sees only the support view.
        let own = case_access(&u, ngo, &[]).expect("own");
        assert_eq!(
            own.scopes,
            [Scope::VictimSupport, Scope::Statistics]
                .into_iter()
                .collect()
        );
    }

    #[test]
    fn administrators_partner_systems_and_disabled_users_see_no_case() {
        let a = Id::new();
        assert_eq!(case_access(&user(a, &[Role::Administrator]), a, &[]), None);
        assert_eq!(case_access(&user(a, &[Role::PartnerSystem]), a, &[]), None);
        let mut d = user(a, &[Role::Investigator]);
        d.disabled = true;
        assert_eq!(case_access(&d, a, &[]), None);
    }

    #[test]
    fn texts_are_trimmed_and_limited() {
        assert_eq!(check_text("title", "  Сеть  ", 10), Ok("Сеть".into()));
        assert_eq!(
            check_text("title", "  ", 10),
            Err(CaseTextError::Empty("title"))
        );
        assert!(matches!(
            check_text("title", "ааааааааааа", 10),
            Err(CaseTextError::TooLong { chars: 11, .. })
        ));
        assert_eq!(
            check_text("note", "a\u{0}b", 10),
            Err(CaseTextError::Control("note"))
        );
        assert!(check_text("note", "line\nline", 20).is_ok());
        for name in ["criminal", "support"] {
            assert_eq!(CaseKind::parse(name).map(CaseKind::as_str), Some(name));
        }
        assert_eq!(PersonRole::parse("victim"), Some(PersonRole::Victim));
        assert_eq!(TaskStatus::parse("x"), None);
    }
}
