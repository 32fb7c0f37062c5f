//! Routing for Qorgau's early-response module (study 4.3 and 5.2): which
//! agencies receive a case, what each may see, by when they must
//! acknowledge and act, and what happens when they do not.
//!
//! Pure domain code: no I/O, no HTTP, no SQL. The server loads the data
//! files, calls [`evaluate`] on every change of a case, persists the
//! [`Referral`]s it sends, and calls [`Referral::due_escalations`] on a timer.
//!
//! * [`Directory`] — agencies, scenarios and regions as data
//!   (`data/agencies.default.toml`).
//! * [`RuleSet`] — the administrator's rule file (`data/rules.default.toml`),
//!   checked on load with file:line:column errors.
//! * [`evaluate`], [`diff`], [`affected`] — decisions with explanations.
//! * [`Calendar`], [`deadline`] — working time in Asia/Almaty with holidays
//!   per year (`data/calendar/`).
//! * [`Referral`] — the lifecycle, overdue detection and escalation.

#![deny(missing_docs)]

mod calendar;
mod directory;
mod duration;
mod error;
mod evaluate;
mod referral;
mod rules;

pub use calendar::{
    Calendar, CalendarError, DEFAULT_SETTINGS, DEFAULT_YEARS, Holiday, HolidayKind, deadline,
};
pub use directory::{Agency, DEFAULT_AGENCIES, Directory, Names, Region, Scenario, Scope};
pub use duration::{DurationError, Within, WorkDuration};
pub use error::{LoadError, LoadErrorKind, LoadErrors};
pub use evaluate::{
    Affected, CaseFacts, Change, Decision, Diff, Explanation, MatchedCondition, affected, diff,
    diff_decisions, evaluate,
};
pub use referral::{
    ConsentBasis, ConsentOverride, EscalationNotice, EscalationRecord, Event, Missed, Outcome,
    Overdue, Referral, ReferralError, ReferralState,
};
pub use rules::{Condition, DEFAULT_RULES, Escalation, Fact, Rule, RuleSet, Send};
