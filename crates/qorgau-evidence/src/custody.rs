//! The chain of custody: an append-only, hash-chained, signed ledger.
//!
//! Why a chain per case: a case is what is handed to a court, and its ledger
//! must verify on its own, offline, from the exported bag. Entries that belong
//! to no case (installation-wide checks) form the `installation` chain.
//!
//! An entry's hash covers every field except the hash and signature
//! themselves, including the previous entry's hash; the signature is over the
//! entry hash. So a changed entry breaks its own hash, a removed or reordered
//! one breaks the link of the next, and a forged one lacks a valid signature.

use std::collections::HashMap;
use std::fmt;

use qorgau_core::{Actor, Id, Sha256Digest, Timestamp, Tool};
use serde::{Deserialize, Serialize};

use crate::canonical::digest_of;
use crate::keys::{KeyId, LedgerKey, PublicKey};

/// The name of the chain for entries that belong to no case.
pub const INSTALLATION_CHAIN: &str = "installation";

/// What happened to the evidence. The names are what protocols and exports show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// A case was opened; the entry vouches for the case record.
    CaseOpened,
    /// A file was stored in the vault; the entry vouches for the item record.
    Acquired,
    /// Someone looked at an item's content.
    Viewed,
    /// Items left the vault in an export.
    Exported,
    /// A verification run checked hashes, chain and signatures.
    Verified,
    /// Custody passed to another person or agency.
    Transferred,
    /// A free-text note about the evidence.
    Note,
    /// A step of the investigation that acquires nothing: a search, a source
    /// checked, keywords and filters used (the OSINT log of study section 5.3).
    InvestigativeStep,
    /// Someone read a case, a victim record or a referral through the
    /// server (who looked at what, for the audit the study's safeguards ask).
    Read,
    /// A case changed through the server: facts, persons, notes, tasks,
    /// referrals, escalations; the details say what and how.
    Changed,
    /// The item's content was marked as suspected child sexual abuse
    /// material, or such a mark was cleared, or an export of it was
    /// authorised; the details say which, by whom and on what basis. From
    /// a mark on, the content is shown blurred, only to those allowed, and
    /// leaves the vault only with an authorisation recorded here.
    Restricted,
    /// An examiner recorded a conclusion about the item (for example on
    /// the authenticity of an image). The software lists signals; only a
    /// person concludes, and the conclusion is part of the custody record.
    Examined,
}

impl EventKind {
    /// Every kind, for parsing and help texts.
    pub const ALL: [EventKind; 12] = [
        EventKind::CaseOpened,
        EventKind::Acquired,
        EventKind::Viewed,
        EventKind::Exported,
        EventKind::Verified,
        EventKind::Transferred,
        EventKind::Note,
        EventKind::InvestigativeStep,
        EventKind::Read,
        EventKind::Changed,
        EventKind::Restricted,
        EventKind::Examined,
    ];

    /// The stored name, e.g. `acquired`.
    pub fn as_str(&self) -> &'static str {
        match self {
            EventKind::CaseOpened => "case_opened",
            EventKind::Acquired => "acquired",
            EventKind::Viewed => "viewed",
            EventKind::Exported => "exported",
            EventKind::Verified => "verified",
            EventKind::Transferred => "transferred",
            EventKind::Note => "note",
            EventKind::InvestigativeStep => "investigative_step",
            EventKind::Read => "read",
            EventKind::Changed => "changed",
            EventKind::Restricted => "restricted",
            EventKind::Examined => "examined",
        }
    }

    /// Parses a stored name.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An entry before it has a place in a chain: what the caller knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryDraft {
    /// When it happened.
    pub at: Timestamp,
    /// What happened.
    pub kind: EventKind,
    /// The case, or `None` for the installation chain.
    pub case_id: Option<Id>,
    /// The item concerned, if one.
    pub item_id: Option<Id>,
    /// Who did it.
    pub actor: Actor,
    /// With which tool.
    pub tool: Tool,
    /// Digest of the record this entry vouches for (item or case), if any.
    pub subject_digest: Option<Sha256Digest>,
    /// Free-form facts as JSON text (note, keywords, destination…).
    pub details: String,
}

impl EntryDraft {
    /// A draft stamped now, with `{}` details.
    pub fn now(kind: EventKind, actor: Actor, tool: Tool) -> Self {
        Self {
            at: Timestamp::now(),
            kind,
            case_id: None,
            item_id: None,
            actor,
            tool,
            subject_digest: None,
            details: "{}".to_owned(),
        }
    }

    /// The chain this draft goes into.
    pub fn chain(&self) -> String {
        chain_name(self.case_id)
    }

    /// Places the draft after `previous` (seq and hash of the chain head; seq
    /// 0 and the zero hash for an empty chain) and signs it.
    pub fn seal(
        self,
        previous_seq: u64,
        previous_hash: Sha256Digest,
        key: &LedgerKey,
    ) -> LedgerEntry {
        let mut entry = LedgerEntry {
            chain: self.chain(),
            seq: previous_seq + 1,
            at: self.at,
            kind: self.kind,
            case_id: self.case_id,
            item_id: self.item_id,
            actor: self.actor,
            tool: self.tool,
            subject_digest: self.subject_digest,
            details: self.details,
            prev_hash: previous_hash,
            key_id: key.public().id(),
            entry_hash: Sha256Digest::from_bytes([0; 32]),
            signature: [0; 64],
        };
        entry.entry_hash = entry.compute_hash();
        entry.signature = key.sign(entry.entry_hash.as_bytes());
        entry
    }
}

/// The chain an entry of `case_id` belongs to.
pub fn chain_name(case_id: Option<Id>) -> String {
    case_id.map_or_else(|| INSTALLATION_CHAIN.to_owned(), |id| id.to_string())
}

/// A sealed ledger entry as stored and exported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerEntry {
    /// The chain: a case id, or `installation`.
    pub chain: String,
    /// Position in the chain, from 1.
    pub seq: u64,
    /// When it happened.
    pub at: Timestamp,
    /// What happened.
    pub kind: EventKind,
    /// The case.
    pub case_id: Option<Id>,
    /// The item concerned.
    pub item_id: Option<Id>,
    /// Who did it.
    pub actor: Actor,
    /// With which tool.
    pub tool: Tool,
    /// Digest of the record vouched for.
    pub subject_digest: Option<Sha256Digest>,
    /// Free-form facts as JSON text.
    pub details: String,
    /// Hash of the previous entry of the chain (zeros for the first).
    pub prev_hash: Sha256Digest,
    /// Which key signed it.
    pub key_id: KeyId,
    /// Hash of this entry's canonical form.
    pub entry_hash: Sha256Digest,
    /// Ed25519 signature over `entry_hash`.
    #[serde(with = "hex_signature")]
    pub signature: [u8; 64],
}

/// The fields an entry hash covers, in their canonical order.
#[derive(Serialize)]
struct HashedFields<'a> {
    chain: &'a str,
    seq: u64,
    at: &'a Timestamp,
    kind: EventKind,
    case_id: Option<&'a Id>,
    item_id: Option<&'a Id>,
    actor: &'a Actor,
    tool: &'a Tool,
    subject_digest: Option<&'a Sha256Digest>,
    details: &'a str,
    prev_hash: &'a Sha256Digest,
    key_id: &'a KeyId,
}

impl LedgerEntry {
    /// Recomputes the hash from the entry's fields (not from `entry_hash`).
    pub fn compute_hash(&self) -> Sha256Digest {
        digest_of(
            "qorgau-custody-v1",
            &HashedFields {
                chain: &self.chain,
                seq: self.seq,
                at: &self.at,
                kind: self.kind,
                case_id: self.case_id.as_ref(),
                item_id: self.item_id.as_ref(),
                actor: &self.actor,
                tool: &self.tool,
                subject_digest: self.subject_digest.as_ref(),
                details: &self.details,
                prev_hash: &self.prev_hash,
                key_id: &self.key_id,
            },
        )
    }
}

/// What is wrong with one entry of a chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum ChainProblem {
    /// The entry's fields no longer hash to its recorded hash.
    Altered {
        /// Chain of the entry.
        chain: String,
        /// Position of the entry.
        seq: u64,
    },
    /// The signature does not verify with the named key.
    BadSignature {
        /// Chain of the entry.
        chain: String,
        /// Position of the entry.
        seq: u64,
    },
    /// Signed by a key this verification does not trust.
    UnknownKey {
        /// Chain of the entry.
        chain: String,
        /// Position of the entry.
        seq: u64,
        /// The key named.
        key_id: KeyId,
    },
    /// The entry does not point at the entry before it: something was
    /// removed, inserted or reordered.
    BrokenLink {
        /// Chain of the entry.
        chain: String,
        /// Position of the entry.
        seq: u64,
    },
    /// Positions are missing or repeated.
    OutOfSequence {
        /// Chain of the entry.
        chain: String,
        /// Position expected.
        expected: u64,
        /// Position found.
        found: u64,
    },
}

impl ChainProblem {
    /// Chain and position of the entry the problem is reported at.
    pub fn location(&self) -> (&str, u64) {
        match self {
            ChainProblem::Altered { chain, seq }
            | ChainProblem::BadSignature { chain, seq }
            | ChainProblem::UnknownKey { chain, seq, .. }
            | ChainProblem::BrokenLink { chain, seq } => (chain, *seq),
            ChainProblem::OutOfSequence { chain, found, .. } => (chain, *found),
        }
    }
}

impl fmt::Display for ChainProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChainProblem::Altered { chain, seq } => write!(
                f,
                "ledger entry {chain}#{seq}: its content does not match its hash (entry altered)"
            ),
            ChainProblem::BadSignature { chain, seq } => write!(
                f,
                "ledger entry {chain}#{seq}: signature does not verify (hash or signature altered)"
            ),
            ChainProblem::UnknownKey { chain, seq, key_id } => write!(
                f,
                "ledger entry {chain}#{seq}: signed by key {key_id}, which is not trusted here"
            ),
            ChainProblem::BrokenLink { chain, seq } => write!(
                f,
                "ledger entry {chain}#{seq}: does not link to the entry before it (entries removed, inserted or reordered)"
            ),
            ChainProblem::OutOfSequence {
                chain,
                expected,
                found,
            } => write!(
                f,
                "ledger chain {chain}: expected entry #{expected}, found #{found} (entries missing or repeated)"
            ),
        }
    }
}

/// Checks one chain's entries in stored order against the trusted keys.
///
/// Each problem is reported at the entry that carries it: a changed entry is
/// `Altered` (and its successor is not blamed for pointing at the original),
/// a changed link is `Altered` at the entry holding the link.
#[derive(Debug)]
pub struct ChainVerifier<'k> {
    keys: HashMap<KeyId, &'k PublicKey>,
    chain: Option<String>,
    expected_seq: u64,
    previous: Option<(Sha256Digest, Sha256Digest)>,
    problems: Vec<ChainProblem>,
}

impl<'k> ChainVerifier<'k> {
    /// Starts a verification trusting `keys`.
    pub fn new(keys: &'k [PublicKey]) -> Self {
        Self {
            keys: keys.iter().map(|k| (k.id(), k)).collect(),
            chain: None,
            expected_seq: 1,
            previous: None,
            problems: Vec::new(),
        }
    }

    /// Feeds the next entry. Entries of several chains may be fed one chain
    /// after the other, each in `seq` order.
    pub fn push(&mut self, entry: &LedgerEntry) {
        if self.chain.as_deref() != Some(entry.chain.as_str()) {
            self.chain = Some(entry.chain.clone());
            self.expected_seq = 1;
            self.previous = None;
        }
        let chain = entry.chain.clone();
        let recomputed = entry.compute_hash();
        let altered = recomputed != entry.entry_hash;
        if altered {
            self.problems.push(ChainProblem::Altered {
                chain: chain.clone(),
                seq: entry.seq,
            });
        }
        match self.keys.get(&entry.key_id) {
            // An altered entry is already blamed; its signature cannot hold.
            _ if altered => {}
            Some(key) => {
                if !key.verify(entry.entry_hash.as_bytes(), &entry.signature) {
                    self.problems.push(ChainProblem::BadSignature {
                        chain: chain.clone(),
                        seq: entry.seq,
                    });
                }
            }
            None => self.problems.push(ChainProblem::UnknownKey {
                chain: chain.clone(),
                seq: entry.seq,
                key_id: entry.key_id.clone(),
            }),
        }
        if entry.seq != self.expected_seq {
            self.problems.push(ChainProblem::OutOfSequence {
                chain: chain.clone(),
                expected: self.expected_seq,
                found: entry.seq,
            });
        }
        // The link holds when the entry points at the previous entry as
        // stored or as recomputed: if the previous entry was altered, that
        // entry is already blamed, and this one is intact.
        let link_ok = match self.previous {
            None => entry.prev_hash == Sha256Digest::from_bytes([0; 32]) || entry.seq != 1,
            Some((stored, recomputed)) => {
                entry.prev_hash == stored || entry.prev_hash == recomputed
            }
        };
        if !link_ok && !altered {
            self.problems.push(ChainProblem::BrokenLink {
                chain,
                seq: entry.seq,
            });
        }
        self.expected_seq = entry.seq + 1;
        self.previous = Some((entry.entry_hash, recomputed));
    }

    /// The problems found, in the order met.
    pub fn finish(self) -> Vec<ChainProblem> {
        self.problems
    }
}

/// Verifies a whole sequence of entries (one or more chains, each in order).
pub fn verify_chain<'a>(
    entries: impl IntoIterator<Item = &'a LedgerEntry>,
    keys: &[PublicKey],
) -> Vec<ChainProblem> {
    let mut verifier = ChainVerifier::new(keys);
    for entry in entries {
        verifier.push(entry);
    }
    verifier.finish()
}

mod hex_signature {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(sig: &[u8; 64], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(sig))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 64], D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        let mut out = [0u8; 64];
        hex::decode_to_slice(text.as_bytes(), &mut out).map_err(serde::de::Error::custom)?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor() -> Actor {
        Actor {
            user: "inv".into(),
            host: "ws".into(),
        }
    }

    fn chain_of(n: usize, key: &LedgerKey) -> Vec<LedgerEntry> {
        let case = Some(Id::new());
        let mut out: Vec<LedgerEntry> = Vec::new();
        for i in 0..n {
            let mut draft = EntryDraft::now(EventKind::Note, actor(), Tool::qorgau());
            draft.case_id = case;
            draft.details = format!("{{\"n\":{i}}}");
            let (seq, prev) = out
                .last()
                .map_or((0, Sha256Digest::from_bytes([0; 32])), |e| {
                    (e.seq, e.entry_hash)
                });
            out.push(draft.seal(seq, prev, key));
        }
        out
    }

    #[test]
    fn intact_chain_verifies() {
        let key = LedgerKey::from_seed([1; 32]);
        let entries = chain_of(5, &key);
        assert_eq!(verify_chain(&entries, &[key.public()]), vec![]);
    }

    #[test]
    fn altered_entry_is_blamed_alone() {
        let key = LedgerKey::from_seed([1; 32]);
        let mut entries = chain_of(5, &key);
        entries[2].details = "{\"n\":99}".into();
        let problems = verify_chain(&entries, &[key.public()]);
        let chain = entries[2].chain.clone();
        assert_eq!(problems, vec![ChainProblem::Altered { chain, seq: 3 }]);
    }

    #[test]
    fn altered_hash_is_blamed_at_its_entry() {
        let key = LedgerKey::from_seed([1; 32]);
        let mut entries = chain_of(4, &key);
        let mut bytes = *entries[1].entry_hash.as_bytes();
        bytes[0] ^= 1;
        entries[1].entry_hash = Sha256Digest::from_bytes(bytes);
        let problems = verify_chain(&entries, &[key.public()]);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].location().1, 2);
    }

    #[test]
    fn removed_entry_breaks_sequence_and_link() {
        let key = LedgerKey::from_seed([1; 32]);
        let mut entries = chain_of(4, &key);
        entries.remove(1);
        let problems = verify_chain(&entries, &[key.public()]);
        assert!(problems.iter().all(|p| p.location().1 == 3), "{problems:?}");
        assert!(
            problems
                .iter()
                .any(|p| matches!(p, ChainProblem::BrokenLink { .. }))
        );
    }

    #[test]
    fn forged_entry_with_other_key_is_refused() {
        let key = LedgerKey::from_seed([1; 32]);
        let forger = LedgerKey::from_seed([2; 32]);
        let mut entries = chain_of(2, &key);
        let last = entries.last().unwrap().clone();
        let mut draft = EntryDraft::now(EventKind::Note, actor(), Tool::qorgau());
        draft.case_id = last.case_id;
        entries.push(draft.seal(last.seq, last.entry_hash, &forger));
        let problems = verify_chain(&entries, &[key.public()]);
        assert!(matches!(
            problems[..],
            [ChainProblem::UnknownKey { seq: 3, .. }]
        ));
    }

    #[test]
    fn signature_flip_is_reported() {
        let key = LedgerKey::from_seed([1; 32]);
        let mut entries = chain_of(3, &key);
        entries[0].signature[10] ^= 0x40;
        let problems = verify_chain(&entries, &[key.public()]);
        assert!(matches!(
            problems[..],
            [ChainProblem::BadSignature { seq: 1, .. }]
        ));
    }
}
