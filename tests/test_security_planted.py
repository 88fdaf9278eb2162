"""Planted restricted facts at every TLP level never reach a lower audience (issue 16).

For each level (GREEN, AMBER, AMBER+STRICT, RED) a copy of the real data gets planted facts at that level,
each with a unique marker string ("ZQXMARK"): an actor, links to and between public actors, a legal basis,
availability statements, an agreement, memberships, a contact point, figures and a citation, plus CLEAR
facts that *name* the restricted ones (a clear link to the restricted actor, a clear agreement it is party
to, a clear membership of it, a clear figure it reported). Then every command runs, in every output
format, at every lower audience, and neither its output nor the cache folder's files for that audience
may hold a marker. At the planted level itself the facts are there, marked with their TLP label.
"""

import json
import re
import shutil

import pytest

from graph.core.access import AUDIENCES
from graph.kb.build import ROOT

LEVELS = ("green", "amber", "amber-strict", "red")
MARKER = "zqxmark"  # in every restricted label, condition, locator, e-mail, title and IRI (case-insensitive)
QUOTE_A = "Luxembourg can also request an exchange of information via Europol or Interpol."
QUOTE_B = "bottlenecks can occur at times"

PREFIXES = """
@prefix coop: <https://w3id.org/coopmap/def#> . @prefix actor: <https://w3id.org/coopmap/id/actor/> .
@prefix link: <https://w3id.org/coopmap/id/link/> . @prefix doc: <https://w3id.org/coopmap/id/document/> .
@prefix kind: <https://w3id.org/coopmap/scheme/actor-kind/> . @prefix level: <https://w3id.org/coopmap/scheme/level/> .
@prefix lk: <https://w3id.org/coopmap/scheme/link-kind/> . @prefix tlp: <https://w3id.org/coopmap/scheme/tlp/> .
@prefix mandate: <https://w3id.org/coopmap/scheme/mandate/> . @prefix role: <https://w3id.org/coopmap/scheme/role/> .
@prefix instr: <https://w3id.org/coopmap/id/instrument/> . @prefix itype: <https://w3id.org/coopmap/scheme/instrument-type/> .
@prefix avl: <https://w3id.org/coopmap/id/availability/> . @prefix avail: <https://w3id.org/coopmap/scheme/availability/> .
@prefix contact: <https://w3id.org/coopmap/id/contact/> . @prefix mship: <https://w3id.org/coopmap/id/membership/> .
@prefix fig: <https://w3id.org/coopmap/id/figure/> . @prefix measure: <https://w3id.org/coopmap/scheme/measure/> .
@prefix eli: <http://data.europa.eu/eli/ontology#> . @prefix org: <http://www.w3.org/ns/org#> .
@prefix schema: <https://schema.org/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
"""


def cite(locator, quote=QUOTE_A, level=None):
    tlp = f" ; dcterms:accessRights tlp:{level}" if level else ""
    return (f'coop:citation [ a coop:Citation ; prov:entity doc:emn-lu-2024-thb-international ; '
            f'coop:locator "{locator}" ; coop:quote "{quote}"{tlp} ]')


def planted(level: str) -> str:
    """Turtle for the planted facts at ``level``; every restricted thing holds MARKER, nothing clear does."""
    s = level.replace("-", "")
    m = f"ZQXMARK{s.upper()}"
    return PREFIXES + f"""
# the restricted actor: it shares the ITM's acronym, which must never break `show ITM` below its level
actor:zqxmark-{s}-desk a coop:Actor ; skos:prefLabel "{m} Covert Liaison Desk"@en ; skos:altLabel "ITM" , "ONA" , "{m}" ;
    coop:actorKind kind:police-unit ; coop:level level:national ; coop:mandate mandate:victim-support ;
    coop:country actor:state-lu ; org:unitOf actor:lu-police ; rdfs:comment "{m} comment"@en ;
    {cite(f"Q12b, {m} actor")} ; dcterms:accessRights tlp:{level} .

# clear facts that name the restricted actor, or that only it points to: hidden with it
link:zqxmark-{s}-to-desk a coop:Link ; coop:serves mandate:investigation ; coop:linkKind lk:notifies ;
    coop:from actor:lu-itm ; coop:to actor:zqxmark-{s}-desk ;
    coop:condition "{m} clear link to the desk"@en ; {cite(f"Q12b, {m} to desk")} ; dcterms:accessRights tlp:clear .
link:zqxmark-{s}-from-desk a coop:Link ; coop:serves mandate:investigation ; coop:linkKind lk:exchanges-information-with ;
    coop:from actor:zqxmark-{s}-desk ;
    coop:to actor:lu-judicial-police ; coop:condition "{m} clear link from the desk"@en ;
    {cite(f"Q12b, {m} from desk")} ; dcterms:accessRights tlp:clear .
mship:zqxmark-{s}-desk-member a org:Membership ; org:member actor:zqxmark-{s}-desk ;
    org:organization actor:lu-monitoring-committee ; org:role role:member ;
    {cite(f"Q12b, {m} desk membership")} ; dcterms:accessRights tlp:clear .
instr:zqxopen-{s}-agreement a eli:LegalResource ; eli:title "Open cooperation agreement {s}"@en ;
    coop:instrumentType itype:agreement ;
    coop:party actor:lu-itm , actor:lu-police , actor:zqxmark-{s}-desk ; {cite("Q12b, open agreement")} ;
    dcterms:accessRights tlp:clear .
contact:zqxmark-{s}-desk-public a schema:ContactPoint ; schema:email "zqxmark-{s}-public@example.invalid" ;
    coop:statedOn "2024-09-12"^^xsd:date ; coop:lastVerified "2024-09-12"^^xsd:date ;
    {cite(f"Q12b, {m} desk public contact")} ; dcterms:accessRights tlp:clear .
actor:zqxmark-{s}-desk schema:contactPoint contact:zqxmark-{s}-desk-public .
fig:zqxmark-{s}-reported a coop:Figure ; coop:measure measure:investigations ; coop:about actor:lu-itm ;
    coop:reportedBy actor:zqxmark-{s}-desk ; schema:value 4242 ; rdfs:comment "{m} figure reported by the desk"@en ;
    {cite(f"Q12b, {m} reported figure")} ; dcterms:accessRights tlp:clear .

# restricted facts between public actors
link:zqxmark-{s}-line a coop:Link ; coop:serves mandate:investigation ; coop:linkKind lk:notifies ;
    coop:from actor:lu-itm ; coop:to actor:lu-judicial-police ;
    coop:condition "{m} restricted line"@en ; {cite(f"Q14b, {m} line", QUOTE_B)} ; dcterms:accessRights tlp:{level} .
mship:zqxmark-{s}-membership a org:Membership ; org:member actor:lu-itm ; org:organization actor:lu-monitoring-committee ;
    org:role role:member ; rdfs:comment "{m} restricted membership"@en ;
    {cite(f"Q12b, {m} membership")} ; dcterms:accessRights tlp:{level} .
fig:zqxmark-{s}-figure a coop:Figure ; coop:measure measure:investigations ; coop:about actor:lu-itm ; schema:value 4343 ;
    rdfs:comment "{m} restricted figure"@en ; {cite(f"Q12b, {m} figure")} ; dcterms:accessRights tlp:{level} .
instr:zqxmark-{s}-protocol a eli:LegalResource ; eli:title "{m} Covert Protocol"@en ; coop:instrumentType itype:agreement ;
    coop:governs actor:lu-itm ; coop:party actor:lu-itm , actor:lu-public-prosecutor ;
    {cite(f"Q12b, {m} protocol")} ; dcterms:accessRights tlp:{level} .
avl:zqxmark-{s}-line-hours a coop:Availability ; coop:hours avail:24-7 ; rdfs:comment "{m} line hours"@en ;
    {cite(f"Q12b, {m} line hours")} ; dcterms:accessRights tlp:{level} .
avl:zqxmark-{s}-itm-hours a coop:Availability ; coop:hours avail:24-7 ; rdfs:comment "{m} ITM hours"@en ;
    {cite(f"Q12b, {m} ITM hours")} ; dcterms:accessRights tlp:{level} .
contact:zqxmark-{s}-desk-line a schema:ContactPoint ; schema:email "zqxmark-{s}@example.invalid" ;
    schema:name "{m} night desk"@en ; coop:statedOn "2024-09-12"^^xsd:date ; coop:lastVerified "2024-09-12"^^xsd:date ;
    {cite(f"Q12b, {m} contact")} ; dcterms:accessRights tlp:{level} .
actor:lu-itm schema:contactPoint contact:zqxmark-{s}-desk-line ; coop:availability avl:zqxmark-{s}-itm-hours .

# a clear link whose legal basis, availability and one citation are restricted: the link stays, they go
link:zqxopen-{s}-step a coop:Link ; coop:serves mandate:investigation ; coop:linkKind lk:notifies ;
    coop:from actor:lu-itm ; coop:to actor:lu-public-prosecutor ;
    coop:condition "Open step {s}"@en ; coop:legalBasis instr:zqxmark-{s}-protocol ;
    coop:availability avl:zqxmark-{s}-line-hours ; {cite("Q12b, open step")} , [ a coop:Citation ;
        prov:entity doc:emn-lu-2024-thb-international ; coop:locator "Q14b, {m} note" ; coop:quote "{QUOTE_B}" ;
        dcterms:accessRights tlp:{level} ] ;
    dcterms:accessRights tlp:clear .
"""


@pytest.fixture(scope="module", params=LEVELS)
def planted_data(request, tmp_path_factory):
    """(level, data folder, cache folder): the real data plus the facts planted at ``level``."""
    level = request.param
    root = tmp_path_factory.mktemp(f"planted-{level}")
    data = root / "data"
    shutil.copytree(ROOT / "data", data)
    (data / f"zz-planted-{level}.ttl").write_text(planted(level), encoding="utf-8")
    return level, data, root / "cache"


@pytest.fixture()
def planted_env(planted_data, monkeypatch):
    level, data, cache = planted_data
    monkeypatch.setenv("COOPMAP_DATA", str(data))
    monkeypatch.setenv("COOPMAP_CACHE", str(cache))
    return level, data, cache


def commands(audience, out, inference=False):
    """Every command, in every output format, at ``audience``: (args, file it writes or None)."""
    fmts = ("table", "json", "csv")
    runs = []
    for name in ("ITM", "lu-police", "lu-judicial-police", "lu-public-prosecutor", "lu-monitoring-committee"):
        runs += [(["show", name, "--format", f], None) for f in fmts]
    runs += [(["show", "Covert Liaison"], None)]  # unknown: the suggestions must not name the restricted desk
    runs += [(["actors", "--format", f], None) for f in fmts]
    runs += [(["actors", "--mandate", "victim-support", "--format", f], None) for f in fmts]
    runs += [(["contact", "--from", "ITM", "--need", n, "--format", f], None)
             for n in ("victim-support", "investigation") for f in fmts]
    runs += [(["path", "ITM", "lu-judicial-police", "--format", f], None) for f in fmts]
    runs += [(["path", "ITM", "lu-public-prosecutor", "--format", f], None) for f in fmts]
    runs += [(["centrality", "--format", f], None) for f in fmts]
    runs += [(["centrality", "--metric", "betweenness", "--format", f], None) for f in fmts]
    runs += [(["gaps", "--format", f], None) for f in fmts]
    runs += [(["diff", "--from", "1990", "--to", "2030", "--format", f], None) for f in fmts]
    runs += [(["export", "--format", f], None) for f in ("ttl", "nt", "jsonld", "trig", "nq", "xml")]
    runs += [(["export", "--format", "nq", "-o", str(out / "export.nq")], out / "export.nq")]
    runs += [(["map", "-o", str(out / "map.html")], out / "map.html")]
    runs += [(["map", "-o", str(out / "itm.html"), "--focus", "ITM", "--depth", "2"], out / "itm.html")]
    # the query dataset: every quad once (csv), then every format on the quads that mention the planted facts
    runs += [(["query", "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", "--no-inference", "--format", "csv",
               "--limit", "1000000"], None)]
    near = 'FILTER(CONTAINS(LCASE(STR(?s)), "zqx") || CONTAINS(LCASE(STR(?o)), "zqx") || CONTAINS(STR(?o), "4242"))'
    runs += [(["query", f"SELECT * WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {near} }}", "--no-inference", "--format", f], None)
             for f in ("table", "json", "csv", "tsv", "xml")]
    runs += [(["query", f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o {near} }}", "--no-inference", "--format", f], None)
             for f in ("ttl", "nt", "jsonld")]
    if inference:  # the entailments of the audience's dataset (slow: once per test run)
        runs += [(["query", f"SELECT * WHERE {{ ?s ?p ?o {near} }}", "--format", "csv"], None)]
    return [(args + ["--audience", audience], path) for args, path in runs]


def _leaks(text: str):
    return sorted({m.group(0) for m in re.finditer(MARKER + r"[\w-]{0,20}", text, re.IGNORECASE)})


def test_nothing_planted_reaches_a_lower_audience(planted_env, invoke, tmp_path):
    level, data, cache = planted_env
    lower = AUDIENCES[:AUDIENCES.index(level)]
    leaks = []
    for audience in lower:
        out = tmp_path / audience
        out.mkdir()
        for args, path in commands(audience, out, inference=(level, audience) == ("amber", "clear")):
            result = invoke(*args)
            text = result.stdout_bytes.decode("utf-8", "replace") + (result.stderr_bytes or b"").decode("utf-8", "replace")
            if path is not None:
                assert result.exit_code == 0, (args, text)
                text += path.read_text(encoding="utf-8")
            elif args[:2] == ["show", "Covert Liaison"]:
                assert result.exit_code == 1, text
            else:
                assert result.exit_code == 0, (args, text)
            assert "Traceback" not in text
            if _leaks(text):
                leaks.append((audience, " ".join(args[:4]), _leaks(text)))
        files = [p for p in cache.rglob("*") if p.is_file() and re.search(rf"-{audience}\.", p.name)]
        assert any(p.name.startswith("view-") for p in files), "the glob found the cached view of this audience"
        assert any(p.name.startswith("visible-") for p in files), "the glob found the query dataset of this audience"
        for p in files:
            found = _leaks(p.read_bytes().decode("utf-8", "replace"))
            if found:
                leaks.append((audience, f"cache file {p.name}", found))
    assert not leaks, "\n".join(f"{a}: {c}: {f}" for a, c, f in leaks)


def test_planted_facts_are_shown_and_marked_at_their_level(planted_env, invoke):
    level, data, cache = planted_env
    mark = "TLP:" + level.upper().replace("-", "+")
    s = level.replace("-", "")
    rec = json.loads(invoke("show", "lu-itm", "--format", "json", "--audience", level).output)
    by_iri = {link["iri"].rsplit("/", 1)[-1]: link for link in rec["links"]}
    assert by_iri[f"zqxmark-{s}-line"]["tlp"] == mark
    assert by_iri[f"zqxmark-{s}-to-desk"]["tlp"] == mark, "a clear link to a restricted actor is as restricted"
    step = by_iri[f"zqxopen-{s}-step"]
    assert step["tlp"] == mark and any("Covert Protocol" in b for b in step["legal_basis"])
    assert any(cp["tlp"] == mark for cp in rec["contact_points"])
    assert any(f["tlp"] == mark for f in rec["figures"])
    assert all(not link["tlp"] for iri, link in by_iri.items() if not iri.startswith("zqx")), "public links unmarked"
    text = invoke("show", "lu-itm", "--audience", level).output
    assert "restricted line" in text and f"[{mark}]" in text
    csv_text = invoke("show", "lu-itm", "--format", "csv", "--audience", level).output
    assert csv_text.splitlines()[0].endswith(",tlp") and mark in csv_text
    desk = json.loads(invoke("show", f"ZQXMARK{s.upper()}", "--format", "json", "--audience", level).output)
    assert desk["tlp"] == mark
    rows = json.loads(invoke("actors", "--format", "json", "--audience", level).output)["rows"]
    assert [r["tlp"] for r in rows if r["iri"].endswith(f"zqxmark-{s}-desk")] == [mark]
    table = invoke("actors", "--audience", level).output
    assert table.splitlines()[0].split()[-1] == "tlp" and mark in table
    near = 'SELECT * WHERE { GRAPH ?g { ?s ?p ?o } FILTER(CONTAINS(LCASE(STR(?s)), "zqx")) }'
    assert MARKER in invoke("query", near, "--no-inference", "--format", "csv", "--audience", level).output.lower(), \
        "the query the lower audiences run finds the planted facts where they may be seen"


def test_clear_facts_naming_restricted_ones_lose_only_what_they_name(planted_env, invoke):
    """At the public audience: the clear step stays, without its restricted basis, availability and citation;
    the clear agreement stays, without its restricted party; the acronyms the restricted actor shares with
    public ones (ITM, ONA) still find the public ones."""
    level, data, cache = planted_env
    s = level.replace("-", "")
    rec = json.loads(invoke("show", "ITM", "--format", "json").output)
    assert rec["iri"].endswith("/lu-itm")
    step = next(link for link in rec["links"] if link["iri"].endswith(f"zqxopen-{s}-step"))
    assert step["legal_basis"] == [] and step["availability"] == [] and len(step["sources"]) == 1
    agreement = next(i for i in rec["instruments"] if i["iri"].endswith(f"zqxopen-{s}-agreement"))
    assert len(agreement["parties"]) == 2 and not any("Covert" in p for p in agreement["parties"])
    ona = invoke("show", "ONA", "--format", "json")
    assert ona.exit_code == 0 and "Covert" not in ona.output and "ONA" in json.loads(ona.output)["acronyms"]
