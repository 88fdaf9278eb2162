"""The data dictionary lists every term the data uses, and the counting traps of issue 18 stay fixed."""

import re

import pytest

from graph.kb.build import ROOT

DICTIONARY = ROOT / "docs" / "data-model.md"
FTYPE = "https://w3id.org/coopmap/scheme/figure-type/"


def _listed_terms():
    text = DICTIONARY.read_text(encoding="utf-8")
    return set(re.findall(r"^\| `([a-z]+:[^`]+)` \|", text, flags=re.M))


def test_dictionary_lists_every_predicate_and_class_the_data_uses(store):
    from graph.kb.dictionary import used_terms

    preds, classes, derived = used_terms(store)
    assert len(preds) > 60 and len(classes) > 8 and derived
    listed = _listed_terms()
    missing = sorted((set(preds) | set(classes) | set(derived)) - listed)
    assert not missing, (f"{len(missing)} term(s) used in data/ but missing from docs/data-model.md: {missing}; "
                         "regenerate it with: python -m graph.kb.dictionary -o docs/data-model.md")


def test_every_dictionary_row_has_a_meaning_and_an_example(store):
    from graph.core.resources import resource_dir
    from graph.kb.dictionary import dictionary_rows

    crows, prows = dictionary_rows(store, resource_dir("queries"))
    assert prows and crows
    assert not [r["term"] for r in prows if not r["meaning"] or not r["example"]]
    assert not [r["term"] for r in crows if not r["meaning"]]
    # the catalogue column is filled from queries/*.rq
    assert "figures-by-year" in next(r for r in prows if r["term"] == "coop:measure")["queries"]


# ---------------------------------------------------------------- figures: totals and breakdowns


def test_every_figure_says_whether_it_is_a_total_a_breakdown_or_a_change(store):
    from graph.kb.store import select

    rows = select(store, """SELECT ?f (COUNT(DISTINCT ?t) AS ?n) WHERE { ?f a coop:Figure OPTIONAL { ?f coop:figureType ?t } }
                            GROUP BY ?f""")
    assert len(rows) > 30
    assert not [r["f"] for r in rows if r["n"] != 1]
    untyped_breakdowns = select(store, f"""SELECT ?f WHERE {{ ?f coop:figureType <{FTYPE}breakdown>
                                          FILTER NOT EXISTS {{ ?f coop:breakdownBy ?d }} }}""")
    assert not untyped_breakdowns


def test_summing_totals_gives_three_convictions_in_2022_not_six(store):
    from graph.kb.store import select

    naive = select(store, """SELECT (SUM(?v) AS ?n) WHERE { ?f coop:measure measure:convictions ; schema:value ?v ;
                             schema:startDate "2022"^^xsd:gYear }""")[0]["n"]
    right = select(store, f"""SELECT (SUM(?v) AS ?n) WHERE {{ ?f coop:measure measure:convictions ; schema:value ?v ;
                             schema:startDate "2022"^^xsd:gYear ; coop:figureType <{FTYPE}total> }}""")[0]["n"]
    assert (naive, right) == (6, 3)


def test_breakdowns_add_up_to_their_stated_total(store):
    from graph.kb.store import select

    rows = select(store, """SELECT ?total ?tv (SUM(?v) AS ?parts) (COUNT(?b) AS ?n) WHERE {
        ?b coop:breakdownOf ?total ; schema:value ?v . ?total schema:value ?tv } GROUP BY ?total ?tv""")
    assert {r["total"].rsplit("/", 1)[-1] for r in rows} == {"lu-convictions-2022", "lu-ccdh-sentences-2013-2022-total"}
    assert all(r["parts"] == r["tv"] for r in rows), rows


# ---------------------------------------------------------------- availability: one shape, one rule


def test_availability_always_points_at_a_statement(store):
    """One shape: ``coop:availability`` -> a ``coop:Availability`` (hours, status, dates, sources), never a bare concept."""
    from graph.kb.store import select

    bare = select(store, """SELECT ?s ?a WHERE { GRAPH <urn:coopmap:graph:data> { ?s coop:availability ?a }
                            FILTER NOT EXISTS { ?a a coop:Availability } }""")
    assert not bare, ("coop:availability must point at a coop:Availability statement; remove the bare concept "
                      f"(e.g. 'coop:availability avail:24-7' in data/links/referral.ttl): {bare}")


def test_every_link_has_one_effective_availability(store):
    from graph.kb.store import select

    rows = select(store, """SELECT ?l (COUNT(?a) AS ?n) WHERE { ?l a coop:Link OPTIONAL { ?l coop:effectiveAvailability ?a } }
                            GROUP BY ?l""")
    assert len(rows) > 50 and all(r["n"] == 1 for r in rows)


def test_sparql_and_gaps_agree_on_office_hours_only_steps(store):
    from graph.kb.store import select
    from graph.network.analysis import gaps
    from graph.network.view import load_view

    sparql = {r["l"] for r in select(store, """SELECT ?l WHERE {
        ?l coop:effectiveAvailability avail:office-hours ; coop:linkKind/coop:referral true .
        FILTER NOT EXISTS { ?l coop:status ?s FILTER(?s IN (status:planned, status:ended)) } }""")}
    found = {g["iri"] for g in gaps(load_view()) if g["gap"] == "office-hours-only"}
    assert sparql and sparql == found


# ---------------------------------------------------------------- instrument dates


def test_instrument_dates_live_in_one_predicate_with_one_derived_year(store):
    from graph.kb.store import select

    other = select(store, """SELECT DISTINCT ?p WHERE { ?i a eli:LegalResource ; ?p ?d .
        FILTER(isLiteral(?d) && DATATYPE(?d) IN (xsd:date, xsd:gYear, xsd:gYearMonth, xsd:dateTime))
        FILTER(?p NOT IN (eli:date_document, eli:date_publication, schema:startDate, schema:endDate, coop:statedOn)) }""")
    assert not other, other
    rows = select(store, """SELECT ?i ?d ?y WHERE { ?i eli:date_document ?d OPTIONAL { ?i coop:year ?y } }""")
    assert len(rows) >= 11
    assert all(r["y"] == int(str(r["d"])[:4]) for r in rows), rows
    articles = select(store, """SELECT ?a ?y ?ay WHERE { ?a eli:is_part_of ?act . ?act coop:year ?y
                                OPTIONAL { ?a coop:year ?ay } }""")
    assert articles and all(r["y"] == r["ay"] for r in articles)


# ---------------------------------------------------------------- published axioms (ELI, ORG)


@pytest.fixture(scope="module")
def ontology_graph():
    import rdflib

    g = rdflib.Graph()
    for f in sorted((ROOT / "ontology").glob("*.ttl")):
        if f.name != "shapes.ttl":
            g.parse(f, format="turtle")
    return g


def test_an_outside_reasoner_types_every_article_as_a_legal_resource(store, ontology_graph):
    """owlrl, given only the published ontology and the articles' asserted types, makes all 10 legal resources."""
    import owlrl
    import rdflib

    from graph.kb.store import select

    q = "SELECT ?a WHERE { GRAPH <urn:coopmap:graph:data> { ?a a eli:LegalResourceSubdivision } }"
    articles = [r["a"] for r in select(store, q)]
    assert len(articles) >= 10
    eli = rdflib.Namespace("http://data.europa.eu/eli/ontology#")
    g = rdflib.Graph()
    g += ontology_graph
    for a in articles:
        g.add((rdflib.URIRef(a), rdflib.RDF.type, eli.LegalResourceSubdivision))
    owlrl.DeductiveClosure(owlrl.RDFS_Semantics).expand(g)
    assert all((rdflib.URIRef(a), rdflib.RDF.type, eli.LegalResource) in g for a in articles)


def test_an_outside_reasoner_finds_all_units_under_the_grand_ducal_police(store, ontology_graph):
    """owlrl (OWL-RL) with the published ORG axioms: org:transitiveSubOrganizationOf reaches sub-sub-units."""
    import owlrl
    import rdflib

    from graph.kb.store import select

    org = rdflib.Namespace("http://www.w3.org/ns/org#")
    g = rdflib.Graph()
    g += ontology_graph
    for r in select(store, """SELECT ?a ?p ?b WHERE { GRAPH <urn:coopmap:graph:data> { ?a ?p ?b
                              VALUES ?p { org:unitOf org:subOrganizationOf } } }"""):
        g.add((rdflib.URIRef(r["a"]), rdflib.URIRef(r["p"]), rdflib.URIRef(r["b"])))
    asserted = {(s, o) for s, o in g.subject_objects(org.unitOf)} | {(s, o) for s, o in g.subject_objects(org.subOrganizationOf)}
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False).expand(g)
    police = rdflib.URIRef("https://w3id.org/coopmap/id/actor/lu-police")
    under = {s for s in g.subjects(org.transitiveSubOrganizationOf, police)}
    direct = {s for s, o in asserted if o == police}
    assert direct and direct < under, "transitivity gives units of units, not only the direct ones"


# ---------------------------------------------------------------- names and identifiers


def test_every_named_resource_has_an_rdfs_label(store):
    from graph.kb.store import select

    missing = select(store, """SELECT ?s WHERE { GRAPH <urn:coopmap:graph:data> { ?s a ?t }
        FILTER(isIRI(?s)) FILTER NOT EXISTS { ?s rdfs:label ?l } }""")
    assert not missing, missing[:5]
    # English wherever a source gives an English name (two web pages are named in French only: no made-up translation)
    no_en = select(store, """SELECT ?s WHERE { GRAPH <urn:coopmap:graph:data> { ?s a ?t }
        FILTER(isIRI(?s)) FILTER NOT EXISTS { ?s rdfs:label ?l FILTER(lang(?l) = "en") } }""")
    assert len(no_en) <= 2 and all("/contact/" in r["s"] for r in no_en), no_en
    fr = select(store, """SELECT (COUNT(*) AS ?n) WHERE { ?s a coop:Actor ; rdfs:label ?l FILTER(lang(?l) = "fr") }""")
    assert fr[0]["n"] > 10


def test_an_article_label_names_its_act(store):
    from graph.kb.store import select

    label = select(store, """SELECT ?l WHERE { instr:eu-directive-2011-36-art19 rdfs:label ?l }""")
    assert [r["l"] for r in label] == ["Article 19, Directive 2011/36/EU"]


def test_citations_have_stable_iris_not_blank_nodes(tmp_path):
    """Two compilations of the same files give the same citation IRIs (derived from fact, document, locator, quote)."""
    from graph.kb.build import Project, build
    from graph.kb.store import select
    import pyoxigraph as ox

    stores = []
    for name in ("one", "two"):
        folder = build(Project(cache_root=tmp_path / name), force=True)
        s = ox.Store()
        s.bulk_load(path=str(folder / "graph.nq"), format=ox.RdfFormat.N_QUADS)
        stores.append(s)
    q = "SELECT ?c WHERE { ?s coop:citation ?c } ORDER BY ?c"
    a, b = ([r["c"] for r in select(s, q)] for s in stores)
    assert len(a) > 600 and a == b
    assert all(c.startswith("https://w3id.org/coopmap/id/citation/") for c in a)
    labels = select(stores[0], "SELECT ?l WHERE { ?c a coop:Citation ; rdfs:label ?l } LIMIT 1")
    assert labels and ", " in labels[0]["l"]
