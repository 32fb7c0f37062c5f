//! Handing a case's web captures over for replay: `qorgau export CASE --wacz FILE`.
//!
//! A BagIt bag proves that nothing changed; a WACZ lets the prosecutor and
//! the court *see* the page as it was, in ReplayWeb.page or any WACZ
//! player, offline. The package holds every WARC the case's captures made
//! (copied byte for byte from the vault and re-hashed on the way: a blob
//! that no longer matches its item stops the export), a CDXJ index, one
//! page per capture (the final URL, titled, at the time of its response)
//! and `datapackage.json` with the SHA-256 of every file. The package's
//! own SHA-256 goes into the `exported` ledger entry, so the copy handed
//! over can be matched to the ledger.
//!
//! The file is written beside its destination under a hidden name and
//! linked into place only when complete; an existing file is never
//! overwritten.

use std::fs::{self, File};
use std::io::{self, BufWriter, Read};
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDateTime, Utc};
use qorgau_core::{CaseName, Sha256Digest};
use qorgau_evidence::{CaptureRecord, EntryDraft, EventKind, ItemRecord};
use qorgau_store::{CaptureFilter, ItemFilter};
use qorgau_warc::{PackageInfo, Page, WaczWriter};
use sha2::{Digest as _, Sha256};

use crate::error::VaultError;
use crate::vault::Vault;

/// What a WACZ export produced.
#[derive(Debug, Clone, serde::Serialize)]
pub struct WaczSummary {
    /// The package (absolute).
    pub path: PathBuf,
    /// Captures included.
    pub captures: u64,
    /// WARC files included.
    pub warcs: u64,
    /// Pages listed for replay.
    pub pages: u64,
    /// Size of the package in bytes.
    pub bytes: u64,
    /// SHA-256 of the package, as the ledger records it.
    pub sha256: String,
    /// The `exported` entry, `chain#seq`.
    pub ledger_entry: String,
}

/// Writes the web captures of `case` as a WACZ package at `path`.
/// `progress` is called with WARC bytes copied so far.
pub async fn export_wacz(
    vault: &Vault,
    case: &CaseName,
    path: &Path,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<WaczSummary, VaultError> {
    export_wacz_authorised(vault, case, path, None, progress).await
}

/// [`export_wacz`] with an authorisation for content marked as suspected
/// child sexual abuse material. A capture's WARC holds every file the page
/// loaded, so a capture any of whose files is marked carries the marked
/// content: the whole package then needs the authorisation, recorded on
/// each marked file first.
pub async fn export_wacz_authorised(
    vault: &Vault,
    case: &CaseName,
    path: &Path,
    authorisation: Option<&str>,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<WaczSummary, VaultError> {
    let case = vault.store.find_case(case).await?.ok_or_else(|| {
        VaultError::Input(format!(
            "there is no case named \"{case}\" in the vault at {}; nothing was exported",
            vault.data_dir.display()
        ))
    })?;
    let dest = destination(path)?;
    let captures = vault
        .store
        .captures(&CaptureFilter {
            case_id: Some(case.id),
            ..CaptureFilter::default()
        })
        .await?;
    if captures.is_empty() {
        return Err(VaultError::Input(format!(
            "case \"{}\" has no web captures (`qorgau capture URL --case …` makes them); \
             nothing was exported",
            case.name
        )));
    }
    let mut plan = Vec::new();
    let mut carried = Vec::new();
    for capture in &captures {
        let items = vault
            .store
            .items(&ItemFilter {
                acquisition_id: Some(capture.acquisition_id),
                ..ItemFilter::default()
            })
            .await?;
        carried.extend(items.iter().cloned());
        let mut warcs: Vec<ItemRecord> = items
            .into_iter()
            .filter(|i| i.file_name.ends_with(".warc.gz") || i.file_name.ends_with(".warc"))
            .collect();
        warcs.sort_by(|a, b| a.relative_path.cmp(&b.relative_path));
        plan.push((capture.clone(), warcs));
    }

    let restricted = crate::restricted::authorise_export(
        vault,
        &carried,
        authorisation,
        &format!("WACZ export to {}", dest.display()),
    )
    .await?;
    let temp = dest.with_file_name(format!(
        ".{}.partial",
        dest.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    ));
    // With S3, blobs not in the local cache are fetched (and checked
    // against their addresses) before the package is written.
    for (_, items) in &plan {
        for item in items {
            vault.blobs.local(&item.sha256).await?;
        }
    }
    let written = super::blocking(|| write_package(vault, &case.name, &plan, &temp, progress));
    let (pages, warcs, bytes, sha256) = match written {
        Ok(w) => w,
        Err(e) => {
            let _ = fs::remove_file(&temp);
            return Err(e);
        }
    };
    // Link, not rename: a link fails if the destination appeared meanwhile.
    let published = fs::hard_link(&temp, &dest);
    let _ = fs::remove_file(&temp);
    published.map_err(|e| VaultError::io(format!("writing {}", dest.display()), e))?;

    let mut draft = EntryDraft::now(EventKind::Exported, vault.actor.clone(), vault.tool.clone());
    draft.case_id = Some(case.id);
    draft.details = serde_json::json!({
        "format": format!("WACZ {}", qorgau_warc::WACZ_VERSION),
        "destination": dest.to_string_lossy(),
        "captures": captures.iter().map(|c| c.id.to_string()).collect::<Vec<_>>(),
        "warcs": warcs,
        "bytes": bytes,
        "sha256": sha256.to_hex(),
        "restricted_items": restricted.iter().map(|i| i.to_string()).collect::<Vec<_>>(),
        "restricted_authorisation": (!restricted.is_empty()).then_some(authorisation).flatten(),
    })
    .to_string();
    let entry = vault
        .store
        .append(vec![draft], &vault.key)
        .await?
        .pop()
        .map(|e| format!("{}#{}", e.chain, e.seq))
        .unwrap_or_default();
    Ok(WaczSummary {
        path: dest,
        captures: captures.len() as u64,
        warcs,
        pages,
        bytes,
        sha256: sha256.to_hex(),
        ledger_entry: entry,
    })
}

/// The destination, absolute; its folder must exist and it must not.
fn destination(path: &Path) -> Result<PathBuf, VaultError> {
    let path = std::path::absolute(path)
        .map_err(|e| VaultError::io(format!("resolving {}", path.display()), e))?;
    if path.file_name().is_none() {
        return Err(VaultError::Input(format!(
            "{}: name a file for the WACZ package; nothing was exported",
            path.display()
        )));
    }
    if path.symlink_metadata().is_ok() {
        return Err(VaultError::Input(format!(
            "{} exists already; a package is never written over another file; nothing was exported",
            path.display()
        )));
    }
    match path.parent() {
        Some(parent) if parent.is_dir() => Ok(path),
        _ => Err(VaultError::Input(format!(
            "{}: its folder does not exist; nothing was exported",
            path.display()
        ))),
    }
}

type Plan = [(CaptureRecord, Vec<ItemRecord>)];

/// Writes the package; returns pages, WARCs, bytes and SHA-256 of the file.
fn write_package(
    vault: &Vault,
    case: &CaseName,
    plan: &Plan,
    temp: &Path,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<(u64, u64, u64, Sha256Digest), VaultError> {
    let created = Utc::now();
    let file = File::create_new(temp)
        .map_err(|e| VaultError::io(format!("creating {}", temp.display()), e))?;
    let mut wacz = WaczWriter::new(BufWriter::new(file), created);
    let wacz_error =
        |e: qorgau_warc::Error| VaultError::Input(format!("writing {}: {e}", temp.display()));
    let mut copied = 0u64;
    let mut warcs = 0u64;
    let mut pages = Vec::new();
    for (capture, items) in plan {
        let first_index = wacz.index().len();
        for (n, item) in items.iter().enumerate() {
            // Fetched into the cache by export_wacz before this runs.
            let blob = vault.blobs.cache_path(&item.sha256);
            let reader = File::open(&blob).map_err(|e| {
                VaultError::io(format!("reading item {} ({})", item.id, blob.display()), e)
            })?;
            let mut hashing = Hashing::new(reader);
            let suffix = if item.file_name.ends_with(".gz") {
                "warc.gz"
            } else {
                "warc"
            };
            let name = if items.len() == 1 {
                format!("{}.{suffix}", capture.id)
            } else {
                format!("{}-{:02}.{suffix}", capture.id, n + 1)
            };
            wacz.add_warc(&name, &mut hashing).map_err(wacz_error)?;
            // add_warc reads to the end; anything it left is hashed too.
            io::copy(&mut hashing, &mut io::sink())
                .map_err(|e| VaultError::io(format!("reading {}", blob.display()), e))?;
            if hashing.digest() != item.sha256 {
                return Err(VaultError::Input(format!(
                    "item {} ({}) no longer matches its SHA-256; the vault is damaged \
                     (run `qorgau verify`); nothing was exported",
                    item.id, item.relative_path
                )));
            }
            copied += hashing.read;
            warcs += 1;
            progress(copied);
        }
        // Replay opens the page at the time of its own response.
        let response_time = wacz.index()[first_index..]
            .iter()
            .find(|e| e.url == capture.final_url && e.status.is_some())
            .and_then(|e| NaiveDateTime::parse_from_str(&e.timestamp, "%Y%m%d%H%M%S").ok())
            .map(|t| t.and_utc());
        if let Some(ts) = response_time {
            pages.push(Page {
                id: capture.id.to_string(),
                url: capture.final_url.clone(),
                ts,
                title: title_of(capture),
            });
        }
    }
    if warcs == 0 {
        return Err(VaultError::Input(format!(
            "the captures of case \"{case}\" hold no WARC file; nothing was exported"
        )));
    }
    let main_page: Option<(String, DateTime<Utc>)> = pages.first().map(|p| (p.url.clone(), p.ts));
    let page_count = pages.len() as u64;
    for page in pages {
        wacz.add_page(page);
    }
    let info = PackageInfo {
        title: case.as_str().to_owned(),
        description: Some(format!(
            "Web captures of case \"{case}\", exported from the Qorgau evidence vault by {}@{}",
            vault.actor.user, vault.actor.host
        )),
        software: format!("{} {}", vault.tool.name, vault.tool.version),
        created,
        main_page,
    };
    let (out, _) = wacz.finish(&info).map_err(wacz_error)?;
    let file = out
        .into_inner()
        .map_err(|e| VaultError::io(format!("writing {}", temp.display()), e.into_error()))?;
    file.sync_all()
        .map_err(|e| VaultError::io(format!("syncing {}", temp.display()), e))?;
    drop(file);
    let mut reread =
        File::open(temp).map_err(|e| VaultError::io(format!("reading {}", temp.display()), e))?;
    let (sha256, _, bytes) = crate::hashing::hash_reader(&mut reread)
        .map_err(|e| VaultError::io(format!("hashing {}", temp.display()), e))?;
    Ok((page_count, warcs, bytes, sha256))
}

/// The page title recorded in the capture's summary.
fn title_of(capture: &CaptureRecord) -> Option<String> {
    serde_json::from_str::<serde_json::Value>(&capture.summary)
        .ok()?
        .get("title")?
        .as_str()
        .map(str::to_owned)
}

/// A reader that hashes what passes through it.
struct Hashing<R> {
    inner: R,
    sha: Sha256,
    read: u64,
}

impl<R: Read> Hashing<R> {
    fn new(inner: R) -> Self {
        Self {
            inner,
            sha: Sha256::new(),
            read: 0,
        }
    }

    fn digest(&self) -> Sha256Digest {
        Sha256Digest::from_bytes(self.sha.clone().finalize().into())
    }
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.sha.update(&buf[..n]);
        self.read += n as u64;
        Ok(n)
    }
}
