//! Red flags on the fixtures and on constructed cases on both sides of
//! each threshold.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

use chrono::{Duration, TimeZone, Utc};
use qorgau_money::{
    AccountRef, Amount, FlagConfig, FlagKind, Format, SourceFormat, Transfer, fan_in, pass_through,
    read_transfers, structuring,
};

fn tron_fixture() -> Vec<Transfer> {
    let file = std::fs::File::open(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/tronscan-transfers.csv"
    ))
    .unwrap();
    let mut out = Vec::new();
    read_transfers(file, &Format::TronCsv, |r| out.extend(r.ok())).unwrap();
    out
}

fn card(n: u32) -> AccountRef {
    AccountRef::bank(&format!("account {n}")).unwrap()
}

fn t(from: u32, to: u32, amount: i64, minutes: i64) -> Transfer {
    Transfer {
        tx_id: None,
        time: Utc.with_ymd_and_hms(2026, 3, 5, 8, 0, 0).unwrap() + Duration::minutes(minutes),
        from: card(from),
        to: card(to),
        amount: Amount::from_units(amount),
        asset: "KZT".into(),
        source: SourceFormat::BankCsv,
        line: 0,
    }
}

#[test]
fn the_dropper_wallet_of_the_fixture_is_a_fan_in_and_a_pass_through() {
    let transfers = tron_fixture();
    let config = FlagConfig::default();
    let fans = fan_in(&transfers, &config);
    assert_eq!(fans.len(), 1, "{fans:?}");
    let f = &fans[0];
    assert_eq!(f.kind, FlagKind::FanIn);
    assert_eq!(f.account.value, "TXGBoRcGP5813epCARkZUawUnDR8ucKCHf");
    assert_eq!(f.transfers.len(), 5);
    assert!(
        f.explanation.contains("5 distinct senders"),
        "{}",
        f.explanation
    );
    assert!(f.score > 0.5, "{}", f.score);
    let passes = pass_through(&transfers, &config);
    assert_eq!(passes.len(), 1, "{passes:?}");
    assert_eq!(passes[0].account, f.account);
    assert!((passes[0].score - 1.0).abs() < 1e-9);
    assert_eq!(
        passes[0].transfers.len(),
        6,
        "five arrivals and the one departure"
    );
    // Four senders are not enough.
    let strict = FlagConfig {
        fan_in_min_senders: 6,
        ..FlagConfig::default()
    };
    assert!(fan_in(&transfers, &strict).is_empty());
}

#[test]
fn fan_in_needs_the_senders_within_the_window() {
    let spread: Vec<Transfer> = (1..=6)
        .map(|n| t(n, 100, 5_000, i64::from(n) * 60 * 10))
        .collect();
    let config = FlagConfig::default();
    assert!(
        fan_in(&spread, &config).is_empty(),
        "one payment every 10 hours"
    );
    let close: Vec<Transfer> = (1..=6)
        .map(|n| t(n, 100, 5_000, i64::from(n) * 30))
        .collect();
    let flags = fan_in(&close, &config);
    assert_eq!(flags.len(), 1);
    assert!(
        flags[0].explanation.contains("(1 distinct amount)"),
        "{}",
        flags[0].explanation
    );
}

#[test]
fn money_that_stays_is_not_passed_through() {
    let config = FlagConfig::default();
    let mut stays: Vec<Transfer> = (1..=4).map(|n| t(n, 100, 10_000, i64::from(n))).collect();
    stays.push(t(100, 200, 40_000, 60 * 48));
    assert!(pass_through(&stays, &config).is_empty());
    let mut leaves: Vec<Transfer> = (1..=4).map(|n| t(n, 100, 10_000, i64::from(n))).collect();
    leaves.push(t(100, 200, 30_000, 90));
    let flags = pass_through(&leaves, &config);
    assert!(flags.is_empty(), "75 % is under the 80 % share");
    leaves.push(t(100, 201, 10_000, 120));
    let flags = pass_through(&leaves, &config);
    assert_eq!(flags.len(), 1);
    assert!(
        flags[0].explanation.starts_with("100 %"),
        "{}",
        flags[0].explanation
    );
}

#[test]
fn structuring_just_under_the_threshold() {
    let config = FlagConfig::default();
    let under = vec![
        t(7, 1, 950_000, 0),
        t(7, 2, 990_000, 60 * 24),
        t(7, 3, 999_999, 60 * 48),
        t(7, 4, 1_000_000, 60 * 50), // at the threshold: reported anyway, not "under"
        t(7, 5, 500_000, 60 * 51),   // far under: not structuring
    ];
    let flags = structuring(&under, &config);
    assert_eq!(flags.len(), 1, "{flags:?}");
    assert_eq!(flags[0].transfers, vec![0, 1, 2]);
    assert!(
        flags[0].explanation.contains("2939999"),
        "{}",
        flags[0].explanation
    );
    let two = &under[..2];
    assert!(structuring(two, &config).is_empty());
    let slow = vec![
        t(8, 1, 950_000, 0),
        t(8, 2, 950_000, 60 * 24 * 5),
        t(8, 3, 950_000, 60 * 24 * 10),
    ];
    assert!(structuring(&slow, &config).is_empty(), "not within a week");
    let mut usd = under.clone();
    for x in &mut usd {
        x.asset = "GBP".into();
    }
    assert!(
        structuring(&usd, &config).is_empty(),
        "no threshold configured"
    );
}

#[test]
fn halves_appended_give_the_flags_of_the_whole() {
    use qorgau_money::flags::{TransferTable, table_flags};
    let all = tron_fixture();
    let mut more: Vec<Transfer> = (1..=6)
        .map(|n| t(n, 100, 5_000, i64::from(n) * 30))
        .collect();
    more.extend(all.iter().cloned());
    let config = FlagConfig::default();
    let whole = table_flags(&TransferTable::from_transfers(&more), &config);
    for cut in [0, 3, more.len() / 2, more.len()] {
        let mut left = TransferTable::from_transfers(&more[..cut]);
        left.append(TransferTable::from_transfers(&more[cut..]));
        assert_eq!(left.len(), more.len());
        assert_eq!(table_flags(&left, &config), whole, "cut at {cut}");
    }
    assert!(
        whole
            .iter()
            .any(|f| f.kind == FlagKind::FanIn && f.asset == "KZT")
    );
    assert!(whole.iter().any(|f| f.kind == FlagKind::PassThrough));
}

#[test]
fn kind_names_are_the_serde_names() {
    for kind in [
        FlagKind::FanIn,
        FlagKind::PassThrough,
        FlagKind::Structuring,
        FlagKind::PeelChain,
        FlagKind::Coinjoin,
        FlagKind::LabelExposure,
        FlagKind::PrivacyCoin,
    ] {
        assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
    }
}
