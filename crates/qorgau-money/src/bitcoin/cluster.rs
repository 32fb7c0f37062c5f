//! Common-input clustering: the addresses a transaction spends from
//! together are taken to be one holder's (whoever signs for all inputs
//! holds all their keys), the oldest and most used heuristic of chain
//! analysis (Meiklejohn et al. 2013). CoinJoins are left out: there the
//! inputs belong to different people by design, and one mix would merge
//! unrelated holders into a giant cluster.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::model::AccountRef;

use super::{BtcTx, coinjoin};

/// Addresses that spent together, and the transactions that say so.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cluster {
    /// The addresses, sorted.
    pub addresses: Vec<AccountRef>,
    /// The transactions that joined them, sorted.
    pub tx_ids: Vec<String>,
}

/// Union-find over address indexes, with path halving.
struct Sets(Vec<usize>);

impl Sets {
    fn find(&mut self, mut x: usize) -> usize {
        while self.0[x] != x {
            self.0[x] = self.0[self.0[x]];
            x = self.0[x];
        }
        x
    }

    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            // The smaller index is the root: results do not depend on
            // the order of unions.
            let (root, child) = if a < b { (a, b) } else { (b, a) };
            self.0[child] = root;
        }
    }
}

/// The clusters of two or more addresses among `txs`, largest first.
pub fn clusters(txs: &[BtcTx]) -> Vec<Cluster> {
    let mut index: HashMap<&AccountRef, usize> = HashMap::new();
    let mut addresses: Vec<&AccountRef> = Vec::new();
    let mut sets = Sets(Vec::new());
    let mut joined_by: Vec<(usize, &str)> = Vec::new();
    for tx in txs {
        if tx.is_coinbase() || coinjoin::detect(tx).is_some() {
            continue;
        }
        let inputs = tx.input_addresses();
        if inputs.len() < 2 {
            continue;
        }
        let mut ids = Vec::with_capacity(inputs.len());
        for (a, _) in inputs {
            let id = *index.entry(a).or_insert_with(|| {
                addresses.push(a);
                sets.0.push(sets.0.len());
                sets.0.len() - 1
            });
            ids.push(id);
        }
        for pair in ids.windows(2) {
            sets.union(pair[0], pair[1]);
        }
        joined_by.push((ids[0], tx.txid.as_str()));
    }
    let mut members: BTreeMap<usize, BTreeSet<&AccountRef>> = BTreeMap::new();
    for (i, a) in addresses.iter().enumerate() {
        let root = sets.find(i);
        members.entry(root).or_default().insert(a);
    }
    let mut evidence: BTreeMap<usize, BTreeSet<&str>> = BTreeMap::new();
    for (id, txid) in joined_by {
        let root = sets.find(id);
        evidence.entry(root).or_default().insert(txid);
    }
    let mut out: Vec<Cluster> = members
        .into_iter()
        .map(|(root, set)| Cluster {
            addresses: set.into_iter().cloned().collect(),
            tx_ids: evidence
                .remove(&root)
                .unwrap_or_default()
                .into_iter()
                .map(str::to_owned)
                .collect(),
        })
        .collect();
    out.sort_by(|a, b| {
        b.addresses
            .len()
            .cmp(&a.addresses.len())
            .then_with(|| a.addresses.cmp(&b.addresses))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::super::testing::{addr, tx};
    use super::*;

    #[test]
    fn co_spent_addresses_join_transitively_coinjoins_do_not() {
        let txs = vec![
            // 0 and 1 spend together; later 1 and 2: one holder of 0, 1, 2.
            tx(
                "t1",
                0,
                &[("p", 0, Some(0), 5_000), ("p", 1, Some(1), 5_000)],
                &[(Some(7), 9_000)],
            ),
            tx(
                "t2",
                1,
                &[("q", 0, Some(1), 5_000), ("q", 1, Some(2), 5_000)],
                &[(Some(7), 9_000)],
            ),
            // A single-address spend joins nothing.
            tx("t3", 2, &[("r", 0, Some(3), 5_000)], &[(Some(4), 4_000)]),
            // A CoinJoin of 3, 4, 5 (equal outputs plus changes).
            tx(
                "mix",
                3,
                &[
                    ("s", 0, Some(3), 700_000),
                    ("s", 1, Some(4), 650_000),
                    ("s", 2, Some(5), 900_000),
                ],
                &[
                    (Some(6), 500_000),
                    (Some(8), 500_000),
                    (Some(9), 500_000),
                    (Some(3), 149_000),
                    (Some(4), 399_000),
                ],
            ),
        ];
        let found = clusters(&txs);
        assert_eq!(found.len(), 1, "{found:?}");
        let mut expected = vec![addr(0), addr(1), addr(2)];
        expected.sort();
        assert_eq!(found[0].addresses, expected);
        assert_eq!(found[0].tx_ids, vec!["t1", "t2"]);
    }
}
