//! `qorgau money flags` and `qorgau money clusters`: every red flag of a
//! case with the transfers (and transactions) behind it, and the accounts
//! it involves linked to the ads they appear in; Bitcoin addresses spent
//! together.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use qorgau_money::bitcoin::cluster::clusters as find_clusters;
use qorgau_money::{AccountRef, Flag, Transfer};
use qorgau_store::AccountLink;
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

/// Every flag of the scope, strongest first, computed by
/// [`qorgau_money::all_flags`] (the server's money flags use the same
/// function) from the scope's transfers, Bitcoin transactions, the label
/// lists and, for a case, the accounts linked to it.
pub(super) async fn all_flags(
    vault: &Vault,
    case_id: Option<qorgau_core::Id>,
    config: &qorgau_money::FlagConfig,
) -> anyhow::Result<(Vec<String>, Vec<Transfer>, Vec<Flag>)> {
    let stored = vault.store.transfers(case_id).await?;
    let (keys, transfers): (Vec<String>, Vec<Transfer>) = stored.into_iter().unzip();
    let btc = vault.store.btc_txs(case_id).await?;
    let labels = vault.store.labels().await?;
    let linked: Vec<(AccountRef, Vec<DateTime<Utc>>)> = match case_id {
        Some(case) => vault
            .store
            .case_accounts(case)
            .await?
            .into_iter()
            .map(|(account, links)| {
                let times = links
                    .iter()
                    .filter_map(AccountLink::first_seen_at)
                    .collect();
                (account, times)
            })
            .collect(),
        None => Vec::new(),
    };
    let all = qorgau_money::all_flags(&transfers, &btc, &labels, &linked, config);
    Ok((keys, transfers, all))
}

/// The keys of the accounts a flag involves: its own and both sides of
/// its transfers.
fn involved(f: &Flag, transfers: &[Transfer]) -> BTreeSet<String> {
    let mut keys = BTreeSet::from([f.account.key()]);
    for &i in &f.transfers {
        keys.insert(transfers[i].from.key());
        keys.insert(transfers[i].to.key());
    }
    keys
}

pub(super) async fn flags(vault: &Vault, args: &FlagsArgs) -> anyhow::Result<ExitCode> {
    let case_id = scope(vault, args.case.as_deref()).await?;
    let config = config(vault, args.config.as_deref())?;
    let (keys, transfers, all) = all_flags(vault, case_id, &config).await?;
    // Where each account of a flag appears (the ads its senders answered).
    let mut documents: BTreeMap<String, Vec<(String, Option<String>)>> = BTreeMap::new();
    for f in &all {
        for key in involved(f, &transfers) {
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
        let involved = involved(f, &transfers);
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
