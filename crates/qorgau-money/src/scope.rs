//! Every red flag of one scope (a case, or what was imported outside
//! cases) from data already loaded: the one place that decides which
//! detectors run and in what order the flags come, so that the command
//! line (`qorgau money flags`) and the server (`GET
//! /api/cases/{id}/money/flags`) cannot come to show different flags for
//! the same case.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};

use crate::bitcoin::BtcTx;
use crate::bitcoin::flags::{coinjoin_flags, peel_chain_flags};
use crate::flags::{Flag, FlagConfig, TransferTable, table_flags};
use crate::labels::{Label, label_exposure, privacy_coin_flags};
use crate::model::{AccountRef, Transfer};

/// When an account was first and last seen, and its transfers.
type Seen = (DateTime<Utc>, DateTime<Utc>, Vec<usize>);

/// Every flag of a scope, strongest first (ties by kind): fan-in,
/// pass-through and structuring over `transfers`; peel chains and
/// CoinJoins over the Bitcoin transactions `btc` (whose derived transfers
/// are among `transfers`); exposure to the `labels` (by account key); and a
/// privacy-coin flag for every account in such a coin, among the transfers'
/// accounts and the `linked` ones — accounts linked to the scope without a
/// transfer (a case's keys, its documents, entries by hand), each with the
/// times it was linked (an account with no time is left out, as nothing
/// says when it was seen).
///
/// Flags name transfers by their index in `transfers`.
pub fn all_flags(
    transfers: &[Transfer],
    btc: &[BtcTx],
    labels: &HashMap<String, Label>,
    linked: &[(AccountRef, Vec<DateTime<Utc>>)],
    config: &FlagConfig,
) -> Vec<Flag> {
    // The three account-level passes share one table and its two sorts.
    let mut all: Vec<Flag> = table_flags(&TransferTable::from_transfers(transfers), config);
    all.extend(peel_chain_flags(btc, transfers, config));
    all.extend(coinjoin_flags(btc, transfers));
    all.extend(label_exposure(transfers, labels, config));
    // Privacy coins: the accounts of the transfers and of the scope.
    let mut seen: BTreeMap<&AccountRef, Seen> = BTreeMap::new();
    for (i, t) in transfers.iter().enumerate() {
        for a in [&t.from, &t.to] {
            let e = seen.entry(a).or_insert((t.time, t.time, Vec::new()));
            e.0 = e.0.min(t.time);
            e.1 = e.1.max(t.time);
            e.2.push(i);
        }
    }
    for (account, times) in linked {
        if let (Some(first), Some(last)) = (times.iter().min(), times.iter().max()) {
            seen.entry(account).or_insert((*first, *last, Vec::new()));
        }
    }
    all.extend(privacy_coin_flags(
        seen.iter()
            .map(|(a, (f, l, ids))| (*a, *f, *l, ids.clone())),
    ));
    all.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.kind.cmp(&b.kind)));
    all
}

#[cfg(test)]
mod tests {
    use qorgau_identifiers::Chain;

    use super::*;
    use crate::amount::Amount;
    use crate::flags::FlagKind;
    use crate::model::{AccountKind, SourceFormat};

    fn wallet(value: &str) -> AccountRef {
        AccountRef {
            kind: AccountKind::Wallet,
            chain: Some(Chain::Tron),
            value: value.to_owned(),
        }
    }

    fn at(minutes: i64) -> DateTime<Utc> {
        DateTime::<Utc>::from_timestamp(1_780_000_000 + minutes * 60, 0).unwrap_or_default()
    }

    #[test]
    fn one_list_strongest_first_with_linked_privacy_coins() {
        let dropper = wallet("Tdropper");
        let transfers: Vec<Transfer> = (0..6)
            .map(|i| Transfer {
                tx_id: Some(format!("t{i}")),
                time: at(i),
                from: wallet(&format!("Tvictim{i}")),
                to: dropper.clone(),
                amount: Amount::from_units(50),
                asset: "USDT".into(),
                source: SourceFormat::TronCsv,
                line: 2 + i as u64,
            })
            .collect();
        let monero = AccountRef {
            kind: AccountKind::Wallet,
            chain: Some(Chain::Xmr),
            value: "4synthetic".into(),
        };
        let linked = vec![
            (monero.clone(), vec![at(90), at(10)]),
            // No time: nothing says when it was seen.
            (
                AccountRef {
                    kind: AccountKind::Wallet,
                    chain: Some(Chain::Zec),
                    value: "t1synthetic".into(),
                },
                Vec::new(),
            ),
        ];
        let flags = all_flags(
            &transfers,
            &[],
            &HashMap::new(),
            &linked,
            &FlagConfig::default(),
        );
        let kinds: Vec<FlagKind> = flags.iter().map(|f| f.kind).collect();
        assert_eq!(kinds, vec![FlagKind::PrivacyCoin, FlagKind::FanIn]);
        assert_eq!(flags[0].account, monero);
        assert_eq!((flags[0].from, flags[0].until), (at(10), at(90)));
        assert_eq!(flags[1].account, dropper);
        assert_eq!(flags[1].transfers.len(), 6);
        assert!(flags.windows(2).all(|w| w[0].score >= w[1].score));
    }
}
