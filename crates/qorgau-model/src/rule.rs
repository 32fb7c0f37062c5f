//! The rule by which the model may move a lexicon score.
//!
//! The lexicon is the primary, reviewable evidence; the model only nudges
//! it, and every nudge is bounded and explained. For one scenario (or for
//! "minor involved", with the minor head's probability):
//!
//! 1. Inputs are sanitised: the lexicon score is clamped to `0..=1` (NaN
//!    counts as 0), `max_shift` to `0..=`[`MAX_SHIFT_LIMIT`] (NaN counts as
//!    0), the model probability to `0..=1`; a NaN probability changes
//!    nothing.
//! 2. The model pulls the score **towards its own probability**, by at most
//!    `max_shift`: `shift = clamp(p − lexicon, −max_shift, +max_shift)`.
//!    When model and lexicon agree, nothing moves.
//! 3. **Lowering** is always allowed (it can only withdraw a flag, and a
//!    person still sees the lexicon indicators).
//! 4. **Raising** is allowed when a lexicon indicator of that scenario fired.
//!    When none fired, the model may raise the score only if its probability
//!    is at least [`STRONG_MODEL_PROBABILITY`] (0.9); the result is then
//!    marked [`Adjusted::model_only`], and it never exceeds `max_shift`.
//! 5. The result is `lexicon + shift`, so `|score − lexicon| ≤ max_shift`
//!    always holds (up to one f32 rounding step).
//!
//! **Flagging.** A document is flagged when its adjusted score reaches the
//! scan's threshold, which must be above `max_shift` (with the default
//! [`DEFAULT_MAX_SHIFT`] of 0.3, e.g. 0.5): then a model-only score can
//! never reach it. The one way the model alone brings a document to a
//! person is a `model_only` result: the scan may flag it only as
//! "model-only", and only with the model's explanation attached
//! ([`crate::Model::explanation`] for that scenario: the n-grams, weights
//! and spans that raised it). Its score (≤ `max_shift`) ranks it below every
//! lexicon-backed flag. Every moved score carries [`Adjusted::reason`] and
//! the model version.

use serde::Serialize;

/// Bound used when the caller has no reason to choose another.
pub const DEFAULT_MAX_SHIFT: f32 = 0.3;
/// No configuration may let the model move a score further than this.
pub const MAX_SHIFT_LIMIT: f32 = 0.5;
/// Probability the model needs to raise a score with no lexicon indicator.
pub const STRONG_MODEL_PROBABILITY: f32 = 0.9;

/// A lexicon score after the model's bounded adjustment, with the reason
/// in words for the analyst.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Adjusted {
    /// The adjusted score, `0..=1`.
    pub score: f32,
    /// The lexicon score as used (after clamping).
    pub lexicon_score: f32,
    /// `score − lexicon_score`.
    pub shift: f32,
    /// The bound in force (after clamping).
    pub bound: f32,
    /// The model wanted to move the score further than the bound allows.
    pub bound_reached: bool,
    /// The score was raised although no lexicon indicator fired: the scan
    /// may flag it only as model-only, with the model's explanation shown.
    pub model_only: bool,
    /// What happened, in one sentence.
    pub reason: String,
}

/// Combines a lexicon score with the model's probability for the same
/// scenario under the rule in the module documentation.
pub fn adjust(
    lexicon_score: f32,
    lexicon_fired: bool,
    model_prob: f32,
    max_shift: f32,
) -> Adjusted {
    let lex = if lexicon_score.is_nan() {
        0.0
    } else {
        lexicon_score.clamp(0.0, 1.0)
    };
    let bound = if max_shift.is_nan() {
        0.0
    } else {
        max_shift.clamp(0.0, MAX_SHIFT_LIMIT)
    };
    let unchanged = |reason: String| Adjusted {
        score: lex,
        lexicon_score: lex,
        shift: 0.0,
        bound,
        bound_reached: false,
        model_only: false,
        reason,
    };
    if model_prob.is_nan() {
        return unchanged(format!(
            "lexicon {lex:.2}; the model gave no probability: unchanged"
        ));
    }
    let p = model_prob.clamp(0.0, 1.0);
    let wanted = p - lex;
    let evidence = if lexicon_fired {
        format!("lexicon {lex:.2}, model {p:.2}")
    } else {
        format!("no lexicon indicator (score {lex:.2}), model {p:.2}")
    };
    if wanted > 0.0 && !lexicon_fired && p < STRONG_MODEL_PROBABILITY {
        return unchanged(format!(
            "{evidence}: not raised, the model alone needs at least {STRONG_MODEL_PROBABILITY:.2}"
        ));
    }
    let shift = wanted.clamp(-bound, bound);
    let score = (lex + shift).clamp(0.0, 1.0);
    let shift = score - lex;
    let bound_reached = wanted.abs() > bound;
    let model_only = !lexicon_fired && shift > 0.0;
    let limit = if bound_reached {
        format!(" (bound ±{bound:.2} reached)")
    } else {
        String::new()
    };
    let reason = if shift > 0.0 && model_only {
        format!(
            "{evidence}: raised by {shift:.2}{limit} on the model's evidence alone; flag only as model-only, with the model's explanation"
        )
    } else if shift > 0.0 {
        format!("{evidence}: raised by {shift:.2}{limit}")
    } else if shift < 0.0 {
        format!("{evidence}: lowered by {:.2}{limit}", -shift)
    } else {
        format!("{evidence}: unchanged")
    };
    Adjusted {
        score,
        lexicon_score: lex,
        shift,
        bound,
        bound_reached,
        model_only,
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_towards_the_model_within_the_bound() {
        let a = adjust(0.4, true, 0.95, 0.3);
        assert!((a.score - 0.7).abs() < 1e-6);
        assert!(a.bound_reached);
        assert!(!a.model_only);
        assert!(a.reason.contains("raised by 0.30"), "{}", a.reason);

        let b = adjust(0.8, true, 0.7, 0.3);
        assert!((b.score - 0.7).abs() < 1e-6);
        assert!(!b.bound_reached);
        assert!(b.reason.contains("lowered by 0.10"), "{}", b.reason);

        let c = adjust(0.9, true, 0.0, 0.3);
        assert!((c.score - 0.6).abs() < 1e-6);
    }

    #[test]
    fn without_lexicon_evidence_only_a_strong_model_raises() {
        let weak = adjust(0.0, false, 0.85, 0.3);
        assert_eq!(weak.score, 0.0);
        assert!(!weak.model_only);
        assert!(weak.reason.contains("not raised"));

        let strong = adjust(0.0, false, 0.97, 0.3);
        assert!((strong.score - 0.3).abs() < 1e-6);
        assert!(strong.model_only);
        assert!(strong.reason.contains("model-only"));
    }

    #[test]
    fn bound_is_capped_and_nan_is_harmless() {
        let a = adjust(0.0, true, 1.0, 5.0);
        assert!((a.score - MAX_SHIFT_LIMIT).abs() < 1e-6);
        let b = adjust(f32::NAN, true, 0.9, 0.3);
        assert!((b.score - 0.3).abs() < 1e-6);
        let c = adjust(0.5, true, f32::NAN, 0.3);
        assert_eq!(c.score, 0.5);
        let d = adjust(0.5, true, 1.0, f32::NAN);
        assert_eq!(d.score, 0.5);
    }
}
