#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Consent per disclosure: coverage, withdrawal, minors and overrides.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, TimeZone, Utc};
use qorgau_victims::{
    Authorisation, Consent, ConsentDraft, ConsentError, ConsentMethod, ConsentState, DataCategory,
    DisclosureRefused, DisclosureRequest, MinorStatus, NotCovered, OverridePolicy, OverrideRequest,
    Purpose, Recipient, authorise, coverage,
};
use uuid::Uuid;

use DataCategory::{Address, Contacts, Documents, Identity};

fn t(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, day, hour, 0, 0).unwrap()
}

fn ngo(org: Option<&str>) -> Recipient {
    Recipient {
        agency: "ngo".into(),
        organisation: org.map(str::to_string),
    }
}

fn cats(c: &[DataCategory]) -> BTreeSet<DataCategory> {
    c.iter().copied().collect()
}

fn draft(record: Uuid, to: Recipient, c: &[DataCategory]) -> ConsentDraft {
    ConsentDraft {
        record_id: record,
        recipient: to,
        categories: cats(c),
        purpose: Purpose::SpecialSocialServices,
        given_at: t(1, 10),
        method: ConsentMethod::SignedForm {
            form_reference: "FORM-TEST-001".into(),
        },
        recorded_by: "worker-synthetic-1".into(),
        valid_until: None,
    }
}

fn consent(record: Uuid, to: Recipient, c: &[DataCategory]) -> Consent {
    Consent::record(draft(record, to, c), t(1, 11)).unwrap()
}

fn request(
    record: Uuid,
    to: Recipient,
    c: &[DataCategory],
    at: DateTime<Utc>,
) -> DisclosureRequest {
    DisclosureRequest {
        record_id: record,
        recipient: to,
        categories: cats(c),
        purpose: Purpose::SpecialSocialServices,
        subject: MinorStatus::Adult,
        at,
    }
}

fn policy() -> OverridePolicy {
    OverridePolicy::new(["child_rights_officer", "prosecutor"])
}

#[test]
fn consent_covers_the_named_recipient_categories_and_purpose() {
    let rec = Uuid::now_v7();
    let c = consent(rec, ngo(Some("crisis-centre-a")), &[Contacts, Address]);
    let req = request(rec, ngo(Some("crisis-centre-a")), &[Contacts], t(2, 9));
    let auth = authorise(std::slice::from_ref(&c), &req, &policy(), None).unwrap();
    assert_eq!(
        auth,
        Authorisation::Consented {
            consents: vec![c.id]
        }
    );
}

#[test]
fn another_organisation_purpose_category_or_record_is_not_covered() {
    let rec = Uuid::now_v7();
    let c = consent(rec, ngo(Some("crisis-centre-a")), &[Contacts]);
    let cs = [c];
    let p = policy();
    let other_org = request(rec, ngo(Some("crisis-centre-b")), &[Contacts], t(2, 9));
    let any_org = request(rec, ngo(None), &[Contacts], t(2, 9));
    let mut other_purpose = request(rec, ngo(Some("crisis-centre-a")), &[Contacts], t(2, 9));
    other_purpose.purpose = Purpose::CriminalProceedings;
    let other_agency = request(
        rec,
        Recipient {
            agency: "mvd_investigation".into(),
            organisation: Some("crisis-centre-a".into()),
        },
        &[Contacts],
        t(2, 9),
    );
    let other_record = request(
        Uuid::now_v7(),
        ngo(Some("crisis-centre-a")),
        &[Contacts],
        t(2, 9),
    );
    for req in [
        other_org,
        any_org,
        other_purpose,
        other_agency,
        other_record,
    ] {
        match authorise(&cs, &req, &p, None) {
            Err(DisclosureRefused::NotCovered(u)) => {
                assert_eq!(u[&Contacts], vec![NotCovered::NoConsent], "{req:?}");
            }
            other => panic!("{req:?} gave {other:?}"),
        }
    }
    // One category more than consented: only that one is uncovered.
    let more = request(
        rec,
        ngo(Some("crisis-centre-a")),
        &[Contacts, Documents],
        t(2, 9),
    );
    let cov = coverage(&cs, &more);
    assert_eq!(
        cov.covered.keys().copied().collect::<Vec<_>>(),
        vec![Contacts]
    );
    assert_eq!(
        cov.uncovered.keys().copied().collect::<Vec<_>>(),
        vec![Documents]
    );
    assert!(authorise(&cs, &more, &p, None).is_err());
}

#[test]
fn consent_to_an_agency_kind_covers_any_of_its_organisations() {
    let rec = Uuid::now_v7();
    let c = consent(rec, ngo(None), &[Contacts]);
    for org in [Some("crisis-centre-a"), Some("crisis-centre-b"), None] {
        let req = request(rec, ngo(org), &[Contacts], t(2, 9));
        assert!(
            authorise(std::slice::from_ref(&c), &req, &policy(), None).is_ok(),
            "{org:?}"
        );
    }
}

#[test]
fn several_consents_together_cover_a_request() {
    let rec = Uuid::now_v7();
    let a = consent(rec, ngo(Some("x")), &[Contacts]);
    let b = consent(rec, ngo(Some("x")), &[Address]);
    let req = request(rec, ngo(Some("x")), &[Contacts, Address], t(2, 9));
    match authorise(&[a.clone(), b.clone()], &req, &policy(), None).unwrap() {
        Authorisation::Consented { consents } => {
            let mut want = vec![a.id, b.id];
            want.sort();
            assert_eq!(consents, want);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn withdrawal_stops_coverage_from_its_time_on() {
    let rec = Uuid::now_v7();
    let mut c = consent(rec, ngo(Some("x")), &[Contacts]);
    c.withdraw(
        t(5, 12),
        "worker-synthetic-2",
        Some("the person asked".into()),
    )
    .unwrap();
    assert_eq!(c.state_at(t(5, 11)), ConsentState::Active);
    assert_eq!(
        c.state_at(t(5, 12)),
        ConsentState::Withdrawn { at: t(5, 12) }
    );
    let before = request(rec, ngo(Some("x")), &[Contacts], t(5, 11));
    assert!(authorise(std::slice::from_ref(&c), &before, &policy(), None).is_ok());
    let after = request(rec, ngo(Some("x")), &[Contacts], t(6, 9));
    match authorise(std::slice::from_ref(&c), &after, &policy(), None) {
        Err(DisclosureRefused::NotCovered(u)) => assert_eq!(
            u[&Contacts],
            vec![NotCovered::Withdrawn {
                consent: c.id,
                at: t(5, 12)
            }]
        ),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        c.withdraw(t(7, 1), "worker-synthetic-2", None),
        Err(ConsentError::AlreadyWithdrawn(c.id))
    );
}

#[test]
fn expiry_and_consent_given_after_the_disclosure_do_not_cover() {
    let rec = Uuid::now_v7();
    let mut d = draft(rec, ngo(Some("x")), &[Contacts]);
    d.valid_until = Some(t(10, 0));
    let c = Consent::record(d, t(1, 11)).unwrap();
    let late = request(rec, ngo(Some("x")), &[Contacts], t(10, 0));
    assert_eq!(
        coverage(std::slice::from_ref(&c), &late).uncovered[&Contacts],
        vec![NotCovered::Expired {
            consent: c.id,
            at: t(10, 0)
        }]
    );
    let early = request(rec, ngo(Some("x")), &[Contacts], t(1, 9));
    assert_eq!(
        coverage(std::slice::from_ref(&c), &early).uncovered[&Contacts],
        vec![NotCovered::NotYetGiven { consent: c.id }]
    );
    let in_time = request(rec, ngo(Some("x")), &[Contacts], t(9, 23));
    assert!(coverage(std::slice::from_ref(&c), &in_time).is_complete());
}

#[test]
fn a_minors_consent_counts_only_through_a_legal_representative() {
    let rec = Uuid::now_v7();
    let own = consent(rec, ngo(Some("x")), &[Contacts]);
    let mut req = request(rec, ngo(Some("x")), &[Contacts], t(2, 9));
    req.subject = MinorStatus::Minor;
    assert_eq!(
        coverage(std::slice::from_ref(&own), &req).uncovered[&Contacts],
        vec![NotCovered::MinorWithoutRepresentative { consent: own.id }]
    );
    req.subject = MinorStatus::PresumedMinor;
    assert!(!coverage(std::slice::from_ref(&own), &req).is_complete());

    let mut d = draft(rec, ngo(Some("x")), &[Contacts]);
    d.method = ConsentMethod::LegalRepresentative {
        representative: "guardian-synthetic".into(),
        relation: "mother".into(),
        form_reference: Some("FORM-TEST-002".into()),
    };
    let guardian = Consent::record(d, t(1, 11)).unwrap();
    assert!(authorise(&[own, guardian], &req, &policy(), None).is_ok());
}

#[test]
fn override_needs_an_allowed_role_and_a_reason_and_is_returned_for_audit() {
    let rec = Uuid::now_v7();
    let c = consent(rec, ngo(Some("x")), &[Contacts]);
    let req = request(rec, ngo(Some("x")), &[Contacts, Address], t(2, 9));
    let cs = [c.clone()];
    let p = policy();
    let ask = |role: &str, reason: &str| OverrideRequest {
        user: "officer-synthetic-7".into(),
        role: role.into(),
        reason: reason.into(),
    };

    assert!(matches!(
        authorise(&cs, &req, &p, None),
        Err(DisclosureRefused::NotCovered(_))
    ));
    match authorise(&cs, &req, &p, Some(&ask("operative", "urgent"))) {
        Err(DisclosureRefused::RoleMayNotOverride { role, uncovered }) => {
            assert_eq!(role, "operative");
            assert!(uncovered.contains_key(&Address));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        authorise(&cs, &req, &p, Some(&ask("prosecutor", "   "))),
        Err(DisclosureRefused::EmptyReason)
    );
    let mut no_user = ask("prosecutor", "reason");
    no_user.user = " ".into();
    assert_eq!(
        authorise(&cs, &req, &p, Some(&no_user)),
        Err(DisclosureRefused::EmptyUser)
    );
    assert!(matches!(
        authorise(
            &cs,
            &req,
            &OverridePolicy::nobody(),
            Some(&ask("prosecutor", "r"))
        ),
        Err(DisclosureRefused::RoleMayNotOverride { .. })
    ));

    let auth = authorise(
        &cs,
        &req,
        &p,
        Some(&ask(
            "child_rights_officer",
            "  shelter needs the address tonight; person unreachable  ",
        )),
    )
    .unwrap();
    let Authorisation::Overridden(o) = auth else {
        panic!("expected an override")
    };
    assert_eq!(o.role, "child_rights_officer");
    assert_eq!(o.user, "officer-synthetic-7");
    assert_eq!(
        o.reason,
        "shelter needs the address tonight; person unreachable"
    );
    assert_eq!(o.record_id, rec);
    assert_eq!(o.categories, cats(&[Contacts, Address]));
    assert_eq!(
        o.uncovered.keys().copied().collect::<Vec<_>>(),
        vec![Address]
    );
    assert_eq!(o.consents, vec![c.id]);
    assert_eq!(o.at, t(2, 9));
    let json = serde_json::to_value(&*o).unwrap();
    assert_eq!(json["role"], "child_rights_officer");
    assert_eq!(json["uncovered"]["address"][0]["why"], "no_consent");
}

#[test]
fn an_unneeded_override_is_not_used() {
    let rec = Uuid::now_v7();
    let c = consent(rec, ngo(Some("x")), &[Contacts]);
    let req = request(rec, ngo(Some("x")), &[Contacts], t(2, 9));
    let o = OverrideRequest {
        user: "u".into(),
        role: "prosecutor".into(),
        reason: "r".into(),
    };
    assert_eq!(
        authorise(std::slice::from_ref(&c), &req, &policy(), Some(&o)).unwrap(),
        Authorisation::Consented {
            consents: vec![c.id]
        }
    );
}

#[test]
fn a_request_without_categories_is_refused() {
    let req = request(Uuid::now_v7(), ngo(None), &[], t(2, 9));
    assert_eq!(
        authorise(&[], &req, &policy(), None),
        Err(DisclosureRefused::NoCategories)
    );
}

#[test]
fn recording_checks_the_consent() {
    let rec = Uuid::now_v7();
    let mut d = draft(rec, ngo(None), &[]);
    assert_eq!(
        Consent::record(d.clone(), t(1, 11)),
        Err(ConsentError::NoCategories)
    );
    d.categories = cats(&[Identity]);
    assert_eq!(
        Consent::record(d.clone(), t(1, 9)),
        Err(ConsentError::RecordedBeforeGiven)
    );
    let mut e = d.clone();
    e.valid_until = Some(t(1, 10));
    assert_eq!(
        Consent::record(e, t(1, 11)),
        Err(ConsentError::LapsesBeforeGiven)
    );
    let mut e = d.clone();
    e.method = ConsentMethod::OralWithWitness {
        witness: " ".into(),
    };
    assert_eq!(
        Consent::record(e, t(1, 11)),
        Err(ConsentError::Empty("method.witness"))
    );
    let mut e = d.clone();
    e.recorded_by = String::new();
    assert_eq!(
        Consent::record(e, t(1, 11)),
        Err(ConsentError::Empty("recorded_by"))
    );
    let mut e = d.clone();
    e.recipient.agency = String::new();
    assert!(Consent::record(e, t(1, 11)).is_err());

    let mut c = Consent::record(d, t(1, 11)).unwrap();
    assert_eq!(
        c.withdraw(t(1, 10) - Duration::hours(1), "w", None),
        Err(ConsentError::WithdrawnBeforeGiven)
    );
    assert_eq!(
        c.withdraw(t(3, 0), " ", None),
        Err(ConsentError::Empty("recorded_by"))
    );
    assert!(c.withdrawal.is_none());
}
