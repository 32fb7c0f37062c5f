//! `verify-item`: one item's content re-hashed and its record checked in
//! the background (`qorgau_vault::item_check`, what the evidence page's
//! button does). The `verified` entry and the job's end commit in one
//! transaction, so however often a worker dies the item gets exactly one
//! entry per job.

use std::sync::Arc;

use qorgau_core::{Actor, Id};
use qorgau_store::StoreError;
use qorgau_vault::Vault;
use qorgau_work::handler::HandlerFuture;
use qorgau_work::{Finish, Handler, JobError, Running};

/// The kind's name.
pub const KIND: &str = "verify-item";

/// Checks one item.
pub struct VerifyItem {
    /// The vault.
    pub vault: Arc<Vault>,
}

impl Handler for VerifyItem {
    fn kind(&self) -> &'static str {
        KIND
    }

    fn run<'a>(&'a self, job: &'a Running) -> HandlerFuture<'a> {
        Box::pin(async move {
            let text = job.arg("item")?;
            let id = Id::parse(text).map_err(|e| {
                JobError::Permanent(format!("verify-item: {text:?} is not an item id: {e}"))
            })?;
            let item = self
                .vault
                .store
                .item(id)
                .await
                .map_err(|e| JobError::Retry(e.to_string()))?
                .ok_or_else(|| JobError::Permanent(format!("there is no item {id}")))?;
            let check = qorgau_vault::item_check::check_item(&self.vault, &item)
                .await
                .map_err(|e| JobError::Retry(e.to_string()))?;
            let actor = Actor {
                user: job.lease.job.submitted_by.clone(),
                host: self.vault.actor.host.clone(),
            };
            let entry = check.entry(
                &item,
                actor,
                self.vault.tool.clone(),
                "job",
                Some(job.lease.job.id),
            );
            let result = serde_json::json!({
                "item": id.to_string(),
                "ok": check.ok(),
                "content_matches": check.content_matches,
                "record_vouched": check.record_vouched,
            });
            let lost = |e: StoreError| match e {
                StoreError::Conflict(m) => JobError::Retry(m),
                other => JobError::Retry(other.to_string()),
            };
            let mut tx = job
                .store
                .begin_finish(&job.lease, &result)
                .await
                .map_err(lost)?;
            tx.append_ledger(vec![entry], &self.vault.key)
                .await
                .map_err(lost)?;
            tx.commit().await.map_err(lost)?;
            Ok(Finish::Committed)
        })
    }
}
