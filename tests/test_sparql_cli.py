"""The query and queries commands end to end, and the inferred graph: where it shows and where it must not."""

import json

import pyoxigraph as ox
import pytest

ACTOR = "https://w3id.org/coopmap/id/actor/"
ORG = "http://www.w3.org/ns/org#"
INFERRED = "urn:coopmap:graph:inferred"


def test_prefixes_lists_every_predeclared_prefix(invoke):
    from graph.core.namespaces import PREFIXES

    result = invoke("query", "--prefixes")
    assert result.exit_code == 0
    listed = dict(line.split(None, 1) for line in result.output.splitlines())
    assert {k.rstrip(":"): v.strip("<>") for k, v in listed.items()} == {k: str(v) for k, v in PREFIXES.items()}
    assert {"org", "skos", "prov", "dcterms", "schema", "owl", "rdfs", "xsd", "coop"} <= {k.rstrip(":") for k in listed}


def test_queries_lists_the_whole_catalogue(invoke):
    from graph.sparql.examples import QUERIES_DIR

    files = sorted(p.stem for p in QUERIES_DIR.glob("*.rq"))
    assert files
    listed = json.loads(invoke("queries", "--format", "json").stdout)
    assert listed["count"] == len(files) and [r["name"] for r in listed["rows"]] == files
    assert all(r["title_en"] and r["title_fr"] and r["title_de"] and r["shape"] for r in listed["rows"])
    table = invoke("queries", "--lang", "de").output
    assert "Wer führt den Vorsitz im Beobachtungsausschuss" in table


def test_example_file_and_text_give_the_same_answer(invoke, tmp_path):
    from graph.sparql.examples import example

    ex = example("monitoring-committee-chair")
    by_name = invoke("query", "--example", ex.name, "--format", "json")
    path = tmp_path / "q.rq"
    path.write_text(ex.text, encoding="utf-8")
    by_file = invoke("query", "-f", str(path), "--format", "json")
    by_text = invoke("query", ex.text, "--format", "json")
    assert by_name.exit_code == by_file.exit_code == by_text.exit_code == 0
    assert by_name.stdout == by_file.stdout == by_text.stdout
    bindings = json.loads(by_name.stdout)["results"]["bindings"]
    assert {b["chair"]["value"] for b in bindings} == {ACTOR + "lu-ministry-justice"}


def test_unknown_example_suggests_names(invoke):
    result = invoke("query", "--example", "monitoring-committee-chiar")
    assert result.exit_code == 1
    assert "No example query 'monitoring-committee-chiar'. Did you mean: monitoring-committee-chair," in result.output


@pytest.mark.parametrize("args, message", [
    ((), "Give exactly one of: a QUERY, -f FILE or --example NAME"),
    (("SELECT * {}", "--example", "links-by-kind"), "Give exactly one of"),
])
def test_query_needs_exactly_one_source(invoke, args, message):
    result = invoke("query", *args)
    assert result.exit_code == 2 and message in result.output


def test_graph_format_on_select_is_a_clear_error(invoke):
    result = invoke("query", "SELECT ?a WHERE { ?a a coop:Actor } LIMIT 1", "--format", "ttl")
    assert result.exit_code == 1
    assert "--format ttl is for CONSTRUCT and DESCRIBE queries" in result.output and "Traceback" not in result.output


def test_describe_gives_every_asserted_fact_about_the_actor(invoke, store):
    result = invoke("query", "DESCRIBE actor:lu-itm", "--format", "nt", "--no-inference")
    assert result.exit_code == 0
    got = {(t.subject, t.predicate, t.object) for t in ox.parse(result.stdout.encode(), format=ox.RdfFormat.N_TRIPLES)}
    itm = ox.NamedNode(ACTOR + "lu-itm")
    expected = {(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(itm, None, None, None)
                if not isinstance(q.object, ox.BlankNode)}
    assert expected and expected <= got


def test_inference_finds_every_organisation_and_no_inference_only_asserted_types(invoke, store):
    q = f"SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{ ?a a <{ORG}Organization> }}"
    subclasses = ["https://w3id.org/coopmap/def#Actor", ORG + "FormalOrganization", ORG + "OrganizationalUnit",
                  ORG + "Organization"]
    expected = {q_.subject for c in subclasses for q_ in store.quads_for_pattern(None, ox.NamedNode(
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(c), None)}
    asserted = {q_.subject for q_ in store.quads_for_pattern(None, ox.NamedNode(
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(ORG + "Organization"), None)}
    with_inf = invoke("query", q, "--format", "csv")
    without = invoke("query", q, "--format", "csv", "--no-inference")
    assert with_inf.stdout.split() == ["n", str(len(expected))]
    assert without.stdout.split() == ["n", str(len(asserted))]
    assert len(expected) > len(asserted)


def test_inferred_triples_stay_out_of_export_unless_asked(invoke):
    plain = invoke("export", "--format", "nq")
    with_inf = invoke("export", "--format", "nq", "--inferred")
    assert plain.exit_code == with_inf.exit_code == 0

    def graphs(text):
        return {q.graph_name for q in ox.parse(text.encode(), format=ox.RdfFormat.N_QUADS)}

    assert ox.NamedNode(INFERRED) not in graphs(plain.stdout)
    assert ox.NamedNode(INFERRED) in graphs(with_inf.stdout)


def test_the_compiled_graph_holds_no_inferred_triple(store):
    assert not list(store.quads_for_pattern(None, None, None, ox.NamedNode(INFERRED)))


@pytest.mark.parametrize("store_kind", ["oxigraph", "rdflib"])
def test_named_graphs_keep_their_names(project, store_kind):
    from collections import Counter

    from graph.core.prefixes import GRAPH_IRIS
    from graph.sparql.query import dataset_files, run_query

    counts = Counter(q.graph_name.value for f in dataset_files(project)
                     for q in ox.parse(path=str(f), format=ox.RdfFormat.N_QUADS))
    assert set(counts) == set(GRAPH_IRIS.values())
    text = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    got = {t[0][1]: int(t[1][1]) for t in run_query(text, project=project, store=store_kind).rows}
    assert got == dict(counts)
    asserted = run_query(text, project=project, store=store_kind, inference=False).rows
    assert {t[0][1] for t in asserted} == set(GRAPH_IRIS.values()) - {GRAPH_IRIS["inferred"]}


def test_the_query_path_imports_no_sparql_parser_nor_reasoner(project):
    """A warm `coopmap query` imports neither rdflib (its SPARQL parser costs a second) nor owlrl."""
    import os
    import subprocess
    import sys

    from graph.sparql.query import dataset_files

    dataset_files(project)  # compiled and inferred: the warm path
    code = ("import sys, cli\ntry:\n    cli.main(['query', '--example', 'whom-the-itm-notifies'], standalone_mode=False)\n"
            "except SystemExit:\n    pass\n"
            "print('imported:', ' '.join(m for m in ('rdflib', 'pyparsing', 'owlrl', 'pyshacl') if m in sys.modules))")
    env = {**os.environ, "COOPMAP_CACHE": str(project.cache_root)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "actor:lu-judicial-police" in out.stdout
    assert out.stdout.strip().splitlines()[-1] == "imported:", out.stdout

