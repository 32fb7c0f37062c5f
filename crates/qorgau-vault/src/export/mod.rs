//! Handing a case over: `qorgau export CASE --bagit DIR`.
//!
//! A case leaves the vault as a BagIt bag (RFC 8493, version 1.0) with its
//! custody ledger, plus a hashdeep audit file beside it. Both are formats a
//! court's expert can check with common tools, without Qorgau and without
//! trusting it:
//!
//! ```text
//! <parent>/
//! ├── <bag>/
//! │   ├── bagit.txt
//! │   ├── bag-info.txt            case name and id, who exported, when (UTC and Almaty), Payload-Oxum
//! │   ├── manifest-md5.txt        every payload file
//! │   ├── manifest-sha256.txt
//! │   ├── tagmanifest-md5.txt     every tag file above and below
//! │   ├── tagmanifest-sha256.txt
//! │   ├── custody-ledger.jsonl    the case's ledger chain in seq order, one signed entry a line,
//! │   │                           ending with the `exported` entry of this export
//! │   ├── items.jsonl             every item record, with its `bag_path` added
//! │   ├── ledger-public-key.pem   the Ed25519 key that signed the ledger (SubjectPublicKeyInfo)
//! │   └── data/evidence/<acquired at, YYYYMMDDTHHMMSSZ>-<last 8 of acquisition id>/<relative path>
//! └── <bag>.hashdeep.txt          size, MD5, SHA-256 of every payload file
//! ```
//!
//! Each acquisition keeps its own folder and its tree (a phone extraction, a
//! chat export), so the examiner sees what was seized as it was. Names are
//! made safe for every file system and tool (see `layout`); the original
//! path of every item stays in `items.jsonl`.
//!
//! # Checking an export
//!
//! ```sh
//! bagit.py --validate <parent>/<bag>          # or: python3 -m bagit --validate <parent>/<bag>
//! cd <parent>/<bag> && hashdeep -c md5,sha256 -l -r -a -k ../<bag>.hashdeep.txt data
//! ```
//!
//! The first checks payload and tag files against both manifests; the second
//! must print `hashdeep: Audit passed` and exit 0 (`-l` because the audit
//! file names files relative to the bag: `data/evidence/…`).
//! [`ExportSummary::audit_command`] is the second command with this export's
//! paths filled in.
//!
//! The custody ledger is checked without Qorgau with Python 3 (which
//! `bagit.py` needs anyway) and OpenSSL 3. An entry's hash is SHA-256 over
//! `qorgau-custody-v1`, a newline, and the entry's JSON without `entry_hash`
//! and `signature`, compact, fields in the order written; each entry names
//! the hash of the one before; the signature is Ed25519 over the raw 32
//! bytes of the hash. With `BAG` set to the bag, in an empty scratch folder
//! (this is [`LEDGER_CHECK_SCRIPT`]; it assumes every entry was signed by
//! this installation's key):
//!
//! ```sh
//! python3 - "$BAG/custody-ledger.jsonl" <<'PY' || exit 1
//! import hashlib, json, sys
//! previous, expected_seq = "0" * 64, 1
//! for line in open(sys.argv[1], encoding="utf-8"):
//!     entry = json.loads(line)
//!     entry_hash, signature = entry.pop("entry_hash"), entry.pop("signature")
//!     canonical = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode()
//!     if hashlib.sha256(b"qorgau-custody-v1\n" + canonical).hexdigest() != entry_hash:
//!         sys.exit(f"entry {entry['seq']} was altered")
//!     if entry["seq"] != expected_seq or entry["prev_hash"] != previous:
//!         sys.exit(f"the chain is broken at entry {entry['seq']}")
//!     open(f"{entry['seq']}.hash", "wb").write(bytes.fromhex(entry_hash))
//!     open(f"{entry['seq']}.sig", "wb").write(bytes.fromhex(signature))
//!     previous, expected_seq = entry_hash, expected_seq + 1
//! print(f"{expected_seq - 1} entries: hashes and links hold")
//! PY
//! for hash in *.hash; do
//!     openssl pkeyutl -verify -pubin -inkey "$BAG/ledger-public-key.pem" -rawin \
//!         -in "$hash" -sigfile "${hash%.hash}.sig" >/dev/null \
//!         || { echo "bad signature: entry ${hash%.hash}"; exit 1; }
//! done
//! echo "all signatures verify with ledger-public-key.pem"
//! ```
//!
//! # Order of work
//!
//! Nothing appears at the destination until the export is complete: the bag
//! is written into a hidden sibling folder (`.qorgau-export-….partial`) and
//! renamed into place at the end; on any error that folder is removed (a
//! killed process leaves it behind, to be deleted by hand). Every
//! blob is copied in chunks while it is hashed (`crate::hashing`), and a copy
//! that does not match its item record stops the export (the vault is
//! damaged). Only when the payload, manifests and item records are written
//! is the `exported` entry appended to the ledger, so that the ledger in the
//! bag ends with the export that produced it; its details name the
//! destination, the item count, the Payload-Oxum and the SHA-256 of
//! `manifest-sha256.txt`, which ties the entry to exactly this payload.
//! If a later step fails (disk full while writing the ledger file), the
//! ledger shows an export that did not complete.

mod bagit;
mod hashdeep;
mod layout;
pub mod wacz;

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use futures_util::StreamExt;
use qorgau_core::CaseName;
use qorgau_evidence::custody::chain_name;
use qorgau_evidence::{CaseRecord, EntryDraft, EventKind, ItemRecord, LedgerEntry};
use qorgau_store::ItemFilter;
use serde::Serialize;

use crate::error::VaultError;
use crate::hashing::{CopyError, Durability, copy_and_hash};
use crate::vault::Vault;
use bagit::{Algorithm, Listed, TagWriter};

/// Suffix of the hashdeep audit file written beside the bag.
pub const HASHDEEP_SUFFIX: &str = ".hashdeep.txt";
/// Name of the ledger tag file inside the bag.
pub const LEDGER_FILE: &str = "custody-ledger.jsonl";
/// Name of the item records tag file inside the bag.
pub const ITEMS_FILE: &str = "items.jsonl";
/// Name of the public key tag file inside the bag.
pub const PUBLIC_KEY_FILE: &str = "ledger-public-key.pem";

/// The script in the module documentation that checks a bag's custody
/// ledger with Python 3 and OpenSSL alone: every entry's hash, every link,
/// every signature. Run with `sh -c` in an empty scratch folder, with the
/// environment variable `BAG` naming the bag; exits non-zero on the first
/// problem. Public so the CLI can show it and tests can run it.
pub const LEDGER_CHECK_SCRIPT: &str = r#"python3 - "$BAG/custody-ledger.jsonl" <<'PY' || exit 1
import hashlib, json, sys
previous, expected_seq = "0" * 64, 1
for line in open(sys.argv[1], encoding="utf-8"):
    entry = json.loads(line)
    entry_hash, signature = entry.pop("entry_hash"), entry.pop("signature")
    canonical = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode()
    if hashlib.sha256(b"qorgau-custody-v1\n" + canonical).hexdigest() != entry_hash:
        sys.exit(f"entry {entry['seq']} was altered")
    if entry["seq"] != expected_seq or entry["prev_hash"] != previous:
        sys.exit(f"the chain is broken at entry {entry['seq']}")
    open(f"{entry['seq']}.hash", "wb").write(bytes.fromhex(entry_hash))
    open(f"{entry['seq']}.sig", "wb").write(bytes.fromhex(signature))
    previous, expected_seq = entry_hash, expected_seq + 1
print(f"{expected_seq - 1} entries: hashes and links hold")
PY
for hash in *.hash; do
    openssl pkeyutl -verify -pubin -inkey "$BAG/ledger-public-key.pem" -rawin \
        -in "$hash" -sigfile "${hash%.hash}.sig" >/dev/null \
        || { echo "bad signature: entry ${hash%.hash}"; exit 1; }
done
echo "all signatures verify with ledger-public-key.pem"
"#;

/// What an export produced, for the command's report and for scripts.
#[derive(Debug, Clone)]
pub struct ExportSummary {
    /// The finished bag (absolute).
    pub bag_dir: PathBuf,
    /// The hashdeep audit file beside it (absolute).
    pub hashdeep_file: PathBuf,
    /// Items exported (payload files).
    pub items: u64,
    /// Payload size in bytes.
    pub payload_bytes: u64,
    /// Entries in the bag's `custody-ledger.jsonl`.
    pub ledger_entries: u64,
    /// Position of this export's `exported` entry in the case's chain (the
    /// last entry of the bag's ledger), so the operator can cite it.
    pub exported_entry_seq: u64,
    /// The shell command that audits the bag with hashdeep; the operator
    /// runs it (or hands it on) to see `hashdeep: Audit passed`. For a case
    /// without items (hashdeep cannot audit an empty list) a shell comment
    /// saying so.
    pub audit_command: String,
}

/// Exports every item of `case`, with its custody ledger, as a new BagIt bag
/// at `bag_dir`, plus `<bag_dir>.hashdeep.txt` beside it.
///
/// `bag_dir` must not exist or be an empty directory, and its parent must
/// exist; nothing existing is ever overwritten. `progress` is called with
/// the number of payload bytes copied so far, for a progress bar. Appends an
/// `exported` entry to the case's ledger once the payload is written.
pub async fn export_case(
    vault: &Vault,
    case: &CaseName,
    bag_dir: &Path,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<ExportSummary, VaultError> {
    export_case_authorised(vault, case, bag_dir, None, progress).await
}

/// [`export_case`] for a case that may hold content marked as suspected
/// child sexual abuse material: such items leave only with `authorisation`
/// (the reference of the decision that allows it), recorded in the ledger
/// on each of them before the bag is written
/// ([`crate::restricted::authorise_export`]); without one the export is
/// refused and nothing is written.
pub async fn export_case_authorised(
    vault: &Vault,
    case: &CaseName,
    bag_dir: &Path,
    authorisation: Option<&str>,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<ExportSummary, VaultError> {
    let case = vault.store.find_case(case).await?.ok_or_else(|| {
        VaultError::Input(format!(
            "there is no case named \"{case}\" in the vault at {}; nothing was exported",
            vault.data_dir.display()
        ))
    })?;
    let dest = Destination::check(vault, bag_dir)?;
    let items = vault
        .store
        .items(&ItemFilter {
            case_id: Some(case.id),
            ..ItemFilter::default()
        })
        .await?;
    let restricted = crate::restricted::authorise_export(
        vault,
        &items,
        authorisation,
        &format!("BagIt export to {}", dest.bag_dir.display()),
    )
    .await?;
    let bag_paths = layout::plan(&items);
    let mut staging = Staging::create(&dest)?;
    let root = staging.dir.clone();

    // BagIt wants `data/` even when the case has no items yet.
    let data_dir = root.join("data");
    fs::create_dir(&data_dir)
        .map_err(|e| VaultError::io(format!("creating {}", data_dir.display()), e))?;
    // Each item's local file; with S3 a blob not cached is fetched (and
    // checked against its address) first.
    let mut blob_paths = Vec::with_capacity(items.len());
    for item in &items {
        blob_paths.push(vault.blobs.local(&item.sha256).await.map_err(|e| {
            damaged(
                item,
                format!("its content cannot be had from the blob store: {e}"),
            )
        })?);
    }
    let payload = blocking(|| copy_payload(&items, &blob_paths, &bag_paths, &root, progress))?;
    let payload_bytes: u64 = payload.iter().map(|f| f.size).sum();
    let item_count = payload.len() as u64;
    let oxum = bagit::payload_oxum(payload_bytes, item_count);

    let manifest_sha256 = written(
        &root,
        "manifest-sha256.txt",
        bagit::write_manifest(&root, "manifest-sha256.txt", &payload, Algorithm::Sha256),
    )?;
    let mut tags = vec![
        tag(&root, "bagit.txt", bagit::BAGIT_TXT.as_bytes())?,
        manifest_sha256.clone(),
        written(
            &root,
            "manifest-md5.txt",
            bagit::write_manifest(&root, "manifest-md5.txt", &payload, Algorithm::Md5),
        )?,
        written(
            &root,
            ITEMS_FILE,
            blocking(|| write_items(&root, &items, &bag_paths)),
        )?,
        tag(
            &root,
            PUBLIC_KEY_FILE,
            vault.key.public().to_pem().as_bytes(),
        )?,
    ];

    // Log the export only once it can no longer fail for a trivial reason.
    dest.still_free()?;
    let mut draft = EntryDraft::now(EventKind::Exported, vault.actor.clone(), vault.tool.clone());
    draft.case_id = Some(case.id);
    draft.details = serde_json::json!({
        "format": "BagIt 1.0",
        "destination": dest.bag_dir.to_string_lossy(),
        "hashdeep_file": dest.hashdeep_file.to_string_lossy(),
        "items": item_count,
        "payload_oxum": oxum,
        "manifest_sha256": manifest_sha256.sha256,
        "restricted_items": restricted.iter().map(|i| i.to_string()).collect::<Vec<_>>(),
        "restricted_authorisation": (!restricted.is_empty()).then_some(authorisation).flatten(),
    })
    .to_string();
    let exported = vault
        .store
        .append(vec![draft], &vault.key)
        .await?
        .pop()
        .ok_or_else(|| {
            VaultError::io(
                "logging the export",
                io::Error::other("the ledger returned no entry"),
            )
        })?;

    // From here on the ledger records the export: say so if it fails.
    let ledger_entries = async {
        let (ledger_tag, ledger_entries) = write_ledger(vault, &exported, &root).await?;
        tags.push(ledger_tag);
        let info = bag_info(vault, &case, &exported, payload_bytes, item_count, &oxum);
        tags.push(tag(&root, "bag-info.txt", info.as_bytes())?);
        for (name, algorithm) in [
            ("tagmanifest-sha256.txt", Algorithm::Sha256),
            ("tagmanifest-md5.txt", Algorithm::Md5),
        ] {
            written(
                &root,
                name,
                bagit::write_manifest(&root, name, &tags, algorithm),
            )?;
        }
        blocking(|| sync_dirs(&root))?;
        let command = format!(
            "qorgau export {} --bagit {}",
            hashdeep::shell_quote(case.name.as_str()),
            hashdeep::shell_quote(&dest.bag_dir.to_string_lossy())
        );
        staging.publish(&dest, &command, &payload)?;
        Ok(ledger_entries)
    }
    .await
    .map_err(|e| logged_but_incomplete(e, exported.seq))?;

    Ok(ExportSummary {
        audit_command: if payload.is_empty() {
            // hashdeep refuses an audit file that lists nothing.
            "# nothing to audit with hashdeep: the case has no items".to_owned()
        } else {
            hashdeep::audit_command(&dest.bag_dir, &dest.hashdeep_name)
        },
        bag_dir: dest.bag_dir,
        hashdeep_file: dest.hashdeep_file,
        items: item_count,
        payload_bytes,
        ledger_entries,
        exported_entry_seq: exported.seq,
    })
}

/// Adds to an error after the `exported` entry was appended that the ledger
/// now records an export that did not complete, and what to do.
fn logged_but_incomplete(error: VaultError, seq: u64) -> VaultError {
    let note = format!(
        " (the case's ledger already records this export as entry #{seq}, but nothing was \
         written at the destination: fix the cause and export again)"
    );
    match error {
        VaultError::Io { doing, source } => VaultError::Io {
            doing: format!("{doing}{note}"),
            source,
        },
        VaultError::Input(message) => VaultError::Input(format!("{message}{note}")),
        other => other,
    }
}

/// Runs blocking file work without stalling other tasks of a multi-threaded
/// runtime; on a single-threaded one (tests, small tools) it simply runs.
fn blocking<T>(work: impl FnOnce() -> T) -> T {
    use tokio::runtime::{Handle, RuntimeFlavor};
    match Handle::try_current() {
        Ok(handle) if handle.runtime_flavor() == RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(work)
        }
        _ => work(),
    }
}

/// Where the export goes, checked before any work is done.
#[derive(Debug)]
struct Destination {
    bag_dir: PathBuf,
    parent: PathBuf,
    hashdeep_file: PathBuf,
    hashdeep_name: String,
}

impl Destination {
    fn check(vault: &Vault, bag_dir: &Path) -> Result<Self, VaultError> {
        let absolute = std::path::absolute(bag_dir).map_err(|e| {
            VaultError::io(
                format!("resolving the export destination {}", bag_dir.display()),
                e,
            )
        })?;
        let (Some(parent), Some(name)) = (absolute.parent(), absolute.file_name()) else {
            return Err(VaultError::Input(format!(
                "{} does not name a new folder to export into",
                bag_dir.display()
            )));
        };
        match fs::metadata(parent) {
            Ok(meta) if meta.is_dir() => {}
            Ok(_) => {
                return Err(VaultError::Input(format!(
                    "{} is not a folder, so the export {} cannot be made in it",
                    parent.display(),
                    absolute.display()
                )));
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(VaultError::Input(format!(
                    "the folder {} does not exist; create it first, then export into {}",
                    parent.display(),
                    absolute.display()
                )));
            }
            Err(e) => return Err(VaultError::io(format!("examining {}", parent.display()), e)),
        }
        if let (Ok(parent_real), Ok(vault_real)) =
            (parent.canonicalize(), vault.data_dir.canonicalize())
            && parent_real.starts_with(&vault_real)
        {
            return Err(VaultError::Input(format!(
                "{} is inside the vault's data directory {}; export to a folder outside the vault",
                absolute.display(),
                vault.data_dir.display()
            )));
        }
        let mut hashdeep_os = name.to_os_string();
        hashdeep_os.push(HASHDEEP_SUFFIX);
        let dest = Self {
            hashdeep_file: parent.join(&hashdeep_os),
            hashdeep_name: hashdeep_os.to_string_lossy().into_owned(),
            parent: parent.to_path_buf(),
            bag_dir: absolute.clone(),
        };
        dest.still_free()?;
        Ok(dest)
    }

    /// The destination is absent or an empty folder on the parent's file
    /// system, and the audit file does not exist.
    fn still_free(&self) -> Result<(), VaultError> {
        let never = "an export never overwrites; choose a new folder";
        match fs::symlink_metadata(&self.bag_dir) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(VaultError::io(
                    format!("examining {}", self.bag_dir.display()),
                    e,
                ));
            }
            Ok(meta) if meta.is_dir() => {
                let mut entries = fs::read_dir(&self.bag_dir).map_err(|e| {
                    VaultError::io(format!("reading {}", self.bag_dir.display()), e)
                })?;
                if entries.next().is_some() {
                    return Err(VaultError::Input(format!(
                        "the export destination {} already exists and is not empty; {never}",
                        self.bag_dir.display()
                    )));
                }
                let parent_dev = fs::metadata(&self.parent).map(|m| m.dev()).ok();
                if parent_dev != Some(meta.dev()) {
                    return Err(VaultError::Input(format!(
                        "the export destination {} is a mount point (a disk of its own); \
                         export into a new folder on it instead, e.g. {}",
                        self.bag_dir.display(),
                        self.bag_dir.join("export").display()
                    )));
                }
            }
            Ok(_) => {
                return Err(VaultError::Input(format!(
                    "the export destination {} already exists and is not a folder; {never}",
                    self.bag_dir.display()
                )));
            }
        }
        match fs::symlink_metadata(&self.hashdeep_file) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(VaultError::io(
                format!("examining {}", self.hashdeep_file.display()),
                e,
            )),
            Ok(_) => Err(VaultError::Input(format!(
                "{} already exists (the audit file of an earlier export?); {never}",
                self.hashdeep_file.display()
            ))),
        }
    }
}

/// The hidden folder the bag is built in; removed again (with the audit file,
/// if already written) unless the finished bag was moved into place.
struct Staging {
    dir: PathBuf,
    hashdeep_written: Option<PathBuf>,
    published: bool,
}

static STAGING_COUNTER: AtomicU64 = AtomicU64::new(0);

impl Staging {
    fn create(dest: &Destination) -> Result<Self, VaultError> {
        let n = STAGING_COUNTER.fetch_add(1, Ordering::Relaxed);
        let dir = dest
            .parent
            .join(format!(".qorgau-export-{}-{n}.partial", std::process::id()));
        fs::create_dir(&dir).map_err(|e| {
            VaultError::io(format!("creating the working folder {}", dir.display()), e)
        })?;
        Ok(Self {
            dir,
            hashdeep_written: None,
            published: false,
        })
    }

    /// Writes the audit file (never over an existing one), then moves the bag
    /// into place.
    fn publish(
        &mut self,
        dest: &Destination,
        command: &str,
        payload: &[Listed],
    ) -> Result<(), VaultError> {
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&dest.hashdeep_file)
            .map_err(|e| {
                if e.kind() == io::ErrorKind::AlreadyExists {
                    VaultError::Input(format!(
                        "{} appeared while exporting; an export never overwrites",
                        dest.hashdeep_file.display()
                    ))
                } else {
                    VaultError::io(format!("creating {}", dest.hashdeep_file.display()), e)
                }
            })?;
        self.hashdeep_written = Some(dest.hashdeep_file.clone());
        let write = || -> io::Result<()> {
            let mut out = BufWriter::new(file);
            out.write_all(hashdeep::header(&dest.bag_dir, command).as_bytes())?;
            for listed in payload {
                out.write_all(hashdeep::line(listed).as_bytes())?;
            }
            out.into_inner().map_err(|e| e.into_error())?.sync_all()
        };
        write()
            .map_err(|e| VaultError::io(format!("writing {}", dest.hashdeep_file.display()), e))?;
        fs::rename(&self.dir, &dest.bag_dir).map_err(|e| {
            VaultError::io(
                format!(
                    "moving the finished bag from {} to {}",
                    self.dir.display(),
                    dest.bag_dir.display()
                ),
                e,
            )
        })?;
        self.published = true;
        // Every file and folder of the bag is synced already; should syncing
        // the rename fail, the export is complete all the same, so no error.
        let _ = sync_dir(&dest.parent);
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.published {
            let _ = fs::remove_dir_all(&self.dir);
            if let Some(file) = &self.hashdeep_written {
                let _ = fs::remove_file(file);
            }
        }
    }
}

/// Copies every item's blob to its place in the bag, hashing on the way, and
/// checks each copy against its item record.
fn copy_payload(
    items: &[ItemRecord],
    blob_paths: &[PathBuf],
    bag_paths: &[String],
    root: &Path,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Vec<Listed>, VaultError> {
    let copied = AtomicU64::new(0);
    let step = |n: u64| progress(copied.fetch_add(n, Ordering::Relaxed) + n);
    let mut listed = Vec::with_capacity(items.len());
    for ((item, bag_path), blob_path) in items.iter().zip(bag_paths).zip(blob_paths) {
        let dest = root.join(bag_path);
        if let Some(dir) = dest.parent() {
            fs::create_dir_all(dir)
                .map_err(|e| VaultError::io(format!("creating {}", dir.display()), e))?;
        }
        let mut blob = File::open(blob_path).map_err(|e| {
            if e.kind() == io::ErrorKind::NotFound {
                damaged(
                    item,
                    format!("its content {} is missing", blob_path.display()),
                )
            } else {
                VaultError::io(
                    format!(
                        "opening the vault's copy of item {} ({}) at {}",
                        item.id,
                        item.relative_path,
                        blob_path.display()
                    ),
                    e,
                )
            }
        })?;
        let hashed = copy_and_hash(&mut blob, item.size, &dest, Durability::Each, &step).map_err(
            |e| match e {
                CopyError::Read(e) => VaultError::io(
                    format!(
                        "reading the vault's copy of item {} ({}) at {}",
                        item.id,
                        item.relative_path,
                        blob_path.display()
                    ),
                    e,
                ),
                CopyError::Write(e) => {
                    VaultError::io(format!("writing {} into the export", dest.display()), e)
                }
            },
        )?;
        if hashed.size != item.size || hashed.sha256 != item.sha256 || hashed.md5 != item.md5 {
            return Err(damaged(
                item,
                format!(
                    "its content does not match its record: recorded {} bytes, SHA-256 {}, \
                     MD5 {}; read {} bytes, SHA-256 {}, MD5 {}",
                    item.size, item.sha256, item.md5, hashed.size, hashed.sha256, hashed.md5
                ),
            ));
        }
        listed.push(Listed {
            path: bag_path.clone(),
            size: hashed.size,
            md5: hashed.md5,
            sha256: hashed.sha256,
        });
    }
    Ok(listed)
}

/// The error for an item whose stored content is not what was acquired.
fn damaged(item: &ItemRecord, what: String) -> VaultError {
    VaultError::io(
        format!("exporting item {} ({})", item.id, item.relative_path),
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "{what}. The vault is damaged: run `qorgau verify`. Nothing was exported \
                 and the ledger is unchanged"
            ),
        ),
    )
}

/// An item record as `items.jsonl` carries it: every recorded field, then
/// where the item is in the bag.
#[derive(Serialize)]
struct ExportedItem<'a> {
    #[serde(flatten)]
    item: &'a ItemRecord,
    bag_path: &'a str,
}

fn write_items(root: &Path, items: &[ItemRecord], bag_paths: &[String]) -> io::Result<Listed> {
    let mut writer = TagWriter::create(root, ITEMS_FILE)?;
    for (item, bag_path) in items.iter().zip(bag_paths) {
        let mut line = serde_json::to_vec(&ExportedItem { item, bag_path })?;
        line.push(b'\n');
        writer.write(&line)?;
    }
    writer.finish()
}

/// Writes the case's chain up to and including `exported`, streamed from
/// the database in seq order, and checks that it ends with that entry.
async fn write_ledger(
    vault: &Vault,
    exported: &LedgerEntry,
    root: &Path,
) -> Result<(Listed, u64), VaultError> {
    let io_err = |e| VaultError::io(format!("writing {LEDGER_FILE} into the export"), e);
    let mut writer = TagWriter::create(root, LEDGER_FILE).map_err(io_err)?;
    let mut stream = vault
        .store
        .stream_ledger(Some(chain_name(exported.case_id)));
    let mut count = 0u64;
    let mut last = None;
    while let Some(row) = stream.next().await {
        let entry = row?.map_err(|corrupt| VaultError::Store(corrupt.into()))?;
        if entry.seq > exported.seq {
            break;
        }
        let mut line = serde_json::to_vec(&entry).map_err(|e| io_err(e.into()))?;
        line.push(b'\n');
        writer.write(&line).map_err(io_err)?;
        count += 1;
        last = Some((entry.seq, entry.entry_hash));
    }
    drop(stream);
    if last != Some((exported.seq, exported.entry_hash)) || count != exported.seq {
        return Err(VaultError::io(
            format!("writing {LEDGER_FILE} into the export"),
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "the case's chain read back as {count} entries not ending with the \
                     exported entry #{}; run `qorgau verify`",
                    exported.seq
                ),
            ),
        ));
    }
    Ok((writer.finish().map_err(io_err)?, count))
}

fn bag_info(
    vault: &Vault,
    case: &CaseRecord,
    exported: &LedgerEntry,
    payload_bytes: u64,
    items: u64,
    oxum: &str,
) -> String {
    let at = exported.at.to_utc_string();
    bagit::bag_info(&[
        ("Bagging-Date", at.chars().take(10).collect()),
        ("Payload-Oxum", oxum.to_owned()),
        ("Bag-Size", bagit::human_size(payload_bytes)),
        ("External-Identifier", case.name.to_string()),
        (
            "External-Description",
            format!(
                "Evidence of case {} exported from the Qorgau evidence vault: {items} items \
                 under data/evidence (one folder per acquisition), their records ({ITEMS_FILE}), \
                 the signed custody ledger of the case ({LEDGER_FILE}) and the key that \
                 verifies it ({PUBLIC_KEY_FILE}).",
                case.name
            ),
        ),
        ("Contact-Name", vault.actor.user.clone()),
        ("Qorgau-Case-Id", case.id.to_string()),
        (
            "Qorgau-Exported-By",
            format!("{}@{}", vault.actor.user, vault.actor.host),
        ),
        ("Qorgau-Exported-At-UTC", at),
        ("Qorgau-Exported-At-Almaty", exported.at.to_almaty_string()),
        (
            "Qorgau-Tool",
            format!("{} {}", vault.tool.name, vault.tool.version),
        ),
        ("Qorgau-Ledger-Key-Id", exported.key_id.to_string()),
        ("Qorgau-Exported-Entry-Seq", exported.seq.to_string()),
    ])
}

/// Writes a small tag file, naming it in the error.
fn tag(root: &Path, name: &str, content: &[u8]) -> Result<Listed, VaultError> {
    written(root, name, bagit::write_tag(root, name, content))
}

fn written(root: &Path, name: &str, result: io::Result<Listed>) -> Result<Listed, VaultError> {
    result.map_err(|e| VaultError::io(format!("writing {}", root.join(name).display()), e))
}

/// Makes the names of everything written durable before the bag is moved.
fn sync_dirs(root: &Path) -> Result<(), VaultError> {
    for entry in walkdir::WalkDir::new(root) {
        let entry = entry.map_err(|e| {
            let path = e.path().map(Path::to_path_buf).unwrap_or_default();
            VaultError::io(format!("reading {}", path.display()), e.into())
        })?;
        if entry.file_type().is_dir() {
            sync_dir(entry.path())?;
        }
    }
    Ok(())
}

fn sync_dir(dir: &Path) -> Result<(), VaultError> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| VaultError::io(format!("syncing {}", dir.display()), e))
}
