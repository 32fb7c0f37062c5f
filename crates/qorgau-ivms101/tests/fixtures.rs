//! Every fixture's verdict, down to the path and code of each violation,
//! and the round trip of each readable fixture through the model.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

use std::path::Path;

use chrono::NaiveDate;
use qorgau_ivms101::{Edition, ParseErrorKind, check, parse, validate_on};

/// A fixed "today" so C2 gives the same answer every year.
fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()
}

fn read(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The violations of a fixture as `path code` lines, in report order.
fn violations(name: &str) -> (Edition, bool, Vec<String>) {
    let payload = parse(&read(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let report = validate_on(&payload, today());
    let lines = report
        .violations
        .iter()
        .map(|v| format!("{} {}", v.path, v.code))
        .collect();
    (report.edition, report.edition_declared, lines)
}

const VALID: &[(&str, Edition, bool)] = &[
    ("valid/2020-natural-persons.json", Edition::V2020, false),
    (
        "valid/2020-address-without-town.json",
        Edition::V2020,
        false,
    ),
    ("valid/2023-transfer-path.json", Edition::V2023, true),
    (
        "valid/2023-legal-originator-address-lines.json",
        Edition::V2023,
        true,
    ),
    (
        "valid/2023-beneficiary-name-only.json",
        Edition::V2023,
        true,
    ),
    ("valid/2023-natural-person-raid.json", Edition::V2023, true),
];

#[test]
fn valid_fixtures_are_clean() {
    for (name, edition, declared) in VALID {
        let (e, d, lines) = violations(name);
        assert_eq!(lines, Vec::<String>::new(), "{name}");
        assert_eq!((e, d), (*edition, *declared), "{name}");
    }
}

#[test]
fn invalid_fixtures_name_each_problem() {
    let cases: &[(&str, &[&str])] = &[
        (
            "invalid/2023-lei-check-digits.json",
            &[
                "beneficiary.beneficiaryPerson[0].legalPerson.nationalIdentification.nationalIdentifier invalid_lei",
            ],
        ),
        (
            "invalid/2020-not-latin.json",
            &[
                "originator.originatorPersons[0].naturalPerson.name.nameIdentifier[0].primaryIdentifier not_latin",
                "originator.originatorPersons[0].naturalPerson.name.nameIdentifier[0].secondaryIdentifier not_latin",
                "originator.originatorPersons[0].naturalPerson.geographicAddress[0].streetName not_latin",
                "originator.originatorPersons[0].naturalPerson.geographicAddress[0].townName not_latin",
            ],
        ),
        (
            "invalid/2020-too-long.json",
            &[
                "originator.originatorPersons[0].naturalPerson.geographicAddress[0].buildingNumber too_long",
                "originator.originatorPersons[0].naturalPerson.customerIdentification too_long",
            ],
        ),
        (
            "invalid/2023-legal-person-fiin.json",
            &[
                "beneficiary.beneficiaryPerson[0].legalPerson.nationalIdentification.nationalIdentifierType legal_person_identifier_type",
            ],
        ),
        (
            "invalid/2020-person-both.json",
            &["originator.originatorPersons[0] one_of"],
        ),
        (
            "invalid/2023-constraints.json",
            &[
                "originator.originatorPerson[0].naturalPerson.name.nameIdentifier legal_name_missing",
                "originator.originatorPerson[0].naturalPerson.geographicAddress[0].addressLine too_many_address_lines",
                "originator.originatorPerson[0].naturalPerson.geographicAddress[0].country invalid_country",
                "originator.originatorPerson[0].naturalPerson.dateAndPlaceOfBirth.dateOfBirth date_not_in_past",
                "beneficiary.beneficiaryPerson[0].legalPerson.name.nameIdentifier legal_name_missing",
                "beneficiary.beneficiaryPerson[0].legalPerson.nationalIdentification.nationalIdentifierType legal_person_identifier_type",
                "beneficiary.beneficiaryPerson[0].legalPerson.nationalIdentification.countryOfIssue country_of_issue_not_allowed",
                "beneficiary.beneficiaryPerson[0].legalPerson.nationalIdentification.registrationAuthority registration_authority_required",
                "originatingVASP.originatingVASP.legalPerson.nationalIdentification.registrationAuthority registration_authority_not_allowed",
                "beneficiaryVASP.beneficiaryVASP.legalPerson.nationalIdentification.registrationAuthority invalid_registration_authority",
            ],
        ),
        (
            "invalid/2023-originator-without-details.json",
            &["originator.originatorPerson[0].naturalPerson originator_information"],
        ),
        (
            "invalid/2023-transfer-path-gap.json",
            &["transferPath.transferPath sequence_integrity"],
        ),
        (
            "invalid/2023-edition-mix.json",
            &[
                "originator.originatorPersons edition_mismatch",
                "originator.originatorPersons[0].naturalPerson.name.nameIdentifier[0].nameIdentifierType edition_mismatch",
                "originator.accountNumber edition_mismatch",
            ],
        ),
        (
            "invalid/2020-non-standard-keys.json",
            &[
                "originator.originatorPersons[0].naturalPerson.name.name_identifiers unknown_field",
                "originator.originatorPersons[0].naturalPerson.geographic_addresses unknown_field",
                "originator.originatorPersons[0].naturalPerson.customer_identification unknown_field",
                "originator.originatorPersons[0].naturalPerson.name.nameIdentifier required",
                "originator.originatorPersons[0].naturalPerson originator_information",
            ],
        ),
        (
            "invalid/protojson-style.json",
            &[
                "originator.originator_persons unknown_field",
                "originator.account_numbers unknown_field",
                "beneficiary.beneficiary_persons unknown_field",
                "transfer_path unknown_field",
                "payload_metadata unknown_field",
                "originator.originatorPersons required",
                "beneficiary.beneficiaryPersons required",
            ],
        ),
    ];
    for (name, expected) in cases {
        let (_, _, lines) = violations(name);
        assert_eq!(lines, *expected, "{name}");
    }
}

#[test]
fn violations_display_and_serialise_with_path_code_and_constraint() {
    let payload = parse(&read("invalid/2023-constraints.json")).unwrap();
    let report = validate_on(&payload, today());
    let first = &report.violations[0];
    assert_eq!(
        first.to_string(),
        "originator.originatorPerson[0].naturalPerson.name.nameIdentifier: \
         no nameIdentifier has type LEGL (the legal name) (C6 LegalNamePresentNaturalPerson)"
    );
    let json = serde_json::to_value(first).unwrap();
    assert_eq!(json["code"], "legal_name_missing");
    assert_eq!(json["constraint"], "C6");
    assert_eq!(
        json["path"],
        "originator.originatorPerson[0].naturalPerson.name.nameIdentifier"
    );
    let whole = serde_json::to_value(&report).unwrap();
    assert_eq!(whole["edition"], "101.2023");
    assert_eq!(whole["edition_declared"], true);
    assert!(
        report
            .to_string()
            .starts_with("10 violation(s) of IVMS 101.2023 (declared):")
    );
}

#[test]
fn malformed_fixtures_fail_to_parse_with_a_path() {
    let cases = [
        (
            "malformed/truncated.json",
            "originator.originatorPerson[0].naturalPerson.name.nameIdentifier",
            ParseErrorKind::Eof,
        ),
        (
            "malformed/name-is-a-string.json",
            "originator.originatorPerson[0].naturalPerson.name",
            ParseErrorKind::Data,
        ),
        (
            "malformed/negative-sequence.json",
            "transferPath.transferPath[0].sequence",
            ParseErrorKind::Data,
        ),
    ];
    for (name, path, kind) in cases {
        let err = check(&read(name)).unwrap_err();
        assert_eq!((err.path.as_str(), err.kind), (path, kind), "{name}: {err}");
        assert!(err.line > 0, "{name}: {err}");
    }
    let err = parse(&read("malformed/name-is-a-string.json")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "originator.originatorPerson[0].naturalPerson.name: invalid type: string \"Testova Dana\", \
         expected struct NaturalPersonName (line 4, column 49)"
    );
}

#[test]
fn readable_fixtures_round_trip() {
    let all = [
        "valid/2020-natural-persons.json",
        "valid/2020-address-without-town.json",
        "valid/2023-transfer-path.json",
        "valid/2023-legal-originator-address-lines.json",
        "valid/2023-beneficiary-name-only.json",
        "valid/2023-natural-person-raid.json",
        "invalid/2023-lei-check-digits.json",
        "invalid/2020-not-latin.json",
        "invalid/2020-too-long.json",
        "invalid/2023-legal-person-fiin.json",
        "invalid/2020-person-both.json",
        "invalid/2023-constraints.json",
        "invalid/2023-originator-without-details.json",
        "invalid/2023-transfer-path-gap.json",
        "invalid/2023-edition-mix.json",
    ];
    for name in all {
        let bytes = read(name);
        let original: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        let payload = parse(&bytes).unwrap();
        let written = serde_json::to_value(&payload).unwrap();
        assert_eq!(written, original, "{name}: written back differently");
        let again = parse(written.to_string().as_bytes()).unwrap();
        assert_eq!(again, payload, "{name}");
    }
    // Unknown keys are reported, not written back; what was understood is.
    for name in [
        "invalid/2020-non-standard-keys.json",
        "invalid/protojson-style.json",
    ] {
        let payload = parse(&read(name)).unwrap();
        let again = parse(serde_json::to_string(&payload).unwrap().as_bytes()).unwrap();
        assert!(again.unknown_fields.is_empty());
        assert_eq!(
            qorgau_ivms101::IdentityPayload {
                unknown_fields: Vec::new(),
                ..payload
            },
            again,
            "{name}"
        );
    }
}

#[test]
fn postcode_is_read_under_both_spellings_and_written_as_post_code() {
    let bytes = read("valid/2020-natural-persons.json");
    let text = String::from_utf8(bytes)
        .unwrap()
        .replace("\"postCode\"", "\"postcode\"");
    let payload = parse(text.as_bytes()).unwrap();
    assert!(validate_on(&payload, today()).is_valid());
    let written = serde_json::to_string(&payload).unwrap();
    assert!(written.contains("\"postCode\":\"050000\""));
    assert!(!written.contains("\"postcode\""));
}
