//! Reading and validating the data files. Every problem is collected with its file,
//! line and column; nothing here panics on input.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use crate::error::{DataIssue, IssueKind, LoadError};
use crate::model::{
    Alternative, Article, ArticleKind, Condition, Cover, Fact, FactGroup, Feature, Part, Penalty,
    Punishment, PunishmentKind, ReconciliationRule, Rules, TelecomRule, Text3,
};

/// The longest term of imprisonment a sanction may state (the Code's fixed terms
/// do not exceed twenty years; life imprisonment is not a term).
const MAX_TERM_YEARS: u32 = 20;

/// One data file: its name (used in messages) and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Name shown in error messages, e.g. `articles/128.toml`.
    pub name: String,
    /// The file's contents.
    pub text: String,
}

impl SourceFile {
    /// A named file, for callers that read the data from disk or a database.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            text: text.into(),
        }
    }
}

/// The complete set of data files a [`crate::Library`] is built from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataFiles {
    /// `facts.toml`: the questions.
    pub facts: SourceFile,
    /// `rules.toml`: telecom aggravation, reconciliation, edition.
    pub rules: SourceFile,
    /// One file per article.
    pub articles: Vec<SourceFile>,
}

impl DataFiles {
    /// The data files shipped inside the crate (the study's Annex 3).
    pub fn builtin() -> Self {
        let article = |name: &str, text: &str| SourceFile::new(format!("articles/{name}"), text);
        Self {
            facts: SourceFile::new("facts.toml", include_str!("../data/facts.toml")),
            rules: SourceFile::new("rules.toml", include_str!("../data/rules.toml")),
            articles: vec![
                article("116.toml", include_str!("../data/articles/116.toml")),
                article("120.toml", include_str!("../data/articles/120.toml")),
                article("121.toml", include_str!("../data/articles/121.toml")),
                article("122.toml", include_str!("../data/articles/122.toml")),
                article("124.toml", include_str!("../data/articles/124.toml")),
                article("125.toml", include_str!("../data/articles/125.toml")),
                article("126.toml", include_str!("../data/articles/126.toml")),
                article("128.toml", include_str!("../data/articles/128.toml")),
                article("134.toml", include_str!("../data/articles/134.toml")),
                article("135.toml", include_str!("../data/articles/135.toml")),
                article("308.toml", include_str!("../data/articles/308.toml")),
                article("309.toml", include_str!("../data/articles/309.toml")),
            ],
        }
    }
}

// ------------------------------------------------------------------ file shapes

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FactsDoc {
    meta: FactsMeta,
    #[serde(default)]
    fact: Vec<Spanned<FactDoc>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FactsMeta {
    kk_reviewed: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FactDoc {
    id: Spanned<String>,
    group: FactGroup,
    label_ru: String,
    label_kk: String,
    label_en: String,
    question_ru: String,
    question_kk: String,
    question_en: String,
    #[serde(default)]
    implies: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesDoc {
    meta: RulesMeta,
    telecom: TelecomDoc,
    reconciliation: ReconciliationDoc,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesMeta {
    edition: String,
    source_ru: String,
    source_en: String,
    code_ru: String,
    code_en: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TelecomDoc {
    fact: Spanned<String>,
    text_ru: String,
    text_en: String,
    source_ru: String,
    source_en: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReconciliationDoc {
    statement_ru: String,
    statement_en: String,
    source_ru: String,
    source_en: String,
    definition_ru: String,
    definition_source_ru: String,
    norm_ru: String,
    norm_en: String,
    norm_verified: bool,
    #[serde(default)]
    covers: Vec<Spanned<CoverDoc>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CoverDoc {
    article: u16,
    part: Option<String>,
    item: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ArticleFileDoc {
    article: ArticleDoc,
    #[serde(default)]
    part: Vec<Spanned<PartDoc>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ArticleDoc {
    number: Spanned<u16>,
    title_ru: String,
    title_en: String,
    kind: ArticleKind,
    source_ru: String,
    source_en: String,
    edition_ru: Option<String>,
    quoted_in_annex: bool,
    omissions_ru: Option<String>,
    omissions_en: Option<String>,
    #[serde(default)]
    special_over: Vec<Spanned<u16>>,
    #[serde(default)]
    notes_ru: Vec<String>,
    #[serde(default)]
    notes_en: Vec<String>,
}

fn default_true() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PartDoc {
    number: Spanned<String>,
    trafficking_related: bool,
    #[serde(default = "default_true")]
    quoted: bool,
    #[serde(default)]
    abbreviated: bool,
    text_ru: String,
    penalty_text_ru: Option<String>,
    base: Option<Spanned<String>>,
    #[serde(default)]
    required: Vec<Spanned<ConditionDoc>>,
    #[serde(default)]
    alternative: Vec<Spanned<AlternativeDoc>>,
    #[serde(default)]
    feature: Vec<Spanned<FeatureDoc>>,
    penalty: Option<Spanned<PenaltyDoc>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConditionDoc {
    #[serde(default)]
    all_of: Vec<Spanned<String>>,
    #[serde(default)]
    any_of: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AlternativeDoc {
    label_ru: String,
    label_en: String,
    #[serde(default)]
    conditions: Vec<Spanned<ConditionDoc>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FeatureDoc {
    item: Spanned<String>,
    text_ru: String,
    #[serde(default)]
    all_of: Vec<Spanned<String>>,
    #[serde(default)]
    any_of: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PenaltyDoc {
    #[serde(default)]
    main: Vec<Spanned<PunishmentDoc>>,
    #[serde(default)]
    additional: Vec<Spanned<PunishmentDoc>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PunishmentDoc {
    kind: PunishmentKind,
    min_years: Option<u32>,
    max_years: Option<u32>,
    max_mrp: Option<u32>,
    max_hours: Option<u32>,
    #[serde(default)]
    lifetime: bool,
    #[serde(default)]
    optional: bool,
}

// ------------------------------------------------------------------ loading

/// What a successful load yields; [`crate::Library`] wraps it.
pub(crate) struct Loaded {
    pub facts: Vec<Fact>,
    pub kk_reviewed: bool,
    pub articles: Vec<Article>,
    pub rules: Rules,
}

/// Collects issues for one file.
struct Sink<'a> {
    file: &'a SourceFile,
    issues: &'a mut Vec<DataIssue>,
}

impl Sink<'_> {
    fn at(&mut self, span: Range<usize>, kind: IssueKind) {
        self.issues.push(DataIssue::at(
            &self.file.name,
            &self.file.text,
            span.start,
            kind,
        ));
    }

    fn line(&self, span: &Range<usize>) -> usize {
        crate::error::line_col(&self.file.text, span.start).0
    }
}

fn parse<T: for<'de> Deserialize<'de>>(
    file: &SourceFile,
    issues: &mut Vec<DataIssue>,
) -> Option<T> {
    match toml::from_str::<T>(&file.text) {
        Ok(doc) => Some(doc),
        Err(e) => {
            let offset = e.span().map_or(0, |s| s.start);
            issues.push(DataIssue::at(
                &file.name,
                &file.text,
                offset,
                IssueKind::Syntax {
                    message: e.message().trim().to_string(),
                },
            ));
            None
        }
    }
}

pub(crate) fn load(files: &DataFiles) -> Result<Loaded, LoadError> {
    let mut issues = Vec::new();

    // Facts first: every other file refers to them.
    let facts_doc: Option<FactsDoc> = parse(&files.facts, &mut issues);
    let mut facts = Vec::new();
    let mut kk_reviewed = false;
    let mut known: BTreeSet<String> = BTreeSet::new();
    if let Some(doc) = facts_doc {
        kk_reviewed = doc.meta.kk_reviewed;
        let mut sink = Sink {
            file: &files.facts,
            issues: &mut issues,
        };
        for f in &doc.fact {
            let f = f.get_ref();
            if !known.insert(f.id.get_ref().clone()) {
                sink.at(
                    f.id.span(),
                    IssueKind::DuplicateFact {
                        fact: f.id.get_ref().clone(),
                    },
                );
            }
        }
        for f in doc.fact {
            let f = f.into_inner();
            for imp in &f.implies {
                check_fact(&mut sink, &known, imp);
            }
            facts.push(Fact {
                id: f.id.into_inner(),
                group: f.group,
                label: Text3 {
                    ru: f.label_ru,
                    kk: f.label_kk,
                    en: f.label_en,
                },
                question: Text3 {
                    ru: f.question_ru,
                    kk: f.question_kk,
                    en: f.question_en,
                },
                implies: f.implies.into_iter().map(Spanned::into_inner).collect(),
            });
        }
    }

    // Articles.
    let mut articles: Vec<Article> = Vec::new();
    let mut first_file: BTreeMap<u16, String> = BTreeMap::new();
    let mut special_refs: Vec<(String, Spanned<u16>)> = Vec::new();
    // When an article file cannot be read, references to its article from other
    // files would only repeat the same problem: cross-file checks are skipped.
    let mut unreadable = false;
    for file in &files.articles {
        let Some(doc) = parse::<ArticleFileDoc>(file, &mut issues) else {
            unreadable = true;
            continue;
        };
        let mut sink = Sink {
            file,
            issues: &mut issues,
        };
        let number = *doc.article.number.get_ref();
        if let Some(first) = first_file.get(&number) {
            sink.at(
                doc.article.number.span(),
                IssueKind::DuplicateArticle {
                    article: number,
                    first_file: first.clone(),
                },
            );
            continue;
        }
        first_file.insert(number, file.name.clone());
        if let Some(article) = build_article(&mut sink, &known, doc, &mut special_refs) {
            articles.push(article);
        }
    }
    // `special_over` must name loaded articles.
    for (file_name, target) in special_refs {
        if !unreadable && !first_file.contains_key(target.get_ref()) {
            let file = files.articles.iter().find(|f| f.name == file_name);
            if let Some(file) = file {
                Sink {
                    file,
                    issues: &mut issues,
                }
                .at(
                    target.span(),
                    IssueKind::UnknownReference {
                        reference: format!("special_over article {}", target.get_ref()),
                    },
                );
            }
        }
    }

    // Rules, checked against facts and articles.
    let rules = parse::<RulesDoc>(&files.rules, &mut issues).map(|doc| {
        let mut sink = Sink {
            file: &files.rules,
            issues: &mut issues,
        };
        build_rules(&mut sink, &known, &articles, !unreadable, doc)
    });

    // Mark the telecom features now that the rule is known.
    if let Some(rules) = &rules {
        let fact = &rules.telecom.fact;
        for article in &mut articles {
            for part in &mut article.parts {
                for feature in &mut part.features {
                    feature.telecom = feature.condition.all_of.contains(fact)
                        || feature.condition.any_of.contains(fact);
                }
            }
        }
    }

    match rules {
        Some(rules) if issues.is_empty() => {
            articles.sort_by_key(|a| a.number);
            Ok(Loaded {
                facts,
                kk_reviewed,
                articles,
                rules,
            })
        }
        _ => Err(LoadError { issues }),
    }
}

fn check_fact(sink: &mut Sink<'_>, known: &BTreeSet<String>, name: &Spanned<String>) {
    if !known.contains(name.get_ref()) {
        sink.at(
            name.span(),
            IssueKind::UnknownFact {
                fact: name.get_ref().clone(),
            },
        );
    }
}

fn build_condition(
    sink: &mut Sink<'_>,
    known: &BTreeSet<String>,
    span: Range<usize>,
    all_of: Vec<Spanned<String>>,
    any_of: Vec<Spanned<String>>,
) -> Condition {
    if all_of.is_empty() && any_of.is_empty() {
        sink.at(span, IssueKind::EmptyCondition);
    }
    for f in all_of.iter().chain(any_of.iter()) {
        check_fact(sink, known, f);
    }
    Condition {
        all_of: all_of.into_iter().map(Spanned::into_inner).collect(),
        any_of: any_of.into_iter().map(Spanned::into_inner).collect(),
    }
}

fn build_article(
    sink: &mut Sink<'_>,
    known: &BTreeSet<String>,
    doc: ArticleFileDoc,
    special_refs: &mut Vec<(String, Spanned<u16>)>,
) -> Option<Article> {
    let a = doc.article;
    let number = *a.number.get_ref();
    if doc.part.is_empty() {
        sink.at(a.number.span(), IssueKind::NoParts { article: number });
        return None;
    }
    let mut parts: Vec<Part> = Vec::new();
    let mut part_lines: BTreeMap<String, usize> = BTreeMap::new();
    // Parts with their own corpus (no base), for checking `base`.
    let mut roots: BTreeSet<String> = BTreeSet::new();
    let mut bases: Vec<(String, Spanned<String>)> = Vec::new();
    for p in doc.part {
        let part_span = p.span();
        let p = p.into_inner();
        let pnum = p.number.get_ref().clone();
        let line = sink.line(&p.number.span());
        if let Some(first_line) = part_lines.get(&pnum) {
            sink.at(
                p.number.span(),
                IssueKind::DuplicatePart {
                    article: number,
                    part: pnum.clone(),
                    first_line: *first_line,
                },
            );
            continue;
        }
        part_lines.insert(pnum.clone(), line);

        let required: Vec<Condition> = p
            .required
            .into_iter()
            .map(|c| {
                let span = c.span();
                let c = c.into_inner();
                build_condition(sink, known, span, c.all_of, c.any_of)
            })
            .collect();
        let mut alternatives = Vec::new();
        for alt in p.alternative {
            let span = alt.span();
            let alt = alt.into_inner();
            if alt.conditions.is_empty() {
                sink.at(
                    span.clone(),
                    IssueKind::EmptyAlternative {
                        label: alt.label_en.clone(),
                    },
                );
            }
            let conditions = alt
                .conditions
                .into_iter()
                .map(|c| {
                    let span = c.span();
                    let c = c.into_inner();
                    build_condition(sink, known, span, c.all_of, c.any_of)
                })
                .collect();
            alternatives.push(Alternative {
                label_ru: alt.label_ru,
                label_en: alt.label_en,
                conditions,
            });
        }
        let mut features = Vec::new();
        let mut items: BTreeSet<String> = BTreeSet::new();
        for f in p.feature {
            let span = f.span();
            let f = f.into_inner();
            let item = f.item.get_ref().clone();
            if !item.is_empty() && !items.insert(item.clone()) {
                sink.at(
                    f.item.span(),
                    IssueKind::DuplicateItem {
                        part: pnum.clone(),
                        item: item.clone(),
                    },
                );
            }
            let condition = build_condition(sink, known, span, f.all_of, f.any_of);
            features.push(Feature {
                item,
                text_ru: f.text_ru,
                condition,
                telecom: false,
            });
        }

        match &p.base {
            None => {
                if required.is_empty() && alternatives.is_empty() {
                    sink.at(
                        part_span.clone(),
                        IssueKind::EmptyCorpus { part: pnum.clone() },
                    );
                }
                roots.insert(pnum.clone());
            }
            Some(base) => {
                if features.is_empty() {
                    sink.at(base.span(), IssueKind::NoFeatures { part: pnum.clone() });
                }
                bases.push((pnum.clone(), base.clone()));
            }
        }

        let penalty = match p.penalty {
            Some(pen) => build_penalty(sink, pen),
            None => {
                if !p.abbreviated {
                    sink.at(part_span, IssueKind::MissingPenalty { part: pnum.clone() });
                }
                None
            }
        };

        parts.push(Part {
            number: pnum,
            line,
            text_ru: p.text_ru,
            quoted: p.quoted,
            abbreviated: p.abbreviated,
            penalty_text_ru: p.penalty_text_ru,
            base: p.base.map(Spanned::into_inner),
            required,
            alternatives,
            features,
            penalty,
            trafficking_related: p.trafficking_related,
        });
    }
    for (part, base) in bases {
        if !roots.contains(base.get_ref()) {
            sink.at(
                base.span(),
                IssueKind::BadBase {
                    part,
                    base: base.get_ref().clone(),
                },
            );
        }
    }
    let special_over = a.special_over.iter().map(|s| *s.get_ref()).collect();
    special_refs.extend(
        a.special_over
            .into_iter()
            .map(|s| (sink.file.name.clone(), s)),
    );
    Some(Article {
        number,
        file: sink.file.name.clone(),
        title_ru: a.title_ru,
        title_en: a.title_en,
        kind: a.kind,
        source_ru: a.source_ru,
        source_en: a.source_en,
        edition_ru: a.edition_ru,
        quoted_in_annex: a.quoted_in_annex,
        omissions_ru: a.omissions_ru,
        omissions_en: a.omissions_en,
        special_over,
        notes_ru: a.notes_ru,
        notes_en: a.notes_en,
        parts,
    })
}

fn build_penalty(sink: &mut Sink<'_>, pen: Spanned<PenaltyDoc>) -> Option<Penalty> {
    let span = pen.span();
    let pen = pen.into_inner();
    let mut ok = true;
    if pen.main.is_empty() {
        sink.at(
            span,
            IssueKind::BadPenalty {
                reason: "`main` lists no punishment".into(),
            },
        );
        ok = false;
    }
    let mut main = Vec::new();
    for p in pen.main {
        let span = p.span();
        let p = p.into_inner();
        if let Err(reason) = check_punishment(&p, false) {
            sink.at(span, IssueKind::BadPenalty { reason });
            ok = false;
        }
        main.push(punishment(p));
    }
    let mut additional = Vec::new();
    for p in pen.additional {
        let span = p.span();
        let p = p.into_inner();
        if let Err(reason) = check_punishment(&p, true) {
            sink.at(span, IssueKind::BadPenalty { reason });
            ok = false;
        }
        additional.push(punishment(p));
    }
    ok.then_some(Penalty { main, additional })
}

fn punishment(p: PunishmentDoc) -> Punishment {
    Punishment {
        kind: p.kind,
        min_years: p.min_years,
        max_years: p.max_years,
        max_mrp: p.max_mrp,
        max_hours: p.max_hours,
        lifetime: p.lifetime,
        optional: p.optional,
    }
}

fn check_punishment(p: &PunishmentDoc, additional: bool) -> Result<(), String> {
    use PunishmentKind as K;
    let kind = p.kind;
    let is_additional_kind = matches!(kind, K::Confiscation | K::DeprivationOfRight);
    if additional != is_additional_kind {
        return Err(if additional {
            format!("{kind:?} is a main punishment, not an additional one")
        } else {
            format!("{kind:?} is an additional punishment, list it under `additional`")
        });
    }
    if p.optional && !additional {
        return Err("`optional` applies to additional punishments only".into());
    }
    let years = p.min_years.is_some() || p.max_years.is_some();
    match kind {
        K::Imprisonment | K::RestrictionOfLiberty => {
            let Some(max) = p.max_years else {
                return Err(format!("{kind:?} needs `max_years`"));
            };
            if p.max_mrp.is_some() || p.max_hours.is_some() || p.lifetime {
                return Err(format!("{kind:?} is measured in years only"));
            }
            check_years(p.min_years, max)?;
        }
        K::Fine | K::CorrectionalWorks => {
            match p.max_mrp {
                Some(0) | None => return Err(format!("{kind:?} needs a positive `max_mrp`")),
                Some(_) => {}
            }
            if years || p.max_hours.is_some() || p.lifetime {
                return Err(format!("{kind:?} is measured in МРП only"));
            }
        }
        K::CommunityWorks => {
            match p.max_hours {
                Some(0) | None => return Err(format!("{kind:?} needs a positive `max_hours`")),
                Some(_) => {}
            }
            if years || p.max_mrp.is_some() || p.lifetime {
                return Err(format!("{kind:?} is measured in hours only"));
            }
        }
        K::Confiscation => {
            if years || p.max_mrp.is_some() || p.max_hours.is_some() || p.lifetime {
                return Err("Confiscation takes no term".into());
            }
        }
        K::DeprivationOfRight => {
            if p.max_mrp.is_some() || p.max_hours.is_some() {
                return Err("DeprivationOfRight is measured in years or for life".into());
            }
            match (p.lifetime, p.max_years) {
                (true, None) if p.min_years.is_none() => {}
                (true, _) => return Err("a lifetime deprivation takes no years".into()),
                (false, Some(max)) => check_years(p.min_years, max)?,
                (false, None) => {
                    return Err("DeprivationOfRight needs `max_years` or `lifetime = true`".into());
                }
            }
        }
    }
    Ok(())
}

fn check_years(min: Option<u32>, max: u32) -> Result<(), String> {
    if max == 0 || max > MAX_TERM_YEARS {
        return Err(format!("max_years = {max} is outside 1..={MAX_TERM_YEARS}"));
    }
    if let Some(min) = min
        && min > max
    {
        return Err(format!("min_years = {min} is above max_years = {max}"));
    }
    Ok(())
}

fn build_rules(
    sink: &mut Sink<'_>,
    known: &BTreeSet<String>,
    articles: &[Article],
    cross_check: bool,
    doc: RulesDoc,
) -> Rules {
    check_fact(sink, known, &doc.telecom.fact);
    let r = doc.reconciliation;
    let mut covers = Vec::new();
    for c in &r.covers {
        let span = c.span();
        let c = c.get_ref();
        let reference = format!(
            "article {}{}{}",
            c.article,
            c.part
                .as_ref()
                .map(|p| format!(" part {p}"))
                .unwrap_or_default(),
            c.item
                .as_ref()
                .map(|i| format!(" item {i}"))
                .unwrap_or_default()
        );
        covers.push(Cover {
            article: c.article,
            part: c.part.clone(),
            item: c.item.clone(),
        });
        if !cross_check {
            continue;
        }
        let Some(article) = articles.iter().find(|a| a.number == c.article) else {
            sink.at(span, IssueKind::UnknownReference { reference });
            continue;
        };
        if let Some(pnum) = &c.part {
            match article.part(pnum) {
                None => sink.at(span, IssueKind::UnknownReference { reference }),
                Some(part) => {
                    if let Some(item) = &c.item
                        && !part.features.iter().any(|f| &f.item == item)
                    {
                        sink.at(span, IssueKind::UnknownReference { reference });
                    }
                }
            }
        } else if c.item.is_some() {
            sink.at(span, IssueKind::UnknownReference { reference });
        }
    }
    // Every part's flag must agree with the list.
    for article in articles {
        for part in &article.parts {
            let expected = covers.iter().any(|c| {
                c.article == article.number && c.part.as_ref().is_none_or(|p| *p == part.number)
            });
            if expected != part.trafficking_related {
                // Reported at the part, in the article's file.
                sink.issues.push(DataIssue {
                    file: article.file.clone(),
                    line: part.line,
                    column: 1,
                    kind: IssueKind::ReconciliationMismatch {
                        article: article.number,
                        part: part.number.clone(),
                        flag: part.trafficking_related,
                        expected,
                    },
                });
            }
        }
    }
    Rules {
        edition: doc.meta.edition,
        source_ru: doc.meta.source_ru,
        source_en: doc.meta.source_en,
        code_ru: doc.meta.code_ru,
        code_en: doc.meta.code_en,
        telecom: TelecomRule {
            fact: doc.telecom.fact.into_inner(),
            text_ru: doc.telecom.text_ru,
            text_en: doc.telecom.text_en,
            source_ru: doc.telecom.source_ru,
            source_en: doc.telecom.source_en,
        },
        reconciliation: ReconciliationRule {
            statement_ru: r.statement_ru,
            statement_en: r.statement_en,
            source_ru: r.source_ru,
            source_en: r.source_en,
            definition_ru: r.definition_ru,
            definition_source_ru: r.definition_source_ru,
            norm_ru: r.norm_ru,
            norm_en: r.norm_en,
            norm_verified: r.norm_verified,
            covers,
        },
    }
}
