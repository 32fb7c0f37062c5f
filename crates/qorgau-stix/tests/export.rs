//! The export's behaviour: determinism, markings, references, what it
//! refuses and how it says so.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;

use common::{at, indicator, synthetic_case};
use qorgau_stix::{
    Chain, ExportError, FunnelRole, IndicatorKind, Platform, Relation, RelationReason, Tlp,
    ValueProblem, export_bundle, normalise_value,
};
use serde_json::Value;

fn ids_of(objects: &[Value]) -> BTreeSet<String> {
    objects
        .iter()
        .map(|o| o["id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn export_is_deterministic_and_versions_on_change() {
    let case = synthetic_case(Tlp::Amber);
    let a = export_bundle(&case).unwrap();
    let b = export_bundle(&case).unwrap();
    assert_eq!(
        serde_json::to_string(&a).unwrap(),
        serde_json::to_string(&b).unwrap()
    );

    let mut later = case.clone();
    later.modified = at(2026, 4, 1, 8);
    let c = export_bundle(&later).unwrap();
    assert_eq!(
        ids_of(&a.objects),
        ids_of(&c.objects),
        "a re-export keeps every id"
    );
    assert_ne!(a.id, c.id, "but the bundle differs");
    let report = c.objects_of_type("report").next().unwrap();
    assert_eq!(report["modified"], "2026-04-01T08:00:00.000Z");
    assert_eq!(report["created"], "2026-03-01T10:00:00.000Z");

    let mut other = case.clone();
    other.id_seed = uuid::Uuid::from_u128(42);
    let d = export_bundle(&other).unwrap();
    let sco = |bundle: &qorgau_stix::Bundle| {
        ids_of(
            &bundle
                .objects_of_type("domain-name")
                .cloned()
                .collect::<Vec<_>>(),
        )
    };
    assert_eq!(sco(&a), sco(&d), "observable ids do not depend on the case");
    let sdo = |bundle: &qorgau_stix::Bundle| {
        ids_of(
            &bundle
                .objects_of_type("indicator")
                .cloned()
                .collect::<Vec<_>>(),
        )
    };
    assert!(
        sdo(&a).is_disjoint(&sdo(&d)),
        "indicator ids derive from the case's seed"
    );
}

#[test]
fn objects_counts_and_mapping() {
    let bundle = export_bundle(&synthetic_case(Tlp::Green)).unwrap();
    let count = |t: &str| bundle.objects_of_type(t).count();
    assert_eq!(count("domain-name"), 2);
    assert_eq!(count("url"), 1);
    assert_eq!(count("email-addr"), 1);
    assert_eq!(count("user-account"), 3);
    assert_eq!(count("cryptocurrency-wallet"), 3);
    assert_eq!(count("phone-number"), 2);
    assert_eq!(count("indicator"), 12);
    assert_eq!(count("observed-data"), 12);
    assert_eq!(count("relationship"), 12 + 4);
    assert_eq!(count("report"), 1);
    assert_eq!(count("identity"), 2);
    assert_eq!(count("marking-definition"), 1);
    assert_eq!(count("extension-definition"), 3);

    let tg = bundle
        .objects_of_type("user-account")
        .find(|o| o["account_type"] == "telegram")
        .unwrap();
    assert_eq!(tg["account_login"], "model_agency_example");
    let pattern = bundle
        .objects_of_type("indicator")
        .map(|o| o["pattern"].as_str().unwrap())
        .find(|p| p.contains("url:value"))
        .unwrap();
    assert_eq!(
        pattern,
        r"[url:value = 'https://jobs-abroad.example/vacancy?id=7&ref=\'promo\'']"
    );
    let wallet = bundle
        .objects_of_type("cryptocurrency-wallet")
        .find(|o| o["chain"] == "ethereum")
        .unwrap();
    assert_eq!(
        wallet["extensions"]["extension-definition--7ad32d02-cf23-4618-b3b3-a655569781dd"]["extension_type"],
        "new-sco"
    );
    let mirror = bundle
        .objects_of_type("observed-data")
        .find(|o| o["number_observed"] == 1)
        .unwrap();
    assert_eq!(mirror["first_observed"], mirror["last_observed"]);
}

#[test]
fn every_case_object_is_marked_and_in_the_report() {
    for tlp in Tlp::ALL {
        let bundle = export_bundle(&synthetic_case(tlp)).unwrap();
        let marking = bundle.objects_of_type("marking-definition").next().unwrap();
        assert_eq!(marking["id"], tlp.marking_definition_id());
        let definitions: BTreeSet<&str> = ["marking-definition", "extension-definition"].into();
        let report = bundle.objects_of_type("report").next().unwrap();
        let refs: BTreeSet<&str> = report["object_refs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        for object in &bundle.objects {
            let t = object["type"].as_str().unwrap();
            let id = object["id"].as_str().unwrap();
            if definitions.contains(t) || id == qorgau_stix::export::QORGAU_IDENTITY_ID {
                assert!(object.get("object_marking_refs").is_none(), "{id}");
                continue;
            }
            assert_eq!(
                object["object_marking_refs"],
                serde_json::json!([tlp.marking_definition_id()]),
                "{id}"
            );
            if t != "report" {
                assert!(refs.contains(id), "the report misses {id}");
            }
        }
    }
}

#[test]
fn references_resolve_and_timestamps_have_milliseconds() {
    let bundle = export_bundle(&synthetic_case(Tlp::Red)).unwrap();
    let ids = ids_of(&bundle.objects);
    let mut checked = 0;
    let oasis = "identity--b3bca3c2-1f3d-4b54-b44f-dac42c3a8f01"; // creator of the TLP 2.0 definition
    fn walk<'a>(value: &'a Value, key: &str, out: &mut Vec<(String, &'a str)>) {
        match value {
            Value::Object(map) => map.iter().for_each(|(k, v)| walk(v, k, out)),
            Value::Array(items) => items.iter().for_each(|v| walk(v, key, out)),
            Value::String(s) => out.push((key.to_owned(), s)),
            _ => {}
        }
    }
    for object in &bundle.objects {
        let mut strings = Vec::new();
        walk(object, "", &mut strings);
        for (key, value) in strings {
            if key.ends_with("_ref") || key.ends_with("_refs") {
                assert!(
                    ids.contains(value) || value == oasis,
                    "{} -> {value}",
                    object["id"]
                );
                checked += 1;
            }
            if [
                "created",
                "modified",
                "valid_from",
                "first_observed",
                "last_observed",
                "published",
            ]
            .contains(&key.as_str())
            {
                assert_eq!(value.len(), 24, "{key}={value}");
                assert!(
                    value.ends_with('Z') && value.as_bytes()[19] == b'.',
                    "{key}={value}"
                );
            }
        }
        assert!(object.get("display_name").is_none());
    }
    assert!(checked > 100);
}

#[test]
fn sco_properties_are_only_the_identifier() {
    let bundle = export_bundle(&synthetic_case(Tlp::Amber)).unwrap();
    let allowed: BTreeSet<&str> = [
        "type",
        "spec_version",
        "id",
        "value",
        "account_type",
        "account_login",
        "chain",
        "extensions",
        "object_marking_refs",
    ]
    .into();
    for t in [
        "domain-name",
        "url",
        "email-addr",
        "user-account",
        "phone-number",
        "cryptocurrency-wallet",
    ] {
        for object in bundle.objects_of_type(t) {
            for key in object.as_object().unwrap().keys() {
                assert!(allowed.contains(key.as_str()), "{t} has {key}");
            }
        }
    }
}

fn export_error(change: impl FnOnce(&mut qorgau_stix::CaseIndicators)) -> ExportError {
    let mut case = synthetic_case(Tlp::Amber);
    change(&mut case);
    export_bundle(&case).unwrap_err()
}

#[test]
fn bad_values_are_named() {
    let e = export_error(|c| c.indicators[2].value = "jobs-abroad.example/vacancy".into());
    assert_eq!(
        e.to_string(),
        "indicator #3 (URL) \"jobs-abroad.example/vacancy\" is not a URL: has no scheme (https://...)"
    );
    let e = export_error(|c| c.indicators[4].value = "@".into());
    assert_eq!(
        e.to_string(),
        "indicator #5 (Telegram account) \"@\" is empty"
    );
    let e = export_error(|c| c.indicators[7].value = "TSynthet1cWa11et AddressForTest5xyz".into());
    assert_eq!(
        e.to_string(),
        "indicator #8 (wallet on tron) \"TSynthet1cWa11et AddressForTest5xyz\" contains whitespace"
    );
    let e = export_error(|c| c.indicators[10].value = "8 701 000 00 01".into());
    assert!(
        matches!(
            e,
            ExportError::Indicator {
                number: 11,
                problem: ValueProblem::Whitespace,
                ..
            }
        ),
        "{e}"
    );
    let e = export_error(|c| c.indicators[0].confidence = 101);
    assert!(matches!(
        e,
        ExportError::Indicator {
            number: 1,
            problem: ValueProblem::Confidence(101),
            ..
        }
    ));
    let e = export_error(|c| c.indicators[0].last_seen = Some(at(2020, 1, 1, 0)));
    assert!(matches!(
        e,
        ExportError::Indicator {
            problem: ValueProblem::SeenOrder,
            ..
        }
    ));
    let e = export_error(|c| c.indicators[0].times_seen = 0);
    assert!(matches!(
        e,
        ExportError::Indicator {
            problem: ValueProblem::TimesSeen,
            ..
        }
    ));
    let e = export_error(|c| {
        c.indicators[0].kind = IndicatorKind::Wallet {
            chain: Chain::Other("Not A Slug".into()),
        };
    });
    assert!(
        matches!(
            e,
            ExportError::Indicator {
                problem: ValueProblem::Slug(_),
                ..
            }
        ),
        "{e}"
    );
}

#[test]
fn case_level_problems() {
    let e = export_error(|c| {
        c.indicators.push(indicator(
            IndicatorKind::Domain,
            "KYZDAR4.example.",
            FunnelRole::ClientFacing,
        ))
    });
    assert_eq!(
        e.to_string(),
        "indicator #13 (domain) \"kyzdar4.example\" repeats indicator #1"
    );
    let e = export_error(|c| {
        c.relations.push(Relation {
            from: "nowhere.example".into(),
            to: "kyzdar4.example".into(),
            reason: RelationReason::SameAdvert,
        })
    });
    assert!(matches!(e, ExportError::Relation { number: 5, .. }), "{e}");
    let e = export_error(|c| {
        c.relations.push(Relation {
            from: "kyzdar4.example".into(),
            to: "KYZDAR4.EXAMPLE".into(),
            reason: RelationReason::SameAdvert,
        })
    });
    assert!(e.to_string().contains("names a value no indicator"), "{e}");
    let e = export_error(|c| {
        c.relations.push(Relation {
            from: "kyzdar4.example".into(),
            to: "kyzdar4.example".into(),
            reason: RelationReason::SameAdvert,
        })
    });
    assert!(e.to_string().contains("itself"), "{e}");
    let e = export_error(|c| {
        c.indicators.push(indicator(
            IndicatorKind::Handle {
                platform: Platform::Other("site".into()),
            },
            "kyzdar4.example",
            FunnelRole::ClientFacing,
        ))
    });
    // Not a duplicate (different kinds), but now the relation is ambiguous.
    assert!(e.to_string().contains("several indicators"), "{e}");
    assert_eq!(
        export_error(|c| c.title = "  ".into()),
        ExportError::Title("is empty")
    );
    assert_eq!(
        export_error(|c| c.title = "x".repeat(161)),
        ExportError::Title("is too long")
    );
    assert_eq!(
        export_error(|c| c.producer = "a\nb".into()),
        ExportError::Producer("contains control characters")
    );
    assert_eq!(
        export_error(|c| c.modified = at(2026, 1, 1, 0)),
        ExportError::CaseTimes
    );
    assert_eq!(
        export_error(|c| c.indicators.clear()),
        ExportError::NoIndicators
    );
}

#[test]
fn restricted_fields_refuse_prose() {
    let json = serde_json::json!({ "case_ref": "Aigerim S. case" });
    let e = serde_json::from_value::<qorgau_stix::CaseRef>(json["case_ref"].clone()).unwrap_err();
    assert!(e.to_string().contains("not an opaque reference"), "{e}");
    assert!(qorgau_stix::Label::new("victim named X").is_err());
    assert!(qorgau_stix::Label::new("payment:prepayment").is_ok());
}

#[test]
fn normalising_never_panics() {
    let kinds = [
        IndicatorKind::Domain,
        IndicatorKind::Url,
        IndicatorKind::Email,
        IndicatorKind::Phone,
        IndicatorKind::Handle {
            platform: Platform::Telegram,
        },
        IndicatorKind::Handle {
            platform: Platform::Other("x".into()),
        },
        IndicatorKind::Wallet {
            chain: Chain::Bitcoin,
        },
        IndicatorKind::Wallet { chain: Chain::Ton },
        IndicatorKind::Wallet {
            chain: Chain::Zcash,
        },
        IndicatorKind::Wallet {
            chain: Chain::Monero,
        },
        IndicatorKind::Wallet {
            chain: Chain::Litecoin,
        },
        IndicatorKind::Wallet {
            chain: Chain::Other("chain".into()),
        },
    ];
    let pieces = [
        "", "@", ".", "..", ":", "://", "[", "]", "http", "https://", "é", "𝔘", "+", "0x", "bc1",
        "0:", "-1:", "\u{0}", "'", "\\", "%", "?", "#", "a", "1", "T",
    ];
    let mut n = 0;
    for a in pieces {
        for b in pieces {
            for c in pieces {
                let value = format!("{a}{b}{c}");
                for kind in &kinds {
                    let _ = normalise_value(kind, &value);
                    n += 1;
                }
            }
        }
    }
    assert_eq!(n, pieces.len().pow(3) * kinds.len());
    // Long input is bounded, not slow or panicking.
    let long = "a".repeat(100_000);
    for kind in &kinds {
        assert!(normalise_value(kind, &long).is_err());
    }
}
