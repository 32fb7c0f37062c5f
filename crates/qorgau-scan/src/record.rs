//! The output record of `qorgau scan`: one JSON object per document.
//!
//! Field names and value forms are a contract (issue 3): keep them stable,
//! add fields freely.

use std::collections::BTreeMap;

use serde::Serialize;

/// One document's result.
#[derive(Debug, Clone, Serialize)]
pub struct ScanRecord {
    /// The document's id as given.
    pub id: String,
    /// Language: ru, kk, en, ky, uz, mixed or und.
    pub lang: String,
    /// Flagged for a person to review (never acted on automatically).
    pub flagged: bool,
    /// Overall risk, 0..1.
    pub risk: f32,
    /// The leading scenario, or `none`.
    pub scenario: String,
    /// Score per scenario and `minor_involved`.
    pub scores: BTreeMap<String, f32>,
    /// Whether the text shows that a minor is targeted or involved.
    pub minor: bool,
    /// Indicators that fired, with spans (byte offsets) into the original text.
    pub indicators: Vec<IndicatorOut>,
    /// Context that lowered scores (warnings, news, licences), with spans.
    pub dampeners: Vec<IndicatorOut>,
    /// Identifiers found, validated and normalised.
    pub identifiers: Vec<IdentifierOut>,
    /// Near-duplicate cluster.
    pub cluster: Option<String>,
    /// Network of documents sharing identifiers.
    pub network: Option<String>,
    /// The document's role in the funnel (recruiting, client_facing, …).
    pub role: String,
    /// Lexicon version that produced the scores.
    pub lexicon_version: String,
    /// Model version and its effect, when a model was used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<ModelOut>,
    /// Where the document came from, passed through.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Its URL, passed through.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// An indicator (or dampener) that fired.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorOut {
    /// Lexicon entry id.
    pub id: String,
    /// Scenario it speaks for (`minor_involved`, `control`, … included).
    pub scenario: String,
    /// Byte range in the original text.
    pub span: [usize; 2],
    /// The original text of the span.
    pub text: String,
    /// Its weight.
    pub weight: f32,
    /// Why it is an indicator, for the investigator.
    pub why: String,
}

/// An identifier found.
#[derive(Debug, Clone, Serialize)]
pub struct IdentifierOut {
    /// phone, email, url, domain, telegram, whatsapp, instagram, tiktok,
    /// crypto, card, iban, iin or seed_phrase.
    pub kind: String,
    /// Normalised value.
    pub value: String,
    /// For crypto: btc, eth, tron, ltc, xmr, zec or ton.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chain: Option<String>,
    /// Byte range in the original text.
    pub span: [usize; 2],
}

/// What the trained model did to the scores.
#[derive(Debug, Clone, Serialize)]
pub struct ModelOut {
    /// Model version.
    pub version: String,
    /// Per scenario: lexicon score, adjusted score and why.
    pub adjustments: BTreeMap<String, serde_json::Value>,
    /// The n-grams that moved the leading scenario, with weights.
    pub explanation: Vec<serde_json::Value>,
}
