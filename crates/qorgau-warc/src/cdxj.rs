//! CDXJ indexes: one line per capture, `SURT-key 14-digit-timestamp
//! {json}`, sorted — the `indexes/index.cdx` of a WACZ and what pywb reads.
//!
//! Lines are written byte for byte as `cdxj-indexer` (and so py-wacz)
//! writes them: the same records (response, revisit, resource, metadata;
//! not `application/warc-fields` metadata), the same JSON fields in the
//! same order with Python's `json.dumps` spacing and ASCII escaping, so the
//! two can be compared line by line and mixed in one index.

use std::io::{BufRead, Read, Write};

use chrono::{DateTime, Utc};

use crate::digest::{DigestAlgorithm, Hasher};
use crate::error::{Error, Result};
use crate::http::head_len;
use crate::reader::WarcReader;
use crate::surt::surt;

/// Most bytes of an HTTP head read to find status and content type.
const MAX_HTTP_HEAD: usize = 1 << 20;

/// One index line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CdxjEntry {
    /// SURT key of the URL.
    pub urlkey: String,
    /// `YYYYMMDDhhmmss` (UTC) of `WARC-Date`.
    pub timestamp: String,
    /// `WARC-Target-URI`.
    pub url: String,
    /// Media type without parameters (HTTP `Content-Type` for responses,
    /// the record's for resources, `warc/revisit` for revisits).
    pub mime: Option<String>,
    /// HTTP status code, for responses and revisits.
    pub status: Option<String>,
    /// `WARC-Payload-Digest` (computed as `sha1:` when a record lacks one,
    /// as `cdxj-indexer` does).
    pub digest: Option<String>,
    /// Bytes of the record in the file (its gzip member).
    pub length: u64,
    /// Offset of the record in the file.
    pub offset: u64,
    /// The WARC file's name as replay will find it (`archive/` is implied
    /// in a WACZ).
    pub filename: String,
}

impl CdxjEntry {
    /// The line without its newline.
    pub fn to_line(&self) -> String {
        let mut json = String::from("{");
        let mut field = |k: &str, v: &str| {
            if json.len() > 1 {
                json.push_str(", ");
            }
            json.push_str(&py_json_string(k));
            json.push_str(": ");
            json.push_str(&py_json_string(v));
        };
        field("url", &self.url);
        if let Some(m) = &self.mime {
            field("mime", m);
        }
        if let Some(s) = &self.status {
            field("status", s);
        }
        if let Some(d) = &self.digest {
            field("digest", d);
        }
        field("length", &self.length.to_string());
        field("offset", &self.offset.to_string());
        field("filename", &self.filename);
        json.push('}');
        format!("{} {} {}", self.urlkey, self.timestamp, json)
    }
}

/// Python's `json.dumps` of a string (`ensure_ascii=True`): what
/// `cdxj-indexer` writes. Hand-written because serde_json does not escape
/// non-ASCII, and index lines must match byte for byte.
fn py_json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || (c as u32) > 0x7e => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `YYYYMMDDhhmmss` of a time.
pub fn cdx_timestamp(date: DateTime<Utc>) -> String {
    date.format("%Y%m%d%H%M%S").to_string()
}

/// Indexes a `.warc` or `.warc.gz` stream (streaming; blocks are not held
/// in memory). `filename` goes into every line. Lines come in file order;
/// [`write_cdxj`] sorts them.
pub fn index_warc<R: BufRead>(warc: R, filename: &str) -> Result<Vec<CdxjEntry>> {
    let mut reader = WarcReader::new(warc)?;
    let mut out = Vec::new();
    while let Some(mut rec) = reader.next_record()? {
        let h = rec.headers().clone();
        let offset = rec.offset();
        let rtype = h.get("WARC-Type").unwrap_or_default().to_ascii_lowercase();
        let indexed = matches!(
            rtype.as_str(),
            "response" | "revisit" | "resource" | "metadata"
        ) && !(matches!(rtype.as_str(), "resource" | "metadata")
            && h.content_type() == Some("application/warc-fields"));
        if !indexed {
            rec.finish()?;
            continue;
        }
        let url = h.target_uri().unwrap_or_default().to_owned();
        let lower = url.to_ascii_lowercase();
        let http = matches!(rtype.as_str(), "response" | "revisit")
            && (lower.starts_with("http:") || lower.starts_with("https:"));
        let declared = h.get("WARC-Payload-Digest").map(str::to_owned);
        // Read the HTTP head (for status and type) and, when the record
        // declares no payload digest, hash the payload as cdxj-indexer does.
        let mut head = Vec::new();
        let mut head_end = if http { None } else { Some(0) };
        let mut hasher = declared
            .is_none()
            .then(|| Hasher::new(DigestAlgorithm::Sha1));
        let mut buf = [0u8; 16 * 1024];
        loop {
            let n = rec
                .read(&mut buf)
                .map_err(|e| Error::malformed(offset, e.to_string()))?;
            if n == 0 {
                break;
            }
            let mut chunk = &buf[..n];
            if head_end.is_none() {
                let room = MAX_HTTP_HEAD.saturating_sub(head.len()).min(chunk.len());
                let before = head.len();
                head.extend_from_slice(&chunk[..room]);
                match head_len(&head) {
                    Some(end) => {
                        head_end = Some(end);
                        chunk = &chunk[end.saturating_sub(before).min(chunk.len())..];
                    }
                    None => chunk = &chunk[room..],
                }
            }
            if head_end.is_some()
                && let Some(h) = hasher.as_mut()
            {
                h.update(chunk);
            }
        }
        let end = rec.finish()?;
        let (status, http_type) = match (http, head_end) {
            (true, Some(e)) => http_status_and_type(&head[..e]),
            _ => (None, None),
        };
        let mime = if rtype == "revisit" {
            Some("warc/revisit".to_owned())
        } else if rtype == "response" {
            http_type.map(|t| media_type(&t))
        } else {
            h.content_type().map(media_type)
        };
        let digest = declared.or_else(|| hasher.map(|h| h.finish().to_string()));
        let timestamp = h.date().map(cdx_timestamp).ok_or_else(|| {
            Error::malformed(
                offset,
                format!("missing or invalid WARC-Date {:?}", h.get("WARC-Date")),
            )
        })?;
        out.push(CdxjEntry {
            urlkey: surt(&url),
            timestamp,
            url,
            mime,
            status,
            digest,
            length: end.length.unwrap_or(0),
            offset: end.offset,
            filename: filename.to_owned(),
        });
    }
    Ok(out)
}

/// Status code and `Content-Type` of an HTTP response head.
fn http_status_and_type(head: &[u8]) -> (Option<String>, Option<String>) {
    let text = String::from_utf8_lossy(head);
    let mut lines = text.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_once(' ').map(|(_, rest)| rest.trim_start()))
        .and_then(|rest| rest.split(' ').next())
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    let ctype = lines
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("content-type"))
        .map(|(_, v)| v.trim().to_owned());
    (status, ctype)
}

/// The media type of a `Content-Type` value, as `cdxj-indexer` cuts it: up
/// to the first `;` or whitespace.
fn media_type(v: &str) -> String {
    v.split([';', ' ', '\t', '\r', '\n'])
        .next()
        .unwrap_or_default()
        .trim()
        .to_owned()
}

/// Writes entries sorted by line (the order pywb's binary search needs).
pub fn write_cdxj(entries: &[CdxjEntry], mut out: impl Write) -> Result<()> {
    let mut lines: Vec<String> = entries.iter().map(CdxjEntry::to_line).collect();
    lines.sort();
    for l in lines {
        out.write_all(l.as_bytes())
            .and_then(|()| out.write_all(b"\n"))
            .map_err(|e| Error::io("writing the CDXJ index", e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings_escape_like_python() {
        assert_eq!(py_json_string("a\"b\\c\n"), r#""a\"b\\c\n""#);
        assert_eq!(py_json_string("қаз"), r#""\u049b\u0430\u0437""#);
        assert_eq!(py_json_string("😀"), r#""\ud83d\ude00""#);
        assert_eq!(py_json_string("\u{1}\u{7f}"), r#""\u0001\u007f""#);
    }

    #[test]
    fn media_types_lose_parameters() {
        assert_eq!(media_type("text/html; charset=windows-1251"), "text/html");
        assert_eq!(media_type("image/png"), "image/png");
    }
}
