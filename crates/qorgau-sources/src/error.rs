//! The one error type of this crate.
//!
//! Policy: an error names the input (the file name the caller gave, or `-`)
//! and the place in it a person can open: the line of a JSON Lines record,
//! the row and line of a CSV record, the line of a Telegram message, the byte
//! offset of malformed XML. Errors about one record are *items* of the
//! document stream and reading goes on with the next record; the caller
//! decides whether to stop. Errors that end a stream (I/O, broken JSON
//! syntax in an export) are the last item. Every message says what was
//! expected, so the user knows what to fix.

use std::fmt;

/// Why an input, or one record of it, could not be read.
///
/// It exists so that a scan over many files can report each bad record
/// precisely and carry on, and so that the binary can tell "this record is
/// wrong" from "this file cannot be read".
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// Reading the input failed.
    #[error("{input}: cannot read: {source}")]
    Io {
        /// The input's name.
        input: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// One line of a JSON Lines input is not a valid document.
    #[error("{input}:{line}: {message}")]
    Line {
        /// The input's name.
        input: String,
        /// 1-based line number.
        line: u64,
        /// What is wrong with the line.
        message: String,
    },
    /// One record of a CSV input is not a valid document.
    #[error("{input}: row {row} (line {line}): {message}")]
    CsvRow {
        /// The input's name.
        input: String,
        /// 1-based data row (the header is row 0).
        row: u64,
        /// 1-based line where the record starts.
        line: u64,
        /// What is wrong with the row.
        message: String,
    },
    /// The CSV header does not allow reading documents (no text column...).
    #[error("{input}: {message}")]
    CsvHeader {
        /// The input's name.
        input: String,
        /// What is wrong and what to do.
        message: String,
    },
    /// One message of a Telegram export could not be turned into a document.
    #[error("{input}:{line}: chat {chat}: {message}")]
    TelegramMessage {
        /// The input's name.
        input: String,
        /// 1-based line where the message starts.
        line: u64,
        /// The chat's id or name.
        chat: String,
        /// What is wrong.
        message: String,
    },
    /// A JSON document (a Telegram export) is not well-formed; reading stops.
    #[error("{input}:{line}:{column}: invalid JSON: {message}")]
    Json {
        /// The input's name.
        input: String,
        /// 1-based line.
        line: u64,
        /// 1-based column.
        column: u64,
        /// serde_json's description.
        message: String,
    },
    /// The input is JSON but not a Telegram Desktop export.
    #[error(
        "{input}: not a Telegram Desktop export (expected an object with `messages` \
         or `chats.list`); use --format jsonl for JSON Lines"
    )]
    NotTelegramExport {
        /// The input's name.
        input: String,
    },
    /// An input read as one format is not of that format.
    #[error("{input}: {message}")]
    WrongFormat {
        /// The input's name.
        input: String,
        /// What was expected and what to do.
        message: String,
    },
    /// The page is not a Telegram channel preview (`t.me/s/<channel>`).
    #[error("not a Telegram channel preview page (no `tgme_` markup found)")]
    NotTelegramWeb,
    /// XML (a feed or a sitemap) is malformed.
    #[error("malformed XML at byte {position}: {message}")]
    Xml {
        /// Byte offset in the (decoded) document.
        position: u64,
        /// quick-xml's description.
        message: String,
    },
    /// Well-formed XML of another kind than the one asked for.
    #[error("not {expected}: the root element is <{root}>")]
    WrongXml {
        /// What was expected ("an RSS or Atom feed", "a sitemap").
        expected: &'static str,
        /// The root element found (empty if none).
        root: String,
    },
    /// A whole-file input (HTML, text, gzipped sitemap) is larger than the limit.
    #[error("{input}: larger than {limit} bytes; raise the limit or split the input")]
    TooLarge {
        /// The input's name.
        input: String,
        /// The limit in bytes.
        limit: u64,
    },
    /// A format name not known to [`crate::Format`]'s `FromStr`.
    #[error(
        "unknown format `{0}` (expected auto, jsonl, telegram, telegram-web, html, text or csv)"
    )]
    UnknownFormat(String),
}

/// Text of a serde_json error without its " at line X column Y" tail (the
/// line is reported separately, relative to the whole input).
pub(crate) fn json_message(err: &serde_json::Error) -> String {
    let s = err.to_string();
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// Short description of a JSON value's type, for "wrong type" messages.
pub(crate) struct JsonKind<'a>(pub &'a serde_json::Value);

impl fmt::Display for JsonKind<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use serde_json::Value;
        f.write_str(match self.0 {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        })
    }
}
