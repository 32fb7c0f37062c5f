//! Input formats and their detection.

use std::fmt;
use std::str::FromStr;

use crate::SourceError;

/// How many leading bytes [`detect_format`] wants to see. A `t.me/s` page
/// carries about 10 KB of header and SVG before its first post marker, and
/// a JSON Lines record can be long; 64 KiB covers both.
pub const SNIFF_BYTES: usize = 64 * 1024;

/// An input format known to [`crate::read`].
///
/// It exists so that the command line (`--format`) and the detection by
/// extension and content agree on one list of names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Decide from the file name and the first bytes ([`detect_format`]).
    Auto,
    /// JSON Lines: one object per line with `id` and `text`.
    Jsonl,
    /// Telegram Desktop export `result.json` (one chat or a whole account).
    Telegram,
    /// A saved Telegram channel preview page (`https://t.me/s/<channel>`).
    TelegramWeb,
    /// An HTML page: one document.
    Html,
    /// Plain text: one document per input.
    Text,
    /// CSV/TSV with a chosen text column.
    Csv,
}

impl Format {
    /// Every format, in the order the command line lists them: what a form
    /// or a job offers.
    pub const ALL: [Format; 7] = [
        Format::Auto,
        Format::Jsonl,
        Format::Telegram,
        Format::TelegramWeb,
        Format::Html,
        Format::Text,
        Format::Csv,
    ];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Auto => "auto",
            Format::Jsonl => "jsonl",
            Format::Telegram => "telegram",
            Format::TelegramWeb => "telegram-web",
            Format::Html => "html",
            Format::Text => "text",
            Format::Csv => "csv",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = SourceError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s.trim().to_ascii_lowercase().as_str() {
            "auto" => Format::Auto,
            "jsonl" | "ndjson" | "json-lines" => Format::Jsonl,
            "telegram" => Format::Telegram,
            "telegram-web" | "tgweb" => Format::TelegramWeb,
            "html" => Format::Html,
            "text" | "txt" => Format::Text,
            "csv" | "tsv" => Format::Csv,
            _ => return Err(SourceError::UnknownFormat(s.to_string())),
        })
    }
}

/// Picks the format of an input from its name and its first bytes (pass up
/// to [`SNIFF_BYTES`] of them; fewer is fine for short inputs).
///
/// The extension decides when it is unambiguous (`.jsonl`, `.ndjson`, `.txt`,
/// `.csv`, `.tsv`); `.json` is a Telegram export unless its first line is a
/// complete JSON object without `messages`/`chats` (JSON Lines misnamed);
/// `.html`/`.htm` is a channel preview when it carries `tgme_` markup.
/// Without a known extension (stdin is `-`) the content decides: `{` starts
/// JSON as above, `<` starts HTML, anything else is plain text. Never
/// returns [`Format::Auto`].
pub fn detect_format(name: &str, head: &[u8]) -> Format {
    let file = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let ext = match file.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => ext.to_ascii_lowercase(),
        _ => String::new(),
    };
    match ext.as_str() {
        "jsonl" | "ndjson" | "jsonlines" => Format::Jsonl,
        "json" => sniff_json(head),
        "html" | "htm" | "xhtml" | "shtml" => {
            if is_telegram_web(head) {
                Format::TelegramWeb
            } else {
                Format::Html
            }
        }
        "txt" | "text" | "md" | "log" => Format::Text,
        "csv" | "tsv" => Format::Csv,
        _ => sniff(head),
    }
}

fn sniff(head: &[u8]) -> Format {
    let body = skip_bom_and_space(head);
    match body.first() {
        Some(b'{') => sniff_json(head),
        Some(b'<') if is_telegram_web(head) => Format::TelegramWeb,
        Some(b'<') => Format::Html,
        _ => Format::Text,
    }
}

fn skip_bom_and_space(head: &[u8]) -> &[u8] {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    &head[start..]
}

/// A Telegram export is one (usually pretty-printed) object; JSON Lines has
/// a complete object on its first line.
fn sniff_json(head: &[u8]) -> Format {
    let body = skip_bom_and_space(head);
    let newline = memchr::memchr(b'\n', body);
    let line = &body[..newline.unwrap_or(body.len())];
    match serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(line) {
        Ok(obj) if obj.contains_key("messages") || obj.contains_key("chats") => Format::Telegram,
        Ok(_) => Format::Jsonl,
        // A first line that is not a whole object: a pretty-printed export.
        Err(_) if newline.is_some() => Format::Telegram,
        // The first line does not end within the head: a minified export or
        // a long JSON Lines record; only an export has these keys up front.
        Err(_) => {
            let keys: [&[u8]; 3] = [b"\"messages\"", b"\"chats\"", b"\"personal_information\""];
            let is_export = keys.iter().any(|k| {
                memchr::memmem::find_iter(body, k).any(|i| i == 0 || body[i - 1] != b'\\')
            });
            if is_export {
                Format::Telegram
            } else {
                Format::Jsonl
            }
        }
    }
}

/// Markers of a `t.me/s/<channel>` page (post, history list, channel header).
pub(crate) fn is_telegram_web(head: &[u8]) -> bool {
    const MARKERS: [&[u8]; 3] = [
        b"tgme_widget_message",
        b"tgme_channel_history",
        b"tgme_channel_info",
    ];
    MARKERS
        .iter()
        .any(|m| memchr::memmem::find(head, m).is_some())
}
