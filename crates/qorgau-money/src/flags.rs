//! Red flags in transfers, each with the transfers behind it and words a
//! person can check.
//!
//! These are the patterns the study and FATF typologies name for dropper
//! accounts: many small payments from different people into one card or
//! wallet (fan-in), money that leaves again within hours (pass-through),
//! and amounts kept just under a reporting threshold (structuring). A flag
//! is a reason to look, never a finding: every one names its transfers, its
//! window and what made the score.

use std::collections::{BTreeMap, BTreeSet, HashMap};

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

fn by_account<'t>(
    transfers: &'t [Transfer],
    side: impl Fn(&'t Transfer) -> &'t AccountRef,
) -> HashMap<(&'t AccountRef, &'t str), Vec<usize>> {
    let mut groups: HashMap<(&AccountRef, &str), Vec<usize>> = HashMap::new();
    for (i, t) in transfers.iter().enumerate() {
        groups
            .entry((side(t), t.asset.as_str()))
            .or_default()
            .push(i);
    }
    for list in groups.values_mut() {
        list.sort_by_key(|&i| (transfers[i].time, i));
    }
    groups
}

/// Fan-in: for each receiving account, the window with the most distinct
/// senders; flagged when they reach `fan_in_min_senders`. The score grows
/// with the senders beyond the minimum and with how alike the amounts are
/// (the same "fee" paid by everyone).
pub fn fan_in(transfers: &[Transfer], config: &FlagConfig) -> Vec<Flag> {
    let mut flags = Vec::new();
    for ((account, asset), list) in by_account(transfers, |t| &t.to) {
        let mut best: Option<(usize, usize, usize)> = None; // (senders, start, end)
        let mut start = 0;
        let mut counts: HashMap<&AccountRef, usize> = HashMap::new();
        for end in 0..list.len() {
            *counts.entry(&transfers[list[end]].from).or_default() += 1;
            while transfers[list[end]].time - transfers[list[start]].time > config.fan_in_window {
                let sender = &transfers[list[start]].from;
                if let Some(n) = counts.get_mut(sender) {
                    *n -= 1;
                    if *n == 0 {
                        counts.remove(sender);
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
        let window: Vec<usize> = list[s..=e].to_vec();
        let amounts: Vec<Amount> = window.iter().map(|&i| transfers[i].amount).collect();
        let mut distinct: Vec<Amount> = amounts.clone();
        distinct.sort();
        distinct.dedup();
        let repeated = 1.0 - (distinct.len() as f64 - 1.0) / amounts.len().max(1) as f64;
        let breadth = (senders as f64 / (2.0 * config.fan_in_min_senders as f64)).min(1.0);
        let score = (0.6 * breadth + 0.4 * repeated.clamp(0.0, 1.0)).clamp(0.0, 1.0);
        let total: Amount = amounts.iter().copied().sum();
        let from = transfers[window[0]].time;
        let until = transfers[window[window.len() - 1]].time;
        flags.push(Flag {
            kind: FlagKind::FanIn,
            account: account.clone(),
            asset: asset.to_owned(),
            score,
            explanation: format!(
                "{senders} distinct senders paid {} {asset} in {} transfers within {:.1} h \
                 ({} distinct amounts)",
                total,
                window.len(),
                (until - from).num_minutes() as f64 / 60.0,
                distinct.len()
            ),
            transfers: window,
            tx_ids: Vec::new(),
            from,
            until,
        });
    }
    flags.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.account.cmp(&b.account)));
    flags
}

/// Pass-through: arrivals are matched first-in first-out against what
/// leaves the account; the share of arrivals that left within
/// `pass_through_window` of arriving is the score's basis.
pub fn pass_through(transfers: &[Transfer], config: &FlagConfig) -> Vec<Flag> {
    let incoming = by_account(transfers, |t| &t.to);
    let outgoing = by_account(transfers, |t| &t.from);
    let mut flags = Vec::new();
    for (key, ins) in &incoming {
        let Some(outs) = outgoing.get(key) else {
            continue;
        };
        if ins.len() < config.pass_through_min_arrivals {
            continue;
        }
        // Events in time order; arrivals before departures at the same
        // instant.
        let mut events: Vec<(DateTime<Utc>, bool, usize)> = ins
            .iter()
            .map(|&i| (transfers[i].time, false, i))
            .chain(outs.iter().map(|&i| (transfers[i].time, true, i)))
            .collect();
        events.sort();
        let mut lots: std::collections::VecDeque<(DateTime<Utc>, i128, usize)> = Default::default();
        let (mut fast, mut total_in) = (0i128, 0i128);
        let mut behind: BTreeSet<usize> = BTreeSet::new();
        for (at, leaving, i) in events {
            let amount = transfers[i].amount.atoms();
            if !leaving {
                total_in += amount;
                lots.push_back((at, amount, i));
                continue;
            }
            let mut need = amount;
            while need > 0 {
                let Some(lot) = lots.front_mut() else { break };
                let used = need.min(lot.1);
                if at - lot.0 <= config.pass_through_window {
                    fast += used;
                    behind.insert(lot.2);
                    behind.insert(i);
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
        let list: Vec<usize> = behind.into_iter().collect();
        let from = list
            .iter()
            .map(|&i| transfers[i].time)
            .min()
            .unwrap_or_default();
        let until = list
            .iter()
            .map(|&i| transfers[i].time)
            .max()
            .unwrap_or_default();
        flags.push(Flag {
            kind: FlagKind::PassThrough,
            account: key.0.clone(),
            asset: key.1.to_owned(),
            score: share.min(1.0),
            explanation: format!(
                "{:.0} % of the {} {} that arrived in {} transfers left again within {} h",
                share * 100.0,
                amount_of(total_in),
                key.1,
                ins.len(),
                config.pass_through_window.num_hours()
            ),
            transfers: list,
            tx_ids: Vec::new(),
            from,
            until,
        });
    }
    flags.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.account.cmp(&b.account)));
    flags
}

fn amount_of(atoms: i128) -> Amount {
    Amount::from_atoms(atoms)
}

/// Structuring: amounts a sender keeps within `structuring_margin` under
/// the asset's threshold, at least `structuring_min_count` of them within
/// the window, adding up to the threshold or more.
pub fn structuring(transfers: &[Transfer], config: &FlagConfig) -> Vec<Flag> {
    let mut flags = Vec::new();
    for ((account, asset), list) in by_account(transfers, |t| &t.from) {
        let Some(&threshold) = config.thresholds.get(asset) else {
            continue;
        };
        let floor = threshold.atoms() as f64 * (1.0 - config.structuring_margin);
        let under: Vec<usize> = list
            .iter()
            .copied()
            .filter(|&i| {
                let a = transfers[i].amount;
                a < threshold && a.atoms() as f64 >= floor
            })
            .collect();
        let mut best: Option<(usize, usize)> = None;
        let mut start = 0;
        for end in 0..under.len() {
            while transfers[under[end]].time - transfers[under[start]].time
                > config.structuring_window
            {
                start += 1;
            }
            if best.is_none_or(|(s, e)| end - start > e - s) {
                best = Some((start, end));
            }
        }
        let Some((s, e)) = best else { continue };
        let window: Vec<usize> = under[s..=e].to_vec();
        let total: Amount = window.iter().map(|&i| transfers[i].amount).sum();
        if window.len() < config.structuring_min_count || total < threshold {
            continue;
        }
        let score = (window.len() as f64 / (2.0 * config.structuring_min_count as f64)).min(1.0);
        let from = transfers[window[0]].time;
        let until = transfers[window[window.len() - 1]].time;
        flags.push(Flag {
            kind: FlagKind::Structuring,
            account: account.clone(),
            asset: asset.to_owned(),
            score,
            explanation: format!(
                "{} transfers each just under the {threshold} {asset} threshold, {total} in all, \
                 within {:.1} days",
                window.len(),
                (until - from).num_hours() as f64 / 24.0
            ),
            transfers: window,
            tx_ids: Vec::new(),
            from,
            until,
        });
    }
    flags.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.account.cmp(&b.account)));
    flags
}
