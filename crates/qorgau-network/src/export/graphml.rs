//! GraphML (<http://graphml.graphdrawing.org/>): every attribute declared as a `<key>` before
//! the graph, as the schema requires, with typed values so readers (Gephi, yEd, networkx,
//! igraph) get numbers and booleans back.

use std::io::Write;

use super::ExportError;
use super::xml::Xml;
use crate::graph::{Edge, Graph, Node};

/// A declared attribute: key id, name, type, and how to read it off a node.
struct NodeKey {
    id: &'static str,
    name: &'static str,
    ty: &'static str,
    get: fn(&Node) -> Option<String>,
}

struct EdgeKey {
    id: &'static str,
    name: &'static str,
    ty: &'static str,
    get: fn(&Edge) -> Option<String>,
}

fn time(t: Option<chrono::DateTime<chrono::FixedOffset>>) -> Option<String> {
    t.map(|t| t.to_rfc3339())
}

const NODE_KEYS: &[NodeKey] = &[
    NodeKey {
        id: "n_type",
        name: "type",
        ty: "string",
        get: |n| Some(n.kind.as_str().into()),
    },
    NodeKey {
        id: "n_label",
        name: "label",
        ty: "string",
        get: |n| Some(n.label.clone()),
    },
    NodeKey {
        id: "n_network",
        name: "network",
        ty: "string",
        get: |n| n.network.clone(),
    },
    NodeKey {
        id: "n_kind",
        name: "kind",
        ty: "string",
        get: |n| n.ident_kind.clone(),
    },
    NodeKey {
        id: "n_value",
        name: "value",
        ty: "string",
        get: |n| n.value.clone(),
    },
    NodeKey {
        id: "n_scenario",
        name: "scenario",
        ty: "string",
        get: |n| n.scenario.clone(),
    },
    NodeKey {
        id: "n_role",
        name: "role",
        ty: "string",
        get: |n| n.role.map(|r| r.as_str().into()),
    },
    NodeKey {
        id: "n_flagged",
        name: "flagged",
        ty: "boolean",
        get: |n| n.flagged.map(|f| f.to_string()),
    },
    NodeKey {
        id: "n_source",
        name: "source",
        ty: "string",
        get: |n| n.source.clone(),
    },
    NodeKey {
        id: "n_url",
        name: "url",
        ty: "string",
        get: |n| n.url.clone(),
    },
    NodeKey {
        id: "n_documents",
        name: "documents",
        ty: "int",
        get: |n| Some(n.documents.to_string()),
    },
    NodeKey {
        id: "n_mirror_group",
        name: "mirror_group",
        ty: "string",
        get: |n| n.mirror_group.clone(),
    },
    NodeKey {
        id: "n_first_seen",
        name: "first_seen",
        ty: "string",
        get: |n| time(n.first_seen),
    },
    NodeKey {
        id: "n_last_seen",
        name: "last_seen",
        ty: "string",
        get: |n| time(n.last_seen),
    },
];

const EDGE_KEYS: &[EdgeKey] = &[
    EdgeKey {
        id: "e_kind",
        name: "kind",
        ty: "string",
        get: |e| Some(e.kind.as_str().into()),
    },
    EdgeKey {
        id: "e_label",
        name: "label",
        ty: "string",
        get: |e| Some(e.label.clone()),
    },
    EdgeKey {
        id: "e_merges",
        name: "merges",
        ty: "boolean",
        get: |e| Some(e.merges.to_string()),
    },
    EdgeKey {
        id: "e_start",
        name: "start",
        ty: "string",
        get: |e| time(e.start),
    },
];

/// Writes `graph` as an undirected GraphML document.
pub fn graphml(graph: &Graph, w: impl Write) -> Result<(), ExportError> {
    let mut x = Xml::new(w)?;
    x.open(
        "graphml",
        &[
            ("xmlns", "http://graphml.graphdrawing.org/xmlns"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            (
                "xsi:schemaLocation",
                "http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd",
            ),
        ],
    )?;
    for k in NODE_KEYS {
        x.empty(
            "key",
            &[
                ("id", k.id),
                ("for", "node"),
                ("attr.name", k.name),
                ("attr.type", k.ty),
            ],
        )?;
    }
    for k in EDGE_KEYS {
        x.empty(
            "key",
            &[
                ("id", k.id),
                ("for", "edge"),
                ("attr.name", k.name),
                ("attr.type", k.ty),
            ],
        )?;
    }
    x.open("graph", &[("id", "qorgau"), ("edgedefault", "undirected")])?;
    for node in &graph.nodes {
        x.open("node", &[("id", &node.id)])?;
        for k in NODE_KEYS {
            if let Some(v) = (k.get)(node) {
                x.text_element("data", &[("key", k.id)], &v)?;
            }
        }
        x.close("node")?;
    }
    for edge in &graph.edges {
        x.open(
            "edge",
            &[
                ("id", &edge.id),
                ("source", &edge.source),
                ("target", &edge.target),
            ],
        )?;
        for k in EDGE_KEYS {
            if let Some(v) = (k.get)(edge) {
                x.text_element("data", &[("key", k.id)], &v)?;
            }
        }
        x.close("edge")?;
    }
    x.close("graph")?;
    x.close("graphml")?;
    x.finish()?;
    Ok(())
}
