"""RDF exports: byte-reproducible, compacted JSON-LD that round-trips, a VoID/DCAT description, the audience honoured."""

import json
import shutil

import pytest

from graph.kb.build import ROOT


@pytest.fixture(scope="module")
def fresh_stores(tmp_path_factory):
    """Two compilations of the same files into two caches (fresh blank-node labels at each parse)."""
    import pyoxigraph as ox

    from graph.kb.build import Project, build

    stores = []
    for name in ("one", "two"):
        folder = build(Project(cache_root=tmp_path_factory.mktemp(name)), force=True)
        s = ox.Store()
        s.bulk_load(path=str(folder / "graph.nq"), format=ox.RdfFormat.N_QUADS)
        stores.append(s)
    return stores


@pytest.mark.parametrize("fmt", ["ttl", "jsonld", "nq"])
def test_two_exports_of_the_same_data_are_byte_identical(fresh_stores, fmt):
    from graph.kb.export import export

    a, b = (export(s, fmt, describe=True) for s in fresh_stores)
    assert len(a) > 100_000 and a == b


def test_jsonld_is_compacted_with_the_published_context_and_round_trips(store):
    import pyoxigraph as ox

    from graph.kb.export import export

    data = export(store, "jsonld", describe=True)
    doc = json.loads(data)
    published = json.loads((ROOT / "docs" / "context.jsonld").read_text(encoding="utf-8"))
    assert doc["@context"] == published["@context"]
    assert '"@id": "actor:lu-itm"' in data.decode("utf-8")
    expanded = set(ox.parse(data, format=ox.RdfFormat.JSON_LD))
    assert expanded == set(ox.parse(export(store, "nq", describe=True), format=ox.RdfFormat.N_QUADS))


def test_the_export_describes_itself_with_void_and_dcat(store):
    import pyoxigraph as ox

    from graph.kb.export import DATASET_IRI, export

    g = ox.Store()
    g.load(export(store, "ttl", describe=True), format=ox.RdfFormat.TURTLE)
    q = f"""PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX void: <http://rdfs.org/ns/void#>
        PREFIX dcat: <http://www.w3.org/ns/dcat#>
        SELECT ?title ?licence ?version ?triples ?publisher WHERE {{ <{DATASET_IRI}> a dcat:Dataset , void:Dataset ;
          dcterms:title ?title ; dcterms:license ?licence ; dcat:version ?version ; void:triples ?triples ;
          dcterms:publisher ?publisher }}"""
    rows = list(g.query(q))
    assert len(rows) == 1
    row = rows[0]
    assert row["licence"].value == "https://creativecommons.org/licenses/by/4.0/"
    described = int(row["triples"].value)
    own = len(list(g.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), '{DATASET_IRI}') "
                               "|| STRSTARTS(STR(?s), 'https://w3id.org/coopmap/id/publisher/')) }")))
    assert described == len(g) - own
    sources = {r["s"].value for r in g.query(f"SELECT ?s WHERE {{ <{DATASET_IRI}> <http://purl.org/dc/terms/source> ?s }}")}
    assert len(sources) == 5 and all("/id/document/" in s for s in sources)


def test_a_restricted_fact_leaves_the_public_export_with_its_citations(tmp_path):
    """An amber actor and its citation IRI are absent from the clear export, present in the amber one."""

    from graph.kb.build import Project, load_dataset
    from graph.kb.export import export

    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(ROOT / "data" / "sources.ttl", data)
    (data / "secret.ttl").write_text("""
@prefix coop: <https://w3id.org/coopmap/def#> . @prefix actor: <https://w3id.org/coopmap/id/actor/> .
@prefix doc: <https://w3id.org/coopmap/id/document/> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> . @prefix dcterms: <http://purl.org/dc/terms/> .
actor:hidden a coop:Actor ; skos:prefLabel "Hidden unit"@en ;
  coop:citation [ a coop:Citation ; prov:entity doc:emn-lu-2024-thb-international ; coop:locator "Q1" ; coop:quote "x" ] ;
  dcterms:accessRights <https://w3id.org/coopmap/scheme/tlp/amber> .
""", encoding="utf-8")
    store = load_dataset(Project(data_dir=data, cache_root=tmp_path / "cache"))
    from graph.core.namespaces import GRAPHS
    from graph.kb.derived import skolemize_citations

    skolemize_citations(store, GRAPHS["data"])  # as the compiler does after validation
    clear = export(store, "nt").decode("utf-8")
    amber = export(store, "nt", audience="amber").decode("utf-8")
    assert "actor/hidden" not in clear and "Hidden unit" not in clear
    assert "citation/actor/hidden/" in amber and "Hidden unit" in amber


def test_citation_file_names_the_dataset_its_version_and_licence():
    import tomllib

    text = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert "cff-version: 1.2.0" in text and "type: dataset" in text and "license: CC-BY-4.0" in text
    assert f'version: "{version}"' in text
    assert text.count("  - type: ") == 5  # the five source documents
