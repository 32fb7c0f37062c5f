//! `qorgau ledger export` and `qorgau ledger key`

use std::process::ExitCode;

use qorgau_vault::Vault;

use crate::cmd::find_case;
use crate::output::json_line;

/// The entries matching `filter`, chain by chain in position order, so that
/// the output can be verified as chains.
async fn collect_chains(
    store: &qorgau_store::Store,
    filter: &qorgau_store::LedgerFilter,
) -> Result<Vec<qorgau_evidence::LedgerEntry>, qorgau_store::StoreError> {
    let mut entries = store.ledger(filter).await?;
    entries.sort_by(|a, b| a.chain.cmp(&b.chain).then(a.seq.cmp(&b.seq)));
    Ok(entries)
}

/// Ledger subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum LedgerCommand {
    /// Print the custody ledger as JSON lines (one entry per line), chain by chain.
    Export {
        /// Only this case's chain.
        #[arg(long, value_name = "CASE")]
        case: Option<String>,
    },
    /// Print the installation's public key (PEM), to verify signatures elsewhere.
    Key,
}

/// Runs a ledger subcommand.
pub async fn run(vault: &Vault, command: &LedgerCommand) -> anyhow::Result<ExitCode> {
    match command {
        LedgerCommand::Export { case } => {
            let mut filter = qorgau_store::LedgerFilter::default();
            if let Some(name) = case {
                filter.case_id = Some(find_case(vault, name).await?.id);
            }
            for entry in collect_chains(&vault.store, &filter).await? {
                json_line(&entry);
            }
        }
        LedgerCommand::Key => print!("{}", vault.key.public().to_pem()),
    }
    Ok(ExitCode::SUCCESS)
}
