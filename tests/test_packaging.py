"""coopmap installs the way the ecosystem expects: a built wheel runs every command from any folder.

The wheel is built from this checkout and installed into a private folder (as pipx would into its own
venv), then run from an empty directory with no checkout in sight: the ontology, data and queries must
come from inside the package.
"""

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("wheel")
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                            "-w", str(tmp / "dist"), str(ROOT)], capture_output=True, text=True)
    assert build.returncode == 0, build.stderr
    wheels = list((tmp / "dist").glob("coopmap-*.whl"))
    assert len(wheels) == 1, wheels
    target = tmp / "site"
    inst = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target),
                           str(wheels[0])], capture_output=True, text=True)
    assert inst.returncode == 0, inst.stderr
    return wheels[0], target


def _run(target, cwd, *args):
    env = {k: v for k, v in os.environ.items() if k not in ("COOPMAP_DATA", "PYTHONPATH")}
    env.update(PYTHONPATH=str(target), COOPMAP_CACHE=str(cwd / "cache"))
    code = "import sys, cli; sys.argv = ['coopmap', *sys.argv[1:]]; cli.main()"
    return subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=300)


def test_the_wheel_ships_ontology_data_queries_and_licences(installed):
    wheel, _ = installed
    names = zipfile.ZipFile(wheel).namelist()
    for folder, suffix in (("ontology", ".ttl"), ("data", ".ttl"), ("queries", ".rq")):
        here = sorted(p.relative_to(ROOT / folder).as_posix() for p in (ROOT / folder).rglob(f"*{suffix}"))
        assert here, f"the glob found {folder}/*{suffix}"
        shipped = sorted(n.removeprefix(f"graph/{folder}/") for n in names if n.startswith(f"graph/{folder}/")
                         and n.endswith(suffix))
        assert shipped == here, f"{folder}/ differs between the checkout and the wheel"
    assert any(n.endswith("licenses/LICENSE") for n in names) and any(n.endswith("licenses/LICENSE-DATA") for n in names)


def test_the_installed_package_answers_from_an_empty_folder(installed, tmp_path):
    _, target = installed
    r = _run(target, tmp_path, "contact", "--from", "ITM", "--need", "victim-support", "--format", "json")
    assert r.returncode == 0, r.stderr
    answer = json.loads(r.stdout)
    assert answer, "an answer"
    assert "Traceback" not in r.stderr
    q = _run(target, tmp_path, "queries", "--format", "json")
    assert q.returncode == 0, q.stderr
    shipped = len(list((ROOT / "queries").glob("*.rq")))
    assert json.loads(q.stdout)["count"] == shipped > 0
    m = _run(target, tmp_path, "map", "-o", "map.html", "--projector")
    assert m.returncode == 0, m.stderr
    page = (tmp_path / "map.html").read_text(encoding="utf-8")
    assert "<script" in page and "vis-network" in page.lower()


def test_validate_without_the_source_documents_says_how_to_point_at_them(installed, tmp_path):
    _, target = installed
    env_missing = tmp_path / "no-sources-here"
    os.environ_backup = None
    r = subprocess.run([sys.executable, "-c", "import sys, cli; sys.argv = ['coopmap', 'validate']; cli.main()"],
                       cwd=tmp_path, capture_output=True, text=True, timeout=300,
                       env={**{k: v for k, v in os.environ.items() if k not in ("COOPMAP_DATA",)},
                            "PYTHONPATH": str(target), "COOPMAP_CACHE": str(tmp_path / "cache"),
                            "COOPMAP_SOURCES": str(env_missing)})
    assert r.returncode != 0
    assert "Traceback" not in r.stderr
    assert "COOPMAP_SOURCES" in r.stderr and str(env_missing) in r.stderr
