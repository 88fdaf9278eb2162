"""contact, path, centrality, gaps and diff end to end through the CLI: output formats, exit codes, messages."""

import csv
import io
import json

import pytest

ACTOR = "https://w3id.org/coopmap/id/actor/"


def test_contact_table_answers_in_five_lines_and_explains_on_request(invoke):
    r = invoke("contact", "--from", "ITM", "--need", "victim-support", "--exploitation", "labour")
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("1. "))
    assert first < 5 and lines[first].startswith("1. InfoTraite")
    block = lines[first:lines.index("", first)]
    assert any(line.startswith("   why: ITM") and "identification" in line for line in block)
    assert any(line.startswith("   reach: ") for line in block)
    assert any(line.startswith("   source: emn-lu-2024-thb-international, Q16, endnote 112") for line in block)
    assert "Ranked by" not in r.output and "--explain" in r.output
    full = invoke("contact", "--from", "ITM", "--need", "victim-support", "--exploitation", "labour", "--explain").output
    assert "Named actors before unnamed ones" in full and "phase: identification" in full and "legal basis:" in full
    assert "source: emn-lu-2024-thb-international, Q16, endnote 112: \u201c" in full


def test_contact_help_states_the_ranking_rule(invoke):
    out = invoke("contact", "--help").output
    assert "Ranking:" in out and "fewest steps" in out and "--explain" in out and "--region" in out


def test_contact_json_carries_the_sources(invoke):
    r = invoke("contact", "--from", "Inspection du travail et des mines", "--need", "Victim-Support", "--format", "json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.output)
    assert doc["query"]["from_iri"] == ACTOR + "lu-itm" and doc["query"]["need"] == "victim-support"
    assert doc["answers"] and all(step["sources"] for a in doc["answers"] for step in a["path"])
    assert all({"document", "locator", "quote"} <= set(s) for a in doc["answers"] for st in a["path"] for s in st["sources"])
    assert doc["ranking_rule"].startswith("When a region is given")
    # JSON carries everything, the vagueness notes included: exactly ContactAnswer.to_dict()
    steps = [st for a in doc["answers"] for st in a["path"]]
    assert all("vagueness" in st and "inferred" in st for st in steps) and any(st["vagueness"] for st in steps)


def test_contact_csv_one_row_per_step(invoke):
    r = invoke("contact", "--from", "ITM", "--need", "prosecution", "--format", "csv")
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(io.StringIO(r.output)))
    assert rows and rows[0]["target"] == "Public Prosecutor's Office" and rows[0]["step"] == "1"
    assert list(rows[0]) == ["rank", "target", "hops", "step", "from", "reads", "to", "mode", "phase", "legal_basis",
                             "condition", "availability", "vagueness", "notes", "link", "sources"]


def test_contact_night_and_without(invoke):
    night = invoke("contact", "--from", "ITM", "--need", "victim-support", "--when", "night", "--format", "json")
    doc = json.loads(night.output)
    assert ACTOR + "lu-infotraite" not in {a["iri"] for a in doc["answers"]}
    assert any("office hours only" in (s.get("excluded_because") or "") for e in doc["excluded"] for s in e["path"])
    r = invoke("contact", "--from", "ITM", "--need", "victim-support", "--without", "InfoTraite")
    assert r.exit_code == 0 and "Without InfoTraite" in r.output and "lost: InfoTraite" in r.output


def test_unknown_actor_suggests_names(invoke):
    r = invoke("contact", "--from", "ITN", "--need", "victim-support")
    assert r.exit_code == 1
    assert "Error: No actor called 'ITN'. Did you mean: ITM (Inspectorate of Labour and Mines)" in r.output
    assert "Traceback" not in r.output


def test_unknown_mandate_lists_choices(invoke):
    r = invoke("contact", "--from", "ITM", "--need", "hugs")
    assert r.exit_code == 1
    assert "Error: Unknown mandate 'hugs'. Choose one of: border-management," in r.output
    assert "victim-support" in r.output


@pytest.mark.parametrize("args, message", [
    (["contact", "--from", "ITM", "--need", "victim-support", "--as-of", "soon"], "'soon' is not a date"),
    (["contact", "--from", "ITM", "--need", "victim-support", "--victim", "teen"], "Invalid value for '--victim'"),
    (["contact", "--from", "ITM", "--need", "victim-support", "--without", "ITM"], "--without names the actor you are asking from"),
    (["diff", "--from", "2024", "--to", "2020"], "swap them"),
    (["centrality", "--metric", "fame"], "Invalid value for '--metric'"),
])
def test_bad_input_gives_a_clear_error(invoke, args, message):
    r = invoke(*args)
    assert r.exit_code != 0 and message in r.output and "Traceback" not in r.output


def test_path_json_and_no_path(invoke):
    r = invoke("path", "ITM", "Public Prosecutor's Office", "--format", "json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.output)
    assert doc["hops"] == 1 and doc["directed"] and doc["rows"][0]["steps"][0]["links"][0]["sources"]
    r = invoke("path", "ITM", "Public Prosecutor's Office", "--kinds", "funds")
    assert r.exit_code == 1 and "No path between ITM (Inspectorate of Labour and Mines) and Public Prosecutor's Office along funds" in r.output
    r = invoke("path", "ITM", "InfoTraite", "--kinds", "hugs")
    assert r.exit_code == 1 and "Unknown link kind(s): hugs" in r.output


def test_centrality_gaps_diff_formats(invoke):
    r = invoke("centrality", "--metric", "betweenness", "--top", "3")
    assert r.exit_code == 0 and "meaning: brokers between otherwise separate groups" in r.output and "method: exact" in r.output
    doc = json.loads(invoke("centrality", "--metric", "pagerank", "--scope", "national", "--format", "json").output)
    assert len(doc["rows"]) == 10 and {r["level"] for r in doc["rows"]} == {"national"}
    g = invoke("gaps", "--format", "json")
    assert g.exit_code == 0 and json.loads(g.output)["count"] == len(json.loads(g.output)["rows"])
    d = invoke("diff", "--from", "2023", "--to", "2024-12")
    assert d.exit_code == 0 and "appeared" in d.output and "reachable 24-7" in d.output
    rows = list(csv.DictReader(io.StringIO(invoke("diff", "--from", "2023", "--to", "2024-12", "--format", "csv").output)))
    assert rows and set(rows[0]) == {"change", "what", "subject", "start", "end", "status", "step", "iri", "sources"}


@pytest.mark.parametrize("command", ["contact", "path", "centrality", "gaps", "diff"])
def test_every_command_has_help_with_examples(invoke, command):
    r = invoke(command, "--help")
    assert r.exit_code == 0 and "Examples:" in r.output and "--format" in r.output


def test_docs_show_the_answer_exactly_as_it_prints(invoke):
    """Every `coopmap contact` with its output in docs/contact.md prints exactly that output today."""
    import re
    import shlex
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[1] / "docs" / "contact.md").read_text(encoding="utf-8")
    blocks = [b for b in re.findall(r"```console\n(.+?)\n```", doc, re.S)
              if b.startswith("$ coopmap contact") and not b.splitlines()[1].startswith("$")]
    assert len(blocks) >= 3, "docs/contact.md shows contact answers"
    for block in blocks:
        command, shown = block.split("\n", 1)
        r = invoke(*shlex.split(command)[2:])
        assert r.exit_code == 0, r.output
        assert r.output.rstrip("\n") == shown, (
            f"docs/contact.md is out of date for `{command[2:]}`: paste the command's output there")
