"""User SPARQL is refused when it could write, load or call out; it is stopped, capped and never hangs."""

import socket
import subprocess
import sys
import textwrap
import threading
import time

import os
import signal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.core.errors import QueryError
from graph.sparql.safety import check_query

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


SPELLINGS = [
    "SELECT * WHERE { # note\rSERVICE <http://example.org/sparql> { ?s ?p ?o }\n }",  # CR ends a comment
    "SELECT * WHERE { # note\r\nSERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { \\u0053ERVICE <http://example.org/sparql> { ?s ?p ?o } }",  # a codepoint escape
    "SELECT * WHERE { \\U00000053ervice <http://example.org/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?a ?b ?c FILTER(?a<?b)SERVICE#>\n<http://example.org/sparql>{?x ?y ?z} }",  # < compares
    "SELECT * WHERE { ?s coop:a\u00b7\\' ?o . SERVICE <http://example.org/sparql> {} . coop:b\\' }",
    "SELECT * WHERE { ?s ?p ?o }\fSERVICE",
    "SELECT * WHERE {SERVICE<http://example.org/sparql>{?s ?p ?o}}",
    "SELECT * WHERE { SERVICE:x ?p ?o }",
]


@pytest.mark.parametrize("text", SPELLINGS)
def test_service_is_refused_in_every_spelling_the_engine_reads(text):
    with pytest.raises(QueryError, match="SERVICE is refused"):
        check_query(text)


@pytest.mark.parametrize("text, message", [
    ("SELECT * WHERE { ?s ?p ?o } LIMIT 1e23", "LIMIT must be a whole number of rows (0 or more), not '1e23' (line 1, column 35)"),
    ("SELECT * WHERE { ?s ?p ?o } OFFSET 99999999999999999999999", "OFFSET 99999999999999999999999 is too large"),
    ('SELECT * WHERE { ?s ?p "\\uD800" }', "The escape \\uD800 (line 1, column 25) is not a Unicode character (a lone UTF-16 surrogate)"),
    ("SELECT * WHERE { ?s ?p ?o } # \ud800", "a lone UTF-16 surrogate that is not a Unicode character"),
    ("SELECT * WHERE " + "{" * 300 + "}" * 300, "The query nests brackets and braces more than 200 deep"),
    ("PREFIX ex: <urn:ex:> ex:a ex:b ex:c", "This is not a SPARQL query: it has no SELECT, ASK, CONSTRUCT or DESCRIBE."),
])
def test_clear_messages_for_what_the_engine_words_cryptically(text, message):
    with pytest.raises(QueryError) as err:
        check_query(text)
    assert message in str(err.value)


def test_a_flat_pattern_of_a_hundred_triples_runs(project):
    from graph.sparql.query import run_query

    text = "SELECT * WHERE { " + " ".join(f"?s{i} coop:level ?o{i} ." for i in range(100)) + " } LIMIT 1"
    assert check_query(text).form == "SELECT"
    assert run_query(text, project=project, inference=False, timeout=30).form == "SELECT"


@pytest.mark.parametrize("timeout", [float("nan"), float("inf"), 1e12, 0, -1, "soon"])
def test_timeout_is_checked_by_the_library(project, timeout):
    from graph.sparql.query import run_query

    with pytest.raises(QueryError, match=r"^timeout must be a number of seconds above 0 and at most 86400"):
        run_query("ASK {}", project=project, timeout=timeout)


@pytest.mark.parametrize("value", ["nan", "inf", "1e12"])
def test_cli_timeout_gives_a_message_not_a_traceback(invoke, value):
    result = invoke("query", "ASK {}", "--timeout", value)
    assert result.exit_code == 1
    assert "timeout must be a number of seconds above 0" in result.output and "Traceback" not in result.output


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
    text = "SELECT ?a\nWHERE {\n  ?a a coop:Actor .\n  FILTER(?a = )\n}"
    result = invoke("query", text)
    assert result.exit_code == 1
    # the engine's parser reports the furthest place it reached: the closing brace after the bad filter
    assert "SPARQL syntax error at line 5, column 2, near 'the end of the query':\n  }\n   ^\n" in result.output
    assert "expected one of ABS, AVG," in result.output and "Traceback" not in result.output
    bad = invoke("query", "SELECT ?a WHERE { ?a a coop:Actor FILTER(?a = ) BIND(1 AS ?x) }")
    assert "SPARQL syntax error at line 1, column " in bad.output and "\n  SELECT ?a WHERE" in bad.output


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


CROSS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def _children(pid):
    """Process ids whose parent is ``pid`` (read from /proc)."""
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                out.append(int(entry))
    return out


def _alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _wait(predicate, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()


RUNAWAY = textwrap.dedent("""
    import sys
    from pathlib import Path
    from graph.kb.build import Project
    from graph.sparql.query import run_query
    print("ready", flush=True)
    run_query(sys.argv[2], project=Project(cache_root=Path(sys.argv[1])), inference=False, timeout=float(sys.argv[3]))
""")


def _start_runaway(project, timeout):
    parent = subprocess.Popen([sys.executable, "-c", RUNAWAY, str(project.cache_root), CROSS, str(timeout)],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert parent.stdout.readline().strip() == "ready"
    assert _wait(lambda: _children(parent.pid), 60), "the query child never started"
    return parent, _children(parent.pid)[0]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_the_query_child_dies_with_its_parent(project):
    """A killed parent leaves no query running (issue 16, item 9)."""
    parent, child = _start_runaway(project, 120)
    try:
        parent.kill()
        parent.wait(10)
        assert _wait(lambda: not _alive(child), 10), "the query child outlived its parent"
    finally:
        if _alive(child):
            os.kill(child, signal.SIGKILL)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_query_child_left_alone_still_ends_a_runaway_query(project):
    """Should the parent never kill it (here: stopped), a child ends itself a few seconds after the timeout."""
    parent, child = _start_runaway(project, 1)
    try:
        parent.send_signal(signal.SIGSTOP)
        assert _wait(lambda: not _alive(child), 30), "the query child ran on past its watchdog"
    finally:
        parent.send_signal(signal.SIGCONT)
        parent.kill()
        parent.wait(10)


def test_the_sandbox_alone_stops_oxigraph_calling_out(listener):
    """Second line: in a query child, even a SERVICE that the check never saw reaches no socket."""
    import pyoxigraph as ox

    from graph.sparql.worker import _sandbox, sandbox_available

    if not sandbox_available():
        pytest.skip("no seccomp here")
    port, count = listener
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        code = 3
        try:
            os.close(read_fd)
            code = 1 if not _sandbox() else 2
            list(ox.Store().query(f"SELECT * {{ SERVICE <http://127.0.0.1:{port}/x> {{ ?s ?p ?o }} }}"))
        except OSError as e:
            os.write(write_fd, str(e).encode())
            code = 0
        finally:
            os._exit(code)
    os.close(write_fd)
    message = os.read(read_fd, 1000).decode()
    os.close(read_fd)
    assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0
    assert "ermission denied" in message, message
    assert _settle(count, 0) == 0


# ---------------------------------------------------------------- generated spellings against a real socket

_SPACE = st.sampled_from([" ", "\t", "\n", "\r", "\r\n", "\f", "  ", " # c\n", " #c\r", "#\r", "\n#x\n"])
_KEYWORD = st.sampled_from(["SERVICE", "LOAD"]).flatmap(lambda w: st.tuples(
    st.just(w), st.lists(st.booleans(), min_size=len(w), max_size=len(w)), st.lists(st.booleans(), min_size=len(w),
                                                                                    max_size=len(w))))


def _spell(word, upper, escaped):
    """``word`` with each letter upper- or lower-case, and written plain or as a \\u escape."""
    out = []
    for ch, up, esc in zip(word, upper, escaped):
        ch = ch.upper() if up else ch.lower()
        out.append(f"\\u{ord(ch):04X}" if esc else ch)
    return "".join(out)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(keyword=_KEYWORD, before=_SPACE, after=_SPACE, silent=st.booleans(), nested=st.booleans())
def test_generated_service_and_load_spellings_reach_no_socket(project, listener, keyword, before, after, silent,
                                                              nested):
    from graph.sparql.query import run_query

    port, count = listener
    word, upper, escaped = keyword
    spelled = _spell(word, upper, escaped)
    url = f"<http://127.0.0.1:{port}/x>"
    if word == "SERVICE":
        block = f"{spelled}{after}{'SILENT ' if silent else ''}{url}{after}{{ ?s ?p ?o }}"
        text = f"SELECT * WHERE {{{before}{'{ FILTER EXISTS { ' if nested else ''}{block}{' } }' if nested else ''} }}"
    else:
        text = f"{before}{spelled}{after}{'SILENT ' if silent else ''}{url}"
    with pytest.raises(QueryError):
        run_query(text, project=project, inference=False, timeout=5)
    assert count[0] == 0, f"a connection reached the listener for {text!r}"
