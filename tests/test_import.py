"""Curators' import: spreadsheet rows to validated Turtle; bad rows rejected by number; export then import, same graph."""

import csv
import shutil

import pytest

from graph.kb.build import ROOT


@pytest.fixture(scope="module")
def exported(project, tmp_path_factory):
    from graph.network.exports import export_network, write_csv
    from graph.network.view import load_view

    folder = tmp_path_factory.mktemp("csv")
    write_csv(export_network(load_view(project), "csv"), folder)
    return folder


def test_export_then_import_into_an_empty_folder_gives_an_equal_graph(exported, tmp_path, project, invoke):
    from graph.kb.build import Project, load_dataset
    from graph.network.exports import csv_tables, flat_view
    from graph.network.view import build_view, load_view

    target = tmp_path / "data"
    target.mkdir()
    r = invoke("import", str(exported / "actors.csv"), str(exported / "links.csv"),
               "--sources", str(exported / "sources.csv"), "--into", str(target))
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in target.iterdir()) == ["imported-actors.ttl", "imported-links.ttl"]
    # the documents and instruments the rows cite come from the project, as when importing into data/
    for name in ("sources.ttl", "instruments.ttl"):
        shutil.copy(ROOT / "data" / name, target)
    G2 = build_view(load_dataset(Project(data_dir=target, cache_root=tmp_path / "cache")))
    G = load_view(project)
    H, H2 = flat_view(G), flat_view(G2)
    assert dict(H.nodes(data=True)) == dict(H2.nodes(data=True))
    assert sorted(H.edges(keys=True, data=True)) == sorted(H2.edges(keys=True, data=True))
    assert csv_tables(G, H) == csv_tables(G2, H2)  # citations included


def _write(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


ACTOR_HEAD = ["ID", "Label", "Type", "Level", "Document", "Locator", "Quote"]
QUOTE = "At present, the service can only be contacted on working days during office hours."
LINK_HEAD = ["ID", "From", "To", "Type", "Status", "Document", "Locator", "Quote"]


def test_a_bad_row_is_rejected_with_its_number_and_reason_and_nothing_is_written(tmp_path, invoke):
    actors, links = tmp_path / "actors.csv", tmp_path / "links.csv"
    _write(actors, ACTOR_HEAD, [["actor:new-desk", "New desk", "support-service", "national",
                                 "emn-lu-2024-thb-international", "Q14b", QUOTE]])
    _write(links, LINK_HEAD, [["link:ok", "actor:new-desk", "actor:lu-itm", "notifies", "",
                               "emn-lu-2024-thb-international", "Q14b", QUOTE],
                              ["link:bad", "actor:new-desk", "actor:lu-itm", "telepathy", "",
                               "emn-lu-2024-thb-international", "Q14b", QUOTE]])
    target = tmp_path / "out"
    target.mkdir()
    r = invoke("import", str(actors), str(links), "--into", str(target))
    assert r.exit_code == 1
    assert "links.csv row 3: Type 'telepathy' is not a concept of the link-kind scheme" in r.output
    assert "nothing was written" in r.output
    assert list(target.iterdir()) == []


def test_a_row_whose_quote_is_not_in_its_document_is_rejected_by_validation(tmp_path):
    from graph.kb.imports import ImportError_, import_csv

    actors = tmp_path / "actors.csv"
    _write(actors, ACTOR_HEAD, [["actor:desk-a", "Desk A", "support-service", "national",
                                 "emn-lu-2024-thb-international", "Q14b", QUOTE],
                                ["actor:desk-b", "Desk B", "support-service", "national",
                                 "emn-lu-2024-thb-international", "Q14b", "a sentence no document contains"]])
    with pytest.raises(ImportError_) as e:
        import_csv(actors, into=tmp_path / "out", check_quotes=True)
    assert [(p.file, p.row) for p in e.value.problems] == [("actors.csv", 3)]
    assert "quote" in e.value.problems[0].reason.lower()
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_good_rows_become_turtle_that_parses_and_validates(tmp_path):
    import pyoxigraph as ox

    from graph.kb.imports import import_csv

    actors = tmp_path / "actors.csv"
    _write(actors, ACTOR_HEAD + ["Label (fr)", "Mandates"],
           [["actor:desk-a", "Desk A", "support-service", "national", "emn-lu-2024-thb-international", "Q14b", QUOTE,
             "Guichet A", "victim-support"]])
    result = import_csv(actors, into=tmp_path / "out", check_quotes=True)
    assert result["actors"] == 1 and [p.name for p in result["written"]] == ["imported-actors.ttl"]
    triples = list(ox.parse(path=str(result["written"][0]), format=ox.RdfFormat.TURTLE))
    names = {t.object.value for t in triples if t.predicate.value.endswith("prefLabel")}
    assert names == {"Desk A", "Guichet A"}
    citations = [t.object for t in triples if t.predicate.value.endswith("#citation")]
    assert len(citations) == 1 and isinstance(citations[0], ox.BlankNode)  # as hand-written; an IRI after compiling
