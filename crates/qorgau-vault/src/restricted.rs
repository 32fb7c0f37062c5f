//! Suspected child sexual abuse material: marking content, matching the
//! competent authority's hash lists, and the rule that such content leaves
//! the vault only with a recorded authorisation.
//!
//! A mark covers a content (SHA-256), so every item with those bytes is
//! covered, in every case and from then on. Each mark and clear is one row
//! in `restricted_marks` plus a `restricted` ledger entry on every item
//! with the content, written together. Hash lists are matched at import
//! against everything stored, and each acquisition is matched against every
//! list before its command returns, so that a picture on a list is never
//! shown unblurred because it arrived after the list.
//!
//! Who may view, mark or clear is the server's business (roles); here the
//! operator of the command line acts under their own name, as with every
//! other vault command.

use std::collections::BTreeMap;
use std::io::BufReader;
use std::path::Path;

use qorgau_core::{Id, Sha256Digest};
use qorgau_evidence::hash_list::parse_hash_list;
use qorgau_evidence::{EntryDraft, EventKind, ItemRecord};
use qorgau_media::index::HammingIndex;
use qorgau_media::phash::ALGORITHM;
use qorgau_store::{
    HashListRecord, MediaHashOutcome, MediaHashRecord, NewHashList, NewRestriction,
    PerceptualListEntry, RestrictionAction, RestrictionBasis, RestrictionRecord,
};

use crate::error::VaultError;
use crate::vault::Vault;

/// Hamming distance within which a list's perceptual hash matches, unless
/// the import says otherwise. Lower than `qorgau media similar`'s default
/// (8), because a list mark is made without a person looking; a miss is
/// still caught by a person marking by hand.
pub const DEFAULT_LIST_DISTANCE: u32 = 6;

/// What a mark or clear did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RestrictionOutcome {
    /// The row recorded; `None` when the content was already in that state.
    pub record: Option<RestrictionRecord>,
    /// Items covered (every item with the content).
    pub items: Vec<Id>,
}

/// One content a list matched.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ListMatch {
    /// The content.
    pub sha256: Sha256Digest,
    /// The list.
    pub list_id: Id,
    /// Its name.
    pub list_name: String,
    /// `md5`, `sha256`, or the perceptual hash.
    pub matched_on: String,
    /// Distance of a perceptual match.
    pub distance: Option<u32>,
    /// Whether this made a new mark (false: already marked).
    pub newly_marked: bool,
}

/// What importing a list did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct HashListImport {
    /// The list as stored.
    pub list: HashListRecord,
    /// Contents already in the vault that it matched.
    pub matches: Vec<ListMatch>,
}

/// Marks or clears `content` for every item that has it. `reason` is
/// required: a mark or a release nobody can explain is no record at all.
pub async fn set_restriction(
    vault: &Vault,
    content: Sha256Digest,
    action: RestrictionAction,
    reason: &str,
    by: &qorgau_core::Actor,
) -> Result<RestrictionOutcome, VaultError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(VaultError::Input(format!(
            "say why the content is {}: a reason is required; nothing was changed",
            match action {
                RestrictionAction::Mark => "marked",
                RestrictionAction::Clear => "released",
            }
        )));
    }
    record(
        vault,
        &NewRestriction {
            sha256: content,
            action,
            basis: RestrictionBasis::Person,
            list_id: None,
            matched_on: None,
            distance: None,
            reason,
            by_user: &by.user,
        },
        by,
    )
    .await
}

async fn record(
    vault: &Vault,
    new: &NewRestriction<'_>,
    by: &qorgau_core::Actor,
) -> Result<RestrictionOutcome, VaultError> {
    let items = vault.store.items_with_content(&new.sha256).await?;
    if items.is_empty() {
        return Err(VaultError::Input(format!(
            "no item in the vault has the content {}; nothing was changed",
            new.sha256
        )));
    }
    let drafts = items
        .iter()
        .map(|item| {
            let mut d = EntryDraft::now(EventKind::Restricted, by.clone(), vault.tool.clone());
            d.case_id = Some(item.case_id);
            d.item_id = Some(item.id);
            d.subject_digest = Some(item.record_digest());
            d.details = serde_json::json!({
                "action": new.action.as_str(),
                "basis": new.basis.as_str(),
                "list_id": new.list_id.map(|i| i.to_string()),
                "matched_on": new.matched_on,
                "distance": new.distance,
                "reason": new.reason,
                "sha256": new.sha256,
            })
            .to_string();
            d
        })
        .collect();
    let recorded = vault
        .store
        .record_restriction(new, drafts, &vault.key)
        .await?;
    Ok(RestrictionOutcome {
        record: recorded.map(|(r, _)| r),
        items: items.iter().map(|i| i.id).collect(),
    })
}

/// Imports a hash list from `path` and marks every content of the vault it
/// matches. The file is read whole before anything is stored: a line that
/// cannot be used stops the import with its number and nothing is kept.
pub async fn import_hash_list(
    vault: &Vault,
    path: &Path,
    name: &str,
    supplier: &str,
    max_distance: u32,
) -> Result<HashListImport, VaultError> {
    if name.trim().is_empty() || supplier.trim().is_empty() {
        return Err(VaultError::Input(
            "a hash list needs a name and the authority that supplied it; nothing was imported"
                .into(),
        ));
    }
    if max_distance > 16 {
        return Err(VaultError::Input(format!(
            "a distance of {max_distance} bits would match unrelated pictures (at most 16); nothing was imported"
        )));
    }
    let file = std::fs::File::open(path)
        .map_err(|e| VaultError::Input(format!("cannot read {}: {e}", path.display())))?;
    let entries = parse_hash_list(BufReader::new(file), ALGORITHM)
        .map_err(|e| VaultError::Input(format!("{}: {e}; nothing was imported", path.display())))?;
    let mut file = std::fs::File::open(path)
        .map_err(|e| VaultError::Input(format!("cannot read {}: {e}", path.display())))?;
    let (file_sha256, _, _) = crate::hashing::hash_reader(&mut file)
        .map_err(|e| VaultError::io(format!("hashing {}", path.display()), e))?;
    let pairs: Vec<(String, String)> = entries
        .into_iter()
        .map(|e| (e.algorithm, e.value))
        .collect();
    let list = vault
        .store
        .save_hash_list(&NewHashList {
            name: name.trim(),
            supplier: supplier.trim(),
            file_sha256: &file_sha256.to_hex(),
            max_distance,
            imported_by: &vault.actor.user,
            entries: &pairs,
        })
        .await?;
    let matches = match_lists(vault, Some(list.id)).await?;
    Ok(HashListImport { list, matches })
}

/// Matches one list (or every list) against everything in the vault and
/// marks what matches: after an import, and after `qorgau media index` has
/// hashed images acquired before hashing existed.
pub async fn match_lists(vault: &Vault, list: Option<Id>) -> Result<Vec<ListMatch>, VaultError> {
    let mut found = Vec::new();
    for m in vault.store.exact_list_matches(list, None).await? {
        found.push((m.sha256, m.list_id, m.list_name, m.algorithm, None));
    }
    let perceptual = vault.store.perceptual_list_entries(list).await?;
    if !perceptual.is_empty() {
        // Images, and every key frame of the videos: a listed picture shown
        // in a video marks the video.
        let images = vault.store.image_hashes(ALGORITHM, None).await?;
        let frames = vault.store.frame_hashes(ALGORITHM, None).await?;
        let lists = PerceptualLists::new(perceptual)?;
        let pictures = images
            .iter()
            .map(|i| (i.sha256, i.phash, i.dhash))
            .chain(frames.iter().map(|f| (f.sha256, f.phash, f.dhash)));
        for (sha256, phash, dhash) in pictures {
            for (entry, distance) in lists.matches(phash, dhash) {
                found.push((
                    sha256,
                    entry.list_id,
                    entry.list_name.clone(),
                    entry.algorithm.clone(),
                    Some(distance),
                ));
            }
        }
    }
    mark_found(vault, found).await
}

/// Matches newly stored items against every list and marks what matches.
/// Called by each acquisition once its items are registered; cheap when no
/// list was ever imported (two indexed queries).
pub async fn check_new_items(
    vault: &Vault,
    items: &[ItemRecord],
    hashes: &[MediaHashRecord],
) -> Result<Vec<ListMatch>, VaultError> {
    if items.is_empty() {
        return Ok(Vec::new());
    }
    let mut contents: Vec<Sha256Digest> = items.iter().map(|i| i.sha256).collect();
    contents.sort();
    contents.dedup();
    let mut found = Vec::new();
    for chunk in contents.chunks(400) {
        for m in vault.store.exact_list_matches(None, Some(chunk)).await? {
            found.push((m.sha256, m.list_id, m.list_name, m.algorithm, None));
        }
    }
    let hashed: Vec<(Sha256Digest, u64, u64)> = hashes
        .iter()
        .filter(|h| h.algorithm == ALGORITHM)
        .flat_map(|h| match &h.outcome {
            MediaHashOutcome::Hashed { phash, dhash, .. } => vec![(h.sha256, *phash, *dhash)],
            MediaHashOutcome::KeyFrames { frames, .. } => frames
                .iter()
                .map(|f| (h.sha256, f.phash, f.dhash))
                .collect(),
            MediaHashOutcome::Failed { .. } => Vec::new(),
        })
        .collect();
    if !hashed.is_empty() {
        let perceptual = vault.store.perceptual_list_entries(None).await?;
        if !perceptual.is_empty() {
            let lists = PerceptualLists::new(perceptual)?;
            for (sha256, phash, dhash) in hashed {
                for (entry, distance) in lists.matches(phash, dhash) {
                    found.push((
                        sha256,
                        entry.list_id,
                        entry.list_name.clone(),
                        entry.algorithm.clone(),
                        Some(distance),
                    ));
                }
            }
        }
    }
    mark_found(vault, found).await
}

type Found = (Sha256Digest, Id, String, String, Option<u32>);

/// Marks each content found once (its first match is the basis recorded).
async fn mark_found(vault: &Vault, mut found: Vec<Found>) -> Result<Vec<ListMatch>, VaultError> {
    // Per content, an exact match (no distance) first, then the nearest.
    found.sort_by_key(|f| (f.0, f.4));
    let mut by_content: BTreeMap<Sha256Digest, Found> = BTreeMap::new();
    for f in found {
        by_content.entry(f.0).or_insert(f);
    }
    let mut out = Vec::with_capacity(by_content.len());
    for (sha256, (_, list_id, list_name, algorithm, distance)) in by_content {
        let reason = format!("on the hash list {list_name:?}");
        let outcome = record(
            vault,
            &NewRestriction {
                sha256,
                action: RestrictionAction::Mark,
                basis: RestrictionBasis::HashList,
                list_id: Some(list_id),
                matched_on: Some(&algorithm),
                distance,
                reason: &reason,
                by_user: &vault.actor.user,
            },
            &vault.actor,
        )
        .await?;
        out.push(ListMatch {
            sha256,
            list_id,
            list_name,
            matched_on: algorithm,
            distance,
            newly_marked: outcome.record.is_some(),
        });
    }
    Ok(out)
}

/// The perceptual entries of the lists, indexed per hash kind.
struct PerceptualLists {
    phash: (Vec<PerceptualListEntry>, HammingIndex),
    dhash: (Vec<PerceptualListEntry>, HammingIndex),
}

impl PerceptualLists {
    fn new(entries: Vec<PerceptualListEntry>) -> Result<Self, VaultError> {
        let (d, p): (Vec<_>, Vec<_>) = entries
            .into_iter()
            .partition(|e| e.algorithm.ends_with(":dhash"));
        let index = |e: &[PerceptualListEntry]| {
            HammingIndex::new(e.iter().map(|x| x.value).collect::<Vec<u64>>())
                .map_err(|e| VaultError::Input(format!("indexing the hash lists: {e}")))
        };
        let pi = index(&p)?;
        let di = index(&d)?;
        Ok(Self {
            phash: (p, pi),
            dhash: (d, di),
        })
    }

    /// Entries within their list's distance of an image's hashes.
    fn matches(&self, phash: u64, dhash: u64) -> Vec<(&PerceptualListEntry, u32)> {
        let mut out = Vec::new();
        for ((entries, index), value) in [(&self.phash, phash), (&self.dhash, dhash)] {
            let widest = entries.iter().map(|e| e.max_distance).max().unwrap_or(0);
            for hit in index.within(value, widest) {
                if let Some(e) = entries.get(hit.id as usize)
                    && hit.distance <= e.max_distance
                {
                    out.push((e, hit.distance));
                }
            }
        }
        out
    }
}

/// Checks that `items` may leave the vault in `export` (a phrase naming
/// the export, for messages and the ledger). Items whose content is marked
/// need an authorisation: without one the export is refused, naming them;
/// with one, a `restricted` entry recording it is appended on each before
/// anything is written. Returns the marked items' ids, for the export's own
/// ledger entry.
pub async fn authorise_export(
    vault: &Vault,
    items: &[ItemRecord],
    authorisation: Option<&str>,
    export: &str,
) -> Result<Vec<Id>, VaultError> {
    let contents: Vec<Sha256Digest> = items.iter().map(|i| i.sha256).collect();
    let marks = vault.store.restrictions_of(&contents).await?;
    let marked: Vec<&ItemRecord> = items
        .iter()
        .filter(|i| marks.contains_key(&i.sha256))
        .collect();
    if marked.is_empty() {
        return Ok(Vec::new());
    }
    let Some(reference) = authorisation.map(str::trim).filter(|a| !a.is_empty()) else {
        let named: Vec<String> = marked.iter().take(5).map(|i| i.id.to_string()).collect();
        let case_name = vault
            .store
            .cases()
            .await?
            .into_iter()
            .find(|c| c.id == marked[0].case_id)
            .map(|c| c.name.to_string())
            .unwrap_or_default();
        return Err(VaultError::Input(format!(
            "case \"{case_name}\" holds {} item(s) marked as suspected child sexual abuse material ({}{}); \
             they leave the vault only with an authorisation: give its reference (the decision, its number and date, who made it) \
             with --restricted-authorisation; nothing was exported",
            marked.len(),
            named.join(", "),
            if marked.len() > named.len() {
                ", …"
            } else {
                ""
            }
        )));
    };
    let drafts = marked
        .iter()
        .map(|item| {
            let mut d = EntryDraft::now(
                EventKind::Restricted,
                vault.actor.clone(),
                vault.tool.clone(),
            );
            d.case_id = Some(item.case_id);
            d.item_id = Some(item.id);
            d.subject_digest = Some(item.record_digest());
            d.details = serde_json::json!({
                "action": "export_authorised",
                "authorisation": reference,
                "export": export,
                "sha256": item.sha256,
            })
            .to_string();
            d
        })
        .collect();
    vault.store.append(drafts, &vault.key).await?;
    Ok(marked.iter().map(|i| i.id).collect())
}
