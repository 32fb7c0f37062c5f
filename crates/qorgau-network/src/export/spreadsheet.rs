//! CSV in Gephi's spreadsheet-import layout: a nodes table starting `Id,Label` and an edges
//! table starting `Source,Target,Type` (Gephi reads `Type` as the edge direction, so the
//! edge's own kind is in `Kind`). `Start`/`End` hold RFC 3339 times, which Gephi's Data
//! Laboratory can merge into a time interval.

use std::io::Write;

use super::ExportError;
use crate::graph::Graph;

fn opt(s: &Option<String>) -> &str {
    s.as_deref().unwrap_or("")
}

/// Writes the nodes table.
pub fn csv_nodes(graph: &Graph, w: impl Write) -> Result<(), ExportError> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record([
        "Id",
        "Label",
        "Type",
        "Network",
        "Kind",
        "Value",
        "Scenario",
        "Role",
        "Flagged",
        "Source",
        "Url",
        "Documents",
        "MirrorGroup",
        "Start",
        "End",
    ])?;
    for n in &graph.nodes {
        let role = n.role.map(|r| r.as_str()).unwrap_or("");
        let flagged = n.flagged.map(|f| f.to_string()).unwrap_or_default();
        let documents = n.documents.to_string();
        let start = n.first_seen.map(|t| t.to_rfc3339()).unwrap_or_default();
        let end = n.last_seen.map(|t| t.to_rfc3339()).unwrap_or_default();
        out.write_record([
            n.id.as_str(),
            n.label.as_str(),
            n.kind.as_str(),
            opt(&n.network),
            opt(&n.ident_kind),
            opt(&n.value),
            opt(&n.scenario),
            role,
            &flagged,
            opt(&n.source),
            opt(&n.url),
            &documents,
            opt(&n.mirror_group),
            &start,
            &end,
        ])?;
    }
    out.flush()?;
    Ok(())
}

/// Writes the edges table.
pub fn csv_edges(graph: &Graph, w: impl Write) -> Result<(), ExportError> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record([
        "Source", "Target", "Type", "Id", "Label", "Kind", "Merges", "Weight", "Start",
    ])?;
    for e in &graph.edges {
        let start = e.start.map(|t| t.to_rfc3339()).unwrap_or_default();
        out.write_record([
            e.source.as_str(),
            e.target.as_str(),
            "Undirected",
            e.id.as_str(),
            e.label.as_str(),
            e.kind.as_str(),
            if e.merges { "true" } else { "false" },
            if e.merges { "1.0" } else { "0.5" },
            &start,
        ])?;
    }
    out.flush()?;
    Ok(())
}
