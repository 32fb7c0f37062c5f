//! Synthetic reports shared by the tests: made-up agencies, officers,
//! Luhn-valid test card numbers (4400 4300 0000 …), IBANs with a made-up
//! bank code 999 and TRON addresses derived from test seeds. No real
//! person, card or wallet.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)] // test code

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use qorgau_identifiers::Chain;
use qorgau_money::{
    AccountKind, AccountRef, Amount, FlagConfig, SourceFormat, Transfer, fan_in, pass_through,
};
use qorgau_str::{
    Address, ContactOfficer, GoamlProfile, Holder, HolderKind, Institution, Rate, ReportingEntity,
    SuspiciousReport,
};
use sha2::{Digest, Sha256};

pub const SENDER_CARDS: [&str; 6] = [
    "4400430000000015",
    "4400430000000023",
    "4400430000000031",
    "4400430000000049",
    "4400430000000056",
    "4400430000000064",
];
pub const DROPPER_CARD: &str = "4400430000000072";
pub const CASHOUT_IBAN: &str = "KZ60999KZT0000000001";
pub const FOREIGN_IBAN: &str = "KZ33999KZT0000000002";

pub const SENDER_WALLETS: [&str; 6] = [
    "TDYxLqL1geJPMoPCkBBUSstYeg6jguxHxM",
    "TPDES9q9a5WaWAkuZLp5gqYAJLPWTj77Xz",
    "TPRmjq5xQS9WhfPzfPZXJ5g1GjLT7TbG49",
    "TGFQkpbenfCio2YcMdqAQXK8AffwNP8CiP",
    "TJrnqwGbs1cwZqRhJvJnW2dguCk9KUhzYG",
    "THCjZ75JoA92ViyvAwtAeqxNqnLtfUGJZB",
];
pub const DROPPER_WALLET: &str = "TBkFToU4XuaB5W8qU1krDr22t6uc9XkmBC";
pub const EXCHANGE_WALLET: &str = "TDdrWRsNAMg5msuWMsVspU8NhKTcsv2wdg";

pub fn card(n: &str) -> AccountRef {
    let a = AccountRef::bank(n).unwrap();
    assert_eq!(a.kind, AccountKind::Card, "{n} must be a Luhn-valid card");
    a
}

pub fn iban(n: &str) -> AccountRef {
    let a = AccountRef::bank(n).unwrap();
    assert_eq!(a.kind, AccountKind::Iban, "{n} must be a valid KZ IBAN");
    a
}

pub fn wallet(a: &str) -> AccountRef {
    AccountRef::wallet(a, Chain::Tron).unwrap()
}

pub fn at(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 5, 8, 0, 0).unwrap() + Duration::minutes(minutes)
}

pub fn transfer(
    tx: &str,
    minutes: i64,
    from: AccountRef,
    to: AccountRef,
    amount: &str,
    asset: &str,
) -> Transfer {
    Transfer {
        tx_id: Some(tx.to_owned()),
        time: at(minutes),
        from,
        to,
        amount: Amount::parse(amount).unwrap(),
        asset: asset.to_owned(),
        source: SourceFormat::BankCsv,
        line: 0,
    }
}

pub fn entity() -> ReportingEntity {
    ReportingEntity {
        agency_name: "Synthetic Police Department (test)".into(),
        agency_id: "agency-test-1".into(),
        fiu_entity_id: Some("1001".into()),
        branch: Some("Cybercrime unit (test)".into()),
        address: Some(Address {
            street: "1 Example Street".into(),
            city: "Astana".into(),
            country: "KZ".into(),
            postcode: Some("010000".into()),
            region: None,
        }),
        officer: ContactOfficer {
            first_name: "Test".into(),
            last_name: "Officer".into(),
            position: Some("Investigator".into()),
            email: Some("officer@police.example".into()),
            phone: Some("+7 700 000 00 00".into()),
        },
    }
}

/// Codes valid in the goAML 5.0.1 schema the schema tests use (see
/// `tests/schema/README.md`). Its lookups are UNODC placeholders
/// (the indicator list holds only `-`), so these say nothing about what
/// the AFM's codes are: a deployment copies those from the AFM's schema.
pub fn profile() -> GoamlProfile {
    GoamlProfile {
        address_type: Some("2".into()),
        funds_fiat: Some("B".into()),
        funds_virtual: Some("-".into()),
        transmode_card: Some("A".into()),
        transmode_bank: Some("B".into()),
        transmode_virtual: Some("-".into()),
        account_types: [("card".to_owned(), "A".to_owned())].into(),
        unknown_country: Some("-".into()),
        indicators: [
            ("fan_in".to_owned(), "-".to_owned()),
            ("pass_through".to_owned(), "-".to_owned()),
            ("structuring".to_owned(), "-".to_owned()),
        ]
        .into(),
    }
}

fn bank() -> Institution {
    Institution {
        name: "Synthetic Bank JSC (test)".into(),
        code: Some("999".into()),
        swift: None,
    }
}

/// Card-to-card in KZT: six victims pay a "fee" into one dropper card,
/// which sends it on to an IBAN within hours.
pub fn card_case() -> SuspiciousReport {
    let dropper = card(DROPPER_CARD);
    let mut transfers: Vec<Transfer> = SENDER_CARDS
        .iter()
        .enumerate()
        .map(|(i, c)| {
            transfer(
                &format!("A-10{i:02}"),
                20 * i as i64,
                card(c),
                dropper.clone(),
                "15000",
                "KZT",
            )
        })
        .collect();
    transfers.push(transfer(
        "A-1099",
        150,
        dropper.clone(),
        iban(CASHOUT_IBAN),
        "88500.50",
        "KZT",
    ));
    let mut report = SuspiciousReport::new(
        "STR-TEST-0001",
        "CASE-TEST-0001",
        NaiveDate::from_ymd_opt(2026, 3, 6).unwrap(),
        entity(),
        "Six people answering the same job advert paid a 15 000 KZT \"visa fee\" into one card, which passed the money on within hours.",
    );
    report.action =
        Some("Referred to the prosecutor; the bank was asked to preserve records.".into());
    let config = FlagConfig::default();
    let mut flags = fan_in(&transfers, &config);
    flags.extend(pass_through(&transfers, &config));
    assert!(!flags.is_empty(), "the fixture must raise flags");
    report.add_money(&transfers, &flags);
    for a in &mut report.accounts {
        a.institution = Some(bank());
        a.country = Some("KZ".into());
    }
    let d = report.account_mut(&dropper).unwrap();
    d.holder = Some(Holder {
        kind: HolderKind::Person,
        name: "Synthetic Holder A".into(),
    });
    report
}

/// USDT on TRON: five victims' wallets into one dropper wallet, on to an
/// exchange's deposit address; rates given per day and undated.
pub fn usdt_case() -> SuspiciousReport {
    let dropper = wallet(DROPPER_WALLET);
    let exchange = wallet(EXCHANGE_WALLET);
    let mut transfers: Vec<Transfer> = SENDER_WALLETS[..5]
        .iter()
        .enumerate()
        .map(|(i, w)| {
            transfer(
                &format!("{:064x}", 0xa11ce + i),
                17 * i as i64,
                wallet(w),
                dropper.clone(),
                ["50", "50", "75", "10", "12.5"][i],
                "USDT",
            )
        })
        .collect();
    transfers.push(transfer(
        &format!("{:064x}", 0xb0b),
        120,
        dropper.clone(),
        exchange.clone(),
        "197.5",
        "USDT",
    ));
    let mut report = SuspiciousReport::new(
        "STR-TEST-0002",
        "CASE-TEST-0002",
        NaiveDate::from_ymd_opt(2026, 3, 6).unwrap(),
        entity(),
        "Victims of a fake modelling agency paid \"portfolio fees\" in USDT (TRC-20) to one wallet, which forwarded them to an exchange.",
    );
    let flags = fan_in(&transfers, &FlagConfig::default());
    assert_eq!(flags.len(), 1, "{flags:?}");
    report.add_money(&transfers, &flags);
    report.rates = vec![Rate {
        asset: "USDT".into(),
        kzt_per_unit: Amount::parse("512.34").unwrap(),
        date: Some(NaiveDate::from_ymd_opt(2026, 3, 5).unwrap()),
        source: "synthetic test rate".into(),
    }];
    let e = report.account_mut(&exchange).unwrap();
    e.institution = Some(Institution {
        name: "Example Exchange Ltd (synthetic)".into(),
        code: Some("VASP-TEST-1".into()),
        swift: None,
    });
    e.country = Some("SC".into());
    report
}

/// Both kinds in one report, plus a foreign-currency bank transfer and
/// text an attacker could have planted in an advert the analyst quoted.
pub fn mixed_case() -> SuspiciousReport {
    let mut report = card_case();
    report.reference = "STR-TEST-0003".into();
    report.reason = "Объявление «работа в Дубае» <b>&amp; \"visa\" fee</b> ]]> — Қазақстан 🙂\nsecond line\r\nthird\tline".into();
    let usdt = usdt_case();
    let offset = report.transfers.len();
    for mut ind in usdt.indicators {
        for t in &mut ind.transfers {
            *t += offset;
        }
        report.indicators.push(ind);
    }
    report.transfers.extend(usdt.transfers);
    report.accounts.extend(usdt.accounts);
    report.rates.extend(usdt.rates);
    report.transfers.push(qorgau_str::ReportTransfer {
        tx_id: Some("SWIFT-TEST-1".into()),
        time: at(200),
        from: iban(CASHOUT_IBAN),
        to: iban(FOREIGN_IBAN),
        amount: Amount::parse("1000").unwrap(),
        asset: "USD".into(),
    });
    report.accounts.push(qorgau_str::ReportAccount {
        account: iban(FOREIGN_IBAN),
        role: qorgau_str::AccountRole::Receiver,
        holder: Some(Holder {
            kind: HolderKind::Entity,
            name: "Shell & Co <LLP> (synthetic)".into(),
        }),
        institution: Some(Institution {
            name: "Synthetic Bank JSC (test)".into(),
            code: None,
            swift: Some("SYNTKZKA".into()),
        }),
        country: Some("KZ".into()),
    });
    report.rates.push(Rate {
        asset: "USD".into(),
        kzt_per_unit: Amount::parse("505.12").unwrap(),
        date: None,
        source: "synthetic test rate".into(),
    });
    report
}

pub const INSTALL_HINT: &str =
    "run scripts/install-test-tools (it installs xmllint, Debian package libxml2-utils)";

/// The environment variable naming the published goAML schema file.
pub const SCHEMA_VAR: &str = "QORGAU_GOAML_XSD";
/// SHA-256 of UNODC's goAML 5.0.1 `goAMLSchema.xsd` as published in
/// `thecury/goAML` at 94e24e80 (see `tests/schema/README.md`).
pub const SCHEMA_SHA256: &str = "412fbd8b49eb5ff0960f94ca78b12a196ac9408da6b08de75b9b4280eac7c82d";

/// The published goAML schema, from `QORGAU_GOAML_XSD`. It is not in the
/// repository (a third-party file): the tests that need it are ignored,
/// and run with `--ignored` they fail here, not pass, when the variable is
/// unset, the file unreadable or not the published one.
pub fn schema() -> PathBuf {
    static CHECKED: OnceLock<PathBuf> = OnceLock::new();
    CHECKED
        .get_or_init(|| {
            let Some(path) = std::env::var_os(SCHEMA_VAR).filter(|p| !p.is_empty()) else {
                panic!(
                    "{SCHEMA_VAR} is not set: this test needs UNODC's goAML 5.0.1 schema \
                     (goAMLSchema.xsd, SHA-256 {SCHEMA_SHA256}); download it, set \
                     {SCHEMA_VAR}=/path/to/goAMLSchema.xsd, see crates/qorgau-str/tests/schema/README.md"
                )
            };
            let path = PathBuf::from(path);
            let bytes = std::fs::read(&path)
                .unwrap_or_else(|e| panic!("{SCHEMA_VAR}={}: cannot read it: {e}", path.display()));
            let sha256: String = Sha256::digest(&bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            assert_eq!(
                sha256,
                SCHEMA_SHA256,
                "{SCHEMA_VAR}={}: SHA-256 {sha256} is not that of the published goAML 5.0.1 \
                 schema, see crates/qorgau-str/tests/schema/README.md",
                path.display()
            );
            path
        })
        .clone()
}

pub fn out_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("qorgau-str");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A file of its own for each call (tests run in parallel), kept after
/// the run for a person to look at.
fn file_for(name: &str, xml: &[u8]) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    let file = out_dir().join(format!("{name}-{n}.xml"));
    std::fs::write(&file, xml).unwrap();
    file
}

/// Validates `xml` against the published goAML schema ([`schema`]) with xmllint: `Ok`
/// when valid, `Err(xmllint's words)` when not. Fails the test, saying how
/// to install it, when xmllint is missing: nothing is skipped.
pub fn xmllint(xml: &[u8], name: &str) -> Result<(), String> {
    let file = file_for(name, xml);
    let output = match Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(schema())
        .arg(&file)
        .output()
    {
        Ok(o) => o,
        Err(e) => panic!("xmllint could not be run ({e}); {INSTALL_HINT}"),
    };
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(
        !stderr.contains("failed to compile") && !stderr.contains("Schemas parser error"),
        "the schema itself did not load: {stderr}"
    );
    if output.status.success() {
        Ok(())
    } else {
        Err(stderr)
    }
}

/// Whether xmllint reads `xml` as well-formed XML (no schema): `Ok` when
/// it does, `Err(xmllint's words)` when not. Fails the test when xmllint
/// is missing.
pub fn well_formed(xml: &[u8], name: &str) -> Result<(), String> {
    let file = file_for(name, xml);
    let output = match Command::new("xmllint").arg("--noout").arg(&file).output() {
        Ok(o) => o,
        Err(e) => panic!("xmllint could not be run ({e}); {INSTALL_HINT}"),
    };
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

/// The text of the element at `xpath` as xmllint reads it back.
pub fn xpath(xml: &[u8], name: &str, xpath: &str) -> String {
    let file = file_for(name, xml);
    let output = match Command::new("xmllint")
        .arg("--xpath")
        .arg(format!("string({xpath})"))
        .arg(&file)
        .output()
    {
        Ok(o) => o,
        Err(e) => panic!("xmllint could not be run ({e}); {INSTALL_HINT}"),
    };
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // xmllint ends what it prints with a newline of its own.
    let mut text = String::from_utf8(output.stdout).unwrap();
    if text.ends_with('\n') {
        text.pop();
    }
    text
}
