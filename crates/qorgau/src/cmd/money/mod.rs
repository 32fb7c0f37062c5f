//! `qorgau money …`: following the money of a case. Transfers and Bitcoin
//! transactions in (`import`), label lists in (`labels`), and out: the red
//! flags with their transfers (`flags`), common-input clusters
//! (`clusters`), accounts with the ads and cases they appear in
//! (`accounts`), and the flow graph around an account (`graph`).

mod accounts;
mod flags;
mod graph;
mod import;
mod ivms101;
mod labels;
mod report;
mod request;
mod triage;

use std::process::ExitCode;

use qorgau_core::Id;
use qorgau_money::{AccountRef, FlagConfig};
use qorgau_vault::Vault;

use crate::cmd::case_name;
use crate::output::InputError;

/// Money subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum MoneyCommand {
    /// Import transfers from a block-explorer export, Bitcoin transactions
    /// or a bank statement.
    Import(import::ImportArgs),
    /// List the red flags of a case (or of what was imported outside cases).
    Flags(flags::FlagsArgs),
    /// Bitcoin addresses spent together (common-input clustering, CoinJoins left out).
    Clusters(flags::ClustersArgs),
    /// Import or list label lists (sanctioned, mixer… addresses).
    #[command(subcommand)]
    Labels(labels::LabelsCommand),
    /// Accounts (cards, IBANs, wallets) with the documents and cases they appear in.
    Accounts(accounts::AccountsArgs),
    /// The flows around an account as GraphML, GEXF or CSV.
    Graph(graph::GraphArgs),
    /// The red flags of an export without importing it (nothing stored).
    Triage(triage::TriageArgs),
    /// Draft a data request to an exchange or a bank from the case (ru, en).
    Request(request::RequestArgs),
    /// Export a suspicious-transaction report (JSON, goAML) of the case.
    Report(report::ReportArgs),
    /// Check Travel Rule payloads (IVMS101) against the standard.
    Ivms101(ivms101::Ivms101Args),
}

/// Runs a money subcommand.
pub async fn run(vault: &Vault, command: &MoneyCommand) -> anyhow::Result<ExitCode> {
    match command {
        MoneyCommand::Import(args) => import::import(vault, args).await,
        MoneyCommand::Flags(args) => flags::flags(vault, args).await,
        MoneyCommand::Clusters(args) => flags::clusters(vault, args).await,
        MoneyCommand::Labels(command) => labels::run(vault, command).await,
        MoneyCommand::Accounts(args) => accounts::run(vault, args).await,
        MoneyCommand::Graph(args) => graph::graph(vault, args).await,
        MoneyCommand::Triage(args) => triage::triage(vault, args).await,
        MoneyCommand::Request(args) => request::run(vault, args).await,
        MoneyCommand::Report(args) => report::run(vault, args).await,
        MoneyCommand::Ivms101(args) => Ok(ivms101::run(args)),
    }
}

/// The case named by `--case`, if any (it must exist).
async fn scope(vault: &Vault, case: Option<&str>) -> anyhow::Result<Option<Id>> {
    Ok(match case {
        Some(text) => Some(vault.case(&case_name(text)?).await?.id),
        None => None,
    })
}

/// The thresholds: `--config`, else `<data-dir>/money.toml`, else defaults.
fn config(vault: &Vault, given: Option<&std::path::Path>) -> anyhow::Result<FlagConfig> {
    let path = given
        .map(std::path::Path::to_path_buf)
        .or_else(|| Some(vault.data_dir.join("money.toml")).filter(|p| p.exists()));
    Ok(match path {
        Some(p) => {
            let text = std::fs::read_to_string(&p)
                .map_err(|e| InputError(format!("cannot read {}: {e}", p.display())))?;
            FlagConfig::from_toml(&text, &p.display().to_string())
                .map_err(|e| InputError(e.to_string()))?
        }
        None => FlagConfig::default(),
    })
}

/// An account as the analyst types it: a key (`card:…`, `wallet:btc:…`), a
/// wallet address, a card number or an IBAN; anything else is an error
/// (other bank accounts are named by their key, `bank_account:…`).
fn account_arg(text: &str) -> anyhow::Result<AccountRef> {
    let t = text.trim();
    AccountRef::parse_input(t).ok_or_else(|| {
        InputError(format!(
            "{t:?} is not an account: give a wallet address (valid checksum), a card number \
             (Luhn-valid), a Kazakh IBAN, or a key such as bank_account:NAME"
        ))
        .into()
    })
}
