//! Agencies and the people who work in them.

use qorgau_core::{Id, Timestamp};
use serde::{Deserialize, Serialize};

use crate::roles::Role;

/// An organisation that takes part: a police unit, a prosecutor's office,
/// a social-services department, an NGO. Agencies are data (the
/// administrator adds them), so a new partner needs no release.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agency {
    /// Stable id.
    pub id: Id,
    /// Short unique code, used in rules and the API (`mvd-cyber-almaty`).
    pub code: String,
    /// Its kind, as the routing directory names kinds (`mvd_cyber`,
    /// `prosecutor`, `social_services`, `ngo`…): routing sends to kinds.
    pub kind: String,
    /// Name in Russian.
    pub name_ru: String,
    /// Name in Kazakh.
    pub name_kk: String,
    /// Name in English.
    pub name_en: String,
    /// ISO 3166-2:KZ region it serves, if regional.
    pub region: Option<String>,
    /// When it was added.
    pub created_at: Timestamp,
}

/// A person (or partner system) with an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// Stable id.
    pub id: Id,
    /// Sign-in name (see [`check_username`]).
    pub username: String,
    /// Name shown in the interface and the ledger.
    pub display_name: String,
    /// The agency the user works for.
    pub agency_id: Id,
    /// Roles held; a request is allowed when any of them allows it.
    pub roles: Vec<Role>,
    /// Argon2id hash in PHC string form; never the password.
    #[serde(skip_serializing)]
    pub password_hash: String,
    /// When the account was made.
    pub created_at: Timestamp,
    /// A disabled account cannot sign in or use its tokens.
    pub disabled: bool,
    /// Consecutive failed sign-ins since the last success.
    pub failed_logins: u32,
    /// Sign-in refused until then (lock-out after repeated failures).
    pub locked_until: Option<Timestamp>,
    /// Last successful sign-in.
    pub last_login_at: Option<Timestamp>,
}

impl User {
    /// Whether any of the user's roles grants `permission`.
    pub fn may(&self, permission: crate::Permission) -> bool {
        self.roles.iter().any(|r| r.may(permission))
    }
}

/// A user name that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("user name {name:?}: {problem}")]
pub struct UsernameError {
    /// As given.
    pub name: String,
    /// What is wrong.
    pub problem: &'static str,
}

/// User names are 2–64 characters of lower-case Latin letters, digits, `.`,
/// `-` and `_`, starting with a letter: they appear in the ledger, in logs
/// and in URLs, and must not be confusable (no look-alike Cyrillic).
pub fn check_username(name: &str) -> Result<(), UsernameError> {
    let err = |problem| {
        Err(UsernameError {
            name: name.to_owned(),
            problem,
        })
    };
    if !(2..=64).contains(&name.len()) {
        return err("must be 2 to 64 characters long");
    }
    if !name.starts_with(|c: char| c.is_ascii_lowercase()) {
        return err("must start with a lower-case Latin letter");
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_'))
    {
        return err("may hold only a-z, 0-9, '.', '-' and '_'");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_names() {
        assert!(check_username("a.serikova").is_ok());
        assert!(check_username("kibernadzor-connector").is_ok());
        for bad in [
            "",
            "a",
            "A.serikova",
            "1abc",
            "аdmin",
            "ad min",
            &"x".repeat(65),
        ] {
            assert!(check_username(bad).is_err(), "{bad:?}");
        }
    }
}
