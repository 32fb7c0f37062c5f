//! Working copies: examiners work on copies, never on the vault's originals
//! (study section 5.3). Handing one out re-hashes the blob on the way, so a
//! copy is never made of altered evidence, and records a `viewed` custody
//! entry saying who took which item where, and why.

use std::fs::File;
use std::path::Path;

use qorgau_core::Id;
use qorgau_evidence::{EntryDraft, EventKind, ItemRecord, LedgerEntry};

use crate::error::VaultError;
use crate::hashing::{CopyError, Durability, copy_and_hash};
use crate::vault::Vault;

/// Copies item `id` to the new file `dest` and records the hand-out.
/// Content marked as suspected abuse material needs `authorisation`.
pub async fn working_copy(
    vault: &Vault,
    id: Id,
    dest: &Path,
    reason: Option<&str>,
    authorisation: Option<&str>,
) -> Result<(ItemRecord, LedgerEntry), VaultError> {
    let item = vault
        .store
        .item(id)
        .await?
        .ok_or_else(|| VaultError::Input(format!("there is no item {id} in the vault")))?;
    if dest.exists() {
        return Err(VaultError::Input(format!(
            "{} already exists; a working copy never overwrites anything",
            dest.display()
        )));
    }
    // A working copy of marked content is an export like any other.
    crate::restricted::authorise_export(
        vault,
        std::slice::from_ref(&item),
        authorisation,
        &format!("working copy to {}", dest.display()),
    )
    .await?;
    let blob_path = vault.blobs.local(&item.sha256).await?;
    let mut blob = File::open(&blob_path)
        .map_err(|e| VaultError::io(format!("opening the blob of item {id}"), e))?;
    let hashed = copy_and_hash(&mut blob, item.size, dest, Durability::Each, &|_| {}).map_err(
        |e| match e {
            CopyError::Read(e) => VaultError::io(format!("reading the blob of item {id}"), e),
            CopyError::Write(e) => VaultError::io(format!("writing {}", dest.display()), e),
        },
    )?;
    if hashed.sha256 != item.sha256 || hashed.md5 != item.md5 || hashed.size != item.size {
        let _ = std::fs::remove_file(dest);
        return Err(VaultError::io(
            format!("copying item {id}"),
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "the stored blob no longer matches its record; no copy was made — run `qorgau verify`",
            ),
        ));
    }
    let mut draft = EntryDraft::now(EventKind::Viewed, vault.actor.clone(), vault.tool.clone());
    draft.case_id = Some(item.case_id);
    draft.item_id = Some(item.id);
    draft.subject_digest = Some(item.record_digest());
    draft.details = serde_json::json!({
        "working_copy": dest.to_string_lossy(),
        "sha256": item.sha256,
        "reason": reason,
    })
    .to_string();
    let entry = vault
        .store
        .append(vec![draft], &vault.key)
        .await?
        .pop()
        .ok_or_else(|| VaultError::Input("the custody entry was not recorded".into()))?;
    Ok((item, entry))
}
