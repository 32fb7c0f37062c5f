//! The life of one referral: sent → acknowledged | rejected → acted → closed,
//! with overdue detection and escalation to the agency's supervisor.
//!
//! Pure functions on data: the server persists the [`Referral`] and calls
//! these on each action and on a timer.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::calendar::{Calendar, CalendarError};
use crate::directory::Scope;
use crate::evaluate::Decision;
use crate::rules::Escalation;

/// How a referral ended, as in Primero's referral outcomes, so statistics can
/// tell "services given" from "person unreachable".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The agency provided its services (help, protection, investigation).
    ServicesGiven,
    /// The person declined the services.
    RefusedByPerson,
    /// The person could not be reached.
    Unreachable,
    /// The agency passed the case on to another body.
    ReferredElsewhere,
    /// On review, nothing was needed from this agency.
    NoActionNeeded,
    /// Anything else, described.
    Other(String),
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::ServicesGiven => f.write_str("services_given"),
            Outcome::RefusedByPerson => f.write_str("refused_by_person"),
            Outcome::Unreachable => f.write_str("unreachable"),
            Outcome::ReferredElsewhere => f.write_str("referred_elsewhere"),
            Outcome::NoActionNeeded => f.write_str("no_action_needed"),
            Outcome::Other(t) => write!(f, "other: {t}"),
        }
    }
}

/// Where a referral is in its life.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum ReferralState {
    /// Handed off; waiting for the agency to acknowledge or reject.
    Sent,
    /// The agency accepted it and is working on it.
    Acknowledged,
    /// The agency refused it (final); the reason is shown to the sender.
    Rejected {
        /// Why.
        reason: String,
    },
    /// The agency acted; an outcome is still to be recorded.
    Acted {
        /// What was done.
        note: String,
    },
    /// Finished, with an outcome.
    Closed {
        /// How it ended.
        outcome: Outcome,
    },
}

impl ReferralState {
    /// Short name used in errors and logs.
    pub fn name(&self) -> &'static str {
        match self {
            ReferralState::Sent => "sent",
            ReferralState::Acknowledged => "acknowledged",
            ReferralState::Rejected { .. } => "rejected",
            ReferralState::Acted { .. } => "acted",
            ReferralState::Closed { .. } => "closed",
        }
    }

    /// No further transition is possible.
    pub fn is_final(&self) -> bool {
        matches!(
            self,
            ReferralState::Rejected { .. } | ReferralState::Closed { .. }
        )
    }
}

/// Why a consent-bound referral could be sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "basis")]
pub enum ConsentBasis {
    /// No rule asked for consent.
    NotRequired,
    /// The person's consent is recorded in the case.
    Recorded,
    /// Sent without consent by an authorised person's decision (e.g. a
    /// minor's protection); kept for audit.
    Overridden {
        /// Who decided.
        by: String,
        /// Why.
        reason: String,
    },
}

/// An authorised person's decision to send a consent-bound referral without
/// recorded consent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentOverride {
    /// Who decided.
    pub by: String,
    /// Why (required, non-empty).
    pub reason: String,
}

/// One recorded step: the hand-off record the issue asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// When.
    pub at: DateTime<Utc>,
    /// Who (user or role id).
    pub by: String,
    /// The state entered.
    pub state: ReferralState,
}

/// Which deadline was missed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Missed {
    /// The agency neither acknowledged nor rejected in time.
    Acknowledgement,
    /// The agency did not act in time.
    Action,
}

/// A deadline that has passed without the required step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overdue {
    /// Which deadline.
    pub missed: Missed,
    /// When it was due.
    pub due: DateTime<Utc>,
}

/// An escalation to raise: shown on every dashboard and sent to the
/// supervisor role of the agency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EscalationNotice {
    /// The agency that missed the deadline.
    pub agency: String,
    /// Who receives the escalation.
    pub to_role: String,
    /// Which deadline.
    pub missed: Missed,
    /// When it was due.
    pub due: DateTime<Utc>,
    /// A heavy-escalation referral (Interpol NCB hand-off) missed it.
    pub heavy: bool,
}

/// A recorded escalation, so the same one is not raised twice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EscalationRecord {
    /// Which deadline.
    pub missed: Missed,
    /// When it was raised.
    pub at: DateTime<Utc>,
}

/// Why a step on a referral was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReferralError {
    /// The step is not allowed from the current state.
    #[error("cannot go from `{from}` to `{to}`")]
    InvalidTransition {
        /// Current state.
        from: &'static str,
        /// Requested state.
        to: &'static str,
    },
    /// The rules require consent, none is recorded and there is no override.
    #[error(
        "referral to `{0}` requires the person's recorded consent or an override with a reason"
    )]
    ConsentRequired(String),
    /// A reason, note, actor or override was empty.
    #[error("`{0}` must not be empty")]
    Empty(&'static str),
    /// A step dated before the previous one.
    #[error("a step cannot be dated before the previous step")]
    TimeGoesBack,
    /// The deadline could not be computed.
    #[error(transparent)]
    Calendar(#[from] CalendarError),
}

/// One hand-off of a case to an agency and everything that happened to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Referral {
    /// Agency kind.
    pub agency: String,
    /// Who receives escalations.
    pub supervisor_role: String,
    /// What the agency may see.
    pub scopes: Vec<Scope>,
    /// Normal or heavy.
    pub escalation: Escalation,
    /// Ids of the rules that required it.
    pub rules: Vec<String>,
    /// The consent basis.
    pub consent: ConsentBasis,
    /// When it was sent.
    pub sent_at: DateTime<Utc>,
    /// Acknowledge or reject by then.
    pub acknowledge_by: DateTime<Utc>,
    /// Act by then.
    pub act_by: DateTime<Utc>,
    /// Current state.
    pub state: ReferralState,
    /// Every step, the first being the hand-off.
    pub history: Vec<Event>,
    /// Escalations already raised.
    pub escalations: Vec<EscalationRecord>,
}

fn non_empty(s: &str, what: &'static str) -> Result<(), ReferralError> {
    if s.trim().is_empty() {
        Err(ReferralError::Empty(what))
    } else {
        Ok(())
    }
}

impl Referral {
    /// Makes the referral a decision asks for, computing its deadlines from
    /// `sent_at` in the calendar. A consent-bound decision without recorded
    /// consent is refused unless `consent_override` gives who and why.
    /// With merged mixed deadlines the action deadline could come out
    /// before the acknowledgement one; it is then raised to it.
    pub fn send(
        decision: &Decision,
        sent_at: DateTime<Utc>,
        by: &str,
        calendar: &Calendar,
        consent_override: Option<ConsentOverride>,
    ) -> Result<Referral, ReferralError> {
        non_empty(by, "by")?;
        let consent = if !decision.requires_consent {
            ConsentBasis::NotRequired
        } else if decision.consent_recorded {
            ConsentBasis::Recorded
        } else {
            match consent_override {
                Some(o) => {
                    non_empty(&o.by, "override.by")?;
                    non_empty(&o.reason, "override.reason")?;
                    ConsentBasis::Overridden {
                        by: o.by,
                        reason: o.reason,
                    }
                }
                None => return Err(ReferralError::ConsentRequired(decision.agency.clone())),
            }
        };
        let acknowledge_by = calendar.earliest(sent_at, &decision.acknowledge_within)?;
        let act_by = calendar
            .earliest(sent_at, &decision.act_within)?
            .max(acknowledge_by);
        Ok(Referral {
            agency: decision.agency.clone(),
            supervisor_role: decision.supervisor_role.clone(),
            scopes: decision.scopes.clone(),
            escalation: decision.escalation,
            rules: decision.because.iter().map(|e| e.rule.clone()).collect(),
            consent,
            sent_at,
            acknowledge_by,
            act_by,
            state: ReferralState::Sent,
            history: vec![Event {
                at: sent_at,
                by: by.to_string(),
                state: ReferralState::Sent,
            }],
            escalations: Vec::new(),
        })
    }

    fn step(
        &mut self,
        at: DateTime<Utc>,
        by: &str,
        next: ReferralState,
    ) -> Result<(), ReferralError> {
        let allowed = matches!(
            (&self.state, &next),
            (ReferralState::Sent, ReferralState::Acknowledged)
                | (ReferralState::Sent, ReferralState::Rejected { .. })
                | (ReferralState::Acknowledged, ReferralState::Acted { .. })
                | (ReferralState::Acted { .. }, ReferralState::Closed { .. })
        );
        if !allowed {
            return Err(ReferralError::InvalidTransition {
                from: self.state.name(),
                to: next.name(),
            });
        }
        non_empty(by, "by")?;
        if self.history.last().is_some_and(|e| at < e.at) {
            return Err(ReferralError::TimeGoesBack);
        }
        self.history.push(Event {
            at,
            by: by.to_string(),
            state: next.clone(),
        });
        self.state = next;
        Ok(())
    }

    /// The agency accepts the referral.
    pub fn acknowledge(&mut self, at: DateTime<Utc>, by: &str) -> Result<(), ReferralError> {
        self.step(at, by, ReferralState::Acknowledged)
    }

    /// The agency refuses it, with a reason (required).
    pub fn reject(
        &mut self,
        at: DateTime<Utc>,
        by: &str,
        reason: &str,
    ) -> Result<(), ReferralError> {
        non_empty(reason, "reason")?;
        self.step(
            at,
            by,
            ReferralState::Rejected {
                reason: reason.to_string(),
            },
        )
    }

    /// The agency reports what it did (required).
    pub fn act(&mut self, at: DateTime<Utc>, by: &str, note: &str) -> Result<(), ReferralError> {
        non_empty(note, "note")?;
        self.step(
            at,
            by,
            ReferralState::Acted {
                note: note.to_string(),
            },
        )
    }

    /// The referral ends with an outcome.
    pub fn close(
        &mut self,
        at: DateTime<Utc>,
        by: &str,
        outcome: Outcome,
    ) -> Result<(), ReferralError> {
        if let Outcome::Other(t) = &outcome {
            non_empty(t, "outcome")?;
        }
        self.step(at, by, ReferralState::Closed { outcome })
    }

    /// Deadlines passed at `now` without their step. Acknowledgement is
    /// overdue while the referral is still `sent`; action while it is `sent`
    /// or `acknowledged`. Rejected, acted and closed referrals are never overdue.
    pub fn overdue(&self, now: DateTime<Utc>) -> Vec<Overdue> {
        let mut out = Vec::new();
        let waiting_ack = self.state == ReferralState::Sent;
        let waiting_act = matches!(
            self.state,
            ReferralState::Sent | ReferralState::Acknowledged
        );
        if waiting_ack && now > self.acknowledge_by {
            out.push(Overdue {
                missed: Missed::Acknowledgement,
                due: self.acknowledge_by,
            });
        }
        if waiting_act && now > self.act_by {
            out.push(Overdue {
                missed: Missed::Action,
                due: self.act_by,
            });
        }
        out
    }

    /// Escalations to raise at `now`: overdue deadlines not yet escalated,
    /// addressed to the agency's supervisor role; heavy referrals are flagged.
    pub fn due_escalations(&self, now: DateTime<Utc>) -> Vec<EscalationNotice> {
        self.overdue(now)
            .into_iter()
            .filter(|o| !self.escalations.iter().any(|e| e.missed == o.missed))
            .map(|o| EscalationNotice {
                agency: self.agency.clone(),
                to_role: self.supervisor_role.clone(),
                missed: o.missed,
                due: o.due,
                heavy: self.escalation == Escalation::Heavy,
            })
            .collect()
    }

    /// Records that an escalation was raised, so it is raised once.
    pub fn record_escalation(&mut self, missed: Missed, at: DateTime<Utc>) {
        if !self.escalations.iter().any(|e| e.missed == missed) {
            self.escalations.push(EscalationRecord { missed, at });
        }
    }

    /// Whether the acknowledgement (or rejection) came after its deadline;
    /// `None` while neither has happened.
    pub fn acknowledged_late(&self) -> Option<bool> {
        self.history
            .iter()
            .find(|e| {
                matches!(
                    e.state,
                    ReferralState::Acknowledged | ReferralState::Rejected { .. }
                )
            })
            .map(|e| e.at > self.acknowledge_by)
    }
}
