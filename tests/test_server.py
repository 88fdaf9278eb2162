"""`coopmap serve` for real: the app on a free 127.0.0.1 port (uvicorn in a thread), hit over HTTP.

Pages, the SPARQL 1.1 Protocol endpoint and its refusals, Linked Data, a real SPARQL client
(SPARQLWrapper) against `coopmap query`, and a hypothesis run over the routes that never gets a 5xx.
"""

import csv
import io
import json
import re
import xml.etree.ElementTree as ET

import httpx
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from graph.server import create_app
from graph.server.live import running

HTML = {"accept": "text/html"}
ITM = "https://w3id.org/coopmap/id/actor/lu-itm"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def base():
    with running(create_app("clear", timeout=3.0, rate_limit=None)) as url:
        yield url


@pytest.fixture(scope="module")
def client(base):
    with httpx.Client(base_url=base, timeout=120) as c:
        yield c


def _cli_json(invoke, *args):
    result = invoke(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


# ---------------------------------------------------------------- pages


@pytest.mark.parametrize("path", ["/", "/contact", "/actors", "/actors?q=ITM", "/actor/lu-itm", "/actor/lu-itm?lang=fr",
                                  "/actor/lu-itm?lang=de", "/gaps", "/centrality?metric=betweenness", "/maps",
                                  "/query", "/query?example=monitoring-committee-chair", "/ontology",
                                  "/path?from=ITM&to=InfoTraite", "/maps?kind=ngo&tour=phases&lang=de"])
def test_pages_answer_with_security_headers_and_nothing_from_other_hosts(client, path):
    r = client.get(path, headers=HTML)
    assert r.status_code == 200, r.text[:500]
    assert r.headers["content-type"].startswith("text/html")
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'self'" in csp and "http" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"
    # every src/href/action points at this server
    for url in re.findall(r'(?:src|href|action)="([^"]*)"', r.text):
        assert not re.match(r"(?i)^(https?:)?//", url), url
    assert '<html lang="' in r.text and "<main" in r.text


def test_contact_page_gives_the_same_answer_as_the_command(client, invoke):
    expected = _cli_json(invoke, "contact", "--from", "ITM", "--need", "victim-support")
    r = client.get("/contact", params={"from": "ITM", "need": "victim-support"}, headers=HTML)
    assert r.status_code == 200
    order = [a["actor"] for a in expected.get("answers", expected.get("rows"))]
    assert order, "the scenario has answers"
    shown = re.findall(r'<li><strong><a href="/actor/[^"]+">([^<]+)</a></strong>', r.text)
    import html

    assert [html.unescape(s) for s in shown] == order
    assert "<details><summary>" in r.text and "legal basis" in r.text  # the explain detail, one click away


def test_contact_page_with_case_options_matches_the_command(client, invoke):
    expected = _cli_json(invoke, "contact", "--from", "ITM", "--need", "investigation", "--when", "night",
                         "--exploitation", "labour")
    r = client.get("/contact", params={"from": "ITM", "need": "investigation", "when": "night",
                                       "exploitation": "labour"}, headers=HTML)
    import html

    shown = [html.unescape(s) for s in re.findall(r'<li><strong><a href="/actor/[^"]+">([^<]+)</a></strong>', r.text)]
    assert shown and shown == [a["actor"] for a in expected.get("answers", expected.get("rows"))]


def test_foreign_host_header_is_refused(client):
    """A page on another site that rebinds its name to 127.0.0.1 cannot read the local server."""
    r = client.get("/actor/lu-itm", headers={"host": "evil.example"})
    assert r.status_code == 400
    assert client.get("/actor/lu-itm", headers={"host": "localhost"}).status_code == 200


def test_unknown_actor_is_404_with_suggestions(client):
    r = client.get("/actor/inspectorate-of-labor", headers=HTML)
    assert r.status_code == 404
    assert "Did you mean" in r.text
    r = client.get("/contact", params={"from": "ITMM", "need": "victim-support"}, headers=HTML)
    assert r.status_code == 404 and "ITM" in r.text
    r = client.get("/actor/nonesuch-xyz", headers={"accept": "text/plain"})
    assert r.status_code == 404 and r.text.startswith("No actor called")
    r = client.get("/id/actor/lu-itmm", headers={"accept": "text/turtle"})
    assert r.status_code == 404 and "Did you mean" in r.text and "ITM" in r.text


def test_bad_page_parameters_are_400(client):
    for path in ("/centrality?metric=fame", "/centrality?top=x", "/contact?from=ITM&need=victim-support&when=noon",
                 "/gaps?as_of=yesterday", "/maps?depth=9"):
        assert client.get(path, headers=HTML).status_code == 400, path


def test_map_file_is_the_offline_map_with_its_own_csp(client):
    r = client.get("/map.html", params={"focus": "ITM"})
    assert r.status_code == 200
    csp = r.headers["content-security-policy"]
    assert "script-src 'sha256-" in csp and "frame-ancestors 'self'" in csp
    assert '<meta http-equiv="Content-Security-Policy"' in r.text
    d = client.get("/map.html", params={"focus": "ITM", "download": "1"})
    assert d.headers["content-disposition"].startswith("attachment") and d.text == r.text


# ---------------------------------------------------------------- the SPARQL 1.1 Protocol

Q = "SELECT ?chair WHERE { ?m org:role/skos:notation \"chair\" ; org:member ?chair }"


def test_get_post_form_and_post_body_give_the_same_answer(client):
    a = client.get("/sparql", params={"query": Q}, headers={"accept": "application/sparql-results+json"})
    b = client.post("/sparql", data={"query": Q}, headers={"accept": "application/sparql-results+json"})
    c = client.post("/sparql", content=Q.encode(), headers={"content-type": "application/sparql-query",
                                                            "accept": "application/sparql-results+json"})
    assert a.status_code == b.status_code == c.status_code == 200
    assert a.headers["content-type"].startswith("application/sparql-results+json")
    assert a.json() == b.json() == c.json()
    assert a.json()["results"]["bindings"]


@pytest.mark.parametrize("accept, ctype", [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"), ("text/tab-separated-values", "text/tab-separated-values"),
    ("*/*", "application/sparql-results+json")])
def test_results_content_negotiation(client, accept, ctype):
    r = client.get("/sparql", params={"query": Q}, headers={"accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(ctype)
    if ctype == "text/csv":
        rows = list(csv.reader(io.StringIO(r.text)))
        assert rows[0] == ["chair"] and len(rows) > 1
    if ctype.endswith("xml"):
        assert ET.fromstring(r.content).tag.endswith("sparql")


@pytest.mark.parametrize("accept, ctype", [("text/turtle", "text/turtle"), ("application/n-triples", "application/n-triples"),
                                           ("application/ld+json", "application/ld+json"),
                                           ("application/rdf+xml", "application/rdf+xml")])
def test_graph_content_negotiation(client, accept, ctype):
    r = client.get("/sparql", params={"query": f"DESCRIBE <{ITM}>"}, headers={"accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(ctype)
    import pyoxigraph as ox

    fmt = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
           "application/ld+json": ox.RdfFormat.JSON_LD, "application/rdf+xml": ox.RdfFormat.RDF_XML}[ctype]
    assert len(list(ox.parse(r.content, format=fmt))) > 10


def test_format_parameter_downloads(client):
    r = client.get("/sparql", params={"query": Q, "format": "csv"})
    assert r.headers["content-type"].startswith("text/csv")
    assert r.headers["content-disposition"] == 'attachment; filename="coopmap-answer.csv"'


def test_service_description(client):
    r = client.get("/sparql", headers={"accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    import pyoxigraph as ox

    triples = list(ox.parse(r.content, format=ox.RdfFormat.TURTLE))
    types = {t.object.value for t in triples if t.predicate.value.endswith("#type")}
    assert "http://www.w3.org/ns/sparql-service-description#Service" in types
    assert "http://rdfs.org/ns/void#Dataset" in types
    assert client.get("/sparql", headers=HTML).headers["content-type"].startswith("text/html")


def test_syntax_error_is_400_with_line_and_column(client):
    r = client.get("/sparql", params={"query": "SELECT ?a WHERE {\n  ?a ?b \n}"})
    assert r.status_code == 400
    assert re.search(r"line \d+, column \d+", r.text), r.text


@pytest.mark.parametrize("how", ["text", "get-param", "form", "content-type"])
def test_update_is_refused_by_any_route(client, how):
    update = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    if how == "text":
        r = client.get("/sparql", params={"query": update})
    elif how == "get-param":
        r = client.get("/sparql", params={"update": update})
    elif how == "form":
        r = client.post("/sparql", data={"update": update})
    else:
        r = client.post("/sparql", content=update.encode(), headers={"content-type": "application/sparql-update"})
    assert r.status_code in (400, 403) and "Update" in r.text
    assert client.get("/sparql", params={"query": "ASK { <urn:a> <urn:b> <urn:c> }"}).json()["boolean"] is False


def test_service_and_from_are_refused(client):
    for q in ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
              "SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }"):
        r = client.get("/sparql", params={"query": q})
        assert r.status_code == 400 and "refused" in r.text
    r = client.get("/sparql", params={"query": Q, "default-graph-uri": "http://example.org/g"})
    assert r.status_code == 400


def test_other_methods_are_405(client):
    for method in ("PUT", "DELETE", "PATCH"):
        r = client.request(method, "/sparql", content=b"x")
        assert r.status_code == 405
        assert "GET" in r.headers.get("allow", "")


def test_body_over_the_cap_is_413(client):
    r = client.post("/sparql", content=b"#" * (600 * 1024), headers={"content-type": "application/sparql-query"})
    assert r.status_code == 413


def test_wrong_content_type_is_415(client):
    r = client.post("/sparql", content=Q.encode(), headers={"content-type": "application/json"})
    assert r.status_code == 415


def test_timeout_is_503_and_the_next_query_succeeds(client):
    r = client.get("/sparql", params={"query": SLOW})
    assert r.status_code == 503 and "timed out after 3 s" in r.text
    fresh = Q + " LIMIT 17"  # a query the server has not answered yet: it runs on a new worker
    r = client.get("/sparql", params={"query": fresh}, headers={"accept": "application/sparql-results+json"})
    assert r.status_code == 200 and r.json()["results"]["bindings"]


def test_flooding_client_gets_429_with_retry_after():
    with running(create_app("clear", rate_limit=(5, 60.0))) as url, httpx.Client(base_url=url, timeout=60) as c:
        statuses = [c.get("/sparql", params={"query": "ASK {}"}).status_code for _ in range(8)]
        assert statuses[:5] == [200] * 5 and statuses[5:] == [429] * 3
        r = c.get("/sparql", params={"query": "ASK {}"})
        assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1
        assert c.get("/actor/lu-itm").status_code == 200  # pages are not rate-limited


def test_server_keeps_serving_after_the_bad_requests(client):
    assert client.get("/", headers=HTML).status_code == 200
    r = client.get("/sparql", params={"query": Q + " LIMIT 3"}, headers={"accept": "text/csv"})
    assert r.status_code == 200 and r.text.startswith("chair")


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.binary(max_size=300), ctype=st.sampled_from(["application/sparql-query", "application/x-www-form-urlencoded",
                                                            "text/plain", "", "application/sparql-update",
                                                            "multipart/form-data; boundary=x"]),
       accept=st.sampled_from(["*/*", "text/csv", "application/rdf+xml", "text/html", "image/png", ""]))
def test_no_sparql_post_answers_5xx(client, body, ctype, accept):
    r = client.post("/sparql", content=body, headers={"content-type": ctype, "accept": accept})
    assert r.status_code < 500, (body, ctype, r.text[:300])


# ---------------------------------------------------------------- a real SPARQL client


@pytest.fixture(scope="module")
def wrapper(base):
    from SPARQLWrapper import SPARQLWrapper

    def make(query, fmt):
        w = SPARQLWrapper(base + "/sparql")
        w.setQuery(query)
        w.setReturnFormat(fmt)
        return w.queryAndConvert()

    return make


def test_sparqlwrapper_json_matches_coopmap_query(wrapper, invoke):
    from SPARQLWrapper import JSON

    from graph.sparql.examples import example

    e = example("monitoring-committee-chair")
    got = wrapper(e.text, JSON)
    want = json.loads(invoke("query", "--example", e.name, "--format", "json").output)
    assert got["head"] == want["head"] and got["results"]["bindings"] == want["results"]["bindings"]


def test_sparqlwrapper_xml_matches_coopmap_query(wrapper, invoke):
    from SPARQLWrapper import XML

    got = wrapper(Q, XML)  # a DOM document
    values = sorted(n.firstChild.data for n in got.getElementsByTagName("uri"))
    want = json.loads(invoke("query", Q, "--format", "json").output)
    assert values == sorted(b["chair"]["value"] for b in want["results"]["bindings"])


def test_sparqlwrapper_construct_matches_coopmap_query(wrapper, invoke):
    from SPARQLWrapper import TURTLE

    q = f"CONSTRUCT {{ <{ITM}> ?p ?o }} WHERE {{ <{ITM}> ?p ?o FILTER(!isBlank(?o)) }}"
    got = wrapper(q, TURTLE)
    import pyoxigraph as ox

    mine = {str(t) for t in ox.parse(got, format=ox.RdfFormat.TURTLE)}
    want = {str(t) for t in ox.parse(invoke("query", q, "--format", "nt").output.encode(), format=ox.RdfFormat.N_TRIPLES)}
    assert mine == want and len(mine) > 5


# ---------------------------------------------------------------- Linked Data


def test_id_iri_303_to_page_for_browsers_and_rdf_for_machines(client):
    r = client.get("/id/actor/lu-itm", headers=HTML, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/actor/lu-itm"
    r = client.get("/id/actor/lu-itm", headers={"accept": "text/turtle"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith(".ttl")
    doc = client.get(r.headers["location"])
    assert doc.headers["content-type"].startswith("text/turtle") and "lu-itm" in doc.text
    r = client.get("/id/actor/lu-itm", headers={"accept": "application/ld+json"}, follow_redirects=True)
    assert r.headers["content-type"].startswith("application/ld+json") and json.loads(r.text)
    assert client.get("/id/actor/no-such-actor", headers={"accept": "text/turtle"}).status_code == 404


def test_concept_iris_dereference(client):
    r = client.get("/scheme/mandate/victim-support", headers=HTML, follow_redirects=True)
    assert r.status_code == 200 and "victim" in r.text


def test_export_and_ontology(client):
    import pyoxigraph as ox

    r = client.get("/export", params={"format": "nt"})
    assert r.status_code == 200 and len(list(ox.parse(r.content, format=ox.RdfFormat.N_TRIPLES))) > 1000
    r = client.get("/ontology", headers={"accept": "text/turtle"})
    assert r.headers["content-type"].startswith("text/turtle")
    assert len(list(ox.parse(r.content, format=ox.RdfFormat.TURTLE))) > 100
    html = client.get("/ontology", headers=HTML).text
    assert "coopmap/def#Actor" in html


# ---------------------------------------------------------------- never a 5xx

_texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(["/contact", "/actors", "/path", "/gaps", "/centrality", "/maps", "/query", "/sparql",
                             "/export", "/ontology"]),
       keys=st.lists(st.sampled_from(["from", "need", "to", "q", "metric", "scope", "top", "as_of", "when", "victim",
                                      "query", "format", "lang", "level", "mandate", "depth", "example", "update"]),
                     max_size=4),
       values=st.lists(_texts, min_size=4, max_size=4))
def test_no_route_answers_5xx(client, path, keys, values):
    params = {k: v for k, v in zip(keys, values)}
    r = client.get(path, params=params, headers=HTML)
    assert r.status_code < 500, (path, params, r.text[:300])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rest=_texts)
def test_no_linked_data_path_answers_5xx(client, rest):
    for prefix in ("/id/", "/doc/", "/actor/"):
        from urllib.parse import quote

        r = client.get(prefix + quote(rest, safe="/"), headers={"accept": "text/turtle"})
        assert r.status_code < 500, (prefix, rest, r.text[:300])


def test_coopmap_serve_command_starts_and_answers(tmp_path):
    """`coopmap serve` as a user starts it: a process on 127.0.0.1 that answers, then stops on SIGTERM."""
    import os
    import subprocess
    import sys
    import time

    from graph.server.live import free_port

    port = free_port()
    proc = subprocess.Popen([sys.executable, "-c", "import cli; cli.main()", "serve", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=dict(os.environ))
    try:
        for _ in range(600):
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/", timeout=60)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stderr.read().decode()[-2000:]
                time.sleep(0.25)
        assert r.status_code == 200 and "coopmap" in r.text
    finally:
        proc.terminate()
        proc.wait(60)
    assert b"serving TLP:CLEAR facts on http://127.0.0.1:" in proc.stderr.read()


def test_data_model_guide_is_served_when_the_checkout_has_it(client):
    from graph.core.resources import checkout_root

    root = checkout_root()
    present = bool(root and (root / "docs" / "data-model.md").is_file())
    r = client.get("/data-model", headers=HTML)
    assert r.status_code == (200 if present else 404)
    assert ("data-model.md" in r.text) or present
