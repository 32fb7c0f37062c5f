//! Writing WARC 1.1 files, one record at a time.

use std::io::{self, Write};

use flate2::write::GzEncoder;

use crate::digest::{DigestAlgorithm, WarcDigest};
use crate::error::{Error, Result};
use crate::record::{Payload, Record, RecordId, check_field, warc_date};

/// How records are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Compression {
    /// Each record its own gzip member (`.warc.gz`): the form replay tools
    /// and WACZ expect, because a single record can be decompressed from
    /// its offset without reading the file from the start.
    #[default]
    GzipPerRecord,
    /// Plain `.warc`.
    None,
}

/// Where a written record lies in the file and what it hashes to: what an
/// index (CDXJ) and a ledger need without reading the file back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenRecord {
    /// Its `WARC-Record-ID`.
    pub id: RecordId,
    /// Byte offset of the record (of its gzip member) in the file.
    pub offset: u64,
    /// Bytes of the record in the file: the compressed length of its
    /// member for `.warc.gz`; for `.warc` the header and block without the
    /// closing CRLF CRLF, as warcio and cdxj-indexer count it.
    pub length: u64,
    /// `WARC-Block-Digest` as written.
    pub block_digest: WarcDigest,
    /// `WARC-Payload-Digest` as written, for records with a payload.
    pub payload_digest: Option<WarcDigest>,
}

/// Writes records to `out` (a file, a buffer, a hashing writer…).
///
/// Records are written whole or not at all as far as this type is
/// concerned; if `out` fails mid-record the file is left with a partial
/// record and should be discarded (the error says which record).
#[derive(Debug)]
pub struct WarcWriter<W: Write> {
    out: Counting<W>,
    compression: Compression,
    algorithm: DigestAlgorithm,
}

impl<W: Write> WarcWriter<W> {
    /// A writer at offset 0 of `out`, with SHA-256 digests.
    pub fn new(out: W, compression: Compression) -> Self {
        Self::at_offset(out, compression, 0)
    }

    /// A writer appending to a file that already holds `offset` bytes, so
    /// that returned offsets are offsets in that file.
    pub fn at_offset(out: W, compression: Compression, offset: u64) -> Self {
        Self {
            out: Counting {
                inner: out,
                count: offset,
            },
            compression,
            algorithm: DigestAlgorithm::Sha256,
        }
    }

    /// Uses `algorithm` for the digests of records written from now on
    /// (SHA-1 for consumers that only know the historical convention).
    pub fn with_digest_algorithm(mut self, algorithm: DigestAlgorithm) -> Self {
        self.algorithm = algorithm;
        self
    }

    /// Offset at which the next record will start.
    pub fn position(&self) -> u64 {
        self.out.count
    }

    /// Writes one record and says where it went.
    pub fn write(&mut self, record: &Record) -> Result<WrittenRecord> {
        let head = self.head(record)?;
        let (head_bytes, block_digest, payload_digest) = head;
        let offset = self.out.count;
        let context = || format!("writing {} record {}", record.record_type, record.id);
        match self.compression {
            Compression::None => write_parts(&mut self.out, &head_bytes, &record.block)
                .map_err(|e| Error::io(context(), e))?,
            Compression::GzipPerRecord => {
                let mut gz = GzEncoder::new(&mut self.out, flate2::Compression::default());
                write_parts(&mut gz, &head_bytes, &record.block)
                    .map_err(|e| Error::io(context(), e))?;
                gz.finish().map_err(|e| Error::io(context(), e))?;
            }
        }
        self.out.flush().map_err(|e| Error::io(context(), e))?;
        let mut length = self.out.count - offset;
        if self.compression == Compression::None {
            length = length.saturating_sub(4);
        }
        Ok(WrittenRecord {
            id: record.id.clone(),
            offset,
            length,
            block_digest,
            payload_digest,
        })
    }

    /// The header block and the digests it declares.
    fn head(&self, r: &Record) -> Result<(Vec<u8>, WarcDigest, Option<WarcDigest>)> {
        let block_digest = WarcDigest::of(self.algorithm, &r.block);
        let payload_digest = match &r.payload {
            Payload::None => None,
            Payload::Whole => Some(block_digest.clone()),
            Payload::At(at) => {
                let body = r.block.get(*at..).ok_or_else(|| {
                    Error::invalid(
                        format!("payload offset of record {}", r.id),
                        format!("{at} is past the block's {} bytes", r.block.len()),
                    )
                })?;
                Some(WarcDigest::of(self.algorithm, body))
            }
            Payload::Declared(d) => Some(d.clone()),
        };
        let mut fields: Vec<(&str, String)> = vec![
            ("WARC-Type", r.record_type.as_str().to_owned()),
            ("WARC-Record-ID", r.id.to_string()),
            ("WARC-Date", warc_date(r.date)),
        ];
        if let Some(uri) = &r.target_uri {
            if uri
                .bytes()
                .any(|b| b.is_ascii_whitespace() || b.is_ascii_control())
            {
                return Err(Error::invalid(
                    format!("WARC-Target-URI of record {}", r.id),
                    format!("{uri:?} contains whitespace or control characters"),
                ));
            }
            fields.push(("WARC-Target-URI", uri.clone()));
        }
        for (k, v) in &r.fields {
            fields.push((k, v.clone()));
        }
        if let Some(ct) = &r.content_type {
            fields.push(("Content-Type", ct.clone()));
        }
        fields.push(("WARC-Block-Digest", block_digest.to_string()));
        if let Some(p) = &payload_digest {
            fields.push(("WARC-Payload-Digest", p.to_string()));
        }
        fields.push(("Content-Length", r.block.len().to_string()));
        let mut head = b"WARC/1.1\r\n".to_vec();
        for (k, v) in &fields {
            check_field(k, v)?;
            head.extend_from_slice(k.as_bytes());
            head.extend_from_slice(b": ");
            head.extend_from_slice(v.as_bytes());
            head.extend_from_slice(b"\r\n");
        }
        head.extend_from_slice(b"\r\n");
        Ok((head, block_digest, payload_digest))
    }

    /// The underlying writer (flushed after every record).
    pub fn get_ref(&self) -> &W {
        &self.out.inner
    }

    /// Gives back the underlying writer.
    pub fn into_inner(self) -> W {
        self.out.inner
    }
}

fn write_parts(out: &mut impl Write, head: &[u8], block: &[u8]) -> io::Result<()> {
    out.write_all(head)?;
    out.write_all(block)?;
    out.write_all(b"\r\n\r\n")
}

/// Counts bytes written through it, for record offsets.
#[derive(Debug)]
struct Counting<W> {
    inner: W,
    count: u64,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.count += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}
