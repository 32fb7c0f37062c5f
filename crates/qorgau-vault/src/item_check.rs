//! Checking one item now: its stored content re-hashed, and its record
//! vouched for by its `acquired` entry. What the evidence page's button
//! and the background `verify-item` jobs both do, so that the two can
//! never disagree; `verify` does the same for everything at once.

use qorgau_core::{Actor, Id, Md5Digest, Sha256Digest, Tool};
use qorgau_evidence::{EntryDraft, EventKind, ItemRecord};
use qorgau_store::LedgerFilter;

use crate::error::VaultError;
use crate::vault::Vault;

/// What a check of one item found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemCheck {
    /// SHA-256 of the stored content now (None: it cannot be read).
    pub sha256_now: Option<Sha256Digest>,
    /// MD5 of the stored content now.
    pub md5_now: Option<Md5Digest>,
    /// Both digests and the size equal the record's.
    pub content_matches: bool,
    /// An `acquired` entry of the case's chain carries the record's digest.
    pub record_vouched: bool,
    /// Why the stored content could not be read, when it could not.
    pub unreadable: Option<String>,
}

impl ItemCheck {
    /// Content and record both hold.
    pub fn ok(&self) -> bool {
        self.content_matches && self.record_vouched
    }

    /// The `verified` entry that records the check, whatever it found;
    /// `via` says how it was asked for (`api`, `job`), `job` which job.
    pub fn entry(
        &self,
        item: &ItemRecord,
        actor: Actor,
        tool: Tool,
        via: &str,
        job: Option<Id>,
    ) -> EntryDraft {
        let mut draft = EntryDraft::now(EventKind::Verified, actor, tool);
        draft.case_id = Some(item.case_id);
        draft.item_id = Some(item.id);
        draft.subject_digest = Some(item.record_digest());
        let mut details = serde_json::json!({
            "scope": "item",
            "via": via,
            "ok": self.ok(),
            "content_matches": self.content_matches,
            "record_vouched": self.record_vouched,
            "sha256_now": self.sha256_now.map(|d| d.to_hex()),
        });
        if let Some(why) = &self.unreadable {
            details["unreadable"] = serde_json::Value::String(why.clone());
        }
        if let Some(job) = job {
            details["job"] = serde_json::Value::String(job.to_string());
        }
        draft.details = details.to_string();
        draft
    }
}

/// Re-hashes `item`'s stored content (streamed: a video of gigabytes is
/// never held in memory) and looks for the entry that vouches for its
/// record. An unreadable blob is a finding (content does not match), not
/// an error; only the database failing is.
pub async fn check_item(vault: &Vault, item: &ItemRecord) -> Result<ItemCheck, VaultError> {
    // With S3 a blob not in the local cache is fetched first; a fetch that
    // fails (missing, or bytes that are not the blob) is a finding.
    let hashed = match vault.blobs.local(&item.sha256).await {
        Ok(path) => tokio::task::spawn_blocking(move || {
            let mut file = std::fs::File::open(path)?;
            crate::hashing::hash_reader(&mut file)
        })
        .await
        .map_err(|e| VaultError::io("re-hashing an item", std::io::Error::other(e)))?,
        Err(VaultError::Store(e)) => return Err(VaultError::Store(e)),
        Err(e) => Err(std::io::Error::other(e.to_string())),
    };
    let (sha256, md5, size, unreadable) = match hashed {
        Ok(h) => (Some(h.0), Some(h.1), h.2, None),
        Err(e) => (None, None, 0, Some(e.to_string())),
    };
    let digest = item.record_digest();
    let record_vouched = vault
        .store
        .ledger(&LedgerFilter {
            case_id: Some(item.case_id),
            item_id: Some(item.id),
            kinds: vec![EventKind::Acquired],
            ..LedgerFilter::default()
        })
        .await?
        .iter()
        .any(|e| e.subject_digest == Some(digest));
    Ok(ItemCheck {
        content_matches: sha256 == Some(item.sha256) && md5 == Some(item.md5) && size == item.size,
        sha256_now: sha256,
        md5_now: md5,
        record_vouched,
        unreadable,
    })
}
