//! Red flags in transfers, each with the transfers behind it and words a
//! person can check.
//!
//! These are the patterns the study and FATF typologies name for dropper
//! accounts: many small payments from different people into one card or
//! wallet (fan-in), money that leaves again within hours (pass-through),
//! and amounts kept just under a reporting threshold (structuring). A flag
//! is a reason to look, never a finding: every one names its transfers, its
//! window and what made the score.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use crate::amount::Amount;
use crate::model::{AccountRef, Transfer};

/// What kind of pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FlagKind {
    /// Many distinct senders into one account within a window.
    FanIn,
    /// Most of what arrives leaves again within hours.
    PassThrough,
    /// Several amounts just under a threshold adding up over it.
    Structuring,
    /// A Bitcoin peel chain of three hops or more.
    PeelChain,
    /// A CoinJoin (mixing) transaction the account took part in.
    Coinjoin,
    /// Transfers with an address on an imported label list (sanctioned,
    /// mixer…), directly or within a few hops.
    LabelExposure,
    /// An account in a privacy coin (Monero, Zcash), whose circulation
    /// Kazakhstan prohibits.
    PrivacyCoin,
}

impl FlagKind {
    /// The name in output and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            FlagKind::FanIn => "fan_in",
            FlagKind::PassThrough => "pass_through",
            FlagKind::Structuring => "structuring",
            FlagKind::PeelChain => "peel_chain",
            FlagKind::Coinjoin => "coinjoin",
            FlagKind::LabelExposure => "label_exposure",
            FlagKind::PrivacyCoin => "privacy_coin",
        }
    }
}

/// Thresholds, all configuration (`money.toml`), with defaults that fit
/// the small "fees" of recruitment fraud.
#[derive(Clone, Debug, PartialEq)]
pub struct FlagConfig {
    /// Window of a fan-in.
    pub fan_in_window: Duration,
    /// Distinct senders within the window that make a fan-in.
    pub fan_in_min_senders: usize,
    /// Window within which an arrival that leaves again counts as passed
    /// through.
    pub pass_through_window: Duration,
    /// Share of arrivals passed through that makes the flag.
    pub pass_through_share: f64,
    /// Arrivals smaller than this many transfers are not judged.
    pub pass_through_min_arrivals: usize,
    /// Reporting thresholds per asset (`KZT`, `USDT`…).
    pub thresholds: BTreeMap<String, Amount>,
    /// How far under the threshold counts as "just under" (0.1 = the top
    /// 10 % below it).
    pub structuring_margin: f64,
    /// Amounts just under within the window that make the flag.
    pub structuring_min_count: usize,
    /// Window of structuring.
    pub structuring_window: Duration,
    /// Hops that make a peel chain.
    pub peel_min_hops: usize,
    /// Share of a hop's value the carried-on output must have.
    pub peel_min_share: f64,
    /// Hops over which exposure to a labelled address is traced.
    pub exposure_max_hops: usize,
}

impl Default for FlagConfig {
    fn default() -> Self {
        FlagConfig {
            fan_in_window: Duration::hours(24),
            fan_in_min_senders: 5,
            pass_through_window: Duration::hours(6),
            pass_through_share: 0.8,
            pass_through_min_arrivals: 3,
            thresholds: BTreeMap::from([
                // The financial monitoring threshold for many operations in
                // Kazakhstan (AML/CFT law, art. 4) is set in MCI; these are
                // starting values for the analyst to set, not law.
                ("KZT".to_owned(), Amount::from_units(1_000_000)),
                ("USDT".to_owned(), Amount::from_units(1_000)),
            ]),
            structuring_margin: 0.1,
            structuring_min_count: 3,
            structuring_window: Duration::days(7),
            peel_min_hops: 3,
            peel_min_share: 0.7,
            exposure_max_hops: 2,
        }
    }
}

/// One red flag.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Flag {
    /// The pattern.
    pub kind: FlagKind,
    /// The account it is about.
    pub account: AccountRef,
    /// The asset.
    pub asset: String,
    /// 0–1: how strongly the pattern shows (see `explanation`).
    pub score: f64,
    /// Indexes of the transfers behind it, in the slice given.
    pub transfers: Vec<usize>,
    /// Transactions behind it that are not transfers (a CoinJoin, the hops
    /// of a peel chain).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tx_ids: Vec<String>,
    /// Start and end of the window.
    pub from: DateTime<Utc>,
    /// End of the window.
    pub until: DateTime<Utc>,
    /// What was seen, in words.
    pub explanation: String,
}

/// Transfers in columns, accounts and assets interned: the form the
/// account-level flags run on. About 35 bytes a transfer instead of the
/// few hundred a [`Transfer`] with its strings takes, and groups found by
/// sorting instead of hash maps of vectors, so that ten million transfers
/// of an export are analysed in memory on a workstation (BENCHMARKS.md).
#[derive(Clone, Debug, Default)]
pub struct TransferTable {
    accounts: Vec<AccountRef>,
    account_ids: HashMap<AccountRef, u32, foldhash::fast::RandomState>,
    assets: Vec<String>,
    asset_ids: HashMap<String, u16, foldhash::fast::RandomState>,
    micros: Vec<i64>,
    from: Vec<u32>,
    to: Vec<u32>,
    amount: Vec<i128>,
    asset: Vec<u16>,
}

impl TransferTable {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// The table of `transfers`, in their order (flags name transfers by
    /// their index in it).
    pub fn from_transfers(transfers: &[Transfer]) -> Self {
        let mut table = Self::default();
        table.reserve(transfers.len());
        for t in transfers {
            table.push(t);
        }
        table
    }

    /// Room for `n` more transfers.
    pub fn reserve(&mut self, n: usize) {
        self.micros.reserve(n);
        self.from.reserve(n);
        self.to.reserve(n);
        self.amount.reserve(n);
        self.asset.reserve(n);
    }

    /// How many transfers.
    pub fn len(&self) -> usize {
        self.micros.len()
    }

    /// No transfers.
    pub fn is_empty(&self) -> bool {
        self.micros.is_empty()
    }

    /// Distinct accounts.
    pub fn account_count(&self) -> usize {
        self.accounts.len()
    }

    fn account_id(&mut self, a: &AccountRef) -> u32 {
        if let Some(&id) = self.account_ids.get(a) {
            return id;
        }
        let id = u32::try_from(self.accounts.len()).unwrap_or(u32::MAX);
        self.accounts.push(a.clone());
        self.account_ids.insert(a.clone(), id);
        id
    }

    fn asset_id(&mut self, asset: &str) -> u16 {
        if let Some(&id) = self.asset_ids.get(asset) {
            return id;
        }
        let id = u16::try_from(self.assets.len()).unwrap_or(u16::MAX);
        self.assets.push(asset.to_owned());
        self.asset_ids.insert(asset.to_owned(), id);
        id
    }

    /// Appends a transfer.
    pub fn push(&mut self, t: &Transfer) {
        let from = self.account_id(&t.from);
        let to = self.account_id(&t.to);
        let asset = self.asset_id(&t.asset);
        self.micros.push(t.time.timestamp_micros());
        self.from.push(from);
        self.to.push(to);
        self.amount.push(t.amount.atoms());
        self.asset.push(asset);
    }

    /// Appends every transfer of `other` (after this table's own: a
    /// transfer's index in `other` becomes `self.len()` before the call
    /// plus that index). How halves of a file read on two cores are joined:
    /// only the accounts are looked up again, not every row.
    pub fn append(&mut self, other: TransferTable) {
        let accounts: Vec<u32> = other.accounts.iter().map(|a| self.account_id(a)).collect();
        let assets: Vec<u16> = other.assets.iter().map(|a| self.asset_id(a)).collect();
        self.reserve(other.len());
        self.micros.extend_from_slice(&other.micros);
        self.from
            .extend(other.from.iter().map(|&i| accounts[i as usize]));
        self.to
            .extend(other.to.iter().map(|&i| accounts[i as usize]));
        self.amount.extend_from_slice(&other.amount);
        self.asset
            .extend(other.asset.iter().map(|&i| assets[usize::from(i)]));
    }

    fn time(&self, i: usize) -> DateTime<Utc> {
        DateTime::from_timestamp_micros(self.micros[i]).unwrap_or_default()
    }

    /// Transfer indexes grouped by (account on `side`, asset), each group
    /// in time order; groups as (start, end) ranges of the returned order.
    fn grouped(&self, by_receiver: bool) -> (Vec<u32>, Vec<(usize, usize)>) {
        let side = if by_receiver { &self.to } else { &self.from };
        let mut order: Vec<u32> = (0..self.len() as u32).collect();
        order.sort_unstable_by_key(|&i| {
            let i = i as usize;
            (side[i], self.asset[i], self.micros[i], i)
        });
        let mut groups = Vec::new();
        let mut start = 0;
        for k in 1..=order.len() {
            let split = k == order.len() || {
                let (a, b) = (order[k - 1] as usize, order[k] as usize);
                side[a] != side[b] || self.asset[a] != self.asset[b]
            };
            if split {
                groups.push((start, k));
                start = k;
            }
        }
        (order, groups)
    }
}

/// Minutes of a window in the microseconds the table keeps.
fn micros(d: Duration) -> i64 {
    d.num_microseconds().unwrap_or(i64::MAX)
}

/// All three account-level flags (fan-in, pass-through, structuring) of a
/// table, the two sorts and passes on both cores.
pub fn table_flags(table: &TransferTable, config: &FlagConfig) -> Vec<Flag> {
    let (mut flags, mut more) = std::thread::scope(|s| {
        let receivers = s.spawn(|| {
            let by_to = table.grouped(true);
            let fan = fan_in_table(table, &by_to, config);
            (by_to, fan)
        });
        let by_from = table.grouped(false);
        let structured = structuring_table(table, &by_from, config);
        let (by_to, fan) = match receivers.join() {
            Ok(r) => r,
            Err(_) => (table.grouped(true), Vec::new()),
        };
        let mut out = fan;
        out.extend(structured);
        (out, pass_through_table(table, &by_to, &by_from, config))
    });
    flags.append(&mut more);
    flags.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.kind.cmp(&b.kind))
            .then(a.account.cmp(&b.account))
    });
    flags
}

/// Fan-in: for each receiving account, the window with the most distinct
/// senders; flagged when they reach `fan_in_min_senders`. The score grows
/// with the senders beyond the minimum and with how alike the amounts are
/// (the same "fee" paid by everyone).
pub fn fan_in(transfers: &[Transfer], config: &FlagConfig) -> Vec<Flag> {
    let table = TransferTable::from_transfers(transfers);
    let by_to = table.grouped(true);
    let mut flags = fan_in_table(&table, &by_to, config);
    flags.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.account.cmp(&b.account)));
    flags
}

type Groups = (Vec<u32>, Vec<(usize, usize)>);

fn fan_in_table(t: &TransferTable, (order, groups): &Groups, config: &FlagConfig) -> Vec<Flag> {
    let window_len = micros(config.fan_in_window);
    let mut flags = Vec::new();
    let mut counts: HashMap<u32, usize, foldhash::fast::RandomState> = HashMap::default();
    for &(g0, g1) in groups {
        let list = &order[g0..g1];
        // A group with fewer transfers than the minimum cannot have enough
        // distinct senders.
        if list.len() < config.fan_in_min_senders {
            continue;
        }
        counts.clear();
        let mut best: Option<(usize, usize, usize)> = None; // (senders, start, end)
        let mut start = 0;
        for end in 0..list.len() {
            let e = list[end] as usize;
            *counts.entry(t.from[e]).or_default() += 1;
            while t.micros[e] - t.micros[list[start] as usize] > window_len {
                let sender = t.from[list[start] as usize];
                if let Some(n) = counts.get_mut(&sender) {
                    *n -= 1;
                    if *n == 0 {
                        counts.remove(&sender);
                    }
                }
                start += 1;
            }
            if best.is_none_or(|(b, _, _)| counts.len() > b) {
                best = Some((counts.len(), start, end));
            }
        }
        let Some((senders, s, e)) = best else {
            continue;
        };
        if senders < config.fan_in_min_senders {
            continue;
        }
        let window: Vec<usize> = list[s..=e].iter().map(|&i| i as usize).collect();
        let amounts: Vec<i128> = window.iter().map(|&i| t.amount[i]).collect();
        let mut distinct = amounts.clone();
        distinct.sort_unstable();
        distinct.dedup();
        let repeated = 1.0 - (distinct.len() as f64 - 1.0) / amounts.len().max(1) as f64;
        let breadth = (senders as f64 / (2.0 * config.fan_in_min_senders as f64)).min(1.0);
        let score = (0.6 * breadth + 0.4 * repeated.clamp(0.0, 1.0)).clamp(0.0, 1.0);
        let total = Amount::from_atoms(amounts.iter().sum());
        let first = window[0];
        let asset = &t.assets[usize::from(t.asset[first])];
        let from = t.time(first);
        let until = t.time(window[window.len() - 1]);
        flags.push(Flag {
            kind: FlagKind::FanIn,
            account: t.accounts[t.to[first] as usize].clone(),
            asset: asset.clone(),
            score,
            explanation: format!(
                "{senders} distinct senders paid {} {asset} in {} transfers within {:.1} h \
                 ({} distinct amount{})",
                total,
                window.len(),
                (until - from).num_minutes() as f64 / 60.0,
                distinct.len(),
                if distinct.len() == 1 { "" } else { "s" }
            ),
            transfers: window,
            tx_ids: Vec::new(),
            from,
            until,
        });
    }
    flags
}

/// Pass-through: arrivals are matched first-in first-out against what
/// leaves the account; the share of arrivals that left within
/// `pass_through_window` of arriving is the score's basis.
pub fn pass_through(transfers: &[Transfer], config: &FlagConfig) -> Vec<Flag> {
    let table = TransferTable::from_transfers(transfers);
    let (by_to, by_from) = (table.grouped(true), table.grouped(false));
    let mut flags = pass_through_table(&table, &by_to, &by_from, config);
    flags.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.account.cmp(&b.account)));
    flags
}

fn pass_through_table(
    t: &TransferTable,
    (in_order, in_groups): &Groups,
    (out_order, out_groups): &Groups,
    config: &FlagConfig,
) -> Vec<Flag> {
    let window_len = micros(config.pass_through_window);
    let key = |order: &[u32], g: (usize, usize), receiver: bool| {
        let i = order[g.0] as usize;
        (if receiver { t.to[i] } else { t.from[i] }, t.asset[i])
    };
    let mut flags = Vec::new();
    let mut lots: std::collections::VecDeque<(i64, i128, usize)> = Default::default();
    let mut behind: Vec<usize> = Vec::new();
    let mut o = 0;
    for &ig in in_groups {
        let k = key(in_order, ig, true);
        while o < out_groups.len() && key(out_order, out_groups[o], false) < k {
            o += 1;
        }
        if o == out_groups.len() || key(out_order, out_groups[o], false) != k {
            continue;
        }
        let og = out_groups[o];
        let ins = &in_order[ig.0..ig.1];
        let outs = &out_order[og.0..og.1];
        if ins.len() < config.pass_through_min_arrivals {
            continue;
        }
        // Both lists are in time order: merge them, arrivals before
        // departures at the same instant.
        lots.clear();
        behind.clear();
        let (mut fast, mut total_in) = (0i128, 0i128);
        let (mut a, mut d) = (0, 0);
        while a < ins.len() || d < outs.len() {
            let arrival = d == outs.len()
                || (a < ins.len() && t.micros[ins[a] as usize] <= t.micros[outs[d] as usize]);
            if arrival {
                let i = ins[a] as usize;
                total_in += t.amount[i];
                lots.push_back((t.micros[i], t.amount[i], i));
                a += 1;
                continue;
            }
            let i = outs[d] as usize;
            d += 1;
            let at = t.micros[i];
            let mut need = t.amount[i];
            while need > 0 {
                let Some(lot) = lots.front_mut() else { break };
                let used = need.min(lot.1);
                if at - lot.0 <= window_len {
                    fast += used;
                    behind.push(lot.2);
                    behind.push(i);
                }
                lot.1 -= used;
                need -= used;
                if lot.1 == 0 {
                    lots.pop_front();
                }
            }
        }
        if total_in <= 0 {
            continue;
        }
        let share = fast as f64 / total_in as f64;
        if share < config.pass_through_share {
            continue;
        }
        behind.sort_unstable();
        behind.dedup();
        let list = behind.clone();
        let from = list.iter().map(|&i| t.micros[i]).min().unwrap_or_default();
        let until = list.iter().map(|&i| t.micros[i]).max().unwrap_or_default();
        let asset = &t.assets[usize::from(k.1)];
        flags.push(Flag {
            kind: FlagKind::PassThrough,
            account: t.accounts[k.0 as usize].clone(),
            asset: asset.clone(),
            score: share.min(1.0),
            explanation: format!(
                "{:.0} % of the {} {} that arrived in {} transfers left again within {} h",
                share * 100.0,
                amount_of(total_in),
                asset,
                ins.len(),
                config.pass_through_window.num_hours()
            ),
            transfers: list,
            tx_ids: Vec::new(),
            from: DateTime::from_timestamp_micros(from).unwrap_or_default(),
            until: DateTime::from_timestamp_micros(until).unwrap_or_default(),
        });
    }
    flags
}

fn amount_of(atoms: i128) -> Amount {
    Amount::from_atoms(atoms)
}

/// Structuring: amounts a sender keeps within `structuring_margin` under
/// the asset's threshold, at least `structuring_min_count` of them within
/// the window, adding up to the threshold or more.
pub fn structuring(transfers: &[Transfer], config: &FlagConfig) -> Vec<Flag> {
    let table = TransferTable::from_transfers(transfers);
    let by_from = table.grouped(false);
    let mut flags = structuring_table(&table, &by_from, config);
    flags.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.account.cmp(&b.account)));
    flags
}

fn structuring_table(
    t: &TransferTable,
    (order, groups): &Groups,
    config: &FlagConfig,
) -> Vec<Flag> {
    let window_len = micros(config.structuring_window);
    // Thresholds by interned asset; assets without one are not judged.
    let thresholds: Vec<Option<i128>> = t
        .assets
        .iter()
        .map(|a| config.thresholds.get(a).map(|x| x.atoms()))
        .collect();
    let mut flags = Vec::new();
    let mut under: Vec<usize> = Vec::new();
    for &(g0, g1) in groups {
        let list = &order[g0..g1];
        let first = list[0] as usize;
        let Some(threshold) = thresholds[usize::from(t.asset[first])] else {
            continue;
        };
        let floor = threshold as f64 * (1.0 - config.structuring_margin);
        under.clear();
        under.extend(list.iter().map(|&i| i as usize).filter(|&i| {
            let a = t.amount[i];
            a < threshold && a as f64 >= floor
        }));
        if under.len() < config.structuring_min_count {
            continue;
        }
        let mut best: Option<(usize, usize)> = None;
        let mut start = 0;
        for end in 0..under.len() {
            while t.micros[under[end]] - t.micros[under[start]] > window_len {
                start += 1;
            }
            if best.is_none_or(|(s, e)| end - start > e - s) {
                best = Some((start, end));
            }
        }
        let Some((s, e)) = best else { continue };
        let window: Vec<usize> = under[s..=e].to_vec();
        let total: i128 = window.iter().map(|&i| t.amount[i]).sum();
        if window.len() < config.structuring_min_count || total < threshold {
            continue;
        }
        let score = (window.len() as f64 / (2.0 * config.structuring_min_count as f64)).min(1.0);
        let asset = &t.assets[usize::from(t.asset[first])];
        let from = t.time(window[0]);
        let until = t.time(window[window.len() - 1]);
        flags.push(Flag {
            kind: FlagKind::Structuring,
            account: t.accounts[t.from[first] as usize].clone(),
            asset: asset.clone(),
            score,
            explanation: format!(
                "{} transfers each just under the {} {asset} threshold, {} in all, \
                 within {:.1} days",
                window.len(),
                Amount::from_atoms(threshold),
                Amount::from_atoms(total),
                (until - from).num_hours() as f64 / 24.0
            ),
            transfers: window,
            tx_ids: Vec::new(),
            from,
            until,
        });
    }
    flags
}
