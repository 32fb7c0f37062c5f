//! The assessment: from the investigator's answers to a ranked list of candidate
//! article parts, each explaining itself. The engine proposes; a person qualifies.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::Library;
use crate::error::AssessError;
use crate::model::{
    Article, ArticleKind, Condition, Part, Penalty, Punishment, PunishmentKind, ReconciliationRule,
    Text3,
};

/// An answer to one question, and the three-valued truth the engine reasons with.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Answer {
    /// Established.
    Yes,
    /// Established not to be so.
    No,
    /// Not (yet) known: to be proven or ruled out.
    #[default]
    Unknown,
}

impl Answer {
    fn and(self, other: Self) -> Self {
        match (self, other) {
            (Self::No, _) | (_, Self::No) => Self::No,
            (Self::Yes, Self::Yes) => Self::Yes,
            _ => Self::Unknown,
        }
    }

    fn or(self, other: Self) -> Self {
        match (self, other) {
            (Self::Yes, _) | (_, Self::Yes) => Self::Yes,
            (Self::No, Self::No) => Self::No,
            _ => Self::Unknown,
        }
    }
}

/// The investigator's answers, fact id → answer. Facts not listed are unknown.
/// Serialises as a plain JSON object (`{"recruitment": "yes"}`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Answers {
    map: BTreeMap<String, Answer>,
}

impl Answers {
    /// No answers yet: everything unknown.
    pub fn new() -> Self {
        Self::default()
    }

    /// Answers with every listed fact "yes" — the usual way to state a fact pattern.
    pub fn yes<'a>(facts: impl IntoIterator<Item = &'a str>) -> Self {
        let mut a = Self::new();
        for f in facts {
            a.set(f, Answer::Yes);
        }
        a
    }

    /// Records (or replaces) one answer.
    pub fn set(&mut self, fact: impl Into<String>, answer: Answer) -> &mut Self {
        self.map.insert(fact.into(), answer);
        self
    }

    /// Builder form of [`Answers::set`].
    #[must_use]
    pub fn with(mut self, fact: impl Into<String>, answer: Answer) -> Self {
        self.set(fact, answer);
        self
    }

    /// The answer given for a fact (unknown if none).
    pub fn get(&self, fact: &str) -> Answer {
        self.map.get(fact).copied().unwrap_or_default()
    }

    /// All answers given, in fact-id order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, Answer)> {
        self.map.iter().map(|(k, v)| (k.as_str(), *v))
    }
}

/// A fact as it bears on a candidate: what it is and how it was answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FactRef {
    /// The fact id.
    pub id: String,
    /// Its label in three languages.
    pub label: Text3,
    /// The effective answer (given or derived).
    pub answer: Answer,
    /// When the answer was not given but follows from another fact, that fact.
    pub derived_from: Option<String>,
}

/// Something still to prove: establishing any one of these facts meets it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Need {
    /// The facts, any one of which suffices (one fact: that fact is needed).
    pub one_of: Vec<FactRef>,
}

/// One way of fulfilling the corpus (an alternative of the disposition).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WayReport {
    /// Russian label.
    pub label_ru: String,
    /// English label.
    pub label_en: String,
    /// Whether this way is established, refuted or open.
    pub status: Answer,
    /// Facts answered yes that it rests on.
    pub established: Vec<FactRef>,
    /// What remains to prove for this way.
    pub to_prove: Vec<Need>,
}

/// The base corpus (состав) of a candidate: the part-1 elements it rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorpusReport {
    /// The part whose disposition is the corpus (the candidate's own part or its base).
    pub part: String,
    /// Established, refuted or open.
    pub status: Answer,
    /// Facts answered yes among the corpus's required conditions.
    pub established: Vec<FactRef>,
    /// What remains to prove among the required conditions.
    pub to_prove: Vec<Need>,
    /// The alternative ways, one of which must hold (empty when there is no choice).
    pub ways: Vec<WayReport>,
}

/// One qualifying feature (пункт) of a part and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeatureReport {
    /// Item number ("1-1"); empty when the Code does not number it.
    pub item: String,
    /// The item's text as quoted.
    pub text_ru: String,
    /// Proven, refuted or open.
    pub status: Answer,
    /// Facts answered yes for it.
    pub established: Vec<FactRef>,
    /// What would prove it.
    pub to_prove: Vec<Need>,
    /// The telecom-network aggravation.
    pub telecom: bool,
}

/// How far the answers carry a candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CandidateStatus {
    /// Every element of the part has been answered "yes". Still a candidate: a
    /// person weighs the evidence and decides.
    AllElementsAnswered,
    /// Nothing rules the part out, but some elements are still to prove.
    ToProve,
}

/// A structured summary of a sanction, for display and ranking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PenaltySummary {
    /// The imprisonment range, if the sanction provides imprisonment.
    pub imprisonment: Option<YearsRange>,
    /// The sanction as data.
    pub penalty: Penalty,
    /// Rendered in Russian.
    pub text_ru: String,
    /// Rendered in English.
    pub text_en: String,
}

/// A term in years; `min_years` absent when the sanction states only the maximum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearsRange {
    /// Lower bound, if stated.
    pub min_years: Option<u32>,
    /// Upper bound.
    pub max_years: u32,
}

/// Where the telecom-network aggravation stands for one candidate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TelecomMark {
    /// The effective answer to the telecom question.
    pub answer: Answer,
    /// The item of this part that carries the aggravation, if any.
    pub item_in_this_part: Option<String>,
    /// Parts of this article that carry it (article-wide view).
    pub carried_by: Vec<PartItem>,
    /// True when the answer is yes and this part carries it: the aggravation applies here.
    pub applies: bool,
    /// Explanation (Russian).
    pub note_ru: String,
    /// Explanation (English).
    pub note_en: String,
}

/// A part and item of an article.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PartItem {
    /// Article number.
    pub article: u16,
    /// Part number.
    pub part: String,
    /// Item within the part (may be empty).
    pub item: String,
}

/// Whether release by reconciliation is excluded, as far as the data says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReconciliationStatus {
    /// A trafficking-related crime (art. 3 item 1-1): no termination or release
    /// in connection with reconciliation.
    Excluded,
    /// The study does not list this deed as trafficking-related; this crate does
    /// not decide whether reconciliation is available.
    NotDetermined,
}

/// The reconciliation mark of one candidate, with its source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReconciliationMark {
    /// Excluded or not determined.
    pub status: ReconciliationStatus,
    /// Explanation (Russian).
    pub note_ru: String,
    /// Explanation (English).
    pub note_en: String,
    /// Source of the rule (Russian).
    pub source_ru: String,
}

/// A bilingual note attached to a candidate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    /// Russian.
    pub ru: String,
    /// English.
    pub en: String,
}

/// One candidate article part, with everything needed to see why it is listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    /// 1-based position in the ranking.
    pub rank: usize,
    /// Article number.
    pub article: u16,
    /// Part number (empty when the source names none).
    pub part: String,
    /// "ст. 128 ч. 2 УК РК".
    pub reference_ru: String,
    /// "art. 128 part 2 of the Criminal Code of RK".
    pub reference_en: String,
    /// Article title (Russian).
    pub title_ru: String,
    /// Article title (English).
    pub title_en: String,
    /// Direct, related or referenced.
    pub kind: ArticleKind,
    /// How far the answers carry it.
    pub status: CandidateStatus,
    /// The disposition as quoted (or the study's description when `text_quoted` is false).
    pub text_ru: String,
    /// Whether `text_ru` is the Code as quoted in Annex 3.
    pub text_quoted: bool,
    /// Whether the Annex abbreviates this part or omits its sanction.
    pub abbreviated: bool,
    /// What the source omits for this article.
    pub omissions: Option<Note>,
    /// The base corpus and how it stands.
    pub corpus: CorpusReport,
    /// Whether the part needs a qualifying feature (parts other than the base).
    pub needs_feature: bool,
    /// Qualifying features answered yes.
    pub features_proven: Vec<FeatureReport>,
    /// Qualifying features not yet proven nor refuted.
    pub features_unproven: Vec<FeatureReport>,
    /// Qualifying features answered no.
    pub features_refuted: Vec<FeatureReport>,
    /// Every unknown fact that bears on this part: the questions to pursue.
    pub open_questions: Vec<FactRef>,
    /// The sanction as quoted (Russian).
    pub penalty_text_ru: Option<String>,
    /// The sanction as data; `None` when Annex 3 does not quote it.
    pub penalty: Option<PenaltySummary>,
    /// The telecom-network aggravation for this candidate.
    pub telecom: TelecomMark,
    /// Whether reconciliation is excluded.
    pub reconciliation: ReconciliationMark,
    /// Other parts of the same article whose elements are all answered yes.
    pub also_supported_parts: Vec<String>,
    /// Notes: the article's own notes, special-norm hints.
    pub notes: Vec<Note>,
    /// Source of the text (Russian).
    pub source_ru: String,
    /// Source of the text (English).
    pub source_en: String,
    /// Data file and line the part comes from.
    pub data_file: String,
    /// Line of the part in `data_file`.
    pub data_line: usize,
    /// The whole explanation as Russian text.
    pub explanation_ru: String,
    /// The whole explanation as English text.
    pub explanation_en: String,
}

/// A part that some answer points to but another answer rules out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Excluded {
    /// Article number.
    pub article: u16,
    /// Part number.
    pub part: String,
    /// "ст. 134 ч. 1 УК РК".
    pub reference_ru: String,
    /// "art. 134 part 1 …".
    pub reference_en: String,
    /// The answers "no" that rule it out.
    pub refuted_by: Vec<FactRef>,
}

/// An answer that follows from another answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DerivedFact {
    /// The fact whose answer was derived.
    pub fact: String,
    /// The derived answer.
    pub answer: Answer,
    /// The fact it follows from.
    pub from: String,
}

/// Two answers that contradict each other (e.g. "under 14: yes", "minor: no").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    /// The fact answered yes.
    pub fact: String,
    /// The fact it implies, answered no.
    pub implied: String,
}

/// The telecom-network aggravation across the whole assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TelecomSummary {
    /// The fact that stands for it.
    pub fact: String,
    /// Its effective answer.
    pub answer: Answer,
    /// The Code's wording.
    pub text_ru: String,
    /// Source of the rule.
    pub source_ru: String,
    /// Every part and item in the data that carries it.
    pub carried_by: Vec<PartItem>,
    /// Candidates on which it applies (answer yes, part carries it).
    pub applies_to: Vec<PartItem>,
}

/// The result of an assessment: candidates for a person to weigh, never a decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    /// The data edition used (for the record).
    pub edition: String,
    /// The standing notice that this is a list of candidates (Russian).
    pub notice_ru: String,
    /// The standing notice (English).
    pub notice_en: String,
    /// Candidate parts, best supported first.
    pub candidates: Vec<Candidate>,
    /// Parts an answer points to but another answer rules out.
    pub excluded: Vec<Excluded>,
    /// The telecom-network aggravation overall.
    pub telecom: TelecomSummary,
    /// The reconciliation rule with its source.
    pub reconciliation: ReconciliationRule,
    /// Answers derived from others.
    pub derived: Vec<DerivedFact>,
    /// Contradicting answers (the given answers are kept as given).
    pub conflicts: Vec<Conflict>,
    /// Unknown facts that bear on the most candidates: what to ask next.
    pub suggested_questions: Vec<FactRef>,
}

impl Assessment {
    /// The candidate for an article part, if listed.
    pub fn candidate(&self, article: u16, part: &str) -> Option<&Candidate> {
        self.candidates
            .iter()
            .find(|c| c.article == article && c.part == part)
    }
}

/// The notice that goes with every assessment.
const NOTICE_RU: &str = "Перечень кандидатов для квалификации, составленный по ответам на вопросы. Это не квалификация и не решение: оценивает доказательства и принимает решение следователь, прокурор, суд.";
const NOTICE_EN: &str = "A list of candidate qualifications built from the answers given. It is not a qualification and not a decision: the investigator, prosecutor and court weigh the evidence and decide.";

// ------------------------------------------------------------------ evaluation

type Effective = BTreeMap<String, (Answer, Option<String>)>;

struct Ctx<'a> {
    lib: &'a Library,
    eff: Effective,
}

impl Ctx<'_> {
    fn answer(&self, id: &str) -> Answer {
        self.eff.get(id).map_or(Answer::Unknown, |(a, _)| *a)
    }

    fn fact_ref(&self, id: &str) -> FactRef {
        let (answer, derived_from) = self.eff.get(id).cloned().unwrap_or((Answer::Unknown, None));
        let label = self.lib.fact(id).map_or_else(
            || Text3 {
                ru: id.to_string(),
                kk: id.to_string(),
                en: id.to_string(),
            },
            |f| f.label.clone(),
        );
        FactRef {
            id: id.to_string(),
            label,
            answer,
            derived_from,
        }
    }

    fn condition(&self, c: &Condition) -> Answer {
        let mut t = Answer::Yes;
        for f in &c.all_of {
            t = t.and(self.answer(f));
        }
        if !c.any_of.is_empty() {
            let any = c
                .any_of
                .iter()
                .fold(Answer::No, |acc, f| acc.or(self.answer(f)));
            t = t.and(any);
        }
        t
    }

    fn facts_with(&self, c: &Condition, want: Answer) -> Vec<FactRef> {
        c.all_of
            .iter()
            .chain(c.any_of.iter())
            .filter(|f| self.answer(f) == want)
            .map(|f| self.fact_ref(f))
            .collect()
    }

    /// What is left to prove for a condition that is still open.
    fn needs(&self, c: &Condition) -> Vec<Need> {
        if self.condition(c) != Answer::Unknown {
            return Vec::new();
        }
        let mut needs: Vec<Need> = c
            .all_of
            .iter()
            .filter(|f| self.answer(f) == Answer::Unknown)
            .map(|f| Need {
                one_of: vec![self.fact_ref(f)],
            })
            .collect();
        if !c.any_of.is_empty() && !c.any_of.iter().any(|f| self.answer(f) == Answer::Yes) {
            let one_of: Vec<FactRef> = c
                .any_of
                .iter()
                .filter(|f| self.answer(f) == Answer::Unknown)
                .map(|f| self.fact_ref(f))
                .collect();
            if !one_of.is_empty() {
                needs.push(Need { one_of });
            }
        }
        needs
    }

    /// The facts answered "no" that make a refuted condition false.
    fn refuting(&self, c: &Condition) -> Vec<FactRef> {
        if self.condition(c) != Answer::No {
            return Vec::new();
        }
        let mut out: Vec<FactRef> = c
            .all_of
            .iter()
            .filter(|f| self.answer(f) == Answer::No)
            .map(|f| self.fact_ref(f))
            .collect();
        if !c.any_of.is_empty() && c.any_of.iter().all(|f| self.answer(f) == Answer::No) {
            out.extend(c.any_of.iter().map(|f| self.fact_ref(f)));
        }
        out
    }
}

fn dedup(facts: Vec<FactRef>) -> Vec<FactRef> {
    let mut seen = BTreeSet::new();
    facts
        .into_iter()
        .filter(|f| seen.insert(f.id.clone()))
        .collect()
}

/// Everything computed for one part before ranking.
struct PartEval<'a> {
    article: &'a Article,
    part: &'a Part,
    truth: Answer,
    /// At least one corpus fact answered yes: the part is in play.
    anchored: bool,
    corpus: CorpusReport,
    features: Vec<FeatureReport>,
    refuted_by: Vec<FactRef>,
    open_questions: Vec<FactRef>,
    /// Share of elements established, for ranking open candidates.
    progress: f64,
}

fn eval_part<'a>(ctx: &Ctx<'_>, article: &'a Article, part: &'a Part) -> PartEval<'a> {
    let corpus_part = part
        .base
        .as_ref()
        .and_then(|b| article.part(b))
        .unwrap_or(part);

    let mut elements = 0usize;
    let mut met = 0usize;
    let mut established = Vec::new();
    let mut to_prove = Vec::new();
    let mut refuted_by = Vec::new();
    let mut open = Vec::new();
    let mut corpus_truth = Answer::Yes;
    let mut anchored = false;
    for c in &corpus_part.required {
        let t = ctx.condition(c);
        corpus_truth = corpus_truth.and(t);
        elements += 1;
        if t == Answer::Yes {
            met += 1;
        }
        let yes = ctx.facts_with(c, Answer::Yes);
        anchored |= !yes.is_empty();
        established.extend(yes);
        to_prove.extend(ctx.needs(c));
        refuted_by.extend(ctx.refuting(c));
        open.extend(ctx.facts_with(c, Answer::Unknown));
    }
    let mut ways = Vec::new();
    if !corpus_part.alternatives.is_empty() {
        let mut any = Answer::No;
        let mut way_refuted = Vec::new();
        for alt in &corpus_part.alternatives {
            let mut t = Answer::Yes;
            let mut yes = Vec::new();
            let mut needs = Vec::new();
            for c in &alt.conditions {
                t = t.and(ctx.condition(c));
                yes.extend(ctx.facts_with(c, Answer::Yes));
                needs.extend(ctx.needs(c));
                way_refuted.extend(ctx.refuting(c));
                open.extend(ctx.facts_with(c, Answer::Unknown));
            }
            anchored |= !yes.is_empty();
            any = any.or(t);
            ways.push(WayReport {
                label_ru: alt.label_ru.clone(),
                label_en: alt.label_en.clone(),
                status: t,
                established: dedup(yes),
                to_prove: if t == Answer::Unknown {
                    needs
                } else {
                    Vec::new()
                },
            });
        }
        corpus_truth = corpus_truth.and(any);
        elements += 1;
        if any == Answer::Yes {
            met += 1;
        }
        if any == Answer::No {
            refuted_by.extend(way_refuted);
        }
    }

    let mut features = Vec::new();
    let mut feature_truth = Answer::Yes;
    if !part.features.is_empty() {
        feature_truth = Answer::No;
        for f in &part.features {
            let t = ctx.condition(&f.condition);
            feature_truth = feature_truth.or(t);
            open.extend(ctx.facts_with(&f.condition, Answer::Unknown));
            features.push(FeatureReport {
                item: f.item.clone(),
                text_ru: f.text_ru.clone(),
                status: t,
                established: ctx.facts_with(&f.condition, Answer::Yes),
                to_prove: ctx.needs(&f.condition),
                telecom: f.telecom,
            });
        }
        elements += 1;
        if feature_truth == Answer::Yes {
            met += 1;
        }
        if feature_truth == Answer::No {
            for f in &part.features {
                refuted_by.extend(ctx.refuting(&f.condition));
            }
        }
    }

    let truth = corpus_truth.and(feature_truth);
    // Once the corpus is established, the facts of its unchosen ways are no
    // longer questions; likewise the features once one is proven.
    let corpus_done = corpus_truth == Answer::Yes;
    let open: Vec<FactRef> = open
        .into_iter()
        .filter(|f| {
            let in_corpus = corpus_part.required.iter().any(|c| mentions(c, &f.id))
                || corpus_part
                    .alternatives
                    .iter()
                    .any(|a| a.conditions.iter().any(|c| mentions(c, &f.id)));
            let in_features = part.features.iter().any(|x| mentions(&x.condition, &f.id));
            (in_corpus && !corpus_done) || (in_features && feature_truth != Answer::Yes)
        })
        .collect();
    PartEval {
        article,
        part,
        truth,
        anchored,
        corpus: CorpusReport {
            part: corpus_part.number.clone(),
            status: corpus_truth,
            established: dedup(established),
            to_prove,
            ways,
        },
        features,
        refuted_by: dedup(refuted_by),
        open_questions: dedup(open),
        progress: if elements == 0 {
            1.0
        } else {
            met as f64 / elements as f64
        },
    }
}

fn mentions(c: &Condition, id: &str) -> bool {
    c.all_of.iter().chain(c.any_of.iter()).any(|f| f == id)
}

// ------------------------------------------------------------------ rendering

fn reference_ru(article: u16, part: &str) -> String {
    if part.is_empty() {
        format!("ст. {article} УК РК")
    } else {
        format!("ст. {article} ч. {part} УК РК")
    }
}

fn reference_en(article: u16, part: &str) -> String {
    if part.is_empty() {
        format!("art. {article} of the Criminal Code of RK")
    } else {
        format!("art. {article} part {part} of the Criminal Code of RK")
    }
}

fn years_ru(n: u32) -> &'static str {
    let (m10, m100) = (n % 10, n % 100);
    if m10 == 1 && m100 != 11 {
        "года"
    } else {
        "лет"
    }
}

fn term_ru(p: &Punishment) -> String {
    match (p.min_years, p.max_years) {
        (Some(min), Some(max)) => format!("от {min} до {max} {}", years_ru(max)),
        (None, Some(max)) => format!("до {max} {}", years_ru(max)),
        _ => String::new(),
    }
}

fn term_en(p: &Punishment) -> String {
    match (p.min_years, p.max_years) {
        (Some(min), Some(max)) => format!("from {min} to {max} years"),
        (None, Some(max)) => format!("up to {max} years"),
        _ => String::new(),
    }
}

fn punishment_ru(p: &Punishment) -> String {
    use PunishmentKind as K;
    let s = match p.kind {
        K::Imprisonment => format!("лишение свободы {}", term_ru(p)),
        K::RestrictionOfLiberty => format!("ограничение свободы {}", term_ru(p)),
        K::Fine => format!("штраф до {} МРП", p.max_mrp.unwrap_or(0)),
        K::CorrectionalWorks => format!("исправительные работы до {} МРП", p.max_mrp.unwrap_or(0)),
        K::CommunityWorks => format!("общественные работы до {} часов", p.max_hours.unwrap_or(0)),
        K::Confiscation => "конфискация имущества".to_string(),
        K::DeprivationOfRight => {
            let base = "лишение права занимать определённые должности или заниматься определённой деятельностью";
            if p.lifetime {
                format!("пожизненное {base}")
            } else {
                format!("{base} {}", term_ru(p))
            }
        }
    };
    if p.optional {
        format!("{s} (или без такового)")
    } else {
        s
    }
}

fn punishment_en(p: &Punishment) -> String {
    use PunishmentKind as K;
    let s = match p.kind {
        K::Imprisonment => format!("imprisonment {}", term_en(p)),
        K::RestrictionOfLiberty => format!("restriction of liberty {}", term_en(p)),
        K::Fine => format!("a fine of up to {} MCI", p.max_mrp.unwrap_or(0)),
        K::CorrectionalWorks => {
            format!("correctional works of up to {} MCI", p.max_mrp.unwrap_or(0))
        }
        K::CommunityWorks => format!(
            "community works of up to {} hours",
            p.max_hours.unwrap_or(0)
        ),
        K::Confiscation => "confiscation of property".to_string(),
        K::DeprivationOfRight => {
            let base = "deprivation of the right to hold certain positions or engage in certain activities";
            if p.lifetime {
                format!("{base} for life")
            } else {
                format!("{base} {}", term_en(p))
            }
        }
    };
    if p.optional {
        format!("{s} (optional)")
    } else {
        s
    }
}

fn summarize_penalty(p: &Penalty) -> PenaltySummary {
    let imprisonment = p
        .main
        .iter()
        .find(|m| m.kind == PunishmentKind::Imprisonment)
        .and_then(|m| {
            m.max_years.map(|max| YearsRange {
                min_years: m.min_years,
                max_years: max,
            })
        });
    let main_ru: Vec<String> = p.main.iter().map(punishment_ru).collect();
    let main_en: Vec<String> = p.main.iter().map(punishment_en).collect();
    let mut text_ru = main_ru.join(" либо ");
    let mut text_en = main_en.join(", or ");
    if !p.additional.is_empty() {
        let add_ru: Vec<String> = p.additional.iter().map(punishment_ru).collect();
        let add_en: Vec<String> = p.additional.iter().map(punishment_en).collect();
        text_ru.push_str("; дополнительно: ");
        text_ru.push_str(&add_ru.join(", "));
        text_en.push_str("; additionally: ");
        text_en.push_str(&add_en.join(", "));
    }
    PenaltySummary {
        imprisonment,
        penalty: p.clone(),
        text_ru,
        text_en,
    }
}

fn severity(part: &Part) -> u32 {
    part.penalty
        .as_ref()
        .map(|p| {
            p.main
                .iter()
                .filter(|m| m.kind == PunishmentKind::Imprisonment)
                .filter_map(|m| m.max_years)
                .max()
                .unwrap_or(0)
        })
        .unwrap_or(0)
}

fn labels_ru(facts: &[FactRef]) -> String {
    facts
        .iter()
        .map(|f| f.label.ru.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

fn labels_en(facts: &[FactRef]) -> String {
    facts
        .iter()
        .map(|f| f.label.en.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

fn needs_ru(needs: &[Need]) -> String {
    needs
        .iter()
        .map(|n| match n.one_of.as_slice() {
            [one] => one.label.ru.clone(),
            many => format!("одно из: {}", labels_ru(many).replace("; ", " / ")),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn needs_en(needs: &[Need]) -> String {
    needs
        .iter()
        .map(|n| match n.one_of.as_slice() {
            [one] => one.label.en.clone(),
            many => format!("one of: {}", labels_en(many).replace("; ", " / ")),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn item_name_ru(f: &FeatureReport) -> String {
    if f.item.is_empty() {
        format!("«{}»", f.text_ru)
    } else {
        format!("п. {}) «{}»", f.item, f.text_ru)
    }
}

fn item_name_en(f: &FeatureReport) -> String {
    let facts: Vec<FactRef> = f
        .established
        .iter()
        .cloned()
        .chain(f.to_prove.iter().flat_map(|n| n.one_of.iter().cloned()))
        .collect();
    let what = if facts.is_empty() {
        f.text_ru.clone()
    } else {
        labels_en(&facts).replace("; ", " / ")
    };
    if f.item.is_empty() {
        format!("\"{what}\"")
    } else {
        format!("item {} (\"{what}\")", f.item)
    }
}

fn explain(c: &Candidate) -> (String, String) {
    let mut ru = Vec::new();
    let mut en = Vec::new();
    let (status_ru, status_en) = match c.status {
        CandidateStatus::AllElementsAnswered => (
            "все элементы подтверждены ответами «да»",
            "every element answered \"yes\"",
        ),
        CandidateStatus::ToProve => (
            "часть элементов ещё предстоит доказать",
            "some elements are still to prove",
        ),
    };
    ru.push(format!(
        "Кандидат: {} «{}» — {status_ru}.",
        c.reference_ru, c.title_ru
    ));
    en.push(format!(
        "Candidate: {} \"{}\" — {status_en}.",
        c.reference_en, c.title_en
    ));
    if !c.text_quoted {
        ru.push("Текст статьи в Приложении 3 не приведён; основание — описание в разделе 2.3.1 исследования.".into());
        en.push("The article's text is not quoted in Annex 3; the basis is the description in the study's section 2.3.1.".into());
    }

    // Corpus.
    let base_ru = if c.corpus.part == c.part || c.corpus.part.is_empty() {
        String::new()
    } else {
        format!(" (ч. {})", c.corpus.part)
    };
    let base_en = if c.corpus.part == c.part || c.corpus.part.is_empty() {
        String::new()
    } else {
        format!(" (part {})", c.corpus.part)
    };
    let mut est: Vec<FactRef> = c.corpus.established.clone();
    for w in &c.corpus.ways {
        if w.status == Answer::Yes {
            est.extend(w.established.iter().cloned());
        }
    }
    let est = dedup(est);
    if est.is_empty() {
        ru.push(format!(
            "Основной состав{base_ru}: установленных фактов нет."
        ));
        en.push(format!("Base corpus{base_en}: no fact established yet."));
    } else {
        ru.push(format!(
            "Основной состав{base_ru}: установлено — {}.",
            labels_ru(&est)
        ));
        en.push(format!(
            "Base corpus{base_en}: established — {}.",
            labels_en(&est)
        ));
    }
    if let Some(w) = c.corpus.ways.iter().find(|w| w.status == Answer::Yes) {
        ru.push(format!("Способ: {}.", w.label_ru));
        en.push(format!("Way: {}.", w.label_en));
    } else if !c.corpus.ways.is_empty() {
        let open: Vec<&WayReport> = c
            .corpus
            .ways
            .iter()
            .filter(|w| w.status == Answer::Unknown)
            .collect();
        let ru_ways: Vec<String> = open
            .iter()
            .map(|w| format!("{} [доказать: {}]", w.label_ru, needs_ru(&w.to_prove)))
            .collect();
        let en_ways: Vec<String> = open
            .iter()
            .map(|w| format!("{} [to prove: {}]", w.label_en, needs_en(&w.to_prove)))
            .collect();
        ru.push(format!(
            "Доказать один из способов: {}.",
            ru_ways.join("; либо ")
        ));
        en.push(format!(
            "To prove one of the ways: {}.",
            en_ways.join("; or ")
        ));
    }
    if !c.corpus.to_prove.is_empty() {
        ru.push(format!(
            "Доказать для состава: {}.",
            needs_ru(&c.corpus.to_prove)
        ));
        en.push(format!(
            "To prove for the corpus: {}.",
            needs_en(&c.corpus.to_prove)
        ));
    }

    // Features.
    if c.needs_feature {
        if c.features_proven.is_empty() {
            ru.push("Квалифицирующий признак этой части пока не доказан.".into());
            en.push("No qualifying feature of this part is proven yet.".into());
        } else {
            let r: Vec<String> = c.features_proven.iter().map(item_name_ru).collect();
            let e: Vec<String> = c.features_proven.iter().map(item_name_en).collect();
            ru.push(format!(
                "Квалифицирующие признаки доказаны: {}.",
                r.join("; ")
            ));
            en.push(format!("Qualifying features proven: {}.", e.join("; ")));
        }
        if !c.features_unproven.is_empty() {
            let r: Vec<String> = c.features_unproven.iter().map(item_name_ru).collect();
            let e: Vec<String> = c.features_unproven.iter().map(item_name_en).collect();
            ru.push(format!("Не доказаны (не выяснены): {}.", r.join("; ")));
            en.push(format!("Unproven (not yet answered): {}.", e.join("; ")));
        }
    }

    // Penalty.
    match &c.penalty {
        Some(p) => {
            ru.push(format!("Санкция (по Приложению 3): {}.", p.text_ru));
            en.push(format!("Penalty (as quoted in Annex 3): {}.", p.text_en));
        }
        None => {
            ru.push(
                "Санкция в исследовании не приведена — проверить по действующему тексту УК РК."
                    .into(),
            );
            en.push(
                "The penalty is not quoted in the study — check the current text of the Code."
                    .into(),
            );
        }
    }
    ru.push(c.telecom.note_ru.clone());
    en.push(c.telecom.note_en.clone());
    ru.push(c.reconciliation.note_ru.clone());
    en.push(c.reconciliation.note_en.clone());
    for n in &c.notes {
        ru.push(n.ru.clone());
        en.push(n.en.clone());
    }
    ru.push(format!("Источник: {}", c.source_ru));
    en.push(format!("Source: {}", c.source_en));
    ru.push("Решение о квалификации принимает человек; здесь — только кандидат.".into());
    en.push("A person decides the qualification; this is only a candidate.".into());
    ru.retain(|s| !s.is_empty());
    en.retain(|s| !s.is_empty());
    (ru.join("\n"), en.join("\n"))
}

// ------------------------------------------------------------------ the assessment

/// Applies `implies` to the given answers: yes flows forward, no flows back.
fn derive(lib: &Library, answers: &Answers) -> (Effective, Vec<DerivedFact>, Vec<Conflict>) {
    let mut eff: Effective = answers
        .iter()
        .map(|(k, v)| (k.to_string(), (v, None)))
        .collect();
    let mut derived = Vec::new();
    let mut conflicts = BTreeSet::new();
    // Each pass can only turn unknowns into answers, so it ends within #facts passes.
    for _ in 0..=lib.facts().len() {
        let mut changed = false;
        for f in lib.facts() {
            for g in &f.implies {
                let a = eff.get(&f.id).map_or(Answer::Unknown, |x| x.0);
                let b = eff.get(g).map_or(Answer::Unknown, |x| x.0);
                match (a, b) {
                    (Answer::Yes, Answer::Unknown) => {
                        eff.insert(g.clone(), (Answer::Yes, Some(f.id.clone())));
                        derived.push(DerivedFact {
                            fact: g.clone(),
                            answer: Answer::Yes,
                            from: f.id.clone(),
                        });
                        changed = true;
                    }
                    (Answer::Unknown, Answer::No) => {
                        eff.insert(f.id.clone(), (Answer::No, Some(g.clone())));
                        derived.push(DerivedFact {
                            fact: f.id.clone(),
                            answer: Answer::No,
                            from: g.clone(),
                        });
                        changed = true;
                    }
                    (Answer::Yes, Answer::No) => {
                        conflicts.insert((f.id.clone(), g.clone()));
                    }
                    _ => {}
                }
            }
        }
        if !changed {
            break;
        }
    }
    let conflicts = conflicts
        .into_iter()
        .map(|(fact, implied)| Conflict { fact, implied })
        .collect();
    (eff, derived, conflicts)
}

pub(crate) fn assess(lib: &Library, answers: &Answers) -> Result<Assessment, AssessError> {
    for (fact, _) in answers.iter() {
        if lib.fact(fact).is_none() {
            return Err(AssessError::UnknownFact {
                fact: fact.to_string(),
            });
        }
    }
    let (eff, derived, conflicts) = derive(lib, answers);
    let ctx = Ctx { lib, eff };
    let rules = lib.rules();
    let telecom_fact = rules.telecom.fact.as_str();
    let telecom_answer = ctx.answer(telecom_fact);

    let evals: Vec<PartEval<'_>> = lib
        .articles()
        .iter()
        .flat_map(|a| a.parts.iter().map(move |p| (a, p)))
        .map(|(a, p)| eval_part(&ctx, a, p))
        .collect();

    let supported: BTreeSet<(u16, String)> = evals
        .iter()
        .filter(|e| e.truth == Answer::Yes)
        .map(|e| (e.article.number, e.part.number.clone()))
        .collect();
    // Articles with an established corpus, for special-norm hints.
    let corpus_established: BTreeSet<u16> = evals
        .iter()
        .filter(|e| e.corpus.status == Answer::Yes)
        .map(|e| e.article.number)
        .collect();

    let carried_by: Vec<PartItem> = lib
        .articles()
        .iter()
        .flat_map(|a| {
            a.parts.iter().flat_map(move |p| {
                p.features
                    .iter()
                    .filter(|f| f.telecom)
                    .map(move |f| PartItem {
                        article: a.number,
                        part: p.number.clone(),
                        item: f.item.clone(),
                    })
            })
        })
        .collect();

    let mut candidates = Vec::new();
    let mut excluded = Vec::new();
    let mut ranking: Vec<(u8, f64, u32, u8, u16, String, usize)> = Vec::new();
    for e in &evals {
        if !e.anchored {
            continue;
        }
        let (article, part) = (e.article, e.part);
        if e.truth == Answer::No {
            excluded.push(Excluded {
                article: article.number,
                part: part.number.clone(),
                reference_ru: reference_ru(article.number, &part.number),
                reference_en: reference_en(article.number, &part.number),
                refuted_by: e.refuted_by.clone(),
            });
            continue;
        }
        let status = if e.truth == Answer::Yes {
            CandidateStatus::AllElementsAnswered
        } else {
            CandidateStatus::ToProve
        };
        let split = |want: Answer| -> Vec<FeatureReport> {
            e.features
                .iter()
                .filter(|f| f.status == want)
                .cloned()
                .collect()
        };
        let telecom = telecom_mark(lib, article, part, telecom_answer, &carried_by);
        let reconciliation = reconciliation_mark(&rules.reconciliation, part);
        let mut notes: Vec<Note> = article
            .notes_ru
            .iter()
            .zip(article.notes_en.iter())
            .map(|(ru, en)| Note {
                ru: ru.clone(),
                en: en.clone(),
            })
            .collect();
        for other in lib.articles() {
            if other.special_over.contains(&article.number)
                && corpus_established.contains(&other.number)
            {
                notes.push(Note {
                    ru: format!(
                        "Состав ст. {} («{}») также подтверждается ответами; она является специальной нормой по отношению к ст. {} — конкуренцию норм разрешает лицо, принимающее решение.",
                        other.number, other.title_ru, article.number
                    ),
                    en: format!(
                        "The corpus of art. {} (\"{}\") is also supported by the answers; it is the special norm to art. {} — the person deciding resolves the competition of norms.",
                        other.number, other.title_en, article.number
                    ),
                });
            }
        }
        let also_supported_parts: Vec<String> = supported
            .iter()
            .filter(|(a, p)| *a == article.number && *p != part.number)
            .map(|(_, p)| p.clone())
            .collect();
        let omissions = match (&article.omissions_ru, &article.omissions_en) {
            (Some(ru), Some(en)) => Some(Note {
                ru: ru.clone(),
                en: en.clone(),
            }),
            (Some(ru), None) => Some(Note {
                ru: ru.clone(),
                en: ru.clone(),
            }),
            (None, Some(en)) => Some(Note {
                ru: en.clone(),
                en: en.clone(),
            }),
            (None, None) => None,
        };
        let mut c = Candidate {
            rank: 0,
            article: article.number,
            part: part.number.clone(),
            reference_ru: reference_ru(article.number, &part.number),
            reference_en: reference_en(article.number, &part.number),
            title_ru: article.title_ru.clone(),
            title_en: article.title_en.clone(),
            kind: article.kind,
            status,
            text_ru: part.text_ru.clone(),
            text_quoted: part.quoted,
            abbreviated: part.abbreviated,
            omissions,
            corpus: e.corpus.clone(),
            needs_feature: !part.features.is_empty(),
            features_proven: split(Answer::Yes),
            features_unproven: split(Answer::Unknown),
            features_refuted: split(Answer::No),
            open_questions: e.open_questions.clone(),
            penalty_text_ru: part.penalty_text_ru.clone(),
            penalty: part.penalty.as_ref().map(summarize_penalty),
            telecom,
            reconciliation,
            also_supported_parts,
            notes,
            source_ru: article.source_ru.clone(),
            source_en: article.source_en.clone(),
            data_file: article.file.clone(),
            data_line: part.line,
            explanation_ru: String::new(),
            explanation_en: String::new(),
        };
        let (ru, en) = explain(&c);
        c.explanation_ru = ru;
        c.explanation_en = en;
        let kind_rank = match article.kind {
            ArticleKind::Direct => 0,
            ArticleKind::Related => 1,
            ArticleKind::Referenced => 2,
        };
        ranking.push((
            u8::from(status != CandidateStatus::AllElementsAnswered),
            e.progress,
            severity(part),
            kind_rank,
            article.number,
            part.number.clone(),
            candidates.len(),
        ));
        candidates.push(c);
    }
    // Fully answered first; then the most advanced; then the heaviest sanction
    // (the most specific part); then direct before related before referenced.
    ranking.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then(b.1.total_cmp(&a.1))
            .then(b.2.cmp(&a.2))
            .then(a.3.cmp(&b.3))
            .then(a.4.cmp(&b.4))
            .then(a.5.cmp(&b.5))
    });
    let mut slots: Vec<Option<Candidate>> = candidates.into_iter().map(Some).collect();
    let mut ranked = Vec::with_capacity(slots.len());
    for (i, r) in ranking.iter().enumerate() {
        if let Some(mut c) = slots.get_mut(r.6).and_then(Option::take) {
            c.rank = i + 1;
            ranked.push(c);
        }
    }

    let applies_to: Vec<PartItem> = ranked
        .iter()
        .filter(|c| c.telecom.applies)
        .map(|c| PartItem {
            article: c.article,
            part: c.part.clone(),
            item: c.telecom.item_in_this_part.clone().unwrap_or_default(),
        })
        .collect();

    // What to ask next: unknown facts weighted by the candidates they bear on.
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for c in &ranked {
        for f in &c.open_questions {
            *counts.entry(f.id.clone()).or_default() += 1;
        }
    }
    let mut order: Vec<(usize, usize, String)> = counts
        .into_iter()
        .map(|(id, n)| {
            let pos = lib
                .facts()
                .iter()
                .position(|f| f.id == id)
                .unwrap_or(usize::MAX);
            (n, pos, id)
        })
        .collect();
    order.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let suggested_questions = order.iter().map(|(_, _, id)| ctx.fact_ref(id)).collect();

    Ok(Assessment {
        edition: rules.edition.clone(),
        notice_ru: NOTICE_RU.to_string(),
        notice_en: NOTICE_EN.to_string(),
        candidates: ranked,
        excluded,
        telecom: TelecomSummary {
            fact: telecom_fact.to_string(),
            answer: telecom_answer,
            text_ru: rules.telecom.text_ru.clone(),
            source_ru: rules.telecom.source_ru.clone(),
            carried_by,
            applies_to,
        },
        reconciliation: rules.reconciliation.clone(),
        derived,
        conflicts,
        suggested_questions,
    })
}

fn telecom_mark(
    lib: &Library,
    article: &Article,
    part: &Part,
    answer: Answer,
    all: &[PartItem],
) -> TelecomMark {
    let carried_by: Vec<PartItem> = all
        .iter()
        .filter(|p| p.article == article.number)
        .cloned()
        .collect();
    let item_in_this_part = part
        .features
        .iter()
        .find(|f| f.telecom)
        .map(|f| f.item.clone());
    let applies = answer == Answer::Yes && item_in_this_part.is_some();
    let text_ru = &lib.rules().telecom.text_ru;
    let text_en = &lib.rules().telecom.text_en;
    let where_ru = |p: &PartItem| {
        if p.item.is_empty() {
            format!("ч. {} ст. {}", p.part, p.article)
        } else {
            format!("п. {}) ч. {} ст. {}", p.item, p.part, p.article)
        }
    };
    let where_en = |p: &PartItem| {
        if p.item.is_empty() {
            format!("art. {} part {}", p.article, p.part)
        } else {
            format!("art. {} part {} item {}", p.article, p.part, p.item)
        }
    };
    let carriers_ru = carried_by
        .iter()
        .map(where_ru)
        .collect::<Vec<_>>()
        .join(", ");
    let carriers_en = carried_by
        .iter()
        .map(where_en)
        .collect::<Vec<_>>()
        .join(", ");
    let (note_ru, note_en) = match (answer, applies, carried_by.is_empty()) {
        (Answer::Yes, true, _) => (
            format!("Отягчающий признак «{text_ru}» установлен и относится к этой части ({carriers_ru})."),
            format!("The aggravating feature \"{text_en}\" is established and belongs to this part ({carriers_en})."),
        ),
        (Answer::Yes, false, false) => (
            format!("Использование сетей телекоммуникаций установлено: в этой статье оно квалифицирует деяние по {carriers_ru}."),
            format!("Use of telecommunication networks is established: in this article it qualifies the act under {carriers_en}."),
        ),
        (Answer::Yes, false, true) => (
            "Использование сетей телекоммуникаций установлено, но в приведённом тексте этой статьи такого квалифицирующего признака нет.".to_string(),
            "Use of telecommunication networks is established, but the quoted text of this article has no such qualifying feature.".to_string(),
        ),
        (Answer::Unknown, _, false) => (
            format!("Не выяснено, совершено ли деяние «{text_ru}» — это квалифицирующий признак ({carriers_ru})."),
            format!("Not yet known whether the act was committed \"{text_en}\" — a qualifying feature here ({carriers_en})."),
        ),
        _ => (String::new(), String::new()),
    };
    TelecomMark {
        answer,
        item_in_this_part,
        carried_by,
        applies,
        note_ru,
        note_en,
    }
}

fn reconciliation_mark(rule: &ReconciliationRule, part: &Part) -> ReconciliationMark {
    if part.trafficking_related {
        let verify_ru = if rule.norm_verified {
            String::new()
        } else {
            " Номер статьи в исследовании не назван — проверить по тексту Кодекса.".to_string()
        };
        let verify_en = if rule.norm_verified {
            String::new()
        } else {
            " The study does not name the article — verify against the Code.".to_string()
        };
        ReconciliationMark {
            status: ReconciliationStatus::Excluded,
            note_ru: format!(
                "Примирение исключено: преступление, связанное с торговлей людьми (ст. 3 п. 1-1 УК РК). {} Норма: {}.{verify_ru}",
                rule.statement_ru, rule.norm_ru
            ),
            note_en: format!(
                "Reconciliation excluded: a crime related to trafficking in persons (art. 3 item 1-1 of the Code). {} Norm: {}.{verify_en}",
                rule.statement_en, rule.norm_en
            ),
            source_ru: rule.source_ru.clone(),
        }
    } else {
        ReconciliationMark {
            status: ReconciliationStatus::NotDetermined,
            note_ru: "Исследование не относит эту норму к преступлениям, связанным с торговлей людьми (ст. 3 п. 1-1); возможность примирения здесь не определяется.".to_string(),
            note_en: "The study does not list this norm among crimes related to trafficking (art. 3 item 1-1); whether reconciliation is available is not determined here.".to_string(),
            source_ru: rule.definition_source_ru.clone(),
        }
    }
}
