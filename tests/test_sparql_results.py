"""Query results in the SPARQL 1.1 formats: read back by Oxigraph's own parsers, they equal the raw answer."""

import pyoxigraph as ox
import pytest

from graph.sparql.results import QueryResult, serialize

SELECT = """SELECT ?a ?name ?start ?c WHERE {
  ?a a coop:Actor ; skos:prefLabel ?name .
  OPTIONAL { ?a schema:startDate ?start }
  OPTIONAL { ?a coop:citation ?c }
} ORDER BY ?a ?name ?c"""
CONSTRUCT = """CONSTRUCT { ?a coop:level ?l ; skos:prefLabel ?n } WHERE {
  ?a coop:level ?l ; skos:prefLabel ?n FILTER(lang(?n) = "fr") }"""


@pytest.fixture(scope="module")
def raw(project):
    """A bare pyoxigraph store over the same file the query workers load (no inference)."""
    from graph.kb.inference import load_nquads
    from graph.sparql.query import dataset_files

    return load_nquads(dataset_files(project, inference=False))


def _key(term):
    if term is None:
        return None
    if isinstance(term, ox.BlankNode):
        return "_:bnode"  # labels are not comparable across stores
    return term


def _raw_rows(raw, query):
    from graph.core.prefixes import PREFIXES

    sols = raw.query(query, prefixes=PREFIXES, use_default_graph_as_union=True)
    names = [v.value for v in sols.variables]
    return names, sorted((tuple(_key(s[n]) for n in names) for s in sols), key=repr)


@pytest.fixture(scope="module")
def ours(project):
    from graph.sparql.query import run_query

    return run_query(SELECT, project=project, inference=False)


@pytest.mark.parametrize("fmt, oxfmt", [("json", "JSON"), ("xml", "XML"), ("tsv", "TSV")])
def test_select_round_trips_through_oxigraph_parsers(ours, raw, fmt, oxfmt):
    names, expected = _raw_rows(raw, SELECT)
    assert any(t is not None and isinstance(t, ox.Literal) and t.language for row in expected for t in row)
    # citations have stable IRIs since #18 (no blank nodes left): the answer mixes IRIs, tagged literals,
    # dated literals and unbound values
    assert any(t is None for row in expected for t in row) and any(isinstance(t, ox.NamedNode) for row in expected for t in row)
    parsed = ox.parse_query_results(serialize(ours, fmt).encode(), format=getattr(ox.QueryResultsFormat, oxfmt))
    assert [v.value for v in parsed.variables] == names
    got = sorted((tuple(_key(s[n]) for n in names) for s in parsed), key=repr)
    assert got == expected


def test_csv_gives_plain_values_with_a_header(ours, raw):
    import csv
    import io

    names, expected = _raw_rows(raw, SELECT)
    text = serialize(ours, "csv")
    assert "\r\n" in text
    table = list(csv.reader(io.StringIO(text)))
    assert table[0] == names
    plain = sorted(tuple("" if t is None else ("_:bnode" if t == "_:bnode" else t.value) for t in row)
                    for row in expected)
    got = sorted(tuple("_:bnode" if c.startswith("_:") else c for c in row) for row in table[1:])
    assert got == plain


@pytest.mark.parametrize("fmt", ["json", "xml", "tsv", "csv", "table"])
def test_ask_in_every_results_format(project, fmt):
    from graph.sparql.query import run_query

    for text, expected in (("ASK { actor:lu-itm a coop:Actor }", True), ("ASK { actor:lu-itm a coop:Link }", False)):
        out = serialize(run_query(text, project=project), fmt)
        if fmt in ("json", "xml", "tsv"):
            parsed = ox.parse_query_results(out.encode(), format=getattr(ox.QueryResultsFormat, fmt.upper()))
            assert bool(parsed) is expected
        else:
            assert out.strip().splitlines()[-1] == str(expected).lower()


@pytest.mark.parametrize("fmt, oxfmt", [("ttl", "TURTLE"), ("nt", "N_TRIPLES"), ("jsonld", "JSON_LD")])
def test_construct_round_trips_in_graph_formats(project, raw, fmt, oxfmt):
    from graph.core.prefixes import PREFIXES
    from graph.sparql.query import run_query

    expected = set(raw.query(CONSTRUCT, prefixes=PREFIXES, use_default_graph_as_union=True))
    assert expected
    text = serialize(run_query(CONSTRUCT, project=project, inference=False), fmt)
    got = {ox.Triple(q.subject, q.predicate, q.object)
           for q in ox.parse(text.encode(), format=getattr(ox.RdfFormat, oxfmt))}
    assert got == expected


def test_graph_formats_are_refused_for_select():
    from graph.core.errors import QueryError

    with pytest.raises(QueryError, match="`format` ttl is for CONSTRUCT and DESCRIBE queries"):
        serialize(QueryResult("SELECT", ["a"], []), "ttl")


def test_escaping_in_every_format():
    """Quotes, tabs, newlines, ampersands and angle brackets survive the round trip."""
    nasty = 'a "quoted" <tag> & tab\there\nnew line'
    r = QueryResult("SELECT", ["x", "y"], [[("literal", nasty, "http://www.w3.org/2001/XMLSchema#string", None),
                                            ("literal", "été", None, "fr")]])
    for fmt in ("JSON", "XML", "TSV"):
        parsed = list(ox.parse_query_results(serialize(r, fmt.lower()).encode(), format=getattr(ox.QueryResultsFormat, fmt)))
        assert parsed[0]["x"] == ox.Literal(nasty) and parsed[0]["y"] == ox.Literal("été", language="fr")
