"""The checks of `coopmap validate` beyond the shapes: layout, control characters, access labels, verdict cache."""

import json
import shutil
from pathlib import Path

import pytest

from graph.kb.build import ROOT, Project, build
from graph.kb.validate import Problem, errors, validate, validate_cached, warnings

DATA = ROOT / "data"

REDEFINE_ITM = """@prefix actor: <https://w3id.org/coopmap/id/actor/> .
@prefix coop: <https://w3id.org/coopmap/def#> .
@prefix kind: <https://w3id.org/coopmap/scheme/actor-kind/> .
@prefix mandate: <https://w3id.org/coopmap/scheme/mandate/> .
{pragma}
actor:lu-itm coop:actorKind kind:ngo ;
    coop:mandate mandate:funding .
"""


def project_with(tmp_path, name, text):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    (data / name).write_text(text, encoding="utf-8")
    return Project(data_dir=data, cache_root=tmp_path / "cache")


def line_of(path: Path, start: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line.startswith(start))


def test_subject_defined_in_two_files_names_both_places(tmp_path):
    project = project_with(tmp_path, "zz-extra.ttl", REDEFINE_ITM.format(pragma=""))
    found = [p for p in validate(project, check_quotes=False, shacl=False) if p.rule == "defined-twice"]
    assert len(found) == 1, "\n".join(map(str, found))
    p = found[0]
    national = project.data_dir / "actors" / "national.ttl"
    assert p.subject == "actor:lu-itm" and p.severity == "error"
    assert p.file.endswith("actors/national.ttl") and p.line == line_of(national, "actor:lu-itm ")
    assert "zz-extra.ttl:6" in p.message
    assert "# coopmap: extends actor:lu-itm" in p.fix
    with pytest.raises(Exception, match="defined in 2 files"):
        build(project)
    assert not list(project.cache_root.glob("*/meta.json"))


def test_declared_extension_is_accepted(tmp_path):
    project = project_with(tmp_path, "zz-extra.ttl", REDEFINE_ITM.format(pragma="# coopmap: extends actor:lu-itm"))
    assert not [p for p in validate(project, check_quotes=False, shacl=False) if p.rule == "defined-twice"]


def test_attaching_own_resources_is_not_a_redefinition():
    """data/contacts.ttl attaches its contact points to actors of data/actors/: that is no second definition."""
    project = Project()
    assert not [p for p in validate(project, check_quotes=False, shacl=False) if p.rule == "defined-twice"]


@pytest.mark.parametrize("label, char", [("\\u001b]0;pwned\\u0007Police", "U+001B"), ("Police\\u001b[2J", "U+001B"),
                                         ("ITM\\u202egnp.exe", "U+202E"), ("Two\\nlines", "U+000A")])
def test_control_characters_in_labels_are_refused(tmp_path, label, char):
    text = (DATA / "actors" / "states.ttl").read_text(encoding="utf-8")
    start = text.index("skos:prefLabel")
    quote = text.index('"', start)
    text = text[:quote + 1] + label + text[text.index('"', quote + 1):]
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    (data / "actors" / "states.ttl").write_text(text, encoding="utf-8")
    project = Project(data_dir=data, cache_root=tmp_path / "cache")
    found = [p for p in validate(project, check_quotes=False, shacl=False) if p.rule == "control-characters"]
    assert len(found) == 1 and char in found[0].message and found[0].severity == "error", found
    assert found[0].file.endswith("states.ttl") and found[0].line


def test_control_characters_in_other_texts_are_a_warning(tmp_path):
    """A condition or comment with an escape sequence is reported, as a warning: outputs strip it meanwhile."""
    text = (DATA / "links" / "referral.ttl").read_text(encoding="utf-8")
    start = text.index("coop:condition")
    quote = text.index('"', start)
    text = text[:quote + 1] + "\\u001b[2J" + text[quote + 1:]
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    (data / "links" / "referral.ttl").write_text(text, encoding="utf-8")
    project = Project(data_dir=data, cache_root=tmp_path / "cache")
    found = [p for p in validate(project, check_quotes=False, shacl=False) if p.rule == "control-characters"]
    assert len(found) == 1 and "U+001B" in found[0].message and found[0].severity == "warning", found


AMBER_TARGET = """@prefix actor: <https://w3id.org/coopmap/id/actor/> .
@prefix link: <https://w3id.org/coopmap/id/link/> .
@prefix coop: <https://w3id.org/coopmap/def#> .
@prefix kind: <https://w3id.org/coopmap/scheme/actor-kind/> .
@prefix level: <https://w3id.org/coopmap/scheme/level/> .
@prefix lk: <https://w3id.org/coopmap/scheme/link-kind/> .
@prefix tlp: <https://w3id.org/coopmap/scheme/tlp/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix doc: <https://w3id.org/coopmap/id/document/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .

actor:zz-secret a coop:Actor ; skos:prefLabel "Covert Liaison Desk"@en ; coop:actorKind kind:police-unit ;
    coop:level level:national ;
    coop:citation [ a coop:Citation ; prov:entity doc:emn-lu-2024-thb-international ; coop:locator "x" ;
        coop:quote "placeholder" ] ;
    dcterms:accessRights tlp:amber .

link:zz-itm-notifies-secret a coop:Link ; coop:linkKind lk:notifies ;
    coop:from actor:lu-itm ; coop:to actor:zz-secret ;
    coop:citation [ a coop:Citation ; prov:entity doc:emn-lu-2024-thb-international ; coop:locator "x" ;
        coop:quote "placeholder" ] ;
    dcterms:accessRights tlp:clear .
"""


def test_clear_fact_naming_an_amber_resource_warns(tmp_path):
    project = project_with(tmp_path, "zz-amber.ttl", AMBER_TARGET)
    found = [p for p in validate(project, check_quotes=False, shacl=False) if p.rule == "access-rights"]
    assert len(found) == 1, found
    p = found[0]
    assert p.severity == "warning" and p.subject == "link:zz-itm-notifies-secret"
    assert "TLP:CLEAR" in p.message and "actor:zz-secret" in p.message and "TLP:AMBER" in p.message
    assert p.file.endswith("zz-amber.ttl") and p.line == 19 and "tlp:amber" in p.fix


def test_verdict_is_cached_by_content_hash(tmp_path):
    project = Project(cache_root=tmp_path / "cache")
    first = validate_cached(project, check_quotes=False, shacl=False)
    files = list((tmp_path / "cache" / "verdicts").glob("*.json"))
    assert len(files) == 1 and json.loads(files[0].read_text()) == [p.as_dict() for p in first]
    # plant a verdict: a second call reads it instead of validating again
    planted = Problem(rule="planted", message="read from the cache", severity="warning")
    files[0].write_text(json.dumps([planted.as_dict()]))
    assert validate_cached(project, check_quotes=False, shacl=False) == [planted]
    # another data version gets its own verdict
    other = project_with(tmp_path / "other", "zz-extra.ttl", REDEFINE_ITM.format(pragma=""))
    assert any(p.rule == "defined-twice" for p in validate_cached(other, check_quotes=False, shacl=False))


def test_synthetic_documents_skip_quotes_with_a_warning(tmp_path):
    from graph.network.synthetic import generate

    data = generate(200, seed=5, out_dir=tmp_path / "syn")
    problems = validate(Project(data_dir=data, cache_root=tmp_path / "cache"), check_quotes=True, shacl=False)
    assert errors(problems) == [], "\n".join(map(str, problems[:5]))
    assert [p.rule for p in warnings(problems)] == ["quotes"] and "coop:synthetic" in problems[0].message


def test_real_data_has_no_synthetic_document_and_no_warning():
    problems = validate(Project(), check_quotes=True, shacl=False)
    assert problems == [], "\n".join(map(str, problems))
