"""Every quote in every citation is verbatim in its document: the proof that the graph says what the documents say."""

import pytest

from graph.kb.sources import find_quote, normalise, sources_dir
from graph.kb.store import select


def test_sources_are_present():
    files = sorted(sources_dir().glob("*.txt"))
    assert len(files) == 5, f"expected the five source documents in {sources_dir()} (set COOPMAP_SOURCES)"


def test_every_quote_is_verbatim(store):
    rows = select(store, """SELECT ?s ?quote ?file ?loc WHERE {
        ?s coop:citation ?c . ?c prov:entity/coop:fileName ?file ; coop:quote ?quote ; coop:locator ?loc }""")
    assert len(rows) > 200, "the graph should carry hundreds of citations"
    missing = [f"{r['s']} ({r['loc']}): {r['quote']!r}" for r in rows if not find_quote(r["quote"], r["file"])]
    assert not missing, "\n".join(missing)


def test_every_document_is_cited(store):
    rows = select(store, "SELECT DISTINCT ?doc WHERE { ?c a coop:Citation ; prov:entity/dcterms:identifier ?doc }")
    assert {r["doc"] for r in rows} == {
        "lu-2019-crime-prevention-smuggling", "mpf-2019-law-enforcement-cooperation", "interpol-2015-smuggling-strategy",
        "iom-counter-smuggling-approach", "emn-lu-2024-thb-international"}


@pytest.mark.parametrize("changed", [
    "it notifies the Public Prosecutor's Office and the Judicial Police",   # a word changed
    "it informs the Public Prosecutor's Office and the Grand Ducal Police",  # a verb changed
])
def test_an_altered_quote_is_not_found(changed):
    assert not find_quote(changed, "004_6bc0f450d645583f.txt")


def test_normalise_ignores_markers_emphasis_and_spacing():
    assert normalise("Monitoring Committee\u00b3)  which *was*\n established") == "Monitoring Committee) which was established"
