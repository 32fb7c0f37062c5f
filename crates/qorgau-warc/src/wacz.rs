//! WACZ 1.1.1 packages (<https://specs.webrecorder.net/wacz/1.1.1/>): one
//! ZIP that ReplayWeb.page opens and anyone can check offline.
//!
//! Layout: `archive/*.warc.gz` (stored, not re-compressed: replay reads
//! records at their offsets straight out of the ZIP), `indexes/index.cdx`
//! (CDXJ built while the WARCs stream in), `pages/pages.jsonl`,
//! `datapackage.json` (every file with its SHA-256 and size) and
//! `datapackage-digest.json` (the SHA-256 of `datapackage.json`, the one
//! hash that seals the package).

use std::io::{self, BufReader, Read, Seek, Write};

use chrono::{DateTime, Datelike, SecondsFormat, Timelike, Utc};
use data_encoding::HEXLOWER;
use serde::Serialize;
use sha2::{Digest as _, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use crate::cdxj::{CdxjEntry, index_warc, write_cdxj};
use crate::error::{Error, Result};

/// The WACZ version written.
pub const WACZ_VERSION: &str = "1.1.1";

/// A page of the package: what ReplayWeb.page lists and opens first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Stable id (e.g. the capture id).
    pub id: String,
    /// The page URL as captured (must match a `WARC-Target-URI`).
    pub url: String,
    /// When it was captured (the `WARC-Date` of its response).
    pub ts: DateTime<Utc>,
    /// Its title, if known.
    pub title: Option<String>,
}

/// What `datapackage.json` says about the package as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageInfo {
    /// `title` (e.g. the case name).
    pub title: String,
    /// `description`, free text.
    pub description: Option<String>,
    /// `software`: tool and version, e.g. `qorgau 0.1.0`.
    pub software: String,
    /// `created`: when the package was made.
    pub created: DateTime<Utc>,
    /// `mainPageURL` and `mainPageDate`: the page replay opens first.
    pub main_page: Option<(String, DateTime<Utc>)>,
}

/// A file listed in `datapackage.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PackageResource {
    /// Lower-case name derived from the file name (Frictionless rules).
    pub name: String,
    /// Path in the ZIP.
    pub path: String,
    /// `sha256:` + hex.
    pub hash: String,
    /// Size in bytes.
    pub bytes: u64,
}

#[derive(Serialize)]
struct DataPackage<'a> {
    profile: &'static str,
    wacz_version: &'static str,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(rename = "mainPageURL", skip_serializing_if = "Option::is_none")]
    main_page_url: Option<&'a str>,
    #[serde(rename = "mainPageDate", skip_serializing_if = "Option::is_none")]
    main_page_date: Option<String>,
    created: String,
    software: &'a str,
    resources: &'a [PackageResource],
}

/// Writes a WACZ to `out` (a file: the ZIP needs to seek back to patch
/// entry sizes).
///
/// Add the WARCs with [`WaczWriter::add_warc`] and the pages with
/// [`WaczWriter::add_page`], then [`WaczWriter::finish`].
pub struct WaczWriter<W: Write + Seek> {
    zip: ZipWriter<W>,
    resources: Vec<PackageResource>,
    index: Vec<CdxjEntry>,
    pages: Vec<Page>,
    mtime: zip::DateTime,
}

impl<W: Write + Seek> WaczWriter<W> {
    /// A package being written to `out`; entry times are `created`.
    pub fn new(out: W, created: DateTime<Utc>) -> Self {
        let mtime = zip_time(created);
        Self {
            zip: ZipWriter::new(out),
            resources: Vec::new(),
            index: Vec::new(),
            pages: Vec::new(),
            mtime,
        }
    }

    fn options(&self) -> SimpleFileOptions {
        SimpleFileOptions::default()
            .compression_method(CompressionMethod::Stored)
            .last_modified_time(self.mtime)
    }

    /// Copies a WARC (`.warc.gz` or `.warc`) from `warc` into
    /// `archive/NAME`, hashing and indexing it in the same pass; nothing is
    /// held in memory but one buffer and the index lines. `name` is a bare
    /// file name. A WARC that does not parse is refused (the error names
    /// the record offset), as it could not be replayed. Each WARC must be
    /// under 4 GiB.
    pub fn add_warc(&mut self, name: &str, warc: impl Read) -> Result<u64> {
        if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
            return Err(Error::invalid(
                format!("WARC name {name:?}"),
                "must be a bare file name",
            ));
        }
        if self
            .resources
            .iter()
            .any(|r| r.path == format!("archive/{name}"))
        {
            return Err(Error::invalid(
                format!("WARC name {name:?}"),
                "is already in the package",
            ));
        }
        let path = format!("archive/{name}");
        let options = self.options();
        self.zip
            .start_file(path.as_str(), options)
            .map_err(|source| Error::Zip {
                entry: path.clone(),
                source,
            })?;
        let mut tee = BufReader::with_capacity(
            64 * 1024,
            Tee {
                inner: warc,
                out: &mut self.zip,
                hasher: Sha256::new(),
                bytes: 0,
            },
        );
        let entries = index_warc(&mut tee, name).map_err(|e| match e {
            Error::Malformed { offset, problem } => {
                Error::malformed(offset, format!("{path}: {problem}"))
            }
            other => other,
        })?;
        io::copy(&mut tee, &mut io::sink()).map_err(|e| Error::io(format!("copying {path}"), e))?;
        let tee = tee.into_inner();
        let (hash, bytes) = (
            format!("sha256:{}", HEXLOWER.encode(&tee.hasher.finalize())),
            tee.bytes,
        );
        self.index.extend(entries);
        self.resources.push(PackageResource {
            name: resource_name(name),
            path,
            hash,
            bytes,
        });
        Ok(bytes)
    }

    /// Lists a page in `pages/pages.jsonl`.
    pub fn add_page(&mut self, page: Page) {
        self.pages.push(page);
    }

    /// The index lines gathered so far (from every added WARC).
    pub fn index(&self) -> &[CdxjEntry] {
        &self.index
    }

    /// Writes the index, the pages and the data package, and closes the
    /// ZIP. Returns the output and the resources as listed.
    pub fn finish(mut self, info: &PackageInfo) -> Result<(W, Vec<PackageResource>)> {
        if !self
            .resources
            .iter()
            .any(|r| r.path.starts_with("archive/"))
        {
            return Err(Error::invalid("WACZ", "has no WARC file"));
        }
        let mut cdx = Vec::new();
        write_cdxj(&self.index, &mut cdx)?;
        self.add_bytes("indexes/index.cdx", &cdx)?;
        let pages = pages_jsonl(&self.pages)?;
        self.add_bytes("pages/pages.jsonl", &pages)?;
        let package = DataPackage {
            profile: "data-package",
            wacz_version: WACZ_VERSION,
            title: &info.title,
            description: info.description.as_deref(),
            main_page_url: info.main_page.as_ref().map(|(u, _)| u.as_str()),
            main_page_date: info
                .main_page
                .as_ref()
                .map(|(_, d)| d.to_rfc3339_opts(SecondsFormat::Secs, true)),
            created: info.created.to_rfc3339_opts(SecondsFormat::Secs, true),
            software: &info.software,
            resources: &self.resources,
        };
        let json = serde_json::to_vec_pretty(&package)
            .map_err(|e| Error::invalid("datapackage.json", e.to_string()))?;
        let digest = serde_json::json!({
            "path": "datapackage.json",
            "hash": format!("sha256:{}", HEXLOWER.encode(&Sha256::digest(&json))),
        });
        let digest = serde_json::to_vec_pretty(&digest)
            .map_err(|e| Error::invalid("datapackage-digest.json", e.to_string()))?;
        let options = self.options();
        for (name, data) in [
            ("datapackage.json", &json),
            ("datapackage-digest.json", &digest),
        ] {
            self.zip
                .start_file(name, options)
                .map_err(|source| Error::Zip {
                    entry: name.to_owned(),
                    source,
                })?;
            self.zip
                .write_all(data)
                .map_err(|e| Error::io(format!("writing {name}"), e))?;
        }
        let out = self.zip.finish().map_err(|source| Error::Zip {
            entry: "central directory".to_owned(),
            source,
        })?;
        Ok((out, self.resources))
    }

    /// Adds a small file and lists it.
    fn add_bytes(&mut self, path: &str, data: &[u8]) -> Result<()> {
        let options = self.options();
        self.zip
            .start_file(path, options)
            .map_err(|source| Error::Zip {
                entry: path.to_owned(),
                source,
            })?;
        self.zip
            .write_all(data)
            .map_err(|e| Error::io(format!("writing {path}"), e))?;
        let name = path.rsplit('/').next().unwrap_or(path);
        self.resources.push(PackageResource {
            name: resource_name(name),
            path: path.to_owned(),
            hash: format!("sha256:{}", HEXLOWER.encode(&Sha256::digest(data))),
            bytes: data.len() as u64,
        });
        Ok(())
    }
}

/// `pages.jsonl`: the header line, then one line per page.
fn pages_jsonl(pages: &[Page]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let header =
        serde_json::json!({"format": "json-pages-1.0", "id": "pages", "title": "All Pages"});
    let mut line = |v: serde_json::Value| -> Result<()> {
        serde_json::to_writer(&mut out, &v)
            .map_err(|e| Error::invalid("pages.jsonl", e.to_string()))?;
        out.push(b'\n');
        Ok(())
    };
    line(header)?;
    for p in pages {
        let mut v = serde_json::json!({
            "id": p.id,
            "url": p.url,
            "ts": p.ts.to_rfc3339_opts(SecondsFormat::AutoSi, true),
        });
        if let (Some(t), Some(obj)) = (&p.title, v.as_object_mut()) {
            obj.insert("title".to_owned(), serde_json::Value::String(t.clone()));
        }
        line(v)?;
    }
    Ok(out)
}

/// A Frictionless resource name: lower-case letters, digits, `-._`.
fn resource_name(file: &str) -> String {
    file.chars()
        .map(|c| c.to_ascii_lowercase())
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-._".contains(c) {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// ZIP (DOS) time of `t`, or 1980-01-01 when out of DOS range.
fn zip_time(t: DateTime<Utc>) -> zip::DateTime {
    let parts = (
        u16::try_from(t.year()).ok(),
        u8::try_from(t.month()).ok(),
        u8::try_from(t.day()).ok(),
        u8::try_from(t.hour()).ok(),
        u8::try_from(t.minute()).ok(),
        u8::try_from(t.second().min(59)).ok(),
    );
    match parts {
        (Some(y), Some(mo), Some(d), Some(h), Some(mi), Some(s)) => {
            zip::DateTime::from_date_and_time(y, mo, d, h, mi, s).unwrap_or_default()
        }
        _ => zip::DateTime::default(),
    }
}

/// Passes bytes read from `inner` on to `out`, hashing and counting them.
struct Tee<'a, R, W: Write + Seek> {
    inner: R,
    out: &'a mut ZipWriter<W>,
    hasher: Sha256,
    bytes: u64,
}

impl<R: Read, W: Write + Seek> Read for Tee<'_, R, W> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.out.write_all(&buf[..n])?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
}
