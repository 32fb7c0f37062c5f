//! The screening form: identification indicators in four groups (physical,
//! psychological, economic and the digital block the study asks for in 5.2),
//! their weights, thresholds and strong indicators as data, and a result
//! that explains itself.
//!
//! A positive result is an indication that the person should be referred to
//! special social services; it is never a finding about the person and never
//! a legal qualification. The referral does not depend on a criminal case
//! (study 4.3: identification "may take place even without a criminal case").

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::age::MinorStatus;
use crate::error::{LoadError, LoadErrorKind, LoadErrors, Source};
use crate::text::{Lang, Texts};

/// The shipped form (`data/screening.default.toml`), embedded so a fresh
/// installation screens with the reviewed default until an administrator
/// loads another file.
pub const DEFAULT_SCREENING: &str = include_str!("../data/screening.default.toml");

/// The largest weight one indicator may carry; keeps one answer from
/// dwarfing all others by a typing slip (e.g. `80` for `8`).
pub const MAX_WEIGHT: u32 = 100;

/// Agency kind of special social services in the routing directory
/// (`qorgau-routing`, `agencies.default.toml`).
pub const SOCIAL_SERVICES_AGENCY: &str = "social_services";

/// Agency kind of the Committee for the Protection of Children's Rights in
/// the routing directory.
pub const CHILD_RIGHTS_AGENCY: &str = "child_rights_committee";

/// The legal basis of a referral to special social services, shown with
/// every referral need so a social worker does not ask for a criminal case.
pub const REFERRAL_LEGAL_BASIS: &str = "Правила перенаправления жертв торговли людьми для оказания им помощи и предоставления специальных социальных услуг (совместный приказ МВД № 844 и МТСЗН № 406 от 22.10.2024); идентификация возможна без возбужденного уголовного дела (исследование, 4.3)";

/// A group of indicators. The four groups are fixed: the first three are the
/// dimensions of the 2023 Criteria (study 5.1), the fourth is the digital
/// block the study asks to add (5.2). The form must contain all four.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    /// Physical violence, confinement, substances, deprivation.
    Physical,
    /// Threats, deception, fear, isolation, dependence.
    Psychological,
    /// Documents, debts, earnings, payments.
    Economic,
    /// Recruitment via social networks, sextortion, online threats, remote
    /// exploitation, control through digital technology.
    Digital,
}

impl Group {
    /// All groups, in form order.
    pub const ALL: [Group; 4] = [
        Group::Physical,
        Group::Psychological,
        Group::Economic,
        Group::Digital,
    ];

    /// The id used in configuration files and results.
    pub fn id(self) -> &'static str {
        match self {
            Group::Physical => "physical",
            Group::Psychological => "psychological",
            Group::Economic => "economic",
            Group::Digital => "digital",
        }
    }

    /// Parses a configuration id.
    pub fn from_id(id: &str) -> Option<Group> {
        Group::ALL.into_iter().find(|g| g.id() == id)
    }

    /// The group's title in an interface language.
    pub fn title(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Group::Physical, Lang::Ru) => "Физические признаки",
            (Group::Physical, Lang::Kk) => "Физикалық белгілер",
            (Group::Physical, Lang::En) => "Physical indicators",
            (Group::Psychological, Lang::Ru) => "Психологические признаки",
            (Group::Psychological, Lang::Kk) => "Психологиялық белгілер",
            (Group::Psychological, Lang::En) => "Psychological indicators",
            (Group::Economic, Lang::Ru) => "Экономические признаки",
            (Group::Economic, Lang::Kk) => "Экономикалық белгілер",
            (Group::Economic, Lang::En) => "Economic indicators",
            (Group::Digital, Lang::Ru) => "Цифровые признаки",
            (Group::Digital, Lang::Kk) => "Цифрлық белгілер",
            (Group::Digital, Lang::En) => "Digital indicators",
        }
    }
}

impl fmt::Display for Group {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// One question of the form with its weight, so the score is a sum the
/// worker can check by hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Indicator {
    /// `<group>.<name>`, stable across versions of the form.
    pub id: String,
    /// The group it belongs to.
    pub group: Group,
    /// Points added to the score by a "yes".
    pub weight: u32,
    /// A "yes" alone makes the result positive.
    pub strong: bool,
    /// A "yes" alone makes the result positive for a minor or presumed minor.
    pub strong_if_minor: bool,
    /// The question, asked of the person.
    pub question: Texts,
    /// Where the indicator comes from (study section, law, international list).
    pub source: String,
    /// Line in the configuration file, for tracing a result back to the file.
    pub line: usize,
}

impl Indicator {
    /// Whether a "yes" alone is decisive for this person.
    pub fn is_strong_for(&self, minor: MinorStatus) -> bool {
        self.strong || (self.strong_if_minor && minor.protections_apply())
    }
}

/// Score thresholds of the three outcomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Thresholds {
    /// At or above: positive, refer to special social services.
    pub positive: u32,
    /// At or above (and below `positive`): possible, further interview.
    pub possible: u32,
    /// A "not sure" on a strong indicator raises a negative to possible.
    pub uncertain_strong_means_possible: bool,
}

/// A checked screening form. Made only by [`ScreeningConfig::from_toml`], so
/// every form in use has passed validation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScreeningConfig {
    version: String,
    kk_needs_review: bool,
    thresholds: Thresholds,
    indicators: Vec<Indicator>,
}

// ----- raw file ------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    format: Spanned<i64>,
    version: Spanned<String>,
    kk_needs_review: bool,
    thresholds: Spanned<RawThresholds>,
    #[serde(default)]
    group: Vec<Spanned<RawGroup>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawThresholds {
    positive: Spanned<i64>,
    possible: Spanned<i64>,
    #[serde(default)]
    uncertain_strong_means_possible: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    id: Spanned<String>,
    #[serde(default)]
    indicator: Vec<Spanned<RawIndicator>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndicator {
    id: Spanned<String>,
    weight: Spanned<i64>,
    #[serde(default)]
    strong: bool,
    #[serde(default)]
    strong_if_minor: Option<Spanned<bool>>,
    question: Spanned<RawTexts>,
    source: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTexts {
    ru: Option<Spanned<String>>,
    kk: Option<Spanned<String>>,
    en: Option<Spanned<String>>,
}

fn valid_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

struct Checker<'a> {
    src: Source<'a>,
    errors: Vec<LoadError>,
}

impl Checker<'_> {
    fn err(&mut self, span: std::ops::Range<usize>, kind: LoadErrorKind) {
        let e = self.src.error(span, kind);
        self.errors.push(e);
    }

    fn texts(&mut self, raw: &Spanned<RawTexts>) -> Texts {
        let span = raw.span();
        let r = raw.get_ref();
        let mut pick = |t: &Option<Spanned<String>>, lang: &'static str| -> String {
            match t {
                Some(s) if !s.get_ref().trim().is_empty() => s.get_ref().trim().to_string(),
                Some(s) => {
                    self.err(s.span(), LoadErrorKind::MissingText(lang));
                    String::new()
                }
                None => {
                    self.err(span.clone(), LoadErrorKind::MissingText(lang));
                    String::new()
                }
            }
        };
        Texts {
            ru: pick(&r.ru, "ru"),
            kk: pick(&r.kk, "kk"),
            en: pick(&r.en, "en"),
        }
    }
}

impl ScreeningConfig {
    /// Parses and checks a form. `file` names it in error messages. Every
    /// problem found is returned, each with its line and column; the parser
    /// never panics on any input.
    pub fn from_toml(file: &str, text: &str) -> Result<ScreeningConfig, LoadErrors> {
        let src = Source { name: file, text };
        let raw: RawFile = src.parse()?;
        let mut ck = Checker {
            src,
            errors: Vec::new(),
        };
        if *raw.format.get_ref() != 1 {
            ck.err(
                raw.format.span(),
                LoadErrorKind::UnsupportedFormat(*raw.format.get_ref()),
            );
        }
        if raw.version.get_ref().trim().is_empty() {
            ck.err(
                raw.version.span(),
                LoadErrorKind::Invalid(
                    "`version` must not be empty; results cite it to trace the form they used"
                        .into(),
                ),
            );
        }

        let mut seen_groups: BTreeMap<Group, usize> = BTreeMap::new();
        let mut seen_ids: BTreeMap<String, usize> = BTreeMap::new();
        let mut indicators = Vec::new();
        for g in &raw.group {
            let g = g.get_ref();
            let gid = g.id.get_ref();
            let Some(group) = Group::from_id(gid) else {
                ck.err(g.id.span(), LoadErrorKind::UnknownGroup(gid.clone()));
                continue;
            };
            let line = src.line(g.id.span().start);
            if let Some(first) = seen_groups.get(&group) {
                ck.err(
                    g.id.span(),
                    LoadErrorKind::Duplicate {
                        what: "group",
                        id: gid.clone(),
                        first_line: *first,
                    },
                );
                continue;
            }
            if g.indicator.is_empty() {
                // Reported below as a missing group.
                continue;
            }
            seen_groups.insert(group, line);
            for ind in &g.indicator {
                let ind_span = ind.span();
                let ind = ind.get_ref();
                let id = ind.id.get_ref().clone();
                let name_ok = id
                    .strip_prefix(group.id())
                    .and_then(|rest| rest.strip_prefix('.'))
                    .is_some_and(valid_name);
                if !name_ok {
                    ck.err(
                        ind.id.span(),
                        LoadErrorKind::BadIndicatorId {
                            id: id.clone(),
                            group: group.id().to_string(),
                        },
                    );
                }
                if let Some(first) = seen_ids.get(&id) {
                    ck.err(
                        ind.id.span(),
                        LoadErrorKind::Duplicate {
                            what: "indicator",
                            id: id.clone(),
                            first_line: *first,
                        },
                    );
                } else {
                    seen_ids.insert(id.clone(), src.line(ind.id.span().start));
                }
                let w = *ind.weight.get_ref();
                let weight = match u32::try_from(w) {
                    Ok(v) if (1..=MAX_WEIGHT).contains(&v) => v,
                    _ => {
                        ck.err(ind.weight.span(), LoadErrorKind::BadWeight(w));
                        0
                    }
                };
                let strong_if_minor = ind.strong_if_minor.as_ref().is_some_and(|s| *s.get_ref());
                if ind.strong
                    && strong_if_minor
                    && let Some(s) = &ind.strong_if_minor
                {
                    ck.err(
                        s.span(),
                        LoadErrorKind::Invalid(
                            "`strong_if_minor` is redundant with `strong = true`; keep one".into(),
                        ),
                    );
                }
                let question = ck.texts(&ind.question);
                if ind.source.get_ref().trim().is_empty() {
                    ck.err(
                        ind.source.span(),
                        LoadErrorKind::Invalid(
                            "`source` must not be empty; every indicator names where it comes from"
                                .into(),
                        ),
                    );
                }
                indicators.push(Indicator {
                    id,
                    group,
                    weight,
                    strong: ind.strong,
                    strong_if_minor,
                    question,
                    source: ind.source.get_ref().trim().to_string(),
                    line: src.line(ind_span.start),
                });
            }
        }
        for group in Group::ALL {
            if !seen_groups.contains_key(&group) {
                ck.err(0..0, LoadErrorKind::MissingGroup(group.id()));
            }
        }

        let positive = *raw.thresholds.get_ref().positive.get_ref();
        let possible = *raw.thresholds.get_ref().possible.get_ref();
        let total: u64 = indicators.iter().map(|i| u64::from(i.weight)).sum();
        let thresholds = match (u32::try_from(positive), u32::try_from(possible)) {
            (Ok(pos), Ok(poss)) if poss >= 1 && pos > poss => {
                if u64::from(pos) > total && ck.errors.is_empty() {
                    ck.err(
                        raw.thresholds.get_ref().positive.span(),
                        LoadErrorKind::BadThresholds(format!(
                            "positive = {pos} is above the sum of all weights ({total}); no set of answers could reach it"
                        )),
                    );
                }
                Some(Thresholds {
                    positive: pos,
                    possible: poss,
                    uncertain_strong_means_possible: raw
                        .thresholds
                        .get_ref()
                        .uncertain_strong_means_possible,
                })
            }
            _ => {
                ck.err(
                    raw.thresholds.span(),
                    LoadErrorKind::BadThresholds(format!(
                        "expected 1 <= possible < positive, found possible = {possible}, positive = {positive}"
                    )),
                );
                None
            }
        };

        match thresholds {
            Some(thresholds) if ck.errors.is_empty() => Ok(ScreeningConfig {
                version: raw.version.get_ref().trim().to_string(),
                kk_needs_review: raw.kk_needs_review,
                thresholds,
                indicators,
            }),
            _ => {
                ck.errors.sort_by_key(|e| (e.line, e.column));
                Err(LoadErrors(ck.errors))
            }
        }
    }

    /// The shipped form, parsed and checked.
    pub fn default_form() -> Result<ScreeningConfig, LoadErrors> {
        ScreeningConfig::from_toml("screening.default.toml", DEFAULT_SCREENING)
    }

    /// The form's version, cited in every result.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// Whether the Kazakh texts still await review by a native-speaking
    /// practitioner; the interface shows a notice while they do.
    pub fn kk_needs_review(&self) -> bool {
        self.kk_needs_review
    }

    /// The thresholds.
    pub fn thresholds(&self) -> Thresholds {
        self.thresholds
    }

    /// All indicators in form order, for rendering the questionnaire.
    pub fn indicators(&self) -> &[Indicator] {
        &self.indicators
    }

    /// One indicator by id.
    pub fn indicator(&self, id: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.id == id)
    }

    /// The indicators of one group, in form order.
    pub fn group(&self, group: Group) -> impl Iterator<Item = &Indicator> {
        self.indicators.iter().filter(move |i| i.group == group)
    }

    /// Scores one screening. Answers to ids the form does not have are
    /// refused rather than ignored, so a form change cannot silently drop an
    /// answer; a screening with no answer at all is refused too.
    pub fn screen(&self, input: &ScreeningInput) -> Result<ScreeningResult, ScreeningError> {
        let unknown: Vec<String> = input
            .answers
            .keys()
            .filter(|k| self.indicator(k).is_none())
            .cloned()
            .collect();
        if !unknown.is_empty() {
            return Err(ScreeningError::UnknownIndicators(unknown));
        }
        if !input
            .answers
            .values()
            .any(|a| matches!(a, Answer::Yes | Answer::No | Answer::NotSure))
        {
            return Err(ScreeningError::NothingAnswered);
        }

        let mut contributions = Vec::new();
        let mut group_scores: BTreeMap<Group, u32> = Group::ALL.iter().map(|g| (*g, 0)).collect();
        let mut uncertain = Vec::new();
        let mut declined = Vec::new();
        let mut unanswered = Vec::new();
        let mut strong_yes = Vec::new();
        let mut strong_unsure = Vec::new();
        let mut score: u32 = 0;
        for ind in &self.indicators {
            let strong = ind.is_strong_for(input.minor);
            match input.answers.get(&ind.id) {
                Some(Answer::Yes) => {
                    score = score.saturating_add(ind.weight);
                    if let Some(s) = group_scores.get_mut(&ind.group) {
                        *s = s.saturating_add(ind.weight);
                    }
                    if strong {
                        strong_yes.push(ind.id.clone());
                    }
                    contributions.push(Contribution {
                        indicator: ind.id.clone(),
                        group: ind.group,
                        weight: ind.weight,
                        strong,
                    });
                }
                Some(Answer::No) => {}
                Some(Answer::NotSure) => {
                    if strong {
                        strong_unsure.push(ind.id.clone());
                    }
                    uncertain.push(ind.id.clone());
                }
                Some(Answer::Declined) => declined.push(ind.id.clone()),
                None => unanswered.push(ind.id.clone()),
            }
        }

        let t = self.thresholds;
        let (outcome, basis) = if !strong_yes.is_empty() {
            (
                Outcome::Positive,
                Basis::StrongIndicator {
                    indicators: strong_yes,
                },
            )
        } else if score >= t.positive {
            (Outcome::Positive, Basis::ScoreAtLeastPositive)
        } else if score >= t.possible {
            (Outcome::Possible, Basis::ScoreAtLeastPossible)
        } else if t.uncertain_strong_means_possible && !strong_unsure.is_empty() {
            (
                Outcome::Possible,
                Basis::UncertainStrongIndicator {
                    indicators: strong_unsure,
                },
            )
        } else {
            (Outcome::Negative, Basis::ScoreBelowPossible)
        };

        let because: Vec<String> = contributions.iter().map(|c| c.indicator.clone()).collect();
        let referral = (outcome == Outcome::Positive).then(|| ReferralNeed {
            agency_kind: SOCIAL_SERVICES_AGENCY.to_string(),
            because: because.clone(),
            criminal_case_required: false,
            legal_basis: REFERRAL_LEGAL_BASIS.to_string(),
        });
        let child_rights =
            (outcome != Outcome::Negative && input.minor.protections_apply()).then(|| {
                ChildRightsFlag {
                    agency_kind: CHILD_RIGHTS_AGENCY.to_string(),
                    minor: input.minor,
                }
            });

        Ok(ScreeningResult {
            form_version: self.version.clone(),
            outcome,
            basis,
            score,
            thresholds: t,
            contributions,
            group_scores,
            uncertain,
            declined,
            unanswered,
            minor: input.minor,
            referral,
            child_rights,
        })
    }
}

/// The person's answer to one question. Only "yes" adds to the score; the
/// others are kept so the worker sees what to ask again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// The indicator is present.
    Yes,
    /// The indicator is absent.
    No,
    /// The person is not sure or the worker could not tell.
    NotSure,
    /// The person chose not to answer (which is their right).
    Declined,
}

/// What a screening is computed from: answers by indicator id, and whether
/// the person is a minor. No names, no case: screening happens before and
/// without either.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ScreeningInput {
    /// Answers by indicator id; a missing id means "not asked".
    pub answers: BTreeMap<String, Answer>,
    /// Minor status at the time of screening.
    pub minor: MinorStatus,
}

/// Why a screening could not be scored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScreeningError {
    /// Answers name indicators the form does not have (an answer sheet from
    /// another version of the form).
    #[error("answers to indicators this form does not have: {}", .0.join(", "))]
    UnknownIndicators(Vec<String>),
    /// No question was answered yes, no or not sure; a "negative" would be
    /// meaningless.
    #[error("no question was answered; a screening needs at least one answer")]
    NothingAnswered,
}

/// The three outcomes of a screening.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Screening indicates trafficking: refer to special social services.
    Positive,
    /// Screening indicates some indicators: interview further.
    Possible,
    /// Screening indicates no indicators above the threshold among the
    /// answers given; this does not rule anything out.
    Negative,
}

/// Which rule decided the outcome, so the explanation names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "rule")]
pub enum Basis {
    /// One or more strong indicators were answered "yes".
    StrongIndicator {
        /// Their ids.
        indicators: Vec<String>,
    },
    /// The score reached the positive threshold.
    ScoreAtLeastPositive,
    /// The score reached the possible threshold.
    ScoreAtLeastPossible,
    /// The score was below the possible threshold, but a strong indicator
    /// was answered "not sure".
    UncertainStrongIndicator {
        /// Their ids.
        indicators: Vec<String>,
    },
    /// The score stayed below the possible threshold.
    ScoreBelowPossible,
}

/// One "yes" and what it added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contribution {
    /// Indicator id.
    pub indicator: String,
    /// Its group.
    pub group: Group,
    /// Points added.
    pub weight: u32,
    /// Whether it counted as a strong indicator for this person.
    pub strong: bool,
}

/// The need to refer the person to special social services. It carries no
/// case id because it needs none: identification and services do not wait
/// for a criminal case (study 4.3; Rules of referral, 2024). Sending it is a
/// disclosure and goes through consent ([`crate::consent::authorise`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralNeed {
    /// Agency kind in the routing directory (`social_services`).
    pub agency_kind: String,
    /// The indicators answered "yes".
    pub because: Vec<String>,
    /// Always `false`: written out so a receiving worker sees it.
    pub criminal_case_required: bool,
    /// The rules the referral rests on.
    pub legal_basis: String,
}

/// The additional flag for a minor: the Committee for the Protection of
/// Children's Rights is to be involved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildRightsFlag {
    /// Agency kind in the routing directory (`child_rights_committee`).
    pub agency_kind: String,
    /// Minor or presumed minor.
    pub minor: MinorStatus,
}

/// A scored screening with everything needed to explain it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScreeningResult {
    /// Version of the form used.
    pub form_version: String,
    /// The outcome.
    pub outcome: Outcome,
    /// Which rule decided it.
    pub basis: Basis,
    /// Sum of weights of "yes" answers.
    pub score: u32,
    /// Thresholds of the form used.
    pub thresholds: Thresholds,
    /// Each "yes" and its weight, in form order.
    pub contributions: Vec<Contribution>,
    /// Score per group (every group present, zero if nothing contributed).
    pub group_scores: BTreeMap<Group, u32>,
    /// Indicators answered "not sure".
    pub uncertain: Vec<String>,
    /// Indicators the person declined to answer.
    pub declined: Vec<String>,
    /// Indicators not asked.
    pub unanswered: Vec<String>,
    /// Minor status used.
    pub minor: MinorStatus,
    /// Present when positive.
    pub referral: Option<ReferralNeed>,
    /// Present for a minor or presumed minor with a positive or possible
    /// outcome.
    pub child_rights: Option<ChildRightsFlag>,
}

impl ScreeningResult {
    /// Groups that contributed to the score, for a short summary.
    pub fn groups_with_indicators(&self) -> BTreeSet<Group> {
        self.contributions.iter().map(|c| c.group).collect()
    }

    /// A short headline in an interface language. It always says what the
    /// screening indicates, never what the person is.
    pub fn headline(&self, lang: Lang) -> &'static str {
        match (self.outcome, lang) {
            (Outcome::Positive, Lang::Ru) => {
                "Скрининг указывает на признаки торговли людьми: требуется направление в специальные социальные службы (уголовное дело не требуется)."
            }
            (Outcome::Positive, Lang::Kk) => {
                "Скрининг адам саудасының белгілерін көрсетеді: арнаулы әлеуметтік қызметтерге жолдау қажет (қылмыстық іс талап етілмейді)."
            }
            (Outcome::Positive, Lang::En) => {
                "Screening indicates signs of trafficking: referral to special social services is needed (no criminal case is required)."
            }
            (Outcome::Possible, Lang::Ru) => {
                "Скрининг указывает на отдельные признаки: требуется дополнительное собеседование."
            }
            (Outcome::Possible, Lang::Kk) => {
                "Скрининг жекелеген белгілерді көрсетеді: қосымша әңгімелесу қажет."
            }
            (Outcome::Possible, Lang::En) => {
                "Screening indicates some signs: a further interview is needed."
            }
            (Outcome::Negative, Lang::Ru) => {
                "Скрининг не указывает на признаки выше порога по данным ответам; это не исключает эксплуатацию."
            }
            (Outcome::Negative, Lang::Kk) => {
                "Берілген жауаптар бойынша скрининг шектен жоғары белгілерді көрсетпейді; бұл қанауды жоққа шығармайды."
            }
            (Outcome::Negative, Lang::En) => {
                "Screening indicates no signs above the threshold in the answers given; this does not rule out exploitation."
            }
        }
    }

    /// The full explanation: headline, the deciding rule, each contribution
    /// with its weight and question, what was not answered, the referral and
    /// the child-rights flag, and the reminder that this is no finding about
    /// the person.
    pub fn explain(&self, config: &ScreeningConfig, lang: Lang) -> String {
        let l = |ru: &str, kk: &str, en: &str| -> String {
            match lang {
                Lang::Ru => ru.to_string(),
                Lang::Kk => kk.to_string(),
                Lang::En => en.to_string(),
            }
        };
        let mut out = String::new();
        out.push_str(self.headline(lang));
        out.push('\n');
        let t = &self.thresholds;
        let rule = match &self.basis {
            Basis::StrongIndicator { indicators } => l(
                &format!("Решающие (сильные) признаки: {}.", indicators.join(", ")),
                &format!("Шешуші (күшті) белгілер: {}.", indicators.join(", ")),
                &format!("Decisive (strong) indicators: {}.", indicators.join(", ")),
            ),
            Basis::ScoreAtLeastPositive => l(
                &format!(
                    "Балл {} не ниже порога направления {}.",
                    self.score, t.positive
                ),
                &format!(
                    "{} балл жолдау шегінен ({}) төмен емес.",
                    self.score, t.positive
                ),
                &format!(
                    "Score {} reaches the referral threshold {}.",
                    self.score, t.positive
                ),
            ),
            Basis::ScoreAtLeastPossible => l(
                &format!(
                    "Балл {} не ниже порога собеседования {} и ниже порога направления {}.",
                    self.score, t.possible, t.positive
                ),
                &format!(
                    "{} балл әңгімелесу шегінен ({}) төмен емес, жолдау шегінен ({}) төмен.",
                    self.score, t.possible, t.positive
                ),
                &format!(
                    "Score {} reaches the interview threshold {} but not the referral threshold {}.",
                    self.score, t.possible, t.positive
                ),
            ),
            Basis::UncertainStrongIndicator { indicators } => l(
                &format!(
                    "Балл {} ниже порога {}, но на сильные признаки ответ «не уверен(а)»: {}.",
                    self.score,
                    t.possible,
                    indicators.join(", ")
                ),
                &format!(
                    "{} балл шектен ({}) төмен, бірақ күшті белгілерге «сенімді емеспін» деп жауап берілді: {}.",
                    self.score,
                    t.possible,
                    indicators.join(", ")
                ),
                &format!(
                    "Score {} is below the threshold {}, but strong indicators were answered \"not sure\": {}.",
                    self.score,
                    t.possible,
                    indicators.join(", ")
                ),
            ),
            Basis::ScoreBelowPossible => l(
                &format!(
                    "Балл {} ниже порога собеседования {}.",
                    self.score, t.possible
                ),
                &format!(
                    "{} балл әңгімелесу шегінен ({}) төмен.",
                    self.score, t.possible
                ),
                &format!(
                    "Score {} is below the interview threshold {}.",
                    self.score, t.possible
                ),
            ),
        };
        out.push_str(&rule);
        out.push('\n');
        for c in &self.contributions {
            let q = config
                .indicator(&c.indicator)
                .map_or("", |i| i.question.get(lang));
            let strong = if c.strong {
                l(" (сильный)", " (күшті)", " (strong)")
            } else {
                String::new()
            };
            out.push_str(&format!(
                "  + {} [{}] {}{}: {}\n",
                c.weight,
                c.group.title(lang),
                c.indicator,
                strong,
                q
            ));
        }
        let list = |ids: &[String], ru: &str, kk: &str, en: &str, out: &mut String| {
            if !ids.is_empty() {
                out.push_str(&l(ru, kk, en));
                out.push_str(&ids.join(", "));
                out.push('\n');
            }
        };
        list(
            &self.uncertain,
            "Не уверен(а): ",
            "Сенімді емес: ",
            "Not sure: ",
            &mut out,
        );
        list(
            &self.declined,
            "Отказ(а) от ответа: ",
            "Жауап беруден бас тартты: ",
            "Declined: ",
            &mut out,
        );
        list(
            &self.unanswered,
            "Не заданы: ",
            "Қойылмаған: ",
            "Not asked: ",
            &mut out,
        );
        if self.referral.is_some() {
            out.push_str(&l(
                "Направление в специальные социальные службы не зависит от наличия уголовного дела; передача данных — только с согласия лица или по обоснованному решению уполномоченного лица.\n",
                "Арнаулы әлеуметтік қызметтерге жолдау қылмыстық істің болуына байланысты емес; деректерді беру тек адамның келісімімен немесе уәкілетті тұлғаның негізделген шешімімен.\n",
                "Referral to special social services does not depend on a criminal case; data is disclosed only with the person's consent or an authorised, reasoned decision.\n",
            ));
        }
        if self.child_rights.is_some() {
            out.push_str(&l(
                "Несовершеннолетний (или предполагается несовершеннолетие): уведомить Комитет по охране прав детей.\n",
                "Кәмелетке толмаған (немесе солай болжанады): Балалардың құқықтарын қорғау комитетіне хабарлау.\n",
                "Minor (or presumed minor): notify the Committee for the Protection of Children's Rights.\n",
            ));
        }
        out.push_str(&l(
            &format!(
                "Это результат скрининга (форма {}), а не вывод о человеке и не правовая квалификация.",
                self.form_version
            ),
            &format!(
                "Бұл скрининг нәтижесі (нысан {}), адам туралы қорытынды немесе құқықтық саралау емес.",
                self.form_version
            ),
            &format!(
                "This is a screening result (form {}), not a finding about the person and not a legal qualification.",
                self.form_version
            ),
        ));
        out
    }
}
