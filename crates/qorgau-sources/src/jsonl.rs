//! JSON Lines: one document object per line.
//!
//! Each line is read into one reused buffer, so memory is bounded by the
//! longest line (itself capped by [`crate::ReadOptions::max_line_bytes`]: a
//! longer line is skipped to its end without being kept, and reported).
//! Empty and blank lines are skipped; a UTF-8 BOM on the first line and a
//! `\r` before the newline are ignored. A bad line (invalid UTF-8, invalid
//! JSON, not an object, a missing or mistyped field) is an error item naming
//! the input and the line; reading goes on with the next line.
//!
//! Fields: `id` (a string, or an integer taken as its decimal text), `text`
//! (a string), and optionally `url`, `source`, `author`, `published_at`
//! (strings or null), and `images`: a list of pictures, each an object with
//! `phash` and `dhash` (16 hex digits as Qorgau computes them, optionally
//! with their `algorithm`), or a `path` relative to the JSON Lines file
//! (read and hashed, see `images`), or a `url` (recorded, never fetched).
//! A malformed picture is a note on it, never an error of the line. Every
//! other field is kept in `extra`; the pictures, read, in `extra["images"]`.

use std::io::BufRead;

use serde_json::{Map, Value};

use crate::Document;
use crate::error::{JsonKind, SourceError, json_message};
use crate::images::{self, IMAGES_KEY, LocalImages};

/// Iterator over the documents of a JSON Lines input.
pub(crate) struct JsonLines<R> {
    input: String,
    reader: R,
    buf: Vec<u8>,
    line: u64,
    max_line: usize,
    done: bool,
    images: LocalImages,
}

impl<R: BufRead> JsonLines<R> {
    pub(crate) fn new(input: &str, reader: R, max_line: usize) -> Self {
        Self {
            input: input.to_string(),
            reader,
            buf: Vec::new(),
            line: 0,
            max_line: max_line.max(1),
            done: false,
            images: LocalImages::none("no directory was given for the input"),
        }
    }

    /// Reads the `path`s of `images` fields from this directory setting.
    pub(crate) fn with_images(mut self, images: LocalImages) -> Self {
        self.images = images;
        self
    }

    /// Reads the next line into `buf` (without the newline). Returns
    /// `Ok(false)` at the end of input, `Ok(true)` with `overlong` set when
    /// the line was longer than the cap (then `buf` holds only its start).
    fn next_line(&mut self, overlong: &mut bool) -> std::io::Result<bool> {
        self.buf.clear();
        *overlong = false;
        let mut any = false;
        loop {
            let chunk = match self.reader.fill_buf() {
                Ok(c) => c,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if chunk.is_empty() {
                return Ok(any);
            }
            any = true;
            let (part, found) = match memchr::memchr(b'\n', chunk) {
                Some(i) => (&chunk[..i], Some(i + 1)),
                None => (chunk, None),
            };
            let room = self.max_line.saturating_sub(self.buf.len());
            if part.len() > room {
                *overlong = true;
            }
            self.buf.extend_from_slice(&part[..part.len().min(room)]);
            let used = found.unwrap_or(chunk.len());
            self.reader.consume(used);
            if found.is_some() {
                return Ok(true);
            }
        }
    }

    fn error(&self, message: impl Into<String>) -> SourceError {
        SourceError::Line {
            input: self.input.clone(),
            line: self.line,
            message: message.into(),
        }
    }
}

impl<R: BufRead> Iterator for JsonLines<R> {
    type Item = Result<Document, SourceError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            let mut overlong = false;
            match self.next_line(&mut overlong) {
                Ok(true) => {}
                Ok(false) => {
                    self.done = true;
                    return None;
                }
                Err(source) => {
                    self.done = true;
                    return Some(Err(SourceError::Io {
                        input: self.input.clone(),
                        source,
                    }));
                }
            }
            self.line += 1;
            if overlong {
                return Some(Err(self.error(format!(
                    "line longer than {} bytes; skipped",
                    self.max_line
                ))));
            }
            let mut bytes = self.buf.as_slice();
            if self.line == 1 {
                bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            }
            if bytes.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            return Some(
                parse_line(bytes)
                    .map(|doc| with_images(doc, &self.images))
                    .map_err(|m| self.error(m)),
            );
        }
        None
    }
}

/// One line to a document, or what is wrong with it.
pub(crate) fn parse_line(bytes: &[u8]) -> Result<Document, String> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| format!("invalid UTF-8 at byte {} of the line", e.valid_up_to() + 1))?;
    let value: Value = serde_json::from_str(text.trim())
        .map_err(|e| format!("invalid JSON: {}", json_message_col(&e)))?;
    let Value::Object(obj) = value else {
        return Err(format!(
            "expected a JSON object, found {}",
            JsonKind(&value)
        ));
    };
    document_from_object(obj)
}

/// The `images` field read into pictures (hashing the files it names).
fn with_images(mut doc: Document, local: &LocalImages) -> Document {
    if let Some(value) = doc.extra.remove(IMAGES_KEY) {
        let (images, omitted) = images::from_json_field(value, local);
        doc.set_images(images);
        if omitted > 0 {
            doc.extra.insert("images_omitted".into(), omitted.into());
        }
    }
    doc
}

/// serde_json's message with the column (the line is always 1 here).
fn json_message_col(e: &serde_json::Error) -> String {
    format!("{} at column {}", json_message(e), e.column())
}

/// A JSON object with `id` and `text` to a document.
pub(crate) fn document_from_object(mut obj: Map<String, Value>) -> Result<Document, String> {
    let id = match obj.remove("id") {
        Some(Value::String(s)) if !s.trim().is_empty() => s,
        Some(Value::String(_)) => return Err("`id` is empty".into()),
        Some(Value::Number(n)) if n.is_i64() || n.is_u64() => n.to_string(),
        Some(other) => {
            return Err(format!("`id` must be a string, found {}", JsonKind(&other)));
        }
        None => return Err("missing field `id`".into()),
    };
    let text = match obj.remove("text") {
        Some(Value::String(s)) => s,
        Some(other) => {
            return Err(format!(
                "`text` must be a string, found {} (id {id})",
                JsonKind(&other)
            ));
        }
        None => return Err(format!("missing field `text` (id {id})")),
    };
    let mut optional = |field: &str| -> Result<Option<String>, String> {
        match obj.remove(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(format!(
                "`{field}` must be a string or null, found {} (id {id})",
                JsonKind(&other)
            )),
        }
    };
    let url = optional("url")?;
    let source = optional("source")?;
    let author = optional("author")?;
    let published_at = optional("published_at")?;
    Ok(Document {
        id,
        text,
        url,
        source,
        author,
        published_at,
        extra: obj,
    })
}
