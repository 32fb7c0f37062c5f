//! The rule file: conditions on a case → which agencies receive it, what
//! each may see, and by when it must acknowledge and act.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::directory::{Directory, Scope, valid_key};
use crate::duration::WorkDuration;
use crate::error::{LoadError, LoadErrorKind, LoadErrors, Source};

/// The rule file shipped with the crate, following the study (4.3, 5.2, 3.1).
pub const DEFAULT_RULES: &str = include_str!("../data/rules.default.toml");

/// How loudly a referral is pushed. `Heavy` is the study's «тяжёлая
/// эскалация» (3.1): an automatic hand-off to the Interpol NCB in defined
/// cases, and a missed deadline on it is flagged as heavy on every dashboard.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Escalation {
    /// The ordinary hand-off.
    #[default]
    Normal,
    /// Heavy escalation.
    Heavy,
}

impl fmt::Display for Escalation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Escalation::Normal => "normal",
            Escalation::Heavy => "heavy",
        })
    }
}

/// A yes/no fact of a case that rules may test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fact {
    /// A person under 18 is involved (victim or target).
    MinorInvolved,
    /// A victim has been identified (study 4.3: even without a criminal case).
    VictimIdentified,
    /// The victim's consent to a referral to an NGO is recorded.
    VictimConsent,
    /// Crypto-assets are involved (payments, wallets).
    CryptoInvolved,
    /// A resource of the case is hosted abroad.
    ForeignHosting,
    /// A suspect is abroad or a foreign national.
    ForeignSuspects,
}

impl Fact {
    /// The field name in the rule file and in explanations.
    pub fn as_str(self) -> &'static str {
        match self {
            Fact::MinorInvolved => "minor_involved",
            Fact::VictimIdentified => "victim_identified",
            Fact::VictimConsent => "victim_consent",
            Fact::CryptoInvolved => "crypto_involved",
            Fact::ForeignHosting => "foreign_hosting",
            Fact::ForeignSuspects => "foreign_suspects",
        }
    }
}

/// A condition on the facts of a case, compiled from a `when` table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    /// Matches every case (`always = true`), for rules such as "every case → МВД".
    Always,
    /// Every part must hold (`all = [...]`, or several keys in one table).
    All(Vec<Condition>),
    /// At least one part must hold (`any = [...]`).
    Any(Vec<Condition>),
    /// The part must not hold (`not = {...}`).
    Not(Box<Condition>),
    /// A yes/no fact has the given value (`minor_involved = true`).
    Fact {
        /// Which fact.
        fact: Fact,
        /// The value it must have.
        value: bool,
    },
    /// The case scenario is one of these (`scenario = ["sexual_exploitation"]`).
    Scenario(Vec<String>),
    /// The case region is one of these (`region = ["KZ-75", "KZ-71"]`).
    Region(Vec<String>),
    /// The case carries this free tag (`tag = "sextortion"`).
    Tag(String),
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let join = |f: &mut fmt::Formatter<'_>, parts: &[Condition], sep: &str| {
            f.write_str("(")?;
            for (i, p) in parts.iter().enumerate() {
                if i > 0 {
                    f.write_str(sep)?;
                }
                write!(f, "{p}")?;
            }
            f.write_str(")")
        };
        match self {
            Condition::Always => f.write_str("every case"),
            Condition::All(p) => join(f, p, " and "),
            Condition::Any(p) => join(f, p, " or "),
            Condition::Not(c) => write!(f, "not {c}"),
            Condition::Fact { fact, value } => write!(f, "{} = {value}", fact.as_str()),
            Condition::Scenario(v) => write!(f, "scenario in [{}]", v.join(", ")),
            Condition::Region(v) => write!(f, "region in [{}]", v.join(", ")),
            Condition::Tag(t) => write!(f, "tag {t}"),
        }
    }
}

/// One hand-off a rule asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Send {
    /// Agency kind from the agency file.
    pub agency: String,
    /// What the agency may see, sorted.
    pub scopes: Vec<Scope>,
    /// Deadline to acknowledge (accept or reject) the referral.
    pub acknowledge_within: WorkDuration,
    /// Deadline to act on it.
    pub act_within: WorkDuration,
    /// The referral may not be sent without the person's recorded consent,
    /// unless an authorised person overrides it with a reason.
    pub requires_consent: bool,
    /// Normal or heavy escalation.
    pub escalation: Escalation,
}

/// One routing rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    /// Unique id, quoted in every explanation.
    pub id: String,
    /// What the rule is for, shown to administrators and in explanations.
    pub description: String,
    /// Where the rule comes from (study section, order), for review.
    pub source: Option<String>,
    /// When the rule applies.
    pub when: Condition,
    /// Where the case goes when it applies.
    pub send: Vec<Send>,
    /// Line of the rule in its file, so an explanation can point to it.
    pub line: usize,
}

/// A checked rule file with the directory it was checked against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleSet {
    /// The administrator's version label of the rule file; recorded with
    /// every routing so a decision can be traced to the rules that made it.
    pub version: String,
    /// Rules in file order.
    pub rules: Vec<Rule>,
    /// Agencies, scenarios and regions the rules refer to.
    pub directory: Directory,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    format: Spanned<u32>,
    version: Spanned<String>,
    #[serde(default)]
    rule: Vec<Spanned<RawRule>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: Spanned<String>,
    description: Spanned<String>,
    source: Option<String>,
    when: Spanned<RawCondition>,
    send: Spanned<Vec<Spanned<RawSend>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCondition {
    always: Option<Spanned<bool>>,
    scenario: Option<Spanned<Vec<Spanned<String>>>>,
    region: Option<Spanned<Vec<Spanned<String>>>>,
    minor_involved: Option<bool>,
    victim_identified: Option<bool>,
    victim_consent: Option<bool>,
    crypto_involved: Option<bool>,
    foreign_hosting: Option<bool>,
    foreign_suspects: Option<bool>,
    tag: Option<Spanned<String>>,
    all: Option<Spanned<Vec<Spanned<RawCondition>>>>,
    any: Option<Spanned<Vec<Spanned<RawCondition>>>>,
    not: Option<Box<Spanned<RawCondition>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSend {
    agency: Spanned<String>,
    scopes: Spanned<Vec<Spanned<String>>>,
    acknowledge_within: Spanned<String>,
    act_within: Spanned<String>,
    #[serde(default)]
    requires_consent: bool,
    #[serde(default)]
    escalation: Escalation,
}

/// Nesting limit for conditions; deeper files are refused rather than risk
/// a stack overflow in evaluation.
const MAX_DEPTH: usize = 16;

struct Checker<'a> {
    src: Source<'a>,
    dir: &'a Directory,
    errors: Vec<LoadError>,
}

impl Checker<'_> {
    fn err(&mut self, span: std::ops::Range<usize>, kind: LoadErrorKind) {
        self.errors.push(self.src.error(span, kind));
    }

    fn condition(&mut self, raw: &Spanned<RawCondition>, depth: usize) -> Condition {
        let span = raw.span();
        let c = raw.get_ref();
        if depth > MAX_DEPTH {
            self.err(
                span,
                LoadErrorKind::Invalid(format!("conditions nested deeper than {MAX_DEPTH}")),
            );
            return Condition::Always;
        }
        let mut parts = Vec::new();
        if let Some(a) = &c.always {
            if !*a.get_ref() {
                self.err(
                    a.span(),
                    LoadErrorKind::Invalid(
                        "`always` may only be true; to never match, delete the rule".into(),
                    ),
                );
            }
            parts.push(Condition::Always);
        }
        if let Some(list) = &c.scenario {
            let values = self.list(list, "scenario");
            for v in list.get_ref() {
                if !self.dir.has_scenario(v.get_ref()) {
                    self.err(
                        v.span(),
                        LoadErrorKind::UnknownScenario(v.get_ref().clone()),
                    );
                }
            }
            parts.push(Condition::Scenario(values));
        }
        if let Some(list) = &c.region {
            let values = self.list(list, "region");
            for v in list.get_ref() {
                if !self.dir.has_region(v.get_ref()) {
                    self.err(v.span(), LoadErrorKind::UnknownRegion(v.get_ref().clone()));
                }
            }
            parts.push(Condition::Region(values));
        }
        for (fact, value) in [
            (Fact::MinorInvolved, c.minor_involved),
            (Fact::VictimIdentified, c.victim_identified),
            (Fact::VictimConsent, c.victim_consent),
            (Fact::CryptoInvolved, c.crypto_involved),
            (Fact::ForeignHosting, c.foreign_hosting),
            (Fact::ForeignSuspects, c.foreign_suspects),
        ] {
            if let Some(value) = value {
                parts.push(Condition::Fact { fact, value });
            }
        }
        if let Some(t) = &c.tag {
            if t.get_ref().trim().is_empty() {
                self.err(t.span(), LoadErrorKind::Invalid("empty tag".into()));
            }
            parts.push(Condition::Tag(t.get_ref().clone()));
        }
        for (list, name) in [(&c.all, "all"), (&c.any, "any")] {
            if let Some(list) = list {
                if list.get_ref().is_empty() {
                    self.err(
                        list.span(),
                        LoadErrorKind::Invalid(format!("`{name}` needs at least one condition")),
                    );
                }
                let inner: Vec<Condition> = list
                    .get_ref()
                    .iter()
                    .map(|x| self.condition(x, depth + 1))
                    .collect();
                parts.push(if name == "all" {
                    Condition::All(inner)
                } else {
                    Condition::Any(inner)
                });
            }
        }
        if let Some(n) = &c.not {
            parts.push(Condition::Not(Box::new(self.condition(n, depth + 1))));
        }
        if parts.len() > 1 && parts.contains(&Condition::Always) {
            self.err(
                span.clone(),
                LoadErrorKind::Invalid(
                    "`always = true` cannot be combined with other tests".into(),
                ),
            );
        }
        match parts.len() {
            0 => {
                self.err(
                    span,
                    LoadErrorKind::Invalid(
                        "a condition needs at least one test (use `always = true` for every case)"
                            .into(),
                    ),
                );
                Condition::Always
            }
            1 => parts.pop().unwrap_or(Condition::Always),
            _ => Condition::All(parts),
        }
    }

    fn list(&mut self, list: &Spanned<Vec<Spanned<String>>>, what: &str) -> Vec<String> {
        if list.get_ref().is_empty() {
            self.err(
                list.span(),
                LoadErrorKind::Invalid(format!("`{what}` needs at least one value")),
            );
        }
        list.get_ref().iter().map(|v| v.get_ref().clone()).collect()
    }

    fn duration(&mut self, raw: &Spanned<String>) -> Option<WorkDuration> {
        match raw.get_ref().parse::<WorkDuration>() {
            Ok(d) => Some(d),
            Err(e) => {
                self.err(
                    raw.span(),
                    LoadErrorKind::BadDuration {
                        text: raw.get_ref().clone(),
                        why: e.0,
                    },
                );
                None
            }
        }
    }

    fn send(&mut self, raw: &Spanned<RawSend>) -> Option<Send> {
        let s = raw.get_ref();
        let agency = self.dir.agency(s.agency.get_ref()).cloned();
        if agency.is_none() {
            self.err(
                s.agency.span(),
                LoadErrorKind::UnknownAgency(s.agency.get_ref().clone()),
            );
        }
        let mut scopes: Vec<Scope> = Vec::new();
        for v in s.scopes.get_ref() {
            match v.get_ref().parse::<Scope>() {
                Ok(scope) if scopes.contains(&scope) => self.err(
                    v.span(),
                    LoadErrorKind::ContradictoryScopes(format!("`{scope}` listed twice")),
                ),
                Ok(scope) => {
                    if let Some(a) = &agency
                        && !a.scopes.contains(&scope)
                    {
                        self.err(
                            v.span(),
                            LoadErrorKind::ScopeNotAllowed {
                                agency: a.kind.clone(),
                                scope: scope.to_string(),
                            },
                        );
                    }
                    scopes.push(scope);
                }
                Err(()) => self.err(v.span(), LoadErrorKind::UnknownScope(v.get_ref().clone())),
            }
        }
        if scopes.is_empty() && s.scopes.get_ref().is_empty() {
            self.err(
                s.scopes.span(),
                LoadErrorKind::Invalid("`scopes` needs at least one scope".into()),
            );
        }
        if scopes.contains(&Scope::Statistics) && scopes.iter().any(|x| x.is_personal()) {
            self.err(
                s.scopes.span(),
                LoadErrorKind::ContradictoryScopes(
                    "`statistics` is de-identified and cannot be granted with a personal scope"
                        .into(),
                ),
            );
        }
        scopes.sort();
        let ack = self.duration(&s.acknowledge_within);
        let act = self.duration(&s.act_within);
        if let (Some(ack), Some(act)) = (ack, act)
            && act.compare(ack) == Some(std::cmp::Ordering::Less)
        {
            self.err(
                s.act_within.span(),
                LoadErrorKind::Invalid(format!(
                    "act_within ({act}) is shorter than acknowledge_within ({ack})"
                )),
            );
        }
        Some(Send {
            agency: s.agency.get_ref().clone(),
            scopes,
            acknowledge_within: ack?,
            act_within: act?,
            requires_consent: s.requires_consent,
            escalation: s.escalation,
        })
    }
}

impl RuleSet {
    /// Parses and checks a rule file against a directory. `file` names it in
    /// error messages. Every problem found is returned, each with its line
    /// and column; the parser never panics on any input.
    pub fn from_toml(file: &str, text: &str, directory: &Directory) -> Result<RuleSet, LoadErrors> {
        let src = Source { name: file, text };
        let raw: RawFile = src.parse()?;
        let mut ck = Checker {
            src,
            dir: directory,
            errors: Vec::new(),
        };
        if *raw.format.get_ref() != 1 {
            ck.err(
                raw.format.span(),
                LoadErrorKind::Invalid("unsupported format; this version reads format = 1".into()),
            );
        }
        if raw.version.get_ref().trim().is_empty() {
            ck.err(
                raw.version.span(),
                LoadErrorKind::Invalid("`version` must not be empty".into()),
            );
        }
        if raw.rule.is_empty() {
            ck.err(
                0..0,
                LoadErrorKind::Invalid(
                    "the file has no rules; a truncated file must not route nothing".into(),
                ),
            );
        }
        let mut first_line: BTreeMap<String, usize> = BTreeMap::new();
        let mut rules = Vec::new();
        for r in &raw.rule {
            let rule_line = src.line(r.span().start);
            let r = r.get_ref();
            let id = r.id.get_ref().clone();
            if !valid_key(&id) {
                ck.err(
                    r.id.span(),
                    LoadErrorKind::Invalid("a rule id is 1–64 of a-z, 0-9, `_`, `-`".into()),
                );
            }
            if let Some(first) = first_line.get(&id) {
                ck.err(
                    r.id.span(),
                    LoadErrorKind::DuplicateRuleId {
                        id: id.clone(),
                        first_line: *first,
                    },
                );
            } else {
                first_line.insert(id.clone(), src.line(r.id.span().start));
            }
            if r.description.get_ref().trim().is_empty() {
                ck.err(
                    r.description.span(),
                    LoadErrorKind::Invalid("`description` must not be empty".into()),
                );
            }
            let when = ck.condition(&r.when, 0);
            if r.send.get_ref().is_empty() {
                ck.err(
                    r.send.span(),
                    LoadErrorKind::Invalid("a rule needs at least one `[[rule.send]]`".into()),
                );
            }
            let mut sends: Vec<Send> = Vec::new();
            for s in r.send.get_ref() {
                let agency = s.get_ref().agency.get_ref();
                if sends.iter().any(|x| &x.agency == agency) {
                    ck.err(
                        s.get_ref().agency.span(),
                        LoadErrorKind::Invalid(format!(
                            "agency `{agency}` appears twice in rule `{id}`; give one send with all its scopes"
                        )),
                    );
                }
                if let Some(send) = ck.send(s) {
                    sends.push(send);
                }
            }
            rules.push(Rule {
                id,
                description: r.description.get_ref().clone(),
                source: r.source.clone(),
                when,
                send: sends,
                line: rule_line,
            });
        }
        if ck.errors.is_empty() {
            Ok(RuleSet {
                version: raw.version.into_inner(),
                rules,
                directory: directory.clone(),
            })
        } else {
            ck.errors.sort_by_key(|e| (e.line, e.column));
            Err(LoadErrors(ck.errors))
        }
    }

    /// The shipped agency and rule files, parsed and checked.
    pub fn default_kazakhstan() -> Result<RuleSet, LoadErrors> {
        let dir = Directory::default_kazakhstan()?;
        RuleSet::from_toml("rules.default.toml", DEFAULT_RULES, &dir)
    }

    /// A rule by id.
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }
}
