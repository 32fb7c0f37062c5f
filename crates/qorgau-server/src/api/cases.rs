//! Cases over the API: triage of signals into cases, the case page shown
//! per agency and role, and the changes an investigator makes.
//!
//! Every handler loads the case through [`load`], which answers 404 — not
//! 403 — to a user whose agency has no part in the case, so that nobody
//! learns a case exists without a referral. Reads of a case are written to
//! its ledger chain; changes are written with the change itself.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use qorgau_core::{CaseName, Id};
use qorgau_response::{
    CaseAccess, CaseKind, CaseStatus, Identifier, Permission, PersonRole, TaskStatus, case_access,
    check_text, normalise_resource,
};
use qorgau_routing::{CaseFacts, ConsentOverride, Scope};
use qorgau_store::{CaseFile, CaseUpdate, ChangeBy, LedgerFilter, ReferralRecord};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::parse_id;
use crate::api::referrals::ReferralView;
use crate::api::signals::IdentifierInput;
use crate::auth::Principal;
use crate::checklist;
use crate::error::{ApiError, ErrorBody};
use crate::flow::{Held, Route, actor_of, classify, referral_scopes, route_case, rule_ids};
use crate::json::Body;
use crate::state::AppState;

/// Longest title.
const TITLE_MAX: usize = 200;
/// Longest label of a person.
const LABEL_MAX: usize = 120;
/// Longest note.
const NOTE_MAX: usize = 20_000;
/// Longest task title.
const TASK_MAX: usize = 300;

/// A case found with what the caller may see of it.
pub struct Loaded {
    /// The case.
    pub case: CaseFile,
    /// The caller's view of it.
    pub access: CaseAccess,
    /// Its referrals.
    pub referrals: Vec<ReferralRecord>,
    /// The caller's agency.
    pub viewer_agency: Id,
}

/// Loads a case for `principal`: 404 when it does not exist or the caller's
/// agency has no part in it.
pub async fn load(state: &AppState, principal: &Principal, id: &str) -> Result<Loaded, ApiError> {
    principal.require(Permission::ReadCases)?;
    let id = parse_id(id)?;
    let not_found = || ApiError::NotFound("no such case".into());
    let case = state
        .vault
        .store
        .case_file(id)
        .await?
        .ok_or_else(not_found)?;
    let referrals = state.vault.store.referrals_of_case(id).await?;
    let scopes = referral_scopes(&referrals, principal.user.agency_id);
    let access =
        case_access(&principal.user, case.owner_agency_id, &scopes).ok_or_else(not_found)?;
    Ok(Loaded {
        case,
        access,
        referrals,
        viewer_agency: principal.user.agency_id,
    })
}

/// The caller's agency owns the case and it is open. The permission itself
/// is checked before the case is loaded, so that a role without it gets 403
/// whether or not the case exists.
pub(crate) fn require_edit(loaded: &Loaded) -> Result<(), ApiError> {
    if !loaded.access.edit {
        return Err(ApiError::Forbidden(
            "only the agency that owns the case changes it".into(),
        ));
    }
    if loaded.case.status == CaseStatus::Closed {
        return Err(ApiError::Conflict("the case is closed".into()));
    }
    Ok(())
}

fn text(field: &'static str, value: &str, max: usize) -> Result<String, ApiError> {
    check_text(field, value, max).map_err(|e| ApiError::BadRequest(e.to_string()))
}

/// A case in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseSummary {
    /// Id.
    pub id: String,
    /// The vault name (registration number).
    pub name: String,
    /// Operational title.
    pub title: String,
    /// criminal or support.
    pub kind: String,
    /// open or closed.
    pub status: String,
    /// The owning agency.
    pub owner_agency_id: String,
    /// Whether the caller's agency owns it.
    pub owner: bool,
    /// The parts the caller may see.
    pub scopes: Vec<String>,
    /// Last change (UTC).
    pub updated_at: String,
    /// Version, to send back with a change.
    pub version: i64,
}

impl CaseSummary {
    fn of(case: &CaseFile, access: &CaseAccess) -> Self {
        Self {
            id: case.case.id.to_string(),
            name: case.case.name.to_string(),
            title: case.title.clone(),
            kind: case.kind.as_str().into(),
            status: case.status.as_str().into(),
            owner_agency_id: case.owner_agency_id.to_string(),
            owner: access.owner,
            scopes: access
                .scopes
                .iter()
                .map(|s| s.as_str().to_owned())
                .collect(),
            updated_at: case.updated_at.to_utc_string(),
            version: case.version,
        }
    }
}

/// A key a case points to.
#[derive(Debug, Serialize, ToSchema)]
pub struct KeyView {
    /// resource, phone, handle, wallet…
    pub kind: String,
    /// Normalised value.
    pub value: String,
    /// When added (UTC).
    pub added_at: String,
}

/// A person as the caller may see them.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonView {
    /// Id.
    pub id: String,
    /// suspect, victim or witness.
    pub role: String,
    /// How the case refers to them (a pseudonym for victims).
    pub label: String,
    /// The victim record (`GET /api/victims/{id}`), for a victim whose
    /// personal data is on file, sealed.
    pub victim: Option<String>,
}

/// A note.
#[derive(Debug, Serialize, ToSchema)]
pub struct NoteView {
    /// Id.
    pub id: String,
    /// When (UTC).
    pub written_at: String,
    /// Who.
    pub author: String,
    /// Text.
    pub body: String,
}

/// A task.
#[derive(Debug, Serialize, ToSchema)]
pub struct TaskView {
    /// Id.
    pub id: String,
    /// Checklist item (study section 5.3), if it comes from one.
    pub checklist_key: Option<String>,
    /// What to do.
    pub title: String,
    /// open, done or not_applicable.
    pub status: String,
    /// Who does it.
    pub assignee: Option<String>,
    /// Last change (UTC).
    pub updated_at: String,
}

/// Progress of the checklist.
#[derive(Debug, Serialize, ToSchema)]
pub struct Progress {
    /// Checklist tasks done.
    pub done: u32,
    /// Checklist tasks that apply (all but not_applicable).
    pub applicable: u32,
    /// done / applicable, in percent (100 when nothing applies).
    pub percent: u32,
}

/// A monitored document of the case.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentView {
    /// Document id.
    pub id: String,
    /// Where it was found.
    pub url: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// When it disappeared from its source (UTC), if it did.
    pub deleted_at: Option<String>,
}

/// Routing as the owning agency sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoutingView {
    /// Which rules file is in force.
    pub rules: String,
    /// Every referral the rules require now, with why (rule, matched fields).
    #[schema(value_type = Vec<Object>)]
    pub required: Vec<qorgau_routing::Decision>,
    /// Required referrals not sent, and why.
    pub held: Vec<Held>,
}

/// A case as the caller may see it. Parts outside the caller's scopes are
/// absent (null), never empty-but-present, so a client can tell "none" from
/// "not yours to see".
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseView {
    /// The case.
    pub case: CaseSummary,
    /// Routing facts (operational).
    #[schema(value_type = Option<Object>)]
    pub facts: Option<CaseFacts>,
    /// Qualification: articles and parts (operational).
    pub articles: Option<Vec<String>>,
    /// Resources and identifiers (operational or identifiers scope).
    pub keys: Option<Vec<KeyView>>,
    /// Documents, newest first, first page (operational).
    pub documents: Option<Vec<DocumentView>>,
    /// How many documents in all (operational).
    pub document_count: Option<u64>,
    /// Vault items held (evidence scope).
    pub evidence_items: Option<u64>,
    /// Persons: suspects and witnesses with the operational scope, victims
    /// (by label) with the operational or victim-support scope.
    pub persons: Vec<PersonView>,
    /// Notes (operational).
    pub notes: Option<Vec<NoteView>>,
    /// Tasks (operational).
    pub tasks: Option<Vec<TaskView>>,
    /// Checklist progress (operational).
    pub checklist: Option<Progress>,
    /// Referrals: all of them for the owner, the caller's own otherwise.
    pub referrals: Vec<ReferralView>,
    /// Routing (owner only).
    pub routing: Option<RoutingView>,
}

/// Builds the case page for the caller.
pub async fn view(state: &AppState, loaded: &Loaded) -> Result<CaseView, ApiError> {
    let store = &state.vault.store;
    let case = &loaded.case;
    let access = &loaded.access;
    let id = case.case.id;
    let operational = access.sees(Scope::Operational);
    let keys = if operational || access.sees(Scope::Identifiers) {
        let keys = store.case_keys(id).await?;
        Some(
            keys.into_iter()
                .filter(|k| operational || k.kind != "resource")
                .map(|k| KeyView {
                    kind: k.kind,
                    value: k.value,
                    added_at: k.added_at.to_utc_string(),
                })
                .collect(),
        )
    } else {
        None
    };
    let (documents, document_count) = if operational {
        let (docs, count) = store.case_documents(id, 100, 0).await?;
        (
            Some(
                docs.into_iter()
                    .map(|d| DocumentView {
                        id: d.id.to_string(),
                        url: d.url,
                        title: d.title,
                        deleted_at: d.deleted_at.map(|t| t.to_utc_string()),
                    })
                    .collect(),
            ),
            Some(count),
        )
    } else {
        (None, None)
    };
    let evidence_items = if access.sees(Scope::Evidence) {
        Some(store.case_item_count(id).await?)
    } else {
        None
    };
    let persons = store
        .persons(id)
        .await?
        .into_iter()
        .filter(|p| match p.role {
            PersonRole::Victim => operational || access.sees(Scope::VictimSupport),
            PersonRole::Suspect | PersonRole::Witness => operational,
        })
        .map(|p| PersonView {
            id: p.id.to_string(),
            role: p.role.as_str().into(),
            label: p.label,
            victim: p.victim_id.map(|v| v.to_string()),
        })
        .collect();
    let (notes, tasks, progress) = if operational {
        let notes = store
            .notes(id)
            .await?
            .into_iter()
            .map(|n| NoteView {
                id: n.id.to_string(),
                written_at: n.written_at.to_utc_string(),
                author: n.author,
                body: n.body,
            })
            .collect();
        let tasks = store.tasks(id).await?;
        let progress = checklist::progress(&tasks);
        let tasks = tasks
            .into_iter()
            .map(|t| TaskView {
                id: t.id.to_string(),
                checklist_key: t.checklist_key,
                title: t.title,
                status: t.status.as_str().into(),
                assignee: t.assignee,
                updated_at: t.updated_at.to_utc_string(),
            })
            .collect();
        (Some(notes), Some(tasks), Some(progress))
    } else {
        (None, None, None)
    };
    let now = state.clock.now();
    let referrals = loaded
        .referrals
        .iter()
        .filter(|r| access.owner || r.agency_id == loaded.viewer_agency)
        .map(|r| ReferralView::at(r, now))
        .collect();
    let routing = if access.owner {
        let in_force = crate::rules::in_force(state).await?;
        let required = qorgau_routing::evaluate(&in_force.rules, &case.facts);
        let held = held(state, case, &loaded.referrals, &required).await?;
        Some(RoutingView {
            rules: in_force.source.clone(),
            required,
            held,
        })
    } else {
        None
    };
    Ok(CaseView {
        case: CaseSummary::of(case, access),
        facts: operational.then(|| case.facts.clone()),
        articles: operational.then(|| case.articles.clone()),
        keys,
        documents,
        document_count,
        evidence_items,
        persons,
        notes,
        tasks,
        checklist: progress,
        referrals,
        routing,
    })
}

async fn held(
    state: &AppState,
    case: &CaseFile,
    referrals: &[ReferralRecord],
    required: &[qorgau_routing::Decision],
) -> Result<Vec<Held>, ApiError> {
    let agencies = state.vault.store.agencies().await?;
    let owner_kind = agencies
        .iter()
        .find(|a| a.id == case.owner_agency_id)
        .map(|a| a.kind.clone());
    Ok(required
        .iter()
        .filter_map(|d| {
            match classify(case, d, referrals, &agencies, owner_kind.as_deref(), false) {
                Route::Hold(reason) => Some(Held {
                    agency_kind: d.agency.clone(),
                    reason: reason.into(),
                    rules: rule_ids(d),
                }),
                // Sendable but not sent: the next change of the case sends it.
                Route::Send(_) => Some(Held {
                    agency_kind: d.agency.clone(),
                    reason: "pending".into(),
                    rules: rule_ids(d),
                }),
                Route::Skip => None,
            }
        })
        .collect())
}

/// A case as an investigator opens it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCase {
    /// Operational title (never a victim's name).
    pub title: String,
    /// criminal (default) or support.
    pub kind: Option<String>,
    /// Registration number to use as the vault name; made up when absent.
    pub name: Option<String>,
    /// Routing facts.
    #[schema(value_type = Option<Object>)]
    pub facts: Option<CaseFacts>,
    /// Signals to accept into it.
    #[serde(default)]
    pub signals: Vec<String>,
    /// Suspicious resources (URLs).
    #[serde(default)]
    pub resources: Vec<String>,
    /// Identifiers.
    #[serde(default)]
    pub identifiers: Vec<IdentifierInput>,
}

/// A case page and what routing did on the change.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChangedCase {
    /// The case as the caller sees it now.
    #[serde(flatten)]
    pub view: CaseView,
    /// Referrals sent by this change.
    pub sent: Vec<ReferralView>,
}

fn keys_of(
    resources: &[String],
    identifiers: &[IdentifierInput],
) -> Result<Vec<(String, String)>, ApiError> {
    let mut keys = Vec::new();
    for r in resources {
        let value = normalise_resource(r).ok_or_else(|| {
            ApiError::BadRequest(format!("resource {r:?} is not an http(s) URL with a host"))
        })?;
        keys.push(("resource".to_owned(), value));
    }
    for i in identifiers {
        let id = Identifier {
            kind: i.kind,
            value: i.value.clone(),
        };
        let value = id.normalised().ok_or_else(|| {
            ApiError::BadRequest(format!(
                "identifier {:?} of kind {} is empty after normalising",
                i.value,
                i.kind.as_str()
            ))
        })?;
        keys.push((i.kind.as_str().to_owned(), value));
    }
    if keys.len() > 1000 {
        return Err(ApiError::BadRequest(format!(
            "{} resources and identifiers in one request; at most 1000",
            keys.len()
        )));
    }
    Ok(keys)
}

async fn changed(
    state: &AppState,
    principal: &Principal,
    id: Id,
    sent: Vec<ReferralRecord>,
) -> Result<ChangedCase, ApiError> {
    let loaded = load(state, principal, &id.to_string()).await?;
    Ok(ChangedCase {
        view: view(state, &loaded).await?,
        sent: sent.iter().map(ReferralView::of).collect(),
    })
}

/// Opens a case owned by the caller's agency, accepting signals into it,
/// with the checklist of study section 5.3 as tasks; the routing rules run
/// at once.
#[utoipa::path(post, path = "/api/cases", tag = "cases",
    request_body = NewCase,
    responses(
        (status = 201, description = "Opened", body = ChangedCase),
        (status = 400, description = "Invalid case", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 409, description = "Name in use, or a signal is in another case", body = ErrorBody),
    ))]
pub async fn open(
    State(state): State<AppState>,
    principal: Principal,
    Body(new): Body<NewCase>,
) -> Result<(StatusCode, Json<ChangedCase>), ApiError> {
    principal.require(Permission::OpenCases)?;
    let title = text("title", &new.title, TITLE_MAX)?;
    let kind = match new.kind.as_deref() {
        None | Some("") => CaseKind::Criminal,
        Some(k) => CaseKind::parse(k)
            .ok_or_else(|| ApiError::BadRequest(format!("kind {k:?}: use criminal or support")))?,
    };
    let now = state.clock.now();
    let id_hint = Id::new().to_string();
    let name_text = new.name.clone().unwrap_or_else(|| {
        format!(
            "Q-{}-{}",
            now.as_datetime().format("%Y%m%d"),
            &id_hint[id_hint.len() - 8..]
        )
    });
    let name = CaseName::parse(&name_text)
        .map_err(|e| ApiError::BadRequest(format!("case name {name_text:?}: {e}")))?;
    let signals = new
        .signals
        .iter()
        .map(|s| parse_id(s))
        .collect::<Result<Vec<_>, _>>()?;
    if !signals.is_empty() {
        principal.require(Permission::TriageSignals)?;
    }
    let keys = keys_of(&new.resources, &new.identifiers)?;
    let facts = new.facts.unwrap_or_default();
    let actor = actor_of(&state, &principal.user.username);
    let by = ChangeBy {
        actor: &actor,
        tool: &state.vault.tool,
        key: &state.vault.key,
    };
    let file = state
        .vault
        .store
        .create_case_file(
            &qorgau_store::NewCaseFile {
                name,
                title,
                kind,
                owner_agency_id: principal.user.agency_id,
                facts,
                signals,
                keys,
                tasks: checklist::tasks(kind),
            },
            by,
        )
        .await?;
    let run = route_case(&state, &file, &actor, None).await?;
    let body = changed(&state, &principal, file.case.id, run.sent).await?;
    Ok((StatusCode::CREATED, Json(body)))
}

/// List filters.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ListQuery {
    /// At most this many (default 100, at most 1000).
    pub limit: Option<u32>,
}

/// Cases of the caller's agency and cases referred to it, most recently
/// changed first, each with the parts the caller may see.
#[utoipa::path(get, path = "/api/cases", tag = "cases",
    params(ListQuery),
    responses(
        (status = 200, description = "Cases", body = Vec<CaseSummary>),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
    Query(q): Query<ListQuery>,
) -> Result<Json<Vec<CaseSummary>>, ApiError> {
    principal.require(Permission::ReadCases)?;
    let limit = q.limit.unwrap_or(100).clamp(1, 1000);
    let store = &state.vault.store;
    let files = store
        .case_files_for_agency(principal.user.agency_id, limit)
        .await?;
    let ids: Vec<Id> = files.iter().map(|f| f.case.id).collect();
    let mut referrals_of = store.referrals_of_cases(&ids).await?;
    let mut out = Vec::new();
    for file in files {
        let referrals = referrals_of.remove(&file.case.id).unwrap_or_default();
        let scopes = referral_scopes(&referrals, principal.user.agency_id);
        if let Some(access) = case_access(&principal.user, file.owner_agency_id, &scopes) {
            out.push(CaseSummary::of(&file, &access));
        }
    }
    Ok(Json(out))
}

/// The case page as the caller may see it; the read is recorded in the
/// case's ledger chain.
#[utoipa::path(get, path = "/api/cases/{id}", tag = "cases",
    params(("id" = String, Path, description = "Case id")),
    responses(
        (status = 200, description = "The case", body = CaseView),
        (status = 400, description = "Invalid id", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "No such case, or not yours to see", body = ErrorBody),
    ))]
pub async fn one(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
) -> Result<Json<CaseView>, ApiError> {
    let loaded = load(&state, &principal, &id).await?;
    let page = view(&state, &loaded).await?;
    record_read(&state, &principal, &loaded, "case").await?;
    Ok(Json(page))
}

/// Writes a `read` entry: who read which part of the case, with what scopes.
pub async fn record_read(
    state: &AppState,
    principal: &Principal,
    loaded: &Loaded,
    what: &str,
) -> Result<(), ApiError> {
    let actor = actor_of(state, &principal.user.username);
    state
        .vault
        .store
        .record_read(
            loaded.case.case.id,
            what,
            serde_json::json!({
                "agency_id": principal.user.agency_id.to_string(),
                "scopes": loaded.access.scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
                "victim_identity": loaded.access.victim_identity,
            }),
            ChangeBy {
                actor: &actor,
                tool: &state.vault.tool,
                key: &state.vault.key,
            },
        )
        .await?;
    Ok(())
}

/// A change of a case's title, status or facts.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseChange {
    /// The version the change is based on (from the case page).
    pub version: i64,
    /// New title.
    pub title: Option<String>,
    /// open or closed.
    pub status: Option<String>,
    /// New routing facts (replace the old ones).
    #[schema(value_type = Option<Object>)]
    pub facts: Option<CaseFacts>,
    /// The articles (and parts) the investigator qualifies the case under,
    /// e.g. `128` or `128.2` (replace the old ones; see /api/law/assess).
    pub articles: Option<Vec<String>>,
}

/// Checks article references against the article library: `N` or `N.P`
/// where N is an article the library holds and P one of its parts.
fn check_articles(articles: &[String]) -> Result<Vec<String>, ApiError> {
    let library = crate::api::law::library()?;
    let mut out: Vec<String> = Vec::new();
    for a in articles {
        let a = a.trim();
        let (number, part) = match a.split_once('.') {
            Some((n, p)) => (n, Some(p)),
            None => (a, None),
        };
        let article = number
            .parse::<u16>()
            .ok()
            .and_then(|n| library.article(n))
            .ok_or_else(|| {
                ApiError::BadRequest(format!(
                    "article {a:?} is not in the library (articles: {})",
                    library
                        .articles()
                        .iter()
                        .map(|x| x.number.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })?;
        if let Some(p) = part
            && !article.parts.iter().any(|x| x.number == p)
        {
            return Err(ApiError::BadRequest(format!(
                "article {} has no part {p:?}",
                article.number
            )));
        }
        if !out.iter().any(|x| x == a) {
            out.push(a.to_owned());
        }
    }
    Ok(out)
}

/// Changes a case; the routing rules run again and send what the new facts
/// require. A change based on an old version is refused (409).
#[utoipa::path(patch, path = "/api/cases/{id}", tag = "cases",
    params(("id" = String, Path, description = "Case id")),
    request_body = CaseChange,
    responses(
        (status = 200, description = "Changed", body = ChangedCase),
        (status = 400, description = "Invalid change", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "No such case", body = ErrorBody),
        (status = 409, description = "Changed meanwhile, or closed", body = ErrorBody),
    ))]
pub async fn change(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
    Body(change): Body<CaseChange>,
) -> Result<Json<ChangedCase>, ApiError> {
    principal.require(Permission::EditCases)?;
    let loaded = load(&state, &principal, &id).await?;
    if !loaded.access.edit {
        return Err(ApiError::Forbidden(
            "only the agency that owns the case changes it".into(),
        ));
    }
    let case = &loaded.case;
    let title = match &change.title {
        Some(t) => text("title", t, TITLE_MAX)?,
        None => case.title.clone(),
    };
    let status = match change.status.as_deref() {
        None => case.status,
        Some(s) => CaseStatus::parse(s)
            .ok_or_else(|| ApiError::BadRequest(format!("status {s:?}: use open or closed")))?,
    };
    if case.status == CaseStatus::Closed && status == CaseStatus::Closed {
        return Err(ApiError::Conflict(
            "the case is closed; reopen it first".into(),
        ));
    }
    let facts = change.facts.clone().unwrap_or_else(|| case.facts.clone());
    let articles = match &change.articles {
        Some(a) => check_articles(a)?,
        None => case.articles.clone(),
    };
    let actor = actor_of(&state, &principal.user.username);
    let by = ChangeBy {
        actor: &actor,
        tool: &state.vault.tool,
        key: &state.vault.key,
    };
    let file = state
        .vault
        .store
        .update_case_file(
            case.case.id,
            change.version,
            CaseUpdate {
                title: &title,
                status,
                facts: &facts,
                articles: &articles,
            },
            by,
        )
        .await?;
    let sent = if file.status == CaseStatus::Open {
        route_case(&state, &file, &actor, None).await?.sent
    } else {
        Vec::new()
    };
    Ok(Json(changed(&state, &principal, file.case.id, sent).await?))
}

/// Signals to merge into a case.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Merge {
    /// Signal ids.
    pub signals: Vec<String>,
}

/// Triage: merges signals into an existing case (their resources and
/// identifiers join the case's).
#[utoipa::path(post, path = "/api/cases/{id}/signals", tag = "cases",
    params(("id" = String, Path, description = "Case id")),
    request_body = Merge,
    responses(
        (status = 200, description = "Merged", body = ChangedCase),
        (status = 400, description = "Invalid id", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "No such case", body = ErrorBody),
        (status = 409, description = "A signal is in another case, or the case is closed", body = ErrorBody),
    ))]
pub async fn merge(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
    Body(merge): Body<Merge>,
) -> Result<Json<ChangedCase>, ApiError> {
    principal.require(Permission::TriageSignals)?;
    principal.require(Permission::EditCases)?;
    let loaded = load(&state, &principal, &id).await?;
    require_edit(&loaded)?;
    if merge.signals.is_empty() || merge.signals.len() > 1000 {
        return Err(ApiError::BadRequest("give 1 to 1000 signals".into()));
    }
    let signals = merge
        .signals
        .iter()
        .map(|s| parse_id(s))
        .collect::<Result<Vec<_>, _>>()?;
    let actor = actor_of(&state, &principal.user.username);
    let by = ChangeBy {
        actor: &actor,
        tool: &state.vault.tool,
        key: &state.vault.key,
    };
    for signal in signals {
        state
            .vault
            .store
            .merge_signal(loaded.case.case.id, signal, by)
            .await?;
    }
    Ok(Json(
        changed(&state, &principal, loaded.case.case.id, Vec::new()).await?,
    ))
}

/// Resources and identifiers to add to a case.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewKeys {
    /// URLs.
    #[serde(default)]
    pub resources: Vec<String>,
    /// Identifiers.
    #[serde(default)]
    pub identifiers: Vec<IdentifierInput>,
}

/// How many keys were new.
#[derive(Debug, Serialize, ToSchema)]
pub struct Added {
    /// New ones (already present ones are not counted).
    pub added: u64,
}

/// Adds resources and identifiers; new signals pointing to them will be
/// linked to this case.
#[utoipa::path(post, path = "/api/cases/{id}/keys", tag = "cases",
    params(("id" = String, Path, description = "Case id")),
    request_body = NewKeys,
    responses(
        (status = 200, description = "Added", body = Added),
        (status = 400, description = "Invalid resource or identifier", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "No such case", body = ErrorBody),
        (status = 409, description = "The case is closed", body = ErrorBody),
    ))]
pub async fn add_keys(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
    Body(new): Body<NewKeys>,
) -> Result<Json<Added>, ApiError> {
    principal.require(Permission::EditCases)?;
    let loaded = load(&state, &principal, &id).await?;
    require_edit(&loaded)?;
    let keys = keys_of(&new.resources, &new.identifiers)?;
    if keys.is_empty() {
        return Err(ApiError::BadRequest(
            "give at least one resource or identifier".into(),
        ));
    }
    let actor = actor_of(&state, &principal.user.username);
    let added = state
        .vault
        .store
        .add_case_keys(
            loaded.case.case.id,
            &keys,
            ChangeBy {
                actor: &actor,
                tool: &state.vault.tool,
                key: &state.vault.key,
            },
        )
        .await?;
    Ok(Json(Added { added }))
}

/// A monitored document to attach.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttachDocument {
    /// Document id (from monitoring).
    pub document: String,
}

/// Attaches a monitored document to the case.
#[utoipa::path(post, path = "/api/cases/{id}/documents", tag = "cases",
    params(("id" = String, Path, description = "Case id")),
    request_body = AttachDocument,
    responses(
        (status = 200, description = "Attached (added is 0 when it already was)", body = Added),
        (status = 400, description = "Invalid id", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "No such case or document", body = ErrorBody),
        (status = 409, description = "The case is closed", body = ErrorBody),
    ))]
pub async fn attach_document(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
    Body(new): Body<AttachDocument>,
) -> Result<Json<Added>, ApiError> {
    principal.require(Permission::EditCases)?;
    let loaded = load(&state, &principal, &id).await?;
    require_edit(&loaded)?;
    let document = parse_id(&new.document)?;
    if !state.vault.store.document_exists(document).await? {
        return Err(ApiError::NotFound("no such document".into()));
    }
    let actor = actor_of(&state, &principal.user.username);
    let added = state
        .vault
        .store
        .add_case_document(
            loaded.case.case.id,
            document,
            ChangeBy {
                actor: &actor,
                tool: &state.vault.tool,
                key: &state.vault.key,
            },
        )
        .await?;
    Ok(Json(Added {
        added: u64::from(added),
    }))
}

/// A person to add.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPerson {
    /// suspect, victim or witness.
    pub role: String,
    /// How the case refers to them: a pseudonym for a victim ("Victim A"),
    /// a nickname or handle for a suspect. Personal data of victims goes
    /// into the sealed victim record, never here.
    pub label: String,
}

/// Adds a person to the case.
#[utoipa::path(post, path = "/api/cases/{id}/persons", tag = "cases",
    params(("id" = String, Path, description = "Case id")),
    request_body = NewPerson,
    responses(
        (status = 201, description = "Added", body = PersonView),
        (status = 400, description = "Invalid person", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "No such case", body = ErrorBody),
        (status = 409, description = "The case is closed", body = ErrorBody),
    ))]
pub async fn add_person(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
    Body(new): Body<NewPerson>,
) -> Result<(StatusCode, Json<PersonView>), ApiError> {
    principal.require(Permission::EditCases)?;
    let loaded = load(&state, &principal, &id).await?;
    require_edit(&loaded)?;
    let role = PersonRole::parse(&new.role).ok_or_else(|| {
        ApiError::BadRequest(format!(
            "role {:?}: use suspect, victim or witness",
            new.role
        ))
    })?;
    let label = text("label", &new.label, LABEL_MAX)?;
    let actor = actor_of(&state, &principal.user.username);
    let person = state
        .vault
        .store
        .add_person(
            loaded.case.case.id,
            role,
            &label,
            ChangeBy {
                actor: &actor,
                tool: &state.vault.tool,
                key: &state.vault.key,
            },
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(PersonView {
            id: person.id.to_string(),
            role: role.as_str().into(),
            label: person.label,
            victim: None,
        }),
    ))
}

/// A note to write.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewNote {
    /// The text.
    pub body: String,
}

/// Writes a note on the case (its hash goes into the ledger).
#[utoipa::path(post, path = "/api/cases/{id}/notes", tag = "cases",
    params(("id" = String, Path, description = "Case id")),
    request_body = NewNote,
    responses(
        (status = 201, description = "Written", body = NoteView),
        (status = 400, description = "Invalid note", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "No such case", body = ErrorBody),
        (status = 409, description = "The case is closed", body = ErrorBody),
    ))]
pub async fn add_note(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
    Body(new): Body<NewNote>,
) -> Result<(StatusCode, Json<NoteView>), ApiError> {
    principal.require(Permission::EditCases)?;
    let loaded = load(&state, &principal, &id).await?;
    require_edit(&loaded)?;
    let body = text("body", &new.body, NOTE_MAX)?;
    let actor = actor_of(&state, &principal.user.username);
    let note = state
        .vault
        .store
        .add_note(
            loaded.case.case.id,
            &body,
            ChangeBy {
                actor: &actor,
                tool: &state.vault.tool,
                key: &state.vault.key,
            },
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(NoteView {
            id: note.id.to_string(),
            written_at: note.written_at.to_utc_string(),
            author: note.author,
            body: note.body,
        }),
    ))
}

/// A task to add.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTask {
    /// What to do.
    pub title: String,
}

/// The id of what was made.
#[derive(Debug, Serialize, ToSchema)]
pub struct Made {
    /// Id.
    pub id: String,
}

/// Adds a task to the case.
#[utoipa::path(post, path = "/api/cases/{id}/tasks", tag = "cases",
    params(("id" = String, Path, description = "Case id")),
    request_body = NewTask,
    responses(
        (status = 201, description = "Added", body = Made),
        (status = 400, description = "Invalid task", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "No such case", body = ErrorBody),
        (status = 409, description = "The case is closed", body = ErrorBody),
    ))]
pub async fn add_task(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
    Body(new): Body<NewTask>,
) -> Result<(StatusCode, Json<Made>), ApiError> {
    principal.require(Permission::EditCases)?;
    let loaded = load(&state, &principal, &id).await?;
    require_edit(&loaded)?;
    let title = text("title", &new.title, TASK_MAX)?;
    let actor = actor_of(&state, &principal.user.username);
    let id = state
        .vault
        .store
        .add_task(
            loaded.case.case.id,
            None,
            &title,
            ChangeBy {
                actor: &actor,
                tool: &state.vault.tool,
                key: &state.vault.key,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(Made { id: id.to_string() })))
}

/// A task's new state.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskChange {
    /// open, done or not_applicable.
    pub status: String,
    /// Who does it (a user name).
    pub assignee: Option<String>,
}

/// Moves a task (the checklist's progress follows).
#[utoipa::path(patch, path = "/api/cases/{id}/tasks/{task}", tag = "cases",
    params(
        ("id" = String, Path, description = "Case id"),
        ("task" = String, Path, description = "Task id"),
    ),
    request_body = TaskChange,
    responses(
        (status = 200, description = "Changed", body = Progress),
        (status = 400, description = "Invalid status", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "No such case or task", body = ErrorBody),
        (status = 409, description = "The case is closed", body = ErrorBody),
    ))]
pub async fn change_task(
    State(state): State<AppState>,
    principal: Principal,
    Path((id, task)): Path<(String, String)>,
    Body(change): Body<TaskChange>,
) -> Result<Json<Progress>, ApiError> {
    principal.require(Permission::EditCases)?;
    let loaded = load(&state, &principal, &id).await?;
    require_edit(&loaded)?;
    let task = parse_id(&task)?;
    let status = TaskStatus::parse(&change.status).ok_or_else(|| {
        ApiError::BadRequest(format!(
            "status {:?}: use open, done or not_applicable",
            change.status
        ))
    })?;
    let assignee = match change.assignee.as_deref() {
        Some(a) => Some(text("assignee", a, LABEL_MAX)?),
        None => None,
    };
    let actor = actor_of(&state, &principal.user.username);
    let found = state
        .vault
        .store
        .set_task(
            loaded.case.case.id,
            task,
            status,
            assignee.as_deref(),
            ChangeBy {
                actor: &actor,
                tool: &state.vault.tool,
                key: &state.vault.key,
            },
        )
        .await?;
    if !found {
        return Err(ApiError::NotFound("no such task in this case".into()));
    }
    let tasks = state.vault.store.tasks(loaded.case.case.id).await?;
    Ok(Json(checklist::progress(&tasks)))
}

/// One step of a case's timeline.
#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineEntry {
    /// Position in the case's ledger chain.
    pub seq: u64,
    /// When (UTC).
    pub at: String,
    /// case_opened, acquired, changed, read, exported…
    pub kind: String,
    /// Who.
    pub actor: String,
    /// What, as recorded.
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
    /// The entry's hash (to check against a ledger export).
    pub entry_hash: String,
}

/// Timeline filters.
#[derive(Debug, Deserialize, IntoParams)]
pub struct TimelineQuery {
    /// Include `read` entries (who looked at the case); default false.
    pub reads: Option<bool>,
}

/// The case's timeline: its ledger chain, oldest first (owning agency only).
#[utoipa::path(get, path = "/api/cases/{id}/timeline", tag = "cases",
    params(("id" = String, Path, description = "Case id"), TimelineQuery),
    responses(
        (status = 200, description = "Timeline", body = Vec<TimelineEntry>),
        (status = 400, description = "Invalid id", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "No such case", body = ErrorBody),
    ))]
pub async fn timeline(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
    Query(q): Query<TimelineQuery>,
) -> Result<Json<Vec<TimelineEntry>>, ApiError> {
    let loaded = load(&state, &principal, &id).await?;
    if !(loaded.access.owner && loaded.access.sees(Scope::Operational)) {
        return Err(ApiError::Forbidden(
            "the timeline is the owning agency's operational record".into(),
        ));
    }
    let entries = state
        .vault
        .store
        .ledger(&LedgerFilter {
            case_id: Some(loaded.case.case.id),
            ..LedgerFilter::default()
        })
        .await?;
    let with_reads = q.reads.unwrap_or(false);
    let out = entries
        .into_iter()
        .filter(|e| with_reads || e.kind != qorgau_evidence::EventKind::Read)
        .map(|e| TimelineEntry {
            seq: e.seq,
            at: e.at.to_utc_string(),
            kind: e.kind.as_str().into(),
            actor: e.actor.user,
            details: serde_json::from_str(&e.details).unwrap_or(serde_json::Value::Null),
            entry_hash: e.entry_hash.to_hex(),
        })
        .collect();
    record_read(&state, &principal, &loaded, "timeline").await?;
    Ok(Json(out))
}

/// An authorised decision to send a consent-bound referral without consent.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OverrideRequest {
    /// The agency kind the rules hold back (from the case's routing view).
    pub agency_kind: String,
    /// Why (for example the protection of a minor); kept in the ledger.
    pub reason: String,
}

/// Sends a referral the rules hold for consent, on an authorised person's
/// decision with a reason.
#[utoipa::path(post, path = "/api/cases/{id}/referrals", tag = "cases",
    params(("id" = String, Path, description = "Case id")),
    request_body = OverrideRequest,
    responses(
        (status = 201, description = "Sent", body = ReferralView),
        (status = 400, description = "Nothing held for that agency, or no reason", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "No such case", body = ErrorBody),
        (status = 409, description = "The case is closed", body = ErrorBody),
    ))]
pub async fn override_consent(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
    Body(req): Body<OverrideRequest>,
) -> Result<(StatusCode, Json<ReferralView>), ApiError> {
    principal.require(Permission::OverrideConsent)?;
    let loaded = load(&state, &principal, &id).await?;
    if !loaded.access.owner {
        return Err(ApiError::Forbidden(
            "only the agency that owns the case sends its referrals".into(),
        ));
    }
    if loaded.case.status == CaseStatus::Closed {
        return Err(ApiError::Conflict("the case is closed".into()));
    }
    let reason = text("reason", &req.reason, NOTE_MAX)?;
    let actor = actor_of(&state, &principal.user.username);
    let run = route_case(
        &state,
        &loaded.case,
        &actor,
        Some((
            req.agency_kind.as_str(),
            ConsentOverride {
                by: principal.user.username.clone(),
                reason,
            },
        )),
    )
    .await?;
    let sent = run
        .sent
        .iter()
        .find(|r| r.agency_kind == req.agency_kind)
        .ok_or_else(|| {
            ApiError::BadRequest(format!(
                "the rules hold no referral to {:?} for consent in this case",
                req.agency_kind
            ))
        })?;
    Ok((StatusCode::CREATED, Json(ReferralView::of(sent))))
}
