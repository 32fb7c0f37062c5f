//! Identifiers of stored records.
//!
//! UUIDv7: unique across installations (a later migration merges regional
//! databases), and time-ordered, so the newest items sort last without a join.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Why an identifier was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a Qorgau identifier (a UUID such as 019a…-…): {input:?}")]
pub struct IdParseError {
    /// The text that did not parse.
    pub input: String,
}

/// The identifier of a case, item, acquisition or ledger subject.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Id(Uuid);

impl Id {
    /// A fresh time-ordered identifier.
    pub fn new() -> Self {
        Self(Uuid::now_v7())
    }

    /// Parses the hyphenated lower-case form Qorgau prints.
    pub fn parse(text: &str) -> Result<Self, IdParseError> {
        Uuid::try_parse(text.trim())
            .map(Self)
            .map_err(|_| IdParseError {
                input: text.to_owned(),
            })
    }

    /// The id of a UUID made elsewhere (a domain crate that speaks `uuid`).
    pub fn from_uuid(uuid: Uuid) -> Self {
        Self(uuid)
    }

    /// The UUID, for domain crates that speak `uuid`.
    pub fn as_uuid(&self) -> Uuid {
        self.0
    }
}

impl Default for Id {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.hyphenated())
    }
}

impl fmt::Debug for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Id({})", self.0.hyphenated())
    }
}

impl FromStr for Id {
    type Err = IdParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for Id {
    type Error = IdParseError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Id> for String {
    fn from(value: Id) -> Self {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_orders_by_time() {
        let a = Id::new();
        let b = Id::new();
        assert!(a < b);
        assert_eq!(Id::parse(&a.to_string()).unwrap(), a);
        assert!(Id::parse("item-1").is_err());
    }
}
