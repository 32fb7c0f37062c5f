//! WARC records to write: their types, ids, named fields and blocks.
//!
//! A [`Record`] is built by one of its constructors (one per record type the
//! capture layer writes) and refined with builder methods for the optional
//! WARC fields. Validation (no line breaks in values, no colons in names)
//! happens when the record is written, so that a bad value is refused with
//! its field's name rather than producing a file readers misparse.

use std::fmt;
use std::net::IpAddr;

use chrono::{DateTime, SecondsFormat, Utc};
use uuid::Uuid;

use crate::digest::WarcDigest;
use crate::error::{Error, Result};
use crate::http::HttpBlock;

/// The WARC 1.1 spec, for `conformsTo` in `warcinfo` records.
pub const WARC_1_1_SPEC: &str =
    "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/";

/// `WARC-Profile` of a revisit whose payload is identical to an earlier
/// capture's (WARC 1.1 §6.7.2).
pub const REVISIT_IDENTICAL_PAYLOAD: &str =
    "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest";

/// `WARC-Type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordType {
    /// Describes the records that follow (tool, host, operator).
    Warcinfo,
    /// A full HTTP response as received.
    Response,
    /// A resource without its protocol envelope (screenshot, DOM).
    Resource,
    /// The HTTP request that was sent.
    Request,
    /// Facts about another record (final URL, certificate, times).
    Metadata,
    /// A later capture of unchanged content, pointing to the earlier one.
    Revisit,
    /// A transformed version of another record's content.
    Conversion,
    /// A later segment of a record split across files.
    Continuation,
}

impl RecordType {
    /// The value written in `WARC-Type`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Warcinfo => "warcinfo",
            Self::Response => "response",
            Self::Resource => "resource",
            Self::Request => "request",
            Self::Metadata => "metadata",
            Self::Revisit => "revisit",
            Self::Conversion => "conversion",
            Self::Continuation => "continuation",
        }
    }

    /// The type a `WARC-Type` value names (case-insensitive); `None` for
    /// types outside WARC 1.1.
    pub fn parse(value: &str) -> Option<Self> {
        Some(match value.trim().to_ascii_lowercase().as_str() {
            "warcinfo" => Self::Warcinfo,
            "response" => Self::Response,
            "resource" => Self::Resource,
            "request" => Self::Request,
            "metadata" => Self::Metadata,
            "revisit" => Self::Revisit,
            "conversion" => Self::Conversion,
            "continuation" => Self::Continuation,
            _ => return None,
        })
    }
}

impl fmt::Display for RecordType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A `WARC-Record-ID`: `<urn:uuid:…>`. Other records refer to it in
/// `WARC-Concurrent-To`, `WARC-Refers-To` and `WARC-Warcinfo-ID`, so the
/// caller creates ids before writing when it needs to link records.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RecordId(String);

impl RecordId {
    /// A fresh id from a UUID v7 (time-ordered, so ids sort by creation).
    pub fn new() -> Self {
        Self::from_uuid(Uuid::now_v7())
    }

    /// The id of a UUID the caller already has (e.g. its own capture id).
    pub fn from_uuid(uuid: Uuid) -> Self {
        Self(format!("<urn:uuid:{}>", uuid.hyphenated()))
    }

    /// An id as read from a file, kept verbatim.
    pub fn from_raw(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The full value with angle brackets, as written in the header.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for RecordId {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for RecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why a record's content is incomplete (`WARC-Truncated`, WARC 1.1 §5.13).
/// Court evidence must say plainly when a capture is partial.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Truncated {
    /// Cut at a size limit.
    Length,
    /// Cut at a time limit (e.g. a page that never finished loading).
    Time,
    /// The connection dropped.
    Disconnect,
    /// Incomplete for another or unknown reason.
    Unspecified,
}

impl Truncated {
    /// The value written in `WARC-Truncated`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Length => "length",
            Self::Time => "time",
            Self::Disconnect => "disconnect",
            Self::Unspecified => "unspecified",
        }
    }
}

/// Where a record's payload lies in its block, for `WARC-Payload-Digest`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Payload {
    /// No payload digest is written (`warcinfo`, `metadata`).
    None,
    /// The whole block is the payload (`resource`).
    Whole,
    /// The payload starts at this byte of the block (the entity body of an
    /// `application/http` block).
    At(usize),
    /// The payload digest is declared by the caller, not computed: a
    /// `revisit` record names the digest of the earlier capture's payload.
    Declared(WarcDigest),
}

/// `application/warc-fields`: named lines `name: value`, the body of
/// `warcinfo` records and of simple `metadata` records.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WarcFields(pub Vec<(String, String)>);

impl WarcFields {
    /// No fields yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a field; names may repeat (e.g. several `outlink`s).
    pub fn push(&mut self, name: impl Into<String>, value: impl Into<String>) -> &mut Self {
        self.0.push((name.into(), value.into()));
        self
    }

    /// The block bytes. Refuses names that are not HTTP tokens and values
    /// with line breaks, which would corrupt the field list.
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        for (name, value) in &self.0 {
            check_field(name, value)?;
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(b": ");
            out.extend_from_slice(value.as_bytes());
            out.extend_from_slice(b"\r\n");
        }
        Ok(out)
    }
}

/// What a `warcinfo` record says about the file: who wrote it, with what,
/// where. The first record of every file we write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarcInfo {
    /// `software`: tool name and version, e.g. `qorgau/0.1.0`.
    pub software: String,
    /// `hostname` of the machine that captured.
    pub hostname: Option<String>,
    /// `operator`: the person or unit responsible.
    pub operator: Option<String>,
    /// `description`, free text (e.g. the case and note).
    pub description: Option<String>,
    /// `WARC-Filename` header: the file's name as stored.
    pub filename: Option<String>,
    /// Further fields after the standard ones (`isPartOf`, `robots`,
    /// `http-header-user-agent`, browser version, …).
    pub extra: Vec<(String, String)>,
}

impl WarcInfo {
    /// A warcinfo naming the software; the rest is optional.
    pub fn new(software: impl Into<String>) -> Self {
        Self {
            software: software.into(),
            hostname: None,
            operator: None,
            description: None,
            filename: None,
            extra: Vec::new(),
        }
    }

    /// The `application/warc-fields` block: software, hostname, operator,
    /// description, `format` and `conformsTo` (WARC 1.1), then the extras.
    pub fn fields(&self) -> WarcFields {
        let mut f = WarcFields::new();
        f.push("software", &self.software);
        if let Some(h) = &self.hostname {
            f.push("hostname", h);
        }
        if let Some(o) = &self.operator {
            f.push("operator", o);
        }
        if let Some(d) = &self.description {
            f.push("description", d);
        }
        f.push("format", "WARC File Format 1.1");
        f.push("conformsTo", WARC_1_1_SPEC);
        for (k, v) in &self.extra {
            f.push(k, v);
        }
        f
    }
}

/// A record ready to be written by [`crate::WarcWriter`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// `WARC-Type`.
    pub record_type: RecordType,
    /// `WARC-Record-ID`.
    pub id: RecordId,
    /// `WARC-Date`: when the content was captured (UTC; sub-second
    /// precision is kept, as WARC 1.1 allows).
    pub date: DateTime<Utc>,
    /// `WARC-Target-URI`.
    pub target_uri: Option<String>,
    /// `Content-Type` of the block.
    pub content_type: Option<String>,
    /// Further named fields in the order written (`WARC-IP-Address`,
    /// `WARC-Concurrent-To`, …), set through the builder methods.
    pub fields: Vec<(String, String)>,
    /// The block.
    pub block: Vec<u8>,
    /// Where its payload is, for `WARC-Payload-Digest`.
    pub payload: Payload,
}

impl Record {
    fn bare(
        record_type: RecordType,
        target_uri: Option<String>,
        content_type: Option<String>,
        block: Vec<u8>,
        payload: Payload,
    ) -> Self {
        Self {
            record_type,
            id: RecordId::new(),
            date: Utc::now(),
            target_uri,
            content_type,
            fields: Vec::new(),
            block,
            payload,
        }
    }

    /// A `warcinfo` record from `info` (with `WARC-Filename` when given).
    pub fn warcinfo(info: &WarcInfo) -> Result<Self> {
        let mut r = Self::bare(
            RecordType::Warcinfo,
            None,
            Some("application/warc-fields".to_owned()),
            info.fields().to_bytes()?,
            Payload::None,
        );
        if let Some(name) = &info.filename {
            r.fields.push(("WARC-Filename".to_owned(), name.clone()));
        }
        Ok(r)
    }

    /// A `request` record: the HTTP request sent for `target_uri`, built
    /// with [`HttpBlock::request`].
    pub fn request(target_uri: impl Into<String>, block: HttpBlock) -> Self {
        Self::bare(
            RecordType::Request,
            Some(target_uri.into()),
            Some("application/http;msgtype=request".to_owned()),
            block.bytes,
            Payload::At(block.payload_offset),
        )
    }

    /// A `response` record: the HTTP response received for `target_uri`,
    /// built with [`HttpBlock::response`].
    pub fn response(target_uri: impl Into<String>, block: HttpBlock) -> Self {
        Self::bare(
            RecordType::Response,
            Some(target_uri.into()),
            Some("application/http;msgtype=response".to_owned()),
            block.bytes,
            Payload::At(block.payload_offset),
        )
    }

    /// A `metadata` record about `target_uri` (usually the page URL) in
    /// `application/warc-fields` form: final URL, server IP, certificate,
    /// times, browser, viewport — whatever the caller established.
    pub fn metadata_fields(target_uri: impl Into<String>, fields: &WarcFields) -> Result<Self> {
        Ok(Self::bare(
            RecordType::Metadata,
            Some(target_uri.into()),
            Some("application/warc-fields".to_owned()),
            fields.to_bytes()?,
            Payload::None,
        ))
    }

    /// A `metadata` record with a block of any type, e.g. `application/json`
    /// for structured facts that do not fit name-value lines.
    pub fn metadata(
        target_uri: impl Into<String>,
        content_type: impl Into<String>,
        block: Vec<u8>,
    ) -> Self {
        Self::bare(
            RecordType::Metadata,
            Some(target_uri.into()),
            Some(content_type.into()),
            block,
            Payload::None,
        )
    }

    /// A `resource` record: content without a protocol envelope, such as a
    /// screenshot (`image/png`) or the rendered DOM (`text/html`), under a
    /// URI of its own (e.g. `urn:qorgau:screenshot:<page URL>`). Its payload
    /// is the whole block.
    pub fn resource(
        target_uri: impl Into<String>,
        content_type: impl Into<String>,
        block: Vec<u8>,
    ) -> Self {
        Self::bare(
            RecordType::Resource,
            Some(target_uri.into()),
            Some(content_type.into()),
            block,
            Payload::Whole,
        )
    }

    /// A `revisit` record (identical-payload-digest profile): `target_uri`
    /// was fetched again and its payload was unchanged from the record
    /// `refers_to` (captured from `refers_to_uri` at `refers_to_date`) whose
    /// payload digest was `payload_digest`. `headers` is the new response's
    /// HTTP header block only (an [`HttpBlock`] built with an empty body).
    pub fn revisit(
        target_uri: impl Into<String>,
        headers: HttpBlock,
        refers_to: &RecordId,
        refers_to_uri: impl Into<String>,
        refers_to_date: DateTime<Utc>,
        payload_digest: WarcDigest,
    ) -> Self {
        let mut r = Self::bare(
            RecordType::Revisit,
            Some(target_uri.into()),
            Some("application/http;msgtype=response".to_owned()),
            headers.bytes,
            Payload::Declared(payload_digest),
        );
        r.fields.push((
            "WARC-Profile".to_owned(),
            REVISIT_IDENTICAL_PAYLOAD.to_owned(),
        ));
        r.fields
            .push(("WARC-Refers-To".to_owned(), refers_to.to_string()));
        r.fields
            .push(("WARC-Refers-To-Target-URI".to_owned(), refers_to_uri.into()));
        r.fields
            .push(("WARC-Refers-To-Date".to_owned(), warc_date(refers_to_date)));
        r
    }

    /// Sets `WARC-Record-ID` (when other records must refer to this one,
    /// create the id first and pass it here).
    pub fn with_id(mut self, id: RecordId) -> Self {
        self.id = id;
        self
    }

    /// Sets `WARC-Date` (default: when the record was built).
    pub fn with_date(mut self, date: DateTime<Utc>) -> Self {
        self.date = date;
        self
    }

    /// `WARC-IP-Address`: the server address the content came from.
    pub fn ip_address(self, ip: IpAddr) -> Self {
        self.field("WARC-IP-Address", ip.to_string())
    }

    /// `WARC-Concurrent-To`: a record captured in the same transaction
    /// (the response of a request, the metadata of a response). May repeat.
    pub fn concurrent_to(self, id: &RecordId) -> Self {
        self.field("WARC-Concurrent-To", id.to_string())
    }

    /// `WARC-Warcinfo-ID`: the warcinfo describing this record.
    pub fn warcinfo_id(self, id: &RecordId) -> Self {
        self.field("WARC-Warcinfo-ID", id.to_string())
    }

    /// `WARC-Refers-To`: the record this one is about (metadata, conversion).
    pub fn refers_to(self, id: &RecordId) -> Self {
        self.field("WARC-Refers-To", id.to_string())
    }

    /// `WARC-Truncated`: the block is incomplete and why.
    pub fn truncated(self, why: Truncated) -> Self {
        self.field("WARC-Truncated", why.as_str())
    }

    /// Any other named field (checked when written).
    pub fn field(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.fields.push((name.into(), value.into()));
        self
    }
}

/// `WARC-Date` text: ISO 8601 UTC with `Z`, fractional seconds only when
/// the time has them (WARC 1.1 §5.4).
pub fn warc_date(date: DateTime<Utc>) -> String {
    date.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// Refuses a field that would corrupt a header or warc-fields block: names
/// must be non-empty HTTP tokens, values must not contain line breaks
/// (WARC 1.1 folds no lines; a stray CR/LF would start a new field).
pub(crate) fn check_field(name: &str, value: &str) -> Result<()> {
    if name.is_empty() || !name.bytes().all(is_token_byte) {
        return Err(Error::invalid(
            format!("field name {name:?}"),
            "must be a non-empty token (no spaces, colons or control characters)",
        ));
    }
    if value.bytes().any(|b| b == b'\r' || b == b'\n') {
        return Err(Error::invalid(
            format!("value of field {name}"),
            "contains a line break",
        ));
    }
    Ok(())
}

/// RFC 9110 `tchar`.
pub(crate) fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn dates_keep_sub_second_precision_only_when_present() {
        let whole = Utc.with_ymd_and_hms(2024, 5, 1, 10, 20, 30).unwrap();
        assert_eq!(warc_date(whole), "2024-05-01T10:20:30Z");
        let frac = whole + chrono::Duration::microseconds(123_456);
        assert_eq!(warc_date(frac), "2024-05-01T10:20:30.123456Z");
    }

    #[test]
    fn ids_are_urn_uuids_in_angle_brackets() {
        let id = RecordId::new();
        assert!(id.as_str().starts_with("<urn:uuid:") && id.as_str().ends_with('>'));
        assert_ne!(id, RecordId::new());
    }

    #[test]
    fn bad_fields_are_refused_with_their_name() {
        let mut f = WarcFields::new();
        f.push("operator", "A\r\nWARC-Type: response");
        let e = f.to_bytes().unwrap_err().to_string();
        assert!(e.contains("operator") && e.contains("line break"), "{e}");
        let mut f = WarcFields::new();
        f.push("bad name", "x");
        assert!(f.to_bytes().is_err());
    }
}
