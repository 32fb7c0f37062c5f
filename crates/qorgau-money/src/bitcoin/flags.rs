//! Red flags read from Bitcoin transactions themselves: peel chains and
//! CoinJoins, each naming its transactions and the derived transfers that
//! belong to them.

use std::collections::{BTreeSet, HashMap};

use crate::flags::{Flag, FlagConfig, FlagKind};
use crate::model::{AccountRef, Transfer};

use super::coinjoin::{self, Protocol};
use super::peel::peel_chains;
use super::{BtcTx, sats_amount};

/// Indexes of `transfers` by transaction id.
fn by_tx(transfers: &[Transfer]) -> HashMap<&str, Vec<usize>> {
    let mut map: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, t) in transfers.iter().enumerate() {
        if let Some(id) = &t.tx_id {
            map.entry(id.as_str()).or_default().push(i);
        }
    }
    map
}

/// Peel chains of `config.peel_min_hops` hops or more, one flag each, on
/// the address the chain starts from.
pub fn peel_chain_flags(txs: &[BtcTx], transfers: &[Transfer], config: &FlagConfig) -> Vec<Flag> {
    let index = by_tx(transfers);
    let mut flags = Vec::new();
    for chain in peel_chains(txs, config.peel_min_hops, config.peel_min_share) {
        let first = &txs[chain.hops[0]];
        let Some(account) = first.inputs.first().and_then(|i| i.address.clone()) else {
            continue;
        };
        let Some(last) = chain.hops.last().map(|&h| &txs[h]) else {
            continue;
        };
        let tx_ids: Vec<String> = chain.hops.iter().map(|&h| txs[h].txid.clone()).collect();
        let transfer_ids: Vec<usize> = tx_ids
            .iter()
            .flat_map(|id| index.get(id.as_str()).cloned().unwrap_or_default())
            .collect();
        let peeled: u64 = chain.peeled.iter().map(|(_, s)| s).sum();
        let receivers: BTreeSet<&AccountRef> = chain
            .peeled
            .iter()
            .filter_map(|(a, _)| a.as_ref())
            .collect();
        let extra = chain.hops.len().saturating_sub(config.peel_min_hops);
        flags.push(Flag {
            kind: FlagKind::PeelChain,
            account,
            asset: "BTC".into(),
            score: (0.5 + 0.1 * extra as f64).min(1.0),
            transfers: transfer_ids,
            tx_ids,
            from: first.time,
            until: last.time,
            explanation: format!(
                "{} hops each with one input and two outputs, at least {:.0}% carried on to the \
                 next hop; {} BTC peeled off to {} address(es)",
                chain.hops.len(),
                chain.min_share * 100.0,
                sats_amount(peeled),
                receivers.len()
            ),
        });
    }
    flags
}

/// One flag per CoinJoin and per account of the case that took part: the
/// accounts followed are those that appear in the case's other
/// transactions (whose export brought the mix in); a mix with none of
/// them is flagged on its first input.
pub fn coinjoin_flags(txs: &[BtcTx], transfers: &[Transfer]) -> Vec<Flag> {
    let followed: BTreeSet<&AccountRef> = transfers.iter().flat_map(|t| [&t.from, &t.to]).collect();
    let mut flags = Vec::new();
    for tx in txs {
        let Some(cj) = coinjoin::detect(tx) else {
            continue;
        };
        let mut taking_part: BTreeSet<&AccountRef> = tx
            .inputs
            .iter()
            .filter_map(|i| i.address.as_ref())
            .chain(tx.outputs.iter().filter_map(|o| o.address.as_ref()))
            .filter(|a| followed.contains(a))
            .collect();
        if taking_part.is_empty()
            && let Some(first) = tx.inputs.iter().find_map(|i| i.address.as_ref())
        {
            taking_part.insert(first);
        }
        let (score, rule) = match cj.protocol {
            Protocol::Whirlpool => (0.9, "Whirlpool mix (pool denomination, no change)"),
            Protocol::EqualOutputs => (
                0.5 + 0.08 * cj.participants.min(5) as f64,
                "equal outputs for each participant plus change (BlockSci's rule)",
            ),
        };
        for account in taking_part {
            let side = if tx
                .inputs
                .iter()
                .any(|i| i.address.as_ref() == Some(account))
            {
                "put coins into"
            } else {
                "received coins from"
            };
            flags.push(Flag {
                kind: FlagKind::Coinjoin,
                account: account.clone(),
                asset: "BTC".into(),
                score,
                transfers: Vec::new(),
                tx_ids: vec![tx.txid.clone()],
                from: tx.time,
                until: tx.time,
                explanation: format!(
                    "{side} CoinJoin {}: {}; {} outputs of {} BTC",
                    tx.txid,
                    rule,
                    cj.participants,
                    sats_amount(cj.denomination)
                ),
            });
        }
    }
    flags
}

#[cfg(test)]
mod tests {
    use super::super::testing::{addr, tx};
    use super::*;

    #[test]
    fn peel_chain_flag_names_its_hops_and_transfers() {
        let mut txs = Vec::new();
        let mut prev = "f".to_owned();
        let mut value = 5_000_000;
        for h in 0..4 {
            let id = format!("h{h}");
            txs.push(tx(
                &id,
                h,
                &[(&prev, 1, Some(h as usize), value)],
                &[(Some(9), 100_000), (Some(h as usize + 1), value - 100_500)],
            ));
            value -= 100_500;
            prev = id;
        }
        let transfers: Vec<Transfer> = txs.iter().flat_map(|t| t.transfers()).collect();
        let flags = peel_chain_flags(&txs, &transfers, &FlagConfig::default());
        assert_eq!(flags.len(), 1);
        let f = &flags[0];
        assert_eq!(f.account, addr(0));
        assert_eq!(f.tx_ids, vec!["h0", "h1", "h2", "h3"]);
        assert_eq!(f.transfers.len(), transfers.len());
        assert!((f.score - 0.6).abs() < 1e-9);
        assert!(
            f.explanation.contains("0.004 BTC peeled off to 1 address"),
            "{}",
            f.explanation
        );
    }

    #[test]
    fn coinjoin_flag_falls_on_the_followed_account() {
        let inputs: Vec<(&str, u32, Option<usize>, u64)> = (0..5)
            .map(|i| ("p", i as u32, Some(i), 100_000 + i as u64))
            .collect();
        let outputs: Vec<(Option<usize>, u64)> = (5..10).map(|i| (Some(i), 100_000)).collect();
        let mix = tx("mix", 0, &inputs, &outputs);
        // The case followed address 3, which also paid address 7 elsewhere.
        let pay = tx("pay", 5, &[("z", 0, Some(3), 50_000)], &[(Some(7), 49_000)]);
        let transfers = pay.transfers();
        let flags = coinjoin_flags(&[mix.clone(), pay], &transfers);
        let accounts: Vec<_> = flags.iter().map(|f| f.account.clone()).collect();
        assert_eq!(
            accounts,
            vec![addr(3), addr(7)]
                .into_iter()
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect::<Vec<_>>()
        );
        assert!(
            flags
                .iter()
                .all(|f| f.tx_ids == vec!["mix"] && f.kind == FlagKind::Coinjoin)
        );
        assert!(flags[0].explanation.contains("Whirlpool"));
        // Alone, the mix is flagged on its first input.
        let alone = coinjoin_flags(&[mix], &[]);
        assert_eq!(alone.len(), 1);
        assert_eq!(alone[0].account, addr(0));
    }
}
