//! `qorgau money labels import|list`: lists of attributed addresses
//! (sanctioned wallets, mixers, exchanges…) that every case's flags are
//! checked against; each import is recorded in the ledger with the file's
//! hashes, so a flag can be traced to the list that caused it.

use std::path::PathBuf;
use std::process::ExitCode;

use qorgau_core::Id;
use qorgau_evidence::{EntryDraft, EventKind};
use qorgau_money::labels::{read_address_list, read_tagpack};
use qorgau_store::LabelList;
use qorgau_vault::Vault;
use serde_json::json;

use crate::output::{InputError, json_line};

/// Label list subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum LabelsCommand {
    /// Import a list: one address per line, or a GraphSense TagPack (YAML).
    Import(ImportArgs),
    /// The lists imported.
    List {
        /// One JSON object per list.
        #[arg(long)]
        json: bool,
    },
}

/// List formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ListFormat {
    /// One address per line, an optional label after it.
    AddressList,
    /// GraphSense TagPack YAML.
    Tagpack,
}

/// Arguments of `money labels import`.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The file.
    file: PathBuf,
    /// Name of the list (`OFAC SDN crypto`, `mixers`).
    #[arg(long)]
    name: String,
    /// Format (default: tagpack for .yaml/.yml, else address-list).
    #[arg(long, value_enum)]
    format: Option<ListFormat>,
    /// Category of an address list's entries (`sanctioned`, `mixer`…).
    #[arg(long)]
    category: Option<String>,
    /// Where the list comes from (URL, authority).
    #[arg(long)]
    source: Option<String>,
    /// One JSON summary on stdout.
    #[arg(long)]
    json: bool,
}

/// Runs a labels subcommand.
pub async fn run(vault: &Vault, command: &LabelsCommand) -> anyhow::Result<ExitCode> {
    match command {
        LabelsCommand::Import(args) => import(vault, args).await,
        LabelsCommand::List { json } => list(vault, *json).await,
    }
}

async fn import(vault: &Vault, args: &ImportArgs) -> anyhow::Result<ExitCode> {
    let shown = args.file.display().to_string();
    let bytes =
        std::fs::read(&args.file).map_err(|e| InputError(format!("cannot read {shown}: {e}")))?;
    let text = String::from_utf8(bytes.clone())
        .map_err(|_| InputError(format!("{shown}: not UTF-8 text")))?;
    let name = args.name.trim();
    if name.is_empty() {
        return Err(InputError("--name must not be empty".into()).into());
    }
    let format = args.format.unwrap_or_else(|| {
        let ext = args.file.extension().and_then(|e| e.to_str()).unwrap_or("");
        if ext.eq_ignore_ascii_case("yaml") || ext.eq_ignore_ascii_case("yml") {
            ListFormat::Tagpack
        } else {
            ListFormat::AddressList
        }
    });
    let (labels, errors) = match format {
        ListFormat::AddressList => read_address_list(
            &text,
            name,
            args.category.as_deref(),
            args.source.as_deref(),
        ),
        ListFormat::Tagpack => {
            read_tagpack(&text).map_err(|e| InputError(format!("{shown}:{e}")))?
        }
    };
    let (sha256, md5, _) = qorgau_vault::hashing::hash_reader(&mut bytes.as_slice())
        .map_err(|e| InputError(format!("cannot read {shown}: {e}")))?;
    let list = LabelList {
        id: Id::new(),
        name: name.to_owned(),
        format: match format {
            ListFormat::AddressList => "address-list",
            ListFormat::Tagpack => "tagpack",
        }
        .to_owned(),
        file_name: args
            .file
            .file_name()
            .map_or_else(|| shown.clone(), |n| n.to_string_lossy().into_owned()),
        sha256: sha256.to_hex(),
        md5: md5.to_hex(),
        imported_by: vault.actor.user.clone(),
    };
    let kept = vault.store.add_label_list(&list, &labels).await?;
    let mut draft = EntryDraft::now(
        EventKind::InvestigativeStep,
        vault.actor.clone(),
        vault.tool.clone(),
    );
    draft.details = json!({
        "action": "money_label_list_import",
        "list_id": list.id.to_string(),
        "name": list.name,
        "format": list.format,
        "file": shown,
        "sha256": list.sha256,
        "md5": list.md5,
        "entries": kept,
        "bad_entries": errors.len(),
    })
    .to_string();
    vault.store.append(vec![draft], &vault.key).await?;
    for e in errors.iter().take(50) {
        eprintln!("{shown}:{e}");
    }
    if args.json {
        json_line(&json!({
            "list": list.id.to_string(),
            "name": list.name,
            "format": list.format,
            "sha256": list.sha256,
            "md5": list.md5,
            "entries": kept,
            "errors": errors.iter().map(|e| json!({"line": e.line, "message": e.message})).collect::<Vec<_>>(),
        }));
    } else {
        println!(
            "{shown}: list {:?} with {kept} addresses; {} bad entries",
            list.name,
            errors.len()
        );
    }
    Ok(if errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

async fn list(vault: &Vault, json: bool) -> anyhow::Result<ExitCode> {
    let lists = vault.store.label_lists().await?;
    for l in &lists {
        if json {
            json_line(&json!({
                "list": l.list.id.to_string(),
                "name": l.list.name,
                "format": l.list.format,
                "file": l.list.file_name,
                "sha256": l.list.sha256,
                "entries": l.entries,
                "imported_at": l.imported_at,
                "imported_by": l.list.imported_by,
            }));
        } else {
            println!(
                "{}  {:<30} {:>7} addresses  {} ({}) by {}",
                l.imported_at,
                l.list.name,
                l.entries,
                l.list.file_name,
                l.list.format,
                l.list.imported_by
            );
        }
    }
    if lists.is_empty() && !json {
        println!("no label lists; import one with `qorgau money labels import FILE --name NAME`");
    }
    Ok(ExitCode::SUCCESS)
}
