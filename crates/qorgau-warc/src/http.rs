//! HTTP/1.1 message blocks of `request` and `response` records: building
//! them from what a capture engine hands over, and parsing them back.
//!
//! Written by hand rather than with an HTTP crate: building is string
//! assembly with archive-specific rules (renamed encoding headers), and
//! parsing must accept what real archives contain (bare LF line ends,
//! Latin-1 header bytes, chunked bodies that were already de-chunked)
//! where HTTP libraries are rightly strict.

use std::io::Read;

use flate2::read::{DeflateDecoder, MultiGzDecoder, ZlibDecoder};

use crate::error::{Error, Result};
use crate::record::is_token_byte;

/// Prefix under which headers that no longer describe the stored body are
/// kept, as pywb and browsertrix-crawler do, so replay tools neither
/// decode twice nor trust a wrong length, while the original value stays
/// on record.
pub const ORIG_HEADER_PREFIX: &str = "X-Archive-Orig-";

/// Whether the body handed to the block builder is the bytes that crossed
/// the wire or a decoded form of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyForm {
    /// Exactly the entity bytes as received (still gzip-compressed if the
    /// server sent `Content-Encoding: gzip`, still in chunks if it sent
    /// `Transfer-Encoding: chunked`). Headers are written unchanged.
    AsTransmitted,
    /// Decoded bytes: content coding and transfer coding removed, as a
    /// browser (DevTools `Network.getResponseBody`) or an HTTP client with
    /// automatic decompression hands them over. The block then must not
    /// claim the original codings or length: `Content-Encoding`,
    /// `Transfer-Encoding` and `Content-Length` are kept as
    /// `X-Archive-Orig-Content-Encoding` etc., and a `Content-Length` of the
    /// stored body is added.
    Decoded,
}

/// An `application/http` block and where its body (the WARC payload) begins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpBlock {
    /// Start line, header lines, empty line, body.
    pub bytes: Vec<u8>,
    /// Offset of the body in `bytes`.
    pub payload_offset: usize,
}

impl HttpBlock {
    /// The block of a request: `METHOD request-target HTTP/1.1`, the
    /// headers, the body. The request-target is the path and query of
    /// `url` (origin form). A `Host` header is added from `url` when the
    /// caller has none (browsers speaking HTTP/2 report `:authority`
    /// instead); HTTP/2 pseudo-headers (names starting with `:`) are left
    /// out because HTTP/1.1 has no place for them. A header value with line
    /// breaks (DevTools joins repeated headers with `\n`) becomes one header
    /// line per value.
    pub fn request<K, V>(
        method: &str,
        url: &str,
        headers: impl IntoIterator<Item = (K, V)>,
        body: &[u8],
        form: BodyForm,
    ) -> Result<Self>
    where
        K: AsRef<str>,
        V: AsRef<str>,
    {
        if method.is_empty() || !method.bytes().all(is_token_byte) {
            return Err(Error::invalid(
                "HTTP method",
                format!("{method:?} is not a token"),
            ));
        }
        let (authority, target) = split_url(url)?;
        let mut head = format!("{method} {target} HTTP/1.1\r\n").into_bytes();
        let headers = collect_headers(headers)?;
        if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
            let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
            push_header(&mut head, "Host", host);
        }
        finish(head, &headers, body, form, false)
    }

    /// The block of a response: `HTTP/1.1 status reason`, the headers, the
    /// body. The status line always says HTTP/1.1, as web archives record
    /// HTTP/2 and HTTP/3 exchanges (replay tools accept only 1.x there);
    /// `reason` defaults to the standard phrase of `status` (HTTP/2 has
    /// none). Headers are treated as in [`HttpBlock::request`].
    pub fn response<K, V>(
        status: u16,
        reason: Option<&str>,
        headers: impl IntoIterator<Item = (K, V)>,
        body: &[u8],
        form: BodyForm,
    ) -> Result<Self>
    where
        K: AsRef<str>,
        V: AsRef<str>,
    {
        if !(100..=999).contains(&status) {
            return Err(Error::invalid(
                "HTTP status",
                format!("{status} is not a three-digit code"),
            ));
        }
        let reason = reason
            .filter(|r| !r.is_empty())
            .unwrap_or_else(|| standard_reason(status));
        if reason.bytes().any(|b| b == b'\r' || b == b'\n') {
            return Err(Error::invalid(
                "HTTP reason phrase",
                "contains a line break",
            ));
        }
        let head = format!("HTTP/1.1 {status} {reason}\r\n").into_bytes();
        let headers = collect_headers(headers)?;
        finish(head, &headers, body, form, true)
    }
}

/// Checks names, drops pseudo-headers, splits multi-line values.
fn collect_headers<K: AsRef<str>, V: AsRef<str>>(
    headers: impl IntoIterator<Item = (K, V)>,
) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for (k, v) in headers {
        let (k, v) = (k.as_ref(), v.as_ref());
        if k.starts_with(':') {
            continue;
        }
        if k.is_empty() || !k.bytes().all(is_token_byte) {
            return Err(Error::invalid(
                format!("HTTP header name {k:?}"),
                "is not a token",
            ));
        }
        for line in v.split('\n') {
            out.push((k.to_owned(), line.trim_end_matches('\r').to_owned()));
        }
    }
    Ok(out)
}

fn push_header(head: &mut Vec<u8>, name: &str, value: &str) {
    head.extend_from_slice(name.as_bytes());
    head.extend_from_slice(b": ");
    head.extend_from_slice(value.as_bytes());
    head.extend_from_slice(b"\r\n");
}

fn finish(
    mut head: Vec<u8>,
    headers: &[(String, String)],
    body: &[u8],
    form: BodyForm,
    is_response: bool,
) -> Result<HttpBlock> {
    let mut had_length = false;
    for (k, v) in headers {
        let renamed = form == BodyForm::Decoded
            && ["content-encoding", "transfer-encoding", "content-length"]
                .iter()
                .any(|n| k.eq_ignore_ascii_case(n));
        if renamed {
            had_length |= k.eq_ignore_ascii_case("content-length");
            push_header(&mut head, &format!("{ORIG_HEADER_PREFIX}{k}"), v);
        } else {
            push_header(&mut head, k, v);
        }
    }
    if form == BodyForm::Decoded && (is_response || had_length || !body.is_empty()) {
        push_header(&mut head, "Content-Length", &body.len().to_string());
    }
    head.extend_from_slice(b"\r\n");
    let payload_offset = head.len();
    head.extend_from_slice(body);
    Ok(HttpBlock {
        bytes: head,
        payload_offset,
    })
}

/// Splits `scheme://authority/path?query#fragment` into the authority and
/// the origin-form request-target (path and query, `/` when empty).
fn split_url(url: &str) -> Result<(&str, String)> {
    let bad = |p: &str| Error::invalid(format!("request URL {url:?}"), p.to_owned());
    if url
        .bytes()
        .any(|b| b.is_ascii_whitespace() || b.is_ascii_control())
    {
        return Err(bad("contains whitespace or control characters"));
    }
    let (_, rest) = url
        .split_once("://")
        .ok_or_else(|| bad("has no scheme://authority"))?;
    let rest = rest.split_once('#').map_or(rest, |(r, _)| r);
    let cut = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, target) = rest.split_at(cut);
    if authority.is_empty() {
        return Err(bad("has no host"));
    }
    let target = if target.is_empty() {
        "/".to_owned()
    } else if target.starts_with('?') {
        format!("/{target}")
    } else {
        target.to_owned()
    };
    Ok((authority, target))
}

/// The standard reason phrase of a status code (RFC 9110 §15), or
/// `Unknown` for codes it does not name.
pub fn standard_reason(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        101 => "Switching Protocols",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        203 => "Non-Authoritative Information",
        204 => "No Content",
        205 => "Reset Content",
        206 => "Partial Content",
        300 => "Multiple Choices",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        429 => "Too Many Requests",
        451 => "Unavailable For Legal Reasons",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Unknown",
    }
}

/// Header lines of a parsed message, names and values as text (bytes that
/// are not UTF-8 are read as Latin-1, as HTTP/1.1 historically allowed).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Headers(pub Vec<(String, String)>);

impl Headers {
    /// The first value of `name` (case-insensitive).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// All values of `name` in order.
    pub fn get_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .iter()
            .filter(move |(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A parsed `application/http;msgtype=response` block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse<'a> {
    /// `HTTP/1.1`, `HTTP/1.0`.
    pub version: String,
    /// The status code.
    pub status: u16,
    /// The reason phrase (may be empty).
    pub reason: String,
    /// The header lines.
    pub headers: Headers,
    /// The body exactly as stored (possibly chunked or compressed).
    pub body: &'a [u8],
}

/// A parsed `application/http;msgtype=request` block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest<'a> {
    /// `GET`, `POST`, …
    pub method: String,
    /// The request-target as written (`/path?q`).
    pub target: String,
    /// `HTTP/1.1`, …
    pub version: String,
    /// The header lines.
    pub headers: Headers,
    /// The body as stored.
    pub body: &'a [u8],
}

impl<'a> HttpResponse<'a> {
    /// Parses a response block. Accepts CRLF or bare LF line ends and
    /// folded header lines; refuses a block without a status line or
    /// without the empty line that ends the headers.
    pub fn parse(block: &'a [u8]) -> Result<Self> {
        let (start, headers, body) = split_message(block)?;
        let mut parts = start.splitn(3, ' ');
        let version = parts.next().unwrap_or_default().to_owned();
        if !version.starts_with("HTTP/") {
            return Err(Error::http(format!(
                "status line {start:?} does not start with HTTP/"
            )));
        }
        let code = parts.next().unwrap_or_default();
        let status = code
            .parse::<u16>()
            .ok()
            .filter(|s| (100..=999).contains(s))
            .ok_or_else(|| {
                Error::http(format!(
                    "status code {code:?} in {start:?} is not a number from 100 to 999"
                ))
            })?;
        let reason = parts.next().unwrap_or_default().to_owned();
        Ok(Self {
            version,
            status,
            reason,
            headers,
            body,
        })
    }

    /// The body with transfer and content codings removed: de-chunked when
    /// `Transfer-Encoding: chunked` (unless the stored body is evidently
    /// already de-chunked), then decompressed for `gzip`, `x-gzip` and
    /// `deflate` content codings. Bodies stored decoded (with the codings
    /// kept as `X-Archive-Orig-…`) come back unchanged. `limit` caps the
    /// decoded size so a compression bomb cannot exhaust memory.
    pub fn decoded_body(&self, limit: usize) -> Result<Vec<u8>> {
        decode_body(&self.headers, self.body, limit)
    }
}

impl<'a> HttpRequest<'a> {
    /// Parses a request block (same leniency as [`HttpResponse::parse`]).
    pub fn parse(block: &'a [u8]) -> Result<Self> {
        let (start, headers, body) = split_message(block)?;
        let mut parts = start.split(' ').filter(|p| !p.is_empty());
        let (Some(method), Some(target), Some(version)) =
            (parts.next(), parts.next(), parts.next())
        else {
            return Err(Error::http(format!(
                "request line {start:?} is not `METHOD target HTTP/x`"
            )));
        };
        if !version.starts_with("HTTP/") {
            return Err(Error::http(format!(
                "request line {start:?} does not end with an HTTP version"
            )));
        }
        Ok(Self {
            method: method.to_owned(),
            target: target.to_owned(),
            version: version.to_owned(),
            headers,
            body,
        })
    }
}

/// Length of the head (start line, headers and the empty line) of an HTTP
/// message, or `None` when no empty line ends it within `block`.
pub(crate) fn head_len(block: &[u8]) -> Option<usize> {
    let mut line_start = 0;
    for (i, &b) in block.iter().enumerate() {
        if b == b'\n' {
            let line = &block[line_start..i];
            if (line.is_empty() || line == b"\r") && line_start > 0 {
                return Some(i + 1);
            }
            line_start = i + 1;
        }
    }
    None
}

fn text(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}

/// Start line, headers, body.
fn split_message(block: &[u8]) -> Result<(String, Headers, &[u8])> {
    let end = head_len(block).ok_or_else(|| {
        Error::http(format!(
            "no empty line ends the headers within the block's {} bytes",
            block.len()
        ))
    })?;
    let (head, body) = block.split_at(end);
    let mut lines = head
        .split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l));
    let start = text(lines.next().unwrap_or_default()).trim().to_owned();
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in lines {
        if line.is_empty() {
            break;
        }
        if line[0] == b' ' || line[0] == b'\t' {
            // obs-fold: continues the previous header's value.
            if let Some((_, v)) = headers.last_mut() {
                v.push(' ');
                v.push_str(text(line).trim());
            }
            continue;
        }
        let line = text(line);
        let (k, v) = line
            .split_once(':')
            .ok_or_else(|| Error::http(format!("header line {line:?} has no colon")))?;
        headers.push((k.trim().to_owned(), v.trim().to_owned()));
    }
    Ok((start, Headers(headers), body))
}

fn decode_body(headers: &Headers, body: &[u8], limit: usize) -> Result<Vec<u8>> {
    let chunked = headers
        .get_all("transfer-encoding")
        .flat_map(|v| v.split(','))
        .any(|c| c.trim().eq_ignore_ascii_case("chunked"));
    let mut data = if chunked {
        dechunk(body, limit)?
    } else {
        body.to_vec()
    };
    let codings: Vec<String> = headers
        .get_all("content-encoding")
        .flat_map(|v| v.split(','))
        .map(|c| c.trim().to_ascii_lowercase())
        .filter(|c| !c.is_empty() && c != "identity")
        .collect();
    for coding in codings.iter().rev() {
        data = match coding.as_str() {
            "gzip" | "x-gzip" => inflate(MultiGzDecoder::new(data.as_slice()), coding, limit)?,
            "deflate" => {
                // Servers send both zlib-wrapped (correct) and raw deflate.
                match inflate(ZlibDecoder::new(data.as_slice()), coding, limit) {
                    Ok(d) => d,
                    Err(_) => inflate(DeflateDecoder::new(data.as_slice()), coding, limit)?,
                }
            }
            other => {
                return Err(Error::http(format!(
                    "content coding {other:?} is not supported"
                )));
            }
        };
    }
    if data.len() > limit {
        return Err(Error::http(format!(
            "body larger than the limit of {limit} bytes"
        )));
    }
    Ok(data)
}

fn inflate(decoder: impl Read, coding: &str, limit: usize) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    decoder
        .take(cap)
        .read_to_end(&mut out)
        .map_err(|e| Error::http(format!("{coding} body does not decode: {e}")))?;
    if out.len() > limit {
        return Err(Error::http(format!(
            "decoded {coding} body exceeds the limit of {limit} bytes"
        )));
    }
    Ok(out)
}

/// Removes chunked transfer coding (RFC 9112 §7.1). If the very first chunk
/// size does not parse, the body was stored already de-chunked (common in
/// archives whose writers kept the header) and is returned as it is, as
/// warcio does.
fn dechunk(body: &[u8], limit: usize) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut pos = 0usize;
    let mut first = true;
    loop {
        let line_end = body[pos..]
            .iter()
            .position(|&b| b == b'\n')
            .map(|i| pos + i);
        let size = line_end.and_then(|end| {
            let line = text(&body[pos..end]);
            let hex = line.split(';').next().unwrap_or_default().trim().to_owned();
            usize::from_str_radix(&hex, 16).ok().map(|s| (s, end + 1))
        });
        let Some((size, data_start)) = size else {
            if first {
                return Ok(body.to_vec());
            }
            return Err(Error::http(format!(
                "chunk size line at body offset {pos} does not parse"
            )));
        };
        first = false;
        if size == 0 {
            return Ok(out);
        }
        let data_end = data_start
            .checked_add(size)
            .filter(|&e| e <= body.len())
            .ok_or_else(|| {
                Error::http(format!(
                    "chunk at body offset {pos} claims {size} bytes but the body ends first"
                ))
            })?;
        out.extend_from_slice(&body[data_start..data_end]);
        if out.len() > limit {
            return Err(Error::http(format!(
                "de-chunked body exceeds the limit of {limit} bytes"
            )));
        }
        pos = data_end;
        if body[pos..].starts_with(b"\r\n") {
            pos += 2;
        } else if body[pos..].starts_with(b"\n") {
            pos += 1;
        }
        if pos >= body.len() {
            // Missing last-chunk: tolerated, the data is complete so far.
            return Ok(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoded_bodies_do_not_claim_their_original_codings() {
        let headers = [
            ("Content-Type", "text/html"),
            ("Content-Encoding", "gzip"),
            ("Transfer-Encoding", "chunked"),
            ("Set-Cookie", "a=1\nb=2"),
            (":status", "200"),
        ];
        let b = HttpBlock::response(200, None, headers, b"<p>hi</p>", BodyForm::Decoded).unwrap();
        let text = String::from_utf8(b.bytes.clone()).unwrap();
        assert!(text.starts_with("HTTP/1.1 200 OK\r\n"), "{text}");
        assert!(text.contains("X-Archive-Orig-Content-Encoding: gzip\r\n"));
        assert!(text.contains("X-Archive-Orig-Transfer-Encoding: chunked\r\n"));
        assert!(text.contains("Content-Length: 9\r\n"));
        assert!(text.contains("Set-Cookie: a=1\r\nSet-Cookie: b=2\r\n"));
        assert!(!text.contains(":status"));
        assert!(!text.to_ascii_lowercase().contains("\ncontent-encoding"));
        assert_eq!(&b.bytes[b.payload_offset..], b"<p>hi</p>");
        let parsed = HttpResponse::parse(&b.bytes).unwrap();
        assert_eq!(parsed.decoded_body(1 << 20).unwrap(), b"<p>hi</p>");
    }

    #[test]
    fn requests_get_origin_form_target_and_host() {
        let b = HttpBlock::request(
            "GET",
            "https://user@Example.kz:8443?q=1#frag",
            [("Accept", "*/*")],
            b"",
            BodyForm::AsTransmitted,
        )
        .unwrap();
        let text = String::from_utf8(b.bytes).unwrap();
        assert_eq!(
            text,
            "GET /?q=1 HTTP/1.1\r\nHost: Example.kz:8443\r\nAccept: */*\r\n\r\n"
        );
        assert!(
            HttpBlock::request(
                "GET",
                "not a url",
                [("a", "b")],
                b"",
                BodyForm::AsTransmitted
            )
            .is_err()
        );
        assert!(
            HttpBlock::request(
                "G T",
                "http://x/",
                [("a", "b")],
                b"",
                BodyForm::AsTransmitted
            )
            .is_err()
        );
    }

    #[test]
    fn chunked_and_gzipped_bodies_decode() {
        use std::io::Write;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(b"hello chunked gzip world").unwrap();
        let gz = gz.finish().unwrap();
        let (a, b) = gz.split_at(7);
        let mut body = format!("{:x};ext=1\r\n", a.len()).into_bytes();
        body.extend_from_slice(a);
        body.extend_from_slice(format!("\r\n{:X}\r\n", b.len()).as_bytes());
        body.extend_from_slice(b);
        body.extend_from_slice(b"\r\n0\r\n\r\n");
        let mut block =
            b"HTTP/1.1 200 OK\nTransfer-Encoding: chunked\nContent-Encoding: gzip\n\n".to_vec();
        block.extend_from_slice(&body);
        let r = HttpResponse::parse(&block).unwrap();
        assert_eq!(r.decoded_body(1000).unwrap(), b"hello chunked gzip world");
        assert!(r.decoded_body(5).is_err(), "limit must be enforced");
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for block in [
            &b""[..],
            b"HTTP/1.1",
            b"HTTP/1.1 abc OK\r\n\r\n",
            b"FOO 200\r\n\r\n",
            b"HTTP/1.1 200 OK\r\nno colon\r\n\r\n",
            b"\n\n\n",
        ] {
            assert!(HttpResponse::parse(block).is_err(), "{block:?}");
        }
        let r =
            HttpResponse::parse(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab")
                .unwrap();
        assert!(r.decoded_body(100).is_err());
        let r = HttpResponse::parse(b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\nnot gzip")
            .unwrap();
        assert!(r.decoded_body(100).is_err());
        let r = HttpResponse::parse(b"HTTP/1.1 200 OK\r\nContent-Encoding: br\r\n\r\nxx").unwrap();
        assert!(r.decoded_body(100).unwrap_err().to_string().contains("br"));
    }
}
