//! `qorgau money triage FILE --format …`: the red flags of an export
//! without importing it — a first look at a file (a bank's answer, a whole
//! exchange export of millions of rows) before deciding what goes into a
//! case. Nothing is stored and nothing is written to the ledger; flags name
//! the file's lines.

use std::fs::File;
use std::io::{BufRead, BufReader, Read as _, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use indicatif::ProgressBar;
use qorgau_money::flags::{TransferTable, table_flags};
use qorgau_money::{ColumnMap, Format, ImportError, RowError, read_transfers};
use qorgau_vault::Vault;
use serde_json::json;

use super::config;
use crate::output::{InputError, json_line};

/// Formats triage reads (Bitcoin JSON is imported, not triaged: its flags
/// need the transactions).
#[allow(clippy::enum_variant_names)]
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum TriageFormat {
    /// Tronscan's transfers CSV.
    TronCsv,
    /// Etherscan's ERC-20 token transfers CSV.
    Erc20Csv,
    /// A bank statement CSV; give the columns with --map.
    BankCsv,
}

/// Arguments of `money triage`.
#[derive(Debug, clap::Args)]
pub struct TriageArgs {
    /// The file.
    file: PathBuf,
    /// What the file is.
    #[arg(long, value_enum)]
    format: TriageFormat,
    /// Columns of a bank statement (as for `money import`).
    #[arg(long, value_name = "MAP")]
    map: Option<String>,
    /// Thresholds (default: `<data-dir>/money.toml`, else built-in).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// One JSON object per flag, then a summary object.
    #[arg(long)]
    json: bool,
    /// Read an explorer export of 32 MiB or more in two halves on two
    /// threads (2, the default) or on one (1).
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u8).range(1..=2))]
    threads: u8,
}

/// Runs `money triage`.
pub async fn triage(vault: &Vault, args: &TriageArgs) -> anyhow::Result<ExitCode> {
    let format = match (args.format, &args.map) {
        (TriageFormat::BankCsv, Some(map)) => {
            Format::BankCsv(ColumnMap::parse(map).map_err(|e| InputError(e.to_string()))?)
        }
        (TriageFormat::BankCsv, None) => {
            return Err(InputError("--format bank-csv needs --map".into()).into());
        }
        (_, Some(_)) => return Err(InputError("--map is for --format bank-csv only".into()).into()),
        (TriageFormat::TronCsv, None) => Format::TronCsv,
        (TriageFormat::Erc20Csv, None) => Format::Erc20Csv,
    };
    let config = config(vault, args.config.as_deref())?;
    let shown = args.file.display().to_string();
    let path = args.file.clone();
    let size = std::fs::metadata(&path)
        .map_err(|e| InputError(format!("cannot read {shown}: {e}")))?
        .len();
    let bar = crate::output::byte_bar(size, "reading");
    let json = args.json;
    let threads = args.threads;
    let reading = tokio::task::spawn_blocking(move || -> Result<_, ImportError> {
        let read = read_file(&path, &format, &bar, threads)?;
        bar.finish_and_clear();
        let flags = table_flags(&read.table, &config);
        Ok((read, flags))
    });
    let (read, flags) = reading
        .await
        .map_err(|e| anyhow::anyhow!("reading {shown}: {e}"))?
        .map_err(|e| InputError(format!("{shown}: {e}")))?;
    for e in read.errors.iter().take(50) {
        eprintln!("{shown}:{e}");
    }
    let (rows, accounts, lines, errors) = (
        read.table.len(),
        read.table.account_count(),
        read.lines,
        read.error_count,
    );
    for f in &flags {
        let at: Vec<u64> = f
            .transfers
            .iter()
            .filter_map(|&i| lines.get(i).copied())
            .collect();
        if json {
            json_line(&json!({
                "kind": f.kind.as_str(),
                "account": f.account.key(),
                "asset": f.asset,
                "score": (f.score * 1000.0).round() / 1000.0,
                "lines": at,
                "from": f.from.to_rfc3339(),
                "until": f.until.to_rfc3339(),
                "explanation": f.explanation,
            }));
        } else {
            println!(
                "{:<13} {:.2}  {}  {}",
                f.kind.as_str(),
                f.score,
                f.account.key(),
                f.explanation
            );
        }
    }
    if json {
        json_line(
            &json!({ "file": shown, "rows": rows, "accounts": accounts, "row_errors": errors, "flags": flags.len() }),
        );
    } else {
        println!(
            "{shown}: {rows} transfers between {accounts} accounts, {} red flags; {errors} bad rows",
            flags.len()
        );
    }
    Ok(if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// What reading a file gave.
struct Read {
    table: TransferTable,
    /// The file line of each transfer of the table.
    lines: Vec<u64>,
    /// The first bad rows (lines of the file).
    errors: Vec<RowError>,
    error_count: u64,
}

/// Files smaller than this are read on one core.
const SPLIT_FROM: u64 = 32 << 20;

/// Reads `path`; an explorer export (one record per line, no quoted line
/// breaks) of some size is read as two halves on two cores, split at a line
/// break, the second half read behind a copy of the header, its lines
/// renumbered by the first half's line count and its table appended.
/// Bank statements (whose descriptions may hold quoted line breaks) are
/// read on one core.
fn read_file(
    path: &Path,
    format: &Format,
    bar: &ProgressBar,
    threads: u8,
) -> Result<Read, ImportError> {
    let size = std::fs::metadata(path)?.len();
    let splittable = threads > 1 && matches!(format, Format::TronCsv | Format::Erc20Csv);
    let boundary = if splittable && size >= SPLIT_FROM {
        let mut file = BufReader::new(File::open(path)?);
        file.seek(SeekFrom::Start(size / 2))?;
        let mut rest = Vec::new();
        file.read_until(b'\n', &mut rest)?;
        Some(size / 2 + rest.len() as u64).filter(|b| *b < size)
    } else {
        None
    };
    let Some(boundary) = boundary else {
        let (read, _) = read_part(File::open(path)?, format, bar, u64::MAX)?;
        return Ok(read);
    };
    let mut header = Vec::new();
    BufReader::new(File::open(path)?).read_until(b'\n', &mut header)?;
    let first = File::open(path)?;
    let mut second = File::open(path)?;
    second.seek(SeekFrom::Start(boundary))?;
    let (one, two) = std::thread::scope(|s| {
        let two = s.spawn(|| {
            read_part(
                std::io::Cursor::new(header).chain(second.take(size - boundary)),
                format,
                bar,
                u64::MAX,
            )
        });
        let one = read_part(first, format, bar, boundary);
        (one, two.join())
    });
    let (mut one, lines_in_one) = one?;
    let (two, _) =
        two.map_err(|_| ImportError::Header("reading the second half failed".into()))??;
    // Line r of the second half (its header is line 1) is line
    // r + lines_in_one - 1 of the file.
    let shift = lines_in_one.saturating_sub(1);
    one.lines.extend(two.lines.iter().map(|l| l + shift));
    one.errors.extend(two.errors.into_iter().map(|mut e| {
        e.line += shift;
        e
    }));
    one.error_count += two.error_count;
    one.table.append(two.table);
    Ok(one)
}

/// Reads at most `limit` bytes of `input` into a table; returns it with the
/// number of line breaks read.
fn read_part(
    input: impl std::io::Read,
    format: &Format,
    bar: &ProgressBar,
    limit: u64,
) -> Result<(Read, u64), ImportError> {
    let mut counted = Counted {
        inner: BufReader::with_capacity(1 << 20, input.take(limit)),
        bar: bar.clone(),
        pending: 0,
        newlines: 0,
    };
    let mut read = Read {
        table: TransferTable::new(),
        lines: Vec::new(),
        errors: Vec::new(),
        error_count: 0,
    };
    read_transfers(&mut counted, format, |row| match row {
        Ok(t) => {
            read.lines.push(t.line);
            read.table.push(&t);
        }
        Err(e) => {
            read.error_count += 1;
            if read.errors.len() < 50 {
                read.errors.push(e);
            }
        }
    })?;
    Ok((read, counted.newlines))
}

/// Advances the progress bar every megabyte rather than every read, and
/// counts line breaks.
struct Counted<R> {
    inner: R,
    bar: ProgressBar,
    pending: u64,
    newlines: u64,
}

impl<R: std::io::Read> std::io::Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.newlines += buf[..n].iter().filter(|b| **b == b'\n').count() as u64;
        self.pending += n as u64;
        if self.pending >= 1 << 20 || n == 0 {
            self.bar.inc(self.pending);
            self.pending = 0;
        }
        Ok(n)
    }
}
