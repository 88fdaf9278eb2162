"""The networkx view leaves the program: GraphML, GEXF, node-link JSON and Kumu CSV load back equal to the view."""

import csv
import io
import json
import zipfile

import pytest


def _nodes(H):
    return {n: dict(d) for n, d in H.nodes(data=True)}


def _edges(H, drop=()):
    return {(u, v, k): {a: x for a, x in d.items() if a not in drop} for u, v, k, d in H.edges(keys=True, data=True)}


def _equal(R, H, drop_node=(), drop_edge=()):
    assert {n: {a: x for a, x in d.items() if a not in drop_node} for n, d in _nodes(R).items()} == _nodes(H)
    assert _edges(R, drop_edge) == _edges(H)


def test_the_flat_view_keeps_every_actor_and_every_fact_once(view):
    from graph.network.exports import flat_view

    H = flat_view(view)
    assert set(H) == set(view)
    facts = {k for _, _, k, d in view.edges(keys=True, data=True) if not d.get("mirror")}
    assert {k for _, _, k in H.edges(keys=True)} == facts
    assert all(isinstance(x, (str, bool, int, float)) for _, d in H.nodes(data=True) for x in d.values())


def test_graphml_loads_back_in_networkx_equal_to_the_view(view):
    import networkx as nx

    from graph.network.exports import export_network, flat_view

    R = nx.read_graphml(io.BytesIO(export_network(view, "graphml")), force_multigraph=True)
    _equal(R, flat_view(view))


def test_gexf_loads_back_equal_and_carries_colours_and_sizes(view):
    import networkx as nx

    from graph.maps.page import LEVEL_COLOURS
    from graph.network.exports import export_network, flat_view, gexf_styles

    colours, sizes = gexf_styles(view, LEVEL_COLOURS)
    R = nx.read_gexf(io.BytesIO(export_network(view, "gexf", colours=colours, sizes=sizes)))
    _equal(R, flat_view(view), drop_node=("viz",), drop_edge=("id",))
    vizzes = [d["viz"] for _, d in R.nodes(data=True)]
    assert all("color" in v and "size" in v for v in vizzes)
    assert len({v["size"] for v in vizzes}) > 3  # sizes follow degree
    itm = R.nodes["https://w3id.org/coopmap/id/actor/lu-itm"]["viz"]["color"]
    assert f"#{itm['r']:02x}{itm['g']:02x}{itm['b']:02x}" == LEVEL_COLOURS["national"]


def test_node_link_json_loads_back_equal_to_the_view(view):
    import networkx as nx

    from graph.network.exports import export_network, flat_view

    data = json.loads(export_network(view, "json"))
    assert set(data) >= {"nodes", "links", "directed", "multigraph"}
    _equal(nx.node_link_graph(data, edges="links"), flat_view(view))


def test_csv_tables_read_back_with_the_csv_module_equal_to_the_view(view, tmp_path):
    from graph.network.exports import EDGE_COLUMNS, NODE_COLUMNS, export_network, flat_view, write_csv

    H = flat_view(view)
    target = write_csv(export_network(view, "csv"), tmp_path / "kumu.zip")
    with zipfile.ZipFile(target) as z:
        assert sorted(z.namelist()) == ["actors.csv", "links.csv", "sources.csv"]
        tables = {n: list(csv.DictReader(io.StringIO(z.read(n).decode("utf-8")))) for n in z.namelist()}
    def cell(x):
        return ("true" if x else "false") if isinstance(x, bool) else str(x)

    head = dict(NODE_COLUMNS)
    actors = {r["ID"]: {a: r[h] for a, h in head.items() if a != "id" and r[h] != ""} for r in tables["actors.csv"]}
    assert actors == {n: {a: cell(x) for a, x in d.items()} for n, d in H.nodes(data=True)}
    head = dict(EDGE_COLUMNS)

    ends = ("id", "source", "target")
    links = {(r["From"], r["To"], r["ID"]): {a: r[h] for a, h in head.items() if a not in ends and r[h] != ""}
             for r in tables["links.csv"]}
    assert links == {(u, v, k): {a: cell(x) for a, x in d.items()} for u, v, k, d in H.edges(keys=True, data=True)}
    assert list(tables["links.csv"][0])[:5] == ["ID", "From", "To", "Type", "Direction"]  # Kumu's connection columns
    assert len(tables["sources.csv"]) > 300


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_cli_export_honours_as_of_and_is_reproducible(invoke, view, tmp_path, fmt):
    import networkx as nx

    from graph.network.exports import flat_view
    from graph.network.view import filter_view

    a, b = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
    for out in (a, b):
        r = invoke("export", "--format", fmt, "--as-of", "2015", "-o", str(out))
        assert r.exit_code == 0, r.output
    assert a.read_bytes() == b.read_bytes()
    readers = {"graphml": lambda p: nx.read_graphml(p, force_multigraph=True), "gexf": nx.read_gexf,
               "json": lambda p: nx.node_link_graph(json.loads(p.read_text()), edges="links")}
    R = readers[fmt](a)
    H = flat_view(filter_view(view, as_of="2015"))
    assert R.number_of_edges() == H.number_of_edges() < flat_view(view).number_of_edges()
    _equal(R, H, drop_node=("viz",), drop_edge=("id",))


def test_cli_export_honours_the_audience(invoke, tmp_path, project):
    from graph.network.exports import to_node_link, flat_view
    from graph.network.view import load_view

    out = tmp_path / "amber.json"
    assert invoke("export", "--format", "json", "--audience", "amber", "-o", str(out)).exit_code == 0
    assert out.read_bytes() == to_node_link(flat_view(load_view(project, audience="amber")))


def test_cli_csv_needs_a_folder_and_rdf_refuses_as_of(invoke):
    r = invoke("export", "--format", "csv")
    assert r.exit_code == 2 and "-o FOLDER" in r.output
    r = invoke("export", "--format", "ttl", "--as-of", "2020")
    assert r.exit_code == 2 and "--as-of applies to the network formats" in r.output
