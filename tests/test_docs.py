"""Every command has help with examples and is documented; the README opens with the two set-up commands."""

import re

import pytest

from cli import main
from graph.kb.build import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = README + "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").glob("*.md")))
COMMANDS = sorted(main.commands)


def test_commands_found():
    assert {"validate", "export", "actors", "show", "contact", "path", "centrality", "gaps", "diff", "query",
            "queries", "map"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_help_with_examples(invoke, name):
    result = invoke(name, "--help")
    assert result.exit_code == 0
    assert "Examples:" in result.output or "Example:" in result.output, f"`coopmap {name} --help` shows no example"


@pytest.mark.parametrize("name", COMMANDS)
def test_command_is_documented(name):
    assert re.search(rf"coopmap {name}\b", DOCS), f"`coopmap {name}` is not in README.md or docs/"


def test_readme_opens_with_two_setup_commands():
    head = README.split("\n---", 1)[0]
    blocks = re.findall(r"```bash\n(.+?)\n```", head, re.S)
    assert len(blocks) == 2 and all("\n" not in b for b in blocks)
    assert "coopmap" in blocks[0] and "pytest" in blocks[1]


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_command = re.findall(r"```bash\n(.+?)\n```", README, re.S)[1]
    assert test_command in ci
