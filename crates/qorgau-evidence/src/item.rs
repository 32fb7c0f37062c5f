//! An evidence item: one acquired file and everything a court needs to know
//! about how it was acquired.

use qorgau_core::{Actor, Id, Md5Digest, Sha256Digest, Timestamp, Tool};
use serde::{Deserialize, Serialize};

use crate::canonical::digest_of;

/// File-system times of the original, as found at acquisition.
///
/// Kept because they date the file on the seized device (a chat export's
/// creation time, a photo's modification time); each may be missing on file
/// systems that do not keep it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileTimes {
    /// Last modification of the content (mtime).
    pub modified: Option<Timestamp>,
    /// Last access (atime); often unreliable, recorded as found.
    pub accessed: Option<Timestamp>,
    /// Last change of the inode (ctime).
    pub changed: Option<Timestamp>,
    /// Creation (birth time) where the file system keeps it.
    pub created: Option<Timestamp>,
}

/// Everything recorded about one acquired file.
///
/// The field order is part of the record digest: append new fields at the
/// end and bump the digest tag when you do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemRecord {
    /// Stable identifier of the item.
    pub id: Id,
    /// The case it is filed under.
    pub case_id: Id,
    /// One `add` run: items acquired together share it.
    pub acquisition_id: Id,
    /// SHA-256 of the content; also the blob's address in the store.
    pub sha256: Sha256Digest,
    /// MD5 of the content.
    pub md5: Md5Digest,
    /// Size in bytes.
    pub size: u64,
    /// Media type detected from the content (not the file name).
    pub media_type: String,
    /// The path the operator named (a file or the root of a folder).
    pub source_root: String,
    /// Absolute path of the original file.
    pub original_path: String,
    /// Path inside `source_root` (`/`-separated), so the tree of a phone
    /// extraction or chat export survives into the vault and the export.
    pub relative_path: String,
    /// File name of the original.
    pub file_name: String,
    /// Times of the original file.
    pub file_times: FileTimes,
    /// When Qorgau stored it (UTC).
    pub acquired_at: Timestamp,
    /// The same instant in Asia/Almaty, as it goes into a protocol.
    pub acquired_at_local: String,
    /// Who acquired it, on which machine.
    pub acquired_by: Actor,
    /// The software that acquired it.
    pub tool: Tool,
    /// The operator's note.
    pub note: Option<String>,
    /// Extracted media metadata (EXIF, XMP, GPS, QuickTime), as JSON text.
    pub metadata: Option<String>,
}

impl ItemRecord {
    /// Digest over every field, vouched for by the item's `acquired` entry.
    pub fn record_digest(&self) -> Sha256Digest {
        digest_of("qorgau-item-v1", self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> ItemRecord {
        let at = Timestamp::parse("2026-11-25T07:00:00Z").unwrap();
        ItemRecord {
            id: Id::new(),
            case_id: Id::new(),
            acquisition_id: Id::new(),
            sha256: Sha256Digest::from_bytes([1; 32]),
            md5: Md5Digest::from_bytes([2; 16]),
            size: 42,
            media_type: "image/jpeg".into(),
            source_root: "/media/phone".into(),
            original_path: "/media/phone/DCIM/a.jpg".into(),
            relative_path: "DCIM/a.jpg".into(),
            file_name: "a.jpg".into(),
            file_times: FileTimes {
                modified: Some(at),
                ..FileTimes::default()
            },
            acquired_at: at,
            acquired_at_local: at.to_almaty_string(),
            acquired_by: Actor {
                user: "inv".into(),
                host: "ws1".into(),
            },
            tool: Tool::qorgau(),
            note: None,
            metadata: Some("{\"make\":\"X\"}".into()),
        }
    }

    #[test]
    fn every_field_changes_the_digest() {
        let base = sample();
        let d = base.record_digest();
        assert_eq!(d, base.clone().record_digest());
        let mut changes: Vec<ItemRecord> = Vec::new();
        let mut r = base.clone();
        r.size += 1;
        changes.push(r);
        let mut r = base.clone();
        r.relative_path.push('x');
        changes.push(r);
        let mut r = base.clone();
        r.note = Some(String::new());
        changes.push(r);
        let mut r = base.clone();
        r.file_times.accessed = Some(base.acquired_at);
        changes.push(r);
        let mut r = base.clone();
        r.metadata = Some("{\"make\":\"Y\"}".into());
        changes.push(r);
        for changed in changes {
            assert_ne!(changed.record_digest(), d);
        }
    }
}
