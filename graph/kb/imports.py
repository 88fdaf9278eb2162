"""Curators' import: spreadsheet rows (the CSV export's columns, plus Document, Locator, Quote) to validated Turtle.

``actors.csv`` and ``links.csv`` have the columns of :mod:`graph.network.exports` (Kumu's element and
connection layout). Each row also cites its source in ``Document`` (a document id such as
``emn-lu-2024-thb-international``), ``Locator`` and ``Quote``; a row without them takes its citations
from an optional ``sources.csv`` (ID, Document, Locator, Quote), so an export imports back as it is.
Several rows with the same ID add citations to one resource.

Rows become Turtle that is validated like hand-written data (SHACL shapes, declared terms, references,
verbatim quotes) together with the Turtle already in the target folder. A bad row is reported with its
file, row number and reason, and nothing is written. Links of origin ``structure`` (units, institutions
of a state: the actors' Parent and Country columns) and ``agreement`` (parties to an instrument, from
``instruments.ttl``) are derived, not imported.
"""

from __future__ import annotations

import csv
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from graph.core.errors import CoopmapError

__all__ = ["ImportError_", "RowProblem", "read_rows", "rows_to_turtle", "import_csv"]

_ID = "https://w3id.org/coopmap/id/"
_COOP = "https://w3id.org/coopmap/def#"
_SCHEME = "https://w3id.org/coopmap/scheme/"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_ORG = "http://www.w3.org/ns/org#"
_SDO = "https://schema.org/"
_DCT = "http://purl.org/dc/terms/"
_PROV = "http://www.w3.org/ns/prov#"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_XSD = "http://www.w3.org/2001/XMLSchema#"
SEP = "|"


@dataclass(frozen=True)
class RowProblem:
    """One rejected row: file name, row number (the header is row 1) and the reason."""

    file: str
    row: int
    reason: str

    def __str__(self):
        return f"{self.file} row {self.row}: {self.reason}"


class ImportError_(CoopmapError):
    """Rows that cannot be imported; nothing was written. ``problems`` lists them."""

    def __init__(self, problems):
        self.problems = list(problems)
        lines = "\n".join(f"  {p}" for p in self.problems[:50])
        more = f"\n  … and {len(self.problems) - 50} more" if len(self.problems) > 50 else ""
        super().__init__(f"{len(self.problems)} row problem(s); nothing was written:\n{lines}{more}")


def _unsafe(text: str) -> str:
    """Undo the export's formula guard (a ``'`` before a leading ``= + - @``)."""
    return text[1:] if text[:2] in ("'=", "'+", "'-", "'@", "'\t", "'\r") else text


def read_rows(path) -> list[tuple[int, dict]]:
    """``[(row number, {header: value})]`` of a CSV file (UTF-8, with or without BOM); the header is row 1."""
    path = Path(path)
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            reader = csv.DictReader(f)
            return [(i, {k.strip(): _unsafe((v or "").strip()) for k, v in row.items() if k})
                    for i, row in enumerate(reader, start=2)]
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise CoopmapError(f"Cannot read {path}: {e}") from None


def _concepts(store):
    """``{scheme name: {notation: concept IRI}}`` from the ontology."""
    from graph.kb.store import select

    out = {}
    for r in select(store, """SELECT ?c ?n ?s WHERE { ?c skos:inScheme ?s ; skos:notation ?n }"""):
        if r["s"].startswith(_SCHEME):
            out.setdefault(r["s"][len(_SCHEME):], {})[str(r["n"])] = r["c"]
    return out


def _iri(value: str, space: str) -> str | None:
    """A full IRI under ``id/space/``, from an IRI, a CURIE (``actor:x``) or a bare slug."""
    value = value.strip()
    if value.startswith(_ID):
        return value if re.fullmatch(r"[^\s<>\"{}|\\^`]+", value) else None
    slug = value.split(":", 1)[1] if ":" in value else value
    if ":" in value and value.split(":", 1)[0] not in ("actor", "link", "mship", "instr", "doc"):
        return None
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", slug):
        return None
    prefix = {"actor": "actor/", "link": "link/", "mship": "membership/", "instr": "instrument/", "doc": "document/"}
    head = value.split(":", 1)[0] if ":" in value else space
    return _ID + prefix.get(head, space + "/") + slug


def _date(value: str):
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return "date"
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return "gYearMonth"
    if re.fullmatch(r"\d{4}", value):
        return "gYear"
    return None


class _Builder:
    def __init__(self, concepts):
        import pyoxigraph as ox

        self.ox = ox
        self.concepts = concepts
        self.triples = []
        self.problems = []
        self.subjects = {}  # IRI -> (file, row)

    def bad(self, file, row, reason):
        self.problems.append(RowProblem(file, row, reason))

    def add(self, s, p, o):
        self.triples.append(self.ox.Triple(self.ox.NamedNode(s), self.ox.NamedNode(p), o))

    def iri(self, value):
        return self.ox.NamedNode(value)

    def text(self, value, lang=None):
        return self.ox.Literal(value, language=lang) if lang else self.ox.Literal(value)

    def concept(self, file, row, s, p, scheme, cell, column, many=True):
        values = [v.strip() for v in cell.split(SEP) if v.strip()] if many else ([cell.strip()] if cell.strip() else [])
        for v in values:
            c = self.concepts.get(scheme, {}).get(v)
            if c is None:
                known = ", ".join(sorted(self.concepts.get(scheme, {}))[:12])
                self.bad(file, row, f"{column} '{v}' is not a concept of the {scheme} scheme (e.g. {known})")
            else:
                self.add(s, p, self.iri(c))

    def dates(self, file, row, s, rec, pairs):
        for column, pred in pairs:
            v = rec.get(column, "")
            if not v:
                continue
            dt = _date(v)
            if dt is None:
                self.bad(file, row, f"{column} '{v}' is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")
            else:
                self.add(s, pred, self.ox.Literal(v, datatype=self.ox.NamedNode(_XSD + dt)))

    def ref(self, file, row, s, p, cell, space, column, many=True):
        values = [v.strip() for v in cell.split(SEP) if v.strip()] if many else ([cell.strip()] if cell.strip() else [])
        for v in values:
            iri = _iri(v, space)
            if iri is None:
                self.bad(file, row, f"{column} '{v}' is not an IRI or id")
            else:
                self.add(s, p, self.iri(iri))

    def cite(self, file, row, s, rec, sources):
        from graph.kb.derived import citation_iri

        given = [rec.get(c, "") for c in ("Document", "Locator", "Quote")]
        if any(given) and not all(given):
            self.bad(file, row, "Document, Locator and Quote go together: give all three or none")
            return
        cites = [tuple(given)] if all(given) else list(sources.get(s, ()))
        if not cites:
            self.bad(file, row, "no citation: fill Document, Locator and Quote (or list the ID in sources.csv)")
        for doc, loc, quote in cites:
            d = _iri(doc, "document")
            if d is None:
                self.bad(file, row, f"Document '{doc}' is not a document id")
                continue
            # a blank node, as in hand-written data (the compiler gives it its stable IRI after validation)
            c = self.ox.BlankNode("c" + citation_iri(s, d, loc, quote).rsplit("/", 1)[-1])
            self.triples += [self.ox.Triple(self.ox.NamedNode(s), self.ox.NamedNode(_COOP + "citation"), c),
                             self.ox.Triple(c, self.ox.NamedNode(_RDF + "type"), self.iri(_COOP + "Citation")),
                             self.ox.Triple(c, self.ox.NamedNode(_PROV + "entity"), self.iri(d)),
                             self.ox.Triple(c, self.ox.NamedNode(_COOP + "locator"), self.text(loc)),
                             self.ox.Triple(c, self.ox.NamedNode(_COOP + "quote"), self.text(quote))]

    def access(self, file, row, s, rec):
        self.concept(file, row, s, _DCT + "accessRights", "tlp", rec.get("Access") or "clear", "Access", many=False)


def _actor_rows(b, file, rows, sources):
    seen = {}
    for n, rec in rows:
        raw = rec.get("ID", "")
        s = _iri(raw, "actor") if raw else None
        if s is None:
            b.bad(file, n, f"ID '{raw}' is not an actor IRI or id" if raw else "ID is empty")
            continue
        if s in seen:  # another row for the same actor: one more citation
            b.cite(file, n, s, rec, {})
            continue
        seen[s] = n
        b.subjects[s] = (file, n)
        if not rec.get("Label"):
            b.bad(file, n, "Label (the English name) is empty")
        b.add(s, _RDF + "type", b.iri(_COOP + "Actor"))
        for column, lang in (("Label", "en"), ("Label (fr)", "fr"), ("Label (de)", "de")):
            if rec.get(column):
                b.add(s, _SKOS + "prefLabel", b.text(rec[column], lang))
        names = [x.strip() for x in rec.get("Other names", "").split(SEP) if x.strip()]
        if rec.get("Acronym") and rec["Acronym"] not in names:
            names.append(rec["Acronym"])
        for name in names:
            b.add(s, _SKOS + "altLabel", b.text(name))
        if not rec.get("Type"):
            b.bad(file, n, "Type (the actor kind) is empty")
        b.concept(file, n, s, _COOP + "actorKind", "actor-kind", rec.get("Type", ""), "Type")
        if not rec.get("Level"):
            b.bad(file, n, "Level is empty (national, regional, eu or international)")
        b.concept(file, n, s, _COOP + "level", "level", rec.get("Level", ""), "Level", many=False)
        b.concept(file, n, s, _COOP + "mandate", "mandate", rec.get("Mandates", ""), "Mandates")
        b.concept(file, n, s, _COOP + "crimeArea", "crime-area", rec.get("Crime areas", ""), "Crime areas")
        b.concept(file, n, s, _COOP + "phase", "phase", rec.get("Phases", ""), "Phases")
        b.concept(file, n, s, _SDO + "areaServed", "area", rec.get("Area", ""), "Area")
        if rec.get("Placeholder", "").lower() in ("true", "yes", "1"):
            b.add(s, _RDF + "type", b.iri(_COOP + "Placeholder"))
        if rec.get("Stands for"):
            b.add(s, _COOP + "standsFor", b.text(rec["Stands for"], "en"))
        if rec.get("Vagueness"):
            b.add(s, _COOP + "vagueness", b.text(rec["Vagueness"], "en"))
        b.ref(file, n, s, _COOP + "country", rec.get("Country", ""), "actor", "Country", many=False)
        b.ref(file, n, s, _ORG + "subOrganizationOf", rec.get("Parent", ""), "actor", "Parent", many=False)
        b.dates(file, n, s, rec, (("Valid from", _SDO + "startDate"), ("Valid to", _SDO + "endDate")))
        b.access(file, n, s, rec)
        b.cite(file, n, s, rec, sources)


def _link_rows(b, file, rows, sources, kind_reads):
    seen = set()
    skipped = 0
    for n, rec in rows:
        origin = rec.get("Origin") or "link"
        if origin in ("structure", "agreement"):
            skipped += 1
            continue
        if origin not in ("link", "membership"):
            b.bad(file, n, f"Origin '{origin}' is not link, membership, structure or agreement")
            continue
        space = "link" if origin == "link" else "membership"
        raw = rec.get("ID", "")
        s = _iri(raw, space) if raw else None
        if s is None:
            b.bad(file, n, f"ID '{raw}' is not a {space} IRI or id" if raw else "ID is empty")
            continue
        if s in seen:
            b.cite(file, n, s, rec, {})
            continue
        seen.add(s)
        b.subjects[s] = (file, n)
        for column in ("From", "To"):
            if not rec.get(column):
                b.bad(file, n, f"{column} is empty")
        kind = rec.get("Type", "")
        if origin == "link":
            b.add(s, _RDF + "type", b.iri(_COOP + "Link"))
            if not kind:
                b.bad(file, n, "Type (the link kind) is empty")
            b.concept(file, n, s, _COOP + "linkKind", "link-kind", kind, "Type", many=False)
            b.ref(file, n, s, _COOP + "from", rec.get("From", ""), "actor", "From", many=False)
            b.ref(file, n, s, _COOP + "to", rec.get("To", ""), "actor", "To", many=False)
            ends = [rec.get(c, "").rsplit("/", 1)[-1] for c in ("From", "To")]
            label = f"{ends[0]} {kind_reads.get(kind, kind)} {ends[1]}"
            b.add(s, _RDFS + "label", b.text(label, "en"))
            b.concept(file, n, s, _COOP + "appliesWhen", "case-condition", rec.get("Applies when", ""), "Applies when")
            b.concept(file, n, s, _COOP + "independentOf", "case-condition", rec.get("Independent of", ""), "Independent of")
            b.concept(file, n, s, _COOP + "phase", "phase", rec.get("Phases", ""), "Phases")
            b.concept(file, n, s, _COOP + "crimeArea", "crime-area", rec.get("Crime areas", ""), "Crime areas")
        else:
            if kind and kind != "member-of":
                b.bad(file, n, f"a membership row has Type member-of, not '{kind}'")
            b.add(s, _RDF + "type", b.iri(_ORG + "Membership"))
            b.ref(file, n, s, _ORG + "member", rec.get("From", ""), "actor", "From", many=False)
            b.ref(file, n, s, _ORG + "organization", rec.get("To", ""), "actor", "To", many=False)
            b.concept(file, n, s, _ORG + "role", "role", rec.get("Role", ""), "Role", many=False)
        if rec.get("Condition"):
            b.add(s, _COOP + "condition", b.text(rec["Condition"], "en"))
        if rec.get("Vagueness"):
            b.add(s, _COOP + "vagueness", b.text(rec["Vagueness"], "en"))
        b.concept(file, n, s, _COOP + "serves", "mandate", rec.get("Serves", ""), "Serves")
        b.concept(file, n, s, _SDO + "areaServed", "area", rec.get("Area", ""), "Area")
        b.concept(file, n, s, _COOP + "status", "status", rec.get("Status", ""), "Status", many=False)
        b.ref(file, n, s, _COOP + "legalBasis", rec.get("Legal basis", ""), "instrument", "Legal basis")
        b.dates(file, n, s, rec, (("Valid from", _SDO + "startDate"), ("Valid to", _SDO + "endDate"),
                                  ("Stated on", _COOP + "statedOn")))
        b.access(file, n, s, rec)
        b.cite(file, n, s, rec, sources)
    return skipped


def rows_to_turtle(actor_rows, link_rows, concepts, sources=None, kind_reads=None, names=("actors.csv", "links.csv")):
    """``(actors Turtle, links Turtle, row problems, subject -> (file, row), skipped rows)``."""
    import pyoxigraph as ox

    from graph.kb.export import _prefixes, _sort_key

    b = _Builder(concepts)
    _actor_rows(b, names[0], actor_rows, sources or {})
    n_actor = len(b.triples)
    skipped = _link_rows(b, names[1], link_rows, sources or {}, kind_reads or {})
    prefixes = {k: v for k, v in _prefixes().items()}

    def ttl(triples):
        if not triples:
            return ""
        head = "# Imported by `coopmap import` from spreadsheet rows; edit like any other data file.\n"
        body = ox.serialize(sorted(set(triples), key=_sort_key), format=ox.RdfFormat.TURTLE, prefixes=prefixes)
        return head + body.decode("utf-8")

    return ttl(b.triples[:n_actor]), ttl(b.triples[n_actor:]), b.problems, b.subjects, skipped


def _sources_index(path):
    out = {}
    if path is None:
        return out
    for _, rec in read_rows(path):
        s = rec.get("ID", "")
        if s and all(rec.get(c) for c in ("Document", "Locator", "Quote")):
            iri = s if s.startswith(_ID) else None
            if iri:
                out.setdefault(iri, []).append((rec["Document"], rec["Locator"], rec["Quote"]))
    return out


def import_csv(actors_csv, links_csv=None, into=None, sources_csv=None, check_quotes="if-available",
               context_files=None, names=("imported-actors.ttl", "imported-links.ttl")):
    """Turn ``actors_csv`` and ``links_csv`` rows into Turtle files in folder ``into``, validated first.

    Parameters
    ----------
    actors_csv, links_csv : path
        The spreadsheets (``links_csv`` may be None).
    into : path, optional
        The data folder the files go to (default: the project's data folder). The new Turtle is validated
        together with the Turtle already there and ``context_files`` (read, never written; by default the
        project's ``sources.ttl`` and ``instruments.ttl`` when the folder has none, so rows may cite its
        documents and instruments). Only problems in the new rows are reported.
    sources_csv : path, optional
        Citations (ID, Document, Locator, Quote) for rows that give none.

    Returns
    -------
    dict
        ``written`` (paths), ``actors``, ``links`` (resources imported), ``skipped`` (derived rows left out).

    Raises
    ------
    ImportError_
        With each bad row's file, number and reason; nothing is written.
    """
    from graph.kb.build import Project, default_project
    from graph.kb.validate import validate

    project = default_project()
    into = Path(into) if into else project.data_dir
    if context_files is None:  # documents and instruments the rows may cite, when the folder lacks them
        context_files = [p for p in (project.data_dir / "sources.ttl", project.data_dir / "instruments.ttl")
                         if p.exists() and not (into / p.name).exists()]
    targets = [into / n for n in names]
    for t in targets:
        if t.exists():
            raise CoopmapError(f"{t} already exists: move it away or import into another folder.")
    actor_rows = read_rows(actors_csv)
    link_rows = read_rows(links_csv) if links_csv else []
    file_names = (Path(actors_csv).name, Path(links_csv).name if links_csv else "links.csv")

    from graph.kb.store import select

    import pyoxigraph as ox

    from graph.core.namespaces import GRAPHS
    from graph.kb.build import parse_files

    onto = ox.Store()
    parse_files(project.ontology_files(), GRAPHS["ontology"], onto)
    concepts = _concepts(onto)
    reads = {r["n"]: r["l"] for r in select(onto, """SELECT ?n ?l WHERE {
        ?k skos:inScheme <https://w3id.org/coopmap/scheme/link-kind> ;
        skos:notation ?n ; skos:prefLabel ?l FILTER(lang(?l) = "en") }""")}
    actors_ttl, links_ttl, problems, subjects, skipped = rows_to_turtle(
        actor_rows, link_rows, concepts, _sources_index(sources_csv), reads, names=file_names)
    if problems:
        raise ImportError_(problems)
    # validate the new files with the folder's Turtle (and the context files) in a staging copy
    stage = Path(tempfile.mkdtemp(prefix="coopmap-import-"))
    try:
        data = stage / "data"
        data.mkdir()
        if into.is_dir():
            for p in sorted(into.rglob("*.ttl")):
                dest = data / "existing" / p.relative_to(into)
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(p, dest)
        for i, p in enumerate(context_files):
            dest = data / "context" / f"{i}-{Path(p).name}"
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(p, dest)
        staged = [data / names[0], data / names[1]]
        for path, text in zip(staged, (actors_ttl, links_ttl)):
            if text:
                path.write_text(text, encoding="utf-8")
        found = validate(Project(data_dir=data, ontology_dir=project.ontology_dir, cache_root=stage / "cache"),
                         check_quotes=check_quotes)
        mine = [p for p in found if p.file and Path(p.file).name in names]
        if mine:
            raise ImportError_([_row_problem(p, subjects, file_names) for p in mine])
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    from graph.core.files import atomic_write

    into.mkdir(parents=True, exist_ok=True)
    written = []
    for t, text in zip(targets, (actors_ttl, links_ttl)):
        if text:
            atomic_write(t, text)
            written.append(t)
    kinds = {"actors": sum(1 for f, _ in subjects.values() if f == file_names[0])}
    kinds["links"] = len(subjects) - kinds["actors"]
    return {"written": written, **kinds, "skipped": skipped}


def _row_problem(p, subjects, file_names):
    from graph.core.prefixes import PREFIXES

    subject = (p.subject or "").split(" (in a nested resource")[0]
    if ":" in subject and not subject.startswith("http"):
        head, tail = subject.split(":", 1)
        subject = PREFIXES.get(head, head + ":") + tail
    file, row = subjects.get(subject, (file_names[0], 0))
    return RowProblem(file, row, f"{p.message}" + (f" ({p.fix})" if p.fix else ""))
