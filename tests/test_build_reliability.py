"""Compiling survives bad layouts, bad bytes, bad caches and parallel first runs (issue 16 items 5, 6, 8, 9).

Real files, real folders and real processes: each case runs the real command line in a subprocess and
checks the exit code, the message (file, line, what is wrong, how to fix) and that no traceback shows.
"""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graph.core.errors import CoopmapError, DataError
from graph.kb.build import ROOT, Project, build, load_dataset
from graph.kb.store import select

REPO = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SOURCES = os.environ.get("COOPMAP_SOURCES") or str(ROOT.parent / "shared" / "sources")


def coopmap(*args, data=None, cache, timeout=300):
    """Run the real CLI in a fresh interpreter; returns the CompletedProcess (text)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COOPMAP_")}
    env.update(PYTHONPATH=str(REPO), COOPMAP_CACHE=str(cache), COOPMAP_SOURCES=SOURCES)
    if data is not None:
        env["COOPMAP_DATA"] = str(data)
    return subprocess.run([sys.executable, "-c", "import cli; cli.main()", *args], capture_output=True, text=True,
                          env=env, cwd=str(REPO), timeout=timeout)


def assert_clean_failure(result, *fragments):
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    assert "Traceback" not in out, out
    for f in fragments:
        assert f in out, f"{f!r} not in:\n{out}"


def copy_data(tmp_path, without=()):
    dest = tmp_path / "data"
    shutil.copytree(DATA, dest, ignore=shutil.ignore_patterns(*without))
    return dest


def links_count(data_dir, cache):
    store = load_dataset(Project(data_dir=data_dir, cache_root=cache))
    return select(store, "SELECT (COUNT(?l) AS ?n) WHERE { ?l a coop:Link }")[0]["n"]


# ---------------------------------------------------------------------------- layout (item 5)


def test_symlinked_links_folder_is_followed(tmp_path):
    data = copy_data(tmp_path, without=("links",))
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(DATA / "links", elsewhere)
    (data / "links").symlink_to(elsewhere, target_is_directory=True)
    (elsewhere / "loop").symlink_to(data, target_is_directory=True)  # a link back up must not loop
    files = Project(data_dir=data).data_files()
    assert sum(1 for f in files if f.parent.name == "links") == len(list((DATA / "links").glob("*.ttl"))) > 0
    assert links_count(data, tmp_path / "c1") == links_count(DATA, tmp_path / "c2") > 0


def test_dangling_ttl_symlink_is_a_clear_error(tmp_path):
    data = copy_data(tmp_path)
    (data / "links" / "gone.ttl").symlink_to(tmp_path / "nowhere.ttl")
    result = coopmap("show", "ITM", data=data, cache=tmp_path / "cache")
    assert_clean_failure(result, "gone.ttl", "symbolic link to nothing", "how to fix")


def test_folder_with_only_an_empty_file_warns(tmp_path):
    data = tmp_path / "empty"
    data.mkdir()
    (data / "nothing.ttl").write_text("")
    result = coopmap("validate", "--no-quotes", data=data, cache=tmp_path / "cache")
    out = result.stdout + result.stderr
    assert "Traceback" not in out
    assert "warning" in out and "0 actors in" in out and "holds no statements" in out, out


# ---------------------------------------------------------------------------- bad bytes, bad dates (item 8)


def test_non_utf8_byte_in_a_comment_names_file_and_line(tmp_path):
    data = copy_data(tmp_path)
    path = data / "actors" / "states.ttl"
    lines = path.read_bytes().split(b"\n")
    lines.insert(3, b"# r\xe9sum\xe9 of the states")
    path.write_bytes(b"\n".join(lines))
    result = coopmap("show", "ITM", data=data, cache=tmp_path / "cache")
    assert_clean_failure(result, "states.ttl:4:", "0xE9", "not UTF-8", "how to fix")
    assert not list((tmp_path / "cache").glob("*/meta.json")), "nothing is compiled from bad data"


def test_wrong_date_gives_the_shacl_message_and_no_traceback(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(DATA / "sources.ttl", data)
    shutil.copy(REPO / "tests" / "shapes" / "invalid" / "invalid-date.ttl", data)
    result = coopmap("validate", data=data, cache=tmp_path / "cache")
    assert_clean_failure(result, "invalid-date.ttl:", "must be one valid xsd:date", "found 2019-13-45")
    assert "Failed to convert" not in result.stderr


# ---------------------------------------------------------------------------- the cache folder (items 8, 9)


def _make_read_only(folder: Path) -> bool:
    """Make ``folder`` unwritable even for root (the immutable flag); False when that is not possible."""
    if os.geteuid() != 0:
        os.chmod(folder, 0o555)
        return True
    return shutil.which("chattr") is not None and subprocess.run(["chattr", "+i", str(folder)],
                                                                   capture_output=True).returncode == 0


def test_read_only_cache_folder_says_set_coopmap_cache(tmp_path):
    cache = tmp_path / "ro-cache"
    cache.mkdir(mode=0o700)
    if not _make_read_only(cache):
        pytest.skip("cannot make a folder read-only for root here (no chattr +i)")
    try:
        result = coopmap("show", "ITM", cache=cache)
        assert_clean_failure(result, str(cache), "Set COOPMAP_CACHE to a writable folder")
        assert os.listdir(cache) == []
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(cache)], capture_output=True)
        os.chmod(cache, 0o700)


@pytest.mark.parametrize("mode", [0o777, 0o775, 0o1777])
def test_cache_folder_others_can_write_to_is_refused(tmp_path, mode):
    cache = tmp_path / "shared-cache"
    cache.mkdir()
    os.chmod(cache, mode)
    result = coopmap("show", "ITM", cache=cache)
    assert_clean_failure(result, "Other users can write to the cache folder", "chmod go-w")
    assert os.listdir(cache) == [], "nothing is read from or written to an unsafe cache"


def test_new_cache_folder_is_private(tmp_path):
    project = Project(cache_root=tmp_path / "new" / "cache")
    build(project)
    assert (tmp_path / "new" / "cache").stat().st_mode & 0o077 == 0


# ---------------------------------------------------------------------------- parallel first compile (item 6)


def test_parallel_first_compile_never_crashes(tmp_path):
    """Six commands started together on an empty cache all answer (two rounds, fresh cache each)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COOPMAP_")}
    env.update(PYTHONPATH=str(REPO), COOPMAP_SOURCES=SOURCES)
    commands = [["show", "ITM"], ["actors"], ["show", "Europol"]] * 2
    for round_, stagger in enumerate((0.0, 0.4)):  # all at once, then one every 0.4 s (readers meet writers)
        env["COOPMAP_CACHE"] = str(tmp_path / f"cache{round_}")
        procs = []
        for c in commands:
            procs.append(subprocess.Popen([sys.executable, "-c", "import cli; cli.main()", *c], env=env,
                                          cwd=str(REPO), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
            time.sleep(stagger)
        results = [(c, p.communicate(timeout=600), p.returncode) for c, p in zip(commands, procs)]
        for c, (_out, err), rc in results:
            assert rc == 0 and "Traceback" not in err, f"round {round_}, {' '.join(c)}:\n{err[-2000:]}"
        assert "Inspectorate of Labour and Mines" in results[0][1][0]
        compiled = [p for p in (tmp_path / f"cache{round_}").iterdir() if (p / "meta.json").exists()]
        assert len(compiled) == 1
        leftovers = [p.name for p in (tmp_path / f"cache{round_}").iterdir() if p.name.startswith((".build-", ".old-"))]
        assert leftovers == []


def test_rebuild_swaps_the_folder_whole(tmp_path):
    project = Project(cache_root=tmp_path / "cache")
    first = build(project)
    (first / "marker").write_text("old")
    again = build(project, force=True)
    assert again == first and (again / "meta.json").exists() and (again / "graph.nq").exists()
    assert not (again / "marker").exists()
    assert not [p for p in (tmp_path / "cache").iterdir() if p.name.startswith((".build-", ".old-"))]


# ---------------------------------------------------------------------------- synthetic data through the CLI (#15)


def test_synthetic_folder_works_through_the_cli(tmp_path):
    from graph.network.synthetic import generate

    data = generate(200, seed=4, out_dir=tmp_path / "syn")
    shown = coopmap("show", "S10", data=data, cache=tmp_path / "cache")
    assert shown.returncode == 0 and "Synthetic" in shown.stdout, shown.stderr
    assert "Traceback" not in shown.stderr


def test_loader_errors_are_data_errors(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix a: <http://a/> .\na:x a:y a:z \n a:q .\n")
    import pyoxigraph as ox

    from graph.kb.build import parse_files

    with pytest.raises(DataError) as e:
        parse_files([bad], "urn:g", ox.Store())
    assert e.value.line == 3 and "bad.ttl" in str(e.value)
    assert isinstance(e.value, CoopmapError)


def test_derive_updates_give_the_construct_triples():
    """The derived graph is built by SPARQL updates inside Oxigraph; they agree with the CONSTRUCT queries."""
    import pyoxigraph as ox

    from graph.core.prefixes import GRAPH_IRIS
    from graph.kb.build import DERIVE_QUERIES, DERIVE_UPDATES, parse_files

    project, store = Project(), ox.Store()
    parse_files(project.ontology_files(), GRAPH_IRIS["ontology"], store)
    parse_files(project.data_files(), GRAPH_IRIS["data"], store)
    for u in DERIVE_UPDATES:
        store.update(u % {"g": GRAPH_IRIS["derived"]})
    derived = {(q.subject, q.predicate, q.object)
               for q in store.quads_for_pattern(None, None, None, ox.NamedNode(GRAPH_IRIS["derived"]))}
    expected = set()
    for q in DERIVE_QUERIES:
        expected |= {(t.subject, t.predicate, t.object) for t in store.query(q, use_default_graph_as_union=True)}
    assert derived == expected and len(derived) > 500


def test_first_compile_says_what_it_does_on_a_terminal_only(tmp_path):
    import pty

    env = {k: v for k, v in os.environ.items() if not k.startswith("COOPMAP_")}
    env.update(PYTHONPATH=str(REPO), COOPMAP_SOURCES=SOURCES, COOPMAP_CACHE=str(tmp_path / "tty"))
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-c", "import cli; cli.main()", "show", "ITM"], env=env, cwd=str(REPO),
                            stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    proc.communicate(timeout=300)
    os.close(master)
    seen = b"".join(chunks).decode("utf-8", "replace")
    assert proc.returncode == 0 and "Compiling the graph" in seen and "Checking the data" in seen, seen
    piped = coopmap("show", "ITM", cache=tmp_path / "pipe")
    assert piped.returncode == 0 and "Compiling" not in piped.stderr


def test_compiling_imports_no_rdflib(tmp_path):
    """The compile path is Oxigraph's parser and updates only (rdflib stays for validation and export)."""
    code = ("import sys; from pathlib import Path; from graph.kb.build import Project, build; "
            f"build(Project(cache_root=Path({str(tmp_path / 'c')!r})), validate=False); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('rdflib', 'pyshacl', 'owlrl')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=str(REPO),
                         env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=300)
    assert out.returncode == 0 and out.stdout.strip() == "[]", out.stdout + out.stderr


def test_many_problems_are_summed_up_not_dumped(tmp_path):
    data = copy_data(tmp_path)
    (data / "zz-bare.ttl").write_text("@prefix coop: <https://w3id.org/coopmap/def#> .\n"
                                      "@prefix actor: <https://w3id.org/coopmap/id/actor/> .\n"
                                      + "".join(f"actor:zz-bare-{i} a coop:Actor .\n" for i in range(30)))
    result = coopmap("show", "ITM", data=data, cache=tmp_path / "cache")
    assert_clean_failure(result, "the first 20", "coopmap validate", "zz-bare.ttl:3")
    assert len(result.stderr.splitlines()) < 60
