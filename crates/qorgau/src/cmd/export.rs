//! `qorgau export CASE [--bagit DIR] [--wacz FILE]`

use std::path::PathBuf;
use std::process::ExitCode;

use qorgau_vault::Vault;
use qorgau_vault::export::export_case_authorised;
use qorgau_vault::export::wacz::export_wacz_authorised;

use anyhow::Context;

use crate::cmd::case_name;
use crate::output::{byte_bar, json_line};

/// Arguments of `export`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The case to hand over.
    #[arg(value_name = "CASE")]
    case: String,
    /// Write a BagIt bag (RFC 8493) of every item into this new directory.
    #[arg(long, value_name = "DIR", required_unless_present_any = ["wacz", "bagit_zip"])]
    bagit: Option<PathBuf>,
    /// Write the bag, with its hashdeep file, as one ZIP of stored entries
    /// to this new file (a download from the web interface): built in a
    /// temporary directory outside the vault, packed, then removed.
    #[arg(long, value_name = "FILE", conflicts_with = "bagit")]
    bagit_zip: Option<PathBuf>,
    /// Write the case's web captures as a WACZ package (replayable in
    /// ReplayWeb.page) to this new file.
    #[arg(long, value_name = "FILE")]
    wacz: Option<PathBuf>,
    /// The reference of the decision that authorises content marked as
    /// suspected child sexual abuse material to leave the vault (its
    /// number, date and who made it). Without it an export that would
    /// carry such content is refused; with it, the authorisation is
    /// recorded in the ledger on each marked item first.
    #[arg(long, value_name = "REFERENCE")]
    restricted_authorisation: Option<String>,
    /// Print a JSON summary on stdout.
    #[arg(long)]
    json: bool,
}

/// Runs `export`.
pub async fn run(vault: &Vault, args: &Args) -> anyhow::Result<ExitCode> {
    let name = case_name(&args.case)?;
    if let Some(bag) = &args.bagit {
        bagit(vault, args, &name, bag, None).await?;
    }
    if let Some(zip) = &args.bagit_zip {
        let stem = zip
            .file_name()
            .map(|n| n.to_string_lossy().trim_end_matches(".zip").to_owned())
            .filter(|s| !s.is_empty())
            .ok_or_else(|| {
                crate::output::InputError(format!("--bagit-zip {}: name a file", zip.display()))
            })?;
        let work = tempfile::Builder::new()
            .prefix("qorgau-bag-")
            .tempdir()
            .context("making a temporary directory for the bag")?;
        bagit(vault, args, &name, &work.path().join(stem), Some(zip)).await?;
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
    let summary = export_wacz_authorised(
        vault,
        name,
        file,
        args.restricted_authorisation.as_deref(),
        &|done| bar.set_position(done),
    )
    .await;
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
    zip: Option<&std::path::Path>,
) -> anyhow::Result<()> {
    let total = match vault.store.find_case(name).await? {
        Some(case) => vault.store.total_size(Some(case.id)).await?,
        None => 0,
    };
    let bar = byte_bar(total, "exporting");
    let summary = export_case_authorised(
        vault,
        name,
        bag,
        args.restricted_authorisation.as_deref(),
        &|done| bar.set_position(done),
    )
    .await;
    bar.finish_and_clear();
    let summary = summary?;
    let packed = if let Some(zip) = zip {
        let (bytes, sha256) = pack_bag(&summary.bag_dir, &summary.hashdeep_file, zip)?;
        std::fs::remove_dir_all(&summary.bag_dir)
            .with_context(|| format!("removing {} after packing it", summary.bag_dir.display()))?;
        let _ = std::fs::remove_file(&summary.hashdeep_file);
        Some(serde_json::json!({ "file": zip, "bytes": bytes, "sha256": sha256 }))
    } else {
        None
    };
    if args.json {
        json_line(&serde_json::json!({
            "zip": packed,
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

/// Packs a bag directory and its hashdeep file into a ZIP of stored
/// entries (`<bag>/…` and `<bag>.hashdeep.txt`): unpacked, it is the same
/// bag, so `bagit.py --validate` and `hashdeep -a` check it as before.
/// Returns the ZIP's size and SHA-256. Stored, not deflated: evidence is
/// mostly compressed already, and a reader can stream each entry.
fn pack_bag(
    bag: &std::path::Path,
    hashdeep: &std::path::Path,
    out: &std::path::Path,
) -> anyhow::Result<(u64, String)> {
    use std::io::Write;
    let file =
        std::fs::File::create_new(out).with_context(|| format!("creating {}", out.display()))?;
    let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(file));
    let root = bag
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "bag".into());
    let mut files = Vec::new();
    let mut dirs = vec![bag.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in
            std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))?
        {
            let path = entry?.path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    let mut add = |path: &std::path::Path, name: String| -> anyhow::Result<()> {
        let size = std::fs::metadata(path)?.len();
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored)
            .large_file(size >= u64::from(u32::MAX));
        zip.start_file(name, options)?;
        let mut input =
            std::fs::File::open(path).with_context(|| format!("reading {}", path.display()))?;
        std::io::copy(&mut input, &mut zip)
            .with_context(|| format!("packing {}", path.display()))?;
        Ok(())
    };
    for path in &files {
        let inside = path.strip_prefix(bag).unwrap_or(path);
        let name = format!("{root}/{}", inside.to_string_lossy().replace('\\', "/"));
        add(path, name)?;
    }
    if hashdeep.is_file() {
        add(hashdeep, format!("{root}.hashdeep.txt"))?;
    }
    let mut writer = zip.finish()?;
    writer.flush()?;
    drop(writer);
    let mut packed = std::fs::File::open(out)?;
    let (sha256, _, bytes) = qorgau_vault::hashing::hash_reader(&mut packed)
        .with_context(|| format!("hashing {}", out.display()))?;
    Ok((bytes, sha256.to_hex()))
}
