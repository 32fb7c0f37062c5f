//! One module per subcommand.

pub mod add;
pub mod capture;
pub mod copy;
pub mod demo;
pub mod demo_server;
pub mod export;
pub mod jobs;
pub mod ledger;
pub mod list;
pub mod log;
pub mod media;
pub mod migrate;
pub mod model;
pub mod money;
pub mod monitor;
pub mod protocol;
pub mod scan;
pub mod serve;
pub mod verify;
pub mod worker;

use anyhow::Context;
use qorgau_core::CaseName;
use qorgau_evidence::CaseRecord;
use qorgau_vault::Vault;

use crate::output::InputError;

/// Parses a case name given on the command line.
pub fn case_name(text: &str) -> anyhow::Result<CaseName> {
    CaseName::parse(text)
        .map_err(|e| InputError(format!("invalid case name {text:?}: {e}")))
        .context("reading --case")
}

/// The existing case named on the command line.
pub async fn find_case(vault: &Vault, text: &str) -> anyhow::Result<CaseRecord> {
    Ok(vault.case(&case_name(text)?).await?)
}

/// An item's content read from the blob store (fetched from S3 when not
/// cached), checked against its SHA-256 so that nothing altered is shown
/// or handed on.
pub async fn read_item(
    vault: &Vault,
    item: &qorgau_evidence::ItemRecord,
) -> anyhow::Result<Vec<u8>> {
    use sha2::Digest;
    let path = vault.blobs.local(&item.sha256).await?;
    let bytes = tokio::fs::read(&path)
        .await
        .with_context(|| format!("reading item {} ({})", item.id, path.display()))?;
    let actual = qorgau_core::Sha256Digest::from_bytes(sha2::Sha256::digest(&bytes).into());
    if actual != item.sha256 {
        anyhow::bail!(
            "item {} no longer matches its SHA-256 (run `qorgau verify`)",
            item.id
        );
    }
    Ok(bytes)
}
