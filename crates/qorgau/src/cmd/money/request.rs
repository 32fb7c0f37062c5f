//! `qorgau money request`: a request for account and transaction data to
//! an exchange or a bank, drafted from the case (`qorgau-casework`'s
//! financial-data request): the accounts, the transfers the case already
//! holds (times in UTC, exact amounts), the legal basis and the SHA-256 of
//! the case's evidence items. The draft's hash goes into the case's chain,
//! as the server's drafts do, so what was sent can be matched later.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use qorgau_casework::Lang;
use qorgau_casework::requests::{
    Account, Draft, EvidenceFile, MoneyFacts, Period, RecipientType, RequestFacts, RequestKind,
    TransferLine, draft, money_summary,
};
use qorgau_money::bins::BinTable;
use qorgau_money::{AccountKind, AccountRef, Transfer, chain_name};
use qorgau_store::{ChangeBy, ItemFilter};
use qorgau_vault::Vault;
use serde_json::json;

use super::account_arg;
use crate::cmd::find_case;
use crate::output::{InputError, json_line};

/// At most this many evidence hashes are listed (as the server's drafts
/// do): a letter with thousands of hashes helps nobody.
const MAX_EVIDENCE: usize = 200;

/// Who receives the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Recipient {
    /// A crypto exchange or other virtual asset service provider.
    Exchange,
    /// A bank or payment institution.
    Bank,
}

/// The language of the draft (requests abroad are drafted in ru or en).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RequestLang {
    /// Russian.
    Ru,
    /// English.
    En,
}

/// Arguments of `money request`.
#[derive(Debug, clap::Args)]
pub struct RequestArgs {
    /// The case the request is drafted from.
    #[arg(long, value_name = "CASE")]
    case: String,
    /// Who receives it: exchange (asked also for deposit/withdrawal
    /// addresses and Travel Rule data) or bank.
    #[arg(long, value_enum)]
    to: Recipient,
    /// The addressee (name, department).
    #[arg(long, value_name = "NAME")]
    recipient: String,
    /// The law, treaty or order the request relies on.
    #[arg(long, value_name = "TEXT")]
    legal_basis: String,
    /// The officer to contact (name, position, phone, e-mail).
    #[arg(long, value_name = "TEXT")]
    officer: String,
    /// Accounts asked about (address, card number, IBAN or key). Default:
    /// the case's accounts with transfers in the case, wallets for an
    /// exchange, cards and bank accounts for a bank.
    #[arg(long = "account", value_name = "ACCOUNT", num_args = 1..)]
    accounts: Vec<String>,
    /// Start of the period (YYYY-MM-DD, from 00:00:00 UTC, or RFC 3339).
    /// Default: the day of the first transfer of the accounts.
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
    /// End of the period (YYYY-MM-DD, to 23:59:59 UTC, or RFC 3339).
    /// Default: now.
    #[arg(long, value_name = "DATE")]
    until: Option<String>,
    /// Language of the draft.
    #[arg(long, value_enum, default_value = "ru")]
    lang: RequestLang,
    /// The requesting agency. Default: the agency that owns the case in
    /// the early-response module.
    #[arg(long, value_name = "NAME")]
    agency: Option<String>,
    /// Statement of facts. Default: that the case holds the transfers
    /// listed, how many and when.
    #[arg(long, value_name = "TEXT")]
    facts: Option<String>,
    /// Write the draft to FILE (its SHA-256 is the one in the ledger)
    /// instead of stdout.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// One JSON object on stdout (with the text).
    #[arg(long)]
    json: bool,
}

/// Runs `money request`.
pub(super) async fn run(vault: &Vault, args: &RequestArgs) -> anyhow::Result<ExitCode> {
    let case = find_case(vault, &args.case).await?;
    let store = &vault.store;
    let transfers: Vec<Transfer> = store
        .transfers(Some(case.id))
        .await?
        .into_iter()
        .map(|(_, t)| t)
        .collect();
    let in_transfers: BTreeSet<&AccountRef> =
        transfers.iter().flat_map(|t| [&t.from, &t.to]).collect();
    let linked: BTreeSet<AccountRef> = store
        .case_accounts(case.id)
        .await?
        .into_iter()
        .map(|(a, _)| a)
        .collect();
    let accounts: Vec<AccountRef> = if args.accounts.is_empty() {
        let suits = |a: &AccountRef| match args.to {
            Recipient::Exchange => a.kind == AccountKind::Wallet,
            Recipient::Bank => a.kind != AccountKind::Wallet,
        };
        let chosen: Vec<AccountRef> = linked
            .iter()
            .filter(|a| in_transfers.contains(a) && suits(a))
            .cloned()
            .collect();
        if chosen.is_empty() {
            return Err(InputError(format!(
                "case {} has no {} with transfers in the case: import its transfers \
                 (qorgau money import … --case {}) or name accounts with --account",
                case.name.as_str(),
                match args.to {
                    Recipient::Exchange => "wallets",
                    Recipient::Bank => "cards or bank accounts",
                },
                case.name.as_str()
            ))
            .into());
        }
        chosen
    } else {
        let mut chosen = Vec::new();
        for text in &args.accounts {
            let a = account_arg(text)?;
            if !linked.contains(&a) && !in_transfers.contains(&a) {
                return Err(InputError(format!(
                    "{} is not an account of case {} (see qorgau money accounts --case {}; \
                     link it with --add)",
                    a.key(),
                    case.name.as_str(),
                    case.name.as_str()
                ))
                .into());
            }
            if !chosen.contains(&a) {
                chosen.push(a);
            }
        }
        chosen
    };
    let now = Utc::now();
    let from = args
        .from
        .as_deref()
        .map(|t| time_arg("--from", t, false))
        .transpose()?;
    let until = args
        .until
        .as_deref()
        .map(|t| time_arg("--until", t, true))
        .transpose()?
        .unwrap_or(now);
    let touching: Vec<&Transfer> = transfers
        .iter()
        .filter(|t| accounts.contains(&t.from) || accounts.contains(&t.to))
        .collect();
    let from = match from {
        Some(f) => f,
        None => touching
            .iter()
            .filter(|t| t.time <= until)
            .map(|t| t.time)
            .min()
            .map(|t| t.date_naive().and_time(NaiveTime::MIN).and_utc())
            .ok_or_else(|| {
                InputError(
                    "the accounts have no transfers in the case before --until: give the \
                     period with --from"
                        .into(),
                )
            })?,
    };
    if until < from {
        return Err(InputError(format!(
            "the period ends ({}) before it starts ({})",
            until.to_rfc3339(),
            from.to_rfc3339()
        ))
        .into());
    }
    let listed: Vec<TransferLine> = touching
        .iter()
        .filter(|t| t.time >= from && t.time <= until)
        .map(|t| TransferLine {
            tx_id: t.tx_id.clone(),
            time: t.time,
            from: t.from.value.clone(),
            to: t.to.value.clone(),
            amount: t.amount.to_string(),
            asset: t.asset.clone(),
        })
        .collect();
    let bins = super::accounts::bin_table(vault)?;
    let money = MoneyFacts {
        accounts: accounts.iter().map(|a| account_of(a, &bins)).collect(),
        transfers: listed,
    };
    let items = store
        .items(&ItemFilter {
            case_id: Some(case.id),
            ..ItemFilter::default()
        })
        .await?;
    if items.len() > MAX_EVIDENCE && !args.json {
        eprintln!(
            "note: the case has {} items; the first {MAX_EVIDENCE} are listed",
            items.len()
        );
    }
    let evidence: Vec<EvidenceFile> = items
        .into_iter()
        .take(MAX_EVIDENCE)
        .map(|i| EvidenceFile {
            file_name: i.file_name,
            sha256: i.sha256.to_hex(),
        })
        .collect();
    let lang = match args.lang {
        RequestLang::Ru => Lang::Ru,
        RequestLang::En => Lang::En,
    };
    let agency = match &args.agency {
        Some(a) => a.clone(),
        None => owning_agency(vault, case.id, lang).await?.ok_or_else(|| {
            InputError(format!(
                "case {} is not held by an agency of the early-response module: name the \
                 requesting agency with --agency",
                case.name.as_str()
            ))
        })?,
    };
    let case_ref = case.name.to_string();
    let facts_summary = match &args.facts {
        Some(f) => f.clone(),
        None => money_summary(lang, &case_ref, &money).map_err(|e| InputError(e.to_string()))?,
    };
    let recipient_type = match args.to {
        Recipient::Exchange => RecipientType::CryptoExchange,
        Recipient::Bank => RecipientType::Bank,
    };
    let facts = RequestFacts {
        case_ref,
        requesting_agency: agency,
        officer: args.officer.clone(),
        recipient: args.recipient.clone(),
        recipient_type,
        legal_basis: args.legal_basis.clone(),
        identifiers: Vec::new(),
        period: Period { from, to: until },
        evidence,
        facts_summary,
        urgency_reason: None,
        money,
    };
    let made: Draft = draft(RequestKind::FinancialData, lang, &facts, now)
        .map_err(|e| InputError(e.to_string()))?;
    let sha256 = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(made.body.as_bytes()))
    };
    if let Some(out) = &args.out {
        super::report::write_whole(out, made.body.as_bytes())?;
    }
    let account_keys: Vec<String> = accounts.iter().map(AccountRef::key).collect();
    // The same entry the server's drafts make, with what this one covers.
    store
        .record_change(
            case.id,
            json!({
                "action": "request_drafted",
                "kind": made.kind,
                "recipient": facts.recipient,
                "recipient_type": recipient_type,
                "lang": made.lang,
                "sha256": [sha256],
                "accounts": account_keys,
                "transfers": facts.money.transfers.len(),
                "evidence": facts.evidence.len(),
                "period": [from.to_rfc3339(), until.to_rfc3339()],
                "file": args.out.as_deref().map(|p| p.display().to_string()),
            }),
            ChangeBy {
                actor: &vault.actor,
                tool: &vault.tool,
                key: &vault.key,
            },
        )
        .await?;
    if args.json {
        json_line(&json!({
            "case": facts.case_ref,
            "kind": made.kind,
            "lang": made.lang,
            "title": made.title,
            "sha256": sha256,
            "file": args.out.as_deref().map(|p| p.display().to_string()),
            "accounts": account_keys,
            "transfers": facts.money.transfers.len(),
            "evidence": facts.evidence.len(),
            "period": {"from": from.to_rfc3339(), "until": until.to_rfc3339()},
            "body": made.body,
        }));
    } else if let Some(out) = &args.out {
        eprintln!(
            "wrote {} ({} accounts, {} transfers, {} evidence items; sha256 {sha256}, recorded \
             in the case's ledger)",
            out.display(),
            account_keys.len(),
            facts.money.transfers.len(),
            facts.evidence.len()
        );
    } else {
        print!("{}", made.body);
        eprintln!("sha256 {sha256}, recorded in the case's ledger");
    }
    Ok(ExitCode::SUCCESS)
}

/// A day (`YYYY-MM-DD`, its first or last second in UTC) or an RFC 3339 time.
fn time_arg(flag: &str, text: &str, end_of_day: bool) -> anyhow::Result<DateTime<Utc>> {
    let t = text.trim();
    if let Ok(day) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        let time = if end_of_day {
            NaiveTime::from_hms_opt(23, 59, 59).unwrap_or(NaiveTime::MIN)
        } else {
            NaiveTime::MIN
        };
        return Ok(day.and_time(time).and_utc());
    }
    DateTime::parse_from_rfc3339(t)
        .map(|d| d.with_timezone(&Utc))
        .map_err(|e| {
            InputError(format!(
                "{flag} {t:?}: give YYYY-MM-DD or an RFC 3339 time ({e})"
            ))
            .into()
        })
}

/// The account as the draft names it: kind, value, chain of a wallet, the
/// issuer of a card from the BIN table (the scheme at least).
fn account_of(a: &AccountRef, bins: &BinTable) -> Account {
    let issuer = (a.kind == AccountKind::Card)
        .then(|| bins.lookup(&a.value))
        .flatten()
        .map(|i| match i.issuer {
            Some(bank) => format!("{bank} ({})", i.scheme),
            None => i.scheme,
        });
    Account {
        kind: a.kind.as_str().to_owned(),
        value: a.value.clone(),
        chain: a.chain.map(|c| chain_name(c).to_owned()),
        issuer,
    }
}

/// The name of the agency that owns the case in the early-response
/// module, in the draft's language, if the case is one of its cases.
async fn owning_agency(
    vault: &Vault,
    case_id: qorgau_core::Id,
    lang: Lang,
) -> anyhow::Result<Option<String>> {
    let Some(file) = vault.store.case_file(case_id).await? else {
        return Ok(None);
    };
    Ok(vault
        .store
        .agency(file.owner_agency_id)
        .await?
        .map(|a| match lang {
            Lang::Ru => a.name_ru,
            Lang::Kk => a.name_kk,
            Lang::En => a.name_en,
        })
        .filter(|n| !n.trim().is_empty()))
}
