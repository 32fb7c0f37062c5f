//! The per-document pipeline.

use std::collections::BTreeMap;
use std::path::PathBuf;

use qorgau_cluster::{MinHashParams, MinHasher, Signature};
use qorgau_detect::{Detector, Lexicon, Scenario, detect_language};
use qorgau_identifiers::Extractor;
use qorgau_model::Model;
use qorgau_sources::Document;

use crate::record::{IdentifierOut, ImageOut, IndicatorOut, ModelOut, ScanRecord};

/// Where the lexicon and the optional model come from.
#[derive(Debug, Clone, Default)]
pub struct PipelineOptions {
    /// A lexicon directory overriding the built-in lexicon.
    pub lexicon_dir: Option<PathBuf>,
    /// Lexicon files (name, TOML text) overriding the built-in lexicon when
    /// no directory is given: the version approved in the server.
    pub lexicon_files: Option<Vec<(String, String)>>,
    /// A trained model file (`qorgau train`).
    pub model: Option<PathBuf>,
    /// How far the model may move a score (default: the model crate's).
    pub max_shift: Option<f32>,
}

/// Why the pipeline could not be built.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    /// The lexicon does not load.
    #[error("lexicon: {0}")]
    Lexicon(#[from] qorgau_detect::LexiconError),
    /// The model file does not load.
    #[error("model {path}: {message}")]
    Model {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

/// Everything needed to assess documents; build once, share across threads.
pub struct Pipeline {
    extractor: Extractor,
    detector: Detector,
    hasher: MinHasher,
    model: Option<Model>,
    max_shift: f32,
}

/// One document's assessment before batch linking.
pub struct DocAssessment {
    /// The record (cluster and network still empty).
    pub record: ScanRecord,
    /// Its near-duplicate signature.
    pub signature: Signature,
    /// The normalised text.
    pub normalized: String,
    /// The document's publication time as given, for networks.
    pub published_at: Option<String>,
    /// The author, for networks.
    pub author: Option<String>,
}

const SCENARIOS: [Scenario; 5] = [
    Scenario::EmploymentAbroad,
    Scenario::ModelingWebcam,
    Scenario::RomanceGrooming,
    Scenario::EscortServices,
    Scenario::Sextortion,
];

impl Pipeline {
    /// Builds the pipeline.
    pub fn new(options: &PipelineOptions) -> Result<Self, ScanError> {
        let lexicon = match (&options.lexicon_dir, &options.lexicon_files) {
            (Some(dir), _) => Lexicon::from_dir(dir)?,
            (None, Some(files)) => Lexicon::from_files(files.clone())?,
            (None, None) => Lexicon::builtin()?,
        };
        let model = match &options.model {
            Some(path) => {
                let fail = |message: String| ScanError::Model {
                    path: path.clone(),
                    message,
                };
                let file = std::fs::File::open(path).map_err(|e| fail(e.to_string()))?;
                Some(Model::load(std::io::BufReader::new(file)).map_err(|e| fail(e.to_string()))?)
            }
            None => None,
        };
        Ok(Self {
            extractor: Extractor::new(),
            detector: Detector::new(lexicon),
            hasher: MinHasher::new(MinHashParams::default()),
            model,
            max_shift: options.max_shift.unwrap_or(qorgau_model::DEFAULT_MAX_SHIFT),
        })
    }

    /// The lexicon version in use.
    pub fn lexicon_version(&self) -> &str {
        self.detector.lexicon().version()
    }

    /// The model version in use, if any.
    pub fn model_version(&self) -> Option<&str> {
        self.model.as_ref().map(|m| m.version())
    }

    /// Assesses one document.
    pub fn assess(&self, doc: &Document) -> DocAssessment {
        let original = doc.text.as_str();
        let normalized = qorgau_normalize::normalize(original);
        let lang = detect_language(original);
        let identifiers = self.extractor.extract_normalized(original, &normalized);
        let assessment = self.detector.score(original, &normalized);

        let mut scores: BTreeMap<String, f32> = SCENARIOS
            .iter()
            .map(|s| (s.as_str().to_owned(), assessment.scores.get(*s)))
            .collect();
        scores.insert("minor_involved".into(), assessment.scores.minor_involved);
        let mut risk = assessment.risk;
        let mut flagged = assessment.flagged;
        let mut scenario = assessment.scenario.map(|s| s.as_str().to_owned());
        let mut model_out = None;
        if let Some(model) = &self.model {
            let (out, new_scores) = self.apply_model(model, &normalized.text, &assessment, &scores);
            scores = new_scores;
            let (best, best_score) = leading(&scores);
            let threshold = self.detector.lexicon().scoring().flag_threshold;
            risk = best_score;
            flagged = best_score >= threshold;
            scenario = flagged.then(|| best.to_owned());
            model_out = Some(out);
        }
        let indicator = |h: &qorgau_detect::Hit| IndicatorOut {
            id: h.id.clone(),
            scenario: h.scenario.as_str().to_owned(),
            span: h.span,
            text: h.text.clone(),
            weight: h.weight,
            why: h.description.clone(),
        };
        let identifiers = identifiers
            .iter()
            .map(|i| IdentifierOut {
                kind: name_of(&i.kind),
                value: i.value.clone(),
                chain: i.chain.as_ref().map(name_of),
                span: [i.span.start, i.span.end],
            })
            .collect();
        let scenario = scenario.unwrap_or_else(|| "none".to_owned());
        let role = if flagged {
            qorgau_network::Role::from_scenario(&scenario)
                .as_str()
                .to_owned()
        } else {
            "other".to_owned()
        };
        let record = ScanRecord {
            id: doc.id.clone(),
            lang: lang.as_str().to_owned(),
            flagged,
            risk,
            scenario,
            scores,
            minor: assessment.minor,
            indicators: assessment.indicators.iter().map(indicator).collect(),
            dampeners: assessment.dampeners.iter().map(indicator).collect(),
            identifiers,
            cluster: None,
            network: None,
            role,
            lexicon_version: assessment.lexicon_version.clone(),
            model: model_out,
            source: doc.source.clone(),
            url: doc.url.clone(),
            images: images_of(doc),
        };
        DocAssessment {
            signature: self.hasher.signature(&normalized.text),
            record,
            normalized: normalized.text,
            published_at: doc.published_at.clone(),
            author: doc.author.clone(),
        }
    }

    /// Moves each scenario score within the model's bound and explains the
    /// leading one.
    fn apply_model(
        &self,
        model: &Model,
        normalized: &str,
        assessment: &qorgau_detect::Assessment,
        scores: &BTreeMap<String, f32>,
    ) -> (ModelOut, BTreeMap<String, f32>) {
        let prediction = model.predict(normalized);
        let mut new_scores = scores.clone();
        let mut adjustments = BTreeMap::new();
        for s in SCENARIOS {
            let name = s.as_str();
            let Some(p) = prediction.probability(name) else {
                continue;
            };
            let lexicon_score = scores.get(name).copied().unwrap_or(0.0);
            let fired = assessment
                .indicators
                .iter()
                .any(|h| h.scenario.as_str() == name);
            let adjusted = qorgau_model::adjust(lexicon_score, fired, p, self.max_shift);
            new_scores.insert(name.to_owned(), adjusted.score);
            adjustments.insert(
                name.to_owned(),
                serde_json::json!({
                    "lexicon": lexicon_score,
                    "model_probability": p,
                    "score": adjusted.score,
                    "model_only": adjusted.model_only,
                    "reason": adjusted.reason,
                }),
            );
        }
        let lead = leading(&new_scores).0;
        let explanation = model
            .explain(normalized, lead, 8)
            .into_iter()
            .filter_map(|c| serde_json::to_value(c).ok())
            .collect();
        (
            ModelOut {
                version: model.version().to_owned(),
                adjustments,
                explanation,
            },
            new_scores,
        )
    }
}

/// The document's pictures as the record shows them, with the hashes to compare.
fn images_of(doc: &Document) -> Vec<ImageOut> {
    doc.images()
        .into_iter()
        .map(|i| {
            let hashes = i.hashes();
            let mut note = i.note;
            if hashes.is_none() && note.is_none() && (i.phash.is_some() || i.dhash.is_some()) {
                note = Some(format!(
                    "hashes not compared: both are needed, as 16 hex digits made by {}",
                    qorgau_media::phash::ALGORITHM
                ));
            }
            ImageOut {
                path: i.path,
                url: i.url,
                frame_ms: i.frame_ms,
                listed: i.listed,
                phash: i.phash,
                dhash: i.dhash,
                width: i.width,
                height: i.height,
                note,
                link: None,
                hashes,
            }
        })
        .collect()
}

/// The scenario with the highest score (the first on ties), or `none` when
/// every score is zero.
fn leading(scores: &BTreeMap<String, f32>) -> (&'static str, f32) {
    SCENARIOS
        .iter()
        .map(|s| (s.as_str(), scores.get(s.as_str()).copied().unwrap_or(0.0)))
        .fold(("none", 0.0), |acc, x| if x.1 > acc.1 { x } else { acc })
}

/// The snake-case name a serde enum serialises to.
fn name_of<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}
