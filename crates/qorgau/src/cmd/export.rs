//! `qorgau export CASE [--bagit DIR] [--wacz FILE]`

use std::path::PathBuf;
use std::process::ExitCode;

use qorgau_vault::Vault;
use qorgau_vault::export::export_case;
use qorgau_vault::export::wacz::export_wacz;

use crate::cmd::case_name;
use crate::output::{byte_bar, json_line};

/// Arguments of `export`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The case to hand over.
    #[arg(value_name = "CASE")]
    case: String,
    /// Write a BagIt bag (RFC 8493) of every item into this new directory.
    #[arg(long, value_name = "DIR", required_unless_present = "wacz")]
    bagit: Option<PathBuf>,
    /// Write the case's web captures as a WACZ package (replayable in
    /// ReplayWeb.page) to this new file.
    #[arg(long, value_name = "FILE")]
    wacz: Option<PathBuf>,
    /// Print a JSON summary on stdout.
    #[arg(long)]
    json: bool,
}

/// Runs `export`.
pub async fn run(vault: &Vault, args: &Args) -> anyhow::Result<ExitCode> {
    let name = case_name(&args.case)?;
    if let Some(bag) = &args.bagit {
        bagit(vault, args, &name, bag).await?;
    }
    if let Some(file) = &args.wacz {
        wacz(vault, args, &name, file).await?;
    }
    Ok(ExitCode::SUCCESS)
}

async fn wacz(
    vault: &Vault,
    args: &Args,
    name: &qorgau_core::CaseName,
    file: &std::path::Path,
) -> anyhow::Result<()> {
    // The bar counts WARC bytes, what the package copies.
    let total: u64 = match vault.store.find_case(name).await? {
        Some(case) => vault
            .store
            .items(&qorgau_store::ItemFilter {
                case_id: Some(case.id),
                ..Default::default()
            })
            .await?
            .iter()
            .filter(|i| i.file_name.ends_with(".warc.gz") || i.file_name.ends_with(".warc"))
            .map(|i| i.size)
            .sum(),
        None => 0,
    };
    let bar = byte_bar(total, "packaging");
    let summary = export_wacz(vault, name, file, &|done| bar.set_position(done)).await;
    bar.finish_and_clear();
    let summary = summary?;
    if args.json {
        json_line(&summary);
    }
    eprintln!(
        "packaged {} capture(s) of case {:?} ({} WARC file(s), {} page(s)) as {}\n  {} bytes, SHA-256 {}\n  recorded as ledger entry {}\n  check with: wacz validate -f {}",
        summary.captures,
        name.as_str(),
        summary.warcs,
        summary.pages,
        summary.path.display(),
        summary.bytes,
        summary.sha256,
        summary.ledger_entry,
        summary.path.display()
    );
    Ok(())
}

async fn bagit(
    vault: &Vault,
    args: &Args,
    name: &qorgau_core::CaseName,
    bag: &std::path::Path,
) -> anyhow::Result<()> {
    let total = match vault.store.find_case(name).await? {
        Some(case) => vault.store.total_size(Some(case.id)).await?,
        None => 0,
    };
    let bar = byte_bar(total, "exporting");
    let summary = export_case(vault, name, bag, &|done| bar.set_position(done)).await;
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
    Ok(())
}
