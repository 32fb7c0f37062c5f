//! The detection pipeline behind `qorgau scan` and monitoring.
//!
//! Per document ([`Pipeline::assess`], independent, run in parallel):
//! normalise (keeping the byte map), identify the language, extract
//! identifiers, score every scenario with the lexicon, optionally let the
//! trained model move the scores within its bound, and sign the text for
//! near-duplicate search. Over a batch ([`link`]): near-duplicate clusters,
//! shared pictures (near-duplicate images grouped across documents, module
//! `images`), and networks of documents sharing identifiers and pictures.
//! The output record ([`ScanRecord`]) is the stable contract of `qorgau scan`.

mod batch;
mod images;
mod pipeline;
mod record;

pub use batch::{ClusterSummary, Linked, cluster_summaries, link, link_with, scan_parallel};
pub use images::{IMAGE_DISTANCE, ImageLinkOptions};
pub use pipeline::{DocAssessment, Pipeline, PipelineOptions, ScanError};
pub use record::{
    FirstPictureOut, IdentifierOut, ImageLinkOut, ImageOut, IndicatorOut, ModelOut, ScanRecord,
};
