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
