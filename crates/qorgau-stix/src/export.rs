//! A case's indicators as one STIX 2.1 bundle.
//!
//! # What each indicator becomes
//!
//! | kind | cyber-observable (SCO) | ID-contributing properties | pattern |
//! |---|---|---|---|
//! | domain | `domain-name` | `value` | `[domain-name:value = '…']` |
//! | URL | `url` | `value` | `[url:value = '…']` |
//! | e-mail | `email-addr` | `value` | `[email-addr:value = '…']` |
//! | handle | `user-account` (`account_type` = platform, `account_login` = name) | `account_type`, `account_login` | both, joined by `AND` |
//! | wallet | `cryptocurrency-wallet` (`value`, `chain`) | `value` | `[cryptocurrency-wallet:value = '…']` |
//! | phone | `phone-number` (`value`, E.164) | `value` | `[phone-number:value = '…']` |
//!
//! Each indicator also gets an `observed-data` (its first and last sighting
//! and how often it was seen, over the SCO), an `indicator` (the pattern,
//! `valid_from` = first seen, confidence, labels for role and scenarios) and a
//! `based-on` relationship from the indicator to the observed-data. Relations
//! of the case become `related-to` relationships between the SCOs, described
//! by the reason. One `report` refers to every object of the case: it is the
//! network. An `identity` (class `organization`) names the producer and is
//! the `created_by_ref` of every case object; every case object carries the
//! case's TLP 2.0 marking in `object_marking_refs`.
//!
//! # Phones and wallets
//!
//! STIX 2.1 has no observable for phone numbers or cryptocurrency addresses.
//! The choices were: a pattern-only indicator with no SCO (nothing for a
//! consumer to pivot on), MISP's `x-misp-attribute` (understood by MISP
//! only), the `muchdogesec` `stix2extensions` objects (`address`/`number`
//! properties, little adoption), or the types OpenCTI — a widely deployed
//! open STIX 2.1 platform — uses natively: `phone-number` and
//! `cryptocurrency-wallet`, each with one `value` property and `value` as
//! the only ID-contributing property (its client library `pycti` declares
//! them so). This crate writes OpenCTI's types and properties, so OpenCTI
//! can import them as its own observables with the ids `pycti` computes
//! (not yet tried against a running OpenCTI), and makes them conformant
//! STIX 2.1 custom objects by declaring each with
//! an `extension-definition` of `extension_type` `new-sco` (published by
//! Qorgau, included in every bundle) that the object names in its
//! `extensions`. The wallet's chain travels in an extra `chain` property
//! that the extension defines; it does not contribute to the id because the
//! same address string on EVM chains is the same key holder.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;
use serde::ser::SerializeStruct;
use serde_json::{Value, json};

use crate::error::{ExportError, ValueProblem};
use crate::ids::{QORGAU_SEED, derived_id, sco_id};
use crate::model::{CaseIndicators, Indicator, IndicatorKind, Platform};
use crate::normalise::{check_slug, normalise_value};
use crate::pattern::equality_pattern;
use crate::time::stix_timestamp;
use crate::tlp::tlp2_extension_definition;

/// The `extension-definition` that declares the `phone-number` SCO.
pub const PHONE_NUMBER_EXTENSION_ID: &str =
    "extension-definition--e0d891c4-c343-4409-8d7d-53f0937dfb1b";
/// The `extension-definition` that declares the `cryptocurrency-wallet` SCO.
pub const CRYPTOCURRENCY_WALLET_EXTENSION_ID: &str =
    "extension-definition--7ad32d02-cf23-4618-b3b3-a655569781dd";
/// The `identity` (class `system`) that publishes Qorgau's extension
/// definitions; `created_by_ref` is required on an extension definition.
pub const QORGAU_IDENTITY_ID: &str = "identity--7db13475-d4e0-4293-a8ad-3b413c6d96b5";
/// `created`/`modified` of the objects Qorgau publishes once for all cases
/// (its identity, its extension definitions): fixed, so every bundle carries
/// the identical version and a TAXII server stores it once.
pub const QORGAU_DEFINITIONS_CREATED: &str = "2026-01-01T00:00:00.000Z";
/// `created`/`modified` of producer identities, fixed for the same reason:
/// the producer is the same object in every case it shares.
pub const PRODUCER_IDENTITY_CREATED: &str = "2026-01-01T00:00:00.000Z";

/// A STIX 2.1 bundle: the unit a partner receives as a file or a TAXII
/// server stores object by object.
#[derive(Clone, Debug, PartialEq)]
pub struct Bundle {
    /// `bundle--` and an id derived from the case's seed and the objects, so
    /// the same content always has the same bundle id.
    pub id: String,
    /// The objects, definitions first, report last.
    pub objects: Vec<Value>,
}

impl Bundle {
    /// The bundle as a JSON value (`type`, `id`, `objects`).
    pub fn to_value(&self) -> Value {
        json!({ "type": "bundle", "id": self.id, "objects": self.objects })
    }

    /// The objects of one STIX type, for tests and summaries.
    pub fn objects_of_type<'a>(
        &'a self,
        object_type: &'a str,
    ) -> impl Iterator<Item = &'a Value> + 'a {
        self.objects
            .iter()
            .filter(move |o| o.get("type").and_then(Value::as_str) == Some(object_type))
    }
}

impl Serialize for Bundle {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Bundle", 3)?;
        s.serialize_field("type", "bundle")?;
        s.serialize_field("id", &self.id)?;
        s.serialize_field("objects", &self.objects)?;
        s.end()
    }
}

/// One indicator after validation: its normalised value, SCO and pattern.
#[derive(Clone, Debug, PartialEq)]
pub struct Observable {
    /// STIX type of the SCO.
    pub object_type: &'static str,
    /// The normalised value.
    pub value: String,
    /// The SCO, with its deterministic id.
    pub object: Value,
    /// The indicator's STIX pattern.
    pub pattern: String,
}

impl Observable {
    /// The SCO's id.
    pub fn id(&self) -> &str {
        self.object
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
    }
}

/// An SCO's type, its ID-contributing properties and its other properties.
type ObservableParts = (
    &'static str,
    Vec<(&'static str, String)>,
    Vec<(&'static str, Value)>,
);

/// Validates one indicator's kind and value and builds its SCO and pattern
/// (without markings). Exposed so a caller can check an indicator, or show a
/// partner-facing id, before a case is exported.
pub fn observable(kind: &IndicatorKind, raw_value: &str) -> Result<Observable, ValueProblem> {
    let value = normalise_value(kind, raw_value)?;
    let (object_type, contributing, extra): ObservableParts = match kind {
        IndicatorKind::Domain => ("domain-name", vec![("value", value.clone())], vec![]),
        IndicatorKind::Url => ("url", vec![("value", value.clone())], vec![]),
        IndicatorKind::Email => ("email-addr", vec![("value", value.clone())], vec![]),
        IndicatorKind::Handle { platform } => (
            "user-account",
            vec![
                ("account_type", platform.account_type().to_owned()),
                ("account_login", value.clone()),
            ],
            vec![],
        ),
        IndicatorKind::Wallet { chain } => (
            "cryptocurrency-wallet",
            vec![("value", value.clone())],
            vec![
                ("chain", json!(chain.as_str())),
                (
                    "extensions",
                    json!({ CRYPTOCURRENCY_WALLET_EXTENSION_ID: { "extension_type": "new-sco" } }),
                ),
            ],
        ),
        IndicatorKind::Phone => (
            "phone-number",
            vec![("value", value.clone())],
            vec![(
                "extensions",
                json!({ PHONE_NUMBER_EXTENSION_ID: { "extension_type": "new-sco" } }),
            )],
        ),
    };
    let members: Vec<(&str, &str)> = contributing.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let id = sco_id(object_type, &members);
    let pattern = equality_pattern(object_type, &members);
    let mut object = serde_json::Map::new();
    object.insert("type".into(), json!(object_type));
    object.insert("spec_version".into(), json!("2.1"));
    object.insert("id".into(), json!(id));
    for (k, v) in contributing {
        object.insert(k.into(), json!(v));
    }
    for (k, v) in extra {
        object.insert(k.into(), v);
    }
    Ok(Observable {
        object_type,
        value,
        object: Value::Object(object),
        pattern,
    })
}

/// A short phrase naming the kind, for messages and indicator names.
pub fn kind_phrase(kind: &IndicatorKind) -> String {
    match kind {
        IndicatorKind::Domain => "domain".into(),
        IndicatorKind::Url => "URL".into(),
        IndicatorKind::Email => "e-mail address".into(),
        IndicatorKind::Handle { platform } => format!("{} account", platform_name(platform)),
        IndicatorKind::Wallet { chain } => format!("wallet on {}", chain.as_str()),
        IndicatorKind::Phone => "phone number".into(),
    }
}

fn platform_name(platform: &Platform) -> &str {
    match platform {
        Platform::Telegram => "Telegram",
        Platform::Whatsapp => "WhatsApp",
        Platform::Instagram => "Instagram",
        Platform::Tiktok => "TikTok",
        Platform::Vk => "VK",
        Platform::Facebook => "Facebook",
        Platform::X => "X",
        Platform::Olx => "OLX",
        Platform::Other(slug) => slug,
    }
}

fn check_text(text: &str, max: usize) -> Result<(), &'static str> {
    if text.trim().is_empty() {
        return Err("is empty");
    }
    if text.chars().count() > max {
        return Err("is too long");
    }
    if text.chars().any(char::is_control) {
        return Err("contains control characters");
    }
    Ok(())
}

fn indicator_error(number: usize, indicator: &Indicator, problem: ValueProblem) -> ExportError {
    ExportError::Indicator {
        number,
        kind: kind_phrase(&indicator.kind),
        value: indicator.value.clone(),
        problem,
    }
}

fn check_indicator(indicator: &Indicator) -> Result<(), ValueProblem> {
    match &indicator.kind {
        IndicatorKind::Handle {
            platform: Platform::Other(slug),
        } => check_slug(slug)?,
        IndicatorKind::Wallet {
            chain: crate::model::Chain::Other(slug),
        } => check_slug(slug)?,
        _ => {}
    }
    if indicator.confidence > 100 {
        return Err(ValueProblem::Confidence(indicator.confidence));
    }
    if indicator.times_seen == 0 {
        return Err(ValueProblem::TimesSeen);
    }
    if indicator
        .last_seen
        .is_some_and(|last| last < indicator.first_seen)
    {
        return Err(ValueProblem::SeenOrder);
    }
    Ok(())
}

/// Builds the bundle of a case. A pure function of its input: the same case
/// yields byte-identical JSON, and a changed case (with a later `modified`)
/// yields new versions of the same object ids.
///
/// Fails, naming the indicator or relation, on the first value that cannot
/// be shared; never panics.
pub fn export_bundle(case: &CaseIndicators) -> Result<Bundle, ExportError> {
    check_text(&case.title, CaseIndicators::TITLE_MAX_CHARS).map_err(ExportError::Title)?;
    check_text(&case.producer, CaseIndicators::PRODUCER_MAX_CHARS)
        .map_err(ExportError::Producer)?;
    if case.modified < case.created {
        return Err(ExportError::CaseTimes);
    }
    if case.indicators.is_empty() {
        return Err(ExportError::NoIndicators);
    }

    let mut observables = Vec::with_capacity(case.indicators.len());
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, indicator) in case.indicators.iter().enumerate() {
        let number = i + 1;
        check_indicator(indicator).map_err(|p| indicator_error(number, indicator, p))?;
        let obs = observable(&indicator.kind, &indicator.value)
            .map_err(|p| indicator_error(number, indicator, p))?;
        if let Some(first) = seen.insert(obs.id().to_owned(), number) {
            return Err(ExportError::Duplicate {
                number,
                first,
                kind: kind_phrase(&indicator.kind),
                value: obs.value.clone(),
            });
        }
        observables.push(obs);
    }

    let case_ref = case.case_ref.as_str();
    let created = stix_timestamp(case.created);
    let modified = stix_timestamp(case.modified);
    let tlp_id = case.tlp.marking_definition_id();
    let seed = &case.id_seed;
    let producer_id = derived_id(
        &QORGAU_SEED,
        "identity",
        &["producer", case.producer.trim()],
    );

    let mut objects: Vec<Value> = vec![
        qorgau_identity(),
        tlp2_extension_definition(),
        case.tlp.marking_definition(),
        phone_extension_definition(),
        wallet_extension_definition(),
        json!({
            "type": "identity",
            "spec_version": "2.1",
            "id": producer_id,
            "created": PRODUCER_IDENTITY_CREATED,
            "modified": PRODUCER_IDENTITY_CREATED,
            "name": case.producer.trim(),
            "identity_class": "organization",
            "object_marking_refs": [tlp_id],
        }),
    ];
    let mut report_refs: Vec<String> = vec![producer_id.clone()];
    let marked = |mut object: Value| {
        if let Some(map) = object.as_object_mut() {
            map.insert("object_marking_refs".into(), json!([tlp_id]));
        }
        object
    };

    let mut sdos = Vec::new();
    for (indicator, obs) in case.indicators.iter().zip(&observables) {
        let sco_ref = obs.id().to_owned();
        objects.push(marked(obs.object.clone()));
        report_refs.push(sco_ref.clone());

        let observed_id = derived_id(seed, "observed-data", &[&sco_ref]);
        let last = indicator.last_seen.unwrap_or(indicator.first_seen);
        sdos.push(json!({
            "type": "observed-data",
            "spec_version": "2.1",
            "id": observed_id,
            "created": created,
            "modified": modified,
            "created_by_ref": producer_id,
            "first_observed": stix_timestamp(indicator.first_seen),
            "last_observed": stix_timestamp(last),
            "number_observed": indicator.times_seen,
            "object_refs": [sco_ref],
            "object_marking_refs": [tlp_id],
        }));

        let indicator_id = derived_id(seed, "indicator", &[&obs.pattern]);
        let mut labels: BTreeSet<&str> = BTreeSet::new();
        labels.insert(indicator.role.label());
        labels.extend(indicator.scenarios.iter().map(|s| s.as_str()));
        labels.extend(indicator.labels.iter().map(|l| l.as_str()));
        sdos.push(json!({
            "type": "indicator",
            "spec_version": "2.1",
            "id": indicator_id,
            "created": created,
            "modified": modified,
            "created_by_ref": producer_id,
            "name": format!("{} {}", kind_phrase(&indicator.kind), obs.value),
            "description": indicator_description(indicator),
            "indicator_types": ["malicious-activity"],
            "pattern": obs.pattern,
            "pattern_type": "stix",
            "pattern_version": "2.1",
            "valid_from": stix_timestamp(indicator.first_seen),
            "confidence": indicator.confidence,
            "labels": labels,
            "object_marking_refs": [tlp_id],
        }));

        let based_on = derived_id(
            seed,
            "relationship",
            &[&indicator_id, "based-on", &observed_id],
        );
        sdos.push(json!({
            "type": "relationship",
            "spec_version": "2.1",
            "id": based_on,
            "created": created,
            "modified": modified,
            "created_by_ref": producer_id,
            "relationship_type": "based-on",
            "source_ref": indicator_id,
            "target_ref": observed_id,
            "object_marking_refs": [tlp_id],
        }));
        report_refs.extend([observed_id, indicator_id, based_on]);
    }

    let mut related: BTreeSet<(String, String)> = BTreeSet::new();
    for (i, relation) in case.relations.iter().enumerate() {
        let number = i + 1;
        let error = |problem| ExportError::Relation {
            number,
            from: relation.from.clone(),
            to: relation.to.clone(),
            problem,
        };
        let from = find(case, &observables, &relation.from).map_err(error)?;
        let to = find(case, &observables, &relation.to).map_err(error)?;
        if from == to {
            return Err(error("links an indicator to itself"));
        }
        if !related.insert((from.to_owned(), to.to_owned())) {
            continue;
        }
        let id = derived_id(seed, "relationship", &[from, "related-to", to]);
        sdos.push(json!({
            "type": "relationship",
            "spec_version": "2.1",
            "id": id,
            "created": created,
            "modified": modified,
            "created_by_ref": producer_id,
            "relationship_type": "related-to",
            "description": relation.reason.description(),
            "source_ref": from,
            "target_ref": to,
            "object_marking_refs": [tlp_id],
        }));
        report_refs.push(id);
    }
    objects.extend(sdos);

    let scenarios: BTreeSet<&str> = case
        .scenarios
        .iter()
        .chain(case.indicators.iter().flat_map(|i| i.scenarios.iter()))
        .map(|s| s.as_str())
        .collect();
    let mut report = json!({
        "type": "report",
        "spec_version": "2.1",
        "id": derived_id(seed, "report", &[]),
        "created": created,
        "modified": modified,
        "created_by_ref": producer_id,
        "name": case.title.trim(),
        "description": format!(
            "Indicators of one human-trafficking network shared from case {case_ref}: {} identifiers and the links between them. No victim data is included.",
            case.indicators.len()
        ),
        "report_types": ["threat-report"],
        "published": modified,
        "object_refs": report_refs,
        "external_references": [{ "source_name": "qorgau-case", "external_id": case_ref }],
        "object_marking_refs": [tlp_id],
    });
    if !scenarios.is_empty()
        && let Some(map) = report.as_object_mut()
    {
        map.insert("labels".into(), json!(scenarios));
    }
    objects.push(report);

    let content = serde_json::to_string(&objects).unwrap_or_default();
    let id = derived_id(seed, "bundle", &[&content]);
    Ok(Bundle { id, objects })
}

/// The SCO id of the one indicator whose given or normalised value is `value`.
fn find<'a>(
    case: &CaseIndicators,
    observables: &'a [Observable],
    value: &str,
) -> Result<&'a str, &'static str> {
    let mut hits = case
        .indicators
        .iter()
        .zip(observables)
        .filter(|(indicator, obs)| indicator.value == value || obs.value == value)
        .map(|(_, obs)| obs.id());
    match (hits.next(), hits.next()) {
        (Some(id), None) => Ok(id),
        (None, _) => Err("names a value no indicator of the case has"),
        (Some(_), Some(_)) => Err("names a value several indicators have (different kinds)"),
    }
}

/// A description made only of the indicator's structured fields, so it
/// cannot carry anything the model does not.
fn indicator_description(indicator: &Indicator) -> String {
    let role = indicator
        .role
        .label()
        .trim_start_matches("role:")
        .replace('_', "-");
    let mut text = format!(
        "{} used by a human-trafficking network (funnel role: {role}). Seen {} time{} from {}",
        kind_phrase(&indicator.kind),
        indicator.times_seen,
        if indicator.times_seen == 1 { "" } else { "s" },
        stix_timestamp(indicator.first_seen),
    );
    if let Some(last) = indicator.last_seen {
        text.push_str(&format!(" to {}", stix_timestamp(last)));
    }
    text.push('.');
    if !indicator.scenarios.is_empty() {
        let names: Vec<&str> = indicator.scenarios.iter().map(|s| s.as_str()).collect();
        text.push_str(&format!(" Scenarios: {}.", names.join(", ")));
    }
    text
}

fn qorgau_identity() -> Value {
    json!({
        "type": "identity",
        "spec_version": "2.1",
        "id": QORGAU_IDENTITY_ID,
        "created": QORGAU_DEFINITIONS_CREATED,
        "modified": QORGAU_DEFINITIONS_CREATED,
        "name": "Qorgau",
        "identity_class": "system",
        "description": "Platform against online human trafficking; publisher of the phone-number and cryptocurrency-wallet extension definitions.",
    })
}

fn phone_extension_definition() -> Value {
    json!({
        "type": "extension-definition",
        "spec_version": "2.1",
        "id": PHONE_NUMBER_EXTENSION_ID,
        "created": QORGAU_DEFINITIONS_CREATED,
        "modified": QORGAU_DEFINITIONS_CREATED,
        "created_by_ref": QORGAU_IDENTITY_ID,
        "name": "phone-number",
        "description": "A telephone number, as OpenCTI's Phone-Number observable.",
        "schema": "SCO type 'phone-number'. Properties: type, spec_version, id (deterministic UUIDv5, ID-contributing property: value), value (string, required, E.164: '+' and 7-15 digits), extensions. Compatible with OpenCTI's phone-number.",
        "version": "1.0.0",
        "extension_types": ["new-sco"],
    })
}

fn wallet_extension_definition() -> Value {
    json!({
        "type": "extension-definition",
        "spec_version": "2.1",
        "id": CRYPTOCURRENCY_WALLET_EXTENSION_ID,
        "created": QORGAU_DEFINITIONS_CREATED,
        "modified": QORGAU_DEFINITIONS_CREATED,
        "created_by_ref": QORGAU_IDENTITY_ID,
        "name": "cryptocurrency-wallet",
        "description": "A cryptocurrency address, as OpenCTI's Cryptocurrency-Wallet observable, with the chain it belongs to.",
        "schema": "SCO type 'cryptocurrency-wallet'. Properties: type, spec_version, id (deterministic UUIDv5, ID-contributing property: value), value (string, required, the address), chain (string, optional, lowercase chain name: bitcoin, ethereum, tron, litecoin, ton, monero, zcash or another slug), extensions. Compatible with OpenCTI's cryptocurrency-wallet.",
        "version": "1.0.0",
        "extension_types": ["new-sco"],
    })
}
