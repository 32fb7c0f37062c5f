//! First run: the agencies of the default directory and the first
//! administrator.
//!
//! A fresh installation has no one who could sign in and create the first
//! account, so `qorgau admin create` (the command line, on the machine
//! itself) makes it; the default agencies come from the routing directory
//! so that rules and accounts name the same kinds.

use qorgau_core::{Id, Timestamp};
use qorgau_response::Agency;
use qorgau_vault::Vault;

use crate::error::ApiError;

/// Adds one agency per kind of the default routing directory (code = kind)
/// unless agencies exist already. Returns how many were added.
pub async fn default_agencies(vault: &Vault) -> Result<usize, ApiError> {
    if !vault.store.agencies().await?.is_empty() {
        return Ok(0);
    }
    let directory = qorgau_routing::Directory::default_kazakhstan()
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let mut added = 0;
    for a in directory.agencies() {
        vault
            .store
            .add_agency(&Agency {
                id: Id::new(),
                code: a.kind.replace('_', "-"),
                kind: a.kind.clone(),
                name_ru: a.name.ru.clone(),
                name_kk: a.name.kk.clone(),
                name_en: a.name.en.clone(),
                region: None,
                created_at: Timestamp::now(),
            })
            .await?;
        added += 1;
    }
    Ok(added)
}
