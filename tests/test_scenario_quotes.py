"""The coordinator scenarios (tests/scenarios/coordinator.toml) quote their sources verbatim.

Every expected answer of a scenario rests on sentences of the source documents. This test checks the
scenario file itself, not coopmap: enough cases, each with a justification, and each quote found word for
word in the document it names (whitespace may differ; footnote markers such as ¹⁰⁷ and '*' are ignored).

The sources are found through the environment variable COOPMAP_SOURCES, or else in ../shared/sources
relative to the repository root; document ids map to files through the table in the sources' README.md.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "tests" / "scenarios" / "coordinator.toml"
MIN_CASES = 20
OPTION_VALUES = {
    "victim": {"child", "adult"},
    "nationality": {"eu", "third-country"},
    "exploitation": {"sexual", "labour", "criminal"},
    "cooperates": {"yes", "no"},
    "when": {"office-hours", "night"},
    "region": {"lu", "benelux", "greater-region", "eu", "non-eu"},
}
_MARKERS = str.maketrans("", "", "⁰¹²³⁴⁵⁶⁷⁸⁹*")


def sources_dir() -> Path:
    """The folder holding the source documents and their README."""
    env = os.environ.get("COOPMAP_SOURCES")
    return Path(env) if env else (ROOT / ".." / "shared" / "sources").resolve()


def normalise(text: str) -> str:
    """Drop superscript footnote digits and '*', collapse whitespace.

    >>> normalise("the ITM¹⁰⁷  has\\n been *increasing*")
    'the ITM has been increasing'
    """
    return " ".join(text.translate(_MARKERS).split())


def document_files(folder: Path) -> dict[str, Path]:
    """Map each document id to its file, read from the README table (`| `id` | `file` | ...`)."""
    readme = (folder / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\|\s*`([^`]+)`\s*\|\s*`([^`]+)`\s*\|", readme, flags=re.MULTILINE)
    return {doc_id: folder / name for doc_id, name in rows}


@pytest.fixture(scope="module")
def cases() -> list[dict]:
    with SCENARIOS.open("rb") as fh:
        return tomllib.load(fh)["case"]


@pytest.fixture(scope="module")
def documents() -> dict[str, str]:
    folder = sources_dir()
    if not (folder / "README.md").is_file():
        pytest.fail(f"No source documents at {folder}: set COOPMAP_SOURCES to the folder holding README.md.")
    files = document_files(folder)
    assert files, f"No document table found in {folder / 'README.md'}"
    return {doc_id: normalise(path.read_text(encoding="utf-8")) for doc_id, path in files.items()}


def test_enough_cases(cases):
    assert len(cases) >= MIN_CASES, f"{len(cases)} scenarios; at least {MIN_CASES} are required"


def test_case_ids_unique(cases):
    ids = [c["id"] for c in cases]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_every_case_is_well_formed(cases):
    problems = []
    for c in cases:
        cid = c.get("id", "?")
        for key in ("id", "story", "from", "need"):
            if not c.get(key):
                problems.append(f"{cid}: no {key}")
        expect = c.get("expect", {})
        if not (expect.get("first") or expect.get("top3") or expect.get("never") or expect.get("first_contact")):
            problems.append(f"{cid}: expects nothing")
        if expect.get("first") and expect["first"] not in expect.get("top3", [expect["first"]]):
            problems.append(f"{cid}: first {expect['first']!r} is not in its top3")
        if len(expect.get("top3", [])) > 3:
            problems.append(f"{cid}: more than three names in top3")
        clash = set(expect.get("never", [])) & ({expect.get("first")} | set(expect.get("top3", [])))
        if clash:
            problems.append(f"{cid}: {sorted(clash)} both expected and never")
        for opt, value in c.get("options", {}).items():
            if value not in OPTION_VALUES.get(opt, ()):
                problems.append(f"{cid}: option {opt} = {value!r} is not one of {sorted(OPTION_VALUES.get(opt, []))}")
    assert not problems, "\n".join(problems)


def test_every_case_is_justified(cases):
    unjustified = [c["id"] for c in cases if not c.get("justification")]
    assert not unjustified, f"cases without a justification: {unjustified}"
    incomplete = [
        f"{c['id']}: justification {i}"
        for c in cases
        for i, j in enumerate(c.get("justification", []))
        if not all(j.get(k) for k in ("document", "locator", "quote"))
    ]
    assert not incomplete, f"justifications lacking document, locator or quote: {incomplete}"


def test_every_quote_is_verbatim(cases, documents):
    missing = []
    for c in cases:
        for j in c.get("justification", []):
            doc = documents.get(j["document"])
            if doc is None:
                missing.append(f"{c['id']}: unknown document id {j['document']!r}")
            elif normalise(j["quote"]) not in doc:
                missing.append(f"{c['id']} ({j['locator']}): not verbatim in {j['document']}: {j['quote'][:90]!r}…")
    assert not missing, "\n".join(missing)
