//! `qorgau money accounts`: every card, IBAN and wallet with where it was
//! seen — the ads (monitored documents) that carry it, the cases whose keys
//! name it, the imports it came in, entries by hand — and what is known of
//! it: a card's issuer from the BIN table, a label from the imported
//! lists, a privacy coin.

use std::process::ExitCode;

use qorgau_money::bins::BinTable;
use qorgau_money::labels::is_privacy_coin;
use qorgau_money::{AccountKind, AccountRef};
use qorgau_store::AccountLink;
use qorgau_vault::Vault;
use serde_json::{Value, json};

use super::{account_arg, scope};
use crate::output::{InputError, json_line};

/// Arguments of `money accounts`.
#[derive(Debug, clap::Args)]
pub struct AccountsArgs {
    /// One account (address, card number, IBAN or key); without it, the
    /// accounts of `--case`.
    account: Option<String>,
    /// The case whose accounts to list (or to link the account to with `--add`).
    #[arg(long, value_name = "CASE")]
    case: Option<String>,
    /// Link ACCOUNT to `--case` by hand (an account named by a witness, a
    /// bank's answer).
    #[arg(long, requires_all = ["account", "case"])]
    add: bool,
    /// Why, for `--add`.
    #[arg(long, requires = "add")]
    note: Option<String>,
    /// Link the accounts found in documents stored before accounts were
    /// linked as documents are written.
    #[arg(long, conflicts_with_all = ["account", "add"])]
    relink: bool,
    /// JSON output.
    #[arg(long)]
    json: bool,
}

/// Runs `money accounts`.
pub async fn run(vault: &Vault, args: &AccountsArgs) -> anyhow::Result<ExitCode> {
    if args.relink {
        let added = vault.store.relink_document_accounts().await?;
        if args.json {
            json_line(&json!({ "links_added": added }));
        } else {
            println!("{added} links from documents to accounts added");
        }
        if args.case.is_none() {
            return Ok(ExitCode::SUCCESS);
        }
    }
    let case_id = scope(vault, args.case.as_deref()).await?;
    let bins = bin_table(vault)?;
    let labels = vault.store.labels().await?;
    let describe = |account: &AccountRef, links: &[AccountLink]| -> Value {
        let issuer = (account.kind == AccountKind::Card)
            .then(|| bins.lookup(&account.value))
            .flatten();
        json!({
            "account": account.key(),
            "kind": account.kind.as_str(),
            "chain": account.chain.map(qorgau_money::chain_name),
            "value": account.value,
            "issuer": issuer,
            "label": labels.get(&account.key()),
            "privacy_coin": account.chain.is_some_and(is_privacy_coin),
            "documents": links.iter().filter(|l| l.kind == "document").count(),
            "links": links,
        })
    };
    if let Some(text) = &args.account {
        let account = account_arg(text)?;
        if args.add {
            let Some(case) = case_id else {
                return Err(InputError("--add needs --case".into()).into());
            };
            let by = &vault.actor.user;
            let new = vault
                .store
                .link_account(
                    &account,
                    "manual",
                    &format!("{case}:{by}"),
                    Some(case),
                    args.note.as_deref(),
                )
                .await?;
            if !args.json {
                println!(
                    "{} {} case {}",
                    account.key(),
                    if new {
                        "linked to"
                    } else {
                        "was already linked by you to"
                    },
                    args.case.as_deref().unwrap_or("")
                );
            }
        }
        let links = vault.store.account_links(&account.key()).await?;
        let d = describe(&account, &links);
        if args.json {
            json_line(&d);
        } else {
            print_account(&d);
        }
        return Ok(ExitCode::SUCCESS);
    }
    let Some(case) = case_id else {
        return Err(
            InputError("name an account, or give --case to list a case's accounts".into()).into(),
        );
    };
    let accounts = vault.store.case_accounts(case).await?;
    for (account, links) in &accounts {
        let d = describe(account, links);
        if args.json {
            json_line(&d);
        } else {
            print_account(&d);
        }
    }
    if accounts.is_empty() && !args.json {
        println!("no accounts linked to the case yet");
    }
    Ok(ExitCode::SUCCESS)
}

/// The agency's issuer table, `<data-dir>/bins.csv` (schemes alone without it).
pub(super) fn bin_table(vault: &Vault) -> anyhow::Result<BinTable> {
    let mut table = BinTable::default();
    let own = vault.data_dir.join("bins.csv");
    if own.exists() {
        let text = std::fs::read_to_string(&own)
            .map_err(|e| InputError(format!("cannot read {}: {e}", own.display())))?;
        let errors = table.extend_csv(&text);
        if let Some(e) = errors.first() {
            return Err(InputError(format!("{}:{e}", own.display())).into());
        }
    }
    Ok(table)
}

fn print_account(d: &Value) {
    let s = |v: &Value| v.as_str().unwrap_or("").to_owned();
    let mut line = s(&d["account"]);
    if let Some(i) = d["issuer"].as_object() {
        line.push_str(&format!(
            "  [{} {} {}]",
            i.get("scheme").and_then(Value::as_str).unwrap_or(""),
            i.get("issuer")
                .and_then(Value::as_str)
                .unwrap_or("issuer unknown"),
            i.get("country").and_then(Value::as_str).unwrap_or("")
        ));
    }
    if let Some(l) = d["label"].as_object() {
        line.push_str(&format!(
            "  label: {}",
            l.get("label").and_then(Value::as_str).unwrap_or("")
        ));
    }
    if d["privacy_coin"].as_bool() == Some(true) {
        line.push_str("  PRIVACY COIN (prohibited in Kazakhstan)");
    }
    println!("{line}");
    for l in d["links"].as_array().into_iter().flatten() {
        println!(
            "    {:<8} {}  {}  {}",
            s(&l["kind"]),
            s(&l["id"]),
            s(&l["first_seen"]),
            s(&l["note"])
        );
    }
}
