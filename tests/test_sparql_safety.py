"""User SPARQL is refused when it could write, load or call out; it is stopped, capped and never hangs."""

import socket
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from graph.core.errors import QueryError
from graph.sparql.safety import _check_tree, _parse, check_query

UPDATES = [
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "DELETE DATA { <urn:a> <urn:b> <urn:c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "PREFIX ex: <urn:x:> WITH <urn:g> DELETE { ?s ?p ?o } INSERT { ?s ex:q ?o } WHERE { ?s ?p ?o }",
    "LOAD <http://example.org/data.ttl>",
    "LOAD SILENT <file:///etc/passwd> INTO GRAPH <urn:g>",
    "CLEAR ALL",
    "DROP GRAPH <urn:coopmap:graph:data>",
    "CREATE GRAPH <urn:g>",
    "ADD DEFAULT TO <urn:g>",
    "MOVE <urn:a> TO <urn:b>",
    "COPY <urn:a> TO <urn:b>",
    "SELECT * WHERE { ?s ?p ?o } ; INSERT DATA { <urn:a> <urn:b> <urn:c> }",
]
SERVICES = [
    "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE SILENT <http://example.org/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?x ?y ?e . SERVICE ?e { ?s ?p ?o } }",
    "select * where { ?s ?p ?o OPTIONAL { service silent ?e { ?s ?q ?v } } }",
    "ASK { FILTER EXISTS { SERVICE <http://example.org/sparql> { ?s ?p ?o } } }",
    "CONSTRUCT { ?s ?p ?o } WHERE { { SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } } } }",
]
DATASETS = [
    "SELECT * FROM <http://example.org/g.ttl> WHERE { ?s ?p ?o }",
    "SELECT * FROM NAMED <file:///etc/hosts> WHERE { GRAPH ?g { ?s ?p ?o } }",
    "ASK FROM <http://example.org/g.ttl> { ?s ?p ?o }",
    "CONSTRUCT { ?s ?p ?o } FROM <http://example.org/g.ttl> WHERE { ?s ?p ?o }",
    "DESCRIBE ?s FROM <http://example.org/g.ttl> WHERE { ?s ?p ?o }",
]


@pytest.mark.parametrize("text", UPDATES)
def test_updates_are_refused(text):
    with pytest.raises(QueryError, match=r"SPARQL Update \(\w+\) is refused: the graph is read-only"):
        check_query(text)


@pytest.mark.parametrize("text", SERVICES)
def test_service_is_refused_silent_or_not_iri_or_variable(text):
    with pytest.raises(QueryError, match="SERVICE is refused: queries run on the local graph only"):
        check_query(text)


@pytest.mark.parametrize("text", DATASETS)
def test_from_and_from_named_are_refused(text):
    with pytest.raises(QueryError, match="FROM / FROM NAMED is refused"):
        check_query(text)


@pytest.mark.parametrize("text", SERVICES + DATASETS)
def test_the_parse_tree_check_alone_also_refuses(text):
    """The second line of defence (the parsed query) refuses what the token scan would."""
    with pytest.raises(QueryError, match="is refused"):
        _check_tree(_parse(text))


@pytest.mark.parametrize("text", [u for u in UPDATES if not u.startswith("SELECT")])
def test_the_parser_alone_recognises_updates(text):
    with pytest.raises(QueryError, match="SPARQL Update"):
        _parse(text)


@pytest.mark.parametrize("text", [
    "SELECT ?link WHERE { ?link coop:from ?a ; coop:to ?b }",   # coop:from is a property, not FROM
    'SELECT * WHERE { ?s ?p "SERVICE LOAD FROM" } # INSERT in a comment',
    "SELECT * WHERE { ?s <http://example.org/service/FROM> ?o }",
    "SELECT ?service ?load WHERE { ?service ?load ?named }",
    "ASK { GRAPH <urn:coopmap:graph:data> { ?s ?p ?o } }",
])
def test_harmless_look_alikes_are_accepted(text):
    assert check_query(text).form in ("SELECT", "ASK")


def test_syntax_error_gives_line_column_and_offending_text(invoke):
    text = "SELECT ?a\nWHERE {\n  ?a a coop:Actor ;\n  FILTER(?a = )\n}"
    result = invoke("query", text)
    assert result.exit_code == 1
    assert "SPARQL syntax error at line 4, column 3, near 'FILTER(?a ='" in result.output
    assert "  FILTER(?a = )\n    ^" in result.output and "Traceback" not in result.output


@pytest.fixture()
def listener():
    """A TCP listener on 127.0.0.1 that counts the connections it accepts."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)
    srv.settimeout(0.1)
    count, stop = [0], threading.Event()

    def loop():
        while not stop.is_set():
            try:
                conn, _ = srv.accept()
            except OSError:
                continue
            count[0] += 1
            conn.close()

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    yield srv.getsockname()[1], count
    stop.set()
    thread.join()
    srv.close()


def _settle(count, expected, seconds=1.0):
    deadline = time.monotonic() + seconds
    while count[0] != expected and time.monotonic() < deadline:
        time.sleep(0.05)
    return count[0]


def test_no_socket_is_opened_whatever_the_store(listener, project):
    import pyoxigraph as ox

    from graph.sparql.query import run_query
    from graph.sparql.worker import Runner
    from graph.sparql.query import dataset_files

    port, count = listener
    url = f"http://127.0.0.1:{port}/sparql"
    # The listener counts, and a bare Oxigraph store really does call out: the danger is real.
    with pytest.raises(OSError):
        list(ox.Store().query(f"SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"))
    assert _settle(count, 1) == 1
    attempts = [f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
                f"SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
                f'SELECT * WHERE {{ BIND(<{url}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}',
                f"LOAD <{url}>", f"LOAD SILENT <{url}> INTO GRAPH <urn:g>",
                f"SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}",
                f"SELECT * FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"]
    runners = [Runner(dataset_files(project, inference=False), store) for store in ("oxigraph", "rdflib")]
    for text in attempts:
        for store in ("oxigraph", "rdflib"):
            with pytest.raises(QueryError, match="refused"):
                run_query(text, project=project, store=store)
        for runner in runners:  # the worker's own check, in this process
            with pytest.raises(QueryError, match="refused"):
                runner.run(text, inference=False)
    assert _settle(count, 1) == 1


@pytest.mark.parametrize("store", ["oxigraph", "rdflib"])
def test_timeout_stops_a_runaway_query_and_the_next_query_works(invoke, store):
    cross = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    result = invoke("query", cross, "--timeout", "1", "--store", store)
    assert result.exit_code == 1
    assert "stopped after 1 s (timeout)" in result.output and "Traceback" not in result.output
    again = invoke("query", "ASK { actor:lu-itm a coop:Actor }", "--store", store)
    assert again.exit_code == 0 and again.output.strip() == "true"


def test_row_cap_cuts_the_answer_with_a_notice(invoke, store):
    from graph.kb.store import select

    total = select(store, "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a coop:Actor }")[0]["n"]
    assert total > 5
    result = invoke("query", "SELECT DISTINCT ?a WHERE { ?a a coop:Actor }", "--limit", "5", "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1:] and len(result.stdout.splitlines()) == 1 + 5
    assert "cut at 5 rows (row cap)" in result.stderr
    full = invoke("query", "SELECT DISTINCT ?a WHERE { ?a a coop:Actor }", "--format", "csv")
    assert len(full.stdout.splitlines()) == 1 + total and "row cap" not in full.stderr


def test_parallel_first_queries_from_eight_threads_all_succeed(project):
    """A fresh process (nothing imported yet): 8 threads each send their first query at once."""
    script = textwrap.dedent("""
        import sys, threading
        from pathlib import Path
        from graph.kb.build import Project
        from graph.sparql.query import run_query
        project = Project(cache_root=Path(sys.argv[1]))
        results, barrier = [None] * 8, threading.Barrier(8)
        def work(i):
            barrier.wait()
            try:
                r = run_query(f"SELECT ?a WHERE {{ ?a a coop:Actor }} LIMIT {i + 1}", project=project)
                results[i] = len(r.rows)
            except Exception as e:
                results[i] = repr(e)
        threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
        for t in threads: t.start()
        for t in threads: t.join()
        print(results)
    """)
    out = subprocess.run([sys.executable, "-c", script, str(project.cache_root)], capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == str(list(range(1, 9)))


@pytest.mark.parametrize("store", ["oxigraph", "rdflib"])
def test_unknown_prefix_is_named_with_its_place(invoke, store):
    result = invoke("query", "SELECT ?s WHERE {\n  ?s foo:bar ?o }", "--store", store)
    assert result.exit_code == 1
    assert "Unknown prefix 'foo:' (line 2, column 6)" in result.output and "coopmap query --prefixes" in result.output
    declared = invoke("query", "PREFIX foo: <urn:foo:>\nASK { ?s foo:bar ?o }", "--store", store)
    assert declared.exit_code == 0 and declared.stdout.strip() == "false"


def test_a_worker_left_alone_still_ends_a_runaway_query(project):
    """Should the parent never kill it, a worker ends itself a few seconds after the query's timeout."""
    from graph.sparql.query import DEFAULT_MEMORY, _Worker, dataset_files

    worker = _Worker(dataset_files(project, inference=False), "oxigraph", DEFAULT_MEMORY, 120)
    try:
        cross = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
        worker.outbox.send(("query", cross, {"inference": False, "limit": 10, "timeout": 0.5}))
        assert worker.proc.wait(timeout=60) != 0  # killed by its own watchdog, not by us
    finally:
        worker.kill()
