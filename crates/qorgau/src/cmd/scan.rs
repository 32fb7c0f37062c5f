//! `qorgau scan`: read documents, write one JSON object per document.

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use qorgau_network::NetworkOptions;
use qorgau_scan::{Pipeline, PipelineOptions, link, scan_parallel};
use qorgau_sources::{Document, Format, ReadOptions, SourceError};

use crate::output::InputError;

/// Arguments of `scan`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Input files (`-` or none: standard input).
    #[arg(value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// Input format.
    #[arg(
        long,
        default_value = "auto",
        value_name = "auto|jsonl|telegram|telegram-web|html|text|csv"
    )]
    format: String,
    /// CSV: the column holding the text.
    #[arg(long, value_name = "NAME")]
    text_column: Option<String>,
    /// CSV: the column holding the document id.
    #[arg(long, value_name = "NAME")]
    id_column: Option<String>,
    /// Write the results here instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Use the lexicon in this directory instead of the built-in one.
    #[arg(long, value_name = "DIR", conflicts_with = "approved_lexicon")]
    lexicon: Option<PathBuf>,
    /// Use the lexicon approved in this installation's server (the data
    /// directory's database), as monitoring runs and scan jobs do; the
    /// built-in one while none has been approved.
    #[arg(long)]
    pub approved_lexicon: bool,
    /// Let this trained model (`qorgau train`) adjust scores within its bound.
    #[arg(long, value_name = "FILE")]
    model: Option<PathBuf>,
    /// Also write the network graph: .graphml, .gexf, .ftm.json (FollowTheMoney
    /// entities) or .csv (FILE-nodes.csv and FILE-edges.csv); repeatable.
    #[arg(long = "graph", value_name = "FILE")]
    graphs: Vec<PathBuf>,
    /// Also write each near-duplicate cluster (two or more documents) with
    /// its template, the fixed text and the varying slots, as JSON Lines.
    #[arg(long, value_name = "FILE")]
    clusters: Option<PathBuf>,
    /// Also write each network (two or more documents: identifiers, funnel
    /// roles, time span, mirror domains) and each mirror-domain group, as JSON Lines.
    #[arg(long, value_name = "FILE")]
    networks: Option<PathBuf>,
    /// Worker threads (default: all cores).
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
}

/// The files of the lexicon approved in the server, if one was: what
/// every scan that feeds triage uses (`monitor run`, scan jobs).
pub async fn approved_lexicon(
    store: &qorgau_store::Store,
) -> anyhow::Result<Option<Vec<(String, String)>>> {
    let approved = store
        .lexicon_in_force()
        .await
        .context("reading the approved lexicon")?;
    if let Some(r) = &approved {
        tracing::info!(version = %r.version, by = ?r.review.as_ref().map(|v| &v.reviewed_by),
            "scanning with the approved lexicon");
    }
    Ok(approved.map(|r| r.files.into_iter().collect()))
}

/// Runs `scan`; `approved` holds the server's approved lexicon when
/// `--approved-lexicon` asked for it.
pub fn run(args: &Args, approved: Option<Vec<(String, String)>>) -> anyhow::Result<ExitCode> {
    let format: Format = args
        .format
        .parse()
        .map_err(|e: SourceError| InputError(format!("--format: {e}")))?;
    let options = ReadOptions {
        csv_text_column: args.text_column.clone(),
        csv_id_column: args.id_column.clone(),
        ..ReadOptions::default()
    };
    for graph in &args.graphs {
        graph_kind(graph)?;
    }
    let pipeline = Pipeline::new(&PipelineOptions {
        lexicon_dir: args.lexicon.clone(),
        lexicon_files: approved,
        model: args.model.clone(),
        max_shift: None,
    })
    .map_err(|e| InputError(e.to_string()))?;

    let inputs: Vec<PathBuf> = if args.inputs.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        args.inputs.clone()
    };
    let mut streams = Vec::new();
    for input in &inputs {
        streams.push(open_input(input, format, &options)?);
    }
    let documents = streams.into_iter().flatten();

    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{spinner} scanned {pos} documents ({per_sec})")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    let _progress = crate::output::report_progress(&bar, "documents");
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let mut bad_records = 0u64;
    let mut assessed = scan_parallel(
        &pipeline,
        documents,
        threads,
        args.clusters.is_some(),
        |e: SourceError| {
            bad_records += 1;
            bar.suspend(|| eprintln!("error: {e}"));
        },
        |n| bar.set_position(n as u64),
    );
    bar.finish_and_clear();
    let linked = link(&mut assessed, NetworkOptions::default());

    let mut out: Box<dyn Write> = match &args.out {
        Some(path) => Box::new(BufWriter::new(
            File::create(path).with_context(|| format!("cannot create {}", path.display()))?,
        )),
        None => Box::new(BufWriter::new(std::io::stdout().lock())),
    };
    let mut flagged = 0u64;
    let mut by_scenario = std::collections::BTreeMap::<String, u64>::new();
    for a in &assessed {
        serde_json::to_writer(&mut out, &a.record).context("writing the results")?;
        out.write_all(b"\n").context("writing the results")?;
        if a.record.flagged {
            flagged += 1;
            *by_scenario.entry(a.record.scenario.clone()).or_default() += 1;
        }
    }
    out.flush().context("writing the results")?;
    drop(out);

    if let Some(path) = &args.clusters {
        let summaries = qorgau_scan::cluster_summaries(&assessed, &linked.clusters);
        write_lines(path, summaries.iter().map(serde_json::to_value))?;
        eprintln!(
            "{} cluster templates written to {}",
            summaries.len(),
            path.display()
        );
    }
    if let Some(path) = &args.networks {
        let networks = linked
            .networks
            .networks()
            .iter()
            .filter(|n| n.size > 1)
            .map(|n| {
                serde_json::to_value(n).map(|mut v| {
                    v["type"] = "network".into();
                    v
                })
            });
        let mirrors = linked.networks.mirror_groups().iter().map(|g| {
            serde_json::to_value(g).map(|mut v| {
                v["type"] = "mirror_group".into();
                v
            })
        });
        write_lines(path, networks.chain(mirrors))?;
        eprintln!(
            "networks and mirror-domain groups written to {}",
            path.display()
        );
    }
    if !args.graphs.is_empty() {
        let graph = linked.networks.graph(&qorgau_network::Scope::All);
        for path in &args.graphs {
            write_graph(&linked.networks, &graph, path)?;
            eprintln!("network graph written to {}", path.display());
        }
    }
    let multi_networks = linked
        .networks
        .networks()
        .iter()
        .filter(|n| n.size > 1)
        .count();
    let multi_clusters = (0..linked.clusters.len())
        .filter(|c| linked.clusters.size(*c) > 1)
        .count();
    let summary: Vec<String> = by_scenario
        .iter()
        .map(|(s, n)| format!("{s} {n}"))
        .collect();
    eprintln!(
        "scanned {} documents: {flagged} flagged for review ({}); {multi_clusters} near-duplicate \
         clusters and {multi_networks} networks of more than one document; lexicon {}",
        assessed.len(),
        if summary.is_empty() {
            "none".to_owned()
        } else {
            summary.join(", ")
        },
        pipeline.lexicon_version(),
    );
    if bad_records > 0 {
        eprintln!("error: {bad_records} input records could not be read (see above)");
        return Ok(ExitCode::from(2));
    }
    Ok(ExitCode::SUCCESS)
}

fn write_lines(
    path: &Path,
    values: impl Iterator<Item = serde_json::Result<serde_json::Value>>,
) -> anyhow::Result<()> {
    let mut out = BufWriter::new(
        File::create(path).with_context(|| format!("cannot create {}", path.display()))?,
    );
    for value in values {
        serde_json::to_writer(&mut out, &value?)?;
        out.write_all(b"\n")?;
    }
    out.flush()
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

type Stream = Box<dyn Iterator<Item = Result<Document, SourceError>> + Send>;

fn open_input(path: &Path, format: Format, options: &ReadOptions) -> anyhow::Result<Stream> {
    let name = path.display().to_string();
    let stream = if name == "-" {
        let stdin = BufReader::new(std::io::stdin());
        qorgau_sources::read("-", stdin, format, options)
    } else {
        let file = File::open(path).map_err(|e| InputError(format!("{name}: cannot open: {e}")))?;
        qorgau_sources::read(
            &name,
            BufReader::with_capacity(1 << 20, file),
            format,
            options,
        )
    };
    stream.map_err(|e| InputError(e.to_string()).into())
}

#[derive(Clone, Copy)]
enum GraphKind {
    GraphMl,
    Gexf,
    Ftm,
    Csv,
}

fn graph_kind(path: &Path) -> anyhow::Result<GraphKind> {
    let name = path.to_string_lossy().to_lowercase();
    if name.ends_with(".graphml") {
        Ok(GraphKind::GraphMl)
    } else if name.ends_with(".gexf") {
        Ok(GraphKind::Gexf)
    } else if name.ends_with(".ftm.json") || name.ends_with(".ftm.jsonl") {
        Ok(GraphKind::Ftm)
    } else if name.ends_with(".csv") {
        Ok(GraphKind::Csv)
    } else {
        Err(InputError(format!(
            "--graph {}: name it .graphml, .gexf, .ftm.json or .csv",
            path.display()
        ))
        .into())
    }
}

fn write_graph(
    networks: &qorgau_network::Networks,
    graph: &qorgau_network::Graph,
    path: &Path,
) -> anyhow::Result<()> {
    let create = |p: &Path| -> anyhow::Result<BufWriter<File>> {
        Ok(BufWriter::new(File::create(p).with_context(|| {
            format!("cannot create {}", p.display())
        })?))
    };
    let context = || format!("writing {}", path.display());
    match graph_kind(path)? {
        GraphKind::GraphMl => {
            qorgau_network::export::graphml(graph, create(path)?).with_context(context)?
        }
        GraphKind::Gexf => {
            qorgau_network::export::gexf(graph, create(path)?).with_context(context)?
        }
        GraphKind::Ftm => {
            qorgau_network::export::followthemoney(
                networks,
                &qorgau_network::Scope::All,
                create(path)?,
            )
            .with_context(context)?;
        }
        GraphKind::Csv => {
            let stem = path.with_extension("");
            let nodes = PathBuf::from(format!("{}-nodes.csv", stem.display()));
            let edges = PathBuf::from(format!("{}-edges.csv", stem.display()));
            qorgau_network::export::csv_nodes(graph, create(&nodes)?).with_context(context)?;
            qorgau_network::export::csv_edges(graph, create(&edges)?).with_context(context)?;
        }
    }
    Ok(())
}
