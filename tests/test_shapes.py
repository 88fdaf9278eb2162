"""The shapes accept valid examples and the real data, and reject every invalid example for the stated rule."""

import re
import shutil
from pathlib import Path

import pytest

from graph.kb.build import ROOT, Project
from graph.kb.validate import validate

HERE = Path(__file__).parent / "shapes"
VALID = sorted((HERE / "valid").glob("*.ttl"))
INVALID = sorted((HERE / "invalid").glob("*.ttl"))


def test_examples_exist():
    assert len(VALID) >= 1 and len(INVALID) >= 15


def _project(tmp_path, example):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(ROOT / "data" / "sources.ttl", data)
    shutil.copy(example, data / example.name)
    return Project(data_dir=data, cache_root=tmp_path / "cache")


@pytest.mark.parametrize("example", VALID, ids=lambda p: p.stem)
def test_valid_example_conforms(tmp_path, example):
    problems = validate(_project(tmp_path, example), check_quotes=True)
    assert problems == [], "\n".join(map(str, problems))


@pytest.mark.parametrize("example", INVALID, ids=lambda p: p.stem)
def test_invalid_example_is_rejected(tmp_path, example):
    expect = re.search(r"^# expect: (.+)$", example.read_text(), re.M).group(1).strip()
    problems = validate(_project(tmp_path, example), check_quotes=True)
    matching = [p for p in problems if expect in p.rule]
    assert matching, f"expected a '{expect}' problem, got:\n" + "\n".join(map(str, problems))
    # the message says where: the example file and a line in it
    assert all(p.file.endswith(example.name) and p.line for p in matching), "\n".join(map(str, matching))


def test_real_data_conforms(project):
    problems = validate(project, check_quotes=True)
    assert problems == [], "\n".join(map(str, problems))


# ---- the SPARQL translation of the shapes (graph.kb.shacl) agrees with pySHACL -------------------


def _both_engines(project):
    from graph.kb.build import load_dataset
    from graph.kb.validate import _Locator, _quiet_rdflib, shacl_problems

    store, locator = load_dataset(project), _Locator(project)
    with _quiet_rdflib():
        return (shacl_problems(store, project.shapes_file(), locator, engine="sparql"),
                shacl_problems(store, project.shapes_file(), locator, engine="pyshacl"))


@pytest.mark.parametrize("example", VALID + INVALID, ids=lambda p: p.stem)
def test_sparql_shapes_agree_with_pyshacl_on_examples(tmp_path, example):
    fast, reference = _both_engines(_project(tmp_path, example))
    assert fast == reference


def test_sparql_shapes_agree_with_pyshacl_on_real_and_synthetic_data(tmp_path):
    from graph.network.synthetic import generate

    assert _both_engines(Project(cache_root=tmp_path / "c1")) == ([], [])
    # a synthetic graph with broken facts: both engines find the same problems
    data = generate(200, seed=6, out_dir=tmp_path / "syn")
    text = (data / "links.ttl").read_text()
    text = text.replace("coop:linkKind lk:notifies ;", "coop:linkKind lk:notifies , lk:funds ;", 3)
    text = text.replace('"2024-0', '"2024-1', 5).replace("coop:to actor:syn-0001", "coop:to actor:nobody-", 2)
    (data / "links.ttl").write_text(text)
    fast, reference = _both_engines(Project(data_dir=data, cache_root=tmp_path / "c2"))
    assert fast == reference and len(fast) >= 5
