//! Victims over the API: the screening form with the digital block, victim
//! records with sealed personal data, and consent per disclosure.
//!
//! A positive screening is a referral to special social services even when
//! there is no criminal case (study 4.3): without a case to attach it to, a
//! support case is opened for it in the screener's agency. Personal data is
//! sealed with the key outside the database; it is opened only for a caller
//! whose role may see identities, and only the categories the agency may
//! have: all of them in the agency that recorded it, in another agency what
//! the person's consent covers. Every opening is a `read` entry.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use qorgau_core::{CaseName, Id};
use qorgau_response::{CaseKind, CaseStatus, Permission, check_text};
use qorgau_routing::Scope;
use qorgau_store::{CaseUpdate, ChangeBy, NewCaseFile, StoredVictim};
use qorgau_victims::{
    AgeBand, Answer, Consent, ConsentDraft, ConsentMethod, DataCategory, DisclosureRequest, Lang,
    MinorStatus, Outcome, PERSONAL_CATEGORIES, PersonalData, PersonalDataAccess, Purpose,
    Recipient, ReferralStatus, ScreeningConfig, ScreeningInput, ScreeningResult, VictimFacts,
    VictimRecord, VictimView, coverage,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::cases::{Loaded, load, record_read};
use crate::api::parse_id;
use crate::api::referrals::ReferralView;
use crate::auth::Principal;
use crate::error::{ApiError, ErrorBody};
use crate::flow::{actor_of, route_case};
use crate::json::Body;
use crate::state::AppState;

fn form() -> Result<&'static ScreeningConfig, ApiError> {
    static FORM: OnceLock<Result<ScreeningConfig, String>> = OnceLock::new();
    FORM.get_or_init(|| ScreeningConfig::default_form().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| ApiError::Internal(format!("screening form: {e}")))
}

fn lang_of(text: Option<&str>) -> Result<Lang, ApiError> {
    match text.unwrap_or("ru") {
        "ru" => Ok(Lang::Ru),
        "kk" => Ok(Lang::Kk),
        "en" => Ok(Lang::En),
        other => Err(ApiError::BadRequest(format!(
            "language {other:?}: use ru, kk or en"
        ))),
    }
}

/// The screening form: indicators by group (physical, psychological,
/// economic and the digital block), their questions in ru, kk and en, weights
/// and thresholds, with the version that results cite.
#[utoipa::path(get, path = "/api/screening/form", tag = "victims",
    responses(
        (status = 200, description = "The form", body = Object),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
    ))]
pub async fn screening_form(principal: Principal) -> Result<Json<serde_json::Value>, ApiError> {
    principal.require(Permission::ScreenVictims)?;
    let value = serde_json::to_value(form()?).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(Json(value))
}

/// A screening as a worker submits it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewScreening {
    /// Answers by indicator id: yes, no, not_sure or declined.
    #[schema(value_type = Object)]
    pub answers: std::collections::BTreeMap<String, Answer>,
    /// minor, presumed_minor, adult or unknown.
    #[schema(value_type = Option<String>)]
    pub minor: Option<MinorStatus>,
    /// Age band (under14, from14_to17, …), if known.
    #[schema(value_type = Option<String>)]
    pub age_band: Option<AgeBand>,
    /// The case to record the victim in (the caller's agency must own it);
    /// without one, a positive or possible screening opens a support case.
    pub case: Option<String>,
    /// How the case refers to the person (a pseudonym), e.g. "Person K".
    pub label: String,
    /// Personal data, sealed on arrival.
    #[schema(value_type = Option<Object>)]
    pub personal: Option<PersonalData>,
    /// Language of the explanation (ru, kk, en; default ru).
    pub lang: Option<String>,
}

/// What a screening gave.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScreeningView {
    /// positive, possible or negative.
    pub outcome: String,
    /// The outcome in words, in the requested language.
    pub headline: String,
    /// Why: every contribution, threshold and rule, in words.
    pub explanation: String,
    /// The scored result (contributions, group scores, referral need).
    #[schema(value_type = Object)]
    pub result: ScreeningResult,
    /// The victim record made (positive or possible outcomes only).
    pub victim: Option<String>,
    /// The case it is in.
    pub case: Option<String>,
    /// Referrals sent because of it.
    pub sent: Vec<ReferralView>,
}

/// Scores a screening. A positive or possible outcome records the person as
/// a victim with sealed personal data (in the given case, or in a new
/// support case); a positive one sets "victim identified" on the case, so
/// the routing rules refer the person to social services at once. A
/// negative outcome stores nothing: there is no one to protect the data for.
#[utoipa::path(post, path = "/api/screenings", tag = "victims",
    request_body = NewScreening,
    responses(
        (status = 201, description = "Scored and recorded", body = ScreeningView),
        (status = 200, description = "Scored; negative, nothing stored", body = ScreeningView),
        (status = 400, description = "Invalid answers", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "No such case", body = ErrorBody),
        (status = 409, description = "The case is closed", body = ErrorBody),
    ))]
pub async fn screen(
    State(state): State<AppState>,
    principal: Principal,
    Body(new): Body<NewScreening>,
) -> Result<(StatusCode, Json<ScreeningView>), ApiError> {
    principal.require(Permission::ScreenVictims)?;
    let lang = lang_of(new.lang.as_deref())?;
    let label =
        check_text("label", &new.label, 120).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let form = form()?;
    let minor = new.minor.unwrap_or_default();
    let input = ScreeningInput {
        answers: new.answers,
        minor,
    };
    let result = form
        .screen(&input)
        .map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let mut view = ScreeningView {
        outcome: outcome_name(result.outcome).into(),
        headline: result.headline(lang).into(),
        explanation: result.explain(form, lang),
        result: result.clone(),
        victim: None,
        case: None,
        sent: Vec::new(),
    };
    if result.outcome == Outcome::Negative {
        return Ok((StatusCode::OK, Json(view)));
    }
    let actor = actor_of(&state, &principal.user.username);
    let by = ChangeBy {
        actor: &actor,
        tool: &state.vault.tool,
        key: &state.vault.key,
    };
    let store = &state.vault.store;
    // The case: the one given (owned by the caller's agency), or a new
    // support case.
    let mut case = match &new.case {
        Some(id) => {
            let loaded = load(&state, &principal, id).await?;
            if !loaded.access.owner {
                return Err(ApiError::Forbidden(
                    "victims are recorded by the agency that owns the case".into(),
                ));
            }
            if loaded.case.status == CaseStatus::Closed {
                return Err(ApiError::Conflict("the case is closed".into()));
            }
            loaded.case
        }
        None => {
            let now = state.clock.now();
            let hint = Id::new().to_string();
            let name = CaseName::parse(&format!(
                "S-{}-{}",
                now.as_datetime().format("%Y%m%d"),
                &hint[hint.len() - 8..]
            ))
            .map_err(|e| ApiError::Internal(e.to_string()))?;
            store
                .create_case_file(
                    &NewCaseFile {
                        name,
                        title: format!("Support: {label}"),
                        kind: CaseKind::Support,
                        owner_agency_id: principal.user.agency_id,
                        facts: Default::default(),
                        signals: Vec::new(),
                        keys: Vec::new(),
                        tasks: Vec::new(),
                    },
                    by,
                )
                .await?
        }
    };
    let victim_id = Id::new();
    let facts = VictimFacts {
        age_band: new.age_band.unwrap_or(AgeBand::Unknown),
        minor,
        screening_outcome: Some(result.outcome),
        referral_status: if result.referral.is_some() {
            ReferralStatus::Pending
        } else {
            ReferralStatus::None
        },
    };
    let keys = &state.victim_keys;
    let record = VictimRecord::new(
        victim_id.as_uuid(),
        Some(case.case.id.as_uuid()),
        facts,
        &new.personal.unwrap_or_default(),
        keys,
    )
    .map_err(|e| ApiError::Internal(format!("sealing: {e}")))?;
    let screening_json =
        serde_json::to_vec(&result).map_err(|e| ApiError::Internal(e.to_string()))?;
    let sealed_screening =
        qorgau_victims::seal::seal(keys.current(), victim_id.as_uuid(), &screening_json)
            .map_err(|e| ApiError::Internal(format!("sealing: {e}")))?;
    store
        .add_victim(case.case.id, &label, &record, Some(&sealed_screening), by)
        .await?;
    // What routing depends on: a victim identified (positive), a minor.
    let mut facts = case.facts.clone();
    let mut changed = false;
    if result.outcome == Outcome::Positive && !facts.victim_identified {
        facts.victim_identified = true;
        changed = true;
    }
    if minor.protections_apply() && !facts.minor_involved {
        facts.minor_involved = true;
        changed = true;
    }
    if changed {
        let current = store
            .case_file(case.case.id)
            .await?
            .ok_or_else(|| ApiError::Internal("the case vanished".into()))?;
        case = store
            .update_case_file(
                current.case.id,
                current.version,
                CaseUpdate {
                    title: &current.title,
                    status: current.status,
                    facts: &facts,
                    articles: &current.articles,
                },
                by,
            )
            .await?;
    }
    let run = route_case(&state, &case, &actor, None).await?;
    view.victim = Some(victim_id.to_string());
    view.case = Some(case.case.id.to_string());
    view.sent = run.sent.iter().map(ReferralView::of).collect();
    Ok((StatusCode::CREATED, Json(view)))
}

fn outcome_name(o: Outcome) -> &'static str {
    match o {
        Outcome::Positive => "positive",
        Outcome::Possible => "possible",
        Outcome::Negative => "negative",
    }
}

/// The purpose a reading agency works for, by its kind: what its consent
/// must name.
fn purpose_of(kind: &str) -> Purpose {
    match kind {
        "child_rights_committee" => Purpose::ChildProtection,
        "mvd_cyber" | "mvd_investigation" | "prosecutor" | "interpol_ncb" | "fiu" => {
            Purpose::CriminalProceedings
        }
        _ => Purpose::SpecialSocialServices,
    }
}

/// Loads a victim and the case it is in, as the caller may see them.
async fn load_victim(
    state: &AppState,
    principal: &Principal,
    id: &str,
) -> Result<(StoredVictim, Loaded), ApiError> {
    principal.require(Permission::ReadCases)?;
    let victim_id = parse_id(id)?;
    let not_found = || ApiError::NotFound("no such victim record".into());
    let victim = state
        .vault
        .store
        .victim(victim_id)
        .await?
        .ok_or_else(not_found)?;
    let loaded = load(state, principal, &victim.case_id.to_string())
        .await
        .map_err(|e| match e {
            ApiError::NotFound(_) => not_found(),
            other => other,
        })?;
    if !(loaded.access.sees(Scope::VictimSupport) || loaded.access.sees(Scope::Operational)) {
        return Err(not_found());
    }
    Ok((victim, loaded))
}

/// A victim record as the caller may see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct VictimPage {
    /// The record: `sealed` (facts only) or `personal` (with the categories
    /// granted, and those withheld).
    #[schema(value_type = Object)]
    pub view: VictimView,
    /// The categories of personal data opened for the caller.
    #[schema(value_type = Vec<String>)]
    pub granted: BTreeSet<DataCategory>,
    /// The person's consents (agency that recorded the victim only).
    #[schema(value_type = Option<Vec<Object>>)]
    pub consents: Option<Vec<Consent>>,
}

/// Reads a victim record. Personal data is opened only for roles that may
/// see identities, in the categories the agency may have; the read and
/// what it opened go into the case's ledger chain.
#[utoipa::path(get, path = "/api/victims/{id}", tag = "victims",
    params(("id" = String, Path, description = "Victim record id")),
    responses(
        (status = 200, description = "The record", body = VictimPage),
        (status = 400, description = "Invalid id", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "No such record, or not yours to see", body = ErrorBody),
    ))]
pub async fn victim(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
) -> Result<Json<VictimPage>, ApiError> {
    let (victim, loaded) = load_victim(&state, &principal, &id).await?;
    let consents = state
        .vault
        .store
        .consents(Id::from_uuid(victim.record.id))
        .await?;
    let granted: BTreeSet<DataCategory> = if !loaded.access.victim_identity {
        BTreeSet::new()
    } else if loaded.access.owner {
        PERSONAL_CATEGORIES.into_iter().collect()
    } else {
        let agency = state
            .vault
            .store
            .agency(principal.user.agency_id)
            .await?
            .ok_or_else(|| ApiError::Internal("the caller's agency vanished".into()))?;
        let request = DisclosureRequest {
            record_id: victim.record.id,
            recipient: Recipient {
                agency: agency.kind.clone(),
                organisation: Some(agency.code.clone()),
            },
            categories: PERSONAL_CATEGORIES.into_iter().collect(),
            purpose: purpose_of(&agency.kind),
            subject: victim.record.facts.minor,
            at: state.clock.now().as_datetime(),
        };
        coverage(&consents, &request).covered.into_keys().collect()
    };
    let access = if granted.is_empty() {
        PersonalDataAccess::Denied
    } else {
        PersonalDataAccess::Granted {
            categories: granted.clone(),
        }
    };
    let view = victim
        .record
        .view(&access, &state.victim_keys)
        .map_err(|e| ApiError::Internal(format!("opening a sealed record: {e}")))?;
    record_read(
        &state,
        &principal,
        &loaded,
        &format!(
            "victim {} ({})",
            victim.record.id,
            if granted.is_empty() {
                "sealed view"
            } else {
                "personal data"
            }
        ),
    )
    .await?;
    Ok(Json(VictimPage {
        view,
        granted,
        consents: loaded.access.owner.then_some(consents),
    }))
}

/// A consent as the worker records it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewConsent {
    /// The agency kind that may receive the data (ngo, social_services…).
    pub recipient_kind: String,
    /// One organisation of that kind (its code), or any of the kind.
    pub recipient_code: Option<String>,
    /// Which data: identity, contacts, address, documents, notes,
    /// screening, health, images.
    #[schema(value_type = Vec<String>)]
    pub categories: BTreeSet<DataCategory>,
    /// For what: special_social_services, shelter, legal_aid, medical_care,
    /// child_protection, criminal_proceedings, repatriation.
    #[schema(value_type = String)]
    pub purpose: Purpose,
    /// How it was given (signed_form, oral_with_witness,
    /// legal_representative) with its details.
    #[schema(value_type = Object)]
    pub method: ConsentMethod,
    /// When the person gave it (UTC, RFC 3339); default now.
    pub given_at: Option<String>,
    /// When it lapses (UTC, RFC 3339), if the person set a limit.
    pub valid_until: Option<String>,
}

fn time_of(field: &str, text: &str) -> Result<chrono::DateTime<chrono::Utc>, ApiError> {
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&chrono::Utc))
        .map_err(|e| ApiError::BadRequest(format!("{field} {text:?}: {e}")))
}

/// Whether any consent in force lets the data go to an NGO: the fact
/// routing's consent-bound rules test.
fn consent_in_force(consents: &[Consent], at: chrono::DateTime<chrono::Utc>) -> bool {
    consents
        .iter()
        .any(|c| c.state_at(at) == qorgau_victims::ConsentState::Active)
}

/// Records the person's consent to a disclosure; the routing rules run
/// again, so a referral waiting for consent goes out.
#[utoipa::path(post, path = "/api/victims/{id}/consents", tag = "victims",
    params(("id" = String, Path, description = "Victim record id")),
    request_body = NewConsent,
    responses(
        (status = 201, description = "Recorded", body = Object),
        (status = 400, description = "Invalid consent", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "No such record", body = ErrorBody),
    ))]
pub async fn add_consent(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
    Body(new): Body<NewConsent>,
) -> Result<(StatusCode, Json<serde_json::Value>), ApiError> {
    principal.require(Permission::ScreenVictims)?;
    let (victim, loaded) = load_victim(&state, &principal, &id).await?;
    if !loaded.access.owner {
        return Err(ApiError::Forbidden(
            "consent is recorded by the agency that recorded the victim".into(),
        ));
    }
    let now = state.clock.now().as_datetime();
    let draft = ConsentDraft {
        record_id: victim.record.id,
        recipient: Recipient {
            agency: new.recipient_kind,
            organisation: new.recipient_code,
        },
        categories: new.categories,
        purpose: new.purpose,
        given_at: match &new.given_at {
            Some(t) => time_of("given_at", t)?,
            None => now,
        },
        method: new.method,
        recorded_by: principal.user.username.clone(),
        valid_until: new
            .valid_until
            .as_deref()
            .map(|t| time_of("valid_until", t))
            .transpose()?,
    };
    let consent = Consent::record(draft, now).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let sent = save_and_route(
        &state,
        &principal,
        &victim,
        &loaded,
        &consent,
        "consent_recorded",
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(serde_json::json!({ "consent": consent, "sent": sent })),
    ))
}

/// A withdrawal.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Withdraw {
    /// The person's words or the circumstances.
    pub note: Option<String>,
}

/// Records that the person withdrew a consent: from now on it covers
/// nothing (referrals already made stay, with the withdrawal on record).
#[utoipa::path(post, path = "/api/victims/{id}/consents/{consent}/withdrawal", tag = "victims",
    params(
        ("id" = String, Path, description = "Victim record id"),
        ("consent" = String, Path, description = "Consent id"),
    ),
    request_body = Withdraw,
    responses(
        (status = 200, description = "Withdrawn", body = Object),
        (status = 400, description = "Invalid id", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "No such record or consent", body = ErrorBody),
        (status = 409, description = "Already withdrawn", body = ErrorBody),
    ))]
pub async fn withdraw_consent(
    State(state): State<AppState>,
    principal: Principal,
    Path((id, consent_id)): Path<(String, String)>,
    Body(w): Body<Withdraw>,
) -> Result<Json<serde_json::Value>, ApiError> {
    principal.require(Permission::ScreenVictims)?;
    let (victim, loaded) = load_victim(&state, &principal, &id).await?;
    if !loaded.access.owner {
        return Err(ApiError::Forbidden(
            "consent is recorded by the agency that recorded the victim".into(),
        ));
    }
    let consent_id = parse_id(&consent_id)?;
    let mut consent = state
        .vault
        .store
        .consents(Id::from_uuid(victim.record.id))
        .await?
        .into_iter()
        .find(|c| c.id == consent_id.as_uuid())
        .ok_or_else(|| ApiError::NotFound("no such consent".into()))?;
    consent
        .withdraw(
            state.clock.now().as_datetime(),
            &principal.user.username,
            w.note,
        )
        .map_err(|e| match e {
            qorgau_victims::ConsentError::AlreadyWithdrawn(_) => ApiError::Conflict(e.to_string()),
            other => ApiError::BadRequest(other.to_string()),
        })?;
    save_and_route(
        &state,
        &principal,
        &victim,
        &loaded,
        &consent,
        "consent_withdrawn",
    )
    .await?;
    Ok(Json(serde_json::json!({ "consent": consent })))
}

/// Saves a consent and brings the case's "consent" fact in line with the
/// consents in force, re-running routing when it changed.
async fn save_and_route(
    state: &AppState,
    principal: &Principal,
    victim: &StoredVictim,
    loaded: &Loaded,
    consent: &Consent,
    action: &str,
) -> Result<Vec<ReferralView>, ApiError> {
    let actor = actor_of(state, &principal.user.username);
    let by = ChangeBy {
        actor: &actor,
        tool: &state.vault.tool,
        key: &state.vault.key,
    };
    let store = &state.vault.store;
    store
        .save_consent(victim.case_id, consent, action, by)
        .await?;
    let consents = store.consents(Id::from_uuid(victim.record.id)).await?;
    let in_force = consent_in_force(&consents, state.clock.now().as_datetime());
    let case = store
        .case_file(loaded.case.case.id)
        .await?
        .ok_or_else(|| ApiError::Internal("the case vanished".into()))?;
    if case.facts.victim_consent == in_force || case.status == CaseStatus::Closed {
        return Ok(Vec::new());
    }
    let mut facts = case.facts.clone();
    facts.victim_consent = in_force;
    let case = store
        .update_case_file(
            case.case.id,
            case.version,
            CaseUpdate {
                title: &case.title,
                status: case.status,
                facts: &facts,
                articles: &case.articles,
            },
            by,
        )
        .await?;
    let run = route_case(state, &case, &actor, None).await?;
    Ok(run.sent.iter().map(ReferralView::of).collect())
}
