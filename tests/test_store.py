"""The shared triple store, for real: `coopmap push` into an `oxigraph serve` on 127.0.0.1, then every
catalogue query gives the same answers from it as from the embedded store, and the audience rule holds."""

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli
from graph.core.errors import CoopmapError
from graph.sparql.remote import check_store_audience, push, remote_query, store_audience
from graph.sparql.examples import examples
from graph.sparql.query import run_query

OXIGRAPH = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory):
    """A fresh `oxigraph serve` on a free loopback port; yields its query URL."""
    if not shutil.which(OXIGRAPH):
        pytest.skip("the oxigraph server is not installed (pip install oxigraph)")
    port = _free_port()
    proc = subprocess.Popen([OXIGRAPH, "serve", "--location", str(tmp_path_factory.mktemp("oxigraph")),
                             "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/query"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=1).read()
            break
        except OSError:
            time.sleep(0.1)
    else:
        proc.kill()
        pytest.fail("oxigraph serve did not start")
    yield url
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="module")
def pushed(oxigraph_server):
    result = CliRunner().invoke(cli.main, ["push", "--store", oxigraph_server])
    assert result.exit_code == 0, result.output
    return oxigraph_server


def _canonical(result, list_columns=()):
    """An answer as a sorted list of rows, blank nodes renamed in order of appearance, the lists of
    ``GROUP_CONCAT`` columns (``var[]`` in the catalogue's shapes: no set order) sorted."""
    names = {}

    def term(t, var=None):
        if t is None:
            return None
        if t[0] == "bnode":
            return ("bnode", names.setdefault(t[1], f"b{len(names)}"))
        if var in list_columns and t[0] == "literal":
            return ("literal", ", ".join(sorted(t[1].split(", "))), *t[2:])
        return tuple(t)

    if result.form == "ASK":
        return result.boolean
    variables, rows = result.bindings()
    if result.is_graph:  # blank-node labels are arbitrary: compare graphs up to them, by their ground part
        return sorted(tuple(("bnode",) if t[0] == "bnode" else tuple(t) for t in row) for row in rows)
    return list(variables), sorted((tuple(term(t, v) for v, t in zip(variables, row)) for row in rows), key=repr)


CATALOGUE = examples()


def test_catalogue_found():
    assert len(CATALOGUE) >= 5, "the glob found the example queries"


@pytest.mark.parametrize("example", CATALOGUE, ids=[e.name for e in CATALOGUE])
def test_catalogue_same_answers_from_the_store(pushed, example):
    embedded = run_query(example.text)
    remote = remote_query(pushed, example.text, timeout=60)
    assert _canonical(remote, example.list_columns) == _canonical(embedded, example.list_columns)


def test_query_command_reads_the_store(pushed):
    name = CATALOGUE[0].name
    local = CliRunner().invoke(cli.main, ["query", "--example", name, "--format", "json"])
    shared = CliRunner().invoke(cli.main, ["query", "--example", name, "--format", "json"], env={"COOPMAP_STORE": pushed})
    assert local.exit_code == 0 and shared.exit_code == 0, shared.output
    key = lambda d: sorted(json.dumps(b, sort_keys=True) for b in d.get("results", {}).get("bindings", []))  # noqa: E731
    assert key(json.loads(shared.stdout)) == key(json.loads(local.stdout))


def test_store_declares_its_audience(pushed):
    assert store_audience(pushed) == "clear"
    assert check_store_audience(pushed, "amber") == "clear"  # a higher audience may read public facts


def test_restricted_facts_never_pushed_to_a_lower_store(pushed):
    with pytest.raises(CoopmapError, match="TLP:CLEAR readers"):
        push(pushed, "amber")
    result = CliRunner().invoke(cli.main, ["push", "--store", pushed, "--audience", "red"])
    assert result.exit_code == 1 and "TLP:CLEAR readers" in result.output
    assert store_audience(pushed) == "clear"


def test_reading_a_higher_store_for_a_lower_audience_is_refused(oxigraph_server, tmp_path):
    port = _free_port()
    proc = subprocess.Popen([OXIGRAPH, "serve", "--location", str(tmp_path), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/query"
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        with pytest.raises(CoopmapError, match="no coopmap graph"):
            check_store_audience(url, "clear")
        push(url, "clear", store_audience_level="amber")  # public facts into a store for amber readers
        assert store_audience(url) == "amber"
        with pytest.raises(CoopmapError, match="above the 'clear' audience"):
            check_store_audience(url, "clear")
        result = CliRunner().invoke(cli.main, ["query", "--store", url, "ASK { ?s ?p ?o }"])
        assert result.exit_code == 1 and "above the 'clear' audience" in result.output
    finally:
        proc.terminate()
        proc.wait(10)


def test_unreachable_store_is_a_clear_error():
    port = _free_port()
    result = CliRunner().invoke(cli.main, ["query", "--store", f"http://127.0.0.1:{port}/query", "ASK { ?s ?p ?o }"])
    assert result.exit_code == 1 and "Could not reach the store" in result.output


def test_serve_answers_sparql_from_the_store(pushed):
    import httpx

    from graph.server import create_app
    from graph.server.live import running

    e = CATALOGUE[0]
    with running(create_app("clear", store=pushed, rate_limit=None)) as url:
        r = httpx.get(url + "/sparql", params={"query": e.text}, headers={"accept": "application/sparql-results+json"},
                      timeout=120)
    assert r.status_code == 200
    embedded = run_query(e.text)
    assert len(r.json()["results"]["bindings"]) == len(embedded.rows)


def test_serve_pages_read_the_store(pushed, invoke):
    """`serve --store`: the contact and actor pages are built from the store's graphs, with the same answers."""
    import html
    import re

    import httpx

    from graph.server import create_app
    from graph.server.live import running

    expected = json.loads(invoke("contact", "--from", "ITM", "--need", "victim-support", "--format", "json").output)
    app = create_app("clear", store=pushed, rate_limit=None)
    assert app.state.kg.kg.store is not None and len(app.state.kg.kg.store) > 1000
    with running(app) as url:
        r = httpx.get(url + "/contact", params={"from": "ITM", "need": "victim-support"}, timeout=120)
        shown = [html.unescape(s) for s in re.findall(r'<li><strong><a href="/actor/[^"]+">([^<]+)</a></strong>', r.text)]
        assert shown and shown == [a["actor"] for a in expected.get("answers", expected.get("rows"))]
        assert httpx.get(url + "/actor/lu-itm", timeout=120).status_code == 200


def test_the_command_line_reads_the_store(pushed, invoke, tmp_path, monkeypatch):
    """COOPMAP_STORE makes show, contact, path and map read the shared store's graphs: the same answers as embedded."""
    embedded = {args: invoke(*args, "--format", "json").output for args in
                (("show", "ITM"), ("contact", "--from", "ITM", "--need", "victim-support"), ("path", "ITM", "InfoTraite"))}
    monkeypatch.setenv("COOPMAP_STORE", pushed)
    import graph

    kg = graph.open(store=pushed)
    assert kg.remote == pushed and len(kg.store) > 1000  # the store's graphs, not the embedded ones
    for args, expected in embedded.items():
        r = invoke(*args, "--format", "json")
        assert r.exit_code == 0, r.output
        assert json.loads(r.output) == json.loads(expected), args
    monkeypatch.delenv("COOPMAP_STORE")
    out = tmp_path / "map.html"
    r = invoke("map", "-o", str(out), "--level", "national", "--store", pushed)  # the option, as the variable
    assert r.exit_code == 0, r.output
    assert "InfoTraite" in out.read_text(encoding="utf-8")
