//! Each rule on both sides: a valid payload, one edit that breaks the rule
//! (the violation's path and code are asserted), and where useful one that
//! keeps it.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

use chrono::NaiveDate;
use qorgau_ivms101::{Edition, parse, validate_on};
use serde_json::{Value, json};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()
}

/// The 2023 fixture: natural originator, legal beneficiary, LEIX VASPs,
/// two intermediaries.
fn v2023() -> Value {
    serde_json::from_str(include_str!("fixtures/valid/2023-transfer-path.json")).unwrap()
}

/// The 2020 fixture: natural persons, LEIX and RAID VASPs.
fn v2020() -> Value {
    serde_json::from_str(include_str!("fixtures/valid/2020-natural-persons.json")).unwrap()
}

const ORIG: &str = "/originator/originatorPerson/0/naturalPerson";
const BEN: &str = "/beneficiary/beneficiaryPerson/0/legalPerson";
const ORIG20: &str = "/originator/originatorPersons/0/naturalPerson";
const P_ORIG: &str = "originator.originatorPerson[0].naturalPerson";
const P_BEN: &str = "beneficiary.beneficiaryPerson[0].legalPerson";

fn at<'a>(v: &'a mut Value, pointer: &str) -> &'a mut Value {
    v.pointer_mut(pointer)
        .unwrap_or_else(|| panic!("no {pointer}"))
}

fn remove(v: &mut Value, pointer: &str) {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    at(v, parent).as_object_mut().unwrap().remove(key).unwrap();
}

fn set(v: &mut Value, pointer: &str, value: Value) {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    match at(v, parent) {
        Value::Array(items) => items[key.parse::<usize>().unwrap()] = value,
        Value::Object(map) => {
            map.insert(key.to_owned(), value);
        }
        other => panic!("{parent} is {other}"),
    }
}

/// `path code` of every violation after `edit`.
fn after(mut v: Value, edit: impl FnOnce(&mut Value)) -> Vec<String> {
    edit(&mut v);
    let payload = parse(v.to_string().as_bytes()).unwrap();
    validate_on(&payload, today())
        .violations
        .iter()
        .map(|x| format!("{} {}", x.path, x.code))
        .collect()
}

fn clean(mut v: Value, edit: impl FnOnce(&mut Value)) {
    edit(&mut v);
    let found = after(v.clone(), |_| {});
    assert!(found.is_empty(), "{found:?}\n{v:#}");
}

fn one(path: &str, code: &str) -> Vec<String> {
    vec![format!("{path} {code}")]
}

#[test]
fn the_bases_are_valid() {
    clean(v2023(), |_| {});
    clean(v2020(), |_| {});
}

#[test]
fn required_primary_identifier_reads_as_in_the_brief() {
    let mut v = v2020();
    remove(
        &mut v,
        &format!("{ORIG20}/name/nameIdentifier/0/primaryIdentifier"),
    );
    let payload = parse(v.to_string().as_bytes()).unwrap();
    let report = validate_on(&payload, today());
    let lines: Vec<String> = report.violations.iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        [
            "originator.originatorPersons[0].naturalPerson.name.nameIdentifier[0].primaryIdentifier: required"
        ]
    );
}

#[test]
fn required_elements() {
    let cases: Vec<(String, &str)> = vec![
        ("/originator".to_owned(), "originator"),
        ("/beneficiary".to_owned(), "beneficiary"),
        (
            "/originator/originatorPerson".to_owned(),
            "originator.originatorPerson",
        ),
        (
            format!("{ORIG}/name"),
            "originator.originatorPerson[0].naturalPerson.name",
        ),
        (
            format!("{ORIG}/name/nameIdentifier/0/naturalPersonNameIdentifierType"),
            "originator.originatorPerson[0].naturalPerson.name.nameIdentifier[0].naturalPersonNameIdentifierType",
        ),
        (
            format!("{ORIG}/name/localNameIdentifier/0/nameIdentifierType"),
            "originator.originatorPerson[0].naturalPerson.name.localNameIdentifier[0].nameIdentifierType",
        ),
        (
            format!("{ORIG}/geographicAddress/0/addressType"),
            "originator.originatorPerson[0].naturalPerson.geographicAddress[0].addressType",
        ),
        (
            format!("{ORIG}/geographicAddress/0/country"),
            "originator.originatorPerson[0].naturalPerson.geographicAddress[0].country",
        ),
        (
            format!("{ORIG}/dateAndPlaceOfBirth/placeOfBirth"),
            "originator.originatorPerson[0].naturalPerson.dateAndPlaceOfBirth.placeOfBirth",
        ),
        (
            format!("{ORIG}/dateAndPlaceOfBirth/dateOfBirth"),
            "originator.originatorPerson[0].naturalPerson.dateAndPlaceOfBirth.dateOfBirth",
        ),
        (
            format!("{BEN}/name/nameIdentifier/0/legalPersonName"),
            "beneficiary.beneficiaryPerson[0].legalPerson.name.nameIdentifier[0].legalPersonName",
        ),
        (
            format!("{BEN}/nationalIdentification/nationalIdentifier"),
            "beneficiary.beneficiaryPerson[0].legalPerson.nationalIdentification.nationalIdentifier",
        ),
        (
            "/transferPath/transferPath/0/sequence".to_owned(),
            "transferPath.transferPath[0].sequence",
        ),
        (
            "/transferPath/transferPath/0/intermediaryVASP".to_owned(),
            "transferPath.transferPath[0].intermediaryVASP",
        ),
    ];
    for (pointer, path) in &cases {
        let mut found = after(v2023(), |v| remove(v, pointer));
        // A name without its type is no longer the LEGL name (C6 too).
        found.retain(|l| !l.ends_with("legal_name_missing"));
        assert_eq!(found, one(path, "required"), "{pointer}");
    }
    // In a 2020 payload the missing name type is called by its 2020 name.
    assert_eq!(
        after(v2020(), |v| remove(
            v,
            &format!("{ORIG20}/name/nameIdentifier/0/nameIdentifierType")
        )),
        [
            "originator.originatorPersons[0].naturalPerson.name.nameIdentifier[0].nameIdentifierType required",
            "originator.originatorPersons[0].naturalPerson.name.nameIdentifier legal_name_missing",
        ]
    );
    assert_eq!(
        after(v2023(), |v| set(
            v,
            "/originator/originatorPerson",
            json!([])
        )),
        one("originator.originatorPerson", "required")
    );
    assert_eq!(
        after(v2023(), |v| set(
            v,
            &format!("{ORIG}/name/nameIdentifier/0/primaryIdentifier"),
            json!("  ")
        )),
        one(
            &format!("{P_ORIG}.name.nameIdentifier[0].primaryIdentifier"),
            "required"
        )
    );
    // Blank optional text: leave it out instead.
    assert_eq!(
        after(v2023(), |v| set(
            v,
            &format!("{ORIG}/geographicAddress/0/department"),
            json!("")
        )),
        one(
            &format!("{P_ORIG}.geographicAddress[0].department"),
            "empty"
        )
    );
}

#[test]
fn c1_originator_natural_person_needs_an_identifying_detail() {
    let bare = |v: &mut Value| {
        remove(v, &format!("{ORIG}/geographicAddress"));
        remove(v, &format!("{ORIG}/dateAndPlaceOfBirth"));
    };
    assert_eq!(after(v2023(), bare), one(P_ORIG, "originator_information"));
    for (key, value) in [
        ("customerIdentification", json!("C-1")),
        (
            "dateAndPlaceOfBirth",
            json!({"dateOfBirth": "1990-01-01", "placeOfBirth": "Almaty"}),
        ),
        (
            "nationalIdentification",
            json!({"nationalIdentifier": "X-1", "nationalIdentifierType": "CCPT", "countryOfIssue": "KZ"}),
        ),
        (
            "geographicAddress",
            json!([{"addressType": "BIZZ", "addressLine": ["Example 1"], "country": "KZ"}]),
        ),
    ] {
        clean(v2023(), |v| {
            bare(v);
            set(v, &format!("{ORIG}/{key}"), value);
        });
    }
    // An address of unknown type is not one of GEOG/HOME/BIZZ.
    assert_eq!(
        after(v2023(), |v| {
            bare(v);
            set(
                v,
                &format!("{ORIG}/geographicAddress"),
                json!([{"addressType": "WORK", "addressLine": ["Example 1"], "country": "KZ"}]),
            );
        }),
        [
            format!("{P_ORIG}.geographicAddress[0].addressType invalid_code"),
            format!("{P_ORIG} originator_information"),
        ]
    );
    // Not for beneficiaries or VASPs.
    clean(v2023(), |v| {
        set(
            v,
            "/beneficiary/beneficiaryPerson/0",
            json!({"naturalPerson": {"name": {"nameIdentifier": [
                {"primaryIdentifier": "Sampleton", "naturalPersonNameIdentifierType": "LEGL"}]}}}),
        );
    });
}

#[test]
fn c2_date_of_birth_before_today() {
    let dob = format!("{ORIG}/dateAndPlaceOfBirth/dateOfBirth");
    let path = format!("{P_ORIG}.dateAndPlaceOfBirth.dateOfBirth");
    clean(v2023(), |v| set(v, &dob, json!("2025-12-31")));
    assert_eq!(
        after(v2023(), |v| set(v, &dob, json!("2026-01-01"))),
        one(&path, "date_not_in_past")
    );
    assert_eq!(
        after(v2023(), |v| set(v, &dob, json!("8000-05-21"))),
        one(&path, "date_not_in_past")
    );
    assert_eq!(
        after(v2023(), |v| set(v, &dob, json!("1995-02-30"))),
        one(&path, "invalid_date")
    );
    assert_eq!(
        after(v2023(), |v| set(v, &dob, json!("80-80-80-80"))),
        one(&path, "invalid_date")
    );
}

#[test]
fn c3_country_codes() {
    let places = [
        (
            format!("{ORIG}/countryOfResidence"),
            format!("{P_ORIG}.countryOfResidence"),
        ),
        (
            format!("{ORIG}/geographicAddress/0/country"),
            format!("{P_ORIG}.geographicAddress[0].country"),
        ),
        (
            format!("{BEN}/countryOfRegistration"),
            format!("{P_BEN}.countryOfRegistration"),
        ),
    ];
    for (pointer, path) in &places {
        clean(v2023(), |v| set(v, pointer, json!("XX")));
        clean(v2023(), |v| set(v, pointer, json!("KG")));
        for bad in ["kz", "UK", "Kazakhstan", ""] {
            assert_eq!(
                after(v2023(), |v| set(v, pointer, json!(bad))),
                one(path, "invalid_country"),
                "{bad}"
            );
        }
    }
    assert_eq!(
        after(v2023(), |v| set(
            v,
            &format!("{ORIG}/nationalIdentification"),
            json!({"nationalIdentifier": "X-1", "nationalIdentifierType": "CCPT", "countryOfIssue": "SU"})
        )),
        one(
            &format!("{P_ORIG}.nationalIdentification.countryOfIssue"),
            "invalid_country"
        )
    );
}

#[test]
fn c4_originator_legal_person_needs_geog_address_customer_or_identifier() {
    let legal = |address_type: &str| {
        json!({"legalPerson": {
            "name": {"nameIdentifier": [{"legalPersonName": "Example Holding Ltd", "legalPersonNameIdentifierType": "LEGL"}]},
            "geographicAddress": [{"addressType": address_type, "addressLine": ["Example 1"], "country": "KZ"}]
        }})
    };
    let person = "/originator/originatorPerson/0";
    assert_eq!(
        after(v2023(), |v| set(v, person, legal("BIZZ"))),
        one(
            "originator.originatorPerson[0].legalPerson",
            "originator_information"
        )
    );
    clean(v2023(), |v| set(v, person, legal("GEOG")));
    clean(v2023(), |v| {
        set(v, person, legal("BIZZ"));
        set(
            v,
            &format!("{person}/legalPerson/customerIdentification"),
            json!("C-9"),
        );
    });
    clean(v2023(), |v| {
        set(v, person, legal("HOME"));
        set(
            v,
            &format!("{person}/legalPerson/nationalIdentification"),
            json!({"nationalIdentifier": "9845000EXAMPLEVASP32", "nationalIdentifierType": "LEIX"}),
        );
    });
}

#[test]
fn c5_c6_a_legal_name_is_required() {
    assert_eq!(
        after(v2023(), |v| set(
            v,
            &format!("{ORIG}/name/nameIdentifier/0/naturalPersonNameIdentifierType"),
            json!("ALIA")
        )),
        one(
            &format!("{P_ORIG}.name.nameIdentifier"),
            "legal_name_missing"
        ),
        "a LEGL local name does not count"
    );
    assert_eq!(
        after(v2023(), |v| set(
            v,
            &format!("{BEN}/name/nameIdentifier/0/legalPersonNameIdentifierType"),
            json!("SHRT")
        )),
        one(
            &format!("{P_BEN}.name.nameIdentifier"),
            "legal_name_missing"
        ),
        "a LEGL local name does not count"
    );
    // Any one LEGL among several is enough.
    clean(v2020(), |v| {
        let ids = at(v, &format!("{ORIG20}/name/nameIdentifier"));
        ids.as_array_mut().unwrap().reverse();
    });
}

#[test]
fn c7_legal_person_identifier_types() {
    let id = format!("{BEN}/nationalIdentification/nationalIdentifierType");
    for ok in ["RAID", "MISC", "TXID"] {
        clean(v2023(), |v| set(v, &id, json!(ok)));
    }
    for bad in ["ARNU", "CCPT", "DRLC", "FIIN", "SOCS", "IDCD"] {
        assert_eq!(
            after(v2023(), |v| set(v, &id, json!(bad))),
            one(
                &format!("{P_BEN}.nationalIdentification.nationalIdentifierType"),
                "legal_person_identifier_type"
            ),
            "{bad}"
        );
    }
    // Natural persons may use any code.
    for any in [
        "ARNU", "CCPT", "RAID", "DRLC", "FIIN", "TXID", "SOCS", "IDCD", "MISC",
    ] {
        clean(v2020(), |v| {
            set(
                v,
                &format!("{ORIG20}/nationalIdentification/nationalIdentifierType"),
                json!(any),
            )
        });
    }
}

#[test]
fn c8_address_lines_or_street_and_building() {
    let addr = format!("{ORIG}/geographicAddress/0");
    let path = format!("{P_ORIG}.geographicAddress[0]");
    let with = |fields: Value| {
        let mut a = json!({"addressType": "HOME", "townName": "Almaty", "country": "KZ"});
        a.as_object_mut()
            .unwrap()
            .extend(fields.as_object().unwrap().clone());
        a
    };
    for ok in [
        json!({"addressLine": ["Example 1"]}),
        json!({"streetName": "Example Street", "buildingName": "Example House"}),
        json!({"streetName": "Example Street", "buildingNumber": "1"}),
        json!({"addressLine": ["1", "2", "3", "4", "5", "6", "7"]}),
    ] {
        clean(v2023(), |v| set(v, &addr, with(ok)));
    }
    for bad in [
        json!({"streetName": "Example Street"}),
        json!({"buildingNumber": "1", "buildingName": "Example House"}),
        json!({"streetName": "Example Street", "buildingNumber": " "}),
        json!({}),
    ] {
        let found = after(v2023(), |v| set(v, &addr, with(bad.clone())));
        assert_eq!(
            found.last(),
            Some(&format!("{path} invalid_address")),
            "{bad}"
        );
    }
    assert_eq!(
        after(v2023(), |v| set(
            v,
            &addr,
            with(json!({"addressLine": ["1", "2", "3", "4", "5", "6", "7", "8"]}))
        )),
        one(&format!("{path}.addressLine"), "too_many_address_lines")
    );
}

#[test]
fn c9_legal_person_identifiers() {
    let nid = format!("{BEN}/nationalIdentification");
    let path = format!("{P_BEN}.nationalIdentification");
    assert_eq!(
        after(v2023(), |v| set(
            v,
            &format!("{nid}/countryOfIssue"),
            json!("KZ")
        )),
        one(
            &format!("{path}.countryOfIssue"),
            "country_of_issue_not_allowed"
        )
    );
    assert_eq!(
        after(v2023(), |v| remove(
            v,
            &format!("{nid}/registrationAuthority")
        )),
        one(
            &format!("{path}.registrationAuthority"),
            "registration_authority_required"
        )
    );
    assert_eq!(
        after(v2023(), |v| set(
            v,
            &format!("{nid}/registrationAuthority"),
            json!(" ")
        )),
        [
            format!("{path}.registrationAuthority invalid_registration_authority"),
            format!("{path}.registrationAuthority registration_authority_required"),
        ]
    );
    let lei =
        json!({"nationalIdentifier": "9845000EXAMPLEBENE70", "nationalIdentifierType": "LEIX"});
    clean(v2023(), |v| set(v, &nid, lei.clone()));
    assert_eq!(
        after(v2023(), |v| {
            set(v, &nid, lei.clone());
            set(
                v,
                &format!("{nid}/registrationAuthority"),
                json!("RA000405"),
            );
        }),
        one(
            &format!("{path}.registrationAuthority"),
            "registration_authority_not_allowed"
        )
    );
    // Natural persons: country of issue and registration authority allowed.
    clean(v2020(), |v| {
        set(
            v,
            &format!("{ORIG20}/nationalIdentification/registrationAuthority"),
            json!("RA000405"),
        );
    });
}

#[test]
fn c10_registration_authority_format() {
    for bad in ["RA00040", "ra000405", "RA-000405", "GB-CH"] {
        assert_eq!(
            after(v2023(), |v| set(
                v,
                &format!("{BEN}/nationalIdentification/registrationAuthority"),
                json!(bad)
            )),
            one(
                &format!("{P_BEN}.nationalIdentification.registrationAuthority"),
                "invalid_registration_authority"
            ),
            "{bad}"
        );
    }
}

#[test]
fn c11_lei_check_digits() {
    let vasp =
        "/originatingVASP/originatingVASP/legalPerson/nationalIdentification/nationalIdentifier";
    let path =
        "originatingVASP.originatingVASP.legalPerson.nationalIdentification.nationalIdentifier";
    // GLEIF's own LEI.
    clean(v2023(), |v| set(v, vasp, json!("5493001KJTIIGC8Y1R12")));
    for bad in [
        "5493001KJTIIGC8Y1R13",
        "5493001KJTIIGC8Y1R1",
        "5493001kjtiigc8y1r12",
        "5493001KJTIIGC8Y1RAB",
    ] {
        assert_eq!(
            after(v2023(), |v| set(v, vasp, json!(bad))),
            one(path, "invalid_lei"),
            "{bad}"
        );
    }
    // A natural person's LEIX is an LEI too; a TXID that looks like a bad
    // LEI is just a tax number.
    assert_eq!(
        after(v2023(), |v| set(
            v,
            &format!("{ORIG}/nationalIdentification"),
            json!({"nationalIdentifier": "5493001KJTIIGC8Y1R13", "nationalIdentifierType": "LEIX"})
        )),
        one(
            &format!("{P_ORIG}.nationalIdentification.nationalIdentifier"),
            "invalid_lei"
        )
    );
    clean(v2023(), |v| {
        set(
            v,
            &format!("{BEN}/nationalIdentification/nationalIdentifier"),
            json!("5493001KJTIIGC8Y1R13"),
        );
    });
}

#[test]
fn c12_sequence_integrity() {
    let seq = |a: u64, b: u64| {
        move |v: &mut Value| {
            set(v, "/transferPath/transferPath/0/sequence", json!(a));
            set(v, "/transferPath/transferPath/1/sequence", json!(b));
        }
    };
    clean(v2023(), seq(0, 1));
    clean(v2023(), seq(1, 0));
    for (a, b) in [(1, 2), (0, 0), (0, 2)] {
        assert_eq!(
            after(v2023(), seq(a, b)),
            one("transferPath.transferPath", "sequence_integrity")
        );
    }
    clean(v2023(), |v| set(v, "/transferPath/transferPath", json!([])));
    assert_eq!(
        after(v2023(), seq(0, 1_000_000_000_000_000_000)),
        [
            "transferPath.transferPath[1].sequence number_too_large".to_owned(),
            "transferPath.transferPath sequence_integrity".to_owned(),
        ]
    );
}

#[test]
fn text_lengths_on_both_sides() {
    let cases: &[(&str, &str, usize, bool)] = &[
        (
            "/geographicAddress/0/buildingName",
            "geographicAddress[0].buildingName",
            35,
            true,
        ),
        (
            "/geographicAddress/0/townName",
            "geographicAddress[0].townName",
            35,
            true,
        ),
        (
            "/geographicAddress/0/streetName",
            "geographicAddress[0].streetName",
            70,
            true,
        ),
        (
            "/geographicAddress/0/postCode",
            "geographicAddress[0].postCode",
            16,
            true,
        ),
        (
            "/geographicAddress/0/department",
            "geographicAddress[0].department",
            50,
            true,
        ),
        (
            "/dateAndPlaceOfBirth/placeOfBirth",
            "dateAndPlaceOfBirth.placeOfBirth",
            70,
            true,
        ),
        (
            "/customerIdentification",
            "customerIdentification",
            50,
            true,
        ),
        (
            "/name/nameIdentifier/0/primaryIdentifier",
            "name.nameIdentifier[0].primaryIdentifier",
            100,
            true,
        ),
        (
            "/name/nameIdentifier/0/secondaryIdentifier",
            "name.nameIdentifier[0].secondaryIdentifier",
            100,
            true,
        ),
        (
            "/name/localNameIdentifier/0/primaryIdentifier",
            "name.localNameIdentifier[0].primaryIdentifier",
            100,
            false,
        ),
    ];
    for (pointer, path, max, latin) in cases {
        let letter = if *latin { "a" } else { "Ж" };
        let pointer = format!("{ORIG}{pointer}");
        clean(v2023(), |v| set(v, &pointer, json!(letter.repeat(*max))));
        assert_eq!(
            after(v2023(), |v| set(v, &pointer, json!(letter.repeat(max + 1)))),
            one(&format!("{P_ORIG}.{path}"), "too_long"),
            "{path}"
        );
    }
    let account = "/originator/originatorPerson/0/accountNumber/0";
    clean(v2023(), |v| set(v, account, json!("a".repeat(512))));
    assert_eq!(
        after(v2023(), |v| set(v, account, json!("a".repeat(513)))),
        one(
            "originator.originatorPerson[0].accountNumber[0]",
            "too_long"
        )
    );
    // 2020 accounts beside the persons are Max100Text.
    clean(v2020(), |v| {
        set(v, "/originator/accountNumber/0", json!("a".repeat(100)))
    });
    assert_eq!(
        after(v2020(), |v| set(
            v,
            "/originator/accountNumber/0",
            json!("a".repeat(101))
        )),
        one("originator.accountNumber[0]", "too_long")
    );
    let nid =
        "/beneficiary/beneficiaryPerson/0/legalPerson/nationalIdentification/nationalIdentifier";
    clean(v2023(), |v| set(v, nid, json!("1".repeat(35))));
    assert_eq!(
        after(v2023(), |v| set(v, nid, json!("1".repeat(36)))),
        one(
            &format!("{P_BEN}.nationalIdentification.nationalIdentifier"),
            "too_long"
        )
    );
}

#[test]
fn latin_elements_refuse_other_scripts_local_ones_take_them() {
    assert_eq!(
        after(v2023(), |v| set(
            v,
            &format!("{BEN}/name/nameIdentifier/0/legalPersonName"),
            json!("ТОО Пример")
        )),
        one(
            &format!("{P_BEN}.name.nameIdentifier[0].legalPersonName"),
            "not_latin"
        )
    );
    clean(v2023(), |v| {
        set(
            v,
            &format!("{BEN}/name/localNameIdentifier/0/legalPersonName"),
            json!("ТОО «Пример»"),
        )
    });
    assert_eq!(
        after(v2023(), |v| set(
            v,
            &format!("{BEN}/name/localNameIdentifier/0/legalPersonName"),
            json!("ТОО\n«Пример»")
        )),
        one(
            &format!("{P_BEN}.name.localNameIdentifier[0].legalPersonName"),
            "control_character"
        )
    );
}

#[test]
fn code_lists() {
    let cases = [
        (
            format!("{ORIG}/name/nameIdentifier/0/naturalPersonNameIdentifierType"),
            "legl",
        ),
        (format!("{ORIG}/geographicAddress/0/addressType"), "RESI"),
        (
            format!("{BEN}/name/nameIdentifier/1/legalPersonNameIdentifierType"),
            "ALIA",
        ),
        (
            format!("{BEN}/nationalIdentification/nationalIdentifierType"),
            "VATN",
        ),
        (
            "/payloadMetadata/transliterationMethod/0".to_owned(),
            "Cyrl",
        ),
    ];
    for (pointer, bad) in cases {
        let found = after(v2023(), |v| set(v, &pointer, json!(bad)));
        assert!(
            found.first().is_some_and(|l| l.ends_with(" invalid_code")),
            "{pointer}: {found:?}"
        );
    }
    // The standard's own business examples write "IVMS101.2023", which is not
    // on its PayloadVersionCode list.
    assert_eq!(
        after(v2023(), |v| set(
            v,
            "/payloadMetadata/payloadVersion",
            json!("IVMS101.2023")
        )),
        one("payloadMetadata.payloadVersion", "invalid_code")
    );
}

#[test]
fn a_person_is_natural_or_legal() {
    assert_eq!(
        after(v2023(), |v| set(
            v,
            "/originator/originatorPerson/0",
            json!({"accountNumber": ["x"]})
        )),
        one("originator.originatorPerson[0]", "one_of")
    );
}

#[test]
fn editions() {
    // 2023 names without a payloadVersion: checked as 2023, version required.
    let mut undeclared = v2023();
    remove(&mut undeclared, "/payloadMetadata/payloadVersion");
    let payload = parse(undeclared.to_string().as_bytes()).unwrap();
    let report = validate_on(&payload, today());
    assert_eq!(
        (report.edition, report.edition_declared),
        (Edition::V2023, false)
    );
    assert_eq!(
        after(undeclared, |_| {}),
        one("payloadMetadata.payloadVersion", "required")
    );
    // Declared 2020 but written with 2023 names.
    let found = after(v2023(), |v| {
        set(v, "/payloadMetadata/payloadVersion", json!("101"))
    });
    assert!(
        found.contains(&"originator.originatorPerson edition_mismatch".to_owned()),
        "{found:?}"
    );
    assert!(
        found.contains(&"originator.originatorPerson[0].accountNumber edition_mismatch".to_owned())
    );
    assert!(found.contains(&format!("{P_BEN}.customerIdentification edition_mismatch")));
    assert!(
        found.iter().all(|l| l.ends_with("edition_mismatch")),
        "{found:?}"
    );
    // Both spellings at once.
    assert_eq!(
        after(v2023(), |v| set(
            v,
            &format!("{BEN}/customerNumber"),
            json!("C-2")
        )),
        [
            format!("{P_BEN} conflicting_names"),
            format!("{P_BEN}.customerNumber edition_mismatch"),
        ]
    );
    assert_eq!(
        after(v2020(), |v| {
            set(v, "/payloadMetadata", json!({"payloadVersion": "101"}));
            set(v, "/originator/originatorPerson", json!([]));
        }),
        [
            "originator conflicting_names".to_owned(),
            "originator.originatorPerson edition_mismatch".to_owned(),
            "originator.originatorPerson required".to_owned(),
        ]
    );
    // A 2020 payload declaring itself.
    clean(v2020(), |v| {
        set(v, "/payloadMetadata", json!({"payloadVersion": "101"}))
    });
}

#[test]
fn unknown_keys_are_reported_where_they_are() {
    // Sorted: the order of keys in a serde_json map depends on a feature
    // another crate in the workspace may turn on.
    let mut found = after(v2023(), |v| {
        set(v, "/travelRuleVersion", json!(3));
        set(v, &format!("{ORIG}/nationality"), json!("KZ"));
    });
    found.sort();
    assert_eq!(
        found,
        [
            format!("{P_ORIG}.nationality unknown_field"),
            "travelRuleVersion unknown_field".to_owned(),
        ]
    );
}
