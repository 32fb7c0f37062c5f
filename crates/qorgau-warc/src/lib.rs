//! Qorgau's web-archive format layer: WARC 1.1 files, CDXJ indexes and WACZ
//! packages — the formats in which captured web pages go to court.
//!
//! This crate knows nothing of browsers, HTTP clients, databases or the
//! command line. The capture layer hands it HTTP exchanges and captured
//! artefacts; it writes them as standard records that independent tools
//! (warcio, pywb, ReplayWeb.page, py-wacz) read and verify, which is the
//! point: evidence that only our own software can check is weak evidence.
//!
//! - [`WarcWriter`] writes [`Record`]s (`warcinfo`, `request`, `response`,
//!   `metadata`, `resource`, `revisit`), each its own gzip member, with
//!   SHA-256 block and payload digests, and returns each record's offset
//!   and length for the index. [`HttpBlock`] builds the HTTP/1.1 message
//!   blocks of request and response records, including for bodies a
//!   browser already decoded ([`BodyForm::Decoded`]).
//! - [`WarcReader`] streams records back out of `.warc` / `.warc.gz`,
//!   checking digests; [`HttpResponse`] parses a response block and decodes
//!   its body.
//! - [`index_warc`] / [`write_cdxj`] make CDXJ lines keyed by [`surt()`].
//! - [`WaczWriter`] packages WARCs, index, pages and a hashed data package.

mod cdxj;
mod digest;
mod error;
mod http;
mod reader;
mod record;
mod surt;
mod wacz;
mod writer;

pub use cdxj::{CdxjEntry, cdx_timestamp, index_warc, write_cdxj};
pub use digest::{DigestAlgorithm, DigestCheck, Hasher, WarcDigest};
pub use error::{Error, Result};
pub use http::{
    BodyForm, Headers, HttpBlock, HttpRequest, HttpResponse, ORIG_HEADER_PREFIX, standard_reason,
};
pub use reader::{OwnedRecord, RecordEnd, RecordReader, Records, WarcHeaders, WarcReader};
pub use record::{
    Payload, REVISIT_IDENTICAL_PAYLOAD, Record, RecordId, RecordType, Truncated, WARC_1_1_SPEC,
    WarcFields, WarcInfo, warc_date,
};
pub use surt::surt;
pub use wacz::{PackageInfo, PackageResource, Page, WACZ_VERSION, WaczWriter};
pub use writer::{Compression, WarcWriter, WrittenRecord};
