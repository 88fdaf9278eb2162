"""The map page's pure functions (graph/maps/templates/map-pure.js), run alone in node, without network.

The same strings go through the Python and the JavaScript ``fold``; a tour written in the page's editor
is read back by the CLI's tour loader.
"""

import json
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

from graph.maps.page import TEMPLATES

NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed")
PURE = TEMPLATES / "map-pure.js"


def js(expr, **args):
    """The JSON value of ``expr``, evaluated in node with ``Pure`` loaded and ``args`` bound as constants."""
    bind = "".join(f"const {k} = {json.dumps(v, ensure_ascii=False)};\n" for k, v in args.items())
    code = f"const Pure = require({json.dumps(str(PURE))});\n{bind}process.stdout.write(JSON.stringify({expr}));"
    out = subprocess.run([NODE, "-e", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


FOLD_CASES = ["Straße", "STRASSE", "Staatsanwaltschaft", "Großherzogliche Polizei", "Inspection du Travail et des Mines",
              "  Comité de suivi — ITM's ", "Œuvre", "ﬁnance", "İstanbul", "ẞ", "Dšk/čř 2024", "l'ONA", "Ministère",
              "parquet général", "MIGRATION–Partnership", "", "123 Ämter"]


def test_fold_is_the_same_in_python_and_javascript():
    from graph.kb.resolve import fold

    assert js("cases.map(Pure.fold)", cases=FOLD_CASES) == [fold(s) for s in FOLD_CASES]
    assert js("Pure.fold('Straße') === Pure.fold('STRASSE')")


def test_search_rank():
    keys = ["inspectorate of labour and mines", "itm"]
    assert js("[Pure.matchRank(k, 'itm'), Pure.matchRank(k, 'insp'), Pure.matchRank(k, 'labour'), Pure.matchRank(k, 'bour'),"
              " Pure.matchRank(k, 'zzz')]", k=keys) == [0, 1, 2, 3, 99]


def test_place_labels_never_covers_a_shape_or_another_label():
    import random

    rng = random.Random(4)
    items = [{"id": i, "x": rng.uniform(0, 600), "y": rng.uniform(0, 400), "r": rng.uniform(4, 14),
              "w": rng.uniform(20, 120), "h": 20, "imp": i} for i in range(150)]
    placed = dict(js("Array.from(Pure.placeLabels(items, 40, 3, 3, 2))", items=items))
    assert 0 < len(placed) <= 40
    boxes = {i["id"]: (i["x"] - i["r"], i["y"] - i["r"], i["x"] + i["r"], i["y"] + i["r"]) for i in items}
    labels = {}
    for i in items:
        if i["id"] in placed:
            top = i["y"] + i["r"] + 3 if placed[i["id"]] == "below" else i["y"] - i["r"] - 3 - i["h"]
            labels[i["id"]] = (i["x"] - i["w"] / 2, top, i["x"] + i["w"] / 2, top + i["h"])

    def hit(a, b):
        return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]

    for i, lab in labels.items():
        assert not any(hit(lab, box) for j, box in boxes.items() if j != i), i
        assert not any(hit(lab, other) for j, other in labels.items() if j != i), i


def test_label_budget_grows_with_zoom():
    assert js("[Pure.labelBudget(1, 1), Pure.labelBudget(2, 1), Pure.labelBudget(0.5, 1)]") == [35, 140, 35]


def test_state_round_trip():
    st = {"projector": True, "lang": "fr", "f": {"level": ["national", "eu"], "link": []}, "z": [1.25, -10.5, 33],
          "sel": 7, "step": 2, "hide": [9, 3], "focus": 4}
    back = js("Pure.decodeState('#' + Pure.encodeState(st))", st=st)
    assert back == {"projector": True, "lang": "fr", "f": {"level": ["eu", "national"], "link": []},
                    "z": [1.25, -10.5, 33], "sel": 7, "step": 2, "hide": [3, 9], "focus": 4}
    # a hand-edited or hostile fragment gives an empty or partial state, never an error
    assert js("Pure.decodeState('#lang=xx&z=a,b&step=-1&sel=%E0%A4%A&f.level=a%7Cb')") == {"f": {"level": ["a", "b"]}}


def test_step_header_says_the_last_step():
    words = {"step": "Step", "of": "of", "last": "last step"}
    assert js("[Pure.stepHeader('T', 'Detection', 0, 3, w), Pure.stepHeader('T', '', 2, 3, w)]", w=words) == [
        "T — Detection — Step 1 of 3", "T — Step 3 of 3 (last step)"]


def test_editor_tour_is_a_tour_file_the_cli_reads(tmp_path):
    import networkx as nx

    from graph.maps.tour import load_tour

    tour = {"title": 'Le "parcours" \\ ITM', "steps": [
        {"caption": "L'ITM signale\nau parquet", "actors": ["ITM", "Public Prosecutor's Office"], "links": []},
        {"caption": "", "actors": [], "links": ["https://w3id.org/coopmap/id/link/x1"]}]}
    text = js("Pure.tourToml(t)", t=tour)
    doc = tomllib.loads(text)
    assert doc["title"] == tour["title"] and doc["step"][0]["caption"] == tour["steps"][0]["caption"]
    assert doc["step"][1]["links"] == ["https://w3id.org/coopmap/id/link/x1"] and "caption" not in doc["step"][1]
    G = nx.MultiDiGraph(link_kinds={"notifies": {"label": "notifies", "referral": True}}, schemes={})
    for n, lab in (("i", "ITM"), ("p", "Public Prosecutor's Office")):
        G.add_node(n, label=lab, labels={"en": lab}, acronym="")
    G.add_edge("i", "p", key="https://w3id.org/coopmap/id/link/x1", kind="notifies", mirror=False,
               sources=[{"document": "d", "locator": "p. 2", "quote": "q"}])
    f = Path(tmp_path / "tour.toml")
    f.write_text(text, encoding="utf-8")
    names = {"ITM": "i", "Public Prosecutor's Office": "p"}
    t = load_tour(str(f), G, names.__getitem__)
    assert t["steps"][0]["nodes"] == ["i", "p"] and t["steps"][0]["caption"]["en"] == "L'ITM signale\nau parquet"
    assert t["steps"][1]["edges"] == [("i", "p", "https://w3id.org/coopmap/id/link/x1")]
    assert t["steps"][1]["caption"]["en"].startswith("ITM notifies Public Prosecutor's Office")


def test_group_pages():
    assert js("[Pure.pageOf([1,2,3,4,5], 1, 2), Pure.pageOf([1,2,3,4,5], 2, 2), Pure.pageOf([1,2,3], 9, 2)]") == [
        [1, 2], [1, 2, 3, 4], [1, 2, 3]]
