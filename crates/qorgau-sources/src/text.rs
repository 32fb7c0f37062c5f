//! Plain text: one document per input.
//!
//! The id is the input's name. Line endings become `\n` (`\r\n` and a lone
//! `\r` alike) and a byte-order mark is dropped. Bytes that are not UTF-8
//! are not an error and are not replaced blindly: UTF-16 with a BOM is
//! decoded, and undeclared non-UTF-8 text is decoded as windows-1251 (the
//! legacy Cyrillic encoding) with an `encoding_warning` in `extra` saying it
//! was a guess, so the reviewer knows (see `decode`).

use crate::Document;
use crate::decode::decode_text;

/// The document of a whole text input.
pub(crate) fn text_document(input: &str, bytes: &[u8]) -> Document {
    let decoded = decode_text(bytes);
    let text = normalize_newlines(&decoded.text);
    let mut extra = serde_json::Map::new();
    if let Some(w) = decoded.warning() {
        extra.insert("encoding_warning".into(), w.into());
    }
    Document {
        id: input.to_string(),
        text,
        extra,
        ..Document::default()
    }
}

/// `\r\n` and lone `\r` to `\n`.
pub(crate) fn normalize_newlines(s: &str) -> String {
    if !s.contains('\r') {
        return s.to_string();
    }
    s.replace("\r\n", "\n").replace('\r', "\n")
}
