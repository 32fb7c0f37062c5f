//! `qorgau copy ITEM DEST [--reason TEXT] [--restricted-authorisation REF]`:
//! a working copy for examination.

use std::path::PathBuf;
use std::process::ExitCode;

use qorgau_core::Id;
use qorgau_vault::Vault;
use qorgau_vault::working_copy::working_copy;

use crate::output::{InputError, json_line};

/// Arguments of `copy`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The item's id (as `add --json` or `items` print it).
    #[arg(value_name = "ITEM")]
    item: String,
    /// Where to write the copy; must not exist.
    #[arg(value_name = "DEST")]
    dest: PathBuf,
    /// Why the copy is taken (examination, expert request…), for the ledger.
    #[arg(long, value_name = "TEXT")]
    reason: Option<String>,
    /// The reference of the decision that authorises a copy of content
    /// marked as suspected child sexual abuse material (recorded in the
    /// ledger); such content is not copied without one.
    #[arg(long, value_name = "REFERENCE")]
    restricted_authorisation: Option<String>,
    /// Print the custody entry as JSON.
    #[arg(long)]
    json: bool,
}

/// Runs `copy`.
pub async fn run(vault: &Vault, args: &Args) -> anyhow::Result<ExitCode> {
    let id = Id::parse(&args.item).map_err(|e| InputError(e.to_string()))?;
    let (item, entry) = working_copy(
        vault,
        id,
        &args.dest,
        args.reason.as_deref(),
        args.restricted_authorisation.as_deref(),
    )
    .await?;
    if args.json {
        json_line(&entry);
    }
    eprintln!(
        "copied item {} ({}) to {}: sha256 {} verified; recorded as ledger entry {}#{}",
        item.id,
        item.relative_path,
        args.dest.display(),
        item.sha256,
        entry.chain,
        entry.seq
    );
    Ok(ExitCode::SUCCESS)
}
