//! The flows around an account, n hops out in either direction, as a graph
//! an analyst opens in Gephi, yEd or a spreadsheet: accounts as nodes,
//! money between two accounts in one asset as one edge carrying the count,
//! the exact total, the first and last time and the transfers behind it.
//!
//! GraphML and GEXF are written here rather than through the detection
//! engine's network exports: those describe documents and identifiers,
//! while a flow graph needs amounts and directions on its edges. Both
//! files are checked with networkx in the binary's tests.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::io::Write;

use chrono::{DateTime, Utc};

use crate::amount::Amount;
use crate::model::{AccountRef, Transfer};

/// Which way to follow money.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Where the account's money went.
    Out,
    /// Where its money came from.
    In,
    /// Both.
    Both,
}

/// An account in the graph.
#[derive(Clone, Debug, PartialEq)]
pub struct FlowNode {
    /// The account.
    pub account: AccountRef,
    /// Hops from the start.
    pub hops: usize,
    /// A label from the imported lists, if any.
    pub label: Option<String>,
}

/// Money from one account to another in one asset.
#[derive(Clone, Debug, PartialEq)]
pub struct FlowEdge {
    /// Sender (index into the nodes).
    pub from: usize,
    /// Receiver.
    pub to: usize,
    /// Asset.
    pub asset: String,
    /// Transfers (indexes into the slice given).
    pub transfers: Vec<usize>,
    /// Exact total.
    pub total: Amount,
    /// First transfer.
    pub first: DateTime<Utc>,
    /// Last transfer.
    pub last: DateTime<Utc>,
}

/// The graph.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FlowGraph {
    /// Nodes, the start first.
    pub nodes: Vec<FlowNode>,
    /// Edges, ordered by sender, receiver and asset.
    pub edges: Vec<FlowEdge>,
}

impl FlowGraph {
    /// The accounts within `hops` transfers of `start` (following money in
    /// `direction`) and every transfer among them. `labels` names accounts
    /// by key.
    pub fn around(
        transfers: &[Transfer],
        start: &AccountRef,
        hops: usize,
        direction: Direction,
        labels: &HashMap<String, String>,
    ) -> FlowGraph {
        let mut out: HashMap<&AccountRef, Vec<&AccountRef>> = HashMap::new();
        let mut inn: HashMap<&AccountRef, Vec<&AccountRef>> = HashMap::new();
        for t in transfers {
            out.entry(&t.from).or_default().push(&t.to);
            inn.entry(&t.to).or_default().push(&t.from);
        }
        let mut distance: BTreeMap<&AccountRef, usize> = BTreeMap::new();
        distance.insert(start, 0);
        let mut queue = VecDeque::from([start]);
        while let Some(at) = queue.pop_front() {
            let d = distance.get(at).copied().unwrap_or(0);
            if d >= hops {
                continue;
            }
            let mut next: Vec<&AccountRef> = Vec::new();
            if direction != Direction::In {
                next.extend(out.get(at).into_iter().flatten());
            }
            if direction != Direction::Out {
                next.extend(inn.get(at).into_iter().flatten());
            }
            for n in next {
                if !distance.contains_key(n) {
                    distance.insert(n, d + 1);
                    queue.push_back(n);
                }
            }
        }
        let mut order: Vec<(&AccountRef, usize)> = distance.into_iter().collect();
        order.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(b.0)));
        let index: HashMap<&AccountRef, usize> = order
            .iter()
            .enumerate()
            .map(|(i, (a, _))| (*a, i))
            .collect();
        let nodes = order
            .iter()
            .map(|(a, hops)| FlowNode {
                account: (*a).clone(),
                hops: *hops,
                label: labels.get(&a.key()).cloned(),
            })
            .collect();
        let mut grouped: BTreeMap<(usize, usize, &str), Vec<usize>> = BTreeMap::new();
        for (i, t) in transfers.iter().enumerate() {
            if let (Some(&f), Some(&to)) = (index.get(&t.from), index.get(&t.to)) {
                grouped
                    .entry((f, to, t.asset.as_str()))
                    .or_default()
                    .push(i);
            }
        }
        let edges = grouped
            .into_iter()
            .filter_map(|((from, to, asset), ids)| {
                let total = ids
                    .iter()
                    .try_fold(Amount::ZERO, |sum, &i| sum.checked_add(transfers[i].amount))?;
                let times = ids.iter().map(|&i| transfers[i].time);
                Some(FlowEdge {
                    from,
                    to,
                    asset: asset.to_owned(),
                    first: times.clone().min()?,
                    last: times.max()?,
                    total,
                    transfers: ids,
                })
            })
            .collect();
        FlowGraph { nodes, edges }
    }

    /// Writes GraphML (directed; every attribute declared with its type).
    pub fn graphml(&self, keys: &[String], mut w: impl Write) -> std::io::Result<()> {
        writeln!(w, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
        writeln!(
            w,
            r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">"#
        )?;
        for (id, name, ty, on) in NODE_ATTRS.iter().chain(EDGE_ATTRS) {
            writeln!(
                w,
                r#"  <key id="{id}" for="{on}" attr.name="{name}" attr.type="{ty}"/>"#
            )?;
        }
        writeln!(w, r#"  <graph id="flows" edgedefault="directed">"#)?;
        for (i, n) in self.nodes.iter().enumerate() {
            writeln!(w, r#"    <node id="n{i}">"#)?;
            for (key, value) in node_values(n) {
                writeln!(w, r#"      <data key="{key}">{}</data>"#, escape(&value))?;
            }
            writeln!(w, "    </node>")?;
        }
        for (i, e) in self.edges.iter().enumerate() {
            writeln!(
                w,
                r#"    <edge id="e{i}" source="n{}" target="n{}">"#,
                e.from, e.to
            )?;
            for (key, value) in edge_values(e, keys) {
                writeln!(w, r#"      <data key="{key}">{}</data>"#, escape(&value))?;
            }
            writeln!(w, "    </edge>")?;
        }
        writeln!(w, "  </graph>\n</graphml>")
    }

    /// Writes GEXF 1.3 (directed, static; attributes declared per class).
    pub fn gexf(&self, keys: &[String], mut w: impl Write) -> std::io::Result<()> {
        writeln!(w, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
        writeln!(
            w,
            r#"<gexf xmlns="http://gexf.net/1.3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" version="1.3">"#
        )?;
        writeln!(
            w,
            r#"  <meta><creator>Qorgau</creator><description>money flows</description></meta>"#
        )?;
        writeln!(w, r#"  <graph defaultedgetype="directed" mode="static">"#)?;
        for (class, attrs) in [("node", NODE_ATTRS), ("edge", EDGE_ATTRS)] {
            writeln!(w, r#"    <attributes class="{class}">"#)?;
            for (id, name, ty, _) in attrs {
                let ty = if *ty == "int" { "integer" } else { ty };
                writeln!(
                    w,
                    r#"      <attribute id="{id}" title="{name}" type="{ty}"/>"#
                )?;
            }
            writeln!(w, "    </attributes>")?;
        }
        writeln!(w, "    <nodes>")?;
        for (i, n) in self.nodes.iter().enumerate() {
            writeln!(
                w,
                r#"      <node id="n{i}" label="{}"><attvalues>"#,
                escape(&n.label.clone().unwrap_or_else(|| n.account.key()))
            )?;
            for (key, value) in node_values(n) {
                writeln!(
                    w,
                    r#"        <attvalue for="{key}" value="{}"/>"#,
                    escape(&value)
                )?;
            }
            writeln!(w, "      </attvalues></node>")?;
        }
        writeln!(w, "    </nodes>\n    <edges>")?;
        for (i, e) in self.edges.iter().enumerate() {
            writeln!(
                w,
                r#"      <edge id="e{i}" source="n{}" target="n{}" weight="{}"><attvalues>"#,
                e.from,
                e.to,
                e.transfers.len()
            )?;
            for (key, value) in edge_values(e, keys) {
                writeln!(
                    w,
                    r#"        <attvalue for="{key}" value="{}"/>"#,
                    escape(&value)
                )?;
            }
            writeln!(w, "      </attvalues></edge>")?;
        }
        writeln!(w, "    </edges>\n  </graph>\n</gexf>")
    }

    /// Writes the edges as CSV (one row per sender, receiver and asset,
    /// accounts by key, the transfers' keys space-separated).
    pub fn csv_edges(&self, keys: &[String], w: impl Write) -> Result<(), csv::Error> {
        let mut out = csv::Writer::from_writer(w);
        out.write_record([
            "source",
            "target",
            "asset",
            "transfers",
            "total",
            "first",
            "last",
            "transfer_keys",
        ])?;
        for e in &self.edges {
            out.write_record([
                self.nodes[e.from].account.key(),
                self.nodes[e.to].account.key(),
                e.asset.clone(),
                e.transfers.len().to_string(),
                e.total.to_string(),
                e.first.to_rfc3339(),
                e.last.to_rfc3339(),
                transfer_keys(e, keys),
            ])?;
        }
        out.flush()?;
        Ok(())
    }

    /// Writes the nodes as CSV.
    pub fn csv_nodes(&self, w: impl Write) -> Result<(), csv::Error> {
        let mut out = csv::Writer::from_writer(w);
        out.write_record(["id", "kind", "chain", "value", "hops", "label"])?;
        for n in &self.nodes {
            out.write_record([
                n.account.key(),
                n.account.kind.as_str().to_owned(),
                n.account
                    .chain
                    .map(crate::model::chain_name)
                    .unwrap_or("")
                    .to_owned(),
                n.account.value.clone(),
                n.hops.to_string(),
                n.label.clone().unwrap_or_default(),
            ])?;
        }
        out.flush()?;
        Ok(())
    }

    /// The distinct assets on the edges.
    pub fn assets(&self) -> BTreeSet<&str> {
        self.edges.iter().map(|e| e.asset.as_str()).collect()
    }
}

/// (id, name, type, for) of node attributes.
const NODE_ATTRS: &[(&str, &str, &str, &str)] = &[
    ("account", "account", "string", "node"),
    ("kind", "kind", "string", "node"),
    ("chain", "chain", "string", "node"),
    ("value", "value", "string", "node"),
    ("hops", "hops", "int", "node"),
    ("label", "label", "string", "node"),
];

/// (id, name, type, for) of edge attributes.
const EDGE_ATTRS: &[(&str, &str, &str, &str)] = &[
    ("asset", "asset", "string", "edge"),
    ("count", "transfers", "int", "edge"),
    ("total", "total", "string", "edge"),
    ("first", "first", "string", "edge"),
    ("last", "last", "string", "edge"),
    ("keys", "transfer_keys", "string", "edge"),
];

fn node_values(n: &FlowNode) -> Vec<(&'static str, String)> {
    let mut v = vec![
        ("account", n.account.key()),
        ("kind", n.account.kind.as_str().to_owned()),
        ("value", n.account.value.clone()),
        ("hops", n.hops.to_string()),
    ];
    if let Some(c) = n.account.chain {
        v.push(("chain", crate::model::chain_name(c).to_owned()));
    }
    if let Some(l) = &n.label {
        v.push(("label", l.clone()));
    }
    v
}

fn transfer_keys(e: &FlowEdge, keys: &[String]) -> String {
    e.transfers
        .iter()
        .filter_map(|&i| keys.get(i).map(String::as_str))
        .collect::<Vec<_>>()
        .join(" ")
}

fn edge_values(e: &FlowEdge, keys: &[String]) -> Vec<(&'static str, String)> {
    vec![
        ("asset", e.asset.clone()),
        ("count", e.transfers.len().to_string()),
        // Exact decimal text: a double would round large token amounts.
        ("total", e.total.to_string()),
        ("first", e.first.to_rfc3339()),
        ("last", e.last.to_rfc3339()),
        ("keys", transfer_keys(e, keys)),
    ]
}

/// XML text and attribute escaping; characters XML 1.0 forbids are
/// dropped (they cannot be written at all, and no account or label needs
/// them).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bitcoin::testing::{addr, tx};

    fn chain() -> Vec<Transfer> {
        // 0 → 1 → 2 → 3, and 4 → 1.
        [
            tx("a", 0, &[("p", 0, Some(0), 10_000)], &[(Some(1), 9_000)]),
            tx("b", 1, &[("a", 0, Some(1), 9_000)], &[(Some(2), 8_000)]),
            tx("c", 2, &[("b", 0, Some(2), 8_000)], &[(Some(3), 7_000)]),
            tx("d", 3, &[("q", 0, Some(4), 5_000)], &[(Some(1), 4_000)]),
            tx("e", 4, &[("r", 0, Some(4), 5_000)], &[(Some(1), 3_000)]),
        ]
        .iter()
        .flat_map(|t| t.transfers())
        .collect()
    }

    #[test]
    fn hops_and_directions() {
        let t = chain();
        let none = HashMap::new();
        let out1 = FlowGraph::around(&t, &addr(1), 1, Direction::Out, &none);
        assert_eq!(out1.nodes.len(), 2);
        let both1 = FlowGraph::around(&t, &addr(1), 1, Direction::Both, &none);
        assert_eq!(both1.nodes.len(), 4, "0, 2 and 4 around 1");
        // 4 → 1 twice is one edge of two transfers.
        let e = both1
            .edges
            .iter()
            .find(|e| both1.nodes[e.from].account == addr(4))
            .unwrap();
        assert_eq!(e.transfers.len(), 2);
        assert_eq!(e.total.to_string(), "0.00007");
        let all = FlowGraph::around(&t, &addr(0), 3, Direction::Out, &none);
        assert_eq!(
            all.nodes.iter().map(|n| n.hops).collect::<Vec<_>>(),
            vec![0, 1, 2, 3]
        );
        assert_eq!(all.edges.len(), 3, "4 → 1 is not downstream of 0");
    }

    #[test]
    fn writers_escape_and_name_the_transfers() {
        let t = chain();
        let labels = HashMap::from([(addr(2).key(), "Shop <&> \"x\"\u{1}".to_owned())]);
        let keys: Vec<String> = (0..t.len()).map(|i| format!("k{i}")).collect();
        let g = FlowGraph::around(&t, &addr(1), 2, Direction::Both, &labels);
        let mut xml = Vec::new();
        g.graphml(&keys, &mut xml).unwrap();
        let xml = String::from_utf8(xml).unwrap();
        assert!(xml.contains("Shop &lt;&amp;&gt; &quot;x&quot;</data>"));
        assert!(xml.contains(">k3 k4</data>"));
        let mut gexf = Vec::new();
        g.gexf(&keys, &mut gexf).unwrap();
        assert!(String::from_utf8(gexf).unwrap().contains(r#"weight="2""#));
        let mut csv = Vec::new();
        g.csv_edges(&keys, &mut csv).unwrap();
        let csv = String::from_utf8(csv).unwrap();
        assert_eq!(csv.lines().count(), g.edges.len() + 1);
    }
}
