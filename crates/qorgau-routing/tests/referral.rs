#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Referral lifecycle: transitions, consent, overdue detection and escalation.

use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Asia::Almaty;
use qorgau_routing::{
    Calendar, CaseFacts, ConsentBasis, ConsentOverride, Decision, Missed, Outcome, Referral,
    ReferralError, ReferralState, RuleSet, evaluate,
};

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Almaty
        .with_ymd_and_hms(y, m, d, h, min, 0)
        .single()
        .unwrap()
        .with_timezone(&Utc)
}

fn decision(facts: &CaseFacts, agency: &str) -> Decision {
    let rs = RuleSet::default_kazakhstan().unwrap();
    evaluate(&rs, facts)
        .into_iter()
        .find(|d| d.agency == agency)
        .unwrap()
}

fn minor_abroad() -> CaseFacts {
    CaseFacts {
        minor_involved: true,
        foreign_hosting: true,
        ..Default::default()
    }
}

fn cal() -> Calendar {
    Calendar::default_kazakhstan().unwrap()
}

#[test]
fn full_life_sent_acknowledged_acted_closed() {
    let d = decision(&minor_abroad(), "child_rights_committee");
    // Friday 14 Feb 2025, 15:00 Almaty: 24h → Saturday 15:00; 3 working days → Wed 19 Feb 18:00.
    let mut r = Referral::send(&d, at(2025, 2, 14, 15, 0), "analyst-1", &cal(), None).unwrap();
    assert_eq!(r.acknowledge_by, at(2025, 2, 15, 15, 0));
    assert_eq!(r.act_by, at(2025, 2, 19, 18, 0));
    assert_eq!(r.rules, ["minor-child-rights"]);
    assert_eq!(r.consent, ConsentBasis::NotRequired);
    r.acknowledge(at(2025, 2, 15, 10, 0), "kopd-officer")
        .unwrap();
    assert_eq!(r.acknowledged_late(), Some(false));
    r.act(
        at(2025, 2, 17, 11, 0),
        "kopd-officer",
        "home visit, guardian informed",
    )
    .unwrap();
    r.close(
        at(2025, 2, 18, 9, 0),
        "kopd-officer",
        Outcome::ServicesGiven,
    )
    .unwrap();
    assert!(r.state.is_final());
    let states: Vec<&str> = r.history.iter().map(|e| e.state.name()).collect();
    assert_eq!(states, ["sent", "acknowledged", "acted", "closed"]);
    assert!(r.overdue(at(2030, 1, 1, 0, 0)).is_empty());
    // Round-trips through JSON for the server to persist.
    let json = serde_json::to_string(&r).unwrap();
    assert!(json.contains("\"outcome\":\"services_given\""), "{json}");
    let back: Referral = serde_json::from_str(&json).unwrap();
    assert_eq!(back, r);
}

#[test]
fn rejection_needs_a_reason_and_is_final() {
    let d = decision(&minor_abroad(), "prosecutor");
    let mut r = Referral::send(&d, at(2025, 2, 14, 15, 0), "analyst-1", &cal(), None).unwrap();
    assert_eq!(
        r.reject(at(2025, 2, 14, 16, 0), "prosecutor-7", "  "),
        Err(ReferralError::Empty("reason"))
    );
    assert_eq!(
        r.state,
        ReferralState::Sent,
        "a refused step changes nothing"
    );
    r.reject(
        at(2025, 2, 14, 16, 0),
        "prosecutor-7",
        "not in our jurisdiction",
    )
    .unwrap();
    assert_eq!(
        r.state,
        ReferralState::Rejected {
            reason: "not in our jurisdiction".into()
        }
    );
    assert_eq!(
        r.acknowledge(at(2025, 2, 14, 17, 0), "prosecutor-7"),
        Err(ReferralError::InvalidTransition {
            from: "rejected",
            to: "acknowledged"
        })
    );
    assert!(r.overdue(at(2025, 3, 1, 0, 0)).is_empty());
}

#[test]
fn invalid_transitions_are_errors() {
    let d = decision(&CaseFacts::default(), "mvd_cyber");
    let t0 = at(2025, 2, 17, 10, 0);
    let mut r = Referral::send(&d, t0, "analyst-1", &cal(), None).unwrap();
    // Cannot act or close before acknowledging.
    assert!(matches!(
        r.act(t0, "op", "x"),
        Err(ReferralError::InvalidTransition {
            from: "sent",
            to: "acted"
        })
    ));
    assert!(matches!(
        r.close(t0, "op", Outcome::Unreachable),
        Err(ReferralError::InvalidTransition {
            from: "sent",
            to: "closed"
        })
    ));
    r.acknowledge(t0, "op").unwrap();
    // Twice is not allowed; nor rejecting after acknowledging.
    assert!(r.acknowledge(t0, "op").is_err());
    assert!(r.reject(t0, "op", "changed mind").is_err());
    // Dated before the previous step.
    assert_eq!(
        r.act(at(2025, 2, 17, 9, 0), "op", "x"),
        Err(ReferralError::TimeGoesBack)
    );
    // Empty actor, empty "other" outcome.
    assert_eq!(r.act(t0, "", "x"), Err(ReferralError::Empty("by")));
    r.act(t0, "op", "site preserved").unwrap();
    assert_eq!(
        r.close(t0, "op", Outcome::Other(" ".into())),
        Err(ReferralError::Empty("outcome"))
    );
    r.close(t0, "op", Outcome::Other("duplicate of another case".into()))
        .unwrap();
    assert!(r.close(t0, "op", Outcome::NoActionNeeded).is_err());
}

#[test]
fn consent_bound_referral_needs_consent_or_an_override() {
    let facts = CaseFacts {
        victim_identified: true,
        ..Default::default()
    };
    let d = decision(&facts, "ngo");
    let t0 = at(2025, 2, 17, 10, 0);
    assert_eq!(
        Referral::send(&d, t0, "social-1", &cal(), None),
        Err(ReferralError::ConsentRequired("ngo".into()))
    );
    let empty = ConsentOverride {
        by: "head-1".into(),
        reason: "".into(),
    };
    assert_eq!(
        Referral::send(&d, t0, "social-1", &cal(), Some(empty)),
        Err(ReferralError::Empty("override.reason"))
    );
    let ok = ConsentOverride {
        by: "head-1".into(),
        reason: "immediate danger to life".into(),
    };
    let r = Referral::send(&d, t0, "social-1", &cal(), Some(ok)).unwrap();
    assert!(matches!(r.consent, ConsentBasis::Overridden { .. }));

    let consented = CaseFacts {
        victim_consent: true,
        ..facts
    };
    let r = Referral::send(&decision(&consented, "ngo"), t0, "social-1", &cal(), None).unwrap();
    assert_eq!(r.consent, ConsentBasis::Recorded);
}

#[test]
fn missed_acknowledgement_escalates_to_the_supervisor_once() {
    let d = decision(&minor_abroad(), "child_rights_committee");
    let t0 = at(2025, 2, 17, 10, 0);
    let mut r = Referral::send(&d, t0, "analyst-1", &cal(), None).unwrap();
    // Right at the deadline: not yet overdue.
    assert!(r.overdue(r.acknowledge_by).is_empty());
    let late = at(2025, 2, 18, 11, 0);
    let o = r.overdue(late);
    assert_eq!(o.len(), 1);
    assert_eq!(o[0].missed, Missed::Acknowledgement);
    let e = r.due_escalations(late);
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].to_role, "child_rights_head");
    assert!(!e[0].heavy);
    r.record_escalation(Missed::Acknowledgement, late);
    assert!(r.due_escalations(late).is_empty(), "raised once");
    // A late acknowledgement is recorded as late and stops that overdue.
    r.acknowledge(at(2025, 2, 18, 12, 0), "kopd-officer")
        .unwrap();
    assert_eq!(r.acknowledged_late(), Some(true));
    assert!(r.overdue(at(2025, 2, 18, 12, 0)).is_empty());
    // Action deadline: 3 working days → Thursday 20 Feb 18:00.
    assert_eq!(r.act_by, at(2025, 2, 20, 18, 0));
    let later = at(2025, 2, 21, 9, 0);
    let e = r.due_escalations(later);
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].missed, Missed::Action);
}

#[test]
fn heavy_escalation_is_flagged_when_interpol_misses_a_deadline() {
    let d = decision(&minor_abroad(), "interpol_ncb");
    // Saturday night: clock hours run 24/7 for the heavy escalation.
    let t0 = at(2025, 2, 15, 23, 0);
    let r = Referral::send(&d, t0, "analyst-1", &cal(), None).unwrap();
    assert_eq!(r.acknowledge_by, at(2025, 2, 16, 1, 0));
    assert_eq!(r.act_by, at(2025, 2, 16, 23, 0));
    let e = r.due_escalations(at(2025, 2, 17, 0, 0));
    let missed: Vec<Missed> = e.iter().map(|x| x.missed).collect();
    assert_eq!(missed, [Missed::Acknowledgement, Missed::Action]);
    assert!(e.iter().all(|x| x.heavy));
    assert!(e.iter().all(|x| x.to_role == "interpol_ncb_duty_officer"));
}

#[test]
fn deadline_past_calendar_data_is_an_error_on_send() {
    let d = decision(&CaseFacts::default(), "mvd_cyber");
    assert!(matches!(
        Referral::send(&d, at(2028, 2, 1, 10, 0), "a", &cal(), None),
        Err(ReferralError::Calendar(_))
    ));
}
