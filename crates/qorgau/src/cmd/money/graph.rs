//! `qorgau money graph ACCOUNT`: the flows around an account, n hops in
//! either direction, for Gephi, yEd or a spreadsheet; every edge names the
//! transfers behind it by their keys (those `money flags --json` prints).

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use qorgau_money::flow::{Direction, FlowGraph};
use qorgau_vault::Vault;

use super::{account_arg, scope};
use crate::output::InputError;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum GraphFormat {
    /// GraphML (Gephi, yEd, networkx).
    Graphml,
    /// GEXF 1.3 (Gephi).
    Gexf,
    /// CSV of edges (and of nodes with --nodes).
    Csv,
}

/// Directions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DirectionArg {
    /// Where the money went.
    Out,
    /// Where it came from.
    In,
    /// Both.
    Both,
}

/// Arguments of `money graph`.
#[derive(Debug, clap::Args)]
pub struct GraphArgs {
    /// The account at the centre (address, card, IBAN or key).
    account: String,
    /// The case's transfers (default: those imported without a case).
    #[arg(long, value_name = "CASE")]
    case: Option<String>,
    /// How many transfers away.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u16).range(1..=10))]
    hops: u16,
    /// Which way to follow the money.
    #[arg(long, value_enum, default_value_t = DirectionArg::Both)]
    direction: DirectionArg,
    /// Output format.
    #[arg(long, value_enum)]
    format: GraphFormat,
    /// Output file (default: standard output).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// With --format csv: also write the nodes to this file.
    #[arg(long, value_name = "FILE")]
    nodes: Option<PathBuf>,
}

pub(super) async fn graph(vault: &Vault, args: &GraphArgs) -> anyhow::Result<ExitCode> {
    let case_id = scope(vault, args.case.as_deref()).await?;
    let start = account_arg(&args.account)?;
    let stored = vault.store.transfers(case_id).await?;
    let (keys, transfers): (Vec<String>, Vec<_>) = stored.into_iter().unzip();
    if !transfers.iter().any(|t| t.from == start || t.to == start) {
        return Err(InputError(format!(
            "{} has no transfers in {}",
            start.key(),
            args.case.as_deref().map_or_else(
                || "the transfers imported without a case".to_owned(),
                |c| format!("case {c}")
            )
        ))
        .into());
    }
    let labels: HashMap<String, String> = vault
        .store
        .labels()
        .await?
        .into_iter()
        .map(|(k, l)| (k, l.label))
        .collect();
    let direction = match args.direction {
        DirectionArg::Out => Direction::Out,
        DirectionArg::In => Direction::In,
        DirectionArg::Both => Direction::Both,
    };
    let g = FlowGraph::around(
        &transfers,
        &start,
        usize::from(args.hops),
        direction,
        &labels,
    );
    let open = |path: &Option<PathBuf>| -> anyhow::Result<Box<dyn Write>> {
        Ok(match path {
            Some(p) => {
                Box::new(BufWriter::new(File::create(p).map_err(|e| {
                    InputError(format!("cannot write {}: {e}", p.display()))
                })?))
            }
            None => Box::new(BufWriter::new(std::io::stdout().lock())),
        })
    };
    let mut out = open(&args.out)?;
    match args.format {
        GraphFormat::Graphml => g.graphml(&keys, &mut out)?,
        GraphFormat::Gexf => g.gexf(&keys, &mut out)?,
        GraphFormat::Csv => {
            g.csv_edges(&keys, &mut out)?;
            if args.nodes.is_some() {
                g.csv_nodes(open(&args.nodes)?)?;
            }
        }
    }
    out.flush()?;
    if args.out.is_some() {
        eprintln!(
            "{} accounts, {} flows ({} transfers)",
            g.nodes.len(),
            g.edges.len(),
            g.edges.iter().map(|e| e.transfers.len()).sum::<usize>()
        );
    }
    Ok(ExitCode::SUCCESS)
}
