//! Measuring a model on labelled examples (`qorgau eval`), so analysts can
//! judge a model before it is allowed to move scores.

use std::fmt;

use serde::Serialize;

use crate::model::Model;
use crate::train::{Example, NONE_LABEL};

/// Threshold of the minor head in [`evaluate`].
pub const MINOR_THRESHOLD: f32 = 0.5;

/// Precision, recall and F1 of one class.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassMetrics {
    /// Class label.
    pub class: String,
    /// Of the examples predicted as this class, the share that are.
    pub precision: f64,
    /// Of the examples of this class, the share predicted as it.
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
    /// Examples of this class.
    pub support: usize,
    /// Examples predicted as this class.
    pub predicted: usize,
}

/// Counts and rates of a yes/no decision.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BinaryMetrics {
    /// Precision.
    pub precision: f64,
    /// Recall.
    pub recall: f64,
    /// F1.
    pub f1: f64,
    /// True positives.
    pub true_positives: usize,
    /// False positives.
    pub false_positives: usize,
    /// False negatives.
    pub false_negatives: usize,
    /// Examples counted.
    pub examples: usize,
}

impl BinaryMetrics {
    fn from_counts(tp: usize, fp: usize, fn_: usize, examples: usize) -> Self {
        let precision = ratio(tp, tp + fp);
        let recall = ratio(tp, tp + fn_);
        BinaryMetrics {
            precision,
            recall,
            f1: f1(precision, recall),
            true_positives: tp,
            false_positives: fp,
            false_negatives: fn_,
            examples,
        }
    }
}

/// Result of [`evaluate`]; printed as a table, or as JSON with `--json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    /// The model evaluated.
    pub model_version: String,
    /// Examples evaluated.
    pub examples: usize,
    /// Share of examples whose most probable class is their label.
    pub accuracy: f64,
    /// Mean F1 over the classes with support or predictions.
    pub macro_f1: f64,
    /// Per class, in `labels` order.
    pub classes: Vec<ClassMetrics>,
    /// Row and column labels of `confusion`: the model's classes, then any
    /// label it does not know.
    pub labels: Vec<String>,
    /// `confusion[truth][predicted]`.
    pub confusion: Vec<Vec<usize>>,
    /// "Any scenario" against `none`: what flagging would see. `None` when
    /// the model has no `none` class.
    pub risky: Option<BinaryMetrics>,
    /// The minor head at [`MINOR_THRESHOLD`], on examples that carry a
    /// minor label; `None` without a minor head or such examples.
    pub minor: Option<BinaryMetrics>,
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

/// Predicts every example and compares with its labels.
pub fn evaluate(model: &Model, examples: &[Example]) -> Evaluation {
    let mut labels: Vec<String> = model.classes().to_vec();
    for e in examples {
        let l = e.label.trim();
        if !labels.iter().any(|x| x == l) {
            labels.push(l.to_string());
        }
    }
    let n = labels.len();
    let mut confusion = vec![vec![0usize; n]; n];
    let (mut mtp, mut mfp, mut mfn, mut mcount) = (0, 0, 0, 0);
    for e in examples {
        let pred = model.predict(&e.text);
        let (best, _) = pred.best();
        let t = labels.iter().position(|x| x == e.label.trim()).unwrap_or(0);
        let p = labels.iter().position(|x| x == best).unwrap_or(0);
        confusion[t][p] += 1;
        if let (Some(truth), Some(prob)) = (e.minor, pred.minor) {
            let said = prob >= MINOR_THRESHOLD;
            mcount += 1;
            match (truth, said) {
                (true, true) => mtp += 1,
                (false, true) => mfp += 1,
                (true, false) => mfn += 1,
                (false, false) => {}
            }
        }
    }
    let correct: usize = (0..n).map(|i| confusion[i][i]).sum();
    let classes: Vec<ClassMetrics> = (0..n)
        .map(|i| {
            let support: usize = confusion[i].iter().sum();
            let predicted: usize = confusion.iter().map(|row| row[i]).sum();
            let precision = ratio(confusion[i][i], predicted);
            let recall = ratio(confusion[i][i], support);
            ClassMetrics {
                class: labels[i].clone(),
                precision,
                recall,
                f1: f1(precision, recall),
                support,
                predicted,
            }
        })
        .collect();
    let counted: Vec<&ClassMetrics> = classes
        .iter()
        .filter(|c| c.support + c.predicted > 0)
        .collect();
    let macro_f1 = if counted.is_empty() {
        0.0
    } else {
        counted.iter().map(|c| c.f1).sum::<f64>() / counted.len() as f64
    };
    let risky = labels.iter().position(|l| l == NONE_LABEL).map(|none| {
        let (mut tp, mut fp, mut fn_) = (0, 0, 0);
        for (t, row) in confusion.iter().enumerate() {
            for (p, &count) in row.iter().enumerate() {
                match (t != none, p != none) {
                    (true, true) => tp += count,
                    (false, true) => fp += count,
                    (true, false) => fn_ += count,
                    (false, false) => {}
                }
            }
        }
        BinaryMetrics::from_counts(tp, fp, fn_, examples.len())
    });
    let minor = (mcount > 0).then(|| BinaryMetrics::from_counts(mtp, mfp, mfn, mcount));
    Evaluation {
        model_version: model.version().to_string(),
        examples: examples.len(),
        accuracy: ratio(correct, examples.len()),
        macro_f1,
        classes,
        labels,
        confusion,
        risky,
        minor,
    }
}

impl fmt::Display for Evaluation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "model {}: {} examples",
            self.model_version, self.examples
        )?;
        writeln!(
            f,
            "accuracy {:.3}   macro F1 {:.3}",
            self.accuracy, self.macro_f1
        )?;
        let width = self
            .labels
            .iter()
            .map(|l| l.chars().count())
            .max()
            .unwrap_or(5)
            .max(5);
        writeln!(
            f,
            "{:<width$}  {:>9}  {:>6}  {:>6}  {:>7}",
            "class", "precision", "recall", "F1", "support"
        )?;
        for c in &self.classes {
            writeln!(
                f,
                "{:<width$}  {:>9.3}  {:>6.3}  {:>6.3}  {:>7}",
                c.class, c.precision, c.recall, c.f1, c.support
            )?;
        }
        for (name, m) in [
            ("any scenario vs none", &self.risky),
            ("minor", &self.minor),
        ] {
            if let Some(m) = m {
                writeln!(
                    f,
                    "{name}: precision {:.3}  recall {:.3}  F1 {:.3}  (TP {}, FP {}, FN {})",
                    m.precision,
                    m.recall,
                    m.f1,
                    m.true_positives,
                    m.false_positives,
                    m.false_negatives
                )?;
            }
        }
        writeln!(
            f,
            "confusion (rows: truth, columns: predicted, in class order above):"
        )?;
        for (label, row) in self.labels.iter().zip(&self.confusion) {
            write!(f, "{label:<width$}")?;
            for v in row {
                write!(f, " {v:>6}")?;
            }
            writeln!(f)?;
        }
        Ok(())
    }
}
