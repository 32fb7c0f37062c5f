//! Reading transfers from the files investigators get: block-explorer
//! exports and bank statements.
//!
//! Every reader streams (one row in memory at a time) and hands each row to
//! the caller as a [`Transfer`] or a [`RowError`] naming the line and the
//! column: a bad row is reported and the rows around it are still read, so
//! nothing before it is lost silently and the caller decides what to keep.
//! A file that is not of the format at all (its header lacks a column the
//! format needs) is an [`ImportError`] before any row.

mod bank;
mod columns;
mod explorers;
mod time;

use std::io::{BufRead, BufReader, Read};

pub use bank::{ColumnMap, MapError};
pub(crate) use columns::Header;

use crate::model::{SourceFormat, Transfer};

/// A row that could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct RowError {
    /// Line of the file (1-based; the header is line 1).
    pub line: u64,
    /// What is wrong, naming the column.
    pub message: String,
}

/// Why a file cannot be read as the format at all.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The header lacks what the format needs.
    #[error("{0}")]
    Header(String),
    /// The file cannot be read (I/O, or not UTF-8 text).
    #[error("reading the file: {0}")]
    Read(#[from] csv::Error),
    /// Reading the first bytes failed.
    #[error("reading the file: {0}")]
    Io(#[from] std::io::Error),
}

/// The formats `qorgau money import` reads.
#[derive(Clone, Debug, PartialEq)]
pub enum Format {
    /// Tronscan's "Transfers" CSV of an address (TRC-20 tokens such as USDT).
    TronCsv,
    /// Etherscan's ERC-20 token transfers CSV.
    Erc20Csv,
    /// A bank statement with the columns named by a mapping.
    BankCsv(ColumnMap),
    /// Bitcoin transactions as JSON (see [`crate::bitcoin::read`]).
    BtcJson,
}

impl Format {
    /// The source recorded on each transfer.
    pub fn source(&self) -> SourceFormat {
        match self {
            Format::TronCsv => SourceFormat::TronCsv,
            Format::Erc20Csv => SourceFormat::Erc20Csv,
            Format::BankCsv(_) => SourceFormat::BankCsv,
            Format::BtcJson => SourceFormat::BtcJson,
        }
    }
}

/// Turns one record (and its line) into a transfer or a message.
type RowReader = Box<dyn FnMut(&csv::StringRecord, u64) -> Result<Transfer, String>>;

/// What a read found.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReadCounts {
    /// Rows read into transfers.
    pub transfers: u64,
    /// Rows reported as errors.
    pub errors: u64,
}

/// Reads `input` as `format`, calling `each` for every data row in order.
/// For Bitcoin JSON the transfers are those derived from each transaction
/// ([`crate::bitcoin::BtcTx::transfers`]) and the counts count
/// transactions; [`crate::bitcoin::read::read_btc`] gives the
/// transactions themselves.
pub fn read_transfers<R: Read>(
    input: R,
    format: &Format,
    mut each: impl FnMut(Result<Transfer, RowError>),
) -> Result<ReadCounts, ImportError> {
    if *format == Format::BtcJson {
        return crate::bitcoin::read::read_btc(input, |row| match row {
            Ok(tx) => tx.transfers().into_iter().for_each(|t| each(Ok(t))),
            Err(e) => each(Err(e)),
        });
    }
    let mut input = BufReader::with_capacity(64 * 1024, input);
    let delimiter = sniff_delimiter(input.fill_buf()?);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(input);
    let header = Header::new(reader.headers()?.clone());
    let mut row_reader: RowReader = match format {
        Format::TronCsv => Box::new(explorers::tron(&header)?),
        Format::Erc20Csv => Box::new(explorers::erc20(&header)?),
        Format::BankCsv(map) => Box::new(bank::reader(&header, map)?),
        Format::BtcJson => unreachable_btc()?,
    };
    let mut counts = ReadCounts::default();
    let mut record = csv::StringRecord::new();
    loop {
        let line = reader.position().line().max(2);
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = record.position().map_or(line, |p| p.line());
                if record.iter().all(|f| f.trim().is_empty()) {
                    continue;
                }
                match row_reader(&record, line) {
                    Ok(t) => {
                        counts.transfers += 1;
                        each(Ok(t));
                    }
                    Err(message) => {
                        counts.errors += 1;
                        each(Err(RowError { line, message }));
                    }
                }
            }
            // A row the CSV reader itself refuses (text that is not UTF-8):
            // report it and go on with the next one.
            Err(e) if matches!(e.kind(), csv::ErrorKind::Utf8 { .. }) => {
                counts.errors += 1;
                let line = e.position().map_or(line, |p| p.line());
                each(Err(RowError {
                    line,
                    message: "the row is not UTF-8 text; save the file as UTF-8".into(),
                }));
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(counts)
}

/// Bitcoin JSON is dispatched before the CSV reader is made.
fn unreachable_btc() -> Result<RowReader, ImportError> {
    Err(ImportError::Header("Bitcoin JSON is not CSV".into()))
}

/// `;` when the first line has more semicolons than commas (spreadsheets in
/// Russian and Kazakh locales save so), else `,`; tabs likewise.
fn sniff_delimiter(head: &[u8]) -> u8 {
    let line = head.split(|b| *b == b'\n').next().unwrap_or(head);
    let count = |c: u8| line.iter().filter(|b| **b == c).count();
    let (commas, semis, tabs) = (count(b','), count(b';'), count(b'\t'));
    if tabs > commas && tabs > semis {
        b'\t'
    } else if semis > commas {
        b';'
    } else {
        b','
    }
}
