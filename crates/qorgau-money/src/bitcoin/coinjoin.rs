//! CoinJoin transactions: several people's coins mixed in one transaction
//! so that outputs cannot be tied to inputs.
//!
//! Two rules. BlockSci's general rule (Kalodner et al., `isCoinjoin`):
//! at least two inputs and three outputs; each participant is assumed to
//! bring an input and take an equal-valued output plus change, so with
//! `p = (outputs + 1) / 2` participants there must be at least `p` inputs
//! and `p` distinct input addresses, and the most common output value must
//! occur exactly `p` times and not be a dust value (546 or 2730 sat).
//! Samourai Whirlpool's mixes, which that rule misses (no change outputs):
//! five to eight inputs and as many outputs, every output exactly one pool
//! denomination (0.001, 0.01, 0.05 or 0.5 BTC), every input that
//! denomination or a little more (a premix carries its share of the
//! miner's fee). A CoinJoin is a reason to look — privacy tools have
//! lawful users — and the flag says which rule matched.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::BtcTx;

/// Whirlpool's pool denominations, in satoshi.
pub const WHIRLPOOL_POOLS: [u64; 4] = [100_000, 1_000_000, 5_000_000, 50_000_000];

/// Output values BlockSci excludes as dust rather than a mix.
const DUST: [u64; 2] = [546, 2730];

/// Which rule recognised the mix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Protocol {
    /// A Whirlpool mix (pool denomination, five to eight equal outputs).
    Whirlpool,
    /// BlockSci's general equal-output rule.
    EqualOutputs,
}

/// A recognised CoinJoin.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CoinJoin {
    /// Which rule.
    pub protocol: Protocol,
    /// The equal output value, in satoshi.
    pub denomination: u64,
    /// How many equal outputs (the anonymity set).
    pub participants: usize,
}

/// The CoinJoin `tx` is, if any.
pub fn detect(tx: &BtcTx) -> Option<CoinJoin> {
    whirlpool(tx).or_else(|| blocksci(tx))
}

fn whirlpool(tx: &BtcTx) -> Option<CoinJoin> {
    let n = tx.outputs.len();
    if !(5..=8).contains(&n) || tx.inputs.len() != n {
        return None;
    }
    let value = tx.outputs[0].sats;
    if !WHIRLPOOL_POOLS.contains(&value) || tx.outputs.iter().any(|o| o.sats != value) {
        return None;
    }
    // Premix inputs add at most a tenth of the pool for the miner's fee.
    let ceiling = value + value / 10;
    if tx
        .inputs
        .iter()
        .any(|i| i.prev_txid.is_none() || i.sats < value || i.sats > ceiling)
    {
        return None;
    }
    Some(CoinJoin {
        protocol: Protocol::Whirlpool,
        denomination: value,
        participants: n,
    })
}

fn blocksci(tx: &BtcTx) -> Option<CoinJoin> {
    if tx.inputs.len() < 2 || tx.outputs.len() < 3 || tx.is_coinbase() {
        return None;
    }
    let participants = tx.outputs.len().div_ceil(2);
    if participants > tx.inputs.len() {
        return None;
    }
    // Inputs without an address count as distinct (each is its own
    // script), as BlockSci's address objects would.
    let mut addresses = HashSet::new();
    let mut addressless = 0;
    for input in &tx.inputs {
        match &input.address {
            Some(a) => {
                addresses.insert(a);
            }
            None => addressless += 1,
        }
    }
    if participants > addresses.len() + addressless {
        return None;
    }
    let mut counts: HashMap<u64, usize> = HashMap::new();
    for output in &tx.outputs {
        *counts.entry(output.sats).or_default() += 1;
    }
    // The most common value; on a tie the smaller value, so the answer
    // does not depend on hash order.
    let (&value, &count) = counts
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))?;
    if count != participants || DUST.contains(&value) {
        return None;
    }
    Some(CoinJoin {
        protocol: Protocol::EqualOutputs,
        denomination: value,
        participants,
    })
}

#[cfg(test)]
mod tests {
    use super::super::testing::tx;
    use super::*;

    #[test]
    fn whirlpool_mix_is_recognised_and_near_misses_are_not() {
        let inputs: Vec<(&str, u32, Option<usize>, u64)> = (0..5)
            .map(|i| ("prev", i as u32, Some(i), 1_000_000 + 1_500 * i as u64))
            .collect();
        let outputs: Vec<(Option<usize>, u64)> = (5..10).map(|i| (Some(i), 1_000_000)).collect();
        let mix = tx("mix", 0, &inputs, &outputs);
        assert_eq!(
            detect(&mix),
            Some(CoinJoin {
                protocol: Protocol::Whirlpool,
                denomination: 1_000_000,
                participants: 5
            })
        );
        assert!(mix.transfers().is_empty(), "no pairing across a mix");
        // Not a pool value.
        let odd: Vec<_> = (5..10).map(|i| (Some(i), 1_000_001)).collect();
        assert_eq!(detect(&tx("x", 0, &inputs, &odd)), None);
        // An input far above the pool (a payment, not a premix).
        let mut big = inputs.clone();
        big[0].3 = 3_000_000;
        assert_eq!(
            detect(&tx("x", 0, &big, &outputs)).map(|c| c.protocol),
            None
        );
        // Four participants is below Whirlpool's minimum and, with no
        // change outputs, not BlockSci's shape either.
        assert_eq!(detect(&tx("x", 0, &inputs[..4], &outputs[..4])), None);
    }

    #[test]
    fn blocksci_rule_on_both_sides() {
        // Three participants: three equal outputs and two changes.
        let inputs = [
            ("a", 0, Some(0), 700_000),
            ("b", 0, Some(1), 650_000),
            ("c", 0, Some(2), 900_000),
        ];
        let outputs = [
            (Some(3), 500_000),
            (Some(4), 500_000),
            (Some(5), 500_000),
            (Some(6), 149_000),
            (Some(7), 399_000),
        ];
        let cj = detect(&tx("cj", 0, &inputs, &outputs)).unwrap();
        assert_eq!(cj.protocol, Protocol::EqualOutputs);
        assert_eq!((cj.denomination, cj.participants), (500_000, 3));
        // The same inputs from two addresses only: one person consolidating.
        let same = [
            ("a", 0, Some(0), 700_000),
            ("b", 0, Some(0), 650_000),
            ("c", 0, Some(2), 900_000),
        ];
        assert_eq!(detect(&tx("x", 0, &same, &outputs)), None);
        // Four equal outputs where three participants are expected.
        let mut four = outputs;
        four[3].1 = 500_000;
        assert_eq!(detect(&tx("x", 0, &inputs, &four)), None);
        // Dust outputs are not a mix.
        let dust = [
            (Some(3), 546),
            (Some(4), 546),
            (Some(5), 546),
            (Some(6), 149_000),
            (Some(7), 399_000),
        ];
        assert_eq!(detect(&tx("x", 0, &inputs, &dust)), None);
        // An ordinary payment with change.
        assert_eq!(
            detect(&tx("x", 0, &inputs[..1], &[(Some(3), 1), (Some(4), 2)])),
            None
        );
    }
}
