//! The Bitcoin fixtures (`fixtures/make_btc_fixtures.py`) read end to end:
//! Bitcoin Core verbose and Esplora JSON, derived transfers, and the red
//! flags and clusters the story in them must show.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

use std::fs::File;

use qorgau_identifiers::Chain;
use qorgau_money::bitcoin::cluster::clusters;
use qorgau_money::bitcoin::coinjoin::{self, Protocol};
use qorgau_money::bitcoin::flags::{coinjoin_flags, peel_chain_flags};
use qorgau_money::bitcoin::read::read_btc;
use qorgau_money::{AccountRef, BtcTx, FlagConfig, FlagKind, RowError, fan_in};

const DROPPER: &str = "16AmwTdLM64Yf9bwssedNgD8jWWkSDYhQv";
const SECOND: &str = "13yYYvApcRbYsmLwti7X2VLDgJk2RYxmpk";
const PEEL0: &str = "1BndFFp8p1Kgh3hr8NBF4kUBtYw7ZeX2Rz";

fn wallet(a: &str) -> AccountRef {
    AccountRef::wallet(a, Chain::Btc).unwrap()
}

fn read(name: &str) -> (Vec<BtcTx>, Vec<RowError>) {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let mut ok = Vec::new();
    let mut bad = Vec::new();
    read_btc(File::open(path).unwrap(), |r| match r {
        Ok(t) => ok.push(t),
        Err(e) => bad.push(e),
    })
    .unwrap();
    (ok, bad)
}

#[test]
fn core_verbose_export_gives_the_fees_and_names_the_unconfirmed_one() {
    let (txs, bad) = read("bitcoin-core-verbose.json");
    assert_eq!(txs.len(), 5);
    assert_eq!(bad.len(), 1);
    // The fourth object starts on line 199 of the file.
    assert_eq!(bad[0].line, 199);
    assert!(bad[0].message.contains("unconfirmed"), "{}", bad[0].message);
    assert_eq!(txs[0].line, 1);
    assert_eq!(txs[3].line, 261);
    let transfers: Vec<_> = txs.iter().flat_map(BtcTx::transfers).collect();
    // Each candidate's change back to itself is not a transfer.
    assert_eq!(transfers.len(), 5);
    assert!(transfers.iter().all(|t| t.to == wallet(DROPPER)));
    assert!(transfers.iter().all(|t| t.amount.to_string() == "0.01"));
    let flags = fan_in(&transfers, &FlagConfig::default());
    assert_eq!(flags.len(), 1);
    assert_eq!(flags[0].account, wallet(DROPPER));
    assert_eq!(flags[0].transfers.len(), 5);
}

#[test]
fn esplora_export_shows_the_peel_chain_the_mix_and_the_cluster() {
    let (txs, bad) = read("esplora-txs.json");
    assert!(bad.is_empty(), "{bad:?}");
    assert_eq!(txs.len(), 6);
    let transfers: Vec<_> = txs.iter().flat_map(BtcTx::transfers).collect();
    let config = FlagConfig::default();

    let peels = peel_chain_flags(&txs, &transfers, &config);
    assert_eq!(peels.len(), 1, "{peels:?}");
    assert_eq!(peels[0].kind, FlagKind::PeelChain);
    assert_eq!(peels[0].account, wallet(PEEL0));
    assert_eq!(peels[0].tx_ids.len(), 4);
    assert!(
        peels[0]
            .explanation
            .contains("0.016 BTC peeled off to 4 address"),
        "{}",
        peels[0].explanation
    );

    let mix = txs.last().unwrap();
    let cj = coinjoin::detect(mix).unwrap();
    assert_eq!(
        (cj.protocol, cj.denomination, cj.participants),
        (Protocol::Whirlpool, 1_000_000, 5)
    );
    let mixes = coinjoin_flags(&txs, &transfers);
    assert_eq!(mixes.len(), 1, "{mixes:?}");
    assert_eq!(
        mixes[0].account,
        wallet(SECOND),
        "the case's own address in the mix"
    );
    assert!(
        transfers
            .iter()
            .all(|t| t.tx_id.as_deref() != Some(mix.txid.as_str()))
    );

    let found = clusters(&txs);
    assert_eq!(found.len(), 1, "the mix's inputs are not one holder");
    let mut expected = vec![wallet(DROPPER), wallet(SECOND)];
    expected.sort();
    assert_eq!(found[0].addresses, expected);
    assert_eq!(found[0].tx_ids, vec![txs[0].txid.clone()]);

    // The consolidation's haircut: the dropper put in 5/7, the second
    // address 2/7 of what went to the peel chain.
    let to_peel: Vec<_> = transfers.iter().filter(|t| t.to == wallet(PEEL0)).collect();
    assert_eq!(to_peel.len(), 2);
    let sum: i128 = to_peel.iter().map(|t| t.amount.atoms()).sum();
    assert_eq!(sum, 5_998_000 * 10_000_000_000);
}
