//! `qorgau money import FILE --format …` and `qorgau money flags`:
//! transfers from explorer exports and bank statements into the database
//! (the file's hashes and the counts in the custody ledger), and the red
//! flags found in them, each with its transfers.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::PathBuf;
use std::process::ExitCode;

use qorgau_core::Id;
use qorgau_evidence::{EntryDraft, EventKind};
use qorgau_money::{ColumnMap, Flag, FlagConfig, Format, Transfer, read_transfers};
use qorgau_store::MoneyImport;
use qorgau_vault::Vault;
use serde_json::json;

use crate::cmd::case_name;
use crate::output::{InputError, json_line};

/// Money subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum MoneyCommand {
    /// Import transfers from a block-explorer export or a bank statement.
    Import(ImportArgs),
    /// List the red flags in the transfers of a case (or outside cases).
    Flags(FlagsArgs),
}

/// Formats on the command line.
// The variants are the format names (`tron-csv`, `erc20-csv`,
// `bank-csv`) as clap spells them from the variant names.
#[allow(clippy::enum_variant_names)]
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum FormatArg {
    /// Tronscan's transfers CSV (TRC-20, e.g. USDT).
    TronCsv,
    /// Etherscan's ERC-20 token transfers CSV.
    Erc20Csv,
    /// A bank statement CSV; give the columns with --map.
    BankCsv,
}

/// Arguments of `money import`.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The file.
    file: PathBuf,
    /// What the file is.
    #[arg(long, value_enum)]
    format: FormatArg,
    /// Columns of a bank statement:
    /// 'time=COL,from=COL,to=COL,amount=COL,currency=COL' (currency==KZT for
    /// a fixed currency; optional tx=COL, tz=Asia/Almaty).
    #[arg(long, value_name = "MAP")]
    map: Option<String>,
    /// File the transfers under this case (opened if new).
    #[arg(long, value_name = "CASE")]
    case: Option<String>,
    /// One JSON summary on stdout.
    #[arg(long)]
    json: bool,
}

/// Arguments of `money flags`.
#[derive(Debug, clap::Args)]
pub struct FlagsArgs {
    /// Only this case's transfers (default: those imported without a case).
    #[arg(long, value_name = "CASE")]
    case: Option<String>,
    /// Thresholds (default: `<data-dir>/money.toml` if it exists, else the
    /// built-in ones).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// One JSON object per flag on stdout.
    #[arg(long)]
    json: bool,
}

/// Runs a money subcommand.
pub async fn run(vault: &Vault, command: &MoneyCommand) -> anyhow::Result<ExitCode> {
    match command {
        MoneyCommand::Import(args) => import(vault, args).await,
        MoneyCommand::Flags(args) => flags(vault, args).await,
    }
}

/// Transfers stored per transaction.
const BATCH: usize = 2_000;
/// Row errors printed before only counting them.
const SHOWN_ERRORS: usize = 50;

async fn import(vault: &Vault, args: &ImportArgs) -> anyhow::Result<ExitCode> {
    let format = match (args.format, &args.map) {
        (FormatArg::BankCsv, Some(map)) => {
            Format::BankCsv(ColumnMap::parse(map).map_err(|e| InputError(e.to_string()))?)
        }
        (FormatArg::BankCsv, None) => {
            return Err(InputError(
                "--format bank-csv needs --map 'time=COL,from=COL,to=COL,amount=COL,currency=COL'"
                    .into(),
            )
            .into());
        }
        (_, Some(_)) => {
            return Err(InputError("--map is for --format bank-csv only".into()).into());
        }
        (FormatArg::TronCsv, None) => Format::TronCsv,
        (FormatArg::Erc20Csv, None) => Format::Erc20Csv,
    };
    let path = &args.file;
    let shown = path.display().to_string();
    let open = || File::open(path).map_err(|e| InputError(format!("cannot read {shown}: {e}")));
    // The file's hashes first (the ledger names exactly what was read).
    let (sha256, md5, size) = qorgau_vault::hashing::hash_reader(&mut BufReader::new(open()?))
        .map_err(|e| InputError(format!("cannot read {shown}: {e}")))?;
    let case = match &args.case {
        Some(text) => Some(
            vault
                .store
                .open_case(&case_name(text)?, &vault.actor, &vault.tool, &vault.key)
                .await?
                .0,
        ),
        None => None,
    };
    let case_id = case.as_ref().map(|c| c.id);
    let import_id = Id::new();
    vault
        .store
        .begin_money_import(&MoneyImport {
            id: import_id,
            case_id,
            format: format.source().as_str().to_owned(),
            file_name: path
                .file_name()
                .map_or_else(|| shown.clone(), |n| n.to_string_lossy().into_owned()),
            sha256: sha256.to_hex(),
            md5: md5.to_hex(),
            size,
            imported_by: vault.actor.user.clone(),
        })
        .await?;
    let bar = crate::output::byte_bar(size, "importing");
    let counted = Counting {
        inner: open()?,
        bar: bar.clone(),
    };
    // Rows are parsed on a blocking thread and handed over in batches
    // through a bounded channel, so memory stays flat however large the
    // file; each batch is one transaction. A storage failure stops the
    // import: what was committed stays, and a re-run adds only what is
    // missing.
    let (sender, mut batches) = tokio::sync::mpsc::channel::<Vec<Transfer>>(4);
    let reading = format.clone();
    let reader = tokio::task::spawn_blocking(move || {
        let mut batch: Vec<Transfer> = Vec::with_capacity(BATCH);
        let mut errors = Vec::new();
        let counts = read_transfers(counted, &reading, |row| match row {
            Ok(t) => {
                batch.push(t);
                if batch.len() == BATCH {
                    let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                    let _ = sender.blocking_send(full);
                }
            }
            Err(e) if errors.len() < 1000 => errors.push(e),
            Err(_) => {}
        });
        if !batch.is_empty() {
            let _ = sender.blocking_send(batch);
        }
        (counts, errors)
    });
    let mut new = 0u64;
    while let Some(chunk) = batches.recv().await {
        new += vault
            .store
            .add_transfers(import_id, case_id, &chunk)
            .await?;
    }
    let (counts, errors) = reader
        .await
        .map_err(|e| anyhow::anyhow!("reading {shown}: {e}"))?;
    let counts = match counts {
        Ok(c) => c,
        Err(e) => {
            bar.finish_and_clear();
            return Err(InputError(format!("{shown}: {e}")).into());
        }
    };
    bar.finish_and_clear();
    vault
        .store
        .finish_money_import(import_id, counts.transfers, new, counts.errors)
        .await?;
    let mut draft = EntryDraft::now(
        EventKind::InvestigativeStep,
        vault.actor.clone(),
        vault.tool.clone(),
    );
    draft.case_id = case_id;
    draft.details = json!({
        "action": "money_import",
        "import_id": import_id.to_string(),
        "format": format.source().as_str(),
        "file": shown,
        "sha256": sha256.to_hex(),
        "md5": md5.to_hex(),
        "size": size,
        "rows": counts.transfers,
        "new": new,
        "row_errors": counts.errors,
    })
    .to_string();
    vault.store.append(vec![draft], &vault.key).await?;

    for e in errors.iter().take(SHOWN_ERRORS) {
        eprintln!("{shown}:{e}");
    }
    if counts.errors as usize > SHOWN_ERRORS {
        eprintln!(
            "… and {} more bad rows",
            counts.errors as usize - SHOWN_ERRORS
        );
    }
    if args.json {
        json_line(&json!({
            "import": import_id.to_string(),
            "case": case.as_ref().map(|c| c.name.as_str().to_owned()),
            "file": shown,
            "sha256": sha256.to_hex(),
            "md5": md5.to_hex(),
            "rows": counts.transfers,
            "new": new,
            "row_errors": counts.errors,
            "errors": errors.iter().map(|e| json!({"line": e.line, "message": e.message})).collect::<Vec<_>>(),
        }));
    } else {
        println!(
            "{shown}: {} transfers read, {new} new, {} already kept; {} bad rows",
            counts.transfers,
            counts.transfers.saturating_sub(new),
            counts.errors
        );
    }
    Ok(if counts.errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

struct Counting<R> {
    inner: R,
    bar: indicatif::ProgressBar,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bar.inc(n as u64);
        Ok(n)
    }
}

async fn flags(vault: &Vault, args: &FlagsArgs) -> anyhow::Result<ExitCode> {
    let case_id = match &args.case {
        Some(text) => Some(vault.case(&case_name(text)?).await?.id),
        None => None,
    };
    let stored = vault.store.transfers(case_id).await?;
    let keys: Vec<&str> = stored.iter().map(|(k, _)| k.as_str()).collect();
    let transfers: Vec<Transfer> = stored.iter().map(|(_, t)| t.clone()).collect();
    let path = args
        .config
        .clone()
        .or_else(|| Some(vault.data_dir.join("money.toml")).filter(|p| p.exists()));
    let config = match path {
        Some(p) => {
            let text = std::fs::read_to_string(&p)
                .map_err(|e| InputError(format!("cannot read {}: {e}", p.display())))?;
            FlagConfig::from_toml(&text, &p.display().to_string())
                .map_err(|e| InputError(e.to_string()))?
        }
        None => FlagConfig::default(),
    };
    let mut all: Vec<Flag> = qorgau_money::fan_in(&transfers, &config);
    all.extend(qorgau_money::pass_through(&transfers, &config));
    all.extend(qorgau_money::structuring(&transfers, &config));
    all.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.kind.cmp(&b.kind)));
    for f in &all {
        if args.json {
            json_line(&json!({
                "kind": f.kind,
                "account": f.account.key(),
                "asset": f.asset,
                "score": (f.score * 1000.0).round() / 1000.0,
                "transfers": f.transfers.iter().filter_map(|&i| keys.get(i)).collect::<Vec<_>>(),
                "from": f.from.to_rfc3339(),
                "until": f.until.to_rfc3339(),
                "explanation": f.explanation,
            }));
        } else {
            println!(
                "{:<13} {:.2}  {}  {}",
                serde_json::to_value(f.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default(),
                f.score,
                f.account.key(),
                f.explanation
            );
        }
    }
    if all.is_empty() && !args.json {
        println!("no red flags in {} transfers", transfers.len());
    }
    Ok(ExitCode::SUCCESS)
}
