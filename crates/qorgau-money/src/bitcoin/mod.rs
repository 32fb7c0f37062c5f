//! Bitcoin transactions as they are: inputs spending earlier outputs,
//! outputs creating new ones.
//!
//! An account-to-account [`Transfer`] cannot say who paid whom in a
//! transaction with several inputs and outputs, so Bitcoin is kept twice:
//! the transaction itself ([`BtcTx`], what peel chains, CoinJoins and
//! common-input clustering read), and the transfers derived from it
//! ([`BtcTx::transfers`], what fan-in, pass-through and the flow graph
//! read). Derived transfers split each output between the input addresses
//! in proportion to what each put in — the "haircut" attribution — and are
//! not derived for CoinJoins at all: a mix exists to break the link between
//! inputs and outputs, and pairing them would assert links that are not
//! there.

pub mod cluster;
pub mod coinjoin;
pub mod flags;
pub mod peel;
pub mod read;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::amount::Amount;
use crate::model::{AccountRef, SourceFormat, Transfer};

/// One satoshi in [`Amount`] atoms (10⁻¹⁸ BTC).
pub const ATOMS_PER_SAT: i128 = 10_000_000_000;

/// A transaction with every input's spent coin resolved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BtcTx {
    /// Transaction id (hex, as explorers show it).
    pub txid: String,
    /// Block time (UTC).
    pub time: DateTime<Utc>,
    /// Block height, where the source gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<u64>,
    /// Inputs in order. Empty prevouts only for a coinbase.
    pub inputs: Vec<BtcInput>,
    /// Outputs in order.
    pub outputs: Vec<BtcOutput>,
    /// Line of the file where the transaction starts.
    pub line: u64,
}

/// An input: the coin it spends.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BtcInput {
    /// The transaction whose output is spent (`None` for a coinbase).
    pub prev_txid: Option<String>,
    /// Which output of it.
    pub vout: u32,
    /// The spent coin's address (`None`: a script with no address, such
    /// as bare multisig or pay-to-pubkey, or a coinbase).
    pub address: Option<AccountRef>,
    /// The spent coin's value, in satoshi.
    pub sats: u64,
}

/// An output: a new coin.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BtcOutput {
    /// Position in the transaction.
    pub n: u32,
    /// Its address (`None` for data carriers and non-standard scripts).
    pub address: Option<AccountRef>,
    /// Value in satoshi.
    pub sats: u64,
}

/// Satoshi as an exact BTC [`Amount`].
pub fn sats_amount(sats: u64) -> Amount {
    Amount::from_atoms(i128::from(sats) * ATOMS_PER_SAT)
}

impl BtcTx {
    /// A coinbase creates coins: nobody paid them.
    pub fn is_coinbase(&self) -> bool {
        self.inputs.iter().all(|i| i.prev_txid.is_none())
    }

    /// Satoshi in minus satoshi out (zero for a coinbase).
    pub fn fee_sats(&self) -> u64 {
        if self.is_coinbase() {
            return 0;
        }
        let inputs: u64 = self.inputs.iter().map(|i| i.sats).sum();
        let outputs: u64 = self.outputs.iter().map(|o| o.sats).sum();
        inputs.saturating_sub(outputs)
    }

    /// The distinct input addresses with what each put in, in first-seen
    /// order.
    pub fn input_addresses(&self) -> Vec<(&AccountRef, u64)> {
        let mut order: Vec<(&AccountRef, u64)> = Vec::new();
        for input in &self.inputs {
            let Some(a) = &input.address else { continue };
            match order.iter_mut().find(|(seen, _)| *seen == a) {
                Some((_, sum)) => *sum += input.sats,
                None => order.push((a, input.sats)),
            }
        }
        order
    }

    /// Transfers derived by the haircut attribution: each output with an
    /// address is split between the input addresses in proportion to what
    /// each put in, exactly (to 10⁻¹⁸ BTC, the last atoms going to the
    /// largest contributor so the parts add up to the output). A part
    /// from an address to itself (change) is left out. CoinJoins and
    /// coinbases yield none (see the module documentation).
    pub fn transfers(&self) -> Vec<Transfer> {
        if self.is_coinbase() || coinjoin::detect(self).is_some() {
            return Vec::new();
        }
        let senders = self.input_addresses();
        let total: u64 = senders.iter().map(|(_, s)| *s).sum();
        if total == 0 {
            return Vec::new();
        }
        // The largest contributor (first on ties) takes rounding atoms.
        let largest = senders
            .iter()
            .enumerate()
            .max_by(|(i, a), (j, b)| a.1.cmp(&b.1).then(j.cmp(i)))
            .map_or(0, |(i, _)| i);
        let mut out = Vec::new();
        for output in &self.outputs {
            let Some(to) = &output.address else { continue };
            let whole = i128::from(output.sats) * ATOMS_PER_SAT;
            let parts: Vec<i128> = senders
                .iter()
                .map(|(_, put)| share_atoms(output.sats, *put, total))
                .collect();
            let rounding = whole - parts.iter().sum::<i128>();
            // One transfer per (sender, receiver) pair, summed.
            let mut pairs: BTreeMap<usize, i128> = BTreeMap::new();
            for (i, part) in parts.into_iter().enumerate() {
                let part = if i == largest { part + rounding } else { part };
                *pairs.entry(i).or_default() += part;
            }
            for (i, atoms) in pairs {
                let from = senders[i].0;
                if from == to || atoms <= 0 {
                    continue;
                }
                out.push(Transfer {
                    tx_id: Some(self.txid.clone()),
                    time: self.time,
                    from: from.clone(),
                    to: to.clone(),
                    amount: Amount::from_atoms(atoms),
                    asset: "BTC".to_owned(),
                    source: SourceFormat::BtcJson,
                    line: self.line,
                });
            }
        }
        out
    }
}

/// `out × put / total` satoshi in atoms, rounded down, without overflow:
/// the satoshi product fits an i128 (≤ 4.4·10³⁰), the fractional part is
/// scaled separately.
fn share_atoms(out: u64, put: u64, total: u64) -> i128 {
    let product = i128::from(out) * i128::from(put);
    let total = i128::from(total);
    let whole = product / total;
    let rest = product % total;
    whole * ATOMS_PER_SAT + rest * ATOMS_PER_SAT / total
}

#[cfg(test)]
pub(crate) mod testing {
    //! Small transactions for the heuristics' tests, with valid addresses.

    use chrono::TimeZone;
    use qorgau_identifiers::Chain;

    use super::*;

    /// Synthetic mainnet addresses (valid checksums, payloads derived from
    /// labels by `tests/fixtures/synthetic_btc_addresses.py`): they belong
    /// to nobody.
    pub const ADDRESSES: [&str; 10] = [
        "1CkpK99WQJEzi6iG91RuMu8njZUk9Re6vh",
        "1MvBkbMVhUUwVrt2iNHBwi2hxb3rGcaMqv",
        "1EJ4VXwRM1pTPn7fGVykoUFd71B5kHrAoW",
        "14tbyvbLHA9yQMR4GnvNisj6fRo1u62W4C",
        "1GPKj3oLdQksRfzav8B97U5kVDTgw4TPHB",
        "1mnnkdXM2mLzUu9gJU6zUmsE6sAY2gd8r",
        "1MgeN66HKaMuHVHyUnXYndRkrCXjrB12X2",
        "16aoA1W5a66QjFus23XkgKW8NZtosveHPq",
        "bc1qs0463gc43tfteam5mlvdjny8dancjncw9x8wq7",
        "bc1q8y6vkr4kgle72mlkjkd3chz4veleh77m4c4zxs",
    ];

    /// Address `i` as an account.
    pub fn addr(i: usize) -> AccountRef {
        AccountRef::wallet(ADDRESSES[i], Chain::Btc).expect("valid test address")
    }

    /// A transaction spending `(prev, vout, address, sats)` into
    /// `(address, sats)` outputs, at minute `minute` of a fixed day.
    pub fn tx(
        txid: &str,
        minute: u32,
        inputs: &[(&str, u32, Option<usize>, u64)],
        outputs: &[(Option<usize>, u64)],
    ) -> BtcTx {
        BtcTx {
            txid: txid.to_owned(),
            time: Utc
                .with_ymd_and_hms(2026, 3, 1, 10, 0, 0)
                .single()
                .expect("valid time")
                + chrono::Duration::minutes(i64::from(minute)),
            height: None,
            inputs: inputs
                .iter()
                .map(|(prev, vout, a, sats)| BtcInput {
                    prev_txid: Some((*prev).to_owned()),
                    vout: *vout,
                    address: a.map(addr),
                    sats: *sats,
                })
                .collect(),
            outputs: outputs
                .iter()
                .enumerate()
                .map(|(n, (a, sats))| BtcOutput {
                    n: n as u32,
                    address: a.map(addr),
                    sats: *sats,
                })
                .collect(),
            line: 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{addr, tx};
    use super::*;

    #[test]
    fn haircut_splits_outputs_exactly_between_senders() {
        // Two senders put in 2 and 1 (thirds do not divide evenly), one
        // receiver gets 100 001 sat, the rest is change to sender 0.
        let t = tx(
            "aa",
            0,
            &[("p1", 0, Some(0), 200_000), ("p2", 1, Some(1), 100_000)],
            &[(Some(2), 100_001), (Some(0), 199_000)],
        );
        assert_eq!(t.fee_sats(), 999);
        let transfers = t.transfers();
        let to_2: Vec<_> = transfers.iter().filter(|x| x.to == addr(2)).collect();
        assert_eq!(to_2.len(), 2);
        let sum: i128 = to_2.iter().map(|x| x.amount.atoms()).sum();
        assert_eq!(sum, 100_001 * ATOMS_PER_SAT, "parts add up to the output");
        let from_0 = to_2.iter().find(|x| x.from == addr(0)).unwrap();
        // 2/3 of 100 001 sat = 66 667.333… sat, plus the rounding atom.
        assert_eq!(from_0.amount.to_string(), "0.000666673333333334");
        // Sender 1's share of the change back to sender 0 is a transfer;
        // sender 0's own share is not (an address paying itself).
        let change: Vec<_> = transfers.iter().filter(|x| x.to == addr(0)).collect();
        assert_eq!(change.len(), 1);
        assert_eq!(change[0].from, addr(1));
        assert!(
            transfers
                .iter()
                .all(|x| x.asset == "BTC" && x.tx_id.as_deref() == Some("aa"))
        );
    }

    #[test]
    fn coinbase_and_addressless_outputs_derive_nothing() {
        let mut cb = tx("cb", 0, &[], &[(Some(0), 625_000_000)]);
        cb.inputs.push(BtcInput {
            prev_txid: None,
            vout: u32::MAX,
            address: None,
            sats: 0,
        });
        assert!(cb.is_coinbase());
        assert!(cb.transfers().is_empty());
        assert_eq!(cb.fee_sats(), 0);
        let op_return = tx(
            "or",
            0,
            &[("p", 0, Some(0), 1000)],
            &[(None, 0), (Some(1), 900)],
        );
        let t = op_return.transfers();
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].amount, sats_amount(900));
    }

    #[test]
    fn share_never_overflows_at_the_supply_limit() {
        let max = 2_100_000_000_000_000u64;
        assert_eq!(share_atoms(max, max, max), i128::from(max) * ATOMS_PER_SAT);
        assert_eq!(share_atoms(max, 1, max), ATOMS_PER_SAT);
        assert_eq!(share_atoms(1, 1, 3), ATOMS_PER_SAT / 3);
    }
}
