#!/usr/bin/env python3
"""Reads Qorgau's network exports back with independent tools and checks them.

Usage: check_exports.py DIR

DIR holds graph.graphml, graph.gexf, nodes.csv, edges.csv, entities.ftm.jsonl and
expected.json (written by the Rust test `tests/exports.rs`). Checks:
- networkx reads the GraphML and the GEXF: node and edge counts, attributes of known
  nodes and edges, the GEXF's dynamic start/end;
- the csv module reads both Gephi tables with the documented headers and the same counts;
- followthemoney re-validates every entity (get_proxy with cleaned=False): the schema exists
  and is not abstract, every property exists on it, every value survives cleaning, required
  properties are present, and every entity reference points at an exported entity.
Exits 1 with a message on the first failure; 2 when a package is missing.
"""

import csv
import json
import os
import sys

try:
    import networkx as nx
    from followthemoney import model
except ImportError as err:  # pragma: no cover - the message is the point
    print(
        f"missing Python package ({err.name}): run "
        "`python3 -m pip install networkx followthemoney` "
        "(or scripts/install-test-tools)",
        file=sys.stderr,
    )
    sys.exit(2)


def fail(msg):
    print(f"check_exports: {msg}", file=sys.stderr)
    sys.exit(1)


def check(cond, msg):
    if not cond:
        fail(msg)


def check_graph(g, fmt, expected):
    check(
        g.number_of_nodes() == expected["nodes"],
        f"{fmt}: {g.number_of_nodes()} nodes, expected {expected['nodes']}",
    )
    check(
        g.number_of_edges() == expected["edges"],
        f"{fmt}: {g.number_of_edges()} edges, expected {expected['edges']}",
    )
    for node_id, attrs in expected["node_attrs"].items():
        check(node_id in g.nodes, f"{fmt}: node {node_id!r} missing")
        data = g.nodes[node_id]
        for key, value in attrs.items():
            got = data.get(key)
            check(got == value, f"{fmt}: node {node_id!r} {key}={got!r}, expected {value!r}")
    labels = [d.get("label", "") for _, _, d in g.edges(data=True)]
    for needle in expected["edge_labels"]:
        check(
            any(needle == lab for lab in labels),
            f"{fmt}: no edge labelled {needle!r}",
        )
    kinds = {d.get("kind") for _, _, d in g.edges(data=True)}
    for kind in expected["edge_kinds"]:
        check(kind in kinds, f"{fmt}: no edge of kind {kind!r} (have {sorted(map(str, kinds))})")


def check_graphml(path, expected):
    g = nx.read_graphml(path)
    check_graph(g, "GraphML", expected)
    # Typed attributes come back typed.
    for node_id, data in g.nodes(data=True):
        check(isinstance(data.get("documents"), int), f"GraphML: documents of {node_id!r} not int")
        if data.get("type") == "document":
            check(isinstance(data.get("flagged"), bool), f"GraphML: flagged of {node_id!r} not bool")
    for _, _, data in g.edges(data=True):
        check(isinstance(data.get("merges"), bool), "GraphML: merges not bool")
        check(data.get("label"), "GraphML: an edge has no reason")


def check_gexf(path, expected):
    g = nx.read_gexf(path, version="1.3")
    check(g.graph.get("mode") == "dynamic", f"GEXF: mode {g.graph.get('mode')!r}, expected dynamic")
    # read_gexf keeps the GEXF label separately; compare like GraphML by copying it over.
    for node_id, data in g.nodes(data=True):
        check("label" in data, f"GEXF: node {node_id!r} has no label")
    check_graph(g, "GEXF", expected)
    for node_id, (start, end) in expected["gexf_times"].items():
        data = g.nodes[node_id]
        check(
            data.get("start") == start and data.get("end") == end,
            f"GEXF: node {node_id!r} spans {data.get('start')!r}..{data.get('end')!r}, "
            f"expected {start}..{end}",
        )


def check_csv(nodes_path, edges_path, expected):
    with open(nodes_path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
        check(rows, "nodes.csv is empty")
        header = list(rows[0].keys())
        check(header[:3] == ["Id", "Label", "Type"], f"nodes.csv header {header[:3]}")
    check(len(rows) == expected["nodes"], f"nodes.csv: {len(rows)} rows, expected {expected['nodes']}")
    ids = {r["Id"] for r in rows}
    check(len(ids) == len(rows), "nodes.csv: duplicate Id")
    with open(edges_path, newline="", encoding="utf-8") as f:
        erows = list(csv.DictReader(f))
    check(erows and list(erows[0].keys())[:4] == ["Source", "Target", "Type", "Id"], "edges.csv header")
    check(len(erows) == expected["edges"], f"edges.csv: {len(erows)} rows, expected {expected['edges']}")
    for r in erows:
        check(r["Source"] in ids and r["Target"] in ids, f"edges.csv: dangling edge {r['Id']}")
        check(r["Type"] in ("Undirected", "Directed"), f"edges.csv: Type {r['Type']!r}")


def check_ftm(path, expected):
    entities = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            try:
                entities.append(json.loads(line))
            except ValueError as err:
                fail(f"FtM line {n}: not JSON: {err}")
    check(len(entities) == expected["entities"], f"FtM: {len(entities)} entities, expected {expected['entities']}")
    ids = {e["id"] for e in entities}
    check(len(ids) == len(entities), "FtM: duplicate entity id")
    schemata = {}
    for data in entities:
        schema = model.get(data.get("schema"))
        check(schema is not None, f"FtM: unknown schema {data.get('schema')!r}")
        check(not schema.abstract, f"FtM: abstract schema {schema.name}")
        for prop_name in data["properties"]:
            check(prop_name in schema.properties, f"FtM: {schema.name} has no property {prop_name!r}")
            check(not schema.properties[prop_name].stub, f"FtM: {schema.name}.{prop_name} is a stub")
        proxy = model.get_proxy(data, cleaned=False)
        check(proxy.id == data["id"], f"FtM: id {data['id']!r} rejected")
        for prop_name, values in data["properties"].items():
            kept = proxy.get(prop_name)
            check(
                len(kept) == len(set(values)),
                f"FtM: {schema.name}.{prop_name} lost values in validation: {values!r} -> {kept!r}",
            )
        for req in schema.required:
            check(proxy.get(req), f"FtM: {schema.name} {data['id']} lacks required {req!r}")
        for prop in proxy.schema.properties.values():
            if prop.type.name == "entity":
                for ref in proxy.get(prop):
                    check(ref in ids, f"FtM: {schema.name}.{prop.name} points at missing {ref!r}")
        schemata[schema.name] = schemata.get(schema.name, 0) + 1
    for name, count in expected["ftm_schemata"].items():
        check(schemata.get(name, 0) == count, f"FtM: {schemata.get(name, 0)} {name}, expected {count}")
    for schema_name, prop, value in expected["ftm_values"]:
        found = any(
            e["schema"] == schema_name and value in e["properties"].get(prop, []) for e in entities
        )
        check(found, f"FtM: no {schema_name} with {prop}={value!r}")


def main():
    if len(sys.argv) != 2:
        fail("usage: check_exports.py DIR")
    d = sys.argv[1]
    with open(os.path.join(d, "expected.json"), encoding="utf-8") as f:
        expected = json.load(f)
    check_graphml(os.path.join(d, "graph.graphml"), expected)
    check_gexf(os.path.join(d, "graph.gexf"), expected)
    check_csv(os.path.join(d, "nodes.csv"), os.path.join(d, "edges.csv"), expected)
    check_ftm(os.path.join(d, "entities.ftm.jsonl"), expected)
    print(
        "check_exports: ok "
        f"(networkx {nx.__version__}, followthemoney {__import__('followthemoney').__version__})"
    )


if __name__ == "__main__":
    main()
