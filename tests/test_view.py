"""The networkx view: it says what the RDF graph says (checked with independent SPARQL counts), it is
cached without rdflib/pyoxigraph on the way back, filters never change their input, dates are periods,
and the synthetic generator compiles into the same ontology."""

import copy
import doctest
import importlib
import subprocess
import sys

import pytest

from graph.kb.store import select
from viewgraphs import around_the_clock, office_hours, view_graph

ACTOR = "https://w3id.org/coopmap/id/actor/"


@pytest.fixture(scope="session")
def G(project):
    from graph.network.view import load_view

    return load_view(project)


@pytest.mark.parametrize("module", ["graph.core.periods", "graph.network.view", "graph.network.routing", "graph.network.contact", "graph.network.paths",
                                    "graph.network.analysis", "graph.network.timeline"])
def test_docstring_examples_run(module):
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 or module in ("graph.network.routing",), f"{module} has no examples"
    assert result.failed == 0


# ---------------------------------------------------------------- the real graph, counted independently


def test_nodes_are_exactly_the_visible_actors(G, store):
    rows = select(store, """SELECT DISTINCT ?a WHERE { ?a a coop:Actor .
        FILTER NOT EXISTS { ?a dcterms:accessRights ?t . ?t coop:rank ?r FILTER(?r > 0) } }""")
    assert rows, "the real data has actors"
    assert set(G.nodes) == {r["a"] for r in rows}


def test_one_edge_per_link_and_both_ways_for_symmetric_kinds(G, store):
    rows = select(store, """SELECT ?l ?f ?t ?sym WHERE { ?l a coop:Link ; coop:from ?f ; coop:to ?t ; coop:linkKind ?k .
        OPTIONAL { ?k coop:symmetric ?sym } }""")
    assert rows
    links = {(u, v, k): d for u, v, k, d in G.edges(keys=True, data=True) if d["origin"] == "link"}
    assert {k for _, _, k in links} == {r["l"] for r in rows}
    for r in rows:
        assert links[(r["f"], r["t"], r["l"])]["mirror"] is False
        assert ((r["t"], r["f"], r["l"]) in links) == bool(r["sym"]), r["l"]
    assert any(r["sym"] for r in rows) and not all(r["sym"] for r in rows), "both sorts exist in the data"


def test_memberships_structure_and_agreements(G, store):
    members = select(store, "SELECT ?m ?a ?o WHERE { ?m a org:Membership ; org:member ?a ; org:organization ?o }")
    got = {(u, v, k) for u, v, k, d in G.edges(keys=True, data=True) if d["kind"] == "member-of"}
    assert got == {(r["a"], r["o"], r["m"]) for r in members} and got
    units = select(store, "SELECT ?u ?p WHERE { ?u a coop:Actor ; org:unitOf|org:subOrganizationOf ?p }")
    got = {(u, v) for u, v, d in G.edges(data=True) if d["kind"] == "unit-of" and not d["mirror"]}
    assert got == {(r["u"], r["p"]) for r in units} and got
    parties = select(store, "SELECT ?i (COUNT(DISTINCT ?p) AS ?n) WHERE { ?i coop:party ?p . ?p a coop:Actor } GROUP BY ?i")
    got = {}
    for u, v, k, d in G.edges(keys=True, data=True):
        if d["kind"] == "party-to":
            got.setdefault(k, set()).update((u, v))
    assert got == {r["i"]: got.get(r["i"]) for r in parties if r["n"] > 1}
    assert all(len(got[r["i"]]) == r["n"] for r in parties if r["n"] > 1)


def test_node_attributes_match_the_rdf(G, store):
    itm = ACTOR + "lu-itm"
    rows = select(store, "SELECT ?n WHERE { ?a coop:mandate/skos:notation ?n }", a=itm)
    assert G.nodes[itm]["mandates"] == sorted(r["n"] for r in rows)
    labels = select(store, "SELECT ?l WHERE { ?a skos:prefLabel ?l FILTER(lang(?l) = 'fr') }", a=itm)
    assert G.nodes[itm]["labels"]["fr"] == labels[0]["l"]
    assert G.nodes[itm]["acronym"] == "ITM" and G.nodes[itm]["level"] == "national"


def test_edge_sources_are_the_citations(G, store):
    for _u, _v, k, d in G.edges(keys=True, data=True):
        if d["origin"] == "link":
            rows = select(store, "SELECT ?q WHERE { ?l coop:citation/coop:quote ?q }", l=k)
            assert sorted(s["quote"] for s in d["sources"]) == sorted(r["q"] for r in rows)


def test_cached_view_loads_without_rdflib_or_pyoxigraph(G, project):
    from graph.network.view import view_path

    assert view_path(project).exists()
    code = ("import sys, pathlib; from graph.kb.build import Project; from graph.network.view import load_view;"
            f"G = load_view(Project(cache_root=pathlib.Path({str(project.cache_root)!r})));"
            "print(G.number_of_nodes(), 'rdflib' in sys.modules, 'pyoxigraph' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == [str(G.number_of_nodes()), "False", "False"]


def _same_graph(G, H):
    assert list(G.nodes) == list(H.nodes)
    for n in G:
        assert list(G.nodes[n].items()) == list(H.nodes[n].items()), n
    e1, e2 = list(G.edges(keys=True, data=True)), list(H.edges(keys=True, data=True))
    assert [e[:3] for e in e1] == [e[:3] for e in e2]
    for a, b in zip(e1, e2):
        assert list(a[3].items()) == list(b[3].items()), a[:3]
    assert all(list(G.pred[n]) == list(H.pred[n]) for n in G)
    assert all(H._pred[v][u] is H._succ[u][v] for u, v in H.edges())
    assert G.graph == H.graph


@pytest.mark.parametrize("audience", ["clear", "red"])
def test_the_cached_view_is_the_built_view_though_the_pickle_is_slim(project, store, audience):
    import pickle

    from graph.network.view import _share_strings, build_view, load_view, view_path

    built = build_view(store, audience)
    _share_strings(built)
    loaded = load_view(project, audience)
    _same_graph(built, loaded)
    with open(view_path(project, audience), "rb") as f:
        payload = pickle.load(f)
    assert payload["format"] == "slim-1"
    slim = payload["graph"]
    assert not any(v is None or v == [] for _, _, d in slim.edges(data=True) for k, v in d.items() if k in payload["edge_empty"])
    assert sum(len(d) for _, _, d in slim.edges(data=True)) < sum(len(d) for _, _, d in built.edges(data=True))


def test_a_view_whose_dicts_are_unusual_is_pickled_whole(tmp_path):
    from graph.network.view import _dump_view, _restore_dicts

    G = view_graph({"a": {}, "b": {}}, [("a", "notifies", "b", {})])
    G.add_edge("a", "b", key="odd", kind="notifies", status=None)  # not the view's attributes: kept as they are
    path = tmp_path / "v.pickle"
    _dump_view(G, path)
    import pickle

    with open(path, "rb") as f:
        payload = pickle.load(f)
    assert payload["format"] == "full"
    _same_graph(G, _restore_dicts(payload))


# ---------------------------------------------------------------- filters and dates


def small():
    return view_graph(
        {"a": {"mandates": ["investigation"], "availability": [office_hours(), around_the_clock(start="2024-03")]},
         "b": {"level": "eu", "kind": "eu-agency", "start": "2020"},
         "c": {"mandates": ["victim-support"]}},
        [("a", "notifies", "b", {"start": "2024-03"}), ("b", "exchanges-information-with", "c", {"end": "2023"}),
         ("a", "funds", "c", {})])


def test_filter_view_never_changes_its_input():
    from graph.network.view import filter_view

    G = small()
    before = copy.deepcopy((dict(G.nodes(data=True)), list(G.edges(keys=True, data=True)), G.graph))
    outs = [filter_view(G, level="national"), filter_view(G, as_of="2022"), filter_view(G, link_kind="funds"),
            filter_view(G, mandate="investigation", as_of="2024-03-01")]
    assert (dict(G.nodes(data=True)), list(G.edges(keys=True, data=True)), G.graph) == before
    assert [sorted(H.nodes) for H in outs] == [["a", "c"], ["a", "b", "c"], ["a", "b", "c"], ["a"]]
    assert [k for _, _, k in outs[2].edges(keys=True)] == ["link2"]


@pytest.mark.parametrize("as_of, nodes, edges", [
    ("2019-12-31", {"a", "c"}, {"link2"}),
    ("2020", {"a", "b", "c"}, {"link1", "link2"}),
    ("2023-12-31", {"a", "b", "c"}, {"link1", "link2"}),
    ("2024-02", {"a", "b", "c"}, {"link2"}),
    ("2024-03-31", {"a", "b", "c"}, {"link0", "link2"}),
])
def test_as_of_compares_periods(as_of, nodes, edges):
    from graph.network.view import filter_view

    H = filter_view(small(), as_of=as_of)
    assert set(H.nodes) == nodes
    assert {k for _, _, k in H.edges(keys=True)} == edges


def test_as_of_narrows_availability_statements():
    from graph.network.view import filter_view

    assert [a["hours"] for a in filter_view(small(), as_of="2023").nodes["a"]["availability"]] == ["office-hours"]
    assert len(filter_view(small(), as_of="2024-06").nodes["a"]["availability"]) == 2


@pytest.mark.parametrize("bad", ["yesterday", "2024-13", "2024-02-30", "24-03-2024"])
def test_bad_dates_say_how_to_write_them(bad):
    from graph.core.errors import CoopmapError
    from graph.network.view import filter_view

    with pytest.raises(CoopmapError, match="write YYYY-MM-DD, YYYY-MM or YYYY"):
        filter_view(small(), as_of=bad)


# ---------------------------------------------------------------- the synthetic generator


def test_synthetic_is_seeded(tmp_path):
    from graph.network.synthetic import generate

    a, b, c = (generate(200, seed, tmp_path / name) for seed, name in ((7, "a"), (7, "b"), (8, "c")))
    files = sorted(p.name for p in a.glob("*.ttl"))
    assert files == ["actors.ttl", "availability.ttl", "instruments.ttl", "links.ttl", "memberships.ttl", "sources.ttl"]
    assert all((a / f).read_bytes() == (b / f).read_bytes() for f in files)
    assert (a / "links.ttl").read_bytes() != (c / "links.ttl").read_bytes()
    with pytest.raises(ValueError, match="between 200 and 20000"):
        generate(10, 1, tmp_path / "d")


def test_synthetic_conforms_to_the_shapes_and_projects(tmp_path):
    from graph.kb.build import Project, build, load_dataset
    from graph.kb.store import open_store
    from graph.network.synthetic import generate
    from graph.kb.validate import validate
    from graph.network.view import build_view

    out = generate(200, 3, tmp_path / "syn")
    project = Project(data_dir=out, cache_root=tmp_path / "cache")
    store = load_dataset(project)
    problems = validate(project, store=store, check_quotes=False)
    assert problems == [], "\n".join(map(str, problems[:5]))
    build(project, validate=False)
    compiled = open_store(project)
    clear = build_view(compiled, "clear")
    red = build_view(compiled, "red")
    n_clear = select(compiled, """SELECT (COUNT(?a) AS ?n) WHERE { ?a a coop:Actor ; dcterms:accessRights tlp:clear }""")
    assert clear.number_of_nodes() == n_clear[0]["n"] < red.number_of_nodes() == 200
    kinds = {d["kind"] for _, _, d in red.edges(data=True)}
    assert {"notifies", "exchanges-information-with", "funds", "unit-of", "member-of", "party-to"} <= kinds
    assert any(d["referral"] for _, _, d in red.edges(data=True)) and not all(d["referral"] for _, _, d in red.edges(data=True))
    assert any(n["availability"] for _, n in red.nodes(data=True))


def test_synthetic_command_line(tmp_path):
    out = subprocess.run([sys.executable, "-m", "graph.network.synthetic", "200", str(tmp_path / "s"), "--seed", "2"],
                         capture_output=True, text=True)
    assert out.returncode == 0 and "wrote 6 Turtle files" in out.stdout
    bad = subprocess.run([sys.executable, "-m", "graph.network.synthetic", "5", str(tmp_path / "t")], capture_output=True, text=True)
    assert bad.returncode == 2 and "between 200 and 20000" in bad.stderr and "Traceback" not in bad.stderr


# ---------------------------------------------------------------- referral semantics read from the ontology (issue 13)


def test_referral_steps_are_read_from_the_ontology(G, store):
    rows = select(store, """SELECT ?n ?ref WHERE { ?k skos:inScheme <https://w3id.org/coopmap/scheme/link-kind> ;
        skos:notation ?n . OPTIONAL { ?k coop:referral ?ref } }""")
    assert rows
    declared = {r["n"]: bool(r["ref"]) for r in rows}
    assert {k: v["referral"] for k, v in G.graph["link_kinds"].items()} == declared
    assert not any(declared[k] for k in ("unit-of", "institution-of", "member-of", "party-to"))
    for u, v, d in G.edges(data=True):
        assert d["step"] is declared[d["kind"]], (u, v, d["kind"])
    members = select(store, """SELECT ?n WHERE { <https://w3id.org/coopmap/scheme/link-kind/referral-steps> skos:member/skos:notation ?n }""")
    assert {r["n"] for r in members} == {k for k, v in declared.items() if v}


def test_placeholders_areas_serves_and_vagueness(G, store):
    ph = select(store, """SELECT ?a ?s WHERE { ?a a coop:Placeholder ; coop:standsFor ?s FILTER(lang(?s) = "en") }""")
    assert ph, "the data flags placeholders"
    assert {n for n, d in G.nodes(data=True) if d["placeholder"]} == {r["a"] for r in ph}
    assert all(G.nodes[r["a"]]["stands_for"] == r["s"] for r in ph)
    areas = select(store, """SELECT ?a ?n WHERE { ?a a coop:Actor ; schema:areaServed/skos:notation ?n }""")
    assert all(r["n"] in G.nodes[r["a"]]["area"] for r in areas)
    served = select(store, """SELECT ?l ?n WHERE { ?l a coop:Link ; coop:serves/skos:notation ?n }""")
    assert served
    edges = {k: d for _, _, k, d in G.edges(keys=True, data=True) if d["origin"] == "link"}
    assert all(r["n"] in edges[r["l"]]["serves"] for r in served)
    vague = select(store, """SELECT ?l WHERE { ?l a coop:Link ; coop:vagueness ?v }""")
    assert vague and all(edges[r["l"]]["vagueness"] for r in vague)
    assert sum(1 for d in edges.values() if d["vagueness"]) == len({r["l"] for r in vague})


def test_an_edge_is_as_sensitive_as_its_strictest_end(tmp_path):
    """A clear link to an amber actor is amber in the view (the security helper relies on it)."""
    from graph.kb.build import Project, build
    from graph.kb.store import open_store
    from graph.network.synthetic import generate
    from graph.network.view import build_view
    from graph.core.access import strictest

    out = generate(200, 5, tmp_path / "syn")
    project = Project(data_dir=out, cache_root=tmp_path / "cache")
    build(project, validate=False)
    red = build_view(open_store(project), "red")
    checked = 0
    for u, v, d in red.edges(data=True):
        assert d["access"] == strictest(d["access"], red.nodes[u]["access"], red.nodes[v]["access"])
        checked += red.nodes[u]["access"] != "clear" or red.nodes[v]["access"] != "clear"
    assert checked, "the synthetic graph has restricted actors with edges"


def test_a_structural_hop_cites_only_the_sentences_that_state_it(G):
    """Issue 13: "acts as an institution of Luxembourg" cited every sentence mentioning the actor."""
    from graph.kb.resolve import fold

    checked = 0
    for u, v, d in G.edges(data=True):
        if d["kind"] in ("unit-of", "institution-of") and not d["mirror"]:
            names = [fold(x) for x in (*G.nodes[v]["labels"].values(), *G.nodes[v]["alt_labels"]) if len(x) > 2]
            for src in d["sources"]:
                assert any(n in fold(src["quote"]) for n in names), (u, v, src["quote"])
            assert len(d["sources"]) <= len(G.nodes[u]["sources"])
            checked += bool(d["sources"])
    assert checked
