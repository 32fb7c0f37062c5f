//! goAML exports: read back with an independent parser, xmllint, and their
//! element order checked against goAML 5.0.1's `report` and `transaction`
//! sequences (written out below); validated against the published goAML
//! schema with xmllint in the ignored tests, which need the schema file
//! named by `QORGAU_GOAML_XSD` (it is not in the repository, see
//! `tests/schema/README.md`). Both checks are shown able to fail; missing
//! values give named errors and no output.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

mod common;

use common::*;
use qorgau_money::Amount;
use qorgau_str::{ExportError, ExportSettings, GoamlProfile, SuspiciousReport, exporter, goaml};

fn export(report: &SuspiciousReport) -> Result<Vec<u8>, ExportError> {
    let settings = ExportSettings { goaml: profile() };
    let exporter = exporter("goaml", &settings).unwrap();
    let mut out = Vec::new();
    let result = exporter.export(report, &mut out);
    if result.is_err() {
        assert!(out.is_empty(), "a failed export wrote {} bytes", out.len());
    }
    result.map(|()| out)
}

/// The export, well-formed for xmllint and in goAML's element order.
fn exported(report: &SuspiciousReport, name: &str) -> String {
    let xml = export(report).unwrap_or_else(|e| panic!("{name}: {e}"));
    if let Err(e) = well_formed(&xml, name) {
        panic!(
            "{name} is not well-formed XML:\n{e}\n{}",
            String::from_utf8_lossy(&xml)
        );
    }
    let xml = String::from_utf8(xml).unwrap();
    if let Err(e) = in_goaml_order(&xml) {
        panic!("{name} is not in goAML's element order: {e}\n{xml}");
    }
    xml
}

/// The export, valid against the published goAML schema.
fn valid(report: &SuspiciousReport, name: &str) {
    let xml = export(report).unwrap_or_else(|e| panic!("{name}: {e}"));
    if let Err(e) = xmllint(&xml, name) {
        panic!(
            "{name} does not validate against the goAML schema:\n{e}\n{}",
            String::from_utf8_lossy(&xml)
        );
    }
}

/// How often an element of a content model may occur.
#[derive(Clone, Copy, PartialEq)]
enum Occurs {
    One,
    Optional,
    Many,
}
use Occurs::{Many, One, Optional};

/// A content model as a sequence of slots, each a choice of names. Read
/// from goAML 5.0.1's `report` element: of its choice between
/// transactions and a lone `activity`, the transaction form (an STR made
/// from transfers).
const REPORT: &[(&[&str], Occurs)] = &[
    (&["schema_version"], Optional),
    (&["rentity_id"], One),
    (&["rentity_branch"], One),
    (&["submission_code"], One),
    (&["report_code"], One),
    (&["entity_reference"], Optional),
    (&["fiu_ref_number"], Optional),
    (&["prev_rejected_ref_number"], Optional),
    (&["submission_date", "report_date"], One),
    (&["currency_code_local"], One),
    (&["reporting_person", "reporting_user_code"], One),
    (&["location"], One),
    (&["reason"], Optional),
    (&["action"], Optional),
    (&["transaction"], Many),
    (&["activity"], Optional),
    (&["report_indicators"], One),
    (&["additional_information"], Optional),
];

/// goAML 5.0.1's `transaction`: of its choice between `involved_parties`
/// and a from side with a to side, the latter (bilateral transfers).
const TRANSACTION: &[(&[&str], Occurs)] = &[
    (&["transactionnumber"], One),
    (&["transaction_is_suspicious"], Optional),
    (&["internal_ref_number"], Optional),
    (&["agent_name"], Optional),
    (&["transaction_location"], One),
    (&["transaction_address"], Optional),
    (&["transaction_description"], One),
    (&["date_transaction"], One),
    (&["teller"], Optional),
    (&["authorized"], Optional),
    (&["late_deposit"], Optional),
    (&["date_posting"], Optional),
    (&["value_date"], Optional),
    (&["transaction_type_code"], Optional),
    (&["transmode_code"], One),
    (&["transmode_comment"], Optional),
    (&["amount_local"], One),
    (&["transaction_status"], Optional),
    (&["t_from_my_client", "t_from"], One),
    (&["t_to_my_client", "t_to"], One),
    (&["goods_services"], Optional),
    (&["means_of_transport"], Optional),
    (&["comments"], Optional),
];

/// Whether `children` follow `model`. Greedy matching is exact here: no
/// two neighbouring slots share a name.
fn follows(children: &[String], model: &[(&[&str], Occurs)]) -> Result<(), String> {
    let mut i = 0;
    for &(names, occurs) in model {
        let mut n = 0;
        while i < children.len()
            && names.contains(&children[i].as_str())
            && (occurs == Many || n == 0)
        {
            i += 1;
            n += 1;
        }
        if n == 0 && occurs != Optional {
            return Err(format!(
                "expected {} at child {}, found {}",
                names.join(" or "),
                i + 1,
                children.get(i).map_or("the end", String::as_str)
            ));
        }
    }
    match children.get(i) {
        Some(extra) => Err(format!("unexpected {extra} at child {}", i + 1)),
        None => Ok(()),
    }
}

/// The children of the root `report` and of each `transaction` in
/// goAML 5.0.1's order.
fn in_goaml_order(xml: &str) -> Result<(), String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    // Element names from the root down to the current element.
    let mut path: Vec<String> = Vec::new();
    let mut report: Vec<String> = Vec::new();
    let mut transactions: Vec<Vec<String>> = Vec::new();
    loop {
        let event = reader.read_event().map_err(|e| e.to_string())?;
        let (name, empty) = match &event {
            Event::Start(e) => (e.name(), false),
            Event::Empty(e) => (e.name(), true),
            Event::End(_) => {
                path.pop();
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        let name = String::from_utf8(name.as_ref().to_vec()).map_err(|e| e.to_string())?;
        match path.as_slice() {
            [] if name != "report" => return Err(format!("the root is {name}, not report")),
            [_] => {
                report.push(name.clone());
                if name == "transaction" {
                    transactions.push(Vec::new());
                }
            }
            [_, parent] if parent == "transaction" => {
                transactions.last_mut().unwrap().push(name.clone())
            }
            _ => {}
        }
        if !empty {
            path.push(name);
        }
    }
    follows(&report, REPORT).map_err(|e| format!("report: {e}"))?;
    for (n, children) in transactions.iter().enumerate() {
        follows(children, TRANSACTION).map_err(|e| format!("transaction {}: {e}", n + 1))?;
    }
    Ok(())
}

#[test]
fn card_to_card_in_kzt_exports_the_case() {
    let xml = exported(&card_case(), "card-case");
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
    for part in [
        "<rentity_id>1001</rentity_id>",
        "<submission_code>E</submission_code>",
        "<report_code>STR</report_code>",
        "<entity_reference>STR-TEST-0001</entity_reference>",
        "<submission_date>2026-03-06T00:00:00</submission_date>",
        "<currency_code_local>KZT</currency_code_local>",
        "<transactionnumber>A-1000</transactionnumber>",
        "<date_transaction>2026-03-05T08:00:00Z</date_transaction>",
        "<amount_local>15000</amount_local>",
        "<amount_local>88500.5</amount_local>",
        "<account>4400430000000072</account>",
        "<account_name>Synthetic Holder A</account_name>",
        "<iban>KZ60999KZT0000000001</iban>",
        "<personal_account_type>A</personal_account_type>",
        "Role in this report: suspected dropper.",
        "<employer_name>Synthetic Police Department (test)</employer_name>",
    ] {
        assert!(xml.contains(part), "missing {part} in\n{xml}");
    }
    assert!(!xml.contains("foreign_currency"), "KZT needs no conversion");
    assert_eq!(xml.matches("<transaction>").count(), 7);
    assert!(!xml.contains("+7 700"), "the phone is not split by guess");
    let reason = xpath(xml.as_bytes(), "card-case", "/report/reason");
    assert!(
        reason.contains("Case reference: CASE-TEST-0001."),
        "{reason}"
    );
    assert!(
        reason.contains("- fan_in (card:4400430000000072, score "),
        "{reason}"
    );
}

#[test]
fn usdt_on_tron_exports_kzt_equivalents() {
    let xml = exported(&usdt_case(), "usdt-case");
    // 12.5 USDT × 512.34 = 6404.25 KZT; 197.5 × 512.34 = 101187.15.
    assert!(
        xml.contains("<amount_local>6404.25</amount_local>"),
        "{xml}"
    );
    assert!(
        xml.contains("<amount_local>101187.15</amount_local>"),
        "{xml}"
    );
    assert!(
        !xml.contains("foreign_currency"),
        "USDT is not a currency code"
    );
    for part in [
        "<transaction_location>TRON blockchain</transaction_location>",
        "<institution_name>TRON blockchain</institution_name>",
        "<institution_code>TRON</institution_code>",
        "<non_bank_institution>true</non_bank_institution>",
        "<institution_name>Example Exchange Ltd (synthetic)</institution_name>",
        "<to_country>SC</to_country>",
        "<from_country>-</from_country>",
        "<account>TBkFToU4XuaB5W8qU1krDr22t6uc9XkmBC</account>",
        "Virtual-asset transfer of 12.5 USDT on the TRON blockchain",
        "at 512.34 KZT per USDT (synthetic test rate, rate of 2026-03-05)",
    ] {
        assert!(xml.contains(part), "missing {part} in\n{xml}");
    }
}

#[test]
fn a_mixed_case_with_hostile_text_reads_back_unchanged() {
    let report = mixed_case();
    let xml = exported(&report, "mixed-case");
    assert!(xml.contains("<foreign_currency_code>USD</foreign_currency_code>"));
    assert!(xml.contains("<foreign_amount>1000</foreign_amount>"));
    assert!(xml.contains("<foreign_exchange_rate>505.12</foreign_exchange_rate>"));
    assert!(xml.contains("<amount_local>505120</amount_local>"));
    assert!(xml.contains("<swift>SYNTKZKA</swift>"));
    assert!(
        xml.contains("&lt;b&gt;&amp;amp;"),
        "markup in text is escaped"
    );
    let reason = xpath(xml.as_bytes(), "mixed-case", "/report/reason");
    assert!(
        reason.starts_with(&report.reason),
        "xmllint reads back {reason:?}"
    );
    let holder = xpath(
        xml.as_bytes(),
        "mixed-case",
        "//to_account[account='KZ33999KZT0000000002']/account_name",
    );
    assert_eq!(holder, "Shell & Co <LLP> (synthetic)");
}

#[test]
#[ignore = "needs the published goAML XSD: set QORGAU_GOAML_XSD, see tests/schema/README.md"]
fn card_case_is_valid_goaml() {
    valid(&card_case(), "card-case");
}

#[test]
#[ignore = "needs the published goAML XSD: set QORGAU_GOAML_XSD, see tests/schema/README.md"]
fn usdt_case_is_valid_goaml() {
    valid(&usdt_case(), "usdt-case");
}

#[test]
#[ignore = "needs the published goAML XSD: set QORGAU_GOAML_XSD, see tests/schema/README.md"]
fn mixed_case_is_valid_goaml() {
    valid(&mixed_case(), "mixed-case");
}

/// The card case tampered six ways, each breaking the schema; the first
/// four also goAML's element order.
fn tampered() -> (String, Vec<(&'static str, String)>) {
    let xml = export(&card_case()).unwrap();
    let text = String::from_utf8(xml).unwrap();
    let tampered = vec![
        (
            "unknown element",
            text.replacen("<report_code>", "<bogus/><report_code>", 1),
        ),
        (
            "elements out of order",
            text.replacen(
                "<submission_code>E</submission_code>\n  <report_code>STR</report_code>",
                "<report_code>STR</report_code>\n  <submission_code>E</submission_code>",
                1,
            ),
        ),
        (
            "required element removed",
            text.replacen("<currency_code_local>KZT</currency_code_local>", "", 1),
        ),
        (
            "required transaction element removed",
            text.replacen("<transmode_code>A</transmode_code>", "", 1),
        ),
        (
            "amount not a decimal",
            text.replacen(
                "<amount_local>15000</amount_local>",
                "<amount_local>15 000</amount_local>",
                1,
            ),
        ),
        (
            "code outside the lookup",
            text.replacen(
                "<report_code>STR</report_code>",
                "<report_code>XYZ</report_code>",
                1,
            ),
        ),
    ];
    for (what, xml) in &tampered {
        assert_ne!(xml, &text, "{what}: the tampering did not apply");
    }
    (text, tampered)
}

#[test]
fn the_order_check_rejects_a_tampered_report() {
    let (text, tampered) = tampered();
    assert_eq!(in_goaml_order(&text), Ok(()));
    for (what, xml) in &tampered[..4] {
        let err = in_goaml_order(xml).expect_err(what);
        assert!(
            err.contains("report: ") || err.contains("transaction 1: "),
            "{what}: {err}"
        );
    }
    let broken = text.replacen("</report_code>", "</report_cod>", 1);
    assert!(in_goaml_order(&broken).is_err(), "mismatched end tag");
    assert!(well_formed(broken.as_bytes(), "broken").is_err());
}

#[test]
#[ignore = "needs the published goAML XSD: set QORGAU_GOAML_XSD, see tests/schema/README.md"]
fn the_schema_rejects_a_tampered_report() {
    let (_, tampered) = tampered();
    for (what, xml) in tampered {
        let err = xmllint(xml.as_bytes(), "tampered").expect_err(what);
        assert!(err.contains("fails to validate"), "{what}: {err}");
    }
}

fn missing_field(report: &SuspiciousReport) -> String {
    match export(report) {
        Err(ExportError::Missing { field, .. }) => field,
        other => panic!("expected a missing field, got {other:?}"),
    }
}

#[test]
fn values_goaml_requires_and_the_case_lacks_are_named() {
    let mut r = card_case();
    r.reporting_entity.fiu_entity_id = None;
    assert!(missing_field(&r).starts_with("reporting_entity.fiu_entity_id (goAML rentity_id"));

    let mut r = card_case();
    r.reporting_entity.fiu_entity_id = Some("AFM-17".into());
    let err = export(&r).unwrap_err();
    assert!(
        matches!(&err, ExportError::Invalid { field, .. } if field == "reporting_entity.fiu_entity_id"),
        "{err}"
    );

    let mut r = card_case();
    r.reporting_entity.branch = None;
    assert!(missing_field(&r).contains("rentity_branch"));

    let mut r = card_case();
    r.reporting_entity.address = None;
    assert!(missing_field(&r).contains("goAML location"));

    let mut r = card_case();
    r.transfers[3].tx_id = None;
    assert_eq!(
        missing_field(&r),
        "transfers[3].tx_id (goAML transactionnumber)"
    );

    let mut r = card_case();
    let n = r
        .accounts
        .iter()
        .position(|a| a.account.value == SENDER_CARDS[2])
        .unwrap();
    r.accounts[n].institution = None;
    let field = missing_field(&r);
    assert!(
        field.starts_with(&format!(
            "accounts[{n}].institution (goAML institution_name"
        )),
        "{field}"
    );
    assert!(field.contains("card:4400430000000031"), "{field}");

    let mut r = card_case();
    r.accounts[0].country = None;
    let settings_without_unknown = GoamlProfile {
        unknown_country: None,
        ..profile()
    };
    match goaml::to_xml(&r, &settings_without_unknown) {
        Err(ExportError::Missing { field, .. }) => {
            assert!(field.starts_with("accounts[0].country"), "{field}")
        }
        other => panic!("{other:?}"),
    }

    let mut r = card_case();
    r.transfers.clear();
    r.indicators.clear();
    assert!(missing_field(&r).starts_with("transfers"));

    let mut r = card_case();
    r.indicators.clear();
    assert!(missing_field(&r).starts_with("indicators"));
}

#[test]
fn a_missing_rate_or_lookup_code_is_named() {
    let mut r = usdt_case();
    r.rates.clear();
    match export(&r) {
        Err(ExportError::MissingRate {
            asset,
            date,
            transfer,
        }) => {
            assert_eq!((asset.as_str(), transfer), ("USDT", 0));
            assert_eq!(date.to_string(), "2026-03-05");
        }
        other => panic!("{other:?}"),
    }
    // A rate for another day does not stand in for the transfer's day.
    let mut r = usdt_case();
    r.rates[0].date = chrono::NaiveDate::from_ymd_opt(2026, 3, 4);
    assert!(matches!(export(&r), Err(ExportError::MissingRate { .. })));
    // An undated rate does.
    r.rates[0].date = None;
    assert!(export(&r).is_ok());

    let r = usdt_case();
    let mut p = profile();
    p.indicators.clear();
    match goaml::to_xml(&r, &p) {
        Err(ExportError::Missing { field, .. }) => {
            assert!(
                field.starts_with("the goAML profile's indicators.fan_in"),
                "{field}"
            )
        }
        other => panic!("{other:?}"),
    }
    let mut p = profile();
    p.funds_virtual = None;
    match goaml::to_xml(&r, &p) {
        Err(ExportError::Missing { field, .. }) => {
            assert!(
                field.starts_with("the goAML profile's funds_virtual"),
                "{field}"
            )
        }
        other => panic!("{other:?}"),
    }
    let err = goaml::to_xml(&card_case(), &GoamlProfile::default()).unwrap_err();
    assert!(err.to_string().contains("address_type"), "{err}");
}

#[test]
fn characters_xml_cannot_carry_are_refused_not_stripped() {
    let mut r = card_case();
    r.reason = "fee paid\u{7} twice".into();
    match export(&r) {
        Err(ExportError::ForbiddenCharacter {
            field,
            code,
            position,
        }) => {
            assert_eq!((field.as_str(), code, position), ("reason", 7, 8));
        }
        other => panic!("{other:?}"),
    }
    let mut r = card_case();
    r.indicators[0].explanation = "six senders\u{1b}[31m".into();
    assert!(matches!(
        export(&r),
        Err(ExportError::ForbiddenCharacter { field, code: 0x1b, position: 11 })
            if field == "indicators[0].explanation"
    ));
    let mut r = card_case();
    r.accounts[0].holder = Some(qorgau_str::Holder {
        kind: qorgau_str::HolderKind::Person,
        name: "Name\u{0}".into(),
    });
    assert!(matches!(
        export(&r),
        Err(ExportError::ForbiddenCharacter { field, .. }) if field == "accounts[0].holder.name"
    ));
}

#[test]
fn limits_of_the_schema_are_errors_not_invalid_files() {
    let mut r = card_case();
    r.reason = "x".repeat(8000);
    let err = export(&r).unwrap_err();
    assert!(
        matches!(&err, ExportError::TooLong { field, max: 8000, .. } if field.starts_with("reason (with the case reference")),
        "{err}"
    );

    let mut r = card_case();
    r.transfers[0].amount = Amount::parse("0.00000000000001").unwrap();
    let err = export(&r).unwrap_err();
    assert!(err.to_string().contains("more than 13 decimals"), "{err}");

    let mut r = card_case();
    r.transfers[0].amount = Amount::from_units(8_000_000_000_000_000);
    let err = export(&r).unwrap_err();
    assert!(err.to_string().contains("7.9 × 10¹⁵"), "{err}");

    let mut r = card_case();
    r.transfers[0].tx_id = Some("x".repeat(101));
    assert!(matches!(
        export(&r),
        Err(ExportError::TooLong { max: 100, .. })
    ));
}
