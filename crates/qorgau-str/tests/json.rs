//! The JSON form: exact structure, round trips of every fixture, refusal
//! of other versions and loose decimals; the registry of exporters.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

mod common;

use chrono::NaiveDate;
use common::*;
use qorgau_money::Amount;
use qorgau_str::{
    AccountRole, ExportError, ExportSettings, Holder, HolderKind, Indicator, Institution, Rate,
    Registry, ReportAccount, ReportTransfer, StrExporter, SuspiciousReport, Window, exporter,
    exporters, json,
};
use serde_json::json;

fn small() -> SuspiciousReport {
    let mut r = SuspiciousReport::new(
        "STR-1",
        "CASE-1",
        NaiveDate::from_ymd_opt(2026, 3, 6).unwrap(),
        entity(),
        "reason",
    );
    r.reporting_entity.address = None;
    r.reporting_entity.officer.phone = None;
    r.transfers.push(ReportTransfer {
        tx_id: Some("0xabc".into()),
        time: at(0),
        from: wallet(SENDER_WALLETS[0]),
        to: wallet(DROPPER_WALLET),
        amount: Amount::parse("1500000000000.000000000000000001").unwrap(),
        asset: "USDT".into(),
    });
    r.accounts.push(ReportAccount {
        account: wallet(DROPPER_WALLET),
        role: AccountRole::SuspectedDropper,
        holder: Some(Holder {
            kind: HolderKind::Entity,
            name: "Synthetic LLP".into(),
        }),
        institution: Some(Institution {
            name: "Example Exchange".into(),
            code: None,
            swift: None,
        }),
        country: None,
    });
    r.indicators.push(Indicator {
        kind: "fan_in".into(),
        account: Some(wallet(DROPPER_WALLET)),
        asset: Some("USDT".into()),
        score: Some(0.75),
        transfers: vec![0],
        window: Some(Window {
            from: at(0),
            until: at(60),
        }),
        explanation: "5 distinct senders".into(),
    });
    r.rates.push(Rate {
        asset: "USDT".into(),
        kzt_per_unit: Amount::parse("512.3").unwrap(),
        date: NaiveDate::from_ymd_opt(2026, 3, 5),
        source: "test".into(),
    });
    r
}

#[test]
fn the_json_form_has_exactly_this_structure() {
    let bytes = json::to_vec(&small()).unwrap();
    assert!(bytes.ends_with(b"}\n"));
    let value: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(
        value,
        json!({
            "format": "qorgau-str",
            "schema_version": 1,
            "report": {
                "reference": "STR-1",
                "case_reference": "CASE-1",
                "submission_date": "2026-03-06",
                "reporting_entity": {
                    "agency_name": "Synthetic Police Department (test)",
                    "agency_id": "agency-test-1",
                    "fiu_entity_id": "1001",
                    "branch": "Cybercrime unit (test)",
                    "officer": {
                        "first_name": "Test",
                        "last_name": "Officer",
                        "position": "Investigator",
                        "email": "officer@police.example"
                    }
                },
                "reason": "reason",
                "indicators": [{
                    "kind": "fan_in",
                    "account": "wallet:tron:TBkFToU4XuaB5W8qU1krDr22t6uc9XkmBC",
                    "asset": "USDT",
                    "score": 0.75,
                    "transfers": [0],
                    "window": {"from": "2026-03-05T08:00:00Z", "until": "2026-03-05T09:00:00Z"},
                    "explanation": "5 distinct senders"
                }],
                "accounts": [{
                    "account": "wallet:tron:TBkFToU4XuaB5W8qU1krDr22t6uc9XkmBC",
                    "role": "suspected_dropper",
                    "holder": {"kind": "entity", "name": "Synthetic LLP"},
                    "institution": {"name": "Example Exchange"}
                }],
                "transfers": [{
                    "tx_id": "0xabc",
                    "time": "2026-03-05T08:00:00Z",
                    "from": "wallet:tron:TDYxLqL1geJPMoPCkBBUSstYeg6jguxHxM",
                    "to": "wallet:tron:TBkFToU4XuaB5W8qU1krDr22t6uc9XkmBC",
                    "amount": "1500000000000.000000000000000001",
                    "asset": "USDT"
                }],
                "rates": [{
                    "asset": "USDT",
                    "kzt_per_unit": "512.3",
                    "date": "2026-03-05",
                    "source": "test"
                }]
            }
        })
    );
}

#[test]
fn every_fixture_round_trips_through_json() {
    for (name, report) in [
        ("small", small()),
        ("card", card_case()),
        ("usdt", usdt_case()),
        ("mixed", mixed_case()),
    ] {
        let exporter = exporter("json", &ExportSettings::default()).unwrap();
        let mut out = Vec::new();
        exporter.export(&report, &mut out).unwrap();
        let back = json::from_reader(out.as_slice()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(back, report, "{name}");
    }
}

#[test]
fn other_versions_unknown_fields_and_loose_decimals_are_refused() {
    let bytes = json::to_vec(&small()).unwrap();
    let value: serde_json::Value = serde_json::from_slice(&bytes).unwrap();

    let mut v = value.clone();
    v["schema_version"] = json!(2);
    let err = json::from_reader(v.to_string().as_bytes()).unwrap_err();
    assert!(matches!(err, ExportError::JsonVersion { .. }), "{err}");
    assert!(err.to_string().contains("schema_version 2"), "{err}");

    let mut v = value.clone();
    v["report"]["transfers"][0]["amount"] = json!("1,500");
    let err = json::from_reader(v.to_string().as_bytes()).unwrap_err();
    assert!(err.to_string().contains("not a plain decimal"), "{err}");

    let mut v = value.clone();
    v["report"]["transfers"][0]["amount"] = json!(1500.5);
    assert!(
        json::from_reader(v.to_string().as_bytes()).is_err(),
        "numbers are not amounts"
    );

    let mut v = value.clone();
    v["report"]["accounts"][0]["nickname"] = json!("x");
    let err = json::from_reader(v.to_string().as_bytes()).unwrap_err();
    assert!(err.to_string().contains("nickname"), "{err}");

    let mut v = value.clone();
    v["report"]["accounts"][0]["account"] = json!("purse:1");
    let err = json::from_reader(v.to_string().as_bytes()).unwrap_err();
    assert!(err.to_string().contains("not an account key"), "{err}");

    let mut v = value.clone();
    v["report"]["indicators"][0]["transfers"] = json!([5]);
    let err = json::from_reader(v.to_string().as_bytes()).unwrap_err();
    assert!(err.to_string().contains("indicators[0].transfers"), "{err}");

    let mut v = value;
    v["extra"] = json!(true);
    assert!(json::from_reader(v.to_string().as_bytes()).is_err());
}

#[test]
fn control_characters_survive_json() {
    let mut r = small();
    r.reason = "a\u{1}b <&>".into();
    let bytes = json::to_vec(&r).unwrap();
    assert_eq!(json::from_reader(bytes.as_slice()).unwrap(), r);
}

struct Csv;

impl StrExporter for Csv {
    fn name(&self) -> &'static str {
        "csv"
    }
    fn media_type(&self) -> &'static str {
        "text/csv"
    }
    fn file_extension(&self) -> &'static str {
        "csv"
    }
    fn export(
        &self,
        report: &SuspiciousReport,
        out: &mut dyn std::io::Write,
    ) -> Result<(), ExportError> {
        for t in &report.transfers {
            writeln!(out, "{},{}", t.amount, t.asset)?;
        }
        Ok(())
    }
}

#[test]
fn the_registry_offers_the_builtins_and_takes_more() {
    let settings = ExportSettings::default();
    let names: Vec<_> = exporters(&settings).iter().map(|e| e.name()).collect();
    assert_eq!(names, ["json", "goaml"]);
    let goaml = exporter("goaml", &settings).unwrap();
    assert_eq!(
        (goaml.media_type(), goaml.file_extension()),
        ("application/xml", "xml")
    );
    let json = exporter("json", &settings).unwrap();
    assert_eq!(
        (json.media_type(), json.file_extension()),
        ("application/json", "json")
    );
    match exporter("pdf", &settings) {
        Err(e) => assert_eq!(
            e.to_string(),
            "no export format \"pdf\"; the formats are: json, goaml"
        ),
        Ok(_) => panic!("pdf is no format"),
    }

    let mut registry = Registry::builtin(&settings);
    registry.register(Box::new(Csv));
    assert_eq!(registry.names(), ["json", "goaml", "csv"]);
    let mut out = Vec::new();
    registry
        .get("csv")
        .unwrap()
        .export(&small(), &mut out)
        .unwrap();
    assert_eq!(out, b"1500000000000.000000000000000001,USDT\n");
}
