//! Reading and checking never panic, whatever the input: arbitrary bytes,
//! arbitrary JSON built from IVMS101's own element names, random edits of a
//! valid payload, and nesting far deeper than any payload has. What can be
//! read survives a write and a second read unchanged.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

use proptest::prelude::*;
use qorgau_ivms101::{IdentityPayload, check, parse, validate};
use serde_json::{Map, Value, json};

/// Element names of the standard (both editions) and a few strangers, so
/// random objects reach deep into the model instead of being ignored at the
/// top.
const KEYS: &[&str] = &[
    "originator",
    "beneficiary",
    "originatorPerson",
    "originatorPersons",
    "beneficiaryPerson",
    "beneficiaryPersons",
    "accountNumber",
    "originatingVASP",
    "beneficiaryVASP",
    "transferPath",
    "intermediaryVASP",
    "sequence",
    "payloadMetadata",
    "transliterationMethod",
    "payloadVersion",
    "naturalPerson",
    "legalPerson",
    "name",
    "nameIdentifier",
    "localNameIdentifier",
    "phoneticNameIdentifier",
    "primaryIdentifier",
    "secondaryIdentifier",
    "naturalPersonNameIdentifierType",
    "nameIdentifierType",
    "legalPersonName",
    "legalPersonNameIdentifierType",
    "geographicAddress",
    "addressType",
    "streetName",
    "buildingNumber",
    "buildingName",
    "addressLine",
    "postCode",
    "postcode",
    "townName",
    "country",
    "nationalIdentification",
    "nationalIdentifier",
    "nationalIdentifierType",
    "countryOfIssue",
    "registrationAuthority",
    "customerIdentification",
    "customerNumber",
    "dateAndPlaceOfBirth",
    "dateOfBirth",
    "placeOfBirth",
    "countryOfResidence",
    "countryOfRegistration",
    "x",
    "",
];

/// Strings that matter to the rules: codes, countries, LEIs, dates, blanks,
/// other scripts.
const VALUES: &[&str] = &[
    "LEGL",
    "ALIA",
    "SHRT",
    "TRAD",
    "GEOG",
    "HOME",
    "BIZZ",
    "LEIX",
    "RAID",
    "TXID",
    "SOCS",
    "MISC",
    "cyrl",
    "101",
    "101.2023",
    "KZ",
    "XX",
    "UK",
    "RA000405",
    "RA1",
    "5493001KJTIIGC8Y1R12",
    "5493001KJTIIGC8Y1R13",
    "1990-01-01",
    "2999-12-31",
    "1990-02-30",
    "",
    " ",
    "Алматы",
    "\u{0}",
    "\u{202e}",
    "😀",
];

fn arb_scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<u64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        prop::sample::select(VALUES).prop_map(|s| json!(s)),
        ".{0,40}".prop_map(Value::String),
    ]
}

fn arb_json() -> impl Strategy<Value = Value> {
    arb_scalar().prop_recursive(6, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..6).prop_map(|pairs| {
                Value::Object(
                    pairs
                        .into_iter()
                        .map(|(k, v)| (k.to_owned(), v))
                        .collect::<Map<_, _>>(),
                )
            }),
        ]
    })
}

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// Every JSON pointer into `v`.
fn pointers(v: &Value, here: String, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                let p = format!("{here}/{}", k.replace('~', "~0").replace('/', "~1"));
                out.push(p.clone());
                pointers(child, p, out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                let p = format!("{here}/{i}");
                out.push(p.clone());
                pointers(child, p, out);
            }
        }
        _ => {}
    }
}

/// Reads, validates, and when readable checks the write-read round trip.
fn exercise(bytes: &[u8]) {
    if let Ok(payload) = parse(bytes) {
        let report = validate(&payload);
        for v in &report.violations {
            assert!(!v.to_string().is_empty());
        }
        let written = serde_json::to_vec(&payload).unwrap();
        let again = parse(&written).unwrap();
        assert!(again.unknown_fields.is_empty());
        assert_eq!(
            again,
            IdentityPayload {
                unknown_fields: Vec::new(),
                ..payload
            }
        );
    } else {
        let err = check(bytes).unwrap_err();
        assert!(!err.to_string().is_empty());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        exercise(&bytes);
    }

    #[test]
    fn arbitrary_json_never_panics(v in arb_json()) {
        exercise(v.to_string().as_bytes());
        // And wrapped as a payload's top-level objects.
        exercise(json!({"originator": {"originatorPerson": [v.clone()]}, "beneficiary": v}).to_string().as_bytes());
    }

    #[test]
    fn random_edits_of_valid_payloads_never_panic(
        which in 0usize..2,
        picks in prop::collection::vec((any::<prop::sample::Index>(), arb_json()), 1..4),
    ) {
        let mut v = fixture(["valid/2023-transfer-path.json", "valid/2020-natural-persons.json"][which]);
        for (index, replacement) in picks {
            let mut all = Vec::new();
            pointers(&v, String::new(), &mut all);
            if all.is_empty() {
                break;
            }
            let target = all[index.index(all.len())].clone();
            *v.pointer_mut(&target).unwrap() = replacement;
        }
        exercise(v.to_string().as_bytes());
    }

    #[test]
    fn truncations_of_a_valid_payload_never_panic(cut in 0usize..4000) {
        let bytes = std::fs::read(format!(
            "{}/tests/fixtures/valid/2023-transfer-path.json",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        exercise(&bytes[..cut.min(bytes.len())]);
    }
}

#[test]
fn deep_nesting_never_overflows_the_stack() {
    let nested_objects = format!("{}{{}}{}", "{\"x\":".repeat(100_000), "}".repeat(100_000));
    let report = check(nested_objects.as_bytes()).unwrap();
    assert_eq!(report.violations[0].path, "x");
    for depth in [200, 100_000] {
        let deep = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        // Under an element the model knows, and at the top: an error (the
        // wrong type a few levels down, or serde_json's depth limit of 128).
        for doc in [
            format!("{{\"originator\": {{\"originatorPerson\": {deep}}}}}"),
            deep.clone(),
        ] {
            let err = check(doc.as_bytes()).unwrap_err();
            assert!(!err.message.is_empty());
        }
        // Under an element it ignores, serde_json skips the value without
        // recursing: well-formed, read, and the key reported.
        let doc = format!("{{\"unknownElement\": {deep}}}");
        let report = check(doc.as_bytes()).unwrap();
        assert_eq!(report.violations[0].path, "unknownElement");
    }
}

#[test]
fn trailing_garbage_and_empty_input_are_errors() {
    for bad in [
        &b""[..],
        b"   ",
        b"{} {}",
        b"{}x",
        b"\xff",
        b"null",
        b"[]",
        b"\"text\"",
    ] {
        assert!(parse(bad).is_err(), "{:?}", String::from_utf8_lossy(bad));
    }
    // An empty object reads (and then lacks everything).
    let report = check(b"{}").unwrap();
    let paths: Vec<&str> = report.violations.iter().map(|v| v.path.as_str()).collect();
    assert_eq!(paths, ["originator", "beneficiary"]);
}
