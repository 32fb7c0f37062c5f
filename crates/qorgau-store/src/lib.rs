//! Qorgau's database: one interface, two real backends.
//!
//! [`Store`] is the only way the rest of Qorgau reaches SQL. It runs on
//! embedded SQLite (a file in the data directory, the default) or on
//! PostgreSQL (when a `postgres://` URL is given), through sqlx's `Any`
//! driver, with one set of migrations written in the SQL both understand.
//!
//! Contract:
//! - Appending to the custody ledger locks the chain's head row first, so any
//!   number of processes can append at once without forking a chain.
//! - Items and their `acquired` ledger entries are written in one transaction:
//!   an item is registered with its custody entry or not at all.
//! - Ledger and item rows are append-only; triggers refuse UPDATE and DELETE
//!   (the verifier still assumes an attacker can drop the triggers).

mod accounts;
mod captures;
mod cases;
mod casework;
mod connect;
mod copy;
mod error;
mod identities;
mod items;
mod ledger;
mod lexicon_versions;
mod media;
mod money;
mod monitor;
mod restricted;
mod routing_rules;
pub mod rows;
mod s3_objects;
mod signals;
mod takedowns;
mod taxii;
#[doc(hidden)]
pub mod testing;
mod victims;
mod work;

pub use accounts::{ApiTokenRecord, SessionRecord};
pub use captures::CaptureFilter;
pub use casework::{
    CaseDocument, CaseFile, CaseKey, CaseUpdate, ChangeBy, EscalationRecord, NewCaseFile,
    NoteRecord, PersonRecord, ReferralRecord, TaskRecord,
};
pub use connect::{Backend, Store, StoreLocation};
pub use copy::TableCopy;
pub use error::StoreError;
pub use identities::{BodyRow, CaseOperation};
pub use items::ItemFilter;
pub use ledger::LedgerFilter;
pub use lexicon_versions::{
    LexiconDecision, LexiconReview, LexiconVersionRecord, NewLexiconReview, NewLexiconVersion,
};
pub use media::{
    MediaFrame, MediaHashOutcome, MediaHashRecord, StoredFrameHash, StoredImageHash, UnhashedImage,
};
pub use money::{AccountLink, LabelList, LabelListRow, MoneyImport};
pub use monitor::{
    DocumentChange, DocumentFilter, DocumentRecord, DocumentWrite, JobRecord, RunRecord,
};
pub use restricted::{
    ExactListMatch, HashListRecord, NewHashList, NewRestriction, PerceptualListEntry,
    RestrictionAction, RestrictionBasis, RestrictionRecord,
};
pub use routing_rules::{NewRuleSet, RuleSetRecord, rule_text_sha256};
pub use rows::CorruptRow;
pub use s3_objects::S3ObjectRecord;
pub use signals::{Intake, Report, SignalDecision, SignalRecord, Taken};
pub use takedowns::TakedownRow;
pub use taxii::{GroupMember, SharingGroupRow};
pub use victims::StoredVictim;
pub use work::{
    FinishTx, Lease, NewJob, WorkAttempt, WorkCount, WorkFilter, WorkJob, WorkState, WorkerRecord,
};
