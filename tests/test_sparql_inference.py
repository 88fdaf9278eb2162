"""Entailments on tiny hand-built graphs, and the audience filter on a tiny project."""

import pyoxigraph as ox
import pytest

from graph.kb.inference import entailments

COOP = "https://w3id.org/coopmap/def#"
ORG = "http://www.w3.org/ns/org#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def _store(turtle):
    store = ox.Store()
    store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode("urn:g"))
                      for q in ox.parse(turtle.encode(), format=ox.RdfFormat.TURTLE))
    return store


TINY = """
@prefix coop: <https://w3id.org/coopmap/def#> . @prefix org: <http://www.w3.org/ns/org#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix owl: <http://www.w3.org/2002/07/owl#> .
coop:Actor rdfs:subClassOf org:Organization .
coop:notifies rdfs:subPropertyOf coop:linkedTo . coop:linkedTo rdfs:subPropertyOf org:linkedTo .
coop:exchangesInformationWith a owl:SymmetricProperty .
<urn:unit> a coop:Actor ; org:unitOf <urn:dept> .
<urn:dept> a coop:Actor ; org:subOrganizationOf <urn:ministry> .
<urn:ministry> a coop:Actor .
<urn:unit> coop:notifies <urn:ministry> ; coop:exchangesInformationWith <urn:other> .
"""


def _n(x):
    return ox.NamedNode(x)


@pytest.mark.parametrize("reasoner", ["rules", "owlrl"])
def test_entailments_on_a_tiny_graph(reasoner):
    store = _store(TINY)
    triples, messages = entailments(store, reasoner=reasoner)
    got = set(triples)
    assert messages == []
    expected = {
        ox.Triple(_n("urn:unit"), _n(ORG + "transitiveSubOrganizationOf"), _n("urn:ministry")),  # two steps
        ox.Triple(_n("urn:unit"), _n(ORG + "subOrganizationOf"), _n("urn:dept")),  # unitOf is a sub-property
        ox.Triple(_n("urn:ministry"), _n(ORG + "hasSubOrganization"), _n("urn:dept")),  # inverse
        ox.Triple(_n("urn:unit"), RDF_TYPE, _n(ORG + "Organization")),  # subclass
        ox.Triple(_n("urn:unit"), _n(ORG + "linkedTo"), _n("urn:ministry")),  # sub-property chain
        ox.Triple(_n("urn:other"), _n(COOP + "exchangesInformationWith"), _n("urn:unit")),  # symmetric
    }
    assert expected <= got
    asserted = {ox.Triple(q.subject, q.predicate, q.object) for q in store}
    assert not got & asserted, "entailments repeat asserted triples"
    assert not any(t.predicate.value.endswith("#sameAs") and t.subject == t.object for t in got)
    assert not any(t.object == _n("http://www.w3.org/2002/07/owl#Thing") for t in got)
    assert len(store) == len(asserted)  # the input store is left unchanged


def test_no_transitive_pair_without_a_chain():
    triples, _ = entailments(_store(TINY.replace("<urn:dept> a coop:Actor ; org:subOrganizationOf <urn:ministry> .",
                                                 "<urn:dept> a coop:Actor .")))
    assert ox.Triple(_n("urn:unit"), _n(ORG + "transitiveSubOrganizationOf"), _n("urn:ministry")) not in set(triples)


LINKS = """@prefix coop: <https://w3id.org/coopmap/def#> . @prefix actor: <https://w3id.org/coopmap/id/actor/> .
@prefix link: <https://w3id.org/coopmap/id/link/> . @prefix lk: <https://w3id.org/coopmap/scheme/link-kind/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix dcterms: <http://purl.org/dc/terms/> .
@prefix tlp: <https://w3id.org/coopmap/scheme/tlp/> .
actor:a a coop:Actor ; skos:prefLabel "A"@en ; dcterms:accessRights tlp:clear .
actor:b a coop:Actor ; skos:prefLabel "B"@en ; dcterms:accessRights tlp:clear .
actor:c a coop:Actor ; skos:prefLabel "C"@en ; dcterms:accessRights tlp:amber .
link:public a coop:Link ; coop:linkKind lk:funds ; coop:from actor:a ; coop:to actor:b ; dcterms:accessRights tlp:clear .
link:restricted a coop:Link ; coop:linkKind lk:notifies ; coop:from actor:a ; coop:to actor:b ;
    dcterms:accessRights tlp:green .
link:to-amber a coop:Link ; coop:linkKind lk:notifies ; coop:from actor:b ; coop:to actor:c ;
    dcterms:accessRights tlp:clear .
"""


def _same_entailments(store):
    rules, rule_messages = entailments(store)
    owl, owl_messages = entailments(store, reasoner="owlrl")
    assert rule_messages == owl_messages == []
    assert len(set(rules)) == len(rules), "the rules return a triple twice"
    rules, owl = set(rules), set(owl)
    missing, extra = sorted(map(str, owl - rules))[:10], sorted(map(str, rules - owl))[:10]
    assert not missing and not extra, f"owlrl only: {missing}; rules only: {extra}"
    return rules


def test_rules_find_what_owlrl_finds_on_the_real_data(project):
    """The default reasoner (SPARQL rules in Oxigraph) and owlrl agree on every entailment of the real graph."""
    from graph.kb.inference import load_nquads, visible_file

    rules = _same_entailments(load_nquads([visible_file(project)]))
    assert len(rules) > 1000  # the real graph has thousands of entailments: the comparison compared something


def test_rules_find_what_owlrl_finds_on_a_synthetic_graph(tmp_path):
    from graph.kb.build import ROOT, Project, build
    from graph.kb.store import open_store
    from graph.network.synthetic import generate

    data = generate(200, seed=3, out_dir=tmp_path / "syn")
    project = Project(data_dir=data, ontology_dir=ROOT / "ontology", cache_root=tmp_path / "cache")
    build(project, validate=False)
    rules = _same_entailments(open_store(project))
    assert any(t.predicate.value == ORG + "transitiveSubOrganizationOf" for t in rules)


INCONSISTENT = """@prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix ex: <urn:ex:> .
ex:hasCode a owl:FunctionalProperty . ex:a ex:hasCode "1", "2" .
ex:A owl:disjointWith ex:B . ex:x a ex:A , ex:B .
"""


def test_rules_report_inconsistencies():
    _, messages = entailments(_store(INCONSISTENT))
    assert any("urn:ex:a has two values of the functional property urn:ex:hasCode" in m for m in messages), messages
    assert any("urn:ex:x is in the disjoint classes" in m for m in messages), messages


def test_unknown_reasoner_is_refused():
    from graph.core.errors import CoopmapError

    with pytest.raises(CoopmapError, match="Unknown reasoner 'pellet'. Choose one of: rules, owlrl."):
        entailments(_store(TINY), reasoner="pellet")


@pytest.fixture()
def tiny_project(tmp_path):
    from graph.kb.build import ROOT, Project, build

    data = tmp_path / "data"
    data.mkdir()
    (data / "links.ttl").write_text(LINKS, encoding="utf-8")
    project = Project(data_dir=data, ontology_dir=ROOT / "ontology", cache_root=tmp_path / "cache")
    build(project, validate=False)
    return project


@pytest.mark.parametrize("audience, restricted, amber", [("clear", False, False), ("green", True, False),
                                                         ("amber", True, True)])
def test_queries_see_only_what_the_audience_may_see(tiny_project, audience, restricted, amber):
    from graph.sparql.query import run_query

    def ask(text):
        return run_query(text, project=tiny_project, inference=False, audience=audience).boolean

    assert ask("ASK { actor:a coop:funds actor:b }")  # public link: always there
    assert ask("ASK { link:restricted ?p ?o }") is restricted
    assert ask("ASK { actor:a coop:notifies actor:b }") is restricted  # no derived triple left behind
    assert ask("ASK { actor:b coop:notifies actor:c }") is amber  # a clear link to an amber actor goes too
    assert ask("ASK { actor:c ?p ?o }") is amber
