//! `qorgau train` and `qorgau eval`: the optional model on top of the
//! lexicon, trained and measured on labelled JSON Lines (`id`, `text`,
//! `label` or `scenario`, optional `minor`) — for instance the analysts'
//! accept/dismiss decisions exported from triage.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use qorgau_model::{Example, LabelledDoc, Model, TrainOptions, read_labelled_jsonl};
use qorgau_scan::{Pipeline, PipelineOptions};
use qorgau_sources::Document;

use crate::output::{InputError, json_line};

/// Arguments of `train`.
#[derive(Debug, clap::Args)]
pub struct TrainArgs {
    /// Labelled JSON Lines.
    #[arg(value_name = "FILE")]
    input: PathBuf,
    /// Where to write the model.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Passes over the data.
    #[arg(long, value_name = "N")]
    epochs: Option<u32>,
    /// Seed for the shuffling (training is deterministic for a seed).
    #[arg(long, value_name = "N")]
    seed: Option<u64>,
}

/// Arguments of `eval`.
#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    /// Labelled JSON Lines.
    #[arg(value_name = "FILE")]
    input: PathBuf,
    /// Measure this model alone; without it, the whole scan (lexicon, and
    /// the model of `--with-model` if given) is measured.
    #[arg(long, value_name = "FILE")]
    model: Option<PathBuf>,
    /// Measure the scan with this model adjusting the lexicon scores.
    #[arg(long, value_name = "FILE", conflicts_with = "model")]
    with_model: Option<PathBuf>,
    /// Use the lexicon in this directory instead of the built-in one.
    #[arg(long, value_name = "DIR")]
    lexicon: Option<PathBuf>,
    /// Print the figures as one JSON object.
    #[arg(long)]
    json: bool,
}

fn read_labelled(path: &Path) -> anyhow::Result<Vec<LabelledDoc>> {
    let file = File::open(path)
        .map_err(|e| InputError(format!("{}: cannot open: {e}", path.display())))?;
    let mut docs = Vec::new();
    for item in read_labelled_jsonl(BufReader::with_capacity(1 << 20, file)) {
        docs.push(item.map_err(|e| InputError(format!("{}: {e}", path.display())))?);
    }
    if docs.is_empty() {
        return Err(InputError(format!("{}: no labelled documents", path.display())).into());
    }
    Ok(docs)
}

fn examples(docs: &[LabelledDoc]) -> Vec<Example> {
    docs.iter()
        .map(|d| d.to_example(|t| qorgau_normalize::normalize(t).text))
        .collect()
}

/// Runs `train`.
pub fn train(args: &TrainArgs) -> anyhow::Result<ExitCode> {
    let docs = read_labelled(&args.input)?;
    let examples = examples(&docs);
    let mut options = TrainOptions::default();
    if let Some(e) = args.epochs {
        options.epochs = e;
    }
    if let Some(s) = args.seed {
        options.seed = s;
    }
    let model = qorgau_model::train(&examples, &options, &|epoch, loss| {
        eprintln!("epoch {epoch}: loss {loss:.4}");
    })
    .map_err(|e| InputError(format!("{}: {e}", args.input.display())))?;
    let file =
        File::create(&args.out).with_context(|| format!("cannot create {}", args.out.display()))?;
    model
        .save(std::io::BufWriter::new(file))
        .with_context(|| format!("writing {}", args.out.display()))?;
    eprintln!(
        "model {} trained on {} documents ({} classes), written to {}",
        model.version(),
        examples.len(),
        model.classes().len(),
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Runs `eval`.
pub fn eval(args: &EvalArgs) -> anyhow::Result<ExitCode> {
    let docs = read_labelled(&args.input)?;
    if let Some(path) = &args.model {
        let file = File::open(path)
            .map_err(|e| InputError(format!("{}: cannot open: {e}", path.display())))?;
        let model = Model::load(BufReader::new(file))
            .map_err(|e| InputError(format!("{}: {e}", path.display())))?;
        let evaluation = qorgau_model::evaluate(&model, &examples(&docs));
        if args.json {
            json_line(&evaluation);
        } else {
            println!("{evaluation}");
        }
        return Ok(ExitCode::SUCCESS);
    }
    let pipeline = Pipeline::new(&PipelineOptions {
        lexicon_dir: args.lexicon.clone(),
        lexicon_files: None,
        model: args.with_model.clone(),
        max_shift: None,
    })
    .map_err(|e| InputError(e.to_string()))?;
    let mut m = ScanMetrics::default();
    for d in &docs {
        let doc = Document {
            id: d.id.clone().unwrap_or_else(|| format!("line-{}", d.line)),
            text: d.text.clone(),
            ..Document::default()
        };
        let r = pipeline.assess(&doc).record;
        m.add(&d.label, d.minor, &r.scenario, r.flagged, r.minor);
    }
    let report = m.report(pipeline.lexicon_version(), pipeline.model_version());
    if args.json {
        json_line(&report);
    } else {
        println!(
            "{}",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Flag, scenario and minor agreement of the scan with labels.
#[derive(Default)]
struct ScanMetrics {
    n: u64,
    tp: u64,
    fp: u64,
    fn_: u64,
    scenario_right: u64,
    scenario_of_risky: u64,
    minor_tp: u64,
    minor_fp: u64,
    minor_fn: u64,
    confusion: BTreeMap<String, BTreeMap<String, u64>>,
}

impl ScanMetrics {
    fn add(
        &mut self,
        label: &str,
        minor: Option<bool>,
        scenario: &str,
        flagged: bool,
        found_minor: bool,
    ) {
        self.n += 1;
        let risky = label != "none";
        match (risky, flagged) {
            (true, true) => self.tp += 1,
            (false, true) => self.fp += 1,
            (true, false) => self.fn_ += 1,
            (false, false) => {}
        }
        if risky {
            self.scenario_of_risky += 1;
            if scenario == label {
                self.scenario_right += 1;
            }
        }
        *self
            .confusion
            .entry(label.to_owned())
            .or_default()
            .entry(scenario.to_owned())
            .or_default() += 1;
        match (minor.unwrap_or(false), found_minor) {
            (true, true) => self.minor_tp += 1,
            (false, true) => self.minor_fp += 1,
            (true, false) => self.minor_fn += 1,
            (false, false) => {}
        }
    }

    fn report(&self, lexicon: &str, model: Option<&str>) -> serde_json::Value {
        let ratio = |a: u64, b: u64| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let p = ratio(self.tp, self.tp + self.fp);
        let r = ratio(self.tp, self.tp + self.fn_);
        serde_json::json!({
            "documents": self.n,
            "lexicon_version": lexicon,
            "model_version": model,
            "flag": {"precision": p, "recall": r, "f1": if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 }},
            "scenario_accuracy_on_risky": ratio(self.scenario_right, self.scenario_of_risky),
            "minor": {"precision": ratio(self.minor_tp, self.minor_tp + self.minor_fp), "recall": ratio(self.minor_tp, self.minor_tp + self.minor_fn)},
            "confusion": self.confusion,
        })
    }
}
