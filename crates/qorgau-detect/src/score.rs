//! Scoring a document against the lexicon, with the reasons for every score.
//!
//! Per scenario, each indicator that fired is read as an independent piece
//! of evidence of strength `weight` (its chance, on its own, of meaning the
//! scenario), and pieces combine like a noisy OR: `1 − Π(1 − wᵢ)`. A repeated
//! indicator adds less each time (`repeat_gain`); a combination of groups
//! that fire together («job» + «abroad» + «tickets paid» + «young women»)
//! adds its bonus as one more piece. Dampeners (warnings, news, licensed
//! agencies) then multiply the scores they apply to by `Π(1 − dⱼ)`. They
//! lower scores but never hide indicators: both lists are always reported.
//! The highest scenario score is the document's risk; a document at or above
//! `flag_threshold` is flagged for a person to review, never acted on.

use serde::Serialize;

use qorgau_normalize::Normalized;

use crate::fold::Folded;
use crate::lexicon::{Entry, Lexicon};
use crate::matcher::RawHit;
use crate::scenario::{Scenario, Target, serialize_opt_scenario};

/// At most this many occurrences of one entry are listed as reasons (a long
/// chat export can repeat a word thousands of times; scoring counts only
/// the first few repeats anyway).
pub const MAX_LISTED: u32 = 20;

/// Scores by scenario, plus the cross-cutting `minor_involved` score.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Scores {
    /// Jobs abroad and deceptive relocation.
    pub employment_abroad: f32,
    /// Model agencies, webcam, "online earnings".
    pub modeling_webcam: f32,
    /// Romance lures and grooming.
    pub romance_grooming: f32,
    /// Client-facing escort ads and control rules.
    pub escort_services: f32,
    /// Threats to publish intimate images, leak channels.
    pub sextortion: f32,
    /// Signs that a minor is targeted or involved.
    pub minor_involved: f32,
}

impl Scores {
    /// The score of one scenario.
    pub fn get(&self, s: Scenario) -> f32 {
        match s {
            Scenario::EmploymentAbroad => self.employment_abroad,
            Scenario::ModelingWebcam => self.modeling_webcam,
            Scenario::RomanceGrooming => self.romance_grooming,
            Scenario::EscortServices => self.escort_services,
            Scenario::Sextortion => self.sextortion,
        }
    }

    fn set(&mut self, t: Target, v: f32) {
        let slot = match t {
            Target::Scenario(Scenario::EmploymentAbroad) => &mut self.employment_abroad,
            Target::Scenario(Scenario::ModelingWebcam) => &mut self.modeling_webcam,
            Target::Scenario(Scenario::RomanceGrooming) => &mut self.romance_grooming,
            Target::Scenario(Scenario::EscortServices) => &mut self.escort_services,
            Target::Scenario(Scenario::Sextortion) => &mut self.sextortion,
            Target::MinorInvolved => &mut self.minor_involved,
            Target::Context | Target::Dampener => return,
        };
        *slot = v;
    }
}

/// One occurrence of a lexicon entry: what an investigator is shown to
/// explain a score, highlighted in the text as it was written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    /// Entry id in the lexicon.
    pub id: String,
    /// What the entry speaks to (a scenario, `minor_involved`, `context`
    /// or `dampener`).
    pub scenario: Target,
    /// The entry's group, used by `requires` and combinations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// The entry's weight.
    pub weight: f32,
    /// Byte offsets `[start, end)` in the ORIGINAL text.
    pub span: [usize; 2],
    /// The original text of the span, as written (obfuscation included).
    pub text: String,
    /// The pattern that matched, as written in the lexicon.
    pub pattern: String,
    /// The language key the pattern is listed under.
    pub lang: &'static str,
    /// Why this is an indicator, for the investigator.
    pub description: String,
}

/// A combination of groups that fired together and added a bonus.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComboHit {
    /// Combination id.
    pub id: String,
    /// The score it raised.
    pub scenario: Target,
    /// The groups that were all present.
    pub groups: Vec<String>,
    /// The bonus added as one more piece of evidence.
    pub bonus: f32,
    /// Why the combination matters.
    pub description: String,
}

/// The result of scoring one document, with everything needed to explain
/// and trace it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    /// Whether a person should review the document.
    pub flagged: bool,
    /// The highest scenario score.
    pub risk: f32,
    /// The scenario with the highest score, or `none` below the threshold.
    #[serde(serialize_with = "serialize_opt_scenario")]
    pub scenario: Option<Scenario>,
    /// Score per scenario and `minor_involved`.
    pub scores: Scores,
    /// Flagged, and the `minor_involved` score reaches its threshold.
    pub minor: bool,
    /// Indicators that fired (scenarios and `minor_involved`), in text order.
    pub indicators: Vec<Hit>,
    /// Context entries that fired (no score of their own).
    pub context: Vec<Hit>,
    /// Dampeners that applied.
    pub dampeners: Vec<Hit>,
    /// Combinations that added a bonus.
    pub combos: Vec<ComboHit>,
    /// The lexicon version that produced this assessment.
    pub lexicon_version: String,
}

/// Scores documents against one lexicon. Cheap to share between threads.
#[derive(Debug, Clone)]
pub struct Detector {
    lexicon: Lexicon,
}

impl Detector {
    /// A detector over `lexicon`.
    pub fn new(lexicon: Lexicon) -> Self {
        Detector { lexicon }
    }

    /// The lexicon in use.
    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// Normalises `original` and scores it.
    pub fn score_text(&self, original: &str) -> Assessment {
        let n = qorgau_normalize::normalize(original);
        self.score(original, &n)
    }

    /// Scores a document; `normalized` must be `normalize(original)`, so that
    /// spans can be mapped back to the original text.
    pub fn score(&self, original: &str, normalized: &Normalized) -> Assessment {
        let lex = &self.lexicon;
        let folded = Folded::new(&normalized.text);
        let raw = lex.matcher.find(&folded);

        let active = active_entries(lex, &raw);
        let mut present = vec![false; lex.groups.len()];
        for (e, on) in lex.entries.iter().zip(&active) {
            if *on && let Some(g) = e.group {
                present[usize::from(g)] = true;
            }
        }

        let mut counts = vec![0u32; lex.entries.len()];
        let mut indicators = Vec::new();
        let mut context = Vec::new();
        let mut dampeners = Vec::new();
        for h in &raw {
            let ei = h.entry as usize;
            if !active[ei] {
                continue;
            }
            counts[ei] += 1;
            if counts[ei] > MAX_LISTED {
                continue;
            }
            let Some(e) = lex.entries.get(ei) else {
                continue;
            };
            let hit = make_hit(lex, e, h, &folded, original, normalized);
            match e.target {
                Target::Dampener => {
                    if counts[ei] == 1 {
                        dampeners.push(hit);
                    }
                }
                Target::Context => context.push(hit),
                _ => indicators.push(hit),
            }
        }

        // Evidence per target, combined as a noisy OR.
        let sc = &lex.scoring;
        let targets = [
            Target::Scenario(Scenario::EmploymentAbroad),
            Target::Scenario(Scenario::ModelingWebcam),
            Target::Scenario(Scenario::RomanceGrooming),
            Target::Scenario(Scenario::EscortServices),
            Target::Scenario(Scenario::Sextortion),
            Target::MinorInvolved,
        ];
        let mut miss = [1.0f32; 6];
        let slot = |t: Target| targets.iter().position(|x| *x == t);
        for (e, &n) in lex.entries.iter().zip(&counts) {
            if n == 0 || matches!(e.target, Target::Context | Target::Dampener) {
                continue;
            }
            let mut factor = 1.0f32;
            let mut inc = 1.0f32;
            for _ in 1..n.min(sc.max_repeats.max(1)) {
                inc *= sc.repeat_gain;
                factor += inc;
            }
            let w = (e.weight * factor).min(sc.max_weight);
            if let Some(i) = slot(e.target) {
                miss[i] *= 1.0 - w;
            }
        }
        let mut combos = Vec::new();
        for c in &lex.combos {
            if c.groups.iter().all(|g| present[usize::from(*g)]) {
                if let Some(i) = slot(c.target) {
                    miss[i] *= 1.0 - c.bonus;
                }
                combos.push(ComboHit {
                    id: c.id.clone(),
                    scenario: c.target,
                    groups: c
                        .groups
                        .iter()
                        .map(|g| lex.groups[usize::from(*g)].clone())
                        .collect(),
                    bonus: c.bonus,
                    description: c.description.clone(),
                });
            }
        }
        let mut damp = [1.0f32; 6];
        for (e, &n) in lex.entries.iter().zip(&counts) {
            if n == 0 || e.target != Target::Dampener {
                continue;
            }
            for (i, t) in targets.iter().enumerate() {
                if e.applies_to.is_empty() || e.applies_to.contains(t) {
                    damp[i] *= 1.0 - e.weight;
                }
            }
        }
        let mut scores = Scores::default();
        for (i, t) in targets.iter().enumerate() {
            scores.set(*t, round4((1.0 - miss[i]) * damp[i]));
        }

        let (mut best, mut risk) = (None, 0.0f32);
        for s in Scenario::ALL {
            let v = scores.get(s);
            if v > risk {
                best = Some(s);
                risk = v;
            }
        }
        let flagged = risk >= sc.flag_threshold;
        let scenario = best.filter(|_| risk >= sc.scenario_threshold);
        let minor = flagged && scores.minor_involved >= sc.minor_threshold;
        Assessment {
            flagged,
            risk,
            scenario,
            scores,
            minor,
            indicators,
            context,
            dampeners,
            combos,
            lexicon_version: lex.version().to_string(),
        }
    }
}

fn round4(v: f32) -> f32 {
    (v.clamp(0.0, 1.0) * 10_000.0).round() / 10_000.0
}

/// Which entries fired with their `requires` satisfied and no `unless`
/// group matched. A requirement is met when ANOTHER entry of one of the
/// named groups matched in the document, whatever its own requirements:
/// entries that require each other («apartments» and «per hour») then
/// support each other instead of waiting for one another.
fn active_entries(lex: &Lexicon, raw: &[RawHit]) -> Vec<bool> {
    let mut fired = vec![false; lex.entries.len()];
    for h in raw {
        if let Some(f) = fired.get_mut(h.entry as usize) {
            *f = true;
        }
    }
    // Entries per group that matched (before `unless`, so that the outcome
    // does not depend on evaluation order).
    let mut providers = vec![0u32; lex.groups.len()];
    for (e, &f) in lex.entries.iter().zip(&fired) {
        if f && let Some(g) = e.group {
            providers[usize::from(g)] += 1;
        }
    }
    lex.entries
        .iter()
        .zip(&fired)
        .map(|(e, &f)| {
            let others = |g: u16| {
                let own = u32::from(e.group == Some(g));
                providers[usize::from(g)] > own
            };
            f && !e.unless.iter().any(|&g| providers[usize::from(g)] > 0)
                && e.requires
                    .iter()
                    .all(|alts| alts.iter().any(|&g| others(g)))
        })
        .collect()
}

fn make_hit(
    lex: &Lexicon,
    e: &Entry,
    h: &RawHit,
    folded: &Folded,
    original: &str,
    normalized: &Normalized,
) -> Hit {
    let fs = folded.tokens.get(h.first as usize).map_or(0, |r| r.start);
    let fe = folded.tokens.get(h.last as usize).map_or(fs, |r| r.end);
    let nr = folded.source_range(fs..fe);
    let or = normalized.original_range(nr);
    let text = original.get(or.clone()).unwrap_or_default().to_string();
    let p = e.patterns.get(h.pattern as usize);
    Hit {
        id: e.id.clone(),
        scenario: e.target,
        group: e.group.map(|g| lex.groups[usize::from(g)].clone()),
        weight: e.weight,
        span: [or.start, or.end],
        text,
        pattern: p.map(|p| p.source.clone()).unwrap_or_default(),
        lang: p.map_or("any", |p| p.lang),
        description: e.description.clone(),
    }
}
