"""Validate the graph: SHACL shapes, declared terms, dangling references and verbatim quotes.

Each check yields :class:`Problem` objects that name the file, the line, the subject, the rule broken
and how to fix it. :func:`validate` returns them all (an empty list means the graph conforms).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from graph.core.prefixes import GRAPH_IRIS, PREFIXES
from graph.kb.rows import select

__all__ = ["Problem", "validate", "validate_cached", "counts", "errors", "warnings", "shacl_problems", "term_problems",
           "reference_problems", "quote_problems", "layout_problems", "label_problems", "access_problems"]

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
    severity: str = "error"

    def __str__(self):
        where = f"{self.file}:{self.line}" if self.file and self.line else (self.file or "<graph>")
        if self.severity != "error":
            where += f": {self.severity}"
        text = f"{where}: {self.subject}: {self.message} [{self.rule}]" if self.subject else \
            f"{where}: {self.message} [{self.rule}]"
        return text + (f"\n    how to fix: {self.fix}" if self.fix else "")

    def as_dict(self):
        return {"file": self.file, "line": self.line, "subject": self.subject, "rule": self.rule,
                "message": self.message, "fix": self.fix, "severity": self.severity}


def counts(store) -> dict:
    """``{"quads", "actors", "links", "citations"}`` of a loaded dataset: what ``validate`` reports when all is well."""
    row = select(store, """SELECT (COUNT(DISTINCT ?a) AS ?actors) (COUNT(DISTINCT ?l) AS ?links)
        (COUNT(DISTINCT ?c) AS ?citations)
        WHERE { { ?a a coop:Actor } UNION { ?l a coop:Link } UNION { ?c a coop:Citation } }""")[0]
    return {"quads": len(store), **row}


def errors(problems):
    """The problems that make the graph non-conforming (the others are warnings)."""
    return [p for p in problems if p.severity == "error"]


def warnings(problems):
    """The problems that are only warnings: the graph still compiles."""
    return [p for p in problems if p.severity != "error"]


# ---------------------------------------------------------------------------- locating subjects

#: A statement-starting token at the beginning of a line: a prefixed name or an <IRI>.
_TOKEN = re.compile(r"^([ \t]*)(<[^>\s]*>|[A-Za-z][\w.-]*:[^\s;,()\[\]\"'<>#]*)", re.M)
_PREFIX_DECL = re.compile(r"^[ \t]*(?:@prefix|PREFIX)\s+([\w.-]*):\s*<([^>]*)>", re.M | re.I)
#: ``# coopmap: extends actor:a actor:b``: this file adds statements to subjects defined in another file.
_EXTENDS = re.compile(r"^[ \t]*#[ \t]*coopmap:[ \t]*extends[ \t]+(.+?)[ \t]*$", re.M)
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


class _FileText:
    """One file's text, read once; its line index is built on first use, in one pass."""

    def __init__(self, rel: str, path: Path):
        self.rel, self.path = rel, path
        try:
            self.text = path.read_bytes().decode("utf-8", errors="replace")
        except OSError:
            self.text = ""
        self.prefixes = [(k, ns) for k, ns in _PREFIX_DECL.findall(self.text)]
        self._lines = None

    def _index(self):
        first, indented, line, pos = {}, {}, 1, 0
        for m in _TOKEN.finditer(self.text):
            line += self.text.count("\n", pos, m.start())
            pos = m.start()
            token = m.group(2).rstrip(".")
            (indented if m.group(1) else first).setdefault(token, line)
        self._lines = (first, indented)

    def names(self, iri: str):
        """The ways this file can write ``iri``: ``<iri>`` and a prefixed name per matching prefix."""
        out = [f"<{iri}>"]
        for k, ns in self.prefixes + list(PREFIXES.items()):
            if ns and iri.startswith(ns):
                out.append(f"{k}:{iri[len(ns):]}")
        return out

    def line(self, iri: str):
        """The line where ``iri`` starts a statement (a line-start subject first), or None."""
        if self._lines is None:
            self._index()
        first, indented = self._lines
        for table in (first, indented):
            for name in self.names(iri):
                if name in table:
                    return table[name]
        return None

    def extends(self):
        """The IRIs this file declares it extends (``# coopmap: extends ...`` comments)."""
        out = set()
        for m in _EXTENDS.finditer(self.text):
            for name in m.group(1).replace(",", " ").split():
                if name.startswith("<") and name.endswith(">"):
                    out.add(name[1:-1])
                elif ":" in name:
                    k, local = name.split(":", 1)
                    ns = dict(list(PREFIXES.items()) + self.prefixes).get(k)
                    if ns:
                        out.add(ns + local)
        return out


class _Locator:
    """Finds the files and lines that define a subject, for error messages.

    Every ontology and data file is parsed once (Oxigraph's parser, no store): the files each IRI subject
    appears in, and which of them type it. A line is looked up only when a problem names a subject, and
    a file's line index is built the first time one of its subjects is located. So locating is linear
    in the size of the data.
    """

    def __init__(self, project):
        import pyoxigraph as ox
        from graph.kb.dataset import _relative

        self.files: list[_FileText] = []
        self.subjects: dict[str, list[int]] = {}  # IRI -> indexes of the files it is a subject in
        self.typed: set = set()  # (IRI, file index) where the file gives it an rdf:type
        self.sizes: list[int] = []  # statements per file
        data = set(project.data_files())
        rdf_type = RDF_TYPE
        for path in project.ontology_files() + sorted(data):
            f = _FileText(_relative(path), path)
            idx = len(self.files)
            here, typed, n = {}, set(), 0
            try:
                for q in ox.parse(f.text.encode("utf-8"), format=ox.RdfFormat.TURTLE):
                    n += 1
                    subject = q.subject
                    if isinstance(subject, ox.NamedNode):
                        v = subject.value
                        here[v] = None
                        if q.predicate.value == rdf_type:
                            typed.add((v, idx))
            except (SyntaxError, ValueError, OSError):
                continue  # the compile reports it; nothing to locate in a file that does not parse
            for v in here:
                self.subjects.setdefault(v, []).append(idx)
            self.typed |= typed
            self.sizes.append(n)
            self.files.append(f)
        self.data_files = {f.rel for f in self.files if f.path in data}
        self.prefixes = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))
        self._memo = {}

    def statements(self, idx: int, subjects: set):
        """``{subject: [object, ...]}`` for the given IRI subjects in file ``idx`` (a second parse)."""
        import pyoxigraph as ox

        out = {}
        for q in ox.parse(self.files[idx].text.encode("utf-8"), format=ox.RdfFormat.TURTLE):
            subject = q.subject
            if isinstance(subject, ox.NamedNode) and subject.value in subjects:
                out.setdefault(subject.value, []).append(q.object)
        return out

    def short(self, iri: str) -> str:
        for k, ns in self.prefixes:
            if iri.startswith(ns) and re.fullmatch(r"[\w.-]+", iri[len(ns):] or "-"):
                return f"{k}:{iri[len(ns):]}"
        return f"<{iri}>"

    def places(self, iri: str):
        """``[(file, line), ...]``: every file where ``iri`` is a subject, files that type it first."""
        if iri not in self._memo:
            found = sorted(self.subjects.get(iri, []), key=lambda i: ((iri, i) not in self.typed, i))
            self._memo[iri] = [(self.files[i].rel, self.files[i].line(iri)) for i in found]
        return self._memo[iri]

    def locate(self, iri: str):
        places = self.places(iri)
        return places[0] if places else ("", None)


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


def _pyshacl_results(store, shapes_file: Path):
    """pySHACL's results as ``(owner IRI, nested, path, component, message, value)``."""
    import pyshacl
    import rdflib
    from rdflib.namespace import SH

    graph = _rdflib_graph(store)
    shapes = rdflib.Graph().parse(shapes_file, format="turtle")
    conforms, report, _ = pyshacl.validate(graph, shacl_graph=shapes, inference="none",
                                           abort_on_first=False, allow_warnings=True, advanced=False)
    out = []
    if conforms:
        return out
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
        out.append((str(owner), owner != focus, str(path) if path is not None else None, comp, msg,
                    None if value is None else str(value)))
    return out


def _oxigraph_owner(store, node):
    """The IRI subject a blank node hangs from (a citation's actor or link), else the node itself."""
    import pyoxigraph as ox

    seen = set()
    while isinstance(node, ox.BlankNode) and node not in seen:
        seen.add(node)
        parents = [q.subject for q in store.quads_for_pattern(None, None, node, None)]
        if not parents:
            break
        node = parents[0]
    return node


def _sparql_results(store, shapes_file: Path):
    """The results of :mod:`graph.kb.shacl` (the shapes as SPARQL in Oxigraph), in the same form."""
    from graph.kb.shacl import run_shapes

    out = []
    for r in run_shapes(store, shapes_file):
        owner = _oxigraph_owner(store, r.focus)
        out.append((owner.value if hasattr(owner, "value") else str(owner), owner != r.focus, r.path, r.component,
                    r.message, None if r.value is None else r.value.value))
    return out


def shacl_problems(store, shapes_file: Path, locator, engine: str = "auto"):
    """The SHACL shapes of ``shapes_file`` over ``store``; one problem per validation result.

    ``engine`` is "sparql" (:mod:`graph.kb.shacl`, fast), "pyshacl", or "auto": the SPARQL translation,
    falling back to pySHACL when the shapes use a construct it does not translate.
    """
    from graph.kb.shacl import Unsupported

    if engine == "pyshacl":
        results = _pyshacl_results(store, shapes_file)
    else:
        try:
            results = _sparql_results(store, shapes_file)
        except Unsupported:
            if engine == "sparql":
                raise
            results = _pyshacl_results(store, shapes_file)
    problems = []
    for owner, nested, path, comp, msg, value in results:
        file, line = locator.locate(owner)
        subject = locator.short(owner)
        if nested:
            subject += " (in a nested resource, e.g. a citation)"
        text = msg if value is None else f"{msg} (found {value!s:.80})"
        rule = f"shacl:{locator.short(path) if path is not None else ''}:{comp}"
        fix = msg.split(": ", 1)[1] if ": " in msg else ""
        problems.append(Problem(rule=rule, message=text.split(": ", 1)[0] if fix else text, subject=subject,
                                file=file, line=line, fix=fix))
    return sorted(set(problems), key=lambda p: (p.file, p.line or 0, p.message))


def term_problems(store, locator):
    """Terms used in data/ that no vocabulary declares (catches typos such as ``rdfs:subClasOf``)."""
    from rdflib import URIRef
    from rdflib.namespace import DCTERMS, ORG, OWL, PROV, RDF, RDFS, SDO, SKOS, TIME, XSD

    from graph.core.namespaces import ELI, GRAPHS

    reused = [DCTERMS, ORG, OWL, PROV, RDF, RDFS, SDO, SKOS, TIME, XSD, ELI]
    declared = {r["s"] for r in select(store, f"SELECT DISTINCT ?s WHERE {{ GRAPH <{GRAPHS['ontology']}> {{ ?s ?p ?o }} }}")}
    terms = select(store, f"""SELECT DISTINCT ?t WHERE {{ GRAPH <{GRAPHS['data']}> {{
        {{ ?s ?t ?o }} UNION {{ ?s ?p ?t FILTER(isIRI(?t)) }} }} }}""")
    spaces = [str(ns._NS if hasattr(ns, "_NS") else ns) for ns in reused]
    problems = []
    for row in terms:  # every distinct term once; a subject is looked up only for the undeclared ones
        t = row["t"]
        ours = t.startswith(_COOP_NS)
        ns_match = [ns for ns, space in zip(reused, spaces) if t.startswith(space)]
        if not ((ours and t not in declared) or (ns_match and URIRef(t) not in ns_match[0])):
            continue
        user = select(store, f"""SELECT ?s WHERE {{ GRAPH <{GRAPHS['data']}> {{
            {{ ?s <{t}> ?o }} UNION {{ ?s ?p <{t}> }} }} FILTER(isIRI(?s)) }} LIMIT 1""")
        s = user[0]["s"] if user else ""
        file, line = locator.locate(s) if s else ("", None)
        problems.append(Problem(rule="declared-terms", message=f"uses {locator.short(t)}, which no vocabulary declares",
                                subject=locator.short(s) if s else "", file=file, line=line,
                                fix="check the spelling against ontology/coopmap.ttl, ontology/schemes.ttl or the "
                                    "reused vocabulary"))
    return problems


def reference_problems(store, locator):
    """IRIs under the data namespace that are referenced but never described."""

    rows = select(store, f"""SELECT DISTINCT ?s ?o WHERE {{ ?s ?p ?o .
        FILTER(isIRI(?o) && STRSTARTS(STR(?o), "{_ID_NS}"))
        FILTER NOT EXISTS {{ ?o a ?type }} }}""")
    problems = []
    for r in rows:
        owner = r["s"]
        file, line = locator.locate(owner)
        problems.append(Problem(rule="dangling-reference",
                                message=f"refers to {locator.short(r['o'])}, which is not defined in data/",
                                subject=locator.short(owner), file=file, line=line,
                                fix="define it (with its type, labels and citation) or correct the IRI"))
    return problems


def quote_problems(store, locator, sources=None):
    """Citations whose quote is not verbatim in the cited document.

    Documents marked ``coop:synthetic true`` (generated benchmark data) have no text: their citations
    are not checked, and one warning says how many were skipped.
    """
    from graph.kb.sources import find_quote, sources_dir

    rows = select(store, """SELECT ?s ?quote ?file ?loc ?synthetic WHERE {
        ?s coop:citation ?c . ?c prov:entity ?doc ; coop:quote ?quote .
        OPTIONAL { ?c coop:locator ?loc } OPTIONAL { ?doc coop:fileName ?file }
        OPTIONAL { ?doc coop:synthetic ?synthetic } }""")
    problems = []
    synthetic = [r for r in rows if r["synthetic"] is True]
    if synthetic:
        problems.append(Problem(rule="quotes", severity="warning",
                                message=f"{len(synthetic)} citation(s) cite documents marked coop:synthetic true: "
                                        "their quotes are not checked",
                                fix="synthetic data is for benchmarks only; real facts cite real documents"))
        rows = [r for r in rows if r["synthetic"] is not True]
    if not rows:
        return problems
    folder = Path(sources) if sources else sources_dir()
    if not folder.is_dir():
        return problems + [Problem(rule="quotes", message=f"the source documents folder {folder} does not exist",
                                   fix="set COOPMAP_SOURCES to the folder of plain-text source documents "
                                       "(../shared/sources)")]
    exists = {}
    for r in rows:
        name = r["file"]
        if name and name not in exists:
            exists[name] = (folder / name).is_file() and "/" not in name and name not in (".", "..")
        if not name or not exists[name]:
            file, line = locator.locate(r["s"])
            problems.append(Problem(rule="quotes", message=f"cites a document with no file in {folder}",
                                    subject=locator.short(r["s"]), file=file, line=line,
                                    fix="cite one of the documents in data/sources.ttl"))
        elif not find_quote(r["quote"], name, str(folder)):
            file, line = locator.locate(r["s"])
            problems.append(Problem(rule="quotes", message=f"quote not found verbatim in {name} ({r['loc']}): "
                                                           f"{r['quote'][:90]!r}",
                                    subject=locator.short(r["s"]), file=file, line=line,
                                    fix="copy the quote exactly from the document (footnote markers, '*' and "
                                        "whitespace may differ)"))
    return problems


def layout_problems(locator):
    """Silent wrong answers from the data's layout.

    - A subject defined in two files (``actor:lu-itm`` given another kind and mandate in a second file)
      is an error naming both places, unless the second file declares the extension with a comment
      ``# coopmap: extends actor:lu-itm``. A file may always attach its own resources to a subject
      defined elsewhere (``actor:lu-itm schema:contactPoint contact:itm-page`` beside ``contact:itm-page``).
    - An empty data file, and data without any actor, are warnings.
    """
    import pyoxigraph as ox

    problems = []
    candidates = {v: idxs for v, idxs in locator.subjects.items() if len(idxs) > 1}
    statements: dict[str, dict[int, list]] = {}
    for idx in sorted({i for idxs in candidates.values() for i in idxs}):
        for v, objects in locator.statements(idx, set(candidates)).items():
            statements.setdefault(v, {})[idx] = objects
    extends = {}
    for v, by_file in sorted(statements.items()):
        defining = []
        for idx, objects in by_file.items():
            attaches_only = (v, idx) not in locator.typed and all(
                isinstance(o, ox.NamedNode) and (o.value, idx) in locator.typed for o in objects)
            if idx not in extends:
                extends[idx] = locator.files[idx].extends()
            if not attaches_only and v not in extends[idx]:
                defining.append(idx)
        if len(defining) > 1:
            places = [(locator.files[i].rel, locator.files[i].line(v)) for i in sorted(defining)]
            (file, line), rest = places[0], places[1:]
            others = ", ".join(f"{rel}:{ln}" if ln else rel for rel, ln in rest)
            ext = rest[0][0]
            problems.append(Problem(rule="defined-twice", message=f"is defined in {len(places)} files: also at {others}",
                                    subject=locator.short(v), file=file, line=line,
                                    fix=f"keep one definition, or if {ext} only adds to it, declare that with the "
                                        f"comment `# coopmap: extends {locator.short(v)}` in {ext}"))
    for f, n in zip(locator.files, locator.sizes):
        if f.rel in locator.data_files and n == 0:
            problems.append(Problem(rule="empty-file", severity="warning", message="this data file holds no statements",
                                    file=f.rel, fix="add facts to it, or remove it"))
    return problems


def count_problems(store, data_dir):
    """A warning when the data has no actor (an empty folder, or COOPMAP_DATA pointing at the wrong one)."""

    n = select(store, "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a coop:Actor }")[0]["n"]
    if n:
        return []
    return [Problem(rule="no-actors", severity="warning", message=f"0 actors in {data_dir}", file=str(data_dir),
                    fix="check that COOPMAP_DATA names the right folder and that its .ttl files define "
                        "actors (a coop:Actor)")]


#: Characters refused in any literal: C0 controls except tab, line feed and carriage return; DEL and C1;
#: bidirectional overrides and isolates (they reorder what a terminal or a page shows).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
#: In names and titles, tab and line breaks are refused too.
_LABEL_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_LABEL_PROPERTIES = ("http://www.w3.org/2004/02/skos/core#prefLabel", "http://www.w3.org/2004/02/skos/core#altLabel",
                     "http://www.w3.org/2004/02/skos/core#hiddenLabel", "http://www.w3.org/2000/01/rdf-schema#label",
                     "https://schema.org/name", "http://data.europa.eu/eli/ontology#title",
                     "http://purl.org/dc/terms/title", "https://w3id.org/coopmap/def#standsFor")


def label_problems(store, locator):
    """Literals holding control characters (terminal escape sequences, bidi overrides).

    In a name or title (a label) they are refused: an error. In other texts (conditions, comments, notes) they
    are a warning: every output strips them (:mod:`graph.render.safe`), and the data should still be mended.
    """
    graph = GRAPH_IRIS["data"]
    rows = store.query(f"""SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }}
        FILTER(isLiteral(?o) && REGEX(STR(?o), "[\\u0000-\\u001F\\u007F-\\u009F\\u202A-\\u202E\\u2066-\\u2069]")) }}""")
    problems = []
    for r in rows:
        p, text = r["p"].value, r["o"].value
        is_label = p in _LABEL_PROPERTIES
        bad = (_LABEL_CONTROL if is_label else _CONTROL).search(text)
        if not bad:
            continue
        owner = r["s"]
        file, line = locator.locate(owner.value) if type(owner).__name__ == "NamedNode" else ("", None)
        problems.append(Problem(rule="control-characters",
                                message=f"{locator.short(p)} holds the control character U+{ord(bad.group()):04X} "
                                        f"at position {bad.start() + 1}: {text[:60]!r}",
                                subject=locator.short(owner.value) if file else "", file=file, line=line,
                                fix="remove it: names and texts may not hold terminal escapes or other control "
                                    "characters" + ("" if is_label else " (outputs strip them meanwhile)"),
                                severity="error" if is_label else "warning"))
    return problems


def access_problems(store, locator):
    """Warnings: a fact labelled less strictly than a resource it names (a CLEAR link to an AMBER actor).

    Outputs hide such a fact from audiences below the stricter label (an edge takes the strictest label
    of its ends); the warning asks the curator to label the fact itself.
    """
    graph = GRAPH_IRIS["data"]
    rows = store.query(f"""PREFIX coop: <https://w3id.org/coopmap/def#> PREFIX dcterms: <http://purl.org/dc/terms/>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT DISTINCT ?s ?o ?a ?b WHERE {{ GRAPH <{graph}> {{ ?s dcterms:accessRights ?la . ?s ?p ?o .
            ?o dcterms:accessRights ?lb FILTER(?o != ?s) }}
          ?la coop:rank ?ra ; skos:notation ?a . ?lb coop:rank ?rb ; skos:notation ?b . FILTER(?rb > ?ra) }}""",
                       use_default_graph_as_union=True)
    problems = []
    for r in rows:
        s, o = r["s"].value, r["o"].value
        file, line = locator.locate(s)
        a, b = r["a"].value.upper(), r["b"].value.upper()
        problems.append(Problem(rule="access-rights", severity="warning",
                                message=f"is TLP:{a} but names {locator.short(o)}, which is TLP:{b}: it is hidden "
                                        f"from audiences below TLP:{b}",
                                subject=locator.short(s), file=file, line=line,
                                fix=f"label it dcterms:accessRights tlp:{r['b'].value} (or lower the label of "
                                    f"{locator.short(o)} if it is really {a})"))
    return problems


@contextmanager
def _quiet_rdflib():
    """rdflib logs a traceback for every ill-formed literal (``"2019-13-45"^^xsd:date``) it converts; the
    SHACL result already says what is wrong and where, so those log records are dropped meanwhile."""
    log = logging.getLogger("rdflib.term")
    level = log.level
    log.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        log.setLevel(level)


def validate(project=None, store=None, check_quotes: bool | str = "if-available", sources=None, shacl: bool = True):
    """All problems in the project's graph, errors and warnings (see :func:`errors`, :func:`warnings`).

    The checks: layout (subjects defined twice, empty files, no actor), control characters, access
    labels, declared terms, dangling references, the SHACL shapes and the verbatim quotes. Each locates
    only the problems it finds, so the whole is linear in the size of the data.

    Parameters
    ----------
    project : graph.kb.build.Project, optional
    store : pyoxigraph.Store, optional
        An already parsed dataset (from :func:`graph.kb.build.load_dataset`).
    check_quotes : bool or "if-available"
        Check every quote against the source documents; "if-available" skips it when the sources folder
        is absent (an installed copy without ``../shared``).
    shacl : bool
        Run the SHACL shapes (:func:`shacl_problems`).
    """
    from graph.kb.dataset import default_project, load_dataset
    from graph.kb.sources import sources_dir

    project = project or default_project()
    store = store if store is not None else load_dataset(project)
    locator = _Locator(project)
    problems = layout_problems(locator) + count_problems(store, project.data_dir)
    problems += label_problems(store, locator) + access_problems(store, locator)
    problems += term_problems(store, locator) + reference_problems(store, locator)
    if shacl:
        with _quiet_rdflib():
            problems += shacl_problems(store, project.shapes_file(), locator)
    folder = Path(sources) if sources else sources_dir()
    if check_quotes is True or (check_quotes == "if-available" and folder.is_dir()):
        problems += quote_problems(store, locator, sources)
    return problems


def _verdict_key(project, check_quotes, sources, shacl) -> str:
    """The verdict's cache key: the inputs' content hash, this module's code, and the sources consulted."""
    from graph.kb.sources import sources_dir

    folder = Path(sources) if sources else sources_dir()
    quotes = check_quotes is True or (check_quotes == "if-available" and folder.is_dir())
    docs = []
    if quotes and folder.is_dir():
        docs = sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir() if p.is_file())
    h = hashlib.sha256(Path(__file__).read_bytes() + Path(__file__).with_name("shacl.py").read_bytes())
    h.update(json.dumps([project.fingerprint(), quotes, str(folder.resolve()) if quotes else "", docs, shacl]).encode())
    return h.hexdigest()[:24]


def validate_cached(project=None, store=None, check_quotes: bool | str = "if-available", sources=None,
                    shacl: bool = True):
    """:func:`validate`, run once per data version: the verdict is cached in the cache folder by content hash.

    The key covers the data and ontology (their fingerprint), the code of the checks, and the source
    documents' names, sizes and dates when quotes are checked. A cache folder that cannot be written only
    costs a new run next time.
    """
    from graph.core.errors import CoopmapError
    from graph.core.files import atomic_write
    from graph.kb.dataset import check_cache_root, default_project

    project = project or default_project()
    path = check_cache_root(project.cache_root) / "verdicts" / f"{_verdict_key(project, check_quotes, sources, shacl)}.json"
    try:
        return [Problem(**d) for d in json.loads(path.read_text(encoding="utf-8"))]
    except (OSError, ValueError, TypeError):
        pass
    problems = validate(project, store=store, check_quotes=check_quotes, sources=sources, shacl=shacl)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        atomic_write(path, json.dumps([asdict(p) for p in problems], ensure_ascii=False))
    except (OSError, CoopmapError):
        pass
    return problems
