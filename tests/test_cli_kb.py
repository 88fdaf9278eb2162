"""The knowledge-base commands end to end through the CLI: validate, export, actors, show."""

import json
import shutil

import pytest
import rdflib

from graph.kb.build import ROOT
from graph.kb.store import select

ACTOR = "https://w3id.org/coopmap/id/actor/"


# ---------------------------------------------------------------- validate


def test_validate_passes_on_the_real_data(invoke):
    result = invoke("validate")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK:") and "every quote verbatim" in result.output


@pytest.fixture()
def bad_data(tmp_path, monkeypatch):
    """A copy of the real data folder that the test breaks; COOPMAP_DATA points at it."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    monkeypatch.setenv("COOPMAP_DATA", str(data))
    monkeypatch.setenv("COOPMAP_CACHE", str(tmp_path / "cache"))
    return data


def test_validate_reports_file_line_rule_and_fix(bad_data, invoke):
    (bad_data / "broken.ttl").write_text(
        "@prefix coop: <https://w3id.org/coopmap/def#> .\n@prefix actor: <https://w3id.org/coopmap/id/actor/> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n\n"
        "actor:nameless a coop:Actor ;\n    skos:prefLabel \"Sans nom\"@fr .\n")
    result = invoke("validate", "--no-quotes")
    assert result.exit_code == 1
    out = result.output
    assert "broken.ttl:5: actor:nameless: has no English name" in out
    assert "how to fix: add skos:prefLabel" in out and "Error: " in out and "Traceback" not in out


def test_syntax_error_names_file_and_line_and_writes_nothing(bad_data, invoke, tmp_path):
    (bad_data / "broken.ttl").write_text("@prefix coop: <https://w3id.org/coopmap/def#> .\n\ncoop:a coop:b \"unclosed .\n")
    result = invoke("actors")
    assert result.exit_code == 1
    assert "broken.ttl:3" in result.output and "Turtle syntax error" in result.output and "how to fix" in result.output
    cache = tmp_path / "cache"
    assert not list(cache.glob("*/graph.nq")) and not list(cache.glob("*/meta.json")), "no compiled graph written"
    assert not list(cache.glob(".build-*")), "no half-written build left behind"


def test_invalid_data_is_never_cached(bad_data, invoke, tmp_path):
    (bad_data / "broken.ttl").write_text(
        "@prefix coop: <https://w3id.org/coopmap/def#> .\n@prefix actor: <https://w3id.org/coopmap/id/actor/> .\n"
        "actor:x a coop:Actor .\n")
    assert invoke("show", "ITM").exit_code == 1
    assert not list((tmp_path / "cache").glob("*/meta.json"))


# ---------------------------------------------------------------- export


@pytest.mark.parametrize("fmt,rdflib_format", [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld"), ("trig", "trig")])
def test_export_round_trips(invoke, store, tmp_path, fmt, rdflib_format):
    out = tmp_path / f"coopmap.{fmt}"
    result = invoke("export", "--format", fmt, "-o", str(out))
    assert result.exit_code == 0, result.output
    g = rdflib.Dataset() if fmt in ("trig", "jsonld") else rdflib.Graph()
    g.parse(out, format=rdflib_format)
    triples = {(s, p, o) for s, p, o, *_ in (g.quads() if isinstance(g, rdflib.Dataset) else g)}
    expected = select(store, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }")[0]["n"]
    described = {t for t in triples if str(t[0]).startswith(("https://w3id.org/coopmap/id/dataset",  # VoID/DCAT (#18)
                                                             "https://w3id.org/coopmap/id/publisher/"))}
    assert described and len(triples) - len(described) == expected
    if fmt == "trig":
        names = {str(c.identifier) for c in g.graphs()}
        assert {"urn:coopmap:graph:ontology", "urn:coopmap:graph:data", "urn:coopmap:graph:derived"} <= names


def test_export_has_direct_triples_generated_from_links(invoke):
    result = invoke("export", "--format", "nt")
    g = rdflib.Graph().parse(data=result.stdout_bytes.decode(), format="nt")
    coop = rdflib.Namespace("https://w3id.org/coopmap/def#")
    links = list(g.subjects(rdflib.RDF.type, coop.Link))
    assert links
    for link in links:
        kind = g.value(link, coop.linkKind)
        prop = g.value(kind, coop.directProperty)
        assert (g.value(link, coop["from"]), prop, g.value(link, coop.to)) in g, link


def test_export_refuses_unknown_format(invoke):
    result = invoke("export", "--format", "pdf")
    assert result.exit_code == 2 and "Invalid value for '--format'" in result.output


# ---------------------------------------------------------------- actors


def test_actors_by_level_match_the_graph(invoke, store):
    result = invoke("actors", "--level", "national", "--format", "json")
    assert result.exit_code == 0
    rows = json.loads(result.output)["rows"]
    expected = {r["a"] for r in select(store, "SELECT ?a WHERE { ?a a coop:Actor ; coop:level level:national }")}
    assert {r["iri"] for r in rows} == expected and len(expected) > 30
    assert all(r["level"] == "national" for r in rows)


def test_actors_by_mandate_csv(invoke, store):
    result = invoke("actors", "--mandate", "victim-support", "--format", "csv")
    assert result.exit_code == 0
    lines = result.output.strip().splitlines()
    assert lines[0] == "name,acronym,kind,level,mandates,parent,iri"
    expected = select(store, "SELECT ?a WHERE { ?a a coop:Actor ; coop:mandate mandate:victim-support }")
    assert len(lines) - 1 == len(expected) > 0


def test_actors_unknown_mandate_lists_choices(invoke):
    result = invoke("actors", "--mandate", "astrology")
    assert result.exit_code == 1
    assert "Unknown mandate 'astrology'. Choose one of:" in result.output and "victim-support" in result.output


# ---------------------------------------------------------------- show


@pytest.mark.parametrize("name", ["ITM", "itm", "Inspectorate of Labour and Mines", "inspection du travail et des mines",
                                  "INSPECTION DU TRAVAIL ET DES MINES", "lu-itm"])
def test_show_resolves_any_name(invoke, name):
    result = invoke("show", name, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["iri"] == ACTOR + "lu-itm"


def test_show_accent_insensitive_french_name(invoke, store):
    fr = select(store, 'SELECT ?l WHERE { actor:lu-monitoring-committee skos:prefLabel ?l FILTER(lang(?l) = "fr") }')
    assert fr, "the Monitoring Committee has its French name"
    import unicodedata

    plain = "".join(c for c in unicodedata.normalize("NFKD", fr[0]["l"]) if not unicodedata.combining(c))
    result = invoke("show", plain.upper(), "--format", "json")
    assert json.loads(result.output)["iri"] == ACTOR + "lu-monitoring-committee"


def test_show_unknown_name_suggests(invoke):
    result = invoke("show", "Inspectorat of Labor")
    assert result.exit_code == 1
    assert "No actor called 'Inspectorat of Labor'. Did you mean:" in result.output and "Inspectorate of Labour and Mines" in result.output


def test_whom_does_the_itm_notify(invoke, store):
    """Done-when question 1, answered by `show` and checked against the link resources in RDF."""
    rec = json.loads(invoke("show", "ITM", "--format", "json").output)
    shown = {l["actor_iri"] for l in rec["links"] if l["direction"] == "out" and l["kind"] == "notifies"}
    expected = {r["to"] for r in select(store, "SELECT ?to WHERE { ?l coop:linkKind lk:notifies ; coop:from actor:lu-itm ; coop:to ?to }")}
    assert shown == expected
    assert {ACTOR + "lu-public-prosecutor", ACTOR + "lu-police"} <= shown
    assert all(l["sources"] for l in rec["links"]), "every link is shown with its source"


def test_who_chairs_the_monitoring_committee(invoke, store):
    rec = json.loads(invoke("show", "Monitoring Committee", "--format", "json").output)
    chairs = [m["actor"] for m in rec["memberships"] if m["role"] == "chair"]
    expected = select(store, """SELECT ?m WHERE { ?x org:organization actor:lu-monitoring-committee ; org:role role:chair ; org:member ?m }""")
    assert len(chairs) == len(expected) == 1
    assert "Ministry of Justice" in chairs[0]
    text = invoke("show", "Monitoring Committee").output
    assert "as chair" in text and "source: emn-lu-2024-thb-international" in text


def test_which_states_created_the_ccpd_and_since_when(invoke, store):
    rec = json.loads(invoke("show", "CCPD", "--format", "json").output)
    established = [i for i in rec["instruments"] if i["relation"] == "establishes"]
    assert established, "the agreement that creates the CCPD"
    parties = set(established[0]["parties"])
    expected = select(store, """SELECT ?p WHERE { ?i coop:establishes actor:ccpd ; coop:party ?p }""")
    assert len(parties) == len(expected) == 4
    assert str(rec["since"]).startswith("2003")


def test_export_and_show_drop_facts_above_the_audience(bad_data, invoke):
    """A planted TLP:AMBER actor and link never appear in public (clear) outputs, quotes included."""
    (bad_data / "restricted.ttl").write_text("""
@prefix coop: <https://w3id.org/coopmap/def#> . @prefix actor: <https://w3id.org/coopmap/id/actor/> .
@prefix link: <https://w3id.org/coopmap/id/link/> . @prefix doc: <https://w3id.org/coopmap/id/document/> .
@prefix kind: <https://w3id.org/coopmap/scheme/actor-kind/> . @prefix level: <https://w3id.org/coopmap/scheme/level/> .
@prefix lk: <https://w3id.org/coopmap/scheme/link-kind/> . @prefix tlp: <https://w3id.org/coopmap/scheme/tlp/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> . @prefix mandate: <https://w3id.org/coopmap/scheme/mandate/> .
actor:zz-restricted a coop:Actor ; skos:prefLabel "Zebra Restricted Liaison Desk"@en ; coop:actorKind kind:police-unit ;
    coop:level level:national ;
    coop:citation [ a coop:Citation ; prov:entity doc:emn-lu-2024-thb-international ; coop:locator "Q12b" ;
                    coop:quote "Luxembourg can also request an exchange of information via Europol or Interpol." ] ;
    dcterms:accessRights tlp:amber .
link:zz-restricted-line a coop:Link ; coop:linkKind lk:notifies ; coop:from actor:lu-itm ; coop:to actor:lu-judicial-police ;
    coop:serves mandate:investigation ; coop:condition "Quokka night line"@en ;
    coop:citation [ a coop:Citation ; prov:entity doc:emn-lu-2024-thb-international ; coop:locator "Q14b, restricted-note-7731" ;
                    coop:quote "bottlenecks can occur at times" ] ;
    dcterms:accessRights tlp:amber .
""")
    public = invoke("export", "--format", "nt").stdout_bytes.decode()
    assert "Zebra Restricted" not in public and "Quokka" not in public and "zz-restricted" not in public
    assert "restricted-note-7731" not in public  # the restricted link's citation goes with it
    amber = invoke("export", "--format", "nt", "--audience", "amber").stdout_bytes.decode()
    assert "Zebra Restricted" in amber and "Quokka" in amber
    shown = invoke("show", "ITM", "--format", "json").output
    assert "Quokka" not in shown
    assert "Quokka" in invoke("show", "ITM", "--format", "json", "--audience", "amber").output


def test_inferred_triples_only_when_asked(invoke):
    """Entailments (here: a unit is a sub-organisation of its parent, by org:unitOf ⊑ org:subOrganizationOf)
    are exported with --inferred and never otherwise."""
    org = rdflib.Namespace("http://www.w3.org/ns/org#")
    plain = rdflib.Graph().parse(data=invoke("export", "--format", "nt").stdout_bytes.decode(), format="nt")
    full = rdflib.Graph().parse(data=invoke("export", "--format", "nt", "--inferred").stdout_bytes.decode(), format="nt")
    units = set(plain.subject_objects(org.unitOf))
    assert units
    missing_in_plain = [(u, p) for u, p in units if (u, org.subOrganizationOf, p) not in plain]
    assert missing_in_plain, "the asserted data states units with org:unitOf only"
    assert all((u, org.subOrganizationOf, p) in full for u, p in units)
    assert len(full) > len(plain)


def test_contacts_carry_dates_and_stale_ones_are_flagged(invoke, store):
    import datetime

    rows = select(store, """SELECT ?actor ?c ?verified WHERE { ?actor schema:contactPoint ?c . ?c coop:lastVerified ?verified }""")
    assert rows, "contact points carry a last-verified date"
    for row in rows[:5]:
        rec = json.loads(invoke("show", row["actor"].rsplit("/", 1)[-1], "--format", "json").output)
        cp = next(c for c in rec["contact_points"] if c["iri"] == row["c"])
        year = int(str(row["verified"])[:4])
        if year < datetime.date.today().year - 1:
            assert cp["stale"] is True, cp
        assert cp["lastVerified"] == row["verified"] and cp["sources"]


def test_cache_is_keyed_by_content_and_rebuilt_when_data_change(bad_data, invoke, tmp_path):
    import os

    from graph.kb.build import Project

    project = Project(data_dir=bad_data, cache_root=tmp_path / "cache")
    first = project.fingerprint()
    assert invoke("show", "ITM").exit_code == 0
    assert (tmp_path / "cache" / first / "meta.json").exists()
    target = bad_data / "sources.ttl"
    os.utime(target, ns=(target.stat().st_atime_ns, target.stat().st_mtime_ns + 10**9))  # touched, same content
    assert Project(data_dir=bad_data, cache_root=tmp_path / "cache").fingerprint() == first
    target.write_text(target.read_text() + "\n# a curator's comment\n")
    second = Project(data_dir=bad_data, cache_root=tmp_path / "cache").fingerprint()
    assert second != first
    assert invoke("show", "ITM").exit_code == 0
    assert (tmp_path / "cache" / second / "meta.json").exists()
