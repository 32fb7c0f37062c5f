//! The money of a case over the API, for the web workspace: its red flags,
//! transfers, accounts and the flow graph around an account, and accounts
//! linked to the case by hand.
//!
//! Who sees it: a role with [`Permission::ReadMoney`] (police and
//! prosecutors; never social or NGO workers), checked before the case is
//! looked at; then the case's access rule ([`load`]: 404 to an agency with
//! no part in the case), and within it the identifiers scope — the scope a
//! referral gives for financial monitoring and link analysis (the FIU gets
//! only that one). Every read is a `read` entry on the case's chain
//! (`money_flags`, `money_transfers`, `money_accounts`, `money_graph`); a
//! link by hand is a `changed` entry written with the link in one
//! transaction ([`qorgau_store::Store::link_case_account`]).
//!
//! Flags are computed as `qorgau money flags` computes them, by the same
//! function ([`qorgau_money::all_flags`]) over the same data, with the
//! thresholds of `<data-dir>/money.toml` when there is one. An account's
//! links are those of this case only: a link to another case would tell
//! the caller that case exists, and links to monitored documents are shown
//! for documents attached to this case, to those who see its operational
//! part (a document is an ad's URL and text, not an identifier).

use std::collections::{BTreeSet, HashMap};

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use chrono::{DateTime, Utc};
use qorgau_core::Timestamp;
use qorgau_money::flow::{Direction, FlowGraph};
use qorgau_money::labels::{Label, is_privacy_coin};
use qorgau_money::{AccountRef, FlagConfig, Transfer, chain_name};
use qorgau_response::{Permission, check_text};
use qorgau_routing::Scope;
use qorgau_store::{AccountLink, ChangeBy};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::cases::{Loaded, load, record_read, require_edit};
use crate::auth::Principal;
use crate::error::{ApiError, ErrorBody};
use crate::flow::actor_of;
use crate::json::Body;
use crate::state::AppState;

/// Longest account text accepted (the longest key is a wallet's, well
/// under this).
const ACCOUNT_MAX: usize = 200;
/// Longest note on a link by hand.
const NOTE_MAX: usize = 1000;
/// Most hops of the flow graph: beyond five transfers away an account says
/// little about this case, and the graph of a busy exchange would be huge.
const MAX_HOPS: u32 = 5;

/// A red flag, as `qorgau money flags --json` prints it.
#[derive(Debug, Serialize, ToSchema)]
pub struct FlagView {
    /// fan_in, pass_through, structuring, peel_chain, coinjoin,
    /// label_exposure or privacy_coin.
    pub kind: String,
    /// The account it is about (key, `wallet:tron:T…`).
    pub account: String,
    /// The asset (`USDT`, `BTC`, `KZT`).
    pub asset: String,
    /// 0–1, rounded to three decimals: how strongly the pattern shows.
    pub score: f64,
    /// The transfers behind it, by key (those of `…/money/transfers`).
    pub transfers: Vec<String>,
    /// Transactions behind it that are not transfers (a CoinJoin, the hops
    /// of a peel chain).
    pub tx_ids: Vec<String>,
    /// Start of the window (UTC).
    pub from: String,
    /// End of the window (UTC).
    pub until: String,
    /// What was seen, in words.
    pub explanation: String,
}

/// A transfer of the case.
#[derive(Debug, Serialize, ToSchema)]
pub struct TransferView {
    /// Its key: the same movement imported twice has one.
    pub key: String,
    /// Transaction id or bank reference, where the source gives one.
    pub tx_id: Option<String>,
    /// When (UTC).
    pub time: String,
    /// The same instant in Asia/Almaty.
    pub time_local: String,
    /// Sender (account key).
    pub from: String,
    /// Receiver (account key).
    pub to: String,
    /// Exact decimal text (never a float: token amounts have 18 decimals).
    pub amount: String,
    /// Asset or currency.
    pub asset: String,
    /// tron-csv, erc20-csv, bank-csv or btc-json.
    pub source: String,
    /// Line of the imported file (1-based, the header is 1).
    pub line: u64,
}

impl TransferView {
    fn of(key: &str, t: &Transfer) -> Self {
        let at = Timestamp::from_datetime(t.time);
        Self {
            key: key.to_owned(),
            tx_id: t.tx_id.clone(),
            time: at.to_utc_string(),
            time_local: at.to_almaty_string(),
            from: t.from.key(),
            to: t.to.key(),
            amount: t.amount.to_string(),
            asset: t.asset.clone(),
            source: t.source.as_str().to_owned(),
            line: t.line,
        }
    }
}

/// A page of transfers.
#[derive(Debug, Serialize, ToSchema)]
pub struct TransferPage {
    /// How many match in all.
    pub total: u64,
    /// The page, in time order.
    pub transfers: Vec<TransferView>,
}

/// Which transfers.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TransferQuery {
    /// Only those from or to this account (key, wallet address, card or
    /// IBAN).
    pub account: Option<String>,
    /// At most this many (default 200, at most 1000).
    pub limit: Option<u32>,
    /// Skip this many (default 0).
    pub offset: Option<u32>,
}

/// A label an imported list gives an account.
#[derive(Debug, Serialize, ToSchema)]
pub struct LabelView {
    /// What it is ("Sanctioned: …", "Mixer …").
    pub label: String,
    /// Category (`sanctioned`, `mixer`, `exchange`, `scam`…).
    pub category: Option<String>,
    /// Where the attribution comes from.
    pub source: Option<String>,
    /// Kind of abuse, where the list says.
    pub abuse: Option<String>,
}

/// Where an account was seen in this case.
#[derive(Debug, Serialize, ToSchema)]
pub struct LinkView {
    /// document, case (a case key), import or manual.
    pub kind: String,
    /// The document, case or import id; for manual, `CASE:USER`.
    pub id: String,
    /// A note (the document's URL; the reason given by hand).
    pub note: Option<String>,
    /// When first seen (UTC).
    pub first_seen: String,
}

/// An account of the case.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountView {
    /// Key (`card:…`, `iban:…`, `wallet:btc:…`, `bank_account:…`).
    pub account: String,
    /// wallet, card, iban or bank_account.
    pub kind: String,
    /// Chain, for wallets (btc, eth, tron, ltc, xmr, zec, ton).
    pub chain: Option<String>,
    /// Canonical value.
    pub value: String,
    /// A label from the imported lists, if any.
    pub label: Option<LabelView>,
    /// A Monero or Zcash address (prohibited in Kazakhstan).
    pub privacy_coin: bool,
    /// Where it was seen in this case, oldest first.
    pub links: Vec<LinkView>,
}

/// An account linked by hand.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAccountLink {
    /// A key (`card:…`, `wallet:btc:…`, `bank_account:NAME`), a wallet
    /// address with a valid checksum, a Luhn-valid card number or a Kazakh
    /// IBAN.
    pub account: String,
    /// Why (an account named by a witness, a bank's answer).
    pub note: Option<String>,
}

/// The result of a link by hand.
#[derive(Debug, Serialize, ToSchema)]
pub struct LinkedAccount {
    /// false when the caller had already linked this account to the case.
    pub added: bool,
    /// The account with its links in this case.
    pub account: AccountView,
}

/// The flow graph's options.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GraphQuery {
    /// The account at the centre (key, wallet address, card or IBAN).
    // A missing one is answered by the handler (a JSON 400), not by the
    // query's deserialiser.
    #[serde(default)]
    #[param(required = true)]
    pub account: String,
    /// How many transfers away (1 to 5, default 2).
    #[param(minimum = 1, maximum = 5)]
    pub hops: Option<u32>,
    /// Which way to follow the money (default both).
    pub direction: Option<FlowDirection>,
}

/// Which way to follow the money from the centre.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FlowDirection {
    /// Where its money came from.
    In,
    /// Where its money went.
    Out,
    /// Both.
    Both,
}

/// An account in the graph.
#[derive(Debug, Serialize, ToSchema)]
pub struct GraphNode {
    /// Node id: the account's key.
    pub id: String,
    /// wallet, card, iban or bank_account.
    pub kind: String,
    /// Chain, for wallets.
    pub chain: Option<String>,
    /// Canonical value.
    pub value: String,
    /// Transfers from the centre (0 for the centre).
    pub hops: u32,
    /// A label from the imported lists, if any.
    pub label: Option<String>,
}

/// Money from one account to another in one asset.
#[derive(Debug, Serialize, ToSchema)]
pub struct GraphEdge {
    /// Sender's node id.
    pub source: String,
    /// Receiver's node id.
    pub target: String,
    /// Asset.
    pub asset: String,
    /// Transfers behind it.
    pub count: u64,
    /// Exact total, decimal text.
    pub total: String,
    /// First transfer (UTC).
    pub first: String,
    /// Last transfer (UTC).
    pub last: String,
    /// The transfers, by key.
    pub transfers: Vec<String>,
}

/// The flows around an account.
#[derive(Debug, Serialize, ToSchema)]
pub struct FlowGraphView {
    /// The centre's key.
    pub account: String,
    /// Hops followed.
    pub hops: u32,
    /// The direction followed.
    pub direction: FlowDirection,
    /// Accounts, the centre first, then by distance.
    pub nodes: Vec<GraphNode>,
    /// Flows among them.
    pub edges: Vec<GraphEdge>,
}

/// The caller may read money and sees the case with its identifiers.
/// The permission is checked before the case is loaded, so that a role
/// without it gets 403 whether or not the case exists.
async fn load_money(state: &AppState, principal: &Principal, id: &str) -> Result<Loaded, ApiError> {
    principal.require(Permission::ReadMoney)?;
    let loaded = load(state, principal, id).await?;
    require_identifiers(&loaded)?;
    Ok(loaded)
}

fn require_identifiers(loaded: &Loaded) -> Result<(), ApiError> {
    if loaded.access.sees(Scope::Identifiers) {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "your access to this case does not include its identifiers and money".into(),
        ))
    }
}

/// A query string the handler could not read, as a JSON 400 — read after
/// the permission and the case are checked, so that a malformed query
/// tells nobody more than a well-formed one.
fn query<T>(q: Result<Query<T>, QueryRejection>) -> Result<T, ApiError> {
    q.map(|Query(v)| v)
        .map_err(|e| ApiError::BadRequest(format!("query: {}", e.body_text())))
}

/// An account as the caller typed it, or 400.
fn account_input(text: &str) -> Result<AccountRef, ApiError> {
    let t = check_text("account", text, ACCOUNT_MAX)
        .map_err(|e| ApiError::BadRequest(e.to_string()))?;
    AccountRef::parse_input(&t).ok_or_else(|| {
        ApiError::BadRequest(format!(
            "{t:?} is not an account: give a wallet address (valid checksum), a card number \
             (Luhn-valid), a Kazakh IBAN, or a key such as bank_account:NAME"
        ))
    })
}

/// The thresholds: `<data-dir>/money.toml` if the administrator put one
/// there, else the defaults (as `qorgau money flags` without `--config`).
/// A broken file is a server error, logged with its line and column: the
/// caller cannot fix it, and flags under thresholds nobody chose would
/// mislead.
fn flag_config(data_dir: &std::path::Path) -> Result<FlagConfig, ApiError> {
    let path = data_dir.join("money.toml");
    match std::fs::read_to_string(&path) {
        Ok(text) => FlagConfig::from_toml(&text, &path.display().to_string())
            .map_err(|e| ApiError::Internal(e.to_string())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(FlagConfig::default()),
        Err(e) => Err(ApiError::Internal(format!(
            "cannot read {}: {e}",
            path.display()
        ))),
    }
}

fn utc(t: DateTime<Utc>) -> String {
    Timestamp::from_datetime(t).to_utc_string()
}

/// The case's red flags, strongest first; the read is recorded.
#[utoipa::path(get, path = "/api/cases/{id}/money/flags", tag = "money",
    params(("id" = String, Path, description = "Case id")),
    responses(
        (status = 200, description = "Flags", body = Vec<FlagView>),
        (status = 400, description = "Invalid id", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed, or no access to the case's identifiers", body = ErrorBody),
        (status = 404, description = "No such case, or not yours to see", body = ErrorBody),
    ))]
pub async fn flags(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
) -> Result<Json<Vec<FlagView>>, ApiError> {
    let loaded = load_money(&state, &principal, &id).await?;
    let case_id = loaded.case.case.id;
    let store = &state.vault.store;
    let (keys, transfers): (Vec<String>, Vec<Transfer>) =
        store.transfers(Some(case_id)).await?.into_iter().unzip();
    let btc = store.btc_txs(Some(case_id)).await?;
    let labels = store.labels().await?;
    let linked: Vec<(AccountRef, Vec<DateTime<Utc>>)> = store
        .case_accounts(case_id)
        .await?
        .into_iter()
        .map(|(account, links)| {
            let times = links
                .iter()
                .filter_map(AccountLink::first_seen_at)
                .collect();
            (account, times)
        })
        .collect();
    let data_dir = state.vault.data_dir.clone();
    // The detectors are CPU work over every transfer of the case: off the
    // request threads.
    let views = tokio::task::spawn_blocking(move || {
        let config = flag_config(&data_dir)?;
        let all = qorgau_money::all_flags(&transfers, &btc, &labels, &linked, &config);
        Ok::<_, ApiError>(
            all.into_iter()
                .map(|f| FlagView {
                    kind: f.kind.as_str().to_owned(),
                    account: f.account.key(),
                    asset: f.asset,
                    score: (f.score * 1000.0).round() / 1000.0,
                    transfers: f
                        .transfers
                        .iter()
                        .filter_map(|&i| keys.get(i).cloned())
                        .collect(),
                    tx_ids: f.tx_ids,
                    from: utc(f.from),
                    until: utc(f.until),
                    explanation: f.explanation,
                })
                .collect::<Vec<_>>(),
        )
    })
    .await
    .map_err(|e| ApiError::Internal(e.to_string()))??;
    record_read(&state, &principal, &loaded, "money_flags").await?;
    Ok(Json(views))
}

/// The case's transfers in time order, optionally only those touching one
/// account, a page at a time; the read is recorded.
#[utoipa::path(get, path = "/api/cases/{id}/money/transfers", tag = "money",
    params(("id" = String, Path, description = "Case id"), TransferQuery),
    responses(
        (status = 200, description = "Transfers", body = TransferPage),
        (status = 400, description = "Invalid id or account", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed, or no access to the case's identifiers", body = ErrorBody),
        (status = 404, description = "No such case, or not yours to see", body = ErrorBody),
    ))]
pub async fn transfers(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
    q: Result<Query<TransferQuery>, QueryRejection>,
) -> Result<Json<TransferPage>, ApiError> {
    let loaded = load_money(&state, &principal, &id).await?;
    let q = query(q)?;
    let account = q.account.as_deref().map(account_input).transpose()?;
    let limit = q.limit.unwrap_or(200).clamp(1, 1000) as usize;
    let offset = q.offset.unwrap_or(0) as usize;
    let stored = state
        .vault
        .store
        .transfers(Some(loaded.case.case.id))
        .await?;
    let matching: Vec<&(String, Transfer)> = stored
        .iter()
        .filter(|(_, t)| account.as_ref().is_none_or(|a| t.from == *a || t.to == *a))
        .collect();
    let page = TransferPage {
        total: matching.len() as u64,
        transfers: matching
            .iter()
            .skip(offset)
            .take(limit)
            .map(|(k, t)| TransferView::of(k, t))
            .collect(),
    };
    record_read(&state, &principal, &loaded, "money_transfers").await?;
    Ok(Json(page))
}

/// What is needed to show accounts with only this case's links.
struct AccountContext {
    case: String,
    /// Documents attached to the case, when the caller sees its
    /// operational part (else none are shown).
    documents: BTreeSet<String>,
    labels: HashMap<String, Label>,
}

impl AccountContext {
    async fn of(state: &AppState, loaded: &Loaded) -> Result<Self, ApiError> {
        let store = &state.vault.store;
        let case_id = loaded.case.case.id;
        let mut documents = BTreeSet::new();
        if loaded.access.sees(Scope::Operational) {
            let mut offset = 0u64;
            loop {
                let (page, total) = store.case_documents(case_id, 1000, offset).await?;
                let n = page.len() as u64;
                documents.extend(page.into_iter().map(|d| d.id.to_string()));
                offset += n;
                if n == 0 || offset >= total {
                    break;
                }
            }
        }
        Ok(Self {
            case: case_id.to_string(),
            documents,
            labels: store.labels().await?,
        })
    }

    fn view(&self, account: &AccountRef, links: &[AccountLink]) -> AccountView {
        let key = account.key();
        AccountView {
            label: self.labels.get(&key).map(|l| LabelView {
                label: l.label.clone(),
                category: l.category.clone(),
                source: l.source.clone(),
                abuse: l.abuse.clone(),
            }),
            account: key,
            kind: account.kind.as_str().to_owned(),
            chain: account.chain.map(|c| chain_name(c).to_owned()),
            value: account.value.clone(),
            privacy_coin: account.chain.is_some_and(is_privacy_coin),
            links: links
                .iter()
                .filter(|l| {
                    if l.kind == "document" {
                        self.documents.contains(&l.id)
                    } else {
                        l.case_id.as_deref() == Some(self.case.as_str())
                    }
                })
                .map(|l| LinkView {
                    kind: l.kind.clone(),
                    id: l.id.clone(),
                    note: l.note.clone(),
                    first_seen: l.first_seen.clone(),
                })
                .collect(),
        }
    }
}

/// The case's accounts (from its keys, imports, documents and links by
/// hand) with their labels and their links in this case; the read is
/// recorded.
#[utoipa::path(get, path = "/api/cases/{id}/money/accounts", tag = "money",
    params(("id" = String, Path, description = "Case id")),
    responses(
        (status = 200, description = "Accounts", body = Vec<AccountView>),
        (status = 400, description = "Invalid id", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed, or no access to the case's identifiers", body = ErrorBody),
        (status = 404, description = "No such case, or not yours to see", body = ErrorBody),
    ))]
pub async fn accounts(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
) -> Result<Json<Vec<AccountView>>, ApiError> {
    let loaded = load_money(&state, &principal, &id).await?;
    let context = AccountContext::of(&state, &loaded).await?;
    let accounts = state.vault.store.case_accounts(loaded.case.case.id).await?;
    let views = accounts
        .iter()
        .map(|(account, links)| context.view(account, links))
        .collect();
    record_read(&state, &principal, &loaded, "money_accounts").await?;
    Ok(Json(views))
}

/// Links an account to the case by hand (an account named by a witness, a
/// bank's answer); the link and its `changed` entry are one transaction.
#[utoipa::path(post, path = "/api/cases/{id}/money/accounts", tag = "money",
    params(("id" = String, Path, description = "Case id")),
    request_body = NewAccountLink,
    responses(
        (status = 200, description = "Linked (added is false when you had already linked it)", body = LinkedAccount),
        (status = 400, description = "Invalid id, account or note", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "No such case, or not yours to see", body = ErrorBody),
        (status = 409, description = "The case is closed", body = ErrorBody),
    ))]
pub async fn link_account(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
    Body(new): Body<NewAccountLink>,
) -> Result<Json<LinkedAccount>, ApiError> {
    principal.require(Permission::EditCases)?;
    let loaded = load_money(&state, &principal, &id).await?;
    require_edit(&loaded)?;
    let account = account_input(&new.account)?;
    let note = match new.note.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(n) => {
            Some(check_text("note", n, NOTE_MAX).map_err(|e| ApiError::BadRequest(e.to_string()))?)
        }
    };
    let actor = actor_of(&state, &principal.user.username);
    let store = &state.vault.store;
    let added = store
        .link_case_account(
            loaded.case.case.id,
            &account,
            note.as_deref(),
            ChangeBy {
                actor: &actor,
                tool: &state.vault.tool,
                key: &state.vault.key,
            },
        )
        .await?;
    let context = AccountContext::of(&state, &loaded).await?;
    let links = store.account_links(&account.key()).await?;
    Ok(Json(LinkedAccount {
        added,
        account: context.view(&account, &links),
    }))
}

/// The flows around an account among the case's transfers, as nodes and
/// edges for the workspace's graph; the read is recorded. An account with
/// no transfer in the case is a graph of itself alone.
#[utoipa::path(get, path = "/api/cases/{id}/money/graph", tag = "money",
    params(("id" = String, Path, description = "Case id"), GraphQuery),
    responses(
        (status = 200, description = "The graph", body = FlowGraphView),
        (status = 400, description = "Invalid id, account, hops or direction", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed, or no access to the case's identifiers", body = ErrorBody),
        (status = 404, description = "No such case, or not yours to see", body = ErrorBody),
    ))]
pub async fn graph(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
    q: Result<Query<GraphQuery>, QueryRejection>,
) -> Result<Json<FlowGraphView>, ApiError> {
    let loaded = load_money(&state, &principal, &id).await?;
    let q = query(q)?;
    if q.account.trim().is_empty() {
        return Err(ApiError::BadRequest(
            "account: give the account at the centre".into(),
        ));
    }
    let start = account_input(&q.account)?;
    let hops = q.hops.unwrap_or(2);
    if !(1..=MAX_HOPS).contains(&hops) {
        return Err(ApiError::BadRequest(format!(
            "hops = {hops}: use 1 to {MAX_HOPS}"
        )));
    }
    let named = q.direction.unwrap_or(FlowDirection::Both);
    let direction = match named {
        FlowDirection::In => Direction::In,
        FlowDirection::Out => Direction::Out,
        FlowDirection::Both => Direction::Both,
    };
    let store = &state.vault.store;
    let (keys, transfers): (Vec<String>, Vec<Transfer>) = store
        .transfers(Some(loaded.case.case.id))
        .await?
        .into_iter()
        .unzip();
    let labels: HashMap<String, String> = store
        .labels()
        .await?
        .into_iter()
        .map(|(k, l)| (k, l.label))
        .collect();
    let g = FlowGraph::around(&transfers, &start, hops as usize, direction, &labels);
    let ids: Vec<String> = g.nodes.iter().map(|n| n.account.key()).collect();
    let view = FlowGraphView {
        account: start.key(),
        hops,
        direction: named,
        nodes: g
            .nodes
            .iter()
            .zip(&ids)
            .map(|(n, id)| GraphNode {
                id: id.clone(),
                kind: n.account.kind.as_str().to_owned(),
                chain: n.account.chain.map(|c| chain_name(c).to_owned()),
                value: n.account.value.clone(),
                hops: u32::try_from(n.hops).unwrap_or(u32::MAX),
                label: n.label.clone(),
            })
            .collect(),
        edges: g
            .edges
            .iter()
            .filter_map(|e| {
                Some(GraphEdge {
                    source: ids.get(e.from)?.clone(),
                    target: ids.get(e.to)?.clone(),
                    asset: e.asset.clone(),
                    count: e.transfers.len() as u64,
                    total: e.total.to_string(),
                    first: utc(e.first),
                    last: utc(e.last),
                    transfers: e
                        .transfers
                        .iter()
                        .filter_map(|&i| keys.get(i).cloned())
                        .collect(),
                })
            })
            .collect(),
    };
    record_read(&state, &principal, &loaded, "money_graph").await?;
    Ok(Json(view))
}
