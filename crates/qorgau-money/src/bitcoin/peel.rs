//! Peel chains: a large coin spent again and again, each time "peeling" a
//! small payment off and sending the rest on to a new address of the same
//! holder — how exchanges' hot wallets pay out, and how launderers walk
//! proceeds into many small cash-outs.
//!
//! A hop is a transaction with one input and two outputs (BlockSci's
//! `looksLikePeelingChain`) whose larger output carries at least
//! `min_share` of the value and is spent by the next hop. Chains of
//! `min_hops` or more are reported with their peeled payments — the
//! addresses an investigator asks the exchange about.

use std::collections::{HashMap, HashSet};

use crate::model::AccountRef;

use super::BtcTx;

/// One chain.
#[derive(Clone, Debug, PartialEq)]
pub struct PeelChain {
    /// Indexes of the hops, in order.
    pub hops: Vec<usize>,
    /// The smallest share the carried-on output had.
    pub min_share: f64,
    /// The payments peeled off: (receiver, satoshi), in hop order.
    pub peeled: Vec<(Option<AccountRef>, u64)>,
}

/// The larger output of a hop-shaped transaction and its share.
fn hop(tx: &BtcTx, min_share: f64) -> Option<(usize, f64)> {
    if tx.inputs.len() != 1 || tx.outputs.len() != 2 || tx.is_coinbase() {
        return None;
    }
    let total = tx.outputs[0].sats + tx.outputs[1].sats;
    if total == 0 {
        return None;
    }
    let big = usize::from(tx.outputs[1].sats > tx.outputs[0].sats);
    let share = tx.outputs[big].sats as f64 / total as f64;
    (share >= min_share).then_some((big, share))
}

/// The peel chains among `txs` with at least `min_hops` hops.
pub fn peel_chains(txs: &[BtcTx], min_hops: usize, min_share: f64) -> Vec<PeelChain> {
    let mut spender: HashMap<(&str, u32), usize> = HashMap::new();
    for (i, tx) in txs.iter().enumerate() {
        for input in &tx.inputs {
            if let Some(prev) = &input.prev_txid {
                spender.insert((prev.as_str(), input.vout), i);
            }
        }
    }
    let shapes: Vec<Option<(usize, f64)>> = txs.iter().map(|t| hop(t, min_share)).collect();
    let mut next: Vec<Option<usize>> = vec![None; txs.len()];
    let mut has_prev: HashSet<usize> = HashSet::new();
    for (i, tx) in txs.iter().enumerate() {
        let Some((big, _)) = shapes[i] else { continue };
        let n = tx.outputs[big].n;
        if let Some(&j) = spender.get(&(tx.txid.as_str(), n))
            && shapes[j].is_some()
            && j != i
        {
            next[i] = Some(j);
            has_prev.insert(j);
        }
    }
    let mut chains = Vec::new();
    for start in 0..txs.len() {
        if shapes[start].is_none() || has_prev.contains(&start) {
            continue;
        }
        let mut hops = vec![start];
        let mut seen = HashSet::from([start]);
        let mut at = start;
        while let Some(j) = next[at] {
            if !seen.insert(j) {
                break; // a cycle cannot happen on a chain; stop if data lie
            }
            hops.push(j);
            at = j;
        }
        if hops.len() < min_hops {
            continue;
        }
        let mut min = 1.0f64;
        let mut peeled = Vec::new();
        for &h in &hops {
            if let Some((big, share)) = shapes[h] {
                min = min.min(share);
                let small = &txs[h].outputs[1 - big];
                peeled.push((small.address.clone(), small.sats));
            }
        }
        chains.push(PeelChain {
            hops,
            min_share: min,
            peeled,
        });
    }
    chains
}

#[cfg(test)]
mod tests {
    use super::super::testing::tx;
    use super::*;

    /// A chain of `n` hops from address 0, each peeling 10 000 sat to
    /// address 9 and carrying the rest to the next address.
    fn chain(n: usize, carried: u64) -> Vec<BtcTx> {
        let mut txs = Vec::new();
        let mut prev = "funding".to_owned();
        let mut value = 1_000_000;
        for h in 0..n {
            let id = format!("hop{h}");
            txs.push(tx(
                &id,
                h as u32,
                &[(&prev, 1, Some(h % 8), value)],
                &[
                    (Some(9), 10_000),
                    (Some((h + 1) % 8), carried.min(value - 10_500)),
                ],
            ));
            value = carried.min(value - 10_500);
            prev = id;
        }
        txs
    }

    #[test]
    fn three_hops_make_a_chain_two_do_not() {
        let txs = chain(3, u64::MAX);
        let chains = peel_chains(&txs, 3, 0.7);
        assert_eq!(chains.len(), 1);
        assert_eq!(chains[0].hops, vec![0, 1, 2]);
        assert_eq!(chains[0].peeled.len(), 3);
        assert!(chains[0].min_share > 0.98);
        assert!(peel_chains(&chain(2, u64::MAX), 3, 0.7).is_empty());
        // Order in the file does not matter.
        let mut shuffled = txs.clone();
        shuffled.reverse();
        assert_eq!(peel_chains(&shuffled, 3, 0.7)[0].hops, vec![2, 1, 0]);
    }

    #[test]
    fn an_even_split_is_not_a_peel() {
        let mut txs = chain(4, u64::MAX);
        // Hop 1 splits in halves: the chain breaks there.
        txs[1].outputs[0].sats = 490_000;
        txs[1].outputs[1].sats = 490_000;
        assert!(peel_chains(&txs, 3, 0.7).is_empty());
        assert_eq!(peel_chains(&txs, 2, 0.7).len(), 1, "hops 2 and 3 remain");
        // Two inputs is a different shape.
        let mut two = chain(3, u64::MAX);
        let again = two[1].inputs[0].clone();
        two[1].inputs.push(again);
        assert!(peel_chains(&two, 3, 0.7).is_empty());
    }
}
