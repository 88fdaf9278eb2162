"""Fuzz the loader: random bytes and mutated Turtle give a graph or a clear error, never another exception."""

from pathlib import Path

import pyoxigraph as ox
import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

from graph.core.errors import CoopmapError  # noqa: E402
from graph.kb.build import ROOT, Project, parse_files  # noqa: E402
from graph.kb.validate import _FileText  # noqa: E402

_STATES = (ROOT / "data" / "actors" / "states.ttl").read_bytes()
SEED = _STATES[:_STATES.rfind(b" .\n", 0, 4000) + 3]  # whole statements only
SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def load(tmp_path: Path, data: bytes):
    """The loader's two steps on one file: find it in a data folder, then parse it; returns the store."""
    folder = tmp_path / "fuzz"
    folder.mkdir(exist_ok=True)
    path = folder / "fuzzed.ttl"
    path.write_bytes(data)
    files = Project(data_dir=folder).data_files()
    assert files == [path]
    store = ox.Store()
    try:
        parse_files(files, "urn:coopmap:graph:data", store)
    except CoopmapError as e:
        assert "fuzzed.ttl" in str(e) and "how to fix" in str(e)
        return None
    # a file that loads can also be located in (the validator's line index never raises)
    text = _FileText("fuzzed.ttl", path)
    for q in list(store)[:20]:
        if isinstance(q.subject, ox.NamedNode):
            text.line(q.subject.value)
    return store


@SETTINGS
@given(st.binary(max_size=400))
def test_random_bytes(tmp_path, data):
    load(tmp_path, data)


@st.composite
def mutated(draw):
    data = bytearray(SEED)
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["flip", "insert", "delete", "dup"]))
        i = draw(st.integers(0, len(data) - 1)) if data else 0
        if op == "flip" and data:
            data[i] = draw(st.integers(0, 255))
        elif op == "insert":
            data[i:i] = draw(st.sampled_from([b".", b";", b",", b"<", b">", b'"', b"\\", b"@prefix", b"#", b"\r",
                                              b"\x00", b"\xff", b"\xc3", b"^^", b"[", b"]", b"(", b"_:b", b"\"\"\""]))
        elif op == "delete" and data:
            del data[i:i + draw(st.integers(1, 40))]
        elif op == "dup" and data:
            j = draw(st.integers(i, min(len(data), i + 200)))
            data[j:j] = data[i:j]
    return bytes(data)


@SETTINGS
@given(mutated())
def test_mutated_turtle(tmp_path, data):
    load(tmp_path, data)


def test_the_seed_itself_loads(tmp_path):
    assert len(load(tmp_path, SEED)) > 10
