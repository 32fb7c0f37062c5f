//! `qorgau verify`: prove that nothing in the vault changed.
//!
//! Checks, each reported at the item, case or ledger entry it concerns:
//! - every ledger chain: entry hashes, links, positions and signatures by a
//!   trusted key, and that no entries are missing at a chain's end;
//! - every item and case row against the digest its custody entry vouches
//!   for, and every custody entry against a row that still exists;
//! - every blob, re-hashed in full, against the SHA-256, MD5 and size its
//!   items record;
//! - with an S3 bucket attached, every blob's recorded object version:
//!   present, its bytes streamed and hashed against the address (the ETag
//!   is not trusted), its retention still COMPLIANCE until at least the
//!   date set; and every other version of its key, which is tampering
//!   when it holds other bytes (the locked version still holds the
//!   original) or is a delete marker. A blob missing from the local cache
//!   is then no problem: the bucket holds the evidence.
//!
//! Nothing here trusts the database: rows that no longer even decode are
//! reported as altered, not allowed to stop the run.

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use futures_util::StreamExt;
use qorgau_core::{CaseName, Id, Md5Digest, Sha256Digest};
use qorgau_evidence::custody::{ChainVerifier, INSTALLATION_CHAIN, chain_name};
use qorgau_evidence::{EntryDraft, EventKind, LedgerEntry};
use serde::Serialize;

use crate::error::VaultError;
use crate::hashing::hash_reader;
use crate::s3::{S3Client, object_key};
use crate::time_stamps::{TimeStampCheck, check_token, tsa_anchors};
use crate::vault::Vault;

/// Where a problem was found.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "at", rename_all = "snake_case")]
pub enum Location {
    /// An evidence item (its id as stored, which may itself be altered).
    Item {
        /// Item id.
        id: String,
    },
    /// A case row.
    Case {
        /// Case id.
        id: String,
    },
    /// A capture record.
    Capture {
        /// Capture id.
        id: String,
    },
    /// A ledger entry.
    LedgerEntry {
        /// Chain name.
        chain: String,
        /// Position.
        seq: u64,
    },
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::Item { id } => write!(f, "item {id}"),
            Location::Case { id } => write!(f, "case {id}"),
            Location::Capture { id } => write!(f, "capture {id}"),
            Location::LedgerEntry { chain, seq } => write!(f, "ledger entry {chain}#{seq}"),
        }
    }
}

/// One thing that does not hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Where.
    pub location: Location,
    /// What, in words an examiner can act on.
    pub message: String,
}

/// The outcome of a verification run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct VerifyReport {
    /// Items checked.
    pub items: u64,
    /// Distinct blobs re-hashed.
    pub blobs: u64,
    /// Bytes re-hashed.
    pub bytes: u64,
    /// S3 objects checked (0 without S3).
    pub s3_objects: u64,
    /// Bytes of S3 objects streamed and hashed.
    pub s3_bytes: u64,
    /// Ledger entries checked.
    pub ledger_entries: u64,
    /// Chains checked.
    pub chains: u64,
    /// Captures' time-stamp tokens that verified.
    pub time_stamps: Vec<TimeStampCheck>,
    /// Everything that does not hold; empty when the vault is intact.
    pub problems: Vec<Problem>,
    /// Position of the `verified` entry this run appended, if any.
    pub recorded_as: Option<String>,
}

impl VerifyReport {
    /// True when nothing was found wrong.
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }

    fn push(&mut self, location: Location, message: impl Into<String>) {
        self.problems.push(Problem {
            location,
            message: message.into(),
        });
    }
}

/// What an acquired or case_opened entry vouches for.
struct Vouched {
    digest: Option<Sha256Digest>,
    chain: String,
    seq: u64,
}

/// A blob to re-hash and the items that record it.
struct BlobCheck {
    sha256: Sha256Digest,
    md5: Md5Digest,
    size: u64,
    items: Vec<String>,
}

/// Runs every check over one case or the whole vault. `progress` receives
/// bytes re-hashed, for a progress bar. The run is recorded as a `verified`
/// custody entry unless `record` is false.
pub async fn verify(
    vault: &Vault,
    case: Option<&CaseName>,
    record: bool,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<VerifyReport, VaultError> {
    let mut report = VerifyReport::default();
    let case_id = match case {
        Some(name) => Some(vault.case(name).await?.id),
        None => None,
    };
    let keys = vault.trusted_keys()?;

    // 1. The ledger, chain by chain.
    let mut verifier = ChainVerifier::new(&keys);
    let mut items_vouched: HashMap<String, Vouched> = HashMap::new();
    let mut cases_vouched: HashMap<String, Vouched> = HashMap::new();
    let mut captures_vouched: HashMap<String, Vouched> = HashMap::new();
    let mut last_seq: BTreeMap<String, u64> = BTreeMap::new();
    {
        let mut stream = vault
            .store
            .stream_ledger(case_id.map(|id| chain_name(Some(id))));
        while let Some(row) = stream.next().await {
            report.ledger_entries += 1;
            match row? {
                Ok(entry) => {
                    verifier.push(&entry);
                    last_seq.insert(entry.chain.clone(), entry.seq);
                    note_vouched(
                        &entry,
                        &mut items_vouched,
                        &mut cases_vouched,
                        &mut captures_vouched,
                    );
                }
                Err(corrupt) => {
                    let (chain, seq) = split_key(&corrupt.key);
                    report.push(
                        Location::LedgerEntry { chain, seq },
                        format!("stored entry no longer decodes: {corrupt}"),
                    );
                }
            }
        }
    }
    report.chains = last_seq.len() as u64;
    for problem in verifier.finish() {
        let (chain, seq) = problem.location();
        report.push(
            Location::LedgerEntry {
                chain: chain.to_owned(),
                seq,
            },
            problem.to_string(),
        );
    }
    for (chain, head_seq, _) in vault.store.chain_heads().await? {
        if case_id.is_some_and(|id| chain != chain_name(Some(id))) {
            continue;
        }
        let last = last_seq.get(&chain).copied().unwrap_or(0);
        if last < head_seq {
            report.push(
                Location::LedgerEntry {
                    chain: chain.clone(),
                    seq: last + 1,
                },
                format!(
                    "ledger chain {chain} ends at entry #{last} but its head records #{head_seq}: entries were removed"
                ),
            );
        }
    }

    // 2. Case rows against their case_opened entries.
    for row in vault.store.cases_checked().await? {
        let case = match row {
            Ok(case) => case,
            Err(corrupt) => {
                if case_id.is_none_or(|id| id.to_string() == corrupt.key) {
                    cases_vouched.remove(&corrupt.key);
                    report.push(
                        Location::Case {
                            id: corrupt.key.clone(),
                        },
                        format!("stored case no longer decodes: {corrupt}"),
                    );
                }
                continue;
            }
        };
        if case_id.is_some_and(|id| id != case.id) {
            continue;
        }
        let id = case.id.to_string();
        match cases_vouched.remove(&id) {
            None => report.push(
                Location::Case { id: id.clone() },
                format!("case {:?} has no case_opened custody entry", case.name.as_str()),
            ),
            Some(v) if v.digest != Some(case.record_digest()) => report.push(
                Location::Case { id: id.clone() },
                format!(
                    "case {:?} does not match what custody entry {}#{} recorded: the case record was altered",
                    case.name.as_str(),
                    v.chain,
                    v.seq
                ),
            ),
            Some(_) => {}
        }
    }

    let mut lost_cases: Vec<(String, Vouched)> = cases_vouched.into_iter().collect();
    lost_cases.sort_by(|a, b| a.0.cmp(&b.0));
    for (id, v) in lost_cases {
        report.push(
            Location::Case { id: id.clone() },
            format!(
                "case {id} was opened (custody entry {}#{}) but is missing from the database",
                v.chain, v.seq
            ),
        );
    }

    // 2b. Capture rows against their log entries; each capture's manifest
    // must be one of its items.
    let mut manifests: HashMap<Id, (String, Sha256Digest)> = HashMap::new();
    let anchors = tsa_anchors(&vault.data_dir.join("keys").join("tsa"))?;
    for row in vault.store.captures_checked(case_id).await? {
        let capture = match row {
            Ok(c) => c,
            Err(corrupt) => {
                captures_vouched.remove(&corrupt.key);
                report.push(
                    Location::Capture {
                        id: corrupt.key.clone(),
                    },
                    format!("stored capture no longer decodes: {corrupt}"),
                );
                continue;
            }
        };
        let id = capture.id.to_string();
        match captures_vouched.remove(&id) {
            None => report.push(
                Location::Capture { id: id.clone() },
                format!("capture {id} of {} has no log entry", capture.url),
            ),
            Some(v) if v.digest != Some(capture.record_digest()) => report.push(
                Location::Capture { id: id.clone() },
                format!(
                    "capture {id} of {} does not match what log entry {}#{} recorded: the capture record was altered",
                    capture.url, v.chain, v.seq
                ),
            ),
            Some(_) => {}
        }
        if let Some(token) = &capture.time_stamp {
            let authority = capture.time_stamp_authority.clone().unwrap_or_default();
            match check_token(token, capture.manifest_sha256.as_bytes(), &anchors) {
                Ok((gen_time, signer, trusted_by)) => report.time_stamps.push(TimeStampCheck {
                    capture: id.clone(),
                    authority,
                    gen_time,
                    signer,
                    trusted_by,
                }),
                Err(problem) => report.push(
                    Location::Capture { id: id.clone() },
                    format!(
                        "capture {id} of {} (authority {authority}): {problem}",
                        capture.url
                    ),
                ),
            }
        }
        manifests.insert(capture.acquisition_id, (id, capture.manifest_sha256));
    }
    let mut lost_captures: Vec<(String, Vouched)> = captures_vouched.into_iter().collect();
    lost_captures.sort_by(|a, b| a.0.cmp(&b.0));
    for (id, v) in lost_captures {
        report.push(
            Location::Capture { id: id.clone() },
            format!(
                "capture {id} was logged (entry {}#{}) but is missing from the database",
                v.chain, v.seq
            ),
        );
    }
    let mut manifests_found: HashMap<Id, bool> = HashMap::new();

    // 3. Item rows against their acquired entries; collect blobs.
    let mut blobs: HashMap<Sha256Digest, BlobCheck> = HashMap::new();
    {
        let mut stream = vault.store.stream_items(case_id);
        while let Some(row) = stream.next().await {
            report.items += 1;
            let item = match row? {
                Ok(item) => item,
                Err(corrupt) => {
                    items_vouched.remove(&corrupt.key);
                    report.push(
                        Location::Item {
                            id: corrupt.key.clone(),
                        },
                        format!("stored item no longer decodes: {corrupt}"),
                    );
                    continue;
                }
            };
            let id = item.id.to_string();
            match items_vouched.remove(&id) {
                None => report.push(
                    Location::Item { id: id.clone() },
                    format!(
                        "item {} ({}) has no acquired custody entry",
                        id, item.original_path
                    ),
                ),
                Some(v) if v.digest != Some(item.record_digest()) => report.push(
                    Location::Item { id: id.clone() },
                    format!(
                        "item {} ({}) does not match what custody entry {}#{} recorded: the item record was altered",
                        id, item.original_path, v.chain, v.seq
                    ),
                ),
                Some(_) => {}
            }
            if let Some((_, manifest)) = manifests.get(&item.acquisition_id)
                && item.file_name == "manifest.json"
                && item.sha256 == *manifest
            {
                manifests_found.insert(item.acquisition_id, true);
            }
            let check = blobs.entry(item.sha256).or_insert_with(|| BlobCheck {
                sha256: item.sha256,
                md5: item.md5,
                size: item.size,
                items: Vec::new(),
            });
            if check.md5 != item.md5 || check.size != item.size {
                report.push(
                    Location::Item { id: id.clone() },
                    format!(
                        "item {id} records MD5 {} and size {} for content {}, another item records MD5 {} and size {}",
                        item.md5, item.size, item.sha256, check.md5, check.size
                    ),
                );
            }
            check.items.push(id);
        }
    }
    let mut orphans: Vec<(String, Vouched)> = items_vouched.into_iter().collect();
    orphans.sort_by(|a, b| a.0.cmp(&b.0));
    for (id, v) in orphans {
        report.push(
            Location::Item { id: id.clone() },
            format!(
                "item {id} was acquired (custody entry {}#{}) but is missing from the database",
                v.chain, v.seq
            ),
        );
    }

    let mut missing_manifests: Vec<&(String, Sha256Digest)> = manifests
        .iter()
        .filter(|(acq, _)| !manifests_found.contains_key(acq))
        .map(|(_, v)| v)
        .collect();
    missing_manifests.sort();
    for (id, sha) in missing_manifests {
        report.push(
            Location::Capture { id: id.clone() },
            format!("capture {id}: no item holds its manifest (SHA-256 {sha})"),
        );
    }

    // 4. Every blob, re-hashed in full, on every core.
    let mut checks: Vec<BlobCheck> = blobs.into_values().collect();
    checks.sort_by_key(|c| std::cmp::Reverse(c.size));
    report.blobs = checks.len() as u64;
    let found = rehash_all(vault, &checks, progress);
    for (check, outcome) in checks.iter().zip(found) {
        match outcome {
            BlobOutcome::Ok(bytes) => report.bytes += bytes,
            BlobOutcome::NotCached => {}
            BlobOutcome::Problem(message) => {
                for id in &check.items {
                    report.push(Location::Item { id: id.clone() }, message.clone());
                }
            }
        }
    }

    // 5. With S3, every blob's object in the bucket.
    if let Some(client) = vault.blobs.s3() {
        let found: Vec<Result<(u64, Vec<String>), VaultError>> = futures_util::stream::iter(
            checks
                .iter()
                .map(|check| check_remote(vault, client, check)),
        )
        .buffered(4)
        .collect()
        .await;
        for (check, outcome) in checks.iter().zip(found) {
            let (bytes, messages) = outcome?;
            report.s3_objects += 1;
            report.s3_bytes += bytes;
            for message in messages {
                for id in &check.items {
                    report.push(Location::Item { id: id.clone() }, message.clone());
                }
            }
        }
    }

    if record {
        let mut draft =
            EntryDraft::now(EventKind::Verified, vault.actor.clone(), vault.tool.clone());
        draft.case_id = case_id;
        draft.details = serde_json::json!({
            "items": report.items,
            "blobs": report.blobs,
            "bytes": report.bytes,
            "s3_objects": report.s3_objects,
            "ledger_entries": report.ledger_entries,
            "time_stamps": report.time_stamps.len(),
            "problems": report.problems.len(),
            "ok": report.ok(),
        })
        .to_string();
        let sealed = vault.store.append(vec![draft], &vault.key).await?;
        report.recorded_as = sealed
            .first()
            .map(|e| format!("{}#{}", e.chain, e.seq))
            .or_else(|| Some(INSTALLATION_CHAIN.to_owned()));
    }
    Ok(report)
}

fn note_vouched(
    entry: &LedgerEntry,
    items: &mut HashMap<String, Vouched>,
    cases: &mut HashMap<String, Vouched>,
    captures: &mut HashMap<String, Vouched>,
) {
    let vouched = || Vouched {
        digest: entry.subject_digest,
        chain: entry.chain.clone(),
        seq: entry.seq,
    };
    match entry.kind {
        EventKind::Acquired => {
            if let Some(id) = entry.item_id {
                items.insert(id.to_string(), vouched());
            }
        }
        EventKind::CaseOpened => {
            if let Some(id) = entry.case_id {
                cases.insert(id.to_string(), vouched());
            }
        }
        // A capture's log entry names it in its details.
        EventKind::InvestigativeStep => {
            if let Ok(details) = serde_json::from_str::<serde_json::Value>(&entry.details)
                && details["action"] == "capture"
                && let Some(id) = details["capture_id"].as_str()
            {
                captures.insert(id.to_owned(), vouched());
            }
        }
        _ => {}
    }
}

fn split_key(key: &str) -> (String, u64) {
    match key.rsplit_once('#') {
        Some((chain, seq)) => (chain.to_owned(), seq.parse().unwrap_or(0)),
        None => (key.to_owned(), 0),
    }
}

enum BlobOutcome {
    Ok(u64),
    /// Not in the local cache, and the bucket holds the evidence.
    NotCached,
    Problem(String),
}

fn rehash_all(
    vault: &Vault,
    checks: &[BlobCheck],
    progress: &(dyn Fn(u64) + Sync),
) -> Vec<BlobOutcome> {
    let results: Mutex<Vec<Option<BlobOutcome>>> =
        Mutex::new((0..checks.len()).map(|_| None).collect());
    let next = AtomicUsize::new(0);
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .clamp(1, 8);
    std::thread::scope(|scope| {
        for _ in 0..workers.min(checks.len().max(1)) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(check) = checks.get(i) else {
                        return;
                    };
                    let outcome = rehash(vault, check);
                    if let BlobOutcome::Ok(bytes) = &outcome {
                        progress(*bytes);
                    }
                    results.lock().unwrap_or_else(|p| p.into_inner())[i] = Some(outcome);
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(|p| p.into_inner())
        .into_iter()
        .map(|r| r.unwrap_or(BlobOutcome::Problem("not checked".into())))
        .collect()
}

fn rehash(vault: &Vault, check: &BlobCheck) -> BlobOutcome {
    let path = vault.blobs.cache_path(&check.sha256);
    let mut file = match File::open(&path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && vault.blobs.s3().is_some() => {
            return BlobOutcome::NotCached;
        }
        Err(e) => {
            return BlobOutcome::Problem(format!(
                "blob {} is missing or unreadable at {}: {e}",
                check.sha256,
                path.display()
            ));
        }
    };
    match hash_reader(&mut file) {
        Err(e) => BlobOutcome::Problem(format!("blob {} cannot be read: {e}", check.sha256)),
        Ok((sha256, md5, size)) => {
            if sha256 != check.sha256 {
                BlobOutcome::Problem(format!(
                    "blob {} now hashes to SHA-256 {sha256}: its content was altered{}",
                    check.sha256,
                    if vault.blobs.s3().is_some() {
                        " (the local cached copy; the S3 object is checked separately — \
                         delete the cached file to fetch it again)"
                    } else {
                        ""
                    }
                ))
            } else if md5 != check.md5 {
                BlobOutcome::Problem(format!(
                    "blob {} hashes to MD5 {md5}, the record says {}",
                    check.sha256, check.md5
                ))
            } else if size != check.size {
                BlobOutcome::Problem(format!(
                    "blob {} has {size} bytes, the record says {}",
                    check.sha256, check.size
                ))
            } else {
                BlobOutcome::Ok(size)
            }
        }
    }
}

/// Checks one blob's object in the attached bucket: the recorded version
/// is there and hashes to the address (streamed, not the ETag), its
/// COMPLIANCE retention still holds, and no other version of the key holds
/// other bytes or hides it behind a delete marker. Returns the bytes
/// hashed and what does not hold; only the database failing is an error.
async fn check_remote(
    vault: &Vault,
    client: &S3Client,
    check: &BlobCheck,
) -> Result<(u64, Vec<String>), VaultError> {
    let bucket = &client.config().bucket;
    let key = object_key(&check.sha256);
    let mut problems = Vec::new();
    let Some(recorded) = vault.store.s3_object(bucket, &check.sha256).await? else {
        problems.push(format!(
            "blob {} is not in S3 bucket {bucket}: no upload was recorded, its only copy is \
             local — replicate it (`qorgau migrate --to-s3`)",
            check.sha256
        ));
        return Ok((0, problems));
    };
    let version = &recorded.version_id;
    let mut bytes = 0;
    match client.get_hashed(&key, Some(version), None).await {
        Ok(got) => {
            bytes = got.size;
            if got.sha256 != check.sha256 {
                problems.push(format!(
                    "altered: S3 object {key} version {version} in bucket {bucket} now hashes \
                     to SHA-256 {}, not its address {}",
                    got.sha256, check.sha256
                ));
            } else if got.md5 != check.md5 || got.size != check.size {
                problems.push(format!(
                    "S3 object {key} version {version} in bucket {bucket} has MD5 {} and {} \
                     bytes, the record says MD5 {} and {} bytes",
                    got.md5, got.size, check.md5, check.size
                ));
            }
        }
        Err(e) if e.is_not_found() => problems.push(format!(
            "missing: S3 object {key} version {version} (uploaded {}) is gone from bucket \
             {bucket}: {e}",
            recorded.uploaded_at
        )),
        Err(e) => problems.push(format!(
            "S3 object {key} version {version} cannot be read: {e}"
        )),
    }
    if !recorded.lock_mode.is_empty() {
        let set = recorded
            .retain_until
            .map(|t| t.to_utc_string())
            .unwrap_or_default();
        match client.retention(&key, version).await {
            Ok(None) => problems.push(format!(
                "unlocked: S3 object {key} version {version} in bucket {bucket} has no \
                 retention; {} until {set} was set",
                recorded.lock_mode
            )),
            Ok(Some(r)) if r.mode != "COMPLIANCE" => problems.push(format!(
                "unlocked: S3 object {key} version {version} in bucket {bucket} is retained \
                 in {} mode, not COMPLIANCE (set until {set})",
                r.mode
            )),
            Ok(Some(r))
                if recorded
                    .retain_until
                    .is_some_and(|t| r.retain_until < t.as_datetime()) =>
            {
                problems.push(format!(
                    "unlocked: the retention of S3 object {key} version {version} in bucket \
                     {bucket} ends {}, earlier than the {set} that was set",
                    r.retain_until
                ));
            }
            Ok(Some(_)) => {}
            Err(e) => problems.push(format!(
                "the retention of S3 object {key} version {version} cannot be read: {e}"
            )),
        }
    }
    match client.versions(&key).await {
        Ok(versions) => {
            for other in versions.iter().filter(|v| &v.version_id != version) {
                let which = if other.is_latest {
                    format!("the current version {}", other.version_id)
                } else {
                    format!("version {}", other.version_id)
                };
                if other.delete_marker {
                    problems.push(format!(
                        "tampering: a delete marker ({which}, {}) hides S3 object {key} in \
                         bucket {bucket}; the locked version {version} still holds the original",
                        other.last_modified
                    ));
                    continue;
                }
                match client.get_hashed(&key, Some(&other.version_id), None).await {
                    // The same bytes uploaded twice (two processes at once).
                    Ok(got) if got.sha256 == check.sha256 => {}
                    Ok(got) => problems.push(format!(
                        "tampering: {which} of S3 object {key} in bucket {bucket} (written {}) \
                         holds other bytes (SHA-256 {}, {} bytes); the locked version {version} \
                         still holds the original",
                        other.last_modified, got.sha256, got.size
                    )),
                    Err(e) => problems.push(format!(
                        "{which} of S3 object {key} in bucket {bucket} cannot be read: {e}"
                    )),
                }
            }
        }
        Err(e) => problems.push(format!(
            "the versions of S3 object {key} in bucket {bucket} cannot be listed: {e}"
        )),
    }
    Ok((bytes, problems))
}
