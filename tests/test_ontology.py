"""The ontology parses, declares every term it or the data uses, and documents every term it declares."""


import pytest
import rdflib
from rdflib import OWL, RDF, RDFS, SKOS, URIRef

from graph.kb.build import ROOT
from graph.core import namespaces as ns

ONTOLOGY = sorted((ROOT / "ontology").glob("*.ttl"))
COOP = "https://w3id.org/coopmap/def#"


@pytest.fixture(scope="module")
def ontology():
    assert len(ONTOLOGY) >= 3, "expected coopmap.ttl, schemes.ttl and shapes.ttl"
    g = rdflib.Graph()
    for f in ONTOLOGY:
        g.parse(f, format="turtle")
    return g


def declared_terms(g):
    return {s for s in g.subjects() if isinstance(s, URIRef) and str(s).startswith(COOP)}


def test_every_coop_term_is_documented(ontology):
    terms = declared_terms(ontology)
    assert len(terms) > 40
    missing = []
    for t in terms:
        labels = {l.language for l in ontology.objects(t, RDFS.label)}
        if not {"en", "fr"} <= labels:
            missing.append(f"{t}: rdfs:label en+fr")
        if not list(ontology.objects(t, RDFS.comment)):
            missing.append(f"{t}: rdfs:comment")
        if (t, RDFS.isDefinedBy, URIRef("https://w3id.org/coopmap/def")) not in ontology:
            missing.append(f"{t}: rdfs:isDefinedBy")
        if not set(ontology.objects(t, RDF.type)) & {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}:
            missing.append(f"{t}: owl type")
    assert not missing, "\n".join(sorted(missing))


def test_every_concept_is_documented(ontology):
    concepts = set(ontology.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) > 100
    bad = [c for c in concepts
           if {l.language for l in ontology.objects(c, SKOS.prefLabel)} < {"en", "fr", "de"}
           or not ontology.value(c, SKOS.definition) or not ontology.value(c, SKOS.notation)
           or not ontology.value(c, SKOS.inScheme)]
    assert not bad, bad


def test_ontology_uses_only_declared_terms(ontology):
    """Catches typos like ``rdfs:subClasOf``: every predicate in the ontology files is declared somewhere."""
    reused = [ns.DCTERMS, ns.ORG, ns.OWL, ns.PROV, ns.RDF, ns.RDFS, ns.SDO, ns.SKOS, ns.TIME, ns.XSD, ns.ELI]
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    vann = "http://purl.org/vocab/vann/"
    coop = declared_terms(ontology)
    bad = set()
    for p in set(ontology.predicates()):
        if str(p).startswith(COOP):
            ok = p in coop
        elif str(p).startswith((str(sh), vann)):
            ok = True
        else:
            owners = [n for n in reused if str(p).startswith(str(n._NS) if hasattr(n, "_NS") else str(n))]
            ok = bool(owners) and p in owners[0]
        if not ok:
            bad.add(p)
    assert not bad, bad


#: Link kinds read from the organisation chart, memberships, states and agreements, never typed as coop:Link.
STRUCTURAL = {"unit-of", "institution-of", "member-of", "party-to"}
LINK_KIND = "https://w3id.org/coopmap/scheme/link-kind"


def test_every_link_kind_has_a_direct_property(ontology):
    kinds = set(ontology.subjects(SKOS.inScheme, URIRef(LINK_KIND)))
    assert kinds
    structural = {k for k in kinds if str(ontology.value(k, SKOS.notation)) in STRUCTURAL}
    assert len(structural) == len(STRUCTURAL), structural
    for k in kinds - structural:
        prop = ontology.value(k, URIRef(COOP + "directProperty"))
        assert prop is not None and (prop, RDFS.subPropertyOf, URIRef(COOP + "linkedTo")) in ontology, k


def test_referral_steps_and_context_collections_match_the_flag(ontology):
    """coop:referral and the two SKOS collections give the same rule; structural kinds are never steps."""
    kinds = set(ontology.subjects(SKOS.inScheme, URIRef(LINK_KIND)))
    steps = set(ontology.objects(URIRef(LINK_KIND + "/referral-steps"), SKOS.member))
    context = set(ontology.objects(URIRef(LINK_KIND + "/context"), SKOS.member))
    assert steps and context and not steps & context
    assert steps | context == kinds
    flag = {k for k in kinds if ontology.value(k, URIRef(COOP + "referral")).toPython() is True}
    assert flag == steps
    assert {str(ontology.value(k, SKOS.notation)) for k in steps} == {
        "notifies", "refers-victims-to", "signposts-to", "places-victims-with", "reports-irregular-stay-to",
        "transmits-reports-to", "exchanges-information-with", "exchanges-information-via",
        "requests-mutual-legal-assistance-from"}
    assert STRUCTURAL <= {str(ontology.value(k, SKOS.notation)) for k in context}


def test_area_scheme_is_one_tree_under_worldwide(ontology):
    area = "https://w3id.org/coopmap/scheme/area/"
    concepts = set(ontology.subjects(SKOS.inScheme, URIRef(area[:-1])))
    assert {str(c)[len(area):] for c in concepts} == {"worldwide", "eu", "non-eu", "benelux", "greater-region", "lu"}
    for c in concepts - {URIRef(area + "worldwide")}:
        up = list(ontology.transitive_objects(c, SKOS.broader))
        assert URIRef(area + "worldwide") in up, c
    assert (URIRef(area + "greater-region"), SKOS.broader, URIRef(area + "eu")) in ontology
    assert (URIRef(area + "lu"), SKOS.broader, URIRef(area + "benelux")) in ontology


def test_python_namespaces_match_the_ontology(ontology):
    """graph/namespaces.py and the Turtle files declare the same terms, both ways."""
    coop = declared_terms(ontology)
    assert {URIRef(COOP + n) for n in ns.COOP.__annotations__} | {URIRef(COOP + n) for n in getattr(ns.COOP, "_extras", [])} == coop
    for cls in (ns.KIND, ns.LEVEL, ns.MANDATE, ns.CRIME, ns.LK, ns.PHASE, ns.COND, ns.AVAIL, ns.ITYPE, ns.ROLE,
                ns.TLP, ns.MEASURE, ns.STATUS, ns.ATYPE):
        names = list(cls.__annotations__) + list(getattr(cls, "_extras", []))
        declared = {str(c) for c in ontology.subjects(RDF.type, SKOS.Concept) if str(c).startswith(str(cls._NS))}
        assert {str(cls._NS) + n for n in names} == declared, cls.__name__


def test_term_check_catches_a_typo(tmp_path):
    """The data check flags an undeclared term even though Turtle parses it silently."""
    import shutil

    from graph.kb.build import Project
    from graph.kb.validate import validate

    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(ROOT / "data" / "sources.ttl", data)
    (data / "typo.ttl").write_text(
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix coop: <https://w3id.org/coopmap/def#> .\n"
        "coop:Whatever rdfs:subClasOf coop:Actor .\n")
    problems = validate(Project(data_dir=data, cache_root=tmp_path / "c"), check_quotes=False)
    assert any("rdfs:subClasOf" in p.message and p.file.endswith("typo.ttl") and p.line == 3 for p in problems), problems


def test_the_query_term_check_reads_a_cached_list_that_follows_the_ontology(tmp_path, monkeypatch):
    """The declared terms are cached per version of the ontology files: a new term is seen at once."""
    import shutil

    from graph.kb import terms

    onto = tmp_path / "ontology"
    shutil.copytree(ROOT / "ontology", onto)
    monkeypatch.setenv("COOPMAP_CACHE", str(tmp_path / "cache"))
    (tmp_path / "cache").mkdir()
    terms._declared.cache_clear()
    query = "SELECT ?a WHERE { ?a coop:brandNewTerm ?b ; a coop:Actor }"
    assert terms.undeclared_terms(query, onto) == ["coop:brandNewTerm"]
    cached = list((tmp_path / "cache").glob("declared-terms-*.json"))
    assert len(cached) == 1 and "https://w3id.org/coopmap/def#Actor" in cached[0].read_text()
    terms._declared.cache_clear()
    assert terms.undeclared_terms(query, onto) == ["coop:brandNewTerm"]  # from the cached list
    with open(onto / "coopmap.ttl", "a", encoding="utf-8") as f:
        f.write("\n<https://w3id.org/coopmap/def#brandNewTerm> a <http://www.w3.org/2002/07/owl#ObjectProperty> .\n")
    terms._declared.cache_clear()
    assert terms.undeclared_terms(query, onto) == []
    assert len(list((tmp_path / "cache").glob("declared-terms-*.json"))) == 2
