//! Near-duplicate and template clustering of ads, for any script.
//!
//! Traffickers repost one ad many times with small changes: another city,
//! phone, price or salary, emoji, shuffled lines, an obfuscated word.
//! This crate groups those reposts and shows each group's template, so an
//! investigator sees one network's campaign instead of a thousand ads.
//! Unlike InfoShield, which deletes every non-ASCII character and digit, it
//! reads Russian, Kazakh and any other script.
//!
//! Pipeline (input is text already normalised by `qorgau-normalize`):
//! 1. [`MinHasher::signature`]: canonical tokens (lower case, `ё`→`е`,
//!    punctuation and emoji dropped, digit runs masked so phones and prices
//!    do not split a template), word bigrams within each line (so shuffled
//!    lines do not matter), character 4-grams for texts of under 5 words,
//!    128 MinHash values from one xxh3 hash per shingle and 128
//!    multiply-add-shift permutations.
//! 2. [`Clusterer`] (incremental) or [`cluster_all`] (bulk, all cores): LSH
//!    with 32 bands of 4 rows; a shared bucket merges two documents only if
//!    their signatures agree on at least half the positions, so a generic
//!    short text cannot chain unrelated ads; union-find gives the clusters.
//! 3. [`Clusters`]: per document its cluster and a stable label
//!    (`c-` + hash of the smallest member signature, see [`Clusters`]).
//!    A document with no near duplicate is a singleton cluster.
//! 4. [`template`]: for one cluster, the fixed text and the slots with the
//!    values seen.
//!
//! [`agreement`] scores a clustering against known templates (pairwise,
//! adjusted Rand, B-cubed).

mod bulk;
mod clusterer;
mod clusters;
mod error;
mod eval;
mod lsh;
mod minhash;
mod parallel;
mod template;
mod tokens;
mod union_find;

pub use bulk::cluster_all;
pub use clusterer::{ClusterId, Clusterer};
pub use clusters::Clusters;
pub use error::SignatureError;
pub use eval::{Agreement, agreement};
pub use lsh::ClusterParams;
pub use minhash::{MinHashParams, MinHasher, Shingle, Signature};
pub use template::{Segment, Template, TemplateParams, template, template_with};
