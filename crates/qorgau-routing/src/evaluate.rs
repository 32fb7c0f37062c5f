//! Evaluation of a rule set against the facts of a case, with explanations,
//! merging, and the diffs the server needs "on every change of a case".

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::directory::Scope;
use crate::duration::{Within, WorkDuration};
use crate::rules::{Condition, Escalation, Fact, RuleSet};

/// What the server knows about a case that routing depends on.
///
/// Booleans mean "established": `false` is both "no" and "not yet known",
/// so a rule fires as soon as a fact is established, never on a guess.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CaseFacts {
    /// Scenario id from the agency file (e.g. `sexual_exploitation`), if qualified.
    pub scenario: Option<String>,
    /// A person under 18 is involved.
    pub minor_involved: bool,
    /// A victim has been identified.
    pub victim_identified: bool,
    /// The victim's consent to a referral to an NGO (and other consent-bound
    /// referrals) is recorded.
    pub victim_consent: bool,
    /// Crypto-assets are involved.
    pub crypto_involved: bool,
    /// A resource of the case is hosted abroad.
    pub foreign_hosting: bool,
    /// A suspect is abroad or a foreign national.
    pub foreign_suspects: bool,
    /// Region code (ISO 3166-2:KZ, e.g. `KZ-75`), if known.
    pub region: Option<String>,
    /// Free tags set by analysts (e.g. `sextortion`, `webcam_studio`).
    pub tags: BTreeSet<String>,
}

impl CaseFacts {
    fn fact(&self, f: Fact) -> bool {
        match f {
            Fact::MinorInvolved => self.minor_involved,
            Fact::VictimIdentified => self.victim_identified,
            Fact::VictimConsent => self.victim_consent,
            Fact::CryptoInvolved => self.crypto_involved,
            Fact::ForeignHosting => self.foreign_hosting,
            Fact::ForeignSuspects => self.foreign_suspects,
        }
    }
}

/// One test that held, with the case's value that made it hold: the
/// "…matched on fields …" part of an explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchedCondition {
    /// The fact tested (`minor_involved`, `scenario`, `region`, `tags`, `always`,
    /// or `not` for a negated group).
    pub field: String,
    /// The test as written, e.g. `region in [KZ-75, KZ-71]`.
    pub condition: String,
    /// The case's value, e.g. `KZ-75`.
    pub value: String,
}

/// Why a referral is made: one matching rule and what it granted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explanation {
    /// Rule id.
    pub rule: String,
    /// Rule description.
    pub description: String,
    /// Where the rule comes from.
    pub source: Option<String>,
    /// The tests that held, in rule order.
    pub matched: Vec<MatchedCondition>,
    /// The scopes this rule granted.
    pub scopes: Vec<Scope>,
    /// This rule's acknowledgement deadline.
    pub acknowledge_within: WorkDuration,
    /// This rule's action deadline.
    pub act_within: WorkDuration,
    /// Whether this rule requires consent.
    pub requires_consent: bool,
    /// This rule's escalation level.
    pub escalation: Escalation,
}

/// One referral the rules require, merged over all rules sending to the agency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    /// Agency kind.
    pub agency: String,
    /// Who receives escalations if the agency misses a deadline.
    pub supervisor_role: String,
    /// The widest set of scopes the matching rules grant, sorted.
    pub scopes: Vec<Scope>,
    /// The earliest acknowledgement deadline of the matching rules.
    pub acknowledge_within: Within,
    /// The earliest action deadline of the matching rules.
    pub act_within: Within,
    /// Consent is needed before sending (any matching rule asks for it:
    /// victim data never leaves on the weaker of two rules).
    pub requires_consent: bool,
    /// The case records the consent; always false when no consent is
    /// required, so recording consent changes only consent-bound referrals.
    pub consent_recorded: bool,
    /// The highest escalation of the matching rules.
    pub escalation: Escalation,
    /// Every rule that sent the case here, in file order.
    pub because: Vec<Explanation>,
}

impl Decision {
    /// Whether the referral may be sent now without an override.
    pub fn may_send(&self) -> bool {
        !self.requires_consent || self.consent_recorded
    }

    /// Whether two decisions ask for the same hand-off (ignoring why): the
    /// test for "changed" in a diff.
    pub fn same_terms(&self, other: &Decision) -> bool {
        self.agency == other.agency
            && self.supervisor_role == other.supervisor_role
            && self.scopes == other.scopes
            && self.acknowledge_within == other.acknowledge_within
            && self.act_within == other.act_within
            && self.requires_consent == other.requires_consent
            && self.consent_recorded == other.consent_recorded
            && self.escalation == other.escalation
    }

    /// A one-line English explanation for logs and the audit trail
    /// ("sent to X because rule R matched on …"); the UI builds localised
    /// text from the structured fields.
    pub fn summary(&self) -> String {
        let reasons: Vec<String> = self
            .because
            .iter()
            .map(|e| {
                let on: Vec<String> = e
                    .matched
                    .iter()
                    .map(|m| format!("{} (case: {})", m.condition, m.value))
                    .collect();
                format!("rule {} matched on {}", e.rule, on.join(", "))
            })
            .collect();
        let scopes: Vec<&str> = self.scopes.iter().map(|s| s.as_str()).collect();
        let mut text = format!(
            "sent to {} [{}] because {}; acknowledge within {}, act within {}",
            self.agency,
            scopes.join(", "),
            reasons.join("; "),
            self.acknowledge_within,
            self.act_within
        );
        if self.escalation == Escalation::Heavy {
            text.push_str("; heavy escalation");
        }
        if self.requires_consent && !self.consent_recorded {
            text.push_str("; waiting for the person's consent");
        }
        text
    }
}

/// Evaluates a condition, collecting the tests that made it true.
fn eval(c: &Condition, facts: &CaseFacts, out: &mut Vec<MatchedCondition>) -> bool {
    match c {
        Condition::Always => {
            out.push(MatchedCondition {
                field: "always".into(),
                condition: c.to_string(),
                value: "any case".into(),
            });
            true
        }
        Condition::Fact { fact, value } => {
            let actual = facts.fact(*fact);
            if actual == *value {
                out.push(MatchedCondition {
                    field: fact.as_str().into(),
                    condition: c.to_string(),
                    value: actual.to_string(),
                });
            }
            actual == *value
        }
        Condition::Scenario(list) => match &facts.scenario {
            Some(s) if list.contains(s) => {
                out.push(MatchedCondition {
                    field: "scenario".into(),
                    condition: c.to_string(),
                    value: s.clone(),
                });
                true
            }
            _ => false,
        },
        Condition::Region(list) => match &facts.region {
            Some(r) if list.contains(r) => {
                out.push(MatchedCondition {
                    field: "region".into(),
                    condition: c.to_string(),
                    value: r.clone(),
                });
                true
            }
            _ => false,
        },
        Condition::Tag(t) => {
            let has = facts.tags.contains(t);
            if has {
                out.push(MatchedCondition {
                    field: "tags".into(),
                    condition: c.to_string(),
                    value: t.clone(),
                });
            }
            has
        }
        Condition::All(parts) => {
            let mut local = Vec::new();
            for p in parts {
                if !eval(p, facts, &mut local) {
                    return false;
                }
            }
            out.extend(local);
            true
        }
        Condition::Any(parts) => {
            let mut any = false;
            for p in parts {
                let mut local = Vec::new();
                if eval(p, facts, &mut local) {
                    any = true;
                    out.extend(local);
                }
            }
            any
        }
        Condition::Not(inner) => {
            let mut ignored = Vec::new();
            if eval(inner, facts, &mut ignored) {
                return false;
            }
            let mut values = Vec::new();
            describe_values(inner, facts, &mut values);
            out.push(MatchedCondition {
                field: "not".into(),
                condition: c.to_string(),
                value: values.join(", "),
            });
            true
        }
    }
}

/// The case's values of every fact a condition refers to, for explaining `not`.
fn describe_values(c: &Condition, facts: &CaseFacts, out: &mut Vec<String>) {
    let push = |out: &mut Vec<String>, s: String| {
        if !out.contains(&s) {
            out.push(s);
        }
    };
    match c {
        Condition::Always => {}
        Condition::Fact { fact, .. } => {
            push(out, format!("{} = {}", fact.as_str(), facts.fact(*fact)));
        }
        Condition::Scenario(_) => push(
            out,
            format!(
                "scenario = {}",
                facts.scenario.as_deref().unwrap_or("(none)")
            ),
        ),
        Condition::Region(_) => push(
            out,
            format!("region = {}", facts.region.as_deref().unwrap_or("(none)")),
        ),
        Condition::Tag(t) => push(out, format!("tag {t} absent")),
        Condition::All(p) | Condition::Any(p) => {
            for x in p {
                describe_values(x, facts, out);
            }
        }
        Condition::Not(x) => describe_values(x, facts, out),
    }
}

/// The referrals a case needs under a rule set, one per agency, in the
/// agency file's order.
///
/// Rules are evaluated in file order; two rules sending to the same agency
/// give one decision with the union of their scopes (`statistics` dropped
/// when a personal scope is granted, as it is then implied), the earliest
/// deadlines, the highest escalation, consent required if any rule requires
/// it, and both rules in `because`. Pure and deterministic: the same rules
/// and facts give the same output.
pub fn evaluate(rules: &RuleSet, facts: &CaseFacts) -> Vec<Decision> {
    let mut by_agency: BTreeMap<(usize, String), Decision> = BTreeMap::new();
    for rule in &rules.rules {
        let mut matched = Vec::new();
        if !eval(&rule.when, facts, &mut matched) {
            continue;
        }
        for send in &rule.send {
            let explanation = Explanation {
                rule: rule.id.clone(),
                description: rule.description.clone(),
                source: rule.source.clone(),
                matched: matched.clone(),
                scopes: send.scopes.clone(),
                acknowledge_within: send.acknowledge_within,
                act_within: send.act_within,
                requires_consent: send.requires_consent,
                escalation: send.escalation,
            };
            let key = (
                rules.directory.agency_rank(&send.agency),
                send.agency.clone(),
            );
            match by_agency.get_mut(&key) {
                Some(d) => {
                    for s in &send.scopes {
                        if !d.scopes.contains(s) {
                            d.scopes.push(*s);
                        }
                    }
                    d.acknowledge_within.merge(send.acknowledge_within);
                    d.act_within.merge(send.act_within);
                    d.requires_consent |= send.requires_consent;
                    d.escalation = d.escalation.max(send.escalation);
                    d.because.push(explanation);
                }
                None => {
                    let supervisor_role = rules
                        .directory
                        .agency(&send.agency)
                        .map(|a| a.supervisor_role.clone())
                        .unwrap_or_default();
                    by_agency.insert(
                        key,
                        Decision {
                            agency: send.agency.clone(),
                            supervisor_role,
                            scopes: send.scopes.clone(),
                            acknowledge_within: Within::one(send.acknowledge_within),
                            act_within: Within::one(send.act_within),
                            requires_consent: send.requires_consent,
                            consent_recorded: false,
                            escalation: send.escalation,
                            because: vec![explanation],
                        },
                    );
                }
            }
        }
    }
    by_agency
        .into_values()
        .map(|mut d| {
            d.scopes.sort();
            d.consent_recorded = d.requires_consent && facts.victim_consent;
            if d.scopes.iter().any(|s| s.is_personal()) {
                d.scopes.retain(|s| s.is_personal());
            }
            d
        })
        .collect()
}

/// A referral whose terms changed between two evaluations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// The decision before.
    pub before: Decision,
    /// The decision after.
    pub after: Decision,
}

/// What changed in a case's referrals, so the server can send new
/// referrals, withdraw ones no longer required, and update the rest.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diff {
    /// Referrals now required that were not before.
    pub added: Vec<Decision>,
    /// Referrals no longer required (the server decides whether to withdraw:
    /// an open referral is not cancelled silently).
    pub removed: Vec<Decision>,
    /// Referrals still required with other terms (scope, deadlines, consent, escalation).
    pub changed: Vec<Change>,
}

impl Diff {
    /// Nothing changed.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

/// Compares two lists of decisions by agency.
pub fn diff_decisions(old: &[Decision], new: &[Decision]) -> Diff {
    let mut out = Diff::default();
    for n in new {
        match old.iter().find(|o| o.agency == n.agency) {
            None => out.added.push(n.clone()),
            Some(o) if !o.same_terms(n) => out.changed.push(Change {
                before: o.clone(),
                after: n.clone(),
            }),
            Some(_) => {}
        }
    }
    for o in old {
        if !new.iter().any(|n| n.agency == o.agency) {
            out.removed.push(o.clone());
        }
    }
    out
}

/// What a change of a case's facts means for its referrals under one rule set.
pub fn diff(rules: &RuleSet, old: &CaseFacts, new: &CaseFacts) -> Diff {
    diff_decisions(&evaluate(rules, old), &evaluate(rules, new))
}

/// One case a rule change would affect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Affected<K> {
    /// The caller's key for the case.
    pub case: K,
    /// How its referrals would change.
    pub diff: Diff,
}

/// Which cases a new rule set would route differently from the old one —
/// for the administrator's "see which cases a change would affect" before
/// saving. Cases whose referrals stay the same are left out; order follows
/// the input.
pub fn affected<'a, K, I>(old_rules: &RuleSet, new_rules: &RuleSet, cases: I) -> Vec<Affected<K>>
where
    I: IntoIterator<Item = (K, &'a CaseFacts)>,
{
    cases
        .into_iter()
        .filter_map(|(case, facts)| {
            let d = diff_decisions(&evaluate(old_rules, facts), &evaluate(new_rules, facts));
            (!d.is_empty()).then_some(Affected { case, diff: d })
        })
        .collect()
}
