//! Reading the fixtures of each format: what a row becomes, and that a bad
//! row is reported with its line and column while the rows around it are
//! still read.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

use qorgau_money::{
    AccountKind, ColumnMap, Format, ImportError, RowError, Transfer, read_transfers,
};

fn fixture(name: &str) -> std::fs::File {
    std::fs::File::open(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn read(name: &str, format: &Format) -> (Vec<Transfer>, Vec<RowError>) {
    let (mut ok, mut bad) = (Vec::new(), Vec::new());
    let counts = read_transfers(fixture(name), format, |r| match r {
        Ok(t) => ok.push(t),
        Err(e) => bad.push(e),
    })
    .unwrap();
    assert_eq!(counts.transfers as usize, ok.len());
    assert_eq!(counts.errors as usize, bad.len());
    (ok, bad)
}

#[test]
fn tronscan_transfers_with_bad_rows_between_good_ones() {
    let (ok, bad) = read("tronscan-transfers.csv", &Format::TronCsv);
    assert_eq!(ok.len(), 6);
    let lines: Vec<u64> = ok.iter().map(|t| t.line).collect();
    assert_eq!(
        lines,
        [2, 3, 4, 6, 8, 9],
        "rows after the bad ones are read"
    );
    assert_eq!(bad.len(), 2);
    assert_eq!(bad[0].line, 5);
    assert!(
        bad[0].message.contains("\"From\"") && bad[0].message.contains("checksum"),
        "{}",
        bad[0]
    );
    assert_eq!(bad[1].line, 7);
    assert!(bad[1].message.contains("Amount/TokenID"), "{}", bad[1]);
    let first = &ok[0];
    assert_eq!(
        first.asset, "USDT",
        "the contract in the Token column is USDT"
    );
    assert_eq!(first.amount.to_string(), "50");
    assert_eq!(
        first.to.key(),
        "wallet:tron:TXGBoRcGP5813epCARkZUawUnDR8ucKCHf"
    );
    assert_eq!(first.time.to_rfc3339(), "2026-03-05T08:00:00+00:00");
    let out = ok.last().unwrap();
    assert_eq!(out.amount.to_string(), "1000.25");
    assert_eq!(out.asset, "USDT", "Tether USD (USDT)");
    assert_eq!(out.from.key(), first.to.key());
    // The same file read twice gives the same keys; different rows differ.
    let (again, _) = read("tronscan-transfers.csv", &Format::TronCsv);
    let keys: Vec<String> = ok.iter().map(Transfer::dedup_key).collect();
    assert_eq!(
        keys,
        again.iter().map(Transfer::dedup_key).collect::<Vec<_>>()
    );
    let mut unique = keys.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), keys.len());
}

#[test]
fn etherscan_token_transfers() {
    let (ok, bad) = read("etherscan-erc20.csv", &Format::Erc20Csv);
    assert_eq!(ok.len(), 2);
    assert_eq!(ok[0].amount.to_string(), "1500.5");
    assert_eq!(ok[0].asset, "USDT");
    assert_eq!(ok[0].time.to_rfc3339(), "2026-03-05T10:22:31+00:00");
    assert_eq!(ok[0].from.kind, AccountKind::Wallet);
    assert_eq!(ok[1].amount.to_string(), "1480");
    assert_eq!(bad.len(), 1);
    assert_eq!(bad[0].line, 4);
    assert!(bad[0].message.contains("\"To\""), "{}", bad[0]);
}

#[test]
fn a_bank_statement_through_a_mapping() {
    let map = ColumnMap::parse(
        "time=Дата операции,from=Карта отправителя,to=Карта получателя,amount=Сумма,currency=Валюта,tx=Номер операции",
    )
    .unwrap();
    let (ok, bad) = read("bank-statement.csv", &Format::BankCsv(map));
    assert_eq!(ok.len(), 3);
    assert_eq!(bad.len(), 1);
    assert_eq!(bad[0].line, 4);
    assert!(bad[0].message.contains("Дата операции"), "{}", bad[0]);
    let first = &ok[0];
    assert_eq!(first.from.key(), "card:5169493100000002");
    assert_eq!(first.to.key(), "card:4400430123456789");
    assert_eq!(first.amount.to_string(), "15000");
    assert_eq!(first.asset, "KZT");
    assert_eq!(first.tx_id.as_deref(), Some("A-1001"));
    // 14:02 in Almaty (UTC+5).
    assert_eq!(first.time.to_rfc3339(), "2026-03-05T09:02:00+00:00");
    let debit = &ok[1];
    assert_eq!(debit.amount.to_string(), "250000", "the sign is dropped");
    assert_eq!(debit.to.kind, AccountKind::Iban);
    let masked = &ok[2];
    assert_eq!(
        masked.from.kind,
        AccountKind::BankAccount,
        "a masked card identifies nothing"
    );
    assert_eq!(masked.amount.to_string(), "49999");
    assert_eq!(masked.tx_id, None);
}

#[test]
fn a_file_of_another_format_is_refused_before_any_row() {
    let mut rows = 0;
    let err = read_transfers(fixture("bank-statement.csv"), &Format::TronCsv, |_| {
        rows += 1
    })
    .unwrap_err();
    assert!(matches!(err, ImportError::Header(_)));
    let text = err.to_string();
    assert!(
        text.contains("Tronscan") && text.contains("Дата операции"),
        "{text}"
    );
    assert_eq!(rows, 0);
    let map = ColumnMap::parse("time=Date,from=A,to=B,amount=Sum,currency==KZT").unwrap();
    let err =
        read_transfers(fixture("bank-statement.csv"), &Format::BankCsv(map), |_| {}).unwrap_err();
    assert!(err.to_string().contains("\"Date\""), "{err}");
}

#[test]
fn garbage_never_panics() {
    let inputs: [&[u8]; 6] = [
        b"",
        b"\xff\xfe\x00garbage",
        b"From,To\n",
        b"Time(UTC),From,To,Amount\n\"unterminated,x,y\n",
        b"Time(UTC),From,To,Amount\n2026-01-01 00:00:00\n",
        b"Time(UTC),From,To,Amount\n\xff\xff,\xfe,a,1\n2026-01-01 00:00:00,a,b,1\n",
    ];
    for input in inputs {
        for format in [Format::TronCsv, Format::Erc20Csv] {
            let _ = read_transfers(input, &format, |_| {});
        }
    }
    let mut errors = Vec::new();
    let counts = read_transfers(
        &b"Time(UTC),From,To,Amount\n2026-01-01 00:00:00\n"[..],
        &Format::TronCsv,
        |r| errors.extend(r.err()),
    )
    .unwrap();
    assert_eq!(counts.errors, 1);
    assert!(errors[0].message.contains("missing"), "{}", errors[0]);
}
