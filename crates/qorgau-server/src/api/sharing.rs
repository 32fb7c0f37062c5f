//! Sharing a case's indicators with partners as a STIX 2.1 bundle.
//!
//! The investigator chooses which of the case's identifiers to share and
//! names the part each plays in the network (recruiting, payment…): that is
//! a person's decision, never inferred. The server accepts only identifiers
//! the case itself points to, so nothing outside the case (and no victim's
//! personal data, which is sealed elsewhere) can leave through it; the
//! bundle's types carry no field for a person at all (`qorgau-stix`).

use axum::Json;
use axum::extract::{Path, State};
use qorgau_core::Sha256Digest;
use qorgau_response::{Permission, normalise_resource};
use qorgau_routing::Scope;
use qorgau_stix::{
    CaseIndicators, CaseRef, Indicator, IndicatorKind, Relation, Scenario, Tlp, export_bundle,
};
use qorgau_store::ChangeBy;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::api::cases::load;
use crate::auth::Principal;
use crate::error::{ApiError, ErrorBody};
use crate::flow::actor_of;
use crate::json::Body;
use crate::state::AppState;

/// What to share.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShareRequest {
    /// The report's title, seen by every recipient (never a person's name).
    pub title: String,
    /// clear, green, amber, amber_strict or red.
    #[schema(value_type = String)]
    pub tlp: Tlp,
    /// The identifiers to share, each with its kind, value, role in the
    /// network, first seen and confidence (see the STIX model).
    #[schema(value_type = Vec<Object>)]
    pub indicators: Vec<Indicator>,
    /// Links between them.
    #[schema(value_type = Vec<Object>)]
    #[serde(default)]
    pub relations: Vec<Relation>,
    /// Recruitment scenarios of the case.
    #[schema(value_type = Vec<String>)]
    #[serde(default)]
    pub scenarios: Vec<Scenario>,
    /// Sharing groups (ids) whose TAXII collections receive the bundle's
    /// objects; the case's agency must be a writer in each, and each must
    /// accept the bundle's TLP. Empty: the bundle is only returned.
    #[serde(default)]
    pub publish_to: Vec<String>,
}

/// The case key an indicator corresponds to, in the form case keys take.
fn key_of(indicator: &Indicator) -> Option<(String, String)> {
    let v = indicator.value.trim();
    Some(match &indicator.kind {
        IndicatorKind::Url => ("resource".into(), normalise_resource(v)?),
        IndicatorKind::Domain => (
            "domain".into(),
            v.trim_end_matches('.')
                .to_lowercase()
                .trim_start_matches("www.")
                .to_owned(),
        ),
        IndicatorKind::Email => ("email".into(), v.to_lowercase()),
        IndicatorKind::Phone => (
            "phone".into(),
            format!(
                "+{}",
                v.chars().filter(char::is_ascii_digit).collect::<String>()
            ),
        ),
        IndicatorKind::Handle { platform } => (
            "handle".into(),
            format!(
                "{}:{}",
                platform.account_type(),
                v.trim_start_matches('@').to_lowercase()
            ),
        ),
        IndicatorKind::Wallet { .. } => ("wallet".into(), v.to_owned()),
    })
}

/// A case name as a STIX case reference: characters outside
/// `[A-Za-z0-9._-]` become `-`.
fn case_ref(name: &str) -> Result<CaseRef, ApiError> {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '-'
            }
        })
        .take(64)
        .collect();
    CaseRef::new(cleaned).map_err(|e| ApiError::Internal(e.to_string()))
}

/// Exports chosen indicators of the case as a STIX 2.1 bundle with a TLP
/// 2.0 marking (the agency that owns the case only), and publishes it to
/// the TAXII collections of the sharing groups named; the bundle's hash and
/// where it went go into the case's ledger chain.
#[utoipa::path(post, path = "/api/cases/{id}/stix", tag = "sharing",
    params(("id" = String, Path, description = "Case id")),
    request_body = ShareRequest,
    responses(
        (status = 200, description = "The bundle", body = Object),
        (status = 400, description = "An indicator is not the case's, or invalid", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "No such case", body = ErrorBody),
    ))]
pub async fn export(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
    Body(req): Body<ShareRequest>,
) -> Result<Json<serde_json::Value>, ApiError> {
    principal.require(Permission::EditCases)?;
    let loaded = load(&state, &principal, &id).await?;
    if !(loaded.access.owner && loaded.access.sees(Scope::Operational)) {
        return Err(ApiError::Forbidden(
            "indicators are shared by the agency that owns the case".into(),
        ));
    }
    let store = &state.vault.store;
    let case = &loaded.case;
    let keys = store.case_keys(case.case.id).await?;
    for (n, indicator) in req.indicators.iter().enumerate() {
        let key = key_of(indicator);
        if !key
            .as_ref()
            .is_some_and(|(k, v)| keys.iter().any(|c| &c.kind == k && &c.value == v))
        {
            return Err(ApiError::BadRequest(format!(
                "indicator #{} {:?} is not an identifier of this case; add it to the case first",
                n + 1,
                indicator.value
            )));
        }
    }
    let mut targets = Vec::new();
    if !req.publish_to.is_empty() {
        principal.require(Permission::ShareIndicators)?;
        let groups = store.sharing_groups().await?;
        for text in &req.publish_to {
            let group = uuid::Uuid::parse_str(text.trim())
                .ok()
                .and_then(|id| groups.iter().find(|g| g.id == id))
                .filter(|g| {
                    g.members
                        .iter()
                        .any(|m| m.agency_id == case.owner_agency_id && m.can_write)
                })
                .ok_or_else(|| {
                    ApiError::BadRequest(format!(
                        "publish_to {text:?}: no sharing group your agency may add to"
                    ))
                })?;
            if req.tlp > group.max_tlp {
                return Err(ApiError::BadRequest(format!(
                    "sharing group {:?} accepts at most {}; this bundle is {}",
                    group.title,
                    group.max_tlp.name(),
                    req.tlp.name()
                )));
            }
            targets.push(group.id);
        }
    }
    let seed = store.share_seed(case.case.id).await?;
    let producer = store
        .agency(case.owner_agency_id)
        .await?
        .map(|a| a.name_en)
        .unwrap_or_else(|| "Qorgau".into());
    let input = CaseIndicators {
        case_ref: case_ref(case.case.name.as_str())?,
        id_seed: seed.as_uuid(),
        title: req.title,
        created: case.case.created_at.as_datetime(),
        modified: case.updated_at.as_datetime(),
        producer,
        tlp: req.tlp,
        scenarios: req.scenarios,
        indicators: req.indicators,
        relations: req.relations,
    };
    let bundle = export_bundle(&input).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let value = bundle.to_value();
    let text = serde_json::to_vec(&value).map_err(|e| ApiError::Internal(e.to_string()))?;
    let digest =
        Sha256Digest::from_bytes(<sha2::Sha256 as sha2::Digest>::digest(&text).into()).to_hex();
    let mut published = Vec::new();
    for group in targets {
        let status =
            crate::taxii::publish(&state, case.owner_agency_id, group, &bundle.objects).await?;
        if status.failure_count > 0 {
            return Err(ApiError::BadRequest(format!(
                "sharing group {group} refused {} of the objects: {}",
                status.failure_count,
                status
                    .failures
                    .iter()
                    .filter_map(|f| f.message.clone())
                    .collect::<Vec<_>>()
                    .join("; ")
            )));
        }
        published.push(serde_json::json!({"group": group, "status": status.id, "objects": status.success_count}));
    }
    let actor = actor_of(&state, &principal.user.username);
    store
        .record_change(
            case.case.id,
            serde_json::json!({
                "action": "indicators_shared",
                "bundle": bundle.id,
                "sha256": digest,
                "tlp": input.tlp,
                "indicators": input.indicators.len(),
                "published_to": published,
            }),
            ChangeBy {
                actor: &actor,
                tool: &state.vault.tool,
                key: &state.vault.key,
            },
        )
        .await?;
    Ok(Json(value))
}
