//! One module per subcommand.

pub mod add;
pub mod capture;
pub mod copy;
pub mod demo;
pub mod export;
pub mod ledger;
pub mod list;
pub mod log;
pub mod model;
pub mod monitor;
pub mod scan;
pub mod verify;

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
