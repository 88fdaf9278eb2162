"""Validate the graph: SHACL shapes, declared terms, dangling references and verbatim quotes.

Each check yields :class:`Problem` objects that name the file, the line, the subject, the rule broken
and how to fix it. :func:`validate` returns them all (an empty list means the graph conforms).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Problem", "validate", "shacl_problems", "term_problems", "reference_problems", "quote_problems"]

_COOP_NS = ("https://w3id.org/coopmap/def#", "https://w3id.org/coopmap/scheme/")
_ID_NS = "https://w3id.org/coopmap/id/"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data."""

    rule: str
    message: str
    subject: str = ""
    file: str = ""
    line: int | None = None
    fix: str = ""

    def __str__(self):
        where = f"{self.file}:{self.line}" if self.file and self.line else (self.file or "<graph>")
        text = f"{where}: {self.subject}: {self.message} [{self.rule}]" if self.subject else \
            f"{where}: {self.message} [{self.rule}]"
        return text + (f"\n    how to fix: {self.fix}" if self.fix else "")

    def as_dict(self):
        return {"file": self.file, "line": self.line, "subject": self.subject, "rule": self.rule,
                "message": self.message, "fix": self.fix}


# ---------------------------------------------------------------------------- locating subjects


class _Locator:
    """Finds the file and line that define a subject, for error messages."""

    def __init__(self, project):
        import pyoxigraph as ox
        from graph.kb.build import _relative
        from graph.core.namespaces import PREFIXES

        self.files = {}
        self.texts = {}
        self.compact = {}
        for path in project.ontology_files() + project.data_files():
            rel = _relative(path)
            self.texts[rel] = path.read_text(encoding="utf-8")
            try:
                for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
                    if isinstance(q.subject, ox.NamedNode):
                        self.files.setdefault(q.subject.value, rel)
            except SyntaxError:
                continue
        self.prefixes = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))

    def short(self, iri: str) -> str:
        for k, ns in self.prefixes:
            if iri.startswith(ns) and re.fullmatch(r"[\w.-]+", iri[len(ns):] or "-"):
                return f"{k}:{iri[len(ns):]}"
        return f"<{iri}>"

    def locate(self, iri: str):
        rel = self.files.get(iri)
        if not rel:
            return "", None
        pattern = re.compile(r"^[ \t]*(" + re.escape(self.short(iri)) + r"|<" + re.escape(iri) + r">)(\s|$)", re.M)
        m = pattern.search(self.texts[rel])
        return rel, (self.texts[rel].count("\n", 0, m.start()) + 1 if m else None)


def _owner(graph, node):
    """The IRI subject a blank node hangs from (a citation's actor or link), else the node itself."""
    from rdflib import BNode

    seen = set()
    while isinstance(node, BNode) and node not in seen:
        seen.add(node)
        parents = list(graph.subjects(None, node))
        if not parents:
            break
        node = parents[0]
    return node


# ---------------------------------------------------------------------------- checks


def _rdflib_graph(store):
    """The union of the dataset's graphs as an rdflib Graph (for pySHACL)."""
    import pyoxigraph as ox
    import rdflib

    triples = (ox.Triple(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, None))
    g = rdflib.Graph()
    g.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    return g


def shacl_problems(graph, shapes_file: Path, locator):
    """Run pySHACL with ``shapes_file`` over ``graph``; one problem per validation result."""
    import pyshacl
    import rdflib
    from rdflib.namespace import SH

    shapes = rdflib.Graph().parse(shapes_file, format="turtle")
    conforms, report, _ = pyshacl.validate(graph, shacl_graph=shapes, inference="none",
                                           abort_on_first=False, allow_warnings=True, advanced=False)
    problems = []
    if conforms:
        return problems
    for r in report.subjects(rdflib.RDF.type, SH.ValidationResult):
        focus = report.value(r, SH.focusNode)
        owner = _owner(graph, focus)
        path = report.value(r, SH.resultPath)
        msg = str(report.value(r, SH.resultMessage) or "does not conform")
        value = report.value(r, SH.value)
        comp = str(report.value(r, SH.sourceConstraintComponent) or "").rsplit("#", 1)[-1]
        if (comp == "NodeConstraintComponent" and msg.startswith("Value does not conform to Shape")) \
                or path == rdflib.URIRef("http://www.w3.org/2004/02/skos/core#inScheme"):
            continue  # wrappers of nested shapes: the nested result or the property's own message says it
        file, line = locator.locate(str(owner))
        subject = locator.short(str(owner))
        if owner != focus:
            subject += " (in a nested resource, e.g. a citation)"
        text = msg if value is None else f"{msg} (found {value!s:.80})"
        rule = f"shacl:{locator.short(str(path)) if path is not None else ''}:{comp}"
        fix = msg.split(": ", 1)[1] if ": " in msg else ""
        problems.append(Problem(rule=rule, message=text.split(": ", 1)[0] if fix else text, subject=subject,
                                file=file, line=line, fix=fix))
    return sorted(set(problems), key=lambda p: (p.file, p.line or 0, p.message))


def term_problems(store, locator):
    """Terms used in data/ that no vocabulary declares (catches typos such as ``rdfs:subClasOf``)."""
    from rdflib import URIRef
    from rdflib.namespace import DCTERMS, ORG, OWL, PROV, RDF, RDFS, SDO, SKOS, TIME, XSD

    from graph.core.namespaces import ELI, GRAPHS
    from graph.kb.store import select

    reused = [DCTERMS, ORG, OWL, PROV, RDF, RDFS, SDO, SKOS, TIME, XSD, ELI]
    declared = {r["s"] for r in select(store, f"SELECT DISTINCT ?s WHERE {{ GRAPH <{GRAPHS['ontology']}> {{ ?s ?p ?o }} }}")}
    used = select(store, f"""SELECT DISTINCT ?t ?s WHERE {{ GRAPH <{GRAPHS['data']}> {{
        {{ ?s ?t ?o }} UNION {{ ?s a ?t }} UNION {{ ?s ?p ?t FILTER(isIRI(?t)) }} }} }}""")
    problems, seen = [], set()
    for row in used:
        t = row["t"]
        if t in seen:
            continue
        ours = t.startswith(_COOP_NS)
        ns_match = [ns for ns in reused if t.startswith(str(ns._NS if hasattr(ns, "_NS") else ns))]
        bad = (ours and t not in declared) or (ns_match and URIRef(t) not in ns_match[0])
        if bad:
            seen.add(t)
            file, line = locator.locate(row["s"])
            problems.append(Problem(rule="declared-terms", message=f"uses {locator.short(t)}, which no vocabulary declares",
                                    subject=locator.short(row["s"]), file=file, line=line,
                                    fix="check the spelling against ontology/coopmap.ttl, ontology/schemes.ttl or the reused vocabulary"))
    return problems


def reference_problems(store, locator):
    """IRIs under the data namespace that are referenced but never described."""
    from graph.kb.store import select

    rows = select(store, f"""SELECT DISTINCT ?s ?o WHERE {{ ?s ?p ?o .
        FILTER(isIRI(?o) && STRSTARTS(STR(?o), "{_ID_NS}"))
        FILTER NOT EXISTS {{ ?o a ?type }} }}""")
    problems = []
    for r in rows:
        owner = r["s"]
        file, line = locator.locate(owner)
        problems.append(Problem(rule="dangling-reference", message=f"refers to {locator.short(r['o'])}, which is not defined in data/",
                                subject=locator.short(owner), file=file, line=line,
                                fix="define it (with its type, labels and citation) or correct the IRI"))
    return problems


def quote_problems(store, locator, sources=None):
    """Citations whose quote is not verbatim in the cited document."""
    from graph.kb.sources import find_quote, sources_dir
    from graph.kb.store import select

    folder = Path(sources) if sources else sources_dir()
    if not folder.is_dir():
        return [Problem(rule="quotes", message=f"the source documents folder {folder} does not exist",
                        fix="set COOPMAP_SOURCES to the folder of plain-text source documents (../shared/sources)")]
    rows = select(store, """SELECT ?s ?c ?quote ?file ?loc WHERE {
        ?s coop:citation ?c . ?c prov:entity ?doc ; coop:quote ?quote .
        OPTIONAL { ?c coop:locator ?loc } OPTIONAL { ?doc coop:fileName ?file } }""")
    problems = []
    for r in rows:
        file, line = locator.locate(r["s"])
        subject = locator.short(r["s"])
        if not r["file"] or not (folder / r["file"]).exists():
            problems.append(Problem(rule="quotes", message=f"cites a document with no file in {folder}", subject=subject,
                                    file=file, line=line, fix="cite one of the documents in data/sources.ttl"))
        elif not find_quote(r["quote"], r["file"], str(folder)):
            problems.append(Problem(rule="quotes", message=f"quote not found verbatim in {r['file']} ({r['loc']}): {r['quote'][:90]!r}",
                                    subject=subject, file=file, line=line,
                                    fix="copy the quote exactly from the document (footnote markers, '*' and whitespace may differ)"))
    return problems


def validate(project=None, store=None, check_quotes: bool | str = "if-available", sources=None):
    """All problems in the project's graph; an empty list when it conforms.

    Parameters
    ----------
    project : graph.kb.build.Project, optional
    store : pyoxigraph.Store, optional
        An already parsed dataset (from :func:`graph.kb.build.load_dataset`).
    check_quotes : bool or "if-available"
        Check every quote against the source documents; "if-available" skips it when the sources folder
        is absent (an installed copy without ``../shared``).
    """
    from graph.kb.build import default_project, load_dataset
    from graph.kb.sources import sources_dir

    project = project or default_project()
    store = store if store is not None else load_dataset(project)
    locator = _Locator(project)
    problems = term_problems(store, locator) + reference_problems(store, locator)
    problems += shacl_problems(_rdflib_graph(store), project.shapes_file(), locator)
    folder = Path(sources) if sources else sources_dir()
    if check_quotes is True or (check_quotes == "if-available" and folder.is_dir()):
        problems += quote_problems(store, locator, sources)
    return problems
