//! The optional trained model of Qorgau's detection engine.
//!
//! The indicator lexicon scores each document per scenario and says which
//! phrases fired. Analysts then accept or dismiss flags; this crate learns
//! from those labelled decisions (`qorgau train`, `qorgau eval`) and lets the
//! learned model **nudge** the lexicon's scores, never replace them, and
//! never without saying why.
//!
//! - **Features** ([`FeatureConfig`]): word unigrams and bigrams and
//!   character 3–5-grams inside words (with `<`/`>` word-boundary marks) of
//!   the *normalised* text (`qorgau-normalize`), lower-cased with runs of
//!   three or more digits masked to `0` (ages stay readable), hashed with a sign hash into `2^18` buckets by default;
//!   sublinear tf (`1 + ln tf`), L2-normalised.
//! - **Model**: multinomial logistic regression over the labels found in
//!   the training data (`none`, `employment_abroad`, …) plus an independent
//!   logistic head for "a minor is involved" ([`MINOR_HEAD`]). Trained by
//!   [`train`] with FTRL-proximal (L1/L2), several shuffled epochs with a
//!   fixed seed, classes weighted against imbalance; deterministic.
//! - **Explanations** ([`Model::explain`]): every n-gram of the text that
//!   moved a class, its weight and value, and its byte spans in the text
//!   given; listed contributions plus bias add up to the logit. The
//!   strongest features of each class keep an example n-gram in the model
//!   ([`Model::top_features`]) for review.
//! - **The bounded rule** ([`adjust()`]): the model pulls a score towards its
//!   probability by at most ±0.3 ([`DEFAULT_MAX_SHIFT`], never more than
//!   [`MAX_SHIFT_LIMIT`]); with no lexicon indicator it may raise a score
//!   only at probability ≥ 0.9, only up to the bound, and only as a
//!   "model-only" result that must be shown with its explanation. The rule
//!   is spelled out in the [`rule`] module.
//! - **Saved form** ([`Model::save`], [`Model::load`]): a header with a
//!   magic string, a format version, the content length and its SHA-256;
//!   loading refuses anything truncated, altered or unknown. The version
//!   string ([`Model::version`], `model-<date>-<12 hex of the SHA-256>`) goes
//!   next to every score the model touched.
//! - **Evaluation** ([`evaluate`]): accuracy, per-class precision, recall
//!   and F1, the confusion matrix, "any scenario vs none" and the minor head.
//!
//! Everything here is written by hand on purpose: no light crate does
//! hashed n-gram multinomial logistic regression with per-feature
//! explanations, and the whole of it is small. Nothing in this crate reads
//! files by name or the network; the binary passes readers and writers.

mod error;
mod eval;
mod features;
mod format;
mod labelled;
mod model;
pub mod rule;
mod train;

pub use error::ModelError;
pub use eval::{BinaryMetrics, ClassMetrics, Evaluation, MINOR_THRESHOLD, evaluate};
pub use features::{FeatureConfig, FeatureKind};
pub use format::FORMAT_VERSION;
pub use labelled::{LabelledDoc, read_labelled_jsonl};
pub use model::{
    ClassProbability, Contribution, Explanation, FeatureWeight, MINOR_HEAD, Model, ModelInfo,
    Prediction, WordContribution,
};
pub use rule::{Adjusted, DEFAULT_MAX_SHIFT, MAX_SHIFT_LIMIT, STRONG_MODEL_PROBABILITY, adjust};
pub use train::{Example, NONE_LABEL, TrainOptions, train};
