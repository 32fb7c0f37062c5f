//! `qorgau money flags` and `qorgau money clusters`: every red flag of a
//! case with the transfers (and transactions) behind it, and the accounts
//! it involves linked to the ads they appear in; Bitcoin addresses spent
//! together.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use qorgau_money::bitcoin::cluster::clusters as find_clusters;
use qorgau_money::bitcoin::flags::{coinjoin_flags, peel_chain_flags};
use qorgau_money::labels::{label_exposure, privacy_coin_flags};
use qorgau_money::{AccountRef, Flag, Transfer};
use qorgau_vault::Vault;
use serde_json::json;

use super::{config, scope};
use crate::output::json_line;

/// Arguments of `money flags`.
#[derive(Debug, clap::Args)]
pub struct FlagsArgs {
    /// Only this case's transfers (default: those imported without a case).
    #[arg(long, value_name = "CASE")]
    case: Option<String>,
    /// Thresholds (default: `<data-dir>/money.toml` if it exists, else the
    /// built-in ones).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// One JSON object per flag on stdout.
    #[arg(long)]
    json: bool,
}

/// Arguments of `money clusters`.
#[derive(Debug, clap::Args)]
pub struct ClustersArgs {
    /// Only this case's transactions (default: those imported without a case).
    #[arg(long, value_name = "CASE")]
    case: Option<String>,
    /// One JSON object per cluster on stdout.
    #[arg(long)]
    json: bool,
}

/// When an account was first and last seen, and its transfers.
type Seen = (DateTime<Utc>, DateTime<Utc>, Vec<usize>);

/// Every flag of the scope, strongest first.
pub(super) async fn all_flags(
    vault: &Vault,
    case_id: Option<qorgau_core::Id>,
    config: &qorgau_money::FlagConfig,
) -> anyhow::Result<(Vec<String>, Vec<Transfer>, Vec<Flag>)> {
    let stored = vault.store.transfers(case_id).await?;
    let (keys, transfers): (Vec<String>, Vec<Transfer>) = stored.into_iter().unzip();
    let btc = vault.store.btc_txs(case_id).await?;
    let labels = vault.store.labels().await?;
    let mut all: Vec<Flag> = qorgau_money::fan_in(&transfers, config);
    all.extend(qorgau_money::pass_through(&transfers, config));
    all.extend(qorgau_money::structuring(&transfers, config));
    all.extend(peel_chain_flags(&btc, &transfers, config));
    all.extend(coinjoin_flags(&btc, &transfers));
    all.extend(label_exposure(&transfers, &labels, config));
    // Privacy coins: the accounts of the transfers and of the case.
    let mut seen: BTreeMap<AccountRef, Seen> = BTreeMap::new();
    for (i, t) in transfers.iter().enumerate() {
        for a in [&t.from, &t.to] {
            let e = seen
                .entry(a.clone())
                .or_insert((t.time, t.time, Vec::new()));
            e.0 = e.0.min(t.time);
            e.1 = e.1.max(t.time);
            e.2.push(i);
        }
    }
    if let Some(case) = case_id {
        for (account, links) in vault.store.case_accounts(case).await? {
            let times: Vec<DateTime<Utc>> = links
                .iter()
                .filter_map(|l| DateTime::parse_from_rfc3339(&l.first_seen).ok())
                .map(|t| t.with_timezone(&Utc))
                .collect();
            if let (Some(first), Some(last)) = (times.iter().min(), times.iter().max()) {
                seen.entry(account).or_insert((*first, *last, Vec::new()));
            }
        }
    }
    all.extend(privacy_coin_flags(
        seen.iter().map(|(a, (f, l, ids))| (a, *f, *l, ids.clone())),
    ));
    all.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.kind.cmp(&b.kind)));
    Ok((keys, transfers, all))
}

pub(super) async fn flags(vault: &Vault, args: &FlagsArgs) -> anyhow::Result<ExitCode> {
    let case_id = scope(vault, args.case.as_deref()).await?;
    let config = config(vault, args.config.as_deref())?;
    let (keys, transfers, all) = all_flags(vault, case_id, &config).await?;
    // Where each account of a flag appears (the ads its senders answered).
    let mut documents: BTreeMap<String, Vec<(String, Option<String>)>> = BTreeMap::new();
    for f in &all {
        let mut involved: BTreeSet<&AccountRef> = BTreeSet::from([&f.account]);
        for &i in &f.transfers {
            involved.insert(&transfers[i].from);
            involved.insert(&transfers[i].to);
        }
        for a in involved {
            let key = a.key();
            if documents.contains_key(&key) {
                continue;
            }
            let links = vault.store.account_links(&key).await?;
            documents.insert(
                key,
                links
                    .into_iter()
                    .filter(|l| l.kind == "document")
                    .map(|l| (l.id, l.note))
                    .collect(),
            );
        }
    }
    for f in &all {
        let mut involved: BTreeSet<String> = BTreeSet::from([f.account.key()]);
        for &i in &f.transfers {
            involved.insert(transfers[i].from.key());
            involved.insert(transfers[i].to.key());
        }
        let in_documents: BTreeMap<&String, &Vec<(String, Option<String>)>> = involved
            .iter()
            .filter_map(|k| documents.get(k).filter(|d| !d.is_empty()).map(|d| (k, d)))
            .collect();
        if args.json {
            json_line(&json!({
                "kind": f.kind.as_str(),
                "account": f.account.key(),
                "asset": f.asset,
                "score": (f.score * 1000.0).round() / 1000.0,
                "transfers": f.transfers.iter().filter_map(|&i| keys.get(i)).collect::<Vec<_>>(),
                "tx_ids": f.tx_ids,
                "from": f.from.to_rfc3339(),
                "until": f.until.to_rfc3339(),
                "explanation": f.explanation,
                "documents": in_documents.iter().map(|(k, d)| {
                    let list: Vec<serde_json::Value> =
                        d.iter().map(|(id, note)| json!({"id": id, "note": note})).collect();
                    ((*k).clone(), serde_json::Value::Array(list))
                }).collect::<serde_json::Map<String, serde_json::Value>>(),
            }));
        } else {
            println!(
                "{:<14} {:.2}  {}  {}",
                f.kind.as_str(),
                f.score,
                f.account.key(),
                f.explanation
            );
            for (k, d) in &in_documents {
                for (id, note) in d.iter() {
                    println!(
                        "               ↳ {k} appears in document {id} {}",
                        note.as_deref().unwrap_or("")
                    );
                }
            }
        }
    }
    if all.is_empty() && !args.json {
        println!("no red flags in {} transfers", transfers.len());
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) async fn clusters(vault: &Vault, args: &ClustersArgs) -> anyhow::Result<ExitCode> {
    let case_id = scope(vault, args.case.as_deref()).await?;
    let btc = vault.store.btc_txs(case_id).await?;
    let found = find_clusters(&btc);
    for (n, c) in found.iter().enumerate() {
        if args.json {
            json_line(&json!({
                "cluster": n + 1,
                "addresses": c.addresses.iter().map(AccountRef::key).collect::<Vec<_>>(),
                "tx_ids": c.tx_ids,
            }));
        } else {
            println!(
                "cluster {}: {} addresses spent together in {} transaction(s)",
                n + 1,
                c.addresses.len(),
                c.tx_ids.len()
            );
            for a in &c.addresses {
                println!("  {}", a.value);
            }
            for t in &c.tx_ids {
                println!("  tx {t}");
            }
        }
    }
    if found.is_empty() && !args.json {
        println!(
            "no addresses spent together in {} Bitcoin transactions (CoinJoins are not counted)",
            btc.len()
        );
    }
    Ok(ExitCode::SUCCESS)
}
