"""The server shows only what its audience may see, on every page and at the endpoint: a planted
TLP:AMBER actor and link never reach a `clear` server's pages, downloads, maps or SPARQL answers, and
do reach an `amber` one's."""

import os
import shutil
import urllib.parse

import httpx
import pytest

from graph.kb.build import ROOT
from graph.server import create_app
from graph.server.live import running

RESTRICTED = """
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
link:zz-restricted-line a coop:Link ; coop:linkKind lk:notifies ; coop:from actor:lu-itm ; coop:to actor:zz-restricted ;
    coop:serves mandate:investigation ; coop:condition "Quokka night line"@en ;
    coop:citation [ a coop:Citation ; prov:entity doc:emn-lu-2024-thb-international ; coop:locator "Q14b, restricted-note-7731" ;
                    coop:quote "bottlenecks can occur at times" ] ;
    dcterms:accessRights tlp:amber .
"""
SECRETS = ("Zebra Restricted", "Quokka", "zz-restricted", "restricted-note-7731")


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """A `clear` and an `amber` server over the real data plus the planted restricted facts."""
    tmp = tmp_path_factory.mktemp("audience")
    data = tmp / "data"
    shutil.copytree(ROOT / "data", data)
    (data / "restricted.ttl").write_text(RESTRICTED, encoding="utf-8")
    old = {k: os.environ.get(k) for k in ("COOPMAP_DATA", "COOPMAP_CACHE")}
    os.environ["COOPMAP_DATA"] = str(data)
    os.environ["COOPMAP_CACHE"] = str(tmp / "cache")
    try:
        with running(create_app("clear", rate_limit=None)) as clear, running(create_app("amber", rate_limit=None)) as amber:
            yield {"clear": clear, "amber": amber}
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


PAGES = ["/actor/lu-itm", "/actors", "/actors?q=Zebra", "/gaps", "/centrality?top=200", "/map.html",
         "/map.html?focus=ITM", "/contact?from=ITM&need=investigation", "/export?format=nt", "/export?format=nq&inferred=1",
         "/sparql?" + urllib.parse.urlencode({"query": "SELECT * WHERE { ?s ?p ?o FILTER(CONTAINS(STR(?o), 'Zebra')) }",
                                              "format": "csv"}),
         "/sparql?" + urllib.parse.urlencode({"query": "DESCRIBE <https://w3id.org/coopmap/id/actor/lu-itm>"}),
         "/doc/id/actor/lu-itm.ttl"]


@pytest.mark.parametrize("path", PAGES)
def test_clear_server_never_shows_amber_facts(servers, path):
    r = httpx.get(servers["clear"] + path, timeout=300)
    assert r.status_code == 200, r.text[:300]
    for word in SECRETS:
        assert word not in r.text, (path, word)


def test_restricted_actor_is_unknown_to_the_clear_server(servers):
    for path in ("/actor/zz-restricted", "/id/actor/zz-restricted", "/doc/id/actor/zz-restricted.ttl",
                 "/id/link/zz-restricted-line"):
        r = httpx.get(servers["clear"] + path, timeout=300)
        assert r.status_code == 404, path
        assert not any(w in r.text for w in ("Zebra", "Quokka")), path


def test_amber_server_shows_them(servers):
    assert "Quokka" in httpx.get(servers["amber"] + "/actor/lu-itm", timeout=300).text
    assert "Zebra" in httpx.get(servers["amber"] + "/actor/zz-restricted", timeout=300).text
    r = httpx.get(servers["amber"] + "/sparql", params={"query": "ASK { ?s skos:prefLabel 'Zebra Restricted Liaison Desk'@en }"},
                  timeout=300)
    assert r.json()["boolean"] is True
