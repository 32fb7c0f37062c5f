//! Training: multinomial logistic regression over the hashed features, plus
//! an independent binary head for "a minor is involved", fitted with
//! FTRL-proximal (McMahan et al., "Ad Click Prediction: a View from the
//! Trenches", KDD 2013), one pass per epoch over the examples in an order
//! shuffled by a fixed seed.
//!
//! Written by hand: no light crate does hashed n-gram multinomial logistic
//! regression with per-feature explanations and a stable on-disk format,
//! and the whole learner is a few dozen lines. Training is single-threaded
//! and uses only IEEE arithmetic in a fixed order, so the same examples and
//! options give the same model bit for bit.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::ModelError;
use crate::features::{self, FeatureConfig, FeatureKind, Prepared, bucket_sign};
use crate::model::{MINOR_HEAD, Model, ModelInfo, NamedFeature};

/// The label of documents that belong to no scenario; kept first in the
/// class list so it reads first in reports.
pub const NONE_LABEL: &str = "none";

/// Options of [`train`]; stored in the model so that a model says how it
/// was made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainOptions {
    /// Passes over the examples.
    pub epochs: u32,
    /// `2^buckets_log2` feature buckets (10..=24; 18 to 20 are sensible).
    pub buckets_log2: u8,
    /// L2 strength of FTRL-proximal (added to each weight's denominator).
    pub l2: f32,
    /// L1 strength of FTRL-proximal: weights whose accumulated gradient
    /// stays below it are exactly zero (a smaller model file).
    pub l1: f32,
    /// FTRL learning-rate scale (alpha).
    pub alpha: f32,
    /// FTRL learning-rate smoothing (beta).
    pub beta: f32,
    /// Seed of the shuffling order.
    pub seed: u64,
    /// Smallest and largest character n-gram; `(0, 0)` for none.
    pub char_ngrams: (u8, u8),
    /// Longest word n-gram; 0 for none.
    pub word_ngrams: u8,
    /// Weigh each class inversely to its frequency (and the minor head's
    /// two outcomes likewise), so that rare scenarios are not drowned by
    /// `none`.
    pub balance_classes: bool,
    /// How many of the strongest features per class (each direction) keep
    /// an example n-gram string in the model, for `top_features`.
    pub named_features: usize,
    /// Date recorded in the model and its version; today (UTC) when unset.
    pub created: Option<NaiveDate>,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            epochs: 10,
            buckets_log2: 18,
            l2: 1e-3,
            l1: 0.0,
            alpha: 0.5,
            beta: 1.0,
            seed: 1,
            char_ngrams: (3, 5),
            word_ngrams: 2,
            balance_classes: true,
            named_features: 64,
            created: None,
        }
    }
}

impl TrainOptions {
    /// The feature part of the options.
    pub fn feature_config(&self) -> FeatureConfig {
        FeatureConfig {
            buckets_log2: self.buckets_log2,
            char_ngrams: self.char_ngrams,
            word_ngrams: self.word_ngrams,
        }
    }

    pub(crate) fn validate(&self) -> Result<(), ModelError> {
        let bad = |m: String| Err(ModelError::InvalidOption(m));
        if !(1..=1000).contains(&self.epochs) {
            return bad(format!("epochs must be 1..=1000, got {}", self.epochs));
        }
        if !(10..=24).contains(&self.buckets_log2) {
            return bad(format!(
                "buckets_log2 must be 10..=24, got {}",
                self.buckets_log2
            ));
        }
        let (lo, hi) = self.char_ngrams;
        if !((lo == 0 && hi == 0) || (1 <= lo && lo <= hi && hi <= 8)) {
            return bad(format!(
                "char_ngrams must be (0, 0) or (lo, hi) with 1 <= lo <= hi <= 8, got ({lo}, {hi})"
            ));
        }
        if self.word_ngrams > 3 {
            return bad(format!(
                "word_ngrams must be 0..=3, got {}",
                self.word_ngrams
            ));
        }
        if self.word_ngrams == 0 && lo == 0 {
            return bad("no features: both word and character n-grams are off".into());
        }
        for (name, v) in [("l1", self.l1), ("l2", self.l2), ("beta", self.beta)] {
            if !v.is_finite() || v < 0.0 {
                return bad(format!("{name} must be a finite number >= 0, got {v}"));
            }
        }
        if !self.alpha.is_finite() || self.alpha <= 0.0 {
            return bad(format!(
                "alpha must be a finite number > 0, got {}",
                self.alpha
            ));
        }
        Ok(())
    }
}

/// One labelled document for training or evaluation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Example {
    /// The document text after `qorgau-normalize` (the model reads what
    /// the lexicon reads).
    pub text: String,
    /// Scenario label, e.g. `none` or `employment_abroad`.
    pub label: String,
    /// Whether a minor is targeted or involved, when the analyst said so.
    pub minor: Option<bool>,
}

/// SplitMix64: a tiny, fully specified generator, so the shuffling order
/// (and so the model) never depends on a dependency's version.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0), by rejection so there is no modulo bias.
    fn below(&mut self, n: u64) -> u64 {
        let zone = u64::MAX - u64::MAX % n;
        loop {
            let x = self.next();
            if x < zone {
                return x % n;
            }
        }
    }

    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            v.swap(i, j);
        }
    }
}

/// FTRL-proximal state of one weight vector laid out like the model's.
struct Ftrl {
    z: Vec<f32>,
    n: Vec<f32>,
    alpha: f32,
    beta: f32,
    l1: f32,
    l2: f32,
}

impl Ftrl {
    fn new(len: usize, opts: &TrainOptions, regularise: bool) -> Self {
        Ftrl {
            z: vec![0.0; len],
            n: vec![0.0; len],
            alpha: opts.alpha,
            beta: opts.beta,
            l1: if regularise { opts.l1 } else { 0.0 },
            l2: if regularise { opts.l2 } else { 0.0 },
        }
    }

    #[inline]
    fn weight(&self, i: usize) -> f32 {
        let z = self.z[i];
        if z.abs() <= self.l1 {
            0.0
        } else {
            -(z - z.signum() * self.l1) / ((self.beta + self.n[i].sqrt()) / self.alpha + self.l2)
        }
    }

    #[inline]
    fn update(&mut self, i: usize, w: f32, g: f32) {
        let n = self.n[i];
        let sigma = ((n + g * g).sqrt() - n.sqrt()) / self.alpha;
        self.z[i] += g - sigma * w;
        self.n[i] = n + g * g;
    }
}

/// Numerically stable softmax in place.
pub(crate) fn softmax(v: &mut [f32]) {
    let max = v.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut sum = 0.0;
    for x in v.iter_mut() {
        *x = (*x - max).exp();
        sum += *x;
    }
    if sum > 0.0 {
        for x in v.iter_mut() {
            *x /= sum;
        }
    }
}

/// Logistic function.
pub(crate) fn sigmoid(x: f32) -> f32 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

/// Trains a model on `examples` (their text already normalised).
/// `progress` is called after each epoch with the epoch number (from 1) and
/// the mean training loss of that epoch: class cross-entropy plus, for
/// examples that carry a minor label, the minor head's log loss, both
/// weighted as in training.
pub fn train(
    examples: &[Example],
    opts: &TrainOptions,
    progress: &dyn Fn(u32, f32),
) -> Result<Model, ModelError> {
    opts.validate()?;
    if examples.is_empty() {
        return Err(ModelError::NoExamples);
    }
    let mut labels = BTreeSet::new();
    for (index, e) in examples.iter().enumerate() {
        if e.label.trim().is_empty() {
            return Err(ModelError::EmptyLabel { index });
        }
        if e.label.trim() == MINOR_HEAD {
            return Err(ModelError::ReservedLabel { index });
        }
        labels.insert(e.label.trim());
    }
    let mut classes: Vec<String> = Vec::with_capacity(labels.len());
    if labels.remove(NONE_LABEL) {
        classes.push(NONE_LABEL.to_string());
    }
    classes.extend(labels.into_iter().map(str::to_string));
    if classes.len() < 2 {
        return Err(ModelError::SingleClass(classes.concat()));
    }
    let k = classes.len();
    let stride = k + 1;
    let index: HashMap<&str, usize> = classes
        .iter()
        .enumerate()
        .map(|(i, c)| (c.as_str(), i))
        .collect();
    let y: Vec<usize> = examples
        .iter()
        .map(|e| index.get(e.label.trim()).copied().unwrap_or(0))
        .collect();

    let cfg = opts.feature_config();
    let data: Vec<Vec<(u32, f32)>> = examples
        .iter()
        .map(|e| features::bucket_vector(&e.text, &cfg))
        .collect();

    let mut class_counts = vec![0usize; k];
    for &c in &y {
        class_counts[c] += 1;
    }
    let class_weight: Vec<f32> = class_counts
        .iter()
        .map(|&n| {
            if opts.balance_classes && n > 0 {
                (examples.len() as f32 / (k as f32 * n as f32)).clamp(0.05, 20.0)
            } else {
                1.0
            }
        })
        .collect();
    let minor_yes = examples.iter().filter(|e| e.minor == Some(true)).count();
    let minor_no = examples.iter().filter(|e| e.minor == Some(false)).count();
    let minor_head = minor_yes + minor_no > 0;
    let minor_weight = |m: bool| -> f32 {
        let n = if m { minor_yes } else { minor_no };
        if opts.balance_classes && n > 0 {
            ((minor_yes + minor_no) as f32 / (2.0 * n as f32)).clamp(0.05, 20.0)
        } else {
            1.0
        }
    };

    let buckets = cfg.buckets();
    let mut w = Ftrl::new(buckets * stride, opts, true);
    let mut b = Ftrl::new(stride, opts, false);
    let mut rng = SplitMix64(opts.seed);
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut cur: Vec<f32> = Vec::new();
    let mut logits = vec![0.0f32; stride];
    let mut grad = vec![0.0f32; stride];
    let mut final_loss = 0.0f32;

    for epoch in 1..=opts.epochs {
        rng.shuffle(&mut order);
        let mut loss_sum = 0.0f64;
        let mut weight_sum = 0.0f64;
        for &i in &order {
            let x = &data[i];
            // Current weights of the active rows, computed once per step.
            cur.clear();
            for &(bucket, _) in x {
                let row = bucket as usize * stride;
                for c in 0..stride {
                    cur.push(w.weight(row + c));
                }
            }
            for (c, l) in logits.iter_mut().enumerate() {
                *l = b.weight(c);
            }
            for (j, &(_, v)) in x.iter().enumerate() {
                let row = &cur[j * stride..(j + 1) * stride];
                for c in 0..stride {
                    logits[c] += v * row[c];
                }
            }
            let mut probs = logits[..k].to_vec();
            softmax(&mut probs);
            let cw = class_weight[y[i]];
            loss_sum += f64::from(-probs[y[i]].max(1e-12).ln() * cw);
            weight_sum += f64::from(cw);
            for c in 0..k {
                let target = if c == y[i] { 1.0 } else { 0.0 };
                grad[c] = (probs[c] - target) * cw;
            }
            grad[k] = 0.0;
            if let Some(m) = examples[i].minor {
                let p = sigmoid(logits[k]);
                let mw = minor_weight(m);
                let target = if m { 1.0 } else { 0.0 };
                let pt = if m { p } else { 1.0 - p };
                loss_sum += f64::from(-pt.max(1e-12).ln() * mw);
                grad[k] = (p - target) * mw;
            }
            for (j, &(bucket, v)) in x.iter().enumerate() {
                let row = bucket as usize * stride;
                for c in 0..stride {
                    if grad[c] != 0.0 {
                        w.update(row + c, cur[j * stride + c], grad[c] * v);
                    }
                }
            }
            for (c, &g) in grad.iter().enumerate() {
                if g != 0.0 {
                    let bw = b.weight(c);
                    b.update(c, bw, g);
                }
            }
        }
        let loss = if weight_sum > 0.0 {
            (loss_sum / weight_sum) as f32
        } else {
            0.0
        };
        progress(epoch, loss);
        final_loss = loss;
    }

    // Final weights, with the class part of every row centred: softmax is
    // unchanged by adding a constant to all class logits, and centring
    // makes each feature's contribution to one class read as "towards or
    // away from this class compared with the others".
    let mut weights = vec![0.0f32; buckets * stride];
    for row in 0..buckets {
        let base = row * stride;
        let mut any = false;
        for c in 0..stride {
            let v = w.weight(base + c);
            weights[base + c] = v;
            any |= v != 0.0;
        }
        if any {
            centre(&mut weights[base..base + k]);
        }
    }
    let mut bias: Vec<f32> = (0..stride).map(|c| b.weight(c)).collect();
    centre(&mut bias[..k]);
    if !minor_head {
        for row in 0..buckets {
            weights[row * stride + k] = 0.0;
        }
        bias[k] = 0.0;
    }

    let names = name_top_features(
        examples,
        &cfg,
        &weights,
        stride,
        minor_head,
        opts.named_features,
    );
    let created = opts
        .created
        .unwrap_or_else(|| chrono::Utc::now().date_naive())
        .format("%Y-%m-%d")
        .to_string();
    let info = ModelInfo {
        created,
        classes,
        minor_head,
        features: cfg,
        options: opts.clone(),
        examples: examples.len(),
        class_counts,
        minor_counts: (minor_yes, minor_no),
        final_loss,
    };
    Ok(Model::from_parts(info, weights, bias, names))
}

fn centre(v: &mut [f32]) {
    if v.is_empty() {
        return;
    }
    let mean = v.iter().sum::<f32>() / v.len() as f32;
    for x in v {
        *x -= mean;
    }
}

/// Example n-gram strings for the strongest buckets of every column: the
/// reverse map that hashing otherwise loses. Per bucket the n-gram seen
/// most often in training wins (ties: the smallest string).
fn name_top_features(
    examples: &[Example],
    cfg: &FeatureConfig,
    weights: &[f32],
    stride: usize,
    minor_head: bool,
    per_column: usize,
) -> BTreeMap<u32, NamedFeature> {
    if per_column == 0 {
        return BTreeMap::new();
    }
    let buckets = cfg.buckets();
    let columns = if minor_head { stride } else { stride - 1 };
    let mut wanted: BTreeSet<u32> = BTreeSet::new();
    for c in 0..columns {
        let mut col: Vec<(f32, u32)> = (0..buckets)
            .filter_map(|r| {
                let v = weights[r * stride + c];
                (v != 0.0).then_some((v.abs(), r as u32))
            })
            .collect();
        col.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        wanted.extend(col.iter().take(per_column).map(|e| e.1));
    }
    type Key = (String, FeatureKind, bool);
    let mut seen: HashMap<u32, HashMap<Key, u32>> = HashMap::new();
    for e in examples {
        let p = Prepared::new(&e.text);
        features::for_each(&p, cfg, |h, occ| {
            let (bucket, sign) = bucket_sign(h, cfg.buckets_log2);
            let bucket = bucket as u32;
            if wanted.contains(&bucket) {
                *seen
                    .entry(bucket)
                    .or_default()
                    .entry((occ.name(&p), occ.kind, sign < 0.0))
                    .or_default() += 1;
            }
        });
    }
    seen.into_iter()
        .filter_map(|(bucket, strings)| {
            strings
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
                .map(|((name, kind, negative), _)| {
                    (
                        bucket,
                        NamedFeature {
                            name,
                            kind,
                            negative,
                        },
                    )
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shuffle_is_a_permutation_and_seeded() {
        let mut a: Vec<u32> = (0..100).collect();
        let mut b = a.clone();
        SplitMix64(7).shuffle(&mut a);
        SplitMix64(7).shuffle(&mut b);
        assert_eq!(a, b);
        let mut sorted = a.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..100).collect::<Vec<_>>());
        assert_ne!(a, (0..100).collect::<Vec<_>>());
    }

    #[test]
    fn splitmix_reference_values() {
        // Reference output of SplitMix64 seeded with 0 (Vigna's splitmix64.c).
        let mut r = SplitMix64(0);
        assert_eq!(r.next(), 0xe220_a839_7b1d_cdaf);
        assert_eq!(r.next(), 0x6e78_9e6a_a1b9_65f4);
    }

    #[test]
    fn options_are_validated() {
        let bad = TrainOptions {
            buckets_log2: 30,
            ..TrainOptions::default()
        };
        assert!(matches!(
            train(&[], &bad, &|_, _| {}),
            Err(ModelError::InvalidOption(_))
        ));
        let none = TrainOptions {
            char_ngrams: (0, 0),
            word_ngrams: 0,
            ..TrainOptions::default()
        };
        assert!(matches!(
            train(&[], &none, &|_, _| {}),
            Err(ModelError::InvalidOption(_))
        ));
    }
}
