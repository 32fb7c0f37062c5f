//! The law as data, after validation: facts (questions), articles with their parts,
//! and the cross-article rules. Everything here comes from the data files, so an
//! amendment of the Code is a change of data, not of code.

use serde::{Deserialize, Serialize};

/// One text in the three interface languages (Kazakh may still await legal review;
/// see [`crate::Library::kazakh_reviewed`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text3 {
    /// Russian.
    pub ru: String,
    /// Kazakh.
    pub kk: String,
    /// English.
    pub en: String,
}

/// Which kind of circumstance a fact describes; lets a UI group the questions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FactGroup {
    /// What was done to the person (sale, recruitment, transportation…).
    Act,
    /// The purpose (sexual or labour exploitation, organ removal…).
    Purpose,
    /// Who the victim is (minor, pregnant, helpless…).
    Victim,
    /// Who acted and how they were organised (group, criminal group, official…).
    Offender,
    /// How it was done (violence, deception, telecom networks, across the border…).
    Method,
    /// What followed (death or other grave consequences).
    Consequence,
    /// Conduct specific to one offence (brothel, abduction, organ removal…).
    Conduct,
}

/// A fact the investigator is asked about: the unit the articles are built from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fact {
    /// Stable identifier used in answers and article files (e.g. `recruitment`).
    pub id: String,
    /// Grouping for the questionnaire.
    pub group: FactGroup,
    /// Short label, in the Code's own wording where it has one.
    pub label: Text3,
    /// The question put to the investigator.
    pub question: Text3,
    /// Facts that follow from this one ("under 14" → "under 16" → "minor").
    pub implies: Vec<String>,
}

/// Where an article stands relative to trafficking, as the study sorts them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ArticleKind {
    /// «Прямые составы»: arts. 128 and 135.
    Direct,
    /// «Смежные составы»: arts. 116, 125, 126, 134, 308, 309.
    Related,
    /// Named by the study (section 2.3.1) but not quoted in Annex 3: arts. 120–122, 124.
    Referenced,
}

/// A condition on facts: every `all_of` fact and at least one `any_of` fact (if any
/// are listed) must be established.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Condition {
    /// Facts that must all be established.
    pub all_of: Vec<String>,
    /// Facts of which at least one must be established (ignored when empty).
    pub any_of: Vec<String>,
}

/// One of several ways to fulfil a corpus (e.g. "sale" or "recruitment for
/// exploitation"); one established way suffices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alternative {
    /// Russian label.
    pub label_ru: String,
    /// English label.
    pub label_en: String,
    /// Conditions that must all hold.
    pub conditions: Vec<Condition>,
}

/// A qualifying feature: what makes this part rather than the base part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Feature {
    /// The item number in the part ("1", "1-1"); empty when the Code does not number it.
    pub item: String,
    /// The item's text as quoted.
    pub text_ru: String,
    /// The facts that establish it.
    pub condition: Condition,
    /// Whether this is the "through telecommunication networks" aggravation.
    pub telecom: bool,
}

/// The kind of a punishment, as the sanctions quoted in Annex 3 name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PunishmentKind {
    /// Лишение свободы (years).
    Imprisonment,
    /// Ограничение свободы (years).
    RestrictionOfLiberty,
    /// Штраф (monthly calculation indices, МРП).
    Fine,
    /// Исправительные работы (МРП).
    CorrectionalWorks,
    /// Общественные работы (hours).
    CommunityWorks,
    /// Конфискация имущества (additional).
    Confiscation,
    /// Лишение права занимать определенные должности или заниматься определенной
    /// деятельностью (additional; years or for life).
    DeprivationOfRight,
}

/// One punishment of a sanction, with its bounds. Absent bounds are not stated in
/// the sanction (the Code's general part fixes them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Punishment {
    /// The kind.
    pub kind: PunishmentKind,
    /// Lower bound in years, when the sanction states one ("от четырех").
    pub min_years: Option<u32>,
    /// Upper bound in years ("до семи лет").
    pub max_years: Option<u32>,
    /// Upper bound in monthly calculation indices (МРП) for fines and correctional works.
    pub max_mrp: Option<u32>,
    /// Upper bound in hours for community works.
    pub max_hours: Option<u32>,
    /// For life («пожизненным лишением права…»).
    pub lifetime: bool,
    /// The court may impose it or not («или без такового»).
    pub optional: bool,
}

/// A sanction: alternative main punishments and the additional ones that go with them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Penalty {
    /// Main punishments, alternatives ("штраф … либо лишение свободы").
    pub main: Vec<Punishment>,
    /// Additional punishments ("с конфискацией имущества").
    pub additional: Vec<Punishment>,
}

/// One part of an article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Part {
    /// The part number ("1"…"4"); empty when the source names no part.
    pub number: String,
    /// Line of the part in its file, for messages.
    pub line: usize,
    /// The disposition as quoted (or, when `quoted` is false, the study's description).
    pub text_ru: String,
    /// Whether `text_ru` is the Code's text as quoted in Annex 3.
    pub quoted: bool,
    /// Whether Annex 3 abbreviates this part («...») or gives no sanction.
    pub abbreviated: bool,
    /// The sanction as quoted.
    pub penalty_text_ru: Option<String>,
    /// The part whose corpus this part builds on ("Те же деяния…").
    pub base: Option<String>,
    /// Conditions of the corpus that must all hold.
    pub required: Vec<Condition>,
    /// Ways to fulfil the corpus, one of which must hold (none listed: no choice).
    pub alternatives: Vec<Alternative>,
    /// Qualifying features, one of which must hold (none listed: none needed).
    pub features: Vec<Feature>,
    /// The sanction as structured data; `None` when Annex 3 does not quote it.
    pub penalty: Option<Penalty>,
    /// Listed in art. 3 item 1-1 as a crime related to trafficking in persons.
    pub trafficking_related: bool,
}

/// An article of the Criminal Code with its parts and source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    /// The article number.
    pub number: u16,
    /// The data file it came from.
    pub file: String,
    /// Russian title.
    pub title_ru: String,
    /// English title (unofficial translation).
    pub title_en: String,
    /// Direct, related or merely referenced.
    pub kind: ArticleKind,
    /// Where the text comes from (Russian).
    pub source_ru: String,
    /// Where the text comes from (English).
    pub source_en: String,
    /// The edition, as far as the source states it.
    pub edition_ru: Option<String>,
    /// Whether Annex 3 quotes the article.
    pub quoted_in_annex: bool,
    /// What the source leaves out (Russian).
    pub omissions_ru: Option<String>,
    /// What the source leaves out (English).
    pub omissions_en: Option<String>,
    /// Articles to which this one is the special norm (135 over 128, 134 over 308).
    pub special_over: Vec<u16>,
    /// Notes to the article as quoted (Russian).
    pub notes_ru: Vec<String>,
    /// Notes to the article (English summary).
    pub notes_en: Vec<String>,
    /// The parts, in file order.
    pub parts: Vec<Part>,
}

impl Article {
    /// The part with this number.
    pub fn part(&self, number: &str) -> Option<&Part> {
        self.parts.iter().find(|p| p.number == number)
    }
}

/// The telecom-network aggravation rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TelecomRule {
    /// The fact that stands for it.
    pub fact: String,
    /// The Code's wording (Russian).
    pub text_ru: String,
    /// English wording.
    pub text_en: String,
    /// Source (Russian).
    pub source_ru: String,
    /// Source (English).
    pub source_en: String,
}

/// One deed that art. 3 item 1-1 lists as related to trafficking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cover {
    /// Article number.
    pub article: u16,
    /// Part, when only one part is listed.
    pub part: Option<String>,
    /// Item, when only one item of that part is listed.
    pub item: Option<String>,
}

/// The rule that reconciliation is not available for trafficking-related crimes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReconciliationRule {
    /// The study's statement (Russian).
    pub statement_ru: String,
    /// English statement.
    pub statement_en: String,
    /// Source of the statement (Russian).
    pub source_ru: String,
    /// Source of the statement (English).
    pub source_en: String,
    /// Art. 3 item 1-1 as the study quotes it.
    pub definition_ru: String,
    /// Source of the definition.
    pub definition_source_ru: String,
    /// The Code's norm on reconciliation (Russian).
    pub norm_ru: String,
    /// The Code's norm on reconciliation (English).
    pub norm_en: String,
    /// False while the norm's article number is not checked against the Code
    /// (the study does not name it).
    pub norm_verified: bool,
    /// The deeds covered.
    pub covers: Vec<Cover>,
}

/// Rules across articles and the data set's identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rules {
    /// The edition of the data set.
    pub edition: String,
    /// The data set's source (Russian).
    pub source_ru: String,
    /// The data set's source (English).
    pub source_en: String,
    /// The Code (Russian).
    pub code_ru: String,
    /// The Code (English).
    pub code_en: String,
    /// Telecom-network aggravation.
    pub telecom: TelecomRule,
    /// No reconciliation for trafficking-related crimes.
    pub reconciliation: ReconciliationRule,
}
