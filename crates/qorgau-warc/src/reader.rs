//! Reading WARC files (`.warc` or multi-member `.warc.gz`) record by
//! record, streaming: only one buffer of the file is in memory at a time,
//! and a block is held whole only when the caller asks for it.
//!
//! Every declared digest is checked while the block streams by. Malformed
//! input never panics: it ends the iteration with [`Error::Malformed`]
//! naming the record's offset (the gzip member's offset for `.warc.gz`, the
//! same offset an index gives) and what is wrong.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use chrono::{DateTime, Utc};
use flate2::bufread::GzDecoder;

use crate::digest::{DigestCheck, Hasher, WarcDigest};
use crate::error::{Error, Result};
use crate::record::RecordType;

/// Longest header line accepted, so garbage without line breaks cannot
/// exhaust memory.
const MAX_LINE: usize = 64 * 1024;
/// Most header lines accepted in one record.
const MAX_FIELDS: usize = 1024;

/// The named fields of a record as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarcHeaders {
    /// `WARC/1.1`, `WARC/1.0`.
    pub version: String,
    /// Fields in file order, values trimmed.
    pub fields: Vec<(String, String)>,
}

impl WarcHeaders {
    /// First value of `name` (case-insensitive).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// All values of `name` (e.g. several `WARC-Concurrent-To`).
    pub fn get_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.fields
            .iter()
            .filter(move |(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// `WARC-Type`, when it is one of WARC 1.1's.
    pub fn record_type(&self) -> Option<RecordType> {
        self.get("WARC-Type").and_then(RecordType::parse)
    }

    /// `WARC-Record-ID`.
    pub fn record_id(&self) -> Option<&str> {
        self.get("WARC-Record-ID")
    }

    /// `WARC-Target-URI`, without the angle brackets some writers add.
    pub fn target_uri(&self) -> Option<&str> {
        self.get("WARC-Target-URI").map(|u| {
            u.strip_prefix('<')
                .and_then(|u| u.strip_suffix('>'))
                .unwrap_or(u)
        })
    }

    /// `WARC-Date`, parsed (any sub-second precision).
    pub fn date(&self) -> Option<DateTime<Utc>> {
        let d = self.get("WARC-Date")?;
        DateTime::parse_from_rfc3339(d)
            .ok()
            .map(|d| d.with_timezone(&Utc))
    }

    /// `Content-Type` of the block.
    pub fn content_type(&self) -> Option<&str> {
        self.get("Content-Type")
    }

    /// `Content-Length`: the block's length.
    pub fn content_length(&self) -> Option<u64> {
        self.get("Content-Length")
            .and_then(|v| v.trim().parse().ok())
    }

    /// `WARC-Truncated`: why the block is incomplete, if it is.
    pub fn truncated(&self) -> Option<&str> {
        self.get("WARC-Truncated")
    }
}

/// How a record ended: where it lay in the file and whether its digests
/// hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordEnd {
    /// Offset of the record (of its gzip member).
    pub offset: u64,
    /// Bytes it takes in the file: its gzip member; for `.warc` the header
    /// and block without the closing CRLF CRLF, as warcio counts it. `None` when a gzip member holds several records, as
    /// some non-conforming writers do.
    pub length: Option<u64>,
    /// `WARC-Block-Digest` check.
    pub block_digest: DigestCheck,
    /// `WARC-Payload-Digest` check.
    pub payload_digest: DigestCheck,
}

impl RecordEnd {
    /// Both digests verified or absent (none proven wrong).
    pub fn digests_ok(&self) -> bool {
        self.block_digest.is_ok() && self.payload_digest.is_ok()
    }
}

/// A record read whole (see [`WarcReader::into_records`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnedRecord {
    /// Its fields.
    pub headers: WarcHeaders,
    /// Its block.
    pub block: Vec<u8>,
    /// Offset, length, digest checks.
    pub end: RecordEnd,
}

/// Reads records from a WARC stream.
///
/// ```no_run
/// # fn main() -> qorgau_warc::Result<()> {
/// let mut r = qorgau_warc::WarcReader::open("capture.warc.gz".as_ref())?;
/// while let Some(mut rec) = r.next_record()? {
///     let uri = rec.headers().target_uri().map(str::to_owned);
///     let block = rec.read_block(64 << 20)?;
///     let end = rec.finish()?;
///     assert!(end.digests_ok(), "{uri:?} at {} was altered", end.offset);
/// #   let _ = block;
/// }
/// # Ok(()) }
/// ```
pub struct WarcReader<R: BufRead> {
    src: BufReader<Members<R>>,
    gzip: bool,
    current: Option<Current>,
    failed: bool,
}

/// State of the record being read.
struct Current {
    headers: WarcHeaders,
    offset: u64,
    length: u64,
    remaining: u64,
    block: Option<(Hasher, String, WarcDigest)>,
    block_check: DigestCheck,
    payload: PayloadState,
}

enum PayloadState {
    Check(DigestCheck),
    Hashing {
        scan: HeadScan,
        hasher: Hasher,
        declared: String,
        expected: WarcDigest,
    },
}

/// Finds the end of an HTTP head (the first empty line after the start
/// line) in a stream of bytes.
#[derive(Clone, Copy)]
struct HeadScan {
    done: bool,
    first_line: bool,
    /// 0: line empty so far, 1: only `\r`, 2: other bytes.
    line: u8,
}

impl HeadScan {
    fn http() -> Self {
        Self {
            done: false,
            first_line: true,
            line: 0,
        }
    }

    fn whole() -> Self {
        Self {
            done: true,
            first_line: false,
            line: 2,
        }
    }

    /// How many bytes of `buf` still belong to the head.
    fn feed(&mut self, buf: &[u8]) -> usize {
        if self.done {
            return 0;
        }
        for (i, &b) in buf.iter().enumerate() {
            match b {
                b'\n' => {
                    if self.line < 2 && !self.first_line {
                        self.done = true;
                        return i + 1;
                    }
                    self.first_line = false;
                    self.line = 0;
                }
                b'\r' if self.line == 0 => self.line = 1,
                _ => self.line = 2,
            }
        }
        buf.len()
    }
}

impl WarcReader<BufReader<File>> {
    /// Opens a `.warc` or `.warc.gz` file.
    pub fn open(path: &Path) -> Result<Self> {
        let f =
            File::open(path).map_err(|e| Error::io(format!("opening {}", path.display()), e))?;
        Self::new(BufReader::with_capacity(64 * 1024, f))
    }
}

impl<R: BufRead> WarcReader<R> {
    /// Reads from `inner`, detecting gzip from its first bytes.
    pub fn new(mut inner: R) -> Result<Self> {
        let head = inner
            .fill_buf()
            .map_err(|e| Error::io("reading the start of the WARC", e))?;
        let gzip = head.starts_with(&[0x1f, 0x8b]);
        let counted = Counted { inner, count: 0 };
        let state = if gzip {
            MemberState::Between(counted)
        } else {
            MemberState::Plain(counted)
        };
        Ok(Self {
            src: BufReader::with_capacity(
                64 * 1024,
                Members {
                    state,
                    member_start: 0,
                },
            ),
            gzip,
            current: None,
            failed: false,
        })
    }

    /// Whether the stream is gzip-compressed.
    pub fn is_gzip(&self) -> bool {
        self.gzip
    }

    /// The next record, or `None` at the end of the stream. Whatever the
    /// previous record's reader left unread is skipped (and its digests
    /// still checked, though the result is then discarded). After an error
    /// the reader is finished: the position in the file is unknown.
    pub fn next_record(&mut self) -> Result<Option<RecordReader<'_, R>>> {
        if self.failed {
            return Ok(None);
        }
        match self.advance() {
            Ok(true) => Ok(Some(RecordReader { reader: self })),
            Ok(false) => Ok(None),
            Err(e) => {
                self.failed = true;
                Err(e)
            }
        }
    }

    /// All records, each read whole (blocks above `max_block` bytes are an
    /// error). Convenient for small files and tests; use
    /// [`WarcReader::next_record`] to stream large blocks.
    pub fn into_records(self, max_block: u64) -> Records<R> {
        Records {
            reader: self,
            max_block,
        }
    }

    /// Moves to the next record's start and parses its header.
    fn advance(&mut self) -> Result<bool> {
        if self.current.is_some() {
            self.finish_current()?;
        }
        let offset = loop {
            let at = self.position();
            let buf = self
                .src
                .fill_buf()
                .map_err(|e| Error::malformed(at, format!("reading between records: {e}")))?;
            if buf.is_empty() {
                if self.gzip
                    && self.next_member().map_err(|e| {
                        Error::malformed(at, format!("reading the next gzip member: {e}"))
                    })?
                {
                    continue;
                }
                return Ok(false);
            }
            let ws = buf
                .iter()
                .take_while(|b| matches!(b, b'\r' | b'\n' | b' ' | b'\t'))
                .count();
            if ws < buf.len() {
                self.src.consume(ws);
                break self.position();
            }
            let n = buf.len();
            self.src.consume(n);
        };
        let headers = self.read_headers(offset)?;
        let length = headers.content_length().ok_or_else(|| {
            Error::malformed(
                offset,
                format!(
                    "missing or invalid Content-Length ({:?})",
                    headers.get("Content-Length")
                ),
            )
        })?;
        let record_type = headers
            .get("WARC-Type")
            .unwrap_or_default()
            .to_ascii_lowercase();
        let (block, block_check) = match headers.get("WARC-Block-Digest") {
            None => (None, DigestCheck::Absent),
            Some(d) => match WarcDigest::parse(d) {
                Some(expected) => (
                    Some((Hasher::new(expected.algorithm), d.to_owned(), expected)),
                    DigestCheck::Absent,
                ),
                None => (
                    None,
                    DigestCheck::Unverifiable {
                        declared: d.to_owned(),
                    },
                ),
            },
        };
        let uri = headers
            .target_uri()
            .unwrap_or_default()
            .to_ascii_lowercase();
        // warcio's rule for which blocks hold an HTTP head before the payload.
        let http = matches!(record_type.as_str(), "response" | "request" | "revisit")
            && (uri.starts_with("http:") || uri.starts_with("https:"));
        let payload = match headers.get("WARC-Payload-Digest") {
            None => PayloadState::Check(DigestCheck::Absent),
            Some(_) if record_type == "revisit" || headers.get("WARC-Segment-Number").is_some() => {
                PayloadState::Check(DigestCheck::NotApplicable)
            }
            Some(d) => match WarcDigest::parse(d) {
                Some(expected) => PayloadState::Hashing {
                    scan: if http {
                        HeadScan::http()
                    } else {
                        HeadScan::whole()
                    },
                    hasher: Hasher::new(expected.algorithm),
                    declared: d.to_owned(),
                    expected,
                },
                None => PayloadState::Check(DigestCheck::Unverifiable {
                    declared: d.to_owned(),
                }),
            },
        };
        self.current = Some(Current {
            headers,
            offset,
            length,
            remaining: length,
            block,
            block_check,
            payload,
        });
        Ok(true)
    }

    /// Offset of the next unread byte: compressed member start for gzip,
    /// exact byte for plain files.
    fn position(&self) -> u64 {
        let m = self.src.get_ref();
        if self.gzip {
            m.member_start
        } else {
            m.raw_count().saturating_sub(self.src.buffer().len() as u64)
        }
    }

    fn next_member(&mut self) -> io::Result<bool> {
        self.src.get_mut().next_member()
    }

    fn read_headers(&mut self, offset: u64) -> Result<WarcHeaders> {
        let mut line = Vec::new();
        let truncated = |what: &str| {
            Error::malformed(
                offset,
                format!("stream ends inside the record header ({what})"),
            )
        };
        let got = read_line(&mut self.src, &mut line)
            .map_err(|e| Error::malformed(offset, format!("reading the version line: {e}")))?;
        if !got {
            return Err(truncated("version line"));
        }
        let version = String::from_utf8_lossy(&line).trim().to_owned();
        if !version.starts_with("WARC/") {
            let shown: String = version.chars().take(40).collect();
            return Err(Error::malformed(
                offset,
                format!("expected a `WARC/1.x` version line, found {shown:?}"),
            ));
        }
        let mut fields: Vec<(String, String)> = Vec::new();
        loop {
            line.clear();
            let got = read_line(&mut self.src, &mut line)
                .map_err(|e| Error::malformed(offset, format!("reading a header line: {e}")))?;
            if !got {
                return Err(truncated("header lines"));
            }
            let text = String::from_utf8_lossy(&line);
            let trimmed = text.trim_end_matches(['\r', '\n']);
            if trimmed.is_empty() {
                break;
            }
            if fields.len() >= MAX_FIELDS {
                return Err(Error::malformed(
                    offset,
                    format!("more than {MAX_FIELDS} header lines"),
                ));
            }
            if trimmed.starts_with([' ', '\t']) {
                match fields.last_mut() {
                    Some((_, v)) => {
                        v.push(' ');
                        v.push_str(trimmed.trim());
                    }
                    None => {
                        return Err(Error::malformed(
                            offset,
                            "a continuation line comes before any field",
                        ));
                    }
                }
                continue;
            }
            let (k, v) = trimmed.split_once(':').ok_or_else(|| {
                Error::malformed(
                    offset,
                    format!(
                        "header line {:?} has no colon",
                        trimmed.chars().take(60).collect::<String>()
                    ),
                )
            })?;
            fields.push((k.trim().to_owned(), v.trim().to_owned()));
        }
        Ok(WarcHeaders { version, fields })
    }

    /// Reads block bytes of the current record into `buf`, hashing them.
    fn read_block_bytes(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let Some(cur) = self.current.as_mut() else {
            return Ok(0);
        };
        if cur.remaining == 0 || buf.is_empty() {
            return Ok(0);
        }
        let want = usize::try_from(cur.remaining)
            .unwrap_or(usize::MAX)
            .min(buf.len());
        let n = self.src.read(&mut buf[..want])?;
        if n == 0 {
            let got = cur.length - cur.remaining;
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!(
                    "record at offset {}: block truncated after {got} of {} bytes",
                    cur.offset, cur.length
                ),
            ));
        }
        let data = &buf[..n];
        cur.remaining -= n as u64;
        if let Some((h, _, _)) = cur.block.as_mut() {
            h.update(data);
        }
        if let PayloadState::Hashing { scan, hasher, .. } = &mut cur.payload {
            let head = scan.feed(data);
            if scan.done {
                hasher.update(&data[head..]);
            }
        }
        if cur.remaining == 0 {
            if let Some((h, declared, expected)) = cur.block.take() {
                cur.block_check = compare(h.finish(), declared, &expected);
            }
            let done =
                std::mem::replace(&mut cur.payload, PayloadState::Check(DigestCheck::Absent));
            cur.payload = PayloadState::Check(match done {
                PayloadState::Check(c) => c,
                PayloadState::Hashing {
                    scan,
                    hasher,
                    declared,
                    expected,
                } => {
                    if scan.done {
                        compare(hasher.finish(), declared, &expected)
                    } else {
                        DigestCheck::Unverifiable { declared }
                    }
                }
            });
        }
        Ok(n)
    }

    /// Reads what is left of the current record, then its closing line
    /// breaks, and reports how it ended.
    fn finish_current(&mut self) -> Result<RecordEnd> {
        let offset = self.current.as_ref().map_or(0, |c| c.offset);
        let mut sink = [0u8; 16 * 1024];
        loop {
            match self.read_block_bytes(&mut sink) {
                Ok(0) => break,
                Ok(_) => {}
                Err(e) => {
                    self.failed = true;
                    self.current = None;
                    let msg = e.to_string();
                    let prefix = format!("record at offset {offset}: ");
                    return Err(Error::malformed(
                        offset,
                        msg.strip_prefix(&prefix).unwrap_or(&msg).to_owned(),
                    ));
                }
            }
        }
        let block_end = self.position();
        // The closing CRLF CRLF, and any stray line breaks after it.
        let member_ended = loop {
            let buf = match self.src.fill_buf() {
                Ok(b) => b,
                Err(e) => {
                    self.failed = true;
                    self.current = None;
                    return Err(Error::malformed(
                        offset,
                        format!("reading the end of the record: {e}"),
                    ));
                }
            };
            if buf.is_empty() {
                break true;
            }
            let ws = buf
                .iter()
                .take_while(|b| matches!(b, b'\r' | b'\n'))
                .count();
            let all = ws == buf.len();
            self.src.consume(ws);
            if !all {
                break false;
            }
        };
        let Some(cur) = self.current.take() else {
            return Err(Error::malformed(offset, "no record in progress"));
        };
        let length = if self.gzip {
            member_ended.then(|| self.src.get_ref().raw_count().saturating_sub(cur.offset))
        } else {
            Some(block_end.saturating_sub(cur.offset))
        };
        let payload_digest = match cur.payload {
            PayloadState::Check(c) => c,
            PayloadState::Hashing { declared, .. } => DigestCheck::Unverifiable { declared },
        };
        Ok(RecordEnd {
            offset: cur.offset,
            length,
            block_digest: cur.block_check,
            payload_digest,
        })
    }
}

fn compare(computed: WarcDigest, declared: String, expected: &WarcDigest) -> DigestCheck {
    if &computed == expected {
        DigestCheck::Verified
    } else {
        DigestCheck::Mismatch {
            declared,
            computed: computed.to_string(),
        }
    }
}

/// Reads through the next `\n` into `out`; `false` at end of stream before
/// any newline. Refuses lines longer than [`MAX_LINE`].
fn read_line(src: &mut impl BufRead, out: &mut Vec<u8>) -> io::Result<bool> {
    loop {
        let buf = src.fill_buf()?;
        if buf.is_empty() {
            return Ok(false);
        }
        if let Some(i) = buf.iter().position(|&b| b == b'\n') {
            out.extend_from_slice(&buf[..=i]);
            src.consume(i + 1);
            return Ok(true);
        }
        let n = buf.len();
        out.extend_from_slice(buf);
        src.consume(n);
        if out.len() > MAX_LINE {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("header line longer than {MAX_LINE} bytes"),
            ));
        }
    }
}

/// One record being read: its fields, and its block as a [`Read`]er.
pub struct RecordReader<'a, R: BufRead> {
    reader: &'a mut WarcReader<R>,
}

impl<R: BufRead> RecordReader<'_, R> {
    fn cur(&self) -> Option<&Current> {
        self.reader.current.as_ref()
    }

    /// Its fields.
    pub fn headers(&self) -> &WarcHeaders {
        static EMPTY: WarcHeaders = WarcHeaders {
            version: String::new(),
            fields: Vec::new(),
        };
        self.cur().map_or(&EMPTY, |c| &c.headers)
    }

    /// Offset of the record (of its gzip member) in the file.
    pub fn offset(&self) -> u64 {
        self.cur().map_or(0, |c| c.offset)
    }

    /// The rest of the block in memory; an error when it is longer than
    /// `limit` (nothing is read then) or the stream ends early.
    pub fn read_block(&mut self, limit: u64) -> Result<Vec<u8>> {
        let (offset, remaining) = self.cur().map_or((0, 0), |c| (c.offset, c.remaining));
        if remaining > limit {
            return Err(Error::malformed(
                offset,
                format!("block of {remaining} bytes exceeds the limit of {limit}"),
            ));
        }
        let mut out = Vec::with_capacity(usize::try_from(remaining.min(1 << 20)).unwrap_or(0));
        self.read_to_end(&mut out)
            .map_err(|e| Error::malformed(offset, e.to_string()))?;
        Ok(out)
    }

    /// Reads what is left, checks the digests, and says where the record
    /// lay in the file.
    pub fn finish(self) -> Result<RecordEnd> {
        self.reader.finish_current()
    }
}

impl<R: BufRead> Read for RecordReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.reader.read_block_bytes(buf)
    }
}

/// Iterator of whole records (see [`WarcReader::into_records`]); stops
/// after the first error.
pub struct Records<R: BufRead> {
    reader: WarcReader<R>,
    max_block: u64,
}

impl<R: BufRead> Iterator for Records<R> {
    type Item = Result<OwnedRecord>;

    fn next(&mut self) -> Option<Self::Item> {
        let max = self.max_block;
        let result = (|| {
            let Some(mut rec) = self.reader.next_record()? else {
                return Ok(None);
            };
            let headers = rec.headers().clone();
            let block = rec.read_block(max)?;
            let end = rec.finish()?;
            Ok(Some(OwnedRecord {
                headers,
                block,
                end,
            }))
        })();
        match result {
            Ok(r) => r.map(Ok),
            Err(e) => {
                self.reader.failed = true;
                Some(Err(e))
            }
        }
    }
}

/// A `BufRead` that counts the bytes consumed from it.
struct Counted<R> {
    inner: R,
    count: u64,
}

impl<R: BufRead> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count += n as u64;
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counted<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        self.count += amt as u64;
        self.inner.consume(amt);
    }
}

/// The decompressed bytes of a stream, one gzip member at a time: `read`
/// returns 0 at each member's end until [`Members::next_member`] starts the
/// next one, so that record offsets can be the members' offsets.
struct Members<R: BufRead> {
    state: MemberState<R>,
    member_start: u64,
}

enum MemberState<R: BufRead> {
    Plain(Counted<R>),
    Between(Counted<R>),
    In(Box<GzDecoder<Counted<R>>>),
    Broken,
}

impl<R: BufRead> Members<R> {
    /// Bytes consumed from the underlying stream.
    fn raw_count(&self) -> u64 {
        match &self.state {
            MemberState::Plain(c) | MemberState::Between(c) => c.count,
            MemberState::In(d) => d.get_ref().count,
            MemberState::Broken => 0,
        }
    }

    /// Starts the next gzip member; `false` at the end of the stream.
    fn next_member(&mut self) -> io::Result<bool> {
        match std::mem::replace(&mut self.state, MemberState::Broken) {
            MemberState::Between(mut c) => {
                if c.fill_buf()?.is_empty() {
                    self.state = MemberState::Between(c);
                    return Ok(false);
                }
                self.member_start = c.count;
                self.state = MemberState::In(Box::new(GzDecoder::new(c)));
                Ok(true)
            }
            other => {
                self.state = other;
                Ok(false)
            }
        }
    }
}

impl<R: BufRead> Read for Members<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match &mut self.state {
            MemberState::Plain(c) => c.read(buf),
            MemberState::Between(_) => Ok(0),
            MemberState::Broken => Err(io::Error::other("stream unusable after an earlier error")),
            MemberState::In(d) => {
                let n = d.read(buf).map_err(|e| {
                    io::Error::new(e.kind(), format!("gzip data does not decompress: {e}"))
                })?;
                if n == 0
                    && !buf.is_empty()
                    && let MemberState::In(d) =
                        std::mem::replace(&mut self.state, MemberState::Broken)
                {
                    self.state = MemberState::Between(d.into_inner());
                }
                Ok(n)
            }
        }
    }
}
