//! GEXF 1.3 (<https://gexf.net/>), Gephi's own format. When any time is known the graph is
//! dynamic: every node and edge carries `start`/`end` so Gephi's timeline shows the network
//! grow and go quiet. Times are written as days (`timeformat="date"`): the resolution a
//! timeline of ads needs, and the one readers agree on (networkx, for one, reads `date` but
//! not `dateTime`); the exact times stay in the `first_seen`/`last_seen` attributes.

use std::io::Write;

use chrono::{DateTime, FixedOffset};

use super::ExportError;
use super::xml::Xml;
use crate::graph::{Graph, Node, NodeKind};

/// (id/title, type) of the node attributes, in `<attvalue>` order.
const NODE_ATTRS: &[(&str, &str)] = &[
    ("type", "string"),
    ("network", "string"),
    ("kind", "string"),
    ("value", "string"),
    ("scenario", "string"),
    ("role", "string"),
    ("flagged", "boolean"),
    ("source", "string"),
    ("url", "string"),
    ("documents", "integer"),
    ("mirror_group", "string"),
    ("first_seen", "string"),
    ("last_seen", "string"),
];

const EDGE_ATTRS: &[(&str, &str)] = &[("kind", "string"), ("merges", "boolean")];

fn node_values(n: &Node) -> Vec<(&'static str, Option<String>)> {
    vec![
        ("type", Some(n.kind.as_str().to_owned())),
        ("network", n.network.clone()),
        ("kind", n.ident_kind.clone()),
        ("value", n.value.clone()),
        ("scenario", n.scenario.clone()),
        ("role", n.role.map(|r| r.as_str().to_owned())),
        ("flagged", n.flagged.map(|f| f.to_string())),
        ("source", n.source.clone()),
        ("url", n.url.clone()),
        ("documents", Some(n.documents.to_string())),
        ("mirror_group", n.mirror_group.clone()),
        ("first_seen", n.first_seen.map(|t| t.to_rfc3339())),
        ("last_seen", n.last_seen.map(|t| t.to_rfc3339())),
    ]
}

/// The day of a time, in the offset it was published in.
fn day(t: DateTime<FixedOffset>) -> String {
    t.date_naive().format("%Y-%m-%d").to_string()
}

/// Writes `graph` as a GEXF 1.3 document.
pub fn gexf(graph: &Graph, w: impl Write) -> Result<(), ExportError> {
    let dynamic = graph.has_times();
    let mut x = Xml::new(w)?;
    x.open(
        "gexf",
        &[
            ("xmlns", "http://gexf.net/1.3"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            (
                "xsi:schemaLocation",
                "http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd",
            ),
            ("version", "1.3"),
        ],
    )?;
    x.open("meta", &[])?;
    x.text_element("creator", &[], "Qorgau")?;
    x.text_element(
        "description",
        &[],
        "Documents linked by shared identifiers (qorgau-network)",
    )?;
    x.close("meta")?;
    let mut graph_attrs = vec![("defaultedgetype", "undirected")];
    if dynamic {
        graph_attrs.extend([
            ("mode", "dynamic"),
            ("timeformat", "date"),
            ("timerepresentation", "interval"),
        ]);
    } else {
        graph_attrs.push(("mode", "static"));
    }
    x.open("graph", &graph_attrs)?;
    for (class, attrs) in [("node", NODE_ATTRS), ("edge", EDGE_ATTRS)] {
        x.open("attributes", &[("class", class), ("mode", "static")])?;
        for (id, ty) in attrs {
            x.empty("attribute", &[("id", id), ("title", id), ("type", ty)])?;
        }
        x.close("attributes")?;
    }

    x.open("nodes", &[])?;
    for node in &graph.nodes {
        let mut attrs: Vec<(&str, String)> =
            vec![("id", node.id.clone()), ("label", node.label.clone())];
        if dynamic && let Some(first) = node.first_seen {
            attrs.push(("start", day(first)));
            let last = match node.kind {
                NodeKind::Document => first,
                _ => node.last_seen.unwrap_or(first),
            };
            attrs.push(("end", day(last)));
        }
        let attrs_ref: Vec<(&str, &str)> = attrs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        x.open("node", &attrs_ref)?;
        x.open("attvalues", &[])?;
        for (id, value) in node_values(node) {
            if let Some(v) = value {
                x.empty("attvalue", &[("for", id), ("value", &v)])?;
            }
        }
        x.close("attvalues")?;
        x.close("node")?;
    }
    x.close("nodes")?;

    x.open("edges", &[])?;
    for edge in &graph.edges {
        let mut attrs: Vec<(&str, String)> = vec![
            ("id", edge.id.clone()),
            ("source", edge.source.clone()),
            ("target", edge.target.clone()),
            ("label", edge.label.clone()),
            ("weight", if edge.merges { "1.0" } else { "0.5" }.to_owned()),
        ];
        if dynamic && let Some(t) = edge.start {
            attrs.push(("start", day(t)));
            attrs.push(("end", day(t)));
        }
        let attrs_ref: Vec<(&str, &str)> = attrs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        x.open("edge", &attrs_ref)?;
        x.open("attvalues", &[])?;
        x.empty(
            "attvalue",
            &[("for", "kind"), ("value", edge.kind.as_str())],
        )?;
        x.empty(
            "attvalue",
            &[
                ("for", "merges"),
                ("value", if edge.merges { "true" } else { "false" }),
            ],
        )?;
        x.close("attvalues")?;
        x.close("edge")?;
    }
    x.close("edges")?;
    x.close("graph")?;
    x.close("gexf")?;
    x.finish()?;
    Ok(())
}
