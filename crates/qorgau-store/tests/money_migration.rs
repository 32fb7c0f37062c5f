//! Migration 0010 on SQLite by default and on PostgreSQL when
//! `QORGAU_TEST_DATABASE_URL` is set: transfers an installation kept under
//! the 0008 table are all there, value for value, after the table is
//! rebuilt, and importing them again still adds nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

use chrono::{TimeZone, Utc};
use qorgau_core::Id;
use qorgau_money::{AccountRef, Amount, SourceFormat, Transfer};
use qorgau_store::testing::TestDatabase;
use qorgau_store::{MoneyImport, Store};

fn transfer(tx: &str, secs: i64, micros: u32, from: &str, to: &str, atoms: i128) -> Transfer {
    Transfer {
        tx_id: Some(tx.into()),
        time: Utc.timestamp_opt(secs, micros * 1000).unwrap(),
        from: AccountRef::parse_input(from).unwrap(),
        to: AccountRef::parse_input(to).unwrap(),
        amount: Amount::from_atoms(atoms),
        asset: "KZT".into(),
        source: SourceFormat::BankCsv,
        line: u64::try_from(secs % 1000).unwrap(),
    }
}

fn import(case_id: Option<Id>) -> MoneyImport {
    MoneyImport {
        id: Id::new(),
        case_id,
        format: "bank-csv".into(),
        file_name: "statement.csv".into(),
        sha256: "0".repeat(64),
        md5: "0".repeat(32),
        size: 1,
        imported_by: "analyst@ws-07".into(),
    }
}

/// What the 0008 table held for `t`, written as that version wrote it.
fn old_row(import_id: Id, t: &Transfer) -> String {
    let q = |s: &str| format!("'{}'", s.replace('\'', "''"));
    format!(
        "INSERT INTO money_transfers (scope, dedup_key, import_id, case_id, tx_id, at, from_key, \
         to_key, amount, asset, source, line) VALUES ('-', {}, {}, NULL, {}, {}, {}, {}, {}, {}, \
         {}, {});",
        q(&t.dedup_key()),
        q(&import_id.to_string()),
        q(t.tx_id.as_deref().unwrap()),
        q(&t.time.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()),
        q(&t.from.key()),
        q(&t.to.key()),
        q(&t.amount.to_string()),
        q(&t.asset),
        q(t.source.as_str()),
        t.line
    )
}

#[tokio::test]
async fn transfers_kept_before_0010_survive_it_and_still_deduplicate() {
    let dir = tempfile::tempdir().unwrap();
    let db = TestDatabase::fresh(dir.path()).await;
    let card_a = "card:4111111111111111";
    let card_b = "card:5555555555554444";
    // Two transfers in the same second (different references), one later;
    // written out of time order.
    let kept = [
        transfer("REF-3", 1_767_300_000, 0, card_b, card_a, 150_000),
        transfer("REF-1", 1_767_225_600, 250_000, card_a, card_b, 49_000),
        transfer("REF-2", 1_767_225_600, 750_000, card_a, card_b, 49_000),
    ];
    let first = import(None);
    {
        let old = Store::open_at_version(&db.location, 9).await.unwrap();
        old.begin_money_import(&first).await.unwrap();
        let mut sql = String::new();
        for key in [card_a, card_b] {
            let a = AccountRef::parse_input(key).unwrap();
            sql.push_str(&format!(
                "INSERT INTO money_accounts (key, kind, chain, value, first_seen) VALUES \
                 ('{}', '{}', NULL, '{}', '2026-01-01T00:00:00Z');",
                a.key(),
                a.kind.as_str(),
                a.value
            ));
        }
        for t in &kept {
            sql.push_str(&old_row(first.id, t));
        }
        old.execute_unchecked(sql).await.unwrap();
        old.close().await;
    }

    let store = Store::open(&db.location).await.unwrap();
    let read = store.transfers(None).await.unwrap();
    let mut expected: Vec<(String, Transfer)> =
        kept.iter().map(|t| (t.dedup_key(), t.clone())).collect();
    expected.sort_by(|(ka, a), (kb, b)| a.time.cmp(&b.time).then_with(|| ka.cmp(kb)));
    assert_eq!(
        read, expected,
        "every kept transfer, value for value, in time order"
    );
    let seconds = store
        .fetch_text_unchecked("SELECT at_second FROM money_transfers ORDER BY at".into())
        .await
        .unwrap();
    assert_eq!(
        seconds,
        vec![
            Some("2026-01-01T00:00:00".to_owned()),
            Some("2026-01-01T00:00:00".to_owned()),
            Some("2026-01-01T20:40:00".to_owned()),
        ]
    );

    // The same statement again, with one transfer more: only that one is new.
    let second = import(None);
    store.begin_money_import(&second).await.unwrap();
    let mut again = kept.to_vec();
    again.push(transfer(
        "REF-4",
        1_767_400_000,
        0,
        card_a,
        card_b,
        1_000_000,
    ));
    assert_eq!(
        store.add_transfers(second.id, None, &again).await.unwrap(),
        1
    );
    assert_eq!(store.transfers(None).await.unwrap().len(), 4);
    // And once more: nothing.
    assert_eq!(
        store.add_transfers(second.id, None, &again).await.unwrap(),
        0
    );
}
