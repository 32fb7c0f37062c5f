//! `qorgau money import FILE --format …`: transfers from explorer exports,
//! Bitcoin transactions and bank statements into the database, streamed in
//! batches, once per case, the file's hashes and the counts in the custody
//! ledger.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::PathBuf;
use std::process::ExitCode;

use qorgau_core::Id;
use qorgau_evidence::{EntryDraft, EventKind};
use qorgau_money::bitcoin::read::read_btc;
use qorgau_money::{BtcTx, ColumnMap, Format, Transfer, read_transfers};
use qorgau_store::MoneyImport;
use qorgau_vault::Vault;
use serde_json::json;

use crate::cmd::case_name;
use crate::output::{InputError, json_line};

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
    /// Bitcoin transactions as JSON (Bitcoin Core `getrawtransaction TXID 2`
    /// or Esplora `/tx`, `/address/…/txs`).
    BtcJson,
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
    #[arg(long, value_name = "MAP", conflicts_with = "profile")]
    map: Option<String>,
    /// A bank's column mapping saved earlier with --save-profile
    /// (`<data-dir>/money-profiles/NAME.map`).
    #[arg(long, value_name = "NAME")]
    profile: Option<String>,
    /// Save --map under this name for later imports of the same bank's
    /// statements.
    #[arg(long, value_name = "NAME", requires = "map")]
    save_profile: Option<String>,
    /// File the transfers under this case (opened if new).
    #[arg(long, value_name = "CASE")]
    case: Option<String>,
    /// One JSON summary on stdout.
    #[arg(long)]
    json: bool,
}

/// Transfers stored per transaction.
const BATCH: usize = 10_000;
/// Row errors printed before only counting them.
const SHOWN_ERRORS: usize = 50;

/// A profile name: a file name on every system, nothing else.
fn profile_path(vault: &Vault, name: &str) -> anyhow::Result<PathBuf> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !ok {
        return Err(InputError(format!(
            "profile name {name:?}: use 1 to 64 letters, digits, '-' or '_'"
        ))
        .into());
    }
    Ok(vault
        .data_dir
        .join("money-profiles")
        .join(format!("{name}.map")))
}

pub(super) async fn import(vault: &Vault, args: &ImportArgs) -> anyhow::Result<ExitCode> {
    let saved;
    let map = match &args.profile {
        Some(name) => {
            let path = profile_path(vault, name)?;
            saved = std::fs::read_to_string(&path).map_err(|e| {
                InputError(format!(
                    "no saved profile {name:?} ({}: {e}); save one with --map '…' --save-profile {name}",
                    path.display()
                ))
            })?;
            Some(saved.trim())
        }
        None => args.map.as_deref(),
    };
    if let (Some(name), Some(text)) = (&args.save_profile, &args.map) {
        // Checked before it is kept: a profile that does not parse would
        // fail every later import.
        ColumnMap::parse(text).map_err(|e| InputError(e.to_string()))?;
        let path = profile_path(vault, name)?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| InputError(format!("cannot create {}: {e}", dir.display())))?;
        }
        std::fs::write(&path, format!("{}\n", text.trim()))
            .map_err(|e| InputError(format!("cannot write {}: {e}", path.display())))?;
    }
    let format = match (args.format, map) {
        (FormatArg::BankCsv, Some(map)) => {
            Format::BankCsv(ColumnMap::parse(map).map_err(|e| InputError(e.to_string()))?)
        }
        (FormatArg::BankCsv, None) => {
            return Err(InputError(
                "--format bank-csv needs --map 'time=COL,from=COL,to=COL,amount=COL,currency=COL' \
                 or --profile NAME"
                    .into(),
            )
            .into());
        }
        (_, Some(_)) => {
            return Err(
                InputError("--map and --profile are for --format bank-csv only".into()).into(),
            );
        }
        (FormatArg::TronCsv, None) => Format::TronCsv,
        (FormatArg::Erc20Csv, None) => Format::Erc20Csv,
        (FormatArg::BtcJson, None) => Format::BtcJson,
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
    let _progress = crate::output::report_progress(&bar, "bytes");
    let counted = Counting {
        inner: open()?,
        bar: bar.clone(),
    };
    // Rows are parsed on a blocking thread and handed over in batches
    // through a bounded channel, so memory stays flat however large the
    // file; each batch is one transaction. A storage failure stops the
    // import: what was committed stays, and a re-run adds only what is
    // missing.
    let (sender, mut batches) = tokio::sync::mpsc::channel::<Batch>(4);
    let reading = format.clone();
    let reader = tokio::task::spawn_blocking(move || {
        let mut batch = Batch::default();
        let mut errors = Vec::new();
        let keep = |batch: &mut Batch| {
            if batch.len() >= BATCH {
                let _ = sender.blocking_send(std::mem::take(batch));
            }
        };
        let counts = if reading == Format::BtcJson {
            read_btc(counted, |row| match row {
                Ok(tx) => {
                    batch.transfers.extend(tx.transfers());
                    batch.btc.push(tx);
                    keep(&mut batch);
                }
                Err(e) if errors.len() < 1000 => errors.push(e),
                Err(_) => {}
            })
        } else {
            read_transfers(counted, &reading, |row| match row {
                Ok(t) => {
                    batch.transfers.push(t);
                    keep(&mut batch);
                }
                Err(e) if errors.len() < 1000 => errors.push(e),
                Err(_) => {}
            })
        };
        if batch.len() > 0 {
            let _ = sender.blocking_send(batch);
        }
        (counts, errors)
    });
    let mut new = 0u64;
    let mut new_txs = 0u64;
    let mut derived = 0u64;
    let mut linked = std::collections::HashSet::new();
    while let Some(chunk) = batches.recv().await {
        if !chunk.btc.is_empty() {
            new_txs += vault
                .store
                .add_btc_txs(import_id, case_id, &chunk.btc)
                .await?;
        }
        derived += chunk.transfers.len() as u64;
        new += vault
            .store
            .add_transfers_linked(import_id, case_id, &chunk.transfers, &mut linked)
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
        "btc_transactions_new": (format == Format::BtcJson).then_some(new_txs),
        "transfers_derived": (format == Format::BtcJson).then_some(derived),
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
            "btc_transactions_new": (format == Format::BtcJson).then_some(new_txs),
            "transfers_derived": (format == Format::BtcJson).then_some(derived),
            "errors": errors.iter().map(|e| json!({"line": e.line, "message": e.message})).collect::<Vec<_>>(),
        }));
    } else if format == Format::BtcJson {
        println!(
            "{shown}: {} transactions read, {new_txs} new; {derived} transfers derived, {new} new; {} bad transactions",
            counts.transfers, counts.errors
        );
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

/// What goes to the database in one transaction.
#[derive(Default)]
struct Batch {
    transfers: Vec<Transfer>,
    btc: Vec<BtcTx>,
}

impl Batch {
    fn len(&self) -> usize {
        self.transfers.len() + self.btc.len()
    }
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
