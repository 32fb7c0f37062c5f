//! A case: the unit under which evidence is filed and handed over.

use qorgau_core::{Actor, CaseName, Id, Sha256Digest, Timestamp};
use serde::{Deserialize, Serialize};

use crate::canonical::digest_of;

/// A case as stored. Its digest goes into the case's first ledger entry, so a
/// renamed or back-dated case is detected by `verify`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseRecord {
    /// Stable identifier.
    pub id: Id,
    /// The name investigators use.
    pub name: CaseName,
    /// When the case was opened in Qorgau.
    pub created_at: Timestamp,
    /// Who opened it.
    pub created_by: Actor,
}

impl CaseRecord {
    /// Opens a new case record now.
    pub fn new(name: CaseName, created_by: Actor) -> Self {
        Self {
            id: Id::new(),
            name,
            created_at: Timestamp::now(),
            created_by,
        }
    }

    /// Digest over every field, vouched for by the `case_opened` entry.
    pub fn record_digest(&self) -> Sha256Digest {
        digest_of("qorgau-case-v1", self)
    }
}
