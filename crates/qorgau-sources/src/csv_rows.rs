//! CSV and TSV: one document per row, the text from a chosen column.
//!
//! Parsing is the `csv` crate's (RFC 4180 quoting, quoted multi-line
//! fields, streaming). This module adds: the delimiter detected on the
//! header line among `,` `;` and tab when not given (tab for `.tsv`; `;` is
//! what spreadsheet programs write in Russian and Kazakh locales); a BOM
//! dropped from the header; columns named `id`, `url`, `source`, `author`,
//! `published_at` (any case) mapped to those fields and every other column
//! kept in `extra` as a string; a field that is not UTF-8 decoded as
//! windows-1251 with an `encoding_warning` (spreadsheets there still save so);
//! `\r\n` inside the text made `\n`. A row with the wrong number of fields is
//! an error item naming the row and its line, and reading goes on.

use std::io::{BufRead, Cursor, Read};

use csv::ByteRecord;

use crate::error::SourceError;
use crate::text::normalize_newlines;
use crate::{Document, ReadOptions};

/// Iterator over the rows of a CSV input.
pub(crate) struct CsvRows<R: Read> {
    input: String,
    reader: csv::Reader<R>,
    headers: Vec<String>,
    text_col: usize,
    id_col: Option<usize>,
    mapped: [Option<usize>; 4],
    row: u64,
    done: bool,
}

/// The header line, already read, followed by the rest of the input.
pub(crate) type HeadThenRest<R> = std::io::Chain<Cursor<Vec<u8>>, R>;

/// Opens a CSV input: reads its header and checks the chosen columns.
pub(crate) fn csv_rows<R: BufRead>(
    input: &str,
    mut reader: R,
    opts: &ReadOptions,
) -> Result<CsvRows<HeadThenRest<R>>, SourceError> {
    let mut first = Vec::new();
    (&mut reader)
        .take(opts.max_line_bytes as u64)
        .read_until(b'\n', &mut first)
        .map_err(|source| SourceError::Io {
            input: input.to_string(),
            source,
        })?;
    if first.starts_with(b"\xEF\xBB\xBF") {
        first.drain(..3);
    }
    let delimiter = opts.csv_delimiter.unwrap_or_else(|| {
        if input.to_ascii_lowercase().ends_with(".tsv") {
            b'\t'
        } else {
            detect_delimiter(&first)
        }
    });
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(true)
        .flexible(false)
        .from_reader(Cursor::new(first).chain(reader));
    let headers: Vec<String> = match reader.byte_headers() {
        Ok(h) => h
            .iter()
            .map(|f| field_text(f).0.trim().to_string())
            .collect(),
        Err(e) => {
            return Err(SourceError::CsvHeader {
                input: input.to_string(),
                message: format!("cannot read the header row: {e}"),
            });
        }
    };
    let find = |name: &str| {
        headers
            .iter()
            .position(|h| h.eq_ignore_ascii_case(name.trim()))
    };
    let listing = || {
        headers
            .iter()
            .map(|h| format!("`{h}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let text_col = match &opts.csv_text_column {
        Some(name) => find(name).ok_or_else(|| SourceError::CsvHeader {
            input: input.to_string(),
            message: format!(
                "no column `{name}` (delimiter `{}`); the header has {}",
                (delimiter as char).escape_default(),
                listing()
            ),
        })?,
        None => find("text").ok_or_else(|| SourceError::CsvHeader {
            input: input.to_string(),
            message: format!(
                "no `text` column; choose the text column with --text-column (the header has {})",
                listing()
            ),
        })?,
    };
    let id_col = match &opts.csv_id_column {
        Some(name) => Some(find(name).ok_or_else(|| SourceError::CsvHeader {
            input: input.to_string(),
            message: format!("no id column `{name}`; the header has {}", listing()),
        })?),
        None => find("id"),
    };
    let mapped = ["url", "source", "author", "published_at"].map(find);
    Ok(CsvRows {
        input: input.to_string(),
        reader,
        headers,
        text_col,
        id_col,
        mapped,
        row: 0,
        done: false,
    })
}

/// The most frequent of `,` `;` tab outside quotes on the header line
/// (`,` on a tie or when none occurs).
fn detect_delimiter(line: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for &b in line {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let candidates = [b',', b';', b'\t'];
    let mut best = 0;
    for i in 1..3 {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    candidates[best]
}

/// A field as text: UTF-8, else windows-1251 (flagged).
fn field_text(bytes: &[u8]) -> (String, bool) {
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), false),
        Err(_) => {
            let (s, _, _) = encoding_rs::WINDOWS_1251.decode(bytes);
            (s.into_owned(), true)
        }
    }
}

impl<R: Read> CsvRows<R> {
    fn row_document(&self, record: &ByteRecord) -> Document {
        let mut guessed = false;
        let mut cell = |i: usize| -> String {
            let (s, g) = field_text(record.get(i).unwrap_or_default());
            guessed |= g;
            s
        };
        let non_empty = |s: String| if s.trim().is_empty() { None } else { Some(s) };
        let text = normalize_newlines(&cell(self.text_col));
        let id = self
            .id_col
            .map(&mut cell)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| format!("{}:{}", self.input, self.row));
        let [url, source, author, published_at] =
            self.mapped.map(|c| c.map(&mut cell).and_then(non_empty));
        let mut extra = serde_json::Map::new();
        for (i, h) in self.headers.iter().enumerate() {
            if i == self.text_col || Some(i) == self.id_col || self.mapped.contains(&Some(i)) {
                continue;
            }
            let key = if h.is_empty() {
                format!("column{}", i + 1)
            } else {
                h.clone()
            };
            extra.insert(key, cell(i).into());
        }
        if guessed {
            extra.insert(
                "encoding_warning".into(),
                "not UTF-8; decoded as windows-1251 (guessed)".into(),
            );
        }
        Document {
            id,
            text,
            url,
            source,
            author,
            published_at,
            extra,
        }
    }
}

impl<R: Read> Iterator for CsvRows<R> {
    type Item = Result<Document, SourceError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let mut record = ByteRecord::new();
        match self.reader.read_byte_record(&mut record) {
            Ok(false) => {
                self.done = true;
                None
            }
            Ok(true) => {
                self.row += 1;
                Some(Ok(self.row_document(&record)))
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                let message = match e.kind() {
                    csv::ErrorKind::UnequalLengths {
                        expected_len, len, ..
                    } => {
                        format!("expected {expected_len} fields as in the header, found {len}")
                    }
                    csv::ErrorKind::Io(_) => {
                        self.done = true;
                        let csv::ErrorKind::Io(err) = e.into_kind() else {
                            return None;
                        };
                        return Some(Err(SourceError::Io {
                            input: self.input.clone(),
                            source: err,
                        }));
                    }
                    _ => e.to_string(),
                };
                self.row += 1;
                Some(Err(SourceError::CsvRow {
                    input: self.input.clone(),
                    row: self.row,
                    line,
                    message,
                }))
            }
        }
    }
}
