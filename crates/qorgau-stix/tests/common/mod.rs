//! Shared fixtures: a synthetic case (fictional `.example` domains, the
//! project's synthetic phone numbers, made-up or test-vector wallets) and
//! the runner of the Python checks.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{DateTime, TimeZone, Utc};
use qorgau_stix::{
    CaseIndicators, CaseRef, Chain, FunnelRole, Indicator, IndicatorKind, Label, Platform,
    Relation, RelationReason, Scenario, Tlp,
};

pub fn at(y: i32, mo: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, 0, 0).single().unwrap()
}

pub fn indicator(kind: IndicatorKind, value: &str, role: FunnelRole) -> Indicator {
    Indicator {
        kind,
        value: value.into(),
        role,
        first_seen: at(2026, 2, 1, 9),
        last_seen: Some(at(2026, 3, 15, 18)),
        times_seen: 3,
        scenarios: vec![Scenario::ModelingWebcam],
        labels: vec![Label::new("synthetic").unwrap()],
        confidence: 80,
    }
}

/// A webcam-studio recruitment network, all fictional.
pub fn synthetic_case(tlp: Tlp) -> CaseIndicators {
    use IndicatorKind as K;
    let mut mirror = indicator(K::Domain, "Kyzdar5.Example.", FunnelRole::ClientFacing);
    mirror.scenarios = vec![Scenario::EscortServices];
    mirror.last_seen = None;
    mirror.times_seen = 1;
    CaseIndicators {
        case_ref: CaseRef::new("KZ-TEST-0001").unwrap(),
        id_seed: uuid::Uuid::from_u128(0x5eed_0000_0000_4000_8000_0000_0000_0001),
        title: "Synthetic webcam-studio recruitment network (test data)".into(),
        created: at(2026, 3, 1, 10),
        modified: at(2026, 3, 20, 12),
        producer: "Cyber police, test region (synthetic)".into(),
        tlp,
        scenarios: vec![Scenario::ModelingWebcam, Scenario::EscortServices],
        indicators: vec![
            indicator(K::Domain, "kyzdar4.example", FunnelRole::ClientFacing),
            mirror,
            indicator(
                K::Url,
                "https://jobs-abroad.example/vacancy?id=7&ref='promo'",
                FunnelRole::Recruiting,
            ),
            indicator(
                K::Email,
                "hr.dept@jobs-abroad.example",
                FunnelRole::Recruiting,
            ),
            indicator(
                K::Handle {
                    platform: Platform::Telegram,
                },
                "@Model_Agency_Example",
                FunnelRole::Recruiting,
            ),
            indicator(
                K::Handle {
                    platform: Platform::Instagram,
                },
                "studio.example.kz",
                FunnelRole::Recruiting,
            ),
            indicator(
                K::Handle {
                    platform: Platform::Other("stripchat".into()),
                },
                "Studio_Model-01",
                FunnelRole::ClientFacing,
            ),
            indicator(
                K::Wallet { chain: Chain::Tron },
                "TSynthet1cWa11etAddressForTest5xyz",
                FunnelRole::Payment,
            ),
            indicator(
                K::Wallet {
                    chain: Chain::Bitcoin,
                },
                "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
                FunnelRole::Payment,
            ),
            indicator(
                K::Wallet {
                    chain: Chain::Ethereum,
                },
                "0x1111111111111111111111111111111111111111",
                FunnelRole::Payment,
            ),
            indicator(K::Phone, "+77010000001", FunnelRole::Recruiting),
            indicator(K::Phone, "+77010000002", FunnelRole::Control),
        ],
        relations: vec![
            Relation {
                from: "kyzdar4.example".into(),
                to: "Kyzdar5.Example.".into(),
                reason: RelationReason::MirrorDomain,
            },
            Relation {
                from: "+77010000001".into(),
                to: "@Model_Agency_Example".into(),
                reason: RelationReason::SameAdvert,
            },
            Relation {
                from: "TSynthet1cWa11etAddressForTest5xyz".into(),
                to: "kyzdar4.example".into(),
                reason: RelationReason::PaymentFor,
            },
            Relation {
                from: "https://jobs-abroad.example/vacancy?id=7&ref='promo'".into(),
                to: "hr.dept@jobs-abroad.example".into(),
                reason: RelationReason::ContactOf,
            },
        ],
    }
}

pub const INSTALL_HINT: &str = "install the Python test tools: \
`python3 -m pip install stix2==3.0.2 stix2-validator==3.3.2 taxii2-client==2.3.0` \
(scripts/install-test-tools will install them)";

pub fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/check_stix.py")
}

/// Runs `tests/check_stix.py ARGS` and returns its stdout. Fails the test,
/// saying how to install them, when python3 or the packages are missing.
pub fn python(args: &[&str]) -> String {
    let output = match Command::new("python3").arg(script()).args(args).output() {
        Ok(output) => output,
        Err(e) => panic!("python3 could not be run ({e}); {INSTALL_HINT}"),
    };
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    if output.status.code() == Some(3) {
        panic!("{stderr}\n{INSTALL_HINT}");
    }
    assert!(
        output.status.success(),
        "check_stix.py {args:?} failed:\n{stdout}\n{stderr}"
    );
    stdout
}

pub fn out_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
