//! A trained model: prediction and the explanation of every prediction.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::ModelError;
use crate::features::{
    self, FeatureConfig, FeatureKind, Occurrence, Prepared, bucket_sign, tf_weight,
};
use crate::format;
use crate::train::{TrainOptions, sigmoid, softmax};

/// The name under which [`Model::explain`] and [`Model::top_features`]
/// address the binary "minor involved" head; it cannot be a class label.
pub const MINOR_HEAD: &str = "minor";

/// What a model is and how it was made; saved with it so that every flag
/// can be traced to the model and the data behind it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelInfo {
    /// Day the model was trained (`YYYY-MM-DD`).
    pub created: String,
    /// Classes of the multinomial head, `none` first when present.
    pub classes: Vec<String>,
    /// Whether the minor head was trained (some example had `minor`).
    pub minor_head: bool,
    /// How text is read into features.
    pub features: FeatureConfig,
    /// The training options.
    pub options: TrainOptions,
    /// Number of training examples.
    pub examples: usize,
    /// Training examples per class, in `classes` order.
    pub class_counts: Vec<usize>,
    /// Training examples with `minor: true` and with `minor: false`.
    pub minor_counts: (usize, usize),
    /// Mean training loss of the last epoch.
    pub final_loss: f32,
}

/// Example n-gram of a hashed bucket (the reverse map kept for the
/// strongest features).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NamedFeature {
    pub name: String,
    pub kind: FeatureKind,
    /// The n-gram's sign hash is negative: its effective weight is minus
    /// the bucket's.
    pub negative: bool,
}

/// A trained linear model over hashed n-grams.
#[derive(Debug, Clone)]
pub struct Model {
    pub(crate) info: ModelInfo,
    /// Classes + 1 (the minor head is the last column).
    pub(crate) stride: usize,
    /// `buckets × stride`, row-major; class columns centred per row.
    pub(crate) weights: Vec<f32>,
    /// `stride` biases.
    pub(crate) bias: Vec<f32>,
    pub(crate) names: BTreeMap<u32, NamedFeature>,
    sha256: [u8; 32],
    version: String,
}

/// Probability of one class.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassProbability {
    /// Class label.
    pub class: String,
    /// Model probability, 0..=1; the probabilities of all classes add to 1.
    pub probability: f32,
}

/// The model's reading of one document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Prediction {
    /// One entry per class, in the model's class order.
    pub classes: Vec<ClassProbability>,
    /// Probability that a minor is involved; `None` when the model was
    /// trained without minor labels.
    pub minor: Option<f32>,
}

impl Prediction {
    /// Probability of `class`, if the model knows it.
    pub fn probability(&self, class: &str) -> Option<f32> {
        self.classes
            .iter()
            .find(|c| c.class == class)
            .map(|c| c.probability)
    }

    /// The most probable class (the first one on a tie).
    pub fn best(&self) -> (&str, f32) {
        let mut best: Option<&ClassProbability> = None;
        for c in &self.classes {
            if best.is_none_or(|b| c.probability > b.probability) {
                best = Some(c);
            }
        }
        best.map_or(("", 0.0), |b| (b.class.as_str(), b.probability))
    }
}

/// How much one n-gram of the text moved one class, and where it is; what
/// an investigator reads to judge a model's adjustment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contribution {
    /// The n-gram as the model reads it: lower-cased, digits as `0`,
    /// `<`/`>` marking a word's start/end in character n-grams, words of a
    /// word n-gram joined by one space.
    pub feature: String,
    /// Word, word n-gram or character n-gram.
    pub kind: FeatureKind,
    /// The model's weight for this n-gram and class (sign hash applied).
    pub weight: f32,
    /// The n-gram's value in this document: `1 + ln(count)` divided by the
    /// norm of the document's feature vector.
    pub value: f32,
    /// `weight × value`: what this n-gram adds to the class's (centred)
    /// logit; positive raises the class, negative lowers it.
    pub contribution: f32,
    /// Byte ranges of every occurrence in the text given to `explain`.
    pub spans: Vec<(usize, usize)>,
}

/// A whole explanation: the contributions listed add up, with the bias and
/// `omitted`, to the class logit exactly (up to rounding).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    /// The class (or [`MINOR_HEAD`]).
    pub class: String,
    /// The model's probability for it.
    pub probability: f32,
    /// Its logit: for a class, centred over the classes (softmax reads only
    /// differences); for the minor head, the log-odds.
    pub logit: f32,
    /// The part of the logit that does not depend on the text.
    pub bias: f32,
    /// The largest contributions by absolute value, largest first.
    pub contributions: Vec<Contribution>,
    /// Sum of the contributions not listed.
    pub omitted: f32,
    /// The same evidence per word of the text (every n-gram's contribution
    /// shared out over the words it lies in), largest effect first, at most
    /// `top`: what a reviewer's screen should highlight.
    pub words: Vec<WordContribution>,
}

/// The summed effect of one word of the text on one class.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WordContribution {
    /// The word as the model reads it (lower-cased, long numbers masked).
    pub word: String,
    /// Its byte range in the text given to `explain`.
    pub span: (usize, usize),
    /// Sum of the shares of every n-gram occurrence inside it.
    pub contribution: f32,
}

/// One of the strongest features of a class, as stored at training time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FeatureWeight {
    /// Example n-gram of the bucket (the most frequent in training).
    pub feature: String,
    /// Its kind.
    pub kind: FeatureKind,
    /// Its weight for the class.
    pub weight: f32,
}

impl Model {
    /// A model from its parts, sealed (digest and version computed from
    /// its saved form).
    pub(crate) fn from_parts(
        info: ModelInfo,
        weights: Vec<f32>,
        bias: Vec<f32>,
        names: BTreeMap<u32, NamedFeature>,
    ) -> Self {
        let mut model = Self::unsealed(info, weights, bias, names);
        let payload = format::encode_payload(&model);
        model.seal(&payload);
        model
    }

    /// A model from its parts; the caller must [`Model::seal`] it.
    pub(crate) fn unsealed(
        info: ModelInfo,
        weights: Vec<f32>,
        bias: Vec<f32>,
        names: BTreeMap<u32, NamedFeature>,
    ) -> Self {
        let stride = info.classes.len() + 1;
        Model {
            info,
            stride,
            weights,
            bias,
            names,
            sha256: [0; 32],
            version: String::new(),
        }
    }

    /// Records the digest of the saved form and the version derived from it.
    pub(crate) fn seal(&mut self, payload: &[u8]) {
        self.sha256 = Sha256::digest(payload).into();
        let hex = hex::encode(self.sha256);
        self.version = format!("model-{}-{}", self.info.created, &hex[..12]);
    }

    pub(crate) fn digest(&self) -> &[u8; 32] {
        &self.sha256
    }

    /// `model-<YYYY-MM-DD>-<first 12 hex digits of the SHA-256 of the saved
    /// content>`: written next to every score the model touched, so a flag
    /// names the exact model behind it.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// SHA-256 of the saved content (hex), the same as in the file header.
    pub fn sha256_hex(&self) -> String {
        hex::encode(self.sha256)
    }

    /// How the model was made.
    pub fn info(&self) -> &ModelInfo {
        &self.info
    }

    /// The classes of the multinomial head.
    pub fn classes(&self) -> &[String] {
        &self.info.classes
    }

    fn column(&self, class: &str) -> Option<usize> {
        if class == MINOR_HEAD {
            return self.info.minor_head.then_some(self.stride - 1);
        }
        self.info.classes.iter().position(|c| c == class)
    }

    fn logits(&self, text: &str) -> Vec<f32> {
        let cfg = &self.info.features;
        let mut logits = self.bias.clone();
        for (h, v) in features::weighted(text, cfg) {
            let (bucket, sign) = bucket_sign(h, cfg.buckets_log2);
            let row = &self.weights[bucket * self.stride..(bucket + 1) * self.stride];
            let x = sign * v;
            for (l, w) in logits.iter_mut().zip(row) {
                *l += x * w;
            }
        }
        logits
    }

    /// Probabilities of every class and of the minor head for one document
    /// (already normalised by `qorgau-normalize`).
    pub fn predict(&self, normalized_text: &str) -> Prediction {
        let mut logits = self.logits(normalized_text);
        let k = self.stride - 1;
        let minor = self.info.minor_head.then(|| sigmoid(logits[k]));
        softmax(&mut logits[..k]);
        Prediction {
            classes: self
                .info
                .classes
                .iter()
                .zip(&logits[..k])
                .map(|(c, &p)| ClassProbability {
                    class: c.clone(),
                    probability: p,
                })
                .collect(),
            minor,
        }
    }

    /// The `top` n-grams of the text that moved `class` (or [`MINOR_HEAD`])
    /// most, up or down, with their spans in `normalized_text`. Empty for a
    /// class the model does not know.
    pub fn explain(&self, normalized_text: &str, class: &str, top: usize) -> Vec<Contribution> {
        self.explanation(normalized_text, class, top)
            .map(|e| e.contributions)
            .unwrap_or_default()
    }

    /// [`Model::explain`] with the probability, logit, bias, the sum of
    /// what was left out, and the same evidence summed per word
    /// ([`Explanation::words`]); `None` for an unknown class.
    pub fn explanation(
        &self,
        normalized_text: &str,
        class: &str,
        top: usize,
    ) -> Option<Explanation> {
        let col = self.column(class)?;
        let cfg = &self.info.features;
        let p = Prepared::new(normalized_text);
        let mut occ: Vec<(u64, Occurrence)> = Vec::new();
        features::for_each(&p, cfg, |h, o| occ.push((h, o)));
        // Grouped by hash (stable, so occurrences stay in text order); the
        // norm is summed in the same order and with the same arithmetic as
        // `features::weigh`, so explanation and prediction agree to the bit.
        occ.sort_by_key(|e| e.0);
        let mut groups: Vec<Range<usize>> = Vec::new();
        let mut i = 0;
        while i < occ.len() {
            let mut j = i + 1;
            while j < occ.len() && occ[j].0 == occ[i].0 {
                j += 1;
            }
            groups.push(i..j);
            i = j;
        }
        let norm = groups
            .iter()
            .map(|g| tf_weight(g.len()) * tf_weight(g.len()))
            .sum::<f32>()
            .sqrt();
        let mut logits = self.bias.clone();
        // (group, weight, value, contribution) of the features that count.
        let mut parts: Vec<(usize, f32, f32, f32)> = Vec::with_capacity(groups.len());
        for (gi, g) in groups.iter().enumerate() {
            let (bucket, sign) = bucket_sign(occ[g.start].0, cfg.buckets_log2);
            let value = if norm > 0.0 {
                tf_weight(g.len()) / norm
            } else {
                0.0
            };
            let row = &self.weights[bucket * self.stride..(bucket + 1) * self.stride];
            for (l, w) in logits.iter_mut().zip(row) {
                *l += sign * value * w;
            }
            let weight = sign * row[col];
            let contribution = weight * value;
            if contribution != 0.0 {
                parts.push((gi, weight, value, contribution));
            }
        }
        // Word view: each occurrence carries an equal share of its
        // feature's contribution, split evenly over the words it spans.
        let mut per_token = vec![0.0f32; p.token_count()];
        for &(gi, _, _, contribution) in &parts {
            let g = &groups[gi];
            let share = contribution / g.len() as f32;
            for (_, o) in &occ[g.clone()] {
                let n = o.tokens.len().max(1) as f32;
                for t in o.tokens.clone() {
                    per_token[t] += share / n;
                }
            }
        }
        let mut words: Vec<WordContribution> = per_token
            .iter()
            .enumerate()
            .filter(|(_, c)| **c != 0.0)
            .map(|(t, &contribution)| {
                let (word, span) = p.token(t);
                WordContribution {
                    word: word.to_string(),
                    span,
                    contribution,
                }
            })
            .collect();
        words.sort_by(|a, b| {
            b.contribution
                .abs()
                .total_cmp(&a.contribution.abs())
                .then_with(|| a.span.cmp(&b.span))
        });
        words.truncate(top);

        let name = |gi: usize| occ[groups[gi].start].1.name(&p);
        parts.sort_by(|a, b| {
            b.3.abs()
                .total_cmp(&a.3.abs())
                .then_with(|| name(a.0).cmp(&name(b.0)))
        });
        let total: f32 = parts.iter().map(|x| x.3).sum();
        let omitted: f32 = parts.iter().skip(top).map(|x| x.3).sum();
        let contributions: Vec<Contribution> = parts
            .iter()
            .take(top)
            .map(|&(gi, weight, value, contribution)| {
                let g = &occ[groups[gi].clone()];
                let mut spans: Vec<(usize, usize)> = g.iter().map(|(_, o)| o.span(&p)).collect();
                spans.sort_unstable();
                spans.dedup();
                Contribution {
                    feature: g[0].1.name(&p),
                    kind: g[0].1.kind,
                    weight,
                    value,
                    contribution,
                    spans,
                }
            })
            .collect();
        let k = self.stride - 1;
        let probability = if col == k {
            sigmoid(logits[k])
        } else {
            softmax(&mut logits[..k]);
            logits[col]
        };
        let bias = self.bias[col];
        Some(Explanation {
            class: class.to_string(),
            probability,
            logit: bias + total,
            bias,
            contributions,
            omitted,
            words,
        })
    }

    /// The strongest features of `class` (or [`MINOR_HEAD`]) among those
    /// whose n-gram was kept at training time, strongest first; what an
    /// analyst reviews before a model is put to use.
    pub fn top_features(&self, class: &str, n: usize) -> Vec<FeatureWeight> {
        let Some(col) = self.column(class) else {
            return Vec::new();
        };
        let mut out: Vec<FeatureWeight> = self
            .names
            .iter()
            .map(|(&bucket, f)| {
                let w = self.weights[bucket as usize * self.stride + col];
                FeatureWeight {
                    feature: f.name.clone(),
                    kind: f.kind,
                    weight: if f.negative { -w } else { w },
                }
            })
            .filter(|f| f.weight > 0.0)
            .collect();
        out.sort_by(|a, b| {
            b.weight
                .total_cmp(&a.weight)
                .then_with(|| a.feature.cmp(&b.feature))
        });
        out.truncate(n);
        out
    }

    /// Writes the model: a header (magic, format version, content length,
    /// SHA-256 of the content) and the content. See the crate docs.
    pub fn save(&self, w: impl std::io::Write) -> Result<(), ModelError> {
        format::save(self, w)
    }

    /// Reads a model written by [`Model::save`], refusing any file that is
    /// truncated, altered or of another format version.
    pub fn load(r: impl std::io::Read) -> Result<Self, ModelError> {
        format::load(r)
    }
}
