//! `qorgau export CASE --bagit DIR`

use std::path::PathBuf;
use std::process::ExitCode;

use qorgau_vault::Vault;
use qorgau_vault::export::export_case;

use crate::cmd::case_name;
use crate::output::{byte_bar, json_line};

/// Arguments of `export`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The case to hand over.
    #[arg(value_name = "CASE")]
    case: String,
    /// Write a BagIt bag (RFC 8493) into this new directory.
    #[arg(long, value_name = "DIR")]
    bagit: PathBuf,
    /// Print a JSON summary on stdout.
    #[arg(long)]
    json: bool,
}

/// Runs `export`.
pub async fn run(vault: &Vault, args: &Args) -> anyhow::Result<ExitCode> {
    let name = case_name(&args.case)?;
    let total = match vault.store.find_case(&name).await? {
        Some(case) => vault.store.total_size(Some(case.id)).await?,
        None => 0,
    };
    let bar = byte_bar(total, "exporting");
    let summary = export_case(vault, &name, &args.bagit, &|done| bar.set_position(done)).await;
    bar.finish_and_clear();
    let summary = summary?;
    if args.json {
        json_line(&serde_json::json!({
            "bag": summary.bag_dir,
            "hashdeep": summary.hashdeep_file,
            "items": summary.items,
            "payload_bytes": summary.payload_bytes,
            "ledger_entries": summary.ledger_entries,
            "audit_command": summary.audit_command,
        }));
    }
    eprintln!(
        "exported {} item(s), {} bytes of case {:?} to {}\n  custody ledger: {} entries (incl. this export)\n  hashdeep audit file: {}\n  audit with: {}",
        summary.items,
        summary.payload_bytes,
        name.as_str(),
        summary.bag_dir.display(),
        summary.ledger_entries,
        summary.hashdeep_file.display(),
        summary.audit_command
    );
    Ok(ExitCode::SUCCESS)
}
